"""Spark's listener events and the bus that delivers them.

Everything that observes execution (the status tracker, the console progress bar, the notebook
display, the lab panel) subscribes here; nobody reads the scheduler's internals. Event classes and
their fields carry Spark's own names (``SparkListenerJobStart.stageInfos``,
``TaskMetrics.shuffleWriteMetrics.bytesWritten`` ...) so that what a learner sees in Sparklet is
what they will see in Spark's REST API and event logs.

Delivery is asynchronous, as in Spark's ``LiveListenerBus``: the scheduler only appends to a queue,
and one daemon thread calls the listeners in order. A slow or failing listener therefore never
slows or breaks a job; its exceptions are logged and the bus carries on.
"""

import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

log = logging.getLogger("sparklet.listener")


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class RDDInfo:
    id: int
    name: str
    numPartitions: int
    storageLevel: Any
    parentIds: List[int]
    callSite: str = ""
    scope: str = ""  # the operator that made this RDD: "map", "reduceByKey", "textFile" ...
    scopeId: int = 0  # RDDs made by one call of an operator share it (reduceByKey makes three)
    isBarrier: bool = False
    numCachedPartitions: int = 0
    memSize: int = 0
    diskSize: int = 0
    # A PipelinedRDD made of several operators' functions (``map().filter()``, fused as PySpark
    # fuses them): [(operator, call site, scope id)] in the order they were called.
    operators: List[Tuple[str, str, int]] = field(default_factory=list)


@dataclass
class StageInfo:
    stageId: int
    attemptNumber: int
    name: str
    numTasks: int
    rddInfos: List[RDDInfo]
    parentIds: List[int]
    details: str = ""
    isShuffleMap: bool = False
    shuffleDepId: Optional[int] = None
    submissionTime: Optional[int] = None
    completionTime: Optional[int] = None
    failureReason: Optional[str] = None

    def attemptId(self):
        return self.attemptNumber


@dataclass
class InputMetrics:
    bytesRead: int = 0
    recordsRead: int = 0


@dataclass
class OutputMetrics:
    bytesWritten: int = 0
    recordsWritten: int = 0


@dataclass
class ShuffleReadMetrics:
    localBlocksFetched: int = 0
    remoteBlocksFetched: int = 0
    localBytesRead: int = 0
    remoteBytesRead: int = 0
    recordsRead: int = 0
    fetchWaitTime: int = 0

    @property
    def totalBytesRead(self):
        return self.localBytesRead + self.remoteBytesRead


@dataclass
class ShuffleWriteMetrics:
    bytesWritten: int = 0
    recordsWritten: int = 0
    writeTime: int = 0  # nanoseconds, as in Spark


@dataclass
class TaskMetrics:
    executorDeserializeTime: int = 0  # ms
    executorRunTime: int = 0  # ms
    executorCpuTime: int = 0  # ns
    resultSize: int = 0
    resultSerializationTime: int = 0
    memoryBytesSpilled: int = 0
    diskBytesSpilled: int = 0
    peakExecutionMemory: int = 0
    inputMetrics: InputMetrics = field(default_factory=InputMetrics)
    outputMetrics: OutputMetrics = field(default_factory=OutputMetrics)
    shuffleReadMetrics: ShuffleReadMetrics = field(default_factory=ShuffleReadMetrics)
    shuffleWriteMetrics: ShuffleWriteMetrics = field(default_factory=ShuffleWriteMetrics)

    @classmethod
    def from_dict(cls, d):
        d = dict(d or {})
        return cls(
            inputMetrics=InputMetrics(**d.pop("inputMetrics", {})),
            outputMetrics=OutputMetrics(**d.pop("outputMetrics", {})),
            shuffleReadMetrics=ShuffleReadMetrics(**d.pop("shuffleReadMetrics", {})),
            shuffleWriteMetrics=ShuffleWriteMetrics(**d.pop("shuffleWriteMetrics", {})),
            **d,
        )


@dataclass
class TaskInfo:
    taskId: int
    index: int  # the partition this task computes
    attemptNumber: int
    launchTime: int
    executorId: str
    host: str = "localhost"
    taskLocality: str = "PROCESS_LOCAL"
    speculative: bool = False
    finishTime: int = 0
    failed: bool = False
    killed: bool = False
    gettingResultTime: int = 0  # when the driver began fetching a large result (0: it was sent with the end)

    @property
    def partitionId(self):
        return self.index

    @property
    def duration(self):
        return (self.finishTime or now_ms()) - self.launchTime

    @property
    def status(self):
        if not self.finishTime:
            return "RUNNING"
        if self.failed:
            return "FAILED"
        if self.killed:
            return "KILLED"
        return "SUCCESS"


