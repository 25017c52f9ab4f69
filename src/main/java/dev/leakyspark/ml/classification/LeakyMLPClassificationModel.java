package dev.leakyspark.ml.classification;

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
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationSummary;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationSummaryImpl;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.HasTrainingSummary;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.GeneralMLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * A trained {@link LeakyMLPClassifier}: Leaky ReLU hidden layers and a softmax output, as an
 * MLlib {@code ProbabilisticClassificationModel}. Adds {@code rawPrediction} (the output logits,
 * centred on their mean), {@code probability} (their softmax) and {@code prediction} (the most
 * probable class, or the one {@code thresholds} favour); an output column whose name is set
 * empty is left out. Centring leaves the softmax as it is, and for two classes makes
 * {@code rawPrediction[1]} half the margin {@code z1 - z0}, which rises with P(class 1): so
 * {@code BinaryClassificationEvaluator} ranks by it correctly (a raw logit alone does not).
 *
 * <pre>{@code
 * LeakyMLPClassificationModel model = new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * double label = model.predict(Vectors.dense(0.1, 0.2, 0.3, 0.4));
 * model.write().overwrite().save("/models/mlp");
 * LeakyMLPClassificationModel same = LeakyMLPClassificationModel.load("/models/mlp");
 * }</pre>
 */
