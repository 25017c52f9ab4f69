"""The bundled jar and the line it runs on."""
import os

import pyspark
import pytest

import leaky_spark


def test_the_jar_is_the_one_of_the_installed_pyspark_line():
    line = ".".join(pyspark.__version__.split(".")[:2])
    path = leaky_spark.jar_path()
    assert os.path.isfile(path)
    assert path.endswith("-" + {"4.3": "4.2"}.get(line, line) + "-SNAPSHOT.jar")
    scala = "2.12" if line == "3.5" else "2.13"
    assert os.path.basename(path).startswith("leaky-spark_" + scala + "-")
    assert leaky_spark.jar_path(line) == path
    bundled = os.listdir(os.path.dirname(path))
    assert [j for j in bundled if j.endswith(("-tests.jar", "-jobs.jar"))] == [], bundled


def test_each_line_gets_its_own_jar_and_a_missing_one_says_how_to_build_it(tmp_path, monkeypatch):
    for name in ("leaky-spark_2.12-0.1.0-3.5-SNAPSHOT.jar", "leaky-spark_2.12-0.1.0-3.5-SNAPSHOT-tests.jar",
                 "leaky-spark_2.12-0.1.0-3.5-SNAPSHOT-jobs.jar",
                 "leaky-spark_2.13-0.1.0-4.2-SNAPSHOT.jar"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(leaky_spark, "_JARS", str(tmp_path))
    assert leaky_spark.jar_path("3.5") == str(tmp_path / "leaky-spark_2.12-0.1.0-3.5-SNAPSHOT.jar")
    assert leaky_spark.jar_path("4.2") == str(tmp_path / "leaky-spark_2.13-0.1.0-4.2-SNAPSHOT.jar")
    assert leaky_spark.jar_path("4.3") == leaky_spark.jar_path("4.2"), "Spark 4.3 runs the 4.2 jar"
    with pytest.raises(FileNotFoundError, match="no jar for Spark 4.1 .*mvn -B -DskipTests package -Pspark-4.1"):
        leaky_spark.jar_path("4.1")


def test_an_unsupported_line_is_refused():
    with pytest.raises(ValueError, match="supports the Spark lines 3.5, 4.0, 4.1, 4.2, 4.3, not 3.4"):
        leaky_spark.jar_path("3.4")


def test_the_readme_install_line_alone_brings_what_the_stages_import(tmp_path):
    """A fresh venv with only README's pip line (pyspark and ./python) imports every module."""
    import subprocess
    import sys

    from conftest import ROOT

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "pyspark==" + pyspark.__version__, str(ROOT / "python")], check=True)
    imports = ("import leaky_spark.functions, leaky_spark.ml.feature, leaky_spark.ml.classification, "
               "leaky_spark.ml.regression, leaky_spark.data")
    run = subprocess.run([python, "-c", imports], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
