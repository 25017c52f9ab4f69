"""Data sets as DataFrames of ``(label double, features vector)``, read by the jar's loaders.

>>> from leaky_spark.data import fashion_mnist
>>> train = fashion_mnist(spark, "train")  # doctest: +SKIP
"""
import os
from typing import Optional

from pyspark.sql import DataFrame, SparkSession

from leaky_spark._jvm import java_class

#: Where Debian's ``dataset-fashion-mnist`` package puts the IDX files.
FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

__all__ = ["FASHION_MNIST_DIR", "fashion_mnist", "fashion_mnist_available", "generated"]


def fashion_mnist_available(directory: str = FASHION_MNIST_DIR) -> bool:
    """Whether ``directory`` holds the four Fashion-MNIST IDX files."""
    return all(os.path.isfile(os.path.join(directory, split + "-" + kind + "-idx" + dims + "-ubyte.gz"))
               for split in ("train", "t10k") for kind, dims in (("images", "3"), ("labels", "1")))


def fashion_mnist(spark: SparkSession, split: str = "train",
                  directory: str = FASHION_MNIST_DIR) -> DataFrame:
    """The Fashion-MNIST ``"train"`` (60,000 rows) or ``"t10k"`` (10,000 rows) split: ``label``
    0-9 and ``features``, 784 pixels scaled to [0, 1].

    The IDX files must sit at ``directory`` on every worker (Debian: ``apt-get install
    dataset-fashion-mnist``).

    >>> fashion_mnist(spark, "t10k").count()  # doctest: +SKIP
    10000
    """
    idx = java_class("dev.leakyspark.data.Idx")
    return DataFrame(idx.loadFashionMnist(spark._jsparkSession, directory, split), spark)


def generated(spark: SparkSession, rows: int, dims: int,
              partitions: Optional[int] = None) -> DataFrame:
    """``rows`` learnable synthetic rows ``(id, label, features)``, computed on the executors:
    ``label = id mod 10``, and ``dims`` Gaussian features, those with ``j mod 10 == label`` shifted
    by 1.5.

    >>> generated(spark, 1000, 20).columns  # doctest: +SKIP
    ['id', 'label', 'features']
    """
    gen = java_class("dev.leakyspark.data.Generated")
    if partitions is None:
        jdf = gen.rows(spark._jsparkSession, rows, dims)
    else:
        jdf = gen.rows(spark._jsparkSession, rows, dims, partitions)
    return DataFrame(jdf, spark)


def friedman1(spark: SparkSession, rows: int, seed: int = 0) -> DataFrame:
    """Friedman's first regression benchmark, computed on the executors: rows ``(id, label,
    features)`` with 10 features uniform on [0, 1) and
    ``label = 10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + N(0, 1)``, seeded by ``seed``.

    >>> friedman1(spark, 1000, seed=42).columns  # doctest: +SKIP
    ['id', 'label', 'features']
    """
    gen = java_class("dev.leakyspark.data.Generated")
    return DataFrame(gen.friedman1(spark._jsparkSession, rows, seed), spark)
