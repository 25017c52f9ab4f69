package dev.leakyspark.ml.mlp;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Validation rows: never trained on, scored after every iteration, early stopping, the best weights kept. */
@ExtendWith(SharedSpark.class)
class ValidationTest {

  static SparkSession spark;
  /**
   * Blobs, a quarter of them validation rows ({@code v}) whose labels are shuffled: the better the
   * net fits the training rows, the worse it does on these, so the validation loss turns up.
   */
  static Dataset<Row> noisy;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    noisy = TrainingData.blobs(spark, 400, 6)
        .withColumn("v", expr("pmod(xxhash64(features), 4) = 0"))
        .withColumn("label", expr("if(v, cast(pmod(xxhash64(features, 7), 3) as double), label)"))
        .cache();
  }

  static LeakyMLPClassifier adam() {
    return new LeakyMLPClassifier().setLayers(new int[] {4, 16, 3}).setSolver("adam").setStepSize(0.05)
        .setBlockSize(16).setLocalSteps(4).setMaxIter(30).setSeed(2).setTol(0).setValidationIndicatorCol("v");
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElseThrow();
  }

  static int argmin(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      best = values[i] < values[best] ? i : best;
    }
    return best;
  }

  @Test
  void validationRowsNeverTouchTraining() {
    Dataset<Row> trainingRows = noisy.filter(col("v").equalTo(false));
    for (LeakyMLPClassifier mlp : new LeakyMLPClassifier[] {
        adam().setMaxIter(4).setNumEarlyStoppingRounds(0),
        new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setMaxIter(6).setValidationIndicatorCol("v")}) {
      double[] with = mlp.fit(noisy).summary().objectiveHistory();
      double[] alone = mlp.copy(ParamMap.empty()).setValidationIndicatorCol("").fit(trainingRows)
          .summary().objectiveHistory();
      assertArrayEquals(alone, with, 0.0, mlp.getSolver() + ": the same fit, bit for bit, as on the training rows alone");
    }
  }

  @Test
  void adamStopsEarlyAndTheModelKeepsTheBestWeights() {
    LeakyMLPClassificationModel model = adam().setNumEarlyStoppingRounds(3).fit(noisy);
    double[] validation = model.summary().validationObjectiveHistory();
    int epochs = model.summary().totalIterations();
    assertTrue(epochs < 30, "stopped early after " + epochs + " epochs: " + Arrays.toString(validation));
    assertEquals(epochs, validation.length, "one validation loss per epoch");
    assertEquals(argmin(validation) + 1, model.summary().bestIteration(), "epochs count from 1");
    assertEquals(model.summary().bestIteration() + 3, epochs, "three epochs without improvement, then it stops");
    Dataset<Row> validationRows = noisy.filter(col("v"));
    double logLoss = new MulticlassClassificationEvaluator().setMetricName("logLoss")
        .evaluate(model.transform(validationRows));
    assertEquals(min(validation), logLoss, 1e-9, "the model's validation log loss is the history's minimum");
    assertEquals(model.summary().objectiveHistory().length, epochs);
  }

  @Test
  void lbfgsScoresItsStartAndEveryIterationAndTheRegressorReportsTheMse() {
    Dataset<Row> waves = TrainingData.waves(spark, 300, 3, 100, 20)
        .withColumn("v", expr("pmod(xxhash64(features), 3) = 0")).cache();
    LeakyMLPRegressionModel model = new LeakyMLPRegressor().setLayers(new int[] {4, 32, 1}).setMaxIter(40)
        .setSeed(4).setValidationIndicatorCol("v").setNumEarlyStoppingRounds(0).fit(waves);
    double[] validation = model.summary().validationObjectiveHistory();
    assertEquals(model.summary().objectiveHistory().length, validation.length, "from the start on, as the objective");
    assertEquals(argmin(validation), model.summary().bestIteration());
    double mse = new RegressionEvaluator().setMetricName("mse").evaluate(model.transform(waves.filter(col("v"))));
    assertEquals(min(validation), mse, 1e-9 * mse, "the mean squared error on the label's own scale");
  }

  @Test
  void aResumedFitEndsAsTheUninterruptedOneBitForBit(@TempDir Path dir) {
    LeakyMLPClassifier mlp = adam().setNumEarlyStoppingRounds(3).setNumPartitions(2);
    LeakyMLPClassificationModel straight = mlp.copy(ParamMap.empty()).fit(noisy);
    mlp.setCheckpointDir(dir.resolve("checkpoints").toString()).setCheckpointInterval(2);
    TrainingData.fitUntilCheckpoint(mlp, noisy, 2);
    LeakyMLPClassificationModel resumed = mlp.fit(noisy);
    assertArrayEquals(straight.weights().toArray(), resumed.weights().toArray(), 0.0, "the best weights");
    assertArrayEquals(straight.summary().objectiveHistory(), resumed.summary().objectiveHistory(), 0.0);
    assertArrayEquals(straight.summary().validationObjectiveHistory(),
        resumed.summary().validationObjectiveHistory(), 0.0);
    assertEquals(straight.summary().bestIteration(), resumed.summary().bestIteration());
    assertEquals(straight.summary().totalIterations(), resumed.summary().totalIterations());
  }

  @Test
  void theNewParamsGoIntoTuningGrids() {
    LeakyMLPClassifier mlp = adam().setMaxIter(5).setWeightCol("w");
    ParamMap[] grid = new ParamGridBuilder().addGrid(mlp.dropout(), new double[] {0, 0.2})
        .addGrid(mlp.numEarlyStoppingRounds(), new int[] {1, 3}).build();
    TrainValidationSplitModel tuned = new TrainValidationSplit().setEstimator(mlp).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setWeightCol("w")).setTrainRatio(0.7).setParallelism(2)
        .fit(noisy.withColumn("w", expr("1.0 + pmod(xxhash64(features), 2)")));
    assertEquals(4, tuned.validationMetrics().length);
    LeakyMLPClassificationModel best = (LeakyMLPClassificationModel) tuned.bestModel();
    assertTrue(best.getDropout() == 0 || best.getDropout() == 0.2);
    assertEquals("v", best.getValidationIndicatorCol());
    assertEquals("w", best.getWeightCol());
  }

  @Test
  void withoutValidationRowsTheHistoryIsEmpty() {
    LeakyMLPClassificationModel model =
        new LeakyMLPClassifier().setLayers(new int[] {4, 3}).setMaxIter(2).fit(noisy.drop("v"));
    assertEquals(0, model.summary().validationObjectiveHistory().length);
    assertEquals(-1, model.summary().bestIteration());
  }

  @Test
  void badValidationColumnsAreRefusedNamingTheColumn() {
    Object[][] cases = {
        {lit("yes"), "Input column v must be of type boolean (true for validation rows) but got string"},
        {lit(null).cast("boolean"), "column v holds null in 400 rows"},
        {lit(true), "column v is true in every row, so no training rows are left"},
        {lit(false), "column v is false in every row, so no validation rows are left"},
    };
    for (Object[] c : cases) {
      Dataset<Row> data = noisy.withColumn("v", (org.apache.spark.sql.Column) c[0]);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam().fit(data));
      assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
    }
  }
}
