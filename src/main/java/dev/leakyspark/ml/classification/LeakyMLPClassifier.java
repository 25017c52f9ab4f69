package dev.leakyspark.ml.classification;

import static org.apache.spark.sql.functions.col;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.nn.Adam;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Lbfgs;
import dev.leakyspark.nn.Network;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Function1;
import scala.reflect.ClassTag$;

/**
 * A multilayer perceptron classifier with Leaky ReLU hidden layers and a softmax output, trained
 * across the cluster. Rows are stacked into blocks of {@code blockSize} and cached; each step
 * broadcasts the weights and sums the loss and gradient over all blocks.
 *
 * <p>Solvers: {@code l-bfgs} (default; one pass over the data per function evaluation) and
 * {@code adam} (each epoch, every partition runs mini-batch Adam over its own blocks from the
 * broadcast weights, and the driver averages the resulting weights and moments by row count:
 * one Spark job per epoch).
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
  static final String LBFGS = "l-bfgs";
  static final String ADAM = "adam";
  private static final int LBFGS_MEMORY = 10;
  private static final int PARTIAL_SUMS = 16;

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
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> rawPredictionCol;
  private final Param<String> probabilityCol;

  public LeakyMLPClassifier() {
    this(Identifiable$.MODULE$.randomUID("leakyMLP"));
  }

  public LeakyMLPClassifier(String uid) {
    this.uid = uid;
    // Empty is the unset default, which fit() reports.
    Function1<int[], Object> validLayers =
        sizes -> sizes.length == 0 || sizes.length >= 2 && Arrays.stream(sizes).allMatch(n -> n >= 1);
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
            "starting weights in the model's layout; empty means He initialisation from seed",
            finite);
    checkpointDir =
        new Param<>(this, "checkpointDir",
            "folder for checkpoints of the weights and optimiser state, from which a later fit with the"
                + " same layers, alpha and solver resumes; empty disables them",
            (Function1<String, Object>) dir -> true);
    checkpointInterval =
        new IntParam(this, "checkpointInterval", "iterations (l-bfgs) or epochs (adam) between checkpoints (>= 1)",
            ParamValidators.gtEq(1));
    featuresCol = columnParam(this, "featuresCol", "features column name");
    labelCol = columnParam(this, "labelCol", "label column name: class indices 0, 1, ...");
    predictionCol = columnParam(this, "predictionCol", "prediction column name");
    rawPredictionCol = columnParam(this, "rawPredictionCol", "output scores column name");
    probabilityCol = columnParam(this, "probabilityCol", "class probabilities column name");
    setDefault(layers, new int[0]);
    setDefault(alpha, LeakyRelu.DEFAULT_ALPHA);
    setDefault(solver, LBFGS);
    setDefault(maxIter, 100);
    setDefault(tol, 1e-6);
    setDefault(stepSize, 0.001);
    setDefault(blockSize, 128);
    setDefault(seed, (long) getClass().getName().hashCode());
    setDefault(regParam, 0.0);
    setDefault(initialWeights, Vectors.dense(new double[0]));
    setDefault(checkpointDir, "");
    setDefault(checkpointInterval, 10);
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(probabilityCol, "probability");
  }

  static Param<String> columnParam(Params parent, String name, String doc) {
    Function1<String, Object> nonEmpty = s -> !s.isEmpty();
    return new Param<>(parent, name, doc, nonEmpty);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Layer sizes (default empty: must be set). */
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
  /** Rows per block (default 128). */
  public IntParam blockSize() { return blockSize; }
  /** Random seed. */
  public LongParam seed() { return seed; }
  /** L2 regularisation (default 0). */
  public DoubleParam regParam() { return regParam; }
  /** Starting weights (default empty: He initialisation). */
  public Param<Vector> initialWeights() { return initialWeights; }
  /** Checkpoint folder (default empty: no checkpoints). */
  public Param<String> checkpointDir() { return checkpointDir; }
  /** Iterations or epochs between checkpoints (default 10). */
  public IntParam checkpointInterval() { return checkpointInterval; }
  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> rawPredictionCol() { return rawPredictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }

  public int[] getLayers() { return $(layers); }
  public double getAlpha() { return (Double) $(alpha); }
  public String getSolver() { return $(solver); }
  public int getMaxIter() { return (Integer) $(maxIter); }
  public double getTol() { return (Double) $(tol); }
  public double getStepSize() { return (Double) $(stepSize); }
  public int getBlockSize() { return (Integer) $(blockSize); }
  public long getSeed() { return (Long) $(seed); }
  public double getRegParam() { return (Double) $(regParam); }
  public Vector getInitialWeights() { return $(initialWeights); }
  public String getCheckpointDir() { return $(checkpointDir); }
  public int getCheckpointInterval() { return (Integer) $(checkpointInterval); }
  public String getFeaturesCol() { return $(featuresCol); }
  public String getLabelCol() { return $(labelCol); }
  public String getPredictionCol() { return $(predictionCol); }
  public String getRawPredictionCol() { return $(rawPredictionCol); }
  public String getProbabilityCol() { return $(probabilityCol); }

  public LeakyMLPClassifier setLayers(int[] value) { return (LeakyMLPClassifier) set(layers, value); }
  public LeakyMLPClassifier setAlpha(double value) { return (LeakyMLPClassifier) set(alpha, value); }
  public LeakyMLPClassifier setSolver(String value) { return (LeakyMLPClassifier) set(solver, value); }
  public LeakyMLPClassifier setMaxIter(int value) { return (LeakyMLPClassifier) set(maxIter, value); }
  public LeakyMLPClassifier setTol(double value) { return (LeakyMLPClassifier) set(tol, value); }
  public LeakyMLPClassifier setStepSize(double value) { return (LeakyMLPClassifier) set(stepSize, value); }
  public LeakyMLPClassifier setBlockSize(int value) { return (LeakyMLPClassifier) set(blockSize, value); }
  public LeakyMLPClassifier setSeed(long value) { return (LeakyMLPClassifier) set(seed, value); }
  public LeakyMLPClassifier setRegParam(double value) { return (LeakyMLPClassifier) set(regParam, value); }
  public LeakyMLPClassifier setInitialWeights(Vector value) { return (LeakyMLPClassifier) set(initialWeights, value); }
  public LeakyMLPClassifier setCheckpointDir(String value) { return (LeakyMLPClassifier) set(checkpointDir, value); }
  public LeakyMLPClassifier setCheckpointInterval(int value) { return (LeakyMLPClassifier) set(checkpointInterval, value); }
  public LeakyMLPClassifier setFeaturesCol(String value) { return (LeakyMLPClassifier) set(featuresCol, value); }
  public LeakyMLPClassifier setLabelCol(String value) { return (LeakyMLPClassifier) set(labelCol, value); }
  public LeakyMLPClassifier setPredictionCol(String value) { return (LeakyMLPClassifier) set(predictionCol, value); }
  public LeakyMLPClassifier setRawPredictionCol(String value) { return (LeakyMLPClassifier) set(rawPredictionCol, value); }
  public LeakyMLPClassifier setProbabilityCol(String value) { return (LeakyMLPClassifier) set(probabilityCol, value); }

  static void checkVectorColumn(StructType schema, String name) {
    DataType type = columnType(schema, name);
    if (!(type instanceof VectorUDT)) {
      throw new IllegalArgumentException(
          "Column " + name + " must be of type vector but got " + type.catalogString());
    }
  }

  private static DataType columnType(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(
          "Input column " + name + " does not exist. Available: " + String.join(", ", schema.fieldNames()));
    }
    return schema.apply(name).dataType();
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (getLayers().length == 0) {
      throw new IllegalArgumentException(
          "LeakyMLPClassifier " + uid + ": layers is not set; e.g. setLayers(new int[] {784, 128, 10})");
    }
    checkVectorColumn(schema, getFeaturesCol());
    DataType label = columnType(schema, getLabelCol());
    if (!(label instanceof NumericType)) {
      throw new IllegalArgumentException(
          "Column " + getLabelCol() + " must be numeric (class indices) but got " + label.catalogString());
    }
    Network net = new Network(getLayers(), getAlpha());
    int size = getInitialWeights().size();
    if (size != 0 && size != net.numWeights()) {
      throw new IllegalArgumentException(
          "initialWeights has " + size + " entries but layers " + Arrays.toString(getLayers())
              + " need " + net.numWeights());
    }
    return new LeakyMLPClassificationModel(uid, getLayers(), getAlpha(), new double[net.numWeights()])
        .setFeaturesCol(getFeaturesCol())
        .setPredictionCol(getPredictionCol())
        .setRawPredictionCol(getRawPredictionCol())
        .setProbabilityCol(getProbabilityCol())
        .transformSchema(schema);
  }

  @Override
  public LeakyMLPClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    Network net = new Network(getLayers(), getAlpha());
    int rowsPerBlock = getBlockSize();
    String features = getFeaturesCol();
    String label = getLabelCol();
    JavaRDD<Block> blocks =
        dataset
            .select(col(features), col(label).cast("double"))
            .javaRDD()
            .mapPartitions(rows -> new Stacker(rows, rowsPerBlock, net, features, label))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = validatedCount(blocks);
      if (count == 0) {
        throw new IllegalArgumentException("LeakyMLPClassifier: the training data is empty");
      }
      LOG.info("LeakyMLPClassifier {}: {} rows in {} partitions, blocks of {}, layers {}, solver {}",
          uid, count, blocks.getNumPartitions(), rowsPerBlock, Arrays.toString(net.layers()), getSolver());
      SparkSession spark = dataset.sparkSession();
      TrainingCheckpoint resumed = resumable(spark, net);
      double[] start = resumed != null ? resumed.weights()
          : getInitialWeights().size() == 0 ? net.initialWeights(getSeed()) : getInitialWeights().toArray();
      Training result =
          getSolver().equals(ADAM)
              ? trainAdam(spark, net, blocks, count, start, resumed)
              : trainLbfgs(spark, net, blocks, count, start, resumed);
      LeakyMLPClassificationModel model =
          new LeakyMLPClassificationModel(uid, net.layers(), net.alpha(), result.weights);
      copyValues(model, ParamMap.empty());
      return model.setSummary(new LeakyMLPTrainingSummary(result.history, result.iterations)).setParent(this);
    } finally {
      blocks.unpersist(false);
    }
  }

  private record Training(double[] weights, double[] history, int iterations) {}

  /** The newest checkpoint to resume from, or null; refuses one from a different fit. */
  private TrainingCheckpoint resumable(SparkSession spark, Network net) {
    if (getCheckpointDir().isEmpty()) {
      return null;
    }
    try {
      TrainingCheckpoint latest = TrainingCheckpoint.latest(spark, getCheckpointDir());
      if (latest != null) {
        latest.checkMatches(getCheckpointDir(), getSolver(), net.layers(), net.alpha());
        LOG.info("LeakyMLPClassifier {}: resuming from the checkpoint of iteration {} in {}", uid,
            latest.iteration(), getCheckpointDir());
      }
      return latest;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Writes a checkpoint when checkpoints are on and {@code iteration} is due. */
  private void checkpoint(SparkSession spark, int iteration, double[] weights, Adam adam,
      List<Double> history) {
    if (getCheckpointDir().isEmpty() || iteration % getCheckpointInterval() != 0) {
      return;
    }
    double[] none = new double[0];
    try {
      new TrainingCheckpoint(getSolver(), getLayers(), getAlpha(), iteration, weights.clone(),
          adam == null ? none : adam.firstMoment().clone(), adam == null ? none : adam.secondMoment().clone(),
          adam == null ? 0 : adam.steps(), unboxed(history))
          .write(spark, getCheckpointDir());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot write a checkpoint to " + getCheckpointDir(), e);
    }
  }

  /** Counts rows, surfacing the stacker's validation error instead of Spark's job failure. */
  private static long validatedCount(JavaRDD<Block> blocks) {
    try {
      return blocks.map(Block::size).fold(0, Integer::sum);
    } catch (Exception e) { // a SparkException, thrown undeclared
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof IllegalArgumentException) {
          throw new IllegalArgumentException(cause.getMessage(), e);
        }
      }
      throw e;
    }
  }

  /**
   * L-BFGS from {@code start}. A resumed fit continues the iteration count and the loss history
   * of its checkpoint, but starts a fresh L-BFGS memory there.
   */
  private Training trainLbfgs(SparkSession spark, Network net, JavaRDD<Block> blocks, long count, double[] start,
      TrainingCheckpoint resumed) {
    double reg = getRegParam();
    int[] passes = {0};
    double[] firstLoss = {Double.NaN};
    Lbfgs.Objective objective =
        (w, gradient) -> {
          passes[0]++;
          GradientSum sum = gradientSum(net, blocks, w);
          double scale = 1.0 / count;
          for (int i = 0; i < gradient.length; i++) {
            gradient[i] = sum.gradient[i] * scale;
          }
          net.addWeightDecay(w, reg, gradient);
          double loss = sum.loss * scale + 0.5 * reg * net.squaredWeightNorm(w);
          if (passes[0] == 1) {
            firstLoss[0] = loss;
          }
          return loss;
        };
    int done = resumed == null ? 0 : resumed.iteration();
    List<Double> history = resumed == null ? new ArrayList<>() : boxed(resumed.history());
    long began = System.nanoTime();
    Lbfgs.Result result =
        new Lbfgs(LBFGS_MEMORY, Math.max(0, getMaxIter() - done), getTol())
            .minimize(objective, start, (iteration, loss, w) -> {
              LOG.info("LeakyMLPClassifier l-bfgs iteration {}/{}: loss {} ({} passes over the data, {} s)",
                  done + iteration, getMaxIter(), String.format(Locale.ROOT, "%.6f", loss), passes[0],
                  String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
              if (history.isEmpty()) {
                history.add(firstLoss[0]);
              }
              history.add(loss);
              checkpoint(spark, done + iteration, w, null, history);
            });
    if (history.isEmpty()) {
      history.add(result.lossHistory()[0]);
    }
    return new Training(result.x(), unboxed(history), done + result.iterations());
  }

  /** Summed loss and gradient over every block, added up in a fixed order so runs repeat exactly. */
  private static GradientSum gradientSum(Network net, JavaRDD<Block> blocks, double[] w) {
    Broadcast<double[]> shared =
        blocks.context().broadcast(w, ClassTag$.MODULE$.apply(double[].class));
    try {
      List<GradientSum> partials =
          blocks
              .mapPartitions(it -> {
                GradientSum sum = new GradientSum(net.numWeights());
                double[] weights = shared.value();
                while (it.hasNext()) {
                  sum.loss += net.lossAndGradient(weights, it.next(), sum.gradient);
                }
                return List.of(sum).iterator();
              })
              .coalesce(Math.min(PARTIAL_SUMS, blocks.getNumPartitions()))
              .mapPartitions(it -> List.of(GradientSum.addAll(it, net.numWeights())).iterator())
              .collect();
      return GradientSum.addAll(partials.iterator(), net.numWeights());
    } finally {
      shared.destroy();
    }
  }

  /** A loss and gradient being summed. */
  static final class GradientSum implements Serializable {
    private static final long serialVersionUID = 1L;
    final double[] gradient;
    double loss;

    GradientSum(int size) {
      this.gradient = new double[size];
    }

    static GradientSum addAll(Iterator<GradientSum> parts, int size) {
      GradientSum total = new GradientSum(size);
      while (parts.hasNext()) {
        GradientSum part = parts.next();
        total.loss += part.loss;
        for (int i = 0; i < size; i++) {
          total.gradient[i] += part.gradient[i];
        }
      }
      return total;
    }
  }

  private static List<Double> boxed(double[] values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return list;
  }

  private static double[] unboxed(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Adam from {@code start}, or from a checkpoint's weights, moments, step count and epoch. */
  private Training trainAdam(SparkSession spark, Network net, JavaRDD<Block> blocks, long count, double[] start,
      TrainingCheckpoint resumed) {
    double reg = getRegParam();
    double rate = getStepSize();
    long baseSeed = getSeed();
    int size = net.numWeights();
    double[] w = start.clone();
    Adam state = resumed == null ? new Adam(size, rate)
        : new Adam(rate, resumed.adamM(), resumed.adamV(), resumed.adamSteps());
    List<Double> history = resumed == null ? new ArrayList<>() : boxed(resumed.history());
    int epoch = resumed == null ? 0 : resumed.iteration();
    long began = System.nanoTime();
    while (epoch < getMaxIter()) {
      epoch++;
      Broadcast<Adam> sharedState = blocks.context().broadcast(state, ClassTag$.MODULE$.apply(Adam.class));
      Broadcast<double[]> sharedWeights = blocks.context().broadcast(w, ClassTag$.MODULE$.apply(double[].class));
      int thisEpoch = epoch;
      List<AdamPart> parts =
          blocks
              .mapPartitionsWithIndex((index, it) -> {
                List<Block> local = new ArrayList<>();
                it.forEachRemaining(local::add);
                if (local.isEmpty()) {
                  return Collections.<AdamPart>emptyIterator();
                }
                Collections.shuffle(local, new Random(baseSeed * 31 + thisEpoch * 1_000_003L + index));
                Adam base = sharedState.value();
                Adam adam = new Adam(base.learningRate(), base.firstMoment().clone(),
                    base.secondMoment().clone(), base.steps());
                double[] weights = sharedWeights.value().clone();
                double[] gradient = new double[size];
                AdamPart part = new AdamPart();
                for (Block block : local) {
                  Arrays.fill(gradient, 0);
                  part.loss += net.lossAndGradient(weights, block, gradient);
                  double scale = 1.0 / block.size();
                  for (int i = 0; i < size; i++) {
                    gradient[i] *= scale;
                  }
                  net.addWeightDecay(weights, reg, gradient);
                  adam.step(weights, gradient);
                  part.rows += block.size();
                }
                part.weights = weights;
                part.m = adam.firstMoment();
                part.v = adam.secondMoment();
                part.steps = adam.steps() - base.steps();
                return List.of(part).iterator();
              }, true)
              .collect();
      sharedState.destroy();
      sharedWeights.destroy();
      double[] m = new double[size];
      double[] v = new double[size];
      Arrays.fill(w, 0);
      double loss = 0;
      long steps = 0;
      for (AdamPart part : parts) {
        double share = (double) part.rows / count;
        for (int i = 0; i < size; i++) {
          w[i] += share * part.weights[i];
          m[i] += share * part.m[i];
          v[i] += share * part.v[i];
        }
        loss += part.loss;
        steps = Math.max(steps, part.steps);
      }
      state = new Adam(rate, m, v, state.steps() + steps);
      double objective = loss / count + 0.5 * reg * net.squaredWeightNorm(w);
      history.add(objective);
      LOG.info("LeakyMLPClassifier adam epoch {}/{}: loss {} ({} s)", epoch, getMaxIter(),
          String.format(Locale.ROOT, "%.6f", objective),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
      checkpoint(spark, epoch, w, state, history);
      int n = history.size();
      if (n >= 2 && Math.abs(history.get(n - 2) - objective)
          <= getTol() * Math.max(1.0, Math.max(Math.abs(history.get(n - 2)), Math.abs(objective)))) {
        break;
      }
    }
    return new Training(w, unboxed(history), epoch);
  }

  /** One partition's result of an Adam epoch. */
  static final class AdamPart implements Serializable {
    private static final long serialVersionUID = 1L;
    double[] weights;
    double[] m;
    double[] v;
    long steps;
    long rows;
    double loss;
  }

  /** Stacks validated rows (features, label as double) into blocks. */
  static final class Stacker implements Iterator<Block> {
    private final Iterator<Row> rows;
    private final int blockSize;
    private final int numFeatures;
    private final int numClasses;
    private final String featuresCol;
    private final String labelCol;

    Stacker(Iterator<Row> rows, int blockSize, Network net, String featuresCol, String labelCol) {
      this.rows = rows;
      this.blockSize = blockSize;
      this.numFeatures = net.numInputs();
      this.numClasses = net.numOutputs();
      this.featuresCol = featuresCol;
      this.labelCol = labelCol;
    }

    @Override
    public boolean hasNext() {
      return rows.hasNext();
    }

    @Override
    public Block next() {
      if (!rows.hasNext()) {
        throw new NoSuchElementException();
      }
      double[] x = new double[blockSize * numFeatures];
      int[] y = new int[blockSize];
      int n = 0;
      while (n < blockSize && rows.hasNext()) {
        Row row = rows.next();
        y[n] = label(row);
        copyFeatures(row, x, n * numFeatures);
        n++;
      }
      return n == blockSize
          ? new Block(x, y)
          : new Block(Arrays.copyOf(x, n * numFeatures), Arrays.copyOf(y, n));
    }

    /** Copies the row's features into {@code x} at {@code offset}, refusing nulls, other sizes and non-finite values. */
    private void copyFeatures(Row row, double[] x, int offset) {
      if (row.isNullAt(0)) {
        throw new IllegalArgumentException("LeakyMLPClassifier: column " + featuresCol + " holds a null vector");
      }
      Vector v = (Vector) row.get(0);
      if (v.size() != numFeatures) {
        throw new IllegalArgumentException(
            "LeakyMLPClassifier: column " + featuresCol + " has a vector of size " + v.size()
                + " but layers[0] is " + numFeatures);
      }
      if (v instanceof SparseVector sparse) {
        int[] indices = sparse.indices();
        double[] values = sparse.values();
        for (int k = 0; k < indices.length; k++) {
          x[offset + indices[k]] = values[k];
        }
      } else {
        System.arraycopy(((DenseVector) v).values(), 0, x, offset, numFeatures);
      }
      for (int i = offset; i < offset + numFeatures; i++) {
        if (!Double.isFinite(x[i])) {
          throw new IllegalArgumentException(
              "LeakyMLPClassifier: column " + featuresCol + " holds " + x[i] + "; features must be finite");
        }
      }
    }

    private int label(Row row) {
      double value = row.isNullAt(1) ? Double.NaN : row.getDouble(1);
      if (!(value >= 0 && value < numClasses && value == Math.rint(value))) {
        throw new IllegalArgumentException(
            "LeakyMLPClassifier: column " + labelCol + " holds " + (row.isNullAt(1) ? "null" : value)
                + " but labels must be integers in [0, " + numClasses + ") for an output layer of "
                + numClasses);
      }
      return (int) value;
    }
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
    return new DefaultParamsReader<>();
  }

  public static LeakyMLPClassifier load(String path) {
    return read().load(path);
  }
}
