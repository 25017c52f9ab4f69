package dev.leakyspark.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.JobProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifact users add to a build brings only the library: a small consumer project that
 * depends on it, resolved by Maven against the artifact as {@code mvn install} publishes it (the
 * library jar and the flattened pom), gets nothing beside it; the jobs and benchmarks live in the
 * jobs jar.
 */
class LibraryArtifactIT {

  private static final String GROUP = "dev.leakyspark";
  private static final String ARTIFACT = "leaky-spark_" + System.getProperty("leaky.scala.binary.version");

  @Test
  void theLibraryJarHoldsNoJobAndTheJobsJarHoldsThem() throws IOException {
    List<String> library = classes(JobProcess.builtJar("-SNAPSHOT.jar"));
    List<String> jobs = classes(JobProcess.builtJar("-SNAPSHOT-jobs.jar"));
    assertTrue(library.contains("dev/leakyspark/ml/classification/LeakyMLPClassifier.class"), "library: " + library);
    assertTrue(library.contains("dev/leakyspark/data/Idx.class"), "library: " + library);
    assertEquals(List.of(), library.stream().filter(c -> c.matches("dev/leakyspark/(jobs|bench|cli)/.*")).toList());
    assertTrue(jobs.contains("dev/leakyspark/jobs/Train.class"), "jobs: " + jobs);
    assertTrue(jobs.contains("dev/leakyspark/bench/MlpBenchmark.class"), "jobs: " + jobs);
    assertEquals(List.of(), jobs.stream().filter(c -> !c.matches("dev/leakyspark/(jobs|bench|cli)/.*")).toList());
  }

  @Test
  void aConsumerProjectGetsTheLibraryAndNothingElse(@TempDir Path dir) throws Exception {
    String jar = JobProcess.builtJar("-SNAPSHOT.jar");
    String version = Path.of(jar).getFileName().toString().replaceFirst("^" + ARTIFACT + "-", "").replaceFirst("\\.jar$", "");
    // the artifact as install lays it out, in a local repository of the consumer's own
    Path installed = dir.resolve("repository").resolve(GROUP.replace('.', '/')).resolve(ARTIFACT).resolve(version);
    Files.createDirectories(installed);
    Files.copy(Path.of(jar), installed.resolve(ARTIFACT + "-" + version + ".jar"));
    Files.copy(JobProcess.BUILD.resolve("flattened-pom.xml"), installed.resolve(ARTIFACT + "-" + version + ".pom"));
    // everything else (Maven's dependency plugin) comes from the build's repository, not the network
    Files.writeString(dir.resolve("settings.xml"), """
        <settings><mirrors><mirror><id>build</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors></settings>
        """.formatted(Path.of(System.getProperty("leaky.maven.repository")).toUri()));
    Files.writeString(dir.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>consumer</artifactId>
          <version>1</version>
          <dependencies>
            <dependency><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></dependency>
          </dependencies>
        </project>
        """.formatted(GROUP, ARTIFACT, version));
    Path list = dir.resolve("dependencies.txt");
    try (JobProcess mvn = JobProcess.start(Map.of(), List.of("mvn", "-B", "-f", dir.resolve("pom.xml").toString(),
        "-s", dir.resolve("settings.xml").toString(), "-Dmaven.repo.local=" + dir.resolve("repository"),
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list", "-DoutputFile=" + list))) {
      assertEquals(0, mvn.waitForExit(Duration.ofMinutes(5)), mvn.output());
    }
    List<String> resolved = Files.readAllLines(list).stream().map(String::trim)
        .filter(line -> line.matches("[^ ]+:[^ ]+:jar:.*")).map(line -> line.replaceFirst(" -- .*", "")).toList();
    assertEquals(List.of(GROUP + ":" + ARTIFACT + ":jar:" + version + ":compile"), resolved);
  }

  private static List<String> classes(String jar) throws IOException {
    try (JarFile file = new JarFile(jar)) {
      return file.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).toList();
    }
  }
}
