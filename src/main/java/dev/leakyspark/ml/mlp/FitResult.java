package dev.leakyspark.ml.mlp;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/**
 * What one MLP fit gives, in one shape from the solver to the model's summary: the weights, the
 * objective history, the iterations (l-bfgs) or epochs (adam) run in all, the partitions trained
 * on and, with validation rows, their loss after each iteration or epoch and the iteration whose
 * weights these are (else an empty history and -1). Spark 4.1+'s Connect server, which moves cached models to disk, keeps it with
 * {@link #writeSummary}.
 *
 * <pre>{@code
 * FitResult fit = MLPFit.run(FitSpec.of(mlp, Network.Loss.CROSS_ENTROPY), train);
 * fit.iterations();   // 100
 * }</pre>
 */
public record FitResult(double[] weights, double[] objectiveHistory, int iterations, int partitions,
    double[] validationHistory, int bestIteration) {

  /** A result of {@code weights}, the history kept as a list while training, and the count of iterations. */
  static FitResult of(double[] weights, List<Double> history, int iterations, int partitions) {
    return new FitResult(weights, unboxed(history), iterations, partitions, new double[0], -1);
  }

  /** This result with the validation losses and best weights of {@code validation}, when the fit had validation rows. */
  FitResult with(Validation validation) {
    if (!validation.present()) {
      return this;
    }
    return new FitResult(validation.stopping().bestWeights(), objectiveHistory, iterations, partitions,
        validation.stopping().history(), validation.stopping().bestIteration());
  }

  /** A loss history kept as a list while training, as the array a result or checkpoint holds. */
  static double[] unboxed(List<Double> history) {
    return history.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** This result with other weights (those of the label's own scale, say). */
  FitResult withWeights(double[] other) {
    return new FitResult(other, objectiveHistory, iterations, partitions, validationHistory, bestIteration);
  }

  /** Writes what the summary needs besides the weights, which the model saves, to the local file {@code path}. */
  public void writeSummary(String path, String model) {
    try (DataOutputStream out =
        new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(Paths.get(path))))) {
      out.writeInt(iterations);
      out.writeInt(partitions);
      for (double[] history : new double[][] {objectiveHistory, validationHistory}) {
        out.writeInt(history.length);
        for (double v : history) {
          out.writeDouble(v);
        }
      }
      out.writeInt(bestIteration);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save the training summary of " + model + " to " + path, e);
    }
  }

  /** The result {@link #writeSummary} wrote to {@code path}, with the model's {@code weights}. */
  public static FitResult readSummary(String path, String model, double[] weights) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(Paths.get(path))))) {
      int iterations = in.readInt();
      int partitions = in.readInt();
      double[][] histories = new double[2][];
      for (int h = 0; h < 2; h++) {
        histories[h] = new double[in.readInt()];
        for (int i = 0; i < histories[h].length; i++) {
          histories[h][i] = in.readDouble();
        }
      }
      return new FitResult(weights, histories[0], iterations, partitions, histories[1], in.readInt());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the training summary of " + model + " at " + path, e);
    }
  }
}
