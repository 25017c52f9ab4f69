package dev.leakyspark.jobs;

import dev.leakyspark.cli.JobArgs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakyspark.LeakyRelu;
import dev.leakyspark.data.Generated;
import dev.leakyspark.data.Idx;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.util.Schemas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code jobs/train} batch job: fits a pipeline ending in {@link LeakyMLPClassifier}, evaluates
 * it on a test set, and writes the {@code PipelineModel} and a metrics folder ({@code metrics.json},
 * {@code loss.png}, {@code confusion-matrix.png}).
 *
 * <pre>{@code
 * jobs/train --train train.parquet --test test.parquet --layers 784,256,128,10 --model /models/mlp
 * }</pre>
 */
public final class Train {

  private static final Logger LOG = LoggerFactory.getLogger(Train.class);
  static final String SCALED = "scaled_features";
  static final String ASSEMBLED = "assembled_features";

  static final String USAGE = String.join("\n",
      "Usage: jobs/train [--train PATH [--test PATH]] [options]",
      "  --train PATH          training data (for idx: a prefix such as .../fashion-mnist/train)",
      "  --test PATH           test data (default: 20% of --train, held out by --seed)",
      "  --input-format F      parquet (default), csv (with a header), json, libsvm or idx",
      "  --features C          a vector column, or numeric columns c1,c2,... to assemble (default features)",
      "  --label C             numeric column of class indices 0..k-1 (default label)",
      "  --layers L            sizes from input to classes, e.g. 784,256,128,10",
      "                        (default: the feature size, 256, 128, the number of classes)",
      "  --alpha A             Leaky ReLU slope of the hidden layers (default 0.01)",
      "  --solver S            adam (default) or l-bfgs",
      "  --max-iter N          epochs for adam, iterations for l-bfgs (default 20)",
      "  --step-size R         Adam learning rate (default 0.002)",
      "  --step-size-schedule S  cosine (default: decays the rate to 0 over the epochs) or constant",
      "  --block-size N        rows per block and Adam mini-batch (default 128)",
      "  --num-partitions N    partitions the training blocks are spread over (default: one per 25000 rows,"
          + " whatever the cluster)",
      "  --local-steps N       adam: steps each partition takes between averagings (default "
          + LeakyMLPClassifier.DEFAULT_LOCAL_STEPS + ")",
      "  --block-momentum M    adam: momentum on the averaged update, in [0, 1) (default "
          + LeakyMLPClassifier.DEFAULT_BLOCK_MOMENTUM + ")",
      "  --reg-param R         L2 regularisation (default 0.0001)",
      "  --seed N              random seed (default 42)",
      "  --standardize B       put a StandardScaler before the classifier: true (default) or false",
      "  --model PATH          where to save the PipelineModel (default " + Jobs.defaultOutputRoot() + "/train-<time>/model)",
      "  --metrics PATH        folder for metrics.json, loss.png and confusion-matrix.png (default next to the model)",
      "  --checkpoint DIR      write resumable checkpoints of the weights and optimiser state to DIR",
      "  --checkpoint-interval N  iterations or epochs between checkpoints (default 5)",
      "  --resume              continue from the newest checkpoint in --checkpoint DIR",
      "  --overwrite           replace an existing model or metrics folder, or old checkpoints",
      "  --conf FILE           read these options from a properties file (flags win)",
      "With no --train: Fashion-MNIST (train and t10k) from " + Idx.FASHION_MNIST_DIR + " if present,",
      "else 25000 generated rows of 64 features, 20% held out for the test.",
      "Examples:",
      "  jobs/train",
      "  jobs/train --solver l-bfgs --max-iter 100 --layers 784,128,10 --model /tmp/mlp --overwrite",
      "  jobs/train --train data.csv --input-format csv --features x1,x2,x3 --label y --layers 3,16,2",
      "  jobs/train --conf conf/train.properties --max-iter 5",
      "  jobs/train --checkpoint /tmp/ckpt --model /tmp/mlp   # killed? run it again with --resume");

