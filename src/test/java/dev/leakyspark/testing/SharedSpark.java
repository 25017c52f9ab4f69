package dev.leakyspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one local SparkSession of the test JVM, shared by every test engine: JUnit 5 tests get it
 * as a {@code SparkSession} parameter through this extension, jqwik properties call
 * {@link #session()}. It starts on first use and stops when the JVM exits.
 */
public final class SharedSpark implements ParameterResolver {

  private static SparkSession spark;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session();
  }

  /** The shared session, started on first use. */
  public static synchronized SparkSession session() {
    if (spark == null) {
      try {
        spark =
            SparkSession.builder()
                .appName("leaky-spark-tests")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                // as users configure a session: the class by name, applied to every new session
                .config("spark.sql.extensions", "dev.leakyspark.sql.LeakyReluExtensions")
                .config("spark.sql.warehouse.dir", Files.createTempDirectory("leaky-spark-warehouse").toString())
                .getOrCreate();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop, "stop-test-spark"));
    }
    return spark;
  }
}
