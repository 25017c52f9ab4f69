package dev.leakyspark.sql;

import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * The column types {@code leaky_relu} takes and the type it returns for each, apart from the
 * Catalyst expression that applies them, so that stages and jobs can check a schema up front.
 *
 * <pre>{@code
 * LeakyReluTypes.resultType(DataTypes.IntegerType);   // DoubleType
 * LeakyReluTypes.resultType(DataTypes.StringType);    // null: not supported
 * }</pre>
 */
public final class LeakyReluTypes {

  /** The types {@code leaky_relu} accepts, for error messages. */
  public static final String SUPPORTED = "numeric, array<float>, array<double> or vector";

  private LeakyReluTypes() {}

  /**
   * The type of {@code leaky_relu(x)} for an {@code x} of type {@code input}, or null when the
   * input type is not supported: float, double, arrays and vectors keep their type, and other
   * numeric types become double.
   */
  public static DataType resultType(DataType input) {
    if (input instanceof VectorUDT || input.equals(DataTypes.FloatType)) {
      return input;
    }
    if (input instanceof ArrayType) {
      DataType element = ((ArrayType) input).elementType();
      boolean supported =
          element.equals(DataTypes.DoubleType) || element.equals(DataTypes.FloatType);
      return supported ? input : null;
    }
    return input instanceof NumericType ? DataTypes.DoubleType : null;
  }
}
