package dev.leakyspark.testing;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * A Spark plugin that only acts when a task attempt starts on an executor: the shape of the
 * fault-injection plugins {@link FailFirstAttempts} and {@link HoldTasks}.
 */
abstract class TaskStartPlugin implements SparkPlugin {

  /** Called on the executor as each task attempt starts, before its work. */
  abstract void onTaskStart(PluginContext executor, TaskContext task);

  @Override
  public final DriverPlugin driverPlugin() {
    return null;
  }

  @Override
  public final ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      private PluginContext executor;

      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        executor = context;
      }

      @Override
      public void onTaskStart() {
        TaskStartPlugin.this.onTaskStart(executor, TaskContext.get());
      }
    };
  }
}
