package dev.leakyspark.jobs;

import dev.leakyspark.cli.JobArgs;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jobs/predict} batch job: loads a saved model (a {@code PipelineModel} such as
 * {@code jobs/train} writes, or any single MLlib model), scores a dataset, and writes the input
 * columns plus the model's {@code prediction} and {@code probability}.
 *
 * <pre>{@code
 * jobs/predict --model /models/mlp --input test.parquet --output scored.parquet
 * }</pre>
 */
public final class Predict {

  private static final Logger LOG = LoggerFactory.getLogger(Predict.class);

  static final String USAGE = String.join("\n",
      "Usage: jobs/predict --model PATH --input PATH [--output PATH] [options]",
      "  --model PATH          a saved PipelineModel (as jobs/train writes) or a single MLlib model",
      "  --input PATH          dataset to score (for idx: a prefix such as .../fashion-mnist/t10k)",
      "  --output PATH         where to write (default " + Jobs.defaultOutputRoot() + "/predict-<time>); never inside the input",
      "  --input-format F      parquet (default), csv (with a header), json, libsvm or idx",
      "  --output-format F     parquet (default), json, orc or csv",
      "  --overwrite           replace an existing output",
      "  --conf FILE           read these options from a properties file (flags win)",
      "The output holds the input columns plus prediction and probability.",
      "Examples:",
      "  jobs/predict --model /tmp/leaky-spark/train-20261127-101500/model \\",
      "      --input /usr/share/datasets/fashion-mnist/t10k --input-format idx --output /tmp/scored",
      "  jobs/predict --conf conf/predict.properties --overwrite");

  /** Validated options. */
  record Options(String model, String input, String output, String inputFormat, String outputFormat,
      boolean overwrite) {

    static Options parse(String[] args) {
      Map<String, String> o = JobArgs.parse(args,
          Set.of("model", "input", "output", "input-format", "output-format"), Set.of("overwrite"));
      if (o.get("model") == null || o.get("input") == null) {
        throw new JobArgs.UsageException("--model and --input are required");
      }
      return new Options(o.get("model"), o.get("input"), o.getOrDefault("output", Jobs.defaultOutput("predict")),
          JobArgs.oneOf(o, "input-format", "parquet", DataIO.INPUT_FORMATS),
          JobArgs.oneOf(o, "output-format", "parquet", DataIO.OUTPUT_FORMATS),
          JobArgs.flag(o, "overwrite", false));
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job on the active (or a new) session; returns the exit status. */
  public static int run(String[] args) {
    return Jobs.run("predict", USAGE, args, Options::parse, (spark, options) -> {
      long rows = run(spark, options);
      System.out.printf("predict: wrote %d rows to %s (%s)%n", rows, options.output(), options.outputFormat());
    });
  }

  /** Loads, scores and writes; returns the number of rows written. */
  static long run(SparkSession spark, Options options) throws IOException {
    DataIO.checkOutput(spark, List.of(options.input(), options.model()), options.output(), options.overwrite());
    Transformer model = load(spark, options.model());
    Dataset<Row> input = DataIO.read(spark, options.input(), options.inputFormat());
    Dataset<Row> scored;
    try {
      scored = model.transform(input);
      scored.limit(1).collectAsList(); // a model that cannot read these rows fails here, before any write
    } catch (Exception e) { // AnalysisException and SparkException are thrown undeclared
      throw new IllegalArgumentException("Model " + options.model() + " cannot score " + options.input()
          + ": " + Jobs.rootMessage(e), e);
    }
    List<Column> columns = new ArrayList<>();
    for (String name : input.columns()) {
      columns.add(scored.col(Jobs.quote(name)));
    }
    Transformer last = model instanceof PipelineModel pipeline && pipeline.stages().length > 0
        ? pipeline.stages()[pipeline.stages().length - 1] : model;
    for (String param : List.of("predictionCol", "probabilityCol")) {
      if (last.hasParam(param)) {
        String name = (String) last.getOrDefault(last.getParam(param));
        if (!Arrays.asList(input.columns()).contains(name) && Arrays.asList(scored.columns()).contains(name)) {
          columns.add(scored.col(Jobs.quote(name)));
        }
      }
    }
    LOG.info("Scoring {} with {} and writing {} to {}", options.input(), options.model(),
        options.outputFormat(), options.output());
    DataIO.write(scored.select(columns.toArray(new Column[0])), options.output(), options.outputFormat(),
        options.overwrite());
    return spark.read().format(options.outputFormat()).load(options.output()).count();
  }

  /** Loads any saved MLlib model through the {@code load} method of the class its metadata names. */
  static Transformer load(SparkSession spark, String path) throws IOException {
    Path metadata = new Path(path, "metadata");
    FileSystem fs = metadata.getFileSystem(spark.sparkContext().hadoopConfiguration());
    // Spark 3.5 writes metadata/part-00000, Spark 4 metadata/part-00000-<uuid>.txt
    FileStatus[] parts = fs.globStatus(new Path(metadata, "part-00000*"));
    if (parts == null || parts.length == 0) {
      throw new IOException("Model " + path + " is not a saved Spark ML model: " + metadata + "/part-00000 is missing");
    }
    String className;
    try (var in = fs.open(parts[0].getPath())) {
      className = new ObjectMapper().readTree(in).path("class").asText("");
    } catch (IOException e) {
      throw new IOException("Model " + path + " has unreadable metadata: " + e.getMessage(), e);
    }
    try {
      Object model = Class.forName(className).getMethod("load", String.class).invoke(null, path);
      if (model instanceof Transformer transformer) {
        return transformer;
      }
      throw new IOException("Model " + path + " holds a " + className + ", which cannot score data");
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
      throw new IOException("Cannot load model " + path + " (class '" + className + "'): "
          + Jobs.rootMessage(cause), cause);
    }
  }

  private Predict() {}
}
