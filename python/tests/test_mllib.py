"""LeakyMLPClassifier where pyspark's own classifiers go: OneVsRest, the evaluators, and tuning
inside a Pipeline, each saved and loaded."""
import pytest
from pyspark.ml import Pipeline, PipelineModel
from pyspark.ml.classification import OneVsRest, OneVsRestModel
from pyspark.ml.evaluation import BinaryClassificationEvaluator, MulticlassClassificationEvaluator
from pyspark.ml.feature import StandardScaler
from pyspark.ml.linalg import Vectors
from pyspark.ml.tuning import (CrossValidator, CrossValidatorModel, ParamGridBuilder,
                               TrainValidationSplit, TrainValidationSplitModel)

from leaky_spark.data import generated
from leaky_spark.ml.classification import LeakyMLPClassificationModel, LeakyMLPClassifier


@pytest.fixture(scope="module")
def three_classes(spark):
    # labels 0, 1, 2 of the generated rows (id mod 10), with their features
    return generated(spark, 3000, 6, 2).filter("label < 3").cache()


@pytest.fixture(scope="module")
def rings(spark):
    """Two classes that no line separates: inside or outside the circle of radius 1."""
    import random

    rng = random.Random(5)
    points = [(rng.uniform(-2, 2), rng.uniform(-2, 2)) for _ in range(400)]
    return spark.createDataFrame([(float(x * x + y * y > 1), Vectors.dense([x, y])) for x, y in points],
                                 ["label", "features"]).cache()


def predictions(df):
    return [r.prediction for r in df.select("prediction").collect()]


def test_one_vs_rest_fits_one_binary_mlp_per_class_and_comes_back_from_disk(three_classes, tmp_path):
    ovr = OneVsRest(classifier=LeakyMLPClassifier(layers=[6, 4, 2], maxIter=10, seed=7))
    model = ovr.fit(three_classes)
    assert len(model.models) == 3 and all(isinstance(m, LeakyMLPClassificationModel) for m in model.models)
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(model.transform(three_classes))
    assert accuracy > 0.8, accuracy
    model.write().save(str(tmp_path / "ovr"))
    loaded = OneVsRestModel.load(str(tmp_path / "ovr"))
    assert all(isinstance(m, LeakyMLPClassificationModel) for m in loaded.models)
    assert predictions(loaded.transform(three_classes)) == predictions(model.transform(three_classes))


def test_one_vs_rest_passes_its_weight_column_to_each_mlp(three_classes):
    weighted = three_classes.withColumn("w", (three_classes.id % 3).cast("double"))
    ovr = OneVsRest(classifier=LeakyMLPClassifier(layers=[6, 4, 2], maxIter=5, seed=7), weightCol="w")
    model = ovr.fit(weighted)
    assert [m.getWeightCol() for m in model.models] == ["w", "w", "w"]


def test_a_weighted_fit_reports_weighted_metrics(three_classes):
    weighted = three_classes.withColumn("w", (three_classes.id % 4).cast("double"))
    model = LeakyMLPClassifier(layers=[6, 4, 3], maxIter=5, seed=7).setWeightCol("w").fit(weighted)
    evaluator = MulticlassClassificationEvaluator(metricName="weightedFMeasure", weightCol="w")
    assert model.summary.weightedFMeasure() == pytest.approx(evaluator.evaluate(model.transform(weighted)),
                                                             abs=1e-12)
    assert model.getWeightCol() == "w"


def test_validation_rows_stop_the_fit_early_and_their_loss_is_the_models(three_classes):
    # validation rows with labels that the features do not tell: the better the fit, the worse on them
    from pyspark.sql import functions as F
    data = (three_classes.withColumn("v", three_classes.id % 4 == 0)
            .withColumn("label", F.when(F.col("v"), (F.col("id") * 7 % 3).cast("double"))
                        .otherwise(F.col("label"))))
    model = LeakyMLPClassifier(layers=[6, 16, 3], solver="adam", stepSize=0.05, maxIter=40, seed=3,
                               validationIndicatorCol="v", numEarlyStoppingRounds=2).fit(data)
    history = model.summary.validationObjectiveHistory
    assert len(history) == model.summary.totalIterations == model.summary.bestIteration + 2 < 40, history
    log_loss = MulticlassClassificationEvaluator(metricName="logLoss").evaluate(
        model.transform(data.filter("v")))
    assert log_loss == pytest.approx(min(history), rel=1e-9)


def test_the_evaluators_read_the_output_columns(rings):
    model = LeakyMLPClassifier(layers=[2, 8, 2], maxIter=60, seed=2).fit(rings)
    scored = model.transform(rings).cache()
    auc = BinaryClassificationEvaluator(rawPredictionCol="rawPrediction").evaluate(scored)
    auc_by_probability = BinaryClassificationEvaluator(rawPredictionCol="probability").evaluate(scored)
    assert auc > 0.95 and auc == pytest.approx(auc_by_probability, abs=1e-9), (auc, auc_by_probability)
    log_loss = MulticlassClassificationEvaluator(metricName="logLoss").evaluate(scored)
    untrained = LeakyMLPClassifier(layers=[2, 8, 2], maxIter=0, seed=2).fit(rings)
    assert log_loss < MulticlassClassificationEvaluator(metricName="logLoss").evaluate(untrained.transform(rings))
    accuracy = MulticlassClassificationEvaluator(metricName="accuracy").evaluate(scored)
    assert accuracy == pytest.approx(model.summary.accuracy, abs=1e-12)


@pytest.mark.parametrize("tuner, loader", [
    (lambda **kw: CrossValidator(numFolds=2, **kw), CrossValidatorModel),
    (lambda **kw: TrainValidationSplit(trainRatio=0.7, **kw), TrainValidationSplitModel),
])
def test_tuning_picks_the_better_grid_point_inside_a_pipeline_in_parallel(three_classes, tmp_path, tuner,
                                                                           loader):
    mlp = LeakyMLPClassifier(layers=[6, 8, 3], seed=7, featuresCol="scaled")
    pipeline = Pipeline(stages=[StandardScaler(inputCol="features", outputCol="scaled"), mlp])
    grid = ParamGridBuilder().addGrid(mlp.maxIter, [1, 40]).build()
    tuned = tuner(estimator=pipeline, estimatorParamMaps=grid, parallelism=2, seed=3,
                  evaluator=MulticlassClassificationEvaluator(metricName="logLoss")).fit(three_classes)
    best = tuned.bestModel.stages[-1]
    metrics = tuned.avgMetrics if isinstance(tuned, CrossValidatorModel) else tuned.validationMetrics
    assert isinstance(best, LeakyMLPClassificationModel)
    assert best.getMaxIter() == 40, "the best model says which grid point won: %s" % metrics
    assert metrics[1] < metrics[0], "log loss falls with training"
    tuned.write().save(str(tmp_path / "tuned"))
    loaded = loader.load(str(tmp_path / "tuned"))
    assert isinstance(loaded.bestModel, PipelineModel)
    assert loaded.bestModel.stages[-1].getMaxIter() == 40
    assert predictions(loaded.transform(three_classes)) == predictions(tuned.transform(three_classes))
