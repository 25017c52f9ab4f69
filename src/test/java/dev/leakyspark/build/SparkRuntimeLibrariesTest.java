package dev.leakyspark.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.JobProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * No dependency of ours, test-only ones included, may change the version of a library Spark
 * brings. The reference is Spark's class path resolved alone ({@code src/build/spark-runtime.xml},
 * written by the build as {@code spark-runtime-classpath.txt}); it is compared with the runtime
 * class path of local jobs ({@code spark-classpath.txt}) and with this test JVM's class path.
 */
class SparkRuntimeLibrariesTest {

  @Test
  void runtimeAndTestClassPathsKeepSparksLibraryVersions() throws IOException {
    Map<String, String> spark = versions(read("spark-runtime-classpath.txt"));
    assertTrue(spark.size() > 100 && spark.containsKey("org.apache.spark:spark-core_" + scala()),
        () -> "Spark's class path looks wrong: " + spark.keySet());
    List<String> problems = new ArrayList<>();
    compare(spark, versions(read("spark-classpath.txt")), "the runtime class path (spark-classpath.txt)", true,
        problems);
    compare(spark, versions(List.of(System.getProperty("java.class.path").split(File.pathSeparator))),
        "the test class path", false, problems);
    assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
  }

  private static void compare(Map<String, String> spark, Map<String, String> other, String where,
      boolean complete, List<String> problems) {
    spark.forEach((library, version) -> {
      String found = other.get(library);
      if (found == null ? complete : !found.equals(version)) {
        problems.add(library + ": Spark brings " + version + ", " + where + " has " + found);
      }
    });
  }

  /** group:artifact to version, for the jars of a Maven repository layout. */
  static Map<String, String> versions(List<String> jars) {
    Map<String, String> versions = new TreeMap<>();
    for (String entry : jars) {
      Path jar = Path.of(entry);
      Path versionDir = jar.getParent();
      if (!entry.endsWith(".jar") || versionDir == null || versionDir.getParent() == null) {
        continue;
      }
      Path artifactDir = versionDir.getParent();
      String artifact = artifactDir.getFileName().toString();
      String version = versionDir.getFileName().toString();
      if (!jar.getFileName().toString().startsWith(artifact + "-" + version) || artifactDir.getParent() == null) {
        continue; // not from a repository, such as target/classes
      }
      String group = repositoryGroup(artifactDir.getParent());
      versions.put(group + ":" + artifact, version);
    }
    return versions;
  }

  /** The group of a repository folder: the path below the repository root, dotted. */
  private static String repositoryGroup(Path groupDir) {
    Path root = Path.of(System.getProperty("leaky.maven.repository", System.getProperty("user.home") + "/.m2/repository"));
    return root.relativize(groupDir).toString().replace(File.separatorChar, '.');
  }

  private static List<String> read(String name) throws IOException {
    Path file = JobProcess.BUILD.resolve(name);
    assertTrue(Files.exists(file), () -> file + " is missing: the build writes it before the tests");
    return List.of(Files.readString(file).trim().split(File.pathSeparator));
  }

  private static String scala() {
    return System.getProperty("leaky.scala.binary.version", "2.12");
  }
}
