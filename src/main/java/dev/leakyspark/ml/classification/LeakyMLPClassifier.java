package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.util.PendingUid;
import dev.leakyspark.ml.util.Persistence;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    implements LeakyMLPParams, MLWritable {

  private static final Logger LOG = LoggerFactory.getLogger(LeakyMLPClassifier.class);
  /** Default of {@code localSteps}. */
  public static final int DEFAULT_LOCAL_STEPS = 64;
  /** Default of {@code blockMomentum}. */
  public static final double DEFAULT_BLOCK_MOMENTUM = 0.0;
  /** The {@code solver} for L-BFGS on the exact full-batch gradient. */
  public static final String LBFGS = "l-bfgs";
  /** The {@code solver} for mini-batch Adam in rounds of local steps, averaged across partitions. */
  public static final String ADAM = "adam";
  /** The {@code stepSizeSchedule} that keeps {@code stepSize} throughout. */
  public static final String CONSTANT = "constant";
  /** The {@code stepSizeSchedule} that decays {@code stepSize} along half a cosine, to 0 at {@code maxIter}. */
  public static final String COSINE = "cosine";
  /** The {@code numPartitions} default: one training partition per {@link #ROWS_PER_PARTITION} rows. */
  public static final int FROM_THE_DATA = 0;
  /**
   * Rows each training partition gets when {@code numPartitions} is {@link #FROM_THE_DATA}: the
   * fewest for which Adam, at 10 epochs on a validation split of Fashion-MNIST, stayed within
   * 0.003 accuracy of 2 partitions (docs/scale-out.md).
   */
  public static final int ROWS_PER_PARTITION = 25_000;
  /** The {@code checkpointInterval} that turns checkpoints off, as in MLlib. */
  public static final int NO_CHECKPOINTS = -1;

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
    params.setDefaults(this);
  }

  @Override
  public String uid() {
    return uid != null ? uid : PendingUid.current();
  }

  @Override
  public MLPParams mlpParams() {
    return params;
  }

  public LeakyMLPClassifier setLayers(int[] value) { return (LeakyMLPClassifier) set(params.layers, value); }
  public LeakyMLPClassifier setAlpha(double value) { return (LeakyMLPClassifier) set(params.alpha, value); }
  public LeakyMLPClassifier setSolver(String value) { return (LeakyMLPClassifier) set(params.solver, value); }
  public LeakyMLPClassifier setMaxIter(int value) { return (LeakyMLPClassifier) set(params.maxIter, value); }
  public LeakyMLPClassifier setTol(double value) { return (LeakyMLPClassifier) set(params.tol, value); }
  public LeakyMLPClassifier setStepSize(double value) { return (LeakyMLPClassifier) set(params.stepSize, value); }
  public LeakyMLPClassifier setStepSizeSchedule(String value) { return (LeakyMLPClassifier) set(params.stepSizeSchedule, value); }
  public LeakyMLPClassifier setBlockSize(int value) { return (LeakyMLPClassifier) set(params.blockSize, value); }
  public LeakyMLPClassifier setSeed(long value) { return (LeakyMLPClassifier) set(params.seed, value); }
  public LeakyMLPClassifier setRegParam(double value) { return (LeakyMLPClassifier) set(params.regParam, value); }
  public LeakyMLPClassifier setInitialWeights(Vector value) { return (LeakyMLPClassifier) set(params.initialWeights, value); }
  public LeakyMLPClassifier setCheckpointDir(String value) { return (LeakyMLPClassifier) set(params.checkpointDir, value); }
  public LeakyMLPClassifier setCheckpointInterval(int value) { return (LeakyMLPClassifier) set(params.checkpointInterval, value); }
  public LeakyMLPClassifier setNumPartitions(int value) { return (LeakyMLPClassifier) set(params.numPartitions, value); }
  public LeakyMLPClassifier setLocalSteps(int value) { return (LeakyMLPClassifier) set(params.localSteps, value); }
  public LeakyMLPClassifier setBlockMomentum(double value) { return (LeakyMLPClassifier) set(params.blockMomentum, value); }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(layers())) {
      throw new IllegalArgumentException(
          "LeakyMLPClassifier " + uid + ": layers is not set; e.g. setLayers(new int[] {784, 128, 10})");
    }
    checkLabel(schema, getLabelCol());
    int classes = getLayers()[getLayers().length - 1];
    if (isDefined(thresholds()) && getThresholds().length != classes) {
      throw new IllegalArgumentException("LeakyMLPClassifier " + uid + ": thresholds has " + getThresholds().length
          + " entries but layers " + Arrays.toString(getLayers()) + " end in " + classes + " classes");
    }
    long need = Network.numWeights(getLayers());
    if (isDefined(initialWeights()) && getInitialWeights().size() != need) {
      throw new IllegalArgumentException("initialWeights has " + getInitialWeights().size() + " entries but layers "
          + Arrays.toString(getLayers()) + " need " + need);
    }
    Schemas.input(schema, getFeaturesCol(), Schemas::isVector, "vector");
    return super.transformSchema(schema);
  }

  /** Refuses a missing or non-numeric label column; the model's {@code evaluate} checks the same. */
  static void checkLabel(StructType schema, String column) {
    Schemas.input(schema, column, type -> type instanceof NumericType, "numeric (class indices)");
  }

  /** The fit; MLlib's {@code fit} checks the schema first, casts the label to double and copies the params to the model. */
  @Override
  public LeakyMLPClassificationModel train(Dataset<?> dataset) {
    Network net = new Network(getLayers(), getAlpha());
    SparkSession spark = dataset.sparkSession();
    Dataset<Row> keyed = TrainingBlocks.keyed(dataset, getFeaturesCol(), getLabelCol());
    boolean checkpoints = isDefined(checkpointDir()) && getCheckpointInterval() != NO_CHECKPOINTS;
    TrainingBlocks.Content content = checkpoints ? TrainingBlocks.content(keyed) : null;
    int partitions = trainingPartitions(content != null ? content.rows() : -1, keyed);
    TrainingBlocks data =
        TrainingBlocks.of(keyed, getFeaturesCol(), getLabelCol(), net, getBlockSize(), partitions);
    try {
      LOG.info("LeakyMLPClassifier {}: {} rows in {} partitions, blocks of {}, layers {}, alpha {}, solver {}, L2 {}",
          uid, data.rows, data.numPartitions(), getBlockSize(), Arrays.toString(net.layers()), net.alpha(), getSolver(),
          getRegParam());
      long perPartition = data.rows / partitions;
      if (perPartition < ROWS_PER_PARTITION && partitions > 1) {
        LOG.warn("LeakyMLPClassifier {}: numPartitions {} leaves {} rows per partition, fewer than {}. An adam epoch"
            + " is then about {} steps deep, which costs accuracy: on Fashion-MNIST at 10 epochs, 64 partitions"
            + " reached 0.82 against 0.89 on 2. Leave numPartitions unset to choose it from the data.", uid,
            partitions, perPartition, ROWS_PER_PARTITION, Math.max(1, perPartition / getBlockSize()));
      }
      FitCheckpoints saved = checkpoints
          ? FitCheckpoints.of(spark, getCheckpointDir(), getCheckpointInterval(), fingerprint(partitions, content))
          : FitCheckpoints.none();
      TrainingCheckpoint resumed = saved.resumable();
      double[] start = resumed != null ? resumed.weights()
          : isDefined(initialWeights()) ? getInitialWeights().toArray() : net.initialWeights(getSeed());
      Training result =
          getSolver().equals(ADAM)
              ? AdamTrainer.train(this, spark, net, data, start, resumed, saved)
              : LbfgsTrainer.train(this, spark, net, data, start, resumed, saved);
      saved.finish();
      // the params first, so that the summary's predictions use this fit's columns
      return copyValues(new LeakyMLPClassificationModel(uid, net, result.weights()), extractParamMap())
          .withSummary(dataset, result.history(), result.iterations(), partitions);
    } finally {
      data.unpersist();
    }
  }

  /**
   * The partitions to train on: {@code numPartitions} when set, else one per
   * {@link #ROWS_PER_PARTITION} rows (counted unless {@code rows} is already known), at least one.
   * Logs the choice.
   */
  private int trainingPartitions(long rows, Dataset<Row> keyed) {
    if (getNumPartitions() != FROM_THE_DATA) {
      return getNumPartitions();
    }
    long count = rows >= 0 ? rows : keyed.count();
    int chosen = (int) Math.max(1, Math.min(Integer.MAX_VALUE, count / ROWS_PER_PARTITION));
    LOG.info("LeakyMLPClassifier {}: numPartitions unset, so {} for {} rows: one partition per {} rows, whatever"
        + " the cluster", uid, chosen, count, ROWS_PER_PARTITION);
    return chosen;
  }

  /** Every param that changes the fitted weights, the training partitions and the data's content. */
  private Map<String, String> fingerprint(int partitions, TrainingBlocks.Content content) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("solver", getSolver());
    f.put("layers", Arrays.toString(getLayers()));
    f.put("alpha", Double.toString(getAlpha()));
    f.put("maxIter", Integer.toString(getMaxIter()));
    f.put("tol", Double.toString(getTol()));
    f.put("stepSize", Double.toString(getStepSize()));
    f.put("stepSizeSchedule", getStepSizeSchedule());
    f.put("blockSize", Integer.toString(getBlockSize()));
    f.put("seed", Long.toString(getSeed()));
    f.put("regParam", Double.toString(getRegParam()));
    f.put("initialWeights", isDefined(initialWeights())
        ? "hash " + Arrays.hashCode(getInitialWeights().toArray()) : "unset");
    f.put("numPartitions", Integer.toString(partitions));
    f.put("localSteps", Integer.toString(getLocalSteps()));
    f.put("blockMomentum", Double.toString(getBlockMomentum()));
    f.put("data rows", Long.toString(content.rows()));
    f.put("data hash", content.hash());
    return f;
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
