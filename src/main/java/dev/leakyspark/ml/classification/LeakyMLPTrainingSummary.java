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

  LeakyMLPTrainingSummary(double[] objectiveHistory, int totalIterations) {
    this.objectiveHistory = objectiveHistory.clone();
    this.totalIterations = totalIterations;
  }

  /** l-bfgs: the objective at the start and after each iteration; adam: each epoch's objective. */
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  /** Iterations (l-bfgs) or epochs (adam) run. */
  public int totalIterations() {
    return totalIterations;
  }
}
