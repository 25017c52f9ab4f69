package dev.leakyspark.ml.mlp;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.shared.HasValidationIndicatorCol;
import org.apache.spark.ml.param.shared.HasWeightCol;

/**
 * The params of {@code LeakyMLPClassifier}, {@code LeakyMLPRegressor} and their models, declared
 * once ({@link MLPParams}), as Spark's {@code MultilayerPerceptronParams} are: a model answers
 * every getter with the value it was fitted with. The column params (and the classifier's
 * {@code thresholds}) come from MLlib's {@code Predictor} classes.
 *
 * <pre>{@code
 * LeakyMLPClassificationModel model = new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).fit(train);
 * model.getSolver();   // "l-bfgs"
 * model.getMaxIter();  // 100
 * }</pre>
 */
public interface LeakyMLPParams extends HasWeightCol, HasValidationIndicatorCol {

  /** Default of {@code localSteps}. */
  int DEFAULT_LOCAL_STEPS = 64;
  /** Default of {@code numEarlyStoppingRounds}: scikit-learn's {@code n_iter_no_change}. */
  int DEFAULT_EARLY_STOPPING_ROUNDS = 10;
  /** Default of {@code validationTol}: scikit-learn's {@code tol}, here relative to the best loss. */
  double DEFAULT_VALIDATION_TOL = 1e-4;
  /** Default of {@code blockMomentum}. */
  double DEFAULT_BLOCK_MOMENTUM = 0.0;
  /** The {@code solver} for L-BFGS on the exact full-batch gradient. */
  String LBFGS = "l-bfgs";
  /** The {@code solver} for mini-batch Adam in rounds of local steps, averaged across partitions. */
  String ADAM = "adam";
  /** The {@code stepSizeSchedule} that keeps {@code stepSize} throughout. */
  String CONSTANT = "constant";
  /** The {@code stepSizeSchedule} that decays {@code stepSize} along half a cosine, to 0 at {@code maxIter}. */
  String COSINE = "cosine";
  /** The {@code numPartitions} default: one training partition per {@link #ROWS_PER_PARTITION} rows. */
  int FROM_THE_DATA = 0;
  /**
   * Rows each training partition gets when {@code numPartitions} is {@link #FROM_THE_DATA}: the
   * fewest for which Adam, at 10 epochs on a validation split of Fashion-MNIST, stayed within
   * 0.003 accuracy of 2 partitions (docs/scale-out.md).
   */
  int ROWS_PER_PARTITION = 25_000;
  /** The {@code checkpointInterval} that turns checkpoints off, as in MLlib. */
  int NO_CHECKPOINTS = -1;

  /** The param objects of this stage. */
  MLPParams mlpParams();

  /** Layer sizes from input to output; the last is the number of classes, or 1 for the regressor (no default: must be set). */
  default IntArrayParam layers() { return mlpParams().layers; }
  /** Leaky ReLU slope of the hidden layers (default 0.01). */
  default DoubleParam alpha() { return mlpParams().alpha; }
  /**
   * {@code l-bfgs} (default) or {@code adam}. Spark's MLP offers {@code l-bfgs} and {@code gd}
   * (full-batch gradient descent); here the second solver is mini-batch Adam instead.
   */
  default Param<String> solver() { return mlpParams().solver; }
  /** Iterations (l-bfgs) or epochs (adam) (default 100). */
  default IntParam maxIter() { return mlpParams().maxIter; }
  /** Convergence tolerance (default 1e-6). */
  default DoubleParam tol() { return mlpParams().tol; }
  /** Adam learning rate (default 0.001; Spark's MLP uses 0.03 for its {@code gd}). */
  default DoubleParam stepSize() { return mlpParams().stepSize; }
  /** How the Adam learning rate changes over the epochs: {@code cosine} (default) or {@code constant}. */
  default Param<String> stepSizeSchedule() { return mlpParams().stepSizeSchedule; }
  /** Rows per block (default 128). */
  default IntParam blockSize() { return mlpParams().blockSize; }
  /** Random seed (default: the class name's hash, as MLlib's). */
  default LongParam seed() { return mlpParams().seed; }
  /** L2 regularisation (default 0). */
  default DoubleParam regParam() { return mlpParams().regParam; }
  /** Starting weights (unset: He initialisation from the seed). */
  default Param<Vector> initialWeights() { return mlpParams().initialWeights; }
  /** Checkpoint folder (unset: no checkpoints). */
  default Param<String> checkpointDir() { return mlpParams().checkpointDir; }
  /** Iterations or epochs between checkpoints (default 10; {@value #NO_CHECKPOINTS} for none). */
  default IntParam checkpointInterval() { return mlpParams().checkpointInterval; }
  /** Training partitions (default {@value #FROM_THE_DATA}: one per {@value #ROWS_PER_PARTITION} rows). */
  default IntParam numPartitions() { return mlpParams().numPartitions; }
  /** Adam steps per partition between averagings (default {@value #DEFAULT_LOCAL_STEPS}). */
  default IntParam localSteps() { return mlpParams().localSteps; }
  /** Block momentum of the averaged update (default {@value #DEFAULT_BLOCK_MOMENTUM}). */
  default DoubleParam blockMomentum() { return mlpParams().blockMomentum; }

