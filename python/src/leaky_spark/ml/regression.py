"""The ``LeakyMLPRegressor`` estimator and its model.

>>> from leaky_spark.ml.regression import LeakyMLPRegressor
>>> mlp = LeakyMLPRegressor(layers=[10, 64, 64, 1], maxIter=200, seed=42)  # doctest: +SKIP
>>> model = mlp.fit(train)  # doctest: +SKIP
>>> model.summary.rootMeanSquaredError, model.evaluate(test).r2  # doctest: +SKIP
(1.02, 0.95)
"""
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.base import _PredictorParams
from pyspark.ml.linalg import Vector
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.regression import _JavaRegressionModel, _JavaRegressor
from pyspark.ml.util import GeneralJavaMLWritable, HasTrainingSummary, JavaMLWritable
from pyspark.ml.wrapper import JavaWrapper
from pyspark.sql import DataFrame

from leaky_spark.ml._mlp import MLPModel, MLPParams, MLPSetters
from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package, refuse_over_connect

__all__ = ["LeakyMLPRegressor", "LeakyMLPRegressionModel", "LeakyMLPRegressionSummary",
           "LeakyMLPRegressionTrainingSummary"]


class _LeakyMLPRegressorParams(_PredictorParams, MLPParams):
    """The params the regressor and its model share: the MLP's, with ``layers`` ending in 1, and
    ``standardizeLabel``."""

    standardizeLabel: "Param[bool]" = Param(
        Params._dummy(), "standardizeLabel",
        "train on (label - mean) / std, folded back into the output layer, so predictions keep the "
        "label's scale", typeConverter=TypeConverters.toBoolean)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._set_mlp_defaults(seed=604832131, standardizeLabel=True)

    def getStandardizeLabel(self) -> bool:
        return self.getOrDefault(self.standardizeLabel)


class LeakyMLPRegressor(JavaStage, _JavaRegressor["LeakyMLPRegressionModel"],
                        _LeakyMLPRegressorParams, MLPSetters, JavaMLWritable):
    """A multilayer perceptron with Leaky ReLU hidden layers and a linear output, fitted to the
    squared error on the cluster with L-BFGS (the default) or Adam, as the classifier is.

    ``layers`` runs from the number of features to 1. With ``standardizeLabel`` (the default) the
    fit trains on the standardised label and the model predicts on the label's own scale. Every
    other param has the JVM stage's default; bad values fail when they are set, with the JVM
    stage's message.

    >>> mlp = LeakyMLPRegressor(layers=[10, 32, 1], maxIter=100, seed=1)
    >>> model = mlp.fit(train)  # doctest: +SKIP
    >>> model.summary.r2  # doctest: +SKIP
    0.95
    """

    _java_class = "dev.leakyspark.ml.regression.LeakyMLPRegressor"

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
                 standardizeLabel: Optional[bool] = None, featuresCol: Optional[str] = None,
                 labelCol: Optional[str] = None, predictionCol: Optional[str] = None) -> None:
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
                  standardizeLabel: Optional[bool] = None, featuresCol: Optional[str] = None,
                  labelCol: Optional[str] = None,
                  predictionCol: Optional[str] = None) -> "LeakyMLPRegressor":
        """Sets the given params; the others keep their values."""
        return self._set(**self._input_kwargs)

    def _create_model(self, java_model: Any) -> "LeakyMLPRegressionModel":
        return LeakyMLPRegressionModel(java_model)

    def setStandardizeLabel(self, value: bool) -> "LeakyMLPRegressor":
        return self._set(standardizeLabel=value)


