package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.util.Persistence;
import static org.apache.spark.sql.functions.col;

import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained {@link LeakyMLPClassifier}: Leaky ReLU hidden layers and a softmax output. Adds
 * {@code rawPrediction} (output scores), {@code probability} (their softmax) and
 * {@code prediction} (the most probable class).
 *
 * <pre>{@code
 * LeakyMLPClassificationModel model = new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * double label = model.predict(Vectors.dense(0.1, 0.2, 0.3, 0.4));
 * model.write().overwrite().save("/models/mlp");
 * LeakyMLPClassificationModel same = LeakyMLPClassificationModel.load("/models/mlp");
 * }</pre>
 */
public class LeakyMLPClassificationModel extends Model<LeakyMLPClassificationModel>
    implements MLWritable {

  /** Version of the saved data layout; loading refuses newer ones. */
  static final int FORMAT_VERSION = 1;

  private final String uid;
  private final Network network;
  private final double[] weights;
  private LeakyMLPTrainingSummary summary;
  private final MLPColumns columns;

  /** For {@code load}: a model whose layers and weights are set from saved data. */
  public LeakyMLPClassificationModel(String uid, int[] layers, double alpha, double[] weights) {
    this(uid, new Network(layers, alpha), weights);
  }

  /** The model of a fit, on the network it trained. */
  LeakyMLPClassificationModel(String uid, Network network, double[] weights) {
    this.uid = uid;
    this.network = network;
    if (weights.length != network.numWeights()) {
      throw new IllegalArgumentException(
          "layers " + Arrays.toString(network.layers()) + " need " + network.numWeights() + " weights but got "
              + weights.length);
    }
    this.weights = weights.clone();
    columns = new MLPColumns(this);
    columns.defaults().forEach(this::setDefault);
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
    return uid;
  }

  public Param<String> featuresCol() {
    return columns.featuresCol;
  }

  public Param<String> predictionCol() {
    return columns.predictionCol;
  }

  public Param<String> rawPredictionCol() {
    return columns.rawPredictionCol;
  }

  public Param<String> probabilityCol() {
    return columns.probabilityCol;
  }

  public String getFeaturesCol() {
    return $(columns.featuresCol);
  }

  public String getPredictionCol() {
    return $(columns.predictionCol);
  }

  public String getRawPredictionCol() {
    return $(columns.rawPredictionCol);
  }

  public String getProbabilityCol() {
    return $(columns.probabilityCol);
  }

  public LeakyMLPClassificationModel setFeaturesCol(String value) {
    return (LeakyMLPClassificationModel) set(columns.featuresCol, value);
  }

  public LeakyMLPClassificationModel setPredictionCol(String value) {
    return (LeakyMLPClassificationModel) set(columns.predictionCol, value);
  }

  public LeakyMLPClassificationModel setRawPredictionCol(String value) {
    return (LeakyMLPClassificationModel) set(columns.rawPredictionCol, value);
  }

  public LeakyMLPClassificationModel setProbabilityCol(String value) {
    return (LeakyMLPClassificationModel) set(columns.probabilityCol, value);
  }

  /** Layer sizes from input to output. */
  public int[] getLayers() {
    return network.layers();
  }

  /** The Leaky ReLU slope of the hidden layers. */
  public double getAlpha() {
    return network.alpha();
  }

  /** All weights, in {@link Network}'s flat layout. */
  public Vector weights() {
    return Vectors.dense(weights.clone());
  }

  public int numFeatures() {
    return network.numInputs();
  }

  public int numClasses() {
    return network.numOutputs();
  }

  /** True when this model came from {@code fit} in this JVM (summaries are not saved). */
  public boolean hasSummary() {
    return summary != null;
  }

  public LeakyMLPTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException(
          "No training summary for " + uid + ": summaries exist only on models fitted in this session");
    }
    return summary;
  }

  LeakyMLPClassificationModel setSummary(LeakyMLPTrainingSummary value) {
    this.summary = value;
    return this;
  }

  /** Output scores (before softmax) of one feature vector. */
  public Vector predictRaw(Vector features) {
    return Vectors.dense(network.scores(weights, checkedFeatures(features), 1));
  }

  /** Class probabilities of one feature vector. */
  public Vector predictProbability(Vector features) {
    double[] scores = network.scores(weights, checkedFeatures(features), 1);
    Network.softmaxInPlace(scores, scores.length);
    return Vectors.dense(scores);
  }

  /** The most probable class of one feature vector. */
  public double predict(Vector features) {
    return predictRaw(features).argmax();
  }

  private double[] checkedFeatures(Vector features) {
    return checkedFeatures(features, network.numInputs(), getFeaturesCol());
  }

  private static double[] checkedFeatures(Vector features, int numInputs, String column) {
    if (features.size() != numInputs) {
      throw new IllegalArgumentException(
          "LeakyMLPClassificationModel: column " + column + " has a vector of size "
              + features.size() + " but the model takes " + numInputs + " features");
    }
    return features.toArray();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return columns.outputSchema(this, schema, numClasses());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    Broadcast<double[]> shared =
        dataset.sparkSession().sparkContext().broadcast(
            weights, scala.reflect.ClassTag$.MODULE$.apply(double[].class));
    Network net = network;
    String column = getFeaturesCol();
    UDF1<Vector, Vector> raw =
        v -> new DenseVector(net.scores(shared.value(), checkedFeatures(v, net.numInputs(), column), 1));
    UDF1<Vector, Vector> probability =
        scores -> {
          double[] p = scores.toArray();
          Network.softmaxInPlace(p, p.length);
          return new DenseVector(p);
        };
    UDF1<Vector, Double> prediction = p -> (double) p.argmax();
    UserDefinedFunction rawUdf = functions.udf(raw, new VectorUDT());
    Column rawColumn = rawUdf.apply(col(column));
    Dataset<Row> out =
        dataset.withColumn(
            getRawPredictionCol(), rawColumn, schema.apply(getRawPredictionCol()).metadata());
    out =
        out.withColumn(
            getProbabilityCol(),
            functions.udf(probability, new VectorUDT()).apply(col(getRawPredictionCol())),
            schema.apply(getProbabilityCol()).metadata());
    return out.withColumn(
        getPredictionCol(),
        functions.udf(prediction, DataTypes.DoubleType).asNonNullable().apply(col(getProbabilityCol())));
  }

  @Override
  public LeakyMLPClassificationModel copy(ParamMap extra) {
    LeakyMLPClassificationModel copy =
        new LeakyMLPClassificationModel(uid, network, weights);
    copyValues(copy, extra);
    copy.summary = summary;
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  /** The reader {@code PipelineModel.load} finds by reflection. */
  public static MLReader<LeakyMLPClassificationModel> read() {
    return new Reader();
  }

  public static LeakyMLPClassificationModel load(String path) {
    return read().load(path);
  }

  /** Metadata (class, uid, params) as JSON, then one Parquet row of format version, layers, alpha and weights. */
  private static final class Writer extends MLWriter {
    private final LeakyMLPClassificationModel model;

    Writer(LeakyMLPClassificationModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(
          model, path, sparkSession().sparkContext(), Option.empty(), Option.empty());
      StructType schema =
          new StructType()
              .add("formatVersion", DataTypes.IntegerType, false)
              .add("layers", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
              .add("alpha", DataTypes.DoubleType, false)
              .add("weights", new VectorUDT(), false);
      Row row =
          RowFactory.create(
              FORMAT_VERSION,
              Arrays.stream(model.network.layers()).boxed().toArray(Integer[]::new),
              model.network.alpha(),
              Vectors.dense(model.weights));
      sparkSession()
          .createDataFrame(List.of(row), schema)
          .repartition(1)
          .write()
          .parquet(new Path(path, "data").toString());
    }
  }

  private static final class Reader extends MLReader<LeakyMLPClassificationModel> {
    @Override
    public LeakyMLPClassificationModel load(String path) {
      String className = LeakyMLPClassificationModel.class.getName();
      DefaultParamsReader.Metadata metadata = Persistence.metadata(path, sparkSession().sparkContext(), className);
      String dataPath = new Path(path, "data").toString();
      List<Row> rows;
      try {
        rows = sparkSession().read().parquet(dataPath).collectAsList();
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "Cannot read the weights of " + className + " at " + dataPath + ": " + e.getMessage(), e);
      }
      if (rows.size() != 1) {
        throw new IllegalStateException(
            "Model data at " + dataPath + " must hold one row but holds " + rows.size());
      }
      Row row = rows.get(0);
      int version = row.getInt(row.fieldIndex("formatVersion"));
      if (version > FORMAT_VERSION) {
        throw new IllegalStateException(
            "Model at " + path + " was saved in format " + version + " by a newer leaky-spark; this"
                + " version reads format " + FORMAT_VERSION + " and older");
      }
      int[] layers = row.<Integer>getList(row.fieldIndex("layers")).stream().mapToInt(Integer::intValue).toArray();
      double alpha = row.getDouble(row.fieldIndex("alpha"));
      double[] weights = ((Vector) row.get(row.fieldIndex("weights"))).toArray();
      LeakyMLPClassificationModel model =
          new LeakyMLPClassificationModel(metadata.uid(), layers, alpha, weights);
      metadata.getAndSetParams(model, Option.empty());
      return model;
    }
  }
}
