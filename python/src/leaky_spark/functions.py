"""The ``leaky_relu`` column function.

>>> from leaky_spark.functions import leaky_relu
>>> df.select(leaky_relu("x"), leaky_relu(df.features, alpha=0.2)).show()  # doctest: +SKIP
"""
import numbers
from typing import Union

from pyspark.sql import Column
from pyspark.sql import functions as F

from leaky_spark._jvm import java_class

try:  # pyspark 4: classic (JVM) columns live apart from Spark Connect's
    from pyspark.sql.classic.column import Column as _ClassicColumn
    from pyspark.sql.classic.column import _to_java_column
except ImportError:  # pyspark 3.5
    from pyspark.sql.column import Column as _ClassicColumn
    from pyspark.sql.column import _to_java_column

ColumnOrName = Union[Column, str]

__all__ = ["leaky_relu"]


def _is_remote() -> bool:
    try:
        from pyspark.sql.utils import is_remote
    except ImportError:
        return False
    return is_remote()


def leaky_relu(col: ColumnOrName, alpha: float = 0.01) -> Column:
    """``x`` where ``x >= 0``, else ``alpha * x``, for numeric, ``array<float>``,
    ``array<double>`` and ML vector columns (sparse vectors stay sparse).

    Null stays null, NaN stays NaN and ``-0.0`` stays ``-0.0``, as in PyTorch. Integral and decimal
    inputs give ``double``; ``float`` stays ``float``. ``alpha`` must be finite.

    On a classic session this builds the JVM column function, so no registration is needed. On a
    Spark Connect session it calls the SQL function, which the server's
    ``spark.sql.extensions=dev.leakyspark.sql.LeakyReluExtensions`` provides.

    >>> df = spark.createDataFrame([(-2.0,), (3.0,), (None,)], "x double")  # doctest: +SKIP
    >>> df.select(leaky_relu("x", 0.5).alias("y")).collect()  # doctest: +SKIP
    [Row(y=-1.0), Row(y=3.0), Row(y=None)]
    """
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError("leaky_relu: alpha must be a number but got " + type(alpha).__name__)
    if not isinstance(col, (Column, str)):
        raise TypeError("leaky_relu: col must be a Column or a column name but got "
                        + type(col).__name__)
    if _is_remote():
        return F.call_function("leaky_relu", F.col(col) if isinstance(col, str) else col,
                               F.lit(float(alpha)))
    functions = java_class("dev.leakyspark.functions.LeakyReluFunctions")
    return _ClassicColumn(functions.leakyRelu(_to_java_column(col), float(alpha)))
