"""What the stage wrappers share: loading through the JVM stage, params the JVM checks as they are
set, the module names pyspark derives from the JVM class names, and Spark Connect (pyspark 4),
where the stages run on the Connect server."""
import sys
from typing import Any, Type

from py4j.java_gateway import JavaObject
from pyspark.ml.util import JavaMLReadable, JavaMLReader

from leaky_spark._jvm import java_class


def remote() -> bool:
    """Whether this process is a Spark Connect client, which has no JVM of its own."""
    from pyspark.sql.utils import is_remote

    return is_remote()


def expose_as_jvm_package(module_name: str, java_package: str) -> None:
    """Registers the module ``module_name`` under the JVM package name ``java_package`` too.

    pyspark turns a loaded JVM stage into its Python wrapper by importing the stage's JVM class
    name as a Python name (``PipelineModel.load``, ``JavaParams._from_java``), so
    ``dev.leakyspark.ml.feature.LeakyReLU`` must resolve to this package's wrapper. Only the full
    name is registered: ``__import__`` finds it in ``sys.modules`` without its parents, and no
    package ``dev`` is shadowed.
    """
    sys.modules.setdefault(java_package, sys.modules[module_name])


def refuse_over_connect(wrapper: Any, what: str) -> None:
    """Fails on Spark Connect, where ``wrapper.what`` cannot be reached: the server lets clients
    call only the methods it lists for Spark's own models and summaries."""
    if remote():
        raise RuntimeError(
            "%s.%s is not available over Spark Connect, whose server lets clients call only the "
            "methods it lists for Spark's own models and summaries; fit, transform, save and load "
            "work" % (type(wrapper).__name__, what))


class _StageReader(JavaMLReader):
    @classmethod
    def _java_loader_class(cls, clazz: Type[Any]) -> str:
        return clazz._java_class


class JavaStage(JavaMLReadable):
    """Mixin of the wrappers: the JVM class name, loading, and params checked by the JVM stage's
    own validators when they are set, so a bad value fails at once with the JVM's message."""

    _java_class: str

    @classmethod
    def read(cls) -> Any:
        """A reader that loads the saved JVM stage and wraps it (on the Connect server when
        remote)."""
        if remote():
            try:
                from pyspark.ml.connect.readwrite import RemoteMLReader
            except ImportError:  # pyspark 3.5 has no ML over Connect
                raise RuntimeError("leaky_spark's ML stages need Spark 4 to run over Spark Connect")
            # pyspark names the JVM class after the Python class's module and name
            package, name = cls._java_class.rsplit(".", 1)
            return RemoteMLReader(type(name, (cls,), {"__module__": package}))
        return _StageReader(cls)

    def _new_stage(self) -> None:
        if not remote():
            java_class(self._java_class)  # a clear error when the jar is missing
        # the JVM stage, or on Spark Connect its class name, which the server instantiates
        self._java_obj = self._new_java_obj(self._java_class, self.uid)

    def _jvm(self, what: str) -> Any:
        """The JVM object, for what Spark Connect cannot reach."""
        refuse_over_connect(self, what)
        return self._java_obj

    def _set(self, **kwargs: Any) -> "JavaStage":
        java_obj = getattr(self, "_java_obj", None)
        if isinstance(java_obj, JavaObject):  # on Spark Connect, the server checks them
            for name, value in kwargs.items():
                if value is not None and java_obj.hasParam(name):
                    param = self.getParam(name)
                    try:
                        converted = param.typeConverter(value)
                    except TypeError as e:  # worded as pyspark words it
                        raise TypeError('Invalid param value given for param "%s". %s' % (name, e))
                    self._make_java_param_pair(param, converted)
        return super()._set(**kwargs)  # type: ignore[misc]

