"""Threads that carry the driver's local properties (job group, description) into jobs they run."""

import functools
import threading

__all__ = ["InheritableThread", "inheritable_thread_target"]


def _current_properties():
    from .context import SparkContext

    sc = SparkContext._active_spark_context
    return sc._local_properties_snapshot() if sc is not None else None


def _run_with(properties, fn, *args, **kwargs):
    from .context import SparkContext

    sc = SparkContext._active_spark_context
    if sc is not None and properties is not None:
        sc._set_local_properties(properties)
    return fn(*args, **kwargs)


def inheritable_thread_target(f):
    """Wrap a thread target so that jobs it runs inherit the creating thread's local properties."""
    properties = _current_properties()

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return _run_with(properties, f, *args, **kwargs)

    return wrapped


class InheritableThread(threading.Thread):
    """A thread whose jobs carry the local properties (job group, description...) of the thread
    that created it, as in PySpark."""

    def __init__(self, target=None, *args, **kwargs):
        super().__init__(*args, target=target, **kwargs)
        self._sparklet_properties = _current_properties()

    def start(self):
        # Wrapping run() here covers both a target and a subclass that overrides run().
        run = self.run
        self.run = lambda: _run_with(self._sparklet_properties, run)
        return super().start()
