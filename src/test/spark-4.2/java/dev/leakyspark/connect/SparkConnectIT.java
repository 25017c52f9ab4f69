package dev.leakyspark.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.JobProcess;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real Spark Connect server (spark-connect 4.2), started as users start one, with the project
 * jar and {@code spark.sql.extensions}, serves {@code leaky_relu} to a JVM client in another
 * process. The class paths come from {@code src/build/spark-connect-server.xml} and
 * {@code spark-connect-client.xml}, which the build resolves before the integration tests.
 */
class SparkConnectIT {

  @Test
  void aServerWithTheExtensionServesLeakyReluToClients() throws Exception {
    int port = JobProcess.freePort();
    List<String> server = List.of("java", "-Xmx1g", "@" + JobProcess.ROOT.resolve("conf/java17.args"),
        "-Dlog4j2.configurationFile=file:" + JobProcess.ROOT.resolve("conf/log4j2.properties"),
        "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
        "-Dspark.sql.extensions=dev.leakyspark.sql.LeakyReluExtensions",
        "-Dspark.connect.grpc.binding.address=127.0.0.1", "-Dspark.connect.grpc.binding.port=" + port,
        "-cp", JobProcess.builtJar("-SNAPSHOT.jar") + ":" + classPath("spark-connect-server-classpath.txt"),
        "org.apache.spark.sql.connect.service.SparkConnectServer");
    try (JobProcess serverProcess = JobProcess.start(Map.of("SPARK_LOCAL_IP", "127.0.0.1"), server)) {
      awaitPort(port, serverProcess);
      List<String> client = List.of("java", "-Xmx512m", "@" + JobProcess.ROOT.resolve("conf/java17.args"),
          "-cp", JobProcess.BUILD.resolve("test-classes") + ":" + classPath("spark-connect-client-classpath.txt"),
          ConnectClient.class.getName(), "sc://127.0.0.1:" + port);
      try (JobProcess clientProcess = JobProcess.start(Map.of(), client)) {
        assertEquals(0, clientProcess.waitForExit(Duration.ofMinutes(3)), clientProcess.output());
        String out = clientProcess.output();
        assertTrue(out.contains("session=org.apache.spark.sql.connect.SparkSession"), out);
        assertTrue(out.contains("sql=-0.04,null,-1.0"), out);
        assertTrue(out.contains("expr=-0.25,0.0,1.0"), out);
        assertTrue(out.contains("array=[-0.5, 2.0, null]"), out);
        assertTrue(out.contains("error=AnalysisException: ") && out.contains("leaky_relu: alpha must be finite but got Infinity"), out);
      }
    }
  }

  private static String classPath(String file) throws IOException {
    return Files.readString(JobProcess.BUILD.resolve(file)).trim();
  }

  /** Waits until the server accepts connections on {@code port}, or fails with its output. */
  private static void awaitPort(int port, JobProcess server) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && server.isAlive()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("the Connect server did not listen on " + port + ":\n" + server.output());
  }
}
