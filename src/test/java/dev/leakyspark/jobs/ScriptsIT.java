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
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The launch scripts themselves: options through them, and their exit statuses. */
@ExtendWith(SharedSpark.class)
class ScriptsIT {

  @Test
  void aJobsPropertiesFileAndSparkSettingsBothPassThroughTheScript(SparkSession spark, @TempDir Path dir)
      throws Exception {
    String input = dir.resolve("in").toString();
    Generated.rows(spark, 100, 4).write().parquet(input);
    Path conf = Files.writeString(dir.resolve("job.properties"),
        "input = " + input + "\noutput = " + dir.resolve("out") + "\ncolumns = features\nalpha = 0.5\n");
    try (JobProcess run = job("preprocess", list("--conf", conf.toString(), "--conf", "spark.sql.shuffle.partitions=3",
        "--output-format", "json"))) {
      assertEquals(0, run.waitForExit(Duration.ofMinutes(3)), run.output());
      assertTrue(run.output().contains("preprocess: wrote 100 rows to " + dir.resolve("out") + " (json)"), run.output());
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
}
