package dev.leakyspark.data;

import static org.apache.spark.sql.functions.col;

import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Learnable synthetic rows {@code (id, label, features)}, computed on the executors from the row
 * id, for the jobs' defaults without Fashion-MNIST, the benchmarks and the tests.
 *
 * <pre>{@code
 * Generated.rows(spark, 2_000_000, 256, 40).write().parquet("/tmp/rows");
 * Generated.friedman1(spark, 100_000, 42).write().parquet("/tmp/friedman1");
 * }</pre>
 */
public final class Generated {

  private Generated() {}

  /**
   * {@code rows} rows of (id, label = id mod 10, features of {@code dims} Gaussians seeded by id)
   * in one partition per {@value Idx#ROWS_PER_PARTITION} rows, whatever the cluster (so a seeded
   * {@code randomSplit} of them is the same everywhere). Features {@code j} with
   * {@code j mod 10 == label} are shifted by 1.5, so the label can be learnt.
   */
  public static Dataset<Row> rows(SparkSession spark, long rows, int dims) {
    return rows(spark, rows, dims, Idx.partitionsFor(rows));
  }

  /** {@link #rows(SparkSession, long, int)} in {@code partitions} partitions, for data sets of any size. */
  public static Dataset<Row> rows(SparkSession spark, long rows, int dims, int partitions) {
    UDF1<Long, Vector> features =
        id -> {
          Random random = new Random(id);
          long label = id % 10;
          double[] v = new double[dims];
          for (int j = 0; j < dims; j++) {
            v[j] = random.nextGaussian() + (j % 10 == label ? 1.5 : 0.0);
          }
          return Vectors.dense(v);
        };
    return spark
        .range(0, rows, 1, partitions)
        .select(
            col("id"),
            col("id").mod(10).cast("double").as("label"),
            functions.udf(features, new VectorUDT()).apply(col("id")).as("features"));
  }

  /** Features of {@link #friedman1}: 10 uniform on [0, 1), of which the first 5 matter. */
  public static final int FRIEDMAN1_FEATURES = 10;

  /**
   * Friedman's first regression benchmark (Friedman 1991, as scikit-learn's
   * {@code make_friedman1}): rows (id, label, features) with 10 features uniform on [0, 1) and
   * {@code label = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + N(0, 1)}, seeded by
   * {@code seed} and the id, in one partition per {@value Idx#ROWS_PER_PARTITION} rows.
   */
  public static Dataset<Row> friedman1(SparkSession spark, long rows, long seed) {
    UDF1<Long, Row> row =
        id -> {
          Random random = new Random(seed * 1_000_003L + id);
          double[] x = new double[FRIEDMAN1_FEATURES];
          for (int j = 0; j < x.length; j++) {
            x[j] = random.nextDouble();
          }
          double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
              + random.nextGaussian();
          return RowFactory.create(y, Vectors.dense(x));
        };
    StructType schema = new StructType().add("label", DataTypes.DoubleType, false).add("features", new VectorUDT());
    return spark
        .range(0, rows, 1, Idx.partitionsFor(rows))
        .select(col("id"), functions.udf(row, schema).apply(col("id")).as("r"))
        .select(col("id"), col("r.label").as("label"), col("r.features").as("features"));
  }
}
