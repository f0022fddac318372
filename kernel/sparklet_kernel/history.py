"""Replaying a Spark event log into the kernel's views, without Java: ``%spark history PATH``.

A log written by Sparklet or by real Spark (a single file or a rolling ``eventlog_v2_*`` folder,
plain or compressed with zstd, lz4, lzf or snappy, completed or still ``.inprogress``) is read line
by line, each JSON event is turned back into the listener event it records, and the events are
fed into a `SessionStore` in order, exactly as a live application's events arrive from the
listener bus. The jobs table, DAGs, task timelines, executors and storage are then the live
session's own views of that store.

Reading is built for big logs (a cluster job of hundreds of stages and 100,000 tasks): task-start
lines and the metrics-only events no view shows are recognised by their first bytes and skipped
unparsed (a task-end event carries everything its start did).

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> with open(os.path.join(d, "app-1"), "w") as f:
...     _ = f.write('{"Event":"SparkListenerLogStart","Spark Version":"4.0.0"}\\n'
...                 '{"Event":"SparkListenerApplicationStart","App Name":"wc","App ID":"app-1",'
...                 '"Timestamp":1000,"User":"ann"}\\n'
...                 '{"Event":"SparkListenerApplicationEnd","Timestamp":2000}\\n')
>>> store = replay(os.path.join(d, "app-1"))
>>> store.application["appName"], store.application["sparkVersion"], store.application["completed"]
('wc', '4.0.0', True)
"""

import io
import json
import os
import re

from sparklet import listener as L
from sparklet.appstatus import AppStatusStore
from sparklet.storagelevel import StorageLevel

from .state import SessionStore

IN_PROGRESS = ".inprogress"
_COMPRESSED = {"zstd": "zstd", "zst": "zstd", "lz4": "lz4", "lzf": "lzf", "snappy": "snappy"}
#: Events no view reads, recognised by the start of their line and never parsed.
_SKIPPED_PREFIXES = tuple(('{"Event":"%s"' % name).encode() for name in (
    "SparkListenerTaskStart", "SparkListenerExecutorMetricsUpdate", "SparkListenerStageExecutorMetrics",
    "SparkListenerTaskGettingResult", "SparkListenerBlockManagerRemoved", "SparkListenerResourceProfileAdded",
    "SparkListenerSpeculativeTaskSubmitted"))


class EventLogError(ValueError):
    """The path is not an event log Sparklet can read; the message says what to do."""


class JobFailed(Exception):
    """A failed job's exception as the log recorded it (its message)."""


class HistoryStore(SessionStore):
    """A `SessionStore` that keeps every job of the log (a live session forgets its oldest)."""

    def __init__(self, context=None):
        super().__init__(context, AppStatusStore(retained_jobs=None))


# ---- finding the files ----


def log_files(path):
    """(files in order, completed?) of the event log at `path`: a single file, or a rolling folder.

    >>> log_files("/no/such/log")
    Traceback (most recent call last):
    ...
    sparklet_kernel.history.EventLogError: no event log at /no/such/log
    """
    if os.path.isdir(path):
        names = os.listdir(path)
        events = [n for n in names if re.match(r"events_\d+_", n)]
        if events:
            events.sort(key=lambda n: int(n.split("_")[1]))
            completed = any(n.startswith("appstatus_") and not n.endswith(IN_PROGRESS) for n in names)
            return [os.path.join(path, n) for n in events], completed
        apps = sorted(n for n in names if not n.startswith(".") and not n.endswith(".crc"))
        if apps:
            raise EventLogError("%s is a directory of event logs; pass one of them: %s"
                                % (path, ", ".join(apps[:20]) + (" ..." if len(apps) > 20 else "")))
        raise EventLogError("%s holds no event log (no events_<n>_<appId> files)" % path)
    if not os.path.isfile(path):
        raise EventLogError("no event log at %s" % path)
    return [path], not path.endswith(IN_PROGRESS)


def _codec(filename):
    name = os.path.basename(filename)
    if name.endswith(IN_PROGRESS):
        name = name[: -len(IN_PROGRESS)]
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    return _COMPRESSED.get(suffix)


