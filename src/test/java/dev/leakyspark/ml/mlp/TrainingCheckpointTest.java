package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Each solver's checkpoint state, written and read back; and the l-bfgs checkpoints earlier versions wrote. */
@ExtendWith(SharedSpark.class)
class TrainingCheckpointTest {

  private static final double[] WEIGHTS = {0.5, -1.25, 3e-300, Double.MIN_VALUE};
  private static final double[] HISTORY = {2.3, 1.1, 0.7};

  private static org.apache.hadoop.fs.Path at(Path dir, String name) {
    return new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
  }

  @Test
  void adamKeepsItsMomentsStepsAndBlockMomentum(SparkSession spark, @TempDir Path dir) throws IOException {
    TrainingCheckpoint.AdamState adam =
        new TrainingCheckpoint.AdamState(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, 41, new double[] {-1, 0, 1, 2});
    new TrainingCheckpoint(Map.of("solver", "adam"), 6, WEIGHTS, HISTORY, adam).write(spark, at(dir, "a"));
    TrainingCheckpoint read = TrainingCheckpoint.read(spark, at(dir, "a"));
    assertEquals(6, read.iteration());
    assertArrayEquals(WEIGHTS, read.weights(), 0.0);
    assertArrayEquals(HISTORY, read.history(), 0.0);
    TrainingCheckpoint.AdamState back = assertInstanceOf(TrainingCheckpoint.AdamState.class, read.solver());
    assertArrayEquals(adam.firstMoment(), back.firstMoment(), 0.0);
    assertArrayEquals(adam.secondMoment(), back.secondMoment(), 0.0);
    assertArrayEquals(adam.blockDelta(), back.blockDelta(), 0.0);
    assertEquals(41, back.steps());
  }

  @Test
  void lbfgsKeepsOnlyTheWeightsAndHistory(SparkSession spark, @TempDir Path dir) throws IOException {
    new TrainingCheckpoint(Map.of("solver", "l-bfgs"), 3, WEIGHTS, HISTORY, new TrainingCheckpoint.LbfgsState())
        .write(spark, at(dir, "l"));
    assertEquals(WEIGHTS.length * Double.BYTES,
        java.nio.file.Files.size(dir.resolve("l").resolve(TrainingCheckpoint.ARRAYS)), "the weights alone");
    TrainingCheckpoint read = TrainingCheckpoint.read(spark, at(dir, "l"));
    assertInstanceOf(TrainingCheckpoint.LbfgsState.class, read.solver());
    assertArrayEquals(WEIGHTS, read.weights(), 0.0);
    assertArrayEquals(HISTORY, read.history(), 0.0);
  }

  @Test
  void theValidationStateComesBackWithEitherSolver(SparkSession spark, @TempDir Path dir) throws IOException {
    TrainingCheckpoint.ValidationState validation =
        new TrainingCheckpoint.ValidationState(new double[] {0.9, 0.7, 0.8}, 1, 2, new double[] {7, 8, 9, 10});
    double[] none = new double[] {1, 2, 3, 4};
    TrainingCheckpoint.SolverState[] solvers = {new TrainingCheckpoint.LbfgsState(),
        new TrainingCheckpoint.AdamState(none, none, 5, none)};
    for (TrainingCheckpoint.SolverState solver : solvers) {
      String name = solver instanceof TrainingCheckpoint.AdamState ? "adam" : "l-bfgs";
      Map<String, String> fingerprint = Map.of("solver", name, "validation hash", "12");
      new TrainingCheckpoint(fingerprint, 3, WEIGHTS, HISTORY, solver, validation).write(spark, at(dir, name));
      TrainingCheckpoint read = TrainingCheckpoint.read(spark, at(dir, name));
      assertEquals(solver.getClass(), read.solver().getClass());
      assertArrayEquals(validation.history(), read.validation().history(), 0.0);
      assertEquals(1, read.validation().first());
      assertEquals(2, read.validation().bestIteration());
      assertArrayEquals(validation.bestWeights(), read.validation().bestWeights(), 0.0);
      assertArrayEquals(WEIGHTS, read.weights(), 0.0);
    }
  }

