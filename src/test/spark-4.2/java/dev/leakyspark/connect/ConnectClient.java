package dev.leakyspark.connect;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * A Spark Connect client that calls {@code leaky_relu} on a server and prints what it got, one
 * {@code name=value} line per check. {@link SparkConnectIT} runs it in a JVM of its own, with only
 * the shaded Connect client on the class path, as a remote application has it.
 */
public final class ConnectClient {

  private ConnectClient() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().remote(args[0]).getOrCreate();
    try {
      System.out.println("session=" + spark.getClass().getName());
      Row sql = spark.sql("SELECT leaky_relu(-4.0D), leaky_relu(CAST(NULL AS DOUBLE)), leaky_relu(x, 0.5) "
          + "FROM VALUES (-2.0D) AS t(x)").first();
      System.out.println("sql=" + sql.get(0) + "," + sql.get(1) + "," + sql.get(2));
      List<Row> expr = spark.range(3).select(functions.expr("leaky_relu(id - 1, 0.25)")).collectAsList();
      System.out.println("expr=" + expr.stream().map(r -> String.valueOf(r.get(0))).collect(Collectors.joining(",")));
      System.out.println("array=" + spark.sql("SELECT leaky_relu(array(-1.0D, 2.0D, NULL), 0.5)").first().getList(0));
      try {
        spark.sql("SELECT leaky_relu(1.0D, double('Infinity'))").collect();
        System.out.println("error=none");
      } catch (Exception e) { // AnalysisException is checked in Java, thrown undeclared by Scala
        System.out.println("error=" + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    } finally {
      spark.stop();
    }
  }
}
