"""The LeakyMLPRegressor wrappers: pyspark's regressor bases and param check, every param reaching
the JVM, a fit equal to the JVM's, the summary, evaluation and tuning with RegressionEvaluator."""
import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.evaluation import RegressionEvaluator
from pyspark.ml.feature import StandardScaler
from pyspark.ml.linalg import Vectors
from pyspark.ml.param.shared import HasMaxIter, HasSeed, HasSolver
from pyspark.ml.regression import LinearRegression, RegressionModel, Regressor
from pyspark.ml.tuning import CrossValidator, CrossValidatorModel, ParamGridBuilder
from pyspark.ml.util import HasTrainingSummary
from pyspark.sql import functions as F

from conftest import pyspark_check_params
from leaky_spark.data import friedman1
from leaky_spark.ml.regression import (LeakyMLPRegressionModel, LeakyMLPRegressionSummary,
                                       LeakyMLPRegressionTrainingSummary, LeakyMLPRegressor)

try:
    from pyspark.errors import IllegalArgumentException
except ImportError:  # pragma: no cover
    from pyspark.sql.utils import IllegalArgumentException

#: A value other than the default for every param of the estimator.
NON_DEFAULTS = {
    "layers": [10, 5, 1], "alpha": -0.25, "solver": "adam", "maxIter": 3, "tol": 1e-3,
    "stepSize": 0.01, "stepSizeSchedule": "constant", "blockSize": 16, "seed": 2 ** 40 + 3,
    "regParam": 1e-3, "initialWeights": Vectors.dense([0.01 * k for k in range(10 * 5 + 5 + 5 + 1)]),
    "checkpointDir": "/tmp/leaky-spark-never-written", "checkpointInterval": 7, "numPartitions": 3,
    "localSteps": 4, "blockMomentum": 0.5, "weightCol": "w", "validationIndicatorCol": "v", "numEarlyStoppingRounds": 3,
    "validationTol": 0.01, "dropout": 0.3, "standardizeLabel": False,
    "featuresCol": "f", "labelCol": "y", "predictionCol": "p",
}


@pytest.fixture(scope="module")
def data(spark):
    return friedman1(spark, 1000, seed=1).cache()


def java_value(jvm_stage, name):
    value = jvm_stage.getOrDefault(jvm_stage.getParam(name))
    if name == "layers":
        return list(value)
    if name == "initialWeights":
        return list(value.toArray())
    return value


def test_every_param_has_the_jvm_default_and_reaches_the_jvm(jvm):
    java = jvm.dev.leakyspark.ml.regression.LeakyMLPRegressor("uid")
    python = LeakyMLPRegressor()
    assert {p.name for p in python.params} == {p.name() for p in java.params()}
    for p in python.params:
        java_param = java.getParam(p.name)
        assert python.hasDefault(p) == java.hasDefault(java_param), p.name
        if python.hasDefault(p):
            assert python.getOrDefault(p) == java_value(java, p.name), p.name
    assert set(NON_DEFAULTS) == {p.name for p in python.params}
    stage = LeakyMLPRegressor(**NON_DEFAULTS)
    stage._transfer_params_to_java()
    for name, value in NON_DEFAULTS.items():
        expected = list(value.toArray()) if name == "initialWeights" else value
        assert java_value(stage._java_obj, name) == expected, name


def test_the_stages_are_pyspark_regressors_and_pass_its_param_check(spark, data, tmp_path):
    mlp = LeakyMLPRegressor(layers=[10, 4, 1], maxIter=2)
    assert isinstance(mlp, Regressor)
    assert all(isinstance(mlp, mixin) for mixin in (HasMaxIter, HasSeed, HasSolver))
    model = mlp.fit(data)
    assert isinstance(model, RegressionModel) and isinstance(model, HasTrainingSummary)
    model.write().overwrite().save(str(tmp_path / "model"))
    for stage in (LeakyMLPRegressor(), LeakyMLPRegressor(**NON_DEFAULTS), model,
                  LeakyMLPRegressionModel.load(str(tmp_path / "model"))):
        pyspark_check_params(spark, stage)
    for name, value in NON_DEFAULTS.items():
        setter = getattr(LeakyMLPRegressor(), "set" + name[0].upper() + name[1:])
        assert isinstance(setter(value), LeakyMLPRegressor), name


