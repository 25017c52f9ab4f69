package dev.leakyspark.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Early stopping on a validation loss: records the loss after each iteration (or epoch), keeps
 * the weights of the lowest, and says when {@code rounds} iterations in a row have not improved
 * on it. An iteration improves when its loss is below the best so far by more than
 * {@code tol * |best|}; a NaN loss never improves.
 *
 * <pre>{@code
 * EarlyStopping stopping = new EarlyStopping(10, 1e-4);
 * for (int epoch = 1; epoch <= maxIter && !stopping.record(epoch, validationLoss(w), w); epoch++) { ... }
 * double[] best = stopping.bestWeights();
 * }</pre>
 */
public final class EarlyStopping {

  private final int rounds;
  private final double tol;
  private final List<Double> history = new ArrayList<>();
  private double best = Double.NaN;
  private int bestIteration = -1;
  private double[] bestWeights;
  private int lastIteration = -1;

  /**
   * @param rounds iterations without improvement after which {@link #record} says stop; 0 never
   *     stops (the best weights are still kept)
   * @param tol the relative improvement that counts, >= 0
   */
  public EarlyStopping(int rounds, double tol) {
    if (rounds < 0 || !(tol >= 0)) {
      throw new IllegalArgumentException("early stopping needs rounds >= 0 and tol >= 0 but got " + rounds + ", " + tol);
    }
    this.rounds = rounds;
    this.tol = tol;
  }

  /**
   * Goes on from a checkpoint: the validation losses recorded there, one per iteration from
   * {@code firstIteration}, and the best weights among them.
   */
  public EarlyStopping resume(double[] losses, int firstIteration, double[] weightsOfBest) {
    for (int i = 0; i < losses.length; i++) {
      boolean improved = improves(losses[i]);
      history.add(losses[i]);
      lastIteration = firstIteration + i;
      if (improved) {
        best = losses[i];
        bestIteration = lastIteration;
      }
    }
    bestWeights = weightsOfBest == null ? null : weightsOfBest.clone();
    return this;
  }

  /** Records the validation {@code loss} of {@code weights} after {@code iteration}; returns whether to stop now. */
  public boolean record(int iteration, double loss, double[] weights) {
    history.add(loss);
    lastIteration = iteration;
    if (improves(loss)) {
      best = loss;
      bestIteration = iteration;
      bestWeights = weights.clone();
    }
    return rounds > 0 && iteration - bestIteration >= rounds;
  }

  private boolean improves(double loss) {
    return bestIteration < 0 ? !Double.isNaN(loss) : loss < best - tol * Math.abs(best);
  }

  /** The losses recorded, in order. */
  public double[] history() {
    return history.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The lowest loss (by {@code tol}), or NaN before any. */
  public double bestLoss() {
    return best;
  }

  /** The iteration of the lowest loss (by {@code tol}), or -1 before any. */
  public int bestIteration() {
    return bestIteration;
  }

  /** The weights of {@link #bestIteration}, or null before any. */
  public double[] bestWeights() {
    return bestWeights == null ? null : bestWeights.clone();
  }

  /** Iterations recorded since the best one. */
  public int sinceBest() {
    return bestIteration < 0 ? history.size() : lastIteration - bestIteration;
  }
}
