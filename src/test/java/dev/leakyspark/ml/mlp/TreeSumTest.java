package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.leakyspark.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedSpark.class)
class TreeSumTest {

  static JavaSparkContext sc;

  @BeforeAll
  static void start(SparkSession spark) {
    sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /** Values of very different magnitudes, so that another order of addition gives other bits. */
  static double[] part(int index, int length) {
    Random random = new Random(index);
    double[] values = new double[length];
    for (int i = 0; i < length; i++) {
      values[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6);
    }
    return values;
  }

  /** The same tree, written out: groups of FAN_IN consecutive parts in order, until FAN_IN remain. */
  static double[] expected(List<double[]> parts, int length) {
    List<double[]> level = parts;
    while (level.size() > TreeSum.FAN_IN) {
      List<double[]> next = new ArrayList<>();
      for (int start = 0; start < level.size(); start += TreeSum.FAN_IN) {
        double[] sum = new double[length];
        for (double[] p : level.subList(start, Math.min(level.size(), start + TreeSum.FAN_IN))) {
          for (int i = 0; i < length; i++) {
            sum[i] += p[i];
          }
        }
        next.add(sum);
      }
      level = next;
    }
    double[] total = new double[length];
    for (double[] p : level) {
      for (int i = 0; i < length; i++) {
        total[i] += p[i];
      }
    }
    return total;
  }

  @Test
  void addsInAFixedTreeOverPartitionIndicesWhateverTheCount() {
    int length = 50;
    for (int n : new int[] {1, 3, 8, 9, 64, 100}) {
      List<double[]> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        parts.add(part(i, length));
      }
      JavaRDD<double[]> rdd = sc.parallelize(parts, n);
      double[] sum = TreeSum.sum(rdd, length);
      assertArrayEquals(expected(parts, length), sum, 0.0, n + " partitions");
      if (n == 100) {
        List<double[]> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        assertFalse(Arrays.equals(sum, expected(reversed, length)),
            "the data must tell one order of addition from another");
      }
    }
  }

  @Test
  void emptyPartitionsAreSkipped() {
    JavaRDD<double[]> sparse = sc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), 12)
        .mapPartitionsWithIndex((index, it) -> index % 3 == 0
            ? List.of(part(index, 4)).iterator() : java.util.Collections.<double[]>emptyIterator(), true);
    List<double[]> present = List.of(part(0, 4), part(3, 4), part(6, 4), part(9, 4));
    double[] total = new double[4];
    present.forEach(p -> {
      for (int i = 0; i < 4; i++) {
        total[i] += p[i];
      }
    });
    assertArrayEquals(total, TreeSum.sum(sparse, 4), 0.0);
  }
}
