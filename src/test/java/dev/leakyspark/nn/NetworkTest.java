package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NetworkTest {

  static Block randomBlock(int rows, int features, int classes, long seed) {
    Random random = new Random(seed);
    double[] x = new double[rows * features];
    double[] y = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = random.nextInt(classes);
    }
    return new Block(x, y);
  }

  /** Rows of Gaussian features with Gaussian targets of scale 3, for the squared error. */
  static Block randomRegressionBlock(int rows, int features, long seed) {
    Random random = new Random(seed);
    double[] x = new double[rows * features];
    double[] y = new double[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = 3 * random.nextGaussian();
    }
    return new Block(x, y);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.2, 1.0, 2.5, -0.3})
  void gradientMatchesFiniteDifferencesForEveryWeight(double alpha) {
    assertGradientMatchesFiniteDifferences(new Network(new int[] {4, 6, 5, 3}, alpha), randomBlock(7, 4, 3, 11), alpha);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 2.5, -0.3})
  void squaredErrorGradientMatchesFiniteDifferencesForEveryWeight(double alpha) {
    Network net = new Network(new int[] {4, 6, 5, 1}, alpha, Network.Loss.SQUARED_ERROR);
    assertGradientMatchesFiniteDifferences(net, randomRegressionBlock(7, 4, 12), alpha);
  }

  static void assertGradientMatchesFiniteDifferences(Network net, Block block, double alpha) {
    double[] w = net.initialWeights(5);
    Random random = new Random(3);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.1 * random.nextGaussian(); // biases too, so no unit sits exactly at 0
    }
    double[] gradient = new double[w.length];
    net.lossAndGradient(w, block, gradient);
    double h = 1e-6;
    for (int i = 0; i < w.length; i++) {
      double saved = w[i];
      w[i] = saved + h;
      double up = net.lossAndGradient(w, block, new double[w.length]);
      w[i] = saved - h;
      double down = net.lossAndGradient(w, block, new double[w.length]);
      w[i] = saved;
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, gradient[i], 1e-6 * Math.max(1, Math.abs(numeric)), "weight " + i + ", alpha " + alpha);
    }
  }

  @Test
  void regularisedObjectiveMatchesFiniteDifferences() {
    // the objective the trainers minimise: mean cross-entropy plus the L2 term of addL2
    Network net = new Network(new int[] {4, 5, 3}, 0.1);
    Block block = randomBlock(6, 4, 3, 21);
    double reg = 0.3;
    double[] w = net.initialWeights(9);
    Random random = new Random(4);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.1 * random.nextGaussian();
    }
    double[] gradient = new double[w.length];
    net.lossAndGradient(w, block, gradient);
    for (int i = 0; i < w.length; i++) {
      gradient[i] /= block.size();
    }
    net.addL2(w, reg, gradient);
    double h = 1e-6;
    for (int i = 0; i < w.length; i++) {
      double saved = w[i];
      w[i] = saved + h;
      double up = net.lossAndGradient(w, block, new double[w.length]) / block.size() + net.addL2(w, reg, null);
      w[i] = saved - h;
      double down = net.lossAndGradient(w, block, new double[w.length]) / block.size() + net.addL2(w, reg, null);
      w[i] = saved;
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, gradient[i], 1e-6 * Math.max(1, Math.abs(numeric)), "weight " + i);
    }
    // biases carry no L2 term: of an all-ones vector, only the 4x5 + 5x3 matrix entries count
    double[] ones = new double[w.length];
    Arrays.fill(ones, 1.0);
    assertEquals(0.5 * reg * (4 * 5 + 5 * 3), net.addL2(ones, reg, null), 1e-12);
  }

  @Test
  void gradientAccumulatesAcrossBlocks() {
    Network net = new Network(new int[] {3, 4, 2}, 0.01);
    double[] w = net.initialWeights(1);
    Block a = randomBlock(5, 3, 2, 1);
    Block b = randomBlock(6, 3, 2, 2);
    double[] together = new double[w.length];
    double loss = net.lossAndGradient(w, a, together) + net.lossAndGradient(w, b, together);
    double[] ga = new double[w.length];
    double[] gb = new double[w.length];
    double la = net.lossAndGradient(w, a, ga);
    double lb = net.lossAndGradient(w, b, gb);
    assertEquals(la + lb, loss, 1e-12);
    for (int i = 0; i < w.length; i++) {
      assertEquals(ga[i] + gb[i], together[i], 1e-12);
    }
  }

  @Test
  void lossIsTheCrossEntropyOfTheSoftmax() {
    Network net = new Network(new int[] {2, 3}, 0.01);
    double[] w = net.initialWeights(9);
    Block block = new Block(new double[] {0.5, -1.0, 2.0, 0.25}, new double[] {2, 0});
    double[] p = net.scores(w, block.features, 2);
    Network.softmaxInPlace(p, 3);
    double expected = -Math.log(p[2]) - Math.log(p[3]);
    assertEquals(expected, net.lossAndGradient(w, block, new double[w.length]), 1e-12);
    assertEquals(1.0, p[0] + p[1] + p[2], 1e-12);
  }

  @Test
  void squaredErrorIsHalfTheSquaredDifference() {
    Network net = new Network(new int[] {2, 3, 1}, 0.01, Network.Loss.SQUARED_ERROR);
    double[] w = net.initialWeights(9);
    Block block = new Block(new double[] {0.5, -1.0, 2.0, 0.25}, new double[] {1.5, -4});
    double[] z = net.scores(w, block.features, 2);
    double expected = 0.5 * (z[0] - 1.5) * (z[0] - 1.5) + 0.5 * (z[1] + 4) * (z[1] + 4);
    assertEquals(expected, net.lossAndGradient(w, block, new double[w.length]), 1e-12);
    assertEquals("squared error takes one output, so layers must end in 1, but got [2, 3, 2]",
        assertThrows(IllegalArgumentException.class,
            () -> new Network(new int[] {2, 3, 2}, 0.01, Network.Loss.SQUARED_ERROR)).getMessage());
  }

  @Test
  void scaledOutputIsShiftPlusScaleTimesTheOutputAndStandardisingUndoesIt() {
    Network net = new Network(new int[] {3, 4, 1}, 0.1, Network.Loss.SQUARED_ERROR);
    double[] w = net.initialWeights(2);
    w[w.length - 1] = 0.3;
    double[] x = {0.5, -1.0, 2.0, 0.25, 1, -3};
    double[] z = net.scores(w, x, 2);
    double[] scaled = net.scores(net.withOutputScaled(w, 7, -2.5), x, 2);
    for (int i = 0; i < 2; i++) {
      assertEquals(7 - 2.5 * z[i], scaled[i], 1e-12);
    }
    double[] back = net.withOutputScaled(net.withOutputScaled(w, 7, -2.5), -7 / -2.5, 1 / -2.5);
    assertArrayEquals(w, back, 1e-12);
    // the hidden layer stays as it is
    assertArrayEquals(Arrays.copyOf(w, 3 * 4 + 4), Arrays.copyOf(net.withOutputScaled(w, 7, -2.5), 3 * 4 + 4), 0.0);
    Block block = new Block(x, new double[] {2, -1});
    Block standardised = block.withLabelsStandardized(7, -2.5);
    assertEquals((2 - 7) / -2.5, standardised.label(0), 1e-15);
    assertEquals((-1 - 7) / -2.5, standardised.label(1), 1e-15);
  }

  @Test
  void softmaxIsStableForLargeScores() {
    double[] scores = {1000, 1000, -1000, 5, 5, 5};
    Network.softmaxInPlace(scores, 3);
    assertArrayEquals(new double[] {0.5, 0.5, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3}, scores, 1e-12);
  }

  @Test
  void heInitialisationHasTheLeakyReluStandardDeviation() {
    double alpha = 0.5;
    Network net = new Network(new int[] {400, 300, 2}, alpha);
    double[] w = net.initialWeights(7);
    double sum = 0;
    double squares = 0;
    int count = 400 * 300;
    for (int i = 0; i < count; i++) {
      sum += w[i];
      squares += w[i] * w[i];
    }
    double std = Math.sqrt(squares / count - (sum / count) * (sum / count));
    assertEquals(Math.sqrt(2.0 / ((1 + alpha * alpha) * 400)), std, 0.01 * std);
    for (int i = count; i < count + 300; i++) {
      assertEquals(0.0, w[i], 0.0, "biases start at 0");
    }
    assertArrayEquals(w, net.initialWeights(7), 0.0);
    assertTrue(w[0] != net.initialWeights(8)[0]);
  }

  @Test
  void badShapesAreRejected() {
    assertEquals("layers must have at least 2 entries, all >= 1, but got [3]",
        assertThrows(IllegalArgumentException.class, () -> new Network(new int[] {3}, 0.01)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Network(new int[] {3, 0, 2}, 0.01));
    assertThrows(IllegalArgumentException.class, () -> new Network(new int[] {3, 2}, Double.NaN));
    Network net = new Network(new int[] {3, 2}, 0.01);
    assertEquals("layers [3, 2] need 8 weights but got 7",
        assertThrows(IllegalArgumentException.class, () -> net.scores(new double[7], new double[3], 1)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> net.lossAndGradient(new double[8], randomBlock(2, 4, 2, 1), new double[8]));
  }

  @Test
  void lbfgsFitsASmallProblemThatNeedsTheHiddenLayer() {
    // XOR-like: the label is 1 when the two inputs have the same sign; no linear model does this.
    Random random = new Random(4);
    int n = 200;
    double[] x = new double[2 * n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = random.nextGaussian();
      x[2 * i + 1] = random.nextGaussian();
      y[i] = x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0;
    }
    Block block = new Block(x, y);
    Network net = new Network(new int[] {2, 16, 2}, 0.01);
    Lbfgs.Result result =
        new Lbfgs(10, 300, 1e-9)
            .minimize((w, g) -> {
              java.util.Arrays.fill(g, 0);
              double loss = net.lossAndGradient(w, block, g);
              for (int i = 0; i < g.length; i++) {
                g[i] /= n;
              }
              return loss / n;
            }, net.initialWeights(1), (i, loss, w) -> {});
    double[] p = net.scores(result.x(), x, n);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += (p[2 * i + 1] > p[2 * i] ? 1 : 0) == y[i] ? 1 : 0;
    }
    assertTrue(correct >= 0.97 * n, "train accuracy " + correct + "/" + n);
    assertTrue(result.lossHistory()[result.lossHistory().length - 1] < 0.1 * result.lossHistory()[0]);
  }
}
