package dev.leakyspark.ml.regression;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.mllib.evaluation.RegressionMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple3;

/**
 * The regression metrics of a {@link LeakyMLPRegressionModel} on a data set, as Spark's
 * {@code LinearRegressionSummary} names them, computed in one pass when first asked for.
 *
 * <pre>{@code
 * LeakyMLPRegressionSummary test = model.evaluate(testData);
 * double rmse = test.rootMeanSquaredError();
 * double r2 = test.r2();
 * }</pre>
 */
public class LeakyMLPRegressionSummary implements Serializable {

  private static final long serialVersionUID = 1L;

  private final transient Dataset<Row> predictions;
  private final String predictionCol;
  private final String labelCol;
  private final String weightCol;
  private transient RegressionMetrics metrics;

  LeakyMLPRegressionSummary(Dataset<Row> predictions, String predictionCol, String labelCol, String weightCol) {
    this.predictions = predictions;
    this.predictionCol = predictionCol;
    this.labelCol = labelCol;
    this.weightCol = weightCol;
  }

  /** The data set with the model's predictions. */
  public Dataset<Row> predictions() {
    return predictions;
  }

  public String predictionCol() {
    return predictionCol;
  }

  public String labelCol() {
    return labelCol;
  }

  /** The weight column the metrics read, "" for none: weighted, as Spark's summaries, when the predictions have it. */
  public String weightCol() {
    return weightCol;
  }

  private synchronized RegressionMetrics metrics() {
    if (metrics == null) {
      Column weight = Arrays.asList(predictions.columns()).contains(weightCol)
          ? col(weightCol).cast("double") : lit(1.0);
      metrics = new RegressionMetrics(
          predictions.select(col(predictionCol).cast("double"), col(labelCol).cast("double"), weight).toJavaRDD()
              .map(r -> new Tuple3<>(r.getDouble(0), r.getDouble(1), r.getDouble(2))).rdd());
    }
    return metrics;
  }

  /** The square root of the mean squared error. */
  public double rootMeanSquaredError() {
    return metrics().rootMeanSquaredError();
  }

  public double meanSquaredError() {
    return metrics().meanSquaredError();
  }

  public double meanAbsoluteError() {
    return metrics().meanAbsoluteError();
  }

  /** The coefficient of determination, {@code 1 - SSE / SST}. */
  public double r2() {
    return metrics().r2();
  }

  public double explainedVariance() {
    return metrics().explainedVariance();
  }

  /** Rows scored. */
  public long numInstances() {
    return metrics().count();
  }
}
