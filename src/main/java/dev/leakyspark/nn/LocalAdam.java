package dev.leakyspark.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Adam trained in rounds by many workers at once (local SGD with block momentum). Each round,
 * every worker starts from the same {@link Round}, runs a few Adam steps on its own blocks
 * ({@link Round#localSteps}), and returns its changes as {@link Sums}, which add up across
 * workers. The driver averages the workers' updates and Adam moments, weighted by the rows'
 * weights (their count when the rows are unweighted), and
 * applies {@link BlockMomentum} to the mean update ({@link #finish}).
 *
 * <pre>{@code
 * LocalAdam adam = new LocalAdam(net.initialWeights(42), new Adam(net.numWeights()),
 *     new BlockMomentum(net.numWeights(), 0.5));
 * LocalAdam.Round round = adam.round(1e-3, 0.0);                // broadcast this
 * LocalAdam.Sums a = round.localSteps(net, blocksOfWorker1);   // on each worker
 * LocalAdam.Sums b = round.localSteps(net, blocksOfWorker2);
 * double lossSum = adam.finish(a.plus(b), maxStepsOfAnyWorker); // added in a fixed order, for repeatable bits
 * }</pre>
 */
public final class LocalAdam {

  private final double[] weights;
  private final Adam adam;
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
    // No copies of the moments: workers copy before they step, and finish() runs after them.
    return new Round(momentum.start(weights), adam.firstMoment(), adam.secondMoment(), adam.steps(), learningRate,
        regParam);
  }

  /**
   * Ends a round with the sum of every worker's {@link Round#localSteps}: the mean update
   * (weighted by the rows' weights) goes through block momentum into the weights, the mean moments become
   * Adam's (in place), and Adam's step count grows by {@code steps}, the most any worker took.
   * Returns the summed loss of the round's mini-batches.
   */
  public double finish(Sums sums, int steps) {
    int n = weights.length;
    if (sums.firstSize + sums.rest.length / 3 != n) {
      throw new IllegalArgumentException("round sums of " + (sums.firstSize + sums.rest.length / 3)
          + " weights cannot update " + n + " weights");
    }
    double rows = sums.rows;
    if (!(rows > 0)) {
      throw new IllegalArgumentException("a round must train on at least one row");
    }
    double[] m = adam.firstMoment();
    double[] v = adam.secondMoment();
    int out = sums.width;
    int next = 0; // the position in sums.columns of the next touched column
    for (int column = 0; column * out < sums.firstSize; column++) {
      boolean touched = next < sums.columns.length && sums.columns[next] == column;
      for (int r = 0, i = column * out; r < out; r++, i++) {
        if (touched) {
          int at = 3 * out * next + r;
          momentum.update(weights, i, sums.first[at] / rows);
          m[i] += sums.first[at + out] / rows;
          v[i] += sums.first[at + 2 * out] / rows;
        } else {
          momentum.update(weights, i, 0);
        }
      }
      next += touched ? 1 : 0;
    }
    int rest = sums.rest.length / 3;
    for (int k = 0; k < rest; k++) {
      int i = sums.firstSize + k;
      momentum.update(weights, i, sums.rest[k] / rows);
      m[i] += sums.rest[rest + k] / rows;
      v[i] += sums.rest[2 * rest + k] / rows;
    }
    adam.addSteps(steps);
    return sums.loss;
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

  /**
   * A worker's round as weighted changes from the round's start: its rows' summed weight
   * ({@code rows}, their count when unweighted) and summed loss, and for each weight
   * {@code rows * (w - w0)}, {@code rows * (m - m0)} and {@code rows * (v - v0)}. The first layer's weight columns of features that no block of the
   * round held are left out, as their changes are zero, so a round on sparse rows sends what it
   * touched, not every weight. Sums of workers add up with {@link #plus}.
   */
  public static final class Sums implements Serializable {

    private static final long serialVersionUID = 1L;

    final double rows;
    final double loss;
    /** Rows of the first layer's weight matrix: its output width. */
    final int width;
    /** The first layer's weights, {@code inputs * width}. */
    final int firstSize;
    /** The first layer's columns present, increasing. */
    final int[] columns;
    /** Per column present: the {@code width} changes of the weights, then of m, then of v. */
    final double[] first;
    /** The other weights' changes: all weights', then all m's, then all v's. */
    final double[] rest;

    Sums(double rows, double loss, int width, int firstSize, int[] columns, double[] first, double[] rest) {
      this.rows = rows;
      this.loss = loss;
      this.width = width;
      this.firstSize = firstSize;
      this.columns = columns;
      this.first = first;
      this.rest = rest;
    }

    /** The summed weight of the rows trained on: their count when unweighted. */
    public double rows() {
      return rows;
    }

    /** First-layer weight columns present: the features the round's blocks held. */
    public int columnsPresent() {
      return columns.length;
    }

    /** This worker's sums plus {@code other}'s, in a new object. */
    public Sums plus(Sums other) {
      if (other.width != width || other.firstSize != firstSize || other.rest.length != rest.length) {
        throw new IllegalArgumentException("cannot add the round sums of different networks");
      }
      int[] union = new int[columns.length + other.columns.length];
      int count = 0;
      for (int a = 0, b = 0; a < columns.length || b < other.columns.length; ) {
        int next = b == other.columns.length || (a < columns.length && columns[a] <= other.columns[b])
            ? columns[a] : other.columns[b];
        union[count++] = next;
        a += a < columns.length && columns[a] == next ? 1 : 0;
        b += b < other.columns.length && other.columns[b] == next ? 1 : 0;
      }
      union = Arrays.copyOf(union, count);
      int stride = 3 * width;
      double[] added = new double[count * stride];
      addColumns(this, union, added);
      addColumns(other, union, added);
      double[] rests = rest.clone();
      for (int k = 0; k < rests.length; k++) {
        rests[k] += other.rest[k];
      }
      return new Sums(rows + other.rows, loss + other.loss, width, firstSize, union, added, rests);
    }

    /** Adds {@code sums}' columns into {@code added}, laid out by {@code union}, which holds them all. */
    private static void addColumns(Sums sums, int[] union, double[] added) {
      int stride = 3 * sums.width;
      for (int p = 0, q = 0; p < sums.columns.length; p++) {
        while (union[q] != sums.columns[p]) {
          q++;
        }
        for (int k = 0; k < stride; k++) {
          added[q * stride + k] += sums.first[p * stride + k];
        }
      }
    }
  }

  /** The start of a round: the weights every worker begins from and Adam's state there. */
  public record Round(double[] weights, double[] m, double[] v, long steps, double learningRate, double regParam)
      implements Serializable {

    /**
     * One Adam step per block of {@code blocks}, in order, from this round's start, with the mean
     * loss of the block plus the L2 term as the objective ({@link Adam#step(Network, double[], Block,
     * double[], double, double)}: features zero in every row of a block leave their first-layer
     * weights and moments as they are). Returns this worker's {@link Sums}; with no blocks, no
     * rows and no changes.
     */
    public Sums localSteps(Network net, Iterable<Block> blocks) {
      return localSteps(net, blocks, k -> Dropout.NONE);
    }

    /** {@link #localSteps(Network, Iterable)}, the {@code k}-th block's step with {@code dropout.apply(k)}'s masks. */
    public Sums localSteps(Network net, Iterable<Block> blocks, java.util.function.IntFunction<Dropout> dropout) {
      int n = weights.length;
      double[] w = weights.clone();
      Adam local = new Adam(m.clone(), v.clone(), steps);
      double[] gradient = new double[n];
      boolean[] held = new boolean[net.numInputs()];
      double loss = 0;
      double rows = 0;
      int index = 0;
      for (Block block : blocks) {
        loss += local.step(net, w, block, gradient, learningRate, regParam, dropout.apply(index++));
        rows += block.weightSum();
        for (int feature : block.activeFeatures()) {
          held[feature] = true;
        }
      }
      double[] lm = local.firstMoment();
      double[] lv = local.secondMoment();
      int width = net.layers()[1];
      int firstSize = net.numInputs() * width;
      int[] columns = java.util.stream.IntStream.range(0, held.length).filter(c -> held[c]).toArray();
      double[] first = new double[3 * width * columns.length];
      for (int p = 0; p < columns.length; p++) {
        for (int r = 0; r < width; r++) {
          int i = columns[p] * width + r;
          int at = 3 * width * p + r;
          first[at] = rows * (w[i] - weights[i]);
          first[at + width] = rows * (lm[i] - m[i]);
          first[at + 2 * width] = rows * (lv[i] - v[i]);
        }
      }
      int restSize = n - firstSize;
      double[] rest = new double[3 * restSize];
      for (int k = 0; k < restSize; k++) {
        int i = firstSize + k;
        rest[k] = rows * (w[i] - weights[i]);
        rest[restSize + k] = rows * (lm[i] - m[i]);
        rest[2 * restSize + k] = rows * (lv[i] - v[i]);
      }
      return new Sums(rows, loss, width, firstSize, columns, first, rest);
    }
  }
}
