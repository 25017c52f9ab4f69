package dev.leakyspark.jobs;

import dev.leakyspark.data.Idx;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/** Reading job inputs by format, and writing outputs without ever touching the input. */
final class DataIO {

  static final List<String> INPUT_FORMATS = List.of("parquet", "csv", "json", "libsvm", "idx");
  static final List<String> OUTPUT_FORMATS = List.of("parquet", "json", "orc", "csv");

  private DataIO() {}

  /**
   * Reads {@code path} as {@code format}. CSV has a header and inferred types. For {@code idx},
   * {@code path} is a prefix such as {@code /usr/share/datasets/fashion-mnist/train}, naming
   * {@code PREFIX-images-idx3-ubyte[.gz]} and {@code PREFIX-labels-idx1-ubyte[.gz]}.
   */
  static Dataset<Row> read(SparkSession spark, String path, String format) throws IOException {
    return read(spark, path, format, -1);
  }

  /**
   * {@link #read}; for {@code libsvm} with vectors of {@code numFeatures} when it is positive, as a
   * test set must have its training set's (the reader otherwise takes the largest index it sees).
   */
  static Dataset<Row> read(SparkSession spark, String path, String format, int numFeatures) throws IOException {
    if (format.equals("idx")) {
      return Idx.load(spark, idxFile(path, "images-idx3-ubyte"), idxFile(path, "labels-idx1-ubyte"));
    }
    Path input = new Path(path);
    FileSystem fs = input.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(input)) {
      throw new IOException("Input " + path + " does not exist");
    }
    try {
      return switch (format) {
        case "csv" -> spark.read().option("header", "true").option("inferSchema", "true")
            .option("mode", "FAILFAST").csv(path);
        case "json" -> spark.read().option("mode", "FAILFAST").json(path);
        case "libsvm" -> numFeatures > 0
            ? spark.read().format("libsvm").option("numFeatures", numFeatures).load(path)
            : spark.read().format("libsvm").load(path);
        default -> spark.read().parquet(path);
      };
    } catch (Exception e) { // AnalysisException is checked in Java but thrown undeclared
      throw new IOException("Cannot read " + path + " as " + format + ": " + e.getMessage(), e);
    }
  }

  /** The size of the vectors in column {@code features}: from its metadata, else from its first row. */
  static int vectorSize(Dataset<Row> data, String features) {
    int size = AttributeGroup.fromStructField(data.schema().apply(features)).size();
    if (size < 0) {
      Row first = data.select(features).first();
      size = first.isNullAt(0) ? -1 : ((Vector) first.get(0)).size();
    }
    return size;
  }

  private static String idxFile(String prefix, String suffix) throws IOException {
    for (String name : List.of(prefix + "-" + suffix + ".gz", prefix + "-" + suffix)) {
      if (Files.exists(java.nio.file.Path.of(name))) {
        return name;
      }
    }
    throw new IOException("IDX input " + prefix + ": neither " + prefix + "-" + suffix + ".gz nor "
        + prefix + "-" + suffix + " exists");
  }

  /** Refuses an output that is, holds or lies inside any of {@code inputs}. */
  static void checkApart(SparkSession spark, List<String> inputs, String output) throws IOException {
    String outPath = qualified(spark, output);
    for (String input : inputs) {
      String inPath = qualified(spark, input);
      if (outPath.startsWith(inPath) || inPath.startsWith(outPath)) {
        throw new IOException(
            "Output " + output + " overlaps input " + input + "; a job never writes into its input");
      }
    }
  }

  /** {@link #checkApart}, and refuses an output that exists without {@code overwrite}. */
  static void checkOutput(SparkSession spark, List<String> inputs, String output, boolean overwrite)
      throws IOException {
    checkApart(spark, inputs, output);
    Path out = new Path(output);
    if (!overwrite && out.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(out)) {
      throw new IOException("Output " + output + " already exists; pass --overwrite to replace it");
    }
  }

  private static String qualified(SparkSession spark, String path) throws IOException {
    Path p = new Path(path);
    return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p) + "/";
  }

  /**
   * Writes through Spark's committer, which adds {@code _SUCCESS} only when every task has
   * committed, so a failed run never looks complete.
   */
  static void write(Dataset<Row> data, String output, String format, boolean overwrite)
      throws IOException {
    if (format.equals("csv")) {
      for (StructField field : data.schema().fields()) {
        if (field.dataType() instanceof ArrayType || field.dataType() instanceof StructType
            || field.dataType() instanceof MapType || field.dataType() instanceof UserDefinedType) {
          throw new IOException("CSV cannot hold column " + field.name() + " of type "
              + field.dataType().simpleString() + "; use --output-format parquet or json");
        }
      }
    }
    // CSV gets a header, as the jobs read CSV: without one, reading it back would lose the first row
    data.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).format(format)
        .option("header", format.equals("csv")).save(output);
  }

  /**
   * A new hidden sibling of {@code target} ({@code .NAME.staging-UUID}), for output that
   * {@link #commit} moves into place only once it is complete.
   */
  static Path staging(String target) {
    Path path = new Path(target);
    return new Path(path.getParent(), "." + path.getName() + ".staging-" + java.util.UUID.randomUUID());
  }

  /** Moves a complete {@code staging} directory to {@code target}, replacing it only when {@code overwrite}. */
  static void commit(SparkSession spark, Path staging, String target, boolean overwrite) throws IOException {
    Path out = new Path(target);
    FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(out)) {
      if (!overwrite) {
        throw new IOException("Output " + target + " already exists; pass --overwrite to replace it");
      }
      fs.delete(out, true);
    }
    if (!fs.rename(staging, out)) {
      throw new IOException("Cannot move " + staging + " to " + target);
    }
  }

  /** Deletes a staging directory that will not be committed; quiet when it is not there. */
  static void discard(SparkSession spark, Path staging) {
    try {
      staging.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(staging, true);
    } catch (IOException e) {
      // best effort: a hidden leftover, never mistaken for output
    }
  }
}
