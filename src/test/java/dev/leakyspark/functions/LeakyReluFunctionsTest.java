package dev.leakyspark.functions;

import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.sql.LeakyReluSqlFunction;
import dev.leakyspark.sql.LeakyReluExtensions;
import dev.leakyspark.testing.DataFrames;
import dev.leakyspark.testing.SharedSpark;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.execution.ExtendedMode$;
import org.apache.spark.sql.execution.debug.package$;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.SparkThrowableHelper;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedSpark.class)
class LeakyReluFunctionsTest {

  static final Double[] EDGES = {
    -2.0, 3.0, 0.0, -0.0, null, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
    -Double.MIN_VALUE, Double.MAX_VALUE
  };

  static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  static Dataset<Row> frame(DataType type, Object... values) {
    StructType schema = new StructType().add("x", type, true);
    List<Row> rows = Arrays.stream(values).map(v -> RowFactory.create(v)).toList();
    return spark.createDataFrame(rows, schema);
  }

  static void assertSameBits(double expected, double actual) {
    assertEquals(
        Double.doubleToRawLongBits(expected),
        Double.doubleToRawLongBits(actual),
        () -> "expected " + expected + " but got " + actual);
  }

  @Test
  void doubleColumnFollowsTheKernelOnEdgesAndKeepsNull() {
    for (double alpha : new double[] {0.01, 2.0, 0.0, -0.5}) {
      List<Row> rows =
          frame(DataTypes.DoubleType, (Object[]) EDGES).select(leakyRelu(col("x"), alpha)).collectAsList();
      for (int i = 0; i < EDGES.length; i++) {
        if (EDGES[i] == null) {
          assertTrue(rows.get(i).isNullAt(0));
        } else {
          assertSameBits(LeakyRelu.apply(EDGES[i], alpha), rows.get(i).getDouble(0));
        }
      }
    }
  }

  @Test
  void integralAndDecimalColumnsBecomeDouble() {
    Dataset<Row> df =
        spark.sql(
            "SELECT CAST(-4 AS TINYINT) b, CAST(-4 AS SMALLINT) s, -4 i, CAST(-4 AS BIGINT) l,"
                + " CAST(-4.5 AS DECIMAL(10, 2)) d");
    Dataset<Row> out =
        df.select(
            leakyRelu(col("b"), 0.5), leakyRelu(col("s"), 0.5), leakyRelu(col("i"), 0.5),
            leakyRelu(col("l"), 0.5), leakyRelu(col("d"), 0.5));
    for (StructField field : out.schema().fields()) {
      assertEquals(DataTypes.DoubleType, field.dataType(), field.name());
    }
    assertEquals(RowFactory.create(-2.0, -2.0, -2.0, -2.0, -2.25), out.first());
    assertEquals(
        -1.0, frame(DataTypes.createDecimalType(10, 2), new BigDecimal("-2.00"))
            .select(leakyRelu(col("x"), 0.5)).first().getDouble(0), 0.0);
  }

  @Test
  void floatStaysFloat() {
    Dataset<Row> out = frame(DataTypes.FloatType, -2.0f, 5.0f, null).select(leakyRelu(col("x"), 0.1));
    assertEquals(DataTypes.FloatType, out.schema().fields()[0].dataType());
    List<Row> rows = out.collectAsList();
    assertEquals(LeakyRelu.apply(-2.0f, 0.1f), rows.get(0).getFloat(0), 0.0f);
    assertEquals(5.0f, rows.get(1).getFloat(0), 0.0f);
    assertTrue(rows.get(2).isNullAt(0));
  }

  @Test
  void doubleArrayKeepsTypeAndNullElements() {
    DataType type = DataTypes.createArrayType(DataTypes.DoubleType, true);
    Dataset<Row> df =
        frame(type, List.of(-1.0, 2.0), Arrays.asList(-3.0, null, -0.0), null, List.of());
    Dataset<Row> out = df.select(leakyRelu(col("x"), 0.5).as("x"));
    Dataset<Row> expected =
        frame(type, List.of(-0.5, 2.0), Arrays.asList(-1.5, null, -0.0), null, List.of());
    DataFrames.assertEquals(expected, out);
    Row withNull = out.collectAsList().get(1);
    assertSameBits(-0.0, withNull.<Double>getList(0).get(2));
  }

  @Test
  void floatArrayKeepsFloatElements() {
    DataType type = DataTypes.createArrayType(DataTypes.FloatType, false);
    Dataset<Row> out = frame(type, List.of(-1.0f, 4.0f)).select(leakyRelu(col("x"), 0.25).as("x"));
    DataFrames.assertEquals(frame(type, List.of(-0.25f, 4.0f)), out);
  }