  @Test
  void twinFitsInOneFolderNeverWriteIntoEachOthersCheckpoints(SparkSession spark, @TempDir Path dir) throws Exception {
    Map<String, String> fingerprint = Map.of("solver", "l-bfgs", "data hash", "1");
    FitCheckpoints a = FitCheckpoints.of(spark, dir.toString(), 2, fingerprint);
    FitCheckpoints b = FitCheckpoints.of(spark, dir.toString(), 2, fingerprint);
    TrainingCheckpoint second = new TrainingCheckpoint(fingerprint, 2, WEIGHTS, HISTORY, new TrainingCheckpoint.LbfgsState());
    a.save(second);
    b.save(second); // the twin's is there already: b's is dropped, a's stays whole
    try (var entries = java.nio.file.Files.list(dir)) {
      assertEquals(1, entries.count(), "one fit folder, nothing left aside");
    }
    a.finish(); // a ends first and removes the folder; b goes on
    b.save(new TrainingCheckpoint(fingerprint, 4, WEIGHTS, HISTORY, new TrainingCheckpoint.LbfgsState()));
    assertEquals(4, FitCheckpoints.of(spark, dir.toString(), 2, fingerprint).resumable().iteration());
    b.finish();
    try (var entries = java.nio.file.Files.list(dir)) {
      assertEquals(0, entries.count(), "both finished: nothing handed on");
    }
  }

  @Test
  void twoIdenticalFitsAtOnceInOneCheckpointDirEachEndAsAFitWithout(SparkSession spark, @TempDir Path dir)
      throws Exception {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> blobs =
        dev.leakyspark.testing.TrainingData.blobs(spark, 240, 3).cache();
    dev.leakyspark.ml.classification.LeakyMLPClassifier mlp = new dev.leakyspark.ml.classification.LeakyMLPClassifier()
        .setLayers(new int[] {4, 8, 3}).setSolver("adam").setBlockSize(16).setLocalSteps(2).setNumPartitions(2)
        .setMaxIter(6).setSeed(1);
    double[] alone = mlp.fit(blobs).weights().toArray();
    mlp.setCheckpointDir(dir.toString()).setCheckpointInterval(1);
    java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = two.submit(() -> mlp.fit(blobs).weights().toArray());
      var second = two.submit(() -> mlp.fit(blobs).weights().toArray());
      assertArrayEquals(alone, first.get(), 0.0);
      assertArrayEquals(alone, second.get(), 0.0);
    } finally {
      two.shutdown();
    }
    try (var entries = java.nio.file.Files.list(dir)) {
      assertEquals(java.util.List.of(), entries.map(p -> p.getFileName().toString()).toList());
    }
  }

  /** Earlier versions wrote l-bfgs checkpoints with Adam's three arrays left empty. */
  @Test
  void anEarlierLbfgsCheckpointStillResumes(SparkSession spark, @TempDir Path dir) throws IOException {
    double[] none = new double[0];
    new TrainingCheckpoint(Map.of("solver", "l-bfgs"), 3, WEIGHTS, HISTORY,
        new TrainingCheckpoint.AdamState(none, none, 0, none)).write(spark, at(dir, "old"));
    TrainingCheckpoint read = TrainingCheckpoint.read(spark, at(dir, "old"));
    assertInstanceOf(TrainingCheckpoint.LbfgsState.class, read.solver());
    assertArrayEquals(WEIGHTS, read.weights(), 0.0);
  }

  @Test
  void anAdamFingerprintOverWeightsAloneIsRefused(SparkSession spark, @TempDir Path dir) throws IOException {
    new TrainingCheckpoint(Map.of("solver", "adam"), 3, WEIGHTS, HISTORY, new TrainingCheckpoint.LbfgsState())
        .write(spark, at(dir, "odd"));
    IOException e = assertThrows(IOException.class, () -> TrainingCheckpoint.read(spark, at(dir, "odd")));
    assertTrue(e.getMessage().contains("holds 1 array, which is not what adam keeps"), e.getMessage());
  }
}
