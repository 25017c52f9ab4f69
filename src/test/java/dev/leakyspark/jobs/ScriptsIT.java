package dev.leakyspark.jobs;

import static dev.leakyspark.jobs.ItSupport.job;
import static dev.leakyspark.jobs.ItSupport.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.data.Generated;
import dev.leakyspark.testing.JobProcess;
import dev.leakyspark.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The launch scripts themselves: options through them, SPARK_HOME, and their exit statuses. */
@ExtendWith(SharedSpark.class)
class ScriptsIT {

  @Test
  void aJobsPropertiesFileAndSparkSettingsBothPassThroughTheScript(SparkSession spark, @TempDir Path dir)
      throws Exception {
    String input = dir.resolve("in").toString();
    Generated.rows(spark, 100, 4).write().parquet(input);
    Path conf = Files.writeString(dir.resolve("job.properties"),
        "input = " + input + "\noutput = " + dir.resolve("out") + "\ncolumns = features\nalpha = 0.5\n");
    // a Spark setting with a visible effect: at most 10 rows per output file
    try (JobProcess run = job("preprocess", list("--conf", conf.toString(), "--conf", "spark.sql.files.maxRecordsPerFile=10",
        "--output-format", "json"))) {
      assertEquals(0, run.waitForExit(Duration.ofMinutes(3)), run.output());
      assertTrue(run.output().contains("preprocess: wrote 100 rows to " + dir.resolve("out") + " (json)"), run.output());
    }
    try (var files = Files.list(dir.resolve("out"))) {
      assertTrue(files.filter(p -> p.getFileName().toString().endsWith(".json")).count() >= 10,
          "spark.sql.files.maxRecordsPerFile=10 reached Spark: 100 rows in 10 or more files");
    }
    try (JobProcess bad = job("preprocess", list("--conf", conf.toString(), "--alpha", "NaN"))) {
      assertEquals(2, bad.waitForExit(Duration.ofMinutes(3)), bad.output());
      assertTrue(bad.output().contains("--alpha needs a finite number but got 'NaN'"), bad.output());
    }
    try (JobProcess missing = job("train", list("--train", dir.resolve("nope").toString(), "--model",
        dir.resolve("model").toString()))) {
      assertEquals(1, missing.waitForExit(Duration.ofMinutes(3)), missing.output());
      assertTrue(missing.output().contains("Input " + dir.resolve("nope") + " does not exist"), missing.output());
    }
  }

  /**
   * With SPARK_HOME set, the scripts run the job through that distribution's own bin/spark-submit,
   * on the Spark line its jars are. The distribution is the one in the pyspark wheel of this line
   * (the Python suite installs it in the build folder's python-venv before the integration tests),
   * seen through a folder whose conf/spark-env.sh leaves a mark when Spark's scripts source it.
   */
  @Test
  void aSparkHomeRunsTheJobThroughItsOwnSparkSubmit(SparkSession spark, @TempDir Path dir) throws Exception {
    Path pyspark = ItSupport.sparkDistribution();
    String version = System.getProperty("leaky.pyspark.version", "");
    assertTrue(Files.exists(pyspark.resolve("jars/spark-core_" + System.getProperty("leaky.scala.binary.version")
        + "-" + version + ".jar")), "the distribution of pyspark " + version + ": " + pyspark);
    Path home = Files.createDirectories(dir.resolve("spark-home/conf"));
    Files.createSymbolicLink(home.resolveSibling("bin"), pyspark.resolve("bin"));
    Files.createSymbolicLink(home.resolveSibling("jars"), pyspark.resolve("jars"));
    Files.writeString(home.resolve("spark-env.sh"), "echo \"spark-env.sh of $SPARK_HOME\" >&2\n");
    String input = dir.resolve("in").toString();
    Generated.rows(spark, 100, 4).write().parquet(input);

    String out = dir.resolve("out").toString();
    Map<String, String> env = new HashMap<>(Map.of("SPARK_HOME", home.getParent().toString(), "LEAKY_DRIVER_MEMORY", "1g"));
    env.put("LEAKY_SPARK", null); // the line comes from SPARK_HOME's jars
    try (JobProcess run = JobProcess.start(env, List.of("jobs/preprocess", "--master", "local[2]", "--input", input,
        "--output", out, "--columns", "features"))) {
      assertEquals(0, run.waitForExit(Duration.ofMinutes(3)), run.output());
      assertTrue(run.output().contains("spark-env.sh of " + home.getParent()), run.output());
      assertTrue(run.output().contains("preprocess: wrote 100 rows to " + out), run.output());
    }
    assertEquals(100, spark.read().parquet(out).count());

    Path empty = Files.createDirectories(dir.resolve("no-spark/jars"));
    try (JobProcess bad = JobProcess.start(Map.of("SPARK_HOME", empty.getParent().toString()),
        List.of("jobs/preprocess", "--help"))) {
      assertEquals(2, bad.waitForExit(Duration.ofMinutes(1)), bad.output());
      assertTrue(bad.output().contains("SPARK_HOME=" + empty.getParent() + " has no jars/spark-core_2.12-*.jar or _2.13-*.jar"),
          bad.output());
    }
    Files.createFile(empty.resolve("spark-core_2.12-3.4.1.jar"));
    try (JobProcess old = JobProcess.start(Map.of("SPARK_HOME", empty.getParent().toString()),
        List.of("jobs/preprocess", "--help"))) {
      assertEquals(2, old.waitForExit(Duration.ofMinutes(1)), old.output());
      assertTrue(old.output().contains("Spark 3.4 is not a supported line (3.5, 4.0, 4.1, 4.2, and 4.3 through SPARK_HOME)"), old.output());
    }
  }
}
