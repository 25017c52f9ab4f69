package dev.leakyspark.sql;

import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.TypeCheckResult;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.RuntimeReplaceable;
import org.apache.spark.sql.catalyst.trees.TreePattern$;
import scala.Enumeration;
import scala.collection.JavaConverters;
import java.util.List;
import org.apache.spark.sql.catalyst.expressions.codegen.CodegenContext;
import org.apache.spark.sql.catalyst.expressions.codegen.ExprCode;
import org.apache.spark.sql.types.DataType;

/**
 * {@code leaky_relu(x[, alpha])} as the analyzer sees it: it prints and names columns as the SQL
 * function does, also inside other expressions ({@code sum(leaky_relu(x))}). The optimizer
 * replaces it with its {@link #replacement()}, the {@code staticinvoke} of
 * the {@link LeakyReluTargets} method that generated code calls, as Spark does for its own
 * {@code RuntimeReplaceable} functions.
 *
 * <pre>{@code
 * LeakyReluFunctions.register(spark);
 * spark.sql("SELECT sum(leaky_relu(x)) FROM VALUES (-1.0), (2.0) AS t(x)").columns(); // [sum(leaky_relu(x))]
 * }</pre>
 */
public final class LeakyReluCall extends BinaryCatalystExpression implements RuntimeReplaceable, Serializable {

  private static final long serialVersionUID = 1L;

  private final Expression input;
  private final Expression alpha;
  private final boolean alphaGiven;
  private transient Expression replacement;

  /**
   * The call on {@code input} with a constant {@code alpha}; {@code alphaGiven} says whether the
   * name shows it. The arguments are checked once {@code input} is resolved
   * ({@link #checkInputDataTypes}).
   */
  public LeakyReluCall(Expression input, Expression alpha, boolean alphaGiven) {
    this.input = input;
    this.alpha = alpha;
    this.alphaGiven = alphaGiven;
  }

  @Override
  public Expression replacement() {
    if (replacement == null) {
      replacement = LeakyReluSqlFunction.invocation(input, LeakyReluSqlFunction.constantAlpha(alpha));
    }
    return replacement;
  }

  /** Unsupported types and alphas fail analysis with {@link LeakyReluSqlFunction}'s message. */
  @Override
  public TypeCheckResult checkInputDataTypes() {
    try {
      replacement();
      return TypeCheckResult.TypeCheckSuccess$.MODULE$;
    } catch (Exception e) { // the AnalysisException that LeakyReluSqlFunction throws unchecked
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      return new TypeCheckResult.TypeCheckFailure(((AnalysisException) e).getSimpleMessage());
    }
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
    return new LeakyReluCall(newInput, newAlpha, alphaGiven);
  }

  @Override
  public String prettyName() {
    return LeakyReluSqlFunction.NAME;
  }

  @Override
  public String sql() {
    return prettyName() + "(" + input.sql() + (alphaGiven ? ", " + alpha.sql() : "") + ")";
  }

  @Override
  public String toString() {
    return prettyName() + "(" + input + (alphaGiven ? ", " + alpha : "") + ")";
  }

  @Override
  public DataType dataType() {
    return replacement().dataType();
  }

  @Override
  public boolean nullable() {
    return replacement().nullable();
  }

  @Override
  public Object eval(InternalRow row) {
    return replacement().eval(row);
  }

  @Override
  public ExprCode doGenCode(CodegenContext ctx, ExprCode ev) {
    return replacement().genCode(ctx);
  }

  @Override
  public Expression canonicalized() {
    return resolved() ? replacement().canonicalized() : this;
  }

  @Override
  public scala.collection.immutable.Seq<Enumeration.Value> nodePatterns() {
    return JavaConverters.asScalaBuffer(List.of(TreePattern$.MODULE$.RUNTIME_REPLACEABLE())).toList();
  }

  @Override
  public int productArity() {
    return 3;
  }

  @Override
  public Object productElement(int n) {
    return switch (n) {
      case 0 -> input;
      case 1 -> alpha;
      case 2 -> alphaGiven;
      default -> throw new IndexOutOfBoundsException(n);
    };
  }

  @Override
  public boolean canEqual(Object that) {
    return that instanceof LeakyReluCall;
  }

  @Override
  public boolean equals(Object that) {
    return that instanceof LeakyReluCall other
        && input.equals(other.input)
        && alpha.equals(other.alpha)
        && alphaGiven == other.alphaGiven;
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, alpha, alphaGiven);
  }
}
