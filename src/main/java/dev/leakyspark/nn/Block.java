package dev.leakyspark.nn;

import java.io.Serializable;

/**
 * Rows stacked for matrix-matrix passes: {@code features} holds row {@code i} at
 * {@code [i * numFeatures, (i + 1) * numFeatures)}, which is a column-major
 * {@code numFeatures x size} matrix, one column per row.
 */
public final class Block implements Serializable {

  private static final long serialVersionUID = 1L;

  final double[] features;
  final int[] labels;
  final int size;

  /** A block of {@code labels.length} rows; {@code features.length} must be a multiple of it. */
  public Block(double[] features, int[] labels) {
    if (labels.length == 0 || features.length % labels.length != 0) {
      throw new IllegalArgumentException(
          "Block: " + features.length + " feature values do not split into " + labels.length + " rows");
    }
    this.features = features;
    this.labels = labels;
    this.size = labels.length;
  }

  /** Number of rows. */
  public int size() {
    return size;
  }

  /** Features per row. */
  public int numFeatures() {
    return features.length / size;
  }
}
