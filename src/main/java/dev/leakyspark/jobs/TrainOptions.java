package dev.leakyspark.jobs;

import static dev.leakyspark.ml.classification.LeakyMLPClassifier.ADAM;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.data.Idx;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.mlp.LeakyMLPParams;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;

/**
 * The options of {@code jobs/train}, parsed and checked. The classifier's options go straight into
 * {@code mlp}, whose params check them; the job states only its own defaults ({@link #defaults}).
 * Without {@code --layers}, {@code mlp}'s layers stay unset and the job infers them from the data.
 */
record TrainOptions(String task, String train, String test, String inputFormat, List<String> features,
    LeakyMLPClassifier mlp, String standardize, String classWeights, Double validationFraction, String model,
    String metrics, String onnx, boolean resume, boolean overwrite) {

  /** {@code --class-weights balanced}: each class weighs {@code n / (k * n_c)}, as scikit-learn's. */
  static final String BALANCED = "balanced";

  /** {@code --standardize std}: scale by the standard deviation only, so sparse vectors stay sparse. */
  static final String STD = "std";

  /** The {@code --task} that fits {@code LeakyMLPClassifier} (the default). */
  static final String CLASSIFICATION = "classification";
  /** The {@code --task} that fits {@code LeakyMLPRegressor}, with the same params. */
  static final String REGRESSION = "regression";

  /** The job's classifier before any option: adam for 20 epochs, chosen on a validation split (docs/jobs.md). */
  static LeakyMLPClassifier defaults() {
    return new LeakyMLPClassifier().setSolver(ADAM).setMaxIter(20).setStepSize(0.002).setRegParam(1e-4).setSeed(42)
        .setCheckpointInterval(5);
  }

  private static final LeakyMLPClassifier D = defaults();

  static final String USAGE = String.join("\n",
      "Usage: jobs/train [--task T] [--train PATH [--test PATH]] [options]",
      "  --task T              classification (default: LeakyMLPClassifier) or regression (LeakyMLPRegressor,",
      "                        on the standardised label)",
      "  --train PATH          training data (for idx: a prefix such as .../fashion-mnist/train)",
      "  --test PATH           test data (default: 20% of --train, held out by --seed)",
      "  --input-format F      parquet (default), csv (with a header), json, libsvm or idx",
      "  --features C          a vector column, or numeric columns c1,c2,... to assemble (default features)",
      "  --label C             numeric column: class indices 0..k-1, or the regression target (default "
          + D.getLabelCol() + ")",
      "  --layers L            sizes from input to classes (or 1 for regression), e.g. 784,256,128,10",
      "                        (default: the feature size, 256, 128, the number of classes or 1; from "
          + Train.WIDE + " features on,",
      "                        one hidden layer of 64, narrower from 2^18 features on: 16 at 2^20)",
      "  --alpha A             Leaky ReLU slope of the hidden layers (default " + plain(D.getAlpha()) + ")",
      "  --solver S            " + ADAM + " (default) or " + LeakyMLPClassifier.LBFGS,
      "  --max-iter N          epochs for adam, iterations for l-bfgs (default " + D.getMaxIter() + ")",
      "  --step-size R         Adam learning rate (default " + plain(D.getStepSize()) + ")",
      "  --step-size-schedule S  " + D.getStepSizeSchedule() + " (default: decays the rate to 0 over the epochs) or "
          + LeakyMLPClassifier.CONSTANT,
      "  --block-size N        rows per block and Adam mini-batch (default " + D.getBlockSize() + ")",
      "  --num-partitions N    partitions the training blocks are spread over (default: one per "
          + LeakyMLPClassifier.ROWS_PER_PARTITION + " rows, whatever the cluster)",
      "  --local-steps N       adam: steps each partition takes between averagings (default " + D.getLocalSteps() + ")",
      "  --block-momentum M    adam: momentum on the averaged update, in [0, 1) (default "
          + plain(D.getBlockMomentum()) + ")",
      "  --reg-param R         L2 regularisation (default " + plain(D.getRegParam()) + ")",
      "  --dropout R           adam: the fraction of hidden units dropped in each step, in [0, 1) (default "
          + plain(D.getDropout()) + ")",
      "  --seed N              random seed (default " + D.getSeed() + ")",
      "  --weight-col C        numeric column of --train: row weights, finite and >= 0 (default: every row weighs 1)",
      "  --class-weights W     classification: balanced weighs each row n / (k * n_c) for its class c of n_c rows",
      "                        (k classes, n rows; times --weight-col when given), or none (default)",
      "  --validation-col C    boolean column of --train: its true rows are validation rows, never trained on; the",
      "                        fit scores them after every epoch, stops early, and keeps the best weights",
      "  --validation-fraction F  hold this fraction of --train out as validation rows, chosen by a hash of each",
      "                        row and --seed",
      "  --early-stopping-rounds N  with validation rows: stop after N epochs without a better validation loss",
      "                        (default " + D.getNumEarlyStoppingRounds() + "; 0 never stops early)",
      "  --validation-tol T    the relative improvement of the validation loss that counts (default "
          + plain(D.getValidationTol()) + ")",
      "  --standardize S       put a StandardScaler before the MLP: true (mean and std), std (std alone, which keeps",
      "                        sparse vectors sparse) or false; default true, std for --input-format libsvm",
      "  --model PATH          where to save the PipelineModel (default " + Jobs.defaultOutputRoot() + "/train-<time>/model)",
      "  --metrics PATH        folder for metrics.json, loss.png and, for classification, confusion-matrix.png",
      "                        (default next to the model)",
      "  --checkpoint DIR      write resumable checkpoints of the weights and optimiser state to DIR",
      "  --checkpoint-interval N  iterations or epochs between checkpoints (default " + D.getCheckpointInterval() + ")",
      "  --resume              continue from the newest checkpoint in --checkpoint DIR",
      "  --onnx                also export the fitted pipeline as one ONNX graph (float32) to <model>-onnx/model.onnx,",
      "                        for scoring with onnxruntime and no Spark",
      "  --overwrite           replace an existing model, metrics or ONNX folder, or old checkpoints",
      "  --conf FILE           read these options from a properties file (flags win)",
      "With no --train: Fashion-MNIST (train and t10k) from " + Idx.FASHION_MNIST_DIR + " if present,",
      "else 25000 generated rows of 64 features, 20% held out for the test; for regression, 25000 rows of",
      "Friedman #1 (10 features), 20% held out.",
      "Examples:",
      "  jobs/train",
      "  jobs/train --solver l-bfgs --max-iter 100 --layers 784,128,10 --model /tmp/mlp --overwrite",
      "  jobs/train --train data.csv --input-format csv --features x1,x2,x3 --label y --layers 3,16,2",
      "  jobs/train --task regression --solver l-bfgs --max-iter 200 --layers 10,64,1",
      "  jobs/train --conf conf/train.properties --max-iter 5",
      "  jobs/train --checkpoint /tmp/ckpt --model /tmp/mlp   # killed? run it again with --resume");

  static TrainOptions parse(String[] args) {
    Map<String, String> o = JobArgs.parse(args,
        Set.of("task", "train", "test", "input-format", "features", "label", "layers", "alpha", "solver",
            "max-iter", "step-size", "step-size-schedule", "block-size", "reg-param", "num-partitions", "local-steps",
            "block-momentum", "seed", "standardize", "model", "metrics", "checkpoint", "checkpoint-interval",
            "weight-col", "class-weights", "validation-col", "validation-fraction", "early-stopping-rounds",
            "validation-tol", "dropout"),
        Set.of("overwrite", "resume", "onnx"));
    String train = o.get("train");
    String test = o.get("test");
    String task = JobArgs.oneOf(o, "task", CLASSIFICATION, List.of(CLASSIFICATION, REGRESSION));
    String inputFormat = JobArgs.oneOf(o, "input-format", "parquet", DataIO.INPUT_FORMATS);
    if (train == null && test != null) {
      throw new JobArgs.UsageException("--test needs --train");
    }
    if (train == null && task.equals(CLASSIFICATION) && Files.isDirectory(java.nio.file.Path.of(Idx.FASHION_MNIST_DIR))) {
      train = Idx.FASHION_MNIST_DIR + "/train";
      test = Idx.FASHION_MNIST_DIR + "/t10k";
      inputFormat = "idx";
    }
    List<String> features = Arrays.stream(o.getOrDefault("features", "features").split(","))
        .map(String::trim).filter(c -> !c.isEmpty()).toList();
    if (features.isEmpty()) {
      throw new JobArgs.UsageException("--features needs a column name");
    }
    String model = o.getOrDefault("model", Jobs.defaultOutput("train") + "/model");
    String metrics = o.getOrDefault("metrics", new Path(new Path(model).getParent(), "metrics").toString());
    if (new Path(model).equals(new Path(metrics))) {
      throw new JobArgs.UsageException("--model and --metrics must differ");
    }
    LeakyMLPClassifier mlp = defaults();
    JobArgs.param(o, "label", mlp, mlp.labelCol(), s -> s);
    JobArgs.param(o, "layers", mlp, mlp.layers(), JobArgs::intList);
    JobArgs.param(o, "alpha", mlp, mlp.alpha(), Double::valueOf);
    JobArgs.param(o, "solver", mlp, mlp.solver(), s -> s);
    JobArgs.param(o, "max-iter", mlp, mlp.maxIter(), Integer::valueOf);
    JobArgs.param(o, "step-size", mlp, mlp.stepSize(), Double::valueOf);
    JobArgs.param(o, "step-size-schedule", mlp, mlp.stepSizeSchedule(), s -> s);
    JobArgs.param(o, "block-size", mlp, mlp.blockSize(), Integer::valueOf);
    JobArgs.param(o, "reg-param", mlp, mlp.regParam(), Double::valueOf);
    JobArgs.param(o, "num-partitions", mlp, mlp.numPartitions(), Integer::valueOf);
    JobArgs.param(o, "local-steps", mlp, mlp.localSteps(), Integer::valueOf);
    JobArgs.param(o, "block-momentum", mlp, mlp.blockMomentum(), Double::valueOf);
    JobArgs.param(o, "seed", mlp, mlp.seed(), Long::valueOf);
    JobArgs.param(o, "checkpoint", mlp, mlp.checkpointDir(), s -> s);
    JobArgs.param(o, "checkpoint-interval", mlp, mlp.checkpointInterval(), Integer::valueOf);
    JobArgs.param(o, "weight-col", mlp, mlp.weightCol(), s -> s);
    String classWeights = JobArgs.oneOf(o, "class-weights", "none", List.of("none", BALANCED));
    JobArgs.param(o, "validation-col", mlp, mlp.validationIndicatorCol(), s -> s);
    JobArgs.param(o, "early-stopping-rounds", mlp, mlp.numEarlyStoppingRounds(), Integer::valueOf);
    JobArgs.param(o, "validation-tol", mlp, mlp.validationTol(), Double::valueOf);
    JobArgs.param(o, "dropout", mlp, mlp.dropout(), Double::valueOf);
    Double validationFraction = o.containsKey("validation-fraction") ? fraction(o.get("validation-fraction")) : null;
    if (validationFraction != null && o.containsKey("validation-col")) {
      throw new JobArgs.UsageException("give --validation-col or --validation-fraction, not both");
    }
    if (classWeights.equals(BALANCED) && task.equals(REGRESSION)) {
      throw new JobArgs.UsageException("--class-weights balanced needs classes: it is for --task " + CLASSIFICATION);
    }
    boolean resume = JobArgs.flag(o, "resume", false);
    if (resume && !mlp.isDefined(mlp.checkpointDir())) {
      throw new JobArgs.UsageException("--resume needs --checkpoint DIR, the folder of the run to continue");
    }
    String onnx = JobArgs.flag(o, "onnx", false) ? model + "-onnx" : null;
    String standardize = JobArgs.oneOf(o, "standardize", inputFormat.equals("libsvm") ? STD : "true",
        List.of("true", STD, "false"));
    return new TrainOptions(task, train, test, inputFormat, features, mlp, standardize, classWeights,
        validationFraction, model, metrics, onnx, resume, JobArgs.flag(o, "overwrite", false));
  }

  boolean regression() {
    return task.equals(REGRESSION);
  }

  String label() {
    return mlp.getLabelCol();
  }

  /** The weight column of {@code --weight-col}, or null without it. */
  String weightCol() {
    return LeakyMLPParams.weightColumn(mlp);
  }

  /** The checkpoint folder, or null without {@code --checkpoint}. */
  String checkpoint() {
    return mlp.isDefined(mlp.checkpointDir()) ? mlp.getCheckpointDir() : null;
  }

  private static double fraction(String value) {
    double f;
    try {
      f = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new JobArgs.UsageException("--validation-fraction needs a number but got '" + value + "'");
    }
    if (!(f > 0 && f < 1)) {
      throw new JobArgs.UsageException("--validation-fraction must be in (0, 1) but got " + value);
    }
    return f;
  }

  /** The validation column of {@code --validation-col} or {@code --validation-fraction}, or null. */
  String validationCol() {
    if (validationFraction != null) {
      return Train.VALIDATION;
    }
    return LeakyMLPParams.validationColumn(mlp);
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
