package dev.leakyspark.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Limited-memory BFGS with a strong Wolfe line search (Nocedal and Wright, algorithms 7.4, 3.5
 * and 3.6), over plain {@code double[]}. Each objective evaluation may be a distributed pass.
 *
 * <pre>{@code
 * Lbfgs.Result r = new Lbfgs(10, 100, 1e-6).minimize((x, g) -> {
 *   g[0] = 2 * (x[0] - 3);
 *   return (x[0] - 3) * (x[0] - 3);
 * }, new double[] {0}, (iteration, loss, x) -> {});
 * }</pre>
 */
public final class Lbfgs {

  /** A differentiable function: returns f(x) and writes its gradient into {@code gradient}. */
  @FunctionalInterface
  public interface Objective {
    double evaluate(double[] x, double[] gradient);
  }

  /** Called after each iteration with the new point (do not modify it). */
  @FunctionalInterface
  public interface Listener {
    void iteration(int iteration, double loss, double[] x);
  }

  /** The minimiser, the loss before the first and after each iteration, and the iteration count. */
  public record Result(double[] x, double[] lossHistory, int iterations, boolean converged) {}

  private static final double C1 = 1e-4;
  private static final double C2 = 0.9;
  private static final int MAX_LINE_SEARCH_EVALUATIONS = 25;

  private final int memory;
  private final int maxIterations;
  private final double tolerance;

  /**
   * @param memory correction pairs kept (>= 1)
   * @param maxIterations iterations at most (>= 0)
   * @param tolerance stop when the relative decrease of f in one iteration is at most this
   */
  public Lbfgs(int memory, int maxIterations, double tolerance) {
    if (memory < 1 || maxIterations < 0 || !(tolerance >= 0)) {
      throw new IllegalArgumentException(
          "Lbfgs needs memory >= 1, maxIterations >= 0 and tolerance >= 0, but got " + memory
              + ", " + maxIterations + ", " + tolerance);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  public Result minimize(Objective f, double[] start, Listener listener) {
    return minimize(f, start, listener, () -> false);
  }

  /** {@link #minimize}, ending after the first iteration at which {@code stop} says so (not converged). */
  public Result minimize(Objective f, double[] start, Listener listener, java.util.function.BooleanSupplier stop) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    List<Double> history = new ArrayList<>();
    history.add(fx);
    Deque<double[][]> pairs = new ArrayDeque<>(); // {s, y, {1 / s.y}}, newest first
    int iteration = 0;
    boolean converged = false;
    while (iteration < maxIterations) {
      if (norm(g) <= 1e-12 * Math.max(1, norm(x))) {
        converged = true;
        break;
      }
      double[] d = direction(g, pairs);
      double slope = dot(g, d);
      if (!(slope < 0)) {
        pairs.clear();
        d = negate(g);
        slope = dot(g, d);
      }
      double step = pairs.isEmpty() ? Math.min(1.0, 1.0 / norm(g)) : 1.0;
      Point next = lineSearch(f, x, fx, d, slope, step);
      if (next == null) {
        if (pairs.isEmpty()) {
          break; // no decrease along steepest descent either: as far as it can go
        }
        pairs.clear();
        continue;
      }
      double[] s = subtract(next.x, x);
      double[] y = subtract(next.gradient, g);
      double sy = dot(s, y);
      if (sy > 1e-12 * dot(y, y)) {
        pairs.addFirst(new double[][] {s, y, {1.0 / sy}});
        if (pairs.size() > memory) {
          pairs.removeLast();
        }
      }
      double previous = fx;
      x = next.x;
      g = next.gradient;
      fx = next.value;
      iteration++;
      history.add(fx);
      listener.iteration(iteration, fx, x);
      if (stop.getAsBoolean()) {
        break;
      }
      if (Math.abs(previous - fx) <= tolerance * Math.max(1.0, Math.max(Math.abs(previous), Math.abs(fx)))) {
        converged = true;
        break;
      }
    }
    double[] losses = history.stream().mapToDouble(Double::doubleValue).toArray();
    return new Result(x, losses, iteration, converged);
  }

  /** The two-loop recursion: {@code -H g} for the inverse Hessian estimate H. */
  private static double[] direction(double[] g, Deque<double[][]> pairs) {
    double[] q = g.clone();
    double[] a = new double[pairs.size()];
    int i = 0;
    for (double[][] pair : pairs) {
      a[i] = pair[2][0] * dot(pair[0], q);
      axpy(-a[i], pair[1], q);
      i++;
    }
    if (!pairs.isEmpty()) {
      double[][] newest = pairs.peekFirst();
      double gamma = 1.0 / (newest[2][0] * dot(newest[1], newest[1]));
      scale(gamma, q);
    }
    Iterator<double[][]> oldestFirst = pairs.descendingIterator();
    i = pairs.size() - 1;
    while (oldestFirst.hasNext()) {
      double[][] pair = oldestFirst.next();
      double b = pair[2][0] * dot(pair[1], q);
      axpy(a[i] - b, pair[0], q);
      i--;
    }
    return negate(q);
  }

  private record Point(double step, double[] x, double value, double[] gradient, double slope) {}

  private static Point evaluate(Objective f, double[] x, double[] d, double step) {
    double[] at = x.clone();
    axpy(step, d, at);
    double[] gradient = new double[x.length];
    double value = f.evaluate(at, gradient);
    return new Point(step, at, value, gradient, dot(gradient, d));
  }

  /** A point satisfying the strong Wolfe conditions, or null if none was found. */
  private static Point lineSearch(Objective f, double[] x, double fx, double[] d, double slope, double step) {
    Point previous = new Point(0, x, fx, null, slope);
    int evaluations = 0;
    while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
      Point p = evaluate(f, x, d, step);
      evaluations++;
      if (!Double.isFinite(p.value)) {
        step = (previous.step + step) / 2; // overshot into overflow: back off
        continue;
      }
      if (p.value > fx + C1 * step * slope || (evaluations > 1 && p.value >= previous.value)) {
        return zoom(f, x, fx, d, slope, previous, p, evaluations);
      }
      if (Math.abs(p.slope) <= -C2 * slope) {
        return p;
      }
      if (p.slope >= 0) {
        return zoom(f, x, fx, d, slope, p, previous, evaluations);
      }
      previous = p;
      step *= 2;
    }
    return previous.gradient == null || previous.value >= fx ? null : previous;
  }

