// Start-up of jobs/shell: what spark-shell gives Scala users, for Java.
import org.apache.spark.sql.*;
import org.apache.spark.sql.types.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import org.apache.spark.ml.*;
import org.apache.spark.ml.feature.*;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import dev.leakyspark.LeakyRelu;
import dev.leakyspark.data.Idx;
import dev.leakyspark.functions.LeakyReluFunctions;
import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;

SparkSession spark = SparkSession.builder().appName("leaky-spark shell").getOrCreate();
LeakyReluFunctions.register(spark);
System.out.println("leaky-spark shell: Spark " + spark.version() + " on " + spark.sparkContext().master()
    + ". `spark` is ready; leakyRelu(col), LeakyReLU, LeakyMLPClassifier and SQL leaky_relu are imported.");
