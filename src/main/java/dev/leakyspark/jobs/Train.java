package dev.leakyspark.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.leakyspark.data.Generated;
import dev.leakyspark.data.Idx;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.onnx.OnnxExport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jobs/train} batch job: fits a pipeline ending in {@link LeakyMLPClassifier} (or, with
 * {@code --task regression}, {@link LeakyMLPRegressor}), evaluates it on a test set, and writes the
 * {@code PipelineModel} and a metrics folder ({@code metrics.json}, {@code loss.png}, and for
 * classification {@code confusion-matrix.png}).
 *
 * <pre>{@code
 * jobs/train --train train.parquet --test test.parquet --layers 784,256,128,10 --model /models/mlp
 * jobs/train --task regression --train houses.parquet --label price --layers 12,64,1 --model /models/price
 * }</pre>
 */
public final class Train {

  private static final Logger LOG = LoggerFactory.getLogger(Train.class);
  static final String SCALED = "scaled_features";
  static final String ASSEMBLED = "assembled_features";
  /** The validation column {@code --validation-fraction} adds. */
  static final String VALIDATION = "validation";

  /** What a run produced: a classification's {@code evaluation} or a regression's {@code errors}, the other null. */
  record Result(Evaluation evaluation, RegressionErrors errors, long trainRows, int[] layers, int iterations,
      int numPartitions, double seconds, List<String> blas) {}

  /** A regression's test errors, as {@code RegressionEvaluator} computes them. */
  record RegressionErrors(double rmse, double mae, double r2, long total) {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job on the active (or a new) session; returns the exit status. */
  public static int run(String[] args) {
    return Jobs.run("train", TrainOptions.USAGE, args, TrainOptions::parse, (spark, options) -> {
      Result r = run(spark, options);
      String fit = String.format(Locale.ROOT, "layers %s, %s, %d %s on %d rows, %.1f s", join(r.layers()),
          options.mlp().getSolver(), r.iterations(), stepName(options.mlp()) + "s", r.trainRows(), r.seconds());
      if (r.errors() != null) {
        RegressionErrors e = r.errors();
        System.out.printf(Locale.ROOT, "train: test RMSE %.4f, MAE %.4f, R2 %.4f on %d rows (%s)%n", e.rmse(),
            e.mae(), e.r2(), e.total(), fit);
      } else {
        Evaluation e = r.evaluation();
        System.out.printf(Locale.ROOT, "train: test accuracy %.4f, weighted F1 %.4f on %d rows (%s)%n",
            e.accuracy(), e.weightedF1(), e.total(), fit);
      }
      System.out.println("train: BLAS    " + String.join(", ", r.blas())
          + (r.blas().stream().anyMatch(b -> b.startsWith("JNI")) ? " (native)" : " (JVM; install OpenBLAS for native speed)"));
      System.out.println("train: model   " + options.model());
      if (options.onnx() != null) {
        System.out.println("train: onnx    " + options.onnx() + "/" + OnnxExport.FILE_NAME);
      }
      System.out.println("train: metrics " + options.metrics() + " (metrics.json, loss.png"
          + (r.errors() == null ? ", confusion-matrix.png)" : ")"));
    });
  }

