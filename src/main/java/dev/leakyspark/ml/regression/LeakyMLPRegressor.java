package dev.leakyspark.ml.regression;

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
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * A multilayer perceptron regressor with Leaky ReLU hidden layers and a linear output, trained on
 * the squared error across the cluster: an MLlib {@code Regressor}, so it goes into pipelines,
 * {@code RegressionEvaluator} and tuning as Spark's regressors do. It shares the classifier's
 * params, solvers, checkpoints and {@code numPartitions} rules ({@code LeakyMLPParams}); its
 * {@code layers} end in 1. With {@code standardizeLabel} (the default) it trains on the
 * standardised label and predicts on the label's own scale.
 *
 * <p>The objective is the mean of {@code (prediction - label)^2 / 2} (on the standardised label
 * when {@code standardizeLabel}) plus {@code regParam / 2} times the squared weights.
 *
 * <pre>{@code
 * LeakyMLPRegressionModel model = new LeakyMLPRegressor()
 *     .setLayers(new int[] {10, 64, 64, 1})
 *     .setMaxIter(200)
 *     .setSeed(42)
 *     .fit(train);   // columns "features" and "label"
 * double rmse = model.summary().rootMeanSquaredError();
 * }</pre>
 */
public class LeakyMLPRegressor extends Regressor<Vector, LeakyMLPRegressor, LeakyMLPRegressionModel>
    implements MLPSetters<LeakyMLPRegressor>, LeakyMLPRegressorParams, MLWritable {

  private final String uid;
  private final MLPParams params;
  private final BooleanParam standardizeLabel;

  public LeakyMLPRegressor() {
    this(Identifiable$.MODULE$.randomUID("leakyMLPReg"));
  }

  public LeakyMLPRegressor(String uid) {
    this(PendingUid.of(uid));
  }

  private LeakyMLPRegressor(PendingUid pending) {
    this.uid = pending.take();
    params = new MLPParams(this);
    params.setDefaults(this, LeakyMLPRegressor.class);
    standardizeLabel = LeakyMLPRegressorParams.standardizeLabel(this);
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
  public BooleanParam standardizeLabel() {
    return standardizeLabel;
  }

  public LeakyMLPRegressor setStandardizeLabel(boolean value) {
    return (LeakyMLPRegressor) set(standardizeLabel, value);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    int[] layers = MLPEstimators.checkedLayers(this, "setLayers(new int[] {10, 64, 1})");
    if (layers[layers.length - 1] != 1) {
      throw new IllegalArgumentException("LeakyMLPRegressor " + uid + ": layers " + Arrays.toString(layers)
          + " must end in 1, the one output the label is regressed on");
    }
    checkLabel(schema, getLabelCol());
    Schemas.input(schema, getFeaturesCol(), Schemas::isVector, "vector");
    MLPEstimators.checkWeightAndValidationCols(this, schema);
    return super.transformSchema(schema);
  }

  /** Refuses a missing or non-numeric label column; the model's {@code evaluate} checks the same. */
  static void checkLabel(StructType schema, String column) {
    Schemas.input(schema, column, type -> type instanceof NumericType, "numeric");
  }

  /** The fit; MLlib's {@code fit} checks the schema first, casts the label to double and copies the params to the model. */
  @Override
  public LeakyMLPRegressionModel train(Dataset<?> dataset) {
    FitSpec spec = FitSpec.of(this, Network.Loss.SQUARED_ERROR);
    FitResult fit = MLPFit.run(spec, dataset);
    return copyValues(new LeakyMLPRegressionModel(uid, spec.network(), fit.weights()), extractParamMap())
        .withSummary(dataset, fit);
  }

  @Override
  public LeakyMLPRegressor copy(ParamMap extra) {
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
  public static MLReader<LeakyMLPRegressor> read() {
    return Persistence.paramsReader();
  }

  public static LeakyMLPRegressor load(String path) {
    return read().load(path);
  }
}
