package dev.leakyspark.ml.mlp;

import dev.leakyspark.sql.SparkLine;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import org.apache.spark.storage.StorageLevel;
import scala.Option;

/**
 * The sum of one part per partition (an array, element-wise, or any {@link Sum}), added in a fixed tree over partition indices
 * so that the result is the same bits however tasks are scheduled (Spark's {@code treeAggregate}
 * and {@code fold} add in order of arrival). Up to {@link #FAN_IN} partitions, the driver adds
 * the arrays itself. Beyond that the arrays are cached where they were computed, and each level
 * adds groups of {@code FAN_IN} consecutive partitions in index order, with no shuffle. The driver
 * never holds more than {@code FAN_IN} arrays, whatever the number of partitions.
 */
final class TreeSum {

  static final int FAN_IN = 8;

  private TreeSum() {}

  /** How parts add up: a total of none, and a total plus a part (which may reuse the total). */
  interface Sum<T> extends Serializable {
    T zero();

    T add(T total, T part);
  }

  /** The sum of every partition's arrays (each partition holds at most one), of {@code length} entries. */
  static double[] sum(JavaRDD<double[]> parts, int length) {
    return sum(parts, new Sum<>() {
      @Override
      public double[] zero() {
        return new double[length];
      }

      @Override
      public double[] add(double[] total, double[] part) {
        if (part.length != total.length) {
          throw new IllegalStateException("cannot add " + part.length + " entries to " + total.length);
        }
        for (int i = 0; i < total.length; i++) {
          total[i] += part[i];
        }
        return total;
      }
    });
  }

  /** The sum of every partition's part (each partition holds at most one), added by {@code sum} in the fixed tree. */
  static <T> T sum(JavaRDD<T> parts, Sum<T> sum) {
    JavaRDD<T> level = parts;
    List<JavaRDD<T>> cached = new java.util.ArrayList<>();
    try {
      while (level.getNumPartitions() > FAN_IN) {
        level.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(level);
        level.foreachPartition(it -> {}); // compute every partition in parallel before grouping them
        RDD<T> groups = level.rdd().coalesce((level.getNumPartitions() + FAN_IN - 1) / FAN_IN, false,
            Option.apply(new InOrder()), null);
        level = groups.toJavaRDD().mapPartitions(it -> addAll(it, sum));
      }
      T total = sum.zero();
      for (T part : level.collect()) {
        total = sum.add(total, part);
      }
      return total;
    } finally {
      cached.forEach(rdd -> rdd.unpersist(false));
    }
  }

  private static <T> Iterator<T> addAll(Iterator<T> parts, Sum<T> sum) {
    if (!parts.hasNext()) {
      return Collections.emptyIterator();
    }
    T total = sum.zero();
    while (parts.hasNext()) {
      total = sum.add(total, parts.next());
    }
    return List.of(total).iterator();
  }

  /** Groups of {@code FAN_IN} consecutive partitions, each read in index order. */
  private static final class InOrder extends SparkLine.Coalescer {
    private static final long serialVersionUID = 1L;

    @Override
    public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
      Partition[] partitions = parent.partitions();
      PartitionGroup[] groups = new PartitionGroup[(partitions.length + FAN_IN - 1) / FAN_IN];
      for (int g = 0; g < groups.length; g++) {
        groups[g] = new PartitionGroup(Option.empty());
        for (int i = g * FAN_IN; i < Math.min(partitions.length, (g + 1) * FAN_IN); i++) {
          groups[g].partitions().$plus$eq(partitions[i]);
        }
      }
      return groups;
    }
  }
}
