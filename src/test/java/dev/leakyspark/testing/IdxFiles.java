package dev.leakyspark.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Small IDX (MNIST-family) files for tests, in the layout of Fashion-MNIST:
 * {@code PREFIX-images-idx3-ubyte[.gz]} and {@code PREFIX-labels-idx1-ubyte[.gz]}.
 *
 * <pre>{@code
 * Path[] files = IdxFiles.smallFiles(dir, "train", true); // three 2x2 images, labels 7, 0, 255
 * }</pre>
 */
public final class IdxFiles {

  private IdxFiles() {}

  /** An IDX file: magic, then dimensions, then the bytes. */
  public static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(body);
    return bytes.toByteArray();
  }

  public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /**
   * Three 2x2 images with pixels 0, 10, 20, ... (the last one 255) and labels 7, 0, 255, as
   * {@code dir/PREFIX-images-idx3-ubyte} and {@code dir/PREFIX-labels-idx1-ubyte}, gzipped (with
   * {@code .gz}) or not. Returns the images and the labels file.
   */
  public static Path[] smallFiles(Path dir, String prefix, boolean gzip) throws IOException {
    byte[] pixels = new byte[12];
    for (int i = 0; i < 12; i++) {
      pixels[i] = (byte) (i * 10 + (i == 11 ? 145 : 0));
    }
    String gz = gzip ? ".gz" : "";
    Path images = write(dir.resolve(prefix + "-images-idx3-ubyte" + gz), idx(2051, new int[] {3, 2, 2}, pixels), gzip);
    Path labels = write(dir.resolve(prefix + "-labels-idx1-ubyte" + gz), idx(2049, new int[] {3}, new byte[] {7, 0, (byte) 255}), gzip);
    return new Path[] {images, labels};
  }
}
