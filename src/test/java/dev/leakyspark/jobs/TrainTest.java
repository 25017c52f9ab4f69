package dev.leakyspark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakyspark.data.Generated;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.testing.LogCapture;
import dev.leakyspark.testing.LongFit;
import dev.leakyspark.testing.OnnxScoring;
import dev.leakyspark.testing.SharedSpark;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
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
class TrainTest {

  static SparkSession spark;
  @TempDir static Path data;
  static String train;
  static String test;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    Dataset<Row> rows = Generated.rows(spark, 1500, 30);
    train = data.resolve("train").toString();
    test = data.resolve("test").toString();
    rows.where("id < 1200").write().parquet(train);
    rows.where("id >= 1200").write().parquet(test);
  }

  static JobCall train(String... args) {
    return JobCall.of(Train::run, args);
  }

  static String[] args(Path out, String... more) {
    List<String> all = new ArrayList<>(List.of("--train", train, "--test", test, "--layers", "30,16,10",
        "--max-iter", "15", "--step-size", "0.01", "--seed", "1", "--model", out.resolve("model").toString(),
        "--metrics", out.resolve("metrics").toString()));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Test
  void fitsEvaluatesAndWritesModelMetricsAndCharts(@TempDir Path out) throws Exception {
    JobCall r = train(args(out));
    assertEquals(0, r.status(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics/metrics.json").toFile());
    double accuracy = metrics.get("accuracy").asDouble();
    assertTrue(accuracy > 0.5, "well above the 0.1 of chance: " + accuracy);
    assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "train: test accuracy %.4f", accuracy)), r.out());
    assertEquals(300, metrics.get("testRows").asLong());
    assertEquals(1200, metrics.get("trainRows").asLong());
    assertEquals(15, metrics.get("iterations").asInt());
    assertEquals(15, metrics.get("objectiveHistory").size());
    assertEquals("[30,16,10]", metrics.at("/params/layers").toString());
    String blas = dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName();
    assertEquals("[\"" + blas + "\"]", metrics.get("blas").toString(), "the BLAS the executors (here, this JVM) loaded");
    assertTrue(r.out().contains("train: BLAS    " + blas), r.out());
    assertEquals(1, metrics.at("/params/numPartitions").asInt(), "unset: one per 25000 rows, so 1 for 1200 rows");
    assertEquals("cosine", metrics.at("/params/stepSizeSchedule").asText());
    long cells = 0;
    for (JsonNode row : metrics.get("confusionMatrix")) {
      for (JsonNode cell : row) {
        cells += cell.asLong();
      }
    }
    assertEquals(300, cells);

    // The saved pipeline reproduces the metrics, as Spark's own evaluator computes them.
    Dataset<Row> scored = PipelineModel.load(out.resolve("model").toString()).transform(spark.read().parquet(test));
    MulticlassClassificationEvaluator evaluator = new MulticlassClassificationEvaluator();
    assertEquals(evaluator.setMetricName("accuracy").evaluate(scored), accuracy, 1e-12);
    assertEquals(evaluator.setMetricName("weightedFMeasure").evaluate(scored), metrics.get("weightedF1").asDouble(), 1e-12);

    BufferedImage loss = ImageIO.read(out.resolve("metrics/loss.png").toFile());
    BufferedImage confusion = ImageIO.read(out.resolve("metrics/confusion-matrix.png").toFile());
    assertEquals(800, loss.getWidth());
    assertEquals(720, confusion.getWidth());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("metrics", "model"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging folders left behind");
    }
  }

  @Test
  void regressionFitsTheRegressorAndReportsItsErrors(@TempDir Path out) throws Exception {
    String friedman = out.resolve("friedman").toString();
    Generated.friedman1(spark, 1500, 4).write().parquet(friedman);
    JobCall r = train("--task", "regression", "--train", friedman, "--solver", "l-bfgs", "--max-iter", "40",
        "--layers", "10,16,1", "--model", out.resolve("model").toString(), "--metrics", out.resolve("metrics").toString());
    assertEquals(0, r.status(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics/metrics.json").toFile());
    assertEquals("regression", metrics.get("task").asText());
    double rmse = metrics.get("rmse").asDouble();
    assertTrue(rmse < 2.0, "Friedman #1's label has a standard deviation near 5; the noise alone gives 1: " + rmse);
    assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "train: test RMSE %.4f", rmse)), r.out());
    assertEquals(1500, metrics.get("testRows").asLong() + metrics.get("trainRows").asLong());
    assertEquals(40, metrics.get("iterations").asInt());
    assertEquals("[10,16,1]", metrics.at("/params/layers").toString());
    assertFalse(metrics.has("confusionMatrix"));
    PipelineModel model = PipelineModel.load(out.resolve("model").toString());
    assertTrue(model.stages()[model.stages().length - 1] instanceof LeakyMLPRegressionModel);
    // the held-out 20%, as the job split it, scored by the saved pipeline
    Dataset<Row> held = spark.read().parquet(friedman).randomSplit(new double[] {0.8, 0.2}, 42)[1];
    RegressionEvaluator evaluator = new RegressionEvaluator();
    assertEquals(evaluator.evaluate(model.transform(held)), rmse, 1e-9);
    assertEquals(evaluator.setMetricName("r2").evaluate(model.transform(held)), metrics.get("r2").asDouble(), 1e-9);
    try (Stream<Path> files = Files.list(out.resolve("metrics"))) {
      assertEquals(List.of("loss.png", "metrics.json"), files.map(p -> p.getFileName().toString())
          .filter(name -> !name.endsWith(".crc")).sorted().toList(), "no confusion matrix for a regression");
    }
  }

  @Test
  void scaleOutOptionsReachTheClassifier(@TempDir Path out) throws Exception {
    JobCall r = train(args(out, "--max-iter", "3", "--num-partitions", "3", "--local-steps", "2",
        "--block-momentum", "0.25", "--step-size-schedule", "constant", "--alpha", "0.2", "--block-size", "7",
        "--reg-param", "0.003"));
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("in 3 partitions, blocks of 7, layers [30, 16, 10], alpha 0.2, solver adam, L2 0.003"),
        "the fit's own log line: " + r.err());
    PipelineModel model = PipelineModel.load(out.resolve("model").toString());
    assertEquals(0.2, ((LeakyMLPClassificationModel) model.stages()[model.stages().length - 1]).getAlpha(), 0.0);
    JsonNode params = new ObjectMapper().readTree(out.resolve("metrics/metrics.json").toFile()).get("params");
    assertEquals(3, params.get("numPartitions").asInt());
    assertEquals(2, params.get("localSteps").asInt());
    assertEquals(0.25, params.get("blockMomentum").asDouble(), 0.0);
    assertEquals("constant", params.get("stepSizeSchedule").asText());
    assertTrue(r.err().contains("rounds per epoch of up to 2 local steps on 3 partitions, block momentum 0.25, constant"),
        "the fit's own log line: " + r.err());
    // the classifier's own params check these, and the usage error quotes the param's doc
    for (String[] bad : new String[][] {{"--block-momentum", "1"}, {"--num-partitions", "-1"}, {"--local-steps", "0"},
        {"--step-size-schedule", "linear"}, {"--step-size", "0"}, {"--layers", "30"}, {"--alpha", "NaN"}}) {
      JobCall refused = train(args(out.resolve("bad"), bad));
      assertEquals(2, refused.status(), String.join(" ", bad) + ": " + refused.err());
      assertTrue(refused.err().contains(bad[0] + " " + bad[1] + " is not allowed: "), refused.err());
    }
    JobCall notANumber = train(args(out.resolve("bad"), "--max-iter", "ten"));
    assertTrue(notANumber.err().contains("--max-iter needs a number but got 'ten'"), notANumber.err());
  }

  @LongFit
  void trainsOnWideSparseLibsvmFilesKeepingThemSparse(@TempDir Path dir) throws Exception {
    // 30,000 features, 12 non-zeros a row; the class is told by which of three groups of 40 features appear
    Random random = new Random(5);
    StringBuilder train = new StringBuilder();
    StringBuilder test = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      int label = i % 3;
      java.util.TreeSet<Integer> features = new java.util.TreeSet<>();
      while (features.size() < 4) {
        features.add(1 + label * 40 + random.nextInt(40));
      }
      while (features.size() < 12) {
        features.add(1 + random.nextInt(i < 300 ? 30_000 : 20_000)); // the test file's largest index is smaller
      }
      StringBuilder line = new StringBuilder(Integer.toString(label));
      features.forEach(f -> line.append(' ').append(f).append(":1"));
      (i < 300 ? train : test).append(line).append('\n');
    }
    Files.writeString(dir.resolve("train.libsvm"), train);
    Files.writeString(dir.resolve("test.libsvm"), test);
    JobCall r = train("--input-format", "libsvm", "--train", dir.resolve("train.libsvm").toString(),
        "--test", dir.resolve("test.libsvm").toString(), "--max-iter", "15", "--step-size", "0.01",
        "--model", dir.resolve("m").toString());
    assertEquals(0, r.status(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics/metrics.json").toFile());
    int size = (int) spark.read().format("libsvm").load(dir.resolve("train.libsvm").toString()).first()
        .<org.apache.spark.ml.linalg.Vector>getAs("features").size();
    assertEquals("[" + size + ",64,3]", metrics.at("/params/layers").toString(), "wide inputs: one hidden layer of 64");
    assertEquals("std", metrics.at("/params/standardize").asText(), "no centring, which would expand the vectors");
    assertTrue(metrics.get("accuracy").asDouble() > 0.9, metrics.toString());
    PipelineModel model = PipelineModel.load(dir.resolve("m").toString());
    assertTrue(!((org.apache.spark.ml.feature.StandardScalerModel) model.stages()[0]).getWithMean());
    assertEquals(size, ((LeakyMLPClassificationModel) model.stages()[1]).numFeatures());
    assertTrue(model.transform(spark.read().format("libsvm").option("numFeatures", size)
            .load(dir.resolve("test.libsvm").toString())).select(Train.SCALED).first().get(0)
        instanceof org.apache.spark.ml.linalg.SparseVector, "the scaled rows stay sparse");
  }

  @Test
  void wideDefaultLayersKeepTheFirstLayerWithinTheDefaultMemory() {
    assertEquals(64, Train.wideHidden(Train.WIDE));
    assertEquals(64, Train.wideHidden(1 << 18), "2^18 x 64 took 1.7 GB of 4 (jobs/bench text)");
    assertEquals(32, Train.wideHidden(1 << 19));
    assertEquals(16, Train.wideHidden(1 << 20), "2^20 x 64 ran out of 4 GB, x 16 took 1.8 GB");
    assertEquals(16, Train.wideHidden(1 << 24));
    assertEquals(55, Train.wideHidden(300_000));
  }

  @Test
  void assemblesNumericColumnsInfersLayersAndHoldsOutATestSplit(@TempDir Path dir) throws Exception {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("x1,x2,y\n");
    for (int i = 0; i < 300; i++) {
      double x1 = random.nextGaussian();
      double x2 = random.nextGaussian();
      csv.append(x1).append(',').append(x2).append(',').append(x1 + x2 > 0 ? 1 : 0).append('\n');
    }
    Path file = Files.writeString(dir.resolve("points.csv"), csv);
    Path conf = Files.writeString(dir.resolve("train.properties"),
        "input-format = csv\nfeatures = x1,x2\nlabel = y\nsolver = l-bfgs\nmax-iter = 50\n");
    JobCall r = train("--conf", conf.toString(), "--train", file.toString(), "--max-iter", "30",
        "--model", dir.resolve("m").toString(), "--onnx");
    assertEquals(0, r.status(), r.err());
    JsonNode metrics = new ObjectMapper().readTree(dir.resolve("metrics/metrics.json").toFile());
    assertEquals("[2,256,128,2]", metrics.at("/params/layers").toString());
    assertEquals("l-bfgs", metrics.at("/params/solver").asText());
    assertEquals(30, metrics.at("/params/maxIter").asInt(), "the flag wins over the file");
    assertEquals(300, metrics.get("testRows").asLong() + metrics.get("trainRows").asLong());
    assertTrue(metrics.get("accuracy").asDouble() > 0.9, metrics.toString());
    PipelineModel model = PipelineModel.load(dir.resolve("m").toString());
    assertEquals(3, model.stages().length, "VectorAssembler, StandardScaler, LeakyMLPClassificationModel");
    assertEquals(2, ((LeakyMLPClassificationModel) model.stages()[2]).numFeatures());

    // --onnx: the same pipeline as one graph from the raw columns, beside the model
    assertTrue(r.out().contains("train: onnx    " + dir.resolve("m-onnx/model.onnx")), r.out());
    Dataset<Row> points = spark.read().option("header", true).option("inferSchema", true).csv(file.toString());
    List<Row> scored = model.transform(points).select("x1", "x2", "prediction").collectAsList();
    Map<String, Object> inputs = Map.of(
        "x1", scored.stream().mapToDouble(row -> row.getDouble(0)).toArray(),
        "x2", scored.stream().mapToDouble(row -> row.getDouble(1)).toArray());
    double[] predictions = OnnxScoring.score(Files.readAllBytes(dir.resolve("m-onnx/model.onnx")), true, inputs)
        .get("prediction")[0];
    assertArrayEquals(scored.stream().mapToDouble(row -> row.getDouble(2)).toArray(), predictions);
  }

  @Test
  void existingOutputsAreRefusedAndKeptUnlessOverwriteIsGiven(@TempDir Path out) throws Exception {
    Path model = Files.createDirectories(out.resolve("model"));
    Files.writeString(model.resolve("keep.txt"), "precious");
    JobCall refused = train(args(out, "--max-iter", "1"));
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("Output " + model + " already exists; pass --overwrite to replace it"), refused.err());
    assertEquals("precious", Files.readString(model.resolve("keep.txt")));
    assertFalse(Files.exists(out.resolve("metrics")));

    assertEquals(0, train(args(out, "--max-iter", "1", "--overwrite")).status());
    assertFalse(Files.exists(model.resolve("keep.txt")));
    assertEquals(2, PipelineModel.load(model.toString()).stages().length, "StandardScaler, LeakyMLPClassificationModel");

    JobCall intoInput = train("--train", train, "--test", test, "--model", train + "/model");
    assertEquals(1, intoInput.status());
    assertTrue(intoInput.err().contains("a job never writes into its input"), intoInput.err());
  }

  @Test
  void badDataFailsWithTheColumnAndValueAndWritesNothing(@TempDir Path out) throws Exception {
    JobCall column = train(args(out, "--label", "nope"));
    assertEquals(1, column.status());
    assertTrue(column.err().contains("Column nope does not exist in the --train data. Available: id, label, features"), column.err());

    JobCall type = train(args(out, "--label", "features"));
    assertEquals(1, type.status());
    assertTrue(type.err().contains("Column features of the --train data must be numeric but got vector"), type.err());

    JobCall size = train(args(out, "--layers", "8,4,10"));
    assertEquals(1, size.status());
    assertTrue(size.err().contains("column scaled_features has a vector of size 30 but layers[0] is 8"), size.err());

    String badTest = out.resolve("bad-test").toString();
    spark.read().parquet(test).selectExpr("id", "label + 10 AS label", "features").write().parquet(badTest);
    JobCall label = train("--train", train, "--test", badTest, "--layers", "30,16,10", "--max-iter", "1",
        "--model", out.resolve("model").toString());
    assertEquals(1, label.status());
    assertTrue(label.err().contains("Column label of the test data holds 10.0 but the model knows classes 0..9"), label.err());

    Path empty = Files.createDirectories(out.resolve("empty"));
    JobCall none = train("--train", empty.toString(), "--model", out.resolve("model").toString());
    assertEquals(1, none.status());
    assertTrue(none.err().contains("Cannot read " + empty + " as parquet"), none.err());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("bad-test", "empty"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no model, no metrics, no staging folders");
    }
  }

  @LongFit
  void anEarlierRunsCheckpointsAreResumedOrRefused(@TempDir Path out) throws Exception {
    String checkpoint = out.resolve("ckpt").toString();
    String[] run = args(out.resolve("a"), "--checkpoint", checkpoint, "--checkpoint-interval", "2", "--max-iter", "6");
    try (LogCapture stop = LogCapture.stoppingAt(
        Class.forName("dev.leakyspark.ml.mlp.FitCheckpoints"), "Checkpoint of iteration 4 written")) {
      assertEquals(1, train(run).status(), "the driver dies after the checkpoint of epoch 4");
    }
    JobCall refused = train(run);
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("Checkpoint folder " + checkpoint
        + " holds an earlier run; pass --resume to continue it, or --overwrite to start over"), refused.err());
    List<String> again = new ArrayList<>(List.of(run));
    again.add("--resume");
    JobCall resumed;
    try (LogCapture log = LogCapture.of(Class.forName("dev.leakyspark.ml.mlp.AdamTrainer"))) {
      resumed = train(again.toArray(new String[0]));
      assertEquals(List.of(5, 6), log.numbers("adam epoch (\\d+)/6"), "only the epochs after the checkpoint");
    }
    assertEquals(0, resumed.status(), resumed.err());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("a/metrics/metrics.json").toFile());
    assertEquals(6, metrics.get("iterations").asInt());
    assertEquals(6, metrics.get("objectiveHistory").size());
    try (Stream<Path> files = Files.list(Path.of(checkpoint))) {
      assertEquals(0, files.count(), "the finished run removed its checkpoints");
    }
    assertEquals(0, train(args(out.resolve("b"), "--checkpoint", checkpoint, "--max-iter", "1")).status(),
        "a folder that a finished run left empty is free");

    try (LogCapture stop = LogCapture.stoppingAt(
        Class.forName("dev.leakyspark.ml.mlp.FitCheckpoints"), "Checkpoint of iteration 2 written")) {
      assertEquals(1, train(args(out.resolve("c"), "--checkpoint", checkpoint, "--checkpoint-interval", "2",
          "--max-iter", "6")).status());
    }
    assertEquals(0, train(args(out.resolve("d"), "--checkpoint", checkpoint, "--max-iter", "1", "--overwrite")).status());
    JsonNode fresh = new ObjectMapper().readTree(out.resolve("d/metrics/metrics.json").toFile());
    assertEquals(1, fresh.get("iterations").asInt(), "--overwrite starts over");
  }

  @Test
  void rowAndClassWeightsReachTheFit(@TempDir Path out) throws Exception {
    JobCall balanced = train(args(out.resolve("balanced"), "--max-iter", "2", "--class-weights", "balanced"));
    assertEquals(0, balanced.status(), balanced.err());
    assertTrue(balanced.err().contains("Balanced class weights, n / (k * n_c) for 1200 rows of 10 classes: 0.0: "),
        balanced.err());
    JsonNode params = new ObjectMapper().readTree(out.resolve("balanced/metrics/metrics.json").toFile()).get("params");
    assertEquals("balanced", params.get("classWeights").asText());
    PipelineModel model = PipelineModel.load(out.resolve("balanced/model").toString());
    assertEquals("class_weight",
        ((LeakyMLPClassificationModel) model.stages()[model.stages().length - 1]).getWeightCol());

    JobCall byId = train(args(out.resolve("id"), "--max-iter", "2", "--weight-col", "id"));
    assertEquals(0, byId.status(), byId.err());
    assertEquals("id", new ObjectMapper().readTree(out.resolve("id/metrics/metrics.json").toFile())
        .get("params").get("weightCol").asText());

    JobCall missing = train(args(out.resolve("missing"), "--weight-col", "w"));
    assertTrue(missing.status() != 0 && missing.err().contains("Column w does not exist in the --train data"),
        missing.err());
    JobCall regression = train(args(out.resolve("r"), "--task", "regression", "--class-weights", "balanced"));
    assertEquals(2, regression.status(), regression.err());
    assertTrue(regression.err().contains("--class-weights balanced needs classes"), regression.err());
  }

  @Test
  void validationRowsAreHeldOutScoredAndCharted(@TempDir Path out) throws Exception {
    JobCall r = train(args(out, "--max-iter", "6", "--validation-fraction", "0.25", "--early-stopping-rounds", "2",
        "--dropout", "0.1"));
    assertEquals(0, r.status(), r.err());
    assertTrue(r.err().contains("Holding out about 0.25 of the training rows as validation rows"), r.err());
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics/metrics.json").toFile());
    int epochs = metrics.get("iterations").asInt();
    assertEquals(epochs, metrics.get("validationObjectiveHistory").size());
    int best = metrics.get("bestIteration").asInt();
    assertTrue(best >= 1 && best <= epochs, "best epoch " + best + " of " + epochs);
    assertEquals(0.25, metrics.get("params").get("validationFraction").asDouble(), 0.0);
    assertEquals("validation", metrics.get("params").get("validationCol").asText());
    assertEquals(0.1, metrics.get("params").get("dropout").asDouble(), 0.0);
    assertTrue(r.err().contains("block momentum 0.0, cosine step size 0.01, dropout 0.1"), r.err());
    assertTrue(java.nio.file.Files.size(out.resolve("metrics/loss.png")) > 0);
    for (String[] bad : new String[][] {{"--validation-fraction", "1.5"}, {"--validation-fraction", "half"},
        {"--validation-fraction", "0.1", "--validation-col", "v"}}) {
      JobCall refused = train(args(out.resolve("bad"), bad));
      assertEquals(2, refused.status(), String.join(" ", bad) + ": " + refused.err());
    }
    JobCall missing = train(args(out.resolve("missing"), "--validation-col", "v"));
    assertTrue(missing.status() != 0 && missing.err().contains("Column v does not exist in the --train data"),
        missing.err());
  }

  @Test
  void badOptionsExitWithUsage() {
    for (String[] bad : List.of(
        new String[] {"--layers", "784"},
        new String[] {"--layers", "784,0,10"},
        new String[] {"--solver", "sgd"},
        new String[] {"--max-iter", "-1"},
        new String[] {"--step-size", "0"},
        new String[] {"--standardize", "maybe"},
        new String[] {"--test", "t"},
        new String[] {"--resume"},
        new String[] {"--checkpoint", "c", "--checkpoint-interval", "0"},
        new String[] {"--trian", "t"})) {
      JobCall r = train(bad);
      assertEquals(2, r.status(), String.join(" ", bad));
      assertTrue(r.err().contains("Usage: jobs/train"), r.err());
    }
    assertTrue(train("--layers", "784").err().contains("--layers 784 is not allowed: layers is layer sizes from input"
        + " to output, at least 2 entries, all >= 1"));
    JobCall help = train("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("jobs/train --solver l-bfgs"), help.out());
  }

  @Test
  void evaluationMatchesSparksMulticlassMetrics() {
    assertEquals(0.85, new Evaluation(new long[][] {{8, 2}, {1, 9}}).accuracy(), 1e-15);
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int label = random.nextInt(4);
      int predicted = random.nextInt(10) < 6 ? label : random.nextInt(3); // class 3 is under-predicted
      rows.add(RowFactory.create((double) label, (double) predicted));
    }
    Dataset<Row> predictions = spark.createDataFrame(rows, new StructType()
        .add("label", DataTypes.DoubleType).add("prediction", DataTypes.DoubleType));
    Evaluation ours = TrainReport.evaluate(predictions, "label", "prediction", 4);
    MulticlassClassificationEvaluator spark = new MulticlassClassificationEvaluator();
    assertEquals(spark.setMetricName("accuracy").evaluate(predictions), ours.accuracy(), 1e-12);
    assertEquals(spark.setMetricName("weightedFMeasure").evaluate(predictions), ours.weightedF1(), 1e-12);
    assertEquals(500, ours.total());
    assertThrows(IllegalArgumentException.class, () -> new Evaluation(new long[][] {{1, 2}, {3}}));
    assertEquals(0.0, new Evaluation(new long[][] {{5, 0}, {0, 0}}).f1(1), 0.0);
  }
}
