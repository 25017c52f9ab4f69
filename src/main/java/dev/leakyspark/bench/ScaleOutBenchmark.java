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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Adam's accuracy and speed as the training partitions grow, in one of two modes.
 *
 * <p>{@code --scaling strong} (the default) keeps the data fixed, Fashion-MNIST's training set,
 * and sets {@code numPartitions} to each of {@code --partitions} ({@code 0} leaves it unset, so
 * the fit chooses from the data), for two schemes side by side: the scheme of leaky-spark 0.1
 * (every partition trains a whole epoch alone, then the models are averaged: {@code localSteps}
 * unbounded, no block momentum, a constant rate) and rounds of {@code localSteps} steps with the
 * given block momentum and rate schedule (the defaults unless given). {@code --input-partitions N}
 * hands the fit its input in N partitions. {@code --eval validation} holds 10,000 rows of the
 * training set out and scores on them, for choosing defaults without looking at the test set.
 *
 * <p>{@code --scaling weak} keeps {@link LeakyMLPClassifier#ROWS_PER_PARTITION} rows per
 * partition and grows the data with the partitions: for each P of {@code --partitions} it trains
 * with {@code numPartitions} unset on the first P x 25,000 rows of Fashion-MNIST's training set
 * followed by copies of it shifted by one pixel (the 8 neighbours), then two, and scores on the
 * test set.
 *
 * <p>Each row gives the accuracy, the seconds per epoch and per million rows per epoch (the fit's
 * time less that of a 0-epoch fit, which only lays out the rows), the Spark jobs per epoch, the
 * most bytes of task results the driver received in one job (measured by a listener) and a digest
 * of the weights, equal when two runs fit bit-identical models.
 *
 * <pre>{@code
 * jobs/bench scaleout --partitions 2,8,16,64 --epochs 10
 * jobs/bench scaleout --scaling weak --partitions 2,4,8,16 --epochs 10
 * }</pre>
 */
public final class ScaleOutBenchmark {

  private ScaleOutBenchmark() {}

  /** Pixel shifts of the copies that grow the data in weak scaling: one pixel, then two. */
  private static final int[][] SHIFTS = shifts();

  public static void main(String[] args) throws Exception {
    Map<String, String> o = JobArgs.parse(args,
        Set.of("partitions", "epochs", "layers", "eval", "local-steps", "block-momentum", "step-size", "schemes",
            "data", "seed", "step-size-schedule", "reg-param", "block-size", "scaling", "input-partitions"),
        Set.of());
    String scaling = JobArgs.oneOf(o, "scaling", "strong", List.of("strong", "weak"));
    int[] partitions = o.containsKey("partitions") ? JobArgs.integers(o, "partitions", 1, 0)
        : scaling.equals("weak") ? new int[] {2, 4, 8, 16} : new int[] {2, 8, 16, 64};
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
    int inputPartitions = JobArgs.integer(o, "input-partitions", 0, 0);
    List<String> schemes = scaling.equals("weak") ? List.of("rounds")
        : List.of(o.getOrDefault("schemes", "epoch,rounds").split(","));
    for (String scheme : schemes) {
      if (!scheme.equals("epoch") && !scheme.equals("rounds")) {
        throw new JobArgs.UsageException("--schemes takes epoch and rounds but got " + scheme);
      }
    }
    if (scaling.equals("weak") && eval.equals("validation")) {
      throw new JobArgs.UsageException("--scaling weak scores on the test set; --eval validation is for strong");
    }
    String data = o.getOrDefault("data", Idx.FASHION_MNIST_DIR);

    SparkSession spark = SparkSession.builder().appName("leaky-spark scale-out benchmark").getOrCreate();
    try {
      Dataset<Row> train = Idx.loadFashionMnist(spark, data, "train");
      Dataset<Row> test = Idx.loadFashionMnist(spark, data, "t10k");
      if (eval.equals("validation")) {
        Dataset<Row>[] split = train.randomSplit(new double[] {50_000, 10_000}, 7);
        train = split[0];
        test = split[1];
      }
      long trainRows = train.count();
      JobBytes bytes = new JobBytes();
      spark.sparkContext().addSparkListener(bytes);

      List<String> table = new ArrayList<>();
      table.add(String.format(Locale.ROOT,
          "Fashion-MNIST, %s scaling, %d train rows%s, %s accuracy, layers %s, %d epochs, %s step size %s, reg %s,"
              + " block size %d, input in %s partitions, BLAS %s, %s",
          scaling, trainRows, scaling.equals("weak") ? " grown by shifted copies" : "", eval, Arrays.toString(layers),
          epochs, schedule, stepSize, regParam, blockSize, inputPartitions == 0 ? "Idx's" : inputPartitions,
          BLAS.getInstance().getClass().getSimpleName(), spark.sparkContext().master()));
      table.add("");
      table.add("| numPartitions | rows | scheme | accuracy | seconds per epoch | seconds per million rows per epoch"
          + " | against the first | Spark jobs per epoch | most result bytes per job | weights |");
      table.add("|---|---|---|---|---|---|---|---|---|---|");
      double first = Double.NaN;
      for (int p : partitions) {
        Dataset<Row> rows = scaling.equals("weak") ? grown(spark, train, trainRows, (long) p * LeakyMLPClassifier.ROWS_PER_PARTITION)
            : train;
        StandardScalerModel scaler = new StandardScaler().setWithMean(true).setInputCol("features")
            .setOutputCol("scaled").fit(rows);
        Dataset<Row> fitOn = scaled(scaler, rows);
        fitOn = inputPartitions > 0 ? fitOn.repartition(inputPartitions) : fitOn;
        // The grown data is recomputed from the files on each pass rather than cached beside the fit's own blocks.
        fitOn = scaling.equals("weak") ? fitOn : fitOn.cache();
        Dataset<Row> scored = scaled(scaler, test).cache();
        long count = fitOn.count();
        LeakyMLPClassifier base = new LeakyMLPClassifier().setLayers(layers).setSolver(LeakyMLPClassifier.ADAM)
            .setStepSize(stepSize).setStepSizeSchedule(schedule).setRegParam(regParam).setSeed(seed).setTol(0)
            .setBlockSize(blockSize).setNumPartitions(scaling.equals("weak") ? LeakyMLPClassifier.FROM_THE_DATA : p);
        long began = System.nanoTime();
        base.copy(ParamMap.empty()).setMaxIter(0).fit(fitOn);
        double stacking = (System.nanoTime() - began) / 1e9;
        for (String scheme : schemes) {
          LeakyMLPClassifier mlp = base.copy(ParamMap.empty()).setMaxIter(epochs);
          String name;
          if (scheme.equals("epoch")) {
            mlp.setLocalSteps(Integer.MAX_VALUE).setBlockMomentum(0).setStepSizeSchedule(LeakyMLPClassifier.CONSTANT);
            name = "before: once-per-epoch averaging, constant rate";
          } else {
            mlp.setLocalSteps(localSteps).setBlockMomentum(momentum);
            name = localSteps + " local steps, block momentum " + momentum + ", " + schedule + " rate";
          }
          bytes.reset();
          began = System.nanoTime();
          LeakyMLPClassificationModel model = mlp.fit(fitOn);
          double perEpoch = ((System.nanoTime() - began) / 1e9 - stacking) / epochs;
          double perMillion = perEpoch / (count / 1e6);
          first = Double.isNaN(first) ? perMillion : first;
          String line = String.format(Locale.ROOT, "| %s | %,d | %s | %.4f | %.2f | %.2f | %.2f | %.1f | %,d | %s |",
              p == LeakyMLPClassifier.FROM_THE_DATA || scaling.equals("weak")
                  ? "unset: " + model.summary().numPartitions() : Integer.toString(p),
              count, name, MlpBenchmark.accuracy(model, scored), perEpoch, perMillion, perMillion / first,
              (double) bytes.jobs.get() / epochs, bytes.most.get(), digest(model.weights().toArray()));
          System.out.println(line);
          table.add(line);
        }
        fitOn.unpersist();
        scored.unpersist();
      }
      System.out.println();
      table.forEach(System.out::println);
    } finally {
      spark.stop();
    }
  }

  private static Dataset<Row> scaled(StandardScalerModel scaler, Dataset<Row> rows) {
    return scaler.transform(rows).drop("features").withColumnRenamed("scaled", "features");
  }

  /**
   * The first {@code rows} rows of {@code train} (its {@code n} 28x28 images in file order) followed
   * by copies of it, copy k shifted by {@code SHIFTS[k - 1]}.
   */
  static Dataset<Row> grown(SparkSession spark, Dataset<Row> train, long n, long rows) {
    int copies = (int) ((rows + n - 1) / n);
    if (copies > SHIFTS.length + 1) {
      throw new JobArgs.UsageException(String.format(Locale.ROOT,
          "--scaling weak grows %,d rows by at most %d shifted copies, too few for %,d rows", n, SHIFTS.length, rows));
    }
    JavaRDD<Row> out = train.javaRDD().zipWithIndex().flatMap(indexed -> {
      Row row = indexed._1();
      double[] image = ((Vector) row.get(1)).toArray();
      List<Row> made = new ArrayList<>(copies);
      for (int k = 0; k < copies && k * n + indexed._2() < rows; k++) {
        double[] shifted = k == 0 ? image : shift(image, SHIFTS[k - 1][0], SHIFTS[k - 1][1]);
        made.add(RowFactory.create(row.getDouble(0), Vectors.dense(shifted)));
      }
      return made.iterator();
    });
    return spark.createDataFrame(out, train.schema());
  }

  /** A square image moved {@code dx} pixels right and {@code dy} down, with zeros coming in. */
  static double[] shift(double[] image, int dx, int dy) {
    int side = (int) Math.round(Math.sqrt(image.length));
    if (side * side != image.length) {
      throw new IllegalArgumentException("shifted copies need square images but got " + image.length + " pixels");
    }
    double[] out = new double[image.length];
    for (int y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
      for (int x = Math.max(0, dx); x < Math.min(side, side + dx); x++) {
        out[y * side + x] = image[(y - dy) * side + x - dx];
      }
    }
    return out;
  }

  private static int[][] shifts() {
    List<int[]> s = new ArrayList<>();
    for (int d = 1; d <= 2; d++) {
      for (int dy = -d; dy <= d; dy++) {
        for (int dx = -d; dx <= d; dx++) {
          if (Math.max(Math.abs(dx), Math.abs(dy)) == d) {
            s.add(new int[] {dx, dy});
          }
        }
      }
    }
    return s.toArray(new int[0][]);
  }

  /** The first 16 hex digits of a SHA-256 of the weights' bits: equal digests, identical weights. */
  static String digest(double[] weights) throws java.security.NoSuchAlgorithmException {
    java.nio.ByteBuffer bits = java.nio.ByteBuffer.allocate(weights.length * Double.BYTES);
    bits.asDoubleBuffer().put(weights);
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bits.array()))
        .substring(0, 16);
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
