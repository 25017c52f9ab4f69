"""leaky_relu from Python against the JVM kernel, on every column type the JVM function takes."""
import math
import struct

import numpy as np
import pytest
from pyspark.ml.linalg import DenseVector, SparseVector, Vectors
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, FloatType, StructField, StructType

from leaky_spark.functions import leaky_relu

try:
    from pyspark.errors import AnalysisException, IllegalArgumentException
except ImportError:  # pragma: no cover
    from pyspark.sql.utils import AnalysisException, IllegalArgumentException

INF = float("inf")
NAN = float("nan")
XS = [-3.5, -1.0, -1e-300, -0.0, 0.0, 1e-300, 2.5, INF, -INF, NAN, 1e308, -1e308]
ALPHAS = [0.01, 0.0, -0.5, 2.0]


def bits(x):
    """A double's bits, so that -0.0 differs from 0.0 and every NaN is one value."""
    return "NaN" if x is not None and math.isnan(x) else struct.pack(">d", x) if x is not None else None


def kernel(jvm, x, alpha):
    return jvm.dev.leakyspark.LeakyRelu.apply(float(x), float(alpha))


@pytest.mark.parametrize("alpha", ALPHAS)
def test_doubles_equal_the_jvm_kernel_bit_for_bit(spark, jvm, alpha):
    df = spark.createDataFrame([(i, x) for i, x in enumerate(XS)], "i int, x double")
    rows = df.select("i", leaky_relu("x", alpha).alias("y")).orderBy("i").collect()
    assert [bits(r.y) for r in rows] == [bits(kernel(jvm, x, alpha)) for x in XS]


def test_semantics_follow_pytorch(spark):
    df = spark.createDataFrame([(-2.0,), (-0.0,), (NAN,), (None,), (INF,)], "x double")
    got = [r.y for r in df.select(leaky_relu(df.x, 3.0).alias("y")).collect()]
    assert got[0] == -6.0  # alpha > 1 is exact, unlike max(x, alpha * x)
    assert math.copysign(1.0, got[1]) == -1.0 and got[1] == 0.0
    assert math.isnan(got[2])
    assert got[3] is None
    assert got[4] == INF


def test_a_column_name_and_a_column_give_the_same_column(spark):
    df = spark.createDataFrame([(-4.0,), (4.0,)], "x double")
    assert (df.select(leaky_relu("x", 0.5)).collect() == df.select(leaky_relu(F.col("x"), 0.5)).collect()
            == df.select(leaky_relu(df["x"], 0.5)).collect())
    assert df.select(leaky_relu("x")).columns == ["leaky_relu(x, 0.01)"]


def test_default_alpha_is_001(spark):
    df = spark.createDataFrame([(-4.0,)], "x double")
    assert df.select(leaky_relu("x").alias("y")).first().y == pytest.approx(-0.04, abs=0)


def test_floats_stay_floats(spark):
    xs = [-3.5, -0.0, 1.25, None]
    df = spark.createDataFrame([(x,) for x in xs], StructType([StructField("x", FloatType())]))
    out = df.select(leaky_relu("x", 0.1).alias("y"))
    assert out.schema["y"].dataType == FloatType()
    want = [None if x is None else float(np.float32(x) if x >= 0 else np.float32(0.1) * np.float32(x))
            for x in xs]
    assert [r.y for r in out.collect()] == want


def test_integers_and_decimals_become_doubles(spark):
    df = spark.sql("SELECT CAST(-3 AS INT) AS i, CAST(-3 AS BIGINT) AS l, CAST(-2.5 AS DECIMAL(10, 2)) AS d")
    out = df.select(leaky_relu("i", 0.5).alias("i"), leaky_relu("l", 0.5).alias("l"),
                    leaky_relu("d", 0.5).alias("d"))
    assert [f.dataType for f in out.schema.fields] == [DoubleType()] * 3
    assert tuple(out.first()) == (-1.5, -1.5, -1.25)


def test_arrays_keep_nulls_and_element_type(spark, jvm):
    df = spark.createDataFrame([([-2.0, None, 3.0],), (None,)], "a array<double>")
    out = df.select(leaky_relu("a", -0.5).alias("y"), leaky_relu(F.col("a").cast("array<float>"), 2.0).alias("f"))
    assert out.schema["f"].dataType.elementType == FloatType()
    rows = out.collect()
    assert rows[0].y == [kernel(jvm, -2.0, -0.5), None, 3.0]
    assert rows[0].f == [-4.0, None, 3.0]
    assert rows[1].y is None and rows[1].f is None


def test_vectors_dense_and_sparse_sparse_stays_sparse(spark, jvm):
    df = spark.createDataFrame([(Vectors.dense([-1.0, 0.0, 2.0]),), (Vectors.sparse(5, [1, 3], [-4.0, 8.0]),),
                                (None,)], ["v"])
    rows = df.select(leaky_relu("v", 0.25).alias("y")).collect()
    assert isinstance(rows[0].y, DenseVector)
    assert rows[0].y.toArray().tolist() == [kernel(jvm, -1.0, 0.25), 0.0, 2.0]
    assert isinstance(rows[1].y, SparseVector)
    assert rows[1].y.indices.tolist() == [1, 3] and rows[1].y.values.tolist() == [-1.0, 8.0]
    assert rows[2].y is None


def test_the_sql_function_from_the_extension_equals_the_column_function(spark):
    spark.createDataFrame([(x,) for x in XS], "x double").createOrReplaceTempView("xs")
    sql = spark.sql("SELECT leaky_relu(x, 2.0) AS y FROM xs").collect()
    api = spark.table("xs").select(leaky_relu("x", 2.0).alias("y")).collect()
    assert [bits(r.y) for r in sql] == [bits(r.y) for r in api]


def test_a_bad_alpha_fails_with_the_jvm_message(spark):
    with pytest.raises(IllegalArgumentException, match="leaky_relu: alpha must be finite but got NaN"):
        leaky_relu("x", NAN)
    with pytest.raises(AnalysisException, match="leaky_relu: alpha must be finite but got Infinity"):
        spark.sql("SELECT leaky_relu(1.0, double('Infinity'))").collect()


def test_python_types_are_checked_before_the_jvm(spark):
    with pytest.raises(TypeError, match="alpha must be a number but got str"):
        leaky_relu("x", "0.1")
    with pytest.raises(TypeError, match="alpha must be a number but got bool"):
        leaky_relu("x", True)
    with pytest.raises(TypeError, match="col must be a Column or a column name but got int"):
        leaky_relu(3)


def test_a_column_of_another_type_fails_with_the_jvm_message(spark):
    df = spark.createDataFrame([("a",)], "s string")
    with pytest.raises(AnalysisException, match="leaky_relu: input must be numeric, array<float>, "
                                                "array<double> or vector, but got '?s'? of type string"):
        df.select(leaky_relu("s")).collect()
