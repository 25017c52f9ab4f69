"""Pipelines cross the language boundary both ways: saved from Python and loaded by the JVM, and
saved by the JVM (the Spark 3.5 model the Java suite ships) and loaded in Python."""
import subprocess
import sys

from pyspark.ml import Pipeline, PipelineModel

from leaky_spark.data import generated
from leaky_spark.ml.classification import LeakyMLPClassificationModel, LeakyMLPClassifier
from leaky_spark.ml.feature import LeakyReLU

from conftest import ROOT

SAVED = ROOT / "src" / "test" / "resources" / "pipeline-spark-3.5"


def probabilities(df):
    return [(r.id, r.prediction, r.probability.toArray().tolist())
            for r in df.orderBy("id").select("id", "prediction", "probability").collect()]


def test_a_pipeline_saved_from_python_loads_in_the_jvm(spark, jvm, tmp_path):
    data = generated(spark, 200, 12, 2)
    model = Pipeline(stages=[
        LeakyReLU(inputCol="features", outputCol="relu", alpha=0.2),
        LeakyMLPClassifier(featuresCol="relu", layers=[12, 8, 10], maxIter=5, seed=7),
    ]).fit(data)
    model.save(str(tmp_path / "pipeline"))

    java = jvm.org.apache.spark.ml.PipelineModel.load(str(tmp_path / "pipeline"))
    stages = java.stages()
    assert stages[0].getClass().getName() == "dev.leakyspark.ml.feature.LeakyReLU"
    assert stages[0].getAlpha() == 0.2
    assert stages[1].getClass().getName() == "dev.leakyspark.ml.classification.LeakyMLPClassificationModel"
    assert list(stages[1].weights().toArray()) == model.stages[1].weights.toArray().tolist()
    from pyspark.sql import DataFrame
    assert probabilities(DataFrame(java.transform(data._jdf), spark)) == probabilities(model.transform(data))


def test_a_pipeline_saved_by_the_jvm_on_spark_35_loads_in_python(spark):
    model = PipelineModel.load(str(SAVED / "model"))
    relu, mlp = model.stages
    assert isinstance(relu, LeakyReLU) and relu.getAlpha() == 0.2 and relu.getOutputCol() == "relu"
    assert isinstance(mlp, LeakyMLPClassificationModel) and mlp.getLayers() == [12, 8, 10]
    assert mlp.getFeaturesCol() == "relu"
    expected = [line.split(",") for line in (SAVED / "predictions.csv").read_text().split()]
    got = probabilities(model.transform(generated(spark, 40, 12, 2)))
    assert len(got) == len(expected) == 40
    for (row_id, prediction, probs), want in zip(got, expected):
        assert (row_id, prediction) == (int(want[0]), float(want[1]))
        assert all(abs(p - float(w)) <= 1e-12 for p, w in zip(probs, want[2:]))


def test_an_unfitted_pipeline_round_trips_in_python(tmp_path):
    pipeline = Pipeline(stages=[LeakyReLU(alpha=0.3), LeakyMLPClassifier(layers=[4, 3], solver="adam")])
    pipeline.save(str(tmp_path / "unfitted"))
    relu, mlp = Pipeline.load(str(tmp_path / "unfitted")).getStages()
    assert isinstance(relu, LeakyReLU) and relu.getAlpha() == 0.3
    assert isinstance(mlp, LeakyMLPClassifier) and (mlp.getLayers(), mlp.getSolver()) == ([4, 3], "adam")


def test_importing_the_package_is_enough_for_pyspark_to_find_the_wrappers():
    probe = ("import sys, leaky_spark\n"
             "print(sys.modules['dev.leakyspark.ml.feature'].LeakyReLU.__module__,\n"
             "      sys.modules['dev.leakyspark.ml.classification'].LeakyMLPClassificationModel.__module__)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["leaky_spark.ml.feature", "leaky_spark.ml.classification"]
