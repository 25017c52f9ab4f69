package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L-BFGS's path in several dimensions: each iteration's first trial is {@code x - H g} for the
 * L-BFGS matrix H of the last {@code memory} correction pairs, written out here as matrices (Nocedal
 * and Wright, equation 7.19, from {@code H0 = (s'y / y'y) I} of the newest pair), and every step
 * meets the strong Wolfe conditions.
 */
class LbfgsPathTest {

  /** {@code x'Ax / 2 - b'x}, ill-conditioned, so L-BFGS needs several iterations. */
  static final double[][] A = {{10, 2, 0, 1}, {2, 5, 1, 0}, {0, 1, 2, 0.5}, {1, 0, 0.5, 0.3}};
  static final double[] B = {1, -2, 3, 0.5};

  static double quadratic(double[] x, double[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      g[i] = -B[i];
      for (int j = 0; j < x.length; j++) {
        g[i] += A[i][j] * x[j];
      }
      f += 0.5 * x[i] * (g[i] - B[i]);
    }
    return f;
  }

  static double[] gradient(Lbfgs.Objective f, double[] x) {
    double[] g = new double[x.length];
    f.evaluate(x, g);
    return g;
  }

  /** The iterates, and the first point each iteration's line search tried. */
  record Path(List<double[]> iterates, List<double[]> firstTrials, Lbfgs.Result result) {}

  static Path path(Lbfgs.Objective f, double[] start, int memory, int maxIterations) {
    List<double[]> points = new ArrayList<>();
    List<double[]> iterates = new ArrayList<>(List.of(start.clone()));
    List<Integer> evaluationsBefore = new ArrayList<>(List.of(1));
    Lbfgs.Result result = new Lbfgs(memory, maxIterations, 0).minimize((x, g) -> {
      points.add(x.clone());
      return f.evaluate(x, g);
    }, start, (i, loss, x) -> {
      iterates.add(x.clone());
      evaluationsBefore.add(points.size());
    });
    List<double[]> firstTrials = new ArrayList<>();
    for (int at : evaluationsBefore) {
      if (at < points.size()) {
        firstTrials.add(points.get(at));
      }
    }
    return new Path(iterates, firstTrials, result);
  }

