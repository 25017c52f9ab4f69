package dev.leakyspark.ml.mlp;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The training rows of a fit, validated and stacked into {@link Block}s, cached over exactly
 * {@code numPartitions} partitions. A row's partition and its place there follow from a hash of
 * its values (features and label), never from where it came from, so the blocks, and so the fit,
 * are the same whatever the input's partitioning and row order. Hash order also mixes the
 * classes into every block even when the input is sorted by label. With a weight column, each
 * row's weight is part of its hash and of its block ({@link Block#withWeights}).
 */
final class TrainingBlocks {

  final JavaRDD<Block> blocks;
  /** Training rows in all. */
  final long rows;
  /** The rows' weights added up in {@link TreeSum}'s order: {@link #rows} when unweighted. */
  final double weightSum;
  /** The squares of the rows' weights added up, as {@link #weightSum}. */
  final double weightSquareSum;
  /** The most blocks any partition holds. */
  final int maxBlocksPerPartition;

  private TrainingBlocks(JavaRDD<Block> blocks, long rows, double weightSum, double weightSquareSum,
      int maxBlocksPerPartition) {
    this.blocks = blocks;
    this.rows = rows;
    this.weightSum = weightSum;
    this.weightSquareSum = weightSquareSum;
    this.maxBlocksPerPartition = maxBlocksPerPartition;
  }

  /**
   * The columns a fit reads, as {@code f} (features), {@code y} (label as double) and {@code key},
   * the hash of both that places each row.
   */
  static Dataset<Row> keyed(Dataset<?> data, String features, String label) {
    return keyed(data, features, label, null);
  }

  /** {@link #keyed}, with the {@code weight} column (when not null) as {@code w}, which the key hashes too. */
  static Dataset<Row> keyed(Dataset<?> data, String features, String label, String weight) {
    if (weight == null) {
      Dataset<Row> rows = data.select(col(features).as("f"), col(label).cast("double").as("y"));
      return rows.withColumn("key", xxhash64(NON_ZERO_HASH.apply(col("f")), col("y")));
    }
    Dataset<Row> rows =
        data.select(col(features).as("f"), col(label).cast("double").as("y"), col(weight).cast("double").as("w"));
    return rows.withColumn("key", xxhash64(NON_ZERO_HASH.apply(col("f")), col("y"), col("w")));
  }

  /** {@link #nonZeroHash} as a column function; null for a null vector, which the stacker reports by column. */
  private static final UserDefinedFunction NON_ZERO_HASH =
      udf((UDF1<Vector, Long>) v -> v == null ? null : nonZeroHash(v), DataTypes.LongType);