class SparkListenerEvent:
    """Base of every event; ``event`` is Spark's JSON event-log name."""

    @property
    def event(self):
        return type(self).__name__


@dataclass
class SparkListenerApplicationStart(SparkListenerEvent):
    appName: str
    appId: str
    time: int
    sparkUser: str
    master: str = ""


@dataclass
class SparkListenerApplicationEnd(SparkListenerEvent):
    time: int


@dataclass
class ExecutorInfo:
    executorHost: str
    totalCores: int
    pid: Optional[int] = None
    memory: int = 0  # bytes of storage memory the executor may use
    # Spark's name; here both streams go to one local file, and the values are its path.
    logUrlMap: Dict[str, str] = field(default_factory=dict)


@dataclass
class SparkListenerExecutorAdded(SparkListenerEvent):
    time: int
    executorId: str
    executorInfo: ExecutorInfo


@dataclass
class SparkListenerExecutorRemoved(SparkListenerEvent):
    time: int
    executorId: str
    reason: str


@dataclass
class SparkListenerJobStart(SparkListenerEvent):
    jobId: int
    time: int
    stageInfos: List[StageInfo]
    properties: Dict[str, str]

    @property
    def stageIds(self):
        return [s.stageId for s in self.stageInfos]


@dataclass
class JobResult:
    succeeded: bool
    exception: Optional[BaseException] = None

    def __str__(self):
        return "JobSucceeded" if self.succeeded else "JobFailed(%s)" % (self.exception,)


@dataclass
class SparkListenerJobEnd(SparkListenerEvent):
    jobId: int
    time: int
    jobResult: JobResult


@dataclass
class SparkListenerStageSubmitted(SparkListenerEvent):
    stageInfo: StageInfo
    properties: Dict[str, str]


@dataclass
class SparkListenerStageCompleted(SparkListenerEvent):
    stageInfo: StageInfo


@dataclass
class SparkListenerTaskStart(SparkListenerEvent):
    stageId: int
    stageAttemptId: int
    taskInfo: TaskInfo


@dataclass
class SparkListenerTaskGettingResult(SparkListenerEvent):
    """A finished task's result is larger than ``spark.task.maxDirectResultSize``: the driver
    fetches it (Spark sends such results through the block manager) before the task ends."""

    taskInfo: TaskInfo


@dataclass
class SparkListenerTaskEnd(SparkListenerEvent):
    stageId: int
    stageAttemptId: int
    taskType: str  # "ShuffleMapTask" or "ResultTask"
    reason: str  # "Success", or the failure: "ExceptionFailure(...)", "TaskKilled(...)", "ExecutorLostFailure(...)"
    taskInfo: TaskInfo
    taskMetrics: TaskMetrics
    error: Optional[str] = None  # the formatted user traceback of a failed task


@dataclass
class BlockUpdatedInfo:
    executorId: str
    blockId: str  # "rdd_<rddId>_<partition>"
    storageLevel: Any
    memSize: int
    diskSize: int


@dataclass
class SparkListenerBlockUpdated(SparkListenerEvent):
    blockUpdatedInfo: BlockUpdatedInfo


@dataclass
class SparkListenerUnpersistRDD(SparkListenerEvent):
    rddId: int


@dataclass
class SparkletTaskOutput(SparkListenerEvent):
    """What a task printed (stdout/stderr of the user's function); delivered through
    ``onOtherEvent``, Spark's hook for events that are not part of its core set."""

    stageId: int
    partitionId: int
    taskId: int
    executorId: str
    stream: str  # "stdout" or "stderr"
    text: str
    properties: Dict[str, str] = field(default_factory=dict)


@dataclass
class SparkletBlockEvent(SparkListenerEvent):
    """A cached block was read ("hit"), computed and stored ("computed"), or evicted to make room
    ("evicted"); delivered through ``onOtherEvent``."""

    executorId: str
    blockId: str
    kind: str


