"""Driver hooks: how a tool follows contexts and operators without patching engine classes.

A notebook kernel, a profiler or a teaching aid needs three things the listener bus does not
carry, because they happen on the driver before any job exists:

- **context lifecycle**: a context was created, replaced by a new one, or stopped;
- **the replacement policy**: PySpark refuses a second ``SparkContext(...)`` while one is active
  ("Cannot run multiple SparkContexts at once"). A host that owns a long-lived context (a notebook
  kernel whose ``sc`` exists before the first cell) may instead let the new context replace it;
- **operator calls**: a public RDD or SparkContext operator (``map``, ``reduceByKey``,
  ``parallelize``...) was called by the user, with its arguments, and what it returned. The
  outermost call only: ``distinct`` made of ``map`` and ``reduceByKey`` is one call.

A tool subclasses `DriverHook`, overrides what it needs and registers an instance (`register`). Hooks run
on the thread that made the call, synchronously, so they must be quick; an exception raised by a
hook is logged and does not reach the user's code (a broken observer must not break a job).
The engine never imports the tools that register here.

>>> import sparklet.hooks as hooks
>>> class Names(hooks.DriverHook):
...     def __init__(self):
...         self.seen = []
...     def operator_called(self, call):
...         self.seen.append(call.name)
>>> names = hooks.register(Names())
>>> sc.parallelize([1, 2, 3]).map(str).count()
3
>>> names.seen
['parallelize', 'map', 'count']
>>> hooks.unregister(names)
"""

import logging
from dataclasses import dataclass, field

__all__ = ["DriverHook", "OperatorCall", "register", "unregister"]

log = logging.getLogger("sparklet.hooks")

#: the registered hooks; replaced, never mutated, so callers iterate a stable tuple without a lock
_hooks = ()


@dataclass
class OperatorCall:
    """One public operator called by the user: ``rdd.map(f)`` is name ``"map"``, receiver
    ``rdd``, args ``(f,)``. `scopeId` is the id the RDDs it makes carry as ``rdd.scopeId``."""

    name: str
    scopeId: int
    callSite: str
    receiver: object
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def input_rdds(self):
        """The RDDs this operator reads: its receiver and the RDDs among its arguments.

        >>> a, b = sc.parallelize([1]), sc.parallelize([2])
        >>> call = OperatorCall("union", 1, "x.py:1", a, (b,))
        >>> [r.id() for r in call.input_rdds()] == [a.id(), b.id()]
        True
        """
        out = []
        for value in (self.receiver,) + tuple(self.args) + tuple(self.kwargs.values()):
            for item in (value if isinstance(value, (list, tuple)) else (value,)):
                if hasattr(item, "getNumPartitions") and hasattr(item, "id"):
                    out.append(item)
        return out


class DriverHook:
    """Base class of driver hooks: every method does nothing unless overridden."""

    def context_created(self, sc):
        """`sc` finished starting and is the active context."""

    def context_replaced(self, old, new):
        """`new` replaced `old` (stopped first) because a hook's `replaces_active` allowed it;
        called after `context_created` of `new`."""

    def context_stopped(self, sc):
        """`sc` stopped (its executors and files are gone)."""

    def replaces_active(self, active, conf, via):
        """Whether a new context may stop and replace `active` instead of failing as PySpark
        does. `conf` is the SparkConf asked for (None if none), `via` is ``"constructor"`` or
        ``"getOrCreate"``. One hook returning True is enough."""
        return False

    def operator_called(self, call):
        """The user called a public operator (`OperatorCall`); it has not run yet."""

    def operator_returned(self, call, result):
        """The operator of `call` returned `result` (an RDD for a transformation)."""


def register(hook):
    """Start calling `hook` (a `DriverHook`); returns it.

    >>> import sparklet.hooks as hooks
    >>> hook = hooks.register(hooks.DriverHook())
    >>> hooks.unregister(hook)
    """
    global _hooks
    if not isinstance(hook, DriverHook):
        raise TypeError("register() takes a sparklet.hooks.DriverHook, got %s" % type(hook).__name__)
    if hook not in _hooks:
        _hooks = _hooks + (hook,)
    return hook


def unregister(hook):
    """Stop calling `hook`; unregistering a hook that is not registered does nothing."""
    global _hooks
    _hooks = tuple(h for h in _hooks if h is not hook)


def active():
    """Whether any hook is registered (the engine skips building calls when none is)."""
    return bool(_hooks)


def emit(method, *args):
    """Call `method` (a `DriverHook` method name) on every hook, logging what a hook raises."""
    for hook in _hooks:
        try:
            getattr(hook, method)(*args)
        except Exception:
            log.exception("driver hook %r failed in %s", hook, method)


def replaces_active(active_context, conf, via):
    """Whether a registered hook lets a new context replace `active_context`."""
    for hook in _hooks:
        try:
            if hook.replaces_active(active_context, conf, via):
                return True
        except Exception:
            log.exception("driver hook %r failed in replaces_active", hook)
    return False
