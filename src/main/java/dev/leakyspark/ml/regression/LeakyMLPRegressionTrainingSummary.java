package dev.leakyspark.ml.regression;

import dev.leakyspark.ml.mlp.FitResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What training did: the regression metrics on the training data, the objective history, and the
 * iterations and partitions of the fit.
 *
 * <pre>{@code
 * LeakyMLPRegressionTrainingSummary summary = model.summary();
 * double rmse = summary.rootMeanSquaredError();
 * double[] losses = summary.objectiveHistory();
 * }</pre>
 */
public final class LeakyMLPRegressionTrainingSummary extends LeakyMLPRegressionSummary {

  private static final long serialVersionUID = 1L;

  private final FitResult fit;

  LeakyMLPRegressionTrainingSummary(Dataset<Row> predictions, String predictionCol, String labelCol, String weightCol,
      FitResult fit) {
    super(predictions, predictionCol, labelCol, weightCol);
    this.fit = fit;
  }

  /**
   * The objective: the mean of {@code (prediction - label)^2 / 2}, on the standardised label when
   * {@code standardizeLabel}, plus the L2 term. l-bfgs: at the start and after each iteration;
   * adam: each epoch's, the mean over its mini-batches.
   */
  public double[] objectiveHistory() {
    return fit.objectiveHistory().clone();
  }

  /** Iterations (l-bfgs) or epochs (adam) run. */
  public int totalIterations() {
    return fit.iterations();
  }

  /** The partitions the fit trained on: {@code numPartitions}, or the number it chose from the data. */
  public int numPartitions() {
    return fit.partitions();
  }

  /**
   * With validation rows ({@code validationIndicatorCol}): their loss after each iteration
   * (l-bfgs, from the start on, as {@link #objectiveHistory}) or epoch (adam), without the L2
   * term: the mean squared error on the label's own scale, as {@code RegressionEvaluator}'s {@code mse}. Empty without validation rows.
   */
  public double[] validationObjectiveHistory() {
    return fit.validationHistory().clone();
  }

  /**
   * With validation rows: the iteration or epoch of the lowest validation loss, whose weights the
   * model holds (0 is l-bfgs's start); -1 without validation rows.
   */
  public int bestIteration() {
    return fit.bestIteration();
  }

  /** The fit this summary reports. */
  FitResult fit() {
    return fit;
  }
}
