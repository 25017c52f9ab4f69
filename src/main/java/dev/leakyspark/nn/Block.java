package dev.leakyspark.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Rows stacked for matrix-matrix passes, dense or sparse. Dense, {@code features} holds row
 * {@code i} at {@code [i * numFeatures, (i + 1) * numFeatures)}, which is a column-major
 * {@code numFeatures x size} matrix, one column per row. Sparse (compressed sparse rows), row
 * {@code i}'s non-zero values are {@code values[rowStarts[i] .. rowStarts[i + 1])}, at the
 * features {@code indices[...]}, increasing within a row. {@link Builder} chooses the layout from
 * the rows' density, so the same rows give the same block whichever form they arrive in.
 * {@code labels} holds one value per row: a class index for {@link Network.Loss#CROSS_ENTROPY}, a
 * target for {@link Network.Loss#SQUARED_ERROR}. Rows weigh 1 each unless {@link #withWeights}
 * gives them weights: a row of weight {@code w} counts in the loss as {@code w} copies of it.
 *
 * <pre>{@code
 * Block dense = new Block(new double[] {1, 0, 0, 2}, new double[] {0, 1});        // rows [1, 0], [0, 2]
 * Block sparse = Block.sparse(2, new int[] {0, 1, 2}, new int[] {0, 1}, new double[] {1, 2}, new double[] {0, 1});
 * }</pre>
 */
public final class Block implements Serializable {

  private static final long serialVersionUID = 3L;

  /**
   * The density (non-zero values over rows times features) up to which {@link Builder} keeps a
   * block sparse. Measured with {@code jobs/bench sparse} (128 rows, first layers 16 to 256 wide):
   * at 0.05 an Adam step on the sparse block takes 0.78 to 1.00 times the dense one's time, at
   * 0.1 already 1.2 to 1.4 times; the sparse block holds 0.08 times the dense one's bytes.
   */
  public static final double SPARSE_DENSITY = 0.05;

  /** Dense features, or null when sparse. */
  final double[] features;
  /** Sparse rows, or null when dense. */
  final int[] rowStarts;
  final int[] indices;
  final double[] values;
  final double[] labels;
  /** Each row's weight, or null when every row weighs 1. */
  final double[] weights;
  final int size;
  final int numFeatures;
  /** Features that are non-zero in some row, increasing; found once. */
  private transient int[] active;

  /** A dense block of {@code labels.length} rows; {@code features.length} must be a multiple of it. */
  public Block(double[] features, double[] labels) {
    this(features, null, null, null, labels, null, width(features, labels));
  }

  private static int width(double[] features, double[] labels) {
    if (labels.length == 0 || features.length % labels.length != 0) {
      throw new IllegalArgumentException(
          "Block: " + features.length + " feature values do not split into " + labels.length + " rows");
    }
    return features.length / labels.length;
  }

  private Block(double[] features, int[] rowStarts, int[] indices, double[] values, double[] labels,
      double[] weights, int numFeatures) {
    this.features = features;
    this.rowStarts = rowStarts;
    this.indices = indices;
    this.values = values;
    this.labels = labels;
    this.weights = weights;
    this.size = labels.length;
    this.numFeatures = numFeatures;
  }

  /**
   * A sparse block of {@code labels.length} rows of {@code numFeatures} features: row {@code i}
   * holds {@code values[k]} at feature {@code indices[k]} for {@code k} in
   * {@code [rowStarts[i], rowStarts[i + 1])}, with the indices increasing within a row.
   */
  public static Block sparse(int numFeatures, int[] rowStarts, int[] indices, double[] values, double[] labels) {
    int n = labels.length;
    if (n == 0 || rowStarts.length != n + 1 || rowStarts[0] != 0 || rowStarts[n] != indices.length
        || indices.length != values.length) {
      throw new IllegalArgumentException("Block: sparse rows need " + (n + 1) + " row starts from 0 to "
          + indices.length + " and as many values as indices, but got " + rowStarts.length + " starts and "
          + indices.length + " indices for " + values.length + " values");
    }
    for (int i = 0; i < n; i++) {
      if (rowStarts[i + 1] < rowStarts[i]) {
        throw new IllegalArgumentException("Block: row starts must not decrease, but row " + i + " ends before it starts");
      }
      for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
        if (indices[k] < 0 || indices[k] >= numFeatures || (k > rowStarts[i] && indices[k] <= indices[k - 1])) {
          throw new IllegalArgumentException("Block: row " + i + " has feature " + indices[k] + " after "
              + (k > rowStarts[i] ? indices[k - 1] : "none") + "; indices must increase within [0, " + numFeatures + ")");
        }
      }
    }
    return new Block(null, rowStarts, indices, values, labels, null, numFeatures);
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** Features per row. */
  public int numFeatures() {
    return numFeatures;
  }

  /** Whether the rows are stored sparse. */
  public boolean isSparse() {
    return features == null;
  }

  /** Label of row {@code i}. */
  public double label(int i) {
    return labels[i];
  }

  /** Weight of row {@code i}. */
  public double weight(int i) {
    return weights == null ? 1 : weights[i];
  }

  /** Whether some row weighs other than 1. */
  public boolean isWeighted() {
    return weights != null;
  }

  /** The rows' weights added up, in row order: the row count when unweighted. */
  public double weightSum() {
    if (weights == null) {
      return size;
    }
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    return sum;
  }

  /**
   * The same rows, sharing the features and labels, with row {@code i} of weight
   * {@code weights[i]} (finite, {@code >= 0}); all 1 gives an unweighted block.
   */
  public Block withWeights(double[] weights) {
    if (weights.length != size) {
      throw new IllegalArgumentException("Block: " + weights.length + " weights for " + size + " rows");
    }
    boolean ones = true;
    for (double w : weights) {
      if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("Block: row weights must be finite and >= 0, but got " + w);
      }
      ones &= w == 1;
    }
    return new Block(features, rowStarts, indices, values, labels, ones ? null : weights.clone(), numFeatures);
  }
  /**
   * The same rows with each label {@code y} replaced by {@code (y - shift) / scale}, sharing the
   * features: how a fit trains on a standardised label.
   */
  public Block withLabelsStandardized(double shift, double scale) {
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      y[i] = (labels[i] - shift) / scale;
    }
    return new Block(features, rowStarts, indices, values, y, weights, numFeatures);
  }

  /** The features that are non-zero in at least one row, increasing. */
  public int[] activeFeatures() {
    int[] found = active;
    if (found == null) {
      boolean[] seen = new boolean[numFeatures];
      int count = 0;
      if (isSparse()) {
        for (int k = 0; k < indices.length; k++) {
          if (values[k] != 0 && !seen[indices[k]]) {
            seen[indices[k]] = true;
            count++;
          }
        }
      } else {
        for (int row = 0; row < features.length; row += numFeatures) {
          for (int i = 0; i < numFeatures; i++) {
            if (features[row + i] != 0 && !seen[i]) {
              seen[i] = true;
              count++;
            }
          }
        }
      }
      found = new int[count];
      for (int i = 0, j = 0; j < count; i++) {
        if (seen[i]) {
          found[j++] = i;
        }
      }
      active = found;
    }
    return found;
  }

  /** The rows as a dense column-major {@code numFeatures x size} matrix (a copy when sparse). */
  public double[] denseFeatures() {
    if (!isSparse()) {
      return features;
    }
    double[] x = new double[size * numFeatures];
    for (int i = 0; i < size; i++) {
      for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
        x[i * numFeatures + indices[k]] = values[k];
      }
    }
    return x;
  }

  /**
   * Stacks rows into blocks: each row is added dense or sparse, and {@link #build} lays the block
   * out sparse when its density is at most {@link #SPARSE_DENSITY}, dense otherwise. Zeros are
   * dropped from sparse rows, so the layout follows the values, not the form they came in.
   *
   * <pre>{@code
   * Block.Builder rows = new Block.Builder(784, 128);
   * rows.addDense(pixels, 3.0);
   * rows.addSparse(new int[] {5, 90}, new double[] {0.5, 1.0}, 7.0);
   * Block block = rows.build();   // and the builder is empty again
   * }</pre>
   */
  public static final class Builder {
    /** The most values a builder stages as a dense matrix; wider blocks are staged sparse. */
    private static final long DENSE_STAGING = 1 << 22;

    private final int numFeatures;
    private final Layout layout;
    private final boolean stageDense;
    /** Rows staged dense ({@code stageDense}), zero beyond the rows added. */
    private double[] staged;
    /** Rows staged sparse (otherwise). */
    private int[] rowStarts;
    private int[] indices = new int[64];
    private double[] values = new double[64];
    private double[] labels;
    private int rows;
    private int nonZeros;

    /** The layouts {@link #build} can give: chosen by density ({@code AUTO}), or always one. */
    public enum Layout { AUTO, DENSE, SPARSE }

    public Builder(int numFeatures, int capacity) {
      this(numFeatures, capacity, Layout.AUTO);
    }

    public Builder(int numFeatures, int capacity, Layout layout) {
      this.numFeatures = numFeatures;
      this.layout = layout;
      this.stageDense = layout != Layout.SPARSE && (long) numFeatures * capacity <= DENSE_STAGING;
      this.staged = stageDense ? new double[numFeatures * capacity] : null;
      this.rowStarts = new int[capacity + 1];
      this.labels = new double[capacity];
    }

    /** Features per row. */
    public int numFeatures() {
      return numFeatures;
    }

    /** Rows added since the last {@link #build}. */
    public int size() {
      return rows;
    }

    /** Adds a row of {@code numFeatures} values. */
    public void addDense(double[] row, double label) {
      if (row.length != numFeatures) {
        throw new IllegalArgumentException("Block: a row of " + row.length + " values in rows of " + numFeatures);
      }
      if (stageDense) {
        growStaged();
        System.arraycopy(row, 0, staged, rows * numFeatures, numFeatures);
        for (double x : row) {
          nonZeros += x != 0 ? 1 : 0;
        }
      } else {
        for (int i = 0; i < row.length; i++) {
          if (row[i] != 0) {
            put(i, row[i]);
          }
        }
      }
      endRow(label);
    }

    /** Adds a row holding {@code rowValues[k]} at feature {@code rowIndices[k]}, indices increasing. */
    public void addSparse(int[] rowIndices, double[] rowValues, double label) {
      if (stageDense) {
        growStaged();
      }
      for (int k = 0; k < rowIndices.length; k++) {
        if (rowIndices[k] < 0 || rowIndices[k] >= numFeatures) {
          throw new IllegalArgumentException("Block: feature " + rowIndices[k] + " in rows of " + numFeatures);
        }
        if (rowValues[k] == 0) {
          continue;
        }
        if (stageDense) {
          staged[rows * numFeatures + rowIndices[k]] = rowValues[k];
          nonZeros++;
        } else {
          put(rowIndices[k], rowValues[k]);
        }
      }
      endRow(label);
    }

    private void growStaged() {
      if ((rows + 1) * numFeatures > staged.length) {
        staged = Arrays.copyOf(staged, 2 * staged.length);
      }
    }

    private void put(int index, double value) {
      if (nonZeros == indices.length) {
        indices = Arrays.copyOf(indices, 2 * nonZeros);
        values = Arrays.copyOf(values, 2 * nonZeros);
      }
      indices[nonZeros] = index;
      values[nonZeros++] = value;
    }

    private void endRow(double label) {
      if (rows == labels.length) {
        labels = Arrays.copyOf(labels, 2 * rows);
        rowStarts = Arrays.copyOf(rowStarts, 2 * rows + 1);
      }
      labels[rows++] = label;
      rowStarts[rows] = nonZeros;
    }

    /** The rows added so far as one block, sparse or dense by {@link #SPARSE_DENSITY}; starts a new block. */
    public Block build() {
      if (rows == 0) {
        throw new IllegalStateException("Block: no rows to build a block of");
      }
      boolean sparse = layout == Layout.SPARSE
          || (layout == Layout.AUTO && nonZeros <= SPARSE_DENSITY * rows * (double) numFeatures);
      double[] y = Arrays.copyOf(labels, rows);
      int cells = rows * numFeatures;
      Block block;
      if (stageDense && sparse) {
        block = fromStaged(y);
        Arrays.fill(staged, 0, cells, 0);
      } else if (stageDense) {
        block = new Block(cells == staged.length ? staged : Arrays.copyOf(staged, cells), y);
        if (cells == staged.length) {
          staged = new double[staged.length];
        } else {
          Arrays.fill(staged, 0, cells, 0);
        }
      } else if (sparse) {
        block = new Block(null, Arrays.copyOf(rowStarts, rows + 1), Arrays.copyOf(indices, nonZeros),
            Arrays.copyOf(values, nonZeros), y, null, numFeatures);
      } else {
        double[] x = new double[cells];
        for (int i = 0; i < rows; i++) {
          for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
            x[i * numFeatures + indices[k]] = values[k];
          }
        }
        block = new Block(x, y);
      }
      rows = 0;
      nonZeros = 0;
      return block;
    }

    /** The dense-staged rows as a sparse block. */
    private Block fromStaged(double[] y) {
      int[] starts = new int[rows + 1];
      int[] at = new int[nonZeros];
      double[] held = new double[nonZeros];
      int k = 0;
      for (int i = 0; i < rows; i++) {
        for (int j = 0, offset = i * numFeatures; j < numFeatures; j++) {
          double x = staged[offset + j];
          if (x != 0) {
            at[k] = j;
            held[k++] = x;
          }
        }
        starts[i + 1] = k;
      }
      return new Block(null, starts, at, held, y, null, numFeatures);
    }
  }
}
