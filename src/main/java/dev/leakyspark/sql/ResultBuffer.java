package dev.leakyspark.sql;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.catalyst.expressions.codegen.FalseLiteral$;
import org.apache.spark.sql.catalyst.expressions.codegen.JavaCode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.ObjectType;
import scala.runtime.AbstractFunction1;

/**
 * The memory that one generated call site of {@code leaky_relu} writes vector and array results
 * into, reused from row to row. With a fresh array per row, dense vectors took 1.6 to 1.7 times
 * the identity select at 600,000 rows (docs/benchmarks.md); a reused one stays in the CPU cache.
 *
 * <p>A result is valid until the same call site runs again, which is the lifetime Spark gives a
 * value read from an input row: every consumer that keeps a complex value copies it (projections
 * into unsafe rows, aggregation buffers, {@code collect_list}). Each generated call site has its
 * own buffer, so two results of one row never share memory, also when the generated comparator
 * of a sort evaluates the same expression for two rows at once. Interpreted evaluation, where
 * one expression object serves every caller, gets {@link #FRESH} memory per call.
 *
 * <p>It is public only for generated code; {@code leaky_relu} adds it by itself:
 *
 * <pre>{@code
 * df.select(leakyRelu(col("features"))).explain(true); // ... result_buffer(features, 0.01) ...
 * }</pre>
 */
public final class ResultBuffer {

  /** Allocates per call: for interpreted evaluation. */
  static final ResultBuffer FRESH = new ResultBuffer(false);

  private final boolean reused;
  private double[] doubles = new double[0];
  private float[] floats = new float[0];
  private final UnsafeRow row = new UnsafeRow(4);
  private final UnsafeArrayData array = new UnsafeArrayData();

  /** A reused buffer; generated code creates one per call site and partition. */
  public ResultBuffer() {
    this(true);
  }

  private ResultBuffer(boolean reused) {
    this.reused = reused;
  }

  /** At least {@code n} doubles, with unspecified contents. */
  double[] doubles(int n) {
    if (!reused) {
      return new double[n];
    }
    if (doubles.length < n) {
      doubles = new double[Math.max(n, 2 * doubles.length)];
    }
    return doubles;
  }

  /** At least {@code n} floats, with unspecified contents. */
  float[] floats(int n) {
    if (!reused) {
      return new float[n];
    }
    if (floats.length < n) {
      floats = new float[Math.max(n, 2 * floats.length)];
    }
    return floats;
  }

  /** The row object for a vector result (four fields, as in {@code VectorUDT}). */
  UnsafeRow row() {
    return reused ? row : new UnsafeRow(4);
  }

  /** The array object for an array result. */
  UnsafeArrayData array() {
    return reused ? array : new UnsafeArrayData();
  }

  /**
   * The argument that hands each call site its buffer: generated code keeps one
   * {@link ResultBuffer} per site in a field, interpreted evaluation gets {@link #FRESH}.
   *
   * <p>Its children are the call's own input and alpha, so that two slots are equal only when
   * their calls are: common subexpression elimination then evaluates the call once, and never
   * shares a buffer between two different calls. (A childless slot would be shared by every
   * call of a row.)
   */
  public static final class Slot extends BinaryCatalystExpression implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String CLASS = ResultBuffer.class.getName();
    private static final DataType TYPE = new ObjectType(ResultBuffer.class);

    private final Expression input;
    private final Expression alpha;

    /** The buffer slot of {@code leaky_relu(input, alpha)}. */
    public Slot(Expression input, Expression alpha) {
      this.input = input;
      this.alpha = alpha;
    }

    @Override
    Expression left() {
      return input;
    }

    @Override
    Expression right() {
      return alpha;
    }

    @Override
    Expression withChildren(Expression newInput, Expression newAlpha) {
      return new Slot(newInput, newAlpha);
    }

    @Override
    public DataType dataType() {
      return TYPE;
    }

    @Override
    public boolean nullable() {
      return false;
    }

    @Override
    public Object eval(InternalRow row) {
      return FRESH;
    }

    @Override
    public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
      String field =
          ctx.addMutableState(
              CLASS,
              "leakyReluBuffer",
              new AbstractFunction1<String, String>() {
                @Override
                public String apply(String name) {
                  return name + " = new " + CLASS + "();";
                }
              },
              false,
              true);
      return ExprCode.apply(FalseLiteral$.MODULE$, JavaCode.global(field, ResultBuffer.class));
    }

    @Override
    public String prettyName() {
      return "result_buffer";
    }

    @Override
    public int productArity() {
      return 2;
    }

    @Override
    public Object productElement(int n) {
      return switch (n) {
        case 0 -> input;
        case 1 -> alpha;
        default -> throw new IndexOutOfBoundsException(n);
      };
    }

    @Override
    public boolean canEqual(Object that) {
      return that instanceof Slot;
    }

    @Override
    public boolean equals(Object that) {
      return that instanceof Slot && input.equals(((Slot) that).input) && alpha.equals(((Slot) that).alpha);
    }

    @Override
    public int hashCode() {
      return Objects.hash(input, alpha);
    }
  }
}
