package dev.leakyspark.ml.mlp;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The state of an unfinished MLP fit, after {@code iteration} iterations
 * (l-bfgs) or epochs (adam): the weights, Adam's moments and step count, the last block-momentum
 * update and the loss history, with the {@code fingerprint} of the fit that wrote it (its params
 * and its data). One Parquet row in a folder of {@link FitCheckpoints}.
 */
record TrainingCheckpoint(Map<String, String> fingerprint, int iteration, double[] weights, double[] adamM,
    double[] adamV, long adamSteps, double[] blockDelta, double[] history) {

  /** Format 3 added the fingerprint; earlier checkpoints have none and are never resumed. */
  static final int FORMAT_VERSION = 3;
  private static final StructType SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("fingerprint", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false)
      .add("iteration", DataTypes.IntegerType, false)
      .add("weights", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamM", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamV", new ArrayType(DataTypes.DoubleType, false), false)
      .add("adamSteps", DataTypes.LongType, false)
      .add("history", new ArrayType(DataTypes.DoubleType, false), false)
      .add("blockDelta", new ArrayType(DataTypes.DoubleType, false), false);

  /** Writes this checkpoint as one Parquet row at {@code path}. */
  void write(SparkSession spark, Path path) {
    Row row = RowFactory.create(FORMAT_VERSION, JavaConverters.mapAsScalaMap(fingerprint), iteration, weights,
        adamM, adamV, adamSteps, history, blockDelta);
    spark.createDataFrame(List.of(row), SCHEMA).write().mode("overwrite").parquet(path.toString());
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
    if (version != FORMAT_VERSION) {
      throw new IOException("Training checkpoint " + path + " has format version " + version
          + ", but this leaky-spark reads version " + FORMAT_VERSION);
    }
    Map<String, String> fingerprint = new LinkedHashMap<>(row.getJavaMap(row.fieldIndex("fingerprint")));
    return new TrainingCheckpoint(fingerprint, row.getInt(row.fieldIndex("iteration")), doubles(row, "weights"),
        doubles(row, "adamM"), doubles(row, "adamV"), row.getLong(row.fieldIndex("adamSteps")),
        doubles(row, "blockDelta"), doubles(row, "history"));
  }

  private static double[] doubles(Row row, String field) {
    List<Object> list = row.getList(row.fieldIndex(field));
    return list.stream().mapToDouble(o -> (Double) o).toArray();
  }
}
