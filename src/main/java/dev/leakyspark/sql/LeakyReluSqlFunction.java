package dev.leakyspark.sql;

import dev.leakyspark.LeakyRelu;
import java.util.List;
import org.apache.spark.QueryContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.types.AbstractDataType;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import scala.Option;
import scala.collection.JavaConverters;
import scala.collection.Seq;
import scala.collection.immutable.Map;
import scala.runtime.AbstractFunction1;

/**
 * The SQL function {@code leaky_relu(x[, alpha])}: its registry entry, and the builder that checks
 * the arguments at analysis and makes a {@link LeakyReluCall}, which the optimizer replaces by a
 * {@code StaticInvoke} of {@link LeakyReluTargets} that generated code calls with unboxed
 * internal values.
 *
 * <p>Types: integral and decimal inputs become double, float stays float, {@code array<float>}
 * and {@code array<double>} keep their element type (a null element stays null), and ML vectors
 * stay dense or sparse. A null input gives null.
 */
public final class LeakyReluSqlFunction {

  /** The SQL name. */
  public static final String NAME = "leaky_relu";

  private LeakyReluSqlFunction() {}

  /** The function's identifier in a session's function registry. */
  public static FunctionIdentifier identifier() {
    return SparkLine.functionIdentifier(NAME);
  }

  /** The {@code DESCRIBE FUNCTION} text. */
  public static ExpressionInfo info() {
    return new ExpressionInfo(
        LeakyReluSqlFunction.class.getName(),
        null,
        NAME,
        "_FUNC_(x[, alpha]) - Leaky ReLU: x if x >= 0, else alpha * x (alpha defaults to 0.01).",
        "\n    Arguments:\n      * x - a numeric, array<float>, array<double> or ML vector value\n"
            + "      * alpha - a constant finite slope for negative values\n",
        "\n    Examples:\n      > SELECT _FUNC_(-2.0);\n       -0.02\n"
            + "      > SELECT _FUNC_(array(-1.0, 3.0), 0.5);\n       [-0.5,3.0]\n",
        "",
        "math_funcs",
        "0.1.0",
        "",
        "java_udf");
  }

  /**
   * The builder a function registry calls with the (resolved) arguments. Its result is named as
   * Spark names built-in functions, {@code leaky_relu(x)} or {@code leaky_relu(x, 0.5)}.
   */
  public static <S> scala.Function1<S, Expression> builder() {
    // S is the registry's Seq<Expression>: scala.collection.Seq on Scala 2.12, immutable.Seq on 2.13
    return new AbstractFunction1<>() {
      @Override
      @SuppressWarnings("unchecked")
      public Expression apply(S arguments) {
        return create(JavaConverters.seqAsJavaList((Seq<Expression>) arguments));
      }
    };
  }

  /**
   * Builds {@code leaky_relu(x[, alpha])}. When {@code x} is resolved, bad arguments throw
   * {@link AnalysisException} naming the problem at once; otherwise the analyzer checks them once
   * it has resolved {@code x}. The result is named as the SQL function ({@code leaky_relu(x)},
   * {@code leaky_relu(x, 0.5)}), also inside other expressions.
   */
  public static Expression create(List<Expression> arguments) {
    if (arguments.isEmpty() || arguments.size() > 2) {
      throw error(NAME + " takes 1 or 2 arguments (x[, alpha]) but got " + arguments.size());
    }
    boolean given = arguments.size() == 2;
    Expression alpha = given ? arguments.get(1) : Literal.create(LeakyRelu.DEFAULT_ALPHA, DataTypes.DoubleType);
    Expression x = arguments.get(0);
    LeakyReluCall call = new LeakyReluCall(x, alpha, given);
    if (SparkLine.resolved(x)) {
      call.replacement(); // builds the staticinvoke now, so bad arguments fail at once
    }
    return call;
  }

