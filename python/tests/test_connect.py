"""leaky_relu from a Spark Connect client (pyspark 4.x): a local Connect server started with the
jar and the extension serves the SQL function that the Python function calls. In a process of its
own, beside the suite's classic session."""
import json
import subprocess
import sys
import textwrap

import pytest


CLIENT = textwrap.dedent("""
    import json, sys
    import leaky_spark
    from pyspark.sql import SparkSession
    from pyspark.errors import AnalysisException
    from leaky_spark.functions import leaky_relu

    spark = (SparkSession.builder.remote("local[2]")
             .config("spark.jars", leaky_spark.jar_path())
             .config("spark.sql.extensions", leaky_spark.EXTENSIONS)
             .getOrCreate())
    from pyspark.sql.utils import is_remote
    df = spark.createDataFrame([(-2.0,), (-0.0,), (3.0,), (None,)], "x double")
    rows = df.select(leaky_relu("x", 0.5).alias("half"), leaky_relu(df.x)).collect()
    try:
        spark.sql("SELECT leaky_relu(1.0, double('Infinity'))").collect()
        error = None
    except AnalysisException as e:
        error = str(e).splitlines()[0]
    print(json.dumps({"remote": is_remote(), "columns": df.select(leaky_relu(df.x)).columns,
                      "rows": [[str(v) for v in r] for r in rows], "error": error}))
    spark.stop()
""")


