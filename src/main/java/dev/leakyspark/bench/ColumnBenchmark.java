package dev.leakyspark.bench;

import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.ml.feature.LeakyReLU;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.spark.ml.feature.ElementwiseProduct;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Compares the ways to apply Leaky ReLU to a column, side by side in one run, and prints
 * markdown tables of medians and ratios: the kernel against {@code System.arraycopy} on one
 * thread, and each Spark path against an identity {@code select} of the same cached column.
 *
 * <pre>{@code
 * jobs/bench columns --rows 200000 --dims 256 --reps 5
 * }</pre>
 */
public final class ColumnBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(ColumnBenchmark.class);
  private static final double ALPHA = LeakyRelu.DEFAULT_ALPHA;

  private ColumnBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> o = JobArgs.parse(args, Set.of("rows", "dims", "reps"), Set.of());
    int rows = JobArgs.integer(o, "rows", 200_000, 1);
    int dims = JobArgs.integer(o, "dims", 256, 1);
    int reps = JobArgs.integer(o, "reps", 5, 1);
    System.out.println(kernelTable((long) rows * dims, reps));
    SparkSession spark = SparkSession.builder().appName("leaky-spark column benchmark").getOrCreate();
    try {
      System.out.println(sparkTable(spark, rows, dims, reps));
    } finally {
      spark.stop();
    }
  }

  /** Single-thread throughput of the array kernel and of the forms it replaces. */
  static String kernelTable(long elements, int reps) {
    int n = (int) Math.min(elements, Integer.MAX_VALUE - 8);
    double[] src = new double[n];
    double[] dst = new double[n];
    Random random = new Random(1);
    for (int i = 0; i < n; i++) {
      src[i] = random.nextGaussian();
    }
    Map<String, Runnable> paths = new LinkedHashMap<>();
    paths.put("System.arraycopy (memory floor)", () -> System.arraycopy(src, 0, dst, 0, n));
    paths.put("LeakyRelu.apply, alpha 0.01", () -> LeakyRelu.apply(src, dst, 0.01));
    paths.put("LeakyRelu.apply, alpha 2", () -> LeakyRelu.apply(src, dst, 2.0));
    paths.put("LeakyRelu.apply, alpha -0.5", () -> LeakyRelu.apply(src, dst, -0.5));
    paths.put("ternary x >= 0 ? x : a*x", () -> ternary(src, dst, 0.01));
    StringBuilder table =
        new StringBuilder(
            String.format(Locale.ROOT,
                "Kernel, one thread, %,d random-sign doubles (median of %d)%n%n"
                    + "| path | ms | M elements/s | vs arraycopy |%n|---|---|---|---|%n", n, reps));
    double floor = 0;
    for (Map.Entry<String, Runnable> path : paths.entrySet()) {
      for (int warm = 0; warm < 3; warm++) {
        path.getValue().run();
      }
      double seconds = median(reps, () -> time(path.getValue()));
      floor = floor == 0 ? seconds : floor;
      table.append(String.format(Locale.ROOT, "| %s | %.1f | %,.0f | %.0f%% |%n",
          path.getKey(), seconds * 1e3, n / seconds / 1e6, 100 * floor / seconds));
    }
    return table.toString();
  }

  private static void ternary(double[] src, double[] dst, double alpha) {
    for (int i = 0; i < src.length; i++) {
      dst[i] = src[i] >= 0 ? src[i] : alpha * src[i];
    }
  }

  static final String COPY = "identity, copied into the output row";

  /**
   * The identity that the optimizer cannot remove, so the value is copied into a new output row
   * as any computed column is. A plain identity select hands the cached rows through untouched.
   */
  private static Column copy(Column x) {
    return when(x.isNotNull(), x);
  }

  /** Each Spark path on cached data, written to the no-op sink, against an identity select. */
  static String sparkTable(SparkSession spark, int rows, int dims, int reps) {
    int partitions = Math.max(2, spark.sparkContext().defaultParallelism() * 2);
    LOG.info("Caching {} rows x {} dims in {} partitions", rows, dims, partitions);
    Dataset<Row> ids = spark.range(0, rows, 1, partitions).toDF("id");
    UDF1<Long, Vector> denseGen = id -> randomVector(id, dims, 1.0);
    UDF1<Long, Vector> sparseGen = id -> randomVector(id, dims, 0.1);
    Dataset<Row> dense = cache(ids.select(functions.udf(denseGen, new VectorUDT()).apply(col("id")).as("x")));
    Dataset<Row> sparse = cache(ids.select(functions.udf(sparseGen, new VectorUDT()).apply(col("id")).as("x")));
    Dataset<Row> arrays = cache(dense.select(org.apache.spark.ml.functions.vector_to_array(col("x"), "float64").as("x")));
    Dataset<Row> scalars = cache(spark.range(0, (long) rows * dims, 1, partitions).select(functions.randn(3).as("x")));

    UDF1<Vector, Vector> boxedVector =
        v -> {
          double[] values = v.toArray();
          for (int i = 0; i < values.length; i++) {
            values[i] = values[i] >= 0 ? values[i] : ALPHA * values[i];
          }
          return Vectors.dense(values);
        };
    UDF1<Seq<Double>, double[]> boxedArray =
        s -> {
          List<Double> in = JavaConverters.seqAsJavaList(s);
          double[] out = new double[in.size()];
          for (int i = 0; i < out.length; i++) {
            double x = in.get(i);
            out[i] = x >= 0 ? x : ALPHA * x;
          }
          return out;
        };
    UDF1<Double, Double> boxedScalar = x -> x == null ? null : (x >= 0 ? x : ALPHA * x);
    double[] ones = new double[dims];
    Arrays.fill(ones, 1.0);
    ElementwiseProduct product =
        new ElementwiseProduct().setScalingVec(Vectors.dense(ones)).setInputCol("x").setOutputCol("y");
    LeakyReLU stage = new LeakyReLU().setInputCol("x").setOutputCol("y");

    List<Object[]> cases = new ArrayList<>();
    UserDefinedFunction boxedVectorUdf = functions.udf(boxedVector, new VectorUDT());
    cases.add(new Object[] {"dense vector", vectorPaths(dense, stage, product, boxedVectorUdf, "")});
    cases.add(new Object[] {"sparse vector, 10% non-zero",
        vectorPaths(sparse, stage, product, boxedVectorUdf, " (densifies)")});

    Map<String, Supplier<Dataset<Row>>> arrayPaths = new LinkedHashMap<>();
    arrayPaths.put("identity select", () -> arrays.select(col("x")));
    arrayPaths.put(COPY, () -> arrays.select(copy(col("x"))));
    arrayPaths.put("leaky_relu function", () -> arrays.select(leakyRelu(col("x"))));
    arrayPaths.put("LeakyReLU transformer", () -> stage.transform(arrays).select("y"));
    arrayPaths.put("built-in transform() lambda", () -> arrays.selectExpr("transform(x, v -> IF(v >= 0, v, v * 0.01))"));
    arrayPaths.put("boxed array UDF, ternary", () -> arrays.select(functions.udf(boxedArray, DataTypes.createArrayType(DataTypes.DoubleType, false)).apply(col("x"))));
    cases.add(new Object[] {"array<double>", arrayPaths});

    Column x = col("x");
    Map<String, Supplier<Dataset<Row>>> scalarPaths = new LinkedHashMap<>();
    scalarPaths.put("identity select", () -> scalars.select(x));
    scalarPaths.put(COPY, () -> scalars.select(copy(x)));
    scalarPaths.put("leaky_relu function", () -> scalars.select(leakyRelu(x)));
    scalarPaths.put("LeakyReLU transformer", () -> stage.transform(scalars).select("y"));
    scalarPaths.put("when/otherwise", () -> scalars.select(when(x.geq(0), x).otherwise(x.multiply(lit(ALPHA)))));
    scalarPaths.put("boxed Double UDF, ternary", () -> scalars.select(functions.udf(boxedScalar, DataTypes.DoubleType).apply(x)));
    cases.add(new Object[] {"double scalar", scalarPaths});

    StringBuilder table =
        new StringBuilder(
            String.format(Locale.ROOT,
                "Spark, %s, %d x %d cached (scalars: %d rows), no-op sink, median of %d%n%n"
                    + "| data | path | seconds | vs identity | vs copied identity |%n|---|---|---|---|---|%n",
                spark.sparkContext().master(), rows, dims, (long) rows * dims, reps));
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, Supplier<Dataset<Row>>> paths = (Map<String, Supplier<Dataset<Row>>>) c[1];
      Map<String, Double> seconds = new LinkedHashMap<>();
      for (Map.Entry<String, Supplier<Dataset<Row>>> path : paths.entrySet()) {
        Dataset<Row> df = path.getValue().get();
        run(df); // warm-up: code generation and JIT
        run(df);
        seconds.put(path.getKey(), median(reps, () -> {
          System.gc(); // start each timed run with an empty young generation
          return time(() -> run(df));
        }));
        LOG.info("{} / {}: {} s", c[0], path.getKey(),
            String.format(Locale.ROOT, "%.3f", seconds.get(path.getKey())));
      }
      double identity = seconds.get("identity select");
      double copied = seconds.get(COPY);
      seconds.forEach(
          (path, s) ->
              table.append(String.format(Locale.ROOT, "| %s | %s | %.3f | x%.2f | x%.2f |%n",
                  c[0], path, s, s / identity, s / copied)));
    }
    for (Dataset<Row> df : List.of(dense, sparse, arrays, scalars)) {
      df.unpersist();
    }
    return table.toString();
  }

  /** The paths compared on a vector column {@code x}. */
  private static Map<String, Supplier<Dataset<Row>>> vectorPaths(Dataset<Row> data, LeakyReLU stage,
      ElementwiseProduct product, UserDefinedFunction boxed, String boxedNote) {
    Map<String, Supplier<Dataset<Row>>> paths = new LinkedHashMap<>();
    paths.put("identity select", () -> data.select(col("x")));
    paths.put(COPY, () -> data.select(copy(col("x"))));
    paths.put("leaky_relu function", () -> data.select(leakyRelu(col("x"))));
    paths.put("LeakyReLU transformer", () -> stage.transform(data).select("y"));
    paths.put("ElementwiseProduct", () -> product.transform(data).select("y"));
    paths.put("boxed Vector UDF, ternary" + boxedNote, () -> data.select(boxed.apply(col("x"))));
    return paths;
  }

  private static Vector randomVector(long seed, int dims, double density) {
    Random random = new Random(seed);
    if (density >= 1.0) {
      double[] v = new double[dims];
      for (int j = 0; j < dims; j++) {
        v[j] = random.nextGaussian();
      }
      return new DenseVector(v);
    }
    int nnz = Math.max(1, (int) Math.round(dims * density));
    int[] indices = random.ints(0, dims).distinct().limit(nnz).sorted().toArray();
    double[] values = random.doubles(nnz).map(u -> u - 0.5).toArray();
    return new SparseVector(dims, indices, values);
  }

  private static Dataset<Row> cache(Dataset<Row> df) {
    Dataset<Row> cached = df.cache();
    cached.count();
    return cached;
  }

  private static void run(Dataset<Row> df) {
    df.write().format("noop").mode("overwrite").save();
  }

  private static double time(Runnable body) {
    long start = System.nanoTime();
    body.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(int reps, java.util.function.DoubleSupplier sample) {
    double[] samples = new double[reps];
    for (int i = 0; i < reps; i++) {
      samples[i] = sample.getAsDouble();
    }
    Arrays.sort(samples);
    return samples[reps / 2];
  }
}