  private static Point zoom(
      Objective f, double[] x, double fx, double[] d, double slope, Point lo, Point hi, int evaluations) {
    while (evaluations < MAX_LINE_SEARCH_EVALUATIONS) {
      double step = interpolate(lo, hi);
      Point p = evaluate(f, x, d, step);
      evaluations++;
      if (!Double.isFinite(p.value) || p.value > fx + C1 * step * slope || p.value >= lo.value) {
        hi = p;
      } else {
        if (Math.abs(p.slope) <= -C2 * slope) {
          return p;
        }
        if (p.slope * (hi.step - lo.step) >= 0) {
          hi = lo;
        }
        lo = p;
      }
    }
    // Out of evaluations: take the best sufficient decrease found, if any.
    return lo.gradient != null && lo.value < fx ? lo : null;
  }

  /** The minimiser of the cubic through both ends, kept well inside the interval. */
  private static double interpolate(Point lo, Point hi) {
    double a = lo.step;
    double b = hi.step;
    double d1 = lo.slope + hi.slope - 3 * (lo.value - hi.value) / (a - b);
    double root = d1 * d1 - lo.slope * hi.slope;
    double low = Math.min(a, b);
    double width = Math.abs(b - a);
    if (root >= 0 && Double.isFinite(hi.value)) {
      double d2 = Math.signum(b - a) * Math.sqrt(root);
      double t = b - (b - a) * (hi.slope + d2 - d1) / (hi.slope - lo.slope + 2 * d2);
      if (t >= low + 0.1 * width && t <= low + 0.9 * width) {
        return t;
      }
    }
    return (a + b) / 2;
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static void axpy(double alpha, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += alpha * x[i];
    }
  }

  private static void scale(double alpha, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= alpha;
    }
  }

  private static double[] subtract(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] - b[i];
    }
    return out;
  }

  private static double[] negate(double[] a) {
    double[] out = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = -a[i];
    }
    return out;
  }
}
