package dev.leakyspark.onnx;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.onnx.OnnxExport.ElementType;
import dev.leakyspark.onnx.proto.OnnxProto.ModelProto;
import dev.leakyspark.onnx.proto.OnnxProto.NodeProto;
import dev.leakyspark.onnx.proto.OnnxProto.ValueInfoProto;
import dev.leakyspark.testing.OnnxScoring;
import dev.leakyspark.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Binarizer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
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

/**
 * The exported graphs, scored by onnxruntime's Java API, against {@code transform} on the same
 * rows: to 1e-5 of max(1, |value|) in float32, 1e-9 in float64, and the same predictions.
 */
@ExtendWith(SharedSpark.class)
class OnnxExportTest {

  static final double FLOAT_TOLERANCE = 1e-5;
  static final double DOUBLE_TOLERANCE = 1e-9;
  static SparkSession spark;
  /** 200 rows of 6 features on the scale of a few units, with a few rows of large values. */
  static Dataset<Row> rows;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    Random random = new Random(3);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double[] x = new double[6];
      for (int j = 0; j < x.length; j++) {
        x[j] = (i % 50 == 0 ? 40 : 2) * random.nextGaussian();
      }
      data.add(RowFactory.create(x[0], x[1], Vectors.dense(x[2], x[3], x[4], x[5]), Vectors.dense(x)));
    }
    rows = spark.createDataFrame(data, new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
        .add("v", new VectorUDT()).add("features", new VectorUDT())).cache();
  }

  static double[] randomWeights(int n, long seed) {
    Random random = new Random(seed);
    return random.doubles(n).map(u -> random.nextGaussian() * 0.6).toArray();
  }

  static LeakyMLPClassificationModel classifier(int[] layers, double alpha) {
    return new LeakyMLPClassificationModel("mlpc", layers, alpha,
        randomWeights((int) dev.leakyspark.nn.Network.numWeights(layers), 11));
  }

  @Test
  void classifierGraphsMatchTransformInBothElementTypes(@TempDir Path dir) throws Exception {
    LeakyMLPClassificationModel model = classifier(new int[] {6, 16, 8, 4}, 0.01);
    for (ElementType type : ElementType.values()) {
      Path path = dir.resolve(type.name());
      model.write().format("onnx").option("dtype", type.name().toLowerCase()).save(path.toString());
      assertEquals(List.of(OnnxExport.FILE_NAME), list(path));
      byte[] bytes = Files.readAllBytes(path.resolve(OnnxExport.FILE_NAME));
      ModelProto proto = ModelProto.parseFrom(bytes);
      assertEquals(OnnxExport.OPSET, proto.getOpsetImport(0).getVersion());
      assertEquals(type == ElementType.FLOAT ? List.of("Gemm", "LeakyRelu", "Gemm", "LeakyRelu", "Gemm", "Softmax", "ArgMax", "Cast")
          : List.of("Gemm", "PRelu", "Gemm", "PRelu", "Gemm", "Softmax", "ArgMax", "Cast"), ops(proto));
      assertEquals(List.of("features [N, 6]"), shapes(proto.getGraph().getInputList()));
      assertEquals(List.of("rawPrediction [N, 4]", "probability [N, 4]", "prediction [N]"),
          shapes(proto.getGraph().getOutputList()));

      assertClassifierColumns(model.transform(rows), OnnxScoring.score(bytes, type == ElementType.FLOAT,
          Map.of("features", column(rows, "features"))), type, "classifier");
    }
  }

  @Test
  void thresholdsAndSkippedColumnsAreKept() throws Exception {
    LeakyMLPClassificationModel model = classifier(new int[] {6, 12, 3}, 2.5);
    model.setThresholds(new double[] {0.5, 0.2, 0.9}).setRawPredictionCol("").setPredictionCol("label");
    byte[] bytes = OnnxExport.toBytes(model, null, ElementType.DOUBLE);
    ModelProto proto = ModelProto.parseFrom(bytes);
    assertEquals(List.of("probability [N, 3]", "label [N]"), shapes(proto.getGraph().getOutputList()));
    assertTrue(ops(proto).contains("LeakyRelu") && ops(proto).contains("Div"), () -> ops(proto).toString());
    Map<String, double[][]> onnx = OnnxScoring.score(bytes, false, Map.of("features", column(rows, "features")));
    List<Row> spark = model.transform(rows).select("probability", "label").collectAsList();
    double[] expected = scalars(spark, 1);
    assertArrayEquals(expected, onnx.get("label")[0]);
    // the thresholds change some predictions, so the graph applies them
    double[] argmax = Arrays.stream(vectors(spark, 0)).mapToDouble(p -> Vectors.dense(p).argmax()).toArray();
    assertFalse(Arrays.equals(expected, argmax), "the thresholds should move some predictions");
    assertClose(vectors(spark, 0), onnx.get("probability"), DOUBLE_TOLERANCE, "classifier with thresholds DOUBLE probability");
  }

  @Test
  void regressorGraphsMatchTransform(@TempDir Path dir) throws Exception {
    int[] layers = {6, 10, 1};
    double[] weights = randomWeights((int) dev.leakyspark.nn.Network.numWeights(layers), 5);
    weights[weights.length - 1] = 5000; // an output bias on the scale of a standardised label's mean
    LeakyMLPRegressionModel model = new LeakyMLPRegressionModel("mlpr", layers, 0.2, weights);
    for (ElementType type : ElementType.values()) {
      Path path = dir.resolve(type.name());
      model.write().format("onnx").option("dtype", type.name()).save(path.toString());
      byte[] bytes = Files.readAllBytes(path.resolve(OnnxExport.FILE_NAME));
      assertEquals(List.of("prediction [N]"), shapes(ModelProto.parseFrom(bytes).getGraph().getOutputList()));
      Map<String, double[][]> onnx = OnnxScoring.score(bytes, type == ElementType.FLOAT, Map.of("features", column(rows, "features")));
      double[] expected = scalars(model.transform(rows).select("prediction").collectAsList(), 0);
      assertClose(new double[][] {expected}, onnx.get("prediction"),
          type == ElementType.FLOAT ? FLOAT_TOLERANCE : DOUBLE_TOLERANCE, "regressor " + type + " prediction");
    }
  }

  @Test
  void leakyReluKeepsNanSignedZeroAndSlopesAboveOne() throws Exception {
    Dataset<Row> special = spark.createDataFrame(List.of(
            RowFactory.create(Vectors.dense(-0.0, 0.0, Double.NaN, -3.0)),
            RowFactory.create(Vectors.dense(Double.NEGATIVE_INFINITY, 1e300, -1e-300, 7.5))),
        new StructType().add("x", new VectorUDT()));
    // an array<double> column exports as the same [N, size] tensor
    Dataset<Row> arrays = special.select(vector_to_array(col("x"), "float64").as("x"));
    for (double alpha : new double[] {0.01, 2.5}) {
      LeakyReLU relu = new LeakyReLU().setInputCol("x").setOutputCol("y").setAlpha(alpha);
      byte[] bytes = OnnxExport.toBytes(relu, null, ElementType.DOUBLE);
      assertArrayEquals(bytes, OnnxExport.toBytes(relu, arrays.schema(), ElementType.DOUBLE));
      assertEquals(List.of("x [N, x_size]"), shapes(ModelProto.parseFrom(bytes).getGraph().getInputList()));
      double[][] onnx = OnnxScoring.score(bytes, false, Map.of("x", column(special, "x"))).get("y");
      double[][] expected = vectors(relu.transform(special).select("y").collectAsList(), 0);
      for (int i = 0; i < expected.length; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          // bit for bit: -0.0 stays -0.0, NaN stays NaN
          assertEquals(Double.doubleToLongBits(expected[i][j]), Double.doubleToLongBits(onnx[i][j]),
              "alpha " + alpha + " row " + i + " value " + j + ": " + expected[i][j] + " vs " + onnx[i][j]);
        }
      }
    }
  }

  @Test
  void aPipelineExportsAsOneGraphFromItsRawColumns(@TempDir Path dir) throws Exception {
    // a pipeline inside the pipeline: its stages export in place
    Pipeline preparation = new Pipeline().setStages(new PipelineStage[] {
        new VectorAssembler().setInputCols(new String[] {"a", "v", "b"}).setOutputCol("assembled"),
        new StandardScaler().setInputCol("assembled").setOutputCol("scaled").setWithMean(true)});
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        preparation,
        new LeakyReLU().setInputCol("scaled").setOutputCol("activated").setAlpha(0.1),
        classifier(new int[] {6, 8, 3}, 0.05).setFeaturesCol("activated")});
    PipelineModel model = pipeline.fit(rows);
    for (ElementType type : ElementType.values()) {
      Path path = dir.resolve(type.name());
      OnnxExport.writer(model, rows.schema()).option("dtype", type.name()).save(path.toString());
      byte[] bytes = Files.readAllBytes(path.resolve(OnnxExport.FILE_NAME));
      ModelProto proto = ModelProto.parseFrom(bytes);
      // the vector's width follows from the scaler's 6 inputs
      assertEquals(List.of("a [N]", "v [N, 4]", "b [N]"), shapes(proto.getGraph().getInputList()));
      assertEquals(List.of("rawPrediction [N, 3]", "probability [N, 3]", "prediction [N]"),
          shapes(proto.getGraph().getOutputList()));
      Map<String, Object> inputs = new LinkedHashMap<>();
      inputs.put("a", column(rows, "a"));
      inputs.put("v", column(rows, "v"));
      inputs.put("b", column(rows, "b"));
      assertClassifierColumns(model.transform(rows), OnnxScoring.score(bytes, type == ElementType.FLOAT, inputs), type,
          "pipeline");
    }
  }

  @Test
  void unsupportedStagesAndBadOptionsFailClearly(@TempDir Path dir) throws IOException {
    PipelineModel withBinarizer = new Pipeline().setStages(new PipelineStage[] {
        new LeakyReLU().setInputCol("a").setOutputCol("r"),
        new Binarizer("binarize").setInputCol("r").setOutputCol("bits")}).fit(rows);
    IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.toBytes(withBinarizer, rows.schema(), ElementType.FLOAT));
    assertTrue(unsupported.getMessage().contains("stage 1 (binarize) is a org.apache.spark.ml.feature.Binarizer"),
        unsupported::getMessage);

    VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("ab");
    PipelineModel assemble = new Pipeline().setStages(new PipelineStage[] {assembler}).fit(rows);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(assemble, null, ElementType.FLOAT))
        .getMessage().contains("needs the input schema"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> OnnxExport.toBytes(assemble, new StructType().add("a", DataTypes.DoubleType), ElementType.FLOAT))
        .getMessage().contains("reads column b, which the input schema lacks"));

    LeakyMLPClassificationModel model = classifier(new int[] {6, 3}, 0.01);
    String path = dir.resolve("m").toString();
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> model.write().format("onnx").option("dtype", "int8").save(path)).getMessage()
        .contains("dtype must be float or double but got int8"));
    model.write().format("onnx").save(path);
    assertThrows(IOException.class, () -> model.write().format("onnx").save(path));
    model.write().format("onnx").overwrite().save(path);
    assertEquals(List.of(OnnxExport.FILE_NAME), list(dir.resolve("m")));
  }

  // --- helpers

  /** The column as double[] (numbers) or double[][] (vectors). */
  static Object column(Dataset<Row> data, String name) {
    List<Row> values = data.select(name).collectAsList();
    if (values.get(0).get(0) instanceof Vector) {
      return vectors(values, 0);
    }
    return scalars(values, 0);
  }

  static double[][] vectors(List<Row> rows, int field) {
    return rows.stream().map(r -> ((Vector) r.get(field)).toArray()).toArray(double[][]::new);
  }

  static double[] scalars(List<Row> rows, int field) {
    return rows.stream().mapToDouble(r -> r.getDouble(field)).toArray();
  }

  /** The graph's rawPrediction and probability within the type's tolerance of {@code scored}'s, and the same predictions. */
  static void assertClassifierColumns(Dataset<Row> scored, Map<String, double[][]> onnx, ElementType type, String what) {
    List<Row> spark = scored.select("rawPrediction", "probability", "prediction").collectAsList();
    double tolerance = type == ElementType.FLOAT ? FLOAT_TOLERANCE : DOUBLE_TOLERANCE;
    assertClose(vectors(spark, 0), onnx.get("rawPrediction"), tolerance, what + " " + type + " rawPrediction");
    assertClose(vectors(spark, 1), onnx.get("probability"), tolerance, what + " " + type + " probability");
    assertArrayEquals(scalars(spark, 2), onnx.get("prediction")[0], what + " " + type + " prediction");
  }

  /** Every value within {@code tolerance * max(1, |expected|)}; prints the largest relative difference. */
  static void assertClose(double[][] expected, double[][] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + ": rows");
    double largest = 0;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length, what + ": width of row " + i);
      for (int j = 0; j < expected[i].length; j++) {
        double difference = Math.abs(expected[i][j] - actual[i][j]) / Math.max(1, Math.abs(expected[i][j]));
        largest = Math.max(largest, difference);
        int row = i;
        int col = j;
        assertTrue(difference <= tolerance,
            () -> what + " row " + row + " value " + col + ": " + expected[row][col] + " vs " + actual[row][col]);
      }
    }
    System.out.printf("ONNX %s: largest difference %.2e of max(1, |value|)%n", what, largest);
  }

  static List<String> ops(ModelProto proto) {
    return proto.getGraph().getNodeList().stream().map(NodeProto::getOpType)
        .filter(op -> !op.equals("Unsqueeze") && !op.equals("Concat")).collect(Collectors.toList());
  }

  static List<String> shapes(List<ValueInfoProto> values) {
    return values.stream().map(v -> v.getName() + " " + v.getType().getTensorType().getShape().getDimList().stream()
        .map(d -> d.hasDimValue() ? String.valueOf(d.getDimValue()) : d.getDimParam())
        .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.toList());
  }

  static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
    }
  }
}
