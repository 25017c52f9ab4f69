package dev.leakyspark.testing;

import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;

/**
 * Fault injection for tests: fails the first attempt of every task with an even partition index,
 * after the task has done its work, so Spark must retry it. Enable it with
 * {@code --conf spark.plugins=dev.leakyspark.testing.FailFirstAttempts} and allow retries, for
 * example with {@code --master local[2,4]}.
 *
 * <p>The failure comes from a task-completion listener, because Spark swallows exceptions thrown
 * by {@link ExecutorPlugin#onTaskStart()} itself.
 */
public final class FailFirstAttempts extends TaskStartPlugin {

  /** The text of every injected failure, which tests look for in the driver's log. */
  public static final String MESSAGE = "injected failure of a first task attempt";

  @Override
  void onTaskStart(PluginContext executor, TaskContext task) {
    if (task.attemptNumber() == 0 && task.partitionId() % 2 == 0) {
      task.addTaskCompletionListener((TaskContext done) -> {
        if (!done.isFailed()) {
          throw new IllegalStateException(MESSAGE + " (stage " + done.stageId() + ", partition "
              + done.partitionId() + ")");
        }
      });
    }
  }
}