class LeakyMLPRegressionSummary(JavaWrapper):
    """The regression metrics of a model on a data set, named as pyspark's
    ``LinearRegressionSummary`` names them. Not over Spark Connect, whose server admits only
    Spark's own summaries; there, ``RegressionEvaluator`` computes the same metrics.

    >>> model.evaluate(test).rootMeanSquaredError  # doctest: +SKIP
    1.07
    """

    def _metric(self, name: str) -> Any:
        refuse_over_connect(self, name)
        return self._call_java(name)

    @property
    def predictions(self) -> DataFrame:
        """The data set with the model's predictions."""
        return self._metric("predictions")

    @property
    def predictionCol(self) -> str:
        return self._metric("predictionCol")

    @property
    def labelCol(self) -> str:
        return self._metric("labelCol")

    @property
    def rootMeanSquaredError(self) -> float:
        return self._metric("rootMeanSquaredError")

    @property
    def meanSquaredError(self) -> float:
        return self._metric("meanSquaredError")

    @property
    def meanAbsoluteError(self) -> float:
        return self._metric("meanAbsoluteError")

    @property
    def r2(self) -> float:
        """The coefficient of determination, 1 - SSE / SST."""
        return self._metric("r2")

    @property
    def explainedVariance(self) -> float:
        return self._metric("explainedVariance")

    @property
    def numInstances(self) -> int:
        return self._metric("numInstances")


class LeakyMLPRegressionTrainingSummary(LeakyMLPRegressionSummary):
    """What training did: the metrics on the training data, the objective history (on the
    standardised label when ``standardizeLabel``; l-bfgs: at the start and after each iteration;
    adam: each epoch's), the iterations or epochs run and the partitions of the fit.

    >>> model.summary.objectiveHistory[-1], model.summary.totalIterations  # doctest: +SKIP
    (0.02, 100)
    """

    @property
    def objectiveHistory(self) -> List[float]:
        return [float(v) for v in self._metric("objectiveHistory")]

    @property
    def totalIterations(self) -> int:
        return int(self._metric("totalIterations"))

    @property
    def numPartitions(self) -> int:
        """The partitions the fit trained on: numPartitions, or the number it chose from the
        data when numPartitions was 0 (the fit logs it)."""
        return int(self._metric("numPartitions"))

    @property
    def validationObjectiveHistory(self) -> List[float]:
        """With validation rows (``validationIndicatorCol``): their mean squared error on the
        label's own scale after each iteration (l-bfgs, from the start on) or epoch (adam)."""
        return [float(v) for v in self._metric("validationObjectiveHistory")]

    @property
    def bestIteration(self) -> int:
        """The iteration or epoch of the lowest validation loss, whose weights the model holds;
        -1 without validation rows."""
        return int(self._metric("bestIteration"))


class LeakyMLPRegressionModel(JavaStage, MLPModel, _JavaRegressionModel[Vector],
                              _LeakyMLPRegressorParams, GeneralJavaMLWritable,
                              HasTrainingSummary[LeakyMLPRegressionTrainingSummary]):
    """A fitted :class:`LeakyMLPRegressor`: adds the ``prediction`` column, on the label's scale;
    a column whose name is set empty is left out.

    >>> model.predict(Vectors.dense([0.5] * 10))  # doctest: +SKIP
    14.2
    """

    _java_class = "dev.leakyspark.ml.regression.LeakyMLPRegressionModel"

    @property
    def summary(self) -> LeakyMLPRegressionTrainingSummary:
        """The training summary; a loaded model has none, which is an error. Over Spark Connect
        its metrics are refused (the server admits only Spark's own summaries)."""
        if not self.hasSummary:
            raise RuntimeError("No training summary for %s: summaries exist only on models fitted "
                               "in this session" % self.uid)
        summary = super().summary  # pyspark 4 wraps it in _summaryCls, pyspark 3.5 does not
        return (summary if isinstance(summary, LeakyMLPRegressionTrainingSummary)
                else LeakyMLPRegressionTrainingSummary(summary))

    @property
    def _summaryCls(self) -> type:
        return LeakyMLPRegressionTrainingSummary

    def _summary_dataset(self, train_dataset: DataFrame) -> DataFrame:
        return train_dataset  # the server's summary scores it

    def evaluate(self, dataset: DataFrame) -> LeakyMLPRegressionSummary:
        """The regression metrics of this model on ``dataset``, which holds the features and the
        labels. Not over Spark Connect; there, ``RegressionEvaluator`` computes the same."""
        if not isinstance(dataset, DataFrame):
            raise TypeError("dataset must be a DataFrame but got %s" % type(dataset))
        self._jvm("evaluate")
        return LeakyMLPRegressionSummary(self._call_java("evaluate", dataset))


expose_as_jvm_package(__name__, "dev.leakyspark.ml.regression")
