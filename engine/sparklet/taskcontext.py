"""TaskContext: what a running task knows about itself (stage, partition, attempt)."""

import threading

__all__ = ["TaskContext", "BarrierTaskContext", "BarrierTaskInfo"]


class TaskContext:
    """Information about the running task, from ``TaskContext.get()`` inside a task (None outside).

    >>> from sparklet import TaskContext
    >>> sc.parallelize(range(4), 2).mapPartitions(lambda it: [TaskContext.get().partitionId()]).collect()
    [0, 1]
    >>> sc.parallelize(range(4), 2).mapPartitions(lambda it: [TaskContext().partitionId()]).collect()
    [0, 1]
    """

    _taskContext = None

    def __new__(cls, *args, **kwargs):
        # Inside a task, TaskContext() is the running task's context, as in PySpark.
        running = TaskContext._taskContext
        if not args and not kwargs and isinstance(running, cls):
            return running
        return super().__new__(cls)

    def __init__(self, stageId=0, partitionId=0, attemptNumber=0, taskAttemptId=0, localProperties=None,
                 cpus=1, resources=None, stageAttemptNumber=0):
        if self is TaskContext._taskContext:
            return  # TaskContext() in a task: the running context, kept as it is
        self._stageId = stageId
        self._partitionId = partitionId
        self._attemptNumber = attemptNumber
        self._taskAttemptId = taskAttemptId
        self._localProperties = dict(localProperties or {})
        self._cpus = cpus
        self._resources = dict(resources or {})
        self._stageAttemptNumber = stageAttemptNumber
        self._completion_callbacks = []

    @classmethod
    def _getOrCreate(cls):
        if cls._taskContext is None:
            cls._taskContext = TaskContext()
        return cls._taskContext

    @classmethod
    def _setTaskContext(cls, taskContext):
        cls._taskContext = taskContext

    @classmethod
    def get(cls):
        return cls._taskContext

    def stageId(self):
        return self._stageId

    def partitionId(self):
        return self._partitionId

    def attemptNumber(self):
        return self._attemptNumber

    def taskAttemptId(self):
        return self._taskAttemptId

    def getLocalProperty(self, key):
        return self._localProperties.get(key)

    def cpus(self):
        return self._cpus

    def resources(self):
        return self._resources

    def addTaskCompletionListener(self, callback):
        """Run ``callback(context)`` when the task ends, successfully or not."""
        self._completion_callbacks.append(callback)
        return self


class BarrierTaskInfo:
    """An address of one task of a barrier stage."""

    def __init__(self, address):
        self.address = address


class BarrierTaskContext(TaskContext):
    """TaskContext of a barrier stage, whose tasks all run at once and can wait for each other.

    ``barrier()`` blocks until every task of the stage has reached it; ``allGather(message)`` also
    returns every task's message, in partition order.
    """

    _barrier_channel = None  # set by the executor: sends a request to the driver, waits for the answer
    _lock = threading.Lock()

    @classmethod
    def get(cls):
        ctx = TaskContext._taskContext
        if not isinstance(ctx, BarrierTaskContext):
            raise RuntimeError("It is not in a barrier stage")
        return ctx

    def barrier(self):
        self._barrier_channel("barrier", "")

    def allGather(self, message=""):
        if not isinstance(message, str):
            raise TypeError("Argument `message` should be a str, got %s" % type(message).__name__)
        return self._barrier_channel("allGather", message)

    def getTaskInfos(self):
        return [BarrierTaskInfo("localhost:executor") for _ in range(self._numTasks)]
