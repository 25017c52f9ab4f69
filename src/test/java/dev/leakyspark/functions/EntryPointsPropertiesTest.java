package dev.leakyspark.functions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.LeakyReluPropertiesTest;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Random arrays, dense vectors, sparse vectors with random indices and scalars, edge values
 * included, give the kernel's bits through every entry point: the SQL function, the column
 * function on cached data, the UDF and the transformer.
 */
class EntryPointsPropertiesTest {

  static final StructType SCHEMA =
      new StructType()
          .add("x", DataTypes.DoubleType)
          .add("arr", DataTypes.createArrayType(DataTypes.DoubleType, false))
          .add("dense", new VectorUDT())
          .add("sparse", new VectorUDT());

  @Provide
  static Arbitrary<Row> rows() {
    Arbitrary<double[]> values = LeakyReluPropertiesTest.values().map(v -> v.length == 0 ? new double[] {-1} : v);
    return Combinators.combine(values, Arbitraries.longs()).as((v, seed) -> {
      java.util.Random random = new java.util.Random(seed);
      TreeSet<Integer> indices = new TreeSet<>();
      int size = v.length + random.nextInt(50);
      while (indices.size() < Math.min(v.length, size)) {
        indices.add(random.nextInt(size));
      }
      int[] idx = indices.stream().mapToInt(Integer::intValue).toArray();
      List<Double> boxed = Arrays.stream(v).boxed().toList();
      return RowFactory.create(v[0], boxed, Vectors.dense(v), Vectors.sparse(size, idx, v));
    });
  }

  @Property(tries = 12)
  void everyEntryPointGivesTheKernelsBits(
      @ForAll("batches") List<Row> rows, @ForAll("alphas") double alpha) {
    SparkSession spark = SharedSpark.session();
    Dataset<Row> df = spark.createDataFrame(rows, SCHEMA);
    df.createOrReplaceTempView("props");
    String a = Double.toString(alpha) + "D"; // a double literal: a decimal one would lose -0.0
    List<Row> sql = spark.sql("SELECT leaky_relu(x, " + a + "), leaky_relu(arr, " + a + "), leaky_relu(dense, "
        + a + "), leaky_relu(sparse, " + a + ") FROM props").collectAsList();
    Dataset<Row> cached = df.cache();
    List<Row> columns = cached.select(
        LeakyReluFunctions.leakyRelu(cached.col("x"), alpha), LeakyReluFunctions.leakyRelu(cached.col("arr"), alpha),
        LeakyReluFunctions.leakyRelu(cached.col("dense"), alpha), LeakyReluFunctions.leakyRelu(cached.col("sparse"), alpha))
        .collectAsList();
    List<Row> stage = new LeakyReLU()
        .setInputCols(new String[] {"x", "arr", "dense", "sparse"})
        .setOutputCols(new String[] {"o1", "o2", "o3", "o4"})
        .setAlpha(alpha)
        .transform(df).select("o1", "o2", "o3", "o4").collectAsList();
    List<Row> udf = df.select(LeakyReluFunctions.udf(alpha).apply(df.col("x"))).collectAsList();
    cached.unpersist();
    for (int i = 0; i < rows.size(); i++) {
      Row in = rows.get(i);
      double[] v = ((Vector) in.get(2)).toArray();
      double[] expected = new double[v.length];
      for (int j = 0; j < v.length; j++) {
        expected[j] = LeakyRelu.apply(v[j], alpha);
      }
      double x = LeakyRelu.apply(in.getDouble(0), alpha);
      for (List<Row> result : List.of(sql, columns, stage)) {
        Row out = result.get(i);
        assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(out.getDouble(0)));
        assertArrayEquals(bits(expected), bits(out.<Double>getList(1).stream().mapToDouble(Double::doubleValue).toArray()));
        assertArrayEquals(bits(expected), bits(((Vector) out.get(2)).toArray()));
        SparseVector sparse = (SparseVector) out.get(3);
        assertArrayEquals(((SparseVector) in.get(3)).indices(), sparse.indices());
        assertArrayEquals(bits(expected), bits(sparse.values()));
      }
      assertEquals(Double.doubleToRawLongBits(x), Double.doubleToRawLongBits(udf.get(i).getDouble(0)));
    }
    assertTrue(rows.size() >= 1);
  }

  @Provide
  static Arbitrary<List<Row>> batches() {
    return rows().list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  static Arbitrary<Double> alphas() {
    return LeakyReluPropertiesTest.alphas();
  }

  static long[] bits(double[] values) {
    return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
  }
}
