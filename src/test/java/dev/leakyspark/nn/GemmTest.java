package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GemmTest {

  static final String JNI = "dev.ludovic.netlib.blas.JNIBLAS";
  static final String PTHREAD =
      "7f1c2a000000-7f1c2c000000 r-xp 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3\n";
  static final int FREE = Integer.MAX_VALUE;

  @Test
  void aThreadedOpenBlasWithItsThreadsUnsetRunsOneProductAtATimeOnItsCores() {
    assertEquals(1, Gemm.concurrentProducts(JNI, PTHREAD, Map.of(), 2));
    assertEquals(1, Gemm.concurrentProducts(JNI, PTHREAD, Map.of(), 16));
  }

  @Test
  void theThreadsPerCallComeFromOpenBlasOwnVariablesInItsOrder() {
    assertEquals(FREE, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "1"), 8));
    assertEquals(4, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "2"), 8));
    assertEquals(3, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("GOTO_NUM_THREADS", "2"), 7));
    assertEquals(2, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OMP_NUM_THREADS", "4"), 8));
    assertEquals(FREE, Gemm.concurrentProducts(JNI, PTHREAD,
        Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "8"), 8), "OPENBLAS_NUM_THREADS comes first");
    assertEquals(1, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "16"), 8),
        "more threads than cores still leaves one product at a time");
    assertEquals(1, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "x"), 2),
        "a value OpenBLAS cannot read counts as unset");
    assertEquals(1, Gemm.concurrentProducts(JNI, PTHREAD, Map.of("OPENBLAS_NUM_THREADS", "0"), 2),
        "and so does 0");
  }

  @Test
  void anotherBlasOrASerialOpenBlasRunsProductsFreely() {
    assertEquals(FREE, Gemm.concurrentProducts("dev.ludovic.netlib.blas.VectorBLAS", PTHREAD, Map.of(), 2));
    assertEquals(FREE, Gemm.concurrentProducts("dev.ludovic.netlib.blas.F2jBLAS", PTHREAD, Map.of(), 2));
    assertEquals(FREE, Gemm.concurrentProducts(JNI,
        "7f1c2a000000-7f1c2c000000 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/blas/libblas.so.3\n", Map.of(), 2));
    assertEquals(FREE, Gemm.concurrentProducts(JNI,
        "7f1c2a000000-7f1c2c000000 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/openblas-serial/libblas.so.3\n",
        Map.of(), 2));
    assertEquals(FREE, Gemm.concurrentProducts(JNI, PTHREAD, Map.of(), 1), "one core");
  }
}
