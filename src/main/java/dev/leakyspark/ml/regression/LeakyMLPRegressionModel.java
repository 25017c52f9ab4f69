package dev.leakyspark.ml.regression;

import dev.leakyspark.ml.mlp.BlockScoring;
import dev.leakyspark.ml.mlp.FitResult;
import dev.leakyspark.ml.mlp.LeakyMLPParams;
import dev.leakyspark.ml.mlp.MLPModelCore;
import dev.leakyspark.ml.mlp.MLPModelData;
import dev.leakyspark.ml.mlp.MLPParams;
import dev.leakyspark.ml.util.InternalWriterFormat;
import dev.leakyspark.ml.util.PendingUid;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.HasTrainingSummary;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.GeneralMLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * A trained {@link LeakyMLPRegressor}: Leaky ReLU hidden layers and a linear output, as an MLlib
 * {@code RegressionModel}. Adds the {@code prediction} column, on the label's scale (a
 * standardised label's mean and standard deviation are part of the output layer); with the
 * column's name set empty it adds nothing, as MLlib's models do.
 *
 * <pre>{@code
 * LeakyMLPRegressionModel model = new LeakyMLPRegressor().setLayers(new int[] {10, 64, 1}).fit(train);
 * model.transform(test).select("label", "prediction").show();
 * double y = model.predict(Vectors.dense(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0));
 * double rmse = model.evaluate(test).rootMeanSquaredError();
 * model.write().overwrite().save("/models/mlp-regression");
 * }</pre>
 */
