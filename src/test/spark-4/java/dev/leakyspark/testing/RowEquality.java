package dev.leakyspark.testing;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import scala.collection.Iterable;

/**
 * Row equality on the Spark 4 lines, where spark-testing-base is not built: the same rules as
 * its {@code approxEquals} on the 3.5 line.
 */
final class RowEquality {

  private RowEquality() {}

  /** NaN equals NaN, floating-point values within {@code tolerance}, nested values alike. */
  static boolean approxEquals(Row expected, Row actual, double tolerance) {
    if (expected.length() != actual.length()) {
      return false;
    }
    for (int i = 0; i < expected.length(); i++) {
      if (!equal(expected.get(i), actual.get(i), tolerance)) {
        return false;
      }
    }
    return true;
  }

  private static boolean equal(Object a, Object b, double tolerance) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Double || a instanceof Float) {
      if (!(b instanceof Double || b instanceof Float)) {
        return false;
      }
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return Double.isNaN(x) ? Double.isNaN(y) : x == y || Math.abs(x - y) <= tolerance;
    }
    if (a instanceof Row && b instanceof Row) {
      return approxEquals((Row) a, (Row) b, tolerance);
    }
    if (a instanceof Vector && b instanceof Vector) {
      return a.getClass() == b.getClass()
          && equal(Arrays.stream(((Vector) a).toArray()).boxed().toList(),
              Arrays.stream(((Vector) b).toArray()).boxed().toList(), tolerance);
    }
    if (a instanceof byte[] && b instanceof byte[]) {
      return Arrays.equals((byte[]) a, (byte[]) b);
    }
    Iterator<?> left = elements(a);
    Iterator<?> right = elements(b);
    if (left == null || right == null) {
      return a.equals(b);
    }
    while (left.hasNext() && right.hasNext()) {
      if (!equal(left.next(), right.next(), tolerance)) {
        return false;
      }
    }
    return !left.hasNext() && !right.hasNext();
  }

  private static Iterator<?> elements(Object value) {
    if (value instanceof Iterable<?> seq) {
      return scala.collection.JavaConverters.asJavaIterator(seq.iterator());
    }
    if (value instanceof java.lang.Iterable<?> java) {
      return java.iterator();
    }
    return null;
  }
}