  @Test
  void denseAndSparseVectorsKeepTheirKind() {
    Vector dense = Vectors.dense(-1.0, 0.0, 2.0, -0.0);
    Vector sparse = Vectors.sparse(10, new int[] {1, 7}, new double[] {-4.0, 3.0});
    List<Row> rows =
        frame(new VectorUDT(), dense, sparse, null).select(leakyRelu(col("x"), 0.5)).collectAsList();
    DenseVector d = (DenseVector) rows.get(0).get(0);
    assertArrayEquals(new double[] {-0.5, 0.0, 2.0, -0.0}, d.values(), 0.0);
    assertSameBits(-0.0, d.apply(3));
    SparseVector s = (SparseVector) rows.get(1).get(0);
    assertEquals(10, s.size());
    assertArrayEquals(new int[] {1, 7}, s.indices());
    assertArrayEquals(new double[] {-2.0, 3.0}, s.values(), 0.0);
    assertNull(rows.get(2).get(0));
  }

  @Test
  void unsafeAndGenericInputsGiveTheSameRows() {
    StructType schema =
        new StructType()
            .add("v", new VectorUDT())
            .add("d", DataTypes.createArrayType(DataTypes.DoubleType, true))
            .add("f", DataTypes.createArrayType(DataTypes.FloatType, true));
    List<Row> rows =
        List.of(
            RowFactory.create(Vectors.dense(-1.0, -0.0, Double.NaN), Arrays.asList(-2.0, null, -0.0),
                Arrays.asList(-2.0f, null, 3.0f)),
            RowFactory.create(Vectors.sparse(6, new int[] {2, 5}, new double[] {-8.0, 1.0}),
                List.of(), Arrays.asList((Float) null)),
            RowFactory.create(null, null, null));
    // A local relation reaches the methods as generic rows and arrays, a cached one as unsafe.
    Dataset<Row> local = spark.createDataFrame(rows, schema);
    Dataset<Row> cached = spark.createDataFrame(rows, schema).cache();
    cached.count();
    for (double alpha : new double[] {0.01, 3.0, -1.0}) {
      Column[] columns = {
        leakyRelu(col("v"), alpha).as("v"), leakyRelu(col("d"), alpha).as("d"),
        leakyRelu(col("f"), alpha).as("f")
      };
      Dataset<Row> expected = local.select(columns);
      DataFrames.assertEquals(expected, cached.select(columns));
      Row first = cached.select(columns).first();
      assertSameBits(LeakyRelu.apply(-0.0, alpha), ((Vector) first.get(0)).apply(1));
      assertNull(first.getList(1).get(1));
      assertSameBits(LeakyRelu.apply(-0.0, alpha), first.<Double>getList(1).get(2));
      assertEquals(LeakyRelu.apply(-2.0f, (float) alpha), first.<Float>getList(2).get(0), 0.0f);
      SparseVector sparse = (SparseVector) cached.select(columns).collectAsList().get(1).get(0);
      assertArrayEquals(new int[] {2, 5}, sparse.indices());
      assertArrayEquals(new double[] {LeakyRelu.apply(-8.0, alpha), 1.0}, sparse.values(), 0.0);
    }
    cached.unpersist();
  }

  @Test
  void generatedCodeCallsTheKernelStatically() {
    // cached, so the optimizer cannot fold the projection into a local relation
    Dataset<Row> vectors =
        frame(new VectorUDT(), Vectors.dense(-1.0)).cache().select(leakyRelu(col("x")));
    Dataset<Row> doubles = spark.range(3).toDF("x").select(leakyRelu(col("x")));
    frame(DataTypes.createArrayType(DataTypes.DoubleType), List.of(-1.0))
        .cache()
        .createOrReplaceTempView("arrays");
    Dataset<Row> sql = spark.sql("SELECT leaky_relu(x, 0.2) FROM arrays");
    Map<String, Dataset<Row>> cases = Map.of("invokeVector", vectors, "invoke", doubles, "invokeDoubles", sql);
    for (Map.Entry<String, Dataset<Row>> c : cases.entrySet()) {
      Dataset<Row> df = c.getValue();
      assertTrue(df.queryExecution().explainString(ExtendedMode$.MODULE$).matches("(?s).*static_?invoke\\(.*"));
      df.collect();
      // The whole-stage generated Java source calls the method directly, with unboxed values.
      String code = package$.MODULE$.codegenString(df.queryExecution().executedPlan());
      String call = "dev.leakyspark.sql.LeakyReluTargets." + c.getKey() + "(";
      assertTrue(code.contains(call), () -> call + " not in\n" + code);
    }
  }

