package dev.leakyspark.ml.mlp;

import dev.leakyspark.ml.util.Persistence;
import dev.leakyspark.nn.Network;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * What an MLP model saves besides its metadata: one Parquet row in {@code path/data} of format
 * version, layers, alpha and weights.
 *
 * <pre>{@code
 * public MLWriter write() { return MLPModelData.writer(this, network, weights); }
 * public static MLReader<LeakyMLPRegressionModel> read() {
 *   return MLPModelData.reader(LeakyMLPRegressionModel.class,
 *       (uid, data) -> new LeakyMLPRegressionModel(uid, data.layers(), data.alpha(), data.weights()));
 * }
 * }</pre>
 */
public record MLPModelData(int[] layers, double alpha, double[] weights) {

  /** Version of the saved data layout; loading refuses newer ones. */
  public static final int FORMAT_VERSION = 1;

  private static final StructType SCHEMA = new StructType()
      .add("formatVersion", DataTypes.IntegerType, false)
      .add("layers", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("alpha", DataTypes.DoubleType, false)
      .add("weights", new VectorUDT(), false);

  /** Writes the network's layers, alpha and {@code weights} under {@code path/data}. */
  public static void write(SparkSession spark, String path, Network network, double[] weights) {
    Integer[] layers = Arrays.stream(network.layers()).boxed().toArray(Integer[]::new);
    double alpha = network.alpha();
    // The weights reach the one task by broadcast: a row made on the driver would travel inside the
    // task (Spark warned of a 1.9 MB task for Fashion-MNIST's 235,146 weights).
    Broadcast<double[]> shared =
        spark.sparkContext().broadcast(weights, scala.reflect.ClassTag$.MODULE$.apply(double[].class));
    try {
      JavaRDD<Row> row = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(0), 1)
          .map(i -> RowFactory.create(FORMAT_VERSION, layers, alpha, Vectors.dense(shared.value())));
      // One row, so one partition and one file, with no shuffle. Uncompressed: trained weights do not
      // compress, and Parquet's snappy codec copies one large page again and again (16.8 million
      // weights took 45 s to save with it, 7 s without).
      spark.createDataFrame(row, SCHEMA).write().option("compression", "none")
          .parquet(new Path(path, "data").toString());
    } finally {
      shared.destroy();
    }
  }

  /** Reads what {@link #write} wrote for a model of class {@code className}, with errors that name the path. */
  public static MLPModelData read(SparkSession spark, String path, String className) {
    String dataPath = new Path(path, "data").toString();
    List<Row> rows;
    try {
      rows = spark.read().parquet(dataPath).collectAsList();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Cannot read the weights of " + className + " at " + dataPath + ": " + e.getMessage(), e);
    }
    if (rows.size() != 1) {
      throw new IllegalStateException("Model data at " + dataPath + " must hold one row but holds " + rows.size());
    }
    Row row = rows.get(0);
    int version = row.getInt(row.fieldIndex("formatVersion"));
    if (version > FORMAT_VERSION) {
      throw new IllegalStateException("Model at " + path + " was saved in format " + version + " by a newer"
          + " leaky-spark; this version reads format " + FORMAT_VERSION + " and older");
    }
    int[] layers = row.<Integer>getList(row.fieldIndex("layers")).stream().mapToInt(Integer::intValue).toArray();
    return new MLPModelData(layers, row.getDouble(row.fieldIndex("alpha")),
        ((Vector) row.get(row.fieldIndex("weights"))).toArray());
  }

  /** The writer of {@code model}: MLlib's metadata (class, uid, params) as JSON, then this data of {@code network} and {@code weights}. */
  public static MLWriter writer(Params model, Network network, double[] weights) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession().sparkContext(), Option.empty(),
            Option.empty());
        write(sparkSession(), path, network, weights);
      }
    };
  }

  /**
   * The reader of saved models of class {@code type}: {@code make} builds one from the saved uid and
   * data, then the saved params are set on it.
   */
  public static <M extends Params> MLReader<M> reader(Class<M> type, BiFunction<String, MLPModelData, M> make) {
    return new MLReader<M>() {
      @Override
      public M load(String path) {
        DefaultParamsReader.Metadata metadata = Persistence.metadata(path, sparkSession().sparkContext(), type.getName());
        M model = make.apply(metadata.uid(), read(sparkSession(), path, type.getName()));
        metadata.getAndSetParams(model, Option.empty());
        return model;
      }
    };
  }
}
