package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Gemm;
import dev.leakyspark.nn.Network;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fit both MLP estimators share: lays the rows out ({@link TrainingBlocks}), optionally
 * standardises the label, resumes or starts, runs the solver and checkpoints. It takes the fit as
 * a value ({@link FitSpec}), never the stage. Everything it computes from the data (the row count,
 * the label's mean and standard deviation) is computed over the hash-placed blocks in a fixed
 * order, so the fit depends only on the spec and the data.
 *
 * <pre>{@code
 * FitResult fit = MLPFit.run(FitSpec.of(this, Network.Loss.CROSS_ENTROPY), dataset);
 * }</pre>
 */
public final class MLPFit {

  private static final Logger LOG = LoggerFactory.getLogger(MLPFit.class);

  private MLPFit() {}

  /**
   * Fits the network {@code spec} describes to {@code dataset}. With {@code standardizeLabel}, it
   * trains on {@code (y - mean) / std} and folds the two back into the output layer, so the
   * weights predict {@code y} itself; the objective history stays on the scale trained on.
   */
  public static FitResult run(FitSpec spec, Dataset<?> dataset) {
    return run(spec, dataset, Block.Builder.Layout.AUTO);
  }

  /** {@link #run} of {@code stage}'s fit of {@code net}, on the named columns and blocks laid out as {@code layout} says (for tests). */
  static FitResult run(LeakyMLPParams stage, Dataset<?> dataset, String featuresCol, String labelCol,
      Network net, boolean standardizeLabel, Block.Builder.Layout layout) {
    FitSpec s = FitSpec.of(stage, net.loss());
    return run(new FitSpec(s.stage(), s.uid(), featuresCol, labelCol, s.weightCol(), s.validationIndicatorCol(),
        s.solver(), net.loss(), standardizeLabel, net.layers(), net.alpha(), s.maxIter(), s.tol(), s.stepSize(),
        s.stepSizeSchedule(), s.blockSize(), s.seed(), s.regParam(), s.initialWeights(), s.numPartitions(),
        s.localSteps(), s.blockMomentum(), s.numEarlyStoppingRounds(), s.validationTol(), s.dropout(), s.checkpointDir(),
        s.checkpointInterval()), dataset, layout);
  }

  /** {@link #run}, with the blocks laid out as {@code layout} says rather than by their density. */
  static FitResult run(FitSpec given, Dataset<?> dataset, Block.Builder.Layout layout) {
    String name = given.stage();
    Network net = given.network();
    SparkSession spark = dataset.sparkSession();
    Dataset<?>[] rows = Validation.split(given, dataset);
    Dataset<Row> keyed = TrainingBlocks.keyed(rows[0], given.featuresCol(), given.labelCol(), given.weightCol());
    Dataset<Row> validationKeyed = rows[1] == null ? null
        : TrainingBlocks.keyed(rows[1], given.featuresCol(), given.labelCol(), given.weightCol());
    TrainingBlocks.Content content = given.checkpoints() ? TrainingBlocks.content(keyed) : null;
    TrainingBlocks.Content validationContent =
        given.checkpoints() && validationKeyed != null ? TrainingBlocks.content(validationKeyed) : null;
    FitSpec spec = given.withNumPartitions(trainingPartitions(given, content != null ? content.rows() : -1, keyed));
    int partitions = spec.numPartitions();
    TrainingBlocks.Columns columns = new TrainingBlocks.Columns(spec.featuresCol(), spec.labelCol(), spec.weightCol());
    TrainingBlocks data = TrainingBlocks.of(keyed, name, columns, net, spec.blockSize(), partitions, layout);
    TrainingBlocks validationData = null;
    try {
      validationData = validationKeyed == null ? null
          : TrainingBlocks.of(validationKeyed, name, columns, net, spec.blockSize(), partitions, layout);
      logStart(spec, net, data, validationData);
      boolean standardizeLabel = spec.standardizeLabel();
      double[] label = standardizeLabel ? labelMeanAndStd(data) : new double[] {0, 1};
      double shift = label[0];
      double scale = label[1];
      TrainingBlocks trained = data;
      TrainingBlocks validated = validationData;
      if (standardizeLabel) {
        LOG.info("{} {}: training on the standardised label, (label - {}) / {}", name, spec.uid(),
            String.format(Locale.ROOT, "%.6g", shift), String.format(Locale.ROOT, "%.6g", scale));
        trained = data.withLabelsStandardized(shift, scale);
        validated = validationData == null ? null : validationData.withLabelsStandardized(shift, scale);
      }
      FitCheckpoints saved = spec.checkpoints()
          ? FitCheckpoints.of(spark, spec.checkpointDir(), spec.checkpointInterval(),
              spec.fingerprint(content, validationContent))
          : FitCheckpoints.none();
      TrainingCheckpoint resumed = saved.resumable();
      // the classifier's log loss; the regressor's mean squared error on the label's own scale
      double lossScale = net.loss() == Network.Loss.CROSS_ENTROPY ? 1 : 2 * scale * scale;
      Validation validation = validated == null ? Validation.none()
          : Validation.of(spark, net, validated, lossScale, Validation.stopping(spec, resumed), name);
      double[] start = resumed != null ? resumed.weights()
          : spec.initialWeights() != null
              ? net.withOutputScaled(spec.initialWeights(), -shift / scale, 1 / scale)
              : net.initialWeights(spec.seed());
      FitResult result = spec.adam()
          ? AdamTrainer.train(spec, spark, net, trained, start, resumed, saved, validation)
          : LbfgsTrainer.train(spec, spark, net, trained, start, resumed, saved, validation);
      saved.finish();
      return standardizeLabel ? result.withWeights(net.withOutputScaled(result.weights(), shift, scale)) : result;
    } finally {
      data.unpersist();
      if (validationData != null) {
        validationData.unpersist();
      }
    }
  }

  /** Logs what the fit trains on, and warns of what will cost it. */
  private static void logStart(FitSpec spec, Network net, TrainingBlocks data, TrainingBlocks validation) {
    String name = spec.stage();
    int partitions = spec.numPartitions();
    LOG.info("{} {}: {} rows in {} partitions, blocks of {}, layers {}, alpha {}, solver {}, L2 {}{}", name,
        spec.uid(), data.rows, data.numPartitions(), spec.blockSize(), Arrays.toString(net.layers()),
        net.alpha(), spec.solver(), spec.regParam(), validation == null ? ""
            : "; " + validation.rows + " validation rows, early stopping after " + spec.numEarlyStoppingRounds()
                + " without improvement");
    Gemm.limitNote().ifPresent(note -> LOG.warn("{} {}: {}", name, spec.uid(), note));
    long perPartition = data.rows / partitions;
    if (perPartition < LeakyMLPParams.ROWS_PER_PARTITION && partitions > 1) {
      LOG.warn("{} {}: numPartitions {} leaves {} rows per partition, fewer than {}. An adam epoch"
          + " is then about {} steps deep, which costs accuracy: on Fashion-MNIST at 10 epochs, 64 partitions"
          + " reached 0.82 against 0.89 on 2. Leave numPartitions unset to choose it from the data.", name,
          spec.uid(), partitions, perPartition, LeakyMLPParams.ROWS_PER_PARTITION,
          Math.max(1, perPartition / spec.blockSize()));
    }
  }

  /**
   * The label's mean and corrected sample standard deviation over the blocks, weighted by the
   * rows' weights and each summed in {@link TreeSum}'s fixed order; a standard deviation of 0 (a
   * constant label) or of a single row counts as 1.
   */
  static double[] labelMeanAndStd(TrainingBlocks data) {
    double mean = TreeSum.sum(labelSums(data.blocks, 0, false), 1)[0] / data.weightSum;
    double squares = TreeSum.sum(labelSums(data.blocks, mean, true), 1)[0];
    // unweighted, rows - 1; weighted, as Spark's Summarizer (so scaling every weight changes nothing)
    double denominator = data.weightSum - data.weightSquareSum / data.weightSum;
    double std = denominator > 0 ? Math.sqrt(squares / denominator) : 0;
    return new double[] {mean, std > 0 && Double.isFinite(std) ? std : 1};
  }

  /** Per partition, the weighted sum of the labels' {@code y - mean}, or of their squares. */
  private static JavaRDD<double[]> labelSums(JavaRDD<Block> blocks, double mean, boolean squared) {
    return blocks.mapPartitions(it -> {
      double sum = 0;
      while (it.hasNext()) {
        Block block = it.next();
        for (int i = 0; i < block.size(); i++) {
          double d = block.label(i) - mean;
          sum += block.weight(i) * (squared ? d * d : d);
        }
      }
      return List.of(new double[] {sum}).iterator();
    });
  }

  /**
   * The partitions to train on: {@code numPartitions} when set, else one per
   * {@link LeakyMLPParams#ROWS_PER_PARTITION} rows (counted unless {@code rows} is already known),
   * at least one. Logs the choice.
   */
  private static int trainingPartitions(FitSpec spec, long rows, Dataset<Row> keyed) {
    if (spec.numPartitions() != LeakyMLPParams.FROM_THE_DATA) {
      return spec.numPartitions();
    }
    long count = rows >= 0 ? rows : keyed.count();
    int chosen = (int) Math.max(1, Math.min(Integer.MAX_VALUE, count / LeakyMLPParams.ROWS_PER_PARTITION));
    LOG.info("{} {}: numPartitions unset, so {} for {} rows: one partition per {} rows, whatever the cluster",
        spec.stage(), spec.uid(), chosen, count, LeakyMLPParams.ROWS_PER_PARTITION);
    return chosen;
  }
}
