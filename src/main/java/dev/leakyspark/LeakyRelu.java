package dev.leakyspark;

/**
 * The Leaky ReLU kernel: {@code f(x) = x} for {@code x >= 0}, else {@code alpha * x}. Plain Java, no
 * Spark types; every leaky-spark entry point (UDF, SQL function, transformer, network) calls it.
 *
 * <p>Semantics follow PyTorch and are bit-identical to the select {@code x >= 0 ? x : alpha * x}
 * for every alpha but NaN, including {@code alpha > 1} (where the common {@code max(alpha * x, x)} is
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

  /**
   * Leaky ReLU of one value, equal to {@code x >= 0 ? x : alpha * x}. Branch-free in {@code x}:
   * inside a loop the tests on the (invariant) alpha are hoisted, so random signs cost no
   * mispredictions.
   */
  public static double apply(double x, double alpha) {
    // Each form is exact for its alpha range; see the class comment for the edges.
    if (alpha > 0 && alpha <= 1) {
      return Math.max(x, alpha * x); // alpha*x <= x iff x >= 0; max(-0.0, -0.0) = -0.0
    }
    if (alpha > 1 && alpha < Double.POSITIVE_INFINITY) {
      return Math.min(x, alpha * x);
    }
    // alpha <= 0 or non-finite: min/max would get -0.0 or 0 * Inf wrong, so blend on the sign
    // bit, treating -0.0 as non-negative like the select does.
    long bits = Double.doubleToRawLongBits(x);
    long magnitude = bits << 1;
    long negative = (bits >> 63) & -((magnitude | -magnitude) >>> 63);
    long scaled = Double.doubleToRawLongBits(alpha * x);
    return Double.longBitsToDouble((bits & ~negative) | (scaled & negative));
  }

  /** Leaky ReLU of one float, with the slope rounded to float; as the double form. */
  public static float apply(float x, float alpha) {
    if (alpha > 0 && alpha <= 1) {
      return Math.max(x, alpha * x);
    }
    if (alpha > 1 && alpha < Float.POSITIVE_INFINITY) {
      return Math.min(x, alpha * x);
    }
    int bits = Float.floatToRawIntBits(x);
    int magnitude = bits << 1;
    int negative = (bits >> 31) & -((magnitude | -magnitude) >>> 31);
    int scaled = Float.floatToRawIntBits(alpha * x);
    return Float.intBitsToFloat((bits & ~negative) | (scaled & negative));
  }

  /**
   * The derivative df/dx, following PyTorch's {@code leaky_relu_backward}: 1 for {@code x > 0}
   * and {@code alpha} otherwise, so the gradient at exactly 0 (and at NaN) is {@code alpha}.
   */
  public static double gradient(double x, double alpha) {
    return x > 0 ? 1.0 : alpha;
  }

  /**
   * Whether the array forms use the JDK's Vector API: when the JVM runs with
   * {@code --add-modules jdk.incubator.vector} (as {@code conf/java17.args} sets) on a CPU with
   * vector registers. Otherwise they loop over the scalar form, which the JIT vectorises for
   * {@code alpha > 0} but not for the sign-bit blend of {@code alpha <= 0}.
   */
  static final boolean VECTORS =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && LeakyReluVectors.useful();

  /**
   * Applies Leaky ReLU to {@code src[from, to)} and writes {@code dst[from, to)}; {@code dst} may
   * be {@code src}.
   */
  public static void apply(double[] src, double[] dst, int from, int to, double alpha) {
    if (VECTORS) {
      LeakyReluVectors.apply(src, dst, from, to, alpha);
    } else {
      applyScalar(src, dst, from, to, alpha);
    }
  }

  /** The array form without the Vector API. The JIT hoists the alpha tests out of the loop. */
  static void applyScalar(double[] src, double[] dst, int from, int to, double alpha) {
    for (int i = from; i < to; i++) {
      dst[i] = apply(src[i], alpha);
    }
  }

  /** Applies Leaky ReLU to every element of {@code src} into {@code dst} (which may be {@code src}). */
  public static void apply(double[] src, double[] dst, double alpha) {
    checkLengths(src.length, dst.length);
    apply(src, dst, 0, src.length, alpha);
  }

  /** Float form of {@link #apply(double[], double[], int, int, double)}. */
  public static void apply(float[] src, float[] dst, int from, int to, float alpha) {
    if (VECTORS) {
      LeakyReluVectors.apply(src, dst, from, to, alpha);
    } else {
      applyScalar(src, dst, from, to, alpha);
    }
  }

  /** Float form of {@link #applyScalar(double[], double[], int, int, double)}. */
  static void applyScalar(float[] src, float[] dst, int from, int to, float alpha) {
    for (int i = from; i < to; i++) {
      dst[i] = apply(src[i], alpha);
    }
  }

  /** Float form of {@link #apply(double[], double[], double)}. */
  public static void apply(float[] src, float[] dst, float alpha) {
    checkLengths(src.length, dst.length);
    apply(src, dst, 0, src.length, alpha);
  }

  /** Writes {@link #gradient(double, double)} of every element of {@code x} into {@code dst}. */
  public static void gradient(double[] x, double[] dst, double alpha) {
    checkLengths(x.length, dst.length);
    for (int i = 0; i < x.length; i++) {
      dst[i] = gradient(x[i], alpha);
    }
  }

  private static void checkLengths(int src, int dst) {
    if (src != dst) {
      throw new IllegalArgumentException(
          "LeakyRelu: source has " + src + " elements but destination has " + dst);
    }
  }
}
