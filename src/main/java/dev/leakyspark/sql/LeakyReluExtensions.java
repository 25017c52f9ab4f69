package dev.leakyspark.sql;

import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import scala.Tuple3;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Makes {@code leaky_relu} a function of every session of an application, including the
 * spark-sql CLI, the Thrift server and notebooks:
 *
 * <pre>{@code
 * spark-sql --jars leaky-spark_2.12.jar \
 *   --conf spark.sql.extensions=dev.leakyspark.sql.LeakyReluExtensions \
 *   -e "SELECT leaky_relu(-2.0)"
 * }</pre>
 */
public final class LeakyReluExtensions extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {

  @Override
  public BoxedUnit apply(SparkSessionExtensions extensions) {
    // The bare name: Spark 4.2 qualifies it as a built-in itself, and skips qualified names here.
    extensions.injectFunction(
        new Tuple3<>(
            FunctionIdentifier.apply(LeakyReluSqlFunction.NAME),
            LeakyReluSqlFunction.info(),
            LeakyReluSqlFunction.builder()));
    return BoxedUnit.UNIT;
  }
}
