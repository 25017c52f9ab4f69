package dev.leakyspark.nn;

import java.io.Serializable;

/**
 * Block momentum on the averaged update of a round of local training (BMUF: Chen and Huo, 2016,
 * "Scalable training of deep learning machines by incremental block training with intra-block
 * parallel optimization and blockwise model-update filtering"), in its Nesterov form.
 *
 * <p>Each round, workers start from {@link #start}, train locally, and their models are averaged
 * into {@code average}. With {@code G = average - start}, the round applies
 * {@code delta = momentum * delta + G} and {@code weights += delta}. Averaging P workers' local
 * steps moves the model about as far as one worker's steps would; the momentum carries each
 * round's update into the next ones, which makes up for that. With momentum 0 this is plain model
 * averaging: {@code weights = average}.
 *
 * <pre>{@code
 * BlockMomentum bm = new BlockMomentum(weights.length, 0.5);
 * double[] from = bm.start(weights);              // where every worker starts the round
 * // ... workers train from `from`; their row-weighted mean update is g ...
 * bm.update(weights, g);                           // weights += 0.5 * delta + g
 * }</pre>
 */
public final class BlockMomentum implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double momentum;
  private final double[] delta;

  /** No update carried over yet. */
  public BlockMomentum(int size, double momentum) {
    this(momentum, new double[size]);
  }

  /**
   * Resumes with the update of the previous round.
   *
   * @param momentum in [0, 1)
   */
  public BlockMomentum(double momentum, double[] delta) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("block momentum must be in [0, 1) but got " + momentum);
    }
    this.momentum = momentum;
    this.delta = delta;
  }

  /** Where workers start the next round: {@code weights + momentum * delta} ({@code weights} itself with no momentum). */
  public double[] start(double[] weights) {
    checkSize(weights);
    if (momentum == 0) {
      return weights;
    }
    double[] from = new double[weights.length];
    for (int i = 0; i < from.length; i++) {
      from[i] = weights[i] + momentum * delta[i];
    }
    return from;
  }

  /**
   * Ends a round: {@code update} is the workers' mean model minus {@link #start}; adds the new
   * {@code delta = momentum * delta + update} to {@code weights} in place.
   */
  public void update(double[] weights, double[] update) {
    checkSize(weights);
    checkSize(update);
    for (int i = 0; i < weights.length; i++) {
      update(weights, i, update[i]);
    }
  }

  /** {@link #update} of weight {@code i} alone, whose part of the update is {@code u}. */
  public void update(double[] weights, int i, double u) {
    delta[i] = momentum * delta[i] + u;
    weights[i] += delta[i];
  }

  public double momentum() {
    return momentum;
  }

  /** The last round's update, live. */
  public double[] delta() {
    return delta;
  }

  private void checkSize(double[] values) {
    if (values.length != delta.length) {
      throw new IllegalArgumentException(
          "block momentum holds " + delta.length + " weights but got " + values.length);
    }
  }
}
