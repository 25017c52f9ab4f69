package dev.leakyspark.jobs;

import static dev.leakyspark.jobs.ItSupport.fingerprint;
import static dev.leakyspark.jobs.ItSupport.job;
import static dev.leakyspark.jobs.ItSupport.list;
import static dev.leakyspark.jobs.ItSupport.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakyspark.data.Generated;
import dev.leakyspark.testing.EventLog;
import dev.leakyspark.testing.HoldTasks;
import dev.leakyspark.testing.JobProcess;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * jobs/preprocess, jobs/train and jobs/predict submitted to a real standalone cluster (a master
 * and two one-core workers, each its own JVM), with one worker killed in the middle of preprocess
 * and of train, and compared with local-mode runs of the same job code.
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
    Generated.rows(spark, 120_000, 64).repartition(12).write().parquet(features);
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
        "--max-iter", "10", "--standardize", "false", "--seed", "7", "--model", model);
  }

  static JobProcess onCluster(String script, List<String> args) {
    List<String> all = list("--master", cluster.url(), "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.executor.memory=1g");
    all.addAll(args);
    return job(script, all);
  }

  /**
   * A worker dies in the middle of the write. Expected: the driver loses that executor, Spark
   * runs its tasks again on the surviving worker, and the committer publishes each task once.
   */
  @Test
  void preprocessSurvivesAWorkerKilledMidJob() throws Exception {
    String out = dir.resolve("killed-preprocessed").toString();
    EventLog events = killWorkerDuring("preprocess", preprocessArgs(out), run -> awaitPath(Path.of(out, "_temporary"), run));
    assertLostWithATaskRunning(events);
    assertEquals(fingerprint(spark, localPreprocessed), fingerprint(spark, out), "identical to a clean run");
  }

  /**
   * A worker dies during l-bfgs. Expected: its executor's cached blocks are rebuilt from the input
   * on the surviving worker, and the fixed summing order gives the clean local run's weights and
   * metrics, although the cluster's default parallelism (16) is not local[2]'s: the training
   * partitions follow the data. Then jobs/predict on the cluster scores as a local run does.
   */
  @Test
  void trainingSurvivesAWorkerKilledMidJobAndPredictMatchesALocalRun() throws Exception {
    String model = dir.resolve("killed/model").toString();
    List<String> args = list("--conf", "spark.default.parallelism=16"); // local[2]'s is 2
    args.addAll(trainArgs(model));
    EventLog events = killWorkerDuring("train", args, run -> {
      assertTrue(run.waitFor("l-bfgs iteration 3/10", LIMIT), run.output());
      assertTrue(run.output().contains("numPartitions unset, so 1 for 20000 rows"), "chosen from the data: " + run.output());
    });
    assertLostWithATaskRunning(events);
    assertArrayEquals(weights(localModel), weights(model), 0.0, "identical to a clean run, bit for bit");
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

  interface Moment {
    void await(JobProcess run) throws Exception;
  }

  /**
   * Submits {@code jobs/<script>} with {@link HoldTasks} and an event log. Once {@code moment}
   * has come, the tasks that start next wait; the worker of the first executor that holds one is
   * killed, so that it dies with a task of the job running. Then the other tasks go on, and the
   * job must succeed. Restores the worker, and returns the driver's event log.
   */
  private static EventLog killWorkerDuring(String script, List<String> args, Moment moment) throws Exception {
    Path holds = Files.createDirectories(dir.resolve("hold-" + script));
    Path events = Files.createDirectories(dir.resolve("events-" + script));
    List<String> all = list("--jars", JobProcess.builtJar("-tests.jar"),
        "--conf", "spark.plugins=" + HoldTasks.class.getName(), "--conf", HoldTasks.DIR + "=" + holds,
        // one plain file: Spark 4 rolls event logs into a folder by default
        "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.compress=false",
        "--conf", "spark.eventLog.rolling.enabled=false",
        "--conf", "spark.eventLog.dir=file:" + events);
    all.addAll(args);
    int status;
    String log;
    try (JobProcess run = onCluster(script, all)) {
      moment.await(run);
      Path hold = Files.createFile(holds.resolve("hold"));
      Path held = awaitHeld(holds, run);
      String executor = held.getFileName().toString().substring("held-".length());
      cluster.killWorker(cluster.workerOf(Files.readString(held), executor));
      Files.delete(hold);
      status = run.waitForExit(LIMIT);
      log = run.output();
    } finally {
      cluster.addWorker();
    }
    report("jobs/" + script, status, log);
    assertEquals(0, status, "the job must finish on the surviving worker:\n" + log);
    return EventLog.read(events);
  }

  /**
   * From the driver's event log: exactly one executor was lost, with a task running (it ended in
   * {@code ExecutorLostFailure}), that task's stage then succeeded on another executor, and its job
   * succeeded.
   */
  private static void assertLostWithATaskRunning(EventLog log) {
    List<JsonNode> removed = log.events("SparkListenerExecutorRemoved");
    assertEquals(1, removed.size(), "executors removed: " + removed);
    String lost = removed.get(0).path("Executor ID").asText();
    List<JsonNode> ends = log.events("SparkListenerTaskEnd");
    List<JsonNode> cut = ends.stream()
        .filter(e -> e.path("Task End Reason").path("Reason").asText().equals("ExecutorLostFailure")).toList();
    assertFalse(cut.isEmpty(), "no task was running on executor " + lost + " when it was lost");
    for (JsonNode task : cut) {
      assertEquals(lost, task.path("Task Info").path("Executor ID").asText(), task.toString());
      int stage = task.path("Stage ID").asInt();
      assertTrue(ends.stream().anyMatch(e -> e.path("Stage ID").asInt() == stage
              && e.path("Task End Reason").path("Reason").asText().equals("Success")
              && !e.path("Task Info").path("Executor ID").asText().equals(lost)),
          "stage " + stage + " went on on another executor");
      int job = log.events("SparkListenerJobStart").stream()
          .filter(e -> containsStage(e.path("Stage IDs"), stage))
          .findFirst().orElseThrow().path("Job ID").asInt();
      assertTrue(log.events("SparkListenerJobEnd").stream().anyMatch(e -> e.path("Job ID").asInt() == job
          && e.path("Job Result").path("Result").asText().equals("JobSucceeded")), "job " + job + " succeeded");
    }
  }

  private static boolean containsStage(JsonNode stageIds, int stage) {
    for (JsonNode id : stageIds) {
      if (id.asInt() == stage) {
        return true;
      }
    }
    return false;
  }

  /** The first non-empty {@code held-} file in {@code holds}: an executor is running a task that waits. */
  private static Path awaitHeld(Path holds, JobProcess run) throws Exception {
    return await(run, "no task was held", () -> {
      try (var files = Files.list(holds)) {
        return files.filter(p -> p.getFileName().toString().startsWith("held-") && p.toFile().length() > 0).findFirst();
      }
    });
  }

  private static void awaitPath(Path path, JobProcess run) throws Exception {
    await(run, path + " never appeared", () -> Optional.of(path).filter(Files::exists));
  }

  interface Probe {
    Optional<Path> look() throws IOException;
  }

  /** Polls the file system, which the job's processes share with the test, until {@code probe} finds its file. */
  private static Path await(JobProcess run, String failure, Probe probe) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      Optional<Path> found = probe.look();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() > deadline || !run.isAlive()) {
        throw new AssertionError(failure + ":\n" + run.output());
      }
      Thread.sleep(20); // polls for the observed event; the deadline only bounds a broken run
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
