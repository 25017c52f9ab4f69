package dev.leakyspark.ml.mlp;

import dev.leakyspark.ml.regression.LeakyMLPRegressorParams;
import dev.leakyspark.nn.Network;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One MLP fit as a value: everything that decides its result, read once from the estimator's
 * params, which the trainers take instead of the stage. Its components carry the params' names.
 * The checkpoint fingerprint is made from these components themselves ({@link #fingerprint}), so a
 * component added here is in it unless it is marked {@link Bookkeeping} or {@link InData}.
 *
 * <pre>{@code
 * FitSpec spec = FitSpec.of(new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}), Network.Loss.CROSS_ENTROPY);
 * spec.network();                                  // 4-8-3, alpha 0.01, cross-entropy
 * spec.withNumPartitions(2).fingerprint(content);  // what a checkpoint of this fit records
 * }</pre>
 *
 * @param stage the estimator's simple class name, as logs and errors name it
 * @param uid the estimator's uid
 * @param featuresCol the features column
 * @param labelCol the label column
 * @param weightCol the weight column, or null when the rows are unweighted ({@code weightCol}
 *     unset or empty)
 * @param validationIndicatorCol the boolean column of the validation rows, or null for none
 * @param loss the network's loss: cross-entropy (classifier) or squared error (regressor)
 * @param standardizeLabel whether the fit trains on the standardised label (the regressor's param)
 * @param initialWeights the starting weights, or null for He initialisation from {@code seed}
 * @param numPartitions the training partitions, or {@link LeakyMLPParams#FROM_THE_DATA} until
 *     the fit has chosen them ({@link #withNumPartitions})
 * @param checkpointDir the checkpoint folder, or null for none
 */
public record FitSpec(
    @Bookkeeping String stage,
    @Bookkeeping String uid,
    @Bookkeeping String featuresCol,
    @Bookkeeping String labelCol,
    @InData String weightCol,
    @InData String validationIndicatorCol,
    String solver,
    Network.Loss loss,
    boolean standardizeLabel,
    int[] layers,
    double alpha,
    int maxIter,
    double tol,
    double stepSize,
    String stepSizeSchedule,
    int blockSize,
    long seed,
    double regParam,
    double[] initialWeights,
    int numPartitions,
    int localSteps,
    double blockMomentum,
    int numEarlyStoppingRounds,
    double validationTol,
    double dropout,
    @Bookkeeping String checkpointDir,
    @Bookkeeping int checkpointInterval) {

  /** Marks a component that names or files the fit but cannot change its weights: it stays out of the fingerprint. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Bookkeeping {}

  /** Marks a component whose effect reaches the fingerprint through the data's content hash, which covers the column it names. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface InData {}

  /** The fit {@code stage}'s params describe, on {@code loss}; the regressor's {@code standardizeLabel} is read too. */
  public static FitSpec of(LeakyMLPParams stage, Network.Loss loss) {
    return new FitSpec(stage.getClass().getSimpleName(), stage.uid(),
        (String) stage.getOrDefault(stage.getParam("featuresCol")),
        (String) stage.getOrDefault(stage.getParam("labelCol")),
        LeakyMLPParams.weightColumn(stage), LeakyMLPParams.validationColumn(stage),
        stage.getSolver(), loss,
        stage instanceof LeakyMLPRegressorParams r && r.getStandardizeLabel(),
        stage.getLayers(), stage.getAlpha(), stage.getMaxIter(), stage.getTol(), stage.getStepSize(),
        stage.getStepSizeSchedule(), stage.getBlockSize(), stage.getSeed(), stage.getRegParam(),
        stage.isDefined(stage.initialWeights()) ? stage.getInitialWeights().toArray() : null,
        stage.getNumPartitions(), stage.getLocalSteps(), stage.getBlockMomentum(),
        stage.getNumEarlyStoppingRounds(), stage.getValidationTol(), stage.getDropout(),
        stage.isDefined(stage.checkpointDir()) ? stage.getCheckpointDir() : null, stage.getCheckpointInterval());
  }

  public FitSpec {
    layers = layers.clone();
    initialWeights = initialWeights == null ? null : initialWeights.clone();
  }

  @Override
  public int[] layers() {
    return layers.clone();
  }

  @Override
  public double[] initialWeights() {
    return initialWeights == null ? null : initialWeights.clone();
  }

  /** The network this fit trains. */
  public Network network() {
    return new Network(layers, alpha, loss);
  }

  /** Whether this fit writes checkpoints. */
  public boolean checkpoints() {
    return checkpointDir != null && checkpointInterval != LeakyMLPParams.NO_CHECKPOINTS;
  }

  /** Whether the solver is Adam (else L-BFGS). */
  boolean adam() {
    return solver.equals(LeakyMLPParams.ADAM);
  }

  /** This fit on {@code partitions} training partitions, as chosen from the data or set. */
  public FitSpec withNumPartitions(int partitions) {
    return new FitSpec(stage, uid, featuresCol, labelCol, weightCol, validationIndicatorCol, solver, loss,
        standardizeLabel, layers, alpha, maxIter, tol, stepSize, stepSizeSchedule, blockSize, seed, regParam,
        initialWeights, partitions, localSteps, blockMomentum, numEarlyStoppingRounds, validationTol, dropout,
        checkpointDir, checkpointInterval);
  }

  /**
   * What a checkpoint of this fit records to tell it from any other: each component not marked
   * {@link Bookkeeping}, by name, then the data's row count and content hash.
   */
  public Map<String, String> fingerprint(TrainingBlocks.Content content) {
    return fingerprint(content, null);
  }

  /** {@link #fingerprint}, and with validation rows, their row count and content hash. */
  public Map<String, String> fingerprint(TrainingBlocks.Content content, TrainingBlocks.Content validation) {
    Map<String, String> f = new LinkedHashMap<>();
    for (RecordComponent c : FitSpec.class.getRecordComponents()) {
      if (!c.isAnnotationPresent(Bookkeeping.class) && !c.isAnnotationPresent(InData.class)) {
        f.put(c.getName(), text(value(c)));
      }
    }
    f.put("data rows", Long.toString(content.rows()));
    f.put("data hash", content.hash());
    if (validation != null) {
      f.put("validation rows", Long.toString(validation.rows()));
      f.put("validation hash", validation.hash());
    }
    return f;
  }

  private Object value(RecordComponent c) {
    try {
      return c.getAccessor().invoke(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot read " + c.getName() + " of a fit", e);
    }
  }

  /** A component's value as the fingerprint writes it; a weight vector by its hash. */
  private static String text(Object value) {
    if (value instanceof int[] ints) {
      return Arrays.toString(ints);
    }
    if (value instanceof double[] doubles) {
      return "hash " + Arrays.hashCode(doubles);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return value == null ? "unset" : value.toString();
  }
}
