package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Network;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * What the two MLP models are besides their MLlib base class: the network and its weights, the
 * scoring of one row or of a dataset in blocks, saving and loading, and the training summary of
 * the fit that made the model. A model holds one and answers through it, so the classifier's and
 * the regressor's models differ only in the columns they add.
 *
 * <pre>{@code
 * MLPModelCore<LeakyMLPTrainingSummary> core =
 *     new MLPModelCore<>("LeakyMLPClassificationModel", new Network(new int[] {4, 8, 3}, 0.01), weights);
 * double[] logits = core.scoreRow(Vectors.dense(0.1, 0.2, 0.3, 0.4), "features");
 * }</pre>
 *
 * @param <S> the model's training summary
 */
public final class MLPModelCore<S> {

  private final String model;
  private final Network network;
  private final double[] weights;
  private Option<S> summary = Option.empty();

  /** The core of model class {@code model} (its simple name, as errors give it) of {@code network}'s {@code weights}. */
  public MLPModelCore(String model, Network network, double[] weights) {
    if (weights.length != network.numWeights()) {
      throw new IllegalArgumentException("layers " + Arrays.toString(network.layers()) + " need "
          + network.numWeights() + " weights but got " + weights.length);
    }
    this.model = model;
    this.network = network;
    this.weights = weights.clone();
  }

  /** For a model's {@code copy}: the same network and weights, and the same summary in a holder of its own. */
  public MLPModelCore<S> copy() {
    MLPModelCore<S> copy = new MLPModelCore<>(model, network, weights);
    copy.summary = summary;
    return copy;
  }

  public Network network() {
    return network;
  }

  /** All weights, in {@link Network}'s flat layout (the one {@code initialWeights} takes), as a new vector. */
  public Vector weights() {
    return Vectors.dense(weights.clone());
  }

  /** The network's outputs for one feature vector from {@code column}; a vector of another size fails naming both sizes. */
  public double[] scoreRow(Vector features, String column) {
    return BlockScoring.scoreRow(network, weights, features, model, column);
  }

  /** {@code dataset} with the {@code appended} columns that {@code outputs} computes from each row's outputs ({@link BlockScoring}). */
  public Dataset<Row> transform(Dataset<?> dataset, StructType appended, String featuresCol,
      BlockScoring.Outputs outputs) {
    return BlockScoring.transform(dataset, appended, featuresCol, model, network, weights, outputs);
  }

  /** The writer of {@code stage}, the model this is the core of: MLlib's metadata, then {@link MLPModelData}. */
  public MLWriter writer(Params stage) {
    return MLPModelData.writer(stage, network, weights);
  }

  /** The reader of saved models of class {@code type}, made by {@code make} from the saved uid, layers, alpha and weights. */
  public static <M extends Params> MLReader<M> reader(Class<M> type, Maker<M> make) {
    BiFunction<String, MLPModelData, M> fromData =
        (uid, data) -> make.make(uid, data.layers(), data.alpha(), data.weights());
    return MLPModelData.reader(type, fromData);
  }

  /** A model's {@code (uid, layers, alpha, weights)} constructor. */
  @FunctionalInterface
  public interface Maker<M> {
    M make(String uid, int[] layers, double alpha, double[] weights);
  }

  /** MLlib's summary holder, as {@code HasTrainingSummary.trainingSummary} returns it. */
  public Option<S> summaryHolder() {
    return summary;
  }

  /** What {@code HasTrainingSummary}'s setter sets. */
  public void setSummaryHolder(Option<S> value) {
    summary = value;
  }

  /** The summary of the fit that made the model {@code uid}; a loaded model, or a copy of one, has none. */
  public S summary(String uid) {
    if (summary.isEmpty()) {
      throw new IllegalStateException(
          "No training summary for " + uid + ": summaries exist only on models fitted in this session");
    }
    return summary.get();
  }

  /** The fit {@link FitResult#writeSummary} kept at {@code path}, with this model's weights. */
  public FitResult loadSummary(String path, String uid) {
    return FitResult.readSummary(path, uid, weights);
  }
}
