package dev.leakyspark.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on 127.0.0.1: one master and workers of one core each, every one a
 * separate JVM started from the Spark jars that Maven resolved ({@code target/spark-classpath.txt},
 * written by {@code mvn package}). Workers launch executors from a {@code SPARK_HOME} folder whose
 * {@code jars/} links those jars.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(work, 2)) {
 *   jobs/preprocess --master cluster.url() ...
 * }
 * }</pre>
 */
public final class StandaloneCluster implements AutoCloseable {

  private final Path work;
  private final Path sparkHome;
  private final int uiPort;
  private final String url;
  private final JobProcess master;
  private final List<JobProcess> workers = new ArrayList<>();

  private StandaloneCluster(Path work, Path sparkHome, int port, int uiPort) throws InterruptedException {
    this.work = work;
    this.sparkHome = sparkHome;
    this.uiPort = uiPort;
    this.url = "spark://127.0.0.1:" + port;
    this.master = daemon("org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort));
  }

  public static StandaloneCluster start(Path work, int workers) throws IOException, InterruptedException {
    Path sparkHome = Files.createDirectories(work.resolve("spark-home/jars"));
    for (String entry : Files.readString(JobProcess.BUILD.resolve("spark-classpath.txt")).trim().split(":")) {
      Path jar = Path.of(entry);
      Path link = sparkHome.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    StandaloneCluster cluster = new StandaloneCluster(work, sparkHome.getParent(), JobProcess.freePort(), JobProcess.freePort());
    try {
      cluster.awaitWorkers(0);
      for (int i = 0; i < workers; i++) {
        cluster.addWorker();
      }
      return cluster;
    } catch (RuntimeException | InterruptedException e) {
      cluster.close();
      throw e;
    }
  }

  /** The master's URL, {@code spark://127.0.0.1:PORT}. */
  public String url() {
    return url;
  }

  public List<JobProcess> workers() {
    return workers;
  }

  /** Starts one more worker and waits until the master counts it alive. */
  public JobProcess addWorker() throws InterruptedException {
    int index = workers.size();
    JobProcess worker = daemon("org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "0",
        "--work-dir", work.resolve("worker-" + index).toString(), url);
    workers.add(worker);
    awaitWorkers((int) workers.stream().filter(JobProcess::isAlive).count());
    return worker;
  }

  /** The index of the worker that runs executor {@code executorId} of application {@code appId}. */
  public int workerOf(String appId, String executorId) {
    for (int i = 0; i < workers.size(); i++) {
      if (Files.isDirectory(work.resolve("worker-" + i).resolve(appId).resolve(executorId))) {
        return i;
      }
    }
    throw new IllegalStateException("no worker under " + work + " runs executor " + executorId + " of " + appId);
  }

  /** Kills a worker and its executors at once, as if its machine had died. */
  public void killWorker(int index) {
    workers.get(index).kill();
  }

  private JobProcess daemon(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of("java", "-Xmx512m",
        "@" + JobProcess.ROOT.resolve("conf/java17.args"),
        "-Dlog4j2.configurationFile=file:" + JobProcess.ROOT.resolve("conf/log4j2.properties"),
        "-cp", sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    // SPARK_SCALA_VERSION: without it, Spark's launcher looks for a source build to learn it.
    return JobProcess.start(Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION",
        System.getProperty("leaky.scala.binary.version", "2.12"),
        "SPARK_LOCAL_IP", "127.0.0.1",
        "SPARK_WORKER_DIR", work.toString(), "OPENBLAS_NUM_THREADS", "1"), command);
  }

  /** Polls the master's JSON status until it reports {@code count} alive workers. */
  private void awaitWorkers(int count) throws InterruptedException {
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + uiPort + "/json").openConnection();
        connection.setConnectTimeout(1000);
        last = new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = alive.matcher(last);
        if (m.find() && Integer.parseInt(m.group(1)) == count) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("the master did not report " + count + " alive workers: " + last
        + "\nmaster log:\n" + master.output());
  }

  @Override
  public void close() {
    for (JobProcess worker : workers) {
      worker.close();
    }
    master.close();
  }
}
