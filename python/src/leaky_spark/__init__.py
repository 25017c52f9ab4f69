"""Leaky ReLU for PySpark.

The package wraps the leaky-spark jar, which it bundles: the column function
:func:`leaky_spark.functions.leaky_relu`, the SQL function ``leaky_relu`` (through the session
extension), and the pipeline stages :class:`leaky_spark.ml.feature.LeakyReLU` and
:class:`leaky_spark.ml.classification.LeakyMLPClassifier`.

>>> import leaky_spark
>>> from pyspark.sql import SparkSession
>>> spark = (SparkSession.builder
...          .config("spark.jars", leaky_spark.jar_path())
...          .config("spark.sql.extensions", leaky_spark.EXTENSIONS)
...          .getOrCreate())  # doctest: +SKIP
"""
import glob
import os
from typing import Optional

__version__ = "0.1.0.dev0"

#: The value of ``spark.sql.extensions`` that gives every session the SQL function ``leaky_relu``.
EXTENSIONS = "dev.leakyspark.sql.LeakyReluExtensions"

#: The Spark lines a jar is built for (``major.minor``).
SPARK_LINES = ("3.5", "4.0", "4.1", "4.2")

#: Spark lines that run the jar of an earlier line: Maven serves no Spark 4.3 jars to build
#: against, and the 4.2 jar passes the Python suite and the jobs on Spark 4.3.
RUNS_ON = {"4.3": "4.2"}

_JARS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jars")


def jar_path(spark_line: Optional[str] = None) -> str:
    """The path of the bundled jar for ``spark_line`` (such as ``"3.5"`` or ``"4.2"``).

    By default the line is that of the installed pyspark. A jar runs only on the Spark line it was
    built for, so a line the package holds no jar for is an error that says how to build one;
    Spark 4.3 runs the 4.2 jar (``RUNS_ON``).

    >>> leaky_spark.jar_path("3.5")  # doctest: +SKIP
    '.../site-packages/leaky_spark/jars/leaky-spark_2.12-0.1.0-3.5-SNAPSHOT.jar'
    """
    if spark_line is None:
        import pyspark

        spark_line = ".".join(pyspark.__version__.split(".")[:2])
    spark_line = RUNS_ON.get(spark_line, spark_line)
    if spark_line not in SPARK_LINES:
        raise ValueError("leaky-spark supports the Spark lines " + ", ".join(SPARK_LINES + tuple(RUNS_ON))
                         + ", not " + spark_line)
    found = [j for j in glob.glob(os.path.join(_JARS, "leaky-spark_2.1?-*-" + spark_line + "-*.jar"))
             if not j.endswith(("-tests.jar", "-jobs.jar"))]
    if not found:
        profile = "" if spark_line == "3.5" else " -Pspark-" + spark_line
        bundled = sorted(os.path.basename(j) for j in glob.glob(os.path.join(_JARS, "*.jar")))
        raise FileNotFoundError(
            "leaky-spark holds no jar for Spark " + spark_line + " (bundled: "
            + (", ".join(bundled) or "none") + "). From the project root, run "
            "mvn -B -DskipTests package" + profile + ", then pip install ./python again")
    return sorted(found)[-1]


def _expose_stages_to_pyspark() -> None:
    """Imports the stage wrappers, which register themselves under their JVM package names, so
    that ``PipelineModel.load`` finds them for a saved pipeline once ``leaky_spark`` is imported."""
    try:
        import leaky_spark.ml.classification  # noqa: F401
        import leaky_spark.ml.feature  # noqa: F401
        import leaky_spark.ml.regression  # noqa: F401
    except ImportError:  # pyspark.ml needs numpy; without it, no stage loads anyway
        pass


_expose_stages_to_pyspark()
