package dev.leakyspark.ml.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakyspark.nn.Block;
import dev.leakyspark.nn.Network;
import dev.leakyspark.testing.SharedSpark;
import dev.leakyspark.testing.TrainingData;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How a fit lays its rows out and sums over them, for both losses. */
@ExtendWith(SharedSpark.class)
class TrainingBlocksTest {

  static SparkSession spark;
  static Dataset<Row> blobs;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    blobs = TrainingData.blobs(spark, 300, 1).repartition(4).cache();
    blobs.count();
  }

  @Test
  void theDistributedGradientSumEqualsOneBlockOfEveryRow() {
    Network net = new Network(new int[] {4, 8, 3}, 0.2);
    double[] w = net.initialWeights(3);
    List<Row> rows = blobs.select("features", "label").collectAsList();
    double[] x = new double[rows.size() * 4];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(((Vector) rows.get(i).get(0)).toArray(), 0, x, i * 4, 4);
      y[i] = rows.get(i).getDouble(1);
    }
    double[] single = new double[net.numWeights()];
    double loss = net.lossAndGradient(w, new Block(x, y), single);
    TrainingBlocks data = TrainingBlocks.of(TrainingBlocks.keyed(blobs, "features", "label"), "test", "features", "label", net, 16, 12, Block.Builder.Layout.AUTO);
    try {
      double[] sum = LbfgsTrainer.lossAndGradientSum(spark, net, data.blocks, w);
      assertEquals(loss, sum[single.length], 1e-10 * Math.abs(loss));
      for (int i = 0; i < single.length; i++) {
        assertEquals(single[i], sum[i], 1e-10 * Math.max(1, Math.abs(single[i])), "gradient " + i);
      }
    } finally {
      data.unpersist();
    }
  }

  @Test
  void blocksAreSpreadOverExactlyNumPartitionsByContent() {
    Network net = new Network(new int[] {4, 8, 3}, 0.01);
    for (int n : new int[] {1, 5, 16}) {
      TrainingBlocks data = TrainingBlocks.of(TrainingBlocks.keyed(blobs.repartition(3), "features", "label"), "test", "features", "label", net, 8, n, Block.Builder.Layout.AUTO);
      try {
        assertEquals(n, data.numPartitions());
        assertEquals(300, data.rows);
        List<Integer> sizes = data.blocks.glom().map(List::size).collect();
        assertEquals(n, sizes.size());
        assertTrue(sizes.stream().allMatch(k -> k > 0), "every partition gets rows: " + sizes);
        assertEquals(sizes.stream().mapToInt(Integer::intValue).max().getAsInt(), data.maxBlocksPerPartition);
      } finally {
        data.unpersist();
      }
    }
  }

  @Test
  void theLabelsMeanAndStdAreExactWhateverTheInputsPartitioning() {
    Network net = new Network(new int[] {4, 1}, 0.01, Network.Loss.SQUARED_ERROR);
    double[] first = null;
    for (int input : new int[] {1, 3, 7}) {
      TrainingBlocks data = TrainingBlocks.of(TrainingBlocks.keyed(blobs.repartition(input), "features", "label"),
          "test", "features", "label", net, 8, 5, Block.Builder.Layout.AUTO);
      try {
        double[] stats = MLPFit.labelMeanAndStd(data);
        // 100 rows each of the labels 0, 1 and 2
        assertEquals(1.0, stats[0], 1e-12);
        assertEquals(Math.sqrt(200.0 / 299), stats[1], 1e-12);
        if (first == null) {
          first = stats;
        } else {
          assertArrayEquals(first, stats, 0.0, "the same bits from " + input + " input partitions");
        }
        double[] standardised = data.withLabelsStandardized(stats[0], stats[1]).blocks
            .flatMap(b -> java.util.stream.IntStream.range(0, b.size()).mapToObj(b::label).iterator())
            .collect().stream().mapToDouble(Double::doubleValue).toArray();
        assertEquals(300, standardised.length);
        assertEquals(0.0, java.util.Arrays.stream(standardised).sum(), 1e-9);
      } finally {
        data.unpersist();
      }
    }
  }
}
