package dev.leakyspark.ml.mlp;

import static dev.leakyspark.ml.mlp.LeakyMLPParams.ADAM;
import static dev.leakyspark.ml.mlp.LeakyMLPParams.CONSTANT;
import static dev.leakyspark.ml.mlp.LeakyMLPParams.COSINE;
import static dev.leakyspark.ml.mlp.LeakyMLPParams.LBFGS;
import static dev.leakyspark.ml.mlp.LeakyMLPParams.NO_CHECKPOINTS;
import static dev.leakyspark.ml.mlp.LeakyMLPParams.ROWS_PER_PARTITION;

import dev.leakyspark.LeakyRelu;
import java.util.Arrays;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The param objects of {@link LeakyMLPParams} for one stage, with their docs, validators and
 * defaults, made once per stage by its constructor.
 */
public final class MLPParams {

  final IntArrayParam layers;
  final DoubleParam alpha;
  final Param<String> solver;
  final IntParam maxIter;
  final DoubleParam tol;
  final DoubleParam stepSize;
  final Param<String> stepSizeSchedule;
  final IntParam blockSize;
  final LongParam seed;
  final DoubleParam regParam;
  final Param<Vector> initialWeights;
  final Param<String> checkpointDir;
  final IntParam checkpointInterval;
  final IntParam numPartitions;
  final IntParam localSteps;
  final DoubleParam blockMomentum;
  final Param<String> weightCol;
  final Param<String> validationIndicatorCol;
  final IntParam numEarlyStoppingRounds;
  final DoubleParam validationTol;
  final DoubleParam dropout;

