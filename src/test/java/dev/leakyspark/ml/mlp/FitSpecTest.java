package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.nn.Network;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.junit.jupiter.api.Test;

/**
 * The fit as a value: every param reaches it, and every part of it that changes the weights
 * reaches the fingerprint, by name or, for a column of the data ({@code weightCol}), through the
 * data's content hash ({@code WeightedFitTest}).
 */
class FitSpecTest {

  /** Params that name columns or shape the model's output, never the fitted weights. */
  private static final Set<String> OUTPUT_ONLY =
      Set.of("predictionCol", "rawPredictionCol", "probabilityCol", "thresholds");

  private static final TrainingBlocks.Content DATA = new TrainingBlocks.Content(1200, "123456789");

  @Test
  void everyParamOfBothEstimatorsIsPartOfTheSpec() {
    Set<String> components = new TreeSet<>();
    for (RecordComponent c : FitSpec.class.getRecordComponents()) {
      components.add(c.getName());
    }
    for (Params stage : List.<Params>of(new LeakyMLPClassifier(), new LeakyMLPRegressor())) {
      List<String> missing = new ArrayList<>();
      for (Param<?> p : stage.params()) {
        if (!components.contains(p.name()) && !OUTPUT_ONLY.contains(p.name())) {
          missing.add(p.name());
        }
      }
      assertEquals(List.of(), missing, stage.getClass().getSimpleName() + "'s params that FitSpec lacks");
    }
  }

  @Test
  void ofReadsEveryParamSetOnTheStage() {
    LeakyMLPRegressor mlp = new LeakyMLPRegressor().setLayers(new int[] {3, 5, 1}).setAlpha(0.2).setSolver("adam")
        .setMaxIter(7).setTol(1e-3).setStepSize(0.05).setStepSizeSchedule("constant").setBlockSize(16).setSeed(9)
        .setRegParam(0.1).setInitialWeights(Vectors.dense(new double[26])).setCheckpointDir("/tmp/c")
        .setCheckpointInterval(3).setNumPartitions(4).setLocalSteps(2).setBlockMomentum(0.5)
        .setStandardizeLabel(false).setWeightCol("w").setValidationIndicatorCol("v").setNumEarlyStoppingRounds(3)
        .setValidationTol(0.5).setDropout(0.2);
    mlp.setFeaturesCol("f").setLabelCol("y");
    FitSpec spec = FitSpec.of(mlp, Network.Loss.SQUARED_ERROR);
    for (RecordComponent c : FitSpec.class.getRecordComponents()) {
      if (!mlp.hasParam(c.getName())) {
        continue;
      }
      Object expected = mlp.getOrDefault(mlp.getParam(c.getName()));
      Object actual = value(spec, c);
      if (expected instanceof org.apache.spark.ml.linalg.Vector v) {
        assertArrayEquals(v.toArray(), (double[]) actual, c.getName());
      } else if (expected instanceof int[] ints) {
        assertArrayEquals(ints, (int[]) actual, c.getName());
      } else {
        assertEquals(expected, actual, c.getName());
      }
    }
    assertEquals("LeakyMLPRegressor", spec.stage());
    assertEquals(Network.Loss.SQUARED_ERROR, spec.network().loss());
    assertEquals(0.2, spec.network().alpha());
    assertTrue(spec.checkpoints());
    assertNull(FitSpec.of(new LeakyMLPClassifier().setLayers(new int[] {2, 2}), Network.Loss.CROSS_ENTROPY)
        .initialWeights());
  }

  @Test
  void everyComponentButTheBookkeepingChangesTheFingerprint() {
    FitSpec spec = FitSpec.of(new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setCheckpointDir("/tmp/a"),
        Network.Loss.CROSS_ENTROPY).withNumPartitions(2);
    Map<String, String> base = spec.fingerprint(DATA);
    for (RecordComponent c : FitSpec.class.getRecordComponents()) {
      Map<String, String> changed = changed(spec, c).fingerprint(DATA);
      if (c.isAnnotationPresent(FitSpec.Bookkeeping.class)) {
        assertEquals(base, changed, c.getName() + " files the fit and must not change its fingerprint");
      } else if (c.isAnnotationPresent(FitSpec.InData.class)) {
        assertEquals(base, changed, c.getName() + " reaches the fingerprint through the data's hash alone");
      } else {
        assertNotEquals(base.get(c.getName()), changed.get(c.getName()), c.getName());
      }
    }
    assertNotEquals(base, spec.fingerprint(new TrainingBlocks.Content(1200, "987654321")), "the data's hash");
    assertNotEquals(base, spec.fingerprint(new TrainingBlocks.Content(1201, "123456789")), "the data's rows");
  }

