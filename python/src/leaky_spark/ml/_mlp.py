"""What the MLP classifier and regressor share in Python: their params, setters and model
plumbing, as the JVM's ``dev.leakyspark.ml.mlp`` package shares them."""
from typing import Any, List, TypeVar

from py4j.java_gateway import JavaObject
from pyspark import SparkContext
from pyspark.ml.linalg import Vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import (HasBlockSize, HasCheckpointInterval, HasMaxIter, HasRegParam,
                                     HasSeed, HasSolver, HasStepSize, HasTol,
                                     HasValidationIndicatorCol, HasWeightCol)
from pyspark.ml.wrapper import _java2py

S = TypeVar("S")


def _param(name: str, doc: str, converter: Any) -> "Param[Any]":
    return Param(Params._dummy(), name, doc, typeConverter=converter)


#: The JVM stages' defaults that both MLPs share (a test compares them with the JVM's).
DEFAULTS = {"alpha": 0.01, "solver": "l-bfgs", "maxIter": 100, "tol": 1e-6, "stepSize": 0.001,
            "blockSize": 128, "regParam": 0.0, "checkpointInterval": 10, "numPartitions": 0,
            "localSteps": 64, "blockMomentum": 0.0, "stepSizeSchedule": "cosine",
            "numEarlyStoppingRounds": 10, "validationTol": 1e-4, "dropout": 0.0,
            "labelCol": "label", "featuresCol": "features", "predictionCol": "prediction"}


class MLPParams(HasSeed, HasMaxIter, HasTol, HasStepSize, HasSolver, HasBlockSize, HasRegParam,
                HasCheckpointInterval, HasWeightCol, HasValidationIndicatorCol):
    """The params of both MLPs and their models, as the JVM's ``LeakyMLPParams``: pyspark's shared
    params where they exist (``HasWeightCol`` among them, so ``OneVsRest`` passes its
    ``weightCol`` on), and a model answers every getter with the value it was fitted with.
    A stage sets its defaults with :meth:`_set_mlp_defaults`."""

    layers: "Param[List[int]]" = _param(
        "layers", "layer sizes from input to output, at least 2 entries, all >= 1; the last is the "
        "number of classes (classifier) or 1 (regressor)", TypeConverters.toListInt)
    alpha: "Param[float]" = _param("alpha", "Leaky ReLU slope of the hidden layers (finite)",
                                   TypeConverters.toFloat)
    solver: "Param[str]" = _param("solver", "optimiser: l-bfgs or adam", TypeConverters.toString)
    stepSizeSchedule: "Param[str]" = _param(
        "stepSizeSchedule", "adam: constant keeps stepSize; cosine decays it from stepSize towards 0 "
        "over maxIter epochs", TypeConverters.toString)
    initialWeights: "Param[Vector]" = _param(
        "initialWeights", "starting weights in the model's layout; unset means He initialisation "
        "from seed", TypeConverters.toVector)
    checkpointDir: "Param[str]" = _param(
        "checkpointDir", "folder for checkpoints of the weights and optimiser state, one subfolder "
        "per fit, from which only a fit with the same params and data resumes; unset means no "
        "checkpoints",
        TypeConverters.toString)
    numPartitions: "Param[int]" = _param(
        "numPartitions", "partitions the training blocks are spread over, by a hash of each row "
        "(>= 1); 0 (the default) chooses them from the data: one per 25000 rows, whatever the "
        "cluster", TypeConverters.toInt)
    localSteps: "Param[int]" = _param(
        "localSteps", "adam: mini-batch steps each partition takes between two averagings of the "
        "model (>= 1)", TypeConverters.toInt)
    blockMomentum: "Param[float]" = _param(
        "blockMomentum", "adam: momentum on the averaged update of each round (BMUF), in [0, 1); 0 "
        "is plain model averaging", TypeConverters.toFloat)

    numEarlyStoppingRounds: "Param[int]" = _param(
        "numEarlyStoppingRounds", "with validation rows: stop after this many iterations or epochs "
        "without improving the validation loss (>= 0); 0 never stops early", TypeConverters.toInt)
    validationTol: "Param[float]" = _param(
        "validationTol", "with validation rows: the relative decrease of the validation loss below "
        "its best that counts as an improvement (>= 0)", TypeConverters.toFloat)

    dropout: "Param[float]" = _param(
        "dropout", "adam: the fraction of each hidden layer's units dropped in each training step, "
        "in [0, 1) (inverted dropout: the kept ones are scaled by 1 / (1 - dropout), so scoring drops "
        "none); 0 drops none", TypeConverters.toFloat)

    def _set_mlp_defaults(self, seed: int, **more: Any) -> None:
        """The shared defaults, the estimator's ``seed`` default and ``more``. The seed is the
        JVM's, the hash of the estimator's class name as MLlib's: the same in every process, where
        pyspark's ``HasSeed`` default, Python's ``hash`` of the class name, changes from one
        Python process to the next."""
        self._setDefault(seed=seed, **DEFAULTS, **more)

    def getLayers(self) -> List[int]:
        # a list, also when the value came from a JVM stage's default (a Java int[])
        return [int(n) for n in self.getOrDefault(self.layers)]

    def getAlpha(self) -> float:
        return self.getOrDefault(self.alpha)

    def getStepSizeSchedule(self) -> str:
        return self.getOrDefault(self.stepSizeSchedule)

    def getInitialWeights(self) -> Vector:
        return self.getOrDefault(self.initialWeights)

    def getCheckpointDir(self) -> str:
        return self.getOrDefault(self.checkpointDir)

    def getNumPartitions(self) -> int:
        return self.getOrDefault(self.numPartitions)

    def getLocalSteps(self) -> int:
        return self.getOrDefault(self.localSteps)

    def getBlockMomentum(self) -> float:
        return self.getOrDefault(self.blockMomentum)

    def getNumEarlyStoppingRounds(self) -> int:
        return self.getOrDefault(self.numEarlyStoppingRounds)

    def getValidationTol(self) -> float:
        return self.getOrDefault(self.validationTol)

    def getDropout(self) -> float:
        return self.getOrDefault(self.dropout)


