package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Row weights: a row of weight w counts as w copies of it, in the loss, the gradient, Adam's steps and its rounds. */
class RowWeightsTest {

  private static final double[] COUNTS = {2, 0, 1, 3, 1, 0, 2};

  private static Network net(Network.Loss loss) {
    return loss == Network.Loss.CROSS_ENTROPY
        ? new Network(new int[] {4, 6, 3}, 0.1)
        : new Network(new int[] {4, 6, 1}, 0.1, Network.Loss.SQUARED_ERROR);
  }

  private static Block rows(Network.Loss loss) {
    return loss == Network.Loss.CROSS_ENTROPY ? NetworkTest.randomBlock(7, 4, 3, 11)
        : NetworkTest.randomRegressionBlock(7, 4, 12);
  }

  /** Row i of {@code block} repeated {@code counts[i]} times, in order, dense or sparse as {@code sparse} says. */
  static Block repeated(Block block, double[] counts, boolean sparse) {
    Block.Builder builder =
        new Block.Builder(block.numFeatures(), 16, sparse ? Block.Builder.Layout.SPARSE : Block.Builder.Layout.DENSE);
    double[] x = block.denseFeatures();
    int d = block.numFeatures();
    for (int i = 0; i < block.size(); i++) {
      for (int c = 0; c < counts[i]; c++) {
        builder.addDense(Arrays.copyOfRange(x, i * d, (i + 1) * d), block.label(i));
      }
    }
    return builder.build();
  }

  private static Block layout(Block block, boolean sparse) {
    double[] ones = new double[block.size()];
    Arrays.fill(ones, 1);
    return repeated(block, ones, sparse);
  }

  @ParameterizedTest
  @EnumSource(Network.Loss.class)
  void integerWeightsAreRowsRepeatedAndZeroIsARowLeftOut(Network.Loss loss) {
    Network net = net(loss);
    double[] w = net.initialWeights(3);
    for (boolean sparse : new boolean[] {false, true}) {
      Block weighted = layout(rows(loss), sparse).withWeights(COUNTS);
      Block copies = repeated(rows(loss), COUNTS, sparse);
      double[] g = new double[w.length];
      double[] gCopies = new double[w.length];
      double l = net.lossAndGradient(w, weighted, g);
      double lCopies = net.lossAndGradient(w, copies, gCopies);
      assertEquals(lCopies, l, 1e-12 * Math.abs(lCopies), loss + " sparse " + sparse);
      for (int i = 0; i < w.length; i++) {
        assertEquals(gCopies[i], g[i], 1e-12 * Math.max(1, Math.abs(gCopies[i])), "weight " + i);
      }
      assertEquals(9, weighted.weightSum());
      assertEquals(copies.size(), weighted.weightSum());
    }
  }

  @ParameterizedTest
  @EnumSource(Network.Loss.class)
  void theWeightedGradientMatchesFiniteDifferences(Network.Loss loss) {
    Block block = rows(loss).withWeights(new double[] {0.3, 2.5, 0, 1, 7.25, 0.01, 1.5});
    NetworkTest.assertGradientMatchesFiniteDifferences(net(loss), block, 0.1);
    NetworkTest.assertGradientMatchesFiniteDifferences(net(loss), layout(block, true).withWeights(
        new double[] {0.3, 2.5, 0, 1, 7.25, 0.01, 1.5}), 0.1);
  }

  @Test
  void weightsOfOneAreAnUnweightedBlockBitForBit() {
    Network net = net(Network.Loss.CROSS_ENTROPY);
    double[] w = net.initialWeights(4);
    Block plain = rows(Network.Loss.CROSS_ENTROPY);
    double[] ones = new double[plain.size()];
    Arrays.fill(ones, 1);
    Block same = plain.withWeights(ones);
    assertFalse(same.isWeighted());
    double[] g = new double[w.length];
    double[] gSame = new double[w.length];
    assertEquals(net.lossAndGradient(w, plain, g), net.lossAndGradient(w, same, gSame), 0.0);
    assertArrayEquals(g, gSame, 0.0);
    assertTrue(plain.withWeights(COUNTS).isWeighted());
    assertEquals(0.0, plain.withWeights(COUNTS).weight(1));
    assertEquals(1.0, plain.weight(1));
  }

