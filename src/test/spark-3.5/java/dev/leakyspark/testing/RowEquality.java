package dev.leakyspark.testing;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
import org.apache.spark.sql.Row;

/**
 * Row equality on the Spark 3.5 line: spark-testing-base's. Its JUnit 4 suite classes are not
 * used: their Spark closures drag in Hive classes this project does not ship.
 */
final class RowEquality {

  private RowEquality() {}

  /** NaN equals NaN, floating-point values within {@code tolerance}, nested values alike. */
  static boolean approxEquals(Row expected, Row actual, double tolerance) {
    return DataFrameSuiteBase$.MODULE$.approxEquals(expected, actual, tolerance);
  }
}
