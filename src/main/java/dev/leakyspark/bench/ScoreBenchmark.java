package dev.leakyspark.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.data.Generated;
import dev.leakyspark.data.Idx;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.mlp.BlockScoring;
import dev.leakyspark.nn.Network;
import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * {@value BlockScoring#BLOCK_ROWS} plus a plain scan of the features column (the floor), and the
 * scan alone. Prints a markdown table of the best of {@code --reps} runs, the ratio to the floor
 * and the forward pass's FLOP rate.
 *
 * <pre>{@code
 * jobs/bench score --layers 784,256,128,10 --reps 5
 * }</pre>
 */
public final class ScoreBenchmark {

  private ScoreBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> o = JobArgs.parse(args, Set.of("layers", "reps", "data"), Set.of());
    int[] layers = o.containsKey("layers") ? JobArgs.sizes(o, "layers", 2) : new int[] {784, 256, 128, 10};
    int reps = JobArgs.integer(o, "reps", 5, 1);
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
      double forward = best(reps, () -> column.mapPartitions(it -> {
        int width = net.numInputs();
        double[] x = new double[BlockScoring.BLOCK_ROWS * width];
        double total = 0;
        int stacked = 0;
        while (it.hasNext()) {
          System.arraycopy(((Vector) it.next().get(0)).toArray(), 0, x, stacked++ * width, width);
          if (stacked == BlockScoring.BLOCK_ROWS || !it.hasNext()) {
            double[] z = net.scores(shared.value(), stacked == BlockScoring.BLOCK_ROWS ? x
                : Arrays.copyOf(x, stacked * width), stacked);
            total += z[0];
            stacked = 0;
          }
        }
        return List.of(total).iterator();
      }).reduce(Double::sum));
      double transform = best(reps, () -> model.transform(rows).agg(sum(col("prediction"))).first().get(0));

      long multiplyAdds = 0;
      for (int l = 0; l + 1 < layers.length; l++) {
        multiplyAdds += (long) layers[l] * layers[l + 1];
      }
      double gflops = 2.0 * multiplyAdds * n / forward / 1e9;
      double floor = forward + scan;
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "%s, %d cached rows, layers %s, %s, BLAS %s, best of %d%n%n| what | seconds | times the floor |%n|---|---|---|%n",
          fashion ? "Fashion-MNIST train" : "generated rows", n, Arrays.toString(layers),
          spark.sparkContext().master(), BLAS.getInstance().getClass().getSimpleName(), reps));
      table.append(String.format(Locale.ROOT, "| scan of the features column | %.3f | |%n", scan));
      table.append(String.format(Locale.ROOT, "| forward pass in blocks of %d (%.1f GFLOP/s) | %.3f | |%n",
          BlockScoring.BLOCK_ROWS, gflops, forward));
      table.append(String.format(Locale.ROOT, "| floor: forward pass + scan | %.3f | 1.00 |%n", floor));
      table.append(String.format(Locale.ROOT, "| `transform` to `prediction` | %.3f | %.2f |%n", transform,
          transform / floor));
      System.out.println(table);
    } finally {
      spark.stop();
    }
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
