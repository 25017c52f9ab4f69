package dev.leakyspark.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * Command-line options of a job or benchmark: {@code --name value} pairs and {@code --flag}s, over
 * the properties file given by {@code --conf FILE} (keys without the dashes). Flags win over the
 * file. Unknown options and keys are refused with a {@link UsageException}.
 *
 * <pre>{@code
 * Map<String, String> options = JobArgs.parse(args, Set.of("input", "output", "alpha"), Set.of("overwrite"));
 * }</pre>
 */
public final class JobArgs {

  private JobArgs() {}

  /** Thrown for options that cannot be used; the job prints the message and its usage. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static Map<String, String> parse(String[] args, Set<String> valued, Set<String> flags) {
    Map<String, String> fromArgs = new LinkedHashMap<>();
    String confFile = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      if (flags.contains(name)) {
        fromArgs.put(name, "true");
      } else if (valued.contains(name) || name.equals("conf")) {
        if (i + 1 >= args.length) {
          throw new UsageException(arg + " needs a value");
        }
        if (name.equals("conf")) {
          confFile = args[++i];
        } else {
          fromArgs.put(name, args[++i]);
        }
      } else {
        throw new UsageException("unknown option " + arg);
      }
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (confFile != null) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(confFile))) {
        properties.load(reader);
      } catch (IOException e) {
        throw new UsageException("cannot read --conf " + confFile + ": " + e);
      }
      for (String key : properties.stringPropertyNames()) {
        if (!valued.contains(key) && !flags.contains(key)) {
          throw new UsageException("unknown option " + key + " in " + confFile);
        }
        options.put(key, properties.getProperty(key).trim());
      }
    }
    options.putAll(fromArgs);
    return options;
  }

  public static double finiteDouble(Map<String, String> options, String name, double fallback) {
    String text = options.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + " needs a finite number but got '" + text + "'");
  }

  public static boolean flag(Map<String, String> options, String name, boolean fallback) {
    String value = options.getOrDefault(name, Boolean.toString(fallback));
    if (!value.equals("true") && !value.equals("false")) {
      throw new UsageException(name + " must be true or false but got '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  public static int integer(Map<String, String> options, String name, int fallback, int min) {
    String text = options.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + " needs an integer >= " + min + " but got '" + text + "'");
  }

  /** A comma-separated list of integers >= 1, such as {@code 784,256,10}; empty when absent. */
  public static int[] sizes(Map<String, String> options, String name, int minCount) {
    return integers(options, name, minCount, 1);
  }

  /** A comma-separated list of at least {@code minCount} integers >= {@code least}; empty when absent. */
  public static int[] integers(Map<String, String> options, String name, int minCount, int least) {
    String text = options.get(name);
    if (text == null) {
      return new int[0];
    }
    try {
      int[] values = java.util.Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
      if (values.length >= minCount && java.util.Arrays.stream(values).allMatch(n -> n >= least)) {
        return values;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--" + name + " needs at least " + minCount
        + " comma-separated integers >= " + least + ", such as 784,256,128,10, but got '" + text + "'");
  }

  /**
   * Sets {@code param} of {@code stage} from option {@code name}, when given, read by {@code parse}
   * (such as {@code Double::valueOf}). The param's own validator decides what is allowed; a value
   * it refuses is a usage error that quotes the param's doc.
   */
  public static <T> void param(Map<String, String> options, String name, Params stage, Param<T> param,
      Function<String, T> parse) {
    String text = options.get(name);
    if (text == null) {
      return;
    }
    T value;
    try {
      value = parse.apply(text.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs a number but got '" + text + "'");
    }
    try {
      stage.set(param, value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + name + " " + text + " is not allowed: " + param.name() + " is " + param.doc());
    }
  }

  /** A comma-separated list of integers, such as {@code 784,256,10}. */
  public static int[] intList(String text) {
    return java.util.Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  /** A comma-separated list of some of {@code allowed}, in the order given; all of them when absent. */
  public static java.util.List<String> someOf(Map<String, String> options, String name, java.util.List<String> allowed) {
    java.util.List<String> values = java.util.List.of(options.getOrDefault(name, String.join(",", allowed)).split(","));
    for (String value : values) {
      if (!allowed.contains(value)) {
        throw new UsageException("--" + name + " takes " + String.join(", ", allowed) + " but got " + value);
      }
    }
    return values;
  }

  public static String oneOf(Map<String, String> options, String name, String fallback, java.util.List<String> allowed) {
    String value = options.getOrDefault(name, fallback);
    if (!allowed.contains(value)) {
      throw new UsageException("--" + name + " must be one of " + allowed + " but got " + value);
    }
    return value;
  }
}