  /** Validated options; {@code layers} is empty when it is inferred from the data. */
  record Options(String train, String test, String inputFormat, List<String> features, String label,
      int[] layers, double alpha, String solver, int maxIter, double stepSize, String stepSizeSchedule, int blockSize,
      double regParam, Integer numPartitions, int localSteps, double blockMomentum, long seed, boolean standardize,
      String model, String metrics, String checkpoint, int checkpointInterval, boolean resume, boolean overwrite) {

    static Options parse(String[] args) {
      Map<String, String> o = JobArgs.parse(args,
          Set.of("train", "test", "input-format", "features", "label", "layers", "alpha", "solver",
              "max-iter", "step-size", "step-size-schedule", "block-size", "reg-param", "num-partitions", "local-steps", "block-momentum",
              "seed", "standardize", "model", "metrics", "checkpoint", "checkpoint-interval"),
          Set.of("overwrite", "resume"));
      String train = o.get("train");
      String test = o.get("test");
      String inputFormat = JobArgs.oneOf(o, "input-format", "parquet", DataIO.INPUT_FORMATS);
      if (train == null && test != null) {
        throw new JobArgs.UsageException("--test needs --train");
      }
      if (train == null && Files.isDirectory(java.nio.file.Path.of(Idx.FASHION_MNIST_DIR))) {
        train = Idx.FASHION_MNIST_DIR + "/train";
        test = Idx.FASHION_MNIST_DIR + "/t10k";
        inputFormat = "idx";
      }
      List<String> features = Arrays.stream(o.getOrDefault("features", "features").split(","))
          .map(String::trim).filter(c -> !c.isEmpty()).toList();
      if (features.isEmpty()) {
        throw new JobArgs.UsageException("--features needs a column name");
      }
      String run = Jobs.defaultOutput("train");
      String model = o.getOrDefault("model", run + "/model");
      String metrics = o.getOrDefault("metrics", new Path(new Path(model).getParent(), "metrics").toString());
      if (new Path(model).equals(new Path(metrics))) {
        throw new JobArgs.UsageException("--model and --metrics must differ");
      }
      // Chosen on a validation split of Fashion-MNIST's training set (docs/jobs.md, "How the defaults of jobs/train were chosen").
      double stepSize = JobArgs.finiteDouble(o, "step-size", 0.002);
      double regParam = JobArgs.finiteDouble(o, "reg-param", 1e-4);
      if (!(stepSize > 0) || regParam < 0) {
        throw new JobArgs.UsageException("--step-size must be > 0 and --reg-param >= 0, but got "
            + stepSize + " and " + regParam);
      }
      double blockMomentum = JobArgs.finiteDouble(o, "block-momentum", LeakyMLPClassifier.DEFAULT_BLOCK_MOMENTUM);
      if (!(blockMomentum >= 0 && blockMomentum < 1)) {
        throw new JobArgs.UsageException("--block-momentum must be in [0, 1) but got " + blockMomentum);
      }
      Integer numPartitions = o.containsKey("num-partitions") ? JobArgs.integer(o, "num-partitions", 1, 1) : null;
      boolean resume = JobArgs.flag(o, "resume", false);
      if (resume && o.get("checkpoint") == null) {
        throw new JobArgs.UsageException("--resume needs --checkpoint DIR, the folder of the run to continue");
      }
      long seed;
      try {
        seed = Long.parseLong(o.getOrDefault("seed", "42").trim());
      } catch (NumberFormatException e) {
        throw new JobArgs.UsageException("--seed needs an integer but got '" + o.get("seed") + "'");
      }
      return new Options(train, test, inputFormat, features, o.getOrDefault("label", "label"),
          JobArgs.sizes(o, "layers", 2), JobArgs.finiteDouble(o, "alpha", LeakyRelu.DEFAULT_ALPHA),
          JobArgs.oneOf(o, "solver", LeakyMLPClassifier.ADAM, List.of(LeakyMLPClassifier.ADAM, LeakyMLPClassifier.LBFGS)),
          JobArgs.integer(o, "max-iter", 20, 0), stepSize,
          JobArgs.oneOf(o, "step-size-schedule", LeakyMLPClassifier.COSINE,
              List.of(LeakyMLPClassifier.COSINE, LeakyMLPClassifier.CONSTANT)),
          JobArgs.integer(o, "block-size", 128, 1),
          regParam, numPartitions, JobArgs.integer(o, "local-steps", LeakyMLPClassifier.DEFAULT_LOCAL_STEPS, 1),
          blockMomentum, seed, JobArgs.flag(o, "standardize", true), model, metrics, o.get("checkpoint"),
          JobArgs.integer(o, "checkpoint-interval", 5, 1), resume, JobArgs.flag(o, "overwrite", false));
    }
  }

