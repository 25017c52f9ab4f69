package dev.leakyspark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.leakyspark.data.Generated;
import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.sql.SparkLine;
import dev.leakyspark.testing.JobProcess;
import dev.leakyspark.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code PipelineModel} saved by the Spark 3.5 build ({@code src/test/resources/pipeline-spark-3.5})
 * loads on every Spark line and predicts what it predicted on 3.5. To regenerate the model and its
 * predictions, on the 3.5 line:
 * {@code mvn -B test -Dtest=SavedPipelineTest -Dleaky.regenerate=true}.
 */
@ExtendWith(SharedSpark.class)
class SavedPipelineTest {

  static final Path SAVED = JobProcess.ROOT.resolve("src/test/resources/pipeline-spark-3.5");

  static Dataset<Row> input(SparkSession spark) {
    return Generated.rows(spark, 40, 12, 2);
  }

  @Test
  void aPipelineSavedOnSpark35PredictsTheSameHere(SparkSession spark) throws IOException {
    if (Boolean.getBoolean("leaky.regenerate")) {
      assertEquals("3.5", SparkLine.LINE, "regenerate on the Spark 3.5 line");
      regenerate(spark);
    }
    PipelineModel model = PipelineModel.load(SAVED.resolve("model").toString());
    assertEquals(0.2, assertInstanceOf(LeakyReLU.class, model.stages()[0]).getAlpha(), 0.0);
    assertInstanceOf(LeakyMLPClassificationModel.class, model.stages()[1]);
    List<String> expected = Files.readAllLines(SAVED.resolve("predictions.csv"));
    List<String> actual = predictions(model, spark);
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      String[] want = expected.get(i).split(",");
      String[] got = actual.get(i).split(",");
      assertEquals(want[0] + "," + want[1], got[0] + "," + got[1], "id and prediction");
      for (int k = 2; k < want.length; k++) {
        // the BLAS may differ between machines in the last bits, never more
        assertEquals(Double.parseDouble(want[k]), Double.parseDouble(got[k]), 1e-12, "row " + want[0]);
      }
    }
  }

  /** id, prediction, then the class probabilities, in id order. */
  private static List<String> predictions(PipelineModel model, SparkSession spark) {
    List<String> lines = new ArrayList<>();
    for (Row row : model.transform(input(spark)).orderBy("id").select("id", "prediction", "probability")
        .collectAsList()) {
      StringBuilder line = new StringBuilder(row.getLong(0) + "," + row.getDouble(1));
      for (double p : ((Vector) row.get(2)).toArray()) {
        line.append(',').append(p);
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static void regenerate(SparkSession spark) throws IOException {
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new LeakyReLU().setInputCol("features").setOutputCol("relu").setAlpha(0.2),
        new LeakyMLPClassifier().setFeaturesCol("relu").setLayers(new int[] {12, 8, 10}).setMaxIter(5).setSeed(7)
    }).fit(input(spark));
    model.write().overwrite().save(SAVED.resolve("model").toString());
    Files.write(SAVED.resolve("predictions.csv"), predictions(model, spark));
  }
}
