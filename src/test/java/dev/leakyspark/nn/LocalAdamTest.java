package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rounds of local Adam steps and block momentum, against the same math written out by hand. */
class LocalAdamTest {

  static final Network NET = new Network(new int[] {3, 5, 2}, 0.1);
  static final double RATE = 0.01;
  static final double REG = 0.02;

  /** Plain sequential Adam on the mean loss of each block plus the L2 term, as the reference. */
  static double[] sequential(double[] start, Adam adam, List<Block> blocks) {
    double[] w = start.clone();
    for (Block block : blocks) {
      double[] g = new double[w.length];
      NET.lossAndGradient(w, block, g);
      for (int i = 0; i < g.length; i++) {
        g[i] /= block.size();
      }
      NET.addL2(w, REG, g);
      adam.step(w, g, RATE);
    }
    return w;
  }

  static List<Block> blocks(long seed, int count, int rows) {
    return java.util.stream.LongStream.range(0, count)
        .mapToObj(k -> NetworkTest.randomBlock(rows, 3, 2, seed * 100 + k)).toList();
  }

  @Test
  void oneWorkerWithoutMomentumIsSequentialAdam() {
    double[] w0 = NET.initialWeights(1);
    List<Block> data = blocks(1, 6, 4);
    Adam reference = new Adam(NET.numWeights());
    double[] expected = sequential(w0, reference, data);

    LocalAdam local = new LocalAdam(w0.clone(), new Adam(NET.numWeights()), new BlockMomentum(NET.numWeights(), 0));
    LocalAdam.Sums sums = local.round(RATE, REG).localSteps(NET, data);
    double loss = local.finish(sums, data.size());

    assertArrayEquals(expected, local.weights(), 1e-15);
    assertArrayEquals(reference.firstMoment(), local.adam().firstMoment(), 1e-15);
    assertArrayEquals(reference.secondMoment(), local.adam().secondMoment(), 1e-15);
    assertEquals(6, local.adam().steps());
    assertEquals(24, sums.rows(), 0.0, "rows");
    double firstLoss = NET.lossAndGradient(w0, data.get(0), new double[NET.numWeights()]);
    assertEquals(true, loss > firstLoss, "the round's loss sums all six blocks: " + loss);
  }

  @Test
  void workersAreAveragedByRowsAndMomentumCarriesTheUpdate() {
    double[] w0 = NET.initialWeights(2);
    int n = NET.numWeights();
    List<Block> a = blocks(2, 3, 4);
    List<Block> b = blocks(3, 2, 8);
    Adam adamA = new Adam(n);
    Adam adamB = new Adam(n);
    double[] wa = sequential(w0, adamA, a);
    double[] wb = sequential(w0, adamB, b);
    double rowsA = 12;
    double rowsB = 16;

    double eta = 0.6;
    LocalAdam local = new LocalAdam(w0.clone(), new Adam(n), new BlockMomentum(n, eta));
    LocalAdam.Round round = local.round(RATE, REG);
    local.finish(round.localSteps(NET, a).plus(round.localSteps(NET, b)), 3);

    double[] mean = new double[n];
    for (int i = 0; i < n; i++) {
      mean[i] = (rowsA * wa[i] + rowsB * wb[i]) / (rowsA + rowsB);
    }
    assertArrayEquals(mean, local.weights(), 1e-14, "the first round, from rest, lands on the row-weighted mean");
    for (int i = 0; i < n; i++) {
      assertEquals((rowsA * adamA.firstMoment()[i] + rowsB * adamB.firstMoment()[i]) / 28,
          local.adam().firstMoment()[i], 1e-15);
      assertEquals((rowsA * adamA.secondMoment()[i] + rowsB * adamB.secondMoment()[i]) / 28,
          local.adam().secondMoment()[i], 1e-15);
    }
    assertEquals(3, local.adam().steps(), "steps grow by the most any worker took");

    // The next round starts ahead by eta times the last update (Nesterov).
    double[] next = local.round(RATE, REG).weights();
    for (int i = 0; i < n; i++) {
      assertEquals(mean[i] + eta * (mean[i] - w0[i]), next[i], 1e-14);
    }
  }

