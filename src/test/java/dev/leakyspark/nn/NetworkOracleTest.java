package dev.leakyspark.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The network and Adam against PyTorch, an independent implementation: golden values computed in
 * float64 by {@code src/test/oracle/torch_oracle.py} (which says how to regenerate them): for
 * cross-entropy, alphas 0.01, 0, -0.5 and 2, a net with two hidden layers, and one with L2; for
 * squared error, one hidden layer, and two with L2; and sparse rows with L2, where two features are
 * zero in every row and Adam leaves their first-layer columns as they are. Every case runs on a
 * dense and on a sparse block. A hidden unit sees exactly 0 in every case, so the gradient there
 * (alpha, as in PyTorch) is checked too.
 */
class NetworkOracleTest {

  static final double RELATIVE = 1e-10;

  static List<Path> cases() throws IOException, URISyntaxException {
    Path dir = Path.of(NetworkOracleTest.class.getResource("/oracle").toURI());
    try (var files = Files.list(dir)) {
      List<Path> cases = files.filter(p -> p.getFileName().toString().startsWith("torch-")).sorted().toList();
      assertEquals(9, cases.size(), "oracle fixtures in " + dir);
      return cases;
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lossGradientOutputsAndAdamStepsMatchPyTorch(Path file) throws IOException {
    JsonNode c = new ObjectMapper().readTree(file.toFile());
    boolean crossEntropy = c.get("loss").asText().equals("cross-entropy");
    Network net = new Network(ints(c.get("layers")), c.get("alpha").asDouble(),
        crossEntropy ? Network.Loss.CROSS_ENTROPY : Network.Loss.SQUARED_ERROR);
    double regParam = c.get("regParam").asDouble();
    double[] features = doubles(c.get("features"));
    double[] labels = doubles(c.get("labels"));
    int rows = labels.length;
    double[] weights = doubles(c.get("weights"));
    // the same rows in both layouts
    for (Block.Builder.Layout layout : List.of(Block.Builder.Layout.DENSE, Block.Builder.Layout.SPARSE)) {
      Block.Builder stacked = new Block.Builder(net.numInputs(), rows, layout);
      for (int i = 0; i < rows; i++) {
        stacked.addDense(Arrays.copyOfRange(features, i * net.numInputs(), (i + 1) * net.numInputs()), labels[i]);
      }
      Block block = stacked.build();
      assertEquals(layout == Block.Builder.Layout.SPARSE, block.isSparse());
      String in = " (" + layout + ")";

      double[] gradient = new double[net.numWeights()];
      double summed = net.lossAndGradient(weights, block, gradient);
      assertClose(c.get("summedLoss").asDouble(), summed, "summed loss" + in);
      assertClose(doubles(c.get("gradient")), gradient, "gradient of the summed loss" + in);
      assertClose(c.get("objective").asDouble(), summed / rows + net.addL2(weights, regParam, null), "objective" + in);

      double[] outputs = net.scores(weights, block);
      if (crossEntropy) {
        Network.softmaxInPlace(outputs, net.numOutputs());
      }
      assertClose(doubles(c.get("outputs")), outputs, (crossEntropy ? "probabilities" : "outputs") + in);

      assertEquals(c.get("inactive").size(), net.numInputs() - block.activeFeatures().length, "inactive features");
      Adam adam = new Adam(net.numWeights());
      double learningRate = c.get("learningRate").asDouble();
      double[] w = weights.clone();
      int step = 0;
      for (JsonNode expected : c.get("adamSteps")) {
        adam.step(net, w, block, new double[w.length], learningRate, regParam);
        assertClose(doubles(expected), w, "weights after Adam step " + ++step + in);
      }
      assertEquals(3, step);
    }
  }

  static void assertClose(double expected, double actual, String what) {
    assertTrue(close(expected, actual), what + ": PyTorch " + expected + ", ours " + actual);
  }

  static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertTrue(close(expected[i], actual[i]), what + " [" + i + "]: PyTorch " + expected[i] + ", ours " + actual[i]);
    }
  }

  /** Within 1e-10 of the larger magnitude; entries that are 0 in exact arithmetic get 1e-15. */
  private static boolean close(double expected, double actual) {
    return Math.abs(expected - actual) <= Math.max(RELATIVE * Math.max(Math.abs(expected), Math.abs(actual)), 1e-15);
  }

  static double[] doubles(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
  }

  static int[] ints(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).mapToInt(JsonNode::asInt).toArray();
  }
}
