package dev.leakyspark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads IDX files, the MNIST-family format: a big-endian header (magic 2049 for a label file,
 * 2051 for an image file, then the counts and sizes) followed by one unsigned byte per value.
 * Gzipped files are detected and read as they are.
 *
 * <pre>{@code
 * Dataset<Row> train = Idx.load(spark,
 *     "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
 *     "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");   // (label, features)
 * }</pre>
 */
public final class Idx {

  /** The rows in each partition that {@link #load} gives (the last may hold fewer). */
  public static final int ROWS_PER_PARTITION = 30_000;

  /** Partitions for {@code rows} rows at {@link #ROWS_PER_PARTITION} each, at least one. */
  static int partitionsFor(long rows) {
    return (int) Math.max(1, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
  }

  /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
  public static final int LABELS_MAGIC = 2049;
  /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
  public static final int IMAGES_MAGIC = 2051;
  /** Where the Debian package {@code dataset-fashion-mnist} puts its files. */
  public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

  private Idx() {}

  /** Images of {@code rows x cols} unsigned-byte pixels, {@code count} of them, image after image. */
  public record Images(int count, int rows, int cols, byte[] pixels) {
    public int pixelsPerImage() {
      return rows * cols;
    }
  }

  public static Images readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] shape = imagesHeader(file, in);
      int length = shape[0] * shape[1] * shape[2];
      byte[] pixels = new byte[length];
      readBody(file, in, pixels, length, shape[0] + " images of " + shape[1] + "x" + shape[2]);
      return new Images(shape[0], shape[1], shape[2], pixels);
    }
  }

  /** The labels, one unsigned byte each (0 to 255). */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int count = labelsHeader(file, in);
      byte[] bytes = new byte[count];
      readBody(file, in, bytes, count, count + " labels");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = Byte.toUnsignedInt(bytes[i]);
      }
      return labels;
    }
  }

  /** Reads the images header: {count, rows, cols}. */
  private static int[] imagesHeader(Path file, DataInputStream in) throws IOException {
    try {
      checkMagic(file, in.readInt(), IMAGES_MAGIC, "images");
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count < 0 || rows < 1 || cols < 1 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
        throw new IOException(
            "IDX images file " + file + " has an invalid header: " + count + " images of " + rows + "x" + cols);
      }
      return new int[] {count, rows, cols};
    } catch (EOFException e) {
      throw new IOException("IDX images file " + file + " is truncated inside its 16-byte header", e);
    }
  }

  private static int labelsHeader(Path file, DataInputStream in) throws IOException {
    try {
      checkMagic(file, in.readInt(), LABELS_MAGIC, "labels");
      int count = in.readInt();
      if (count < 0) {
        throw new IOException("IDX labels file " + file + " has an invalid count " + count);
      }
      return count;
    } catch (EOFException e) {
      throw new IOException("IDX labels file " + file + " is truncated inside its 8-byte header", e);
    }
  }

  /**
   * An images file and its labels file as a DataFrame {@code (label double, features vector)},
   * with pixels scaled from 0..255 to [0, 1], in file order. The driver checks both files
   * whole; the executors then read their own ranges of rows, so no data passes through the
   * driver. On a cluster, the files must be at the same path on every worker. The rows come in
   * one partition per {@value #ROWS_PER_PARTITION} rows, whatever the cluster, so that Spark's own
   * stages after it (a {@code StandardScaler} adds its sums in partition order) see the same
   * partitions everywhere.
   */
  public static Dataset<Row> load(SparkSession spark, String imagesFile, String labelsFile)
      throws IOException {
    Path images = Path.of(imagesFile);
    Path labels = Path.of(labelsFile);
    int[] shape;
    try (DataInputStream in = open(images)) {
      shape = imagesHeader(images, in);
      readBody(images, in, null, shape[0] * shape[1] * shape[2], shape[0] + " images of " + shape[1] + "x" + shape[2]);
    }
    int count;
    try (DataInputStream in = open(labels)) {
      count = labelsHeader(labels, in);
      readBody(labels, in, null, count, count + " labels");
    }
    if (shape[0] != count) {
      throw new IOException(
          "IDX files do not match: " + imagesFile + " has " + shape[0] + " images but "
              + labelsFile + " has " + count + " labels");
    }
    int size = shape[1] * shape[2];
    int parts = partitionsFor(count);
    List<int[]> ranges = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ranges.add(new int[] {(int) ((long) count * p / parts), (int) ((long) count * (p + 1) / parts)});
    }
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(ranges, parts)
            .flatMap(range -> new RowReader(imagesFile, labelsFile, range[0], range[1], size));
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", new VectorUDT(), false);
    return spark.createDataFrame(rows, schema);
  }

  /** Reads rows {@code [from, to)} of a checked pair of files, one row at a time. */
  private static final class RowReader implements Iterator<Row> {
    private final DataInputStream images;
    private final DataInputStream labels;
    private final byte[] pixels;
    private final String imagesFile;
    private int next;
    private final int to;

    RowReader(String imagesFile, String labelsFile, int from, int to, int size) throws IOException {
      this.imagesFile = imagesFile;
      this.images = open(Path.of(imagesFile));
      this.labels = open(Path.of(labelsFile));
      this.pixels = new byte[size];
      this.next = from;
      this.to = to;
      images.skipNBytes(16 + (long) from * size);
      labels.skipNBytes(8 + (long) from);
      close(from == to);
    }

    @Override
    public boolean hasNext() {
      return next < to;
    }

    @Override
    public Row next() {
      if (next >= to) {
        throw new NoSuchElementException();
      }
      try {
        images.readFully(pixels);
        int label = labels.readUnsignedByte();
        double[] features = new double[pixels.length];
        for (int j = 0; j < pixels.length; j++) {
          features[j] = Byte.toUnsignedInt(pixels[j]) / 255.0;
        }
        next++;
        close(next == to);
        return RowFactory.create((double) label, new DenseVector(features));
      } catch (IOException e) {
        throw new UncheckedIOException("IDX file " + imagesFile + " changed or is missing on this worker at row " + next, e);
      }
    }

    private void close(boolean done) throws IOException {
      if (done) {
        images.close();
        labels.close();
      }
    }
  }

  /** The Fashion-MNIST training ({@code "train"}) or test ({@code "t10k"}) split from {@code dir}. */
  public static Dataset<Row> loadFashionMnist(SparkSession spark, String dir, String split)
      throws IOException {
    if (!split.equals("train") && !split.equals("t10k")) {
      throw new IllegalArgumentException("split must be train or t10k but got " + split);
    }
    return load(
        spark,
        dir + "/" + split + "-images-idx3-ubyte.gz",
        dir + "/" + split + "-labels-idx1-ubyte.gz");
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw;
    try {
      raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new IOException("IDX file " + file + " does not exist", e);
    }
    raw.mark(2);
    boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
    raw.reset();
    return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw);
  }

  private static void checkMagic(Path file, int magic, int expected, String kind) throws IOException {
    if (magic != expected) {
      throw new IOException(
          "IDX " + kind + " file " + file + " starts with magic number " + magic + ", expected "
              + expected + (magic == LABELS_MAGIC || magic == IMAGES_MAGIC ? " (images and labels swapped?)" : ""));
    }
  }

  /** Reads (or, when {@code into} is null, skips) the body, refusing a short or a long file. */
  private static void readBody(Path file, DataInputStream in, byte[] into, int length, String what)
      throws IOException {
    byte[] buffer = into != null ? into : new byte[1 << 16];
    int read = 0;
    while (read < length) {
      int n = into != null
          ? in.readNBytes(into, read, length - read)
          : in.readNBytes(buffer, 0, Math.min(buffer.length, length - read));
      if (n <= 0) {
        break;
      }
      read += n;
    }
    if (read < length) {
      throw new IOException(
          "IDX file " + file + " is truncated: its header promises " + what + " (" + length
              + " bytes) but only " + read + " bytes follow");
    }
    if (in.read() != -1) {
      throw new IOException("IDX file " + file + " has data after the " + what + " its header promises");
    }
  }
}
