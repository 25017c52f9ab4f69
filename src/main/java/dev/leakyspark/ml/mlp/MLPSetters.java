package dev.leakyspark.ml.mlp;

import org.apache.spark.ml.linalg.Vector;

/**
 * The setters of {@link LeakyMLPParams} for an estimator {@code S}, each returning it for
 * chaining.
 *
 * <pre>{@code
 * LeakyMLPRegressor mlp = new LeakyMLPRegressor().setLayers(new int[] {10, 64, 1}).setMaxIter(200);
 * }</pre>
 */
@SuppressWarnings("unchecked")
public interface MLPSetters<S extends MLPSetters<S>> extends LeakyMLPParams {

  default S setLayers(int[] value) { return (S) set(layers(), value); }
  default S setAlpha(double value) { return (S) set(alpha(), value); }
  default S setSolver(String value) { return (S) set(solver(), value); }
  default S setMaxIter(int value) { return (S) set(maxIter(), value); }
  default S setTol(double value) { return (S) set(tol(), value); }
  default S setStepSize(double value) { return (S) set(stepSize(), value); }
  default S setStepSizeSchedule(String value) { return (S) set(stepSizeSchedule(), value); }
  default S setBlockSize(int value) { return (S) set(blockSize(), value); }
  default S setSeed(long value) { return (S) set(seed(), value); }
  default S setRegParam(double value) { return (S) set(regParam(), value); }
  default S setInitialWeights(Vector value) { return (S) set(initialWeights(), value); }
  default S setCheckpointDir(String value) { return (S) set(checkpointDir(), value); }
  default S setCheckpointInterval(int value) { return (S) set(checkpointInterval(), value); }
  default S setNumPartitions(int value) { return (S) set(numPartitions(), value); }
  default S setLocalSteps(int value) { return (S) set(localSteps(), value); }
  default S setBlockMomentum(double value) { return (S) set(blockMomentum(), value); }
  default S setWeightCol(String value) { return (S) set(weightCol(), value); }
  default S setValidationIndicatorCol(String value) { return (S) set(validationIndicatorCol(), value); }
  default S setNumEarlyStoppingRounds(int value) { return (S) set(numEarlyStoppingRounds(), value); }
  default S setValidationTol(double value) { return (S) set(validationTol(), value); }
  default S setDropout(double value) { return (S) set(dropout(), value); }
}
