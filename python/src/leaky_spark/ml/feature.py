"""The ``LeakyReLU`` transformer.

>>> from leaky_spark.ml.feature import LeakyReLU
>>> relu = LeakyReLU(inputCol="features", outputCol="activated", alpha=0.1)  # doctest: +SKIP
>>> relu.transform(df).select("activated").show()  # doctest: +SKIP
"""
from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasInputCol, HasInputCols, HasOutputCol, HasOutputCols
from pyspark.ml.util import GeneralJavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

from leaky_spark.ml._wrapper import JavaStage, expose_as_jvm_package

__all__ = ["LeakyReLU"]


class LeakyReLU(JavaStage, JavaTransformer, HasInputCol, HasOutputCol, HasInputCols, HasOutputCols,
                GeneralJavaMLWritable):
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

    alpha: "Param[float]" = Param(Params._dummy(), "alpha", "slope for negative inputs (finite)",
                                  typeConverter=TypeConverters.toFloat)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputCol: Optional[str] = None,
                 inputCols: Optional[List[str]] = None, outputCols: Optional[List[str]] = None,
                 alpha: Optional[float] = None) -> None:
        super().__init__()
        self._new_stage()
        # the JVM stage's defaults (a test compares them); pyspark's HasOutputCol gives outputCol's
        self._setDefault(inputCol="features", inputCols=[], outputCols=[], alpha=0.01)
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

    def getAlpha(self) -> float:
        return self.getOrDefault(self.alpha)


expose_as_jvm_package(__name__, "dev.leakyspark.ml.feature")
