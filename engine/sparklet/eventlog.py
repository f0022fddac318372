"""Spark event logs: the application's listener events written as Spark's JSON lines, so the Spark
History Server (and ``%spark history`` in the kernel) can show a finished application.

Settings and layout are Spark 4's (``spark.eventLog.*``):

- ``spark.eventLog.enabled`` (false), ``spark.eventLog.dir`` (``file:/tmp/spark-events``; like
  Spark, the directory must already exist).
- ``spark.eventLog.compress`` (true) with ``spark.eventLog.compression.codec``: zstd (the
  default, through the ``zstandard`` package), or lz4, lzf and snappy in Spark's exact framing
  with stored blocks (``compression.py``: the History Server reads them; they are not smaller).
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
    ValueError: spark.eventLog.compression.codec=brotli is not a codec Spark knows: use lz4, lzf, snappy or zstd, or set spark.eventLog.compress=false
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
            # Spark also takes the codec's class name
            codec = {"org.apache.spark.io.%scompressioncodec" % c: c for c in SPARK_CODECS}.get(codec, codec)
            if codec not in SPARK_CODECS:
                raise ValueError("spark.eventLog.compression.codec=%s is not a codec Spark knows: use %s or %s, or "
                                 "set spark.eventLog.compress=false" % (codec, ", ".join(SPARK_CODECS[:-1]),
                                                                        SPARK_CODECS[-1]))
            if self.enabled and codec == "zstd":
                _zstd(check_only=True)
            self.codec = codec
        self.rolling = _flag(conf, "spark.eventLog.rolling.enabled", "true")
        self.max_file_size = parse_bytes(conf.get("spark.eventLog.rolling.maxFileSize") or "128m", default_unit="b")
        if self.rolling and self.max_file_size < 10 * 1024 * 1024:
            raise ValueError("spark.eventLog.rolling.maxFileSize=%s is below Spark's minimum of 10m"
                             % conf.get("spark.eventLog.rolling.maxFileSize"))
        self.log_block_updates = _flag(conf, "spark.eventLog.logBlockUpdates.enabled", "false")
        self.overwrite = _flag(conf, "spark.eventLog.overwrite", "false")


def _zstd(check_only=False):
    import importlib.util

    try:
        # the module is imported by the writer thread, off the context's start-up
        if check_only and importlib.util.find_spec("zstandard") is not None:
            return None
        import zstandard
    except ImportError:
        pass
    else:
        return zstandard
    raise ValueError("spark.eventLog.compress=true needs the zstandard package for Spark's zstd codec: "
                         "pip install zstandard, or set spark.eventLog.compress=false") from None
    return zstandard


# ---- Spark's JSON schema (JsonProtocol) ----


_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_quote = json.encoder.encode_basestring


def _storage_level(level):
    return {"Use Disk": bool(getattr(level, "useDisk", False)), "Use Memory": bool(getattr(level, "useMemory", False)),
            "Use Off Heap": bool(getattr(level, "useOffHeap", False)),
            "Deserialized": bool(getattr(level, "deserialized", False)),
            "Replication": int(getattr(level, "replication", 1))}


_RDD_INFO = ('{"RDD ID":%d,"Name":%s,%s"Callsite":%s,"Parent IDs":%s,"Storage Level":%s,"Barrier":%s,'
             '"DeterministicLevel":"DETERMINATE","Number of Partitions":%d,"Number of Cached Partitions":%d,'
             '"Memory Size":%d,"Disk Size":%d}')
_STAGE_INFO = ('{"Stage ID":%d,"Stage Attempt ID":%d,"Stage Name":%s,"Number of Tasks":%d,"RDD Info":[%s],'
               '"Parent IDs":%s,"Details":%s%s,"Accumulables":[],"Resource Profile Id":0,'
               '"Shuffle Push Enabled":false,"Shuffle Push Mergers Count":0}')


def _rdd_info(r):
    """Spark's RDDInfo JSON (formatted from a template: a job's stage infos are written three times
    per stage, and the tiny-job latency feels every microsecond of them)."""
    scope = ('"Scope":%s,' % _quote('{"id":"%d","name":%s}' % (r.scopeId, _quote(r.scope)))) if r.scope else ""
    site = r.callSite or ""
    if site and " at " not in site:
        site = "%s at %s" % (r.scope or r.name, site)
    return _RDD_INFO % (r.id, _quote(r.name), scope, _quote(site), _ids(r.parentIds), _level_json(r.storageLevel),
                        "true" if r.isBarrier else "false", r.numPartitions, r.numCachedPartitions, r.memSize,
                        r.diskSize)


def _ids(ids):
    return "[%s]" % ",".join(str(int(i)) for i in ids)


_LEVEL = '{"Use Disk":%s,"Use Memory":%s,"Use Off Heap":%s,"Deserialized":%s,"Replication":%d}'


def _level_json(level):
    d = _storage_level(level)
    return _LEVEL % ("true" if d["Use Disk"] else "false", "true" if d["Use Memory"] else "false",
                     "true" if d["Use Off Heap"] else "false", "true" if d["Deserialized"] else "false",
                     d["Replication"])


def _stage_info(s, sid, submitted=True, completed=True):
    """Spark's StageInfo JSON; the times and failure are left out where Spark leaves them out (a job
    start's stages have not been submitted, a stage just submitted has not completed)."""
    times = ""
    if submitted and s.submissionTime is not None:
        times += ',"Submission Time":%d' % s.submissionTime
    if completed:
        if s.completionTime is not None:
            times += ',"Completion Time":%d' % s.completionTime
        if s.failureReason is not None:
            times += ',"Failure Reason":%s' % _quote(s.failureReason)
    return _STAGE_INFO % (sid(s.stageId), s.attemptNumber, _quote(s.name), s.numTasks,
                          ",".join(_rdd_info(r) for r in s.rddInfos), _ids(sid(p) for p in s.parentIds),
                          _quote(s.details or ""), times)


