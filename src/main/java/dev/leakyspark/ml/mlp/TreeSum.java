package dev.leakyspark.ml.mlp;

import dev.leakyspark.sql.SparkLine;
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
 * The element-wise sum of one array per partition, added in a fixed tree over partition indices
 * so that the result is the same bits however tasks are scheduled (Spark's {@code treeAggregate}
 * and {@code fold} add in order of arrival). Up to {@link #FAN_IN} partitions, the driver adds
 * the arrays itself. Beyond that the arrays are cached where they were computed, and each level
 * adds groups of {@code FAN_IN} consecutive partitions in index order, with no shuffle. The driver
 * never holds more than {@code FAN_IN} arrays, whatever the number of partitions.
 */
final class TreeSum {

  static final int FAN_IN = 8;

  private TreeSum() {}

  /** The sum of every partition's arrays (each partition holds at most one), of {@code length} entries. */
  static double[] sum(JavaRDD<double[]> parts, int length) {
    JavaRDD<double[]> level = parts;
    List<JavaRDD<double[]>> cached = new java.util.ArrayList<>();
    try {
      while (level.getNumPartitions() > FAN_IN) {
        level.persist(StorageLevel.MEMORY_AND_DISK());
        cached.add(level);
        level.foreachPartition(it -> {}); // compute every partition in parallel before grouping them
        RDD<double[]> groups = level.rdd().coalesce((level.getNumPartitions() + FAN_IN - 1) / FAN_IN, false,
            Option.apply(new InOrder()), null);
        level = groups.toJavaRDD().mapPartitions(it -> addAll(it, length));
      }
      double[] total = new double[length];
      for (double[] part : level.collect()) {
        add(total, part);
      }
      return total;
    } finally {
      cached.forEach(rdd -> rdd.unpersist(false));
    }
  }

  private static Iterator<double[]> addAll(Iterator<double[]> parts, int length) {
    if (!parts.hasNext()) {
      return Collections.emptyIterator();
    }
    double[] total = new double[length];
    parts.forEachRemaining(part -> add(total, part));
    return List.of(total).iterator();
  }

  private static void add(double[] total, double[] part) {
    if (part.length != total.length) {
      throw new IllegalStateException("cannot add " + part.length + " entries to " + total.length);
    }
    for (int i = 0; i < total.length; i++) {
      total[i] += part[i];
    }
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
