package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.mlp.FitResult;
import dev.leakyspark.ml.mlp.FitSpec;
import dev.leakyspark.ml.mlp.MLPEstimators;
import dev.leakyspark.ml.mlp.MLPFit;
import dev.leakyspark.ml.mlp.MLPParams;
import dev.leakyspark.ml.mlp.MLPSetters;
import dev.leakyspark.ml.util.PendingUid;
import dev.leakyspark.ml.util.Persistence;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron classifier with Leaky ReLU hidden layers and a softmax output, trained
 * across the cluster: an MLlib {@code ProbabilisticClassifier}, so it goes into {@code OneVsRest},
 * the evaluators and tuning as Spark's classifiers do. Its params ({@link LeakyMLPParams}) are
 * those of Spark's {@code MultilayerPerceptronClassifier}, and more. Rows are spread over
 * {@code numPartitions} partitions by a hash of their values, stacked into blocks of
 * {@code blockSize} and cached, so the fit does not depend on how the input is split or ordered.
 *
 * <p>Solvers: {@code l-bfgs} (default; one pass over the data per function evaluation, on the
 * exact gradient) and {@code adam} (in rounds: every partition takes up to {@code localSteps}
 * mini-batch Adam steps from the broadcast weights, then the driver averages the updates and
 * moments by row count and applies {@code blockMomentum} to the mean update). Partial sums are
 * added in a fixed tree, so the driver holds a bounded number of weight-sized arrays whatever
 * the number of partitions.
 *
 * <pre>{@code
 * LeakyMLPClassifier mlp = new LeakyMLPClassifier()
 *     .setLayers(new int[] {784, 256, 128, 10})
 *     .setAlpha(0.01)
 *     .setMaxIter(100)
 *     .setSeed(42);
 * LeakyMLPClassificationModel model = mlp.fit(train);   // columns "features" and "label"
 * }</pre>
 */
public class LeakyMLPClassifier
    extends ProbabilisticClassifier<Vector, LeakyMLPClassifier, LeakyMLPClassificationModel>
    implements MLPSetters<LeakyMLPClassifier>, MLWritable {

  private final String uid;
  private final MLPParams params;

  public LeakyMLPClassifier() {
    this(Identifiable$.MODULE$.randomUID("leakyMLP"));
  }

  public LeakyMLPClassifier(String uid) {
    this(PendingUid.of(uid));
  }

  private LeakyMLPClassifier(PendingUid pending) {
    this.uid = pending.take();
    params = new MLPParams(this);
    params.setDefaults(this, LeakyMLPClassifier.class);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override
  public MLPParams mlpParams() {
    return params;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    int[] layers = MLPEstimators.checkedLayers(this, "setLayers(new int[] {784, 128, 10})");
    checkLabel(schema, getLabelCol());
    int classes = layers[layers.length - 1];
    if (isDefined(thresholds()) && getThresholds().length != classes) {
      throw new IllegalArgumentException("LeakyMLPClassifier " + uid + ": thresholds has " + getThresholds().length
          + " entries but layers " + Arrays.toString(layers) + " end in " + classes + " classes");
    }
    Schemas.input(schema, getFeaturesCol(), Schemas::isVector, "vector");
    MLPEstimators.checkWeightAndValidationCols(this, schema);
    return super.transformSchema(schema);
  }

  /** Refuses a missing or non-numeric label column; the model's {@code evaluate} checks the same. */
  static void checkLabel(StructType schema, String column) {
    Schemas.input(schema, column, type -> type instanceof NumericType, "numeric (class indices)");
  }

  /** The fit; MLlib's {@code fit} checks the schema first, casts the label to double and copies the params to the model. */
  @Override
  public LeakyMLPClassificationModel train(Dataset<?> dataset) {
    FitSpec spec = FitSpec.of(this, Network.Loss.CROSS_ENTROPY);
    FitResult fit = MLPFit.run(spec, dataset);
    // the params first, so that the summary's predictions use this fit's columns
    return copyValues(new LeakyMLPClassificationModel(uid, spec.network(), fit.weights()), extractParamMap())
        .withSummary(dataset, fit);
  }

  @Override
  public LeakyMLPClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  /** The reader {@code PipelineModel.load} and {@code Pipeline.load} find by reflection. */
  public static MLReader<LeakyMLPClassifier> read() {
    return Persistence.paramsReader();
  }

  public static LeakyMLPClassifier load(String path) {
    return read().load(path);
  }
}
