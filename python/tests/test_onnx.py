"""ONNX export from Python, scored by onnxruntime from PyPI with no Spark, against transform on the
same rows: to 1e-5 of max(1, |value|) in float32 and 1e-9 in float64, with the same predictions."""
import os

import numpy as np
import onnxruntime
import pytest
from pyspark.ml import Pipeline
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.functions import vector_to_array

from leaky_spark.data import friedman1, generated
from leaky_spark.ml.classification import LeakyMLPClassifier
from leaky_spark.ml.feature import LeakyReLU
from leaky_spark.ml.onnx import FILE_NAME, pipeline_writer
from leaky_spark.ml.regression import LeakyMLPRegressor

TOLERANCE = {"float": 1e-5, "double": 1e-9}
NUMPY = {"float": np.float32, "double": np.float64}


def run(path, inputs, dtype):
    session = onnxruntime.InferenceSession(os.path.join(path, FILE_NAME), providers=["CPUExecutionProvider"])
    feed = {name: np.asarray(value, dtype=NUMPY[dtype]) for name, value in inputs.items()}
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feed)))


def assert_close(expected, actual, dtype):
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    assert expected.shape == actual.shape
    largest = np.max(np.abs(expected - actual) / np.maximum(1, np.abs(expected)))
    assert largest <= TOLERANCE[dtype], largest


def matrix(rows, column):
    return np.array([r[column].toArray() for r in rows])


@pytest.fixture(scope="module")
def digits(spark):
    return generated(spark, 600, 20).cache()


@pytest.mark.parametrize("dtype", ["float", "double"])
def test_a_classifier_exports_and_scores_in_onnxruntime_as_transform(spark, digits, tmp_path, dtype):
    model = LeakyMLPClassifier(layers=[20, 16, 10], maxIter=20, seed=3).fit(digits)
    path = str(tmp_path / "mlp")
    model.write().format("onnx").option("dtype", dtype).save(path)
    assert sorted(f for f in os.listdir(path) if not f.startswith(".")) == [FILE_NAME]
    rows = model.transform(digits).collect()
    out = run(path, {"features": matrix(rows, "features")}, dtype)
    assert_close(matrix(rows, "rawPrediction"), out["rawPrediction"], dtype)
    assert_close(matrix(rows, "probability"), out["probability"], dtype)
    assert out["prediction"].tolist() == [r.prediction for r in rows]
    # the plain save still writes MLlib's metadata and Parquet
    model.write().save(str(tmp_path / "internal"))
    assert sorted(os.listdir(tmp_path / "internal")) == ["data", "metadata"]


def test_a_regressor_and_leaky_relu_export(spark, tmp_path):
    data = friedman1(spark, 500, seed=2)
    model = LeakyMLPRegressor(layers=[10, 16, 1], maxIter=30, seed=1).fit(data)
    model.write().format("onnx").option("dtype", "double").save(str(tmp_path / "reg"))
    rows = model.transform(data).collect()
    out = run(str(tmp_path / "reg"), {"features": matrix(rows, "features")}, "double")
    assert_close([r.prediction for r in rows], out["prediction"], "double")

    relu = LeakyReLU(inputCol="x", outputCol="y", alpha=2.5)
    special = spark.createDataFrame([([-0.0, float("nan"), -2.0, 3.0],)], "x array<double>")
    relu.write().format("onnx").option("dtype", "double").save(str(tmp_path / "relu"))
    y = run(str(tmp_path / "relu"), {"x": [[-0.0, float("nan"), -2.0, 3.0]]}, "double")["y"][0]
    expected = relu.transform(special).first().y
    assert np.signbit(y[0]) and np.isnan(y[1]) and y[2:].tolist() == expected[2:] == [-5.0, 3.0]


@pytest.mark.parametrize("dtype", ["float", "double"])
def test_a_pipeline_exports_as_one_graph_from_its_raw_columns(spark, digits, tmp_path, dtype):
    raw = digits.select("label", vector_to_array("features").alias("f"))
    raw = raw.select("label", *[raw.f[i].alias(f"x{i}") for i in range(20)])
    columns = [f"x{i}" for i in range(20)]
    pipeline = Pipeline(stages=[
        VectorAssembler(inputCols=columns, outputCol="assembled"),
        StandardScaler(inputCol="assembled", outputCol="scaled", withMean=True),
        LeakyReLU(inputCol="scaled", outputCol="activated", alpha=0.1),
        LeakyMLPClassifier(featuresCol="activated", layers=[20, 12, 10], maxIter=20, seed=5)])
    model = pipeline.fit(raw)
    path = str(tmp_path / "pipeline")
    pipeline_writer(model, raw.schema).option("dtype", dtype).save(path)
    rows = model.transform(raw).collect()
    session = onnxruntime.InferenceSession(os.path.join(path, FILE_NAME), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == columns
    assert [o.name for o in session.get_outputs()] == ["rawPrediction", "probability", "prediction"]
    out = run(path, {c: [r[c] for r in rows] for c in columns}, dtype)
    assert_close(matrix(rows, "probability"), out["probability"], dtype)
    assert out["prediction"].tolist() == [r.prediction for r in rows]

    with pytest.raises(Exception, match="exists"):
        pipeline_writer(model, raw.schema).save(path)
    pipeline_writer(model, raw.schema).overwrite().save(path)
    with pytest.raises(Exception, match="stage 0 .* is a org.apache.spark.ml.feature.Bucketizer"):
        from pyspark.ml.feature import Bucketizer
        bucketed = Pipeline(stages=[Bucketizer(splits=[-1e9, 0, 1e9], inputCol="x0", outputCol="b")]).fit(raw)
        pipeline_writer(bucketed, raw.schema).save(str(tmp_path / "bad"))
    assert not (tmp_path / "bad").exists()
