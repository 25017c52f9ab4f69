package dev.leakyspark.sql;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.collection.JavaConverters;

/** An expression with two children, for Java: Spark's {@code BinaryExpression} cannot be extended from Java. */
abstract class BinaryCatalystExpression extends LineExpression {

  private static final long serialVersionUID = 1L;

  abstract Expression left();

  abstract Expression right();

  abstract Expression withChildren(Expression left, Expression right);

  @Override
  final Expression withChildren(List<Expression> children) {
    return withChildren(children.get(0), children.get(1));
  }

  @Override
  public scala.collection.immutable.Seq<Expression> children() {
    return JavaConverters.asScalaBuffer(List.of(left(), right())).toList();
  }
}
