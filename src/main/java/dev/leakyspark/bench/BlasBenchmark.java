package dev.leakyspark.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.leakyspark.cli.JobArgs;
import java.util.Locale;
import java.util.Random;

/**
 * DGEMM throughput of each {@code dev.ludovic.netlib} BLAS backend this JVM can load, on the
 * shapes of the MLP's first layer (a {@code 256 x 784} weight matrix times a block of 128 rows),
 * one thread, side by side. Shows which backend {@code BLAS.getInstance()} picks.
 *
 * <pre>{@code
 * jobs/bench blas
 * }</pre>
 */
public final class BlasBenchmark {

  private static final String[] BACKENDS = {"F2jBLAS", "Java11BLAS", "VectorBLAS", "JNIBLAS"};

  private BlasBenchmark() {}

  public static void main(String[] args) throws Exception {
    JobArgs.parse(args, java.util.Set.of(), java.util.Set.of()); // no options, but --conf and typos are checked
    int m = 256;
    int k = 784;
    int n = 128;
    Random random = new Random(1);
    double[] a = random.doubles((long) m * k).toArray();
    double[] b = random.doubles((long) k * n).toArray();
    double[] c = new double[m * n];
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "DGEMM %dx%d times %dx%d, one thread (OPENBLAS_NUM_THREADS=%s); BLAS.getInstance() is %s%n%n"
            + "| backend | GFLOP/s | vs the first |%n|---|---|---|%n",
        m, k, k, n, System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"),
        BLAS.getInstance().getClass().getSimpleName()));
    double base = 0;
    for (String name : BACKENDS) {
      BLAS blas;
      try {
        // The backend classes are package-private; their getInstance() is what BLAS.getInstance() tries.
        java.lang.reflect.Method instance =
            Class.forName("dev.ludovic.netlib.blas." + name).getMethod("getInstance");
        instance.setAccessible(true);
        blas = (BLAS) instance.invoke(null);
      } catch (ReflectiveOperationException | LinkageError e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        table.append(String.format(Locale.ROOT, "| %s | not available: %s | |%n", name, cause.getMessage()));
        continue;
      }
      for (int warm = 0; warm < 20; warm++) {
        blas.dgemm("N", "N", m, n, k, 1.0, a, m, b, k, 0.0, c, m);
      }
      int calls = 0;
      long start = System.nanoTime();
      while (System.nanoTime() - start < 2_000_000_000L) {
        blas.dgemm("N", "N", m, n, k, 1.0, a, m, b, k, 0.0, c, m);
        calls++;
      }
      double gflops = 2.0 * m * n * k * calls / ((System.nanoTime() - start) / 1e9) / 1e9;
      base = base == 0 ? gflops : base;
      table.append(String.format(Locale.ROOT, "| %s | %.1f | x%.1f |%n", name, gflops, gflops / base));
    }
    System.out.println(table);
  }
}