class MLPSetters:
    """The setters of :class:`MLPParams` for an estimator, each returning it for chaining."""

    def setLayers(self: S, value: List[int]) -> S:
        return self._set(layers=value)

    def setAlpha(self: S, value: float) -> S:
        return self._set(alpha=value)

    def setSolver(self: S, value: str) -> S:
        return self._set(solver=value)

    def setMaxIter(self: S, value: int) -> S:
        return self._set(maxIter=value)

    def setTol(self: S, value: float) -> S:
        return self._set(tol=value)

    def setStepSize(self: S, value: float) -> S:
        return self._set(stepSize=value)

    def setStepSizeSchedule(self: S, value: str) -> S:
        return self._set(stepSizeSchedule=value)

    def setBlockSize(self: S, value: int) -> S:
        return self._set(blockSize=value)

    def setSeed(self: S, value: int) -> S:
        return self._set(seed=value)

    def setRegParam(self: S, value: float) -> S:
        return self._set(regParam=value)

    def setInitialWeights(self: S, value: Vector) -> S:
        return self._set(initialWeights=value)

    def setCheckpointDir(self: S, value: str) -> S:
        return self._set(checkpointDir=value)

    def setCheckpointInterval(self: S, value: int) -> S:
        return self._set(checkpointInterval=value)

    def setNumPartitions(self: S, value: int) -> S:
        return self._set(numPartitions=value)

    def setLocalSteps(self: S, value: int) -> S:
        return self._set(localSteps=value)

    def setBlockMomentum(self: S, value: float) -> S:
        return self._set(blockMomentum=value)

    def setWeightCol(self: S, value: str) -> S:
        """Row weights, finite and >= 0: a row of weight w counts as w copies of it."""
        return self._set(weightCol=value)

    def setValidationIndicatorCol(self: S, value: str) -> S:
        """A boolean column: rows where it is true are validation rows, never trained on."""
        return self._set(validationIndicatorCol=value)

    def setNumEarlyStoppingRounds(self: S, value: int) -> S:
        return self._set(numEarlyStoppingRounds=value)

    def setValidationTol(self: S, value: float) -> S:
        return self._set(validationTol=value)

    def setDropout(self: S, value: float) -> S:
        """Adam: the fraction of hidden units dropped in each training step, in [0, 1)."""
        return self._set(dropout=value)


class MLPModel:
    """What both MLP models add to pyspark's wrappers: the JVM model's own defaults, and the
    weights."""

    def __init__(self, java_model: Any = None) -> None:
        super().__init__(java_model)  # type: ignore[call-arg]
        if isinstance(java_model, JavaObject):
            self._transfer_params_from_java()

    def _transfer_params_from_java(self) -> None:
        """pyspark's, plus the JVM model's own defaults that pyspark skips for a set param: the
        network's layers and alpha."""
        super()._transfer_params_from_java()
        sc = SparkContext._active_spark_context
        for param in self.params:
            java_param = self._java_obj.getParam(param.name)
            if self._java_obj.hasDefault(java_param) and not self.hasDefault(param):
                self._setDefault(**{param.name: _java2py(sc, self._java_obj.getDefault(java_param).get())})

    @property
    def weights(self) -> Vector:
        """All weights and biases, layer by layer, in the layout ``initialWeights`` takes."""
        self._jvm("weights")
        return self._call_java("weights")
