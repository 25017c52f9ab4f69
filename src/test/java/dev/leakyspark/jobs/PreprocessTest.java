package dev.leakyspark.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.LeakyRelu;
import dev.leakyspark.data.Generated;
import dev.leakyspark.testing.IdxFiles;
import dev.leakyspark.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SharedSpark.class)
class PreprocessTest {

  static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  static JobCall preprocess(String... args) {
    return JobCall.of(Preprocess::run, args);
  }

  static String input(Path dir) {
    String path = dir.resolve("in").toString();
    Generated.rows(spark, 50, 3).selectExpr("id", "features", "label - 5 AS score", "'x' AS name")
        .write().parquet(path);
    return path;
  }

  @Test
  void transformsTheChosenColumnsAndKeepsTheRest(@TempDir Path dir) {
    String in = input(dir);
    String out = dir.resolve("out").toString();
    JobCall r = preprocess("--input", in, "--output", out, "--columns", "features", "--alpha", "0.5");
    assertEquals(0, r.status(), r.err());
    Dataset<Row> before = spark.read().parquet(in).orderBy("id");
    Dataset<Row> after = spark.read().parquet(out).orderBy("id");
    assertEquals(List.of("id", "features", "score", "name"), Arrays.asList(after.columns()));
    assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
    List<Row> a = before.collectAsList();
    List<Row> b = after.collectAsList();
    assertEquals(50, b.size());
    for (int i = 0; i < a.size(); i++) {
      double[] x = ((Vector) a.get(i).get(1)).toArray();
      double[] expected = new double[x.length];
      LeakyRelu.apply(x, expected, 0.5);
      assertArrayEquals(expected, ((Vector) b.get(i).get(1)).toArray(), 0.0);
      assertEquals(a.get(i).getDouble(2), b.get(i).getDouble(2), 0.0, "score untouched");
      assertEquals(a.get(i).getLong(0), b.get(i).getLong(0));
    }
  }

  @Test
  void defaultColumnsAreEveryNumericArrayOrVectorColumn(@TempDir Path dir) {
    String in = input(dir);
    String out = dir.resolve("out").toString();
    assertEquals(0, preprocess("--input", in, "--output", out).status());
    Row row = spark.read().parquet(out).where("id = 3").first();
    assertEquals(LeakyRelu.apply(3.0 - 5, 0.01), row.getDouble(2), 0.0);
    assertEquals("x", row.getString(3));
  }

