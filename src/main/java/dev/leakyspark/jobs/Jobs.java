package dev.leakyspark.jobs;

import dev.leakyspark.cli.JobArgs;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the job mains share: the session's life and generated data. */
public final class Jobs {

  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private Jobs() {}

  interface Body {
    void run(SparkSession spark) throws Exception;
  }

  interface JobBody<O> {
    void run(SparkSession spark, O options) throws Exception;
  }

  /**
   * A job's entry point: prints {@code usage} for {@code --help} (0), or the problem and the usage
   * for bad options (2), else runs {@code body} with the parsed options through
   * {@link #withSession} (0, or 1 after printing the error).
   */
  static <O> int run(String job, String usage, String[] args, java.util.function.Function<String[], O> parse,
      JobBody<O> body) {
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(usage);
      return 0;
    }
    O options;
    try {
      options = parse.apply(args);
    } catch (JobArgs.UsageException e) {
      System.err.println(job + ": " + e.getMessage() + "\n\n" + usage);
      return 2;
    }
    return withSession("leaky-spark " + job, spark -> body.run(spark, options));
  }

  /**
   * Runs {@code body} on the active session, or on a new one that it stops afterwards (the
   * master comes from spark-submit, never from code). Returns 0, or 1 after printing the error.
   */
  static int withSession(String appName, Body body) {
    boolean existing = SparkSession.getActiveSession().isDefined();
    SparkSession spark = SparkSession.builder().appName(appName).getOrCreate();
    try {
      body.run(spark);
      return 0;
    } catch (Exception e) {
      LOG.debug("{} failed", appName, e);
      System.err.println(appName + " failed: " + rootMessage(e));
      return 1;
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }

  /**
   * The message that names the problem: that of the outermost argument, state or I/O error in the
   * cause chain (a task's error arrives wrapped in Spark's job failure), else that of the
   * innermost cause with a message.
   */
  static String rootMessage(Throwable e) {
    String innermost = e.getMessage();
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if ((cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
          || cause instanceof java.io.IOException) && cause.getMessage() != null) {
        return cause.getMessage();
      }
      if (cause.getMessage() != null) {
        innermost = cause.getClass().getSimpleName() + ": " + cause.getMessage();
      }
    }
    return innermost;
  }

  /** A column name quoted for {@code Dataset.col}, so dots and backticks in it are literal. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Where jobs write when no output is given: {@code <java.io.tmpdir>/leaky-spark}. */
  static String defaultOutputRoot() {
    return System.getProperty("java.io.tmpdir") + "/leaky-spark";
  }

  /** {@code <defaultOutputRoot>/<job>-<yyyyMMdd-HHmmss>}. */
  static String defaultOutput(String job) {
    return defaultOutputRoot() + "/" + job + "-"
        + new java.text.SimpleDateFormat("yyyyMMdd-HHmmss").format(new java.util.Date());
  }
}
