package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Several rounds of {@link LocalAdam} on sparse rows, against block momentum and the row-weighted
 * means written out by hand, from moments that are no longer zero; and how round sums add up.
 */
class LocalAdamRoundsTest {

  static final Network NET = new Network(new int[] {40, 6, 3}, 0.1);
  static final double RATE = 0.01;
  static final double REG = 0.02;

  static List<Block> sparseBlocks(int count, int rows, long seed) {
    List<Block> blocks = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      blocks.add(SparseBlockTest.sparseAndDense(rows, 40, 0.05, 3, seed * 10 + k)[0]);
    }
    return blocks;
  }

  @Test
  void roundsFollowBlockMomentumOnTheRowWeightedMeans() {
    int n = NET.numWeights();
    double eta = 0.5;
    double[] w = NET.initialWeights(6);
    double[] m = new double[n];
    double[] v = new double[n];
    double[] delta = new double[n];
    long steps = 0;
    LocalAdam local = new LocalAdam(w.clone(), new Adam(n), new BlockMomentum(n, eta));
    for (int round = 0; round < 3; round++) {
      List<List<Block>> workers = List.of(sparseBlocks(2, 6, 100 + round), sparseBlocks(1, 10, 200 + round));
      // by hand: each worker runs Adam from the round's start; the means, weighted by rows, go
      // through block momentum (weights) or replace Adam's state (moments)
      double[] start = new double[n];
      for (int i = 0; i < n; i++) {
        start[i] = w[i] + eta * delta[i];
      }
      double[] meanW = new double[n];
      double[] meanM = new double[n];
      double[] meanV = new double[n];
      double loss = 0;
      double rows = 22;
      int most = 0;
      for (List<Block> blocks : workers) {
        double[] wk = start.clone();
        Adam adam = new Adam(m.clone(), v.clone(), steps);
        int blockRows = 0;
        for (Block block : blocks) {
          loss += adam.step(NET, wk, block, new double[n], RATE, REG);
          blockRows += block.size();
        }
        for (int i = 0; i < n; i++) {
          meanW[i] += blockRows * wk[i] / rows;
          meanM[i] += blockRows * adam.firstMoment()[i] / rows;
          meanV[i] += blockRows * adam.secondMoment()[i] / rows;
        }
        most = Math.max(most, blocks.size());
      }
      for (int i = 0; i < n; i++) {
        delta[i] = eta * delta[i] + meanW[i] - start[i];
        w[i] += delta[i];
      }
      m = meanM;
      v = meanV;
      steps += most;

      LocalAdam.Round r = local.round(RATE, REG);
      assertArrayEquals(start, r.weights(), 1e-13, "round " + round + " starts ahead");
      LocalAdam.Sums sums = r.localSteps(NET, workers.get(0)).plus(r.localSteps(NET, workers.get(1)));
      assertEquals(loss, local.finish(sums, most), 1e-12, "the round's loss sums both workers'");
      assertArrayEquals(w, local.weights(), 1e-13, "round " + round);
      assertArrayEquals(m, local.adam().firstMoment(), 1e-13);
      assertArrayEquals(v, local.adam().secondMoment(), 1e-13);
      assertArrayEquals(delta, local.momentum().delta(), 1e-13);
      assertEquals(steps, local.adam().steps());
    }
  }

  static LocalAdam.Sums sums(List<Block> blocks) {
    int n = NET.numWeights();
    return new LocalAdam(NET.initialWeights(1), new Adam(n), new BlockMomentum(n, 0)).round(RATE, REG)
        .localSteps(NET, blocks);
  }

  static double[] finished(LocalAdam.Sums sums) {
    int n = NET.numWeights();
    LocalAdam local = new LocalAdam(NET.initialWeights(1), new Adam(n), new BlockMomentum(n, 0));
    local.finish(sums, 1);
    double[] out = new double[3 * n];
    System.arraycopy(local.weights(), 0, out, 0, n);
    System.arraycopy(local.adam().firstMoment(), 0, out, n, n);
    System.arraycopy(local.adam().secondMoment(), 0, out, 2 * n, n);
    return out;
  }

  /** A block of one row holding the given features. */
  static Block row(int... features) {
    Block.Builder rows = new Block.Builder(40, 1, Block.Builder.Layout.SPARSE);
    double[] values = new double[features.length];
    java.util.Arrays.fill(values, 1.5);
    rows.addSparse(features, values, 1);
    return rows.build();
  }

  @Test
  void sumsAddUpWhicheverWorkerHoldsTheLastColumns() {
    Block low = row(1, 5, 9);
    Block high = row(5, 20, 33);
    LocalAdam.Sums a = sums(List.of(low));
    LocalAdam.Sums b = sums(List.of(high));
    LocalAdam.Sums empty = sums(List.of());
    assertEquals(5, a.plus(b).columnsPresent(), "1, 5, 9, 20, 33");
    assertEquals(5, b.plus(a).columnsPresent());
    assertArrayEquals(finished(a.plus(b)), finished(b.plus(a)), 1e-15);
    assertArrayEquals(finished(a), finished(a.plus(empty)), 0.0);
    assertArrayEquals(finished(a), finished(empty.plus(a)), 0.0);
    assertEquals(3, empty.plus(a).columnsPresent());
    assertEquals(1, a.plus(empty).rows(), 0.0, "an empty worker adds no rows");
    // each worker's column 5 is counted once per worker: two rows of one feature each add up
    LocalAdam.Sums twice = sums(List.of(row(5))).plus(sums(List.of(row(5))));
    assertEquals(1, twice.columnsPresent());
    assertArrayEquals(finished(sums(List.of(row(5)))), finished(twice), 1e-15, "the mean of two equal workers");
  }

  @Test
  void sumsOfDifferentNetworksDoNotAdd() {
    // each pair differs in one of: the first layer's width, its size, the other weights
    int[][][] pairs = {{{6, 2, 4}, {3, 4, 2}}, {{3, 4, 2}, {5, 4, 2}}, {{3, 4, 2}, {3, 4, 3}}};
    for (int[][] pair : pairs) {
      LocalAdam.Sums a = roundOf(new Network(pair[0], 0.1));
      LocalAdam.Sums b = roundOf(new Network(pair[1], 0.1));
      assertEquals("cannot add the round sums of different networks",
          assertThrows(IllegalArgumentException.class, () -> a.plus(b)).getMessage());
    }
  }

  static LocalAdam.Sums roundOf(Network net) {
    int n = net.numWeights();
    return new LocalAdam(new double[n], new Adam(n), new BlockMomentum(n, 0)).round(RATE, 0)
        .localSteps(net, List.of(NetworkTest.randomBlock(2, net.numInputs(), net.numOutputs(), 1)));
  }

  @Test
  void aRoundOnFewFeaturesSendsLittleMoreThanTheirColumns() throws IOException {
    // 1000 features in a first layer of 8: 8000 of its 8034 weights; a round on 3 features sends
    // their 24 weights and the 34 others (three numbers each), not 8034
    Network wide = new Network(new int[] {1000, 8, 2}, 0.1);
    int n = wide.numWeights();
    Block.Builder rows = new Block.Builder(1000, 2, Block.Builder.Layout.SPARSE);
    rows.addSparse(new int[] {3, 500}, new double[] {1, 2}, 0);
    rows.addSparse(new int[] {999}, new double[] {-1}, 1);
    LocalAdam.Sums sums = new LocalAdam(wide.initialWeights(1), new Adam(n), new BlockMomentum(n, 0))
        .round(RATE, REG).localSteps(wide, List.of(rows.build()));
    assertEquals(3, sums.columnsPresent());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sums);
    }
    assertTrue(bytes.size() < 3 * 8 * (24 + 34) + 1000, "serialized: " + bytes.size() + " bytes");
  }

  @Test
  void inconsistentStateIsRefused() {
    int n = NET.numWeights();
    assertEquals("weights, Adam moments and block momentum must have one length but got " + n + ", " + n + ", " + (n + 1),
        assertThrows(IllegalArgumentException.class,
            () -> new LocalAdam(new double[n], new Adam(n), new BlockMomentum(n + 1, 0))).getMessage());
    assertEquals("weights, Adam moments and block momentum must have one length but got " + n + ", " + (n + 1) + ", " + n,
        assertThrows(IllegalArgumentException.class,
            () -> new LocalAdam(new double[n], new Adam(n + 1), new BlockMomentum(n, 0))).getMessage());
    BlockMomentum momentum = new BlockMomentum(n, 0.3);
    Adam adam = new Adam(n);
    LocalAdam local = new LocalAdam(new double[n], adam, momentum);
    assertSame(momentum, local.momentum());
    assertSame(adam, local.adam());
    Network other = new Network(new int[] {3, 4, 2}, 0.1);
    assertEquals("round sums of " + other.numWeights() + " weights cannot update " + n + " weights",
        assertThrows(IllegalArgumentException.class, () -> local.finish(roundOf(other), 1)).getMessage());
  }
}
