package dev.leakyspark.jobs;

import java.util.Arrays;

/**
 * Accuracy and weighted F1 of a classifier from its confusion matrix, counted as
 * {@code confusion[actual][predicted]}. Plain Java, so the arithmetic is tested without Spark.
 *
 * <pre>{@code
 * Evaluation e = new Evaluation(new long[][] {{8, 2}, {1, 9}});
 * e.accuracy();    // 0.85
 * e.weightedF1();
 * }</pre>
 */
record Evaluation(long[][] confusion) {

  Evaluation {
    for (long[] row : confusion) {
      if (row.length != confusion.length) {
        throw new IllegalArgumentException("a confusion matrix must be square, but a row has "
            + row.length + " entries for " + confusion.length + " classes");
      }
    }
  }

  long total() {
    return Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum();
  }

  double accuracy() {
    long correct = 0;
    for (int c = 0; c < confusion.length; c++) {
      correct += confusion[c][c];
    }
    return (double) correct / total();
  }

  /** Rows of class {@code c}: true positives plus false negatives. */
  long support(int c) {
    return Arrays.stream(confusion[c]).sum();
  }

  double precision(int c) {
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[c];
    }
    return predicted == 0 ? 0.0 : (double) confusion[c][c] / predicted;
  }

  double recall(int c) {
    long support = support(c);
    return support == 0 ? 0.0 : (double) confusion[c][c] / support;
  }

  /** F1 of class {@code c}; 0 when both precision and recall are 0, as in Spark's MulticlassMetrics. */
  double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }

  /** F1 per class, weighted by each class's share of the rows. */
  double weightedF1() {
    double sum = 0;
    for (int c = 0; c < confusion.length; c++) {
      sum += f1(c) * support(c);
    }
    return sum / total();
  }
}
