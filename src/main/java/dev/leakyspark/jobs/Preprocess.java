package dev.leakyspark.jobs;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.LeakyRelu;
import dev.leakyspark.data.Generated;
import dev.leakyspark.data.Idx;
import dev.leakyspark.functions.LeakyReluFunctions;
import dev.leakyspark.sql.LeakyReluTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jobs/preprocess} batch job: applies Leaky ReLU to chosen columns of a dataset and
 * writes the result. Other columns pass through unchanged, in their order.
 *
 * <pre>{@code
 * jobs/preprocess --input data.parquet --output out.parquet --columns features,x --alpha 0.1
 * }</pre>
 */
public final class Preprocess {

  private static final Logger LOG = LoggerFactory.getLogger(Preprocess.class);

  static final String USAGE = String.join("\n",
      "Usage: jobs/preprocess [--input PATH --output PATH] [options]",
      "  --input PATH          dataset to read (for idx: a prefix such as .../fashion-mnist/train)",
      "  --output PATH         where to write; never inside the input",
      "  --input-format F      parquet (default), csv (with a header), json, libsvm or idx",
      "  --output-format F     parquet (default), json, orc or csv",
      "  --columns c1,c2       columns to transform (default: every numeric, array or vector column)",
      "  --alpha A             Leaky ReLU slope, finite (default 0.01)",
      "  --overwrite           replace an existing output",
      "  --conf FILE           read these options from a properties file (flags win)",
      "With no --input: Fashion-MNIST's training images from " + Idx.FASHION_MNIST_DIR + " if present,",
      "else a generated dataset, written under " + Jobs.defaultOutputRoot() + ".",
      "Examples:",
      "  jobs/preprocess",
      "  jobs/preprocess --input events.csv --input-format csv --columns score --output /tmp/scored",
      "  jobs/preprocess --conf conf/preprocess.properties --alpha 0.2 --overwrite");

  /** Validated options. */
  record Options(String input, String output, String inputFormat, String outputFormat,
      List<String> columns, double alpha, boolean overwrite) {

    static Options parse(String[] args) {
      Map<String, String> o = JobArgs.parse(args,
          Set.of("input", "output", "input-format", "output-format", "columns", "alpha"),
          Set.of("overwrite"));
      String input = o.get("input");
      String inputFormat = JobArgs.oneOf(o, "input-format", "parquet", DataIO.INPUT_FORMATS);
      List<String> columns = o.containsKey("columns")
          ? Arrays.stream(o.get("columns").split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList()
          : List.of();
      if (input == null && o.get("output") == null) {
        if (Files.isDirectory(java.nio.file.Path.of(Idx.FASHION_MNIST_DIR))) {
          input = Idx.FASHION_MNIST_DIR + "/train";
          inputFormat = "idx";
          columns = List.of("features");
        }
      } else if (input == null || o.get("output") == null) {
        throw new JobArgs.UsageException("--input and --output go together");
      }
      String output = o.getOrDefault("output", Jobs.defaultOutput("preprocess"));
      String outputFormat = JobArgs.oneOf(o, "output-format", "parquet", DataIO.OUTPUT_FORMATS);
      return new Options(input, output, inputFormat, outputFormat, columns,
          JobArgs.finiteDouble(o, "alpha", LeakyRelu.DEFAULT_ALPHA), JobArgs.flag(o, "overwrite", false));
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job on the active (or a new) session; returns the exit status. */
  public static int run(String[] args) {
    return Jobs.run("preprocess", USAGE, args, Options::parse, (spark, options) -> {
      long rows = run(spark, options);
      System.out.printf("preprocess: wrote %d rows to %s (%s)%n", rows, options.output(), options.outputFormat());
    });
  }

  /** Reads, transforms and writes; returns the number of rows written. */
  static long run(SparkSession spark, Options options) throws IOException {
    DataIO.checkOutput(spark, options.input() == null ? List.of() : List.of(options.input()), options.output(),
        options.overwrite());
    Dataset<Row> input = options.input() == null ? generated(spark) : DataIO.read(spark, options.input(), options.inputFormat());
    List<String> chosen = options.columns().isEmpty() ? supportedColumns(input) : options.columns();
    List<String> names = Arrays.asList(input.columns());
    for (String name : chosen) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("Column " + name + " does not exist in "
            + (options.input() == null ? "the generated data" : options.input()) + ". Available: " + String.join(", ", names));
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("No numeric, array or vector column to transform in " + options.input());
    }
    List<Column> columns = new ArrayList<>();
    for (StructField field : input.schema().fields()) {
      Column column = input.col(Jobs.quote(field.name()));
      columns.add(chosen.contains(field.name())
          ? LeakyReluFunctions.leakyRelu(column, options.alpha()).as(field.name(), field.metadata())
          : column);
    }
    LOG.info("Applying Leaky ReLU (alpha {}) to {} of {} and writing {} to {}", options.alpha(), chosen,
        options.input() == null ? "generated data" : options.input(), options.outputFormat(), options.output());
    Dataset<Row> output = input.select(columns.toArray(new Column[0]));
    DataIO.write(output, options.output(), options.outputFormat(), options.overwrite());
    return spark.read().format(options.outputFormat()).load(options.output()).count();
  }

  static List<String> supportedColumns(Dataset<Row> data) {
    return Arrays.stream(data.schema().fields())
        .filter(f -> LeakyReluTypes.resultType(f.dataType()) != null)
        .map(StructField::name)
        .toList();
  }

  static Dataset<Row> generated(SparkSession spark) {
    LOG.info("No --input and no Fashion-MNIST at {}: generating 60000 rows of 784 features", Idx.FASHION_MNIST_DIR);
    return Generated.rows(spark, 60_000, 784);
  }

  private Preprocess() {}
}
