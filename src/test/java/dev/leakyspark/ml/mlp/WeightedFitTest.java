package dev.leakyspark.ml.mlp;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.OneVsRestModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weightCol}: a row of weight w is w copies of it in the objective, the statistics and the metrics. */
@ExtendWith(SharedSpark.class)
class WeightedFitTest {

  static SparkSession spark;
  /** Blobs with a weight column {@code w} of 0, 1, 2 or 3 per row. */
  static Dataset<Row> weighted;
  /** The same rows, each repeated {@code w} times. */
  static Dataset<Row> repeated;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    weighted = TrainingData.blobs(spark, 240, 4).withColumn("w", expr("cast(pmod(xxhash64(features), 4) as double)"))
        .cache();
    repeated = weighted.withColumn("copy", explode(expr("array_repeat(1, cast(w as int))"))).drop("copy").cache();
    assertEquals(weighted.agg(expr("sum(w)")).first().getDouble(0), repeated.count(), 0.0);
  }

  static LeakyMLPClassifier mlp() {
    return new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setMaxIter(6).setSeed(3).setNumPartitions(2);
  }

  static void assertClose(double[] expected, double[] actual, double relative, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], relative * Math.max(1, Math.abs(expected[i])), what + " at " + i);
    }
  }

  @Test
  void integerWeightsFitAsTheRowsRepeated() {
    LeakyMLPClassificationModel byWeight = mlp().setWeightCol("w").fit(weighted);
    LeakyMLPClassificationModel byCopies = mlp().fit(repeated);
    assertClose(byCopies.summary().objectiveHistory(), byWeight.summary().objectiveHistory(), 1e-9,
        "l-bfgs objective");
    assertClose(byCopies.weights().toArray(), byWeight.weights().toArray(), 1e-6, "weights");
    // the summary's metrics are weighted too: they equal the evaluator's with the same weightCol
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator().setWeightCol("w");
    Dataset<Row> scored = byWeight.transform(weighted);
    assertEquals("w", byWeight.summary().weightCol());
    assertEquals("w", byWeight.evaluate(weighted).weightCol());
    for (String metric : new String[] {"accuracy", "weightedFMeasure", "weightedPrecision"}) {
      double expected = evaluator.setMetricName(metric).evaluate(scored);
      double actual = metric.equals("accuracy") ? byWeight.summary().accuracy()
          : metric.equals("weightedPrecision") ? byWeight.evaluate(weighted).weightedPrecision()
          : byWeight.summary().weightedFMeasure();
      assertEquals(expected, actual, 1e-12, metric);
    }
  }

  @Test
  void adamAveragesWhatItLearnsByTheWeights() {
    // weight 0 on a whole class: Adam never learns to predict it, where the unweighted fit does
    Dataset<Row> noClassTwo = weighted.withColumn("w", when(col("label").equalTo(2), 0.0).otherwise(1.0));
    LeakyMLPClassifier adam = mlp().setSolver("adam").setMaxIter(8).setStepSize(0.05).setBlockSize(16).setLocalSteps(2);
    long predictedTwo = adam.setWeightCol("w").fit(noClassTwo).transform(noClassTwo)
        .filter(col("prediction").equalTo(2)).count();
    assertEquals(0, predictedTwo, "rows of weight 0 are left out");
    Dataset<Row> left = noClassTwo.filter(col("label").notEqual(2));
    LeakyMLPClassificationModel model = adam.fit(noClassTwo);
    assertTrue(model.summary().objectiveHistory()[7] < model.summary().objectiveHistory()[0]);
    assertEquals(1.0, new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(left)), 0.02);
  }

  @Test
  void theRegressorsLabelStatisticsAndMetricsAreWeighted() {
    Dataset<Row> waves = TrainingData.waves(spark, 300, 2, 10, 3)
        .withColumn("w", expr("0.25 + pmod(xxhash64(features), 5)")).cache();
    Row stats = waves.select(Summarizer.metrics("mean", "std")
        .summary(org.apache.spark.ml.functions.array_to_vector(expr("array(label)")), col("w")).as("s"))
        .select("s.mean", "s.std").first();
    Dataset<Row> keyed = TrainingBlocks.keyed(waves, "features", "label", "w");
    Network net = new Network(new int[] {4, 8, 1}, 0.01, Network.Loss.SQUARED_ERROR);
    TrainingBlocks data = TrainingBlocks.of(keyed, "test", new TrainingBlocks.Columns("features", "label", "w"), net,
        16, 3, Block.Builder.Layout.AUTO);
    try {
      double[] meanAndStd = MLPFit.labelMeanAndStd(data);
      assertEquals(((org.apache.spark.ml.linalg.Vector) stats.get(0)).apply(0), meanAndStd[0], 1e-12);
      assertEquals(((org.apache.spark.ml.linalg.Vector) stats.get(1)).apply(0), meanAndStd[1], 1e-12);
    } finally {
      data.unpersist();
    }
    LeakyMLPRegressionModel model = new LeakyMLPRegressor().setLayers(new int[] {4, 8, 1}).setMaxIter(20)
        .setWeightCol("w").fit(waves);
    Dataset<Row> scored = model.transform(waves);
    RegressionEvaluator evaluator = new RegressionEvaluator().setWeightCol("w");
    assertEquals(evaluator.setMetricName("rmse").evaluate(scored), model.summary().rootMeanSquaredError(), 1e-12);
    assertEquals(evaluator.setMetricName("r2").evaluate(scored), model.evaluate(waves).r2(), 1e-12);
    assertNotEquals(new RegressionEvaluator().evaluate(scored), model.summary().rootMeanSquaredError());
  }

  @Test
  void theWeightsArePartOfTheDatasContent() {
    TrainingBlocks.Content a = TrainingBlocks.content(TrainingBlocks.keyed(weighted, "features", "label", "w"));
    TrainingBlocks.Content b = TrainingBlocks.content(TrainingBlocks.keyed(
        weighted.withColumn("w", when(col("w").equalTo(3), 2.0).otherwise(col("w"))), "features", "label", "w"));
    assertEquals(a.rows(), b.rows());
    assertNotEquals(a.hash(), b.hash(), "other weights, another fit: its checkpoints are not this one's");
    assertEquals(TrainingBlocks.content(TrainingBlocks.keyed(weighted, "features", "label")),
        TrainingBlocks.content(TrainingBlocks.keyed(weighted, "features", "label", null)));
  }

  @Test
  void oneVsRestPassesItsWeightColumnOn() {
    OneVsRest ovr = new OneVsRest().setClassifier(mlp().setLayers(new int[] {4, 4, 2})).setWeightCol("w");
    // OneVsRest puts weightCol in each fit's params only for a classifier that has MLlib's HasWeightCol
    OneVsRestModel model = ovr.fit(weighted);
    for (Model<?> sub : model.models()) {
      assertEquals("w", ((LeakyMLPClassificationModel) sub).getWeightCol());
    }
  }

  @Test
  void badWeightsFailBeforeTrainingAndNameTheColumnAndValue() {
    Dataset<Row> blobs = TrainingData.blobs(spark, 30, 5);
    Object[][] cases = {
        {lit(-1.5), "column w holds -1.5 but weights must be finite numbers >= 0"},
        {lit(Double.NaN), "column w holds NaN but weights must be finite numbers >= 0"},
        {lit(Double.POSITIVE_INFINITY), "column w holds Infinity but weights must be finite numbers >= 0"},
        {lit(null).cast("double"), "column w holds null but weights must be finite numbers >= 0"},
        {lit(0.0), "the weights in column w are all 0"},
        {lit("heavy"), "Input column w must be of type numeric (row weights) but got string"},
    };
    for (Object[] c : cases) {
      Dataset<Row> data = blobs.withColumn("w", (org.apache.spark.sql.Column) c[0]);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> mlp().setWeightCol("w").fit(data), (String) c[1]);
      assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
    }
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> mlp().setWeightCol("weight").fit(blobs));
    assertTrue(missing.getMessage().contains("Input column weight does not exist"), missing.getMessage());
    // an empty weightCol is MLlib's "unweighted"
    assertEquals(mlp().fit(blobs).weights(), mlp().setWeightCol("").fit(blobs).weights());
  }
}
