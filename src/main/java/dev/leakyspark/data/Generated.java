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
import org.apache.spark.sql.functions;

/**
 * Learnable synthetic rows {@code (id, label, features)}, computed on the executors from the row
 * id, for the jobs' defaults without Fashion-MNIST, the benchmarks and the tests.
 *
 * <pre>{@code
 * Generated.rows(spark, 2_000_000, 256, 40).write().parquet("/tmp/rows");
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
}
