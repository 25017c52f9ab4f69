"""The LeakyReLU transformer wrapper: params, values, errors and persistence."""
import pytest
from py4j.protocol import Py4JJavaError
from pyspark.ml.linalg import Vectors

from leaky_spark.ml.feature import LeakyReLU

try:
    from pyspark.errors import IllegalArgumentException
except ImportError:  # pragma: no cover
    from pyspark.sql.utils import IllegalArgumentException


@pytest.fixture(scope="module")
def df(spark):
    return spark.createDataFrame(
        [(1, -2.0, -8.0, Vectors.dense([-1.0, 4.0])), (2, 3.0, None, Vectors.sparse(2, [0], [-10.0]))],
        ["id", "a", "b", "features"])


def test_defaults_are_the_jvm_stage_defaults(spark, jvm):
    relu = LeakyReLU()
    java = jvm.dev.leakyspark.ml.feature.LeakyReLU("some_uid")
    assert relu.getAlpha() == java.getAlpha() == 0.01
    assert relu.getInputCol() == java.getInputCol() == "features"
    assert relu.getOutputCol() == relu.uid + "__output"
    assert relu.getInputCols() == [] and relu.getOutputCols() == []
    assert {p.name for p in relu.params} == {p.name() for p in java.params()}


def test_pyspark_param_check_passes_and_the_columns_are_pyspark_shared_params(spark, tmp_path):
    from pyspark.ml.param.shared import HasInputCol, HasInputCols, HasOutputCol, HasOutputCols
    from conftest import pyspark_check_params

    relu = LeakyReLU(inputCols=["a", "b"], outputCols=["c", "d"], alpha=0.3)
    assert all(isinstance(relu, mixin) for mixin in (HasInputCol, HasInputCols, HasOutputCol, HasOutputCols))
    relu.save(str(tmp_path / "relu"))
    for stage in (LeakyReLU(), relu, LeakyReLU.load(str(tmp_path / "relu"))):
        pyspark_check_params(spark, stage)


def test_keyword_constructor_setters_and_setParams_reach_the_jvm(df):
    relu = LeakyReLU(inputCol="features", outputCol="out", alpha=0.5)
    assert (relu.getInputCol(), relu.getOutputCol(), relu.getAlpha()) == ("features", "out", 0.5)
    assert relu.transform(df).orderBy("id").first().out.toArray().tolist() == [-0.5, 4.0]
    relu.setAlpha(2.0).setOutputCol("twice")
    assert relu.transform(df).orderBy("id").first().twice.toArray().tolist() == [-2.0, 4.0]
    relu.setParams(alpha=0.25)
    assert relu.getOutputCol() == "twice"
    sparse = relu.transform(df).orderBy("id").collect()[1].twice
    assert sparse.indices.tolist() == [0] and sparse.values.tolist() == [-2.5]


def test_several_columns_at_once(df):
    relu = LeakyReLU(inputCols=["a", "b"], outputCols=["ra", "rb"], alpha=0.5)
    rows = relu.transform(df).orderBy("id").select("ra", "rb").collect()
    assert [tuple(r) for r in rows] == [(-1.0, -4.0), (3.0, None)]
    relu2 = LeakyReLU().setInputCols(["a"]).setOutputCols(["ra"]).setAlpha(-1.0)
    assert [r.ra for r in relu2.transform(df).orderBy("id").collect()] == [2.0, 3.0]


def test_copy_with_extra_params_copies_the_jvm_stage_too(df):
    relu = LeakyReLU(inputCol="a", outputCol="r", alpha=0.5)
    other = relu.copy({relu.alpha: 0.25})
    assert other.getAlpha() == 0.25 and relu.getAlpha() == 0.5
    assert [r.r for r in other.transform(df).orderBy("id").collect()] == [-0.5, 3.0]
    assert [r.r for r in relu.transform(df).orderBy("id").collect()] == [-1.0, 3.0]


@pytest.mark.parametrize("kwargs, message", [
    ({"alpha": float("nan")}, "parameter alpha given invalid value NaN"),
    ({"alpha": float("inf")}, "parameter alpha given invalid value Infinity"),
    ({"inputCol": ""}, "parameter inputCol given invalid value"),
    ({"inputCols": ["a", "a"]}, "parameter inputCols given invalid value"),
])
def test_bad_params_fail_when_set_with_the_jvm_message(kwargs, message):
    with pytest.raises(IllegalArgumentException, match=message):
        LeakyReLU(**kwargs)
    with pytest.raises(IllegalArgumentException, match=message):
        LeakyReLU().setParams(**kwargs)


def test_a_python_type_error_names_the_param():
    with pytest.raises(TypeError, match='Invalid param value given for param "alpha". Could not convert big to float'):
        LeakyReLU(alpha="big")


def test_a_bad_column_fails_with_the_jvm_message(spark, df):
    with pytest.raises(IllegalArgumentException, match="Input column nope does not exist. Available: id, a, b"):
        LeakyReLU(inputCol="nope", outputCol="o").transform(df)
    strings = spark.createDataFrame([("x",)], "s string")
    with pytest.raises(IllegalArgumentException, match="Input column s must be of type .* but got string"):
        LeakyReLU(inputCol="s", outputCol="o").transform(strings)


def test_save_and_load_keep_the_params(tmp_path, df):
    relu = LeakyReLU(inputCol="a", outputCol="r", alpha=-0.5)
    relu.save(str(tmp_path / "relu"))
    loaded = LeakyReLU.load(str(tmp_path / "relu"))
    assert isinstance(loaded, LeakyReLU)
    assert (loaded.uid, loaded.getInputCol(), loaded.getOutputCol(), loaded.getAlpha()) == (
        relu.uid, "a", "r", -0.5)
    assert loaded.transform(df).collect() == relu.transform(df).collect()


def test_loading_a_missing_path_fails_with_a_message_naming_it(tmp_path):
    with pytest.raises(Py4JJavaError, match="Cannot load a saved stage from .*nothing-here"):
        LeakyReLU.load(str(tmp_path / "nothing-here"))
