package dev.leakyspark.sql;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.JavaConverters;

/**
 * An expression with two children. Java cannot extend Spark's {@code BinaryExpression}, and the
 * collection type of {@code withNewChildrenInternal} differs between Scala 2.12 and 2.13, so
 * each Spark line has its own copy of this class.
 */
abstract class BinaryCatalystExpression extends Expression {

  private static final long serialVersionUID = 1L;

  abstract Expression left();

  abstract Expression right();

  abstract Expression withChildren(Expression left, Expression right);

  @Override
  public scala.collection.immutable.Seq<Expression> children() {
    return JavaConverters.asScalaBuffer(List.of(left(), right())).toList();
  }

  @Override
  public Expression withNewChildrenInternal(scala.collection.immutable.IndexedSeq<Expression> children) {
    return withChildren(children.apply(0), children.apply(1));
  }
}