def _open(filename):
    codec = _codec(filename)
    raw = open(filename, "rb")
    if codec is None:
        return raw
    if codec != "zstd":
        from sparklet import compression
        with raw:
            data = raw.read()
        try:
            return io.BytesIO(compression.decompress(codec, data))
        except (ValueError, IndexError) as e:
            raise EventLogError("%s is not a readable %s stream (%s)" % (filename, codec, e)) from None
    try:
        import zstandard
    except ImportError:
        raw.close()
        raise EventLogError("reading the zstd-compressed log %s needs the zstandard package" % filename) from None
    return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True),
                             buffer_size=1 << 20)


def _lines(files, completed):
    """The log's lines (bytes); a killed writer's last, cut-off part is dropped."""
    import zstandard

    for filename in files:
        f = _open(filename)
        try:
            while True:
                try:
                    line = f.readline()
                except zstandard.ZstdError:
                    if completed:
                        raise EventLogError("%s is corrupt (its compressed data ends early)" % filename) from None
                    return  # an in-progress log whose writer was killed mid-block
                if not line:
                    break
                yield line
        finally:
            f.close()


# ---- events back from JSON ----


def _level(j):
    j = j or {}
    return StorageLevel(j.get("Use Disk", False), j.get("Use Memory", False), j.get("Use Off Heap", False),
                        j.get("Deserialized", False), j.get("Replication", 1))


def _rdd_info(j):
    site = j.get("Callsite") or ""
    op, _, where = site.partition(" at ")
    scope, scope_id = "", 0
    if j.get("Scope"):
        try:
            s = json.loads(j["Scope"])
            scope, scope_id = s.get("name", ""), int(s.get("id", 0))
        except (ValueError, TypeError):
            pass
    return L.RDDInfo(j["RDD ID"], j.get("Name", ""), j.get("Number of Partitions", 0), _level(j.get("Storage Level")),
                     list(j.get("Parent IDs", [])), callSite=where if where else site, scope=scope or (op if where else ""),
                     scopeId=scope_id, isBarrier=j.get("Barrier", False),
                     numCachedPartitions=j.get("Number of Cached Partitions", 0),
                     memSize=j.get("Memory Size", 0), diskSize=j.get("Disk Size", 0))


def _task_info(j):
    return L.TaskInfo(j["Task ID"], j["Index"], j.get("Attempt", 0), j.get("Launch Time", 0), j.get("Executor ID", ""),
                      j.get("Host", ""), j.get("Locality", ""), j.get("Speculative", False), j.get("Finish Time", 0),
                      j.get("Failed", False), j.get("Killed", False))


_NO_METRICS = {}


def _task_metrics(j):
    """The metrics the views add up (input, shuffle read and write, run time); a log of 100,000
    tasks spends most of its replay here, so the others stay at zero."""
    if not j:
        return L.TaskMetrics()
    r = j.get("Shuffle Read Metrics") or _NO_METRICS
    w = j.get("Shuffle Write Metrics") or _NO_METRICS
    i = j.get("Input Metrics") or _NO_METRICS
    return L.TaskMetrics(
        executorRunTime=j.get("Executor Run Time", 0), executorCpuTime=j.get("Executor CPU Time", 0),
        inputMetrics=L.InputMetrics(i.get("Bytes Read", 0), i.get("Records Read", 0)),
        shuffleReadMetrics=L.ShuffleReadMetrics(
            r.get("Local Blocks Fetched", 0), r.get("Remote Blocks Fetched", 0), r.get("Local Bytes Read", 0),
            r.get("Remote Bytes Read", 0), r.get("Total Records Read", 0)),
        shuffleWriteMetrics=L.ShuffleWriteMetrics(w.get("Shuffle Bytes Written", 0), w.get("Shuffle Records Written", 0)))


