package dev.leakyspark.sql;

import org.apache.spark.sql.catalyst.expressions.RuntimeReplaceable;
import org.apache.spark.sql.catalyst.trees.TreePattern$;
import scala.Enumeration;
import scala.collection.JavaConverters;

/**
 * A two-argument expression that the optimizer replaces with {@link #replacement()}. Java must
 * implement the setter Scala generates for the trait's {@code nodePatterns} field, whose type
 * differs between Scala 2.12 and 2.13, so each Spark line has its own copy of this class.
 */
abstract class ReplaceableBinaryExpression extends BinaryCatalystExpression implements RuntimeReplaceable {

  private static final long serialVersionUID = 1L;

  @Override
  public scala.collection.immutable.Seq<Enumeration.Value> nodePatterns() {
    return JavaConverters.asScalaBuffer(java.util.List.of(TreePattern$.MODULE$.RUNTIME_REPLACEABLE())).toList();
  }

  @Override
  public void org$apache$spark$sql$catalyst$expressions$RuntimeReplaceable$_setter_$nodePatterns_$eq(
      scala.collection.immutable.Seq<Enumeration.Value> patterns) {}
}
