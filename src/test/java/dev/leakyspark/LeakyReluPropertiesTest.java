package dev.leakyspark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The kernel against the reference select, bit for bit, on random values including the edges. */
public class LeakyReluPropertiesTest {

  @Provide
  public static Arbitrary<Double> doubles() {
    return Arbitraries.doubles().withStandardSpecialValues().withSpecialValue(-0.0)
        .withSpecialValue(-Double.MIN_VALUE).withSpecialValue(Double.longBitsToDouble(0x8000_0000_0000_0abcL));
  }

  @Provide
  public static Arbitrary<Double> alphas() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().between(-10, 10),
        Arbitraries.doubles().withStandardSpecialValues().filter(Double::isFinite),
        Arbitraries.of(0.0, -0.0, 1.0, 0.01, 2.0, Double.MIN_VALUE, Double.MAX_VALUE));
  }

  @Provide
  static Arbitrary<Float> floats() {
    return Arbitraries.floats().withStandardSpecialValues().withSpecialValue(-0.0f)
        .withSpecialValue(-Float.MIN_VALUE);
  }

  @Property(tries = 3000)
  void scalarIsTheSelect(@ForAll("doubles") double x, @ForAll("alphas") double alpha) {
    double expected = x >= 0 ? x : alpha * x;
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(LeakyRelu.apply(x, alpha)),
        () -> "x=" + x + " alpha=" + alpha);
  }

  @Property(tries = 3000)
  void floatIsTheSelect(@ForAll("floats") float x, @ForAll("alphas") double alpha) {
    float a = (float) alpha;
    float expected = x >= 0 ? x : a * x;
    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(LeakyRelu.apply(x, a)),
        () -> "x=" + x + " alpha=" + a);
  }

  @Property(tries = 300)
  void arrayFormsMatchTheScalar(@ForAll("values") double[] x, @ForAll("alphas") double alpha) {
    double[] y = new double[x.length];
    LeakyRelu.apply(x, y, alpha);
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    float[] yf = new float[x.length];
    LeakyRelu.apply(xf, yf, (float) alpha);
    for (int i = 0; i < x.length; i++) {
      assertEquals(Double.doubleToRawLongBits(LeakyRelu.apply(x[i], alpha)), Double.doubleToRawLongBits(y[i]));
      assertEquals(Float.floatToRawIntBits(LeakyRelu.apply(xf[i], (float) alpha)), Float.floatToRawIntBits(yf[i]));
    }
  }

  @Provide
  public static Arbitrary<double[]> values() {
    return doubles().array(double[].class).ofMaxSize(300);
  }
}
