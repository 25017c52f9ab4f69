package dev.leakyspark.functions;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.sql.LeakyReluSqlFunction;
import dev.leakyspark.sql.SparkLine;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Leaky ReLU for DataFrame columns and SQL.
 *
 * <pre>{@code
 * import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
 *
 * Dataset<Row> out = df.select(leakyRelu(col("features"), 0.1).as("features"));
 * LeakyReluFunctions.register(spark);
 * spark.sql("SELECT leaky_relu(x), leaky_relu(x, 0.2) FROM t");
 * }</pre>
 *
 * <p>The column functions and SQL compile to a {@code staticinvoke} of the kernel in generated
 * code (no boxing), and accept numeric, {@code array<float>}, {@code array<double>} and ML vector
 * columns; see {@link dev.leakyspark.sql.LeakyReluTypes} for the type rules.
 */
public final class LeakyReluFunctions {

  private LeakyReluFunctions() {}

  /** {@code leaky_relu(x)} with the default slope 0.01. */
  public static Column leakyRelu(Column x) {
    return SparkLine.column(LeakyReluSqlFunction.create(List.of(SparkLine.expression(x))));
  }

  /**
   * {@code leaky_relu(x, alpha)}. A resolved column ({@code df.col("x")}) is checked at once; a
   * column by name ({@code col("x")}) is checked when the query is analysed. Neither needs the SQL
   * function to be registered.
   */
  public static Column leakyRelu(Column x, double alpha) {
    checkAlpha(alpha);
    return SparkLine.column(LeakyReluSqlFunction.create(SparkLine.expression(x), alpha));
  }

  /**
   * A classic, null-safe {@code double -> double} UDF, for callers who want the UDF registry:
   * {@code spark.udf().register("lrelu", LeakyReluFunctions.udf(0.1))}. It boxes every value;
   * prefer {@link #leakyRelu(Column, double)}, which does not.
   */
  public static UserDefinedFunction udf(double alpha) {
    checkAlpha(alpha);
    UDF1<Double, Double> f = x -> x == null ? null : LeakyRelu.apply(x, alpha);
    return functions.udf(f, DataTypes.DoubleType);
  }

  /** Registers the SQL functions {@code leaky_relu(x)} and {@code leaky_relu(x, alpha)} on {@code spark}. */
  public static void register(SparkSession spark) {
    FunctionRegistry registry = spark.sessionState().functionRegistry();
    if (!registry.functionExists(LeakyReluSqlFunction.identifier())) {
      registry.registerFunction(
          LeakyReluSqlFunction.identifier(),
          LeakyReluSqlFunction.info(),
          LeakyReluSqlFunction.builder());
    }
  }

  private static void checkAlpha(double alpha) {
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("leaky_relu: alpha must be finite but got " + alpha);
    }
  }
}
