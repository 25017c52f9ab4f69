"""Bundles the leaky-spark jars that Maven built (../target) into the package.

``pip install ./python`` runs this in place. The library jar of every built line is bundled
(target/ holds the 3.5 jar, target/spark-4.x/ the 4.x jars), not the jobs or test jars beside it,
and ``leaky_spark.jar_path()`` picks the one that matches the installed pyspark.
"""
import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "target")


def built_jars():
    patterns = [os.path.join(TARGET, "leaky-spark_2.1?-*.jar"),
                os.path.join(TARGET, "spark-4.*", "leaky-spark_2.1?-*.jar")]
    return sorted(j for p in patterns for j in glob.glob(p) if not j.endswith(("-tests.jar", "-jobs.jar")))


class BuildWithJars(build_py):
    def run(self):
        jars = built_jars()
        if not jars:
            raise SystemExit(
                "leaky-spark: no jar in " + os.path.normpath(TARGET) + ". Build it first, from the "
                "project root: mvn -B -DskipTests package (add -Pspark-4.2 for Spark 4.2, and so on)")
        super().run()
        out = os.path.join(self.build_lib, "leaky_spark", "jars")
        shutil.rmtree(out, ignore_errors=True)  # no jar left over from an earlier build
        os.makedirs(out)
        for jar in jars:
            shutil.copy2(jar, out)
            print("leaky-spark: bundled " + os.path.basename(jar))


setup(cmdclass={"build_py": BuildWithJars})
