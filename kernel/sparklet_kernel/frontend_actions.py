"""Requests of the JupyterLab extension beyond the live session's (see protocol.md, section 3):

- ``language``: the notebook's natural language (its metadata ``language``), for the strings the
  kernel renders itself (`i18n`);
- ``history`` / ``history_job``: an event log replayed for the panel (issue 22), the same reader
  and store as ``%spark history PATH``: a snapshot of the replayed application, then one job's
  details (DAG, task spans) from it.

>>> handle({"action": "language", "language": "ko"})["language"]
'ko'
>>> handle({"action": "language", "language": "en"})["language"]
'en'
>>> handle({"action": "history"})["evalue"]
'history needs the path of an event log file or folder'
"""

from . import history, i18n
from .jobdetail import job_detail
from .version import __version__

ACTIONS = ("language", "history", "history_job")


def _error(ename, evalue):
    return {"status": "error", "ename": ename, "evalue": evalue}


def replay_snapshot(store):
    """A replayed application in the live snapshot's shape (protocol.md, "Snapshot").

    >>> snap = replay_snapshot(history.HistoryStore())
    >>> snap["session"]["contextActive"], snap["jobs"]
    (False, [])
    """
    state = store.snapshot(max_jobs=history.MAX_JOBS_SHOWN)
    app = store.application
    state["session"] = {
        "kernel": "sparklet", "version": __version__, "contextActive": False,
        "master": app.get("master"), "appName": app.get("appName"), "applicationId": app.get("appId"),
        "defaultParallelism": None, "replay": app.get("path"), "completed": app.get("completed", False),
        "sparkVersion": app.get("sparkVersion", ""),
    }
    return state


def handle(request):
    """The reply content to one of `ACTIONS`."""
    action = request.get("action")
    if action == "language":
        lang = request.get("language")
        if lang is not None and not isinstance(lang, str):
            return _error("ValueError", "language needs a language code such as 'ko', got %r" % (lang,))
        return {"status": "ok", "language": i18n.set_language(lang)}
    path = request.get("path")
    if not isinstance(path, str) or not path:
        return _error("ValueError", "%s needs the path of an event log file or folder" % action)
    try:
        store = history.load(path)
    except history.EventLogError as e:
        return _error("EventLogError", str(e))
    except OSError as e:
        return _error(type(e).__name__, "%s: %s" % (path, e.strerror or e))
    if action == "history":
        return {"status": "ok", "snapshot": replay_snapshot(store)}

    job_id = request.get("jobId")
    if not isinstance(job_id, int) or isinstance(job_id, bool):
        return _error("ValueError", "history_job needs an integer jobId, got %r" % (job_id,))
    detail = job_detail(store, job_id)
    if detail is None:
        return _error("KeyError", "no job %d in %s" % (job_id, path))
    return dict(detail, status="ok")
