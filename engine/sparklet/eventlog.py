"""Spark event logs: the application's listener events written as Spark's JSON lines, so the Spark
History Server (and ``%spark history`` in the kernel) can show a finished application.

Settings and layout are Spark 4's (``spark.eventLog.*``):

- ``spark.eventLog.enabled`` (false), ``spark.eventLog.dir`` (``file:/tmp/spark-events``; like
  Spark, the directory must already exist).
- ``spark.eventLog.compress`` (true) with ``spark.eventLog.compression.codec`` (zstd; Sparklet
  writes zstd only, through the ``zstandard`` package).
- ``spark.eventLog.rolling.enabled`` (true) and ``spark.eventLog.rolling.maxFileSize`` (128m, at
  least 10m): a folder ``eventlog_v2_<appId>`` holding ``events_<n>_<appId>[.zstd]`` files and an
  empty ``appstatus_<appId>[.inprogress]`` marker; with rolling off, one file
  ``<appId>[.zstd][.inprogress]``. ``.inprogress`` goes when the context stops, which is how the
  History Server tells running (or killed) applications from completed ones.
- ``spark.eventLog.logBlockUpdates.enabled`` (false): cached blocks, which the History Server's
  storage tab needs.

Each event is one line of Spark's ``JsonProtocol`` schema. Fields Sparklet does not measure carry
the values Spark writes when nothing happened (zero metrics, empty accumulables), never a missing
key, because the History Server's parser requires them.

The listener only turns events into lines on the listener-bus thread (the event objects are still
being updated by the scheduler, so they are read promptly); one writer thread compresses and writes
them, flushing after each batch so that a killed driver leaves every whole line readable. A
directory that cannot be written, or a full disk, gives one warning and the application goes on
without its log.

>>> to_json(SparkListenerUnpersistRDD(3))
'{"Event":"SparkListenerUnpersistRDD","RDD ID":3}'
"""

import json
import logging
import os
import queue
import re
import sys
import threading
from urllib.parse import urlparse

from . import listener as L
from .listener import SparkListener, SparkListenerUnpersistRDD

log = logging.getLogger("sparklet.eventlog")

DEFAULT_DIR = "file:/tmp/spark-events"
IN_PROGRESS = ".inprogress"
#: Spark's short codec names and the file suffix each gives.
SPARK_CODECS = ("lz4", "lzf", "snappy", "zstd")
REDACTION = "(?i)secret|password|token|access[.]?key"
REDACTED = "*********(redacted)"


def _flag(conf, key, default):
    return str(conf.get(key, default)).strip().lower() == "true"


