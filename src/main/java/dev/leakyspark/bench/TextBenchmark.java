package dev.leakyspark.bench;

import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.NaiveBayes;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wide sparse input on real text: the descriptions of the Debian archive's packages, labelled by
 * their section (the {@code --sections} largest), through {@code Tokenizer}, {@code HashingTF}
 * ({@code --dims} features) and {@code IDF}. Spark's multinomial {@code LogisticRegression} and
 * {@code NaiveBayes} and {@link LeakyMLPClassifier} fit the same tf-idf rows in one run; the table
 * gives test accuracy, training seconds and the heap each fit took (the old generation's peak
 * above its level before the fit, where G1 puts large arrays).
 *
 * <pre>{@code
 * jobs/bench text --data src/test/resources/debian/descriptions.tsv.gz --dims 262144 --epochs 10
 * }</pre>
 */
public final class TextBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(TextBenchmark.class);
  private static final List<String> RUNS = List.of("lr", "nb", "mlp");
  /** The snapshot of the archive's descriptions the repository ships. */
  static final String DATA = "src/test/resources/debian/descriptions.tsv.gz";

  private TextBenchmark() {}

  public static void main(String[] args) {
    Map<String, String> o = JobArgs.parse(args, Set.of("data", "dims", "sections", "hidden", "epochs", "step-size",
        "local-steps", "block-size", "seed", "runs"), Set.of());
    String data = o.getOrDefault("data", DATA);
    int dims = JobArgs.integer(o, "dims", 1 << 18, 2);
    int sections = JobArgs.integer(o, "sections", 12, 2);
    int hidden = JobArgs.integer(o, "hidden", 64, 1);
    int epochs = JobArgs.integer(o, "epochs", 10, 1);
    double stepSize = JobArgs.finiteDouble(o, "step-size", 0.002);
    int localSteps = JobArgs.integer(o, "local-steps", 64, 1);
    int blockSize = JobArgs.integer(o, "block-size", 128, 1);
    long seed = JobArgs.integer(o, "seed", 42, 0);
    List<String> runs = JobArgs.someOf(o, "runs", RUNS);
    SparkSession spark = SparkSession.builder().appName("leaky-spark text benchmark").getOrCreate();
    try {
      Dataset<Row> all = spark.read().option("sep", "\t").option("header", true).csv(data);
      List<String> largest = all.groupBy("section").count().orderBy(org.apache.spark.sql.functions.desc("count"))
          .limit(sections).select("section").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
      Dataset<Row> rows = all.where(all.col("section").isin(largest.toArray()));
      Dataset<Row>[] split = rows.randomSplit(new double[] {0.8, 0.2}, seed);
      PipelineModel tfidf = new Pipeline().setStages(new PipelineStage[] {
          new StringIndexer().setInputCol("section").setOutputCol("label"),
          new Tokenizer().setInputCol("description").setOutputCol("words"),
          new HashingTF().setInputCol("words").setOutputCol("tf").setNumFeatures(dims),
          new IDF().setInputCol("tf").setOutputCol("features")}).fit(split[0]);
      Dataset<Row> train = tfidf.transform(split[0]).select("label", "features").cache();
      Dataset<Row> test = tfidf.transform(split[1]).select("label", "features").cache();
      long trainRows = train.count();
      long testRows = test.count();
      LOG.info("{}: {} training and {} test rows in {} sections, {} features", data, trainRows, testRows, sections, dims);
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "Debian package descriptions (%s), the %d largest sections: %d training and %d test rows,"
              + " tf-idf of %d hashed features, %s%n%n"
              + "| model | settings | test accuracy | train seconds | heap taken (MB) |%n|---|---|---|---|---|%n",
          data, sections, trainRows, testRows, dims, spark.sparkContext().master()));
      for (String run : runs) {
        Estimator<?> estimator;
        String settings;
        switch (run) {
          case "lr" -> {
            estimator = new LogisticRegression().setFamily("multinomial");
            settings = "multinomial, defaults (100 l-bfgs iterations at most)";
          }
          case "nb" -> {
            estimator = new NaiveBayes();
            settings = "multinomial, defaults";
          }
          default -> {
            estimator = new LeakyMLPClassifier().setLayers(new int[] {dims, hidden, sections}).setSolver("adam")
                .setMaxIter(epochs).setStepSize(stepSize).setLocalSteps(localSteps).setBlockSize(blockSize)
                .setSeed(seed);
            settings = String.format(Locale.ROOT, "adam, layers %d-%d-%d, %d epochs, step %s, %d local steps",
                dims, hidden, sections, epochs, stepSize, localSteps);
          }
        }
        System.gc();
        long before = oldGenerationUsed();
        resetPeaks();
        long began = System.nanoTime();
        Model<?> model = (Model<?>) estimator.fit(train);
        double seconds = (System.nanoTime() - began) / 1e9;
        double taken = (oldGenerationPeak() - before) / 1e6;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
            .evaluate(model.transform(test));
        LOG.info("{}: test accuracy {} in {} s", run, accuracy, seconds);
        table.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.1f | %.0f |%n",
            estimator.getClass().getSimpleName(), settings, accuracy, seconds, taken));
      }
      System.out.println(table);
    } finally {
      spark.stop();
    }
  }

  private static List<MemoryPoolMXBean> oldGeneration() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.getName().contains("Old Gen")).toList();
  }

  private static long oldGenerationUsed() {
    return oldGeneration().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  private static void resetPeaks() {
    oldGeneration().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long oldGenerationPeak() {
    return oldGeneration().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }
}
