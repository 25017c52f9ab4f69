package dev.leakyspark.nn;

import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * The passes' matrix products, through the BLAS that MLlib brings. A native OpenBLAS that runs
 * several threads in each call, as it does in a session whose {@code OPENBLAS_NUM_THREADS} is
 * unset, competes with Spark's task threads for the same cores: two task threads on 2 cores then
 * ran training's pass at 28-34 GFLOP/s against 78-84 with one BLAS thread each. So when the loaded
 * OpenBLAS runs {@code t} threads per call on {@code c} cores, at most {@code max(1, c / t)}
 * products run at once in this JVM (51-64 GFLOP/s there), and a fit logs how to get the rest.
 * With one thread per call (as {@code jobs/} run) or another BLAS, products run freely.
 *
 * <pre>{@code
 * Gemm.limitNote().ifPresent(System.out::println); // empty with OPENBLAS_NUM_THREADS=1
 * }</pre>
 */
public final class Gemm {

  /** The environment variables OpenBLAS reads its thread count from, first found first. */
  static final List<String> THREAD_VARIABLES = List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS");

  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final int PERMITS = concurrentProducts(BLAS_INSTANCE.getClass().getName(), loadedLibraries(),
      System.getenv(), CORES);
  /** null when products need no gate. */
  private static final Semaphore GATE = PERMITS == Integer.MAX_VALUE ? null : new Semaphore(PERMITS);

  private Gemm() {}

  /** {@code dgemm} as BLAS has it (column-major), within the gate. */
  static void dgemm(String transA, String transB, int m, int n, int k, double alpha, double[] a, int offsetA,
      int lda, double[] b, int offsetB, int ldb, double beta, double[] c, int offsetC, int ldc) {
    if (GATE == null) {
      BLAS_INSTANCE.dgemm(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, c, offsetC, ldc);
      return;
    }
    GATE.acquireUninterruptibly();
    try {
      BLAS_INSTANCE.dgemm(transA, transB, m, n, k, alpha, a, offsetA, lda, b, offsetB, ldb, beta, c, offsetC, ldc);
    } finally {
      GATE.release();
    }
  }

  /**
   * How many products may run at once: all ({@link Integer#MAX_VALUE}) unless the BLAS is native
   * and a threaded OpenBLAS is among the loaded libraries ({@code libraries}, the process's memory
   * map), whose threads per call come from the environment or, unset, the cores.
   */
  static int concurrentProducts(String blasClass, String libraries, Map<String, String> env, int cores) {
    boolean threadedOpenBlas = libraries.lines().anyMatch(l -> l.contains("openblas") && !l.contains("openblas-serial"));
    if (!blasClass.contains("JNIBLAS") || !threadedOpenBlas) {
      return Integer.MAX_VALUE;
    }
    int threads = cores;
    for (String name : THREAD_VARIABLES) {
      String value = env.get(name);
      if (value != null && value.trim().matches("[0-9]+") && Integer.parseInt(value.trim()) > 0) {
        threads = Integer.parseInt(value.trim());
        break;
      }
    }
    return threads <= 1 ? Integer.MAX_VALUE : Math.max(1, cores / threads);
  }

  /**
   * What a fit's log should say when this JVM limits its products: the BLAS threads compete with
   * Spark's task threads, and how to give each task its own.
   */
  public static Optional<String> limitNote() {
    if (GATE == null) {
      return Optional.empty();
    }
    return Optional.of("the native OpenBLAS runs several threads per call here (OPENBLAS_NUM_THREADS is not 1), so at most "
        + PERMITS + " matrix product(s) run at once on the " + CORES + " cores, which trains at about 0.7 times full speed;"
        + " set OPENBLAS_NUM_THREADS=1 in the environment that starts Spark (and spark.executorEnv.OPENBLAS_NUM_THREADS=1"
        + " on a cluster) for every task thread to run its own, as jobs/ do");
  }

  private static String loadedLibraries() {
    try {
      return Files.readString(Path.of("/proc/self/maps"));
    } catch (IOException | RuntimeException e) {
      return ""; // not Linux: no gate
    }
  }
}
