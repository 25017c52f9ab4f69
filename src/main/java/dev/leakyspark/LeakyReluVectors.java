package dev.leakyspark;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The array kernel over the JDK's Vector API: per vector, one multiply, one compare and one blend,
 * which is the select {@code x >= 0 ? x : alpha * x} itself, exact for every alpha. The JVM loads
 * this class only when {@code jdk.incubator.vector} is in the boot layer
 * ({@code --add-modules jdk.incubator.vector}, as {@code conf/java17.args} sets); see
 * {@link LeakyRelu#VECTORS}.
 */
final class LeakyReluVectors {

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

  private LeakyReluVectors() {}

  /** Whether the CPU has vectors of at least two doubles; below that the API is slower than a loop. */
  static boolean useful() {
    return DOUBLES.length() >= 2;
  }

  static void apply(double[] src, double[] dst, int from, int to, double alpha) {
    int i = from;
    for (int end = from + DOUBLES.loopBound(to - from); i < end; i += DOUBLES.length()) {
      DoubleVector x = DoubleVector.fromArray(DOUBLES, src, i);
      x.mul(alpha).blend(x, x.compare(VectorOperators.GE, 0.0)).intoArray(dst, i);
    }
    for (; i < to; i++) {
      dst[i] = LeakyRelu.apply(src[i], alpha);
    }
  }

  static void apply(float[] src, float[] dst, int from, int to, float alpha) {
    int i = from;
    for (int end = from + FLOATS.loopBound(to - from); i < end; i += FLOATS.length()) {
      FloatVector x = FloatVector.fromArray(FLOATS, src, i);
      x.mul(alpha).blend(x, x.compare(VectorOperators.GE, 0.0f)).intoArray(dst, i);
    }
    for (; i < to; i++) {
      dst[i] = LeakyRelu.apply(src[i], alpha);
    }
  }
}