  @Test
  void csvWithHeaderAndConfFileWithFlagsWinning(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "name,score\na,-2.0\nb,4.0\n");
    Path conf = dir.resolve("job.properties");
    Files.writeString(conf, "input = " + csv + "\ninput-format = csv\nalpha = 0.25\noutput-format = json\n");
    String out = dir.resolve("out").toString();
    JobCall r = preprocess("--conf", conf.toString(), "--output", out, "--alpha", "0.5");
    assertEquals(0, r.status(), r.err());
    List<Row> rows = spark.read().json(out).orderBy("name").collectAsList();
    assertEquals(-1.0, rows.get(0).getDouble(rows.get(0).fieldIndex("score")), 0.0);
    assertEquals(4.0, rows.get(1).getDouble(rows.get(1).fieldIndex("score")), 0.0);
  }

  @Test
  void existingOutputIsRefusedUnlessOverwriteIsGiven(@TempDir Path dir) throws Exception {
    String in = input(dir);
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("keep.txt"), "precious");
    JobCall refused = preprocess("--input", in, "--output", out.toString());
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("Output " + out + " already exists; pass --overwrite to replace it"), refused.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));
    assertEquals(0, preprocess("--input", in, "--output", out.toString(), "--overwrite").status());
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertEquals(50, spark.read().parquet(out.toString()).count());
  }

  @Test
  void theInputIsNeverAnOutput(@TempDir Path dir) {
    String in = input(dir);
    for (String out : List.of(in, in + "/nested")) {
      JobCall r = preprocess("--input", in, "--output", out, "--overwrite");
      assertEquals(1, r.status());
      assertTrue(r.err().contains("overlaps input " + in + "; a job never writes into its input"), r.err());
    }
    assertEquals(50, spark.read().parquet(in).count());
  }

  @Test
  void badInputFailsWithTheNameOfThePathOrColumn(@TempDir Path dir) throws Exception {
    String in = input(dir);
    String out = dir.resolve("out").toString();
    JobCall missing = preprocess("--input", dir.resolve("nope").toString(), "--output", out);
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("Input " + dir.resolve("nope") + " does not exist"), missing.err());
    JobCall column = preprocess("--input", in, "--output", out, "--columns", "features,nope");
    assertEquals(1, column.status());
    assertTrue(column.err().contains("Column nope does not exist in " + in + ". Available: id, features, score, name"), column.err());
    JobCall type = preprocess("--input", in, "--output", out, "--columns", "name");
    assertEquals(1, type.status());
    assertTrue(type.err().contains("input must be numeric, array<float>, array<double> or vector, but got name of type string"), type.err());
    Path notParquet = Files.writeString(dir.resolve("text.parquet"), "not parquet");
    JobCall unreadable = preprocess("--input", notParquet.toString(), "--output", out);
    assertEquals(1, unreadable.status());
    assertTrue(unreadable.err().contains(notParquet.toString()), unreadable.err());
    JobCall csvVectors = preprocess("--input", in, "--output", out, "--output-format", "csv");
    assertEquals(1, csvVectors.status());
    assertTrue(csvVectors.err().contains("CSV cannot hold column features of type vector"), csvVectors.err());
    assertFalse(Files.exists(Path.of(out)), "no partial output after failures");
  }

  @Test
  void raggedCsvAndEmptyInputsFailWithoutOutput(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("ragged.csv");
    Files.writeString(csv, "name,score\na,-2.0\nb,4.0,extra\nc\n");
    String out = dir.resolve("out").toString();
    JobCall ragged = preprocess("--input", csv.toString(), "--input-format", "csv", "--output", out);
    assertEquals(1, ragged.status());
    assertTrue(ragged.err().contains("Malformed"), ragged.err());
    assertFalse(Files.exists(Path.of(out, "_SUCCESS")), "a failed write never looks complete");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    JobCall none = preprocess("--input", empty.toString(), "--output", dir.resolve("out2").toString());
    assertEquals(1, none.status());
    assertTrue(none.err().contains("Cannot read " + empty + " as parquet"), none.err());
  }

  @Test
  void withoutAnInputItProcessesGeneratedData(@TempDir Path dir) throws Exception {
    String out = dir.resolve("out").toString();
    long rows = Preprocess.run(spark,
        new Preprocess.Options(null, out, "parquet", "parquet", List.of("features"), 0.01, false));
    assertEquals(60_000, rows);
    Row first = spark.read().parquet(out).orderBy("id").first();
    double[] raw = ((Vector) Generated.rows(spark, 1, 784).first().get(2)).toArray();
    double[] expected = new double[raw.length];
    LeakyRelu.apply(raw, expected, 0.01);
    assertArrayEquals(expected, ((Vector) first.getAs("features")).toArray(), 0.0);
  }

  @Test
  void everyInputAndOutputFormatIsReadAndWritten(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("in.json");
    Files.writeString(json, "{\"id\": 1, \"x\": -2.0}\n{\"id\": 2, \"x\": 3.0}\n");
    String orc = dir.resolve("orc").toString();
    JobCall fromJson = preprocess("--input", json.toString(), "--input-format", "json", "--columns", "x",
        "--alpha", "0.5", "--output", orc, "--output-format", "orc");
    assertEquals(0, fromJson.status(), fromJson.err());
    assertEquals(List.of(-1.0, 3.0), spark.read().orc(orc).orderBy("id").select("x").as(Encoders.DOUBLE()).collectAsList());

    Path libsvm = dir.resolve("in.libsvm");
    Files.writeString(libsvm, "1 1:-2.0 3:4.0\n0 2:-1.0\n");
    String fromLibsvm = dir.resolve("from-libsvm").toString();
    JobCall svm = preprocess("--input", libsvm.toString(), "--input-format", "libsvm", "--columns", "features",
        "--alpha", "0.5", "--output", fromLibsvm);
    assertEquals(0, svm.status(), svm.err());
    List<Row> rows = spark.read().parquet(fromLibsvm).orderBy(functions.desc("label")).collectAsList();
    assertEquals(Vectors.sparse(3, new int[] {0, 2}, new double[] {-1.0, 4.0}), rows.get(0).getAs("features"));
    assertEquals(Vectors.sparse(3, new int[] {1}, new double[] {-0.5}), rows.get(1).getAs("features"));

    IdxFiles.smallFiles(dir, "small", true);
    String fromIdx = dir.resolve("from-idx").toString();
    JobCall idx = preprocess("--input", dir.resolve("small").toString(), "--input-format", "idx", "--output", fromIdx);
    assertEquals(0, idx.status(), idx.err());
    assertTrue(idx.out().contains("preprocess: wrote 3 rows to " + fromIdx + " (parquet)"), idx.out());
    assertEquals(List.of(0.0, 7.0, 255.0),
        spark.read().parquet(fromIdx).select("label").orderBy("label").as(Encoders.DOUBLE()).collectAsList());

    String csv = dir.resolve("csv").toString(); // every numeric column by default: id too, as a double
    JobCall toCsv = preprocess("--input", json.toString(), "--input-format", "json", "--alpha", "0.5",
        "--output", csv, "--output-format", "csv");
    assertEquals(0, toCsv.status(), toCsv.err());
    assertTrue(Files.exists(Path.of(csv, "_SUCCESS")));
    JobCall back = preprocess("--input", csv, "--input-format", "csv", "--alpha", "2", "--columns", "x",
        "--output", dir.resolve("csv-again").toString());
    assertEquals(0, back.status(), back.err());
    assertTrue(back.out().contains("preprocess: wrote 2 rows"), "a CSV output reads back whole: " + back.out());
    assertEquals(List.of("1.0,-2.0", "2.0,3.0"), spark.read().parquet(dir.resolve("csv-again").toString()).orderBy("id")
        .collectAsList().stream().map(r -> r.getAs("id") + "," + r.getAs("x")).toList());
  }

  @Test
  void badOptionsExitWithUsage() {
    JobCall unknown = preprocess("--inptu", "x");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("unknown option --inptu") && unknown.err().contains("Usage: jobs/preprocess"));
    assertEquals(2, preprocess("--input", "x").status());
    JobCall alpha = preprocess("--input", "a", "--output", "b", "--alpha", "NaN");
    assertEquals(2, alpha.status());
    assertTrue(alpha.err().contains("--alpha needs a finite number but got 'NaN'"), alpha.err());
    JobCall format = preprocess("--input", "a", "--output", "b", "--input-format", "xls");
    assertEquals(2, format.status());
    assertTrue(format.err().contains("--input-format must be one of"), format.err());
    assertEquals(0, preprocess("--help").status());
  }
}
