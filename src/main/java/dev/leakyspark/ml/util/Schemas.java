package dev.leakyspark.ml.util;

import java.util.Arrays;
import java.util.function.Predicate;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schema checks shared by every leaky-spark stage, so that each says "does not exist",
 * "already exists" and "must be of type" the same way (Spark's own {@code SchemaUtils} is private).
 *
 * <pre>{@code
 * StructField in = Schemas.input(schema, "features", Schemas::isVector, "vector");
 * StructType out = Schemas.append(schema, new StructField("prediction", DataTypes.DoubleType, false, Metadata.empty()));
 * }</pre>
 */
public final class Schemas {

  private Schemas() {}

  /**
   * The field of input column {@code name}, refusing a missing column or a type that
   * {@code accepted} refuses; {@code expected} names the accepted types in the message.
   */
  public static StructField input(StructType schema, String name, Predicate<DataType> accepted, String expected) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException(
          "Input column " + name + " does not exist. Available: " + String.join(", ", schema.fieldNames()));
    }
    StructField field = schema.apply(name);
    if (!accepted.test(field.dataType())) {
      throw new IllegalArgumentException(
          "Input column " + name + " must be of type " + expected + " but got " + typeName(field.dataType()));
    }
    return field;
  }

  /** {@code schema} with {@code field} added at the end, refusing a name that is taken. */
  public static StructType append(StructType schema, StructField field) {
    if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
      throw new IllegalArgumentException("Output column " + field.name() + " already exists.");
    }
    return schema.add(field);
  }

  public static boolean isVector(DataType type) {
    return type instanceof VectorUDT;
  }

  /** A type as users write it: {@code vector} for ML vectors, else Spark's catalog string. */
  public static String typeName(DataType type) {
    return type instanceof VectorUDT ? "vector" : type.catalogString();
  }
}
