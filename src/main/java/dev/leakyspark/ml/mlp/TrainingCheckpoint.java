package dev.leakyspark.ml.mlp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The state of an unfinished MLP fit, after {@code iteration} iterations (l-bfgs) or epochs
 * (adam): the weights, the loss history and the solver's own state, with the {@code fingerprint}
 * of the fit that wrote it (its params and its data). A folder of {@link FitCheckpoints}: the
 * weight-sized arrays streamed as doubles to {@value #ARRAYS} (so a first layer of millions of
 * weights costs no copy of them), then one Parquet row of the rest, whose {@code _SUCCESS} marks
 * the checkpoint complete.
 */
record TrainingCheckpoint(Map<String, String> fingerprint, int iteration, double[] weights, double[] history,
    SolverState solver, ValidationState validation) {

  /** The checkpoint of a fit without validation rows. */
  TrainingCheckpoint(Map<String, String> fingerprint, int iteration, double[] weights, double[] history,
      SolverState solver) {
    this(fingerprint, iteration, weights, history, solver, null);
  }

  /**
   * With validation rows: their loss after each iteration or epoch so far, from {@code first},
   * and the iteration and weights of the best.
   */
  record ValidationState(double[] history, int first, int bestIteration, double[] bestWeights) {

    static ValidationState of(Validation validation, int first) {
      return validation.present() ? new ValidationState(validation.stopping().history(), first,
          validation.stopping().bestIteration(), validation.stopping().bestWeights()) : null;
    }
  }

  /** What a solver needs besides the weights and the history to go on where it stopped. */
  sealed interface SolverState permits AdamState, LbfgsState {}

  /** Adam's moments and step count, and the last block-momentum update. */
  record AdamState(double[] firstMoment, double[] secondMoment, long steps, double[] blockDelta)
      implements SolverState {}

  /** L-BFGS starts a fresh memory at a checkpoint, so it keeps nothing more. */
  record LbfgsState() implements SolverState {}

  /**
   * Format 3 added the fingerprint, format 4 moved the arrays out of the Parquet row, format 5
   * added the validation state (the best weights last among the arrays).
   */
  static final int FORMAT_VERSION = 5;
  /** The arrays' file: its leading underscore keeps Spark's Parquet reader off it. */
  static final String ARRAYS = "_arrays";
  private static final int CHUNK = 1 << 16;
  private static final StructType SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("fingerprint", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false)
      .add("iteration", DataTypes.IntegerType, false)
      .add("adamSteps", DataTypes.LongType, false)
      .add("history", new ArrayType(DataTypes.DoubleType, false), false)
      .add("arrayLengths", new ArrayType(DataTypes.IntegerType, false), false)
      .add("validationHistory", new ArrayType(DataTypes.DoubleType, false), true)
      .add("validationFirst", DataTypes.IntegerType, false)
      .add("bestIteration", DataTypes.IntegerType, false);

  /** Writes this checkpoint to the folder {@code path}: the arrays, then the Parquet row and its {@code _SUCCESS}. */
  void write(SparkSession spark, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.delete(path, true);
    List<double[]> all = new java.util.ArrayList<>(List.of(weights));
    if (solver instanceof AdamState adam) {
      all.addAll(List.of(adam.firstMoment(), adam.secondMoment(), adam.blockDelta()));
    }
    if (validation != null && validation.bestWeights() != null) {
      all.add(validation.bestWeights());
    }
    double[][] arrays = all.toArray(new double[0][]);
    long steps = solver instanceof AdamState adam ? adam.steps() : 0;
    try (OutputStream out = fs.create(new Path(path, ARRAYS), false)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK * Double.BYTES);
      for (double[] array : arrays) {
        for (int from = 0; from < array.length; from += CHUNK) {
          buffer.clear();
          buffer.asDoubleBuffer().put(array, from, Math.min(CHUNK, array.length - from));
          out.write(buffer.array(), 0, Math.min(CHUNK, array.length - from) * Double.BYTES);
        }
      }
    }
    List<Integer> lengths = java.util.Arrays.stream(arrays).map(a -> a.length).toList();
    Row row = RowFactory.create(FORMAT_VERSION, JavaConverters.mapAsScalaMap(fingerprint), iteration, steps,
        history, lengths.toArray(new Integer[0]), validation == null ? null : validation.history(),
        validation == null ? 0 : validation.first(), validation == null ? -1 : validation.bestIteration());
    spark.createDataFrame(List.of(row), SCHEMA).write().mode("append").parquet(path.toString());
  }

  /** Reads the checkpoint at {@code path}, refusing an unreadable one or one of another format. */
  static TrainingCheckpoint read(SparkSession spark, Path path) throws IOException {
    Row row;
    try {
      row = spark.read().parquet(path.toString()).first();
    } catch (Exception e) { // Spark's read errors are thrown undeclared
      throw new IOException("Cannot read the training checkpoint " + path + ": " + e.getMessage(), e);
    }
    int version = row.getInt(row.fieldIndex("formatVersion"));
    if (version != FORMAT_VERSION && version != 4) {
      throw new IOException("Training checkpoint " + path + " has format version " + version
          + ", but this leaky-spark reads versions 4 and " + FORMAT_VERSION);
    }
    Map<String, String> fingerprint = new LinkedHashMap<>(row.getJavaMap(row.fieldIndex("fingerprint")));
    List<Integer> lengths = row.getList(row.fieldIndex("arrayLengths"));
    double[][] arrays = new double[lengths.size()][];
    Path file = new Path(path, ARRAYS);
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    long expected = lengths.stream().mapToLong(n -> (long) n * Double.BYTES).sum();
    if (!fs.exists(file) || fs.getFileStatus(file).getLen() != expected) {
      throw new IOException("Cannot read the training checkpoint " + path + ": " + ARRAYS + " should hold "
          + expected + " bytes but " + (fs.exists(file) ? "holds " + fs.getFileStatus(file).getLen() : "is missing"));
    }
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(fs.open(file), CHUNK * Double.BYTES))) {
      byte[] bytes = new byte[CHUNK * Double.BYTES];
      for (int a = 0; a < arrays.length; a++) {
        arrays[a] = new double[lengths.get(a)];
        for (int from = 0; from < arrays[a].length; from += CHUNK) {
          int count = Math.min(CHUNK, arrays[a].length - from);
          in.readFully(bytes, 0, count * Double.BYTES);
          ByteBuffer.wrap(bytes, 0, count * Double.BYTES).asDoubleBuffer().get(arrays[a], from, count);
        }
      }
    }
    ValidationState validation = null;
    if (version >= 5 && !row.isNullAt(row.fieldIndex("validationHistory"))) {
      int best = row.getInt(row.fieldIndex("bestIteration"));
      double[] bestWeights = best >= 0 ? arrays[arrays.length - 1] : null;
      if (best >= 0) {
        arrays = java.util.Arrays.copyOf(arrays, arrays.length - 1);
      }
      validation = new ValidationState(doubles(row, "validationHistory"), row.getInt(row.fieldIndex("validationFirst")),
          best, bestWeights);
    }
    boolean adam = LeakyMLPParams.ADAM.equals(fingerprint.get("solver"));
    // l-bfgs checkpoints of format 4 hold three empty arrays after the weights
    if (adam ? arrays.length != 4 : arrays.length != 1 && arrays.length != 4) {
      throw new IOException("Cannot read the training checkpoint " + path + ": it holds " + arrays.length
          + (arrays.length == 1 ? " array" : " arrays") + ", which is not what " + fingerprint.get("solver") + " keeps");
    }
    SolverState state = adam
        ? new AdamState(arrays[1], arrays[2], row.getLong(row.fieldIndex("adamSteps")), arrays[3])
        : new LbfgsState();
    return new TrainingCheckpoint(fingerprint, row.getInt(row.fieldIndex("iteration")), arrays[0],
        doubles(row, "history"), state, validation);
  }

  private static double[] doubles(Row row, String field) {
    List<Object> list = row.getList(row.fieldIndex(field));
    return list.stream().mapToDouble(o -> (Double) o).toArray();
  }
}
