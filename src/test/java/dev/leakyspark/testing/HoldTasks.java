package dev.leakyspark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.PluginContext;

/**
 * Fault injection for tests: while the file {@code hold} exists in the folder
 * {@code spark.leaky.test.holdDir}, every task attempt that starts on an executor stops before its
 * work and waits, and first writes {@code held-<executor id>} (holding the application id) next
 * to it. A test can so kill a worker while one of its executors is running a task of the job, and
 * know which worker: it creates {@code hold}, waits for a {@code held-} file, kills that
 * executor's worker, then deletes {@code hold}.
 *
 * <pre>{@code
 * spark-submit --jars leaky-spark_2.12-...-tests.jar \
 *   --conf spark.plugins=dev.leakyspark.testing.HoldTasks --conf spark.leaky.test.holdDir=/tmp/hold ...
 * }</pre>
 */
public final class HoldTasks extends TaskStartPlugin {

  /** The Spark setting that names the folder of the {@code hold} and {@code held-} files. */
  public static final String DIR = "spark.leaky.test.holdDir";

  @Override
  void onTaskStart(PluginContext executor, TaskContext task) {
    Path dir = Path.of(executor.conf().get(DIR));
    Path hold = dir.resolve("hold");
    if (!Files.exists(hold) || task.attemptNumber() > 0) {
      return;
    }
    try (WatchService deletions = dir.getFileSystem().newWatchService()) {
      dir.register(deletions, StandardWatchEventKinds.ENTRY_DELETE);  // before the check, so no deletion is missed
      Files.writeString(dir.resolve("held-" + executor.executorID()), executor.conf().getAppId());
      while (Files.exists(hold)) {  // until the test deletes hold, or kills this executor
        WatchKey key = deletions.take();
        key.pollEvents();
        key.reset();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