  @Test
  void sqlFunctionTakesAnOptionalConstantAlpha() {
    Row row = spark.sql("SELECT leaky_relu(-2.0), leaky_relu(-2, 0.5), leaky_relu(-2D, 0.25 * 2),"
        + " leaky_relu(3, 7)").first();
    assertEquals(RowFactory.create(-0.02, -1.0, -1.0, 3.0), row);
    // -0.0D stays a negative zero (a decimal -0.0 would not): -0.0 * -2 = +0.0, bit for bit
    assertSameBits(0.0, spark.sql("SELECT leaky_relu(-2D, -0.0D)").first().getDouble(0));
    assertSameBits(-0.0, spark.sql("SELECT leaky_relu(2D, -0.0D) * -0.0D").first().getDouble(0));
  }

  @Test
  void sqlErrorsNameTheFunctionAndTheType() {
    assertAnalysisError("SELECT leaky_relu('a')",
        "leaky_relu: input must be numeric, array<float>, array<double> or vector, but got 'a' of type string");
    assertAnalysisError("SELECT leaky_relu(array(1, 2))",
        "leaky_relu: input must be numeric, array<float>, array<double> or vector, but got array(1, 2) of type array<int>");
    assertAnalysisError("SELECT leaky_relu(x, x) FROM VALUES (1.0) AS t(x)",
        "leaky_relu: alpha must be a constant number, but got t.x of type decimal(2,1)");
    assertAnalysisError("SELECT leaky_relu(1.0, 'a')",
        "leaky_relu: alpha must be a constant number, but got 'a' of type string");
    assertAnalysisError("SELECT leaky_relu(1.0, CAST(NULL AS DOUBLE))", "leaky_relu: alpha must not be null");
    assertAnalysisError("SELECT leaky_relu(1.0, double('NaN'))", "leaky_relu: alpha must be finite but got NaN");
    // infinite alphas that reach leaky_relu's own check (a literal 1e400D stops in Spark's parser)
    assertAnalysisError("SELECT leaky_relu(1.0, double('Infinity'))", "leaky_relu: alpha must be finite but got Infinity");
    assertAnalysisError("SELECT leaky_relu(1.0, -1e300D * 1e300D)", "leaky_relu: alpha must be finite but got -Infinity");
    assertAnalysisError("SELECT leaky_relu()", "leaky_relu takes 1 or 2 arguments (x[, alpha]) but got 0");
    assertAnalysisError("SELECT leaky_relu(1, 2, 3)", "leaky_relu takes 1 or 2 arguments (x[, alpha]) but got 3");
  }

  static void assertAnalysisError(String sql, String message) {
    AnalysisException e = assertThrows(AnalysisException.class, () -> spark.sql(sql).collect(), sql);
    assertTrue(e.getMessage().contains(message), e.getMessage());
    // clients such as PySpark 4 format the error from its condition and parameters
    assertEquals(message, SparkThrowableHelper.getMessage(e.getErrorClass(), e.getMessageParameters()), sql);
  }

