package dev.leakyspark.sql;

import dev.leakyspark.LeakyRelu;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A read-only view of Leaky ReLU over a double or float array. Generated code that writes the
 * result reads each element once through {@link #getDouble}/{@link #getFloat}, so the values go
 * from the input straight into the output row: one pass, no intermediate array. {@link #copy}
 * materialises it for callers that keep the value.
 *
 * <p>It extends {@code GenericArrayData} rather than {@code ArrayData}, whose abstract getters grow
 * with each Spark minor (variants, geometry, binary views); those types are never held here.
 */
final class LeakyReluArray extends GenericArrayData {

  private static final Object[] NO_VALUES = new Object[0];


  private final ArrayData input;
  private final double alpha;
  private final float floatAlpha;
  private final boolean floats;

  private LeakyReluArray(ArrayData input, double alpha, float floatAlpha, boolean floats) {
    super(NO_VALUES);
    this.input = input;
    this.alpha = alpha;
    this.floatAlpha = floatAlpha;
    this.floats = floats;
  }

  static LeakyReluArray ofDoubles(ArrayData input, double alpha) {
    return new LeakyReluArray(input, alpha, (float) alpha, false);
  }

  static LeakyReluArray ofFloats(ArrayData input, float alpha) {
    return new LeakyReluArray(input, alpha, alpha, true);
  }

  @Override
  public int numElements() {
    return input.numElements();
  }

  @Override
  public boolean isNullAt(int ordinal) {
    return input.isNullAt(ordinal);
  }

  @Override
  public double getDouble(int ordinal) {
    return LeakyRelu.apply(input.getDouble(ordinal), alpha);
  }

  @Override
  public float getFloat(int ordinal) {
    return LeakyRelu.apply(input.getFloat(ordinal), floatAlpha);
  }

  @Override
  public double[] toDoubleArray() {
    double[] values = input.toDoubleArray();
    LeakyRelu.apply(values, values, alpha);
    return values;
  }

  @Override
  public float[] toFloatArray() {
    float[] values = input.toFloatArray();
    LeakyRelu.apply(values, values, floatAlpha);
    return values;
  }

  @Override
  public ArrayData copy() {
    UnsafeArrayData out =
        floats
            ? UnsafeArrayData.fromPrimitiveArray(toFloatArray())
            : UnsafeArrayData.fromPrimitiveArray(toDoubleArray());
    // A null element was read as 0, and f(0) = 0; only its null bit needs restoring.
    for (int i = 0, n = out.numElements(); i < n; i++) {
      if (input.isNullAt(i)) {
        out.setNullAt(i);
      }
    }
    return out;
  }

  @Override
  public Object get(int ordinal, DataType dataType) {
    if (isNullAt(ordinal)) {
      return null;
    }
    return floats ? (Object) getFloat(ordinal) : (Object) getDouble(ordinal);
  }

  @Override
  public Object[] array() {
    Object[] values = new Object[numElements()];
    for (int i = 0; i < values.length; i++) {
      values[i] = get(i, null);
    }
    return values;
  }

  @Override
  public void setNullAt(int ordinal) {
    throw readOnly();
  }

  @Override
  public void update(int ordinal, Object value) {
    throw readOnly();
  }

  private static UnsupportedOperationException readOnly() {
    return new UnsupportedOperationException("leaky_relu results are read-only; copy() first");
  }

  private UnsupportedOperationException wrongType(String type) {
    return new UnsupportedOperationException(
        "leaky_relu result holds " + (floats ? "float" : "double") + ", not " + type);
  }

  @Override
  public boolean getBoolean(int ordinal) {
    throw wrongType("boolean");
  }

  @Override
  public byte getByte(int ordinal) {
    throw wrongType("byte");
  }

  @Override
  public short getShort(int ordinal) {
    throw wrongType("short");
  }

  @Override
  public int getInt(int ordinal) {
    throw wrongType("int");
  }

  @Override
  public long getLong(int ordinal) {
    throw wrongType("long");
  }

  @Override
  public Decimal getDecimal(int ordinal, int precision, int scale) {
    throw wrongType("decimal");
  }

  @Override
  public UTF8String getUTF8String(int ordinal) {
    throw wrongType("string");
  }

  @Override
  public byte[] getBinary(int ordinal) {
    throw wrongType("binary");
  }

  @Override
  public CalendarInterval getInterval(int ordinal) {
    throw wrongType("interval");
  }

  @Override
  public InternalRow getStruct(int ordinal, int numFields) {
    throw wrongType("struct");
  }

  @Override
  public ArrayData getArray(int ordinal) {
    throw wrongType("array");
  }

  @Override
  public MapData getMap(int ordinal) {
    throw wrongType("map");
  }
}