  @Test
  void aRoundSendsOnlyTheFirstLayerColumnsOfTheFeaturesItsBlocksHeld() {
    // two workers on sparse rows of 40 features, each holding a few of them; with momentum, so the
    // columns nobody touched still move by the carried update
    Network net = new Network(new int[] {40, 6, 3}, 0.1);
    int n = net.numWeights();
    double[] w0 = net.initialWeights(4);
    List<Block> a = List.of(SparseBlockTest.sparseAndDense(8, 40, 0.05, 3, 1)[0],
        SparseBlockTest.sparseAndDense(8, 40, 0.05, 3, 2)[0]);
    List<Block> b = List.of(SparseBlockTest.sparseAndDense(16, 40, 0.05, 3, 3)[0]);
    Adam adamA = new Adam(n);
    Adam adamB = new Adam(n);
    double[] wa = w0.clone();
    double[] wb = w0.clone();
    double[] g = new double[n];
    for (Block block : a) {
      adamA.step(net, wa, block, g, RATE, REG);
    }
    adamB.step(net, wb, b.get(0), g, RATE, REG);

    LocalAdam local = new LocalAdam(w0.clone(), new Adam(n), new BlockMomentum(n, 0.5));
    LocalAdam.Round round = local.round(RATE, REG);
    LocalAdam.Sums sa = round.localSteps(net, a);
    LocalAdam.Sums sb = round.localSteps(net, b);
    java.util.Set<Integer> held = new java.util.TreeSet<>();
    for (Block block : List.of(a.get(0), a.get(1))) {
      Arrays.stream(block.activeFeatures()).forEach(held::add);
    }
    assertEquals(held.size(), sa.columnsPresent());
    assertTrue(sa.columnsPresent() < 40, "some features are in no block of the round");
    local.finish(sa.plus(sb), 2);
    for (int i = 0; i < n; i++) {
      double mean = (16 * wa[i] + 16 * wb[i]) / 32;
      assertEquals(mean, local.weights()[i], 1e-15, "weight " + i);
      assertEquals((16 * adamA.firstMoment()[i] + 16 * adamB.firstMoment()[i]) / 32, local.adam().firstMoment()[i], 1e-15);
      assertEquals((16 * adamA.secondMoment()[i] + 16 * adamB.secondMoment()[i]) / 32, local.adam().secondMoment()[i],
          1e-15);
    }
    // the next round starts ahead by half the update, untouched columns included (their update is 0)
    double[] next = local.round(RATE, REG).weights();
    for (int i = 0; i < n; i++) {
      assertEquals(local.weights()[i] + 0.5 * (local.weights()[i] - w0[i]), next[i], 1e-15);
    }
  }

  @Test
  void blockMomentumAmplifiesASteadyUpdate() {
    BlockMomentum bm = new BlockMomentum(1, 0.75);
    double[] w = {0};
    for (int round = 0; round < 200; round++) {
      bm.update(w, new double[] {1});
    }
    assertEquals(4.0, bm.delta()[0], 1e-12, "a steady update g settles at g / (1 - momentum)");
    assertArrayEquals(new double[] {w[0] + 3.0}, bm.start(w), 1e-9);

    BlockMomentum none = new BlockMomentum(2, 0);
    double[] weights = {1, 2};
    assertArrayEquals(weights, none.start(weights), 0.0);
    none.update(weights, new double[] {0.5, -1});
    assertArrayEquals(new double[] {1.5, 1}, weights, 0.0, "momentum 0 is plain averaging");
  }

  @Test
  void badStateIsRefused() {
    int n = NET.numWeights();
    for (double m : new double[] {-0.1, 1.0, Double.NaN}) {
      assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(n, m), "momentum " + m);
    }
    assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(1, 0).update(new double[2], new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> new LocalAdam(new double[n], new Adam(n + 1), new BlockMomentum(n, 0)));
    LocalAdam local = new LocalAdam(new double[n], new Adam(n), new BlockMomentum(n, 0));
    LocalAdam.Sums empty = local.round(RATE, 0).localSteps(NET, List.of());
    assertEquals(0, empty.rows(), "no blocks, no rows");
    assertEquals(0, empty.columnsPresent(), "no blocks, no first-layer columns");
    IllegalArgumentException noRows = assertThrows(IllegalArgumentException.class, () -> local.finish(empty, 0));
    assertEquals("a round must train on at least one row", noRows.getMessage());
    Network other = new Network(new int[] {3, 4, 2}, 0.1);
    LocalAdam.Sums otherNet = new LocalAdam(new double[other.numWeights()], new Adam(other.numWeights()),
        new BlockMomentum(other.numWeights(), 0)).round(RATE, 0).localSteps(other, blocks(1, 1, 4));
    assertThrows(IllegalArgumentException.class, () -> local.finish(otherNet, 1));
    assertEquals(0, Arrays.stream(local.weights()).filter(x -> x != 0).count(), "a refused round changes nothing");
  }
}
