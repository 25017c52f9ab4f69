"""ONNX export of a fitted pipeline, for scoring with onnxruntime and no Spark.

A single stage (``LeakyReLU``, ``LeakyMLPClassificationModel``, ``LeakyMLPRegressionModel``)
exports through its own writer, ``model.write().format("onnx").save(path)``. A whole
``PipelineModel`` of ``VectorAssembler``, ``StandardScalerModel`` and those stages exports as one
graph from its raw input columns with :func:`pipeline_writer`. Either writes ``path/model.onnx``:
float32 tensors by default, float64 with ``.option("dtype", "double")``.

>>> pipeline_writer(pipeline_model, train.schema).overwrite().save("/models/pipeline-onnx")  # doctest: +SKIP
>>> import onnxruntime  # doctest: +SKIP
>>> session = onnxruntime.InferenceSession("/models/pipeline-onnx/model.onnx")  # doctest: +SKIP
"""
from pyspark.ml import PipelineModel
from pyspark.sql.types import StructType

from leaky_spark._jvm import java_class

__all__ = ["FILE_NAME", "OnnxPipelineWriter", "pipeline_writer"]

#: The file a save writes under its path.
FILE_NAME = "model.onnx"


class OnnxPipelineWriter:
    """Writes a pipeline as one ONNX graph, with MLlib's ``overwrite()`` and the option ``dtype``."""

    def __init__(self, jwriter):
        self._jwrite = jwriter

    def overwrite(self) -> "OnnxPipelineWriter":
        """Replaces what ``path`` holds."""
        self._jwrite.overwrite()
        return self

    def option(self, key: str, value: str) -> "OnnxPipelineWriter":
        """``dtype``: ``float`` (the default) or ``double``."""
        self._jwrite.option(key, value)
        return self

    def save(self, path: str) -> None:
        """Writes ``path/model.onnx``; fails if ``path`` exists, unless overwriting."""
        self._jwrite.save(path)


def pipeline_writer(model: PipelineModel, schema: StructType) -> OnnxPipelineWriter:
    """A writer of ``model`` as one ONNX graph whose inputs are the raw columns of ``schema``, the
    schema of the data the pipeline transforms (such as ``train.schema``): it tells numeric
    columns (``[N]`` tensors) from vector columns (``[N, size]``)."""
    jschema = java_class("org.apache.spark.sql.types.DataType").fromJson(schema.json())
    return OnnxPipelineWriter(java_class("dev.leakyspark.onnx.OnnxExport").writer(model._to_java(), jschema))
