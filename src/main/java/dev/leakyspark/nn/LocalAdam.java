package dev.leakyspark.nn;

import java.io.Serializable;

/**
 * Adam trained in rounds by many workers at once (local SGD with block momentum). Each round,
 * every worker starts from the same {@link Round}, runs a few Adam steps on its own blocks
 * ({@link Round#localSteps}), and returns row-weighted sums that add up element-wise. The driver
 * adds them, averages the workers' updates and Adam moments, and applies {@link BlockMomentum} to
 * the mean update ({@link #finish}).
 *
 * <pre>{@code
 * LocalAdam adam = new LocalAdam(net.initialWeights(42), new Adam(net.numWeights()),
 *     new BlockMomentum(net.numWeights(), 0.5));
 * LocalAdam.Round round = adam.round(1e-3, 0.0);            // broadcast this
 * double[] a = round.localSteps(net, blocksOfWorker1);     // on each worker
 * double[] b = round.localSteps(net, blocksOfWorker2);
 * for (int i = 0; i < a.length; i++) a[i] += b[i];           // in a fixed order, for repeatable bits
 * double lossSum = adam.finish(a, maxStepsOfAnyWorker);
 * }</pre>
 */
public final class LocalAdam {

  /** Offsets into a worker's sums: rows, summed loss, then the three weight-sized parts. */
  private static final int ROWS = 0;
  private static final int LOSS = 1;
  private static final int HEADER = 2;

  private final double[] weights;
  private Adam adam;
  private final BlockMomentum momentum;

  /** Starts (or resumes) from {@code weights}, Adam's state and the block momentum's last update. */
  public LocalAdam(double[] weights, Adam adam, BlockMomentum momentum) {
    if (adam.firstMoment().length != weights.length || momentum.delta().length != weights.length) {
      throw new IllegalArgumentException("weights, Adam moments and block momentum must have one length but got "
          + weights.length + ", " + adam.firstMoment().length + ", " + momentum.delta().length);
    }
    this.weights = weights;
    this.adam = adam;
    this.momentum = momentum;
  }

  /**
   * What every worker starts this round from, stepping at {@code learningRate} (a schedule may
   * change it from round to round) with the L2 term {@code regParam}.
   */
  public Round round(double learningRate, double regParam) {
    // No copies of the moments: workers copy before they step, and finish() installs new arrays.
    return new Round(momentum.start(weights), adam.firstMoment(), adam.secondMoment(), adam.steps(), learningRate,
        regParam);
  }

  /**
   * Ends a round with the element-wise sum of every worker's {@link Round#localSteps}:
   * the mean update (weighted by rows) goes through block momentum into the weights, the mean
   * moments become Adam's, and Adam's step count grows by {@code steps}, the most any worker
   * took. Returns the summed loss of the round's mini-batches.
   */
  public double finish(double[] sums, int steps) {
    int n = weights.length;
    if (sums.length != HEADER + 3 * n) {
      throw new IllegalArgumentException("round sums must have " + (HEADER + 3 * n) + " entries but got " + sums.length);
    }
    double rows = sums[ROWS];
    if (!(rows > 0)) {
      throw new IllegalArgumentException("a round must train on at least one row");
    }
    double[] update = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      update[i] = sums[HEADER + i] / rows;
      m[i] = sums[HEADER + n + i] / rows;
      v[i] = sums[HEADER + 2 * n + i] / rows;
    }
    momentum.update(weights, update);
    adam = new Adam(m, v, adam.steps() + steps);
    return sums[LOSS];
  }

  /** The current weights, live. */
  public double[] weights() {
    return weights;
  }

  public Adam adam() {
    return adam;
  }

  public BlockMomentum momentum() {
    return momentum;
  }

  /** Length of a worker's sums for {@code numWeights} weights. */
  public static int sumsLength(int numWeights) {
    return HEADER + 3 * numWeights;
  }

  /** The start of a round: the weights every worker begins from and Adam's state there. */
  public record Round(double[] weights, double[] m, double[] v, long steps, double learningRate, double regParam)
      implements Serializable {

    /**
     * One Adam step per block of {@code blocks}, in order, from this round's start, with the mean
     * loss of the block plus the L2 term as the objective ({@link Adam#step(Network, double[], Block,
     * double[], double, double)}: features zero in every row of a block leave their first-layer
     * weights and moments as they are). Returns
     * {@code [rows, loss sum, rows * (w - start), rows * m, rows * v]}, which adds up across
     * workers; all zeros when {@code blocks} is empty.
     */
    public double[] localSteps(Network net, Iterable<Block> blocks) {
      int n = weights.length;
      double[] w = weights.clone();
      Adam local = new Adam(m.clone(), v.clone(), steps);
      double[] gradient = new double[n];
      double loss = 0;
      long rows = 0;
      for (Block block : blocks) {
        loss += local.step(net, w, block, gradient, learningRate, regParam);
        rows += block.size();
      }
      double[] sums = new double[sumsLength(n)];
      if (rows == 0) {
        return sums;
      }
      sums[ROWS] = rows;
      sums[LOSS] = loss;
      double[] lm = local.firstMoment();
      double[] lv = local.secondMoment();
      for (int i = 0; i < n; i++) {
        sums[HEADER + i] = rows * (w[i] - weights[i]);
        sums[HEADER + n + i] = rows * lm[i];
        sums[HEADER + 2 * n + i] = rows * lv[i];
      }
      return sums;
    }
  }
}
