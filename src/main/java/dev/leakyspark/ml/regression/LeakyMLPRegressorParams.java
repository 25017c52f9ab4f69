package dev.leakyspark.ml.regression;

import dev.leakyspark.ml.mlp.LeakyMLPParams;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Params;

/**
 * The params of {@link LeakyMLPRegressor} and its model: those of {@link LeakyMLPParams}, with
 * {@code layers} ending in 1, and {@code standardizeLabel}.
 *
 * <pre>{@code
 * new LeakyMLPRegressor().setLayers(new int[] {10, 64, 1}).setStandardizeLabel(false).getStandardizeLabel();  // false
 * }</pre>
 */
public interface LeakyMLPRegressorParams extends LeakyMLPParams {

  /**
   * Whether the fit trains on the standardised label {@code (y - mean) / std} (default true), with
   * the mean and standard deviation folded back into the output layer, so that predictions are on
   * the label's scale either way. Regression targets are rarely unit-scale, and the He-initialised
   * output and {@code regParam} assume they are.
   */
  BooleanParam standardizeLabel();

  default boolean getStandardizeLabel() { return (Boolean) getOrDefault(standardizeLabel()); }

  /** The {@code standardizeLabel} param of {@code owner}, with its default set. */
  static BooleanParam standardizeLabel(Params owner) {
    BooleanParam param = new BooleanParam(owner, "standardizeLabel",
        "train on (label - mean) / std, folded back into the output layer, so predictions keep the label's scale");
    owner.setDefault(param, true);
    return param;
  }
}