public class LeakyMLPClassificationModel
    extends ProbabilisticClassificationModel<Vector, LeakyMLPClassificationModel>
    implements LeakyMLPParams, MLWritable, HasTrainingSummary<LeakyMLPTrainingSummary> {

  private static final Logger LOG = LoggerFactory.getLogger(LeakyMLPClassificationModel.class);

  private final String uid;
  private final MLPParams params;
  private final MLPModelCore<LeakyMLPTrainingSummary> core;

  /** For {@code load}: a model whose layers and weights are set from saved data. */
  public LeakyMLPClassificationModel(String uid, int[] layers, double alpha, double[] weights) {
    this(uid, new Network(layers, alpha), weights);
  }

  /** The model of a fit, on the network it trained. */
  LeakyMLPClassificationModel(String uid, Network network, double[] weights) {
    this(PendingUid.of(uid), new MLPModelCore<>("LeakyMLPClassificationModel", network, weights));
  }

  private LeakyMLPClassificationModel(PendingUid pending, MLPModelCore<LeakyMLPTrainingSummary> core) {
    this.uid = pending.take();
    this.core = core;
    Network network = core.network();
    params = new MLPParams(this);
    params.setDefaults(this, LeakyMLPClassifier.class);
    // the network's own, so a model answers getLayers() and getAlpha() however it was made
    setDefault(layers(), network.layers());
    setDefault(alpha(), network.alpha());
  }

  /** MLlib needs a {@code (String uid)} constructor; this one holds a 1-1 network of zeros. */
  public LeakyMLPClassificationModel(String uid) {
    this(uid, new int[] {1, 1}, 0.01, new double[2]);
  }

  /** A 1-1 network of zeros with a random uid, for MLlib's reflection; {@code fit} or {@code load} make real ones. */
  public LeakyMLPClassificationModel() {
    this(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("leakyMLP"));
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override
  public MLPParams mlpParams() {
    return params;
  }

  /** All weights, in {@link Network}'s flat layout. */
  public Vector weights() {
    return core.weights();
  }

  @Override
  public int numFeatures() {
    return core.network().numInputs();
  }

  @Override
  public int numClasses() {
    return core.network().numOutputs();
  }

  /** MLlib's summary holder ({@code hasSummary}, {@code summary}, {@code setSummary}); summaries are not saved. */
  @Override
  public Option<LeakyMLPTrainingSummary> trainingSummary() {
    return core.summaryHolder();
  }

  @Override
  public void trainingSummary_$eq(Option<LeakyMLPTrainingSummary> value) {
    core.setSummaryHolder(value);
  }

  /** The summary of the fit that made this model; a loaded or copied-from-loaded model has none. */
  @Override
  public LeakyMLPTrainingSummary summary() {
    return core.summary(uid);
  }

  /**
   * The classification metrics of this model on {@code dataset}, which holds the features and
   * labels columns, as {@code summary()} gives them for the training data: weighted by
   * {@code weightCol} when it is set and {@code dataset} has it.
   *
   * <pre>{@code
   * double accuracy = model.evaluate(test).accuracy();
   * }</pre>
   */
  public MultilayerPerceptronClassificationSummary evaluate(Dataset<?> dataset) {
    LeakyMLPClassifier.checkLabel(dataset.schema(), getLabelCol());
    scala.Tuple2<Dataset<Row>, String> scored = scored(dataset);
    return new MultilayerPerceptronClassificationSummaryImpl(scored._1(), scored._2(), getLabelCol(), LeakyMLPParams.metricsWeightCol(this));
  }

  /** Sets the training summary of {@code fit}: this model's predictions on {@code dataset}, computed when asked for. */
  LeakyMLPClassificationModel withSummary(Dataset<?> dataset, FitResult fit) {
    scala.Tuple2<Dataset<Row>, String> scored = scored(dataset);
    core.setSummaryHolder(Option.apply(
        new LeakyMLPTrainingSummary(scored._1(), scored._2(), getLabelCol(), LeakyMLPParams.metricsWeightCol(this), fit)));
    return this;
  }


  /**
   * Spark 4.1+'s Connect server offloads cached models to local disk with their summaries: this
   * keeps what the training data cannot give back (the history, iterations and partitions).
   */
  public void saveSummary(String path) {
    summary().fit().writeSummary(path, uid);
  }

  /** The other half of {@link #saveSummary}: the summary again, over the training data Connect kept. */
  public void loadSummary(String path, Dataset<Row> dataset) {
    withSummary(dataset, core.loadSummary(path, uid));
  }

  /** {@code dataset} transformed for a summary, and its prediction column (MLlib names one when it is set empty). */
  private scala.Tuple2<Dataset<Row>, String> scored(Dataset<?> dataset) {
    scala.Tuple3<?, ?, ?> found = findSummaryModel();
    return new scala.Tuple2<>(((LeakyMLPClassificationModel) found._1()).transform(dataset), (String) found._3());
  }

  /** The output logits of one feature vector, centred on their mean. */
  @Override
  public Vector predictRaw(Vector features) {
    return new DenseVector(centred(core.scoreRow(features, getFeaturesCol()), 0, numClasses()));
  }

  /** Turns {@code raw} (from {@link #predictRaw}) into class probabilities in place: its softmax. */
  @Override
  public Vector raw2probabilityInPlace(Vector raw) {
    if (!(raw instanceof DenseVector)) {
      throw new IllegalArgumentException("rawPrediction must be a dense vector but got " + raw.getClass().getSimpleName());
    }
    double[] values = ((DenseVector) raw).values();
    Network.softmaxInPlace(values, values.length);
    return raw;
  }

  /**
   * Scores the rows in blocks, with the weights broadcast once ({@link BlockScoring}):
   * {@code rawPrediction}, {@code probability} and {@code prediction}, each only when its column
   * name is not empty. A null feature vector gets null outputs.
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
    if (thresholds != null && thresholds.length != numClasses()) {
      throw new IllegalArgumentException("LeakyMLPClassificationModel " + uid + ": thresholds has "
          + thresholds.length + " entries but the model has " + numClasses() + " classes");
    }
    StructType appended = new StructType(Arrays.copyOfRange(schema.fields(), dataset.schema().size(), schema.size()));
    if (appended.isEmpty()) {
      LOG.warn("{}: rawPredictionCol, probabilityCol and predictionCol are empty, so transform adds no column", uid);
      return dataset.toDF();
    }
    boolean raw = !getRawPredictionCol().isEmpty();
    boolean probability = !getProbabilityCol().isEmpty();
    boolean prediction = !getPredictionCol().isEmpty();
    BlockScoring.Outputs outputs = (z, offset, classes) -> {
      double[] centred = centred(z, offset, classes);
      Object[] values = new Object[appended.size()];
      int i = 0;
      if (raw) {
        values[i++] = new DenseVector(centred);
      }
      double[] p = null;
      if (probability || (prediction && thresholds != null)) {
        p = centred.clone();
        Network.softmaxInPlace(p, classes);
      }
      if (probability) {
        values[i++] = new DenseVector(p);
      }
      if (prediction) {
        values[i] = thresholds == null ? (double) new DenseVector(centred).argmax() : thresholded(p, thresholds);
      }
      return values;
    };
    return core.transform(dataset, appended, getFeaturesCol(), outputs);
  }

  /** The class with the largest {@code p[i] / thresholds[i]} (a zero threshold wins), as MLlib's. */
  private static double thresholded(double[] p, double[] thresholds) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p.length; i++) {
      double score = thresholds[i] == 0 ? Double.POSITIVE_INFINITY : p[i] / thresholds[i];
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    return best;
  }

  /** The scores {@code z[offset, offset + classes)} less their mean, in a new array. */
  private static double[] centred(double[] z, int offset, int classes) {
    double sum = 0;
    for (int i = offset; i < offset + classes; i++) {
      sum += z[i];
    }
    double mean = sum / classes;
    double[] centred = new double[classes];
    for (int i = 0; i < classes; i++) {
      centred[i] = z[offset + i] - mean;
    }
    return centred;
  }

  /**
   * MLlib's summary helper, declared by both of MLlib's model classes with a Scala-covariant
   * return type that Java sees as two methods; a raw override resolves them to the nearer one.
   */
  @Override
  @SuppressWarnings({"rawtypes", "unchecked"})
  public scala.Tuple3 findSummaryModel() {
    return super.findSummaryModel();
  }

  /**
   * MLlib's output columns (the prediction's with the number of classes as nominal metadata), in
   * the order {@link #transform} adds them, after checking the features column.
   */
  @Override
  public StructType transformSchema(StructType schema) {
    Schemas.input(schema, getFeaturesCol(), Schemas::isVector, "vector");
    StructType mllib = super.transformSchema(schema);
    StructType out = schema;
    for (String name : new String[] {getRawPredictionCol(), getProbabilityCol(), getPredictionCol()}) {
      if (!name.isEmpty()) {
        out = out.add(mllib.apply(name));
      }
    }
    return out;
  }

  @Override
  public LeakyMLPClassificationModel copy(ParamMap extra) {
    LeakyMLPClassificationModel copy = new LeakyMLPClassificationModel(PendingUid.of(uid), core.copy());
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public GeneralMLWriter write() {
    return new GeneralMLWriter(this);
  }

  /** The {@code "internal"} format of {@link #write}: metadata and Parquet ({@link MLPModelData}). */
  public static final class InternalWriter extends InternalWriterFormat<LeakyMLPClassificationModel> {
    public InternalWriter() {
      super(LeakyMLPClassificationModel.class, m -> m.core.writer(m));
    }
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  /** The reader {@code PipelineModel.load} finds by reflection. */
  public static MLReader<LeakyMLPClassificationModel> read() {
    return MLPModelCore.reader(LeakyMLPClassificationModel.class, LeakyMLPClassificationModel::new);
  }

  public static LeakyMLPClassificationModel load(String path) {
    return read().load(path);
  }
}
