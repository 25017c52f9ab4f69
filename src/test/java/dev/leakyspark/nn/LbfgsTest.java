package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * L-BFGS step by step on one-dimensional objectives whose line searches can be worked out by hand
 * (Nocedal and Wright, algorithms 3.5 and 3.6 with cubic interpolation, c1 = 1e-4, c2 = 0.9), and
 * its stopping rules. {@link LbfgsPathTest} checks the L-BFGS matrix and the Wolfe conditions in
 * more dimensions.
 */
class LbfgsTest {

  /** An objective that keeps every point it was evaluated at. */
  static final class Recorded implements Lbfgs.Objective {
    final Lbfgs.Objective f;
    final List<double[]> points = new ArrayList<>();

    Recorded(Lbfgs.Objective f) {
      this.f = f;
    }

    @Override
    public double evaluate(double[] x, double[] gradient) {
      points.add(x.clone());
      return f.evaluate(x, gradient);
    }

    /** The points of a one-dimensional objective. */
    double[] xs() {
      return points.stream().mapToDouble(p -> p[0]).toArray();
    }
  }

  /** {@code a / 2 * (x - c)^2}. */
  static Recorded quadratic(double a, double c) {
    return new Recorded((x, g) -> {
      g[0] = a * (x[0] - c);
      return 0.5 * a * (x[0] - c) * (x[0] - c);
    });
  }

  static Lbfgs.Result run(int memory, int maxIterations, double tolerance, Recorded f, double... start) {
    return new Lbfgs(memory, maxIterations, tolerance).minimize(f, start, (i, loss, x) -> {});
  }

  @Test
  void aFirstStepThatMeetsTheWolfeConditionsIsTakenAndOnePairGivesTheSecantStep() {
    // f = (x - 4)^2 / 2 from 0: the first trial is a unit step along -g (x = 1), which meets both
    // conditions; its pair (s = 1, y = 1) is the exact inverse curvature, so the next step lands on 4
    Recorded f = quadratic(1, 4);
    Lbfgs.Result r = run(1, 10, 0, f, 0);
    assertArrayEquals(new double[] {0, 1, 4}, f.xs(), 0.0);
    assertArrayEquals(new double[] {4}, r.x(), 0.0);
    assertArrayEquals(new double[] {8, 4.5, 0}, r.lossHistory(), 0.0);
    assertEquals(2, r.iterations());
    assertTrue(r.converged(), "stopped on the zero gradient");
  }

  @Test
  void aStepTooShortForTheCurvatureConditionIsDoubled() {
    // f = 0.01 (x - 200)^2 / 2 from 0: x = 1, 2, 4, 8, 16 still slope down by more than 0.9 times
    // the start's slope; 32 is the first that does not. Then the secant step lands on 200.
    Recorded f = quadratic(0.01, 200);
    Lbfgs.Result r = run(3, 10, 0, f, 0);
    assertArrayEquals(new double[] {0, 1, 2, 4, 8, 16, 32, 200}, f.xs(), 1e-12);
    assertEquals(2, r.iterations());
    assertEquals(200, r.x()[0], 1e-12);
  }

  @Test
  void anOvershootIsZoomedIntoAndCubicInterpolationFindsAQuadraticsMinimum() {
    // f = 10 (x - 0.3)^2 / 2 from 0: the unit step to x = 1 fails the sufficient decrease; the cubic
    // through both ends' values and slopes is the quadratic itself, so one more point, 0.3, ends it
    Recorded f = quadratic(10, 0.3);
    Lbfgs.Result r = run(5, 10, 0, f, 0);
    assertArrayEquals(new double[] {0, 1, 0.3}, f.xs(), 1e-15);
    assertEquals(1, r.iterations());
    assertTrue(r.converged());
    assertEquals(0.3, r.x()[0], 1e-15);
  }

  @Test
  void aStepPastTheMinimumWithSufficientDecreaseIsZoomedFromItsEnd() {
    // f = 10 (x - 0.52)^2 / 2 from 0: x = 1 decreases f enough but slopes up by more than 0.9 times
    // the start's slope, so the interval runs from that point back to the start; the cubic is again
    // the quadratic, with the ends the other way round
    Recorded f = quadratic(10, 0.52);
    Lbfgs.Result r = run(5, 10, 0, f, 0);
    assertArrayEquals(new double[] {0, 1, 0.52}, f.xs(), 1e-15);
    assertEquals(1, r.iterations());
    assertEquals(0.52, r.x()[0], 1e-15);
  }

  @Test
  void theFirstTrialIsAUnitStepAlongSteepestDescentOrTheGradientItselfWhenShorter() {
    Recorded steep = quadratic(1, 50); // |g| = 50: the first trial moves 1, not 50
    run(2, 1, 0, steep, 0);
    assertEquals(1.0, steep.points.get(1)[0], 0.0);
    Recorded gentle = quadratic(1, 0.25); // |g| = 0.25: the first trial is x - g itself
    run(2, 1, 0, gentle, 0);
    assertEquals(0.25, gentle.points.get(1)[0], 0.0);
  }