def _template(shape):
    """A %-format string of `shape`'s JSON in which string values "%(name)d" / "%(name)s" become
    fields: task events are the bulk of a log, and formatting one string costs a fraction of
    building and dumping their nested dicts (the tiny-job latency depends on it).

    >>> _template({"Task ID": "%(taskId)d", "Accumulables": []}) % {"taskId": 7}
    '{"Task ID":7,"Accumulables":[]}'
    """
    text = json.dumps(shape, separators=(",", ":"))
    return re.sub(r'"(%\(\w+\)[ds])"', r"\1", text)


_TASK_INFO = _template({
    "Task ID": "%(taskId)d", "Index": "%(index)d", "Attempt": "%(attempt)d", "Partition ID": "%(index)d",
    "Launch Time": "%(launch)d", "Executor ID": "%(executor)s", "Host": "%(host)s", "Locality": "%(locality)s",
    "Speculative": "%(speculative)s", "Getting Result Time": "%(gettingResult)d", "Finish Time": "%(finish)d",
    "Failed": "%(failed)s", "Killed": "%(killed)s", "Accumulables": []})

_TASK_METRICS = _template({
    "Executor Deserialize Time": "%(deserialize)d", "Executor Deserialize CPU Time": 0,
    "Executor Run Time": "%(run)d", "Executor CPU Time": "%(cpu)d",
    "Peak Execution Memory": "%(peak)d", "Peak On Heap Execution Memory": "%(peak)d",
    "Peak Off Heap Execution Memory": 0, "Result Size": "%(resultSize)d", "JVM GC Time": 0,
    "Result Serialization Time": "%(resultSer)d", "Memory Bytes Spilled": "%(memSpill)d",
    "Disk Bytes Spilled": "%(diskSpill)d",
    "Shuffle Read Metrics": {
        "Remote Blocks Fetched": "%(remoteBlocks)d", "Local Blocks Fetched": "%(localBlocks)d",
        "Fetch Wait Time": "%(fetchWait)d", "Remote Bytes Read": "%(remoteBytes)d", "Remote Bytes Read To Disk": 0,
        "Local Bytes Read": "%(localBytes)d", "Total Records Read": "%(readRecords)d", "Remote Requests Duration": 0,
        "Push Based Shuffle": {k: 0 for k in (
            "Corrupt Merged Block Chunks", "Merged Fetch Fallback Count", "Merged Remote Blocks Fetched",
            "Merged Local Blocks Fetched", "Merged Remote Chunks Fetched", "Merged Local Chunks Fetched",
            "Merged Remote Bytes Read", "Merged Local Bytes Read", "Merged Remote Requests Duration")}},
    "Shuffle Write Metrics": {"Shuffle Bytes Written": "%(writeBytes)d", "Shuffle Write Time": "%(writeTime)d",
                              "Shuffle Records Written": "%(writeRecords)d"},
    "Input Metrics": {"Bytes Read": "%(inBytes)d", "Records Read": "%(inRecords)d"},
    "Output Metrics": {"Bytes Written": "%(outBytes)d", "Records Written": "%(outRecords)d"},
    "Updated Blocks": []})

