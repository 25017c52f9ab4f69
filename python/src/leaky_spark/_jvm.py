"""The JVM side of the package: the jar's classes, reached through the active SparkContext."""
from typing import Any


def java_class(name: str) -> Any:
    """The JVM class ``name`` of the leaky-spark jar, or an error that says how to load the jar."""
    from py4j.java_gateway import JavaPackage
    from pyspark import SparkContext

    sc = SparkContext._active_spark_context
    if sc is None:
        raise RuntimeError("leaky-spark: start a SparkSession first, with leaky_spark.jar_path() "
                           "in spark.jars")
    cls = sc._jvm
    for part in name.split("."):
        cls = getattr(cls, part)
    if isinstance(cls, JavaPackage):
        raise RuntimeError(
            "leaky-spark: " + name + " is not on the session's class path. Build the session with "
            ".config(\"spark.jars\", leaky_spark.jar_path()); a running session does not take "
            "new jars")
    return cls
