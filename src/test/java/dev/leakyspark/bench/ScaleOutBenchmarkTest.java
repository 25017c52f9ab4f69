package dev.leakyspark.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakyspark.testing.SharedSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ScaleOutBenchmarkTest {

  @Test
  void shiftMovesPixelsAndFillsWithZeros() {
    double[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9}; // 3x3, row by row
    assertArrayEquals(new double[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, ScaleOutBenchmark.shift(image, 1, 0));
    assertArrayEquals(new double[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, ScaleOutBenchmark.shift(image, 0, -1));
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, ScaleOutBenchmark.shift(image, 2, 2));
  }

  @Test
  void grownDataIsTheRowsInFileOrderThenShiftedCopiesCutToTheSize() {
    SparkSession spark = SharedSpark.session();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(RowFactory.create((double) i, Vectors.dense(0, 0, 0, i + 1))); // 2x2, lit bottom right
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", new VectorUDT());
    Dataset<Row> train = spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3), schema);

    List<String> grown = new ArrayList<>();
    ScaleOutBenchmark.grown(spark, train, train.count(), 12).collectAsList()
        .forEach(r -> grown.add(r.getDouble(0) + " " + Arrays.toString(((Vector) r.get(1)).toArray())));

    List<String> expected = new ArrayList<>();
    for (int g = 0; g < 12; g++) {
      int i = g % 5;
      // the first 5 are the rows, then copy 1, moved one pixel up and left, then copy 2, moved one pixel up
      double[] image = g < 5 ? new double[] {0, 0, 0, i + 1}
          : g < 10 ? new double[] {i + 1, 0, 0, 0} : new double[] {0, i + 1, 0, 0};
      expected.add((double) i + " " + Arrays.toString(image));
    }
    Collections.sort(grown);
    Collections.sort(expected);
    assertEquals(expected, grown);
  }
}