  /** Fits, evaluates and writes; the model and metrics appear only once each is complete. */
  static Result run(SparkSession spark, TrainOptions options) throws IOException {
    DataIO.checkOutput(spark, inputs(options), options.model(), options.overwrite());
    DataIO.checkOutput(spark, inputs(options), options.metrics(), options.overwrite());
    if (options.onnx() != null) {
      DataIO.checkOutput(spark, inputs(options), options.onnx(), options.overwrite());
    }
    if (options.checkpoint() != null) {
      checkCheckpoint(spark, options);
    }

    Dataset<Row>[] split = readSplit(spark, options);
    Dataset<Row> train = split[0].persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = split[1];
    try {
      checkColumns(train, options, "--train");
      checkColumns(test, options, "--test");
      if (options.weightCol() != null) {
        checkColumn(train, options.weightCol(), "--train", false);
      }
      if (options.validationCol() != null && options.validationFraction() == null
          && !Arrays.asList(train.columns()).contains(options.validationCol())) {
        throw new IllegalArgumentException("Column " + options.validationCol() + " does not exist in the --train"
            + " data. Available: " + String.join(", ", train.columns()));
      }
      List<PipelineStage> stages = new ArrayList<>();
      String features = options.features().get(0);
      if (options.features().size() > 1 || !(train.schema().apply(features).dataType() instanceof VectorUDT)) {
        stages.add(new VectorAssembler().setInputCols(options.features().toArray(new String[0]))
            .setOutputCol(ASSEMBLED).setHandleInvalid("error"));
        features = ASSEMBLED;
      }
      LeakyMLPClassifier mlp = options.mlp().copy(ParamMap.empty());
      Dataset<Row> fitRows = train;
      if (options.classWeights().equals(TrainOptions.BALANCED)) {
        fitRows = ClassWeights.balanced(train, options.label(), options.weightCol());
        mlp.setWeightCol(ClassWeights.COLUMN);
      }
      if (options.validationFraction() != null) {
        fitRows = heldOut(fitRows, options);
        mlp.setValidationIndicatorCol(VALIDATION);
      }
      if (!mlp.isDefined(mlp.layers())) {
        mlp.setLayers(inferLayers(train, stages, features, options));
      }
      if (!options.standardize().equals("false")) {
        // centring would turn sparse vectors dense
        stages.add(new StandardScaler().setInputCol(features).setOutputCol(SCALED)
            .setWithMean(!options.standardize().equals(TrainOptions.STD)).setWithStd(true));
        features = SCALED;
      }
      mlp.setFeaturesCol(features);
      // the regressor shares every param the options set on the classifier that holds them
      stages.add(options.regression() ? mlp.copyValues(new LeakyMLPRegressor(mlp.uid()), ParamMap.empty()) : mlp);

      long trainRows = train.count();
      LOG.info("Fitting {} on {} rows of {}", describe(stages), trainRows, source(options.train()));
      long began = System.nanoTime();
      PipelineModel model = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(fitRows);
      double seconds = (System.nanoTime() - began) / 1e9;
      Transformer fitted = model.stages()[model.stages().length - 1];

      LOG.info("Evaluating on {}", options.test() == null ? "the held-out rows" : options.test());
      Dataset<Row> scored = model.transform(test);
      Result result;
      TrainReport.Curves curves;
      if (fitted instanceof LeakyMLPRegressionModel regression) {
        RegressionErrors errors = TrainReport.regressionErrors(scored, options.label(), regression.getPredictionCol());
        if (errors.total() == 0) {
          throw new IllegalArgumentException("The test data " + source(options.test()) + " is empty");
        }
        curves = new TrainReport.Curves(regression.summary().objectiveHistory(),
            regression.summary().validationObjectiveHistory(), regression.summary().bestIteration());
        result = new Result(null, errors, trainRows, mlp.getLayers(), regression.summary().totalIterations(),
            regression.summary().numPartitions(), seconds, TrainReport.blasBackends(spark));
      } else {
        LeakyMLPClassificationModel mlpModel = (LeakyMLPClassificationModel) fitted;
        Evaluation evaluation = TrainReport.evaluate(scored, options.label(), mlpModel.getPredictionCol(),
            mlpModel.numClasses());
        if (evaluation.total() == 0) {
          throw new IllegalArgumentException("The test data " + source(options.test()) + " is empty");
        }
        curves = new TrainReport.Curves(mlpModel.summary().objectiveHistory(),
            mlpModel.summary().validationObjectiveHistory(), mlpModel.summary().bestIteration());
        result = new Result(evaluation, null, trainRows, mlp.getLayers(), mlpModel.summary().totalIterations(),
            mlpModel.summary().numPartitions(), seconds, TrainReport.blasBackends(spark));
      }

      Path stagedModel = DataIO.staging(options.model());
      Path stagedMetrics = DataIO.staging(options.metrics());
      Path stagedOnnx = options.onnx() == null ? null : DataIO.staging(options.onnx());
      try {
        model.write().save(stagedModel.toString());
        TrainReport.write(spark, stagedMetrics, options, mlp, result, curves);
        if (stagedOnnx != null) {
          OnnxExport.writer(model, train.schema()).save(stagedOnnx.toString());
        }
        DataIO.commit(spark, stagedModel, options.model(), options.overwrite());
        DataIO.commit(spark, stagedMetrics, options.metrics(), options.overwrite());
        if (stagedOnnx != null) {
          DataIO.commit(spark, stagedOnnx, options.onnx(), options.overwrite());
        }
      } finally {
        DataIO.discard(spark, stagedModel);
        DataIO.discard(spark, stagedMetrics);
        if (stagedOnnx != null) {
          DataIO.discard(spark, stagedOnnx);
        }
      }
      LOG.info("Saved the model to {} and the metrics to {}{}", options.model(), options.metrics(),
          options.onnx() == null ? "" : ", and its ONNX graph to " + options.onnx() + "/" + OnnxExport.FILE_NAME);
      return result;
    } finally {
      train.unpersist();
    }
  }

