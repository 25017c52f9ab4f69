package dev.leakyspark.nn;

import dev.leakyspark.LeakyRelu;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Random;

/**
 * A fully connected network: affine layers with Leaky ReLU between them and a {@link Loss} on the
 * linear output, softmax with cross-entropy (classes) or squared error (one target). All weights live in one flat array: for each layer, the
 * {@code out x in} weight matrix in column-major order, then the {@code out} biases.
 * Passes work on a {@link Block} at a time through BLAS matrix-matrix products.
 *
 * <pre>{@code
 * Network net = new Network(new int[] {784, 128, 10}, 0.01);
 * double[] w = net.initialWeights(42);
 * double[] grad = new double[net.numWeights()];
 * double lossSum = net.lossAndGradient(w, block, grad);   // adds into grad
 * Network regression = new Network(new int[] {10, 64, 1}, 0.01, Network.Loss.SQUARED_ERROR);
 * }</pre>
 */
public final class Network implements Serializable {

  private static final long serialVersionUID = 2L;

  /** What the output is trained on; the loss of a row, summed over a block. */
  public enum Loss {
    /** Softmax over the outputs with cross-entropy against the class index {@code y}: {@code logsumexp(z) - z[y]}. */
    CROSS_ENTROPY,
    /** One output {@code z} against the target {@code y}: {@code (z - y)^2 / 2}, so its gradient is {@code z - y}. */
    SQUARED_ERROR
  }

  private final int[] layers;
  private final double alpha;
  private final Loss loss;
  private final int[] offsets;

  /** A classifier's network: softmax with cross-entropy on top. */
  public Network(int[] layers, double alpha) {
    this(layers, alpha, Loss.CROSS_ENTROPY);
  }

  /**
   * @param layers sizes from input to output, at least 2 entries, all >= 1; the last is 1 for
   *     {@link Loss#SQUARED_ERROR}
   * @param alpha the Leaky ReLU slope of the hidden layers, finite
   */
  public Network(int[] layers, double alpha, Loss loss) {
    if (layers.length < 2 || Arrays.stream(layers).anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException(
          "layers must have at least 2 entries, all >= 1, but got " + Arrays.toString(layers));
    }
    if (!Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite but got " + alpha);
    }
    if (loss == Loss.SQUARED_ERROR && layers[layers.length - 1] != 1) {
      throw new IllegalArgumentException(
          "squared error takes one output, so layers must end in 1, but got " + Arrays.toString(layers));
    }
    this.layers = layers.clone();
    this.alpha = alpha;
    this.loss = loss;
    this.offsets = new int[layers.length];
    for (int l = 0; l + 1 < layers.length; l++) {
      offsets[l + 1] = offsets[l] + layers[l] * layers[l + 1] + layers[l + 1];
    }
  }

  public int[] layers() {
    return layers.clone();
  }

  public double alpha() {
    return alpha;
  }

  public Loss loss() {
    return loss;
  }

  public int numInputs() {
    return layers[0];
  }

  public int numOutputs() {
    return layers[layers.length - 1];
  }

  /** Length of the flat weight array. */
  public int numWeights() {
    return offsets[layers.length - 1];
  }