# what Spark measures of the JVM per task; a Python process has none of it
_EXECUTOR_METRICS = json.dumps({k: 0 for k in (
    "JVMHeapMemory", "JVMOffHeapMemory", "OnHeapExecutionMemory", "OffHeapExecutionMemory", "OnHeapStorageMemory",
    "OffHeapStorageMemory", "OnHeapUnifiedMemory", "OffHeapUnifiedMemory", "DirectPoolMemory", "MappedPoolMemory",
    "ProcessTreeJVMVMemory", "ProcessTreeJVMRSSMemory", "ProcessTreePythonVMemory", "ProcessTreePythonRSSMemory",
    "ProcessTreeOtherVMemory", "ProcessTreeOtherRSSMemory", "MinorGCCount", "MinorGCTime", "MajorGCCount",
    "MajorGCTime", "TotalGCTime", "ConcurrentGCCount", "ConcurrentGCTime")}, separators=(",", ":"))

_TASK_START = '{"Event":"SparkListenerTaskStart","Stage ID":%d,"Stage Attempt ID":%d,"Task Info":%s}'
_TASK_END = ('{"Event":"SparkListenerTaskEnd","Stage ID":%d,"Stage Attempt ID":%d,"Task Type":%s,'
             '"Task End Reason":%s,"Task Info":%s,"Task Executor Metrics":' + _EXECUTOR_METRICS
             + ',"Task Metrics":%s}')
def _task_info(t, finished=True):
    return _TASK_INFO % {
        "taskId": t.taskId, "index": t.index, "attempt": t.attemptNumber, "launch": t.launchTime,
        "executor": _quote(str(t.executorId)), "host": _quote(t.host), "locality": _quote(t.taskLocality),
        "speculative": "true" if t.speculative else "false", "finish": (t.finishTime or 0) if finished else 0,
        "gettingResult": t.gettingResultTime,
        "failed": "true" if finished and t.failed else "false", "killed": "true" if finished and t.killed else "false"}


def _task_metrics(m):
    m = m or L.TaskMetrics()
    r, w, i, o = m.shuffleReadMetrics, m.shuffleWriteMetrics, m.inputMetrics, m.outputMetrics
    return _TASK_METRICS % {
        "deserialize": m.executorDeserializeTime, "run": m.executorRunTime, "cpu": m.executorCpuTime,
        "peak": m.peakExecutionMemory, "resultSize": m.resultSize, "resultSer": m.resultSerializationTime,
        "memSpill": m.memoryBytesSpilled, "diskSpill": m.diskBytesSpilled, "remoteBlocks": r.remoteBlocksFetched,
        "localBlocks": r.localBlocksFetched, "fetchWait": r.fetchWaitTime, "remoteBytes": r.remoteBytesRead,
        "localBytes": r.localBytesRead, "readRecords": r.recordsRead, "writeBytes": w.bytesWritten,
        "writeTime": w.writeTime, "writeRecords": w.recordsWritten, "inBytes": i.bytesRead,
        "inRecords": i.recordsRead, "outBytes": o.bytesWritten, "outRecords": o.recordsWritten}


