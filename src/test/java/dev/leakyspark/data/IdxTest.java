package dev.leakyspark.data;

import static dev.leakyspark.testing.IdxFiles.idx;
import static dev.leakyspark.testing.IdxFiles.smallFiles;
import static dev.leakyspark.testing.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class IdxTest {

  @Test
  void readsImagesAndLabelsPlainOrGzipped(@TempDir Path dir, SparkSession spark) throws IOException {
    for (boolean gzip : new boolean[] {false, true}) {
      Path[] files = smallFiles(dir, "small", gzip);
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
    Path[] good = smallFiles(dir, "small", false);
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

  @Test
  void partitionsFollowTheRowCountNotTheCluster(@TempDir Path dir, SparkSession spark) throws IOException {
    int n = 2 * Idx.ROWS_PER_PARTITION + 1;
    byte[] labels = new byte[n];
    labels[n - 1] = 9;
    Path images = write(dir.resolve("images"), idx(2051, new int[] {n, 1, 1}, new byte[n]), false);
    Path labelFile = write(dir.resolve("labels"), idx(2049, new int[] {n}, labels), false);
    org.apache.spark.SparkConf conf = spark.sparkContext().conf();
    String before = conf.get("spark.default.parallelism", null);
    try {
      for (String parallelism : List.of("2", "64")) {
        conf.set("spark.default.parallelism", parallelism);
        Dataset<Row> rows = Idx.load(spark, images.toString(), labelFile.toString());
        List<Integer> sizes = rows.javaRDD().glom().map(List::size).collect();
        assertEquals(List.of(20_000, 20_000, 20_001), sizes, "parallelism " + parallelism);
        assertEquals(9.0, rows.javaRDD().glom().collect().get(2).get(20_000).getDouble(0), 0.0, "file order");
      }
    } finally {
      if (before == null) {
        conf.remove("spark.default.parallelism");
      } else {
        conf.set("spark.default.parallelism", before);
      }
    }
  }

  @Test
  void loadFashionMnistReadsEitherSplitByItsName(@TempDir Path dir, SparkSession spark) throws IOException {
    smallFiles(dir, "train", true);
    smallFiles(dir, "t10k", true);
    for (String split : List.of("train", "t10k")) {
      List<Row> rows = Idx.loadFashionMnist(spark, dir.toString(), split).collectAsList();
      assertEquals(List.of(7.0, 0.0, 255.0), rows.stream().map(r -> r.getDouble(0)).toList(), split);
      assertEquals(1.0, ((Vector) rows.get(2).get(1)).apply(3), 0.0, split);
    }
    assertError(() -> Idx.loadFashionMnist(spark, dir.resolve("none").toString(), "train"),
        "IDX file " + dir.resolve("none/train-images-idx3-ubyte.gz") + " does not exist");
  }

  static void assertError(Read read, String message) {
    IOException e = assertThrows(IOException.class, read::run);
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }
}
