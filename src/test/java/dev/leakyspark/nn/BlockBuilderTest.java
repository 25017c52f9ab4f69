package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Block.Builder}: the layout by density, rows beyond the capacity, one builder for many
 * blocks, and wide rows, with each layout and with rows staged dense or (wide) sparse.
 */
class BlockBuilderTest {

  /** Five rows of three features, dense and sparse forms mixed: [1, 0, 2], [0, 0, 0], [0, 3, 0], [4, 5, 6], [0, 0, -1]. */
  static void addFiveRows(Block.Builder rows) {
    rows.addDense(new double[] {1, 0, 2}, 10);
    rows.addSparse(new int[0], new double[0], 11);
    rows.addSparse(new int[] {1}, new double[] {3}, 12);
    rows.addDense(new double[] {4, 5, 6}, 13);
    rows.addSparse(new int[] {0, 2}, new double[] {0, -1}, 14);
  }

  static final double[] FIVE_ROWS = {1, 0, 2, 0, 0, 0, 0, 3, 0, 4, 5, 6, 0, 0, -1};
  static final double[] FIVE_LABELS = {10, 11, 12, 13, 14};

  @Test
  void rowsBeyondTheCapacityAreKeptInEveryLayout() {
    for (Block.Builder.Layout layout : Block.Builder.Layout.values()) {
      Block.Builder rows = new Block.Builder(3, 1, layout);
      assertEquals(3, rows.numFeatures());
      addFiveRows(rows);
      assertEquals(5, rows.size());
      Block block = rows.build();
      assertEquals(layout == Block.Builder.Layout.SPARSE, block.isSparse(), layout.name());
      assertEquals(5, block.size());
      assertArrayEquals(FIVE_ROWS, block.denseFeatures(), 0.0, layout.name());
      for (int i = 0; i < 5; i++) {
        assertEquals(FIVE_LABELS[i], block.label(i), 0.0);
      }
    }
  }

  @Test
  void denseRowsBeyondTheCapacityAreKept() {
    for (Block.Builder.Layout layout : Block.Builder.Layout.values()) {
      Block.Builder rows = new Block.Builder(2, 1, layout);
      for (int i = 0; i < 4; i++) {
        rows.addDense(new double[] {i + 1, -i}, i);
      }
      assertArrayEquals(new double[] {1, 0, 2, -1, 3, -2, 4, -3}, rows.build().denseFeatures(), 0.0, layout.name());
    }
  }

