package dev.leakyspark.ml.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationSummary;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationTrainingSummary;
import org.apache.spark.ml.classification.OneVsRest;
import org.apache.spark.ml.classification.OneVsRestModel;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.util.HasTrainingSummary;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The classifier where MLlib's own classifiers go: OneVsRest, the evaluators, tuning, thresholds. */
@ExtendWith(SharedSpark.class)
class MLlibIntegrationTest {

  static Dataset<Row> blobs;

  @BeforeAll
  static void start(SparkSession session) {
    LeakyMLPClassifierTest.spark = session;
    blobs = TrainingData.blobs(session, 300, 1).repartition(2).cache();
  }

  @Test
  void theModelAnswersEveryParamGetterWithTheValueItWasFittedWith() {
    LeakyMLPClassifier mlp = LeakyMLPClassifierTest.mlp().setSolver(LeakyMLPClassifier.ADAM).setMaxIter(3)
        .setStepSize(0.02).setBlockSize(16).setRegParam(1e-3).setLabelCol("label");
    LeakyMLPClassificationModel model = mlp.fit(blobs);
    assertInstanceOf(ProbabilisticClassificationModel.class, model);
    for (Param<?> p : mlp.params()) {
      assertTrue(model.hasParam(p.name()), "the model has " + p.name());
      Param<?> same = model.getParam(p.name());
      assertEquals(mlp.isDefined(p), model.isDefined(same), p.name());
      if (mlp.isDefined(p)) {
        assertTrue(java.util.Objects.deepEquals(mlp.getOrDefault(p), model.getOrDefault(same)), p.name());
      }
    }
    assertEquals(LeakyMLPClassifier.ADAM, model.getSolver());
    assertEquals(3, model.getMaxIter());
    assertEquals(0.02, model.getStepSize(), 0.0);
    assertEquals(7, model.getSeed());
    assertEquals("label", model.getLabelCol());
  }

  @Test
  void rawPredictionRanksRowsAsTheProbabilityDoesInBinaryClassificationEvaluator() {
    Dataset<Row> rings = LeakyMLPClassifierTest.rings(400, 5).cache();
    BinaryClassificationEvaluator auc = new BinaryClassificationEvaluator();
    // barely trained and trained: a logit alone ranks rows as P(class 1) does only by luck
    for (int maxIter : new int[] {2, 5, 40}) {
      LeakyMLPClassificationModel model = new LeakyMLPClassifier().setLayers(new int[] {2, 8, 2})
          .setMaxIter(maxIter).setSeed(2).fit(rings);
      Dataset<Row> scored = model.transform(rings).cache();
      double byRaw = auc.setRawPredictionCol("rawPrediction").evaluate(scored);
      double byProbability = auc.setRawPredictionCol("probability").evaluate(scored);
      assertEquals(byProbability, byRaw, 1e-12, maxIter + " iterations: rawPrediction[1] must rank as P(class 1)");
      for (Row row : scored.select("rawPrediction").collectAsList()) {
        double[] raw = ((Vector) row.get(0)).toArray();
        assertEquals(0, raw[0] + raw[1], 1e-12, "centred logits");
      }
      if (maxIter == 40) {
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertTrue(accuracy > 0.7 && byRaw > 0.75, "accuracy " + accuracy + ", AUC " + byRaw);
      }
      scored.unpersist();
    }
    rings.unpersist();
  }

