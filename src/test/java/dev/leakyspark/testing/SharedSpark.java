package dev.leakyspark.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that owns the one local SparkSession of the test JVM and injects it as a
 * {@code SparkSession} parameter. The session lives in the root store, so every test class
 * shares it and JUnit stops it when the run ends.
 */
public final class SharedSpark implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session(context);
  }

  /** The shared session, started on first use. */
  public static SparkSession session(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Holder.class, key -> new Holder(), Holder.class)
        .spark;
  }

  private static final class Holder implements AutoCloseable {
    final SparkSession spark;

    Holder() {
      try {
        Path warehouse = Files.createTempDirectory("leaky-spark-warehouse");
        spark =
            SparkSession.builder()
                .appName("leaky-spark-tests")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", warehouse.toString())
                .getOrCreate();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      spark.stop();
    }
  }
}
