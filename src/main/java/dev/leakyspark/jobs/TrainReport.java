package dev.leakyspark.jobs;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** What {@code jobs/train} reports: the test evaluation, the BLAS, and the metrics folder with its charts. */
final class TrainReport {

  private TrainReport() {}

  /** Counts (label, prediction) pairs into a confusion matrix, refusing labels outside [0, k). */
  static Evaluation evaluate(Dataset<Row> predictions, String label, String prediction, int classes) {
    long[][] confusion = new long[classes][classes];
    for (Row row : predictions.groupBy(col(label).cast("double").as("l"), col(prediction).as("p")).count()
        .orderBy("l", "p").collectAsList()) {
      double actual = row.isNullAt(0) ? Double.NaN : row.getDouble(0);
      if (!(actual >= 0 && actual < classes && actual == Math.rint(actual))) {
        throw new IllegalArgumentException("Column " + label + " of the test data holds "
            + (row.isNullAt(0) ? "null" : actual) + " but the model knows classes 0.." + (classes - 1));
      }
      confusion[(int) actual][(int) row.getDouble(1)] += row.getLong(2);
    }
    return new Evaluation(confusion);
  }

  /** RMSE, MAE and R² of the {@code prediction} column against {@code label}, as {@code RegressionEvaluator} computes them. */
  static Train.RegressionErrors regressionErrors(Dataset<Row> predictions, String label, String prediction) {
    Dataset<Row> scored = predictions.select(col(label).cast("double").as("label"), col(prediction).as("prediction"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      RegressionEvaluator evaluator = new RegressionEvaluator();
      return new Train.RegressionErrors(evaluator.setMetricName("rmse").evaluate(scored),
          evaluator.setMetricName("mae").evaluate(scored), evaluator.setMetricName("r2").evaluate(scored),
          scored.count());
    } finally {
      scored.unpersist();
    }
  }

  /** The BLAS implementations the executors load (JNIBLAS is native; VectorBLAS and Java11BLAS run in the JVM). */
  static List<String> blasBackends(SparkSession spark) {
    int slots = spark.sparkContext().defaultParallelism();
    return new JavaSparkContext(spark.sparkContext())
        .parallelize(Collections.nCopies(slots, 0), slots)
        .map(i -> dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName())
        .distinct().collect().stream().sorted().toList();
  }

  /**
   * Writes {@code metrics.json}, {@code loss.png} and (for a classification) {@code confusion-matrix.png}
   * into {@code dir}.
   */
  /**
   * The losses of a fit: the objective after each iteration (l-bfgs, from the start) or epoch
   * (adam), and with validation rows theirs, and the iteration of the best (else empty and -1).
   */
  record Curves(double[] training, double[] validation, int best) {}

  static void write(SparkSession spark, Path dir, TrainOptions options, LeakyMLPClassifier mlp, Train.Result result,
      Curves curves) throws IOException {
    double[] history = curves.training();
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    fs.mkdirs(dir);
    Evaluation e = result.evaluation();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task", options.task());
    if (e == null) {
      json.put("rmse", result.errors().rmse());
      json.put("mae", result.errors().mae());
      json.put("r2", result.errors().r2());
      json.put("testRows", result.errors().total());
      json.put("trainRows", result.trainRows());
    } else {
      json.put("accuracy", e.accuracy());
      json.put("weightedF1", e.weightedF1());
      json.put("testRows", e.total());
      json.put("trainRows", result.trainRows());
      json.put("confusionMatrix", e.confusion());
      List<Map<String, Object>> perClass = new ArrayList<>();
      for (int c = 0; c < e.confusion().length; c++) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("class", c);
        one.put("precision", e.precision(c));
        one.put("recall", e.recall(c));
        one.put("f1", e.f1(c));
        one.put("support", e.support(c));
        perClass.add(one);
      }
      json.put("perClass", perClass);
    }
    json.put("trainSeconds", result.seconds());
    json.put("blas", result.blas());
    json.put("iterations", result.iterations());
    json.put("objectiveHistory", history);
    if (curves.validation().length > 0) {
      json.put("validationObjectiveHistory", curves.validation());
      json.put("bestIteration", curves.best());
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("layers", mlp.getLayers());
    params.put("alpha", mlp.getAlpha());
    params.put("solver", mlp.getSolver());
    params.put("maxIter", mlp.getMaxIter());
    params.put("stepSize", mlp.getStepSize());
    params.put("stepSizeSchedule", mlp.getStepSizeSchedule());
    params.put("blockSize", mlp.getBlockSize());
    params.put("regParam", mlp.getRegParam());
    params.put("numPartitions", result.numPartitions());
    params.put("localSteps", mlp.getLocalSteps());
    params.put("blockMomentum", mlp.getBlockMomentum());
    params.put("seed", mlp.getSeed());
    params.put("standardize", options.standardize());
    params.put("weightCol", options.weightCol());
    params.put("classWeights", options.classWeights());
    params.put("validationCol", options.validationCol());
    params.put("validationFraction", options.validationFraction());
    params.put("numEarlyStoppingRounds", mlp.getNumEarlyStoppingRounds());
    params.put("validationTol", mlp.getValidationTol());
    params.put("dropout", mlp.getDropout());
    params.put("checkpoint", options.checkpoint());
    json.put("params", params);
    json.put("train", Train.source(options.train()));
    json.put("test", options.test() == null ? "20% held out of " + Train.source(options.train()) : options.test());
    json.put("model", options.model());
    try (OutputStream out = fs.create(new Path(dir, "metrics.json"), false)) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(out, json);
    }
    String step = Train.stepName(mlp);
    try (OutputStream out = fs.create(new Path(dir, "loss.png"), false)) {
      Charts.lossCurve(curves, mlp.getSolver().equals(LeakyMLPClassifier.ADAM) ? 1 : 0, step,
          (curves.validation().length > 0 ? "Training and validation loss" : "Training loss") + ", layers "
              + Train.join(mlp.getLayers()) + ", " + mlp.getSolver(), out);
    }
    if (e == null) {
      return;
    }
    try (OutputStream out = fs.create(new Path(dir, "confusion-matrix.png"), false)) {
      Charts.confusionMatrix(e.confusion(), String.format(Locale.ROOT,
          "Confusion matrix: accuracy %.4f, weighted F1 %.4f", e.accuracy(), e.weightedF1()), out);
    }
  }
}
