"""The kernel's picture of a Spark session, built only from listener-bus events.

Events are folded once, by the engine's status store (`sparklet.appstatus.AppStatusStore`, the
fold ``sc.statusTracker()`` reads too). `SessionStore` is the kernel's view of one such store: the
live cell displays, the lab panel's channel and the magics read its snapshots, with call sites
named after cells; none of them looks at the scheduler. Snapshots are JSON-ready dicts in the
schema documented in ``protocol.md``.
"""

# TaskSpan and is_cached are read by the timeline, the DAG and the pyspark backend from here
from sparklet.appstatus import AppStatusStore, TaskSpan, is_cached  # noqa: F401

from .source import rewrite_sites, short_site


def cached_rdd_name(entry):
    """``"map at <cell 2>:1"`` for a storage entry of the engine's store."""
    site = short_site(entry.get("callSite") or "")
    name = entry.get("name") or ""
    return "%s at %s" % (name, site) if site and name else name


class SessionStore:
    """The kernel's reading of one context's status store.

    It folds nothing itself: listener callbacks, subscriptions and records are the engine store's
    (`status`, a `sparklet.appstatus.AppStatusStore`: the context's own ``sc.statusStore`` for
    the local engine, a store fed by a poller or an event log otherwise). What it adds is
    display: call sites and descriptions name cells (``<cell 3>:2``), not IPython's file names.
    `storeId` comes from the engine store and is never reused.

    >>> view = SessionStore(status=AppStatusStore())
    >>> view.snapshot()["jobs"], view.storeId == view.status.storeId, view.stopped
    ([], True, False)
    """

    def __init__(self, context=None, status=None):
        self.context = context
        self.status = status if status is not None else AppStatusStore()
        self._own = []  # callbacks this view subscribed, dropped by close()

    def __getattr__(self, name):
        # listener callbacks (a store without a context is fed by its owner or a test's bus),
        # the lock, the records and the plain readers are the engine store's
        if name in ("status", "context", "_own"):
            raise AttributeError(name)
        return getattr(self.status, name)

    def __repr__(self):
        return "<SessionStore of %r>" % (self.status,)

    def subscribe(self, callback):
        self._own.append(callback)
        return self.status.subscribe(callback)

    def unsubscribe(self, callback):
        self._own = [c for c in self._own if c != callback]
        self.status.unsubscribe(callback)

    def close(self):
        """Stop following the context (the session adopted a newer one): the views' callbacks
        leave the engine store, which stays with its context."""
        for callback in self._own:
            self.status.unsubscribe(callback)
        self._own = []

    def sync(self, timeout=2.0):
        return self.status.sync(timeout)

    def task_spans(self, job_id):
        return self.status.task_spans(job_id)

    def job_json(self, job_id):
        """One job with its stages, names rewritten for the notebook, or None."""
        job = self.status.job_json(job_id)
        if job is None:
            return None
        job["description"] = rewrite_sites(job["description"])
        job["callSite"] = rewrite_sites(job["callSite"])
        for stage in job["stages"]:
            stage["name"] = rewrite_sites(stage["name"])
        return job

    def snapshot(self, max_jobs=100):
        """The whole session for the lab panel (protocol.md, "session snapshot")."""
        state = self.status.snapshot(max_jobs, job_json=self.job_json)
        for entry in state["storage"]:
            entry["name"] = cached_rdd_name(entry)
        return state
