package dev.leakyspark.jobs;

import static dev.leakyspark.jobs.ItSupport.fingerprint;
import static dev.leakyspark.jobs.ItSupport.job;
import static dev.leakyspark.jobs.ItSupport.list;
import static dev.leakyspark.jobs.ItSupport.weights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.data.Generated;
import dev.leakyspark.testing.FailFirstAttempts;
import dev.leakyspark.testing.JobProcess;
import dev.leakyspark.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs under injected task failures: in {@code local[2,4]} (4 attempts per task), the first
 * attempt of every even-numbered task of every stage fails after doing its work. The results
 * must be identical to a clean run in this JVM.
 */
@ExtendWith(SharedSpark.class)
class FaultsIT {

  static SparkSession spark;
  @TempDir static Path dir;
  static String features;
  static String train;
  static String test;

  @BeforeAll
  static void data(SparkSession session) {
    spark = session;
    features = dir.resolve("features").toString();
    Generated.rows(spark, 20_000, 16).repartition(6).write().parquet(features);
    train = dir.resolve("train").toString();
    test = dir.resolve("test").toString();
    Generated.rows(spark, 6_000, 20).where("id < 5000").repartition(3).write().parquet(train);
    Generated.rows(spark, 6_000, 20).where("id >= 5000").write().parquet(test);
  }

  static JobProcess withFaults(String script, List<String> args) {
    List<String> all = list("--master", "local[2,4]", "--jars", JobProcess.builtJar("-tests.jar"),
        "--conf", "spark.plugins=" + FailFirstAttempts.class.getName());
    all.addAll(args);
    return job(script, all);
  }

  static void assertRecovered(JobProcess run, String what) throws InterruptedException {
    assertEquals(0, run.waitForExit(Duration.ofMinutes(5)), run.output());
    long injected = run.output().lines().filter(l -> l.contains("Lost task") && l.contains(FailFirstAttempts.MESSAGE)).count();
    assertTrue(injected > 0, "failures were injected and retried:\n" + run.output());
    System.out.printf("%s: %d task attempts failed by injection, all retried; result identical to a clean run%n", what, injected);
  }

  @Test
  void preprocessGivesTheCleanResult() throws Exception {
    List<String> args = list("--input", features, "--columns", "features", "--alpha", "0.3", "--output");
    String clean = dir.resolve("clean").toString();
    String faulty = dir.resolve("faulty").toString();
    assertEquals(0, Preprocess.run(withOutput(args, clean).toArray(new String[0])));
    try (JobProcess run = withFaults("preprocess", withOutput(args, faulty))) {
      assertRecovered(run, "jobs/preprocess");
    }
    assertEquals(fingerprint(spark, clean), fingerprint(spark, faulty));
  }

  @Test
  void trainingGivesTheCleanWeightsWithBothSolvers() throws Exception {
    for (String solver : List.of("l-bfgs", "adam")) {
      List<String> args = list("--train", train, "--test", test, "--layers", "20,12,10", "--solver", solver,
          "--max-iter", "8", "--step-size", "0.01", "--standardize", "false", "--seed", "3", "--model");
      String clean = dir.resolve("clean-" + solver + "/model").toString();
      String faulty = dir.resolve("faulty-" + solver + "/model").toString();
      assertEquals(0, Train.run(withOutput(args, clean).toArray(new String[0])));
      try (JobProcess run = withFaults("train", withOutput(args, faulty))) {
        assertRecovered(run, "jobs/train " + solver);
      }
      assertArrayEquals(weights(clean), weights(faulty), 0.0, solver);
    }
  }

  /** The driver dies mid-training; the same command with --resume finishes where a clean run ends. */
  @Test
  void trainResumesAfterTheDriverIsKilled() throws Exception {
    String checkpoint = dir.resolve("checkpoints").toString();
    List<String> args = list("--train", train, "--test", test, "--layers", "20,12,10", "--solver", "adam",
        "--max-iter", "10", "--step-size", "0.01", "--standardize", "false", "--seed", "3",
        "--checkpoint", checkpoint, "--checkpoint-interval", "2", "--model");
    String clean = dir.resolve("uninterrupted/model").toString();
    List<String> cleanArgs = withOutput(args, clean);
    cleanArgs.removeAll(List.of("--checkpoint", checkpoint, "--checkpoint-interval", "2"));
    assertEquals(0, Train.run(cleanArgs.toArray(new String[0])));

    String model = dir.resolve("resumed/model").toString();
    try (JobProcess run = job("train", withOutput(args, model))) {
      assertTrue(run.waitFor("Checkpoint of iteration 4 written", Duration.ofMinutes(5)), run.output());
      run.kill();
    }
    assertTrue(!Files.exists(Path.of(model)), "no model from the killed run");
    // the newest complete checkpoint at the kill: 4, or 6 if the driver got that far before it died
    int newest;
    Path fit;
    try (var fits = Files.list(Path.of(checkpoint))) {
      fit = fits.filter(p -> p.getFileName().toString().startsWith("fit-")).findFirst().orElseThrow();
    }
    try (var files = Files.list(fit)) {
      newest = files.filter(p -> Files.exists(p.resolve("_SUCCESS")))
          .mapToInt(p -> Integer.parseInt(p.getFileName().toString().replace("iteration-", ""))).max().orElseThrow();
    }
    List<String> again = withOutput(args, model);
    again.add("--resume");
    try (JobProcess run = job("train", again)) {
      assertEquals(0, run.waitForExit(Duration.ofMinutes(5)), run.output());
      assertTrue(run.output().contains("Resuming from the checkpoint of iteration " + newest + " in " + fit),
          run.output());
      List<Integer> epochs = run.output().lines().map(EPOCH::matcher).filter(Matcher::find)
          .map(m -> Integer.parseInt(m.group(1))).toList();
      assertEquals(IntStream.rangeClosed(newest + 1, 10).boxed().toList(), epochs, "only the epochs after the checkpoint");
      assertTrue(run.output().contains("10 epochs"), run.output());
    }
    assertArrayEquals(weights(clean), weights(model), 0.0);
    try (var left = Files.list(Path.of(checkpoint))) {
      assertEquals(0, left.count(), "the finished run removed its checkpoints");
    }
    System.out.println("jobs/train killed after the checkpoint of epoch 4, resumed from that of epoch " + newest
        + ": epochs " + (newest + 1) + "-10 run again, weights identical to an uninterrupted run");
  }

  private static final Pattern EPOCH = Pattern.compile("adam epoch (\\d+)/10");

  private static List<String> withOutput(List<String> args, String output) {
    List<String> all = list();
    all.addAll(args);
    all.add(output);
    return all;
  }
}
