"""Threads that carry the driver's local properties (job group, description) into jobs they run;
a thread that imports modules ahead of their first use."""

import functools
import importlib
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


def import_in_background(modules, first_loaded=None):
    """Import ``modules`` in order on a daemon thread, so that their first user finds them loaded
    (or waits for the import under way instead of repeating it); returns the thread. An import
    that fails is left for the code that needs the module to report. ``first_loaded``: an event
    set once the first module is imported.

    >>> import_in_background(["json", "no_such_module_here"]).join()
    """
    def run():
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:
                pass
            if first_loaded is not None:
                first_loaded.set()
    thread = threading.Thread(target=run, name="preload-imports", daemon=True)
    thread.start()
    return thread
