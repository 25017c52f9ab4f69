package dev.leakyspark.bench;

import dev.leakyspark.data.Generated;
import dev.leakyspark.cli.JobArgs;
import dev.leakyspark.jobs.Preprocess;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Time and memory against data size: {@code jobs/preprocess} and one Adam epoch of
 * {@link LeakyMLPClassifier} on Parquet inputs of growing size, in a JVM whose heap is far smaller
 * than the largest input ({@code jobs/bench scale} runs with a 1g heap). For each size it prints
 * the seconds, the seconds per million rows, the peak of the JVM's old generation during the step
 * (the long-lived data; young collections come and go), and the heap still in use after a full
 * GC once the step is done. In local mode the driver and the executors share this one JVM.
 *
 * <pre>{@code
 * jobs/bench scale --sizes 200000,600000,2000000 --dims 256
 * }</pre>
 */
public final class ScaleBenchmark {

  private ScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = JobArgs.parse(args, Set.of("sizes", "dims", "dir"), Set.of());
    int[] sizes = o.containsKey("sizes") ? JobArgs.sizes(o, "sizes", 1) : new int[] {200_000, 600_000, 2_000_000};
    int dims = JobArgs.integer(o, "dims", 256, 1);
    String dir = o.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/leaky-spark/scale");
    SparkSession spark = SparkSession.builder().appName("leaky-spark scale benchmark").getOrCreate();
    long heap = Runtime.getRuntime().maxMemory();
    System.out.printf(Locale.ROOT, "JVM max heap %d MB, %d cores, %d features per row%n",
        heap >> 20, Runtime.getRuntime().availableProcessors(), dims);
    List<String> table = new ArrayList<>();
    table.add("| rows | input (GB of doubles) | step | seconds | seconds per million rows | old-gen peak (MB) | heap after GC (MB) |");
    table.add("|---|---|---|---|---|---|---|");
    for (int rows : sizes) {
      String input = dir + "/input-" + rows + "x" + dims;
      ensureInput(spark, input, rows, dims);
      double gb = rows * (dims + 2) * 8.0 / 1e9;

      String output = dir + "/preprocessed-" + rows + "x" + dims;
      resetPeaks();
      long began = System.nanoTime();
      int status = Preprocess.run(new String[] {"--input", input, "--output", output, "--columns", "features",
          "--overwrite"});
      double seconds = (System.nanoTime() - began) / 1e9;
      if (status != 0) {
        throw new IllegalStateException("jobs/preprocess failed on " + rows + " rows");
      }
      table.add(row(rows, gb, "jobs/preprocess", seconds));

      resetPeaks();
      began = System.nanoTime();
      new LeakyMLPClassifier().setLayers(new int[] {dims, 128, 10}).setSolver(LeakyMLPClassifier.ADAM).setMaxIter(1)
          .setSeed(1).fit(spark.read().parquet(input));
      seconds = (System.nanoTime() - began) / 1e9;
      table.add(row(rows, gb, "fit, 1 adam epoch (" + dims + "-128-10)", seconds));
      System.out.println(table.get(table.size() - 2));
      System.out.println(table.get(table.size() - 1));
      FileSystem fs = new Path(output).getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(new Path(output), true);
    }
    System.out.println();
    table.forEach(System.out::println);
  }

  private static String row(long rows, double gb, String step, double seconds) {
    long oldPeak = oldGenPeakMb();
    System.gc();
    long retained = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
    return String.format(Locale.ROOT, "| %,d | %.2f | %s | %.1f | %.1f | %d | %d |", rows, gb, step, seconds,
        seconds / (rows / 1e6), oldPeak, retained);
  }

  /** Writes {@code rows} rows of the jobs' generated data unless they are there. */
  private static void ensureInput(SparkSession spark, String path, long rows, int dims) throws Exception {
    FileSystem fs = new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(new Path(path, "_SUCCESS"))) {
      Generated.rows(spark, rows, dims, (int) Math.max(2, rows / 50_000)).write().mode("overwrite").parquet(path);
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
  }

  /** The old generation's peak since {@link #resetPeaks}. */
  private static long oldGenPeakMb() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old") || pool.getName().contains("Tenured"))) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes >> 20;
  }
}
