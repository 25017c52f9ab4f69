package dev.leakyspark.ml.mlp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one fit: {@code checkpointDir/fit-<id>/iteration-NNNNNNNN}, where the id is
 * a hash of the fit's fingerprint (every param that changes the result, the row count and a
 * content hash of the rows). So a fit resumes only its own checkpoints, fits with other params or
 * data can share one {@code checkpointDir} at once, and a finished fit removes its folder, handing
 * nothing to a later one. A checkpoint is complete when Spark's {@code _SUCCESS} is in it; the two
 * newest are kept.
 */
public final class FitCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(FitCheckpoints.class);
  private static final String FIT = "fit-";
  private static final String ITERATION = "iteration-";
  /** Checkpoints are written under this prefix in checkpointDir, then renamed into their fit's folder. */
  private static final String WRITING = "_writing-";
  private static final FitCheckpoints NONE = new FitCheckpoints(null, null, 0, Map.of());

  private final SparkSession spark;
  private final Path root;
  private final int interval;
  private final Map<String, String> fingerprint;
  private final Path folder;
  /** This fit run's own, so that an identical fit running at once never writes into its files. */
  private final String token = UUID.randomUUID().toString().replace("-", "");

  private FitCheckpoints(SparkSession spark, Path root, int interval, Map<String, String> fingerprint) {
    this.spark = spark;
    this.root = root;
    this.interval = interval;
    this.fingerprint = fingerprint;
    this.folder = root == null ? null : new Path(root, FIT + id(fingerprint));
  }

  /** The fingerprint's name-based UUID, so the same params and data give the same folder. */
  private static String id(Map<String, String> fingerprint) {
    byte[] sorted = new TreeMap<>(fingerprint).toString().getBytes(StandardCharsets.UTF_8);
    return UUID.nameUUIDFromBytes(sorted).toString().replace("-", "").substring(0, 16);
  }

  /** No checkpoints: nothing is due, written or resumed. */
  static FitCheckpoints none() {
    return NONE;
  }

  /** The checkpoints under {@code dir} of the fit with this fingerprint, one every {@code interval} iterations. */
  static FitCheckpoints of(SparkSession spark, String dir, int interval, Map<String, String> fingerprint) {
    return new FitCheckpoints(spark, new Path(dir), interval, Map.copyOf(fingerprint));
  }

  /** The params and data of this fit, as its checkpoints record them. */
  Map<String, String> fingerprint() {
    return fingerprint;
  }

  /** Whether a checkpoint is due after {@code iteration} iterations (or epochs). */
  boolean due(int iteration) {
    return spark != null && iteration % interval == 0;
  }

  /**
   * Writes a checkpoint of this fit, then drops all but its two newest. It is written beside the
   * fit's folder and renamed into it: an identical fit running at once in the same
   * {@code checkpointDir} writes the same bits, as a fit is a function of its params and data, so
   * whichever lands first stays, and neither writes into the other's files. A folder that such a
   * fit removed on finishing is made again.
   */
  void save(TrainingCheckpoint state) {
    Path path = new Path(folder, String.format("%s%08d", ITERATION, state.iteration()));
    Path staged = new Path(root, String.format("%s%s-%08d", WRITING, token, state.iteration()));
    try {
      state.write(spark, staged);
      place(staged, path);
      List<Path> complete = complete(folder);
      for (Path old : complete.subList(0, Math.max(0, complete.size() - 2))) {
        fs().delete(old, true);
      }
    } catch (IOException | RuntimeException e) {
      throw new UncheckedIOException("Cannot write a checkpoint to " + path,
          e instanceof IOException io ? io : new IOException(e.getMessage(), e));
    }
    LOG.info("Checkpoint of iteration {} written to {}", state.iteration(), path);
  }

  /** Renames the written checkpoint {@code staged} to {@code path}, unless an identical fit's is there already. */
  private void place(Path staged, Path path) throws IOException {
    if (fs().exists(path) && !fs().exists(new Path(path, "_SUCCESS"))) {
      fs().delete(path, true); // incomplete: a writer died (checkpoints are renamed in whole)
    }
    for (int attempt = 0; attempt < 3 && !fs().exists(path); attempt++) {
      fs().mkdirs(folder);
      if (fs().rename(staged, path)) {
        return;
      }
    }
    fs().delete(staged, true);
    if (!fs().exists(new Path(path, "_SUCCESS"))) {
      throw new IOException("Cannot rename the checkpoint written to " + staged + " to " + path);
    }
  }

  /**
   * This fit's newest complete checkpoint, or null. When there is none, the log says why no other
   * checkpoint in the folder applies: which params or data of the newest other fit differ.
   */
  TrainingCheckpoint resumable() {
    if (spark == null) {
      return null;
    }
    try {
      List<Path> own = complete(folder);
      if (!own.isEmpty()) {
        Path newest = own.get(own.size() - 1);
        TrainingCheckpoint latest;
        try {
          latest = TrainingCheckpoint.read(spark, newest);
        } catch (IOException e) {
          if (fs().exists(newest)) {
            throw e;
          }
          LOG.info("The checkpoint {} was removed while being read: an identical fit has finished;"
              + " starting from the beginning", newest);
          return null;
        }
        if (!latest.fingerprint().equals(fingerprint)) {
          throw new IllegalStateException("The checkpoint " + own.get(own.size() - 1)
              + " is of another fit (" + differences(latest.fingerprint()) + "); delete it to start over");
        }
        LOG.info("Resuming from the checkpoint of iteration {} in {}", latest.iteration(), folder);
        return latest;
      }
      explainFreshStart();
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes this fit's checkpoints once it has finished. */
  void finish() {
    if (spark == null) {
      return;
    }
    try {
      if (fs().delete(folder, true)) {
        LOG.info("Fit finished; removed its checkpoints in {}", folder);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the finished fit's checkpoints in " + folder, e);
    }
  }

  private void explainFreshStart() throws IOException {
    if (!fs().exists(root)) {
      return;
    }
    List<FileStatus> others = new ArrayList<>();
    boolean legacy = false;
    for (FileStatus status : fs().listStatus(root)) {
      String name = status.getPath().getName();
      legacy |= name.startsWith(ITERATION);
      if (status.isDirectory() && name.startsWith(FIT) && !status.getPath().equals(folder)) {
        others.add(status);
      }
    }
    if (legacy) {
      LOG.warn("{} holds checkpoints of an older leaky-spark, which record no params or data;"
          + " they are not resumed", root);
    }
    others.sort(Comparator.comparingLong(FileStatus::getModificationTime));
    for (int i = others.size() - 1; i >= 0; i--) {
      List<Path> complete = complete(others.get(i).getPath());
      if (!complete.isEmpty()) {
        Path newest = complete.get(complete.size() - 1);
        String why;
        try {
          why = differences(TrainingCheckpoint.read(spark, newest).fingerprint());
        } catch (IOException e) {
          why = e.getMessage();
        }
        LOG.warn("No checkpoint of this fit in {}, so it starts from the beginning; the newest"
            + " there, {}, is of another fit: {}", root, newest, why);
        return;
      }
    }
  }

  /** The entries of {@code other} that differ from this fit's, named. */
  private String differences(Map<String, String> other) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(fingerprint).entrySet()) {
      String theirs = other.get(e.getKey());
      if (!e.getValue().equals(theirs)) {
        found.add(e.getKey() + " " + theirs + " there, " + e.getValue() + " here");
      }
    }
    return found.isEmpty() ? "the same params and data" : String.join("; ", found);
  }

  /** Complete checkpoint folders in {@code fitFolder}, oldest first. */
  private List<Path> complete(Path fitFolder) throws IOException {
    List<Path> found = new ArrayList<>();
    if (!fs().exists(fitFolder)) {
      return found;
    }
    FileStatus[] listed;
    try {
      listed = fs().listStatus(fitFolder);
    } catch (java.io.FileNotFoundException e) {
      return found; // an identical fit that finished has just removed it
    }
    for (FileStatus status : listed) {
      String name = status.getPath().getName();
      if (status.isDirectory() && name.startsWith(ITERATION) && fs().exists(new Path(status.getPath(), "_SUCCESS"))) {
        found.add(status.getPath());
      }
    }
    found.sort(Comparator.comparing(Path::getName));
    return found;
  }

  private FileSystem fs() throws IOException {
    return root.getFileSystem(spark.sparkContext().hadoopConfiguration());
  }
}