public class LeakyMLPRegressionModel extends RegressionModel<Vector, LeakyMLPRegressionModel>
    implements LeakyMLPRegressorParams, MLWritable, HasTrainingSummary<LeakyMLPRegressionTrainingSummary> {

  private static final Logger LOG = LoggerFactory.getLogger(LeakyMLPRegressionModel.class);

  private final String uid;
  private final MLPParams params;
  private final BooleanParam standardizeLabel;
  private final MLPModelCore<LeakyMLPRegressionTrainingSummary> core;

  /** For {@code load}: a model whose layers and weights are set from saved data. */
  public LeakyMLPRegressionModel(String uid, int[] layers, double alpha, double[] weights) {
    this(uid, new Network(layers, alpha, Network.Loss.SQUARED_ERROR), weights);
  }

  /** The model of a fit, on the network it trained. */
  LeakyMLPRegressionModel(String uid, Network network, double[] weights) {
    this(PendingUid.of(uid), new MLPModelCore<>("LeakyMLPRegressionModel", network, weights));
  }

  private LeakyMLPRegressionModel(PendingUid pending, MLPModelCore<LeakyMLPRegressionTrainingSummary> core) {
    this.uid = pending.take();
    Network network = core.network();
    if (network.loss() != Network.Loss.SQUARED_ERROR) {
      throw new IllegalArgumentException("a regression model needs a squared-error network, but got "
          + network.loss() + " layers " + Arrays.toString(network.layers()));
    }
    this.core = core;
    params = new MLPParams(this);
    params.setDefaults(this, LeakyMLPRegressor.class);
    standardizeLabel = LeakyMLPRegressorParams.standardizeLabel(this);
    // the network's own, so a model answers getLayers() and getAlpha() however it was made
    setDefault(layers(), network.layers());
    setDefault(alpha(), network.alpha());
  }

  /** MLlib needs a {@code (String uid)} constructor; this one holds a 1-1 network of zeros. */
  public LeakyMLPRegressionModel(String uid) {
    this(uid, new int[] {1, 1}, 0.01, new double[2]);
  }

  /** A 1-1 network of zeros with a random uid, for MLlib's reflection; {@code fit} or {@code load} make real ones. */
  public LeakyMLPRegressionModel() {
    this(Identifiable$.MODULE$.randomUID("leakyMLPReg"));
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

  /** All weights, in the layout {@code initialWeights} takes. */
  public Vector weights() {
    return core.weights();
  }

  @Override
  public int numFeatures() {
    return core.network().numInputs();
  }

  /** The prediction for one feature vector. */
  @Override
  public double predict(Vector features) {
    return core.scoreRow(features, getFeaturesCol())[0];
  }

  /** Adds the prediction of every row, scored in blocks with the weights broadcast once ({@link BlockScoring}). */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    if (getPredictionCol().isEmpty()) {
      LOG.warn("{}: predictionCol is empty, so transform adds no column", uid);
      return dataset.toDF();
    }
    StructType appended = new StructType(new StructField[] {schema.apply(getPredictionCol())});
    return core.transform(dataset, appended, getFeaturesCol(), (z, offset, width) -> new Object[] {z[offset]});
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Schemas.input(schema, getFeaturesCol(), Schemas::isVector, "vector");
    return getPredictionCol().isEmpty() ? schema : super.transformSchema(schema);
  }

  /** MLlib's summary holder ({@code hasSummary}, {@code summary}, {@code setSummary}); summaries are not saved. */
  @Override
  public Option<LeakyMLPRegressionTrainingSummary> trainingSummary() {
    return core.summaryHolder();
  }

  @Override
  public void trainingSummary_$eq(Option<LeakyMLPRegressionTrainingSummary> value) {
    core.setSummaryHolder(value);
  }

  /** The summary of the fit that made this model; a loaded or copied-from-loaded model has none. */
  @Override
  public LeakyMLPRegressionTrainingSummary summary() {
    return core.summary(uid);
  }

  /**
   * The regression metrics of this model on {@code dataset}, which holds the features and label
   * columns, as {@code summary()} gives them for the training data: weighted by {@code weightCol}
   * when it is set and {@code dataset} has it.
   *
   * <pre>{@code
   * double r2 = model.evaluate(test).r2();
   * }</pre>
   */
  public LeakyMLPRegressionSummary evaluate(Dataset<?> dataset) {
    LeakyMLPRegressor.checkLabel(dataset.schema(), getLabelCol());
    String prediction = summaryPredictionCol();
    return new LeakyMLPRegressionSummary(scored(dataset, prediction), prediction, getLabelCol(), LeakyMLPParams.metricsWeightCol(this));
  }

  /** Sets the training summary of a fit: this model's predictions on {@code dataset}, scored when asked for. */
  LeakyMLPRegressionModel withSummary(Dataset<?> dataset, FitResult fit) {
    String prediction = summaryPredictionCol();
    core.setSummaryHolder(Option.apply(
        new LeakyMLPRegressionTrainingSummary(scored(dataset, prediction), prediction, getLabelCol(), LeakyMLPParams.metricsWeightCol(this),
            fit)));
    return this;
  }

  /** Spark 4.1+'s Connect server offloads cached models with their summaries: this keeps what the data cannot give back. */
  public void saveSummary(String path) {
    summary().fit().writeSummary(path, uid);
  }

  /** The other half of {@link #saveSummary}: the summary again, over the training data Connect kept. */
  public void loadSummary(String path, Dataset<Row> dataset) {
    withSummary(dataset, core.loadSummary(path, uid));
  }


  /** The prediction column a summary reads: predictionCol, or a fresh name when it is set empty. */
  private String summaryPredictionCol() {
    return getPredictionCol().isEmpty() ? "prediction_" + java.util.UUID.randomUUID() : getPredictionCol();
  }

  private Dataset<Row> scored(Dataset<?> dataset, String predictionCol) {
    return copy(ParamMap.empty()).setPredictionCol(predictionCol).transform(dataset);
  }

  @Override
  public LeakyMLPRegressionModel copy(ParamMap extra) {
    LeakyMLPRegressionModel copy = new LeakyMLPRegressionModel(PendingUid.of(uid), core.copy());
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public GeneralMLWriter write() {
    return new GeneralMLWriter(this);
  }

  /** The {@code "internal"} format of {@link #write}: metadata and Parquet ({@link MLPModelData}). */
  public static final class InternalWriter extends InternalWriterFormat<LeakyMLPRegressionModel> {
    public InternalWriter() {
      super(LeakyMLPRegressionModel.class, m -> m.core.writer(m));
    }
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  /** The reader {@code PipelineModel.load} finds by reflection. */
  public static MLReader<LeakyMLPRegressionModel> read() {
    return MLPModelCore.reader(LeakyMLPRegressionModel.class, LeakyMLPRegressionModel::new);
  }

  public static LeakyMLPRegressionModel load(String path) {
    return read().load(path);
  }
}
