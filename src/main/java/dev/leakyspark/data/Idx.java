package dev.leakyspark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
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
      checkMagic(file, in.readInt(), IMAGES_MAGIC, "images");
      int count = in.readInt();
      int rows = in.readInt();
      int cols = in.readInt();
      if (count < 0 || rows < 1 || cols < 1 || (long) count * rows * cols > Integer.MAX_VALUE - 8) {
        throw new IOException(
            "IDX images file " + file + " has an invalid header: " + count + " images of " + rows + "x" + cols);
      }
      byte[] pixels = readBody(file, in, count * rows * cols, count + " images of " + rows + "x" + cols);
      return new Images(count, rows, cols, pixels);
    } catch (EOFException e) {
      throw new IOException("IDX images file " + file + " is truncated inside its 16-byte header", e);
    }
  }

  /** The labels, one unsigned byte each (0 to 255). */
  public static int[] readLabels(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      checkMagic(file, in.readInt(), LABELS_MAGIC, "labels");
      int count = in.readInt();
      if (count < 0) {
        throw new IOException("IDX labels file " + file + " has an invalid count " + count);
      }
      byte[] bytes = readBody(file, in, count, count + " labels");
      int[] labels = new int[count];
      for (int i = 0; i < count; i++) {
        labels[i] = Byte.toUnsignedInt(bytes[i]);
      }
      return labels;
    } catch (EOFException e) {
      throw new IOException("IDX labels file " + file + " is truncated inside its 8-byte header", e);
    }
  }

  /**
   * An images file and its labels file as a DataFrame {@code (label double, features vector)},
   * with pixels scaled from 0..255 to [0, 1], in file order.
   */
  public static Dataset<Row> load(SparkSession spark, String imagesFile, String labelsFile)
      throws IOException {
    Images images = readImages(Path.of(imagesFile));
    int[] labels = readLabels(Path.of(labelsFile));
    if (images.count() != labels.length) {
      throw new IOException(
          "IDX files do not match: " + imagesFile + " has " + images.count() + " images but "
              + labelsFile + " has " + labels.length + " labels");
    }
    int size = images.pixelsPerImage();
    List<Row> rows = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      double[] features = new double[size];
      for (int j = 0; j < size; j++) {
        features[j] = Byte.toUnsignedInt(images.pixels()[i * size + j]) / 255.0;
      }
      rows.add(RowFactory.create((double) labels[i], new DenseVector(features)));
    }
    StructType schema =
        new StructType()
            .add("label", DataTypes.DoubleType, false)
            .add("features", new VectorUDT(), false);
    return spark.createDataFrame(rows, schema);
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

  private static byte[] readBody(Path file, DataInputStream in, int length, String what)
      throws IOException {
    byte[] body = new byte[length];
    int read = in.readNBytes(body, 0, length);
    if (read < length) {
      throw new IOException(
          "IDX file " + file + " is truncated: its header promises " + what + " (" + length
              + " bytes) but only " + read + " bytes follow");
    }
    if (in.read() != -1) {
      throw new IOException("IDX file " + file + " has data after the " + what + " its header promises");
    }
    return body;
  }
}
