package dev.leakyspark.sql;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.classic.ColumnNodeExpression;
import org.apache.spark.sql.classic.ExpressionUtils;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.DataType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The Spark 4.x (Scala 2.13) side of the APIs that differ between Spark lines. Each line has a
 * class of this name in {@code src/main/spark-<line>/java}; the rest of the tree calls only this.
 */
public final class SparkLine {

  /** The Spark line this jar is built for. */
  public static final String LINE = "4";

  private SparkLine() {}

  /**
   * The Catalyst expression of a column. A column that is not an expression yet, such as
   * {@code col("x")}, comes back as a placeholder that the analyzer replaces.
   */
  public static Expression expression(Column column) {
    return ExpressionUtils.expression(column);
  }

  /** Whether {@code expression} is resolved, and not a placeholder for a column the analyzer resolves later. */
  static boolean resolved(Expression expression) {
    return expression.resolved() && !(expression instanceof ColumnNodeExpression);
  }

  /** A column of a Catalyst expression. */
  public static Column column(Expression expression) {
    return ExpressionUtils.column(expression);
  }

  /**
   * The name a session's function registry knows a built-in function by: Spark 4.2 and later
   * qualify it ({@code system.builtin.leaky_relu}), 4.0 and 4.1 do not.
   */
  static FunctionIdentifier functionIdentifier(String name) {
    return QUALIFIED_BUILTINS
        ? new FunctionIdentifier(name, Option.apply("builtin"), Option.apply("system"))
        : FunctionIdentifier.apply(name);
  }

  private static final boolean QUALIFIED_BUILTINS = qualifiedBuiltins();

  private static boolean qualifiedBuiltins() {
    String[] version = org.apache.spark.package$.MODULE$.SPARK_VERSION().split("\\.");
    return Integer.parseInt(version[0]) > 4 || Integer.parseInt(version[1]) >= 2;
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
        true,
        Option.empty());
  }

  /** A partition coalescer that {@code RDD.coalesce} accepts. */
  public abstract static class Coalescer implements PartitionCoalescer, Serializable {
    private static final long serialVersionUID = 1L;
  }
}
