package dev.leakyspark.nn;

import java.io.Serializable;

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
    steps++;
    double correction1 = 1 - Math.pow(BETA1, steps);
    double correction2 = 1 - Math.pow(BETA2, steps);
    for (int i = 0; i < weights.length; i++) {
      double g = gradient[i];
      m[i] = BETA1 * m[i] + (1 - BETA1) * g;
      v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
      weights[i] -= learningRate * (m[i] / correction1) / (Math.sqrt(v[i] / correction2) + EPSILON);
    }
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
