package dev.leakyspark.nn;

import java.util.SplittableRandom;

/**
 * Inverted dropout of the hidden layers' units during training: each unit of each row is dropped
 * with probability {@code rate} and the kept ones are scaled by {@code 1 / (1 - rate)}, so scoring
 * needs no dropout. The masks of a block follow from {@code seed} alone, so a step, and a fit, is
 * a function of its seeds.
 *
 * <pre>{@code
 * Dropout dropout = new Dropout(0.2, Dropout.seed(42, epoch, partition, block));
 * net.lossAndGradient(w, block, gradient, dropout);
 * }</pre>
 *
 * @param rate the fraction of units dropped, in [0, 1); 0 drops none
 * @param seed the seed of this block's masks
 */
public record Dropout(double rate, long seed) {

  /** No dropout. */
  public static final Dropout NONE = new Dropout(0, 0);

  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1) but got " + rate);
    }
  }

  /** The seed of the masks of one block: from the fit's seed, the epoch, the partition and the block's place there. */
  public static long seed(long seed, int epoch, int partition, int block) {
    long h = seed;
    for (long part : new long[] {epoch, partition, block}) {
      h = mix(h * 0x9e3779b97f4a7c15L + part);
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The masks of a block of {@code rows} rows through {@code layers}: for each hidden layer
   * {@code l}, {@code layers[l] * rows} factors of 0 or {@code 1 / (1 - rate)}, column-major as the
   * activations; null when nothing is dropped.
   */
  double[][] masks(int[] layers, int rows) {
    if (rate == 0) {
      return null;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double kept = 1 / (1 - rate);
    double[][] masks = new double[layers.length][];
    for (int l = 1; l + 1 < layers.length; l++) {
      masks[l] = new double[layers[l] * rows];
      for (int i = 0; i < masks[l].length; i++) {
        masks[l][i] = random.nextDouble() < rate ? 0 : kept;
      }
    }
    return masks;
  }
}
