package dev.leakyspark.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The Adam optimiser (Kingma and Ba, 2015) over a flat weight array, with its state (first and
 * second moments and step count) open for averaging across workers. The learning rate is given
 * with each step, as a schedule chooses it; the {@code stepSize} param checks it where it is set.
 *
 * <pre>{@code
 * Adam adam = new Adam(weights.length);
 * adam.step(weights, gradient, 0.001);   // updates weights in place
 * }</pre>
 */
public final class Adam implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final double[] m;
  private final double[] v;
  private long steps;

  public Adam(int size) {
    this(new double[size], new double[size], 0);
  }

  /** Resumes from saved or averaged state. */
  public Adam(double[] m, double[] v, long steps) {
    if (m.length != v.length || steps < 0) {
      throw new IllegalArgumentException(
          "Adam needs moments of one length and steps >= 0, but got " + m.length + "/" + v.length + ", " + steps);
    }
    this.m = m;
    this.v = v;
    this.steps = steps;
  }

  /** One update of {@code weights} in place along {@code gradient}, at {@code learningRate}. */
  public void step(double[] weights, double[] gradient, double learningRate) {
    step(weights, gradient, learningRate, new int[] {0, weights.length});
  }

  /**
   * One update at {@code learningRate} of the weights within {@code ranges} (pairs of
   * {@code [from, to)}, increasing), along {@code gradient} there. The others, and their moments,
   * stay as they are (lazy Adam, as PyTorch's {@code SparseAdam}); the step count, and so the bias
   * correction, is the same for all.
   */
  public void step(double[] weights, double[] gradient, double learningRate, int[] ranges) {
    steps++;
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    for (int p = 0; p < ranges.length; p += 2) {
      for (int i = ranges[p]; i < ranges[p + 1]; i++) {
        double g = gradient[i];
        m[i] = BETA1 * m[i] + (1 - BETA1) * g;
        v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
        weights[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
      }
    }
  }

  /**
   * One mini-batch step on {@code block}: the mean loss of its rows (weighted by the rows' weights;
   * a block whose weights are all 0 steps on the L2 term alone) plus the L2 term, through
   * {@code gradient} (scratch space of the weights' length), for the weights the block trains
   * ({@link Network#trainedRanges}). A first-layer weight of a feature that is zero in every row
   * gets no gradient from the block, and keeps its value and moments, L2 included. Returns the
   * block's summed (weighted) loss.
   */
  public double step(Network net, double[] weights, Block block, double[] gradient, double learningRate,
      double regParam) {
    return step(net, weights, block, gradient, learningRate, regParam, Dropout.NONE);
  }

  /** {@link #step(Network, double[], Block, double[], double, double)} with {@code dropout}'s masks on the hidden units. */
  public double step(Network net, double[] weights, Block block, double[] gradient, double learningRate,
      double regParam, Dropout dropout) {
    int[] ranges = net.trainedRanges(block);
    for (int p = 0; p < ranges.length; p += 2) {
      Arrays.fill(gradient, ranges[p], ranges[p + 1], 0);
    }
    // a dense block's first layer also adds (zero) gradients outside the ranges, which are not read
    double loss = net.lossAndGradient(weights, block, gradient, dropout);
    double weight = block.weightSum();
    double scale = weight > 0 ? 1.0 / weight : 0;
    for (int p = 0; p < ranges.length; p += 2) {
      for (int i = ranges[p]; i < ranges[p + 1]; i++) {
        gradient[i] *= scale;
      }
    }
    net.addL2Gradient(weights, regParam, gradient, ranges);
    step(weights, gradient, learningRate, ranges);
    return loss;
  }

  /** Counts {@code more} steps taken elsewhere, by workers whose moments were averaged into these. */
  public void addSteps(long more) {
    steps += more;
  }

  /** The first moment, live. */
  public double[] firstMoment() {
    return m;
  }

  /** The second moment, live. */
  public double[] secondMoment() {
    return v;
  }

  public long steps() {
    return steps;
  }
}
