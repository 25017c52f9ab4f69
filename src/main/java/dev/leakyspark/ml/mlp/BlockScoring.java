package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Scoring as training computes, in blocks: each partition stacks the feature vectors of up to
 * {@link #BLOCK_ROWS} rows (sparse when they are, {@link Block.Builder}), runs the network's
 * forward pass once per block (one matrix product per layer, {@link Network#scores}), and appends to every row the columns a model computes from
 * the row's outputs. The weights are broadcast, so they reach each executor once. Input columns
 * and row order stay as they are; a null feature vector gets null outputs.
 *
 * <pre>{@code
 * Dataset<Row> scored = BlockScoring.transform(dataset, appended, "features", "LeakyMLPRegressionModel",
 *     network, weights, (z, offset, width) -> new Object[] {z[offset]});
 * }</pre>
 */
public final class BlockScoring {

  /** Rows per block: as many as training stacks by default, where the forward pass reaches its FLOP rate. */
  public static final int BLOCK_ROWS = 128;

  private BlockScoring() {}

  /**
   * The network's outputs for one row, sparse kept sparse; a vector of another size fails naming
   * {@code model}, {@code column} and both sizes.
   */
  public static double[] scoreRow(Network network, double[] weights, Vector features, String model, String column) {
    Block.Builder row = new Block.Builder(network.numInputs(), 1);
    stack(row, features, model, column);
    return network.scores(weights, row.build());
  }

  /** Adds {@code v} to {@code rows}, refusing a vector of another size than the rows'. */
  private static void stack(Block.Builder rows, Vector v, String model, String column) {
    if (v.size() != rows.numFeatures()) {
      throw new IllegalArgumentException(model + ": column " + column + " has a vector of size " + v.size()
          + " but the model takes " + rows.numFeatures() + " features");
    }
    if (v instanceof SparseVector sparse) {
      rows.addSparse(sparse.indices(), sparse.values(), 0);
    } else {
      rows.addDense(((DenseVector) v).values(), 0);
    }
  }

  /** What a model appends to a row, from the network's outputs for it. */
  @FunctionalInterface
  public interface Outputs extends Serializable {
    /** The values of the appended columns, from the row's outputs {@code z[offset, offset + width)}. */
    Object[] of(double[] z, int offset, int width);
  }

  /**
   * {@code dataset} with the columns of {@code appended} added after its own, computed by
   * {@code outputs}; {@code model} names the stage in errors.
   */
  public static Dataset<Row> transform(Dataset<?> dataset, StructType appended, String featuresCol, String model,
      Network network, double[] weights, Outputs outputs) {
    Dataset<Row> rows = dataset.toDF();
    StructType schema = rows.schema();
    for (StructField field : appended.fields()) {
      schema = schema.add(field.name(), field.dataType(), true, field.metadata());
    }
    Broadcast<double[]> shared = rows.sparkSession().sparkContext().broadcast(
        weights, scala.reflect.ClassTag$.MODULE$.apply(double[].class));
    int features = rows.schema().fieldIndex(featuresCol);
    int added = appended.size();
    MapPartitionsFunction<Row, Row> score =
        it -> new Scored(it, features, added, featuresCol, model, network, shared.value(), outputs);
    Dataset<Row> scored = rows.mapPartitions(score, Encoders.row(schema));
    for (StructField field : appended.fields()) { // the encoder keeps no metadata
      scored = scored.withColumn(field.name(), scored.col("`" + field.name().replace("`", "``") + "`"),
          field.metadata());
    }
    return scored;
  }

  /** The rows of a partition with their outputs, a block at a time. */
  private static final class Scored implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int features;
    private final int added;
    private final String featuresCol;
    private final String model;
    private final Network network;
    private final double[] weights;
    private final Outputs outputs;
    private final Block.Builder stacked;
    private final List<Row> block = new ArrayList<>(BLOCK_ROWS);
    private final List<Row> ready = new ArrayList<>(BLOCK_ROWS);
    private int next;

    Scored(Iterator<Row> rows, int features, int added, String featuresCol, String model, Network network,
        double[] weights, Outputs outputs) {
      this.rows = rows;
      this.features = features;
      this.added = added;
      this.featuresCol = featuresCol;
      this.model = model;
      this.network = network;
      this.weights = weights;
      this.outputs = outputs;
      this.stacked = new Block.Builder(network.numInputs(), BLOCK_ROWS);
    }

    @Override
    public boolean hasNext() {
      return next < ready.size() || rows.hasNext();
    }

    @Override
    public Row next() {
      if (next == ready.size()) {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        scoreBlock();
      }
      return ready.get(next++);
    }

    /** Reads up to a block of rows and scores those with features in one forward pass, sparse rows kept sparse. */
    private void scoreBlock() {
      block.clear();
      ready.clear();
      next = 0;
      while (block.size() < BLOCK_ROWS && rows.hasNext()) {
        Row row = rows.next();
        block.add(row);
        if (!row.isNullAt(features)) {
          stack(stacked, (Vector) row.get(features), model, featuresCol);
        }
      }
      double[] z = stacked.size() == 0 ? new double[0] : network.scores(weights, stacked.build());
      int k = network.numOutputs();
      int scored = 0;
      for (Row row : block) {
        Object[] values = new Object[row.size() + added];
        for (int i = 0; i < row.size(); i++) {
          values[i] = row.get(i);
        }
        if (!row.isNullAt(features)) {
          System.arraycopy(outputs.of(z, scored++ * k, k), 0, values, row.size(), added);
        }
        ready.add(RowFactory.create(values));
      }
    }
  }
}
