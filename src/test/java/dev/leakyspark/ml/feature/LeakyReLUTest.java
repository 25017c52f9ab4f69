package dev.leakyspark.ml.feature;

import static dev.leakyspark.functions.LeakyReluFunctions.leakyRelu;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.testing.DataFrames;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.StageContract;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class LeakyReLUTest {

  static SparkSession spark;
  static Dataset<Row> data;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    StructType schema =
        new StructType()
            .add("id", DataTypes.IntegerType)
            .add("features", new VectorUDT(), true, new AttributeGroup("features", 3).toMetadata())
            .add("sparse", new VectorUDT())
            .add("d", DataTypes.DoubleType)
            .add("i", DataTypes.IntegerType)
            .add("f", DataTypes.FloatType)
            .add("a", DataTypes.createArrayType(DataTypes.DoubleType))
            .add("s", DataTypes.StringType);
    data =
        spark.createDataFrame(
            List.of(
                RowFactory.create(1, Vectors.dense(-1.0, 0.0, 2.0),
                    Vectors.sparse(5, new int[] {0, 3}, new double[] {-2.0, 4.0}),
                    -3.0, -4, -5.0f, List.of(-6.0, 7.0), "x"),
                RowFactory.create(2, Vectors.dense(3.0, -4.0, -0.0),
                    Vectors.sparse(5, new int[] {}, new double[] {}),
                    Double.NaN, 8, 9.0f, Arrays.asList(null, -1.0), "y"),
                RowFactory.create(3, null, null, null, null, null, null, null)),
            schema);
  }

  @Test
  void singleColumnStageMeetsTheStageContract(@TempDir Path dir) throws Exception {
    LeakyReLU relu = new LeakyReLU().setInputCol("features").setOutputCol("out").setAlpha(0.2);
    StageContract.checkTransformer(relu, LeakyReLU::load, data, dir);
  }

  @Test
  void multiColumnStageMeetsTheStageContract(@TempDir Path dir) throws Exception {
    LeakyReLU relu =
        new LeakyReLU()
            .setInputCols(new String[] {"sparse", "d", "i", "f", "a"})
            .setOutputCols(new String[] {"o1", "o2", "o3", "o4", "o5"});
    StageContract.checkTransformer(relu, LeakyReLU::load, data, dir);
  }

  @Test
  void outputMatchesTheColumnFunctionForEveryType() {
    String[] inputs = {"features", "sparse", "d", "i", "f", "a"};
    String[] outputs = Arrays.stream(inputs).map(c -> c + "_out").toArray(String[]::new);
    Dataset<Row> out =
        new LeakyReLU().setInputCols(inputs).setOutputCols(outputs).setAlpha(0.5).transform(data);
    for (int i = 0; i < inputs.length; i++) {
      DataFrames.assertEquals(
          data.select(leakyRelu(col(inputs[i]), 0.5).as(outputs[i])), out.select(outputs[i]));
    }
    assertEquals(
        List.of("id", "features", "sparse", "d", "i", "f", "a", "s",
            "features_out", "sparse_out", "d_out", "i_out", "f_out", "a_out"),
        Arrays.asList(out.columns()));
  }

  @Test
  void outputKeepsTypesSparsityAndVectorSize() {
    Dataset<Row> out =
        new LeakyReLU()
            .setInputCols(new String[] {"features", "sparse", "i", "f", "a"})
            .setOutputCols(new String[] {"v", "sv", "io", "fo", "ao"})
            .transform(data);
    assertEquals(new VectorUDT(), out.schema().apply("v").dataType());
    assertEquals(DataTypes.DoubleType, out.schema().apply("io").dataType());
    assertEquals(DataTypes.FloatType, out.schema().apply("fo").dataType());
    assertEquals(data.schema().apply("a").dataType(), out.schema().apply("ao").dataType());
    assertEquals(3, AttributeGroup.fromStructField(out.schema().apply("v")).size());
    Row first = out.orderBy("id").first();
    assertArrayEquals(new double[] {-0.01, 0.0, 2.0}, ((org.apache.spark.ml.linalg.Vector) first.getAs("v")).toArray(), 1e-15);
    SparseVector sparse = first.getAs("sv");
    assertArrayEquals(new int[] {0, 3}, sparse.indices());
    assertArrayEquals(new double[] {-0.02, 4.0}, sparse.values(), 1e-15);
  }

  @Test
  void defaultsFollowMLlib() {
    LeakyReLU relu = new LeakyReLU();
    assertEquals(0.01, relu.getAlpha(), 0.0);
    assertEquals("features", relu.getInputCol());
    assertEquals(relu.uid() + "__output", relu.getOutputCol());
    assertTrue(relu.uid().startsWith("leakyReLU_"));
    assertEquals("my-uid", new LeakyReLU("my-uid").uid());
  }

  @Test
  void schemaErrorsNameTheColumnAndTypes() {
    assertSchemaError(new LeakyReLU().setInputCol("nope").setOutputCol("o"),
        "Input column nope does not exist. Available: id, features, sparse, d, i, f, a, s");
    assertSchemaError(new LeakyReLU().setInputCol("d").setOutputCol("i"),
        "Output column i already exists.");
    assertSchemaError(new LeakyReLU().setInputCol("s").setOutputCol("o"),
        "Input column s must be of type numeric, array<float>, array<double> or vector but got string");
    LeakyReLU mismatched = new LeakyReLU().setInputCols(new String[] {"d", "i"}).setOutputCols(new String[] {"o"});
    assertSchemaError(mismatched, "inputCols [d, i] and outputCols [o] must be non-empty and of the same length, but have 2 and 1 entries");
    LeakyReLU both = new LeakyReLU().setInputCol("d").setInputCols(new String[] {"i"}).setOutputCols(new String[] {"o"});
    assertSchemaError(both, "set inputCol/outputCol or inputCols/outputCols, not both");
    assertSchemaError(new LeakyReLU().setOutputCols(new String[] {"o"}), "outputCols is set but inputCols is not");
  }

  static void assertSchemaError(LeakyReLU relu, String message) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> relu.transformSchema(data.schema()));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> relu.transform(data));
  }

  @Test
  void invalidParamsAreRejectedWhenSet() {
    LeakyReLU relu = new LeakyReLU();
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> relu.setAlpha(bad));
      assertTrue(e.getMessage().contains("alpha given invalid value " + bad), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> relu.setInputCol(""));
    assertThrows(IllegalArgumentException.class, () -> relu.setOutputCols(new String[] {"a", "a"}));
    assertEquals(5.0, relu.setAlpha(5.0).getAlpha(), 0.0); // any finite slope, also above 1
  }
}