def test_leaky_relu_through_spark_connect():
    done = subprocess.run([sys.executable, "-c", CLIENT], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["remote"] is True
    assert result["columns"] == ["leaky_relu(x, 0.01)"]
    assert result["rows"] == [["-1.0", "-0.02"], ["-0.0", "-0.0"], ["3.0", "3.0"], ["None", "None"]]
    assert result["error"].startswith("leaky_relu: alpha must be finite but got Infinity")


ML_CLIENT = textwrap.dedent("""
    import json, os, sys, traceback
    import leaky_spark
    from pyspark.ml import Pipeline, PipelineModel
    from pyspark.ml.linalg import Vectors
    from pyspark.sql import SparkSession
    from leaky_spark.ml.classification import LeakyMLPClassifier
    from leaky_spark.ml.feature import LeakyReLU
    from leaky_spark.ml.regression import LeakyMLPRegressor

    rows, path = json.loads(sys.argv[1]), sys.argv[2]
    spark = (SparkSession.builder.remote("local[2]")
             .config("spark.jars", leaky_spark.jar_path())
             .config("spark.sql.extensions", leaky_spark.EXTENSIONS)
             .getOrCreate())

    def main():
        df = spark.createDataFrame([(i, float(y), Vectors.dense(x)) for i, (y, x) in enumerate(rows)],
                                   ["id", "label", "features"])
        pipeline = Pipeline(stages=[
            LeakyReLU(outputCol="activated", alpha=0.5),
            LeakyMLPClassifier(featuresCol="activated", layers=[2, 8, 2], maxIter=40, seed=1, numPartitions=1)])
        model = pipeline.fit(df)
        model.write().overwrite().save(path)
        loaded = PipelineModel.load(path)
        probability = lambda m: [list(r.probability) for r in m.transform(df).orderBy("id").collect()]
        try:
            LeakyReLU(alpha=float("nan")).transform(df).collect()
            bad_alpha = None
        except Exception as e:
            bad_alpha = str(e)
        def refused(what):
            try:
                what()
                return None
            except RuntimeError as e:
                return str(e)

        def close(a, b):
            return all(abs(x - y) <= 1e-12 * max(1.0, abs(y)) for x, y in zip(list(a), list(b)))

        mlp = model.stages[-1]
        first = model.transform(df).orderBy("id").first()
        summary = mlp.summary
        single = {"predict": mlp.predict(first.activated) == first.prediction,
                  # one row against a block of rows: to rounding
                  "predictProbability": close(mlp.predictProbability(first.activated), first.probability),
                  "predictRaw": close(mlp.predictRaw(first.activated), first.rawPrediction),
                  "numClasses": mlp.numClasses, "numFeatures": mlp.numFeatures, "hasSummary": mlp.hasSummary,
                  "accuracy": summary.accuracy, "labels": summary.labels,
                  "objectiveHistory": summary.objectiveHistory, "totalIterations": summary.totalIterations}
        regression = LeakyMLPRegressor(layers=[2, 8, 1], maxIter=20, seed=1, numPartitions=1).fit(df)
        scored = regression.transform(df).orderBy("id").collect()
        regressor = {"predictions": [r.prediction for r in scored], "numFeatures": regression.numFeatures,
                     "predict": close([regression.predict(scored[0].features)], [scored[0].prediction]),
                     "getters": [regression.getLayers(), regression.getStandardizeLabel()],
                     "hasSummary": regression.hasSummary,
                     "summary": refused(lambda: regression.summary.rootMeanSquaredError),
                     # row weights and validation rows from a Connect client: w = id mod 3, so a
                     # third of the rows weigh 0, and every fifth row is a validation row
                     "weighted": [r.prediction for r in LeakyMLPRegressor(
                         layers=[2, 8, 1], maxIter=20, seed=1, numPartitions=1, weightCol="w",
                         validationIndicatorCol="val").fit(
                         df.withColumn("w", (df.id % 3).cast("double")).withColumn("val", df.id % 5 == 0))
                         .transform(df).orderBy("id").collect()]}
        print(json.dumps({"fitted": probability(model), "loaded": probability(loaded), "single": single,
                          "regressor": regressor,
                          "refused": [refused(lambda: mlp.weights), refused(lambda: mlp.evaluate(df)),
                                      refused(lambda: summary.numPartitions)],
                          "stages": [type(s).__name__ for s in loaded.stages],
                          "featuresCol": loaded.stages[-1].getOrDefault("featuresCol"),
                          "getters": [loaded.stages[-1].getLayers(), loaded.stages[-1].getMaxIter(),
                                      model.stages[-1].getSeed()],
                          "badAlpha": bad_alpha}))

    try:
        main()
        status = 0
    except BaseException:
        traceback.print_exc()
        status = 1
    spark.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    # at interpreter exit pyspark releases the server's cached models, which can hang once the
    # local server is gone
    os._exit(status)
""")


def test_the_ml_stages_fit_transform_save_and_load_through_spark_connect(spark, tmp_path):
    from pyspark.ml import Pipeline
    from pyspark.ml.linalg import Vectors

    from leaky_spark.ml.classification import LeakyMLPClassifier
    from leaky_spark.ml.feature import LeakyReLU

    # the label is whether the point lies outside the unit circle: not linearly separable
    rng = __import__("random").Random(3)
    points = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(200)]
    rows = [[int(x * x + y * y > 1), [x, y]] for x, y in points]
    done = subprocess.run([sys.executable, "-c", ML_CLIENT, json.dumps(rows), str(tmp_path / "pipeline")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    # the same fit in this process's classic session
    df = spark.createDataFrame([(i, float(y), Vectors.dense(x)) for i, (y, x) in enumerate(rows)],
                               ["id", "label", "features"])
    classic = Pipeline(stages=[
        LeakyReLU(outputCol="activated", alpha=0.5),
        LeakyMLPClassifier(featuresCol="activated", layers=[2, 8, 2], maxIter=40, seed=1, numPartitions=1)]).fit(df)
    expected = [list(r.probability) for r in classic.transform(df).orderBy("id").collect()]
    # the same fit; transform scores blocks of rows, which native BLAS may round apart in another layout
    flat = [p for row in expected for p in row]
    assert [p for row in result["fitted"] for p in row] == pytest.approx(flat, rel=1e-12, abs=1e-12)
    assert [p for row in result["loaded"] for p in row] == pytest.approx(flat, rel=1e-12, abs=1e-12)
    assert result["stages"] == ["LeakyReLU", "LeakyMLPClassificationModel"]
    assert result["featuresCol"] == "activated"
    assert result["getters"] == [[2, 8, 2], 40, 1], "the model answers the fit's params over Connect"
    assert "alpha" in result["badAlpha"] and "NaN" in result["badAlpha"], result["badAlpha"]
    # the server admits what Spark's own models and summaries have, and refuses the rest
    mlp = classic.stages[-1]
    assert result["single"] == {"predict": True, "predictProbability": True, "predictRaw": True,
                                "numClasses": 2, "numFeatures": 2,
                                "hasSummary": True, "accuracy": mlp.summary.accuracy, "labels": [0.0, 1.0],
                                "objectiveHistory": mlp.summary.objectiveHistory,
                                "totalIterations": mlp.summary.totalIterations}
    weights, evaluate, partitions = result["refused"]
    assert weights.startswith("LeakyMLPClassificationModel.weights is not available over Spark Connect")
    assert evaluate.startswith("LeakyMLPClassificationModel.evaluate is not available over Spark Connect")
    assert partitions.startswith("LeakyMLPTrainingSummary.numPartitions is not available over Spark Connect")
    regressor = result["regressor"]
    from leaky_spark.ml.regression import LeakyMLPRegressor
    classic_regression = LeakyMLPRegressor(layers=[2, 8, 1], maxIter=20, seed=1, numPartitions=1).fit(df)
    assert regressor["predictions"] == pytest.approx(
        [r.prediction for r in classic_regression.transform(df).orderBy("id").collect()], rel=1e-12)
    assert (regressor["numFeatures"], regressor["predict"], regressor["getters"]) == (2, True, [[2, 8, 1], True])
    assert regressor["hasSummary"] is True
    weighted = LeakyMLPRegressor(layers=[2, 8, 1], maxIter=20, seed=1, numPartitions=1, weightCol="w",
                                 validationIndicatorCol="val").fit(
        df.withColumn("w", (df.id % 3).cast("double")).withColumn("val", df.id % 5 == 0))
    assert regressor["weighted"] == pytest.approx(
        [r.prediction for r in weighted.transform(df).orderBy("id").collect()], rel=1e-12)
    assert regressor["weighted"] != pytest.approx(regressor["predictions"], rel=1e-6)
    assert regressor["summary"].startswith(
        "LeakyMLPRegressionTrainingSummary.rootMeanSquaredError is not available over Spark Connect")