  /**
   * The fingerprint's names and values, pinned: a change here changes every fit's folder, so that
   * checkpoints written before it start over (the validation params arrived with format 5).
   */
  @Test
  void theFingerprintKeepsItsNamesAndValues() {
    FitSpec spec = FitSpec.of(new LeakyMLPClassifier().setLayers(new int[] {4, 8, 3}).setSeed(5)
        .setInitialWeights(Vectors.dense(new double[67])), Network.Loss.CROSS_ENTROPY).withNumPartitions(2);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("solver", "l-bfgs");
    expected.put("loss", "CROSS_ENTROPY");
    expected.put("standardizeLabel", "false");
    expected.put("layers", "[4, 8, 3]");
    expected.put("alpha", "0.01");
    expected.put("maxIter", "100");
    expected.put("tol", "1.0E-6");
    expected.put("stepSize", "0.001");
    expected.put("stepSizeSchedule", "cosine");
    expected.put("blockSize", "128");
    expected.put("seed", "5");
    expected.put("regParam", "0.0");
    expected.put("initialWeights", "hash " + Arrays.hashCode(new double[67]));
    expected.put("numPartitions", "2");
    expected.put("localSteps", "64");
    expected.put("blockMomentum", "0.0");
    expected.put("numEarlyStoppingRounds", "10");
    expected.put("validationTol", "1.0E-4");
    expected.put("dropout", "0.0");
    expected.put("data rows", "1200");
    expected.put("data hash", "123456789");
    assertEquals(expected, spec.fingerprint(DATA));
    assertEquals("unset", FitSpec.of(new LeakyMLPClassifier().setLayers(new int[] {4, 3}), Network.Loss.CROSS_ENTROPY)
        .fingerprint(DATA).get("initialWeights"));
  }

  @Test
  void theSpecHoldsItsOwnArrays() {
    int[] layers = {4, 8, 3};
    double[] weights = new double[67];
    LeakyMLPClassifier mlp = new LeakyMLPClassifier().setLayers(layers).setInitialWeights(Vectors.dense(weights));
    FitSpec spec = FitSpec.of(mlp, Network.Loss.CROSS_ENTROPY);
    spec.layers()[0] = 99;
    spec.initialWeights()[0] = 99;
    assertEquals(4, spec.layers()[0]);
    assertEquals(0.0, spec.initialWeights()[0]);
  }

  private static Object value(FitSpec spec, RecordComponent c) {
    try {
      return c.getAccessor().invoke(spec);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code spec} with component {@code changed} set to another value of its type. */
  private static FitSpec changed(FitSpec spec, RecordComponent changed) {
    RecordComponent[] all = FitSpec.class.getRecordComponents();
    Object[] args = new Object[all.length];
    Class<?>[] types = new Class<?>[all.length];
    for (int i = 0; i < all.length; i++) {
      types[i] = all[i].getType();
      Object v = value(spec, all[i]);
      args[i] = all[i].getName().equals(changed.getName()) ? other(v, all[i].getType()) : v;
    }
    try {
      Constructor<FitSpec> make = FitSpec.class.getDeclaredConstructor(types);
      return make.newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object other(Object v, Class<?> type) {
    if (type == int.class) {
      return (Integer) v + 1;
    } else if (type == long.class) {
      return (Long) v + 1;
    } else if (type == double.class) {
      return (Double) v + 0.25;
    } else if (type == boolean.class) {
      return !(Boolean) v;
    } else if (type == String.class) {
      return v + "x";
    } else if (type == int[].class) {
      int[] ints = ((int[]) v).clone();
      ints[0]++;
      return ints;
    } else if (type == double[].class) {
      return v == null ? new double[] {1} : null;
    } else if (type == Network.Loss.class) {
      return v == Network.Loss.CROSS_ENTROPY ? Network.Loss.SQUARED_ERROR : Network.Loss.CROSS_ENTROPY;
    }
    throw new AssertionError("no other value of " + type + " here; add one for the new component");
  }
}
