package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  private static double[] w(double v) {
    return new double[] {v, -v};
  }

  @Test
  void stopsAfterTheRoundsWithoutImprovementAndKeepsTheBest() {
    EarlyStopping stopping = new EarlyStopping(2, 0);
    assertNull(stopping.bestWeights());
    assertFalse(stopping.record(1, 1.0, w(1)));
    assertFalse(stopping.record(2, 0.5, w(2)));
    assertFalse(stopping.record(3, 0.6, w(3)));
    assertTrue(stopping.record(4, 0.5, w(4)), "equal is no improvement: two rounds without one");
    assertEquals(2, stopping.bestIteration());
    assertEquals(0.5, stopping.bestLoss());
    assertArrayEquals(w(2), stopping.bestWeights());
    assertArrayEquals(new double[] {1.0, 0.5, 0.6, 0.5}, stopping.history());
    assertEquals(2, stopping.sinceBest());
  }

  @Test
  void theToleranceIsRelativeToTheBest() {
    EarlyStopping stopping = new EarlyStopping(1, 0.1);
    stopping.record(0, 10, w(0));
    assertTrue(stopping.record(1, 9.5, w(1)), "0.5 below 10 is less than 10% of it");
    EarlyStopping plenty = new EarlyStopping(1, 0.1);
    plenty.record(0, 10, w(0));
    assertFalse(plenty.record(1, 8.9, w(1)));
    assertEquals(1, plenty.bestIteration());
  }

  @Test
  void zeroRoundsNeverStopButStillKeepTheBest() {
    EarlyStopping stopping = new EarlyStopping(0, 0);
    for (int i = 0; i < 20; i++) {
      assertFalse(stopping.record(i, i == 3 ? 0.1 : 1 + i, w(i)));
    }
    assertEquals(3, stopping.bestIteration());
    assertArrayEquals(w(3), stopping.bestWeights());
  }

  @Test
  void aNanLossNeverImproves() {
    EarlyStopping stopping = new EarlyStopping(2, 0);
    stopping.record(1, Double.NaN, w(1));
    assertEquals(-1, stopping.bestIteration());
    assertTrue(stopping.record(2, Double.NaN, w(2)));
    EarlyStopping later = new EarlyStopping(3, 0);
    later.record(1, 2, w(1));
    later.record(2, Double.NaN, w(2));
    assertEquals(1, later.bestIteration());
  }

  @Test
  void resumingGivesTheStateOfTheUninterruptedRun() {
    double[] losses = {3, 2, 2.5, 1.5, 1.7};
    EarlyStopping straight = new EarlyStopping(3, 0);
    for (int i = 0; i < losses.length; i++) {
      straight.record(i + 1, losses[i], w(i + 1));
    }
    EarlyStopping resumed = new EarlyStopping(3, 0).resume(losses, 1, w(4));
    assertEquals(straight.bestIteration(), resumed.bestIteration());
    assertEquals(straight.sinceBest(), resumed.sinceBest());
    assertArrayEquals(straight.bestWeights(), resumed.bestWeights());
    assertEquals(straight.record(6, 1.6, w(6)), resumed.record(6, 1.6, w(6)));
    assertEquals(straight.record(7, 1.6, w(7)), resumed.record(7, 1.6, w(7)));
    assertArrayEquals(straight.history(), resumed.history());
  }

  @Test
  void lbfgsEndsAfterTheIterationAtWhichTheStopSaysSo() {
    Lbfgs.Objective bowl = (x, g) -> {
      g[0] = 2 * (x[0] - 3);
      g[1] = 20 * (x[1] + 1);
      return (x[0] - 3) * (x[0] - 3) + 10 * (x[1] + 1) * (x[1] + 1);
    };
    int[] seen = {0};
    Lbfgs.Result stopped = new Lbfgs(5, 100, 0).minimize(bowl, new double[] {0, 0}, (i, loss, x) -> seen[0] = i,
        () -> seen[0] == 2);
    assertEquals(2, stopped.iterations());
    assertFalse(stopped.converged());
    assertEquals(3, stopped.lossHistory().length);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -1e-3));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, Double.NaN));
  }
}
