package dev.leakyspark.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code jobs/train --class-weights balanced}: weighs each training row {@code n / (k * n_c)} for
 * its class {@code c} of {@code n_c} rows, with {@code k} classes present and {@code n} rows in
 * all, as scikit-learn's {@code class_weight="balanced"}; so every class weighs {@code n / k} in
 * all. Row weights of {@code --weight-col} multiply it, as scikit-learn's {@code sample_weight}.
 *
 * <pre>{@code
 * Dataset<Row> weighted = ClassWeights.balanced(train, "label", null);   // adds class_weight
 * }</pre>
 */
final class ClassWeights {

  private static final Logger LOG = LoggerFactory.getLogger(ClassWeights.class);

  /** The column {@link #balanced} adds. */
  static final String COLUMN = "class_weight";

  private ClassWeights() {}

  /** {@code train} with {@link #COLUMN}: the balanced weight of each row's class, times {@code rowWeights} when not null. */
  static Dataset<Row> balanced(Dataset<Row> train, String label, String rowWeights) {
    if (List.of(train.columns()).contains(COLUMN)) {
      throw new IllegalArgumentException("--class-weights balanced adds the column " + COLUMN
          + ", which the training data already has");
    }
    List<Row> counts = train.groupBy(col(label).cast("double").as("c")).count().orderBy("c").collectAsList();
    long n = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    int k = counts.size();
    Column weight = lit(null).cast("double");
    StringBuilder log = new StringBuilder();
    for (int i = counts.size() - 1; i >= 0; i--) {
      Row r = counts.get(i);
      if (r.isNullAt(0)) {
        continue; // the fit refuses a null label, naming the column
      }
      double w = (double) n / ((double) k * r.getLong(1));
      weight = when(col(label).cast("double").equalTo(r.getDouble(0)), w).otherwise(weight);
      log.insert(0, String.format(Locale.ROOT, "%s%s: %.4g (%d rows)", i > 0 ? ", " : "", r.get(0), w, r.getLong(1)));
    }
    LOG.info("Balanced class weights, n / (k * n_c) for {} rows of {} classes: {}", n, k, log);
    return train.withColumn(COLUMN, rowWeights == null ? weight : weight.multiply(col(rowWeights).cast("double")));
  }
}
