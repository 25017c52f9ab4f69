package dev.leakyspark.bench;

import dev.leakyspark.data.Idx;
import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.ludovic.netlib.blas.BLAS;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Adam's accuracy and speed as the training partitions grow, for two schemes side by side in one
 * run: the scheme of leaky-spark 0.1 (every partition trains a whole epoch alone, then the models
 * are averaged: {@code localSteps} unbounded, no block momentum, a constant rate) and rounds of
 * {@code localSteps} steps with the given block momentum and rate schedule (the defaults unless
 * given). For each {@code numPartitions} it prints the
 * accuracy, the seconds per epoch (the fit's time less that of a 0-epoch fit, which only stacks
 * the rows), the Spark jobs per epoch and the most bytes of task results the driver received in
 * one job, measured by a listener.
 *
 * <p>{@code --eval validation} holds 10,000 rows of the training set out and scores on them, for
 * choosing defaults without looking at the test set.
 *
 * <pre>{@code
 * jobs/bench scaleout --partitions 2,8,16,64 --epochs 10
 * }</pre>
 */
public final class ScaleOutBenchmark {

  private ScaleOutBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = JobArgs.parse(args,
        Set.of("partitions", "epochs", "layers", "eval", "local-steps", "block-momentum", "step-size", "schemes",
            "data", "seed", "step-size-schedule", "reg-param", "block-size"),
        Set.of());
    int[] partitions = o.containsKey("partitions") ? JobArgs.sizes(o, "partitions", 1) : new int[] {2, 8, 16, 64};
    int epochs = JobArgs.integer(o, "epochs", 10, 1);
    int[] layers = o.containsKey("layers") ? JobArgs.sizes(o, "layers", 2) : new int[] {784, 256, 128, 10};
    String eval = JobArgs.oneOf(o, "eval", "test", List.of("test", "validation"));
    LeakyMLPClassifier defaults = new LeakyMLPClassifier();
    int localSteps = JobArgs.integer(o, "local-steps", defaults.getLocalSteps(), 1);
    double momentum = JobArgs.finiteDouble(o, "block-momentum", defaults.getBlockMomentum());
    double stepSize = JobArgs.finiteDouble(o, "step-size", defaults.getStepSize());
    String schedule = JobArgs.oneOf(o, "step-size-schedule", defaults.getStepSizeSchedule(),
        List.of(LeakyMLPClassifier.CONSTANT, LeakyMLPClassifier.COSINE));
    double regParam = JobArgs.finiteDouble(o, "reg-param", defaults.getRegParam());
    int blockSize = JobArgs.integer(o, "block-size", defaults.getBlockSize(), 1);
    long seed = JobArgs.integer(o, "seed", 42, 0);
    List<String> schemes = List.of(o.getOrDefault("schemes", "epoch,rounds").split(","));
    String data = o.getOrDefault("data", Idx.FASHION_MNIST_DIR);

    SparkSession spark = SparkSession.builder().appName("leaky-spark scale-out benchmark").getOrCreate();
    try {
      Dataset<Row> train = Idx.loadFashionMnist(spark, data, "train");
      Dataset<Row> test;
      if (eval.equals("validation")) {
        Dataset<Row>[] split = train.randomSplit(new double[] {50_000, 10_000}, 7);
        train = split[0];
        test = split[1];
      } else {
        test = Idx.loadFashionMnist(spark, data, "t10k");
      }
      StandardScalerModel scaler = new StandardScaler().setWithMean(true).setInputCol("features")
          .setOutputCol("scaled").fit(train);
      train = scaler.transform(train).drop("features").withColumnRenamed("scaled", "features").cache();
      test = scaler.transform(test).drop("features").withColumnRenamed("scaled", "features").cache();
      long trainRows = train.count();
      long evalRows = test.count();
      JobBytes bytes = new JobBytes();
      spark.sparkContext().addSparkListener(bytes);

      List<String> table = new ArrayList<>();
      table.add(String.format(Locale.ROOT,
          "Fashion-MNIST, %d train rows, %s accuracy on %d rows, layers %s, %d epochs, %s step size %s, reg %s, block size %d, BLAS %s, %s",
          trainRows, eval, evalRows, Arrays.toString(layers), epochs, schedule, stepSize, regParam, blockSize,
          BLAS.getInstance().getClass().getSimpleName(), spark.sparkContext().master()));
      table.add("");
      table.add("| numPartitions | scheme | accuracy | seconds per epoch | Spark jobs per epoch | most result bytes per job |");
      table.add("|---|---|---|---|---|---|");
      for (int p : partitions) {
        LeakyMLPClassifier base = new LeakyMLPClassifier().setLayers(layers).setSolver(LeakyMLPClassifier.ADAM)
            .setStepSize(stepSize).setStepSizeSchedule(schedule).setRegParam(regParam).setSeed(seed).setTol(0)
            .setBlockSize(blockSize).setNumPartitions(p);
        long began = System.nanoTime();
        base.copy(org.apache.spark.ml.param.ParamMap.empty()).setMaxIter(0).fit(train);
        double stacking = (System.nanoTime() - began) / 1e9;
        for (String scheme : schemes) {
          LeakyMLPClassifier mlp = base.copy(org.apache.spark.ml.param.ParamMap.empty()).setMaxIter(epochs);
          String name;
          if (scheme.equals("epoch")) {
            mlp.setLocalSteps(Integer.MAX_VALUE).setBlockMomentum(0).setStepSizeSchedule(LeakyMLPClassifier.CONSTANT);
            name = "before: once-per-epoch averaging, constant rate";
          } else if (scheme.equals("rounds")) {
            mlp.setLocalSteps(localSteps).setBlockMomentum(momentum);
            name = localSteps + " local steps, block momentum " + momentum + ", " + schedule + " rate";
          } else {
            throw new JobArgs.UsageException("--schemes takes epoch and rounds but got " + scheme);
          }
          bytes.reset();
          began = System.nanoTime();
          LeakyMLPClassificationModel model = mlp.fit(train);
          double seconds = (System.nanoTime() - began) / 1e9 - stacking;
          long jobs = bytes.jobs.get();
          double accuracy = MlpBenchmark.accuracy(model, test);
          String line = String.format(Locale.ROOT, "| %d | %s | %.4f | %.2f | %.1f | %,d |", p, name, accuracy,
              seconds / epochs, (double) jobs / epochs, bytes.most.get());
          System.out.println(line);
          table.add(line);
        }
      }
      System.out.println();
      table.forEach(System.out::println);
    } finally {
      spark.stop();
    }
  }

  /** Counts jobs and the most task-result bytes the driver received in one job. */
  private static final class JobBytes extends SparkListener {
    final AtomicLong jobs = new AtomicLong();
    final AtomicLong most = new AtomicLong();
    private final Map<Integer, Integer> stageToJob = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> perJob = new java.util.concurrent.ConcurrentHashMap<>();

    void reset() {
      jobs.set(0);
      most.set(0);
      perJob.clear();
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      jobs.incrementAndGet();
      perJob.put(start.jobId(), new AtomicLong());
      for (Object stage : scala.collection.JavaConverters.seqAsJavaList(start.stageIds())) {
        stageToJob.put((Integer) stage, start.jobId());
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      Integer job = stageToJob.get(end.stageId());
      if (job == null || end.taskMetrics() == null) {
        return;
      }
      AtomicLong sum = perJob.get(job);
      if (sum != null) {
        most.accumulateAndGet(sum.addAndGet(end.taskMetrics().resultSize()), Math::max);
      }
    }
  }
}
