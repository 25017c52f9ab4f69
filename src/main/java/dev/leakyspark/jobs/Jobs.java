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
public final class Jobs {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private Jobs() {}

  interface Body {
    void run(SparkSession spark) throws Exception;
  }

  interface JobBody<O> {
    void run(SparkSession spark, O options) throws Exception;
  }

  /**
   * A job's entry point: prints {@code usage} for {@code --help} (0), or the problem and the usage
   * for bad options (2), else runs {@code body} with the parsed options through
   * {@link #withSession} (0, or 1 after printing the error).
   */
  static <O> int run(String job, String usage, String[] args, java.util.function.Function<String[], O> parse,
      JobBody<O> body) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(usage);
      return 0;
    }
    O options;
    try {
      options = parse.apply(args);
    } catch (JobArgs.UsageException e) {
      System.err.println(job + ": " + e.getMessage() + "\n\n" + usage);
      return 2;
    }
    return withSession("leaky-spark " + job, spark -> body.run(spark, options));
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
      System.err.println(appName + " failed: " + rootMessage(e));
      return 1;
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }

  /**
   * The message that names the problem: that of the outermost argument, state or I/O error in the
   * cause chain (a task's error arrives wrapped in Spark's job failure), else that of the
   * innermost cause with a message.
   */
  static String rootMessage(Throwable e) {
    String innermost = e.getMessage();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if ((cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
          || cause instanceof java.io.IOException) && cause.getMessage() != null) {
        return cause.getMessage();
      }
      if (cause.getMessage() != null) {
        innermost = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    return innermost;
  }

  /** A column name quoted for {@code Dataset.col}, so dots and backticks in it are literal. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Where jobs write when no output is given: {@code <java.io.tmpdir>/leaky-spark}. */
  static String defaultOutputRoot() {
    return System.getProperty("java.io.tmpdir") + "/leaky-spark";
  }

  /** {@code <defaultOutputRoot>/<job>-<yyyyMMdd-HHmmss>}. */
  static String defaultOutput(String job) {
    return defaultOutputRoot() + "/" + job + "-"
        + new java.text.SimpleDateFormat("yyyyMMdd-HHmmss").format(new java.util.Date());
  }

  /**
   * {@code rows} rows of (id, label = id mod 10, features of {@code dims} Gaussians seeded by id).
   * Features {@code j} with {@code j mod 10 == label} are shifted by 1.5, so the label can be learnt.
   */
  static Dataset<Row> generated(SparkSession spark, long rows, int dims) {
    return generated(spark, rows, dims, spark.sparkContext().defaultParallelism());
  }

  /**
   * {@link #generated(SparkSession, long, int)} in {@code partitions} partitions, for data sets of
   * any size: {@code Jobs.generated(spark, 2_000_000, 256, 40).write().parquet(path)}.
   */
  public static Dataset<Row> generated(SparkSession spark, long rows, int dims, int partitions) {
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
