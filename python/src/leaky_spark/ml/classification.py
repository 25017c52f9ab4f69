"""The ``LeakyMLPClassifier`` estimator and its model.

>>> from leaky_spark.ml.classification import LeakyMLPClassifier
>>> mlp = LeakyMLPClassifier(layers=[784, 128, 10], solver="adam", maxIter=10)  # doctest: +SKIP
>>> model = mlp.fit(train)  # doctest: +SKIP
>>> model.transform(test).select("prediction", "probability").show()  # doctest: +SKIP
"""
from typing import Any, List, Optional

from py4j.java_gateway import JavaObject
from pyspark import SparkContext, keyword_only
from pyspark.ml.classification import (MultilayerPerceptronClassificationSummary,
                                       MultilayerPerceptronClassificationTrainingSummary,
                                       _JavaProbabilisticClassificationModel,
                                       _JavaProbabilisticClassifier, _ProbabilisticClassifierParams)
from pyspark.ml.linalg import Vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import (HasBlockSize, HasCheckpointInterval, HasMaxIter, HasRegParam,
                                     HasSeed, HasSolver, HasStepSize, HasTol)
from pyspark.ml.util import HasTrainingSummary, JavaMLWritable
from pyspark.ml.wrapper import _java2py
from pyspark.sql import DataFrame

from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package, refuse_over_connect

__all__ = ["LeakyMLPClassifier", "LeakyMLPClassificationModel", "LeakyMLPTrainingSummary"]


def _param(name: str, doc: str, converter: Any) -> "Param[Any]":
    return Param(Params._dummy(), name, doc, typeConverter=converter)


#: The JVM stages' defaults (a test compares them). The seed is the JVM's, the hash of the
#: estimator's class name as MLlib's: the same in every process, where pyspark's ``HasSeed``
#: default, Python's ``hash`` of the class name, changes from one Python process to the next.
_DEFAULTS = {"alpha": 0.01, "solver": "l-bfgs", "maxIter": 100, "tol": 1e-6, "stepSize": 0.001,
             "blockSize": 128, "seed": 134312707, "regParam": 0.0, "checkpointInterval": 10,
             "numPartitions": 0, "localSteps": 64, "blockMomentum": 0.0, "stepSizeSchedule": "cosine",
             "labelCol": "label", "featuresCol": "features", "predictionCol": "prediction",
             "rawPredictionCol": "rawPrediction", "probabilityCol": "probability"}


class _LeakyMLPParams(_ProbabilisticClassifierParams, HasSeed, HasMaxIter, HasTol, HasStepSize,
                      HasSolver, HasBlockSize, HasRegParam, HasCheckpointInterval):
    """The params the estimator and the model share, as the JVM's ``LeakyMLPParams``: pyspark's
    shared params where they exist, and the model answers every getter with the value it was
    fitted with."""

    layers: "Param[List[int]]" = _param(
        "layers", "layer sizes from input to output, at least 2 entries, all >= 1; the last is the "
        "number of classes", TypeConverters.toListInt)
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

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(**_DEFAULTS)

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


class LeakyMLPClassifier(JavaStage, _JavaProbabilisticClassifier["LeakyMLPClassificationModel"],
                         _LeakyMLPParams, JavaMLWritable):
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


class LeakyMLPTrainingSummary(MultilayerPerceptronClassificationTrainingSummary):
    """What training did, as pyspark's MLP training summary: the classification metrics on the
    training data (``accuracy``, ``precisionByLabel``, ``weightedFMeasure()``, ...), the objective
    history (l-bfgs: at the start and after each iteration; adam: each epoch's), the iterations or
    epochs run, and the partitions of the fit.

    >>> model.summary.accuracy, model.summary.objectiveHistory[-1]  # doctest: +SKIP
    (0.93, 0.21)
    """

    @property
    def numPartitions(self) -> int:
        """The partitions the fit trained on: numPartitions, or the number it chose from the
        data when numPartitions was 0 (the fit logs it). Not over Spark Connect, whose server
        admits only Spark's own summary methods."""
        refuse_over_connect(self, "numPartitions")
        return int(self._call_java("numPartitions"))


class LeakyMLPClassificationModel(JavaStage,
                                  _JavaProbabilisticClassificationModel[Vector], _LeakyMLPParams,
                                  JavaMLWritable, HasTrainingSummary[LeakyMLPTrainingSummary]):
    """A fitted :class:`LeakyMLPClassifier`: adds ``rawPrediction`` (the logits, centred on their
    mean), ``probability`` (their softmax) and ``prediction`` (the most probable class, or the one
    ``thresholds`` favour) columns; a column whose name is set empty is left out.

    >>> model.predictProbability(Vectors.dense([0.1, 0.2, 0.3, 0.4]))  # doctest: +SKIP
    DenseVector([0.1, 0.7, 0.2])
    >>> model.evaluate(test).accuracy  # doctest: +SKIP
    0.91
    """

    _java_class = "dev.leakyspark.ml.classification.LeakyMLPClassificationModel"

    def __init__(self, java_model: Any = None) -> None:
        super().__init__(java_model)
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

    @property
    def summary(self) -> LeakyMLPTrainingSummary:
        """The training summary; a loaded model has none, which is an error."""
        if not self.hasSummary:
            raise RuntimeError("No training summary for %s: summaries exist only on models fitted "
                               "in this session" % self.uid)
        summary = super().summary  # pyspark 4 wraps it in _summaryCls, pyspark 3.5 does not
        return summary if isinstance(summary, LeakyMLPTrainingSummary) else LeakyMLPTrainingSummary(summary)

    @property
    def _summaryCls(self) -> type:
        return LeakyMLPTrainingSummary

    def _summary_dataset(self, train_dataset: DataFrame) -> DataFrame:
        return train_dataset  # the server's summary transforms it, as for Spark's MLP

    def evaluate(self, dataset: DataFrame) -> MultilayerPerceptronClassificationSummary:
        """The classification metrics of this model on ``dataset``, which holds the features and
        the labels. Not over Spark Connect, whose server admits ``evaluate`` only on Spark's own
        models; there, ``MulticlassClassificationEvaluator`` computes the same metrics."""
        if not isinstance(dataset, DataFrame):
            raise TypeError("dataset must be a DataFrame but got %s" % type(dataset))
        self._jvm("evaluate")
        return MultilayerPerceptronClassificationSummary(self._call_java("evaluate", dataset))


expose_as_jvm_package(__name__, "dev.leakyspark.ml.classification")