  /** Builds {@code leaky_relu(x, alpha)}, checked as {@link #create(List)} checks it. */
  public static Expression create(Expression x, double alpha) {
    return create(List.of(x, Literal.create(alpha, DataTypes.DoubleType)));
  }

  /** The {@code staticinvoke} that computes {@code leaky_relu(x, alpha)}. */
  static Expression invocation(Expression x, double alpha) {
    if (!Double.isFinite(alpha)) {
      throw error(NAME + ": alpha must be finite but got " + alpha);
    }
    DataType type = x.dataType();
    DataType result = LeakyReluTypes.resultType(type);
    if (result == null) {
      throw error(
          NAME + ": input must be " + LeakyReluTypes.SUPPORTED + ", but got " + x.sql() + " of type "
              + type.catalogString());
    }
    Literal doubleAlpha = Literal.create(alpha, DataTypes.DoubleType);
    Literal floatAlpha = Literal.create((float) alpha, DataTypes.FloatType);
    if (type instanceof VectorUDT) {
      return invokeBuffered("invokeVector", result, x, doubleAlpha);
    }
    if (type instanceof ArrayType) {
      return ((ArrayType) type).elementType().equals(DataTypes.FloatType)
          ? invokeBuffered("invokeFloats", result, x, floatAlpha)
          : invokeBuffered("invokeDoubles", result, x, doubleAlpha);
    }
    if (type.equals(DataTypes.FloatType)) {
      return invoke("invoke", result, x, floatAlpha);
    }
    Expression asDouble = type.equals(result) ? x : new Cast(x, result, Option.empty());
    return invoke("invoke", result, asDouble, doubleAlpha);
  }

  static double constantAlpha(Expression alpha) {
    if (!alpha.foldable() || !(alpha.dataType() instanceof NumericType)) {
      throw error(
          NAME
              + ": alpha must be a constant number, but got "
              + alpha.sql()
              + " of type "
              + alpha.dataType().catalogString());
    }
    Object value = alpha.eval(null);
    if (value == null) {
      throw error(NAME + ": alpha must not be null");
    }
    Object asDouble = new Cast(alpha, DataTypes.DoubleType, Option.empty()).eval(null);
    return (Double) asDouble;
  }

  private static Expression invoke(String method, DataType result, Expression x, Literal alpha) {
    return invoke(method, result, List.of(x, alpha));
  }

  /** The call for vectors and unsafe arrays, whose results go into a per-site buffer. */
  private static Expression invokeBuffered(String method, DataType result, Expression x, Literal alpha) {
    return invoke(method, result, List.of(x, alpha, new ResultBuffer.Slot(x, alpha)));
  }

  private static Expression invoke(String method, DataType result, List<Expression> arguments) {
    List<AbstractDataType> inputTypes = arguments.stream().map(a -> (AbstractDataType) a.dataType()).toList();
    // propagateNull: a null x gives null without calling the method.
    return SparkLine.staticInvoke(LeakyReluTargets.class, result, method, arguments, inputTypes, true);
  }

  /**
   * Throws an {@link AnalysisException}, the analyzer's own error type, without declaring it:
   * it is checked in Java but not in the Scala code that calls the builder.
   *
   * <p>The error condition is Spark's free-text one, which formats to {@code message} alone: a
   * third party cannot add conditions, and clients such as PySpark 4 fail to format an
   * exception that has none.
   */
  static RuntimeException error(String message) {
    throw LeakyReluSqlFunction.<RuntimeException>unchecked(
        new AnalysisException(
            message,
            Option.empty(),
            Option.empty(),
            Option.empty(),
            Option.apply(FREE_TEXT_CONDITION),
            new Map.Map1<>("errorMessage", message),
            new QueryContext[0]));
  }

  /** Spark's error condition whose message is its one parameter, {@code errorMessage}. */
  static final String FREE_TEXT_CONDITION = "_LEGACY_ERROR_TEMP_1332";

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E unchecked(Throwable e) throws E {
    throw (E) e;
  }
}
