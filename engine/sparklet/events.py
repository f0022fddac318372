"""The scheduler's typed events: what reaches the DAG scheduler's event loop, and how tasks end.

Loop events (Spark's ``DAGSchedulerEvent``) are posted by any thread: the application's threads
(a job submitted, jobs cancelled, a call to run on the loop), the scheduler backend's receiver
threads (an executor registered, a task's status, a barrier request, an executor lost) and the
context's cleaner (a shuffle no RDD reads any more). The event loop handles them one at a time,
in order, so the scheduler's state needs no locks.

Task end reasons (Spark's ``TaskEndReason``) are what the task scheduler tells the DAG scheduler
about each finished task attempt; ``describe()`` is the text the ``SparkListenerTaskEnd`` event
carries (``Success``, ``FetchFailed(...)``, ``ExceptionFailure(...)``...).

>>> FetchFailed(3, 1, "map output 1 is missing").describe()
'FetchFailed(map output 1 is missing)'
>>> ExecutorLostFailure("executor process exited").describe()
'ExecutorLostFailure(executor process exited)'
"""

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional

# ---- loop events ----


@dataclass
class JobSubmitted:
    job: Any  # dagscheduler.ActiveJob
    rdd: Any


@dataclass
class JobsCancelled:
    predicate: Callable[[Any], bool]  # which active jobs
    reason: str


@dataclass
class ExecutorRegistered:
    executorId: str
    pid: int
    cores: int
    memory: int
    logPath: Optional[str] = None


@dataclass
class StatusUpdate:
    """A task attempt ended on an executor (the executor's "finished" message)."""
    executorId: str
    taskId: int
    state: str  # success, failed, killed, fetch_failed, result_too_large
    payload: Any
    accumUpdates: Optional[Dict[int, Any]]
    metrics: Dict[str, Any]
    blockUpdates: list = field(default_factory=list)
    blockEvents: list = field(default_factory=list)


@dataclass
class BarrierRequest:
    executorId: str
    taskId: int
    kind: str
    message: Any


@dataclass
class ExecutorLost:
    executorId: str
    reason: str
    exitCausedByApp: bool = False  # the task's own use of memory ended it: counts as a task failure


@dataclass
class ShuffleCleaned:
    shuffleId: int


@dataclass
class RunOnLoop:
    """Run ``fn`` on the event-loop thread; its value or exception goes to ``reply``."""
    fn: Callable[[], Any]
    reply: Dict[str, Any]
    ready: Any  # threading.Event


@dataclass
class StopLoop:
    pass


# ---- task end reasons ----


class TaskEndReason:
    def describe(self):
        return type(self).__name__


@dataclass
class Success(TaskEndReason):
    pass


@dataclass
class TaskKilled(TaskEndReason):
    reason: str

    def describe(self):
        return "TaskKilled(%s)" % self.reason


@dataclass
class FetchFailed(TaskEndReason):
    shuffleId: int
    mapIndex: int
    message: str

    def describe(self):
        return "FetchFailed(%s)" % self.message


@dataclass
class ExceptionFailure(TaskEndReason):
    failure: Dict[str, Any]  # the executor's description: type, message, frames, pickled exception
    text: str  # the user's traceback, formatted

    def describe(self):
        return "ExceptionFailure(%s: %s)" % (self.failure["type"], self.failure["message"])


@dataclass
class TaskResultLost(TaskEndReason):
    size: int  # bytes of the result the executor did not send

    def describe(self):
        return "TaskResultLost(result of %d bytes over spark.driver.maxResultSize)" % self.size


@dataclass
class ExecutorLostFailure(TaskEndReason):
    reason: str

    def describe(self):
        return "ExecutorLostFailure(%s)" % self.reason