  /** What a run produced. */
  record Result(Evaluation evaluation, long trainRows, int[] layers, int iterations, int numPartitions,
      double seconds, List<String> blas) {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the job on the active (or a new) session; returns the exit status. */
  public static int run(String[] args) {
    return Jobs.run("train", USAGE, args, Options::parse, (spark, options) -> {
      Result r = run(spark, options);
      Evaluation e = r.evaluation();
      System.out.printf(Locale.ROOT,
          "train: test accuracy %.4f, weighted F1 %.4f on %d rows (layers %s, %s, %d %s on %d rows, %.1f s)%n",
          e.accuracy(), e.weightedF1(), e.total(), join(r.layers()), options.solver(), r.iterations(),
          options.solver().equals(LeakyMLPClassifier.ADAM) ? "epochs" : "iterations", r.trainRows(), r.seconds());
      System.out.println("train: BLAS    " + String.join(", ", r.blas())
          + (r.blas().stream().anyMatch(b -> b.startsWith("JNI")) ? " (native)" : " (JVM; install OpenBLAS for native speed)"));
      System.out.println("train: model   " + options.model());
      System.out.println("train: metrics " + options.metrics() + " (metrics.json, loss.png, confusion-matrix.png)");
    });
  }

  /** Fits, evaluates and writes; the model and metrics appear only once each is complete. */
  static Result run(SparkSession spark, Options options) throws IOException {
    DataIO.checkOutput(spark, inputs(options), options.model(), options.overwrite());
    DataIO.checkOutput(spark, inputs(options), options.metrics(), options.overwrite());
    if (options.checkpoint() != null) {
      checkCheckpoint(spark, options);
    }

    Dataset<Row>[] split = readSplit(spark, options);
    Dataset<Row> train = split[0].persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> test = split[1];
    try {
      checkColumns(train, options, "--train");
      checkColumns(test, options, "--test");
      List<PipelineStage> stages = new ArrayList<>();
      String features = options.features().get(0);
      if (options.features().size() > 1 || !(train.schema().apply(features).dataType() instanceof VectorUDT)) {
        stages.add(new VectorAssembler().setInputCols(options.features().toArray(new String[0]))
            .setOutputCol(ASSEMBLED).setHandleInvalid("error"));
        features = ASSEMBLED;
      }
      int[] layers = options.layers().length > 0 ? options.layers() : inferLayers(train, stages, features, options.label());
      if (options.standardize()) {
        stages.add(new StandardScaler().setInputCol(features).setOutputCol(SCALED).setWithMean(true).setWithStd(true));
        features = SCALED;
      }
      LeakyMLPClassifier mlp = new LeakyMLPClassifier()
          .setLayers(layers).setAlpha(options.alpha()).setSolver(options.solver())
          .setMaxIter(options.maxIter()).setStepSize(options.stepSize())
          .setStepSizeSchedule(options.stepSizeSchedule()).setBlockSize(options.blockSize())
          .setRegParam(options.regParam()).setSeed(options.seed())
          .setLocalSteps(options.localSteps()).setBlockMomentum(options.blockMomentum())
          .setFeaturesCol(features).setLabelCol(options.label());
      if (options.numPartitions() != null) {
        mlp.setNumPartitions(options.numPartitions());
      }
      if (options.checkpoint() != null) {
        mlp.setCheckpointDir(options.checkpoint()).setCheckpointInterval(options.checkpointInterval());
      }
      stages.add(mlp);

      long trainRows = train.count();
      LOG.info("Fitting {} on {} rows of {}", describe(stages), trainRows, source(options.train()));
      long began = System.nanoTime();
      PipelineModel model = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train);
      double seconds = (System.nanoTime() - began) / 1e9;
      LeakyMLPClassificationModel mlpModel = (LeakyMLPClassificationModel) model.stages()[model.stages().length - 1];

      LOG.info("Evaluating on {}", options.test() == null ? "the held-out rows" : options.test());
      Evaluation evaluation = evaluate(model.transform(test), options.label(), mlpModel.getPredictionCol(), layers[layers.length - 1]);
      if (evaluation.total() == 0) {
        throw new IllegalArgumentException("The test data " + source(options.test()) + " is empty");
      }
      double[] history = mlpModel.summary().objectiveHistory();
      Result result = new Result(evaluation, trainRows, layers, mlpModel.summary().totalIterations(),
          mlpModel.summary().numPartitions(), seconds,
          blasBackends(spark));

      Path stagedModel = DataIO.staging(options.model());
      Path stagedMetrics = DataIO.staging(options.metrics());
      try {
        model.write().save(stagedModel.toString());
        writeMetrics(spark, stagedMetrics, options, result, history);
        DataIO.commit(spark, stagedModel, options.model(), options.overwrite());
        DataIO.commit(spark, stagedMetrics, options.metrics(), options.overwrite());
      } finally {
        DataIO.discard(spark, stagedModel);
        DataIO.discard(spark, stagedMetrics);
      }
      LOG.info("Saved the model to {} and the metrics to {}", options.model(), options.metrics());
      return result;
    } finally {
      train.unpersist();
    }
  }