def test_a_fit_from_python_equals_the_jvm_fit_and_beats_a_linear_model(spark, jvm, data):
    train, test = data.randomSplit([0.8, 0.2], seed=3)
    model = LeakyMLPRegressor(layers=[10, 32, 1], maxIter=80, seed=1, numPartitions=2).fit(train)
    layers = spark.sparkContext._gateway.new_array(spark.sparkContext._jvm.int, 3)
    for i, v in enumerate([10, 32, 1]):
        layers[i] = v
    java_model = (jvm.dev.leakyspark.ml.regression.LeakyMLPRegressor().setLayers(layers).setMaxIter(80)
                  .setSeed(1).setNumPartitions(2).fit(train._jdf))
    assert model.weights.toArray().tolist() == list(java_model.weights().toArray())
    summary = model.summary
    assert isinstance(summary, LeakyMLPRegressionTrainingSummary)
    assert summary.objectiveHistory == list(java_model.summary().objectiveHistory())
    assert (summary.totalIterations, summary.numPartitions, summary.numInstances) == (80, 2, train.count())
    rmse = RegressionEvaluator()
    assert summary.rootMeanSquaredError == pytest.approx(rmse.evaluate(model.transform(train)), rel=1e-9)
    assert summary.r2 == pytest.approx(rmse.evaluate(model.transform(train), {rmse.metricName: "r2"}), rel=1e-9)
    evaluated = model.evaluate(test)
    assert isinstance(evaluated, LeakyMLPRegressionSummary)
    assert evaluated.rootMeanSquaredError == pytest.approx(rmse.evaluate(model.transform(test)), rel=1e-9)
    linear = rmse.evaluate(LinearRegression().fit(train).transform(test))
    assert evaluated.rootMeanSquaredError < 0.65 * linear, (evaluated.rootMeanSquaredError, linear)
    row = model.transform(test).first()
    assert model.predict(row.features) == pytest.approx(row.prediction, rel=1e-12)  # one row, or a block
    assert (model.numFeatures, model.getLayers(), model.getStandardizeLabel()) == (10, [10, 32, 1], True)


def test_bad_params_and_input_fail_with_the_jvm_message(data):
    with pytest.raises(IllegalArgumentException, match="parameter layers given invalid value"):
        LeakyMLPRegressor(layers=[3])
    with pytest.raises(IllegalArgumentException, match="must end in 1, the one output"):
        LeakyMLPRegressor(layers=[10, 4, 2]).fit(data)
    with pytest.raises(IllegalArgumentException, match="column label holds NaN but labels must be finite"):
        LeakyMLPRegressor(layers=[10, 1]).fit(data.withColumn("label", F.lit(float("nan"))))
    with pytest.raises(TypeError, match="dataset must be a DataFrame"):
        LeakyMLPRegressor(layers=[10, 1], maxIter=1).fit(data).evaluate("test")


def test_cross_validation_in_a_pipeline_saves_loads_and_predicts_identically(data, tmp_path):
    mlp = LeakyMLPRegressor(layers=[10, 16, 1], maxIter=20, seed=2, featuresCol="scaled")
    pipeline = Pipeline(stages=[StandardScaler(inputCol="features", outputCol="scaled"), mlp])
    grid = ParamGridBuilder().addGrid(mlp.regParam, [0.0, 1.0]).build()
    cv = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, evaluator=RegressionEvaluator(),
                        numFolds=2, parallelism=2, seed=3)
    fitted = cv.fit(data)
    assert fitted.avgMetrics[0] < fitted.avgMetrics[1], fitted.avgMetrics
    best = fitted.bestModel.stages[-1]
    assert isinstance(best, LeakyMLPRegressionModel) and best.getRegParam() == 0.0
    fitted.write().save(str(tmp_path / "cv"))
    loaded = CrossValidatorModel.load(str(tmp_path / "cv"))
    assert isinstance(loaded.bestModel.stages[-1], LeakyMLPRegressionModel)
    expected = fitted.transform(data).select("prediction").collect()
    assert loaded.transform(data).select("prediction").collect() == expected
    fitted.bestModel.write().save(str(tmp_path / "pipeline"))
    assert PipelineModel.load(str(tmp_path / "pipeline")).transform(data).select("prediction").collect() == expected
    back = PipelineModel.load(str(tmp_path / "pipeline")).stages[-1]
    assert not back.hasSummary
    with pytest.raises(RuntimeError, match="summaries exist only on models fitted in this session"):
        back.summary
