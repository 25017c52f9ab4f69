package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sparse blocks: their layout, and passes and Adam steps that equal the dense ones. */
class SparseBlockTest {

  /** {@code rows} rows of {@code features} features, each non-zero with probability {@code density}, as both layouts. */
  static Block[] sparseAndDense(int rows, int features, double density, int classes, long seed) {
    Random random = new Random(seed);
    Block.Builder sparse = new Block.Builder(features, rows, Block.Builder.Layout.SPARSE);
    Block.Builder dense = new Block.Builder(features, rows, Block.Builder.Layout.DENSE);
    for (int i = 0; i < rows; i++) {
      double[] row = new double[features];
      for (int j = 0; j < features; j++) {
        row[j] = random.nextDouble() < density ? random.nextGaussian() : 0;
      }
      double label = classes > 0 ? random.nextInt(classes) : 3 * random.nextGaussian();
      sparse.addDense(row, label);
      dense.addDense(row, label);
    }
    return new Block[] {sparse.build(), dense.build()};
  }

  @Test
  void theBuilderLaysBlocksOutByDensityWhateverFormTheRowsCameIn() {
    // 3 non-zeros in 2 rows of 10 features: density 0.15, above SPARSE_DENSITY (0.05), so dense
    Block.Builder rows = new Block.Builder(10, 2);
    rows.addDense(new double[] {0, 1.5, 0, 0, 0, 0, 0, 0, 0, -2}, 1);
    rows.addSparse(new int[] {3, 7}, new double[] {0.0, 4.0}, 0);
    Block dense = rows.build();
    assertFalse(dense.isSparse());
    double[] expected = new double[20];
    expected[1] = 1.5;
    expected[9] = -2;
    expected[17] = 4;
    assertArrayEquals(expected, dense.denseFeatures(), 0.0);
    assertEquals(0, rows.size(), "build starts a new block");

    // the same rows in 40 features: density 0.0375, so sparse, with the stored zero dropped
    Block.Builder wide = new Block.Builder(40, 2);
    double[] first = new double[40];
    first[1] = 1.5;
    first[9] = -2;
    wide.addDense(first, 1);
    wide.addSparse(new int[] {3, 7}, new double[] {0.0, 4.0}, 0);
    Block sparse = wide.build();
    wide.addSparse(new int[] {1, 9}, new double[] {1.5, -2}, 1);
    double[] second = new double[40];
    second[7] = 4;
    wide.addDense(second, 0);
    Block otherForms = wide.build();
    for (Block b : new Block[] {sparse, otherForms}) {
      assertTrue(b.isSparse());
      assertArrayEquals(new int[] {0, 2, 3}, b.rowStarts);
      assertArrayEquals(new int[] {1, 9, 7}, b.indices);
      assertArrayEquals(new double[] {1.5, -2, 4}, b.values, 0.0);
      assertArrayEquals(new double[] {1, 0}, b.labels, 0.0);
      assertArrayEquals(new int[] {1, 7, 9}, b.activeFeatures());
    }
  }

  @Test
  void sparseAndDenseBlocksGiveTheSameLossGradientAndScores() {
    for (Network.Loss loss : Network.Loss.values()) {
      int[] layers = loss == Network.Loss.CROSS_ENTROPY ? new int[] {50, 8, 6, 4} : new int[] {50, 8, 1};
      Network net = new Network(layers, 0.05, loss);
      Block[] blocks = sparseAndDense(40, 50, 0.08, loss == Network.Loss.CROSS_ENTROPY ? 4 : 0, 3);
      assertTrue(blocks[0].isSparse() && !blocks[1].isSparse());
      double[] w = net.initialWeights(2);
      double[] sparseGradient = new double[w.length];
      double[] denseGradient = new double[w.length];
      double sparseLoss = net.lossAndGradient(w, blocks[0], sparseGradient);
      double denseLoss = net.lossAndGradient(w, blocks[1], denseGradient);
      assertClose(denseLoss, sparseLoss, loss + " loss");
      for (int i = 0; i < w.length; i++) {
        assertClose(denseGradient[i], sparseGradient[i], loss + " gradient " + i);
      }
      double[] sparseScores = net.scores(w, blocks[0]);
      double[] denseScores = net.scores(w, blocks[1].denseFeatures(), blocks[1].size());
      for (int i = 0; i < denseScores.length; i++) {
        assertClose(denseScores[i], sparseScores[i], loss + " score " + i);
      }
    }
  }

  @Test
  void sparseGradientMatchesFiniteDifferences() {
    Network net = new Network(new int[] {12, 5, 3}, 0.2);
    Block block = sparseAndDense(9, 12, 0.25, 3, 8)[0];
    assertTrue(block.isSparse());
    NetworkTest.assertGradientMatchesFiniteDifferences(net, block, 0.2);
  }