  /**
   * A checkpoint folder that holds an earlier run is continued with {@code --resume}, replaced
   * with {@code --overwrite}, and otherwise refused.
   */
  private static void checkCheckpoint(SparkSession spark, TrainOptions options) throws IOException {
    DataIO.checkApart(spark, inputs(options), options.checkpoint());
    Path dir = new Path(options.checkpoint());
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    boolean used = fs.exists(dir) && fs.listStatus(dir).length > 0;
    if (options.resume()) {
      if (!used) {
        LOG.info("No checkpoint in {} yet: starting from the beginning", options.checkpoint());
      }
    } else if (used && options.overwrite()) {
      LOG.info("Deleting the checkpoints of an earlier run in {}", options.checkpoint());
      fs.delete(dir, true);
    } else if (used) {
      throw new IOException("Checkpoint folder " + options.checkpoint() + " holds an earlier run; pass --resume"
          + " to continue it, or --overwrite to start over");
    }
  }

  /** The paths the job reads; none for generated data. */
  private static List<String> inputs(TrainOptions options) {
    return Stream.of(options.train(), options.test()).filter(Objects::nonNull).toList();
  }

  static String source(String path) {
    return path == null ? "generated data" : path;
  }

  @SuppressWarnings("unchecked")
  private static Dataset<Row>[] readSplit(SparkSession spark, TrainOptions options) throws IOException {
    if (options.train() == null && options.regression()) {
      LOG.info("No --train: generating 25000 rows of Friedman #1 (seed {})", options.mlp().getSeed());
      return Generated.friedman1(spark, 25_000, options.mlp().getSeed())
          .randomSplit(new double[] {0.8, 0.2}, options.mlp().getSeed());
    }
    if (options.train() == null) {
      LOG.info("No --train and no Fashion-MNIST at {}: generating 25000 rows of 64 features", Idx.FASHION_MNIST_DIR);
      return Generated.rows(spark, 25_000, 64).randomSplit(new double[] {0.8, 0.2}, options.mlp().getSeed());
    }
    Dataset<Row> train = DataIO.read(spark, options.train(), options.inputFormat());
    if (options.test() == null) {
      LOG.info("No --test: holding out 20% of {} (seed {})", options.train(), options.mlp().getSeed());
      return train.randomSplit(new double[] {0.8, 0.2}, options.mlp().getSeed());
    }
    int size = options.inputFormat().equals("libsvm") ? DataIO.vectorSize(train, options.features().get(0)) : -1;
    Dataset<Row> test = DataIO.read(spark, options.test(), options.inputFormat(), size);
    return new Dataset[] {train, test};
  }

  private static void checkColumns(Dataset<Row> data, TrainOptions options, String which) {
    List<String> names = Arrays.asList(data.columns());
    List<String> wanted = new ArrayList<>(options.features());
    wanted.add(options.label());
    for (String name : wanted) {
      checkColumn(data, name, which, !name.equals(options.label()));
    }
  }

