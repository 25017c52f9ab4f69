"""The README's Python examples run as written."""
import re

from conftest import ROOT


def python_blocks(section):
    readme = (ROOT / "README.md").read_text()
    start = readme.index(section)
    # the section ends at the next heading of level 2 or 3
    ends = [i for i in (readme.find(mark, start + len(section)) for mark in ("\n## ", "\n### ")) if i >= 0]
    end = min(ends, default=len(readme))
    return re.findall(r"```python\n(.*?)```", readme[start:end], re.S)


def test_the_python_section_runs_as_written(spark, capsys):
    blocks = python_blocks("### Python (PySpark)")
    assert len(blocks) == 2
    namespace = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    assert namespace["spark"] is spark  # getOrCreate: the suite's session, built the same way
    printed = capsys.readouterr().out
    assert "|leaky_relu(x, 0.2)|leaky_relu(features, 0.01)|" in printed
    assert "|              -0.4|               [-0.01,3.0]|" in printed
    assert "(2,[0],[5.0])" in printed  # sparse stays sparse
    assert "|-0.4|" in printed  # the SQL function
    accuracy, iterations, loss = re.search(r"^(\S+) (\d+) (\S+)$", printed, re.M).groups()
    assert float(accuracy) == 1.0 and 1 <= int(iterations) <= 50 and float(loss) < 0.01


def test_the_regressor_section_runs_as_written(spark, capsys):
    blocks = python_blocks("## MLP regressor")
    assert len(blocks) == 1
    exec(compile(blocks[0], "README.md", "exec"), {"spark": spark})  # the session of the section above
    rmse, r2, test_rmse = map(float, capsys.readouterr().out.split())
    assert rmse < 2.0 and r2 > 0.85 and test_rmse < 2.0, (rmse, r2, test_rmse)


def test_the_serving_section_runs_as_written(spark, capsys):
    namespace = {}
    for block in python_blocks("### Python (PySpark)"):  # the pipeline the section exports
        exec(compile(block, "README.md", "exec"), namespace)
    blocks = python_blocks("## Serving")
    assert len(blocks) == 1
    capsys.readouterr()
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    # onnxruntime's predictions for the two rows are transform's, the labels the model learnt
    assert printed.strip() == "[array([0., 1.], dtype=float32)]", printed
