"""What the session, the displays, the DAG and the magics ask of the engine behind ``sc``.

Two implementations: `local_backend.LocalBackend` (Sparklet's own engine, the default) and
`pyspark_backend.PySparkBackend` (Apache Spark through the installed pyspark). Everything outside
those two modules calls this interface and never asks which backend it is talking to; the
session picks one by its settings' ``"backend"`` name (``session.BACKENDS``) and switches between
them.

A backend is activated on a session (it owns ``import pyspark`` and the session's exception
display while active), creates contexts, gives each new context the `state.SessionStore` the
views read, and answers the few questions a store cannot: the stages a job on an RDD would run
(for a DAG drawn before the job), the executors and cached RDDs as the backend reports them,
and where executor logs are.
"""

#: the backend of the running session (None outside a session): what `dag.show` draws with
_active = []


def describe_context(sc):
    """``SparkContext(master='local[2]', appName='app')``, the same for both backends."""
    return "SparkContext(master=%r, appName=%r)" % (sc.master, sc.appName)


def one_line(error):
    """An exception as one line: its type and its message's first line (a JVM's error is pages long).

    >>> one_line(RuntimeError("Java gateway process exited\\n  at org.apache.spark..."))
    'RuntimeError: Java gateway process exited'
    """
    text = str(error).strip().splitlines()
    return "%s: %s" % (type(error).__name__, text[0]) if text else type(error).__name__


class BackendUnavailable(RuntimeError):
    """The backend cannot start here; the message is the one-line reason."""


class SwitchFailed(RuntimeError):
    """A backend switch that did not happen; the session is still on the context it had."""


class Backend:
    """The interface; each method's docstring says what the views rely on."""

    #: the name settings use (``"backend": "sparklet"``)
    name = None

    def activate(self, session):
        """Put `session` on this backend (``import pyspark``, the exception display, context
        hooks); on failure undo what was done and raise `BackendUnavailable`."""
        raise NotImplementedError

    def deactivate(self, session):
        """Undo `activate`; the backend's contexts keep running until stopped."""
        raise NotImplementedError

    def active_context(self):
        """This backend's active SparkContext, or None."""
        raise NotImplementedError

    def create_context(self, master, app_name, conf):
        """A new context; `conf` is a dict of Spark properties."""
        raise NotImplementedError

    def master_for(self, settings, default):
        """The master URL for `settings` (config.py) that name none: `default` unless the backend
        derives one from the settings' conf."""
        return settings["master"] or default

    def observe(self, sc):
        """The `state.SessionStore` that follows `sc` (called once per context the session adopts)."""
        raise NotImplementedError

    def preview_stages(self, rdd):
        """(StageInfo of each stage a job on `rdd` would run, ids of those it would skip because
        their shuffle output exists), without running anything."""
        raise NotImplementedError

    def executors(self, sc, store):
        """[{"id", "cores", "memory", "detail"}] of the context's executors, for ``%%info``."""
        raise NotImplementedError

    def cached_rdds(self, sc, store):
        """[{"id", "name", "storageLevel", "cachedPartitions", "numPartitions", "memSize",
        "diskSize", "sizeKind" (optional: "estimated" marks a size that is not bytes held)}] of
        the context's cached RDDs, for ``%%info``."""
        raise NotImplementedError

    def executor_logs(self, sc, store, lines):
        """Text lines saying where the executors' logs are, with the last `lines` of each when
        the kernel can read them, for ``%%logs``."""
        raise NotImplementedError


def set_active(backend):
    del _active[:]
    if backend is not None:
        _active.append(backend)


def active():
    """The running session's backend, or None outside a session."""
    return _active[0] if _active else None