class EventLogSettings:
    """The ``spark.eventLog.*`` settings of one application, checked once, before it starts.

    >>> from sparklet import SparkConf
    >>> s = EventLogSettings(SparkConf(loadDefaults=False).set("spark.eventLog.enabled", "true"))
    >>> (s.directory, s.codec, s.rolling, s.max_file_size)
    ('/tmp/spark-events', 'zstd', True, 134217728)
    >>> EventLogSettings(SparkConf(loadDefaults=False).set("spark.eventLog.enabled", "true")
    ...                  .set("spark.eventLog.compression.codec", "brotli"))
    Traceback (most recent call last):
    ...
    ValueError: spark.eventLog.compression.codec=brotli is not a codec Spark knows (lz4, lzf, snappy, zstd); Sparklet writes zstd, or set spark.eventLog.compress=false
    """

    def __init__(self, conf):
        from .conf import parse_bytes

        self.enabled = _flag(conf, "spark.eventLog.enabled", "false")
        uri = conf.get("spark.eventLog.dir") or DEFAULT_DIR
        parsed = urlparse(uri)
        if parsed.scheme not in ("", "file"):
            raise ValueError("spark.eventLog.dir=%s: Sparklet writes event logs to local directories only "
                             "(a path or a file: URI)" % uri)
        self.uri = uri
        self.directory = os.path.abspath(parsed.path if parsed.scheme else uri)
        self.codec = None
        if _flag(conf, "spark.eventLog.compress", "true"):
            codec = (conf.get("spark.eventLog.compression.codec") or "zstd").strip().lower()
            codec = {"org.apache.spark.io.zstdcompressioncodec": "zstd"}.get(codec, codec)
            if codec not in SPARK_CODECS:
                raise ValueError("spark.eventLog.compression.codec=%s is not a codec Spark knows (%s); Sparklet "
                                 "writes zstd, or set spark.eventLog.compress=false" % (codec, ", ".join(SPARK_CODECS)))
            if codec != "zstd":
                raise ValueError("spark.eventLog.compression.codec=%s is not available in Sparklet, which writes "
                                 "event logs with zstd (Spark's default) or uncompressed: set the codec to zstd "
                                 "or spark.eventLog.compress=false" % codec)
            if self.enabled:
                _zstd()
            self.codec = codec
        self.rolling = _flag(conf, "spark.eventLog.rolling.enabled", "true")
        self.max_file_size = parse_bytes(conf.get("spark.eventLog.rolling.maxFileSize") or "128m", default_unit="b")
        if self.rolling and self.max_file_size < 10 * 1024 * 1024:
            raise ValueError("spark.eventLog.rolling.maxFileSize=%s is below Spark's minimum of 10m"
                             % conf.get("spark.eventLog.rolling.maxFileSize"))
        self.log_block_updates = _flag(conf, "spark.eventLog.logBlockUpdates.enabled", "false")
        self.overwrite = _flag(conf, "spark.eventLog.overwrite", "false")


def _zstd():
    try:
        import zstandard
    except ImportError:
        raise ValueError("spark.eventLog.compress=true needs the zstandard package for Spark's zstd codec: "
                         "pip install zstandard, or set spark.eventLog.compress=false") from None
    return zstandard


# ---- Spark's JSON schema (JsonProtocol) ----


def _storage_level(level):
    return {"Use Disk": bool(getattr(level, "useDisk", False)), "Use Memory": bool(getattr(level, "useMemory", False)),
            "Use Off Heap": bool(getattr(level, "useOffHeap", False)),
            "Deserialized": bool(getattr(level, "deserialized", False)),
            "Replication": int(getattr(level, "replication", 1))}


def _rdd_info(r):
    out = {"RDD ID": r.id, "Name": r.name}
    if r.scope:
        out["Scope"] = json.dumps({"id": str(r.scopeId), "name": r.scope}, separators=(",", ":"))
    site = r.callSite or ""
    if site and " at " not in site:
        site = "%s at %s" % (r.scope or r.name, site)
    out.update({"Callsite": site, "Parent IDs": list(r.parentIds), "Storage Level": _storage_level(r.storageLevel),
                "Barrier": bool(r.isBarrier), "DeterministicLevel": "DETERMINATE",
                "Number of Partitions": r.numPartitions, "Number of Cached Partitions": r.numCachedPartitions,
                "Memory Size": r.memSize, "Disk Size": r.diskSize})
    return out


def _stage_info(s, sid, times=True):
    out = {"Stage ID": sid(s.stageId), "Stage Attempt ID": s.attemptNumber, "Stage Name": s.name,
           "Number of Tasks": s.numTasks, "RDD Info": [_rdd_info(r) for r in s.rddInfos],
           "Parent IDs": [sid(p) for p in s.parentIds], "Details": s.details or ""}
    if times:
        if s.submissionTime is not None:
            out["Submission Time"] = s.submissionTime
        if s.completionTime is not None:
            out["Completion Time"] = s.completionTime
        if s.failureReason is not None:
            out["Failure Reason"] = s.failureReason
    out.update({"Accumulables": [], "Resource Profile Id": 0, "Shuffle Push Enabled": False,
                "Shuffle Push Mergers Count": 0})
    return out


