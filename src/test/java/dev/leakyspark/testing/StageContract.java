package dev.leakyspark.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.streaming.Trigger;
import scala.collection.JavaConverters;

/**
 * The MLlib stage contract as one reusable set of checks: params,
 * copy and uid, save and load (alone and inside a {@code PipelineModel}), and batch and
 * streaming transform. Every leaky-spark stage runs through it.
 */
public final class StageContract {

  private StageContract() {}

  /** Every check that applies to a transformer, on {@code data}. */
  public static <T extends Transformer & MLWritable> void checkTransformer(
      T stage, Function<String, T> load, Dataset<Row> data, Path dir) throws Exception {
    checkTransformer(stage, Set.of(), load, data, dir);
  }

  /** As {@link #checkTransformer(Transformer, Function, Dataset, Path)}, for a stage whose params in {@code withoutDefault} stay undefined until set. */
  public static <T extends Transformer & MLWritable> void checkTransformer(
      T stage, Set<String> withoutDefault, Function<String, T> load, Dataset<Row> data, Path dir) throws Exception {
    checkParams(stage, withoutDefault);
    checkCopy(stage);
    checkSaveLoad(stage, load, dir.resolve("stage"));
    Dataset<Row> batch = stage.transform(data);
    assertEquals(
        stage.transformSchema(data.schema()).simpleString(),
        batch.schema().simpleString(),
        "transformSchema must predict transform's schema");
    checkInPipeline(stage, data, dir.resolve("pipeline"));
    checkStreaming(stage, data, dir.resolve("stream"));
  }

