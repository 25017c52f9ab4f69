"""The notebooks run headless on real kernels (IPython, and the Kotlin kernel for the JVM API), and
show what they promise."""
import os
import re
import time
from pathlib import Path

import nbformat
import pyspark
from nbclient import NotebookClient

import leaky_spark
from conftest import ROOT
from leaky_spark.data import fashion_mnist_available

NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"


def outputs(nb, kind):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
            if kind in out.get("data", {}) or (kind == "text" and out.get("output_type") == "stream")]


def test_the_quickstart_notebook_runs_and_shows_accuracy_and_figures(tmp_path, monkeypatch):
    # the kernel's Spark draws no progress bars into the test log
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--conf spark.ui.showConsoleProgress=false pyspark-shell")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    began = time.monotonic()
    # a cell error raises CellExecutionError, with the cell and the traceback
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    print("quickstart.ipynb ran in %.0f s" % (time.monotonic() - began))
    nbformat.write(nb, ROOT / "python" / "build" / "quickstart.executed.ipynb")

    text = "".join(out.get("text", "") for out in outputs(nb, "text"))
    accuracy = float(re.search(r"test accuracy: ([01]\.\d+)", text).group(1))
    # measured: 0.861 on Fashion-MNIST after 4 epochs, 1.0 on the generated rows; chance is 0.10
    assert accuracy >= (0.80 if fashion_mnist_available() else 0.90), text
    assert "same predictions: True" in text
    assert "reloaded: ['StandardScalerModel', 'LeakyReLU', 'LeakyMLPClassificationModel']" in text
    assert "|leaky_relu(x, 2.0)" not in text and "steep" in text
    # the exported pipeline, scored by onnxruntime in float32
    assert "inputs: ['features'] outputs: ['rawPrediction', 'probability', 'prediction']" in text
    agree = float(re.search(r"ONNX predictions equal transform's on ([01]\.\d+) of \d+ test rows", text).group(1))
    assert agree >= 0.999, text
    assert len(outputs(nb, "image/png")) == 2


KOTLIN_NOTEBOOK = ROOT / "notebooks" / "quickstart-kotlin.ipynb"


def test_the_kotlin_notebook_runs_the_java_api_on_a_jvm_kernel(monkeypatch, tmp_path):
    # the build folder of the line under test, as jobs/lib/launch.sh names it
    line = ".".join(pyspark.__version__.split(".")[:2])
    target = ROOT / "target" / ("" if line == "3.5" else "spark-" + line)
    if line in leaky_spark.RUNS_ON:
        # no build of this line: the jar it runs, beside this pyspark's own Spark jars
        target = tmp_path / "target"
        target.mkdir()
        jar = Path(leaky_spark.jar_path())
        (target / jar.name).symlink_to(jar)
        spark_jars = sorted((Path(pyspark.__file__).parent / "jars").glob("*.jar"))
        (target / "spark-classpath.txt").write_text(os.pathsep.join(str(j) for j in spark_jars))
    monkeypatch.setenv("LEAKY_TARGET", str(target))
    monkeypatch.setenv("KOTLIN_JUPYTER_JAVA_OPTS", "-Xmx2g @%s" % (ROOT / "conf" / "java17.args"))
    nb = nbformat.read(KOTLIN_NOTEBOOK, as_version=4)
    began = time.monotonic()
    NotebookClient(nb, timeout=600, kernel_name="kotlin",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    print("quickstart-kotlin.ipynb ran in %.0f s" % (time.monotonic() - began))

    text = "".join(out.get("text", "") for out in outputs(nb, "text"))
    assert "Spark %s\n" % pyspark.__version__ in text
    for row in ["|-2.0|-0.2|", "|-0.0|-0.0|", "| 3.0| 3.0|", "|NULL|NULL|"]:
        assert row in text.upper(), text
    assert "leakyRelu(-3..2, 0.1) = [-0.30000000000000004, -0.2, -0.1, 0.0, 1.0, 2.0]" in text
    accuracy = float(re.search(r"test accuracy: ([01]\.\d+)", text).group(1))
    assert accuracy >= 0.90, text
    assert "reloaded: [LeakyReLU, LeakyMLPClassificationModel]" in text
    assert "same predictions: true" in text