def _task_info(t, finished=True):
    return {"Task ID": t.taskId, "Index": t.index, "Attempt": t.attemptNumber, "Partition ID": t.index,
            "Launch Time": t.launchTime, "Executor ID": t.executorId, "Host": t.host, "Locality": t.taskLocality,
            "Speculative": bool(t.speculative), "Getting Result Time": 0,
            "Finish Time": (t.finishTime or 0) if finished else 0,
            "Failed": bool(t.failed) if finished else False, "Killed": bool(t.killed) if finished else False,
            "Accumulables": []}


_PUSH_SHUFFLE = {k: 0 for k in (
    "Corrupt Merged Block Chunks", "Merged Fetch Fallback Count", "Merged Remote Blocks Fetched",
    "Merged Local Blocks Fetched", "Merged Remote Chunks Fetched", "Merged Local Chunks Fetched",
    "Merged Remote Bytes Read", "Merged Local Bytes Read", "Merged Remote Requests Duration")}

_EXECUTOR_METRICS = {k: 0 for k in (
    "JVMHeapMemory", "JVMOffHeapMemory", "OnHeapExecutionMemory", "OffHeapExecutionMemory", "OnHeapStorageMemory",
    "OffHeapStorageMemory", "OnHeapUnifiedMemory", "OffHeapUnifiedMemory", "DirectPoolMemory", "MappedPoolMemory",
    "ProcessTreeJVMVMemory", "ProcessTreeJVMRSSMemory", "ProcessTreePythonVMemory", "ProcessTreePythonRSSMemory",
    "ProcessTreeOtherVMemory", "ProcessTreeOtherRSSMemory", "MinorGCCount", "MinorGCTime", "MajorGCCount",
    "MajorGCTime", "TotalGCTime", "ConcurrentGCCount", "ConcurrentGCTime")}


def _task_metrics(m):
    m = m or L.TaskMetrics()
    r, w, i, o = m.shuffleReadMetrics, m.shuffleWriteMetrics, m.inputMetrics, m.outputMetrics
    return {
        "Executor Deserialize Time": m.executorDeserializeTime, "Executor Deserialize CPU Time": 0,
        "Executor Run Time": m.executorRunTime, "Executor CPU Time": m.executorCpuTime,
        "Peak Execution Memory": m.peakExecutionMemory, "Peak On Heap Execution Memory": m.peakExecutionMemory,
        "Peak Off Heap Execution Memory": 0, "Result Size": m.resultSize, "JVM GC Time": 0,
        "Result Serialization Time": m.resultSerializationTime, "Memory Bytes Spilled": m.memoryBytesSpilled,
        "Disk Bytes Spilled": m.diskBytesSpilled,
        "Shuffle Read Metrics": {
            "Remote Blocks Fetched": r.remoteBlocksFetched, "Local Blocks Fetched": r.localBlocksFetched,
            "Fetch Wait Time": r.fetchWaitTime, "Remote Bytes Read": r.remoteBytesRead, "Remote Bytes Read To Disk": 0,
            "Local Bytes Read": r.localBytesRead, "Total Records Read": r.recordsRead, "Remote Requests Duration": 0,
            "Push Based Shuffle": dict(_PUSH_SHUFFLE)},
        "Shuffle Write Metrics": {"Shuffle Bytes Written": w.bytesWritten, "Shuffle Write Time": w.writeTime,
                                  "Shuffle Records Written": w.recordsWritten},
        "Input Metrics": {"Bytes Read": i.bytesRead, "Records Read": i.recordsRead},
        "Output Metrics": {"Bytes Written": o.bytesWritten, "Records Written": o.recordsWritten},
        "Updated Blocks": [],
    }


_REASON = re.compile(r"^(\w+)(?:\((.*)\))?$", re.S)


