package dev.leakyspark.ml.mlp;

import java.util.List;

/** What a solver returns: the weights, the loss history and the iterations (or epochs) done in all. */
record Training(double[] weights, double[] history, int iterations) {

  /** A loss history kept as a list while training, as the array a summary or checkpoint holds. */
  static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
