package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.mlp.FitResult;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationTrainingSummaryImpl;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What training did, as Spark's MLP training summary: the classification metrics on the training
 * data ({@code accuracy}, {@code precisionByLabel}, {@code weightedFMeasure}, ... computed when
 * first asked for, and weighted by the fit's {@code weightCol}), the objective history, and the iterations and partitions of the fit.
 *
 * <pre>{@code
 * LeakyMLPTrainingSummary summary = model.summary();
 * double accuracy = summary.accuracy();
 * double[] losses = summary.objectiveHistory();
 * }</pre>
 */
public final class LeakyMLPTrainingSummary extends MultilayerPerceptronClassificationTrainingSummaryImpl {

  private static final long serialVersionUID = 2L;

  private final FitResult fit;

  LeakyMLPTrainingSummary(Dataset<Row> predictions, String predictionCol, String labelCol, String weightCol,
      FitResult fit) {
    super(predictions, predictionCol, labelCol, weightCol, fit.objectiveHistory());
    this.fit = fit;
  }

  /**
   * The objective (mean cross-entropy plus the L2 term). l-bfgs: at the start and after each
   * iteration; adam: each epoch's, the mean over its mini-batches.
   */
  @Override
  public double[] objectiveHistory() {
    return super.objectiveHistory().clone();
  }

  /** Iterations (l-bfgs) or epochs (adam) run; Spark's count from the history would miss one for adam. */
  @Override
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
   * term: the log loss, as {@code MulticlassClassificationEvaluator}'s {@code logLoss}. Empty without validation rows.
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