  /** Length of the flat weight array of a network with these {@code layers}, without building one. */
  public static long numWeights(int[] layers) {
    long n = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      n += (long) layers[l] * layers[l + 1] + layers[l + 1];
    }
    return n;
  }

  private int weightsAt(int layer) {
    return offsets[layer];
  }

  private int biasAt(int layer) {
    return offsets[layer] + layers[layer] * layers[layer + 1];
  }

  /**
   * He initialisation for Leaky ReLU: weights from a normal with std
   * {@code sqrt(2 / ((1 + alpha^2) * fanIn))}, biases 0, reproducible from {@code seed}.
   */
  public double[] initialWeights(long seed) {
    Random random = new Random(seed);
    double[] weights = new double[numWeights()];
    for (int l = 0; l + 1 < layers.length; l++) {
      double std = Math.sqrt(2.0 / ((1 + alpha * alpha) * layers[l]));
      for (int i = weightsAt(l), end = biasAt(l); i < end; i++) {
        weights[i] = random.nextGaussian() * std;
      }
    }
    return weights;
  }

  /**
   * The L2 term of the objective: returns {@code regParam / 2 * sum(w^2)} over the weight matrices
   * (biases are not regularised) and, when {@code gradient} is not null, adds its gradient
   * {@code regParam * w} to it. Callers add the result to the mean cross-entropy.
   */
  public double addL2(double[] weights, double regParam, double[] gradient) {
    double sum = 0;
    for (int l = 0; l + 1 < layers.length; l++) {
      for (int i = weightsAt(l), end = biasAt(l); i < end; i++) {
        sum += weights[i] * weights[i];
        if (gradient != null) {
          gradient[i] += regParam * weights[i];
        }
      }
    }
    return 0.5 * regParam * sum;
  }

  /**
   * A copy of {@code weights} whose output is {@code shift + scale * output}: the last layer's
   * weights times {@code scale}, its biases times {@code scale} plus {@code shift}. Undoes a label
   * standardised as {@code (y - shift) / scale}; {@code (-shift / scale, 1 / scale)} applies it.
   */
  public double[] withOutputScaled(double[] weights, double shift, double scale) {
    checkWeights(weights);
    double[] scaled = weights.clone();
    int last = layers.length - 2;
    for (int i = weightsAt(last); i < numWeights(); i++) {
      scaled[i] *= scale;
    }
    for (int i = biasAt(last); i < numWeights(); i++) {
      scaled[i] += shift;
    }
    return scaled;
  }

  /**
   * Output scores (logits before softmax, or the regression output) of each row of {@code features}: a column-major
   * {@code numOutputs x rows} matrix.
   */
  public double[] scores(double[] weights, double[] features, int rows) {
    checkWeights(weights);
    if (features.length != numInputs() * rows) {
      throw new IllegalArgumentException(
          "expected " + rows + " rows of " + numInputs() + " features but got " + features.length + " values");
    }
    return scores(weights, new Block(features, new double[rows]));
  }

  /** Output scores of each row of {@code block}, dense or sparse: a column-major {@code numOutputs x size} matrix. */
  public double[] scores(double[] weights, Block block) {
    checkWeights(weights);
    checkBlock(block);
    return forward(weights, block, new double[layers.length][], null)[layers.length - 1];
  }

  /** Softmax of each column of {@code scores} in place, stable for large scores. */
  public static void softmaxInPlace(double[] scores, int classes) {
    for (int start = 0; start < scores.length; start += classes) {
      double max = Double.NEGATIVE_INFINITY;
      for (int k = start; k < start + classes; k++) {
        max = Math.max(max, scores[k]);
      }
      double sum = 0;
      for (int k = start; k < start + classes; k++) {
        scores[k] = Math.exp(scores[k] - max);
        sum += scores[k];
      }
      for (int k = start; k < start + classes; k++) {
        scores[k] /= sum;
      }
    }
  }

  /**
   * The summed loss of the block's rows, each times its weight, adding the gradient of that sum
   * into {@code gradientSum} (so blocks can be accumulated).
   */
  public double lossAndGradient(double[] weights, Block block, double[] gradientSum) {
    return lossAndGradient(weights, block, gradientSum, Dropout.NONE);
  }

  /** {@link #lossAndGradient}, with the hidden units that {@code dropout}'s masks drop left out. */
  public double lossAndGradient(double[] weights, Block block, double[] gradientSum, Dropout dropout) {
    return lossAndGradient(weights, block, gradientSum, dropout.masks(layers, block.size));
  }

  /** {@link #lossAndGradient}, the hidden activations times {@code masks} (per hidden layer, column-major; null for none). */
  double lossAndGradient(double[] weights, Block block, double[] gradientSum, double[][] masks) {
    checkWeights(weights);
    if (gradientSum.length != weights.length) {
      throw new IllegalArgumentException(
          "gradient has " + gradientSum.length + " entries but the network has " + weights.length);
    }
    checkBlock(block);
    int n = block.size;
    int last = layers.length - 1;
    // pre[l]: pre-activations of layer l (l >= 1); act[l]: its output (act[0] is the dense input, or null).
    double[][] pre = new double[layers.length][];
    double[][] act = forward(weights, block, pre, masks);
    double[] delta = act[last]; // the outputs, turned into the loss's gradient in place
    double loss = this.loss == Loss.CROSS_ENTROPY ? crossEntropyDelta(delta, block) : squaredErrorDelta(delta, block);
    for (int l = last - 1; l >= 0; l--) {
      int in = layers[l];
      int out = layers[l + 1];
      // dW += delta * act[l]^T; db += row sums of delta
      if (l == 0 && block.isSparse()) {
        SparseLayer.addWeightGradient(block, delta, layers[1], gradientSum);
      } else {
        Gemm.dgemm("N", "T", out, in, n, 1.0, delta, 0, out, act[l], 0, in, 1.0, gradientSum, weightsAt(l), out);
      }
      int bias = biasAt(l);
      for (int j = 0; j < n; j++) {
        for (int r = 0; r < out; r++) {
          gradientSum[bias + r] += delta[j * out + r];
        }
      }
      if (l > 0) {
        double[] previous = new double[in * n];
        Gemm.dgemm("T", "N", in, n, out, 1.0, weights, weightsAt(l), out, delta, 0, out, 0.0, previous, 0, in);
        double[] z = pre[l];
        for (int i = 0; i < previous.length; i++) {
          previous[i] *= LeakyRelu.gradient(z[i], alpha);
        }
        if (masks != null) {
          for (int i = 0; i < previous.length; i++) {
            previous[i] *= masks[l][i];
          }
        }
        delta = previous;
      }
    }
    return loss;
  }

  /** The summed (weighted) loss of the block's rows, without the gradient: a forward pass. */
  public double loss(double[] weights, Block block) {
    checkWeights(weights);
    checkBlock(block);
    double[] out = forward(weights, block, new double[layers.length][], null)[layers.length - 1];
    return loss == Loss.CROSS_ENTROPY ? crossEntropyDelta(out, block) : squaredErrorDelta(out, block);
  }

  /** The summed (weighted) cross-entropy; turns the scores into {@code w * (softmax - onehot(label))}. */
  private double crossEntropyDelta(double[] delta, Block block) {
    int classes = numOutputs();
    double loss = 0;
    for (int j = 0; j < block.size; j++) {
      int label = (int) block.labels[j];
      int start = j * classes;
      double max = Double.NEGATIVE_INFINITY;
      for (int k = start; k < start + classes; k++) {
        max = Math.max(max, delta[k]);
      }
      double sum = 0;
      for (int k = start; k < start + classes; k++) {
        sum += Math.exp(delta[k] - max);
      }
      double logSum = max + Math.log(sum);
      double w = block.weight(j);
      loss += block.weights == null ? logSum - delta[start + label] : w * (logSum - delta[start + label]);
      for (int k = start; k < start + classes; k++) {
        delta[k] = Math.exp(delta[k] - logSum);
      }
      delta[start + label] -= 1.0;
      if (block.weights != null) {
        for (int k = start; k < start + classes; k++) {
          delta[k] *= w;
        }
      }
    }
    return loss;
  }

  /** The summed (weighted) {@code w * (z - y)^2 / 2}; turns the outputs into {@code w * (z - y)}. */
  private static double squaredErrorDelta(double[] delta, Block block) {
    double loss = 0;
    for (int j = 0; j < block.size; j++) {
      double error = delta[j] - block.labels[j];
      double w = block.weight(j);
      loss += block.weights == null ? 0.5 * error * error : w * (0.5 * error * error);
      delta[j] = block.weights == null ? error : w * error;
    }
    return loss;
  }

  /**
   * Activations of every layer; the last holds the output scores. Fills {@code pre} for hidden
   * layers. A sparse block's first layer adds, for each row, the weight columns of its non-zero
   * features, so it costs the non-zeros, not the rows times the features. The hidden activations
   * are multiplied by {@code masks} (per hidden layer; null for none).
   */
  private double[][] forward(double[] weights, Block block, double[][] pre, double[][] masks) {
    int n = block.size;
    double[][] act = new double[layers.length][];
    act[0] = block.features;
    for (int l = 0; l + 1 < layers.length; l++) {
      int in = layers[l];
      int out = layers[l + 1];
      double[] z = new double[out * n];
      int bias = biasAt(l);
      for (int j = 0; j < n; j++) {
        System.arraycopy(weights, bias, z, j * out, out);
      }
      if (l == 0 && block.isSparse()) {
        SparseLayer.addProducts(weights, block, layers[1], z);
      } else {
        Gemm.dgemm("N", "N", out, n, in, 1.0, weights, weightsAt(l), out, act[l], 0, in, 1.0, z, 0, out);
      }
      if (l + 2 < layers.length) {
        pre[l + 1] = z;
        double[] a = new double[z.length];
        LeakyRelu.apply(z, a, alpha);
        if (masks != null) {
          for (int i = 0; i < a.length; i++) {
            a[i] *= masks[l + 1][i];
          }
        }
        act[l + 1] = a;
      } else {
        act[l + 1] = z;
      }
    }
    return act;
  }

  /**
   * The weight ranges {@code [from, to)}, as pairs, that a mini-batch on {@code block} trains: the
   * first layer's weight columns of the block's active features (the others get no gradient from
   * it), then every weight from the first layer's biases on. {@link Adam#step(Network, double[],
   * Block, double[], double, double)} leaves the rest, and their moments, as they are.
   */
  public int[] trainedRanges(Block block) {
    checkBlock(block);
    int out = layers[1];
    int[] active = block.activeFeatures();
    int[] ranges = new int[2 * active.length + 2];
    int count = 0;
    for (int i = 0; i < active.length; i++) {
      int from = active[i] * out;
      if (count > 0 && ranges[count - 1] == from) {
        ranges[count - 1] = from + out; // the column right after the last one: one range
      } else {
        ranges[count++] = from;
        ranges[count++] = from + out;
      }
    }
    ranges[count++] = biasAt(0);
    ranges[count++] = numWeights();
    return Arrays.copyOf(ranges, count);
  }

  /**
   * {@link #addL2}'s gradient, {@code regParam * w}, added only within {@code ranges} (pairs of
   * {@code [from, to)}) and, as there, only to the weight matrices.
   */
  public void addL2Gradient(double[] weights, double regParam, double[] gradient, int[] ranges) {
    if (regParam == 0) {
      return;
    }
    for (int p = 0; p < ranges.length; p += 2) {
      for (int l = 0; l + 1 < layers.length; l++) {
        for (int i = Math.max(ranges[p], weightsAt(l)), end = Math.min(ranges[p + 1], biasAt(l)); i < end; i++) {
          gradient[i] += regParam * weights[i];
        }
      }
    }
  }

  private void checkBlock(Block block) {
    if (block.numFeatures() != numInputs()) {
      throw new IllegalArgumentException(
          "block rows have " + block.numFeatures() + " features but the network takes " + numInputs());
    }
  }

  private void checkWeights(double[] weights) {
    if (weights.length != numWeights()) {
      throw new IllegalArgumentException(
          "layers " + Arrays.toString(layers) + " need " + numWeights() + " weights but got "
              + weights.length);
    }
  }
}
