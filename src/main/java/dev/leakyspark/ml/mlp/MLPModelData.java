package dev.leakyspark.ml.mlp;

import dev.leakyspark.ml.util.Persistence;
import dev.leakyspark.nn.Network;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.hadoop.fs.Path;
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
 * version, layers, alpha and weights. Also the file of a training summary's history that Spark
 * 4.1+'s Connect server keeps when it moves a cached model to disk.
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
    Row row = RowFactory.create(FORMAT_VERSION, Arrays.stream(network.layers()).boxed().toArray(Integer[]::new),
        network.alpha(), Vectors.dense(weights));
    // One row, so one partition and one file, with no shuffle. Uncompressed: trained weights do not
    // compress, and Parquet's snappy codec copies one large page again and again (16.8 million
    // weights took 45 s to save with it, 7 s without).
    spark.createDataFrame(List.of(row), SCHEMA).write().option("compression", "none")
        .parquet(new Path(path, "data").toString());
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

  /** What a training summary holds besides the training data: iterations, partitions and the objective history. */
  public record SummaryState(int iterations, int partitions, double[] history) {

    /** Writes this state to the local file {@code path}. */
    public void write(String path, String model) {
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Paths.get(path))))) {
        out.writeInt(iterations);
        out.writeInt(partitions);
        out.writeInt(history.length);
        for (double v : history) {
          out.writeDouble(v);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot save the training summary of " + model + " to " + path, e);
      }
    }

    /** The state {@link #write} wrote to {@code path}. */
    public static SummaryState read(String path, String model) {
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(Paths.get(path))))) {
        int iterations = in.readInt();
        int partitions = in.readInt();
        double[] history = new double[in.readInt()];
        for (int i = 0; i < history.length; i++) {
          history[i] = in.readDouble();
        }
        return new SummaryState(iterations, partitions, history);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the training summary of " + model + " at " + path, e);
      }
    }
  }
}
