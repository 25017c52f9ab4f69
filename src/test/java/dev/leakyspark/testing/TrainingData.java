package dev.leakyspark.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.mlp.FitCheckpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small seeded training sets (columns {@code label}, {@code features}) and fit helpers for the tests of the MLP stages. */
public final class TrainingData {

  private TrainingData() {}

  /** Three Gaussian blobs in 4 dimensions, labels 0, 1, 2 in turn. */
  public static Dataset<Row> blobs(SparkSession spark, int rows, long seed) {
    Random random = new Random(seed);
    double[][] centres = {{2, 0, 0, 1}, {-2, 1, 0, 0}, {0, -2, 2, 0}};
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = i % 3;
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = centres[label][j] + 0.7 * random.nextGaussian();
      }
      data.add(RowFactory.create((double) label, Vectors.dense(x)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    return spark.createDataFrame(data, schema);
  }

  /**
   * Sparse rows as hashed text gives them: {@code nonZeros} features of {@code dims} set to 1 per
   * row, a third of them from a set of 50 features that tell the row's class (0, 1 or 2) and the
   * rest drawn from every feature; as {@code SparseVector}s, or dense ones when {@code dense}.
   */
  public static Dataset<Row> sparseText(SparkSession spark, int rows, int dims, int nonZeros, long seed, boolean dense) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int label = random.nextInt(3);
      java.util.TreeSet<Integer> features = new java.util.TreeSet<>();
      while (features.size() < nonZeros / 3) {
        features.add((label * 50 + random.nextInt(50)) * 7919 % dims);
      }
      while (features.size() < nonZeros) {
        features.add(random.nextInt(dims));
      }
      int[] indices = features.stream().mapToInt(Integer::intValue).toArray();
      double[] ones = new double[indices.length];
      java.util.Arrays.fill(ones, 1.0);
      org.apache.spark.ml.linalg.Vector v = Vectors.sparse(dims, indices, ones);
      data.add(RowFactory.create((double) label, dense ? v.toDense() : v));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    return spark.createDataFrame(data, schema);
  }

  /**
   * Four-feature rows whose label is a smooth nonlinear function of the features plus a little
   * noise, on the scale {@code scale * f(x) + shift}.
   */
  public static Dataset<Row> waves(SparkSession spark, int rows, long seed, double scale, double shift) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double[] x = new double[4];
      for (int j = 0; j < 4; j++) {
        x[j] = 2 * random.nextDouble() - 1;
      }
      double y = Math.sin(3 * x[0]) + x[1] * x[2] - 0.5 * Math.abs(x[3]) + 0.05 * random.nextGaussian();
      data.add(RowFactory.create(scale * y + shift, Vectors.dense(x)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    return spark.createDataFrame(data, schema);
  }

  /** Fits until the checkpoint of {@code iteration} is written, then stops there as a killed driver would. */
  public static void fitUntilCheckpoint(Estimator<?> mlp, Dataset<Row> data, int iteration) {
    try (LogCapture stop =
        LogCapture.stoppingAt(FitCheckpoints.class, "Checkpoint of iteration " + iteration + " written")) {
      RuntimeException e = assertThrows(RuntimeException.class, () -> mlp.fit(data));
      boolean stopped = false;
      for (Throwable t = e; t != null; t = t.getCause()) {
        stopped |= t instanceof LogCapture.Stopped;
      }
      assertTrue(stopped, "stopped by the test, not by " + e);
    }
  }
}