  default int[] getLayers() { return getOrDefault(layers()); }
  default double getAlpha() { return (Double) getOrDefault(alpha()); }
  default String getSolver() { return getOrDefault(solver()); }
  default int getMaxIter() { return (Integer) getOrDefault(maxIter()); }
  default double getTol() { return (Double) getOrDefault(tol()); }
  default double getStepSize() { return (Double) getOrDefault(stepSize()); }
  default String getStepSizeSchedule() { return getOrDefault(stepSizeSchedule()); }
  default int getBlockSize() { return (Integer) getOrDefault(blockSize()); }
  default long getSeed() { return (Long) getOrDefault(seed()); }
  default double getRegParam() { return (Double) getOrDefault(regParam()); }
  default Vector getInitialWeights() { return getOrDefault(initialWeights()); }
  default String getCheckpointDir() { return getOrDefault(checkpointDir()); }
  default int getCheckpointInterval() { return (Integer) getOrDefault(checkpointInterval()); }
  /** The training partitions, or {@value #FROM_THE_DATA} (the default) for one per {@value #ROWS_PER_PARTITION} rows. */
  default int getNumPartitions() { return (Integer) getOrDefault(numPartitions()); }
  default int getLocalSteps() { return (Integer) getOrDefault(localSteps()); }
  default double getBlockMomentum() { return (Double) getOrDefault(blockMomentum()); }

  /**
   * MLlib's shared {@code weightCol} (unset: every row weighs 1): a row of weight {@code w} counts
   * as {@code w} copies of it in the objective, {@code sum(w * loss) / sum(w)} plus the L2 term,
   * in Adam's averaging across partitions, and in the summary's metrics. So {@code OneVsRest}
   * passes its own {@code weightCol} on, as to Spark's classifiers.
   */
  @Override
  default Param<String> weightCol() { return mlpParams().weightCol; }

  /** MLlib's trait would make its param here; {@link MLPParams} has made it already. */
  @Override
  default void org$apache$spark$ml$param$shared$HasWeightCol$_setter_$weightCol_$eq(Param<String> param) {}

  /** {@code stage}'s weight column, or null when its rows are unweighted ({@code weightCol} unset or empty). */
  static String weightColumn(LeakyMLPParams stage) {
    return stage.isDefined(stage.weightCol()) && !stage.getWeightCol().isEmpty() ? stage.getWeightCol() : null;
  }

  /** The weight column a summary's metrics read where the data has it, as Spark's summaries do; "" for none. */
  static String metricsWeightCol(LeakyMLPParams stage) {
    String weight = weightColumn(stage);
    return weight == null ? "" : weight;
  }

  /**
   * MLlib's shared {@code validationIndicatorCol}, as {@code GBTClassifier}'s (unset: no
   * validation rows): rows where the boolean column is true never touch training; the fit
   * reports their loss after every iteration or epoch ({@code validationObjectiveHistory}), stops
   * after {@code numEarlyStoppingRounds} without improvement, and keeps the best weights.
   */
  @Override
  default Param<String> validationIndicatorCol() { return mlpParams().validationIndicatorCol; }

  /** MLlib's trait would make its param here; {@link MLPParams} has made it already. */
  @Override
  default void org$apache$spark$ml$param$shared$HasValidationIndicatorCol$_setter_$validationIndicatorCol_$eq(
      Param<String> param) {}

  /** Iterations or epochs without a better validation loss after which the fit stops (default {@value #DEFAULT_EARLY_STOPPING_ROUNDS}; 0 never). */
  default IntParam numEarlyStoppingRounds() { return mlpParams().numEarlyStoppingRounds; }
  /** The relative improvement of the validation loss that counts (default {@value #DEFAULT_VALIDATION_TOL}). */
  default DoubleParam validationTol() { return mlpParams().validationTol; }

  /**
   * Adam: the fraction of each hidden layer's units dropped in each training step (default 0:
   * none). The masks are seeded by {@code seed}, the epoch, the partition and the block, so a fit
   * with dropout is still the same on any cluster. l-bfgs refuses it: it needs a deterministic
   * objective.
   */
  default DoubleParam dropout() { return mlpParams().dropout; }
  default double getDropout() { return (Double) getOrDefault(dropout()); }

  default int getNumEarlyStoppingRounds() { return (Integer) getOrDefault(numEarlyStoppingRounds()); }
  default double getValidationTol() { return (Double) getOrDefault(validationTol()); }

  /** {@code stage}'s validation column, or null when it has no validation rows (unset or empty). */
  static String validationColumn(LeakyMLPParams stage) {
    return stage.isDefined(stage.validationIndicatorCol()) && !stage.getValidationIndicatorCol().isEmpty()
        ? stage.getValidationIndicatorCol() : null;
  }
}