def _end_reason(event):
    """Spark's TaskEndReason JSON from the reason text Sparklet's task-end events carry."""
    m = _REASON.match(event.reason or "")
    kind, detail = (m.group(1), m.group(2) or "") if m else ("UnknownReason", "")
    if kind == "Success":
        return {"Reason": "Success"}
    if kind == "ExceptionFailure":
        text = event.error or detail
        return {"Reason": "ExceptionFailure", "Class Name": "org.apache.spark.api.python.PythonException",
                "Description": text, "Stack Trace": [],
                "Full Stack Trace": "org.apache.spark.api.python.PythonException: " + text,
                "Accumulator Updates": []}
    if kind == "TaskKilled":
        return {"Reason": "TaskKilled", "Kill Reason": detail, "Accumulator Updates": []}
    if kind == "FetchFailed":
        return {"Reason": "FetchFailed", "Shuffle ID": 0, "Map ID": 0, "Map Index": 0, "Reduce ID": 0,
                "Message": detail}
    if kind == "ExecutorLostFailure":
        return {"Reason": "ExecutorLostFailure", "Executor ID": event.taskInfo.executorId,
                "Exit Caused By App": True, "Loss Reason": detail}
    if kind == "TaskResultLost":
        return {"Reason": "TaskResultLost"}
    return {"Reason": "UnknownReason"}


def _block_manager_id(executor_id, address):
    # Sparklet's block stores listen on no port; the History Server requires a positive one, and the
    # process id names the executor's process as uniquely as a port would.
    host, pid = address
    return {"Executor ID": executor_id, "Host": host, "Port": pid or 1}


def _same(stage_id):
    return stage_id


def to_json(event, hosts=None, stage_id=_same):
    """One listener event as Spark's event-log line (without the newline), or None for events Spark
    does not log (Sparklet's own task output and block events).

    >>> to_json(L.SparkListenerApplicationEnd(1700000000000))
    '{"Event":"SparkListenerApplicationEnd","Timestamp":1700000000000,"ExitCode":0}'
    """
    out = _event_dict(event, hosts or {}, stage_id)
    return None if out is None else json.dumps(out, separators=(",", ":"), ensure_ascii=False)


def _event_dict(e, hosts, sid):
    name = type(e).__name__
    if isinstance(e, L.SparkListenerApplicationStart):
        body = {"App Name": e.appName, "App ID": e.appId, "Timestamp": e.time, "User": e.sparkUser}
    elif isinstance(e, L.SparkListenerApplicationEnd):
        body = {"Timestamp": e.time, "ExitCode": 0}
    elif isinstance(e, L.SparkListenerExecutorAdded):
        info = e.executorInfo
        body = {"Timestamp": e.time, "Executor ID": e.executorId,
                "Executor Info": {"Host": info.executorHost, "Total Cores": info.totalCores,
                                  "Log Urls": dict(getattr(info, "logUrlMap", None) or {}), "Attributes": {},
                                  "Resources": {}, "Resource Profile Id": 0}}
    elif isinstance(e, L.SparkListenerExecutorRemoved):
        body = {"Timestamp": e.time, "Executor ID": e.executorId, "Removed Reason": e.reason}
    elif isinstance(e, L.SparkListenerJobStart):
        body = {"Job ID": e.jobId, "Submission Time": e.time,
                "Stage Infos": [_stage_info(s, sid, times=False) for s in e.stageInfos],
                "Stage IDs": [sid(s) for s in e.stageIds], "Properties": dict(e.properties or {})}
    elif isinstance(e, L.SparkListenerJobEnd):
        result = {"Result": "JobSucceeded"}
        if not e.jobResult.succeeded:
            exc = e.jobResult.exception
            result = {"Result": "JobFailed",
                      "Exception": {"Message": "%s: %s" % (type(exc).__name__, exc) if exc is not None else "",
                                    "Stack Trace": []}}
        body = {"Job ID": e.jobId, "Completion Time": e.time, "Job Result": result}
    elif isinstance(e, L.SparkListenerStageSubmitted):
        body = {"Stage Info": _stage_info(e.stageInfo, sid), "Properties": dict(e.properties or {})}
        body["Stage Info"].pop("Completion Time", None)
        body["Stage Info"].pop("Failure Reason", None)
    elif isinstance(e, L.SparkListenerStageCompleted):
        body = {"Stage Info": _stage_info(e.stageInfo, sid)}
    elif isinstance(e, L.SparkListenerTaskStart):
        body = {"Stage ID": sid(e.stageId), "Stage Attempt ID": e.stageAttemptId,
                "Task Info": _task_info(e.taskInfo, finished=False)}
    elif isinstance(e, L.SparkListenerTaskEnd):
        body = {"Stage ID": sid(e.stageId), "Stage Attempt ID": e.stageAttemptId, "Task Type": e.taskType,
                "Task End Reason": _end_reason(e), "Task Info": _task_info(e.taskInfo),
                "Task Executor Metrics": dict(_EXECUTOR_METRICS), "Task Metrics": _task_metrics(e.taskMetrics)}
    elif isinstance(e, L.SparkListenerBlockUpdated):
        b = e.blockUpdatedInfo
        body = {"Block Updated Info": {"Block Manager ID": _block_manager_id(b.executorId, hosts.get(b.executorId, ("localhost", 1))),
                                       "Block ID": b.blockId, "Storage Level": _storage_level(b.storageLevel),
                                       "Memory Size": b.memSize, "Disk Size": b.diskSize}}
    elif isinstance(e, SparkListenerUnpersistRDD):
        body = {"RDD ID": e.rddId}
    elif isinstance(e, dict) and "Event" in e:  # lines the log writes of its own (log start, environment)
        return e
    else:
        return None
    return dict({"Event": name}, **body)


