"""The ``LeakyReLU`` transformer.

>>> from leaky_spark.ml.feature import LeakyReLU
>>> relu = LeakyReLU(inputCol="features", outputCol="activated", alpha=0.1)  # doctest: +SKIP
>>> relu.transform(df).select("activated").show()  # doctest: +SKIP
"""
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package

__all__ = ["LeakyReLU"]


class LeakyReLU(JavaStage, JavaTransformer, JavaMLWritable):
    """Applies Leaky ReLU to one column (``inputCol`` to ``outputCol``) or to several
    (``inputCols`` to ``outputCols``): numeric, ``array<float>``, ``array<double>`` or vector
    columns, with the semantics of :func:`leaky_spark.functions.leaky_relu`. Sparse vectors stay
    sparse.

    It wraps the JVM stage ``dev.leakyspark.ml.feature.LeakyReLU``, saves and loads inside a
    :class:`pyspark.ml.PipelineModel`, and such a pipeline loads in Scala or Java as well.

    >>> from pyspark.ml import Pipeline
    >>> from pyspark.ml.feature import VectorAssembler
    >>> assembler = VectorAssembler(inputCols=["a", "b"], outputCol="features")
    >>> pipeline = Pipeline(stages=[assembler, LeakyReLU(outputCol="activated", alpha=0.2)])
    >>> pipeline.fit(df).transform(df).select("activated").show()  # doctest: +SKIP
    """

    _java_class = "dev.leakyspark.ml.feature.LeakyReLU"

    inputCol: "Param[str]" = Param(Params._dummy(), "inputCol", "input column name",
                                   typeConverter=TypeConverters.toString)
    outputCol: "Param[str]" = Param(Params._dummy(), "outputCol", "output column name",
                                    typeConverter=TypeConverters.toString)
    inputCols: "Param[List[str]]" = Param(
        Params._dummy(), "inputCols", "input column names (distinct), instead of inputCol",
        typeConverter=TypeConverters.toListString)
    outputCols: "Param[List[str]]" = Param(
        Params._dummy(), "outputCols", "output column names (distinct), one per input column",
        typeConverter=TypeConverters.toListString)
    alpha: "Param[float]" = Param(Params._dummy(), "alpha", "slope for negative inputs (finite)",
                                  typeConverter=TypeConverters.toFloat)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputCol: Optional[str] = None,
                 inputCols: Optional[List[str]] = None, outputCols: Optional[List[str]] = None,
                 alpha: Optional[float] = None) -> None:
        super().__init__()
        self._new_stage()
        # the JVM stage's defaults (a test compares them)
        self._setDefault(inputCol="features", outputCol=self.uid + "__output", inputCols=[],
                         outputCols=[], alpha=0.01)
        self._set(**self._input_kwargs)

    @keyword_only
    def setParams(self, *, inputCol: Optional[str] = None, outputCol: Optional[str] = None,
                  inputCols: Optional[List[str]] = None, outputCols: Optional[List[str]] = None,
                  alpha: Optional[float] = None) -> "LeakyReLU":
        """Sets the given params; the others keep their values."""
        return self._set(**self._input_kwargs)

    def setInputCol(self, value: str) -> "LeakyReLU":
        return self._set(inputCol=value)

    def setOutputCol(self, value: str) -> "LeakyReLU":
        return self._set(outputCol=value)

    def setInputCols(self, value: List[str]) -> "LeakyReLU":
        return self._set(inputCols=value)

    def setOutputCols(self, value: List[str]) -> "LeakyReLU":
        return self._set(outputCols=value)

    def setAlpha(self, value: float) -> "LeakyReLU":
        return self._set(alpha=value)

    def getInputCol(self) -> str:
        return self.getOrDefault(self.inputCol)

    def getOutputCol(self) -> str:
        return self.getOrDefault(self.outputCol)

    def getInputCols(self) -> List[str]:
        return self.getOrDefault(self.inputCols)

    def getOutputCols(self) -> List[str]:
        return self.getOrDefault(self.outputCols)

    def getAlpha(self) -> float:
        return self.getOrDefault(self.alpha)


expose_as_jvm_package(__name__, "dev.leakyspark.ml.feature")
