"""The LeakyMLPClassifier wrappers: every param reaches the JVM estimator, and a fit from Python
equals the same fit from the JVM."""
import numpy as np
import pytest
from pyspark.ml.classification import (MultilayerPerceptronClassificationSummary,
                                       MultilayerPerceptronClassificationTrainingSummary,
                                       ProbabilisticClassificationModel, ProbabilisticClassifier)
from pyspark.ml.evaluation import MulticlassClassificationEvaluator
from pyspark.ml.linalg import DenseVector, Vectors
from pyspark.ml.param.shared import HasMaxIter, HasSeed, HasSolver, HasThresholds
from pyspark.ml.util import HasTrainingSummary

from conftest import pyspark_check_params
from leaky_spark.data import generated
from leaky_spark.ml.classification import (LeakyMLPClassificationModel, LeakyMLPClassifier,
                                           LeakyMLPTrainingSummary)

try:
    from pyspark.errors import IllegalArgumentException
except ImportError:  # pragma: no cover
    from pyspark.sql.utils import IllegalArgumentException

#: A value other than the default for every param of the estimator.
NON_DEFAULTS = {
    "layers": [6, 5, 10], "alpha": -0.25, "solver": "adam", "maxIter": 3, "tol": 1e-3,
    "stepSize": 0.01, "stepSizeSchedule": "constant", "blockSize": 16, "seed": 2 ** 40 + 3,
    "regParam": 1e-3, "initialWeights": Vectors.dense(np.linspace(-0.5, 0.5, 6 * 5 + 5 + 5 * 10 + 10)),
    "checkpointDir": "/tmp/leaky-spark-never-written", "checkpointInterval": 7, "numPartitions": 3,
    "localSteps": 4, "blockMomentum": 0.5, "weightCol": "w", "validationIndicatorCol": "v", "numEarlyStoppingRounds": 3,
    "validationTol": 0.01, "dropout": 0.3, "featuresCol": "f", "labelCol": "y",
    "predictionCol": "p", "rawPredictionCol": "raw", "probabilityCol": "prob", "thresholds": [0.7, 0.3],
}


@pytest.fixture(scope="module")
def data(spark):
    return generated(spark, 300, 6, 2)


def int_array(spark, values):
    array = spark.sparkContext._gateway.new_array(spark.sparkContext._jvm.int, len(values))
    for i, v in enumerate(values):
        array[i] = v
    return array


def java_value(jvm_stage, name):
    value = jvm_stage.getOrDefault(jvm_stage.getParam(name))
    if name in ("layers", "thresholds"):
        return list(value)
    if name == "initialWeights":
        return list(value.toArray())
    return value


def test_every_param_has_the_jvm_default_and_reaches_the_jvm(spark, jvm):
    java = jvm.dev.leakyspark.ml.classification.LeakyMLPClassifier("uid")
    python = LeakyMLPClassifier()
    assert {p.name for p in python.params} == {p.name() for p in java.params()}
    for p in python.params:
        java_param = java.getParam(p.name)
        assert python.hasDefault(p) == java.hasDefault(java_param), p.name
        if python.hasDefault(p):
            assert python.getOrDefault(p) == java_value(java, p.name), p.name
    assert set(NON_DEFAULTS) == {p.name for p in python.params}

    for stage in (LeakyMLPClassifier(**NON_DEFAULTS), LeakyMLPClassifier().setParams(**NON_DEFAULTS)):
        stage._transfer_params_to_java()
        for name, value in NON_DEFAULTS.items():
            expected = list(value.toArray()) if name == "initialWeights" else value
            assert java_value(stage._java_obj, name) == expected, name
            assert java_value(stage._java_obj, name) != (java_value(java, name) if java.hasDefault(
                java.getParam(name)) else None), name


def test_the_stages_are_pyspark_probabilistic_classifiers_and_pass_its_param_check(spark, data, tmp_path):
    mlp = LeakyMLPClassifier(layers=[6, 4, 10], maxIter=2)
    assert isinstance(mlp, ProbabilisticClassifier)
    assert all(isinstance(mlp, mixin) for mixin in (HasMaxIter, HasSeed, HasSolver, HasThresholds))
    model = mlp.fit(data)
    assert isinstance(model, ProbabilisticClassificationModel) and isinstance(model, HasTrainingSummary)
    model.write().overwrite().save(str(tmp_path / "model"))
    for stage in (LeakyMLPClassifier(), LeakyMLPClassifier(**NON_DEFAULTS), model,
                  LeakyMLPClassificationModel.load(str(tmp_path / "model"))):
        pyspark_check_params(spark, stage)


