"""One local SparkSession for the whole run, built as the README tells users to build theirs."""
import os
import sys
from pathlib import Path

import pyspark
import pytest
from pyspark.sql import SparkSession

import leaky_spark

#: The project root: the shipped test resources and the notebooks live there.
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Python workers (pyspark's OneVsRest scores with a Python UDF) run this interpreter, whose venv
    # has numpy, also when the venv is not activated
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("leaky-spark python tests")
               .config("spark.jars", leaky_spark.jar_path())
               .config("spark.sql.extensions", leaky_spark.EXTENSIONS)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def jvm(spark):
    return spark.sparkContext._jvm


# Spark Connect's Python client starts a local server from pyspark's own jars on 4.x only
collect_ignore = ["test_connect.py"] if pyspark.__version__.startswith("3.") else []


def pyspark_check_params(spark, stage):
    """pyspark's own param-consistency check, as its ML tests run it."""
    import unittest

    from pyspark.testing.mlutils import check_params

    checker = unittest.TestCase()
    checker.sc = spark.sparkContext
    check_params(checker, stage, check_params_exist=True)
