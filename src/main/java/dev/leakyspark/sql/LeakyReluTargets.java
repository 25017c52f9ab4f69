package dev.leakyspark.sql;

import dev.leakyspark.LeakyRelu;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;

/**
 * The methods that the generated code of {@code leaky_relu} calls ({@link LeakyReluSqlFunction}
 * builds the calls), on Spark's internal values: unboxed numbers, unsafe arrays and rows, which
 * they read and write in place where they can. Each delegates to the {@link LeakyRelu} kernel.
 */
public final class LeakyReluTargets {

  private static final byte SPARSE = 0;

  private LeakyReluTargets() {}

  /** Call target for double values. */
  public static double invoke(double x, double alpha) {
    return LeakyRelu.apply(x, alpha);
  }

  /** Call target for float values. */
  public static float invoke(float x, float alpha) {
    return LeakyRelu.apply(x, alpha);
  }

  /**
   * Call target for {@code array<double>}; a null element stays null. An unsafe result lives in
   * {@code buffer}, valid until the call site runs again.
   */
  public static ArrayData invokeDoubles(ArrayData x, double alpha, ResultBuffer buffer) {
    if (x instanceof UnsafeArrayData) {
      UnsafeArrayData in = (UnsafeArrayData) x;
      double[] values = copyToDoubles(in.getBaseObject(), in.getBaseOffset(), in.getSizeInBytes(), buffer);
      applyInPlace(values, 0, alpha);
      UnsafeArrayData out = buffer.array();
      out.pointTo(values, Platform.DOUBLE_ARRAY_OFFSET, in.getSizeInBytes()); // keeps the null bits
      return out;
    }
    return LeakyReluArray.ofDoubles(x, alpha);
  }

  /** Call target for {@code array<float>}; as {@link #invokeDoubles}. */
  public static ArrayData invokeFloats(ArrayData x, float alpha, ResultBuffer buffer) {
    if (x instanceof UnsafeArrayData) {
      UnsafeArrayData in = (UnsafeArrayData) x;
      int bytes = in.getSizeInBytes();
      float[] values = buffer.floats((bytes + 3) / 4);
      Platform.copyMemory(in.getBaseObject(), in.getBaseOffset(), values, Platform.FLOAT_ARRAY_OFFSET, bytes);
      int from = UnsafeArrayData.calculateHeaderPortionInBytes(in.numElements()) / 4;
      LeakyRelu.apply(values, values, from, from + in.numElements(), alpha);
      UnsafeArrayData out = buffer.array();
      out.pointTo(values, Platform.FLOAT_ARRAY_OFFSET, bytes);
      return out;
    }
    return LeakyReluArray.ofFloats(x, alpha);
  }

  /**
   * Call target for ML vectors, given as the internal row of {@code VectorUDT}: (type, size,
   * indices, values). Declared as {@code Object} because Spark looks the method up that way for a
   * UDT argument. Only the values change, so sparse stays sparse with the same indices. An
   * unsafe result lives in {@code buffer}, valid until the call site runs again.
   */
  public static InternalRow invokeVector(Object vector, double alpha, ResultBuffer buffer) {
    if (vector instanceof UnsafeRow) {
      // Cached and shuffled data: one copy of the whole vector, then the values change in place.
      UnsafeRow in = (UnsafeRow) vector;
      double[] values = copyToDoubles(in.getBaseObject(), in.getBaseOffset(), in.getSizeInBytes(), buffer);
      applyInPlace(values, (int) (in.getLong(3) >>> 32), alpha); // field 3 (values): offset << 32 | size
      UnsafeRow out = buffer.row();
      out.pointTo(values, Platform.DOUBLE_ARRAY_OFFSET, in.getSizeInBytes());
      return out;
    }
    InternalRow row = (InternalRow) vector;
    boolean sparse = row.getByte(0) == SPARSE;
    return new GenericInternalRow(
        new Object[] {
          row.getByte(0),
          sparse ? row.getInt(1) : null,
          sparse ? row.getArray(2) : null,
          invokeDoubles(row.getArray(3), alpha, buffer)
        });
  }

  /**
   * A copy of unsafe bytes in a {@code double[]}, so that the kernel's vectorised array loop can
   * then work on the values where they lie. Unsafe rows and arrays are 8-byte aligned.
   */
  private static double[] copyToDoubles(Object base, long offset, int bytes, ResultBuffer into) {
    double[] buffer = into.doubles((bytes + 7) / 8);
    Platform.copyMemory(base, offset, buffer, Platform.DOUBLE_ARRAY_OFFSET, bytes);
    return buffer;
  }

  /**
   * Applies the kernel to the doubles of the unsafe array that starts {@code at} bytes into
   * {@code buffer}: its element count, its null bits, then the values.
   */
  private static void applyInPlace(double[] buffer, int at, double alpha) {
    int n = (int) Double.doubleToRawLongBits(buffer[at / 8]);
    int from = (at + UnsafeArrayData.calculateHeaderPortionInBytes(n)) / 8;
    LeakyRelu.apply(buffer, buffer, from, from + n, alpha);
  }
}
