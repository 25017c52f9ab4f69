package dev.leakyspark.sql;

import java.util.List;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.Enumeration;
import scala.collection.JavaConverters;

/**
 * The members of a Catalyst expression whose Scala collection types differ between Scala 2.12
 * and 2.13; each Spark line has its own copy of this class.
 */
abstract class LineExpression extends Expression {

  private static final long serialVersionUID = 1L;

  /** The same expression over {@code children}. */
  abstract Expression withChildren(List<Expression> children);

  @Override
  public Expression withNewChildrenInternal(scala.collection.IndexedSeq<Expression> children) {
    return withChildren(JavaConverters.seqAsJavaList(children));
  }

  /**
   * The setter Scala generates for {@code RuntimeReplaceable}'s {@code nodePatterns} field, which
   * Java subclasses that implement the trait must have; {@code nodePatterns()} is a method here.
   */
  public void org$apache$spark$sql$catalyst$expressions$RuntimeReplaceable$_setter_$nodePatterns_$eq(
      scala.collection.Seq<Enumeration.Value> patterns) {}
}
