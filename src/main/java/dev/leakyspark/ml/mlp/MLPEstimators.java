package dev.leakyspark.ml.mlp;

import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.nn.Network;
import java.util.Arrays;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The checks both MLP estimators make in {@code transformSchema}, before any data is read.
 *
 * <pre>{@code
 * int[] layers = MLPEstimators.checkedLayers(this, "setLayers(new int[] {784, 128, 10})");
 * }</pre>
 */
public final class MLPEstimators {

  private MLPEstimators() {}

  /**
   * {@code stage}'s layers, refusing them unset (naming the setter call {@code example}) and an
   * {@code initialWeights} of another size than they need.
   */
  public static int[] checkedLayers(LeakyMLPParams stage, String example) {
    if (!stage.isDefined(stage.layers())) {
      throw new IllegalArgumentException(
          stage.getClass().getSimpleName() + " " + stage.uid() + ": layers is not set; e.g. " + example);
    }
    int[] layers = stage.getLayers();
    if (stage.getDropout() > 0 && !stage.getSolver().equals(LeakyMLPParams.ADAM)) {
      throw new IllegalArgumentException(stage.getClass().getSimpleName() + " " + stage.uid() + ": dropout "
          + stage.getDropout() + " needs solver adam; l-bfgs minimises a deterministic objective, which dropout"
          + " would change at every evaluation");
    }
    long need = Network.numWeights(layers);
    if (stage.isDefined(stage.initialWeights()) && stage.getInitialWeights().size() != need) {
      throw new IllegalArgumentException("initialWeights has " + stage.getInitialWeights().size()
          + " entries but layers " + Arrays.toString(layers) + " need " + need);
    }
    return layers;
  }

  /**
   * Refuses a {@code weightCol} that names no numeric column of {@code schema}, and a
   * {@code validationIndicatorCol} that names no boolean one (each when set and not empty).
   */
  public static void checkWeightAndValidationCols(LeakyMLPParams stage, StructType schema) {
    String weight = LeakyMLPParams.weightColumn(stage);
    if (weight != null) {
      Schemas.input(schema, weight, type -> type instanceof NumericType, "numeric (row weights)");
    }
    String validation = LeakyMLPParams.validationColumn(stage);
    if (validation != null) {
      Schemas.input(schema, validation, type -> type instanceof BooleanType, "boolean (true for validation rows)");
    }
  }
}
