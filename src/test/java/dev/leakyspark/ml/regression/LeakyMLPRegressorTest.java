package dev.leakyspark.ml.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.data.Generated;
import dev.leakyspark.ml.mlp.AdamTrainer;
import dev.leakyspark.nn.Network;
import dev.leakyspark.testing.LogCapture;
import dev.leakyspark.testing.LongFit;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.StageContract;
import dev.leakyspark.testing.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class LeakyMLPRegressorTest {

  static SparkSession spark;
  /** 400 rows of a nonlinear function of 4 features, on the scale 1000 y + 5000. */
  static Dataset<Row> waves;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    waves = TrainingData.waves(spark, 400, 1, 1000, 5000).repartition(3).cache();
    waves.count();
  }

  static LeakyMLPRegressor mlp() {
    return new LeakyMLPRegressor().setLayers(new int[] {4, 16, 1}).setMaxIter(60).setSeed(7);
  }

  @Test
  void estimatorAndModelMeetTheStageContract(@TempDir Path dir) throws Exception {
    // whole labels in [35, 65], which the contract casts to every numeric type, tinyint included
    Dataset<Row> integral = waves.withColumn("label",
        org.apache.spark.sql.functions.round(waves.col("label").divide(100)));
    LeakyMLPRegressionModel model =
        StageContract.checkEstimator(
            mlp().setMaxIter(5),
            Set.of("layers", "initialWeights", "checkpointDir", "weightCol", "validationIndicatorCol"),
            Set.of("initialWeights", "checkpointDir", "weightCol", "validationIndicatorCol"),
            LeakyMLPRegressor::load, LeakyMLPRegressionModel::load,
            m -> m.weights().toArray(), "label", integral, dir);
    assertArrayEquals(new int[] {4, 16, 1}, model.getLayers());
    assertTrue(model.getStandardizeLabel());
    assertEquals(4, model.numFeatures());
    assertEquals(LeakyMLPRegressor.class.getName().hashCode(), new LeakyMLPRegressor().getSeed());
  }

  @LongFit
  void itLearnsFriedmanOneFarBetterThanALinearModel() {
    Dataset<Row>[] split = Generated.friedman1(spark, 2000, 1).randomSplit(new double[] {0.8, 0.2}, 3);
    RegressionEvaluator rmse = new RegressionEvaluator();
    double linear = rmse.evaluate(new LinearRegression().fit(split[0]).transform(split[1]));
    LeakyMLPRegressionModel model = new LeakyMLPRegressor().setLayers(new int[] {10, 32, 1}).setMaxIter(100)
        .setSeed(1).fit(split[0]);
    double mlp = rmse.evaluate(model.transform(split[1]));
    // the noise alone has RMSE 1; a linear model cannot fit sin(pi x0 x1) and (x2 - 0.5)^2
    assertTrue(mlp < 0.65 * linear && mlp < 1.6, "test RMSE: MLP " + mlp + ", linear " + linear);
  }

  @LongFit
  void standardisingTheLabelTrainsTheSameNetOnAnyScaleAndPredictsOnTheLabelsScale() {
    Dataset<Row> unit = TrainingData.waves(spark, 400, 1, 1, 0);
    LeakyMLPRegressionModel onUnit = mlp().fit(unit);
    LeakyMLPRegressionModel onWaves = mlp().fit(waves);
    // the same rows, labels 1000 y + 5000: the standardised labels agree, so the predictions do
    List<Row> a = onUnit.transform(unit).select("prediction").collectAsList();
    List<Row> b = onWaves.transform(TrainingData.waves(spark, 400, 1, 1000, 5000)).select("prediction").collectAsList();
    for (int i = 0; i < a.size(); i++) {
      assertEquals(1000 * a.get(i).getDouble(0) + 5000, b.get(i).getDouble(0), 1e-3, "row " + i);
    }
    assertTrue(onWaves.summary().r2() > 0.9, "R2 " + onWaves.summary().r2());
    double[] history = onWaves.summary().objectiveHistory();
    assertTrue(history[0] > 0.3 && history[0] < 5, "the first objective is on the standardised scale: " + history[0]);
    LeakyMLPRegressionModel raw = mlp().setStandardizeLabel(false).fit(waves);
    assertTrue(raw.summary().objectiveHistory()[0] > 1e5, "unstandardised: " + raw.summary().objectiveHistory()[0]);
    assertTrue(raw.summary().rootMeanSquaredError() > 2 * onWaves.summary().rootMeanSquaredError(),
        "the same 60 iterations without standardising: RMSE " + raw.summary().rootMeanSquaredError() + " against "
            + onWaves.summary().rootMeanSquaredError());
  }

  @Test
  void initialWeightsAreOnTheLabelsScale() {
    LeakyMLPRegressionModel fitted = mlp().fit(waves);
    LeakyMLPRegressionModel again = mlp().setMaxIter(0).setInitialWeights(fitted.weights()).fit(waves);
    assertArrayEquals(fitted.weights().toArray(), again.weights().toArray(), 1e-9,
        "maxIter 0 returns the initial weights, standardised and folded back");
  }

  @Test
  void summaryAndEvaluateAgreeWithRegressionEvaluator() {
    LeakyMLPRegressionModel model = mlp().setNumPartitions(2).fit(waves);
    LeakyMLPRegressionTrainingSummary summary = model.summary();
    Dataset<Row> scored = model.transform(waves);
    assertEquals(new RegressionEvaluator().evaluate(scored), summary.rootMeanSquaredError(), 1e-9);
    assertEquals(new RegressionEvaluator().setMetricName("r2").evaluate(scored), summary.r2(), 1e-12);
    assertEquals(new RegressionEvaluator().setMetricName("mae").evaluate(scored), summary.meanAbsoluteError(), 1e-9);
    assertEquals(400, summary.numInstances());
    assertEquals(2, summary.numPartitions());
    assertEquals(60, summary.totalIterations());
    double[] history = summary.objectiveHistory();
    assertEquals(61, history.length, "the start and every l-bfgs iteration");
    assertTrue(history[60] < 0.1 * history[0], java.util.Arrays.toString(history));
    Dataset<Row> test = TrainingData.waves(spark, 200, 2, 1000, 5000).withColumnRenamed("label", "y");
    LeakyMLPRegressionModel onY = model.copy(new ParamMap()).setPredictionCol("");
    onY.set(onY.labelCol(), "y");
    LeakyMLPRegressionSummary evaluated = onY.evaluate(test);
    assertEquals(new RegressionEvaluator().setLabelCol("y").evaluate(model.transform(test)),
        evaluated.rootMeanSquaredError(), 1e-9);
    assertEquals(test.columns().length, onY.transform(test).columns().length, "an empty predictionCol adds nothing");
    assertThrows(IllegalArgumentException.class, () -> model.evaluate(test), "no label column");
  }

  @LongFit
  void fitsAreBitIdenticalWhateverTheInputsPartitioningAndRowOrder() {
    LeakyMLPRegressor adam = mlp().setSolver(LeakyMLPRegressor.ADAM).setStepSize(0.01).setBlockSize(8)
        .setNumPartitions(3).setLocalSteps(2).setMaxIter(3);
    LeakyMLPRegressor lbfgs = mlp().setNumPartitions(3).setMaxIter(5);
    for (LeakyMLPRegressor estimator : List.of(adam, lbfgs)) {
      double[] reference = estimator.fit(waves.repartition(1)).weights().toArray();
      for (Dataset<Row> layout : List.of(waves.repartition(7), waves.orderBy("label").coalesce(2))) {
        assertArrayEquals(reference, estimator.fit(layout).weights().toArray(), 0.0,
            estimator.getSolver() + " on " + layout.rdd().getNumPartitions() + " input partitions");
      }
    }
  }

  @LongFit
  void adamResumedFromACheckpointEndsWhereAnUninterruptedFitEnds(@TempDir Path dir) {
    LeakyMLPRegressor adam = mlp().setSolver("adam").setStepSize(0.01).setBlockSize(64).setTol(0)
        .setNumPartitions(2).setLocalSteps(4).setMaxIter(3);
    LeakyMLPRegressionModel straight = adam.copy(new ParamMap()).fit(waves);
    adam.setCheckpointDir(dir.resolve("checkpoints").toString()).setCheckpointInterval(1);
    TrainingData.fitUntilCheckpoint(adam, waves, 1);
    try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
      LeakyMLPRegressionModel resumed = adam.fit(waves);
      assertEquals(List.of(2, 3), log.numbers("adam epoch (\\d+)/3"));
      assertArrayEquals(straight.weights().toArray(), resumed.weights().toArray(), 0.0,
          "the checkpoint holds the standardised fit's state, which the resumed fit folds back as the straight one");
    }
    LeakyMLPRegressor other = adam.copy(new ParamMap()).setStandardizeLabel(false);
    TrainingData.fitUntilCheckpoint(adam, waves, 1);
    try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
      other.fit(waves);
      assertEquals(List.of(1, 2, 3), log.numbers("adam epoch (\\d+)/3"),
          "standardizeLabel is part of the fit: another value does not resume");
    }
  }

  @Test
  void badLabelsAndLayersAreRefused() {
    assertFitError(rows(RowFactory.create(Double.NaN, Vectors.dense(1, 2, 3, 4))),
        "LeakyMLPRegressor: column label holds NaN but labels must be finite numbers");
    assertFitError(rows(RowFactory.create(Double.NEGATIVE_INFINITY, Vectors.dense(1, 2, 3, 4))),
        "column label holds -Infinity");
    assertFitError(rows(RowFactory.create(null, Vectors.dense(1, 2, 3, 4))), "column label holds null");
    assertFitError(rows(RowFactory.create(1.0, Vectors.dense(1, 2, 3))),
        "LeakyMLPRegressor: column features has a vector of size 3 but layers[0] is 4");
    assertFitError(waves.limit(0), "LeakyMLPRegressor: the training data is empty");
    assertFitError(waves.withColumn("label", waves.col("label").cast("string")),
        "Input column label must be of type numeric but got string");
    IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
        () -> mlp().setLayers(new int[] {4, 8, 2}).fit(waves));
    assertTrue(layers.getMessage().endsWith("layers [4, 8, 2] must end in 1, the one output the label is regressed on"),
        layers.getMessage());
    LeakyMLPRegressionModel model = mlp().setMaxIter(1).fit(waves);
    assertEquals("LeakyMLPRegressionModel: column features has a vector of size 2 but the model takes 4 features",
        assertThrows(IllegalArgumentException.class, () -> model.predict(Vectors.dense(1, 2))).getMessage());
    // a constant label: its standard deviation 0 counts as 1, and the fit predicts the constant
    LeakyMLPRegressionModel constant = mlp().setMaxIter(20).fit(waves.withColumn("label", org.apache.spark.sql.functions.lit(3.0)));
    assertEquals(3.0, constant.predict(Vectors.dense(0.1, 0.2, 0.3, 0.4)), 0.01);
  }

  static Dataset<Row> rows(Row... rows) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    List<Row> all = new ArrayList<>(waves.limit(10).collectAsList());
    all.addAll(List.of(rows));
    return spark.createDataFrame(all, schema);
  }

  static void assertFitError(Dataset<Row> data, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp().fit(data));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void crossValidatedPipelineSavesLoadsAndPredictsIdentically(@TempDir Path dir) throws Exception {
    LeakyMLPRegressor mlp = mlp().setFeaturesCol("scaled").setMaxIter(10);
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"), mlp});
    CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEvaluator(new RegressionEvaluator())
        .setEstimatorParamMaps(new ParamGridBuilder().addGrid(mlp.regParam(), new double[] {0.0, 1.0}).build())
        .setNumFolds(2).setParallelism(2).setSeed(3);
    CrossValidatorModel fitted = cv.fit(waves);
    double[] metrics = fitted.avgMetrics();
    assertTrue(metrics[0] < metrics[1], "regParam 1 underfits: RMSE " + java.util.Arrays.toString(metrics));
    PipelineModel best = (PipelineModel) fitted.bestModel();
    LeakyMLPRegressionModel bestMlp = (LeakyMLPRegressionModel) best.stages()[1];
    assertEquals(0.0, bestMlp.getRegParam(), 0.0, "the model says which grid point won");
    String path = dir.resolve("cv").toString();
    fitted.write().save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    List<Row> expected = fitted.transform(waves).select("prediction").collectAsList();
    assertEquals(expected, loaded.transform(waves).select("prediction").collectAsList());
    best.write().save(dir.resolve("pipeline").toString());
    assertEquals(expected, PipelineModel.load(dir.resolve("pipeline").toString()).transform(waves)
        .select("prediction").collectAsList());
    Vector first = (Vector) waves.first().getAs("features");
    assertFalse(Double.isNaN(bestMlp.predict(first)));
    assertEquals(new Network(new int[] {4, 16, 1}, 0.01, Network.Loss.SQUARED_ERROR).numWeights(),
        bestMlp.weights().size());
  }
}
