package dev.leakyspark.jobs;

import static dev.leakyspark.jobs.ItSupport.fingerprint;
import static dev.leakyspark.jobs.ItSupport.job;
import static dev.leakyspark.jobs.ItSupport.list;
import static dev.leakyspark.jobs.ItSupport.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.data.Generated;
import dev.leakyspark.testing.JobProcess;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.StandaloneCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/preprocess, jobs/train and jobs/predict submitted to a real standalone cluster (a master
 * and two one-core workers, each its own JVM), compared with local-mode runs of the same job
 * code; then preprocess and train with one worker killed mid-job.
 */
@ExtendWith(SharedSpark.class)
class ClusterIT {

  static final Duration LIMIT = Duration.ofMinutes(5);
  static SparkSession spark;
  static StandaloneCluster cluster;
  @TempDir static Path dir;
  static String features;
  static String train;
  static String test;
  static String localPreprocessed;
  static String localModel;

  @BeforeAll
  static void start(SparkSession session) throws Exception {
    spark = session;
    // Under target/, so the daemons' and executors' logs stay for a look after a failure.
    Path work = JobProcess.BUILD.resolve("it-cluster");
    org.apache.commons.io.FileUtils.deleteDirectory(work.toFile());
    cluster = StandaloneCluster.start(work, 2);
    features = dir.resolve("features").toString();
    Generated.rows(spark, 200_000, 64).repartition(12).write().parquet(features);
    train = dir.resolve("train").toString();
    test = dir.resolve("test").toString();
    Generated.rows(spark, 24_000, 32).where("id < 20000").repartition(4).write().parquet(train);
    Generated.rows(spark, 24_000, 32).where("id >= 20000").write().parquet(test);

    localPreprocessed = dir.resolve("local-preprocessed").toString();
    assertEquals(0, Preprocess.run(preprocessArgs(localPreprocessed).toArray(new String[0])));
    localModel = dir.resolve("local/model").toString();
    assertEquals(0, Train.run(trainArgs(localModel).toArray(new String[0])));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<String> preprocessArgs(String output) {
    return list("--input", features, "--output", output, "--columns", "features", "--alpha", "0.1");
  }

  /** Deterministic training: l-bfgs sums partial gradients in partition order, and no scaler is fitted. */
  static List<String> trainArgs(String model) {
    return list("--train", train, "--test", test, "--layers", "32,24,10", "--solver", "l-bfgs",
        "--max-iter", "20", "--standardize", "false", "--seed", "7", "--model", model);
  }

  static JobProcess onCluster(String script, List<String> args) {
    List<String> all = list("--master", cluster.url(), "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.memory=1g");
    all.addAll(args);
    return job(script, all);
  }

  @Test
  void preprocessOnTheClusterMatchesALocalRun() throws Exception {
    String out = dir.resolve("cluster-preprocessed").toString();
    try (JobProcess run = onCluster("preprocess", preprocessArgs(out))) {
      assertEquals(0, run.waitForExit(LIMIT), run.output());
      assertTrue(run.output().contains("preprocess: wrote 200000 rows to " + out), run.output());
    }
    assertEquals(fingerprint(spark, localPreprocessed), fingerprint(spark, out));
  }

  @Test
  void trainAndPredictOnTheClusterMatchLocalRuns() throws Exception {
    String model = dir.resolve("cluster/model").toString();
    try (JobProcess run = onCluster("train", trainArgs(model))) {
      assertEquals(0, run.waitForExit(LIMIT), run.output());
      assertTrue(run.output().contains("train: test accuracy"), run.output());
    }
    assertArrayEquals(weights(localModel), weights(model), 0.0, "the same weights, bit for bit");
    assertEquals(Files.readString(Path.of(localModel).resolveSibling("metrics/metrics.json"))
            .replaceAll("(?s)\"trainSeconds\".*", ""),
        Files.readString(Path.of(model).resolveSibling("metrics/metrics.json")).replaceAll("(?s)\"trainSeconds\".*", ""),
        "the same accuracy, F1 and confusion matrix");

    String scored = dir.resolve("cluster-scored").toString();
    try (JobProcess run = onCluster("predict", list("--model", model, "--input", test, "--output", scored))) {
      assertEquals(0, run.waitForExit(LIMIT), run.output());
      assertTrue(run.output().contains("predict: wrote 4000 rows to " + scored), run.output());
    }
    String localScored = dir.resolve("local-scored").toString();
    assertEquals(0, Predict.run(new String[] {"--model", localModel, "--input", test, "--output", localScored}));
    assertEquals(fingerprint(spark, localScored), fingerprint(spark, scored), "the same predictions and probabilities");
  }

  /**
   * A worker dies in the middle of the write. Expected: the driver loses that executor, Spark
   * runs its tasks again on the surviving worker, and the committer publishes each task once.
   */
  @Test
  void preprocessSurvivesAWorkerKilledMidJob() throws Exception {
    String out = dir.resolve("killed-preprocessed").toString();
    Outcome outcome = killWorkerDuring("preprocess", preprocessArgs(out), 0, run -> {
      waitForPath(Path.of(out, "_temporary"), run);
      Thread.sleep(500);
    });
    if (outcome.status() == 0) {
      assertEquals(fingerprint(spark, localPreprocessed), fingerprint(spark, out), "identical to a clean run");
    } else {
      assertFalse(Files.exists(Path.of(out, "_SUCCESS")), "a failed run never looks complete");
    }
  }

  /**
   * A worker dies during l-bfgs. Expected: its executor's cached blocks are rebuilt from the input
   * on the surviving worker, and the fixed summing order gives the clean run's weights.
   */
  @Test
  void trainingSurvivesAWorkerKilledMidJob() throws Exception {
    String model = dir.resolve("killed/model").toString();
    Outcome outcome = killWorkerDuring("train", trainArgs(model), 1,
        run -> assertTrue(run.waitFor("l-bfgs iteration 3/20", LIMIT), run.output()));
    if (outcome.status() == 0) {
      assertTrue(outcome.log().contains("l-bfgs iteration 20/20"), outcome.log());
      assertArrayEquals(weights(localModel), weights(model), 0.0, "identical to a clean run");
    } else {
      assertFalse(Files.exists(Path.of(model)), "no model after a failed run");
    }
  }

  record Outcome(int status, String log) {}

  interface Moment {
    void await(JobProcess run) throws Exception;
  }

  /**
   * Submits {@code jobs/<script>}, kills worker {@code worker} once {@code moment} has come (the
   * job still running), waits for the job's end, prints the outcome and restores the worker.
   */
  private static Outcome killWorkerDuring(String script, List<String> args, int worker, Moment moment)
      throws Exception {
    Outcome outcome;
    try (JobProcess run = onCluster(script, args)) {
      moment.await(run);
      assertTrue(run.isAlive(), "the job must still be running when the worker dies:\n" + run.output());
      cluster.killWorker(worker);
      outcome = new Outcome(run.waitForExit(LIMIT), run.output());
    } finally {
      cluster.addWorker();
    }
    report("jobs/" + script, outcome.status(), outcome.log());
    return outcome;
  }

  private static void waitForPath(Path path, JobProcess run) throws InterruptedException {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (!Files.exists(path)) {
      if (System.nanoTime() > deadline || !run.isAlive()) {
        throw new AssertionError(path + " never appeared:\n" + run.output());
      }
      Thread.sleep(50);
    }
  }

  /** Prints the outcome and the driver's own words about the loss, for the test report. */
  private static void report(String job, int status, String log) {
    System.out.printf("%s with a worker killed mid-job: %s (exit %d). The driver logged:%n", job,
        status == 0 ? "finished on the surviving worker" : "failed", status);
    log.lines().filter(l -> l.contains("Lost executor") || l.contains("Lost task") || l.contains("lost worker"))
        .limit(4).forEach(l -> System.out.println("  " + l));
  }
}
