package dev.leakyspark.ml.classification;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of an unfinished {@link LeakyMLPClassifier} fit, after {@code iteration} iterations
 * (l-bfgs) or epochs (adam): the weights, Adam's moments and step count, the last block-momentum
 * update, and the loss history. Each one is a folder {@code iteration-NNNNNNNN} of one Parquet row
 * under the checkpoint folder, complete when Spark's {@code _SUCCESS} is in it; the two newest
 * are kept. Format 1 (before block momentum) still loads, with no update carried over.
 */
record TrainingCheckpoint(String solver, int[] layers, double alpha, int iteration, double[] weights,
    double[] adamM, double[] adamV, long adamSteps, double[] blockDelta, double[] history) {

  private static final Logger LOG = LoggerFactory.getLogger(TrainingCheckpoint.class);
  static final int FORMAT_VERSION = 2;
  private static final String PREFIX = "iteration-";
  private static final StructType SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("solver", DataTypes.StringType, false)
      .add("layers", new ArrayType(DataTypes.IntegerType, false), false)
      .add("alpha", DataTypes.DoubleType, false)
      .add("iteration", DataTypes.IntegerType, false)
      .add("weights", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamM", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamV", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamSteps", DataTypes.LongType, false)
      .add("history", new ArrayType(DataTypes.DoubleType, false), false)
      .add("blockDelta", new ArrayType(DataTypes.DoubleType, false), true);

  /** Writes this checkpoint under {@code dir}, then drops all but the two newest. */
  void write(SparkSession spark, String dir) throws IOException {
    Path path = new Path(dir, String.format("%s%08d", PREFIX, iteration));
    Row row = RowFactory.create(FORMAT_VERSION, solver, layers, alpha, iteration, weights, adamM, adamV,
        adamSteps, history, blockDelta);
    spark.createDataFrame(List.of(row), SCHEMA).write().mode("overwrite").parquet(path.toString());
    List<Path> complete = complete(spark, dir);
    for (Path old : complete.subList(0, Math.max(0, complete.size() - 2))) {
      old.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(old, true);
    }
    LOG.info("Checkpoint of iteration {} written to {}", iteration, path);
  }

  /** The newest complete checkpoint under {@code dir}, or null when there is none. */
  static TrainingCheckpoint latest(SparkSession spark, String dir) throws IOException {
    List<Path> complete = complete(spark, dir);
    if (complete.isEmpty()) {
      return null;
    }
    Path newest = complete.get(complete.size() - 1);
    Row row;
    try {
      row = spark.read().schema(SCHEMA).parquet(newest.toString()).first();
    } catch (Exception e) { // Spark's read errors are thrown undeclared
      throw new IOException("Cannot read the training checkpoint " + newest + ": " + e.getMessage(), e);
    }
    int version = row.getInt(0);
    if (version < 1 || version > FORMAT_VERSION) {
      throw new IOException("Training checkpoint " + newest + " has format version " + version
          + ", but this leaky-spark reads versions 1 to " + FORMAT_VERSION);
    }
    return new TrainingCheckpoint(row.getString(1), ints(row.getList(2)), row.getDouble(3), row.getInt(4),
        doubles(row.getList(5)), doubles(row.getList(6)), doubles(row.getList(7)), row.getLong(8),
        row.isNullAt(10) ? new double[0] : doubles(row.getList(10)), doubles(row.getList(9)));
  }

  /**
   * The newest checkpoint in {@code dir} to resume from, or null when {@code dir} is empty or
   * holds none; refuses one written by a fit with another solver, layers or alpha.
   */
  static TrainingCheckpoint resumable(SparkSession spark, String dir, String solver, int[] layers, double alpha) {
    if (dir.isEmpty()) {
      return null;
    }
    try {
      TrainingCheckpoint latest = latest(spark, dir);
      if (latest != null) {
        latest.checkMatches(dir, solver, layers, alpha);
        LOG.info("LeakyMLPClassifier: resuming from the checkpoint of iteration {} in {}", latest.iteration(), dir);
      }
      return latest;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes this checkpoint under {@code dir}, failing with the folder named. */
  void save(SparkSession spark, String dir) {
    try {
      write(spark, dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write a checkpoint to " + dir, e);
    }
  }

  /** Refuses a checkpoint written by a fit with other layers, alpha or solver. */
  void checkMatches(String dir, String solver, int[] layers, double alpha) {
    if (!this.solver.equals(solver) || !Arrays.equals(this.layers, layers)
        || Double.compare(this.alpha, alpha) != 0) {
      throw new IllegalArgumentException("The checkpoint in " + dir + " was written by a fit with solver "
          + this.solver + ", layers " + Arrays.toString(this.layers) + " and alpha " + this.alpha
          + ", but this fit has " + solver + ", " + Arrays.toString(layers) + " and " + alpha
          + ". Use another checkpointDir, or delete that one to start over.");
    }
  }

  /** Complete checkpoint folders, oldest first. */
  private static List<Path> complete(SparkSession spark, String dir) throws IOException {
    Path root = new Path(dir);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<Path> found = new ArrayList<>();
    if (!fs.exists(root)) {
      return found;
    }
    for (FileStatus status : fs.listStatus(root)) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.startsWith(PREFIX) && fs.exists(new Path(status.getPath(), "_SUCCESS"))) {
        found.add(status.getPath());
      }
    }
    found.sort((a, b) -> a.getName().compareTo(b.getName()));
    return found;
  }

  private static int[] ints(List<Object> list) {
    return list.stream().mapToInt(o -> (Integer) o).toArray();
  }

  private static double[] doubles(List<Object> list) {
    return list.stream().mapToDouble(o -> (Double) o).toArray();
  }
}
