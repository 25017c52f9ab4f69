package dev.leakyspark.bench;

import dev.leakyspark.data.Idx;
import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.ludovic.netlib.blas.BLAS;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's {@code MultilayerPerceptronClassifier} (sigmoid, l-bfgs) against
 * {@link LeakyMLPClassifier} with l-bfgs and with adam, on the same Fashion-MNIST split, in one
 * run, with the same JVM and BLAS. Prints a markdown table of test accuracy and time. Then it
 * finds the time adam needs to reach Spark's final test accuracy: it fits adam for 1, 2, ...
 * epochs (each such fit is exactly the start of the full run, as epochs are seeded by number)
 * until the model's test accuracy is at least Spark's.
 *
 * <pre>{@code
 * jobs/bench mlp --layers 784,128,10 --iters 100 --epochs 20
 * }</pre>
 */
public final class MlpBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(MlpBenchmark.class);

  private MlpBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> o = JobArgs.parse(args,
        Set.of("layers", "iters", "epochs", "alpha", "standardize", "data", "runs"), Set.of());
    int[] layers = o.containsKey("layers") ? JobArgs.sizes(o, "layers", 2) : new int[] {784, 128, 10};
    int iters = JobArgs.integer(o, "iters", 100, 0);
    int epochs = JobArgs.integer(o, "epochs", 20, 1);
    double alpha = JobArgs.finiteDouble(o, "alpha", 0.01);
    boolean standardize = JobArgs.flag(o, "standardize", true);
    String data = o.getOrDefault("data", Idx.FASHION_MNIST_DIR);
    List<String> runs = JobArgs.someOf(o, "runs", List.of("spark", LeakyMLPClassifier.LBFGS, LeakyMLPClassifier.ADAM));
    SparkSession spark = SparkSession.builder().appName("leaky-spark MLP benchmark").getOrCreate();
    try {
      int partitions = spark.sparkContext().defaultParallelism();
      Dataset<Row> train = Idx.loadFashionMnist(spark, data, "train").repartition(partitions);
      Dataset<Row> test = Idx.loadFashionMnist(spark, data, "t10k").repartition(partitions);
      if (standardize) {
        // The same scaling, fitted on the training split, feeds every model.
        StandardScalerModel scaler = new StandardScaler().setWithMean(true).setInputCol("features")
            .setOutputCol("scaled").fit(train);
        train = scaler.transform(train).drop("features").withColumnRenamed("scaled", "features");
        test = scaler.transform(test).drop("features").withColumnRenamed("scaled", "features");
      }
      train = train.cache();
      test = test.cache();
      LOG.info("Fashion-MNIST: {} train and {} test rows in {} partitions; BLAS {}",
          train.count(), test.count(), partitions, BLAS.getInstance().getClass().getSimpleName());
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "Fashion-MNIST%s, layers %s, %s, BLAS %s%n%n| model | solver | iterations | test accuracy | train seconds | seconds per iteration |%n|---|---|---|---|---|---|%n",
          standardize ? " (standardized)" : "", Arrays.toString(layers), spark.sparkContext().master(),
          BLAS.getInstance().getClass().getSimpleName()));
      double sparkAccuracy = Double.NaN;
      double sparkSeconds = Double.NaN;
      for (String run : runs) {
        long start = System.nanoTime();
        Model<?> model;
        int done;
        String name;
        if (run.equals("spark")) {
          MultilayerPerceptronClassificationModel m = new MultilayerPerceptronClassifier()
              .setLayers(layers).setMaxIter(iters).setSeed(42).fit(train);
          model = m;
          done = m.summary().totalIterations();
          name = "Spark MultilayerPerceptronClassifier (sigmoid)";
        } else {
          LeakyMLPClassificationModel m = new LeakyMLPClassifier()
              .setLayers(layers).setAlpha(alpha).setSolver(run).setMaxIter(run.equals(LeakyMLPClassifier.ADAM) ? epochs : iters)
              .setSeed(42).fit(train);
          model = m;
          done = m.summary().totalIterations();
          name = "LeakyMLPClassifier (Leaky ReLU " + alpha + ")";
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = accuracy(model, test);
        if (run.equals("spark")) {
          sparkAccuracy = accuracy;
          sparkSeconds = seconds;
        }
        LOG.info("{} {}: test accuracy {} in {} s", name, run, accuracy, seconds);
        table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.4f | %.1f | %.2f |%n",
            name, run, done, accuracy, seconds, seconds / Math.max(1, done)));
      }
      System.out.println(table);
      if (!Double.isNaN(sparkAccuracy) && runs.contains(LeakyMLPClassifier.ADAM)) {
        System.out.printf(Locale.ROOT, "Spark's final test accuracy: %.4f after %.1f s%n", sparkAccuracy, sparkSeconds);
        for (int k = 1; k <= epochs; k++) {
          long start = System.nanoTime();
          LeakyMLPClassificationModel m = new LeakyMLPClassifier().setLayers(layers).setAlpha(alpha)
              .setSolver(LeakyMLPClassifier.ADAM).setMaxIter(k).setSeed(42).fit(train);
          double seconds = (System.nanoTime() - start) / 1e9;
          double accuracy = accuracy(m, test);
          System.out.printf(Locale.ROOT, "adam, %d epochs: test accuracy %.4f in %.1f s%n", k, accuracy, seconds);
          if (accuracy >= sparkAccuracy) {
            System.out.printf(Locale.ROOT,
                "Time to Spark's accuracy: adam reaches %.4f >= %.4f after %d epochs, in %.1f s: %.0f%% of Spark's %.1f s%n",
                accuracy, sparkAccuracy, k, seconds, 100 * seconds / sparkSeconds, sparkSeconds);
            break;
          }
        }
      }
    } finally {
      spark.stop();
    }
  }

  static double accuracy(Model<?> model, Dataset<Row> test) {
    return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
  }
}
