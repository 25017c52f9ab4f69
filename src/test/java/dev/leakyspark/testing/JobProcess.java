package dev.leakyspark.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process started by an integration test (a script in {@code jobs/}, or a Spark daemon), with
 * its stdout and stderr collected line by line. Closing it kills it and everything it started.
 *
 * <pre>{@code
 * try (JobProcess job = JobProcess.start(Map.of(), "jobs/preprocess", "--help")) {
 *   assertEquals(0, job.waitForExit(Duration.ofMinutes(5)));
 * }
 * }</pre>
 */
public final class JobProcess implements AutoCloseable {

  /** The project's root: Maven runs tests there. */
  public static final Path ROOT = Path.of(System.getProperty("user.dir"));

  /** The build folder of the Spark line under test: target/, or target/spark-4.x/ (pom.xml). */
  public static final Path BUILD = Path.of(System.getProperty("leaky.build.dir", ROOT.resolve("target").toString()));

  /** The jar of the build folder whose name ends with {@code suffix}, such as {@code -tests.jar}. */
  public static String builtJar(String suffix) {
    try (Stream<Path> files = Files.list(BUILD)) {
      // not original-*.jar, the library jar before maven-shade-plugin added protobuf to it
      return files.filter(f -> f.getFileName().toString().startsWith("leaky-spark_")).map(Path::toString)
          .filter(f -> f.endsWith(suffix)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no *" + suffix + " in " + BUILD + ": run mvn package first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TCP port that was free a moment ago, for a daemon to listen on. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private JobProcess(Process process, String name) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
    }, "output of " + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command} in the project root, with {@code env} added (a null value removes a variable). */
  public static JobProcess start(Map<String, String> env, List<String> command) {
    return start(env, command, null);
  }

  /** As {@link #start(Map, List)}, with {@code stdin} (if not null) written to the process and closed. */
  public static JobProcess start(Map<String, String> env, List<String> command, String stdin) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    env.forEach((key, value) -> {
      if (value == null) {
        builder.environment().remove(key);
      } else {
        builder.environment().put(key, value);
      }
    });
    try {
      Process process = builder.start();
      JobProcess started = new JobProcess(process, String.join(" ", command));
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a line contains {@code fragment}; false if it never comes or the process ends first. */
  public boolean waitFor(String fragment, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (System.nanoTime() < deadline) {
        for (; seen < lines.size(); seen++) {
          if (lines.get(seen).contains(fragment)) {
            return true;
          }
        }
        if (!process.isAlive() && !reader.isAlive()) {
          return false;
        }
        lines.wait(200);
      }
    }
    return false;
  }

  /** The exit status; fails the test when the process outlives {@code timeout}. */
  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new AssertionError("timed out after " + timeout + ":\n" + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process tree at once, as a crashed machine would stop. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
