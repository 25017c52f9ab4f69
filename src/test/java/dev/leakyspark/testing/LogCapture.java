package dev.leakyspark.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The messages one class logs while the capture is open, for tests that count what code did
 * rather than compare results that would also come out of a different route.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of(AdamTrainer.class)) {
 *   estimator.fit(data);
 *   assertEquals(List.of(5, 6, 7), log.numbers("adam epoch (\\d+)/"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  private final List<String> messages = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final AbstractAppender appender;

  private LogCapture(Class<?> source, String stopAt) {
    logger = (Logger) LogManager.getLogger(source);
    // ignoreExceptions false: an exception thrown here reaches the code that logged
    appender = new AbstractAppender("capture-" + source.getName(), null, null, false, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        String message = event.getMessage().getFormattedMessage();
        messages.add(message);
        if (stopAt != null && message.contains(stopAt)) {
          throw new Stopped(message);
        }
      }
    };
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts capturing what {@code source} logs at the level the test log configuration lets through. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture(source, null);
  }

  /**
   * Captures as {@link #of} does, and throws {@link Stopped} into the code that logs a message
   * containing {@code stopAt}: a driver that dies right after that point, for tests of resuming.
   */
  public static LogCapture stoppingAt(Class<?> source, String stopAt) {
    return new LogCapture(source, stopAt);
  }

  /** What {@link #stoppingAt} throws; it reaches the caller wrapped in Log4j's AppenderLoggingException. */
  public static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped(String message) {
      super("stopped by the test after: " + message);
    }
  }

  /** The messages so far. */
  public List<String> messages() {
    return List.copyOf(messages);
  }

  /** The first group of {@code regex} in each message that it is found in, as numbers, in order. */
  public List<Integer> numbers(String regex) {
    Pattern pattern = Pattern.compile(regex);
    return messages.stream().map(pattern::matcher).filter(Matcher::find)
        .map(m -> Integer.parseInt(m.group(1))).toList();
  }

  @Override
  public void close() {
    logger.removeAppender(appender);
    appender.stop();
  }
}
