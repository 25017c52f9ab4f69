package dev.leakyspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DataFrame comparisons for JUnit 5 tests, with {@link RowEquality}: NaN equals NaN, doubles
 * within a tolerance, nested arrays and structs.
 */
public final class DataFrames {

  private DataFrames() {}

  /** Same schema and the same rows in the same order, compared exactly. */
  public static void assertEquals(Dataset<Row> expected, Dataset<Row> actual) {
    assertApproximatelyEquals(expected, actual, 0.0);
  }

  /** Same schema and the same rows in the same order, doubles within {@code tolerance}. */
  public static void assertApproximatelyEquals(
      Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
    org.junit.jupiter.api.Assertions.assertEquals(
        expected.schema().simpleString(), actual.schema().simpleString(), "schema");
    List<Row> want = expected.collectAsList();
    List<Row> got = actual.collectAsList();
    org.junit.jupiter.api.Assertions.assertEquals(want.size(), got.size(), "row count");
    for (int i = 0; i < want.size(); i++) {
      Row w = want.get(i);
      Row g = got.get(i);
      assertTrue(
          RowEquality.approxEquals(w, g, tolerance),
          () -> "row differs: expected " + w + " but got " + g);
    }
  }
}
