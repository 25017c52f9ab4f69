package dev.leakyspark.sql;

import java.util.List;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataType;
import scala.collection.JavaConverters;

/**
 * The Spark 3.5 (Scala 2.12) side of the APIs that differ between Spark lines. Each line has a
 * class of this name in {@code src/main/spark-<line>/java}; the rest of the tree calls only this.
 */
public final class SparkLine {

  /** The Spark line this jar is built for. */
  public static final String LINE = "3.5";

  private SparkLine() {}

  /** The Catalyst expression of a column. */
  public static Expression expression(Column column) {
    return column.expr();
  }

  /** Whether {@code expression} is resolved. */
  static boolean resolved(Expression expression) {
    return expression.resolved();
  }

  /** A column of a Catalyst expression. */
  public static Column column(Expression expression) {
    return new Column(expression);
  }

  /** The name a session's function registry knows a built-in function by. */
  static FunctionIdentifier functionIdentifier(String name) {
    return FunctionIdentifier.apply(name);
  }

  /** A call of the static {@code method} of {@code target}, compiled into generated code. */
  static Expression staticInvoke(
      Class<?> target,
      DataType result,
      String method,
      List<Expression> arguments,
      List<AbstractDataType> inputTypes,
      boolean propagateNull) {
    return new StaticInvoke(
        target,
        result,
        method,
        JavaConverters.asScalaBuffer(arguments).toList(),
        JavaConverters.asScalaBuffer(inputTypes).toList(),
        propagateNull,
        false,
        true);
  }

  /** A partition coalescer that {@code RDD.coalesce} accepts: Scala 2.12 wants {@code scala.Serializable}. */
  public abstract static class Coalescer implements PartitionCoalescer, scala.Serializable {
    private static final long serialVersionUID = 1L;
  }
}
