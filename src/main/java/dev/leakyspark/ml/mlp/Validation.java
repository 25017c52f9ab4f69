package dev.leakyspark.ml.mlp;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.EarlyStopping;
import dev.leakyspark.nn.Network;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * The validation rows of a fit and its early stopping: after each iteration or epoch, the
 * weighted mean loss of the rows (no L2 term), summed in {@link TreeSum}'s order. That is the
 * classifier's log loss and the regressor's mean squared error on the label's own scale
 * ({@code lossScale} undoes the standardised label and the squared error's half).
 *
 * <pre>{@code
 * Validation validation = Validation.of(spark, net, blocks, 1.0, new EarlyStopping(10, 1e-4), "LeakyMLPClassifier");
 * boolean stop = validation.record(epoch, weights);
 * }</pre>
 */
final class Validation {

  private static final Logger LOG = LoggerFactory.getLogger(Validation.class);
  private static final Validation NONE = new Validation(null, null, null, 0, null, null);

  private final SparkSession spark;
  private final Network net;
  private final TrainingBlocks blocks;
  private final double lossScale;
  private final EarlyStopping stopping;
  private final String stage;

  private Validation(SparkSession spark, Network net, TrainingBlocks blocks, double lossScale,
      EarlyStopping stopping, String stage) {
    this.spark = spark;
    this.net = net;
    this.blocks = blocks;
    this.lossScale = lossScale;
    this.stopping = stopping;
    this.stage = stage;
  }

  /** No validation rows: nothing is scored, nothing stops a fit. */
  static Validation none() {
    return NONE;
  }

  static Validation of(SparkSession spark, Network net, TrainingBlocks blocks, double lossScale,
      EarlyStopping stopping, String stage) {
    return new Validation(spark, net, blocks, lossScale, stopping, stage);
  }

  boolean present() {
    return blocks != null;
  }

  EarlyStopping stopping() {
    return stopping;
  }

  /**
   * Whether a resumed fit had already met its early-stopping rule at its checkpoint, so that it
   * ends there, as the uninterrupted fit did.
   */
  boolean stoppedAlready(FitSpec spec) {
    return present() && spec.numEarlyStoppingRounds() > 0 && stopping.bestIteration() >= 0
        && stopping.sinceBest() >= spec.numEarlyStoppingRounds();
  }

  /** Scores {@code weights} after {@code iteration}, logs the loss, and returns whether the fit stops early now. */
  boolean record(int iteration, double[] weights) {
    if (!present()) {
      return false;
    }
    double loss = lossScale * lossSum(weights) / blocks.weightSum;
    boolean stop = stopping.record(iteration, loss, weights);
    LOG.info("{} validation loss after {}: {} (best {} after {})", stage, iteration,
        String.format(Locale.ROOT, "%.6f", loss), String.format(Locale.ROOT, "%.6f", stopping.bestLoss()),
        stopping.bestIteration());
    if (stop) {
      LOG.info("{} stops early: {} iterations or epochs without a better validation loss; keeping the weights"
          + " after {}", stage, stopping.sinceBest(), stopping.bestIteration());
    }
    return stop;
  }

  private double lossSum(double[] weights) {
    Broadcast<double[]> shared = spark.sparkContext().broadcast(weights, ClassTag$.MODULE$.apply(double[].class));
    try {
      Network network = net;
      JavaRDD<double[]> parts = blocks.blocks.mapPartitions(it -> {
        double sum = 0;
        while (it.hasNext()) {
          Block block = it.next();
          sum += network.loss(shared.value(), block);
        }
        return List.of(new double[] {sum}).iterator();
      });
      return TreeSum.sum(parts, 1)[0];
    } finally {
      shared.destroy();
    }
  }

  /**
   * The training rows of {@code dataset} and its validation rows (null without
   * {@code validationIndicatorCol}), refusing a null in the column, and a split that leaves no
   * training or no validation rows, naming the column.
   */
  static Dataset<?>[] split(FitSpec spec, Dataset<?> dataset) {
    String column = spec.validationIndicatorCol();
    if (column == null) {
      return new Dataset<?>[] {dataset, null};
    }
    long[] counts = new long[3]; // false, true, null
    for (Row row : dataset.groupBy(col(column)).count().collectAsList()) {
      counts[row.isNullAt(0) ? 2 : row.getBoolean(0) ? 1 : 0] = row.getLong(1);
    }
    String named = spec.stage() + ": column " + column;
    if (counts[2] > 0) {
      throw new IllegalArgumentException(named + " holds null in " + counts[2]
          + " rows; say true (a validation row) or false (a training row) for each");
    }
    if (counts[0] == 0 || counts[1] == 0) {
      throw new IllegalArgumentException(named + " is " + (counts[0] == 0 ? "true" : "false") + " in every row, so no "
          + (counts[0] == 0 ? "training" : "validation") + " rows are left; validation rows are those where it is true");
    }
    return new Dataset<?>[] {dataset.filter(not(col(column))), dataset.filter(col(column))};
  }

  /** The early stopping of {@code spec}, at its state in {@code resumed} when a checkpoint holds one. */
  static EarlyStopping stopping(FitSpec spec, TrainingCheckpoint resumed) {
    EarlyStopping stopping = new EarlyStopping(spec.numEarlyStoppingRounds(), spec.validationTol());
    TrainingCheckpoint.ValidationState state = resumed == null ? null : resumed.validation();
    return state == null ? stopping : stopping.resume(state.history(), state.first(), state.bestWeights());
  }
}
