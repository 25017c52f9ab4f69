package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code dropout}: seeded masks, so the same fit on any input layout; none at scoring; refused with l-bfgs. */
@ExtendWith(SharedSpark.class)
class DropoutFitTest {

  static Dataset<Row> blobs;

  @BeforeAll
  static void start(SparkSession spark) {
    blobs = TrainingData.blobs(spark, 300, 9).cache();
  }

  static LeakyMLPClassifier adam() {
    return new LeakyMLPClassifier().setLayers(new int[] {4, 16, 8, 3}).setSolver("adam").setStepSize(0.02)
        .setBlockSize(16).setLocalSteps(3).setNumPartitions(2).setMaxIter(3).setSeed(5);
  }

  static double[] weights(LeakyMLPClassifier mlp, Dataset<Row> data) {
    return mlp.fit(data).weights().toArray();
  }

  @Test
  void aFitWithDropoutIsTheSameOnAnyInputLayoutAndFollowsItsSeed() {
    LeakyMLPClassifier mlp = adam().setDropout(0.3);
    double[] reference = weights(mlp, blobs.repartition(1));
    for (Dataset<Row> layout : List.of(blobs.repartition(5), blobs.orderBy("label"))) {
      assertArrayEquals(reference, weights(mlp, layout), 0.0, "the masks follow the fit, not the input");
    }
    assertFalse(Arrays.equals(reference, weights(adam(), blobs)), "dropout changes the fit");
    assertFalse(Arrays.equals(reference, weights(mlp.copy(ParamMap.empty()).setSeed(6), blobs)), "so does the seed");
    assertArrayEquals(weights(adam(), blobs), weights(adam().setDropout(0), blobs), 0.0, "0 is the fit without");
  }

  @Test
  void scoringDropsNothing() {
    LeakyMLPClassificationModel model = adam().setDropout(0.5).setMaxIter(6).fit(blobs);
    List<Row> once = model.transform(blobs).select("probability").collectAsList();
    assertEquals(once, model.transform(blobs).select("probability").collectAsList(), "the same scores every time");
    assertTrue(model.summary().accuracy() > 0.9, "trained with half the units dropped: " + model.summary().accuracy());
    assertEquals(0.5, model.getDropout(), 0.0);
  }

  @Test
  void lbfgsRefusesDropout() {
    for (Runnable fit : List.<Runnable>of(
        () -> new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setDropout(0.2).fit(blobs),
        () -> new LeakyMLPRegressor().setLayers(new int[] {4, 8, 1}).setDropout(0.2).fit(blobs))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, fit::run);
      assertTrue(e.getMessage().contains("dropout 0.2 needs solver adam"), e.getMessage());
    }
  }
}
