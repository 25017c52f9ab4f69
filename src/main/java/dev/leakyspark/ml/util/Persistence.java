package dev.leakyspark.ml.util;

import org.apache.spark.SparkContext;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;

/**
 * Loading the metadata of saved stages with errors that name the path: Spark's own reader reports a
 * missing or empty {@code metadata} folder as {@code empty collection}.
 *
 * <pre>{@code
 * public static MLReader<LeakyReLU> read() { return Persistence.paramsReader(); }
 * }</pre>
 */
public final class Persistence {

  private Persistence() {}

  /** The metadata of the stage of class {@code className} saved at {@code path}. */
  public static DefaultParamsReader.Metadata metadata(String path, SparkContext sc, String className) {
    try {
      return DefaultParamsReader$.MODULE$.loadMetadata(path, sc, className);
    } catch (Exception e) { // Hadoop's IOExceptions arrive undeclared through Scala
      throw cannotLoad(path, className, e);
    }
  }

  /** A reader for stages whose state is their params ({@code DefaultParamsReader}), with those errors. */
  public static <T> MLReader<T> paramsReader() {
    return new DefaultParamsReader<T>() {
      @Override
      public T load(String path) {
        try {
          return super.load(path);
        } catch (Exception e) {
          throw cannotLoad(path, "a saved stage", e);
        }
      }
    };
  }

  private static IllegalStateException cannotLoad(String path, String what, Exception e) {
    return new IllegalStateException(
        "Cannot load " + what + " from " + path + ": its metadata is missing or unreadable (" + e.getMessage() + ")", e);
  }
}