def _redact(props):
    pattern = re.compile(REDACTION)
    return {k: (REDACTED if pattern.search(k) else v) for k, v in props}


def initial_events(sc, settings):
    """The lines Spark writes before the application starts: log start, resource profile, the
    driver's block manager and the environment."""
    from .context import SPARK_VERSION

    now = sc.startTime
    props = _redact(sorted(sc.getConf().getAll()))
    props.setdefault("spark.scheduler.mode", "FIFO")  # Sparklet's only mode; the jobs page names it
    system = {"python.version": sys.version.split()[0], "python.executable": sys.executable,
              "os.name": sys.platform, "user.dir": os.getcwd(), "user.name": sc.sparkUser()}
    memory_mb = sc._executor_memory // (1024 * 1024)
    return [
        {"Event": "SparkListenerLogStart", "Spark Version": SPARK_VERSION},
        {"Event": "SparkListenerResourceProfileAdded", "Resource Profile Id": 0,
         "Executor Resource Requests": {
             "cores": {"Resource Name": "cores", "Amount": 1, "Discovery Script": "", "Vendor": ""},
             "memory": {"Resource Name": "memory", "Amount": memory_mb, "Discovery Script": "", "Vendor": ""},
             "offHeap": {"Resource Name": "offHeap", "Amount": 0, "Discovery Script": "", "Vendor": ""}},
         "Task Resource Requests": {"cpus": {"Resource Name": "cpus", "Amount": 1.0}}},
        {"Event": "SparkListenerBlockManagerAdded", "Block Manager ID": _block_manager_id("driver", ("localhost", os.getpid())),
         "Maximum Memory": 0, "Timestamp": now, "Maximum Onheap Memory": 0, "Maximum Offheap Memory": 0},
        {"Event": "SparkListenerEnvironmentUpdate",
         "JVM Information": {"Java Home": "", "Java Version": "", "Scala Version": ""},
         "Spark Properties": props, "Hadoop Properties": {}, "System Properties": system,
         "Metrics Properties": {}, "Classpath Entries": {}},
    ]


# ---- files ----