  @Test
  void aMiniBatchTrainsOnlyTheFirstLayerColumnsOfItsActiveFeatures() {
    Network net = new Network(new int[] {6, 3, 2}, 0.01);
    Block.Builder rows = new Block.Builder(6, 2, Block.Builder.Layout.SPARSE);
    rows.addSparse(new int[] {1, 2}, new double[] {0.5, -1}, 0);
    rows.addSparse(new int[] {2, 5}, new double[] {2, 0}, 1); // feature 5 only holds a zero
    Block block = rows.build();
    assertArrayEquals(new int[] {1, 2}, block.activeFeatures());
    // columns 1 and 2 of the 3 x 6 first layer, one range; then its biases and the second layer
    assertArrayEquals(new int[] {3, 9, 18, net.numWeights()}, net.trainedRanges(block));

    double[] start = net.initialWeights(1);
    double[] w = start.clone();
    Adam adam = new Adam(new double[w.length], new double[w.length], 0);
    Arrays.fill(adam.firstMoment(), 0.25); // moments from earlier steps
    Arrays.fill(adam.secondMoment(), 0.5);
    adam.step(net, w, block, new double[w.length], 0.1, 0.3);

    // the reference: a full Adam step on the whole gradient, L2 included, with the columns of the
    // inactive features, and their moments, put back
    double[] full = start.clone();
    Adam reference = new Adam(new double[w.length], new double[w.length], 0);
    Arrays.fill(reference.firstMoment(), 0.25);
    Arrays.fill(reference.secondMoment(), 0.5);
    double[] g = new double[w.length];
    net.lossAndGradient(full, block, g);
    for (int i = 0; i < g.length; i++) {
      g[i] /= block.size();
    }
    net.addL2(full, 0.3, g);
    reference.step(full, g, 0.1);
    for (int i = 0; i < w.length; i++) {
      boolean inactive = i < 18 && (i / 3 != 1 && i / 3 != 2);
      if (inactive) {
        assertEquals(start[i], w[i], 0.0, "weight " + i + " of an inactive feature");
        assertEquals(0.25, adam.firstMoment()[i], 0.0);
        assertEquals(0.5, adam.secondMoment()[i], 0.0);
      } else {
        assertEquals(full[i], w[i], 1e-15, "weight " + i);
        assertEquals(reference.firstMoment()[i], adam.firstMoment()[i], 1e-15);
        assertEquals(reference.secondMoment()[i], adam.secondMoment()[i], 1e-15);
      }
    }
    assertFalse(Arrays.equals(start, w));
    assertEquals(1, adam.steps());
  }

  @Test
  void lazyStepsAreTheSameOnSparseAndDenseBlocks() {
    Network net = new Network(new int[] {30, 6, 3}, 0.1);
    double[] sparse = net.initialWeights(3);
    double[] dense = sparse.clone();
    Adam a = new Adam(sparse.length);
    Adam b = new Adam(dense.length);
    for (int step = 0; step < 5; step++) {
      Block[] blocks = sparseAndDense(8, 30, 0.05, 3, 10 + step);
      assertTrue(blocks[0].activeFeatures().length < 30, "some features are zero in every row");
      assertArrayEquals(blocks[0].activeFeatures(), blocks[1].activeFeatures());
      assertClose(a.step(net, dense, blocks[1], new double[dense.length], 0.05, 0.01),
          b.step(net, sparse, blocks[0], new double[sparse.length], 0.05, 0.01), "loss of step " + step);
    }
    for (int i = 0; i < dense.length; i++) {
      assertClose(dense[i], sparse[i], "weight " + i);
    }
  }

  @Test
  void badSparseRowsAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Block.sparse(4, new int[] {0, 2}, new int[] {2, 1}, new double[] {1, 1}, new double[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> Block.sparse(4, new int[] {0, 1}, new int[] {4}, new double[] {1}, new double[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> Block.sparse(4, new int[] {0, 2}, new int[] {1}, new double[] {1}, new double[] {0}));
    Block.Builder rows = new Block.Builder(4, 1);
    assertEquals("Block: feature 9 in rows of 4",
        assertThrows(IllegalArgumentException.class, () -> rows.addSparse(new int[] {9}, new double[] {1}, 0)).getMessage());
    Network net = new Network(new int[] {5, 2}, 0.01);
    Block four = Block.sparse(4, new int[] {0, 1}, new int[] {3}, new double[] {1}, new double[] {0});
    assertEquals("block rows have 4 features but the network takes 5",
        assertThrows(IllegalArgumentException.class, () -> net.scores(net.initialWeights(1), four)).getMessage());
  }

  private static void assertClose(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= 1e-10 * Math.max(1, Math.abs(expected)),
        what + ": dense " + expected + ", sparse " + actual);
  }
}
