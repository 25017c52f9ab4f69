package dev.leakyspark.jobs;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the job mains share: the session's life and generated data. */
final class Jobs {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private Jobs() {}

  interface Body {
    void run(SparkSession spark) throws Exception;
  }

  /**
   * Runs {@code body} on the active session, or on a new one that it stops afterwards (the
   * master comes from spark-submit, never from code). Returns 0, or 1 after printing the error.
   */
  static int withSession(String appName, Body body) {
    boolean existing = SparkSession.getActiveSession().isDefined();
    SparkSession spark = SparkSession.builder().appName(appName).getOrCreate();
    try {
      body.run(spark);
      return 0;
    } catch (Exception e) {
      LOG.debug("{} failed", appName, e);
      System.err.println(appName + " failed: " + e.getMessage());
      return 1;
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }

  /** {@code rows} rows of (id, label in 0..9, features of {@code dims} Gaussians seeded by id). */
  static Dataset<Row> generated(SparkSession spark, long rows, int dims) {
    UDF1<Long, Vector> features =
        id -> {
          Random random = new Random(id);
          double[] v = new double[dims];
          for (int j = 0; j < dims; j++) {
            v[j] = random.nextGaussian();
          }
          return Vectors.dense(v);
        };
    return spark
        .range(rows)
        .select(
            col("id"),
            col("id").mod(10).cast("double").as("label"),
            functions.udf(features, new VectorUDT()).apply(col("id")).as("features"));
  }
}