  /** The cubic with f(0) = 0, f'(0) = -2, f(1) = rise and f'(1) = 0.5. */
  static Recorded cubic(double rise) {
    double beta = -1.5 - 2 * rise;
    double alpha = 3.5 + 3 * rise;
    return new Recorded((x, g) -> {
      double t = x[0];
      g[0] = -2 + 2 * alpha * t + 3 * beta * t * t;
      return -2 * t + alpha * t * t + beta * t * t * t;
    });
  }

  @Test
  void theSufficientDecreaseIsOneTenThousandthOfTheSlopeTimesTheStep() {
    // from 0 the first trial is x = 1 (step 0.5 along d = 2), where the slope meets the curvature
    // condition; the decrease must be at least 1e-4 * 0.5 * |g'd| = 2e-4
    Recorded enough = cubic(-5e-4);
    assertArrayEquals(new double[] {1}, run(5, 1, 0, enough, 0).x(), 0.0);
    assertEquals(2, enough.points.size());
    for (double rise : new double[] {-1.5e-5, 5e-5}) {
      // too little decrease, or a rise: zoomed into, where the cubic interpolation finds the
      // cubic's own minimum
      Recorded tooLittle = cubic(rise);
      Lbfgs.Result r = run(5, 1, 0, tooLittle, 0);
      double beta = -1.5 - 2 * rise;
      double alpha = 3.5 + 3 * rise;
      double minimum = (-2 * alpha + Math.sqrt(4 * alpha * alpha + 24 * beta)) / (6 * beta);
      assertEquals(minimum, r.x()[0], 1e-12, "rise " + rise);
      assertEquals(3, tooLittle.points.size());
      assertTrue(r.lossHistory()[1] < -0.3, "rise " + rise);
    }
  }

  @Test
  void anOverflowingTrialBacksOffHalfwayToTheLastFinitePoint() {
    // f = (x - 8)^2 / 2 below a wall at 0.9 and +Inf from there: the unit step to 1 overflows,
    // 0.5 decreases f but is too short, so the search doubles again (1 overflows again), then keeps
    // halving towards the last finite point until 0.84375 meets the curvature condition
    Recorded f = new Recorded((x, g) -> {
      g[0] = x[0] - 8;
      return x[0] < 0.9 ? 0.5 * (x[0] - 8) * (x[0] - 8) : Double.POSITIVE_INFINITY;
    });
    Lbfgs.Result r = run(5, 1, 0, f, 0);
    assertArrayEquals(new double[] {0, 1, 0.5, 1, 0.75, 1.5, 1.125, 0.9375, 0.84375}, f.xs(), 0.0);
    assertArrayEquals(new double[] {0.84375}, r.x(), 0.0);
    assertEquals(1, r.iterations());
  }

  @Test
  void aLineSearchStopsAfterTwentyFiveEvaluationsAtTheFarthestDecrease() {
    // f = -x keeps decreasing at the same slope: the search doubles from 1 to 2^24 and takes that
    Recorded f = new Recorded((x, g) -> {
      g[0] = -1;
      return -x[0];
    });
    Lbfgs.Result r = run(5, 1, 0, f, 0);
    assertEquals(26, f.points.size(), "the start and 25 trials");
    assertArrayEquals(new double[] {1 << 24}, r.x(), 0.0);
    assertEquals(1, r.iterations());
    assertFalse(r.converged());
  }

  @Test
  void whenNoStepDecreasesTheObjectiveItStopsWhereItIs() {
    // a gradient that points the wrong way (f = x^2 rises to the right, but g says it falls):
    // steepest descent finds no decrease in 25 trials, and there is no other direction to try
    Recorded f = new Recorded((x, g) -> {
      g[0] = -(Math.abs(2 * x[0]) + 1);
      return x[0] * x[0];
    });
    Lbfgs.Result r = run(5, 10, 0, f, 1);
    assertEquals(26, f.points.size(), "the start and 25 trials");
    assertArrayEquals(new double[] {1}, r.x(), 0.0);
    assertArrayEquals(new double[] {1}, r.lossHistory(), 0.0);
    assertEquals(0, r.iterations());
    assertFalse(r.converged());
  }

  @Test
  void aZoomOutOfEvaluationsTakesTheBestDecreaseItFound() {
    // f = (x - 2)^2 with a gradient of -100 everywhere: x = 1 and 2 decrease f, 4 does not; no
    // point of [2, 4] beats 2 nor meets the (false) curvature, so the first iteration ends at 2.
    // From there the gradient has not changed (no correction pair), and steepest descent finds no
    // decrease in 25 trials: the run stops at 2, not converged.
    Recorded f = new Recorded((x, g) -> {
      g[0] = -100;
      return (x[0] - 2) * (x[0] - 2);
    });
    Lbfgs.Result r = run(5, 10, 0, f, 0);
    assertArrayEquals(new double[] {2}, r.x(), 0.0);
    assertArrayEquals(new double[] {4, 0}, r.lossHistory(), 0.0);
    assertEquals(1, r.iterations());
    assertFalse(r.converged());
    assertEquals(1 + 25 + 25, f.points.size());
  }

