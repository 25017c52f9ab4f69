package dev.leakyspark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeakyReluTest {

  static final double[] EDGES = {
    0.0, -0.0, 1.0, -1.0, 3.5, -3.5,
    Double.NaN, Double.longBitsToDouble(0xfff8000000000123L), // a negative NaN with a payload
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL,
    Double.MAX_VALUE, -Double.MAX_VALUE, 1e-310, -1e-310
  };

  /** The reference every form must match bit for bit. */
  static double select(double x, double alpha) {
    return x >= 0 ? x : alpha * x;
  }

  static float select(float x, float alpha) {
    return x >= 0 ? x : alpha * x;
  }

  static double[] edgesAndRandom(int n, long seed) {
    Random random = new Random(seed);
    double[] values = new double[EDGES.length + n];
    System.arraycopy(EDGES, 0, values, 0, EDGES.length);
    for (int i = EDGES.length; i < values.length; i++) {
      values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10);
    }
    return values;
  }

  @Test
  void negativeInputsAreScaledAndOthersPassThrough() {
    assertEquals(-0.02, LeakyRelu.apply(-2.0, 0.01), 0.0);
    assertEquals(2.0, LeakyRelu.apply(2.0, 0.01), 0.0);
    assertEquals(-0.2f, LeakyRelu.apply(-2.0f, 0.1f), 0.0f);
  }

  @Test
  void slopeAboveOneKeepsPositiveInputs() {
    // max(alpha * x, x) would give 6.0 here.
    assertEquals(3.0, LeakyRelu.apply(3.0, 2.0), 0.0);
    assertEquals(-6.0, LeakyRelu.apply(-3.0, 2.0), 0.0);
    double[] out = new double[2];
    LeakyRelu.apply(new double[] {3.0, -3.0}, out, 2.0);
    assertArrayEquals(new double[] {3.0, -6.0}, out, 0.0);
  }

  @Test
  void edgeValuesFollowTheSelect() {
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(LeakyRelu.apply(-0.0, 0.01)));
    assertEquals(Double.POSITIVE_INFINITY, LeakyRelu.apply(Double.POSITIVE_INFINITY, 0.0), 0.0);
    assertEquals(Double.NEGATIVE_INFINITY, LeakyRelu.apply(Double.NEGATIVE_INFINITY, 0.01), 0.0);
    assertEquals(Double.NaN, LeakyRelu.apply(Double.NEGATIVE_INFINITY, 0.0), 0.0);
    assertEquals(Double.NaN, LeakyRelu.apply(Double.NaN, 0.01), 0.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.2, 1.0, 1.5, 10.0, 0.0, -0.0, -0.5, -3.0, 1e-300, Double.MIN_VALUE, 1e300})
  void arrayFormIsBitIdenticalToTheSelect(double alpha) {
    double[] x = edgesAndRandom(10_000, 42);
    double[] y = new double[x.length];
    LeakyRelu.apply(x, y, alpha);
    for (int i = 0; i < x.length; i++) {
      assertEquals(
          Double.doubleToRawLongBits(select(x[i], alpha)),
          Double.doubleToRawLongBits(y[i]),
          () -> "alpha " + alpha);
      assertEquals(
          Double.doubleToRawLongBits(select(x[i], alpha)),
          Double.doubleToRawLongBits(LeakyRelu.apply(x[i], alpha)));
    }
  }

  @ParameterizedTest
  @ValueSource(floats = {0.01f, 1.0f, 2.5f, 0.0f, -0.0f, -0.5f, Float.MIN_VALUE})
  void floatArrayFormIsBitIdenticalToTheSelect(float alpha) {
    double[] source = edgesAndRandom(10_000, 7);
    float[] x = new float[source.length + 4];
    for (int i = 0; i < source.length; i++) {
      x[i] = (float) source[i];
    }
    x[source.length] = Float.MIN_VALUE;
    x[source.length + 1] = -Float.MIN_VALUE;
    x[source.length + 2] = Float.intBitsToFloat(0xffc00123);
    x[source.length + 3] = -Float.MAX_VALUE;
    float[] y = new float[x.length];
    LeakyRelu.apply(x, y, alpha);
    for (int i = 0; i < x.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(select(x[i], alpha)), Float.floatToRawIntBits(y[i]), "x=" + x[i]);
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 2.0, 0.0, -0.0, -0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void vectorAndScalarPathsAreTheSelectOnAnyRange(double alpha) {
    assertTrue(LeakyRelu.VECTORS, "the tests run with --add-modules jdk.incubator.vector (conf/java17.args)");
    double[] x = edgesAndRandom(1_000, 3);
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      xf[i] = (float) x[i];
    }
    float a = (float) alpha;
    for (int[] range : new int[][] {{0, x.length}, {3, x.length - 5}, {5, 12}, {7, 7}}) {
      int from = range[0];
      int to = range[1];
      double[] vector = new double[x.length];
      double[] scalar = new double[x.length];
      float[] vectorF = new float[x.length];
      float[] scalarF = new float[x.length];
      Arrays.fill(vector, 42.0);
      Arrays.fill(scalar, 42.0);
      Arrays.fill(vectorF, 42.0f);
      Arrays.fill(scalarF, 42.0f);
      LeakyRelu.apply(x, vector, from, to, alpha);
      LeakyRelu.applyScalar(x, scalar, from, to, alpha);
      LeakyRelu.apply(xf, vectorF, from, to, a);
      LeakyRelu.applyScalar(xf, scalarF, from, to, a);
      for (int i = 0; i < x.length; i++) {
        boolean in = i >= from && i < to;
        long expected = Double.doubleToRawLongBits(in ? select(x[i], alpha) : 42.0);
        int expectedF = Float.floatToRawIntBits(in ? select(xf[i], a) : 42.0f);
        String where = "alpha " + alpha + ", x[" + i + "] = " + x[i] + ", range " + from + ".." + to;
        assertEquals(expected, Double.doubleToRawLongBits(vector[i]), "vector: " + where);
        assertEquals(expected, Double.doubleToRawLongBits(scalar[i]), "scalar: " + where);
        assertEquals(expectedF, Float.floatToRawIntBits(vectorF[i]), "vector float: " + where);
        assertEquals(expectedF, Float.floatToRawIntBits(scalarF[i]), "scalar float: " + where);
      }
    }
  }

  /** Run in a JVM without {@code jdk.incubator.vector}: prints whether vectors are used and the output bits. */
  public static final class WithoutVectors {
    public static void main(String[] args) {
      double[] x = edgesAndRandom(100, 5);
      LeakyRelu.apply(x, x, 0, x.length, -0.5);
      System.out.println("vectors=" + LeakyRelu.VECTORS + " bits=" + Arrays.hashCode(bits(x)));
    }
  }

  static long[] bits(double[] x) {
    return Arrays.stream(x).mapToLong(Double::doubleToRawLongBits).toArray();
  }

  @Test
  void withoutTheVectorModuleTheArrayFormFallsBackToTheScalarLoop() throws Exception {
    String classpath = Path.of(LeakyRelu.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        + File.pathSeparator
        + Path.of(LeakyReluTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", classpath, WithoutVectors.class.getName())
        .redirectErrorStream(true)
        .start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, child.waitFor(), out);
    double[] x = edgesAndRandom(100, 5);
    LeakyRelu.applyScalar(x, x, 0, x.length, -0.5);
    assertEquals("vectors=false bits=" + Arrays.hashCode(bits(x)), out);
  }

  @Test
  void arrayFormWorksInPlaceAndOnARange() {
    double[] x = {-1.0, -2.0, -3.0, -4.0};
    LeakyRelu.apply(x, x, 1, 3, 0.5);
    assertArrayEquals(new double[] {-1.0, -1.0, -1.5, -4.0}, x, 0.0);
  }

  @Test
  void mismatchedLengthsAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LeakyRelu.apply(new double[3], new double[2], 0.01));
    assertEquals("LeakyRelu: source has 3 elements but destination has 2", e.getMessage());
    assertEquals("LeakyRelu: source has 3 elements but destination has 4",
        assertThrows(IllegalArgumentException.class,
            () -> LeakyRelu.apply(new double[3], new double[4], 0.01)).getMessage());
    assertEquals("LeakyRelu: source has 3 elements but destination has 4",
        assertThrows(IllegalArgumentException.class,
            () -> LeakyRelu.apply(new float[3], new float[4], 0.01f)).getMessage());
    assertEquals("LeakyRelu: source has 3 elements but destination has 2",
        assertThrows(IllegalArgumentException.class,
            () -> LeakyRelu.apply(new float[3], new float[2], 0.01f)).getMessage());
    assertEquals("LeakyRelu: source has 3 elements but destination has 4",
        assertThrows(IllegalArgumentException.class,
            () -> LeakyRelu.gradient(new double[3], new double[4], 0.01)).getMessage());
    assertEquals("LeakyRelu: source has 3 elements but destination has 2",
        assertThrows(IllegalArgumentException.class,
            () -> LeakyRelu.gradient(new double[3], new double[2], 0.01)).getMessage());
  }

  @Test
  void vectorsAreUsefulFromTwoDoublesPerVector() {
    assertEquals(jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length() >= 2, LeakyReluVectors.useful());
  }

  @Test
  void gradientAtZeroIsAlphaAsInPyTorch() {
    assertEquals(0.01, LeakyRelu.gradient(0.0, 0.01), 0.0);
    assertEquals(0.01, LeakyRelu.gradient(-0.0, 0.01), 0.0);
    assertEquals(1.0, LeakyRelu.gradient(Double.MIN_VALUE, 0.01), 0.0);
    assertEquals(3.0, LeakyRelu.gradient(-5.0, 3.0), 0.0);
    double[] g = new double[3];
    LeakyRelu.gradient(new double[] {-1.0, 0.0, 2.0}, g, 0.2);
    assertArrayEquals(new double[] {0.2, 0.2, 1.0}, g, 0.0);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.3, 1.0, 2.5, -0.7})
  void gradientMatchesFiniteDifferencesAwayFromZero(double alpha) {
    for (double x : edgesAndRandom(1_000, 3)) {
      if (!Double.isFinite(x) || Math.abs(x) < 1e-3 || Math.abs(x) > 1e6) {
        continue; // the kink at 0, and values too large for a central difference
      }
      double h = 1e-6 * Math.abs(x);
      double numeric = (LeakyRelu.apply(x + h, alpha) - LeakyRelu.apply(x - h, alpha)) / (2 * h);
      assertEquals(numeric, LeakyRelu.gradient(x, alpha), 1e-6 * Math.max(1, Math.abs(alpha)), "x=" + x);
    }
  }
}
