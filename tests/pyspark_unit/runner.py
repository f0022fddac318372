"""Runs one of PySpark's own unit-test modules against Sparklet, in a process of its own.

    python runner.py SPARK_ROOT MODULE_NAME EXCLUDED.json RESULTS.json

SPARK_ROOT is laid out as Apache Spark's source tree (``python/pyspark/tests/MODULE.py`` and
``python/test_support/``); it becomes ``SPARK_HOME``, where the tests look for their data files.
``import pyspark`` resolves to Sparklet through the alias. The module is loaded from its file,
unmodified, and its functions are pickled by value, as they are when PySpark runs it as
``python -m pyspark.tests.MODULE`` (``__main__``). The tests named in EXCLUDED.json are not run;
every other test's outcome (passed / failed / error / skipped, with the reason) goes to RESULTS.json.

PySpark modules Sparklet does not have (``pyspark.java_gateway``; ``pyspark.sql`` in a build
without the SQL layer) and PySpark's internal names that Sparklet's modules lack
(``pyspark.shuffle.ExternalMerger``, ``pyspark.serializers.CompressedSerializer``, ...) are stand-ins
while the module loads, whose use raises: the tests that need them are excluded by the harness with
the reason, and the other tests of the same file still run.
"""

import importlib.util
import json
import os
import sys
import traceback
import types
import unittest


def _stand_in(qualname, why):
    """A class standing for a PySpark name Sparklet does not have: defining or importing it works,
    using it raises (the tests that use it are excluded by the harness, with the reason)."""

    def refuse(*args, **kwargs):
        raise RuntimeError("%s is not available on Sparklet: %s" % (qualname, why))

    return type(qualname.rpartition(".")[2], (), {"__new__": refuse, "__init_subclass__": classmethod(
        lambda cls, **kw: None)})


def _module_of_stand_ins(module_name, why):
    module = types.ModuleType(module_name)

    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _stand_in(module_name + "." + name, why)

    module.__getattr__ = __getattr__
    return module


# PySpark modules Sparklet does not have, and why (what the tests that use them need).
ABSENT_MODULES = {
    "pyspark.java_gateway": "it starts the JVM",
    "pyspark.sql": "this build has no SQL layer",
    "pyspark.rddsampler": "PySpark's internal sampler classes",
}
# Sparklet modules whose PySpark namesakes hold more internal names than they do.
PARTIAL_MODULES = {
    "sparklet.serializers": "an internal serializer of PySpark's JVM-Python stream",
    "sparklet.shuffle": "an internal class of PySpark's Python-side spilling",
}


class _AnyJobError(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, Exception)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, Exception)


def _py4j_protocol():
    """``py4j.protocol`` whose ``Py4JJavaError`` matches any exception: where PySpark reports a
    failed job as the JVM's error, Sparklet raises the task's own exception (a documented
    difference), so a test expecting Py4JJavaError still needs an error, with its message."""
    module = types.ModuleType("py4j.protocol")
    module.Py4JJavaError = _AnyJobError("Py4JJavaError", (Exception,), {})
    module.Py4JError = module.Py4JJavaError
    return module


def _install_stand_ins():
    sys.modules["py4j.protocol"] = _py4j_protocol()
    for name, why in ABSENT_MODULES.items():
        try:
            importlib.import_module("sparklet" + name[len("pyspark"):])
        except ModuleNotFoundError:
            sys.modules[name] = _module_of_stand_ins(name, why)


def _with_stand_in_names(load):
    """Run ``load`` while the names the partial modules lack resolve to stand-ins."""
    patched = []
    for module_name, why in PARTIAL_MODULES.items():
        module = importlib.import_module(module_name)
        if "__getattr__" not in vars(module):
            pyspark_name = "pyspark" + module_name[len("sparklet"):]
            module.__getattr__ = (lambda name, p=pyspark_name, w=why: _stand_in(p + "." + name, w)
                                  if not name.startswith("__") else _raise_attribute_error(name))
            patched.append(module)
    try:
        return load()
    finally:
        for module in patched:
            del module.__getattr__


def _raise_attribute_error(name):
    raise AttributeError(name)


def _load(root, name):
    import cloudpickle

    path = os.path.join(root, "python", "pyspark", "tests", name + ".py")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    cloudpickle.register_pickle_by_value(module)
    return module


def _tests(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _tests(item)
        else:
            yield item


def _short_id(test):
    # "test_rdd.RDDTests.test_range"; a class-level failure is "setUpClass (test_rdd.RDDTests)"
    return test.id()


class _Recorder(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}

    def _put(self, test, outcome, detail=""):
        self.outcomes[_short_id(test)] = {"outcome": outcome, "detail": detail}

    def addSuccess(self, test):
        self._put(test, "passed")

    def addFailure(self, test, err):
        self._put(test, "failed", "".join(traceback.format_exception(*err))[-3000:])

    def addError(self, test, err):
        self._put(test, "error", "".join(traceback.format_exception(*err))[-3000:])

    def addSkip(self, test, reason):
        self._put(test, "skipped", reason)

    def addExpectedFailure(self, test, err):
        self._put(test, "passed", "expected failure")

    def addUnexpectedSuccess(self, test):
        self._put(test, "failed", "unexpected success")

    def startTest(self, test):
        super().startTest(test)
        print("RUN", test.id(), flush=True)


def main(root, name, excluded_path, results_path):
    from sparklet import pyspark_alias

    os.environ["SPARK_HOME"] = root
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if not pyspark_alias.PySparkAlias("run PySpark's suite with Apache Spark instead.").install():
        raise SystemExit("real pyspark is already imported; the alias cannot be installed")
    _install_stand_ins()
    with open(excluded_path) as f:
        excluded = set(json.load(f))
    module = _with_stand_in_names(lambda: _load(root, name))
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    recorder = _Recorder()
    selected = unittest.TestSuite()
    for test in _tests(suite):
        if test.id() in excluded:
            recorder.outcomes[test.id()] = {"outcome": "excluded", "detail": ""}
        else:
            selected.addTest(test)
    selected.run(recorder)
    with open(results_path, "w") as f:
        json.dump(recorder.outcomes, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
