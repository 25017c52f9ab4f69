package dev.leakyspark.nn;

import java.io.Serializable;

/**
 * Rows stacked for matrix-matrix passes: {@code features} holds row {@code i} at
 * {@code [i * numFeatures, (i + 1) * numFeatures)}, which is a column-major
 * {@code numFeatures x size} matrix, one column per row. {@code labels} holds one value per row:
 * a class index for {@link Network.Loss#CROSS_ENTROPY}, a target for
 * {@link Network.Loss#SQUARED_ERROR}.
 */
public final class Block implements Serializable {

  private static final long serialVersionUID = 1L;

  final double[] features;
  final double[] labels;
  final int size;

  /** A block of {@code labels.length} rows; {@code features.length} must be a multiple of it. */
  public Block(double[] features, double[] labels) {
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

  /**
   * The same rows with each label {@code y} replaced by {@code (y - shift) / scale}, sharing the
   * features: how a fit trains on a standardised label.
   */
  public Block withLabelsStandardized(double shift, double scale) {
    double[] y = new double[size];
    for (int i = 0; i < size; i++) {
      y[i] = (labels[i] - shift) / scale;
    }
    return new Block(features, y);
  }

  /** Label of row {@code i}. */
  public double label(int i) {
    return labels[i];
  }

  /** Features per row. */
  public int numFeatures() {
    return features.length / size;
  }
}