def test_setters_and_getters_cover_every_param():
    stage = LeakyMLPClassifier()
    for name, value in NON_DEFAULTS.items():
        setter = getattr(stage, "set" + name[0].upper() + name[1:])
        assert setter(value) is stage
        got = getattr(stage, "get" + name[0].upper() + name[1:])()
        assert (got.toArray().tolist() == value.toArray().tolist() if name == "initialWeights"
                else got == value), name


@pytest.mark.parametrize("solver", ["l-bfgs", "adam"])
def test_a_fit_from_python_equals_the_same_fit_from_the_jvm(spark, jvm, data, solver):
    py_model = LeakyMLPClassifier(layers=[6, 8, 10], solver=solver, maxIter=4, seed=11, alpha=0.1,
                                  stepSize=0.01, numPartitions=2).fit(data)
    java = (jvm.dev.leakyspark.ml.classification.LeakyMLPClassifier()
            .setLayers(int_array(spark, [6, 8, 10])).setSolver(solver).setMaxIter(4).setSeed(11).setAlpha(0.1)
            .setStepSize(0.01).setNumPartitions(2))
    java_model = java.fit(data._jdf)
    assert py_model.weights.toArray().tolist() == list(java_model.weights().toArray())
    assert py_model.summary.objectiveHistory == list(java_model.summary().objectiveHistory())
    assert py_model.summary.totalIterations == java_model.summary().totalIterations() == 4
    assert py_model.summary.numPartitions == java_model.summary().numPartitions() == 2
    # l-bfgs: the objective at the start and after each iteration; adam: each epoch's
    assert len(py_model.summary.objectiveHistory) == (5 if solver == "l-bfgs" else 4)


def test_the_model_predicts_single_vectors_as_its_transform_does(data):
    model = LeakyMLPClassifier(layers=[6, 8, 10], maxIter=20, seed=3).fit(data)
    assert isinstance(model, LeakyMLPClassificationModel)
    assert isinstance(model.summary, LeakyMLPTrainingSummary) and model.hasSummary
    assert isinstance(model.summary, MultilayerPerceptronClassificationTrainingSummary)
    assert model.summary.numPartitions == 1, "numPartitions 0: one partition per 25000 rows, at least one"
    assert (model.getLayers(), model.getAlpha(), model.numFeatures, model.numClasses) == ([6, 8, 10], 0.01, 6, 10)
    assert isinstance(model.weights, DenseVector) and model.weights.size == 6 * 8 + 8 + 8 * 10 + 10
    # transform scores blocks of rows, predict* one row: native BLAS may round the two apart
    for row in model.transform(data).limit(5).collect():
        raw = model.predictRaw(row.features)
        prob = model.predictProbability(row.features)
        assert np.allclose(raw.toArray(), row.rawPrediction.toArray(), rtol=1e-12, atol=1e-12)
        assert np.allclose(prob.toArray(), row.probability.toArray(), rtol=0, atol=1e-12)
        assert model.predict(row.features) == row.prediction == float(np.argmax(prob.toArray()))
    history = model.summary.objectiveHistory
    assert history[-1] < history[0]


