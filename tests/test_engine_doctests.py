"""The engine's docstring examples run, and every public method of the core classes has one.

The examples run in their own pytest process (``--doctest-modules`` over ``engine/sparklet``, with
``engine/conftest.py`` giving them ``sc``), so that their SparkContext never meets the one this
session's other tests hold.
"""

import inspect
import os
import subprocess
import sys

import pytest

ENGINE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine")


def test_engine_docstring_examples_pass():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([ENGINE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--doctest-modules", os.path.join(ENGINE, "sparklet"), "-q",
         "-p", "no:cacheprovider", "-o", "doctest_optionflags=NORMALIZE_WHITESPACE ELLIPSIS"],
        cwd=os.path.dirname(ENGINE), env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


def _public_methods(cls):
    for name, obj in vars(cls).items():
        if name.startswith("_"):
            continue
        func = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
        if callable(func):
            yield name, func


@pytest.mark.parametrize("name", ["RDD", "SparkContext", "Broadcast", "Accumulator", "StorageLevel"])
def test_every_public_method_has_a_runnable_example(name):
    import sparklet

    cls = getattr(sparklet, name)
    missing = [m for m, func in _public_methods(cls) if ">>>" not in (inspect.getdoc(func) or "")]
    assert not missing, "%s methods without a docstring example: %s" % (name, ", ".join(missing))
