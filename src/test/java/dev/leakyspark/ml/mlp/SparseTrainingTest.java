package dev.leakyspark.ml.mlp;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.classification.LeakyMLPClassifier;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.ml.regression.LeakyMLPRegressor;
import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import dev.leakyspark.testing.LongFit;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Fits on sparse rows: the same weights as dense blocks of the same rows, and wide inputs that stay sparse. */
@ExtendWith(SharedSpark.class)
class SparseTrainingTest {

  @LongFit
  void sparseAndDenseBlocksOfTheSameRowsGiveTheSameWeights(SparkSession spark) {
    Dataset<Row> sparse = TrainingData.sparseText(spark, 1200, 400, 12, 1, false).cache();
    for (String solver : List.of(LeakyMLPParams.ADAM, LeakyMLPParams.LBFGS)) {
      LeakyMLPClassifier mlp = new LeakyMLPClassifier().setLayers(new int[] {400, 8, 3}).setSolver(solver)
          .setMaxIter(solver.equals(LeakyMLPParams.ADAM) ? 3 : 15).setRegParam(1e-3).setBlockSize(64).setSeed(5);
      Network net = new Network(mlp.getLayers(), mlp.getAlpha());
      double[] sparseFit = fit(mlp, sparse, net, Block.Builder.Layout.SPARSE);
      double[] denseFit = fit(mlp, sparse, net, Block.Builder.Layout.DENSE);
      double largest = 0;
      for (int i = 0; i < sparseFit.length; i++) {
        largest = Math.max(largest, Math.abs(sparseFit[i] - denseFit[i]) / Math.max(1, Math.abs(denseFit[i])));
      }
      System.out.printf("%s: sparse and dense blocks, largest difference %.2e%n", solver, largest);
      assertTrue(largest <= 1e-10, solver + ": largest difference " + largest);
      // 12 non-zeros of 400 is below SPARSE_DENSITY: by default the blocks are the sparse ones
      assertArrayEquals(sparseFit, fit(mlp, sparse, net, Block.Builder.Layout.AUTO), 0.0, solver);
    }
    // dense vectors holding the same values give the same blocks, so the same bits
    Dataset<Row> dense = TrainingData.sparseText(spark, 1200, 400, 12, 1, true);
    assertTrue(dense.first().getAs("features") instanceof org.apache.spark.ml.linalg.DenseVector);
    LeakyMLPClassifier mlp = new LeakyMLPClassifier().setLayers(new int[] {400, 8, 3}).setMaxIter(2).setSeed(5);
    assertArrayEquals(mlp.fit(sparse).weights().toArray(), mlp.fit(dense).weights().toArray(), 0.0);
    sparse.unpersist();
  }

  private static double[] fit(LeakyMLPClassifier mlp, Dataset<Row> data, Network net, Block.Builder.Layout layout) {
    return MLPFit.run(mlp, data, "features", "label", net, false, layout).weights();
  }

  @LongFit
  void aWideSparseInputTrainsScoresAndSavesWithoutBeingExpanded(SparkSession spark, @TempDir Path dir) throws Exception {
    // 2^18 features, 20 non-zeros a row: dense blocks of 128 rows would take 268 MB each
    int dims = 1 << 18;
    Dataset<Row> rows = TrainingData.sparseText(spark, 4000, dims, 20, 2, false).cache();
    Network net = new Network(new int[] {dims, 16, 3}, 0.01);
    TrainingBlocks blocks = TrainingBlocks.of(TrainingBlocks.keyed(rows, "features", "label"), "test", "features",
        "label", net, 128, 1, Block.Builder.Layout.AUTO);
    try {
      assertTrue(blocks.blocks.collect().stream().allMatch(Block::isSparse));
    } finally {
      blocks.unpersist();
    }
    LeakyMLPClassificationModel model = new LeakyMLPClassifier().setLayers(new int[] {dims, 16, 3})
        .setMaxIter(5).setStepSize(0.01).setSeed(1).fit(rows);
    assertTrue(model.summary().accuracy() > 0.9, "training accuracy " + model.summary().accuracy());
    Row first = model.transform(rows).select("features", "rawPrediction").first();
    assertArrayEquals(((Vector) first.get(1)).toArray(), model.predictRaw((Vector) first.get(0)).toArray(), 1e-12);
    model.write().save(dir.resolve("wide").toString());
    LeakyMLPClassificationModel loaded = LeakyMLPClassificationModel.load(dir.resolve("wide").toString());
    assertEquals(model.transform(rows).select("prediction").collectAsList(),
        loaded.transform(rows).select("prediction").collectAsList());

    // the regressor on the same rows, its label the class
    LeakyMLPRegressionModel regression = new LeakyMLPRegressor().setLayers(new int[] {dims, 8, 1})
        .setMaxIter(5).setStepSize(0.01).setSeed(1).fit(rows);
    assertTrue(regression.summary().r2() > 0.8, "R2 " + regression.summary().r2());
    assertEquals(regression.predict((Vector) first.get(0)),
        regression.transform(rows.limit(1)).select(col("prediction")).first().getDouble(0), 1e-12);
    rows.unpersist();
  }
}
