package dev.leakyspark.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished application's Spark event log (one JSON event per line), written with
 * {@code spark.eventLog.enabled=true}, {@code spark.eventLog.compress=false},
 * {@code spark.eventLog.rolling.enabled=false} and {@code spark.eventLog.dir} set to an empty
 * folder: what the driver's scheduler saw, for tests that assert what happened rather than infer
 * it from timing.
 *
 * <pre>{@code
 * EventLog log = EventLog.read(eventDir);
 * long lost = log.events("SparkListenerExecutorRemoved").size();
 * }</pre>
 */
public final class EventLog {

  private final List<JsonNode> events;

  private EventLog(List<JsonNode> events) {
    this.events = events;
  }

  /** The log of the one application that wrote to {@code dir}. */
  public static EventLog read(Path dir) {
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> logs = files.toList();
      if (logs.size() != 1 || !Files.isRegularFile(logs.get(0)) || logs.get(0).toString().endsWith(".inprogress")) {
        throw new IllegalStateException("expected one finished event log in " + dir + " but found " + logs);
      }
      try (Stream<String> lines = Files.lines(logs.get(0))) {
        return new EventLog(lines.map(line -> {
          try {
            return json.readTree(line);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).toList());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The events of one type, such as {@code SparkListenerTaskEnd}, in log order. */
  public List<JsonNode> events(String type) {
    return events.stream().filter(e -> e.path("Event").asText().equals(type)).toList();
  }
}