  @Test
  void aSparseLayoutHoldsOnlyTheNonZeros() {
    Block.Builder rows = new Block.Builder(3, 2, Block.Builder.Layout.SPARSE);
    addFiveRows(rows);
    Block block = rows.build();
    assertArrayEquals(new int[] {0, 2, 2, 3, 6, 7}, block.rowStarts);
    assertArrayEquals(new int[] {0, 2, 1, 0, 1, 2, 2}, block.indices);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, -1}, block.values, 0.0);
  }

  @Test
  void aBlockIsSparseUpToFivePercentNonZeros() {
    // 2 rows of 20 features: 2 non-zeros are exactly 5 percent, 3 are more
    Block.Builder rows = new Block.Builder(20, 2);
    rows.addSparse(new int[] {4}, new double[] {1}, 0);
    rows.addSparse(new int[] {19}, new double[] {2}, 1);
    assertTrue(rows.build().isSparse());
    rows.addSparse(new int[] {4}, new double[] {1}, 0);
    rows.addSparse(new int[] {0, 19}, new double[] {3, 2}, 1);
    assertFalse(rows.build().isSparse());
  }

  @Test
  void aBuilderStartsEachBlockEmpty() {
    // staged dense (small): two sparse blocks, a full dense one, a dense one below the capacity and a
    // sparse one again, each at other features; none may show an earlier block's values
    Block.Builder rows = new Block.Builder(40, 2);
    rows.addSparse(new int[] {3}, new double[] {1}, 0);
    rows.addSparse(new int[] {7}, new double[] {2}, 1);
    Block first = rows.build();
    assertTrue(first.isSparse());
    rows.addSparse(new int[] {4}, new double[] {3}, 0);
    rows.addSparse(new int[] {8}, new double[] {4}, 1);
    Block second = rows.build();
    assertArrayEquals(new int[] {0, 1, 2}, second.rowStarts);
    assertArrayEquals(new int[] {4, 8}, second.indices);
    assertArrayEquals(new double[] {3, 4}, second.values, 0.0);
    double[] full = new double[40];
    java.util.Arrays.fill(full, 0.5);
    rows.addDense(full, 0);
    rows.addDense(full, 1);
    Block third = rows.build();
    assertFalse(third.isSparse());
    rows.addDense(full, 2);
    Block fourth = rows.build();
    assertFalse(fourth.isSparse());
    assertArrayEquals(full, fourth.denseFeatures(), 0.0);
    rows.addSparse(new int[] {5}, new double[] {4}, 3);
    rows.addSparse(new int[] {6}, new double[] {5}, 4);
    Block fifth = rows.build();
    assertArrayEquals(new int[] {0, 1, 2}, fifth.rowStarts);
    assertArrayEquals(new int[] {5, 6}, fifth.indices);
    assertArrayEquals(new double[] {4, 5}, fifth.values, 0.0);
    double[] twoFull = new double[80];
    java.util.Arrays.fill(twoFull, 0.5);
    assertArrayEquals(twoFull, third.denseFeatures(), 0.0, "later rows do not write into a built block");
    assertArrayEquals(new int[] {3, 7}, first.activeFeatures());
  }

  @Test
  void aDenseBlockBelowTheCapacityDoesNotKeepItsValuesForTheNext() {
    Block.Builder rows = new Block.Builder(3, 4, Block.Builder.Layout.DENSE);
    rows.addDense(new double[] {1, 2, 3}, 0);
    rows.addDense(new double[] {4, 5, 6}, 1);
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, rows.build().denseFeatures(), 0.0);
    rows.addSparse(new int[] {1}, new double[] {7}, 0);
    rows.addSparse(new int[0], new double[0], 1);
    assertArrayEquals(new double[] {0, 7, 0, 0, 0, 0}, rows.build().denseFeatures(), 0.0);
  }

  @Test
  void emptyBuildsAndBadRowsAreRefused() {
    Block.Builder rows = new Block.Builder(4, 2);
    assertEquals("Block: no rows to build a block of", assertThrows(IllegalStateException.class, rows::build).getMessage());
    assertEquals("Block: a row of 3 values in rows of 4",
        assertThrows(IllegalArgumentException.class, () -> rows.addDense(new double[3], 0)).getMessage());
    assertEquals("Block: feature 4 in rows of 4",
        assertThrows(IllegalArgumentException.class, () -> rows.addSparse(new int[] {4}, new double[] {1}, 0))
            .getMessage());
    assertEquals("Block: feature -1 in rows of 4",
        assertThrows(IllegalArgumentException.class, () -> rows.addSparse(new int[] {-1}, new double[] {1}, 0))
            .getMessage());
    rows.addSparse(new int[] {0, 3}, new double[] {1, 2}, 5);
    assertArrayEquals(new double[] {1, 0, 0, 2}, rows.build().denseFeatures(), 0.0);
    assertEquals("Block: no rows to build a block of", assertThrows(IllegalStateException.class, rows::build).getMessage());
  }

  @Test
  void wideBlocksAreStagedSparseAndLaidOutByDensityAllTheSame() {
    // 3000 features in blocks of 2000 rows: more than a builder stages dense
    int width = 3000;
    double[] dense = new double[width];
    for (int i = 0; i < width; i++) {
      dense[i] = i % 7 == 0 ? 0 : i;
    }
    for (Block.Builder.Layout layout : new Block.Builder.Layout[] {Block.Builder.Layout.AUTO, Block.Builder.Layout.DENSE}) {
      Block.Builder rows = new Block.Builder(width, 2000, layout);
      rows.addDense(dense, 1);
      rows.addSparse(new int[] {2, 2999}, new double[] {-1, 0.5}, 2);
      Block block = rows.build();
      assertFalse(block.isSparse(), layout.name());
      double[] expected = new double[2 * width];
      System.arraycopy(dense, 0, expected, 0, width);
      expected[width + 2] = -1;
      expected[2 * width - 1] = 0.5;
      assertArrayEquals(expected, block.denseFeatures(), 0.0);
      assertArrayEquals(new double[] {1, 2}, new double[] {block.label(0), block.label(1)}, 0.0);
      // a smaller block next: nothing of the first shows
      rows.addSparse(new int[] {0, 1, 4}, new double[] {3, 4, 5}, 3);
      double[] next = new double[width];
      next[0] = 3;
      next[1] = 4;
      next[4] = 5;
      Block smaller = rows.build();
      assertEquals(layout == Block.Builder.Layout.AUTO, smaller.isSparse(), layout.name());
      assertArrayEquals(next, smaller.denseFeatures(), 0.0);
      rows.addDense(dense, 1);
      rows.addDense(dense, 2);
      rows.addSparse(new int[] {7}, new double[] {9}, 4);
      rows.build();
      rows.addSparse(new int[] {1, 2}, new double[] {4, 5}, 3);
      double[] last = new double[width];
      last[1] = 4;
      last[2] = 5;
      assertArrayEquals(last, rows.build().denseFeatures(), 0.0, layout.name());
    }
    Block.Builder sparse = new Block.Builder(width, 2000);
    sparse.addSparse(new int[] {2, 2999}, new double[] {-1, 0.5}, 2);
    Block block = sparse.build();
    assertTrue(block.isSparse());
    assertArrayEquals(new int[] {2, 2999}, block.indices);
  }

  @Test
  void aBuilderForHashedTextDoesNotAllocateRowsTimesFeatures() {
    // 2^20 features in blocks of 2048 rows: 2^31 cells, more than an array holds
    Block.Builder rows = new Block.Builder(1 << 20, 2048);
    rows.addSparse(new int[] {5, 1 << 19}, new double[] {1, 2}, 0);
    Block block = rows.build();
    assertTrue(block.isSparse());
    assertArrayEquals(new int[] {5, 1 << 19}, block.indices);
    assertArrayEquals(new int[] {0, 2}, block.rowStarts);
  }
}
