package dev.leakyspark.ml.classification;

import java.io.Serializable;

/**
 * What training did: the objective (mean cross-entropy plus the L2 term) before the first and
 * after each iteration (l-bfgs) or epoch (adam).
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

  /** The objective at the start and after each iteration. */
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  /** Iterations (l-bfgs) or epochs (adam) run. */
  public int totalIterations() {
    return totalIterations;
  }
}