  /**
   * Every check that applies to an estimator and the model it fits on {@code data}: both stages'
   * params, copy and persistence; the model's uid and parent; labels of every numeric type give
   * the same model; a string label is refused; and the model passes {@link #checkTransformer}.
   * {@code withoutDefault} names the estimator's params that stay undefined until set, and
   * {@code modelWithoutDefault} the model's. Returns the fitted model.
   */
  public static <E extends Estimator<M> & MLWritable, M extends Model<M> & MLWritable> M checkEstimator(
      E estimator, Set<String> withoutDefault, Set<String> modelWithoutDefault, Function<String, E> loadEstimator,
      Function<String, M> loadModel,
      Function<M, Object> learned, String labelCol, Dataset<Row> data, Path dir) throws Exception {
    checkParams(estimator, withoutDefault);
    checkCopy(estimator);
    checkSaveLoad(estimator, loadEstimator, dir.resolve("estimator"));
    M model = estimator.fit(data);
    assertEquals(estimator.uid(), model.uid(), "a model's uid is its estimator's");
    assertSame(estimator, model.parent());
    assertSame(estimator, model.copy(ParamMap.empty()).parent(), "a copied model keeps its parent");
    M loaded = checkSaveLoad(model, loadModel, dir.resolve("model"));
    assertTrue(Objects.deepEquals(learned.apply(model), learned.apply(loaded)), "loaded model's learned data");
    for (DataType type : new DataType[] {
        DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType,
        DataTypes.FloatType, DataTypes.createDecimalType(10, 0)}) {
      Dataset<Row> cast = data.withColumn(labelCol, data.col(labelCol).cast(type));
      assertTrue(
          Objects.deepEquals(learned.apply(model), learned.apply(estimator.fit(cast))),
          "labels of type " + type.catalogString() + " must give the same model");
    }
    Dataset<Row> strings = data.withColumn(labelCol, data.col(labelCol).cast(DataTypes.StringType));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> estimator.fit(strings));
    assertTrue(e.getMessage().contains(labelCol) && e.getMessage().contains("string"), e.getMessage());
    checkTransformer(model, modelWithoutDefault, loadModel, data, dir.resolve("transformer"));
    return model;
  }

  /**
   * Params are sorted by name, belong to the stage, are found by {@code getParam}, and have a
   * public no-argument accessor named after them and a typed getter. Each has a default, except
   * those named in {@code withoutDefault}: on a new stage these are undefined and their getter
   * throws, as MLlib's {@code layers} does.
   */
  public static void checkParams(Params stage, Set<String> withoutDefault) throws Exception {
    Param<?>[] params = stage.params();
    assertTrue(params.length > 0, "no params found on " + stage.uid());
    Params fresh = stage.getClass().getConstructor(String.class).newInstance(stage.uid());
    List<String> names = new ArrayList<>();
    for (Param<?> p : params) {
      names.add(p.name());
      assertEquals(stage.uid(), p.parent(), "parent of " + p.name());
      assertSame(p, stage.getParam(p.name()), "getParam(" + p.name() + ")");
      Method accessor = stage.getClass().getMethod(p.name());
      assertTrue(Modifier.isPublic(accessor.getModifiers()));
      assertSame(p, accessor.invoke(stage), "accessor " + p.name() + "()");
      String getterName = "get" + Character.toUpperCase(p.name().charAt(0)) + p.name().substring(1);
      Method getter = stage.getClass().getMethod(getterName);
      if (withoutDefault.contains(p.name())) {
        assertFalse(stage.hasDefault(p), "param " + p.name() + " must have no default");
        assertFalse(fresh.isDefined(fresh.getParam(p.name())), "param " + p.name() + " must be undefined until set");
        InvocationTargetException unset = assertThrows(InvocationTargetException.class, () -> getter.invoke(fresh));
        assertTrue(unset.getCause() instanceof NoSuchElementException, getterName + "() of an unset param: " + unset.getCause());
      } else {
        assertTrue(stage.hasDefault(p), "param " + p.name() + " has no default");
      }
      if (stage.isDefined(p)) {
        assertTrue(
            Objects.deepEquals(stage.getOrDefault(p), getter.invoke(stage)), getterName + "()");
      }
      assertTrue(p.doc() != null && !p.doc().isEmpty(), "param " + p.name() + " has no doc");
    }
    List<String> sorted = new ArrayList<>(names);
    sorted.sort(Comparator.naturalOrder());
    assertEquals(sorted, names, "params must be sorted by name");
    assertTrue(stage.explainParams().contains(names.get(0)));
  }

  /** {@code copy} returns the concrete class with the same uid and params, and applies extras. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void checkCopy(Params stage) {
    Params copy = stage.copy(ParamMap.empty());
    assertNotSame(stage, copy);
    assertSame(stage.getClass(), copy.getClass());
    assertEquals(stage.uid(), copy.uid());
    assertEquals(paramValues(stage), paramValues(copy));
    // an extra with a value other than the current one must win in the copy only
    Param param = null;
    Object other = null;
    for (Param p : stage.params()) {
      Object current = stage.isDefined(p) ? stage.getOrDefault(p) : null;
      Object candidate = current instanceof Integer i ? (Object) (i + 1)
          : current instanceof Double d ? (Object) (d + 0.5)
          : current instanceof String text ? (Object) (text + "_copy") : null;
      if (candidate != null && (Boolean) p.isValid().apply(candidate)) {
        param = p;
        other = candidate;
        break;
      }
    }
    assertNotNull(param, "no int, double or string param to check copy(extra) with");
    Object before = stage.getOrDefault(param);
    Params changed = stage.copy(new ParamMap().put(param, other));
    assertEquals(other, changed.getOrDefault(changed.getParam(param.name())), "copy(extra) must apply " + param.name());
    assertEquals(before, stage.getOrDefault(param), "copy(extra) must not change the original");
  }

  /**
   * Saving twice to one path fails with {@link IOException}, {@code write().overwrite()} replaces
   * it, and {@code load} restores the uid and every param.
   */
  public static <T extends Params & MLWritable> T checkSaveLoad(
      T stage, Function<String, T> load, Path path) throws IOException {
    String where = path.toString();
    stage.write().save(where);
    IOException again = assertThrows(IOException.class, () -> stage.write().save(where));
    assertTrue(again.getMessage().contains(where), again.getMessage());
    stage.write().overwrite().save(where);
    T loaded = load.apply(where);
    assertSame(stage.getClass(), loaded.getClass());
    assertEquals(stage.uid(), loaded.uid());
    assertEquals(paramValues(stage), paramValues(loaded));
    return loaded;
  }

  /** Inside a saved and reloaded {@code PipelineModel}, the stage gives the same output. */
  public static void checkInPipeline(PipelineStage stage, Dataset<Row> data, Path path)
      throws IOException {
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {stage}).fit(data);
    model.write().save(path.toString());
    PipelineModel loaded = PipelineModel.load(path.toString());
    assertSame(model.stages()[0].getClass(), loaded.stages()[0].getClass());
    assertEquals(model.stages()[0].uid(), loaded.stages()[0].uid());
    DataFrames.assertEquals(model.transform(data), loaded.transform(data));
  }

  /** A streaming DataFrame transforms to the same rows as the batch one. */
  public static void checkStreaming(Transformer stage, Dataset<Row> data, Path dir)
      throws Exception {
    String input = dir.resolve("input").toString();
    data.write().parquet(input);
    Dataset<Row> stream = data.sparkSession().readStream().schema(data.schema()).parquet(input);
    assertTrue(stream.isStreaming());
    String table = "contract_" + UUID.randomUUID().toString().replace('-', '_');
    StreamingQuery query =
        stage
            .transform(stream)
            .writeStream()
            .format("memory")
            .queryName(table)
            .option("checkpointLocation", dir.resolve("checkpoint").toString())
            .trigger(Trigger.AvailableNow())
            .start();
    try {
      query.awaitTermination();
    } finally {
      query.stop();
    }
    Dataset<Row> streamed = data.sparkSession().table(table);
    Dataset<Row> batch = stage.transform(data);
    assertEquals(batch.schema().simpleString(), streamed.schema().simpleString());
    assertEquals(sortedStrings(batch), sortedStrings(streamed));
  }

  private static List<String> sortedStrings(Dataset<Row> df) {
    List<String> rows = new ArrayList<>();
    for (Row row : df.collectAsList()) {
      rows.add(row.toString());
    }
    rows.sort(Comparator.naturalOrder());
    return rows;
  }

  /** Param name to value, with arrays as lists so that maps compare by content. */
  private static TreeMap<String, Object> paramValues(Params stage) {
    TreeMap<String, Object> values = new TreeMap<>();
    for (ParamPair<?> pair : JavaConverters.seqAsJavaList(stage.extractParamMap().toSeq())) {
      Object value = pair.value();
      if (value instanceof Object[]) {
        value = List.of((Object[]) value);
      } else if (value instanceof int[]) {
        value = java.util.Arrays.toString((int[]) value);
      } else if (value instanceof double[]) {
        value = java.util.Arrays.toString((double[]) value);
      }
      values.put(pair.param().name(), value);
    }
    return values;
  }
}