  @Test
  void badWeightsAreRefused() {
    Block block = rows(Network.Loss.CROSS_ENTROPY);
    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, -0.001}) {
      double[] w = new double[7];
      w[3] = bad;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> block.withWeights(w));
      assertEquals("Block: row weights must be finite and >= 0, but got " + bad, e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> block.withWeights(new double[6]));
  }

  @Test
  void anAdamStepOnWeightedRowsIsOneOnTheRowsRepeated() {
    Network net = net(Network.Loss.CROSS_ENTROPY);
    double[] w = net.initialWeights(6);
    double[] wCopies = w.clone();
    Adam adam = new Adam(w.length);
    Adam adamCopies = new Adam(w.length);
    Block rows = rows(Network.Loss.CROSS_ENTROPY);
    double[] g = new double[w.length];
    for (int step = 0; step < 3; step++) {
      double l = adam.step(net, w, rows.withWeights(COUNTS), g, 0.01, 0.1);
      double lCopies = adamCopies.step(net, wCopies, repeated(rows, COUNTS, false), g, 0.01, 0.1);
      assertEquals(lCopies, l, 1e-12 * lCopies);
    }
    assertArrayEquals(wCopies, w, 1e-12);
    // rows that all weigh 0 leave the loss out: the step follows the L2 term (and the moments) alone
    double[] before = w.clone();
    assertEquals(0.0, adam.step(net, w, rows.withWeights(new double[7]), g, 0.01, 0.0));
    assertEquals(4, adam.steps());
    assertFalse(Arrays.equals(before, w), "the moments still move the weights, as for a zero gradient");
  }

  /** A worker whose rows weigh three times as much counts three times in the round's mean. */
  @Test
  void workersAreAveragedByTheirRowsWeights() {
    Network net = LocalAdamTest.NET;
    int n = net.numWeights();
    double[] w0 = net.initialWeights(2);
    List<Block> plain = LocalAdamTest.blocks(2, 2, 4);
    List<Block> a = new ArrayList<>();
    for (Block block : plain) {
      double[] threes = new double[block.size()];
      Arrays.fill(threes, 3);
      a.add(block.withWeights(threes));
    }
    List<Block> b = LocalAdamTest.blocks(3, 2, 4);
    // the same weight on every row leaves each block's mean loss, so the worker's steps, as they are
    double[] wa = LocalAdamTest.sequential(w0, new Adam(n), plain);
    double[] wb = LocalAdamTest.sequential(w0, new Adam(n), b);
    LocalAdam local = new LocalAdam(w0.clone(), new Adam(n), new BlockMomentum(n, 0));
    LocalAdam.Round round = local.round(LocalAdamTest.RATE, LocalAdamTest.REG);
    LocalAdam.Sums sa = round.localSteps(net, a);
    assertEquals(24, sa.rows(), 0.0, "two blocks of four rows of weight 3");
    local.finish(sa.plus(round.localSteps(net, b)), 2);
    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      mean[i] = (24 * wa[i] + 8 * wb[i]) / 32;
    }
    assertArrayEquals(mean, local.weights(), 1e-14);
  }

  @Test
  void sparseAndDenseWeightedBlocksAgree() {
    Random random = new Random(8);
    double[] weights = new double[7];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = 3 * random.nextDouble();
    }
    Network net = net(Network.Loss.SQUARED_ERROR);
    double[] w = net.initialWeights(1);
    double[] gd = new double[w.length];
    double[] gs = new double[w.length];
    Block rows = rows(Network.Loss.SQUARED_ERROR);
    double ld = net.lossAndGradient(w, layout(rows, false).withWeights(weights), gd);
    double ls = net.lossAndGradient(w, layout(rows, true).withWeights(weights), gs);
    assertEquals(ld, ls, 1e-12 * ld);
    assertArrayEquals(gd, gs, 1e-12);
    assertEquals(ld, net.lossAndGradient(w, layout(rows, false).withWeights(weights)
        .withLabelsStandardized(0, 1), new double[w.length]), 0.0, "standardising keeps the weights");
  }
}
