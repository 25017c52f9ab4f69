package dev.leakyspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class IdxTest {

  /** An IDX file: magic, then dimensions, then the bytes. */
  static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(body);
    return bytes.toByteArray();
  }

  static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /** Three 2x2 images with pixels 0, 10, 20, ... and labels 7, 0, 255. */
  static Path[] smallFiles(Path dir, boolean gzip) throws IOException {
    byte[] pixels = new byte[12];
    for (int i = 0; i < 12; i++) {
      pixels[i] = (byte) (i * 10 + (i == 11 ? 145 : 0)); // the last pixel is 255
    }
    Path images = write(dir.resolve("images" + (gzip ? ".gz" : "")), idx(2051, new int[] {3, 2, 2}, pixels), gzip);
    Path labels = write(dir.resolve("labels" + (gzip ? ".gz" : "")), idx(2049, new int[] {3}, new byte[] {7, 0, (byte) 255}), gzip);
    return new Path[] {images, labels};
  }

  @Test
  void readsImagesAndLabelsPlainOrGzipped(@TempDir Path dir, SparkSession spark) throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Path[] files = smallFiles(dir, gzip);
      Idx.Images images = Idx.readImages(files[0]);
      assertEquals(3, images.count());
      assertEquals(4, images.pixelsPerImage());
      assertArrayEquals(new int[] {7, 0, 255}, Idx.readLabels(files[1]));
      List<Row> rows = Idx.load(spark, files[0].toString(), files[1].toString()).collectAsList();
      assertEquals(3, rows.size());
      assertEquals(7.0, rows.get(0).getDouble(0), 0.0);
      assertArrayEquals(new double[] {0, 10 / 255.0, 20 / 255.0, 30 / 255.0}, ((Vector) rows.get(0).get(1)).toArray(), 1e-15);
      assertEquals(1.0, ((Vector) rows.get(2).get(1)).apply(3), 0.0);
    }
  }

  @Test
  void malformedFilesFailWithTheProblem(@TempDir Path dir, SparkSession spark) throws IOException {
    Path[] good = smallFiles(dir, false);
    assertError(() -> Idx.readImages(good[1]), "starts with magic number 2049, expected 2051 (images and labels swapped?)");
    Path truncated = write(dir.resolve("short"), idx(2051, new int[] {3, 2, 2}, new byte[5]), false);
    assertError(() -> Idx.readImages(truncated),
        "is truncated: its header promises 3 images of 2x2 (12 bytes) but only 5 bytes follow");
    assertError(() -> Idx.load(spark, truncated.toString(), good[1].toString()),
        "is truncated: its header promises 3 images of 2x2 (12 bytes) but only 5 bytes follow");
    Path header = write(dir.resolve("header"), new byte[] {0, 0, 8, 3, 0}, true);
    assertError(() -> Idx.readImages(header), "is truncated inside its 16-byte header");
    Path extra = write(dir.resolve("extra"), idx(2049, new int[] {1}, new byte[] {1, 2}), false);
    assertError(() -> Idx.readLabels(extra), "has data after the 1 labels its header promises");
    assertError(() -> Idx.readLabels(dir.resolve("nope")), "IDX file " + dir.resolve("nope") + " does not exist");
    Path twoLabels = write(dir.resolve("two"), idx(2049, new int[] {2}, new byte[] {1, 2}), false);
    assertError(() -> Idx.load(spark, good[0].toString(), twoLabels.toString()),
        "has 3 images but " + twoLabels + " has 2 labels");
    assertThrows(IllegalArgumentException.class, () -> Idx.loadFashionMnist(spark, dir.toString(), "validation"));
  }

  interface Read {
    Object run() throws IOException;
  }

  static void assertError(Read read, String message) {
    IOException e = assertThrows(IOException.class, read::run);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
