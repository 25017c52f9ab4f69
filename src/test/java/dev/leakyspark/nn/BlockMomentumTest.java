package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Block momentum's start and update, weight by weight, and the sizes it refuses. */
class BlockMomentumTest {

  @Test
  void aRoundStartsAheadByTheMomentumTimesTheLastUpdate() {
    BlockMomentum bm = new BlockMomentum(0.75, new double[] {2, -4});
    assertEquals(0.75, bm.momentum(), 0.0);
    double[] weights = {1, 1};
    assertArrayEquals(new double[] {2.5, -2}, bm.start(weights), 0.0);
    assertArrayEquals(new double[] {1, 1}, weights, 0.0, "start leaves the weights as they are");
    bm.update(weights, new double[] {0.5, 1});
    assertArrayEquals(new double[] {2, -2}, bm.delta(), 0.0, "0.75 * delta + update");
    assertArrayEquals(new double[] {3, -1}, weights, 0.0);
    bm.update(weights, 1, -2);
    assertArrayEquals(new double[] {2, -3.5}, bm.delta(), 0.0, "one weight alone");
    assertArrayEquals(new double[] {3, -4.5}, weights, 0.0);
  }

  @Test
  void withoutMomentumARoundStartsFromTheWeightsThemselves() {
    BlockMomentum none = new BlockMomentum(0, new double[] {Double.POSITIVE_INFINITY, 1});
    double[] weights = {1, 2};
    assertSame(weights, none.start(weights), "no copy");
    assertArrayEquals(new double[] {1, 2}, weights, 0.0);
  }

  @Test
  void weightsAndUpdatesOfAnotherSizeAreRefused() {
    for (double momentum : new double[] {0, 0.5}) {
      BlockMomentum bm = new BlockMomentum(2, momentum);
      assertEquals("block momentum holds 2 weights but got 3",
          assertThrows(IllegalArgumentException.class, () -> bm.start(new double[3])).getMessage());
      assertEquals("block momentum holds 2 weights but got 3",
          assertThrows(IllegalArgumentException.class, () -> bm.update(new double[3], new double[2])).getMessage());
      double[] weights = {1, 2};
      assertEquals("block momentum holds 2 weights but got 3",
          assertThrows(IllegalArgumentException.class, () -> bm.update(weights, new double[] {1, 1, 1})).getMessage());
      assertArrayEquals(new double[] {1, 2}, weights, 0.0, "a refused update changes nothing");
    }
    assertEquals("block momentum must be in [0, 1) but got 1.0",
        assertThrows(IllegalArgumentException.class, () -> new BlockMomentum(1, 1.0)).getMessage());
  }
}
