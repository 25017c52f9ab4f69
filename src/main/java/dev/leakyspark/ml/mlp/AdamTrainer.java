package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Adam;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.BlockMomentum;
import dev.leakyspark.nn.Dropout;
import dev.leakyspark.nn.LocalAdam;
import dev.leakyspark.nn.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * Adam across the cluster by {@link LocalAdam}: each epoch, every partition shuffles its blocks
 * (seeded by seed, epoch and partition), and in each round takes up to {@code localSteps} Adam
 * steps on the next of them from the round's broadcast start. {@link TreeSum} adds the partitions'
 * results, and the driver applies the mean update through block momentum. An epoch has as many
 * rounds as the fullest partition needs.
 */
public final class AdamTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(AdamTrainer.class);

  private AdamTrainer() {}

  static FitResult train(FitSpec spec, SparkSession spark, Network net, TrainingBlocks data,
      double[] start, TrainingCheckpoint resumed, FitCheckpoints checkpoints, Validation validation) {
    int size = net.numWeights();
    double rate = spec.stepSize();
    double reg = spec.regParam();
    double momentum = spec.blockMomentum();
    long seed = spec.seed();
    int localSteps = spec.localSteps();
    int maxIter = spec.maxIter();
    boolean cosine = spec.stepSizeSchedule().equals(LeakyMLPParams.COSINE);
    LocalAdam state;
    List<Double> history = new ArrayList<>();
    int epoch = 0;
    if (resumed == null) {
      state = new LocalAdam(start.clone(), new Adam(size), new BlockMomentum(size, momentum));
    } else {
      TrainingCheckpoint.AdamState saved = (TrainingCheckpoint.AdamState) resumed.solver();
      state = new LocalAdam(resumed.weights(), new Adam(saved.firstMoment(), saved.secondMoment(), saved.steps()),
          new BlockMomentum(momentum, saved.blockDelta()));
      Arrays.stream(resumed.history()).forEach(history::add);
      epoch = resumed.iteration();
    }
    int rounds = (data.maxBlocksPerPartition - 1) / localSteps + 1;
    LOG.info("{} adam: {} rounds per epoch of up to {} local steps on {} partitions, block momentum {},"
        + " {} step size {}{}", spec.stage(), rounds, localSteps, data.numPartitions(), momentum,
        spec.stepSizeSchedule(), rate, spec.dropout() > 0 ? ", dropout " + spec.dropout() : "");
    long began = System.nanoTime();
    while (epoch < maxIter && !validation.stoppedAlready(spec)) {
      epoch++;
      double loss = 0;
      for (int round = 0; round < rounds; round++) {
        int first = round * localSteps;
        double progress = (epoch - 1 + (double) round / rounds) / maxIter;
        double stepRate = cosine ? 0.5 * rate * (1 + Math.cos(Math.PI * progress)) : rate;
        LocalAdam.Sums sums = roundSums(spark, net, data.blocks, state.round(stepRate, reg), spec.dropout(), seed,
            epoch, first, localSteps);
        if (sums.rows() > 0) { // a round of rows that all weigh 0 changes nothing
          loss += state.finish(sums, Math.min(localSteps, data.maxBlocksPerPartition - first));
        }
      }
      double objective = loss / data.weightSum + net.addL2(state.weights(), reg, null);
      history.add(objective);
      LOG.info("{} adam epoch {}/{}: loss {} ({} s)", spec.stage(), epoch, maxIter,
          String.format(Locale.ROOT, "%.6f", objective),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
      boolean stop = validation.record(epoch, state.weights());
      if (checkpoints.due(epoch)) {
        Adam adam = state.adam();
        checkpoints.save(new TrainingCheckpoint(checkpoints.fingerprint(), epoch, state.weights(),
            FitResult.unboxed(history), new TrainingCheckpoint.AdamState(
                adam.firstMoment(), adam.secondMoment(), adam.steps(), state.momentum().delta()),
            TrainingCheckpoint.ValidationState.of(validation, 1)));
      }
      if (stop) {
        break;
      }
      int n = history.size();
      if (n >= 2 && Math.abs(history.get(n - 2) - objective)
          <= spec.tol() * Math.max(1.0, Math.max(Math.abs(history.get(n - 2)), Math.abs(objective)))) {
        break;
      }
    }
    return FitResult.of(state.weights(), history, epoch, data.numPartitions()).with(validation);
  }

  /** Round sums add up from the first partition's on: the total of none is no total yet. */
  private static final TreeSum.Sum<LocalAdam.Sums> ROUND_SUMS = new TreeSum.Sum<>() {
    @Override
    public LocalAdam.Sums zero() {
      return null;
    }

    @Override
    public LocalAdam.Sums add(LocalAdam.Sums total, LocalAdam.Sums part) {
      return total == null ? part : total.plus(part);
    }
  };

  /** One round: every partition's local steps on blocks {@code [first, first + steps)} of its epoch order, summed. */
  private static LocalAdam.Sums roundSums(SparkSession spark, Network net, JavaRDD<Block> blocks, LocalAdam.Round round,
      double dropout, long seed, int epoch, int first, int steps) {
    Broadcast<LocalAdam.Round> shared =
        spark.sparkContext().broadcast(round, ClassTag$.MODULE$.apply(LocalAdam.Round.class));
    try {
      JavaRDD<LocalAdam.Sums> parts = blocks.mapPartitionsWithIndex((index, it) -> {
        List<Block> local = new ArrayList<>();
        it.forEachRemaining(local::add);
        Collections.shuffle(local, new Random(seed * 31 + epoch * 1_000_003L + index));
        List<Block> chunk = local.subList(Math.min(first, local.size()), (int) Math.min((long) first + steps, local.size()));
        // each block's dropout masks follow from the seed, the epoch, the partition and the block's place
        return List.of(shared.value().localSteps(net, chunk, k -> dropout == 0 ? Dropout.NONE
            : new Dropout(dropout, Dropout.seed(seed, epoch, index, first + k)))).iterator();
      }, true);
      return TreeSum.sum(parts, ROUND_SUMS);
    } finally {
      shared.destroy();
    }
  }
}
