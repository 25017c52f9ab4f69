package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.util.Persistence;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
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
import scala.Function1;

/**
 * A multilayer perceptron classifier with Leaky ReLU hidden layers and a softmax output, trained
 * across the cluster. Rows are spread over {@code numPartitions} partitions by a hash of their
 * values, stacked into blocks of {@code blockSize} and cached, so the fit does not depend on how
 * the input is split or ordered.
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
public class LeakyMLPClassifier extends Estimator<LeakyMLPClassificationModel>
    implements MLWritable {

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
  private final IntArrayParam layers;
  private final DoubleParam alpha;
  private final Param<String> solver;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final DoubleParam stepSize;
  private final IntParam blockSize;
  private final LongParam seed;
  private final DoubleParam regParam;
  private final Param<Vector> initialWeights;
  private final Param<String> checkpointDir;
  private final IntParam checkpointInterval;
  private final IntParam numPartitions;
  private final IntParam localSteps;
  private final DoubleParam blockMomentum;
  private final Param<String> stepSizeSchedule;
  private final MLPColumns columns;
  private final Param<String> labelCol;

  public LeakyMLPClassifier() {
    this(Identifiable$.MODULE$.randomUID("leakyMLP"));
  }

  public LeakyMLPClassifier(String uid) {
    this.uid = uid;
    Function1<int[], Object> validLayers =
        sizes -> sizes.length >= 2 && Arrays.stream(sizes).allMatch(n -> n >= 1);
    layers =
        new IntArrayParam(this, "layers",
            "layer sizes from input to output, at least 2 entries, all >= 1; the last is the number of classes",
            validLayers);
    alpha =
        new DoubleParam(this, "alpha", "Leaky ReLU slope of the hidden layers (finite)",
            ParamValidators.inRange(-Double.MAX_VALUE, Double.MAX_VALUE));
    solver =
        new Param<>(this, "solver", "optimiser: l-bfgs or adam",
            ParamValidators.inArray(new String[] {LBFGS, ADAM}));
    maxIter =
        new IntParam(this, "maxIter", "maximum iterations (l-bfgs) or epochs (adam), >= 0",
            ParamValidators.gtEq(0));
    tol =
        new DoubleParam(this, "tol",
            "stop when the objective improves by at most this relative amount in one iteration (>= 0)",
            ParamValidators.gtEq(0));
    stepSize =
        new DoubleParam(this, "stepSize", "Adam learning rate (> 0); l-bfgs chooses its own steps",
            ParamValidators.inRange(0, Double.MAX_VALUE, false, true));
    blockSize =
        new IntParam(this, "blockSize", "rows stacked into one matrix (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(this, "seed", "random seed for initial weights and Adam's block order");
    regParam =
        new DoubleParam(this, "regParam", "L2 regularisation of the weight matrices (>= 0)",
            ParamValidators.inRange(0, Double.MAX_VALUE));
    Function1<Vector, Object> finite =
        v -> Arrays.stream(v.toArray()).allMatch(Double::isFinite);
    initialWeights =
        new Param<>(this, "initialWeights",
            "starting weights in the model's layout; unset means He initialisation from seed",
            finite);
    checkpointDir =
        new Param<>(this, "checkpointDir",
            "folder for checkpoints of the weights and optimiser state, one subfolder per fit, from which"
                + " only a fit with the same params and data resumes; unset means no checkpoints",
            (Function1<String, Object>) dir -> !dir.isEmpty());
    checkpointInterval =
        new IntParam(this, "checkpointInterval",
            "iterations (l-bfgs) or epochs (adam) between checkpoints (>= 1), or -1 for no checkpoints",
            (Function1<Object, Object>) v -> (Integer) v == NO_CHECKPOINTS || (Integer) v >= 1);
    numPartitions =
        new IntParam(this, "numPartitions",
            "partitions the training blocks are spread over, by a hash of each row (>= 1); 0 (the"
                + " default) chooses them from the data: one per " + ROWS_PER_PARTITION + " rows, whatever the cluster",
            ParamValidators.gtEq(0));
    localSteps =
        new IntParam(this, "localSteps",
            "adam: mini-batch steps each partition takes between two averagings of the model (>= 1)",
            ParamValidators.gtEq(1));
    blockMomentum =
        new DoubleParam(this, "blockMomentum",
            "adam: momentum on the averaged update of each round (BMUF), in [0, 1); 0 is plain model averaging",
            ParamValidators.inRange(0, 1, true, false));
    stepSizeSchedule =
        new Param<>(this, "stepSizeSchedule",
            "adam: constant keeps stepSize; cosine decays it from stepSize towards 0 over maxIter epochs",
            ParamValidators.inArray(new String[] {CONSTANT, COSINE}));
    columns = new MLPColumns(this);
    labelCol = MLPColumns.column(this, "labelCol", "label column name: class indices 0, 1, ...");
    setDefault(alpha, LeakyRelu.DEFAULT_ALPHA);
    setDefault(solver, LBFGS);
    setDefault(maxIter, 100);
    setDefault(tol, 1e-6);
    setDefault(stepSize, 0.001);
    setDefault(blockSize, 128);
    setDefault(seed, (long) getClass().getName().hashCode());
    setDefault(regParam, 0.0);
    setDefault(checkpointInterval, 10);
    setDefault(numPartitions, FROM_THE_DATA);
    setDefault(localSteps, DEFAULT_LOCAL_STEPS);
    setDefault(blockMomentum, DEFAULT_BLOCK_MOMENTUM);
    setDefault(stepSizeSchedule, COSINE);
    columns.defaults().forEach(this::setDefault);
    setDefault(labelCol, "label");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Layer sizes (no default: must be set). */
  public IntArrayParam layers() { return layers; }
  /** Leaky ReLU slope (default 0.01). */
  public DoubleParam alpha() { return alpha; }
  /** {@code l-bfgs} (default) or {@code adam}. */
  public Param<String> solver() { return solver; }
  /** Iterations or epochs (default 100). */
  public IntParam maxIter() { return maxIter; }
  /** Convergence tolerance (default 1e-6). */
  public DoubleParam tol() { return tol; }
  /** Adam learning rate (default 0.001). */
  public DoubleParam stepSize() { return stepSize; }
  /** How the Adam learning rate changes over the epochs: {@code cosine} (default) or {@code constant}. */
  public Param<String> stepSizeSchedule() { return stepSizeSchedule; }
  /** Rows per block (default 128). */
  public IntParam blockSize() { return blockSize; }
  /** Random seed. */
  public LongParam seed() { return seed; }
  /** L2 regularisation (default 0). */
  public DoubleParam regParam() { return regParam; }
  /** Starting weights (unset: He initialisation from the seed). */
  public Param<Vector> initialWeights() { return initialWeights; }
  /** Checkpoint folder (unset: no checkpoints). */
  public Param<String> checkpointDir() { return checkpointDir; }
  /** Iterations or epochs between checkpoints (default 10; {@value #NO_CHECKPOINTS} for none). */
  public IntParam checkpointInterval() { return checkpointInterval; }
  /** Training partitions (default {@value #FROM_THE_DATA}: one per {@value #ROWS_PER_PARTITION} rows). */
  public IntParam numPartitions() { return numPartitions; }
  /** Adam steps per partition between averagings (default {@value #DEFAULT_LOCAL_STEPS}). */
  public IntParam localSteps() { return localSteps; }
  /** Block momentum of the averaged update (default {@value #DEFAULT_BLOCK_MOMENTUM}). */
  public DoubleParam blockMomentum() { return blockMomentum; }
  public Param<String> featuresCol() { return columns.featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> predictionCol() { return columns.predictionCol; }
  public Param<String> rawPredictionCol() { return columns.rawPredictionCol; }
  public Param<String> probabilityCol() { return columns.probabilityCol; }

  public int[] getLayers() { return $(layers); }
  public double getAlpha() { return (Double) $(alpha); }
  public String getSolver() { return $(solver); }
  public int getMaxIter() { return (Integer) $(maxIter); }
  public double getTol() { return (Double) $(tol); }
  public double getStepSize() { return (Double) $(stepSize); }
  public String getStepSizeSchedule() { return $(stepSizeSchedule); }
  public int getBlockSize() { return (Integer) $(blockSize); }
  public long getSeed() { return (Long) $(seed); }
  public double getRegParam() { return (Double) $(regParam); }
  public Vector getInitialWeights() { return $(initialWeights); }
  public String getCheckpointDir() { return $(checkpointDir); }
  public int getCheckpointInterval() { return (Integer) $(checkpointInterval); }
  /** The training partitions, or {@value #FROM_THE_DATA} (the default) for one per {@value #ROWS_PER_PARTITION} rows. */
  public int getNumPartitions() { return (Integer) $(numPartitions); }
  public int getLocalSteps() { return (Integer) $(localSteps); }
  public double getBlockMomentum() { return (Double) $(blockMomentum); }
  public String getFeaturesCol() { return $(columns.featuresCol); }
  public String getLabelCol() { return $(labelCol); }
  public String getPredictionCol() { return $(columns.predictionCol); }
  public String getRawPredictionCol() { return $(columns.rawPredictionCol); }
  public String getProbabilityCol() { return $(columns.probabilityCol); }

  public LeakyMLPClassifier setLayers(int[] value) { return (LeakyMLPClassifier) set(layers, value); }
  public LeakyMLPClassifier setAlpha(double value) { return (LeakyMLPClassifier) set(alpha, value); }
  public LeakyMLPClassifier setSolver(String value) { return (LeakyMLPClassifier) set(solver, value); }
  public LeakyMLPClassifier setMaxIter(int value) { return (LeakyMLPClassifier) set(maxIter, value); }
  public LeakyMLPClassifier setTol(double value) { return (LeakyMLPClassifier) set(tol, value); }
  public LeakyMLPClassifier setStepSize(double value) { return (LeakyMLPClassifier) set(stepSize, value); }
  public LeakyMLPClassifier setStepSizeSchedule(String value) { return (LeakyMLPClassifier) set(stepSizeSchedule, value); }
  public LeakyMLPClassifier setBlockSize(int value) { return (LeakyMLPClassifier) set(blockSize, value); }
  public LeakyMLPClassifier setSeed(long value) { return (LeakyMLPClassifier) set(seed, value); }
  public LeakyMLPClassifier setRegParam(double value) { return (LeakyMLPClassifier) set(regParam, value); }
  public LeakyMLPClassifier setInitialWeights(Vector value) { return (LeakyMLPClassifier) set(initialWeights, value); }
  public LeakyMLPClassifier setCheckpointDir(String value) { return (LeakyMLPClassifier) set(checkpointDir, value); }
  public LeakyMLPClassifier setCheckpointInterval(int value) { return (LeakyMLPClassifier) set(checkpointInterval, value); }
  public LeakyMLPClassifier setNumPartitions(int value) { return (LeakyMLPClassifier) set(numPartitions, value); }
  public LeakyMLPClassifier setLocalSteps(int value) { return (LeakyMLPClassifier) set(localSteps, value); }
  public LeakyMLPClassifier setBlockMomentum(double value) { return (LeakyMLPClassifier) set(blockMomentum, value); }
  public LeakyMLPClassifier setFeaturesCol(String value) { return (LeakyMLPClassifier) set(columns.featuresCol, value); }
  public LeakyMLPClassifier setLabelCol(String value) { return (LeakyMLPClassifier) set(labelCol, value); }
  public LeakyMLPClassifier setPredictionCol(String value) { return (LeakyMLPClassifier) set(columns.predictionCol, value); }
  public LeakyMLPClassifier setRawPredictionCol(String value) { return (LeakyMLPClassifier) set(columns.rawPredictionCol, value); }
  public LeakyMLPClassifier setProbabilityCol(String value) { return (LeakyMLPClassifier) set(columns.probabilityCol, value); }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(layers)) {
      throw new IllegalArgumentException(
          "LeakyMLPClassifier " + uid + ": layers is not set; e.g. setLayers(new int[] {784, 128, 10})");
    }
    Schemas.input(schema, getLabelCol(), type -> type instanceof NumericType, "numeric (class indices)");
    long need = Network.numWeights(getLayers());
    if (isDefined(initialWeights) && getInitialWeights().size() != need) {
      throw new IllegalArgumentException("initialWeights has " + getInitialWeights().size() + " entries but layers "
          + Arrays.toString(getLayers()) + " need " + need);
    }
    return columns.outputSchema(this, schema, getLayers()[getLayers().length - 1]);
  }

  @Override
  public LeakyMLPClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Network net = new Network(getLayers(), getAlpha());
    SparkSession spark = dataset.sparkSession();
    Dataset<Row> keyed = TrainingBlocks.keyed(dataset, getFeaturesCol(), getLabelCol());
    boolean checkpoints = isDefined(checkpointDir) && getCheckpointInterval() != NO_CHECKPOINTS;
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
          : isDefined(initialWeights) ? getInitialWeights().toArray() : net.initialWeights(getSeed());
      Training result =
          getSolver().equals(ADAM)
              ? AdamTrainer.train(this, spark, net, data, start, resumed, saved)
              : LbfgsTrainer.train(this, spark, net, data, start, resumed, saved);
      saved.finish();
      LeakyMLPClassificationModel model = new LeakyMLPClassificationModel(uid, net, result.weights());
      copyValues(model, ParamMap.empty());
      return model.setSummary(new LeakyMLPTrainingSummary(result.history(), result.iterations(), partitions))
          .setParent(this);
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
    f.put("initialWeights", isDefined(initialWeights)
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