_SUCCESS = '{"Reason":"Success"}'


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
    if isinstance(event, L.SparkListenerTaskEnd):
        reason = _SUCCESS if event.reason == "Success" else _dumps(_end_reason(event))
        return _TASK_END % (stage_id(event.stageId), event.stageAttemptId, _quote(event.taskType), reason,
                            _task_info(event.taskInfo), _task_metrics(event.taskMetrics))
    if isinstance(event, L.SparkListenerJobStart):
        return ('{"Event":"SparkListenerJobStart","Job ID":%d,"Submission Time":%d,"Stage Infos":[%s],'
                '"Stage IDs":%s,"Properties":%s}' % (
                    event.jobId, event.time,
                    ",".join(_stage_info(s, stage_id, submitted=False, completed=False) for s in event.stageInfos),
                    _ids(stage_id(s) for s in event.stageIds), _dumps(dict(event.properties or {}))))
    if isinstance(event, L.SparkListenerStageSubmitted):
        return '{"Event":"SparkListenerStageSubmitted","Stage Info":%s,"Properties":%s}' % (
            _stage_info(event.stageInfo, stage_id, completed=False), _dumps(dict(event.properties or {})))
    if isinstance(event, L.SparkListenerStageCompleted):
        return '{"Event":"SparkListenerStageCompleted","Stage Info":%s}' % _stage_info(event.stageInfo, stage_id)
    if isinstance(event, L.SparkListenerTaskStart):
        return _TASK_START % (stage_id(event.stageId), event.stageAttemptId, _task_info(event.taskInfo, finished=False))
    if isinstance(event, L.SparkListenerTaskGettingResult):
        return '{"Event":"SparkListenerTaskGettingResult","Task Info":%s}' % _task_info(event.taskInfo, finished=False)
    spark_json = getattr(event, "spark_json", None)
    if spark_json is not None:
        # events of other layers (the SQL layer's executions) write themselves in Spark's schema
        return spark_json()
    out = _event_dict(event, hosts or {}, stage_id)
    return None if out is None else _dumps(out)


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
    elif isinstance(e, L.SparkListenerJobEnd):
        result = {"Result": "JobSucceeded"}
        if not e.jobResult.succeeded:
            exc = e.jobResult.exception
            result = {"Result": "JobFailed",
                      "Exception": {"Message": "%s: %s" % (type(exc).__name__, exc) if exc is not None else "",
                                    "Stack Trace": []}}
        body = {"Job ID": e.jobId, "Completion Time": e.time, "Job Result": result}
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
    now = sc.startTime
    props = _redact(sorted(sc.getConf().getAll()))
    props.setdefault("spark.scheduler.mode", "FIFO")  # Sparklet's only mode; the jobs page names it
    system = {"python.version": sys.version.split()[0], "python.executable": sys.executable,
              "os.name": sys.platform, "user.dir": os.getcwd(), "user.name": sc.sparkUser()}
    memory_mb = sc._executor_memory // (1024 * 1024)
    return [
        {"Event": "SparkListenerLogStart", "Spark Version": sc.version},
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
        self.stream = None  # the compressor, made by the first write (on the writer thread)

    def _out(self):
        if self.settings.codec is None:
            return self.raw
        if self.stream is None and self.settings.codec != "zstd":
            from . import compression
            self.stream = compression.writer(self.settings.codec, self.raw)
        if self.stream is None:
            self.zstd = _zstd()
            # level 1 and independent frames per file, as Spark's ZStdCompressionCodec writes
            self.stream = self.zstd.ZstdCompressor(level=1).stream_writer(self.raw, closefd=False)
        return self.stream

    def _roll(self):
        self.close_current()
        self.index += 1
        self._open(os.path.join(self.folder, "events_%d_%s%s" % (self.index, self.app_id, self.suffix)))

    def write(self, lines):
        """Append encoded lines; flushed to the OS at the end so a killed driver loses no whole line."""
        out = self._out()
        for line in lines:
            # as Spark's rolling writer: the bytes on disk so far plus the new line's length
            if self.settings.rolling and self.written and self.written + len(line) > self.settings.max_file_size:
                self._flush()
                self._roll()
                out = self._out()
            out.write(line)
            if out is self.raw:
                self.written += len(line)
        self._flush()

    def _flush(self):
        if self.stream is not None and self.settings.codec != "zstd":
            self.stream.flush()
        elif self.stream is not None:
            self.stream.flush(self.zstd.FLUSH_BLOCK)
        self.raw.flush()
        self.written = self.raw.tell()

    def close_current(self):
        if self.raw is None:
            return
        try:
            if self.stream is not None and self.settings.codec != "zstd":
                self.stream.finish()
            elif self.stream is not None:
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


#: How long the writer gathers lines before writing them: one wake-up, write and flush per batch
#: instead of per event keeps the writer out of the way of the jobs (and a killed driver loses
#: at most this much of its last events).
BATCH_SECONDS = 0.05


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
        self._lock = threading.Lock()
        self._pending = []  # events not yet handed to the writer thread
        self._wake = threading.Event()  # set while events are pending
        self._stopping = threading.Event()
        try:
            self._files = _LogFiles(settings, self.app_id)
        except OSError as e:
            self._give_up(e)
            return
        for event in initial_events(sc, settings):
            self._put(event)
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

    def _put(self, event):
        if self._failed:
            return
        with self._lock:
            self._pending.append(event)
            first = len(self._pending) == 1
        if first:
            self._wake.set()

    # The bus thread only queues the events (the scheduler posts a new StageInfo per stage attempt
    # and sets a task's finish time before its end is posted, so what is written is what the
    # event said); the writer thread turns them into lines, in order, in batches.
    def onApplicationStart(self, event): self._put(event)
    def onApplicationEnd(self, event): self._put(event)
    def onJobStart(self, event): self._put(event)
    def onJobEnd(self, event): self._put(event)
    def onStageSubmitted(self, event): self._put(event)
    def onStageCompleted(self, event): self._put(event)
    def onTaskStart(self, event): self._put(event)
    def onTaskEnd(self, event): self._put(event)
    def onUnpersistRDD(self, event): self._put(event)
    def onExecutorAdded(self, event): self._put(event)
    def onExecutorRemoved(self, event): self._put(event)
    def onTaskGettingResult(self, event): self._put(event)

    def onOtherEvent(self, event):
        if hasattr(event, "spark_json"):
            self._put(event)

    def onBlockUpdated(self, event):
        if self.settings.log_block_updates:
            self._put(event)

    def _log_stage_id(self, stage_id):
        return self._stage_ids.get(stage_id, stage_id)

    def _lines(self, event):
        """The log lines of one event (writer thread, in the order the bus delivered them)."""
        if isinstance(event, L.SparkListenerJobStart):
            # Spark makes a job its own stage for a shuffle an earlier, finished job computed
            # (then skips it), while Sparklet's scheduler reuses the earlier stage. The History
            # Server keys stages by id, so a reused id would turn the earlier job's completed stage
            # into a skipped one: the log numbers stages as Spark would, which is Sparklet's
            # numbering until a job reuses a stage.
            for stage_id in sorted(event.stageIds):
                if stage_id not in self._stage_ids or not self._stage_jobs.get(stage_id):
                    self._stage_ids[stage_id] = self._next_stage_id
                    self._next_stage_id += 1
                self._stage_jobs.setdefault(stage_id, set()).add(event.jobId)
        elif isinstance(event, L.SparkListenerJobEnd):
            for jobs in self._stage_jobs.values():
                jobs.discard(event.jobId)
        elif isinstance(event, L.SparkListenerExecutorAdded):
            info = event.executorInfo
            self._hosts[event.executorId] = (info.executorHost, info.pid)
            return [to_json(event), _dumps({
                "Event": "SparkListenerBlockManagerAdded",
                "Block Manager ID": _block_manager_id(event.executorId, self._hosts[event.executorId]),
                "Maximum Memory": info.memory, "Timestamp": event.time, "Maximum Onheap Memory": info.memory,
                "Maximum Offheap Memory": 0})]
        elif isinstance(event, L.SparkListenerExecutorRemoved):
            return [to_json(event), _dumps({
                "Event": "SparkListenerBlockManagerRemoved",
                "Block Manager ID": _block_manager_id(event.executorId, self._hosts.get(event.executorId, ("localhost", 1))),
                "Timestamp": event.time})]
        line = to_json(event, self._hosts, self._log_stage_id)
        return [] if line is None else [line]

    def _write_loop(self):
        while True:
            self._wake.wait()
            self._stopping.wait(BATCH_SECONDS)
            with self._lock:
                batch, self._pending = self._pending, []
                self._wake.clear()
            if batch and not self._failed:
                try:
                    self._files.write([(line + "\n").encode("utf-8") for event in batch for line in self._lines(event)])
                except Exception as e:  # a full disk (OSError), or an event the log cannot write
                    self._give_up(e)
            if self._stopping.is_set():
                with self._lock:
                    if not self._pending:
                        return

    def stop(self):
        """Write what is queued, close the log and mark it completed (called by ``sc.stop()``,
        after the listener bus delivered the application-end event)."""
        if self._files is None:
            return
        self._stopping.set()
        self._wake.set()
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
