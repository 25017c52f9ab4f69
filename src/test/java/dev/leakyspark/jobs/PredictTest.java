package dev.leakyspark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.data.Generated;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class PredictTest {

  static SparkSession spark;
  @TempDir static Path data;
  static String input;
  static String model;
  static PipelineModel fitted;

  @BeforeAll
  static void start(SparkSession session) throws Exception {
    spark = session;
    input = data.resolve("input").toString();
    Generated.rows(spark, 400, 12).selectExpr("id", "features", "label", "'row' AS note").write().parquet(input);
    Dataset<Row> rows = spark.read().parquet(input);
    fitted = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"),
        new LeakyMLPClassifier().setLayers(new int[] {12, 8, 10}).setFeaturesCol("scaled").setMaxIter(20).setSeed(5)
    }).fit(rows);
    model = data.resolve("model").toString();
    fitted.write().save(model);
  }

  static JobCall predict(String... args) {
    return JobCall.of(Predict::run, args);
  }

  @Test
  void writesTheInputColumnsWithPredictionAndProbability(@TempDir Path dir) {
    String out = dir.resolve("scored").toString();
    JobCall r = predict("--model", model, "--input", input, "--output", out);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("predict: wrote 400 rows to " + out), r.out());
    assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
    Dataset<Row> scored = spark.read().parquet(out);
    assertEquals(List.of("id", "features", "label", "note", "prediction", "probability"), Arrays.asList(scored.columns()));
    List<Row> expected = fitted.transform(spark.read().parquet(input)).select("id", "prediction", "probability").orderBy("id").collectAsList();
    assertEquals(expected, scored.select("id", "prediction", "probability").orderBy("id").collectAsList());
  }

  @Test
  void optionsFromAFileAnInputFormatOverwriteHelpAndTheDefaultOutput(@TempDir Path dir) throws Exception {
    String libsvm = dir.resolve("input.libsvm").toString();
    spark.read().parquet(input).select("label", "features").write().format("libsvm").save(libsvm);
    String out = dir.resolve("scored").toString();
    Path conf = dir.resolve("predict.properties");
    Files.writeString(conf, "model = " + model + "\ninput = " + libsvm + "\ninput-format = libsvm\noutput = " + out
        + "\noutput-format = json\n");
    JobCall r = predict("--conf", conf.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("predict: wrote 400 rows to " + out + " (json)"), r.out());
    List<Row> expected = fitted.transform(spark.read().format("libsvm").load(libsvm)).select("prediction").collectAsList();
    assertEquals(expected, spark.read().json(out).select("prediction").collectAsList());

    JobCall again = predict("--conf", conf.toString());
    assertEquals(1, again.status());
    assertTrue(again.err().contains("Output " + out + " already exists; pass --overwrite to replace it"), again.err());
    JobCall replaced = predict("--conf", conf.toString(), "--output-format", "parquet", "--overwrite");
    assertEquals(0, replaced.status(), replaced.err());
    assertEquals(400, spark.read().parquet(out).count(), "flags win over the file");

    JobCall help = predict("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("Usage: jobs/predict --model PATH --input PATH"), help.out());

    JobCall byDefault = predict("--model", model, "--input", input);
    assertEquals(0, byDefault.status(), byDefault.err());
    java.util.regex.Matcher written = java.util.regex.Pattern.compile("predict: wrote 400 rows to (\\S+) \\(parquet\\)")
        .matcher(byDefault.out());
    assertTrue(written.find(), byDefault.out());
    Path defaultOutput = Path.of(written.group(1));
    try {
      assertTrue(defaultOutput.startsWith(Path.of(System.getProperty("java.io.tmpdir"), "leaky-spark")), defaultOutput.toString());
      assertTrue(defaultOutput.getFileName().toString().matches("predict-\\d{8}-\\d{6}"), defaultOutput.toString());
      assertEquals(400, spark.read().parquet(defaultOutput.toString()).count());
    } finally {
      org.apache.commons.io.FileUtils.deleteDirectory(defaultOutput.toFile());
    }
  }

  @Test
  void aSingleModelLoadsToo(@TempDir Path dir) {
    String single = dir.resolve("scaler").toString();
    try {
      fitted.stages()[0].getClass().getMethod("save", String.class).invoke(fitted.stages()[0], single);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    String out = dir.resolve("scored").toString();
    JobCall r = predict("--model", single, "--input", input, "--output", out, "--output-format", "json");
    assertEquals(0, r.status(), r.err());
    assertEquals(List.of("features", "id", "label", "note"), Arrays.asList(spark.read().json(out).columns()),
        "a model without prediction columns adds none");
  }

  @Test
  void badModelsAndMismatchedDataFailClearlyAndWriteNothing(@TempDir Path dir) throws Exception {
    String out = dir.resolve("scored").toString();
    JobCall missing = predict("--model", dir.resolve("nope").toString(), "--input", input, "--output", out);
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("is not a saved Spark ML model: " + dir.resolve("nope") + "/metadata/part-00000 is missing"), missing.err());

    Path corrupt = Files.createDirectories(dir.resolve("corrupt/metadata"));
    Files.writeString(corrupt.resolve("part-00000"), "{not json");
    JobCall garbled = predict("--model", dir.resolve("corrupt").toString(), "--input", input, "--output", out);
    assertEquals(1, garbled.status());
    assertTrue(garbled.err().contains("has unreadable metadata"), garbled.err());

    Path unknown = Files.createDirectories(dir.resolve("unknown/metadata"));
    Files.writeString(unknown.resolve("part-00000"), "{\"class\":\"com.example.Gone\"}");
    JobCall gone = predict("--model", dir.resolve("unknown").toString(), "--input", input, "--output", out);
    assertEquals(1, gone.status());
    assertTrue(gone.err().contains("Cannot load model " + dir.resolve("unknown") + " (class 'com.example.Gone')"), gone.err());

    Path noData = dir.resolve("no-data");
    org.apache.commons.io.FileUtils.copyDirectory(Path.of(model).toFile(), noData.toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(noData.resolve("stages").toFile().listFiles((d, n) -> n.startsWith("1_"))[0]
        .toPath().resolve("data").toFile());
    JobCall lost = predict("--model", noData.toString(), "--input", input, "--output", out);
    assertEquals(1, lost.status());
    assertTrue(lost.err().contains("Cannot load model " + noData), lost.err());
    assertTrue(lost.err().contains("data"), lost.err());

    String wide = dir.resolve("wide").toString();
    Generated.rows(spark, 10, 20).write().parquet(wide);
    String mlp = dir.resolve("mlp").toString();
    new LeakyMLPClassifier().setLayers(new int[] {12, 8, 10}).setMaxIter(2).fit(spark.read().parquet(input))
        .write().save(mlp);
    JobCall size = predict("--model", mlp, "--input", wide, "--output", out);
    assertEquals(1, size.status());
    assertTrue(size.err().contains("Model " + mlp + " cannot score " + wide
        + ": LeakyMLPClassificationModel: column features has a vector of size 20 but the model takes 12 features"), size.err());
    JobCall scaler = predict("--model", model, "--input", wide, "--output", out);
    assertEquals(1, scaler.status());
    assertTrue(scaler.err().contains("Model " + model + " cannot score " + wide + ": "), scaler.err());
    assertFalse(scaler.err().contains("Job aborted"), "the cause, not Spark's wrapper: " + scaler.err());
    assertFalse(Files.exists(Path.of(out)), "no output after any failure");

    JobCall intoModel = predict("--model", model, "--input", input, "--output", model + "/out");
    assertEquals(1, intoModel.status());
    assertTrue(intoModel.err().contains("a job never writes into its input"), intoModel.err());
    assertEquals(2, predict("--input", input).status());
  }
}