  public MLPParams(Params owner) {
    Function1<int[], Object> validLayers = sizes -> sizes.length >= 2 && Arrays.stream(sizes).allMatch(n -> n >= 1);
    layers = new IntArrayParam(owner, "layers",
        "layer sizes from input to output, at least 2 entries, all >= 1; the last is the number of classes"
            + " (classifier) or 1 (regressor)",
        validLayers);
    alpha = new DoubleParam(owner, "alpha", "Leaky ReLU slope of the hidden layers (finite)",
        ParamValidators.inRange(-Double.MAX_VALUE, Double.MAX_VALUE));
    solver = new Param<>(owner, "solver", "optimiser: l-bfgs or adam",
        ParamValidators.inArray(new String[] {LBFGS, ADAM}));
    maxIter = new IntParam(owner, "maxIter", "maximum iterations (l-bfgs) or epochs (adam), >= 0",
        ParamValidators.gtEq(0));
    tol = new DoubleParam(owner, "tol",
        "stop when the objective improves by at most this relative amount in one iteration (>= 0)",
        ParamValidators.gtEq(0));
    stepSize = new DoubleParam(owner, "stepSize", "Adam learning rate (> 0); l-bfgs chooses its own steps",
        ParamValidators.inRange(0, Double.MAX_VALUE, false, true));
    stepSizeSchedule = new Param<>(owner, "stepSizeSchedule",
        "adam: constant keeps stepSize; cosine decays it from stepSize towards 0 over maxIter epochs",
        ParamValidators.inArray(new String[] {CONSTANT, COSINE}));
    blockSize = new IntParam(owner, "blockSize", "rows stacked into one matrix (>= 1)", ParamValidators.gtEq(1));
    seed = new LongParam(owner, "seed", "random seed for initial weights and Adam's block order");
    regParam = new DoubleParam(owner, "regParam", "L2 regularisation of the weight matrices (>= 0)",
        ParamValidators.inRange(0, Double.MAX_VALUE));
    Function1<Vector, Object> finite = v -> Arrays.stream(v.toArray()).allMatch(Double::isFinite);
    initialWeights = new Param<>(owner, "initialWeights",
        "starting weights in the model's layout; unset means He initialisation from seed", finite);
    checkpointDir = new Param<>(owner, "checkpointDir",
        "folder for checkpoints of the weights and optimiser state, one subfolder per fit, from which"
            + " only a fit with the same params and data resumes; unset means no checkpoints",
        (Function1<String, Object>) dir -> !dir.isEmpty());
    checkpointInterval = new IntParam(owner, "checkpointInterval",
        "iterations (l-bfgs) or epochs (adam) between checkpoints (>= 1), or -1 for no checkpoints",
        (Function1<Object, Object>) v -> (Integer) v == NO_CHECKPOINTS || (Integer) v >= 1);
    numPartitions = new IntParam(owner, "numPartitions",
        "partitions the training blocks are spread over, by a hash of each row (>= 1); 0 (the"
            + " default) chooses them from the data: one per " + ROWS_PER_PARTITION + " rows, whatever the cluster",
        ParamValidators.gtEq(0));
    localSteps = new IntParam(owner, "localSteps",
        "adam: mini-batch steps each partition takes between two averagings of the model (>= 1)",
        ParamValidators.gtEq(1));
    blockMomentum = new DoubleParam(owner, "blockMomentum",
        "adam: momentum on the averaged update of each round (BMUF), in [0, 1); 0 is plain model averaging",
        ParamValidators.inRange(0, 1, true, false));
    weightCol = new Param<>(owner, "weightCol",
        "column of row weights, finite and >= 0: a row of weight w counts as w copies of it in the objective and"
            + " the summary's metrics; unset or empty means every row weighs 1");
    validationIndicatorCol = new Param<>(owner, "validationIndicatorCol",
        "boolean column: rows where it is true are validation rows, which the fit scores after every iteration"
            + " (l-bfgs) or epoch (adam) and never trains on; the model keeps the weights of the lowest validation"
            + " loss; unset or empty means no validation rows");
    numEarlyStoppingRounds = new IntParam(owner, "numEarlyStoppingRounds",
        "with validation rows: stop after this many iterations or epochs without improving the validation loss"
            + " (>= 0); 0 never stops early",
        ParamValidators.gtEq(0));
    dropout = new DoubleParam(owner, "dropout",
        "adam: the fraction of each hidden layer's units dropped in each training step, in [0, 1) (inverted"
            + " dropout: the kept ones are scaled by 1 / (1 - dropout), so scoring drops none); 0 drops none",
        ParamValidators.inRange(0, 1, true, false));
    validationTol = new DoubleParam(owner, "validationTol",
        "with validation rows: the relative decrease of the validation loss below its best that counts as an"
            + " improvement (>= 0)",
        ParamValidators.gtEq(0));
  }

  /**
   * Sets the defaults on {@code owner}, the stage these params belong to; the seed's is the hash
   * of the {@code estimator} class's name, as MLlib's.
   */
  public void setDefaults(Params owner, Class<?> estimator) {
    owner.setDefault(alpha, LeakyRelu.DEFAULT_ALPHA);
    owner.setDefault(solver, LBFGS);
    owner.setDefault(maxIter, 100);
    owner.setDefault(tol, 1e-6);
    owner.setDefault(stepSize, 0.001);
    owner.setDefault(stepSizeSchedule, COSINE);
    owner.setDefault(blockSize, 128);
    owner.setDefault(seed, (long) estimator.getName().hashCode());
    owner.setDefault(regParam, 0.0);
    owner.setDefault(checkpointInterval, 10);
    owner.setDefault(numPartitions, LeakyMLPParams.FROM_THE_DATA);
    owner.setDefault(localSteps, LeakyMLPParams.DEFAULT_LOCAL_STEPS);
    owner.setDefault(blockMomentum, LeakyMLPParams.DEFAULT_BLOCK_MOMENTUM);
    owner.setDefault(numEarlyStoppingRounds, LeakyMLPParams.DEFAULT_EARLY_STOPPING_ROUNDS);
    owner.setDefault(validationTol, LeakyMLPParams.DEFAULT_VALIDATION_TOL);
    owner.setDefault(dropout, 0.0);
  }
}