class _LogFiles:
    """Spark 4's file layout; `write` takes whole lines and returns once they reached the OS."""

    def __init__(self, settings, app_id):
        self.settings = settings
        self.app_id = app_id
        self.suffix = "." + settings.codec if settings.codec else ""
        self.index = 0
        self.raw = self.stream = None
        self.written = 0
        base = settings.directory
        if not os.path.isdir(base):
            raise OSError("Log directory %s does not exist" % settings.uri)
        if settings.rolling:
            self.folder = os.path.join(base, "eventlog_v2_" + app_id)
            if os.path.exists(self.folder) and not settings.overwrite:
                raise OSError("Target log directory already exists (%s)" % self.folder)
            os.makedirs(self.folder, exist_ok=True)
            self.status = os.path.join(self.folder, "appstatus_" + app_id)
            open(self.status + IN_PROGRESS, "wb").close()
            self._roll()
        else:
            self.path = os.path.join(base, app_id + self.suffix)
            if os.path.exists(self.path) and not settings.overwrite:
                raise OSError("Target log file already exists (%s)" % self.path)
            self._open(self.path + IN_PROGRESS)

    def _open(self, path):
        self.raw = open(path, "wb")
        self.written = 0
        if self.settings.codec == "zstd":
            self.zstd = _zstd()
            # level 1 and independent frames per file, as Spark's ZStdCompressionCodec writes
            self.stream = self.zstd.ZstdCompressor(level=1).stream_writer(self.raw, closefd=False)
        else:
            self.stream = None

    def _roll(self):
        self.close_current()
        self.index += 1
        self._open(os.path.join(self.folder, "events_%d_%s%s" % (self.index, self.app_id, self.suffix)))

    def write(self, lines):
        """Append encoded lines; flushed to the OS at the end so a killed driver loses no whole line."""
        out = self.stream if self.stream is not None else self.raw
        for line in lines:
            # as Spark's rolling writer: the bytes on disk so far plus the new line's length
            if self.settings.rolling and self.written and self.written + len(line) > self.settings.max_file_size:
                self._flush()
                self._roll()
                out = self.stream if self.stream is not None else self.raw
            out.write(line)
            self.written += len(line) if self.stream is None else 0
        self._flush()

    def _flush(self):
        if self.stream is not None:
            self.stream.flush(self.zstd.FLUSH_BLOCK)
        self.raw.flush()
        self.written = self.raw.tell()

    def close_current(self):
        if self.raw is None:
            return
        try:
            if self.stream is not None:
                self.stream.flush(self.zstd.FLUSH_FRAME)
            self.raw.close()
        finally:
            self.raw = self.stream = None

    def complete(self):
        """Close the last file and mark the log completed (Spark drops ``.inprogress``)."""
        self.close_current()
        if self.settings.rolling:
            os.replace(self.status + IN_PROGRESS, self.status)
        else:
            os.replace(self.path + IN_PROGRESS, self.path)


_STOP = object()


