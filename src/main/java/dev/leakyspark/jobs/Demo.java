package dev.leakyspark.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.functions.LeakyReluFunctions;
import dev.leakyspark.ml.feature.LeakyReLU;
import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end demo, run by {@code jobs/demo}: generates a feature table, fits and saves a pipeline
 * with the {@link LeakyReLU} stage, writes the transformed table as Parquet, queries it with the
 * SQL function, and checks the written rows against the kernel.
 *
 * <pre>{@code
 * jobs/demo --rows 100000 --dims 16 --alpha 0.1 --output /tmp/leaky-demo --overwrite
 * }</pre>
 */
public final class Demo {

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  static final String USAGE =
      String.join(
          "\n",
          "Usage: jobs/demo [--rows N] [--dims D] [--alpha A] [--output PATH] [--overwrite]",
          "  --rows N      rows to generate (default 100000)",
          "  --dims D      vector size (default 16)",
          "  --alpha A     Leaky ReLU slope, finite (default 0.01)",
          "  --output PATH where to write model/ and data/ (default target/demo)",
          "  --overwrite   replace an existing output",
          "Example: jobs/demo --rows 20000 --alpha 0.2 --output /tmp/leaky-demo --overwrite");

  record Options(long rows, int dims, double alpha, String output, boolean overwrite) {
    static Options parse(String[] args) {
      long rows = 100_000;
      int dims = 16;
      double alpha = LeakyRelu.DEFAULT_ALPHA;
      String output = "target/demo";
      boolean overwrite = false;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--rows" -> rows = (long) number(args, ++i, true);
          case "--dims" -> dims = (int) Math.min(Integer.MAX_VALUE, number(args, ++i, true));
          case "--alpha" -> alpha = number(args, ++i, false);
          case "--output" -> output = value(args, ++i);
          case "--overwrite" -> overwrite = true;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (rows < 1 || dims < 1 || !Double.isFinite(alpha)) {
        throw new IllegalArgumentException(
            "--rows and --dims must be >= 1 and --alpha finite, but got " + rows + ", " + dims
                + ", " + alpha);
      }
      return new Options(rows, dims, alpha, output, overwrite);
    }

    private static double number(String[] args, int i, boolean integer) {
      String text = value(args, i);
      try {
        return integer ? Long.parseLong(text) : Double.parseDouble(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            args[i - 1] + " needs " + (integer ? "an integer" : "a number") + " but got '" + text + "'");
      }
    }

    private static String value(String[] args, int i) {
      if (i >= args.length) {
        throw new IllegalArgumentException(args[i - 1] + " needs a value");
      }
      return args[i];
    }
  }

  public static void main(String[] args) throws IOException {
    if (List.of(args).contains("--help")) {
      System.out.println(USAGE);
      return;
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    System.exit(Jobs.withSession("demo", spark -> run(spark, options)));
  }

  static void run(SparkSession spark, Options options) throws IOException {
    DataIO.checkOutput(spark, null, options.output(), options.overwrite());
    Path output = new Path(options.output());
    output.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(output, true);
    String model = new Path(output, "model").toString();
    String data = new Path(output, "data").toString();

    LOG.info("Generating {} rows of {}-dimensional features", options.rows(), options.dims());
    Dataset<Row> input =
        Jobs.generated(spark, options.rows(), options.dims())
            .select(col("id"), col("features"))
            .withColumn("x", expr("randn(7)"))
            .withColumn("values", org.apache.spark.ml.functions.vector_to_array(col("features"), "float64"));

    LeakyReLU relu =
        new LeakyReLU()
            .setInputCols(new String[] {"features", "x", "values"})
            .setOutputCols(new String[] {"features_out", "x_out", "values_out"})
            .setAlpha(options.alpha());
    PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {relu}).fit(input);
    pipeline.write().save(model);
    LOG.info("Saved the pipeline model to {}", model);

    PipelineModel.load(model).transform(input).write().parquet(data);
    LOG.info("Wrote the transformed table to {}", data);

    boolean fromExtension = spark.catalog().functionExists("leaky_relu");
    LeakyReluFunctions.register(spark);
    spark.read().parquet(data).createOrReplaceTempView("demo");
    Dataset<Row> summary =
        spark.sql(
            "SELECT count(*) AS rows, avg(CAST(x < 0 AS INT)) AS negative_share, min(x) AS min_x,"
                + " min(x_out) AS min_x_out, max(abs(leaky_relu(x, " + options.alpha()
                + ") - x_out)) AS sql_vs_stage FROM demo");
    Row stats = summary.first();

    long checked = 0;
    double worst = 0;
    for (Row row : spark.read().parquet(data).limit(1000).collectAsList()) {
      double[] in = ((Vector) row.getAs("features")).toArray();
      double[] out = ((Vector) row.getAs("features_out")).toArray();
      double[] expected = new double[in.length];
      LeakyRelu.apply(in, expected, options.alpha());
      for (int j = 0; j < in.length; j++) {
        worst = Math.max(worst, Math.abs(expected[j] - out[j]));
      }
      checked++;
    }
    System.out.printf(
        "leaky_relu from spark.sql.extensions: %s%n"
            + "rows written: %d, negative share of x: %.3f, min x: %.4f -> min x_out: %.6f%n"
            + "SQL leaky_relu vs LeakyReLU stage, max |diff|: %s%n"
            + "%d rows checked against the kernel, max |diff|: %s%n"
            + "model: %s%ndata:  %s%n",
        fromExtension ? "yes" : "no (registered in code)",
        stats.getLong(0), stats.getDouble(1), stats.getDouble(2), stats.getDouble(3),
        stats.get(4), checked, worst, model, data);
    if (stats.getLong(0) != options.rows() || worst != 0.0 || stats.getDouble(4) != 0.0) {
      throw new IllegalStateException("demo output does not match the kernel");
    }
  }

  private Demo() {}
}
