package dev.leakyspark.ml.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.ml.mlp.AdamTrainer;
import dev.leakyspark.ml.mlp.FitCheckpoints;
import dev.leakyspark.ml.mlp.LbfgsTrainer;
import dev.leakyspark.nn.Network;
import dev.leakyspark.testing.DataFrames;
import dev.leakyspark.testing.LogCapture;
import dev.leakyspark.testing.LongFit;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.StageContract;
import dev.leakyspark.testing.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class LeakyMLPClassifierTest {

  static SparkSession spark;
  static Dataset<Row> blobs;

  /** Three Gaussian blobs in 4 dimensions, 100 rows each, in 4 partitions. */
  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    blobs = TrainingData.blobs(spark, 300, 1).repartition(4).cache();
    blobs.count();
  }

  /** Two concentric rings in 2 dimensions, radius 0 to 1 (class 0) and 1.5 to 2.5 (class 1): no line separates them. */
  static Dataset<Row> rings(int rows, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 2;
      double radius = label == 0 ? random.nextDouble() : 1.5 + random.nextDouble();
      double angle = 2 * Math.PI * random.nextDouble();
      data.add(RowFactory.create((double) label, Vectors.dense(radius * Math.cos(angle), radius * Math.sin(angle))));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    return spark.createDataFrame(data, schema);
  }

  @LongFit
  void theHiddenLayerSeparatesRingsThatNoLinearModelCan() {
    Dataset<Row> train = rings(400, 1).repartition(3).cache();
    Dataset<Row> test = rings(400, 2);
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    double threshold = 0.95;

    double linear = accuracy.evaluate(new org.apache.spark.ml.classification.LogisticRegression().setMaxIter(100)
        .fit(train).transform(test));
    assertTrue(linear < threshold, "a linear model reaches " + linear);
    for (String solver : List.of(LeakyMLPClassifier.LBFGS, LeakyMLPClassifier.ADAM)) {
      LeakyMLPClassifier mlp = new LeakyMLPClassifier().setLayers(new int[] {2, 16, 2}).setSolver(solver).setSeed(3)
          .setMaxIter(solver.equals(LeakyMLPClassifier.ADAM) ? 150 : 200).setStepSize(0.02).setBlockSize(16).setTol(0);
      double mlpAccuracy = accuracy.evaluate(mlp.fit(train).transform(test));
      assertTrue(mlpAccuracy >= threshold, solver + " reaches " + mlpAccuracy + "; logistic regression " + linear);
    }
    train.unpersist();
  }

  static LeakyMLPClassifier mlp() {
    return new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setMaxIter(30).setSeed(7);
  }

  static double accuracy(LeakyMLPClassificationModel model, Dataset<Row> data) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(data));
  }

  @Test
  void estimatorAndModelMeetTheStageContract(@TempDir Path dir) throws Exception {
    LeakyMLPClassificationModel model =
        StageContract.checkEstimator(
            mlp().setMaxIter(5),
            Set.of("layers", "initialWeights", "checkpointDir", "thresholds", "weightCol", "validationIndicatorCol"),
            Set.of("initialWeights", "checkpointDir", "thresholds", "weightCol", "validationIndicatorCol"),
            LeakyMLPClassifier::load, LeakyMLPClassificationModel::load,
            m -> m.weights().toArray(), "label", blobs, dir);
    assertArrayEquals(new int[] {4, 8, 3}, model.getLayers());
  }

  @Test
  void bothSolversSeparateTheBlobs() {
    Dataset<Row> test = TrainingData.blobs(spark, 300, 2);
    LeakyMLPClassificationModel lbfgs = mlp().fit(blobs);
    LeakyMLPClassificationModel adam = mlp().setSolver("adam").setStepSize(0.01).setMaxIter(40).setBlockSize(16).fit(blobs);
    assertTrue(accuracy(lbfgs, test) > 0.95, "l-bfgs accuracy " + accuracy(lbfgs, test));
    assertTrue(accuracy(adam, test) > 0.95, "adam accuracy " + accuracy(adam, test));
    for (LeakyMLPClassificationModel model : List.of(lbfgs, adam)) {
      double[] history = model.summary().objectiveHistory();
      assertTrue(history[history.length - 1] < 0.5 * history[0], java.util.Arrays.toString(history));
      assertTrue(model.summary().totalIterations() <= 40);
    }
    assertEquals(lbfgs.summary().totalIterations() + 1, lbfgs.summary().objectiveHistory().length);
    assertEquals(adam.summary().totalIterations(), adam.summary().objectiveHistory().length);
  }

  @Test
  void transformAgreesWithSingleRowPredictions() {
    LeakyMLPClassificationModel model = mlp().setMaxIter(10).fit(blobs);
    for (Row row : model.transform(blobs).limit(20).collectAsList()) {
      Vector features = row.getAs("features");
      assertArrayEquals(model.predictRaw(features).toArray(), ((Vector) row.getAs("rawPrediction")).toArray(), 1e-12);
      Vector probability = row.getAs("probability");
      assertArrayEquals(model.predictProbability(features).toArray(), probability.toArray(), 1e-12);
      assertEquals(1.0, java.util.Arrays.stream(probability.toArray()).sum(), 1e-12);
      assertEquals(model.predict(features), (Double) row.getAs("prediction"), 0.0);
    }
    assertEquals(4, model.numFeatures());
    assertEquals(3, model.numClasses());
    assertEquals(4 * 8 + 8 + 8 * 3 + 3, model.weights().size());
  }

  @Test
  void transformScoresInBlocksKeepingEveryColumnTheRowOrderAndNulls() {
    LeakyMLPClassificationModel model = mlp().setMaxIter(5).fit(blobs);
    // 300 rows in one partition: two full blocks of 128 and one of 44, with a null vector among them
    List<Row> rows = new ArrayList<>();
    List<Row> source = blobs.collectAsList();
    for (int i = 0; i < source.size(); i++) {
      rows.add(RowFactory.create((long) i, "r" + i, i == 130 ? null : source.get(i).get(1)));
    }
    StructType schema = new StructType().add("id", DataTypes.LongType).add("name", DataTypes.StringType)
        .add("features", new VectorUDT());
    Dataset<Row> input = spark.createDataFrame(rows, schema).coalesce(1);
    List<Row> out = model.transform(input).collectAsList();
    assertEquals(List.of("id", "name", "features", "rawPrediction", "probability", "prediction"),
        List.of(model.transform(input).columns()));
    assertEquals(300, out.size());
    for (int i = 0; i < out.size(); i++) {
      Row row = out.get(i);
      assertEquals(i, row.getLong(0), "the input's order");
      assertEquals("r" + i, row.getString(1));
      if (i == 130) {
        assertTrue(row.isNullAt(3) && row.isNullAt(4) && row.isNullAt(5), "a null vector gets null outputs: " + row);
        continue;
      }
      Vector features = row.getAs("features");
      assertArrayEquals(model.predictRaw(features).toArray(), ((Vector) row.getAs("rawPrediction")).toArray(), 1e-12,
          "row " + i);
      assertEquals(model.predict(features), row.getDouble(5), 0.0, "row " + i);
    }
  }

  @Test
  void sameSeedAndPartitioningGiveTheSameWeights() {
    for (String solver : List.of("l-bfgs", "adam")) {
      double[] first = mlp().setSolver(solver).setMaxIter(5).fit(blobs).weights().toArray();
      double[] second = mlp().setSolver(solver).setMaxIter(5).fit(blobs).weights().toArray();
      assertArrayEquals(first, second, 0.0, solver);
      double[] other = mlp().setSolver(solver).setMaxIter(5).setSeed(8).fit(blobs).weights().toArray();
      assertFalse(java.util.Arrays.equals(first, other), solver + ": another seed, other weights");
    }
  }

  @LongFit
  void fitsAreBitIdenticalWhateverTheInputsPartitioningAndRowOrder() {
    LeakyMLPClassifier adam = mlp().setSolver(LeakyMLPClassifier.ADAM).setStepSize(0.01).setBlockSize(8)
        .setNumPartitions(3).setLocalSteps(2).setBlockMomentum(0.5).setMaxIter(3);
    LeakyMLPClassifier lbfgs = mlp().setNumPartitions(3).setMaxIter(5);
    for (LeakyMLPClassifier estimator : List.of(adam, lbfgs)) {
      double[] reference = estimator.fit(blobs.repartition(1)).weights().toArray();
      for (Dataset<Row> layout : List.of(blobs.repartition(7), blobs.repartition(64),
          blobs.orderBy(org.apache.spark.sql.functions.rand(5)).coalesce(2), blobs.orderBy("label"))) {
        assertArrayEquals(reference, estimator.fit(layout).weights().toArray(), 0.0,
            estimator.getSolver() + " on " + layout.rdd().getNumPartitions() + " input partitions");
      }
      double[] other = estimator.copy(new org.apache.spark.ml.param.ParamMap()).setNumPartitions(4)
          .fit(blobs).weights().toArray();
      assertFalse(java.util.Arrays.equals(reference, other), "another numPartitions is another (valid) fit");
    }
  }

  @Test
  void numPartitionsLocalStepsAndBlockMomentumAreValidated() {
    LeakyMLPClassifier unset = mlp();
    assertEquals(LeakyMLPClassifier.FROM_THE_DATA, unset.getNumPartitions(), "unset: chosen from the data");
    assertThrows(IllegalArgumentException.class, () -> unset.setNumPartitions(-1));
    assertThrows(IllegalArgumentException.class, () -> unset.setLocalSteps(0));
    assertThrows(IllegalArgumentException.class, () -> unset.setBlockMomentum(1.0));
  }


  @LongFit
  void unsetNumPartitionsFollowsTheRowCountNotTheCluster() {
    Dataset<Row> many = TrainingData.blobs(spark, 60_000, 5).repartition(64).cache();
    LeakyMLPClassifier adam = mlp().setSolver("adam").setStepSize(0.01).setMaxIter(2);
    org.apache.spark.SparkConf conf = spark.sparkContext().conf();
    String before = conf.get("spark.default.parallelism", null);
    try {
      LeakyMLPClassificationModel laptop;
      try (LogCapture log = LogCapture.of(dev.leakyspark.ml.mlp.MLPFit.class)) {
        laptop = adam.fit(many);
        assertTrue(log.messages().stream().anyMatch(m -> m.contains("numPartitions unset, so 2 for 60000 rows: one partition"
            + " per 25000 rows, whatever the cluster")), String.valueOf(log.messages()));
      }
      conf.set("spark.default.parallelism", "64"); // what a 64-core cluster gives
      assertEquals(64, spark.sparkContext().defaultParallelism());
      LeakyMLPClassificationModel cluster = adam.fit(many);
      assertEquals(2, laptop.summary().numPartitions());
      assertEquals(2, cluster.summary().numPartitions());
      assertArrayEquals(laptop.weights().toArray(), cluster.weights().toArray(), 0.0, "the same model on any cluster");
    } finally {
      if (before == null) {
        conf.remove("spark.default.parallelism");
      } else {
        conf.set("spark.default.parallelism", before);
      }
      many.unpersist();
    }
    assertEquals(1, mlp().setMaxIter(1).fit(blobs).summary().numPartitions(), "fewer than 2 x 25000 rows: one");
    try (LogCapture log = LogCapture.of(dev.leakyspark.ml.mlp.MLPFit.class)) {
      assertEquals(4, mlp().setMaxIter(1).setNumPartitions(4).fit(blobs).summary().numPartitions(), "a set value wins");
      assertTrue(log.messages().stream().anyMatch(m -> m.contains("numPartitions 4 leaves 75 rows per partition,"
          + " fewer than 25000")), String.valueOf(log.messages()));
    }
  }

  @LongFit
  void lbfgsLossHistoryDoesNotDependOnTheNumberOfPartitions() {
    LeakyMLPClassifier lbfgs = mlp().setTol(0).setMaxIter(15);
    double[] two = lbfgs.setNumPartitions(2).fit(blobs).summary().objectiveHistory();
    double[] sixteen = lbfgs.setNumPartitions(16).fit(blobs).summary().objectiveHistory();
    assertEquals(16, two.length);
    for (int i = 0; i < two.length; i++) {
      assertEquals(two[i], sixteen[i], 1e-9 * Math.abs(two[i]), "iteration " + i);
    }
    assertTrue(two[15] < 0.5 * two[0], java.util.Arrays.toString(two));
  }

  @Test
  void initialWeightsAndRegularisationAreUsed() {
    LeakyMLPClassificationModel base = mlp().setMaxIter(3).fit(blobs);
    LeakyMLPClassificationModel resumed =
        mlp().setMaxIter(0).setInitialWeights(base.weights()).fit(blobs);
    assertArrayEquals(base.weights().toArray(), resumed.weights().toArray(), 0.0);
    double plain = Vectors.norm(mlp().fit(blobs).weights(), 2);
    double decayed = Vectors.norm(mlp().setRegParam(0.1).fit(blobs).weights(), 2);
    assertTrue(decayed < plain, decayed + " vs " + plain);
  }

  /** The one fit folder under {@code dir}. */
  static Path fitFolder(Path dir) throws java.io.IOException {
    List<String> fits = listing(dir).stream().filter(name -> name.startsWith("fit-")).toList();
    assertEquals(1, fits.size(), "one fit's folder: " + listing(dir));
    return dir.resolve(fits.get(0));
  }

  @LongFit
  void adamResumedFromACheckpointEndsWhereAnUninterruptedFitEnds(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    LeakyMLPClassifier adam = mlp().setSolver("adam").setStepSize(0.01).setBlockSize(16).setTol(0)
        .setNumPartitions(2).setLocalSteps(3).setBlockMomentum(0.6).setMaxIter(7); // rounds an epoch, momentum carried
    LeakyMLPClassificationModel straight = adam.copy(new org.apache.spark.ml.param.ParamMap()).fit(blobs);
    adam.setCheckpointDir(checkpoints.toString()).setCheckpointInterval(2);
    TrainingData.fitUntilCheckpoint(adam, blobs, 4); // the driver "dies" after the checkpoint of epoch 4
    assertEquals(List.of("iteration-00000002", "iteration-00000004"), listing(fitFolder(checkpoints)));
    LeakyMLPClassificationModel resumed;
    try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
      resumed = adam.fit(blobs);
      assertEquals(List.of(5, 6, 7), log.numbers("adam epoch (\\d+)/7"), "only the epochs after the checkpoint of epoch 4");
    }
    assertEquals(7, resumed.summary().totalIterations());
    assertArrayEquals(straight.summary().objectiveHistory(), resumed.summary().objectiveHistory(), 0.0);
    assertArrayEquals(straight.weights().toArray(), resumed.weights().toArray(), 0.0,
        "epoch shuffles are seeded by epoch, so the resumed fit repeats the uninterrupted one exactly");
    assertEquals(List.of(), listing(checkpoints), "a finished fit removes its checkpoints");
    try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
      assertArrayEquals(straight.weights().toArray(), adam.fit(blobs).weights().toArray(), 0.0);
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), log.numbers("adam epoch (\\d+)/7"), "a fit after a finished one starts over");
    }
  }

  @LongFit
  void lbfgsResumesWithTheSameIterationCount(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    LeakyMLPClassifier lbfgs = mlp().setTol(0).setMaxIter(8).setCheckpointDir(checkpoints.toString())
        .setCheckpointInterval(3);
    double[] straight = mlp().setTol(0).setMaxIter(8).fit(blobs).summary().objectiveHistory();
    TrainingData.fitUntilCheckpoint(lbfgs, blobs, 3);
    LeakyMLPClassificationModel resumed;
    try (LogCapture log = LogCapture.of(LbfgsTrainer.class)) {
      resumed = lbfgs.fit(blobs);
      assertEquals(List.of(4, 5, 6, 7, 8), log.numbers("l-bfgs iteration (\\d+)/8"),
          "only the iterations after the checkpoint of iteration 3");
    }
    assertEquals(8, resumed.summary().totalIterations());
    double[] history = resumed.summary().objectiveHistory();
    assertEquals(9, history.length);
    assertArrayEquals(java.util.Arrays.copyOf(straight, 4), java.util.Arrays.copyOf(history, 4), 0.0,
        "the history up to the checkpoint of iteration 3 is kept");
    assertTrue(history[8] < history[3], java.util.Arrays.toString(history));
  }

  /** The labels of {@link #blobs} moved round by one class: other data of the same size and features. */
  static Dataset<Row> relabelled(Dataset<Row> data) {
    return data.withColumn("label", org.apache.spark.sql.functions.expr("(label + 1) % 3"));
  }

  @LongFit
  void aFitResumesOnlyItsOwnCheckpointsAndSaysWhatDiffers(@TempDir Path dir) throws Exception {
    String checkpoints = dir.resolve("checkpoints").toString();
    LeakyMLPClassifier adam = mlp().setSolver("adam").setStepSize(0.01).setBlockSize(16).setNumPartitions(2)
        .setMaxIter(6).setCheckpointInterval(2);
    Dataset<Row> other = relabelled(blobs);
    Map<String, LeakyMLPClassifier> variants = new java.util.LinkedHashMap<>();
    variants.put("data hash", adam.copy(new org.apache.spark.ml.param.ParamMap()));
    variants.put("stepSize 0.01 there, 0.02 here", adam.copy(new org.apache.spark.ml.param.ParamMap()).setStepSize(0.02));
    variants.put("seed 7 there, 8 here", adam.copy(new org.apache.spark.ml.param.ParamMap()).setSeed(8));
    variants.put("maxIter 6 there, 9 here", adam.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(9));
    TrainingData.fitUntilCheckpoint(adam.copy(new org.apache.spark.ml.param.ParamMap()).setCheckpointDir(checkpoints), blobs, 4);
    for (Map.Entry<String, LeakyMLPClassifier> variant : variants.entrySet()) {
      Dataset<Row> data = variant.getKey().equals("data hash") ? other : blobs;
      double[] clean = variant.getValue().fit(data).weights().toArray();
      try (LogCapture log = LogCapture.of(FitCheckpoints.class)) {
        double[] after = variant.getValue().setCheckpointDir(checkpoints).fit(data).weights().toArray();
        assertArrayEquals(clean, after, 0.0, variant.getKey() + ": the unfinished fit's checkpoint is not resumed");
        String warning = log.messages().stream().filter(m -> m.contains("is of another fit")).findFirst().orElse("");
        assertTrue(warning.contains(variant.getKey()), warning);
        assertFalse(log.messages().stream().anyMatch(m -> m.contains("resuming")), String.valueOf(log.messages()));
      }
    }
    // the unfinished fit is still resumable after all that, by itself only
    try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
      adam.setCheckpointDir(checkpoints).fit(blobs);
      assertEquals(List.of(5, 6), log.numbers("adam epoch (\\d+)/6"));
    }
  }

  @LongFit
  void crossValidationGivesTheSameSubModelsWithACheckpointDirAsWithout(@TempDir Path dir) throws Exception {
    LeakyMLPClassifier adam = mlp().setSolver("adam").setBlockSize(16).setNumPartitions(2).setMaxIter(4)
        .setCheckpointInterval(1);
    org.apache.spark.ml.param.ParamMap[] grid = new org.apache.spark.ml.tuning.ParamGridBuilder()
        .addGrid(adam.stepSize(), new double[] {0.01, 0.03}).build();
    List<List<double[]>> runs = new ArrayList<>();
    for (String checkpointDir : new String[] {null, dir.resolve("shared").toString()}) {
      LeakyMLPClassifier estimator = adam.copy(new org.apache.spark.ml.param.ParamMap());
      if (checkpointDir != null) {
        estimator.setCheckpointDir(checkpointDir);
      }
      org.apache.spark.ml.tuning.CrossValidatorModel cv = new org.apache.spark.ml.tuning.CrossValidator()
          .setEstimator(estimator).setEstimatorParamMaps(grid).setNumFolds(2).setSeed(3).setParallelism(2)
          .setCollectSubModels(true).setEvaluator(new MulticlassClassificationEvaluator()).fit(blobs);
      List<double[]> weights = new ArrayList<>();
      for (org.apache.spark.ml.Model<?>[] fold : cv.subModels()) {
        for (org.apache.spark.ml.Model<?> model : fold) {
          weights.add(((LeakyMLPClassificationModel) model).weights().toArray());
        }
      }
      runs.add(weights);
    }
    for (int i = 0; i < runs.get(0).size(); i++) {
      assertArrayEquals(runs.get(0).get(i), runs.get(1).get(i), 0.0, "sub-model " + i);
    }
    assertEquals(List.of(), listing(dir.resolve("shared")), "every finished fit removed its checkpoints");
  }

  @LongFit
  void checkpointsKeepTheNewestTwoSkipIncompleteOnesAndRefuseUnreadableOnes(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    LeakyMLPClassifier lbfgs = mlp().setTol(0).setMaxIter(8).setCheckpointDir(checkpoints.toString())
        .setCheckpointInterval(1);
    TrainingData.fitUntilCheckpoint(lbfgs, blobs, 4);
    Path fit = fitFolder(checkpoints);
    assertEquals(List.of("iteration-00000003", "iteration-00000004"), listing(fit), "the newest two are kept");

    Files.delete(fit.resolve("iteration-00000004/_SUCCESS")); // as if the driver died while writing it
    try (LogCapture log = LogCapture.of(LbfgsTrainer.class)) {
      TrainingData.fitUntilCheckpoint(lbfgs, blobs, 5);
      assertEquals(List.of(4, 5), log.numbers("l-bfgs iteration (\\d+)/8"), "resumed from iteration 3");
    }

    Path newest = fit.resolve("iteration-00000005");
    try (var files = Files.list(newest)) {
      for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        Files.write(part, new byte[] {1, 2, 3});
      }
    }
    Exception corrupt = assertThrows(java.io.UncheckedIOException.class, () -> lbfgs.fit(blobs));
    assertTrue(corrupt.getMessage().contains("Cannot read the training checkpoint " + "file:" + newest), corrupt.getMessage());

    Path future = fit.resolve("iteration-00000099");
    spark.read().parquet(fit.resolve("iteration-00000004").toString())
        .withColumn("formatVersion", org.apache.spark.sql.functions.lit(99))
        .write().parquet(future.toString());
    Exception version = assertThrows(java.io.UncheckedIOException.class, () -> lbfgs.fit(blobs));
    assertTrue(version.getMessage().contains("Training checkpoint file:" + future
        + " has format version 99, but this leaky-spark reads versions 4 and 5"), version.getMessage());

    // the weights, moments and momentum are a stream of doubles beside the Parquet row
    deleteRecursively(future);
    deleteRecursively(newest);
    Path arrays = fit.resolve("iteration-00000004/_arrays");
    Files.write(arrays, java.util.Arrays.copyOf(Files.readAllBytes(arrays), 80));
    Exception truncated = assertThrows(java.io.UncheckedIOException.class, () -> lbfgs.fit(blobs));
    assertTrue(truncated.getMessage().contains("_arrays should hold"), truncated.getMessage());
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void checkpointIntervalMinusOneTurnsCheckpointsOff(@TempDir Path dir) throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    LeakyMLPClassifier lbfgs = mlp().setMaxIter(4).setCheckpointDir(checkpoints.toString());
    try (LogCapture log = LogCapture.of(FitCheckpoints.class)) {
      double[] off = lbfgs.setCheckpointInterval(LeakyMLPClassifier.NO_CHECKPOINTS).fit(blobs).weights().toArray();
      assertEquals(List.of(), log.messages());
      assertFalse(Files.exists(checkpoints), "nothing written");
      assertArrayEquals(mlp().setMaxIter(4).fit(blobs).weights().toArray(), off, 0.0);
      lbfgs.setCheckpointInterval(1).fit(blobs);
      assertEquals(4, log.numbers("Checkpoint of iteration (\\d+) written").size(), "and 1 turns them on");
    }
    assertThrows(IllegalArgumentException.class, () -> mlp().setCheckpointInterval(0));
    assertThrows(IllegalArgumentException.class, () -> mlp().setCheckpointInterval(-2));
  }

  private static List<String> listing(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void badTrainingDataIsRefusedBeforeTraining() {
    assertFitError(rows(RowFactory.create(2.5, Vectors.dense(1, 2, 3, 4))),
        "column label holds 2.5 but labels must be integers in [0, 3) for an output layer of 3");
    assertFitError(rows(RowFactory.create(-1.0, Vectors.dense(1, 2, 3, 4))), "column label holds -1.0");
    assertFitError(rows(RowFactory.create(3.0, Vectors.dense(1, 2, 3, 4))), "column label holds 3.0");
    assertFitError(rows(RowFactory.create(null, Vectors.dense(1, 2, 3, 4))), "column label holds null");
    assertFitError(rows(RowFactory.create(1.0, Vectors.dense(1, 2, 3))),
        "column features has a vector of size 3 but layers[0] is 4");
    assertFitError(rows(RowFactory.create(1.0, Vectors.dense(1, Double.NaN, 3, 4))),
        "column features holds NaN; features must be finite");
    assertFitError(rows(RowFactory.create(1.0, Vectors.sparse(4, new int[] {1}, new double[] {Double.POSITIVE_INFINITY}))),
        "column features holds Infinity");
    assertFitError(rows(RowFactory.create(1.0, null)), "column features holds a null vector");
    assertFitError(blobs.limit(0), "the training data is empty");
    assertFitError(blobs.withColumnRenamed("features", "x"), "Input column features does not exist. Available: label, x");
    assertFitError(blobs.withColumn("features", blobs.col("label")), "Input column features must be of type vector but got double");
  }

  @Test
  void aSingleClassAndASingleRowTrain() {
    Dataset<Row> zeros = blobs.where("label = 0");
    LeakyMLPClassificationModel single = mlp().setMaxIter(10).fit(zeros);
    assertEquals(1.0, new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(single.transform(zeros)), 0.0,
        "a single class is learnt; the other outputs stay possible, as layers says");
    assertEquals(3, single.numClasses());
    Dataset<Row> one = blobs.limit(1);
    LeakyMLPClassificationModel fromOne = mlp().setMaxIter(5).fit(one);
    assertEquals(one.first().getDouble(0), fromOne.predict(one.first().getAs("features")), 0.0);
    double[] history = fromOne.summary().objectiveHistory();
    assertTrue(history[history.length - 1] < history[0], java.util.Arrays.toString(history));
  }

  @Test
  void paramsAtTheirBoundsAreAccepted() {
    LeakyMLPClassificationModel untrained = mlp().setMaxIter(0).fit(blobs);
    assertEquals(0, untrained.summary().totalIterations());
    assertArrayEquals(new Network(new int[] {4, 8, 3}, 0.01).initialWeights(7), untrained.weights().toArray(), 0.0,
        "maxIter 0 keeps the He initialisation of the seed");
    LeakyMLPClassificationModel tiny = mlp().setLayers(new int[] {4, 1, 3}).setBlockSize(1).setTol(0).setRegParam(0)
        .setAlpha(0).setMaxIter(3).fit(blobs);
    assertEquals(3, tiny.summary().totalIterations());
    for (double alpha : new double[] {-1.5, 0.0, 1.0, 3.0}) {
      LeakyMLPClassificationModel model = mlp().setAlpha(alpha).setMaxIter(20).fit(blobs);
      assertTrue(java.util.Arrays.stream(model.weights().toArray()).allMatch(Double::isFinite), "alpha " + alpha);
    }
    LeakyMLPClassificationModel adam = mlp().setSolver("adam").setStepSize(Double.MIN_VALUE).setMaxIter(1).setBlockSize(1000).fit(blobs);
    assertEquals(1, adam.summary().totalIterations());
  }

  static Dataset<Row> rows(Row... rows) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    List<Row> all = new ArrayList<>(blobs.limit(10).collectAsList());
    all.addAll(List.of(rows));
    return spark.createDataFrame(all, schema);
  }

  static void assertFitError(Dataset<Row> data, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mlp().fit(data));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void invalidParamsAreRefused() {
    LeakyMLPClassifier mlp = new LeakyMLPClassifier();
    IllegalArgumentException unset = assertThrows(IllegalArgumentException.class, () -> mlp.fit(blobs));
    assertTrue(unset.getMessage().contains("layers is not set"), unset.getMessage());
    assertThrows(IllegalArgumentException.class, () -> mlp.setLayers(new int[] {4}));
    assertThrows(IllegalArgumentException.class, () -> mlp.setLayers(new int[] {4, 0, 3}));
    assertThrows(IllegalArgumentException.class, () -> mlp.setSolver("sgd"));
    assertThrows(IllegalArgumentException.class, () -> mlp.setMaxIter(-1));
    assertThrows(IllegalArgumentException.class, () -> mlp.setTol(-1e-9));
    assertThrows(IllegalArgumentException.class, () -> mlp.setStepSize(0));
    assertThrows(IllegalArgumentException.class, () -> mlp.setBlockSize(0));
    assertThrows(IllegalArgumentException.class, () -> mlp.setRegParam(-0.1));
    assertThrows(IllegalArgumentException.class, () -> mlp.setAlpha(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> mlp.setInitialWeights(Vectors.dense(Double.NaN)));
    mlp.setLayers(new int[] {4, 3}).setInitialWeights(Vectors.dense(1, 2));
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> mlp.fit(blobs));
    assertEquals("initialWeights has 2 entries but layers [4, 3] need 15", size.getMessage());
    assertEquals(0, mlp.setMaxIter(0).getMaxIter());
    assertEquals(1, mlp.setBlockSize(1).getBlockSize());
  }

  @Test
  void modelRefusesFeaturesOfAnotherSize() {
    LeakyMLPClassificationModel model = mlp().setMaxIter(2).fit(blobs);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.predict(Vectors.dense(1, 2)));
    assertEquals("LeakyMLPClassificationModel: column features has a vector of size 2 but the model takes 4 features", e.getMessage());
    Dataset<Row> small = rows().limit(0).union(spark.createDataFrame(
        List.of(RowFactory.create(0.0, Vectors.dense(1, 2))), rows().schema()));
    Exception failure = assertThrows(Exception.class, () -> model.transform(small).collect());
    assertTrue(String.valueOf(failure.getCause()).contains("has a vector of size 2 but the model takes 4"),
        String.valueOf(failure.getCause()));
  }

  @Test
  void savedModelsFromAFutureFormatAreRefused(@TempDir Path dir) throws Exception {
    LeakyMLPClassificationModel model = mlp().setMaxIter(1).fit(blobs);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    Dataset<Row> data = spark.read().parquet(path + "/data");
    data.withColumn("formatVersion", data.col("formatVersion").plus(1))
        .write().mode(SaveMode.Overwrite).parquet(dir.resolve("future").toString());
    spark.read().parquet(dir.resolve("future").toString())
        .write().mode(SaveMode.Overwrite).parquet(path + "/data");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LeakyMLPClassificationModel.load(path));
    assertTrue(e.getMessage().contains("saved in format 2 by a newer leaky-spark"), e.getMessage());
    String missing = dir.resolve("missing").toString();
    IllegalStateException absent = assertThrows(IllegalStateException.class, () -> LeakyMLPClassificationModel.load(missing));
    assertTrue(absent.getMessage().startsWith("Cannot load " + LeakyMLPClassificationModel.class.getName() + " from "
        + missing + ": its metadata is missing or unreadable"), absent.getMessage());
    Files.delete(Files.list(dir.resolve("model/metadata")).filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().orElseThrow());
    IllegalStateException noMetadata = assertThrows(IllegalStateException.class, () -> LeakyMLPClassificationModel.load(path));
    assertTrue(noMetadata.getMessage().contains(path + ": its metadata is missing or unreadable"), noMetadata.getMessage());
    IllegalStateException stage = assertThrows(IllegalStateException.class, () -> LeakyMLPClassifier.load(path));
    assertTrue(stage.getMessage().startsWith("Cannot load a saved stage from " + path), stage.getMessage());
  }

  @Test
  void pipelineWithScalerAndLeakyReluSavesLoadsAndPredictsIdentically(@TempDir Path dir) throws Exception {
    Dataset<Row> arrays = blobs.select(blobs.col("label"),
        org.apache.spark.ml.functions.vector_to_array(blobs.col("features"), "float64").as("x"));
    Dataset<Row> columns = arrays.select(arrays.col("label"), arrays.col("x").getItem(0).as("a"),
        arrays.col("x").getItem(1).as("b"), arrays.col("x").getItem(2).as("c"), arrays.col("x").getItem(3).as("d"));
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"}).setOutputCol("raw"),
        new StandardScaler().setInputCol("raw").setOutputCol("scaled"),
        new LeakyReLU().setInputCol("scaled").setOutputCol("features").setAlpha(0.2),
        mlp().setMaxIter(15)});
    PipelineModel model = pipeline.fit(columns);
    model.write().save(dir.resolve("pipeline").toString());
    PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
    DataFrames.assertEquals(
        model.transform(columns).select("rawPrediction", "probability", "prediction"),
        loaded.transform(columns).select("rawPrediction", "probability", "prediction"));
    assertTrue(new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(loaded.transform(columns)) > 0.9);
  }
}