class EventLoggingListener(SparkListener):
    """Writes the application's events to its event log (see the module docstring).

    >>> import tempfile, os
    >>> from sparklet import SparkConf, SparkContext
    >>> d = tempfile.mkdtemp()
    >>> conf = (SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", d)
    ...         .set("spark.eventLog.rolling.enabled", "false").set("spark.eventLog.compress", "false"))
    >>> sc.stop()  # the log is set up when a context starts
    >>> sc = SparkContext("local[1]", "logged", conf=conf)
    >>> sc.parallelize(range(4)).sum()
    6
    >>> sc.stop()
    >>> os.listdir(d) == [sc.applicationId]
    True
    >>> '"Event":"SparkListenerJobEnd"' in open(os.path.join(d, sc.applicationId)).read()
    True
    """

    def __init__(self, sc, settings):
        self.settings = settings
        self.app_id = sc.applicationId
        self._hosts = {}
        self._stage_ids = {}  # Sparklet's stage id -> the id the log gives it
        self._stage_jobs = {}  # Sparklet's stage id -> running jobs that use it
        self._next_stage_id = 0
        self._failed = False
        self._files = None
        self._queue = queue.SimpleQueue()
        try:
            self._files = _LogFiles(settings, self.app_id)
        except OSError as e:
            self._give_up(e)
            return
        for event in initial_events(sc, settings):
            self._put(json.dumps(event, separators=(",", ":"), ensure_ascii=False))
        self._thread = threading.Thread(target=self._write_loop, name="spark-event-log-writer", daemon=True)
        self._thread.start()

    @property
    def path(self):
        """Where the log is written: the single file, or the rolling folder (None if it is not written)."""
        if self._files is None:
            return None
        return self._files.folder if self.settings.rolling else self._files.path

    def _give_up(self, error):
        if not self._failed:
            self._failed = True
            log.warning("Event log of %s is not written (%s); the application goes on without it.",
                        self.app_id, error)

    def _put(self, line):
        if not self._failed:
            self._queue.put(line)

    def _post(self, event):
        if self._failed:
            return
        if isinstance(event, L.SparkListenerBlockUpdated) and not self.settings.log_block_updates:
            return
        line = to_json(event, self._hosts, self._log_stage_id)
        if line is not None:
            self._put(line)

    def onApplicationStart(self, event): self._post(event)
    def onApplicationEnd(self, event): self._post(event)
    def _log_stage_id(self, stage_id):
        return self._stage_ids.get(stage_id, stage_id)

    def onJobStart(self, event):
        # Spark makes a job its own stage for a shuffle an earlier, finished job computed (then
        # skips it), while Sparklet's scheduler reuses the earlier stage. The History Server keys
        # stages by id, so a reused id would turn the earlier job's completed stage into a skipped
        # one: the log numbers stages as Spark would, which is Sparklet's numbering until a job
        # reuses a stage.
        for stage_id in sorted(event.stageIds):
            if stage_id not in self._stage_ids or not self._stage_jobs.get(stage_id):
                self._stage_ids[stage_id] = self._next_stage_id
                self._next_stage_id += 1
            self._stage_jobs.setdefault(stage_id, set()).add(event.jobId)
        self._post(event)

    def onJobEnd(self, event):
        self._post(event)
        for jobs in self._stage_jobs.values():
            jobs.discard(event.jobId)

    def onStageSubmitted(self, event): self._post(event)
    def onStageCompleted(self, event): self._post(event)
    def onTaskStart(self, event): self._post(event)
    def onTaskEnd(self, event): self._post(event)
    def onBlockUpdated(self, event): self._post(event)
    def onUnpersistRDD(self, event): self._post(event)

    def onExecutorAdded(self, event):
        info = event.executorInfo
        self._hosts[event.executorId] = (info.executorHost, info.pid)
        self._post(event)
        self._put(json.dumps({"Event": "SparkListenerBlockManagerAdded",
                              "Block Manager ID": _block_manager_id(event.executorId, self._hosts[event.executorId]),
                              "Maximum Memory": info.memory, "Timestamp": event.time,
                              "Maximum Onheap Memory": info.memory, "Maximum Offheap Memory": 0},
                             separators=(",", ":")))

    def onExecutorRemoved(self, event):
        self._post(event)
        self._put(json.dumps({"Event": "SparkListenerBlockManagerRemoved",
                              "Block Manager ID": _block_manager_id(event.executorId,
                                                                    self._hosts.get(event.executorId, ("localhost", 1))),
                              "Timestamp": event.time}, separators=(",", ":")))

    def _write_loop(self):
        while True:
            item = self._queue.get()
            batch = []
            stop = item is _STOP
            if not stop:
                batch.append(item)
            while not stop:  # take what else is queued: one write and flush per batch
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                else:
                    batch.append(item)
            if batch and not self._failed:
                try:
                    self._files.write([(line + "\n").encode("utf-8") for line in batch])
                except OSError as e:
                    self._give_up(e)
            if stop:
                return

    def stop(self):
        """Write what is queued, close the log and mark it completed (called by ``sc.stop()``,
        after the listener bus delivered the application-end event)."""
        if self._files is None:
            return
        self._queue.put(_STOP)
        self._thread.join()
        try:
            if self._failed:
                self._files.close_current()
            else:
                self._files.complete()
        except OSError as e:
            self._give_up(e)


def start(sc, settings):
    """Subscribe an event-log writer to ``sc``'s listener bus if ``spark.eventLog.enabled``."""
    if not settings.enabled:
        return None
    writer = EventLoggingListener(sc, settings)
    sc.listenerBus.addListener(writer)
    return writer