  @Test
  void resolvedColumnsAreCheckedAtOnce() {
    Dataset<Row> strings = spark.sql("SELECT 'a' AS s");
    AnalysisException e = assertThrows(AnalysisException.class, () -> leakyRelu(strings.col("s")));
    assertTrue(e.getMessage().contains("but got s of type string"), e.getMessage());
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> leakyRelu(col("x"), Double.POSITIVE_INFINITY));
    assertEquals("leaky_relu: alpha must be finite but got Infinity", bad.getMessage());
  }

  @Test
  void columnsByNameRegisterNothingAndAreCheckedAtAnalysis() {
    SparkSession fresh = spark.newSession();
    fresh.sessionState().functionRegistry().dropFunction(LeakyReluSqlFunction.identifier());
    SparkSession.setActiveSession(fresh);
    try {
      Column byName = leakyRelu(col("x"), 0.5);
      Dataset<Row> df = fresh.sql("SELECT CAST(id AS DOUBLE) - 1 AS x, 'a' AS s FROM range(3)");
      assertEquals(List.of(-0.5, 0.0, 1.0), df.select(byName).as(Encoders.DOUBLE()).collectAsList());
      assertFalse(fresh.catalog().functionExists("leaky_relu"));
      AnalysisException e = assertThrows(AnalysisException.class, () -> df.select(leakyRelu(col("s"))));
      assertTrue(e.getMessage().contains("input must be numeric, array<float>, array<double> or vector, "
          + "but got s of type string"), e.getMessage());
    } finally {
      SparkSession.setActiveSession(spark);
    }
  }

  @Test
  void udfIsNullSafeAndMatchesTheKernel() {
    spark.udf().register("lrelu_udf", LeakyReluFunctions.udf(0.1));
    List<Row> rows = frame(DataTypes.DoubleType, (Object[]) EDGES)
        .selectExpr("lrelu_udf(x)", "leaky_relu(x, 0.1)").collectAsList();
    for (Row row : rows) {
      if (row.isNullAt(1)) {
        assertTrue(row.isNullAt(0));
      } else {
        assertSameBits(row.getDouble(1), row.getDouble(0));
      }
    }
  }

  @Test
  void theExtensionGivesEveryNewSessionTheFunction() {
    // SharedSpark builds the session as users do, with spark.sql.extensions naming the class.
    assertEquals(LeakyReluExtensions.class.getName(), spark.conf().get("spark.sql.extensions"));
    SparkSession fresh = spark.newSession(); // a new registry: built-ins plus what extensions inject
    assertTrue(fresh.catalog().functionExists("leaky_relu"));
    assertEquals(-0.04, fresh.sql("SELECT leaky_relu(-4.0D)").first().getDouble(0), 0.0);
    Row description = fresh.sql("DESCRIBE FUNCTION leaky_relu").collectAsList().get(1);
    assertTrue(description.getString(0).contains(LeakyReluSqlFunction.class.getName()), description.toString());
  }

  @Test
  void registerAddsTheFunctionToASession() {
    SparkSession fresh = spark.newSession();
    fresh.sessionState().functionRegistry().dropFunction(LeakyReluSqlFunction.identifier());
    assertFalse(fresh.catalog().functionExists("leaky_relu"));
    LeakyReluFunctions.register(fresh);
    assertEquals(-0.5, fresh.sql("SELECT leaky_relu(-1.0D, 0.5)").first().getDouble(0), 0.0);
  }

  @Test
  void topLevelColumnsAreNamedAsSparkNamesBuiltInFunctions() {
    Dataset<Row> df = spark.sql("SELECT CAST(id AS DOUBLE) - 2 AS x FROM range(4)");
    assertEquals(List.of("leaky_relu(x)", "leaky_relu(x, 0.5)", "leaky_relu(x)"),
        Arrays.asList(df.select(leakyRelu(col("x")), leakyRelu(col("x"), 0.5), leakyRelu(df.col("x"))).columns()));
    df.createOrReplaceTempView("named");
    Dataset<Row> sql = spark.sql(
        "SELECT leaky_relu(x, 0.5), leaky_relu(x) + 1 AS y FROM named WHERE leaky_relu(x) > -0.015 ORDER BY x");
    assertEquals(List.of("leaky_relu(x, 0.5)", "y"), Arrays.asList(sql.columns()));
    assertEquals(List.of(RowFactory.create(-0.5, 0.99), RowFactory.create(0.0, 1.0), RowFactory.create(1.0, 2.0)),
        sql.collectAsList());
    assertTrue(sql.queryExecution().executedPlan().toString().matches("(?s).*static_?invoke\\(.*"));
    // Nested calls are named as written too; the optimizer swaps in the staticinvoke.
    Dataset<Row> nested = spark.sql("SELECT sum(leaky_relu(x)), max(leaky_relu(x, 0.5) * 2) FROM named");
    assertEquals(List.of("sum(leaky_relu(x))", "max((leaky_relu(x, 0.5) * 2))"), Arrays.asList(nested.columns()));
    assertEquals(List.of("sum(leaky_relu(x, 0.5))"),
        Arrays.asList(df.select(functions.sum(leakyRelu(col("x"), 0.5))).columns()));
    assertEquals(0.97, nested.first().getDouble(0), 1e-12);
    assertEquals(2.0, nested.first().getDouble(1), 0.0);
    assertTrue(nested.queryExecution().analyzed().toString().contains("leaky_relu(x#"));
    assertTrue(!nested.queryExecution().optimizedPlan().toString().contains("leaky_relu(x#"));
  }

  @Test
  void vectorMetadataIsIrrelevantToTheFunction() {
    StructType schema = new StructType(new StructField[] {
        new StructField("x", new VectorUDT(), false, Metadata.empty())});
    Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(-10.0, 10.0))), schema);
    Vector out = (Vector) df.select(leakyRelu(df.col("x"), 0.1)).first().get(0);
    assertArrayEquals(new double[] {-1.0, 10.0}, out.toArray(), 0.0);
  }
}