def test_the_summary_and_evaluate_give_the_evaluators_metrics(spark, data):
    # barely trained, so that the metrics are neither 0 nor 1
    model = LeakyMLPClassifier(layers=[6, 4, 10], maxIter=2, seed=3).fit(data)
    test = generated(spark, 500, 6).filter("id >= 300")  # rows the fit did not see
    evaluator = MulticlassClassificationEvaluator()
    accuracy = evaluator.evaluate(model.transform(data), {evaluator.metricName: "accuracy"})
    assert 0.1 < accuracy < 0.9, accuracy
    summary = model.summary
    assert summary.accuracy == pytest.approx(accuracy, abs=1e-12)
    assert summary.weightedPrecision == pytest.approx(
        evaluator.evaluate(model.transform(data), {evaluator.metricName: "weightedPrecision"}), abs=1e-12)
    assert summary.labels == [float(k) for k in range(10)]
    assert len(summary.recallByLabel) == 10
    evaluated = model.evaluate(test)
    assert isinstance(evaluated, MultilayerPerceptronClassificationSummary)
    assert evaluated.accuracy == pytest.approx(
        evaluator.evaluate(model.transform(test), {evaluator.metricName: "accuracy"}), abs=1e-12)
    assert evaluated.weightedFMeasure() == pytest.approx(
        evaluator.evaluate(model.transform(test), {evaluator.metricName: "f1"}), abs=1e-12)
    with pytest.raises(TypeError, match="dataset must be a DataFrame"):
        model.evaluate("test")
    with pytest.raises(IllegalArgumentException, match="Input column label does not exist"):
        model.evaluate(test.drop("label"))


def test_the_model_keeps_the_estimator_column_params(data):
    model = LeakyMLPClassifier(layers=[6, 4, 10], maxIter=2, predictionCol="p",
                               probabilityCol="prob").fit(data)
    assert model.getPredictionCol() == "p" and model.getProbabilityCol() == "prob"
    assert {"p", "prob", "rawPrediction"} <= set(model.transform(data).columns)
    model.setPredictionCol("q")
    assert "q" in model.transform(data).columns


@pytest.mark.parametrize("kwargs, message", [
    ({"layers": [3]}, "parameter layers given invalid value"),
    ({"layers": [3, 0, 2]}, "parameter layers given invalid value"),
    ({"solver": "sgd"}, "parameter solver given invalid value sgd"),
    ({"alpha": float("nan")}, "parameter alpha given invalid value NaN"),
    ({"maxIter": -1}, "parameter maxIter given invalid value -1"),
    ({"blockMomentum": 1.0}, "parameter blockMomentum given invalid value 1.0"),
    ({"initialWeights": Vectors.dense([0.0, float("inf")])}, "parameter initialWeights given invalid value"),
])
def test_bad_params_fail_when_set_with_the_jvm_message(kwargs, message):
    with pytest.raises(IllegalArgumentException, match=message):
        LeakyMLPClassifier(**kwargs)


def test_bad_input_fails_with_the_jvm_message(spark, data):
    with pytest.raises(IllegalArgumentException, match="layers is not set"):
        LeakyMLPClassifier().fit(data)
    with pytest.raises(IllegalArgumentException, match="Input column nope does not exist"):
        LeakyMLPClassifier(layers=[6, 10], labelCol="nope").fit(data)
    with pytest.raises(IllegalArgumentException, match="initialWeights has 2 entries but layers \\[6, 10\\] need 70"):
        LeakyMLPClassifier(layers=[6, 10], initialWeights=Vectors.dense([0.0, 0.0])).fit(data)
    model = LeakyMLPClassifier(layers=[6, 10], maxIter=1).fit(data)
    with pytest.raises(IllegalArgumentException, match="has a vector of size 2 but the model takes 6 features"):
        model.predictRaw(Vectors.dense([1.0, 2.0]))


def test_save_and_load_the_estimator_and_the_model(tmp_path, data):
    mlp = LeakyMLPClassifier(layers=[6, 4, 10], maxIter=3, seed=5, alpha=0.2, solver="adam")
    mlp.save(str(tmp_path / "mlp"))
    loaded = LeakyMLPClassifier.load(str(tmp_path / "mlp"))
    assert isinstance(loaded, LeakyMLPClassifier) and loaded.uid == mlp.uid
    assert (loaded.getLayers(), loaded.getSeed(), loaded.getAlpha(), loaded.getSolver()) == ([6, 4, 10], 5, 0.2, "adam")
    model = mlp.fit(data)
    model.write().overwrite().save(str(tmp_path / "model"))
    back = LeakyMLPClassificationModel.load(str(tmp_path / "model"))
    assert isinstance(back, LeakyMLPClassificationModel)
    assert back.weights == model.weights and back.getLayers() == [6, 4, 10] and back.getAlpha() == 0.2
    assert not back.hasSummary
    with pytest.raises(RuntimeError, match="summaries exist only on models fitted in this session"):
        back.summary
    assert back.transform(data).select("probability").collect() == model.transform(data).select("probability").collect()
