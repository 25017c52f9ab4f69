package dev.leakyspark.sql;

import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.testing.DataFrames;
import dev.leakyspark.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.debug.package$;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Results of vectors and arrays live in a buffer reused by each generated call site. These
 * queries keep results across rows (aggregation buffers, sort comparators, windows) or hold two
 * results of one row; each must equal the same query over values the kernel computed in Java,
 * in every code generation mode.
 */
@ExtendWith(SharedSpark.class)
class ResultBufferTest {

  static final double[] ALPHAS = {0.5, 2.0, -1.0};
  static final String[] INPUTS = {"v", "s", "a", "f"};

  static SparkSession spark;
  static Dataset<Row> data;

  @BeforeAll
  static void cacheData(SparkSession session) {
    spark = session;
    StructType schema =
        new StructType().add("id", DataTypes.IntegerType).add("k", DataTypes.IntegerType);
    for (String input : INPUTS) {
      schema = schema.add(input, type(input));
      for (int i = 0; i < ALPHAS.length; i++) {
        schema = schema.add(input + i, type(input));
      }
    }
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < 60; id++) {
      double[] dense = random.doubles(5).map(u -> u - 0.5).toArray();
      double[] sparse = {random.nextDouble() - 0.5, random.nextDouble() - 0.5};
      List<Object> row = new ArrayList<>(List.of(id, id % 4));
      for (String input : INPUTS) {
        for (int i = -1; i < ALPHAS.length; i++) {
          double[] values = (input.equals("s") ? sparse : dense).clone();
          if (i >= 0) {
            LeakyRelu.apply(values, values, ALPHAS[i]);
          }
          row.add(
              switch (input) {
                case "v" -> new DenseVector(values);
                case "s" -> new SparseVector(9, new int[] {id % 7, 8}, values);
                case "a" -> Arrays.stream(values).boxed().toList();
                default -> floats(dense, i < 0 ? null : (float) ALPHAS[i]);
              });
        }
      }
      rows.add(RowFactory.create(row.toArray()));
    }
    // cached, so the function reads unsafe rows and arrays and takes the buffered path
    data = spark.createDataFrame(rows, schema).repartition(3).cache();
    data.count();
  }

  @AfterAll
  static void uncache() {
    data.unpersist();
  }

  static DataType type(String input) {
    return switch (input) {
      case "a" -> DataTypes.createArrayType(DataTypes.DoubleType, false);
      case "f" -> DataTypes.createArrayType(DataTypes.FloatType, false);
      default -> new VectorUDT();
    };
  }

  /** {@code values} as floats, with the float kernel applied unless {@code alpha} is null. */
  static List<Float> floats(double[] values, Float alpha) {
    float[] f = new float[values.length];
    for (int j = 0; j < f.length; j++) {
      f[j] = (float) values[j];
    }
    if (alpha != null) {
      LeakyRelu.apply(f, f, alpha);
    }
    List<Float> list = new ArrayList<>();
    for (float x : f) {
      list.add(x);
    }
    return list;
  }

  /** Each query over {@code f(input, alphaIndex)}, a column of Leaky ReLU results. */
  static Map<String, Function<BiFunction<String, Integer, Column>, Dataset<Row>>> queries() {
    Map<String, Function<BiFunction<String, Integer, Column>, Dataset<Row>>> q = new LinkedHashMap<>();
    q.put("several results per row", f -> data.select(col("id"), f.apply("v", 0), f.apply("v", 1),
        struct(f.apply("v", 2), f.apply("a", 0)).as("st"), array(f.apply("a", 1), f.apply("a", 2)).as("ar"),
        f.apply("s", 0), f.apply("s", 1), array(f.apply("f", 0), f.apply("f", 1)).as("fl")).orderBy("id"));
    q.put("sort by a result", f -> data.orderBy(f.apply("a", 2), col("id")).select("id"));
    q.put("aggregates keep results", f -> data.groupBy("k").agg(max(f.apply("a", 0)).as("max"),
        max_by(f.apply("v", 1), col("id")).as("max_by"), min_by(f.apply("s", 2), col("id")).as("min_by"),
        sort_array(collect_list(f.apply("a", 1))).as("list"), max(f.apply("f", 2)).as("fmax")).orderBy("k"));
    q.put("window over results", f -> data.select(col("id"),
        lag(f.apply("v", 0), 1).over(Window.orderBy("id")).as("lag"),
        lead(f.apply("a", 2), 2).over(Window.partitionBy("k").orderBy("id")).as("lead")).orderBy("id"));
    return q;
  }

  static final Map<String, Map<String, String>> MODES =
      Map.of(
          "whole-stage codegen", Map.of("spark.sql.codegen.wholeStage", "true"),
          "expression codegen", Map.of("spark.sql.codegen.wholeStage", "false"),
          "interpreted",
              Map.of("spark.sql.codegen.wholeStage", "false",
                  "spark.sql.codegen.factoryMode", "NO_CODEGEN"));

  @Test
  void resultsKeptAcrossRowsEqualTheKernel() {
    BiFunction<String, Integer, Column> computed =
        (input, i) -> leakyRelu(col(input), ALPHAS[i]).as(input + i);
    BiFunction<String, Integer, Column> expected = (input, i) -> col(input + i);
    for (Map.Entry<String, Map<String, String>> mode : MODES.entrySet()) {
      mode.getValue().forEach((key, value) -> spark.conf().set(key, value));
      try {
        for (var query : queries().entrySet()) {
          try {
            DataFrames.assertEquals(query.getValue().apply(expected), query.getValue().apply(computed));
          } catch (AssertionError e) {
            throw new AssertionError(mode.getKey() + ", " + query.getKey() + ": " + e.getMessage(), e);
          }
        }
      } finally {
        mode.getValue().keySet().forEach(key -> spark.conf().unset(key));
      }
    }
  }

  @Test
  void equalCallsStayEqualForCachingAndSubexpressions() {
    Dataset<Row> once = data.select(leakyRelu(col("v"), 0.5));
    assertTrue(once.sameSemantics(data.select(leakyRelu(col("v"), 0.5))));
    assertFalse(once.sameSemantics(data.select(leakyRelu(col("v"), 2.0))));
  }

  @Test
  void generatedCodeKeepsOneBufferPerCallSite() {
    Dataset<Row> df =
        data.select(leakyRelu(col("v"), 0.5), leakyRelu(col("v"), 2.0), leakyRelu(col("a")), leakyRelu(col("f")));
    df.collect();
    String code = package$.MODULE$.codegenString(df.queryExecution().executedPlan());
    String create = "= new " + ResultBuffer.class.getName() + "();";
    assertEquals(4, code.split(Pattern.quote(create), -1).length - 1, code);
  }
}