  @Test
  void thresholdsEmptyColumnsAndMetadataFollowMLlib() {
    LeakyMLPClassificationModel model = LeakyMLPClassifierTest.mlp().fit(blobs);
    Dataset<Row> scored = model.transform(blobs);
    NominalAttribute prediction = (NominalAttribute) Attribute.fromStructField(scored.schema().apply("prediction"));
    assertEquals(3, prediction.getNumValues().get());
    for (String column : scored.columns()) {
      assertEquals(model.transformSchema(blobs.schema()).apply(column).metadata(), scored.schema().apply(column).metadata(),
          column);
    }

    LeakyMLPClassificationModel onlyPredictions = model.copy(ParamMap.empty()).setRawPredictionCol("")
        .setProbabilityCol("");
    Dataset<Row> slim = onlyPredictions.transform(blobs);
    assertEquals(List.of("label", "features", "prediction"), Arrays.asList(slim.columns()));
    assertEquals(scored.select("prediction").collectAsList(), slim.select("prediction").collectAsList());
    assertEquals(List.of("label", "features"),
        Arrays.asList(model.copy(ParamMap.empty()).setRawPredictionCol("").setProbabilityCol("")
            .setPredictionCol("").transform(blobs).columns()));

    // a zero threshold makes class 2 win every row, as in MLlib
    Dataset<Row> leaning = model.copy(ParamMap.empty()).setThresholds(new double[] {1, 1, 0}).transform(blobs);
    assertEquals(List.of(org.apache.spark.sql.RowFactory.create(2.0)), leaning.select("prediction").distinct().collectAsList());
    Vector first = (Vector) blobs.first().get(1);
    assertEquals(2.0, model.copy(ParamMap.empty()).setThresholds(new double[] {1, 1, 0}).predict(first), 0.0);
    IllegalArgumentException onTheModel = assertThrows(IllegalArgumentException.class,
        () -> model.copy(ParamMap.empty()).setThresholds(new double[] {0.5, 0.5}));
    assertTrue(onTheModel.getMessage().contains("numClasses=3, but thresholds has length 2"), onTheModel.getMessage());
    // the estimator knows the number of classes from its layers, and says so before it trains
    IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
        () -> LeakyMLPClassifierTest.mlp().setThresholds(new double[] {0.5, 0.5}).fit(blobs));
    assertTrue(wrongSize.getMessage().contains("thresholds has 2 entries but layers [4, 8, 3] end in 3 classes"),
        wrongSize.getMessage());
  }

  @Test
  void oneVsRestFitsOneBinaryMlpPerClassAndComesBackFromDisk(@TempDir Path dir) throws Exception {
    OneVsRest ovr = new OneVsRest().setClassifier(new LeakyMLPClassifier().setLayers(new int[] {4, 8, 2})
        .setMaxIter(30).setSeed(7));
    OneVsRestModel model = ovr.fit(blobs);
    assertEquals(3, model.models().length);
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double reached = accuracy.evaluate(model.transform(blobs));
    assertTrue(reached > 0.9, "OneVsRest accuracy " + reached);
    model.write().save(dir.resolve("ovr").toString());
    OneVsRestModel loaded = OneVsRestModel.load(dir.resolve("ovr").toString());
    assertEquals(model.transform(blobs).select("prediction").collectAsList(),
        loaded.transform(blobs).select("prediction").collectAsList());
    assertInstanceOf(LeakyMLPClassificationModel.class, loaded.models()[0]);
  }

  @Test
  void trainValidationSplitTunesTheClassifierInsideAPipelineInParallel(@TempDir Path dir) throws Exception {
    LeakyMLPClassifier mlp = new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setSeed(7)
        .setFeaturesCol("scaled");
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"), mlp});
    ParamMap[] grid = new ParamGridBuilder().addGrid(mlp.maxIter(), new int[] {1, 40}).build();
    TrainValidationSplitModel tuned = new TrainValidationSplit().setEstimator(pipeline).setEstimatorParamMaps(grid)
        .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("logLoss")).setParallelism(2).setSeed(3)
        .fit(blobs);
    org.apache.spark.ml.PipelineModel best = (org.apache.spark.ml.PipelineModel) tuned.bestModel();
    LeakyMLPClassificationModel bestMlp = (LeakyMLPClassificationModel) best.stages()[1];
    assertEquals(40, bestMlp.getMaxIter(), "the best model says which grid point won: " + Arrays.toString(tuned.validationMetrics()));
    assertTrue(tuned.validationMetrics()[1] < tuned.validationMetrics()[0], "log loss falls with training");
    tuned.write().save(dir.resolve("tvs").toString());
    TrainValidationSplitModel loaded = TrainValidationSplitModel.load(dir.resolve("tvs").toString());
    assertArrayEquals(tuned.validationMetrics(), loaded.validationMetrics(), 0.0);
    assertEquals(tuned.transform(blobs).select("prediction").collectAsList(),
        loaded.transform(blobs).select("prediction").collectAsList());
    assertFalse(loaded.transform(blobs).select("probability").isEmpty());
  }
  @Test
  void theSummaryAndEvaluateGiveMLlibsClassificationMetrics(@TempDir Path dir) throws Exception {
    // barely trained, so that the metrics say something; a renamed features column and no prediction column
    Dataset<Row> train = blobs.withColumnRenamed("features", "x");
    Dataset<Row> test = TrainingData.blobs(LeakyMLPClassifierTest.spark, 300, 2).withColumnRenamed("features", "x");
    LeakyMLPClassificationModel model = LeakyMLPClassifierTest.mlp().setMaxIter(1).setFeaturesCol("x")
        .setPredictionCol("").fit(train);
    assertInstanceOf(HasTrainingSummary.class, model);
    assertTrue(model.hasSummary());
    LeakyMLPTrainingSummary summary = model.summary();
    assertInstanceOf(MultilayerPerceptronClassificationTrainingSummary.class, summary);
    LeakyMLPClassificationModel predicting = model.copy(ParamMap.empty()).setPredictionCol("prediction");
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator();
    double accuracy = evaluator.setMetricName("accuracy").evaluate(predicting.transform(train));
    assertTrue(accuracy > 0.4 && accuracy < 0.95, "an informative accuracy: " + accuracy);
    assertEquals(accuracy, summary.accuracy(), 1e-12);
    assertEquals(evaluator.setMetricName("weightedPrecision").evaluate(predicting.transform(train)),
        summary.weightedPrecision(), 1e-12);
    assertArrayEquals(new double[] {0, 1, 2}, summary.labels(), 0.0);
    assertEquals(3, summary.recallByLabel().length);
    assertEquals(summary.objectiveHistory().length - 1, summary.totalIterations());

    MultilayerPerceptronClassificationSummary onTest = model.evaluate(test);
    assertEquals(evaluator.setMetricName("accuracy").evaluate(predicting.transform(test)), onTest.accuracy(), 1e-12);
    assertEquals(evaluator.setMetricName("weightedRecall").evaluate(predicting.transform(test)),
        onTest.weightedRecall(), 1e-12);
    IllegalArgumentException noLabel = assertThrows(IllegalArgumentException.class,
        () -> model.evaluate(test.drop("label")));
    assertTrue(noLabel.getMessage().contains("Input column label does not exist"), noLabel.getMessage());

    model.write().save(dir.resolve("model").toString());
    LeakyMLPClassificationModel loaded = LeakyMLPClassificationModel.load(dir.resolve("model").toString());
    assertFalse(loaded.hasSummary(), "summaries are not saved");
    IllegalStateException none = assertThrows(IllegalStateException.class, loaded::summary);
    assertTrue(none.getMessage().contains("summaries exist only on models fitted in this session"), none.getMessage());
    assertEquals(onTest.accuracy(), loaded.evaluate(test).accuracy(), 0.0);

    // Spark 4.1+'s Connect server offloads a cached model with saveSummary and brings it back with loadSummary
    String saved = dir.resolve("summary").toString();
    model.saveSummary(saved);
    loaded.loadSummary(saved, train);
    assertArrayEquals(summary.objectiveHistory(), loaded.summary().objectiveHistory(), 0.0);
    assertEquals(summary.totalIterations(), loaded.summary().totalIterations());
    assertEquals(summary.numPartitions(), loaded.summary().numPartitions());
    assertEquals(summary.accuracy(), loaded.summary().accuracy(), 0.0);
  }
}
