package dev.leakyspark.ml.classification;

import java.io.Serializable;

/**
 * What training did: the objective (mean cross-entropy plus the L2 term) at the start and after
 * each iteration (l-bfgs), or of each epoch, the mean over its mini-batches (adam).
 *
 * <pre>{@code
 * double[] losses = model.summary().objectiveHistory();
 * }</pre>
 */
public final class LeakyMLPTrainingSummary implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double[] objectiveHistory;
  private final int totalIterations;
  private final int numPartitions;

  LeakyMLPTrainingSummary(double[] objectiveHistory, int totalIterations, int numPartitions) {
    this.objectiveHistory = objectiveHistory.clone();
    this.totalIterations = totalIterations;
    this.numPartitions = numPartitions;
  }

  /** l-bfgs: the objective at the start and after each iteration; adam: each epoch's objective. */
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  /** Iterations (l-bfgs) or epochs (adam) run. */
  public int totalIterations() {
    return totalIterations;
  }

  /** The partitions the fit trained on: {@code numPartitions}, or the number it chose from the data. */
  public int numPartitions() {
    return numPartitions;
  }
}
