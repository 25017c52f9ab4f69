package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dropout: PyTorch's loss and gradient with the same fixed masks, finite differences, and the masks' seeds. */
class DropoutTest {

  static List<Path> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(DropoutTest.class.getResource("/oracle").toURI());
    try (var files = Files.list(dir)) {
      List<Path> cases = files.filter(p -> p.getFileName().toString().startsWith("dropout-")).sorted().toList();
      assertEquals(2, cases.size(), "dropout fixtures in " + dir);
      return cases;
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lossAndGradientWithFixedMasksMatchPyTorch(Path file) throws IOException {
    JsonNode c = new ObjectMapper().readTree(file.toFile());
    boolean crossEntropy = c.get("loss").asText().equals("cross-entropy");
    int[] layers = NetworkOracleTest.ints(c.get("layers"));
    Network net = new Network(layers, c.get("alpha").asDouble(),
        crossEntropy ? Network.Loss.CROSS_ENTROPY : Network.Loss.SQUARED_ERROR);
    double[] features = NetworkOracleTest.doubles(c.get("features"));
    double[] labels = NetworkOracleTest.doubles(c.get("labels"));
    double[][] masks = new double[layers.length][];
    for (int h = 0; h < c.get("masks").size(); h++) {
      masks[h + 1] = NetworkOracleTest.doubles(c.get("masks").get(h));
    }
    for (Block.Builder.Layout layout : List.of(Block.Builder.Layout.DENSE, Block.Builder.Layout.SPARSE)) {
      Block.Builder stacked = new Block.Builder(net.numInputs(), labels.length, layout);
      for (int i = 0; i < labels.length; i++) {
        stacked.addDense(Arrays.copyOfRange(features, i * net.numInputs(), (i + 1) * net.numInputs()), labels[i]);
      }
      double[] gradient = new double[net.numWeights()];
      double summed = net.lossAndGradient(NetworkOracleTest.doubles(c.get("weights")), stacked.build(), gradient, masks);
      NetworkOracleTest.assertClose(c.get("summedLoss").asDouble(), summed, "summed loss " + layout);
      NetworkOracleTest.assertClose(NetworkOracleTest.doubles(c.get("gradient")), gradient, "gradient " + layout);
    }
  }

  @Test
  void theGradientWithAMaskMatchesFiniteDifferences() {
    Network net = new Network(new int[] {4, 6, 5, 3}, 0.1);
    Block block = NetworkTest.randomBlock(7, 4, 3, 11);
    double[] w = net.initialWeights(5);
    Dropout dropout = new Dropout(0.3, 99);
    double[] gradient = new double[w.length];
    net.lossAndGradient(w, block, gradient, dropout);
    double h = 1e-6;
    for (int i = 0; i < w.length; i++) {
      double saved = w[i];
      w[i] = saved + h;
      double up = net.lossAndGradient(w, block, new double[w.length], dropout);
      w[i] = saved - h;
      double down = net.lossAndGradient(w, block, new double[w.length], dropout);
      w[i] = saved;
      double numeric = (up - down) / (2 * h);
      assertEquals(numeric, gradient[i], 1e-6 * Math.max(1, Math.abs(numeric)), "weight " + i);
    }
  }

  @Test
  void masksDropTheRateAndScaleTheRestAndFollowTheirSeed() {
    int[] layers = {10, 200, 100, 3};
    double[][] masks = new Dropout(0.2, 7).masks(layers, 50);
    assertNull(masks[0]);
    assertNull(masks[3]);
    long dropped = 0;
    long all = 0;
    for (int l = 1; l <= 2; l++) {
      assertEquals(layers[l] * 50, masks[l].length);
      for (double m : masks[l]) {
        assertTrue(m == 0 || m == 1 / 0.8, "kept units are scaled by 1 / (1 - rate): " + m);
        dropped += m == 0 ? 1 : 0;
        all++;
      }
    }
    assertEquals(0.2, (double) dropped / all, 0.01, "the fraction dropped");
    assertTrue(Arrays.deepEquals(masks, new Dropout(0.2, 7).masks(layers, 50)), "the same seed, the same masks");
    assertFalse(Arrays.deepEquals(masks, new Dropout(0.2, 8).masks(layers, 50)));
    assertNull(new Dropout(0, 7).masks(layers, 50), "rate 0 drops nothing");
    assertFalse(Dropout.seed(1, 2, 3, 4) == Dropout.seed(1, 2, 4, 3), "partition and block are told apart");
    assertFalse(Dropout.seed(1, 2, 3, 4) == Dropout.seed(1, 3, 3, 4), "so are the epochs");
    assertThrows(IllegalArgumentException.class, () -> new Dropout(1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1, 0));
  }

  @Test
  void rateZeroIsTheStepWithoutDropoutBitForBit() {
    Network net = new Network(new int[] {4, 6, 3}, 0.1);
    Block block = NetworkTest.randomBlock(7, 4, 3, 2);
    double[] a = net.initialWeights(3);
    double[] b = a.clone();
    Adam adamA = new Adam(a.length);
    Adam adamB = new Adam(b.length);
    double la = adamA.step(net, a, block, new double[a.length], 0.01, 0.1);
    double lb = adamB.step(net, b, block, new double[b.length], 0.01, 0.1, new Dropout(0, new Random(1).nextLong()));
    assertEquals(la, lb, 0.0);
    assertArrayEquals(a, b, 0.0);
  }
}
