package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Gemm;
import dev.leakyspark.nn.Network;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fit both MLP estimators share: lays the rows out ({@link TrainingBlocks}), optionally
 * standardises the label, resumes or starts, runs the solver and checkpoints. Everything it
 * computes from the data (the row count, the label's mean and standard deviation) is computed over
 * the hash-placed blocks in a fixed order, so the fit depends only on the params and the data.
 *
 * <pre>{@code
 * MLPFit.Result fit = MLPFit.run(this, dataset, getFeaturesCol(), getLabelCol(), network, false);
 * }</pre>
 */
public final class MLPFit {

  private static final Logger LOG = LoggerFactory.getLogger(MLPFit.class);

  private MLPFit() {}

  /**
   * The fitted weights (on the label's own scale), the objective history (on the scale trained
   * on), the iterations or epochs run and the partitions trained on.
   */
  public record Result(double[] weights, double[] history, int iterations, int partitions) {}

  /** The estimator's simple class name, as logs and errors name it. */
  static String stageName(LeakyMLPParams stage) {
    return stage.getClass().getSimpleName();
  }

  /**
   * Fits {@code net}'s weights to {@code dataset} with {@code stage}'s params. With
   * {@code standardizeLabel}, trains on {@code (y - mean) / std} and folds the two back into the
   * output layer, so the weights predict {@code y} itself.
   */
  public static Result run(LeakyMLPParams stage, Dataset<?> dataset, String featuresCol, String labelCol,
      Network net, boolean standardizeLabel) {
    return run(stage, dataset, featuresCol, labelCol, net, standardizeLabel, Block.Builder.Layout.AUTO);
  }

  /** {@link #run}, with the blocks laid out as {@code layout} says rather than by their density (for tests). */
  static Result run(LeakyMLPParams stage, Dataset<?> dataset, String featuresCol, String labelCol,
      Network net, boolean standardizeLabel, Block.Builder.Layout layout) {
    String name = stageName(stage);
    SparkSession spark = dataset.sparkSession();
    Dataset<Row> keyed = TrainingBlocks.keyed(dataset, featuresCol, labelCol);
    boolean checkpoints = stage.isDefined(stage.checkpointDir())
        && stage.getCheckpointInterval() != LeakyMLPParams.NO_CHECKPOINTS;
    TrainingBlocks.Content content = checkpoints ? TrainingBlocks.content(keyed) : null;
    int partitions = trainingPartitions(stage, content != null ? content.rows() : -1, keyed);
    TrainingBlocks data =
        TrainingBlocks.of(keyed, name, featuresCol, labelCol, net, stage.getBlockSize(), partitions, layout);
    try {
      LOG.info("{} {}: {} rows in {} partitions, blocks of {}, layers {}, alpha {}, solver {}, L2 {}", name,
          stage.uid(), data.rows, data.numPartitions(), stage.getBlockSize(), Arrays.toString(net.layers()),
          net.alpha(), stage.getSolver(), stage.getRegParam());
      Gemm.limitNote().ifPresent(note -> LOG.warn("{} {}: {}", name, stage.uid(), note));
      long perPartition = data.rows / partitions;
      if (perPartition < LeakyMLPParams.ROWS_PER_PARTITION && partitions > 1) {
        LOG.warn("{} {}: numPartitions {} leaves {} rows per partition, fewer than {}. An adam epoch"
            + " is then about {} steps deep, which costs accuracy: on Fashion-MNIST at 10 epochs, 64 partitions"
            + " reached 0.82 against 0.89 on 2. Leave numPartitions unset to choose it from the data.", name,
            stage.uid(), partitions, perPartition, LeakyMLPParams.ROWS_PER_PARTITION,
            Math.max(1, perPartition / stage.getBlockSize()));
      }
      double[] label = standardizeLabel ? labelMeanAndStd(data) : new double[] {0, 1};
      double shift = label[0];
      double scale = label[1];
      TrainingBlocks trained = data;
      if (standardizeLabel) {
        LOG.info("{} {}: training on the standardised label, (label - {}) / {}", name, stage.uid(),
            String.format(Locale.ROOT, "%.6g", shift), String.format(Locale.ROOT, "%.6g", scale));
        trained = data.withLabelsStandardized(shift, scale);
      }
      FitCheckpoints saved = checkpoints
          ? FitCheckpoints.of(spark, stage.getCheckpointDir(), stage.getCheckpointInterval(),
              fingerprint(stage, net, standardizeLabel, partitions, content))
          : FitCheckpoints.none();
      TrainingCheckpoint resumed = saved.resumable();
      double[] start = resumed != null ? resumed.weights()
          : stage.isDefined(stage.initialWeights())
              ? net.withOutputScaled(stage.getInitialWeights().toArray(), -shift / scale, 1 / scale)
              : net.initialWeights(stage.getSeed());
      Training result =
          stage.getSolver().equals(LeakyMLPParams.ADAM)
              ? AdamTrainer.train(stage, spark, net, trained, start, resumed, saved)
              : LbfgsTrainer.train(stage, spark, net, trained, start, resumed, saved);
      saved.finish();
      double[] weights = standardizeLabel ? net.withOutputScaled(result.weights(), shift, scale) : result.weights();
      return new Result(weights, result.history(), result.iterations(), partitions);
    } finally {
      data.unpersist();
    }
  }

  /**
   * The label's mean and corrected sample standard deviation over the blocks, each summed in
   * {@link TreeSum}'s fixed order; a standard deviation of 0 (a constant label) or of a single
   * row counts as 1.
   */
  static double[] labelMeanAndStd(TrainingBlocks data) {
    double mean = TreeSum.sum(labelSums(data.blocks, 0, false), 1)[0] / data.rows;
    double squares = TreeSum.sum(labelSums(data.blocks, mean, true), 1)[0];
    double std = data.rows > 1 ? Math.sqrt(squares / (data.rows - 1)) : 0;
    return new double[] {mean, std > 0 && Double.isFinite(std) ? std : 1};
  }

  /** Per partition, the sum of the labels' {@code y - mean}, or of their squares. */
  private static JavaRDD<double[]> labelSums(JavaRDD<Block> blocks, double mean, boolean squared) {
    return blocks.mapPartitions(it -> {
      double sum = 0;
      while (it.hasNext()) {
        Block block = it.next();
        for (int i = 0; i < block.size(); i++) {
          double d = block.label(i) - mean;
          sum += squared ? d * d : d;
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
  private static int trainingPartitions(LeakyMLPParams stage, long rows, Dataset<Row> keyed) {
    if (stage.getNumPartitions() != LeakyMLPParams.FROM_THE_DATA) {
      return stage.getNumPartitions();
    }
    long count = rows >= 0 ? rows : keyed.count();
    int chosen = (int) Math.max(1, Math.min(Integer.MAX_VALUE, count / LeakyMLPParams.ROWS_PER_PARTITION));
    LOG.info("{} {}: numPartitions unset, so {} for {} rows: one partition per {} rows, whatever the cluster",
        stageName(stage), stage.uid(), chosen, count, LeakyMLPParams.ROWS_PER_PARTITION);
    return chosen;
  }

  /** Every param that changes the fitted weights, the training partitions and the data's content. */
  private static Map<String, String> fingerprint(LeakyMLPParams stage, Network net, boolean standardizeLabel,
      int partitions, TrainingBlocks.Content content) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("solver", stage.getSolver());
    f.put("loss", net.loss().name());
    f.put("standardizeLabel", Boolean.toString(standardizeLabel));
    f.put("layers", Arrays.toString(stage.getLayers()));
    f.put("alpha", Double.toString(stage.getAlpha()));
    f.put("maxIter", Integer.toString(stage.getMaxIter()));
    f.put("tol", Double.toString(stage.getTol()));
    f.put("stepSize", Double.toString(stage.getStepSize()));
    f.put("stepSizeSchedule", stage.getStepSizeSchedule());
    f.put("blockSize", Integer.toString(stage.getBlockSize()));
    f.put("seed", Long.toString(stage.getSeed()));
    f.put("regParam", Double.toString(stage.getRegParam()));
    f.put("initialWeights", stage.isDefined(stage.initialWeights())
        ? "hash " + Arrays.hashCode(stage.getInitialWeights().toArray()) : "unset");
    f.put("numPartitions", Integer.toString(partitions));
    f.put("localSteps", Integer.toString(stage.getLocalSteps()));
    f.put("blockMomentum", Double.toString(stage.getBlockMomentum()));
    f.put("data rows", Long.toString(content.rows()));
    f.put("data hash", content.hash());
    return f;
  }
}
