"""The README's Python examples run as written."""
import re

from conftest import ROOT


def python_blocks(section):
    readme = (ROOT / "README.md").read_text()
    start = readme.index(section)
    end = readme.index("\n### ", start + len(section))
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
