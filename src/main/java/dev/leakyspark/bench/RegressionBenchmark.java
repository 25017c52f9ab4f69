package dev.leakyspark.bench;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.data.Generated;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.RandomForestRegressor;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LeakyMLPRegressor} (l-bfgs and adam) against Spark's {@code LinearRegression},
 * {@code GBTRegressor} and {@code RandomForestRegressor} on Friedman #1 generated with a fixed
 * seed, in one run with the same JVM and split. Prints a markdown table of test RMSE, R² and
 * training seconds; the noise alone gives an RMSE of 1.
 *
 * <pre>{@code
 * jobs/bench regression --rows 100000 --layers 10,64,64,1 --iters 200 --epochs 30
 * }</pre>
 */
public final class RegressionBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(RegressionBenchmark.class);
  private static final List<String> RUNS = List.of("linear", "gbt", "forest", "l-bfgs", "adam");

  private RegressionBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> o = JobArgs.parse(args, Set.of("rows", "layers", "iters", "epochs", "seed", "runs"), Set.of());
    long rows = JobArgs.integer(o, "rows", 100_000, 10);
    int[] layers = o.containsKey("layers") ? JobArgs.sizes(o, "layers", 2) : new int[] {10, 64, 64, 1};
    int iters = JobArgs.integer(o, "iters", 200, 0);
    int epochs = JobArgs.integer(o, "epochs", 30, 1);
    long seed = JobArgs.integer(o, "seed", 42, 0);
    List<String> runs = JobArgs.someOf(o, "runs", RUNS);
    SparkSession spark = SparkSession.builder().appName("leaky-spark regression benchmark").getOrCreate();
    try {
      Dataset<Row>[] split = Generated.friedman1(spark, rows, seed).randomSplit(new double[] {0.8, 0.2}, seed);
      Dataset<Row> train = split[0].cache();
      Dataset<Row> test = split[1].cache();
      LOG.info("Friedman #1: {} train and {} test rows; BLAS {}", train.count(), test.count(),
          BLAS.getInstance().getClass().getSimpleName());
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "Friedman #1, %d rows (seed %d, 20%% held out), %s, BLAS %s%n%n"
              + "| model | settings | test RMSE | test R² | train seconds |%n|---|---|---|---|---|%n",
          rows, seed, spark.sparkContext().master(), BLAS.getInstance().getClass().getSimpleName()));
      for (String run : runs) {
        String settings;
        Estimator<?> estimator;
        switch (run) {
          case "linear" -> {
            estimator = new LinearRegression();
            settings = "defaults";
          }
          case "gbt" -> {
            estimator = new GBTRegressor().setMaxIter(100).setMaxDepth(5).setSeed(seed);
            settings = "100 trees, depth 5";
          }
          case "forest" -> {
            estimator = new RandomForestRegressor().setNumTrees(100).setMaxDepth(10).setSeed(seed);
            settings = "100 trees, depth 10";
          }
          default -> {
            boolean adam = run.equals(LeakyMLPRegressor.ADAM);
            estimator = new LeakyMLPRegressor().setLayers(layers).setSolver(run).setMaxIter(adam ? epochs : iters)
                .setStepSize(0.003).setSeed(seed);
            settings = run + ", layers " + Arrays.toString(layers) + ", " + (adam ? epochs + " epochs" : iters
                + " iterations");
          }
        }
        long start = System.nanoTime();
        Model<?> model = estimator.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> scored = model.transform(test);
        double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(scored);
        double r2 = new RegressionEvaluator().setMetricName("r2").evaluate(scored);
        String name = estimator.getClass().getSimpleName();
        LOG.info("{} ({}): test RMSE {} in {} s", name, settings, rmse, seconds);
        table.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.4f | %.1f |%n", name, settings, rmse, r2, seconds));
      }
      System.out.println(table);
    } finally {
      spark.stop();
    }
  }
}
