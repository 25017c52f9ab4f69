package dev.leakyspark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.data.Generated;
import dev.leakyspark.data.Idx;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.mlp.BlockScoring;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scoring against its floor, in one run on the same cached rows: {@code transform} to
 * {@code prediction}, beside the network's own forward pass over the rows in blocks of
 * {@value BlockScoring#BLOCK_ROWS} plus a plain scan of the features column (the floor), the
 * forward pass in other block sizes ({@code --blocks}), and training's forward and backward pass.
 * Prints a markdown table of the best of {@code --reps} runs, with FLOP rates and the ratio to the
 * floor.
 *
 * <pre>{@code
 * jobs/bench score --layers 784,256,128,10 --reps 5 --blocks 32,64,128,256,512
 * }</pre>
 */
public final class ScoreBenchmark {

  private ScoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> o = JobArgs.parse(args, Set.of("layers", "reps", "data", "blocks"), Set.of());
    int[] layers = o.containsKey("layers") ? JobArgs.sizes(o, "layers", 2) : new int[] {784, 256, 128, 10};
    int reps = JobArgs.integer(o, "reps", 5, 1);
    int[] blockSizes = o.containsKey("blocks") ? JobArgs.sizes(o, "blocks", 1) : new int[] {32, 64, 256, 512};
    String data = o.getOrDefault("data", Idx.FASHION_MNIST_DIR);
    SparkSession spark = SparkSession.builder().appName("leaky-spark scoring benchmark").getOrCreate();
    try {
      boolean fashion = Files.isDirectory(Path.of(data)) && layers[0] == 784;
      Dataset<Row> rows = (fashion ? Idx.loadFashionMnist(spark, data, "train")
          : Generated.rows(spark, 60_000, layers[0])).select("features")
          .repartition(spark.sparkContext().defaultParallelism()).cache();
      long n = rows.count();
      Network net = new Network(layers, 0.01);
      double[] weights = net.initialWeights(42);
      LeakyMLPClassificationModel model = new LeakyMLPClassificationModel("score", layers, 0.01, weights);
      Broadcast<double[]> shared = spark.sparkContext().broadcast(weights,
          scala.reflect.ClassTag$.MODULE$.apply(double[].class));
      JavaRDD<Row> column = rows.javaRDD();

      double scan = best(reps, () -> column.mapPartitions(it -> {
        long seen = 0;
        while (it.hasNext()) {
          seen += ((Vector) it.next().get(0)).size();
        }
        return List.of(seen).iterator();
      }).reduce(Long::sum));
      Map<Integer, Double> forward = new TreeMap<>();
      // transform's block size, and the others to compare it with
      for (int size : java.util.stream.IntStream.concat(java.util.stream.IntStream.of(BlockScoring.BLOCK_ROWS),
          Arrays.stream(blockSizes)).distinct().toArray()) {
        forward.put(size, best(reps, () -> column.mapPartitions(it -> blocks(it, net.numInputs(), size,
            (x, stacked) -> net.scores(shared.value(), x, stacked)[0])).reduce(Double::sum)));
      }
      // training's pass on the same blocks: forward, loss and backward (lossAndGradient)
      double training = best(reps, () -> column.mapPartitions(it -> {
        double[] gradient = new double[net.numWeights()];
        return blocks(it, net.numInputs(), BlockScoring.BLOCK_ROWS, (x, stacked) ->
            net.lossAndGradient(shared.value(), new Block(x, new double[stacked]), gradient));
      }).reduce(Double::sum));
      double transform = best(reps, () -> model.transform(rows).agg(sum(col("prediction"))).first().get(0));

      long[] multiplyAdds = new long[layers.length - 1];
      for (int l = 0; l + 1 < layers.length; l++) {
        multiplyAdds[l] = (long) layers[l] * layers[l + 1];
      }
      long all = Arrays.stream(multiplyAdds).sum();
      // forward: 2 flops a multiply-add; backward: the weights' gradient of every layer, and the
      // gradient of every layer's input but the first
      double forwardFlops = 2.0 * all * n;
      double trainingFlops = forwardFlops + 2.0 * all * n + 2.0 * (all - multiplyAdds[0]) * n;
      double chosen = forward.get(BlockScoring.BLOCK_ROWS);
      double floor = chosen + scan;
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "%s, %d cached rows, layers %s, %s, BLAS %s, best of %d%n%n| what | seconds | GFLOP/s | times the floor |%n"
              + "|---|---|---|---|%n",
          fashion ? "Fashion-MNIST train" : "generated rows", n, Arrays.toString(layers),
          spark.sparkContext().master(), BLAS.getInstance().getClass().getSimpleName(), reps));
      table.append(String.format(Locale.ROOT, "| scan of the features column | %.3f | | |%n", scan));
      forward.forEach((size, seconds) -> table.append(String.format(Locale.ROOT,
          "| forward pass in blocks of %d%s | %.3f | %.1f | |%n", size,
          size == BlockScoring.BLOCK_ROWS ? " (transform's)" : "", seconds, forwardFlops / seconds / 1e9)));
      table.append(String.format(Locale.ROOT, "| training's pass (forward and backward) in blocks of %d | %.3f | %.1f | |%n",
          BlockScoring.BLOCK_ROWS, training, trainingFlops / training / 1e9));
      table.append(String.format(Locale.ROOT, "| floor: forward pass in blocks of %d + scan | %.3f | | 1.00 |%n",
          BlockScoring.BLOCK_ROWS, floor));
      table.append(String.format(Locale.ROOT, "| `transform` to `prediction` | %.3f | | %.2f |%n", transform,
          transform / floor));
      System.out.println(table);
    } finally {
      spark.stop();
    }
  }

  /** What a pass returns for a block of {@code stacked} rows stacked in {@code x}. */
  private interface BlockPass extends java.io.Serializable {
    double run(double[] x, int stacked);
  }

  /** The sum of {@code pass} over the partition's feature vectors stacked {@code size} rows at a time. */
  private static Iterator<Double> blocks(Iterator<Row> it, int width, int size, BlockPass pass) {
    double[] x = new double[size * width];
    double total = 0;
    int stacked = 0;
    while (it.hasNext()) {
      System.arraycopy(((Vector) it.next().get(0)).toArray(), 0, x, stacked++ * width, width);
      if (stacked == size || !it.hasNext()) {
        total += pass.run(stacked == size ? x : Arrays.copyOf(x, stacked * width), stacked);
        stacked = 0;
      }
    }
    return List.of(total).iterator();
  }

  /** The fewest seconds {@code run} took in {@code reps} runs, after one to warm up. */
  private static double best(int reps, Supplier<Object> run) {
    run.get();
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < reps; i++) {
      long start = System.nanoTime();
      run.get();
      times.add((System.nanoTime() - start) / 1e9);
    }
    return times.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }
}
