package dev.leakyspark.ml.mlp;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Lbfgs;
import dev.leakyspark.nn.Network;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * L-BFGS on the exact mean loss and gradient over every block: each function evaluation
 * broadcasts the weights and adds up the partitions' sums with {@link TreeSum}. A resumed fit
 * continues the iteration count and loss history of its checkpoint but starts a fresh L-BFGS
 * memory there.
 */
public final class LbfgsTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(LbfgsTrainer.class);
  private static final int MEMORY = 10;

  private LbfgsTrainer() {}

  static FitResult train(FitSpec spec, SparkSession spark, Network net, TrainingBlocks data,
      double[] start, TrainingCheckpoint resumed, FitCheckpoints checkpoints, Validation validation) {
    double reg = spec.regParam();
    int[] passes = {0};
    double[] firstLoss = {Double.NaN};
    List<Double> history = new ArrayList<>();
    Lbfgs.Objective objective =
        (w, gradient) -> {
          passes[0]++;
          double[] sum = lossAndGradientSum(spark, net, data.blocks, w);
          double scale = 1.0 / data.weightSum;
          for (int i = 0; i < gradient.length; i++) {
            gradient[i] = sum[i] * scale;
          }
          double loss = sum[gradient.length] * scale + net.addL2(w, reg, gradient);
          if (passes[0] == 1) {
            firstLoss[0] = loss;
          }
          return loss;
        };
    int done = resumed == null ? 0 : resumed.iteration();
    if (resumed != null) {
      Arrays.stream(resumed.history()).forEach(history::add);
    }
    long began = System.nanoTime();
    boolean[] stop = {resumed != null ? validation.stoppedAlready(spec) : validation.record(0, start)};
    int left = stop[0] ? 0 : Math.max(0, spec.maxIter() - done);
    Lbfgs.Result result =
        new Lbfgs(MEMORY, left, spec.tol())
            .minimize(objective, start, (iteration, loss, w) -> {
              LOG.info("{} l-bfgs iteration {}/{}: loss {} ({} passes over the data, {} s)",
                  spec.stage(), done + iteration, spec.maxIter(), String.format(Locale.ROOT, "%.6f", loss), passes[0],
                  String.format(Locale.ROOT, "%.1f", (System.nanoTime() - began) / 1e9));
              if (history.isEmpty()) {
                history.add(firstLoss[0]);
              }
              history.add(loss);
              stop[0] = validation.record(done + iteration, w);
              if (checkpoints.due(done + iteration)) {
                checkpoints.save(new TrainingCheckpoint(checkpoints.fingerprint(), done + iteration, w,
                    FitResult.unboxed(history), new TrainingCheckpoint.LbfgsState(),
                    TrainingCheckpoint.ValidationState.of(validation, 0)));
              }
            }, () -> stop[0]);
    if (history.isEmpty()) {
      history.add(result.lossHistory()[0]);
    }
    return FitResult.of(result.x(), history, done + result.iterations(), data.numPartitions()).with(validation);
  }

  /** The summed gradient over every block, then the summed loss, in one array. */
  static double[] lossAndGradientSum(SparkSession spark, Network net, JavaRDD<Block> blocks, double[] w) {
    int size = net.numWeights();
    Broadcast<double[]> shared = spark.sparkContext().broadcast(w, ClassTag$.MODULE$.apply(double[].class));
    try {
      JavaRDD<double[]> parts = blocks.mapPartitions(it -> {
        double[] gradient = new double[size];
        double loss = 0;
        while (it.hasNext()) {
          loss += net.lossAndGradient(shared.value(), it.next(), gradient);
        }
        double[] sum = Arrays.copyOf(gradient, size + 1);
        sum[size] = loss;
        return List.of(sum).iterator();
      });
      return TreeSum.sum(parts, size + 1);
    } finally {
      shared.destroy();
    }
  }
}
