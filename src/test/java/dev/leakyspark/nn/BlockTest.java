package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Blocks made directly, dense or sparse: what they hold, and the shapes they refuse. */
class BlockTest {

  static String refused(Runnable make) {
    return assertThrows(IllegalArgumentException.class, make::run).getMessage();
  }

  @Test
  void aSparseBlockHoldsItsRowsWithEmptyRowsAndFeatureZero() {
    // rows [0, 0, 1, 0, 0, 2], [], [3, 0, 0, 4, 0, 0]: the third row starts below where the first ended
    Block block = Block.sparse(6, new int[] {0, 2, 2, 4}, new int[] {2, 5, 0, 3}, new double[] {1, 2, 3, 4},
        new double[] {7, 8, 9});
    assertTrue(block.isSparse());
    assertEquals(3, block.size());
    assertEquals(6, block.numFeatures());
    assertEquals(9, block.label(2), 0.0);
    assertArrayEquals(new double[] {0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0}, block.denseFeatures(), 0.0);
    assertArrayEquals(new int[] {0, 2, 3, 5}, block.activeFeatures());
    Block standardised = block.withLabelsStandardized(8, 2);
    assertTrue(standardised.isSparse());
    assertArrayEquals(block.denseFeatures(), standardised.denseFeatures(), 0.0);
    assertEquals(0.5, standardised.label(2), 0.0);
  }

  @Test
  void aDenseBlockGivesItsOwnFeatures() {
    double[] features = {1, 0, 0, 0, 0, 2};
    Block block = new Block(features, new double[] {0, 1});
    assertFalse(block.isSparse());
    assertEquals(3, block.numFeatures());
    assertArrayEquals(features, block.denseFeatures(), 0.0);
    assertArrayEquals(new int[] {0, 2}, block.activeFeatures());
  }

  @Test
  void denseFeaturesMustSplitIntoTheRows() {
    assertEquals("Block: 5 feature values do not split into 2 rows",
        refused(() -> new Block(new double[5], new double[2])));
    assertEquals("Block: 0 feature values do not split into 0 rows",
        refused(() -> new Block(new double[0], new double[0])));
  }

  @Test
  void sparseRowsMustBeWellFormed() {
    assertEquals("Block: sparse rows need 1 row starts from 0 to 0 and as many values as indices, but got 1 starts and "
        + "0 indices for 0 values", refused(() -> Block.sparse(3, new int[] {0}, new int[0], new double[0], new double[0])));
    assertEquals("Block: sparse rows need 2 row starts from 0 to 1 and as many values as indices, but got 2 starts and "
        + "1 indices for 1 values",
        refused(() -> Block.sparse(3, new int[] {0, 2}, new int[] {1}, new double[] {1}, new double[] {0})));
    assertEquals("Block: sparse rows need 2 row starts from 0 to 1 and as many values as indices, but got 2 starts and "
        + "1 indices for 2 values",
        refused(() -> Block.sparse(3, new int[] {0, 1}, new int[] {1}, new double[] {1, 2}, new double[] {0})));
    assertEquals("Block: row starts must not decrease, but row 1 ends before it starts",
        refused(() -> Block.sparse(4, new int[] {0, 2, 1, 2}, new int[] {0, 1}, new double[] {1, 1},
            new double[] {0, 0, 0})));
  }

  @Test
  void sparseIndicesMustIncreaseWithinTheFeatures() {
    assertEquals("Block: row 0 has feature -1 after none; indices must increase within [0, 4)",
        refused(() -> Block.sparse(4, new int[] {0, 1}, new int[] {-1}, new double[] {1}, new double[] {0})));
    assertEquals("Block: row 0 has feature 4 after none; indices must increase within [0, 4)",
        refused(() -> Block.sparse(4, new int[] {0, 1}, new int[] {4}, new double[] {1}, new double[] {0})));
    assertEquals("Block: row 0 has feature 2 after 2; indices must increase within [0, 4)",
        refused(() -> Block.sparse(4, new int[] {0, 2}, new int[] {2, 2}, new double[] {1, 1}, new double[] {0})));
    assertEquals("Block: row 1 has feature 1 after 3; indices must increase within [0, 4)",
        refused(() -> Block.sparse(4, new int[] {0, 1, 3}, new int[] {0, 3, 1}, new double[] {1, 1, 1},
            new double[] {0, 0})));
    Block last = Block.sparse(4, new int[] {0, 1}, new int[] {3}, new double[] {1}, new double[] {0});
    assertArrayEquals(new double[] {0, 0, 0, 1}, last.denseFeatures(), 0.0);
  }
}
