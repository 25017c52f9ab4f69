"""What the stage wrappers share: loading through the JVM stage, params the JVM checks as they are
set, and the module names pyspark derives from the JVM class names."""
import sys
from typing import Any, Dict, Type

from py4j.java_collections import JavaArray
from pyspark.ml.common import _java2py
from pyspark.ml.util import JavaMLReadable, JavaMLReader

from leaky_spark._jvm import java_class


def expose_as_jvm_package(module_name: str, java_package: str) -> None:
    """Registers the module ``module_name`` under the JVM package name ``java_package`` too.

    pyspark turns a loaded JVM stage into its Python wrapper by importing the stage's JVM class
    name as a Python name (``PipelineModel.load``, ``JavaParams._from_java``), so
    ``dev.leakyspark.ml.feature.LeakyReLU`` must resolve to this package's wrapper. Only the full
    name is registered: ``__import__`` finds it in ``sys.modules`` without its parents, and no
    package ``dev`` is shadowed.
    """
    sys.modules.setdefault(java_package, sys.modules[module_name])


class _StageReader(JavaMLReader):
    @classmethod
    def _java_loader_class(cls, clazz: Type[Any]) -> str:
        return clazz._java_class


class JavaStage(JavaMLReadable):
    """Mixin of the wrappers: the JVM class name, loading, and params checked by the JVM stage's
    own validators when they are set, so a bad value fails at once with the JVM's message."""

    _java_class: str

    @classmethod
    def read(cls) -> JavaMLReader:
        """A reader that loads the saved JVM stage and wraps it."""
        return _StageReader(cls)

    def _new_stage(self) -> None:
        java_class(self._java_class)  # a clear error when the jar is missing
        self._java_obj = self._new_java_obj(self._java_class, self.uid)

    def _set(self, **kwargs: Any) -> "JavaStage":
        java_obj = getattr(self, "_java_obj", None)
        if java_obj is not None:
            for name, value in kwargs.items():
                if value is not None and java_obj.hasParam(name):
                    param = self.getParam(name)
                    try:
                        converted = param.typeConverter(value)
                    except TypeError as e:  # worded as pyspark words it
                        raise TypeError('Invalid param value given for param "%s". %s' % (name, e))
                    self._make_java_param_pair(param, converted)
        return super()._set(**kwargs)  # type: ignore[misc]

    def _defaults_from_java(self) -> None:
        """Takes each param's default from the JVM stage, the one place defaults are declared."""
        from pyspark import SparkContext

        sc = SparkContext._active_spark_context
        defaults: Dict[str, Any] = {}
        for param in self.params:  # type: ignore[attr-defined]
            if self._java_obj.hasParam(param.name):
                java_param = self._java_obj.getParam(param.name)
                if self._java_obj.hasDefault(java_param):
                    value = self._java_obj.getDefault(java_param).get()
                    defaults[param.name] = (
                        [_java2py(sc, v) for v in value] if isinstance(value, JavaArray)
                        else _java2py(sc, value))
        self._setDefault(**defaults)  # type: ignore[attr-defined]
