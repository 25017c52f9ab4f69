package dev.leakyspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.JobProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's spark-shell recipe, run as written: the command and the {@code scala>} lines are read
 * from README.md and fed to Spark's own {@code bin/spark-shell}, which runs the Scala REPL of
 * spark-repl. The distribution is the pyspark wheel's of the line under test (Maven Central here
 * serves spark-repl only for Scala 2.12), with the jar this line built.
 */
class SparkShellIT {

  private static final String RECIPE = "### spark-shell";

  @Test
  void theReadmeRecipeRunsInSparkShell() throws Exception {
    List<String> block = readmeBlockAfter(RECIPE);
    StringBuilder command = new StringBuilder();
    List<String> input = new ArrayList<>();
    for (String line : block) {
      if (line.startsWith("scala> ")) {
        input.add(line.substring("scala> ".length()));
      } else {
        command.append(line.replaceAll("\\\\$", " "));
      }
    }
    List<String> args = new ArrayList<>(Arrays.asList(command.toString().trim().split("\\s+")));
    assertEquals("spark-shell", args.remove(0), "the recipe's command: " + command);
    String jar = JobProcess.builtJar("-SNAPSHOT.jar");
    int jars = args.indexOf("--jars") + 1;
    if (JobProcess.BUILD.equals(JobProcess.ROOT.resolve("target"))) {
      assertEquals(Path.of(jar), JobProcess.ROOT.resolve(args.get(jars)), "README's jar is the one the default line builds");
    }
    args.set(jars, jar);

    List<String> shell = new ArrayList<>();
    shell.add(ItSupport.sparkDistribution().resolve("bin/spark-shell").toString());
    shell.addAll(List.of("--master", "local[2]", "--driver-memory", "1g", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.ui.showConsoleProgress=false"));
    shell.addAll(args);
    input.add(":quit");
    try (JobProcess run = JobProcess.start(Map.of("SPARK_LOCAL_IP", "127.0.0.1"), shell,
        String.join("\n", input) + "\n")) {
      assertEquals(0, run.waitForExit(Duration.ofMinutes(3)), run.output());
      String out = run.output();
      // show() of leakyRelu($"id" - 2, 0.1) over ids 0..4, then the SQL function of the extension
      assertEquals(List.of("-0.2", "-0.1", "0.0", "1.0", "2.0", "-1.5"), tableCells(out), out);
      assertTrue(out.contains("leaky_relu((id - 2), 0.1)"), out);
    }
  }

  /** The lines of the fenced block that follows {@code heading} in README.md, unindented. */
  private static List<String> readmeBlockAfter(String heading) throws Exception {
    List<String> readme = Files.readAllLines(JobProcess.ROOT.resolve("README.md"));
    int at = readme.indexOf(heading);
    assertTrue(at >= 0, "README.md has no line '" + heading + "'");
    int open = at + 1;
    while (!readme.get(open).trim().startsWith("```")) {
      open++;
    }
    List<String> block = new ArrayList<>();
    for (int i = open + 1; !readme.get(i).trim().startsWith("```"); i++) {
      block.add(readme.get(i).trim());
    }
    return block;
  }

  /** The one-column body cells of every table that {@code show()} printed. */
  private static List<String> tableCells(String out) {
    List<String> cells = new ArrayList<>();
    List<String> lines = out.lines().map(l -> l.replaceFirst("^(scala> )+", "").trim()).toList();
    for (int i = 0; i < lines.size(); i++) {
      // a body row follows the header's closing border; a table ends with the same border
      if (lines.get(i).startsWith("+-") && i > 1 && lines.get(i - 2).startsWith("+-")) {
        for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("|"); j++) {
          cells.add(lines.get(j).replace("|", "").trim());
        }
      }
    }
    return cells;
  }
}