def _reason(j):
    """Sparklet's reason text (what live task-end events carry) and the error's full text."""
    kind = j.get("Reason", "UnknownReason")
    if kind == "Success":
        return "Success", None
    if kind == "ExceptionFailure":
        text = j.get("Description") or ""
        cls = j.get("Class Name", "").rsplit(".", 1)[-1]
        last = text.strip().splitlines()[-1] if text.strip() else ""
        return "ExceptionFailure(%s: %s)" % (cls, last), j.get("Full Stack Trace") or text
    if kind == "TaskKilled":
        return "TaskKilled(%s)" % j.get("Kill Reason", ""), None
    if kind == "FetchFailed":
        return "FetchFailed(%s)" % j.get("Message", ""), None
    if kind == "ExecutorLostFailure":
        return "ExecutorLostFailure(%s)" % j.get("Loss Reason", ""), None
    return kind, None


def _failure_line(message):
    """The line of a failure message a reader needs: for a Python error Spark wraps (its message
    is the whole traceback), the exception's own last line.

    >>> _failure_line("[PYTHON_EXCEPTION] An exception was thrown from the Python worker: Traceback"
    ...               " (most recent call last):\\n  File ...\\nValueError: bad record\\n SQLSTATE: 38000")
    'ValueError: bad record'
    """
    lines = [x.strip() for x in message.splitlines() if x.strip() and not x.strip().startswith("SQLSTATE")]
    if "Traceback (most recent call last)" in message and lines:
        return lines[-1]
    return lines[0] if lines else message


class _Replayer:
    def __init__(self, store):
        self.store = store
        self.shuffle_map = {}  # stageId -> is a shuffle-map stage (the log does not say; its children do)

    def stage_info(self, j):
        sid = j["Stage ID"]
        return L.StageInfo(sid, j.get("Stage Attempt ID", 0), j.get("Stage Name", ""), j.get("Number of Tasks", 0),
                           [_rdd_info(r) for r in j.get("RDD Info", [])], list(j.get("Parent IDs", [])),
                           details="", isShuffleMap=self.shuffle_map.get(sid, False),
                           submissionTime=j.get("Submission Time"), completionTime=j.get("Completion Time"),
                           failureReason=j.get("Failure Reason"))

    def event(self, e):
        store, kind = self.store, e["Event"]
        if kind == "SparkListenerTaskEnd":
            info = _task_info(e["Task Info"])
            reason, error = _reason(e.get("Task End Reason") or {})
            sid, attempt = e["Stage ID"], e.get("Stage Attempt ID", 0)
            if info.attemptNumber:
                # task-start lines are not read (see the module docstring); the store counts a
                # retry when its attempt starts
                store.onTaskStart(L.SparkListenerTaskStart(sid, attempt, info))
            store.onTaskEnd(L.SparkListenerTaskEnd(sid, attempt, e.get("Task Type", ""), reason, info,
                                                   _task_metrics(e.get("Task Metrics")), error))
        elif kind == "SparkListenerStageSubmitted":
            store.onStageSubmitted(L.SparkListenerStageSubmitted(self.stage_info(e["Stage Info"]),
                                                                 dict(e.get("Properties") or {})))
        elif kind == "SparkListenerStageCompleted":
            store.onStageCompleted(L.SparkListenerStageCompleted(self.stage_info(e["Stage Info"])))
        elif kind == "SparkListenerJobStart":
            infos = e.get("Stage Infos", [])
            parents = {p for s in infos for p in s.get("Parent IDs", [])}
            for s in infos:
                self.shuffle_map[s["Stage ID"]] = s["Stage ID"] in parents
            store.onJobStart(L.SparkListenerJobStart(e["Job ID"], e.get("Submission Time", 0),
                                                     [self.stage_info(s) for s in infos],
                                                     dict(e.get("Properties") or {})))
        elif kind == "SparkListenerJobEnd":
            result = e.get("Job Result") or {}
            ok = result.get("Result") == "JobSucceeded"
            exc = None if ok else JobFailed(_failure_line((result.get("Exception") or {}).get("Message")
                                                          or result.get("Result", "")))
            store.onJobEnd(L.SparkListenerJobEnd(e["Job ID"], e.get("Completion Time", 0), L.JobResult(ok, exc)))
        elif kind == "SparkListenerBlockUpdated":
            b = e["Block Updated Info"]
            store.onBlockUpdated(L.SparkListenerBlockUpdated(L.BlockUpdatedInfo(
                b["Block Manager ID"]["Executor ID"], b["Block ID"], _level(b.get("Storage Level")),
                b.get("Memory Size", 0), b.get("Disk Size", 0))))
        elif kind == "SparkListenerUnpersistRDD":
            store.onUnpersistRDD(L.SparkListenerUnpersistRDD(e["RDD ID"]))
        elif kind == "SparkListenerExecutorAdded":
            info = e.get("Executor Info") or {}
            store.onExecutorAdded(L.SparkListenerExecutorAdded(
                e.get("Timestamp", 0), e["Executor ID"],
                L.ExecutorInfo(executorHost=info.get("Host", ""), totalCores=info.get("Total Cores", 0))))
        elif kind == "SparkListenerExecutorRemoved":
            store.onExecutorRemoved(L.SparkListenerExecutorRemoved(e.get("Timestamp", 0), e["Executor ID"],
                                                                   e.get("Removed Reason", "")))
        elif kind == "SparkListenerBlockManagerAdded":
            ex = store.executors.get(e["Block Manager ID"]["Executor ID"])
            if ex is not None:
                ex["maxMemory"] = e.get("Maximum Memory", 0)
        elif kind == "SparkListenerApplicationStart":
            app = dict(store.application)
            store.onApplicationStart(L.SparkListenerApplicationStart(
                e.get("App Name", ""), e.get("App ID", ""), e.get("Timestamp", 0), e.get("User", ""),
                app.get("master", "")))
            store.application.update({k: v for k, v in app.items() if k not in store.application})
        elif kind == "SparkListenerApplicationEnd":
            store.onApplicationEnd(L.SparkListenerApplicationEnd(e.get("Timestamp", 0)))
        elif kind == "SparkListenerLogStart":
            store.application["sparkVersion"] = e.get("Spark Version", "")
        elif kind == "SparkListenerEnvironmentUpdate":
            props = dict(e.get("Spark Properties") or {})
            store.application["master"] = props.get("spark.master", "")
            store.application["sparkProperties"] = props


