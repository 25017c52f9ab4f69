package dev.leakyspark.ml.classification;

import dev.leakyspark.ml.util.Schemas;
import java.util.Map;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * The column params that {@link LeakyMLPClassifier} and {@link LeakyMLPClassificationModel}
 * share, declared once with their docs and defaults. Each stage keeps its own public accessors,
 * which MLlib finds by reflection, and returns these.
 */
final class MLPColumns {

  final Param<String> featuresCol;
  final Param<String> predictionCol;
  final Param<String> rawPredictionCol;
  final Param<String> probabilityCol;

  MLPColumns(Params parent) {
    featuresCol = column(parent, "featuresCol", "features column name: a vector of layers[0] values");
    predictionCol = column(parent, "predictionCol", "prediction column name: the most probable class");
    rawPredictionCol = column(parent, "rawPredictionCol", "output scores column name: the logits before softmax");
    probabilityCol = column(parent, "probabilityCol", "class probabilities column name: the softmax of the scores");
  }

  /** Each param's default, for the stage's {@code setDefault}. */
  Map<Param<String>, String> defaults() {
    return Map.of(featuresCol, "features", predictionCol, "prediction", rawPredictionCol, "rawPrediction",
        probabilityCol, "probability");
  }

  /**
   * {@code schema} with the output columns of {@code stage} (which owns these params) for
   * {@code classes} classes, after checking its features column.
   */
  StructType outputSchema(Params stage, StructType schema, int classes) {
    Schemas.input(schema, stage.getOrDefault(featuresCol), Schemas::isVector, "vector");
    StructType out = Schemas.append(schema, new AttributeGroup(stage.getOrDefault(rawPredictionCol), classes).toStructField());
    out = Schemas.append(out, new AttributeGroup(stage.getOrDefault(probabilityCol), classes).toStructField());
    return Schemas.append(out,
        new StructField(stage.getOrDefault(predictionCol), DataTypes.DoubleType, false, Metadata.empty()));
  }

  /** A non-empty column name param. */
  static Param<String> column(Params parent, String name, String doc) {
    Function1<String, Object> nonEmpty = s -> !s.isEmpty();
    return new Param<>(parent, name, doc, nonEmpty);
  }
}
