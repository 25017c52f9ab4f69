"""The ``LeakyMLPClassifier`` estimator and its model.

>>> from leaky_spark.ml.classification import LeakyMLPClassifier
>>> mlp = LeakyMLPClassifier(layers=[784, 128, 10], solver="adam", maxIter=10)  # doctest: +SKIP
>>> model = mlp.fit(train)  # doctest: +SKIP
>>> model.transform(test).select("prediction", "probability").show()  # doctest: +SKIP
"""
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.classification import (MultilayerPerceptronClassificationSummary,
                                       MultilayerPerceptronClassificationTrainingSummary,
                                       _JavaProbabilisticClassificationModel,
                                       _JavaProbabilisticClassifier, _ProbabilisticClassifierParams)
from pyspark.ml.linalg import Vector
from pyspark.ml.util import GeneralJavaMLWritable, HasTrainingSummary, JavaMLWritable
from pyspark.sql import DataFrame

from leaky_spark.ml._mlp import MLPModel, MLPParams, MLPSetters
from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package, refuse_over_connect

__all__ = ["LeakyMLPClassifier", "LeakyMLPClassificationModel", "LeakyMLPTrainingSummary"]


class _LeakyMLPParams(_ProbabilisticClassifierParams, MLPParams):
    """The params the classifier and its model share."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._set_mlp_defaults(seed=134312707, rawPredictionCol="rawPrediction",
                               probabilityCol="probability")


class LeakyMLPClassifier(JavaStage, _JavaProbabilisticClassifier["LeakyMLPClassificationModel"],
                         _LeakyMLPParams, MLPSetters, JavaMLWritable):
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
                 weightCol: Optional[str] = None,
                 validationIndicatorCol: Optional[str] = None,
                 numEarlyStoppingRounds: Optional[int] = None,
                 validationTol: Optional[float] = None,
                 dropout: Optional[float] = None,
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
                  weightCol: Optional[str] = None,
                  validationIndicatorCol: Optional[str] = None,
                  numEarlyStoppingRounds: Optional[int] = None,
                  validationTol: Optional[float] = None,
                  dropout: Optional[float] = None,
                  featuresCol: Optional[str] = None, labelCol: Optional[str] = None,
                  predictionCol: Optional[str] = None, rawPredictionCol: Optional[str] = None,
                  probabilityCol: Optional[str] = None,
                  thresholds: Optional[List[float]] = None) -> "LeakyMLPClassifier":
        """Sets the given params; the others keep their values."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model: Any) -> "LeakyMLPClassificationModel":
        return LeakyMLPClassificationModel(java_model)

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

    @property
    def validationObjectiveHistory(self) -> List[float]:
        """With validation rows (``validationIndicatorCol``): their log loss after each iteration
        (l-bfgs, from the start on) or epoch (adam); empty without. Not over Spark Connect."""
        refuse_over_connect(self, "validationObjectiveHistory")
        return [float(v) for v in self._call_java("validationObjectiveHistory")]

    @property
    def bestIteration(self) -> int:
        """The iteration or epoch of the lowest validation loss, whose weights the model holds;
        -1 without validation rows. Not over Spark Connect."""
        refuse_over_connect(self, "bestIteration")
        return int(self._call_java("bestIteration"))


class LeakyMLPClassificationModel(JavaStage, MLPModel,
                                  _JavaProbabilisticClassificationModel[Vector], _LeakyMLPParams,
                                  GeneralJavaMLWritable, HasTrainingSummary[LeakyMLPTrainingSummary]):
    """A fitted :class:`LeakyMLPClassifier`: adds ``rawPrediction`` (the logits, centred on their
    mean), ``probability`` (their softmax) and ``prediction`` (the most probable class, or the one
    ``thresholds`` favour) columns; a column whose name is set empty is left out.

    >>> model.predictProbability(Vectors.dense([0.1, 0.2, 0.3, 0.4]))  # doctest: +SKIP
    DenseVector([0.1, 0.7, 0.2])
    >>> model.evaluate(test).accuracy  # doctest: +SKIP
    0.91
    """

    _java_class = "dev.leakyspark.ml.classification.LeakyMLPClassificationModel"

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