  /** The BLAS implementations the executors load (JNIBLAS is native; VectorBLAS and Java11BLAS run in the JVM). */
  static List<String> blasBackends(SparkSession spark) {
    int slots = spark.sparkContext().defaultParallelism();
    return new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
        .parallelize(java.util.Collections.nCopies(slots, 0), slots)
        .map(i -> dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName())
        .distinct().collect().stream().sorted().toList();
  }

  /**
   * A checkpoint folder that holds an earlier run is continued with {@code --resume}, replaced
   * with {@code --overwrite}, and otherwise refused.
   */
  private static void checkCheckpoint(SparkSession spark, Options options) throws IOException {
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
  private static List<String> inputs(Options options) {
    return Stream.of(options.train(), options.test()).filter(Objects::nonNull).toList();
  }

  private static String source(String path) {
    return path == null ? "generated data" : path;
  }

  @SuppressWarnings("unchecked")
  private static Dataset<Row>[] readSplit(SparkSession spark, Options options) throws IOException {
    if (options.train() == null) {
      LOG.info("No --train and no Fashion-MNIST at {}: generating 25000 rows of 64 features", Idx.FASHION_MNIST_DIR);
      return Generated.rows(spark, 25_000, 64).randomSplit(new double[] {0.8, 0.2}, options.seed());
    }
    Dataset<Row> train = DataIO.read(spark, options.train(), options.inputFormat());
    if (options.test() == null) {
      LOG.info("No --test: holding out 20% of {} (seed {})", options.train(), options.seed());
      return train.randomSplit(new double[] {0.8, 0.2}, options.seed());
    }
    return new Dataset[] {train, DataIO.read(spark, options.test(), options.inputFormat())};
  }

  private static void checkColumns(Dataset<Row> data, Options options, String which) {
    List<String> names = Arrays.asList(data.columns());
    List<String> wanted = new ArrayList<>(options.features());
    wanted.add(options.label());
    for (String name : wanted) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("Column " + name + " does not exist in the " + which
            + " data. Available: " + String.join(", ", names));
      }
      DataType type = data.schema().apply(name).dataType();
      boolean ok = type instanceof NumericType || (type instanceof VectorUDT && !name.equals(options.label()));
      if (!ok) {
        throw new IllegalArgumentException("Column " + name + " of the " + which + " data must be "
            + (name.equals(options.label()) ? "numeric" : "numeric or vector") + " but got "
            + Schemas.typeName(type));
      }
    }
  }

  /**
   * The size of the {@code features} vector that {@code stages} make, 256, 128 and the number of
   * classes (largest label + 1).
   */
  private static int[] inferLayers(Dataset<Row> train, List<PipelineStage> stages, String features, String label) {
    Row first = train.select(col(label)).na().drop().agg(max(col(label).cast("double"))).first();
    if (first.isNullAt(0)) {
      throw new IllegalArgumentException("The training data is empty, or column " + label + " holds only nulls");
    }
    Dataset<Row> one = new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(train.limit(1))
        .transform(train.limit(1));
    int inputs = ((Vector) one.select(features).first().get(0)).size();
    int classes = Math.max(2, (int) Math.floor(first.getDouble(0)) + 1);
    int[] layers = {inputs, 256, 128, classes};
    LOG.info("No --layers: using {} (feature size, 256, 128, number of classes)", join(layers));
    return layers;
  }

  /** Counts (label, prediction) pairs into a confusion matrix, refusing labels outside [0, k). */
  static Evaluation evaluate(Dataset<Row> predictions, String label, String prediction, int classes) {
    long[][] confusion = new long[classes][classes];
    for (Row row : predictions.groupBy(col(label).cast("double").as("l"), col(prediction).as("p")).count().orderBy("l", "p").collectAsList()) {
      double actual = row.isNullAt(0) ? Double.NaN : row.getDouble(0);
      if (!(actual >= 0 && actual < classes && actual == Math.rint(actual))) {
        throw new IllegalArgumentException("Column " + label + " of the test data holds "
            + (row.isNullAt(0) ? "null" : actual) + " but the model knows classes 0.." + (classes - 1));
      }
      confusion[(int) actual][(int) row.getDouble(1)] += row.getLong(2);
    }
    return new Evaluation(confusion);
  }

  private static void writeMetrics(SparkSession spark, Path dir, Options options, Result result, double[] history)
      throws IOException {
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(dir);
    Evaluation e = result.evaluation();
    int k = e.confusion().length;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("accuracy", e.accuracy());
    json.put("weightedF1", e.weightedF1());
    json.put("testRows", e.total());
    json.put("trainRows", result.trainRows());
    json.put("confusionMatrix", e.confusion());
    List<Map<String, Object>> perClass = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("class", c);
      one.put("precision", e.precision(c));
      one.put("recall", e.recall(c));
      one.put("f1", e.f1(c));
      one.put("support", e.support(c));
      perClass.add(one);
    }
    json.put("perClass", perClass);
    json.put("trainSeconds", result.seconds());
    json.put("blas", result.blas());
    json.put("iterations", result.iterations());
    json.put("objectiveHistory", history);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("layers", result.layers());
    params.put("alpha", options.alpha());
    params.put("solver", options.solver());
    params.put("maxIter", options.maxIter());
    params.put("stepSize", options.stepSize());
    params.put("stepSizeSchedule", options.stepSizeSchedule());
    params.put("blockSize", options.blockSize());
    params.put("regParam", options.regParam());
    params.put("numPartitions", result.numPartitions());
    params.put("localSteps", options.localSteps());
    params.put("blockMomentum", options.blockMomentum());
    params.put("seed", options.seed());
    params.put("standardize", options.standardize());
    params.put("checkpoint", options.checkpoint());
    json.put("params", params);
    json.put("train", source(options.train()));
    json.put("test", options.test() == null ? "20% held out of " + source(options.train()) : options.test());
    json.put("model", options.model());
    try (OutputStream out = fs.create(new Path(dir, "metrics.json"), false)) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, json);
    }
    String step = options.solver().equals(LeakyMLPClassifier.ADAM) ? "epoch" : "iteration";
    try (OutputStream out = fs.create(new Path(dir, "loss.png"), false)) {
      Charts.lossCurve(history, step, "Training loss, layers " + join(result.layers()) + ", " + options.solver(), out);
    }
    try (OutputStream out = fs.create(new Path(dir, "confusion-matrix.png"), false)) {
      Charts.confusionMatrix(e.confusion(), String.format(Locale.ROOT,
          "Confusion matrix: accuracy %.4f, weighted F1 %.4f", e.accuracy(), e.weightedF1()), out);
    }
  }

  private static String describe(List<PipelineStage> stages) {
    return String.join(" -> ", stages.stream().map(s -> s.getClass().getSimpleName()).toList());
  }

  static String join(int[] sizes) {
    return String.join("-", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
  }

  private Train() {}
}