def replay(path):
    """A `HistoryStore` holding the application the event log at `path` records."""
    files, completed = log_files(path)
    store = HistoryStore()
    replayer = _Replayer(store)
    pending = None  # a line that did not parse: fine only as a killed writer's last one
    for number, line in enumerate(_lines(files, completed), 1):
        if line.startswith(_SKIPPED_PREFIXES):
            continue
        if pending is not None:
            raise EventLogError("%s: line %d is not a JSON event" % (path, pending))
        try:
            event = json.loads(line)
        except ValueError:
            pending = number
            continue
        if isinstance(event, dict) and "Event" in event:
            replayer.event(event)
    if pending is not None and completed:
        raise EventLogError("%s: line %d is not a JSON event" % (path, pending))
    store.application.setdefault("appName", os.path.basename(path.rstrip("/")))
    store.application.setdefault("sparkVersion", "")
    store.application["completed"] = completed and store.application.get("endTime") is not None
    store.application["path"] = path
    return store


# ---- the views ----

#: Jobs shown with their DAGs by ``%spark history`` (the latest ones; a long log has thousands).
MAX_JOBS_SHOWN = 100


def jobs_state(store, max_jobs=MAX_JOBS_SHOWN):
    """The jobs view's state (protocol.md's jobs bundle) of a replayed application, DAGs included."""
    from . import progress
    from .dag import dag_model

    ids = store.job_ids()
    shown = ids[-max_jobs:]
    jobs = []
    for job_id in shown:
        job = store.job_json(job_id)
        skipped = [s["stageId"] for s in job["stages"] if s["status"] == "skipped"]
        job["dag"] = dag_model(store.job_stage_infos(job_id), skipped)
        jobs.append(job)
    return {"version": progress.SCHEMA_VERSION, "executionCount": None, "groupId": None,
            "hiddenJobs": len(ids) - len(shown), "jobs": jobs}


