"""Helpers for tests that start Sparklet contexts of their own beside the suites' shared one."""

import contextlib


@contextlib.contextmanager
def shared_context_set_aside():
    """For tests that start contexts of their own: the session's shared Sparklet context (the `sc`
    fixture) is set aside meanwhile, since one context is active at a time, and is the active one
    again afterwards; a context the test left running is stopped."""
    from sparklet import SparkContext

    shared = SparkContext._active_spark_context
    SparkContext._active_spark_context = None
    try:
        yield
    finally:
        active = SparkContext._active_spark_context
        if active is not None and active is not shared:
            active.stop()
        SparkContext._active_spark_context = shared
