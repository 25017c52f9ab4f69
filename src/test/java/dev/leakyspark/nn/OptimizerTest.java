package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptimizerTest {

  static double rosenbrock(double[] x, double[] g) {
    double f = 0;
    java.util.Arrays.fill(g, 0);
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  }

  @Test
  void lbfgsFindsTheRosenbrockMinimum() {
    double[] start = new double[10];
    java.util.Arrays.fill(start, -1.2);
    List<Double> seen = new ArrayList<>();
    Lbfgs.Result result =
        new Lbfgs(7, 500, 0).minimize(OptimizerTest::rosenbrock, start, (i, loss, x) -> seen.add(loss));
    double[] ones = new double[10];
    java.util.Arrays.fill(ones, 1.0);
    assertArrayEquals(ones, result.x(), 1e-5);
    assertTrue(result.converged());
    assertEquals(result.iterations(), seen.size());
    assertEquals(result.iterations() + 1, result.lossHistory().length);
    for (int i = 1; i < result.lossHistory().length; i++) {
      assertTrue(result.lossHistory()[i] <= result.lossHistory()[i - 1], "loss rose at iteration " + i);
    }
  }

  @Test
  void lbfgsStopsAtMaxIterationsAndAtTolerance() {
    double[] start = {-1.2, 1.0};
    assertEquals(3, new Lbfgs(5, 3, 0).minimize(OptimizerTest::rosenbrock, start, (i, l, x) -> {}).iterations());
    Lbfgs.Result loose = new Lbfgs(5, 1000, 1e-2).minimize(OptimizerTest::rosenbrock, start, (i, l, x) -> {});
    assertTrue(loose.converged());
    assertTrue(loose.iterations() < 30, "iterations " + loose.iterations());
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(1, 1, Double.NaN));
  }

  @Test
  void adamMinimisesAQuadratic() {
    double[] w = {5.0, -3.0};
    Adam adam = new Adam(2);
    double[] g = new double[2];
    for (int step = 0; step < 2000; step++) {
      g[0] = 2 * (w[0] - 1);
      g[1] = 20 * (w[1] + 2);
      adam.step(w, g, 0.1);
    }
    assertArrayEquals(new double[] {1.0, -2.0}, w, 1e-3);
    assertEquals(2000, adam.steps());
  }

  @Test
  void adamFirstStepMovesEachWeightByTheLearningRate() {
    double[] w = {0.0, 0.0};
    new Adam(2).step(w, new double[] {3.0, -0.001}, 0.01);
    assertArrayEquals(new double[] {-0.01, 0.01}, w, 1e-6);
    assertThrows(IllegalArgumentException.class, () -> new Adam(new double[2], new double[3], 0));
    assertEquals("Adam needs moments of one length and steps >= 0, but got 2/2, -1",
        assertThrows(IllegalArgumentException.class, () -> new Adam(new double[2], new double[2], -1)).getMessage());
  }
}