class SparkListener:
    """Override the callbacks you need; the default ones do nothing."""

    def onApplicationStart(self, event): pass
    def onApplicationEnd(self, event): pass
    def onExecutorAdded(self, event): pass
    def onExecutorRemoved(self, event): pass
    def onJobStart(self, event): pass
    def onJobEnd(self, event): pass
    def onStageSubmitted(self, event): pass
    def onStageCompleted(self, event): pass
    def onTaskStart(self, event): pass
    def onTaskEnd(self, event): pass
    def onTaskGettingResult(self, event): pass
    def onBlockUpdated(self, event): pass
    def onUnpersistRDD(self, event): pass
    def onOtherEvent(self, event): pass


class ConsoleTaskOutput(SparkListener):
    """Echoes what tasks print to the driver process's console, as PySpark's local-mode workers do
    in a terminal, each line tagged with the task's stage and partition as the notebook display
    tags it (``[stage 0, partition 3] hello``): tasks of a stage run at once and their lines
    interleave. Like PySpark's workers it bypasses a redirected ``sys.stdout`` (tasks do not print
    into the driver's captured output). Notebook front ends replace it with their own display
    (``spark.sparklet.console.taskOutput=false``).

    >>> import io, sys
    >>> console, sys.__stdout__ = sys.__stdout__, io.StringIO()
    >>> ConsoleTaskOutput().onOtherEvent(SparkletTaskOutput(1, 3, 7, "0", "stdout", "a\\nb\\n"))
    >>> tagged, sys.__stdout__ = sys.__stdout__.getvalue(), console
    >>> print(tagged, end="")
    [stage 1, partition 3] a
    [stage 1, partition 3] b
    """

    def onOtherEvent(self, event):
        if isinstance(event, SparkletTaskOutput):
            import sys

            stream = sys.__stderr__ if event.stream == "stderr" else sys.__stdout__
            if stream is None:
                return
            tag = "[stage %d, partition %d] " % (event.stageId, event.partitionId)
            stream.write("".join(tag + line + "\n" for line in event.text.splitlines() or [""]))
            stream.flush()


_CALLBACKS = {
    SparkListenerApplicationStart: "onApplicationStart",
    SparkListenerApplicationEnd: "onApplicationEnd",
    SparkListenerExecutorAdded: "onExecutorAdded",
    SparkListenerExecutorRemoved: "onExecutorRemoved",
    SparkListenerJobStart: "onJobStart",
    SparkListenerJobEnd: "onJobEnd",
    SparkListenerStageSubmitted: "onStageSubmitted",
    SparkListenerStageCompleted: "onStageCompleted",
    SparkListenerTaskStart: "onTaskStart",
    SparkListenerTaskEnd: "onTaskEnd",
    SparkListenerTaskGettingResult: "onTaskGettingResult",
    SparkListenerBlockUpdated: "onBlockUpdated",
    SparkListenerUnpersistRDD: "onUnpersistRDD",
}

_STOP = object()


class LiveListenerBus:
    """Queues events from the scheduler and delivers them on one thread, in order."""

    def __init__(self):
        self._listeners: List[SparkListener] = []
        self._lock = threading.Lock()
        self._queue: "queue.SimpleQueue" = queue.SimpleQueue()
        self._idle = threading.Condition()
        self._pending = 0
        self._thread = threading.Thread(target=self._dispatch, name="spark-listener-group", daemon=True)
        self._thread.start()

    def addListener(self, listener: SparkListener):
        with self._lock:
            self._listeners = self._listeners + [listener]

    def removeListener(self, listener: SparkListener):
        with self._lock:
            self._listeners = [x for x in self._listeners if x is not listener]

    @property
    def listeners(self):
        return list(self._listeners)

    def post(self, event: SparkListenerEvent):
        with self._idle:
            self._pending += 1
        self._queue.put(event)

    def waitUntilEmpty(self, timeout: float = 10.0) -> bool:
        """Block until every event posted so far has been delivered (tests and stop() use it)."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def stop(self):
        self.waitUntilEmpty()
        self._queue.put(_STOP)
        if threading.current_thread() is not self._thread:
            self._thread.join(5)

    def _dispatch(self):
        while True:
            event = self._queue.get()
            if event is _STOP:
                return
            name = _CALLBACKS.get(type(event), "onOtherEvent")
            for listener in self._listeners:
                try:
                    getattr(listener, name)(event)
                except Exception:
                    log.exception("listener %r failed on %s", listener, type(event).__name__)
            with self._idle:
                self._pending -= 1
                if not self._pending:
                    self._idle.notify_all()
