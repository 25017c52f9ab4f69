package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A network's sizes and settings, and the weights, gradients, features and blocks of other shapes it refuses. */
class NetworkShapesTest {

  static final Network NET = new Network(new int[] {3, 2}, 0.25, Network.Loss.CROSS_ENTROPY);

  static String refused(Runnable call) {
    return assertThrows(IllegalArgumentException.class, call::run).getMessage();
  }

  @Test
  void sizesAndSettings() {
    Network regression = new Network(new int[] {4, 5, 3, 1}, -0.5, Network.Loss.SQUARED_ERROR);
    assertEquals(-0.5, regression.alpha(), 0.0);
    assertEquals(Network.Loss.SQUARED_ERROR, regression.loss());
    assertEquals(Network.Loss.CROSS_ENTROPY, new Network(new int[] {4, 2}, 0.01).loss());
    assertEquals(4 * 5 + 5 + 5 * 3 + 3 + 3 + 1, regression.numWeights());
    assertEquals(regression.numWeights(), Network.numWeights(new int[] {4, 5, 3, 1}));
    assertEquals(0, Network.numWeights(new int[] {7}));
    // more weights than an array holds: counted in a long
    assertEquals(100_000L * 100_000 + 100_000 + 100_000 * 10 + 10, Network.numWeights(new int[] {100_000, 100_000, 10}));
    int[] layers = regression.layers();
    layers[0] = 99;
    assertArrayEquals(new int[] {4, 5, 3, 1}, regression.layers(), "a copy");
    assertEquals(4, regression.numInputs());
    assertEquals(1, regression.numOutputs());
  }

  @Test
  void weightsOfAnotherLengthAreRefusedEverywhere() {
    String expected = "layers [3, 2] need 8 weights but got 7";
    double[] seven = new double[7];
    Block block = new Block(new double[3], new double[] {1});
    assertEquals(expected, refused(() -> NET.withOutputScaled(seven, 1, 2)));
    assertEquals(expected, refused(() -> NET.scores(seven, new double[3], 1)));
    assertEquals(expected, refused(() -> NET.scores(seven, new double[5], 1)), "the weights first");
    assertEquals(expected, refused(() -> NET.scores(seven, block)));
    assertEquals(expected, refused(() -> NET.lossAndGradient(seven, block, new double[7])));
    double[] nine = new double[9];
    assertEquals("layers [3, 2] need 8 weights but got 9", refused(() -> NET.scores(nine, block)));
    assertEquals("layers [3, 2] need 8 weights but got 9", refused(() -> NET.withOutputScaled(nine, 1, 2)));
  }

  @Test
  void gradientsFeaturesAndBlocksOfAnotherShapeAreRefused() {
    double[] w = NET.initialWeights(3);
    Block block = new Block(new double[] {1, 2, 3}, new double[] {1});
    assertEquals("gradient has 9 entries but the network has 8",
        refused(() -> NET.lossAndGradient(w, block, new double[9])));
    assertEquals("expected 2 rows of 3 features but got 7 values", refused(() -> NET.scores(w, new double[7], 2)));
    assertEquals("expected 1 rows of 3 features but got 6 values", refused(() -> NET.scores(w, new double[6], 1)));
    Block four = new Block(new double[4], new double[] {0});
    assertEquals("block rows have 4 features but the network takes 3", refused(() -> NET.trainedRanges(four)));
    assertEquals("block rows have 4 features but the network takes 3",
        refused(() -> NET.lossAndGradient(w, four, new double[8])));
    assertEquals("alpha must be finite but got Infinity",
        refused(() -> new Network(new int[] {3, 2}, Double.POSITIVE_INFINITY)));
  }
}
