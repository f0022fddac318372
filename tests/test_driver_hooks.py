"""The engine's driver hooks (sparklet.hooks) and its one internal-frame rule (sparklet.callsite):
what a notebook kernel or any other tool relies on instead of patching engine classes."""

import inspect
import os
import warnings

import pytest

import sparklet
from context_harness import shared_context_set_aside
from sparklet import callsite, hooks


class Recorder(hooks.DriverHook):
    def __init__(self, replace=False):
        self.replace = replace
        self.seen = []

    def context_created(self, sc):
        self.seen.append(("created", sc.appName))

    def context_replaced(self, old, new):
        self.seen.append(("replaced", old.appName, old._stopped, new.appName))

    def context_stopped(self, sc):
        self.seen.append(("stopped", sc.appName))

    def replaces_active(self, active, conf, via):
        self.seen.append(("asked", active.appName, via))
        return self.replace

    def operator_called(self, call):
        self.seen.append(("called", call.name, len(call.input_rdds())))

    def operator_returned(self, call, result):
        self.seen.append(("returned", call.name, "an RDD" if isinstance(result, sparklet.RDD) else result))


@pytest.fixture
def recorder():
    with shared_context_set_aside():
        hook = hooks.register(Recorder())
        try:
            yield hook
        finally:
            hooks.unregister(hook)


def test_without_a_hook_allowing_it_a_second_context_fails_as_in_pyspark(recorder):
    sc = sparklet.SparkContext("local[1]", "first")
    with pytest.raises(ValueError, match="Cannot run multiple SparkContexts at once"):
        sparklet.SparkContext("local[1]", "second")
    assert sparklet.SparkContext._active_spark_context is sc and not sc._stopped
    assert recorder.seen == [("created", "first"), ("asked", "first", "constructor")]


def test_a_hook_may_let_a_new_context_replace_the_active_one(recorder):
    recorder.replace = True
    first = sparklet.SparkContext("local[1]", "first")
    second = sparklet.SparkContext("local[1]", "second")
    assert first._stopped and sparklet.SparkContext._active_spark_context is second
    conf = sparklet.SparkConf().setMaster("local[1]").setAppName("third")
    third = sparklet.SparkContext.getOrCreate(conf)
    assert second._stopped and third.appName == "third"
    third.stop()
    assert recorder.seen == [
        ("created", "first"),
        ("asked", "first", "constructor"), ("stopped", "first"), ("created", "second"),
        ("replaced", "first", True, "second"),
        ("asked", "second", "getOrCreate"), ("stopped", "second"), ("created", "third"),
        ("replaced", "second", True, "third"),
        ("stopped", "third"),
    ]


def test_operator_hooks_see_the_outermost_call_with_its_inputs_and_result(recorder):
    sc = sparklet.SparkContext("local[1]", "ops")
    a = sc.parallelize([(1, "a")])
    b = sc.parallelize([(1, "b")])
    del recorder.seen[:]
    assert a.join(b).count() == 1
    # join is made of union, groupByKey...: only the user's calls are seen
    assert recorder.seen == [("called", "join", 2), ("returned", "join", "an RDD"),
                             ("called", "count", 1), ("returned", "count", 1)]


def test_a_failing_hook_does_not_break_the_users_job(recorder, caplog):
    class Broken(hooks.DriverHook):
        def operator_called(self, call):
            raise RuntimeError("observer bug")

    broken = hooks.register(Broken())
    try:
        sc = sparklet.SparkContext("local[1]", "broken")
        assert sc.parallelize(range(4)).sum() == 6
    finally:
        hooks.unregister(broken)
    assert "observer bug" in caplog.text


def test_register_takes_driver_hooks_only():
    with pytest.raises(TypeError, match="DriverHook"):
        hooks.register(lambda sc: None)


def test_internal_frames_are_the_engines_files_at_any_depth_and_marked_wrappers():
    assert callsite.is_internal_file(sparklet.rdd.__file__)
    assert callsite.is_internal_file(os.path.join(callsite.ENGINE_DIR, "sql", "dataframe.py"))
    assert not callsite.is_internal_file(os.path.join(os.path.dirname(callsite.ENGINE_DIR), "sparklet_sql.py"))
    assert not callsite.is_internal_file(__file__)


def test_a_wrapper_marked_internal_is_left_out_of_call_sites_and_warnings(recorder):
    sc = sparklet.SparkContext("local[1]", "sites")

    @callsite.internal
    def traced_map(rdd, f):
        return rdd.map(f)

    def plain_map(rdd, f):
        return rdd.map(f)

    line = inspect.currentframe().f_lineno + 1
    marked, plain = traced_map(sc.parallelize([1]), str), plain_map(sc.parallelize([1]), str)
    assert marked.callSite == "%s:%d" % (__file__, line)
    assert plain.callSite.endswith(":%d" % (line - 3))  # plain_map's own line is the call site

    @callsite.internal
    def deprecated():
        warnings.warn("old", FutureWarning, stacklevel=callsite.user_stacklevel())

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1
        deprecated()
    assert (caught[0].filename, caught[0].lineno) == (__file__, line)