  /** H g for H from the pairs {@code (s[k], y[k])}, oldest first, by the BFGS update of matrices. */
  static double[] lbfgsMatrixTimes(List<double[]> s, List<double[]> y, double[] g) {
    int n = g.length;
    double[] sNew = s.get(s.size() - 1);
    double[] yNew = y.get(y.size() - 1);
    double gamma = Lbfgs.dot(sNew, yNew) / Lbfgs.dot(yNew, yNew);
    double[][] h = new double[n][n];
    for (int i = 0; i < n; i++) {
      h[i][i] = gamma;
    }
    for (int k = 0; k < s.size(); k++) {
      double rho = 1 / Lbfgs.dot(s.get(k), y.get(k));
      double[][] v = new double[n][n]; // I - rho y s'
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          v[i][j] = (i == j ? 1 : 0) - rho * y.get(k)[i] * s.get(k)[j];
        }
      }
      double[][] next = new double[n][n]; // V' H V + rho s s'
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double sum = rho * s.get(k)[i] * s.get(k)[j];
          for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
              sum += v[p][i] * h[p][q] * v[q][j];
            }
          }
          next[i][j] = sum;
        }
      }
      h = next;
    }
    double[] hg = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        hg[i] += h[i][j] * g[j];
      }
    }
    return hg;
  }

  static double[] minus(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  @Test
  void eachIterationFirstTriesTheStepOfTheLbfgsMatrixOfItsLastPairs() {
    double[] start = {3, -1, 2, -4};
    for (int memory : new int[] {1, 2, 3}) {
      Path path = path(LbfgsPathTest::quadratic, start, memory, 7);
      int iterations = path.result().iterations();
      assertTrue(iterations >= 5, "memory " + memory + ": " + iterations + " iterations, enough to drop pairs");
      List<double[]> s = new ArrayList<>();
      List<double[]> y = new ArrayList<>();
      for (int k = 0; k < path.firstTrials().size(); k++) {
        double[] x = path.iterates().get(k);
        double[] g = gradient(LbfgsPathTest::quadratic, x);
        double[] expected;
        if (k == 0) {
          double step = Math.min(1, 1 / Lbfgs.norm(g)); // steepest descent, a unit step at most
          expected = x.clone();
          for (int i = 0; i < x.length; i++) {
            expected[i] -= step * g[i];
          }
        } else {
          double[] previous = path.iterates().get(k - 1);
          s.add(minus(x, previous));
          y.add(minus(g, gradient(LbfgsPathTest::quadratic, previous)));
          int from = Math.max(0, s.size() - memory);
          expected = minus(x, lbfgsMatrixTimes(s.subList(from, s.size()), y.subList(from, y.size()), g));
        }
        double[] actual = path.firstTrials().get(k);
        for (int i = 0; i < x.length; i++) {
          assertEquals(expected[i], actual[i], 1e-9 * Math.max(1, Math.abs(expected[i])),
              "memory " + memory + ", iteration " + (k + 1) + ", coordinate " + i);
        }
      }
    }
  }

  @Test
  void memoryChangesThePathOnlyOnceMorePairsThanItHoldsExist() {
    double[] start = {3, -1, 2, -4};
    Path one = path(LbfgsPathTest::quadratic, start, 1, 6);
    Path two = path(LbfgsPathTest::quadratic, start, 2, 6);
    Path many = path(LbfgsPathTest::quadratic, start, 50, 6);
    // iterations 1 and 2 use at most one pair, iteration 3 two
    for (int k = 0; k <= 2; k++) {
      assertTrue(Arrays.equals(one.iterates().get(k), two.iterates().get(k)), "iterate " + k);
    }
    assertFalse(Arrays.equals(one.iterates().get(3), two.iterates().get(3)));
    for (int k = 0; k <= 3; k++) {
      assertTrue(Arrays.equals(two.iterates().get(k), many.iterates().get(k)), "iterate " + k);
    }
    assertFalse(Arrays.equals(two.iterates().get(4), many.iterates().get(4)));
  }

  /** f = sum (x_i^2 - 1)^2 + 0.3 x_i + exp(x_0 - x_1): non-convex, with slopes that change fast. */
  static double bumpy(double[] x, double[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double u = x[i] * x[i] - 1;
      f += u * u + 0.3 * x[i];
      g[i] = 4 * x[i] * u + 0.3;
    }
    double e = Math.exp(x[0] - x[1]);
    g[0] += e;
    g[1] -= e;
    return f + e;
  }

  @Test
  void everyStepMeetsTheStrongWolfeConditions() {
    List<Object[]> cases = List.of(
        new Object[] {(Lbfgs.Objective) OptimizerTest::rosenbrock, new double[] {-1.2, 1}},
        new Object[] {(Lbfgs.Objective) OptimizerTest::rosenbrock, new double[] {-1.2, 1, -1.2, 1, 0.5, 3}},
        new Object[] {(Lbfgs.Objective) LbfgsPathTest::bumpy, new double[] {2.5, -3, 0.1, 4}},
        new Object[] {(Lbfgs.Objective) LbfgsPathTest::bumpy, new double[] {-0.2, 1.5, -2, 0}},
        new Object[] {(Lbfgs.Objective) LbfgsPathTest::quadratic, new double[] {30, -10, 20, -40}});
    for (int c = 0; c < cases.size(); c++) {
      Lbfgs.Objective f = (Lbfgs.Objective) cases.get(c)[0];
      Path path = path(f, (double[]) cases.get(c)[1], 4, 60);
      assertTrue(path.result().iterations() >= 5, "case " + c);
      for (int k = 1; k < path.iterates().size(); k++) {
        double[] x = path.iterates().get(k - 1);
        double[] next = path.iterates().get(k);
        double[] g = new double[x.length];
        double[] gNext = new double[x.length];
        double fx = f.evaluate(x, g);
        double fNext = f.evaluate(next, gNext);
        double[] s = minus(next, x);
        double slope = Lbfgs.dot(g, s);
        double slack = 1e-12 * Math.max(1, Math.abs(fx));
        String where = "case " + c + ", iteration " + k;
        assertTrue(slope < 0, where + ": a descent step");
        assertTrue(fNext <= fx + 1e-4 * slope + slack, where + ": sufficient decrease");
        assertTrue(Math.abs(Lbfgs.dot(gNext, s)) <= 0.9 * -slope * (1 + 1e-9) + 1e-15, where + ": curvature");
        assertEquals(path.result().lossHistory()[k], fNext, 0.0, where + ": the loss history");
      }
    }
  }
}
