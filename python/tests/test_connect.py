"""leaky_relu from a Spark Connect client (pyspark 4.x): a local Connect server started with the
jar and the extension serves the SQL function that the Python function calls. In a process of its
own, beside the suite's classic session."""
import json
import subprocess
import sys
import textwrap


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
