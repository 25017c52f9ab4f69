package dev.leakyspark.jobs;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.testing.JobProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What the integration tests share: starting jobs/ scripts, and comparing what jobs wrote. */
final class ItSupport {

  private ItSupport() {}

  /**
   * Starts {@code jobs/<script>} with {@code args}. SPARK_HOME is cleared, so the script runs the
   * real SparkSubmit class from the jars Maven resolved, on whatever {@code --master} args give.
   */
  static JobProcess job(String script, List<String> args) {
    return job(script, args, null);
  }

  /** As {@link #job(String, List)}, with {@code stdin} (if not null) written to the script. */
  static JobProcess job(String script, List<String> args, String stdin) {
    List<String> command = new ArrayList<>();
    command.add("jobs/" + script);
    command.addAll(args);
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", null);
    env.put("LEAKY_DRIVER_MEMORY", "2g");
    return JobProcess.start(env, command, stdin);
  }

  /** Row count and two order-independent hashes over every column of a Parquet output. */
  static Row fingerprint(SparkSession spark, String path) {
    return spark.read().parquet(path)
        .selectExpr("count(*)", "bit_xor(xxhash64(*))", "sum(CAST(hash(*) AS BIGINT))").first();
  }

  /** The weights of the classifier that ends a saved PipelineModel. */
  static double[] weights(String model) {
    Transformer[] stages = PipelineModel.load(model).stages();
    return ((LeakyMLPClassificationModel) stages[stages.length - 1]).weights().toArray();
  }

  /**
   * A real Spark distribution of the line under test: the one in its pyspark wheel (bin/, jars/),
   * which the Python suite installs in the build folder's python-venv before the integration tests.
   */
  static Path sparkDistribution() throws IOException {
    // on 4.2, a second run of ScriptsIT takes pyspark 4.3's, from its own venv (pom.xml)
    Path venv = Path.of(System.getProperty("leaky.pyspark.venv", JobProcess.BUILD.resolve("python-venv").toString()));
    try (var found = Files.find(venv, 5,
        (p, a) -> p.endsWith("site-packages/pyspark") && Files.isRegularFile(p.resolve("bin/spark-submit")))) {
      return found.findFirst().orElseThrow(() -> new AssertionError("no pyspark distribution under " + venv
          + "; mvn verify installs it with the Python suite, which runs before the integration tests"));
    }
  }

  static List<String> list(String... items) {
    return new ArrayList<>(List.of(items));
  }
}
