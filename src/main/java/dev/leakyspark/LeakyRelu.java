package dev.leakyspark;

/**
 * The Leaky ReLU kernel: {@code f(x) = x} for {@code x >= 0}, else {@code alpha * x}. Plain Java, no
 * Spark types; every leaky-spark entry point (UDF, SQL function, transformer, network) calls it.
 *
 * <p>Semantics follow PyTorch and are bit-identical to the select {@code x >= 0 ? x : alpha * x}
 * for every alpha, including {@code alpha > 1} (where the common {@code max(alpha * x, x)} is
 * wrong) and {@code alpha <= 0}: NaN propagates, {@code -0.0} stays {@code -0.0}, {@code +Inf}
 * stays {@code +Inf}, and {@code -Inf} maps to {@code alpha * -Inf} (NaN when {@code alpha == 0}).
 *
 * <pre>{@code
 * double y = LeakyRelu.apply(-2.0, 0.01);            // -0.02
 * double[] v = {-1.0, 0.5};
 * LeakyRelu.apply(v, v, LeakyRelu.DEFAULT_ALPHA);     // in place: {-0.01, 0.5}
 * }</pre>
 */
public final class LeakyRelu {

  /** The default slope of the negative part, as in PyTorch. */
  public static final double DEFAULT_ALPHA = 0.01;

  private LeakyRelu() {}

  /** Leaky ReLU of one value: {@code x >= 0 ? x : alpha * x}. */
  public static double apply(double x, double alpha) {
    return x >= 0 ? x : alpha * x;
  }

  /** Leaky ReLU of one float, with the slope rounded to float. */
  public static float apply(float x, float alpha) {
    return x >= 0 ? x : alpha * x;
  }

  /**
   * The derivative df/dx, following PyTorch's {@code leaky_relu_backward}: 1 for {@code x > 0}
   * and {@code alpha} otherwise, so the gradient at exactly 0 (and at NaN) is {@code alpha}.
   */
  public static double gradient(double x, double alpha) {
    return x > 0 ? 1.0 : alpha;
  }

  /**
   * Applies Leaky ReLU to {@code src[from, to)} and writes {@code dst[from, to)}; {@code dst} may
   * be {@code src}. Branch-free, so random signs cost no mispredictions.
   */
  public static void apply(double[] src, double[] dst, int from, int to, double alpha) {
    // Each loop is exact for its alpha range and vectorises; see the class comment for the edges.
    if (alpha > 0 && alpha <= 1) {
      // alpha*x <= x iff x >= 0; -0.0 gives max(-0.0, -0.0) = -0.0.
      for (int i = from; i < to; i++) {
        dst[i] = Math.max(src[i], alpha * src[i]);
      }
    } else if (alpha > 1 && alpha < Double.POSITIVE_INFINITY) {
      for (int i = from; i < to; i++) {
        dst[i] = Math.min(src[i], alpha * src[i]);
      }
    } else {
      // alpha <= 0 or non-finite: max/min would get -0.0 or 0 * Inf wrong, so blend on the
      // sign bit, treating -0.0 as non-negative like the select does.
      for (int i = from; i < to; i++) {
        long bits = Double.doubleToRawLongBits(src[i]);
        long magnitude = bits << 1;
        long negative = (bits >> 63) & -((magnitude | -magnitude) >>> 63);
        long scaled = Double.doubleToRawLongBits(alpha * src[i]);
        dst[i] = Double.longBitsToDouble((bits & ~negative) | (scaled & negative));
      }
    }
  }

  /** Applies Leaky ReLU to every element of {@code src} into {@code dst} (which may be {@code src}). */
  public static void apply(double[] src, double[] dst, double alpha) {
    checkLengths(src.length, dst.length);
    apply(src, dst, 0, src.length, alpha);
  }

  /** Float form of {@link #apply(double[], double[], double)}. */
  public static void apply(float[] src, float[] dst, float alpha) {
    checkLengths(src.length, dst.length);
    int n = src.length;
    if (alpha > 0 && alpha <= 1) {
      for (int i = 0; i < n; i++) {
        dst[i] = Math.max(src[i], alpha * src[i]);
      }
    } else if (alpha > 1 && alpha < Float.POSITIVE_INFINITY) {
      for (int i = 0; i < n; i++) {
        dst[i] = Math.min(src[i], alpha * src[i]);
      }
    } else {
      for (int i = 0; i < n; i++) {
        int bits = Float.floatToRawIntBits(src[i]);
        int magnitude = bits << 1;
        int negative = (bits >> 31) & -((magnitude | -magnitude) >>> 31);
        int scaled = Float.floatToRawIntBits(alpha * src[i]);
        dst[i] = Float.intBitsToFloat((bits & ~negative) | (scaled & negative));
      }
    }
  }

  /** Writes {@link #gradient(double, double)} of every element of {@code x} into {@code dst}. */
  public static void gradient(double[] x, double[] dst, double alpha) {
    checkLengths(x.length, dst.length);
    for (int i = 0; i < x.length; i++) {
      dst[i] = x[i] > 0 ? 1.0 : alpha;
    }
  }

  private static void checkLengths(int src, int dst) {
    if (src != dst) {
      throw new IllegalArgumentException(
          "LeakyRelu: source has " + src + " elements but destination has " + dst);
    }
  }
}