  /**
   * A hash of the vector's size and its non-zero values with their indices: the same for the dense
   * and sparse forms of the same values, and computed in the time of the non-zeros (a sparse
   * vector of 2^20 features is not expanded).
   */
  static long nonZeroHash(Vector v) {
    long h = mix(v.size());
    if (v instanceof SparseVector sparse) {
      int[] indices = sparse.indices();
      double[] values = sparse.values();
      for (int k = 0; k < indices.length; k++) {
        if (values[k] != 0) {
          h = mix(mix(h * 31 + indices[k]) * 31 + Double.doubleToLongBits(values[k]));
        }
      }
    } else {
      double[] values = ((DenseVector) v).values();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != 0) {
          h = mix(mix(h * 31 + i) * 31 + Double.doubleToLongBits(values[i]));
        }
      }
    }
    return h;
  }

  /** SplitMix64's finaliser: every bit of the input reaches every bit of the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * The row count and a content hash of {@link #keyed} rows: the exact sum of their keys, so the
   * same rows give the same hash in any partitioning and order.
   */
  static Content content(Dataset<Row> keyed) {
    Row row = keyed.agg(count(lit(1)), sum(col("key").cast(DataTypes.createDecimalType(20, 0)))).first();
    return new Content(row.getLong(0), row.isNullAt(1) ? "0" : row.getDecimal(1).toPlainString());
  }

  /** What identifies a fit's data: how many rows, and the sum of their hashes. */
  record Content(long rows, String hash) {}

  /**
   * Assigns, sorts, validates and stacks {@link #keyed} rows, and caches the blocks; refuses bad
   * rows (with the column named) and empty data. Call {@link #unpersist} when done.
   */
  static TrainingBlocks of(Dataset<Row> keyed, String stage, String features, String label, Network net,
      int blockSize, int numPartitions, Block.Builder.Layout layout) {
    return of(keyed, stage, new Columns(features, label, null), net, blockSize, numPartitions, layout);
  }

  /** The columns a fit reads, as errors name them; {@code weight} is null when the rows are unweighted. */
  record Columns(String features, String label, String weight) implements java.io.Serializable {}

  /** {@link #of}, with the rows' weights from {@link #keyed}'s {@code w} when {@code columns} names a weight column. */
  static TrainingBlocks of(Dataset<Row> keyed, String stage, Columns columns, Network net, int blockSize,
      int numPartitions, Block.Builder.Layout layout) {
    boolean weighted = columns.weight() != null;
    JavaRDD<Block> blocks =
        keyed.repartition(numPartitions, col("key"))
            .sortWithinPartitions("key")
            .select(weighted ? new Column[] {col("f"), col("y"), col("w")} : new Column[] {col("f"), col("y")})
            .javaRDD()
            .mapPartitions(it -> new Stacker(it, blockSize, net, stage, columns, layout))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Tuple2<Long, Integer> counts = validatedCounts(blocks);
      if (counts._1() == 0) {
        throw new IllegalArgumentException(stage + ": the training data is empty");
      }
      double[] weights = weighted ? TreeSum.sum(weightSums(blocks), 2) : new double[] {counts._1(), counts._1()};
      if (!(weights[0] > 0)) {
        throw new IllegalArgumentException(stage + ": the weights in column " + columns.weight() + " are all 0");
      }
      return new TrainingBlocks(blocks, counts._1(), weights[0], weights[1], counts._2());
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  /** These rows with each label {@code y} as {@code (y - shift) / scale}; {@link #unpersist} stays with this one. */
  TrainingBlocks withLabelsStandardized(double shift, double scale) {
    return new TrainingBlocks(blocks.map(b -> b.withLabelsStandardized(shift, scale)), rows, weightSum,
        weightSquareSum, maxBlocksPerPartition);
  }

  /** Per partition, the sum of the rows' weights and of their squares. */
  private static JavaRDD<double[]> weightSums(JavaRDD<Block> blocks) {
    return blocks.mapPartitions(it -> {
      double[] sums = new double[2];
      while (it.hasNext()) {
        Block block = it.next();
        for (int i = 0; i < block.size(); i++) {
          double w = block.weight(i);
          sums[0] += w;
          sums[1] += w * w;
        }
      }
      return java.util.List.of(sums).iterator();
    });
  }

  int numPartitions() {
    return blocks.getNumPartitions();
  }

  void unpersist() {
    blocks.unpersist(false);
  }

  /** Rows and the most blocks in a partition, surfacing the stacker's validation error instead of Spark's job failure. */
  private static Tuple2<Long, Integer> validatedCounts(JavaRDD<Block> blocks) {
    try {
      return blocks
          .mapPartitions(it -> {
            long rows = 0;
            int count = 0;
            while (it.hasNext()) {
              rows += it.next().size();
              count++;
            }
            return java.util.List.of(new Tuple2<>(rows, count)).iterator();
          })
          .fold(new Tuple2<>(0L, 0), (a, b) -> new Tuple2<>(a._1() + b._1(), Math.max(a._2(), b._2())));
    } catch (Exception e) { // a SparkException, thrown undeclared
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof IllegalArgumentException) {
          throw new IllegalArgumentException(cause.getMessage(), e);
        }
      }
      throw e;
    }
  }

  /** Stacks validated rows (features, label as double) into blocks, sparse or dense by their density. */
  static final class Stacker implements Iterator<Block> {
    private final Iterator<Row> rows;
    private final int blockSize;
    private final int numFeatures;
    private final Network.Loss loss;
    private final int numClasses;
    private final String stage;
    private final String featuresCol;
    private final String labelCol;
    private final String weightCol;
    private final Block.Builder builder;
    private final double[] weights;

    Stacker(Iterator<Row> rows, int blockSize, Network net, String stage, Columns columns, Block.Builder.Layout layout) {
      this.rows = rows;
      this.blockSize = blockSize;
      this.numFeatures = net.numInputs();
      this.loss = net.loss();
      this.numClasses = net.numOutputs();
      this.stage = stage;
      this.featuresCol = columns.features();
      this.labelCol = columns.label();
      this.weightCol = columns.weight();
      this.builder = new Block.Builder(numFeatures, blockSize, layout);
      this.weights = weightCol == null ? null : new double[blockSize];
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Block next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      while (builder.size() < blockSize && rows.hasNext()) {
        Row row = rows.next();
        double y = label(row);
        if (weights != null) {
          weights[builder.size()] = weight(row);
        }
        add(row, y);
      }
      int size = builder.size();
      Block block = builder.build();
      return weights == null ? block : block.withWeights(java.util.Arrays.copyOf(weights, size));
    }

    /** The row's weight, refusing nulls, negatives and non-finite values. */
    private double weight(Row row) {
      double w = row.isNullAt(2) ? Double.NaN : row.getDouble(2);
      if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(stage + ": column " + weightCol + " holds "
            + (row.isNullAt(2) ? "null" : w) + " but weights must be finite numbers >= 0");
      }
      return w;
    }

    /** Adds the row's features, refusing nulls, other sizes and non-finite values. */
    private void add(Row row, double y) {
      if (row.isNullAt(0)) {
        throw new IllegalArgumentException(stage + ": column " + featuresCol + " holds a null vector");
      }
      Vector v = (Vector) row.get(0);
      if (v.size() != numFeatures) {
        throw new IllegalArgumentException(
            stage + ": column " + featuresCol + " has a vector of size " + v.size()
                + " but layers[0] is " + numFeatures);
      }
      double[] values = v instanceof SparseVector sparse ? sparse.values() : ((DenseVector) v).values();
      for (double x : values) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException(
              stage + ": column " + featuresCol + " holds " + x + "; features must be finite");
        }
      }
      if (v instanceof SparseVector sparse) {
        builder.addSparse(sparse.indices(), values, y);
      } else {
        builder.addDense(values, y);
      }
    }

    /** The label, refusing nulls and, by the loss, class indices out of range or non-finite targets. */
    private double label(Row row) {
      double value = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
      String held = stage + ": column " + labelCol + " holds " + (row.isNullAt(1) ? "null" : value);
      if (loss == Network.Loss.SQUARED_ERROR) {
        if (!Double.isFinite(value)) {
          throw new IllegalArgumentException(held + " but labels must be finite numbers");
        }
      } else if (!(value >= 0 && value < numClasses && value == Math.rint(value))) {
        throw new IllegalArgumentException(held + " but labels must be integers in [0, " + numClasses
            + ") for an output layer of " + numClasses);
      }
      return value;
    }
  }
}