  @Test
  void aWrongGradientAfterProgressFallsBackToSteepestDescentBeforeStopping() {
    // f = (x - 4)^2 / 2 + 10 max(0, x - 4), with an honest gradient at its first two points (0 and
    // 1, one iteration), then one that claims descent to the right where f only rises: the second
    // step (to 4) is taken, but from there the quasi-Newton direction finds no decrease, the pairs
    // are dropped, steepest descent finds none either, and the run stops at 4
    int[] calls = {0};
    Recorded f = new Recorded((x, g) -> {
      g[0] = calls[0]++ < 2 ? x[0] - 4 : -1;
      return 0.5 * (x[0] - 4) * (x[0] - 4) + 10 * Math.max(0, x[0] - 4);
    });
    Lbfgs.Result r = run(5, 10, 0, f, 0);
    assertArrayEquals(new double[] {4}, r.x(), 0.0);
    assertEquals(2, r.iterations());
    assertFalse(r.converged());
    assertEquals(3 + 25 + 25, f.points.size(), "two failed line searches of 25 trials");
  }

  @Test
  void itStopsAtOnceWhereTheGradientIsAtMostOneInATrillionOfMaxOneAndX() {
    for (double[] startAndGradient : new double[][] {{1e6, 1e-8}, {1e6, 1e-6}, {0, 1e-12}, {-3, 1e-12}}) {
      double gradient = startAndGradient[1];
      Recorded f = new Recorded((x, g) -> {
        g[0] = gradient;
        return gradient * x[0];
      });
      Lbfgs.Result r = run(5, 10, 0, f, startAndGradient[0]);
      assertEquals(0, r.iterations(), "start " + startAndGradient[0]);
      assertTrue(r.converged());
      assertEquals(1, f.points.size());
    }
    Recorded f = new Recorded((x, g) -> {
      g[0] = 2e-12;
      return 2e-12 * x[0];
    });
    Lbfgs.Result moving = run(5, 1, 0, f, 0);
    assertEquals(1, moving.iterations());
    assertFalse(moving.converged());
  }

  @Test
  void theToleranceIsRelativeToTheObjective() {
    // 1e6 + (x - 25)^2 / 2 from 0: the first iteration (to x = 4) lowers f by 92, under 1e-3 of
    // 1e6, so it stops there; without the offset the same tolerance runs on to the minimum
    Recorded offset = new Recorded((x, g) -> {
      g[0] = x[0] - 25;
      return 1e6 + 0.5 * (x[0] - 25) * (x[0] - 25);
    });
    Lbfgs.Result r = run(5, 10, 1e-3, offset, 0);
    assertArrayEquals(new double[] {4}, r.x(), 0.0);
    assertEquals(1, r.iterations());
    assertTrue(r.converged());
    Lbfgs.Result plain = run(5, 10, 1e-3, quadratic(1, 25), 0);
    assertEquals(25, plain.x()[0], 1e-12);
    assertEquals(2, plain.iterations());
  }

  @Test
  void toleranceZeroStopsOnAnIterationThatLeavesTheObjectiveUnchanged() {
    // 1e20 + (x - 4)^2 / 2 rounds to 1e20 near the start: the first step (to 1) meets the Wolfe
    // conditions on the gradient, but f did not change, which is no decrease at all
    Recorded f = new Recorded((x, g) -> {
      g[0] = x[0] - 4;
      return 1e20 + 0.5 * (x[0] - 4) * (x[0] - 4);
    });
    Lbfgs.Result r = run(5, 10, 0, f, 0);
    assertArrayEquals(new double[] {1}, r.x(), 0.0);
    assertEquals(1, r.iterations());
    assertTrue(r.converged());
  }

  @Test
  void noIterationsLeavesTheStart() {
    double[] start = {3};
    Recorded f = quadratic(1, 0);
    Lbfgs.Result r = new Lbfgs(1, 0, 0).minimize(f, start, (i, loss, x) -> {
      throw new AssertionError("no iteration");
    });
    assertArrayEquals(new double[] {3}, r.x(), 0.0);
    assertArrayEquals(new double[] {4.5}, r.lossHistory(), 0.0);
    assertEquals(0, r.iterations());
    assertFalse(r.converged());
    run(1, 5, 0, quadratic(1, 0), start);
    assertArrayEquals(new double[] {3}, start, 0.0, "the start is not modified");
  }

  @Test
  void badSettingsAreRefused() {
    assertEquals("Lbfgs needs memory >= 1, maxIterations >= 0 and tolerance >= 0, but got 0, 1, 0.0",
        assertThrows(IllegalArgumentException.class, () -> new Lbfgs(0, 1, 0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(1, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(1, 1, -1e-9));
    assertThrows(IllegalArgumentException.class, () -> new Lbfgs(1, 1, Double.NaN));
  }
}
