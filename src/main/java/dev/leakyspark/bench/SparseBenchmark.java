package dev.leakyspark.bench;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.nn.Adam;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import dev.ludovic.netlib.blas.BLAS;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Sparse against dense blocks, the measurement behind {@link Block#SPARSE_DENSITY}: for each
 * density and first-layer width, one Adam step (forward, backward and update, as training takes
 * it) on the same 128 rows laid out dense and sparse, one thread, side by side, with the bytes each
 * layout holds. Prints a markdown table.
 *
 * <pre>{@code
 * jobs/bench sparse --features 2048 --widths 16,64,256 --densities 0.01,0.05,0.1,0.2,0.4
 * }</pre>
 */
public final class SparseBenchmark {

  private SparseBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> o = JobArgs.parse(args, Set.of("features", "widths", "densities", "rows"), Set.of());
    int features = JobArgs.integer(o, "features", 2048, 1);
    int rows = JobArgs.integer(o, "rows", 128, 1);
    int[] widths = o.containsKey("widths") ? JobArgs.sizes(o, "widths", 1) : new int[] {16, 64, 256};
    double[] densities = o.containsKey("densities")
        ? java.util.Arrays.stream(o.get("densities").split(",")).mapToDouble(Double::parseDouble).toArray()
        : new double[] {0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5};
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "One Adam step on %d rows of %d features, layers %d-width-10, one thread, BLAS %s%n%n"
            + "| density | width | dense ms | sparse ms | sparse / dense time | sparse / dense bytes |%n"
            + "|---|---|---|---|---|---|%n",
        rows, features, features, BLAS.getInstance().getClass().getSimpleName()));
    for (double density : densities) {
      Block[] blocks = blocks(rows, features, density, new Random(7));
      long denseBytes = 8L * rows * features;
      long sparseBytes = 12L * nonZeros(blocks[0]) + 4L * (rows + 1);
      for (int width : widths) {
        Network net = new Network(new int[] {features, width, 10}, 0.01);
        double dense = millisPerStep(net, blocks[1]);
        double sparse = millisPerStep(net, blocks[0]);
        table.append(String.format(Locale.ROOT, "| %.3f | %d | %.3f | %.3f | %.2f | %.2f |%n", density, width, dense,
            sparse, sparse / dense, (double) sparseBytes / denseBytes));
      }
    }
    System.out.println(table);
  }

  /** The same random rows as a sparse block and a dense one. */
  private static Block[] blocks(int rows, int features, double density, Random random) {
    Block.Builder sparse = new Block.Builder(features, rows, Block.Builder.Layout.SPARSE);
    Block.Builder dense = new Block.Builder(features, rows, Block.Builder.Layout.DENSE);
    for (int i = 0; i < rows; i++) {
      double[] row = new double[features];
      for (int j = 0; j < features; j++) {
        row[j] = random.nextDouble() < density ? random.nextGaussian() : 0;
      }
      int label = random.nextInt(10);
      sparse.addDense(row, label);
      dense.addDense(row, label);
    }
    return new Block[] {sparse.build(), dense.build()};
  }

  private static int nonZeros(Block block) {
    double[] values = block.denseFeatures();
    int n = 0;
    for (double v : values) {
      n += v != 0 ? 1 : 0;
    }
    return n;
  }

  /** The fastest of 3 runs of half a second each, after a warm-up, in milliseconds per step. */
  private static double millisPerStep(Network net, Block block) {
    double[] w = net.initialWeights(1);
    double[] gradient = new double[w.length];
    Adam adam = new Adam(w.length);
    double best = Double.MAX_VALUE;
    for (int run = -1; run < 3; run++) {
      int steps = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 500_000_000L) {
        adam.step(net, w, block, gradient, 1e-6, 0.0);
        steps++;
      }
      if (run >= 0) {
        best = Math.min(best, (System.nanoTime() - start) / 1e6 / steps);
      }
    }
    return best;
  }
}
