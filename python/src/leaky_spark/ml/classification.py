"""The ``LeakyMLPClassifier`` estimator and its model.

>>> from leaky_spark.ml.classification import LeakyMLPClassifier
>>> mlp = LeakyMLPClassifier(layers=[784, 128, 10], solver="adam", maxIter=10)  # doctest: +SKIP
>>> model = mlp.fit(train)  # doctest: +SKIP
>>> model.transform(test).select("prediction", "probability").show()  # doctest: +SKIP
"""
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.linalg import Vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLWritable
from pyspark.ml.wrapper import JavaEstimator, JavaModel, JavaWrapper

from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package

__all__ = ["LeakyMLPClassifier", "LeakyMLPClassificationModel", "LeakyMLPTrainingSummary"]


def _param(name: str, doc: str, converter: Any) -> "Param[Any]":
    return Param(Params._dummy(), name, doc, typeConverter=converter)


def _java_string_hash(text: str) -> int:
    """Java's ``String.hashCode``."""
    h = 0
    for c in text:
        h = (31 * h + ord(c)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


#: The JVM stages' defaults (a test compares them); the seed is the hash of the estimator's class
#: name, as MLlib's.
_DEFAULTS = {"alpha": 0.01, "solver": "l-bfgs", "maxIter": 100, "tol": 1e-6, "stepSize": 0.001,
             "blockSize": 128, "seed": _java_string_hash("dev.leakyspark.ml.classification.LeakyMLPClassifier"),
             "regParam": 0.0, "checkpointInterval": 10, "numPartitions": 0, "localSteps": 64,
             "blockMomentum": 0.0, "stepSizeSchedule": "cosine", "labelCol": "label",
             "featuresCol": "features", "predictionCol": "prediction",
             "rawPredictionCol": "rawPrediction", "probabilityCol": "probability"}


class _LeakyMLPParams(Params):
    """The params the estimator and the model share, as the JVM's ``LeakyMLPParams``: the model
    answers every getter with the value it was fitted with."""

    featuresCol: "Param[str]" = _param(
        "featuresCol", "features column name: a vector of layers[0] values", TypeConverters.toString)
    predictionCol: "Param[str]" = _param(
        "predictionCol", "prediction column name: the most probable class", TypeConverters.toString)
    rawPredictionCol: "Param[str]" = _param(
        "rawPredictionCol", "output scores column name: the logits before softmax",
        TypeConverters.toString)
    probabilityCol: "Param[str]" = _param(
        "probabilityCol", "class probabilities column name: the softmax of the scores",
        TypeConverters.toString)
    thresholds: "Param[List[float]]" = _param(
        "thresholds", "one per class, >= 0, at most one 0: the prediction is the class with the "
        "largest probability / threshold (unset: the most probable class)", TypeConverters.toListFloat)

    def getFeaturesCol(self) -> str:
        return self.getOrDefault(self.featuresCol)

    def getPredictionCol(self) -> str:
        return self.getOrDefault(self.predictionCol)

    def getRawPredictionCol(self) -> str:
        return self.getOrDefault(self.rawPredictionCol)

    def getProbabilityCol(self) -> str:
        return self.getOrDefault(self.probabilityCol)

    def setFeaturesCol(self, value: str) -> Any:
        return self._set(featuresCol=value)

    def setPredictionCol(self, value: str) -> Any:
        return self._set(predictionCol=value)

    def setRawPredictionCol(self, value: str) -> Any:
        return self._set(rawPredictionCol=value)

    def setProbabilityCol(self, value: str) -> Any:
        return self._set(probabilityCol=value)

    def getThresholds(self) -> List[float]:
        return [float(t) for t in self.getOrDefault(self.thresholds)]

    def setThresholds(self, value: List[float]) -> Any:
        return self._set(thresholds=value)

    layers: "Param[List[int]]" = _param(
        "layers", "layer sizes from input to output, at least 2 entries, all >= 1; the last is the "
        "number of classes", TypeConverters.toListInt)
    alpha: "Param[float]" = _param("alpha", "Leaky ReLU slope of the hidden layers (finite)",
                                   TypeConverters.toFloat)
    solver: "Param[str]" = _param("solver", "optimiser: l-bfgs or adam", TypeConverters.toString)
    maxIter: "Param[int]" = _param(
        "maxIter", "maximum iterations (l-bfgs) or epochs (adam), >= 0", TypeConverters.toInt)
    tol: "Param[float]" = _param(
        "tol", "stop when the objective improves by at most this relative amount in one iteration "
        "(>= 0)", TypeConverters.toFloat)
    stepSize: "Param[float]" = _param(
        "stepSize", "Adam learning rate (> 0); l-bfgs chooses its own steps", TypeConverters.toFloat)
    stepSizeSchedule: "Param[str]" = _param(
        "stepSizeSchedule", "adam: constant keeps stepSize; cosine decays it from stepSize towards 0 "
        "over maxIter epochs", TypeConverters.toString)
    blockSize: "Param[int]" = _param("blockSize", "rows stacked into one matrix (>= 1)",
                                     TypeConverters.toInt)
    seed: "Param[int]" = _param("seed", "random seed for initial weights and Adam's block order",
                                TypeConverters.toInt)
    regParam: "Param[float]" = _param(
        "regParam", "L2 regularisation of the weight matrices (>= 0)", TypeConverters.toFloat)
    initialWeights: "Param[Vector]" = _param(
        "initialWeights", "starting weights in the model's layout; unset means He initialisation "
        "from seed", TypeConverters.toVector)
    checkpointDir: "Param[str]" = _param(
        "checkpointDir", "folder for checkpoints of the weights and optimiser state, one subfolder "
        "per fit, from which only a fit with the same params and data resumes; unset means no "
        "checkpoints",
        TypeConverters.toString)
    checkpointInterval: "Param[int]" = _param(
        "checkpointInterval", "iterations (l-bfgs) or epochs (adam) between checkpoints (>= 1), "
        "or -1 for no checkpoints",
        TypeConverters.toInt)
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
    labelCol: "Param[str]" = _param("labelCol", "label column name: class indices 0, 1, ...",
                                    TypeConverters.toString)

    def getLayers(self) -> List[int]:
        # a list, also when the value came from a JVM stage's default (a Java int[])
        return [int(n) for n in self.getOrDefault(self.layers)]

    def getAlpha(self) -> float:
        return self.getOrDefault(self.alpha)

    def getSolver(self) -> str:
        return self.getOrDefault(self.solver)

    def getMaxIter(self) -> int:
        return self.getOrDefault(self.maxIter)

    def getTol(self) -> float:
        return self.getOrDefault(self.tol)

    def getStepSize(self) -> float:
        return self.getOrDefault(self.stepSize)

    def getStepSizeSchedule(self) -> str:
        return self.getOrDefault(self.stepSizeSchedule)

    def getBlockSize(self) -> int:
        return self.getOrDefault(self.blockSize)

    def getSeed(self) -> int:
        return self.getOrDefault(self.seed)

    def getRegParam(self) -> float:
        return self.getOrDefault(self.regParam)

    def getInitialWeights(self) -> Vector:
        return self.getOrDefault(self.initialWeights)

    def getCheckpointDir(self) -> str:
        return self.getOrDefault(self.checkpointDir)

    def getCheckpointInterval(self) -> int:
        return self.getOrDefault(self.checkpointInterval)

    def getNumPartitions(self) -> int:
        return self.getOrDefault(self.numPartitions)

    def getLocalSteps(self) -> int:
        return self.getOrDefault(self.localSteps)

    def getBlockMomentum(self) -> float:
        return self.getOrDefault(self.blockMomentum)

    def getLabelCol(self) -> str:
        return self.getOrDefault(self.labelCol)


class LeakyMLPClassifier(JavaStage, JavaEstimator, _LeakyMLPParams, JavaMLWritable):
    """A multilayer perceptron with Leaky ReLU hidden layers and a softmax output, trained on the
    cluster with L-BFGS (``solver="l-bfgs"``, the default) or Adam (``solver="adam"``).

    ``layers`` runs from the number of features to the number of classes; labels are class indices
    0, 1, ... Every other param has the JVM stage's default. Bad values fail when they are set,
    with the JVM stage's message.

    >>> mlp = LeakyMLPClassifier(layers=[4, 16, 3], maxIter=50, seed=1)
    >>> model = mlp.fit(train)  # doctest: +SKIP
    >>> model.summary.totalIterations  # doctest: +SKIP
    50
    """

    _java_class = "dev.leakyspark.ml.classification.LeakyMLPClassifier"

    @keyword_only
    def __init__(self, *, layers: Optional[List[int]] = None, alpha: Optional[float] = None,
                 solver: Optional[str] = None, maxIter: Optional[int] = None,
                 tol: Optional[float] = None, stepSize: Optional[float] = None,
                 stepSizeSchedule: Optional[str] = None, blockSize: Optional[int] = None,
                 seed: Optional[int] = None, regParam: Optional[float] = None,
                 initialWeights: Optional[Vector] = None, checkpointDir: Optional[str] = None,
                 checkpointInterval: Optional[int] = None, numPartitions: Optional[int] = None,
                 localSteps: Optional[int] = None, blockMomentum: Optional[float] = None,
                 featuresCol: Optional[str] = None, labelCol: Optional[str] = None,
                 predictionCol: Optional[str] = None, rawPredictionCol: Optional[str] = None,
                 probabilityCol: Optional[str] = None,
                 thresholds: Optional[List[float]] = None) -> None:
        super().__init__()
        self._new_stage()
        self._setDefault(**_DEFAULTS)
        self._set(**self._input_kwargs)

    @keyword_only
    def setParams(self, *, layers: Optional[List[int]] = None, alpha: Optional[float] = None,
                  solver: Optional[str] = None, maxIter: Optional[int] = None,
                  tol: Optional[float] = None, stepSize: Optional[float] = None,
                  stepSizeSchedule: Optional[str] = None, blockSize: Optional[int] = None,
                  seed: Optional[int] = None, regParam: Optional[float] = None,
                  initialWeights: Optional[Vector] = None, checkpointDir: Optional[str] = None,
                  checkpointInterval: Optional[int] = None, numPartitions: Optional[int] = None,
                  localSteps: Optional[int] = None, blockMomentum: Optional[float] = None,
                  featuresCol: Optional[str] = None, labelCol: Optional[str] = None,
                  predictionCol: Optional[str] = None, rawPredictionCol: Optional[str] = None,
                  probabilityCol: Optional[str] = None,
                  thresholds: Optional[List[float]] = None) -> "LeakyMLPClassifier":
        """Sets the given params; the others keep their values."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model: Any) -> "LeakyMLPClassificationModel":
        return LeakyMLPClassificationModel(java_model)

    def setLayers(self, value: List[int]) -> "LeakyMLPClassifier":
        return self._set(layers=value)

    def setAlpha(self, value: float) -> "LeakyMLPClassifier":
        return self._set(alpha=value)

    def setSolver(self, value: str) -> "LeakyMLPClassifier":
        return self._set(solver=value)

    def setMaxIter(self, value: int) -> "LeakyMLPClassifier":
        return self._set(maxIter=value)

    def setTol(self, value: float) -> "LeakyMLPClassifier":
        return self._set(tol=value)

    def setStepSize(self, value: float) -> "LeakyMLPClassifier":
        return self._set(stepSize=value)

    def setStepSizeSchedule(self, value: str) -> "LeakyMLPClassifier":
        return self._set(stepSizeSchedule=value)

    def setBlockSize(self, value: int) -> "LeakyMLPClassifier":
        return self._set(blockSize=value)

    def setSeed(self, value: int) -> "LeakyMLPClassifier":
        return self._set(seed=value)

    def setRegParam(self, value: float) -> "LeakyMLPClassifier":
        return self._set(regParam=value)

    def setInitialWeights(self, value: Vector) -> "LeakyMLPClassifier":
        return self._set(initialWeights=value)

    def setCheckpointDir(self, value: str) -> "LeakyMLPClassifier":
        return self._set(checkpointDir=value)

    def setCheckpointInterval(self, value: int) -> "LeakyMLPClassifier":
        return self._set(checkpointInterval=value)

    def setNumPartitions(self, value: int) -> "LeakyMLPClassifier":
        return self._set(numPartitions=value)

    def setLocalSteps(self, value: int) -> "LeakyMLPClassifier":
        return self._set(localSteps=value)

    def setBlockMomentum(self, value: float) -> "LeakyMLPClassifier":
        return self._set(blockMomentum=value)

    def setLabelCol(self, value: str) -> "LeakyMLPClassifier":
        return self._set(labelCol=value)

class LeakyMLPTrainingSummary(JavaWrapper):
    """What training did: the objective history, how many iterations or epochs ran, and on how
    many partitions."""

    @property
    def objectiveHistory(self) -> List[float]:
        """The objective (mean cross-entropy plus the L2 term). l-bfgs: at the start and after
        each iteration. adam: each epoch's, the mean over its mini-batches."""
        return [float(v) for v in self._java_obj.objectiveHistory()]

    @property
    def totalIterations(self) -> int:
        """Iterations (l-bfgs) or epochs (adam) run."""
        return int(self._java_obj.totalIterations())

    @property
    def numPartitions(self) -> int:
        """The partitions the fit trained on: numPartitions, or the number it chose from the
        data when numPartitions was 0."""
        return int(self._java_obj.numPartitions())


class LeakyMLPClassificationModel(JavaStage, JavaModel, _LeakyMLPParams, JavaMLWritable):
    """A fitted :class:`LeakyMLPClassifier`: adds ``rawPrediction`` (the logits, centred on their
    mean), ``probability`` (their softmax) and ``prediction`` (the most probable class, or the one
    ``thresholds`` favour) columns; a column whose name is set empty is left out.

    >>> model.predictProbability(Vectors.dense([0.1, 0.2, 0.3, 0.4]))  # doctest: +SKIP
    DenseVector([0.1, 0.7, 0.2])
    """

    _java_class = "dev.leakyspark.ml.classification.LeakyMLPClassificationModel"

    def __init__(self, java_model: Any = None) -> None:
        super().__init__(java_model)
        self._setDefault(**_DEFAULTS)

    @property
    def weights(self) -> Vector:
        """All weights and biases, layer by layer, in the layout ``initialWeights`` takes."""
        self._jvm("weights")
        return self._call_java("weights")

    @property
    def numFeatures(self) -> int:
        return int(self._jvm("numFeatures").numFeatures())

    @property
    def numClasses(self) -> int:
        return int(self._jvm("numClasses").numClasses())

    @property
    def hasSummary(self) -> bool:
        """Whether the model was fitted in this session (a loaded model has no summary)."""
        return bool(self._jvm("hasSummary").hasSummary())

    @property
    def summary(self) -> LeakyMLPTrainingSummary:
        """The training summary; a loaded model has none, which is an error."""
        return LeakyMLPTrainingSummary(self._jvm("summary").summary())

    def predictRaw(self, features: Vector) -> Vector:
        """The logits for one feature vector, centred on their mean."""
        self._jvm("predictRaw")
        return self._call_java("predictRaw", features)

    def predictProbability(self, features: Vector) -> Vector:
        """The class probabilities for one feature vector."""
        self._jvm("predictProbability")
        return self._call_java("predictProbability", features)

    def predict(self, features: Vector) -> float:
        """The most probable class for one feature vector."""
        self._jvm("predict")
        return float(self._call_java("predict", features))


expose_as_jvm_package(__name__, "dev.leakyspark.ml.classification")
