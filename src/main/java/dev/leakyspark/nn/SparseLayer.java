package dev.leakyspark.nn;

/**
 * The first layer's products on a sparse {@link Block}: they cost the rows' non-zeros, not the
 * rows times the features. The first layer's weight matrix is {@code out x features}, column-major
 * from offset 0 of the flat weights, as {@link Network} lays it out.
 *
 * <pre>{@code
 * SparseLayer.addProducts(weights, block, out, z);               // z += W0 x, per row
 * SparseLayer.addWeightGradient(block, delta, out, gradientSum); // dW0 += delta x^T
 * }</pre>
 */
final class SparseLayer {

  private SparseLayer() {}

  /** {@code z[:, j] += sum over row j's non-zeros v at feature i of v * W0[:, i]}. */
  static void addProducts(double[] weights, Block block, int out, double[] z) {
    for (int j = 0; j < block.size; j++) {
      int zj = j * out;
      for (int k = block.rowStarts[j]; k < block.rowStarts[j + 1]; k++) {
        double v = block.values[k];
        int column = block.indices[k] * out;
        for (int r = 0; r < out; r++) {
          z[zj + r] += v * weights[column + r];
        }
      }
    }
  }

  /** {@code dW0[:, i] += v * delta[:, j]} for each non-zero v of row j at feature i: only active features' columns. */
  static void addWeightGradient(Block block, double[] delta, int out, double[] gradientSum) {
    for (int j = 0; j < block.size; j++) {
      int dj = j * out;
      for (int k = block.rowStarts[j]; k < block.rowStarts[j + 1]; k++) {
        double v = block.values[k];
        int column = block.indices[k] * out;
        for (int r = 0; r < out; r++) {
          gradientSum[column + r] += v * delta[dj + r];
        }
      }
    }
  }
}
