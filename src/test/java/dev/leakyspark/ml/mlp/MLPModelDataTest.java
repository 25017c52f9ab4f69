package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.testing.LogCapture;
import dev.leakyspark.testing.SharedSpark;
import java.nio.file.Path;
import java.util.Random;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.scheduler.TaskSetManager;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class MLPModelDataTest {

  /** 2 MB of weights: a row made on the driver would make Spark warn of a task of that size. */
  @Test
  void saveSendsTheWeightsByBroadcastNotInsideTheTask(SparkSession spark, @TempDir Path dir) {
    int[] layers = {2000, 128, 2};
    double[] weights = new Random(1).doubles(2000 * 128 + 128 + 128 * 2 + 2).toArray();
    LeakyMLPClassificationModel model = new LeakyMLPClassificationModel("m", layers, 0.01, weights);
    // the test log configuration silences TaskSetManager, whose warning this test is about
    Configurator.setLevel(TaskSetManager.class.getName(), Level.WARN);
    try (LogCapture log = LogCapture.of(TaskSetManager.class)) {
      model.save(dir.resolve("model").toString());
      assertTrue(log.messages().stream().noneMatch(m -> m.contains("task of very large size")), log.messages().toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      Configurator.setLevel(TaskSetManager.class.getName(), Level.OFF);
    }
    assertArrayEquals(weights, LeakyMLPClassificationModel.load(dir.resolve("model").toString()).weights().toArray(), 0.0);
  }
}