  /** Refuses a missing column, or one that is not numeric (nor a vector, when {@code vector} allows one). */
  private static void checkColumn(Dataset<Row> data, String name, String which, boolean vector) {
    List<String> names = Arrays.asList(data.columns());
    if (!names.contains(name)) {
      throw new IllegalArgumentException("Column " + name + " does not exist in the " + which
          + " data. Available: " + String.join(", ", names));
    }
    DataType type = data.schema().apply(name).dataType();
    if (!(type instanceof NumericType || (vector && type instanceof VectorUDT))) {
      throw new IllegalArgumentException("Column " + name + " of the " + which + " data must be "
          + (vector ? "numeric or vector" : "numeric") + " but got " + Schemas.typeName(type));
    }
  }

  /**
   * {@code rows} with the boolean column {@link #VALIDATION}, true for about
   * {@code --validation-fraction} of them: chosen by a hash of each row's features, label and
   * {@code --seed}, so the same rows whatever their partitioning and order.
   */
  private static Dataset<Row> heldOut(Dataset<Row> rows, TrainOptions options) {
    if (Arrays.asList(rows.columns()).contains(VALIDATION)) {
      throw new IllegalArgumentException("--validation-fraction adds the column " + VALIDATION
          + ", which the training data already has");
    }
    List<Column> hashed = new ArrayList<>();
    options.features().forEach(c -> hashed.add(col(c)));
    hashed.add(col(options.label()));
    hashed.add(lit(options.mlp().getSeed()));
    Column unit = pmod(xxhash64(hashed.toArray(new Column[0])), lit(1_000_000L)).divide(1e6);
    LOG.info("Holding out about {} of the training rows as validation rows (by a hash of each row and seed {})",
        options.validationFraction(), options.mlp().getSeed());
    return rows.withColumn(VALIDATION, unit.lt(options.validationFraction()));
  }

  /** The input size from which the default layers have one hidden layer ({@link #wideHidden}). */
  static final int WIDE = 1 << 14;

  /**
   * The one hidden layer of a wide input's default layers: 64, narrower from 2^18 features on so
   * that the first layer keeps at most 2^24 weights (16 at 2^20), and never below 16. Adam holds
   * about ten copies of the weights, so 2^24 of them fit the jobs' default 4 GB.
   */
  static int wideHidden(int inputs) {
    return (int) Math.max(16, Math.min(64, (1L << 24) / inputs));
  }

  /** The default layers: the size of the features {@code stages} make, the hidden layers, the classes or 1. */
  private static int[] inferLayers(Dataset<Row> train, List<PipelineStage> stages, String features,
      TrainOptions options) {
    String label = options.label();
    Row first = train.select(col(label)).na().drop().agg(max(col(label).cast("double"))).first();
    if (first.isNullAt(0)) {
      throw new IllegalArgumentException("The training data is empty, or column " + label + " holds only nulls");
    }
    Dataset<Row> one = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train.limit(1))
        .transform(train.limit(1));
    int inputs = ((Vector) one.select(features).first().get(0)).size();
    int outputs = options.regression() ? 1 : Math.max(2, (int) Math.floor(first.getDouble(0)) + 1);
    // wide (hashed or one-hot) inputs get one narrower hidden layer: its weights grow with the input
    int[] layers = inputs >= WIDE ? new int[] {inputs, wideHidden(inputs), outputs}
        : new int[] {inputs, 256, 128, outputs};
    LOG.info("No --layers: using {} (feature size, {}, {})", join(layers),
        inputs >= WIDE ? "one hidden layer for wide inputs" : "256, 128",
        options.regression() ? "one output" : "number of classes");
    return layers;
  }

  private static String describe(List<PipelineStage> stages) {
    return String.join(" -> ", stages.stream().map(s -> s.getClass().getSimpleName()).toList());
  }

  /** What one of {@code mlp}'s iterations is called: an epoch for adam, an iteration for l-bfgs. */
  static String stepName(LeakyMLPClassifier mlp) {
    return mlp.getSolver().equals(LeakyMLPClassifier.ADAM) ? "epoch" : "iteration";
  }

  static String join(int[] sizes) {
    return String.join("-", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
  }

  private Train() {}
}