def _table(title, headers, rows):
    from html import escape

    th = "".join('<th style="text-align:left;padding:2px 10px 2px 0">%s</th>' % escape(h) for h in headers)
    body = "".join("<tr>%s</tr>" % "".join('<td style="padding:2px 10px 2px 0">%s</td>' % escape(str(c)) for c in r)
                   for r in rows)
    html = ('<div style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:12px;margin:4px 0">'
            '<b>%s</b><table style="border-collapse:collapse;margin:0"><thead><tr>%s</tr></thead><tbody>%s</tbody>'
            '</table></div>' % (escape(title), th, body))
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)] if rows else [len(h) for h in headers]
    lines = [title] + ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [headers] + list(rows)]
    return {"text/plain": "\n".join(lines), "text/html": html}


def summary(store):
    """One line naming the application the log records."""
    from .progress import human_ms

    app = store.application
    start, end = app.get("startTime"), app.get("endTime")
    state = "completed" if app.get("completed") else "incomplete (the log is still in progress, or its driver died)"
    jobs = [store.job_json(j) for j in store.job_ids()]
    failed = sum(1 for j in jobs if j["status"] == "failed")
    text = "%s (%s), Spark %s, %s: %d jobs (%d failed), %d stages, %d tasks%s" % (
        app.get("appName", ""), app.get("appId", ""), app.get("sparkVersion") or "?", state, len(jobs), failed,
        len(store.stages), sum(len(s.spans) for s in store.stages.values()),
        ", ran %s" % human_ms(end - start) if start and end else "")
    return text


def executors_view(store):
    snap = store.snapshot(max_jobs=0)
    rows = [(e["executorId"], e["host"], e["totalCores"], e["completedTasks"], e["failedTasks"],
             "active" if e["isActive"] else "removed: %s" % (e.get("removeReason") or ""))
            for e in snap["executors"]]
    return _table("Executors", ["Executor", "Host", "Cores", "Completed tasks", "Failed tasks", "Status"], rows)


def storage_view(store):
    from .progress import human_bytes

    snap = store.snapshot(max_jobs=0)
    rows = [(s["rddId"], s["name"], s["storageLevel"], s["numCachedPartitions"], human_bytes(s["memSize"]),
             human_bytes(s["diskSize"])) for s in snap["storage"]]
    return _table("Storage (cached RDDs at the end of the log)",
                  ["RDD", "Name", "Storage level", "Cached partitions", "Memory", "Disk"], rows)


def timeline_bundle(store, job_id=None):
    """One job's task timeline as a display bundle (`timeline.timeline_bundle`; default: the log's
    last job with finished tasks)."""
    from .timeline import timeline_bundle

    ids = store.job_ids()
    if job_id is None:
        with_tasks = [j for j in ids if store.task_spans(j)]
        if not with_tasks:
            raise EventLogError("the log has no finished tasks")
        job_id = with_tasks[-1]
    job = store.job_json(job_id)
    if job is None:
        raise EventLogError("the log has no job %d (its jobs: %s)" % (job_id, _id_ranges(ids)))
    spans = store.task_spans(job_id)
    if not spans:
        raise EventLogError("job %d has no finished tasks in the log" % job_id)
    return timeline_bundle(spans, "Job %d: %s" % (job_id, job["description"]), store.executor_cores())


def _id_ranges(ids):
    """Job ids the way a reader scans them.

    >>> _id_ranges([0, 1, 2, 5, 7, 8])
    '0-2, 5, 7-8'
    """
    out, start, prev = [], None, None
    for i in list(ids) + [None]:
        if start is not None and (i is None or i != prev + 1):
            out.append(str(start) if start == prev else "%d-%d" % (start, prev))
            start = None
        if start is None and i is not None:
            start = i
        prev = i
    return ", ".join(out)


_CACHE = {}


def load(path):
    """`replay(path)`, remembered while the log's files are unchanged (views re-read one log often)."""
    path = os.path.abspath(os.path.expanduser(path))
    files, _ = log_files(path)
    key = (path, tuple((f, os.stat(f).st_mtime_ns, os.stat(f).st_size) for f in files),
           tuple(sorted(os.listdir(path))) if os.path.isdir(path) else ())
    if _CACHE.get("key") != key:
        _CACHE.clear()
        _CACHE.update(key=key, store=replay(path))
    return _CACHE["store"]
