"""The task scheduler: a stage attempt's tasks onto executors, and what becomes of each attempt.

Spark's ``TaskSchedulerImpl`` with one ``TaskSetManager`` per stage attempt, and the
``BarrierCoordinator``. The DAG scheduler submits a ``TaskSetManager`` for the partitions a stage
attempt must compute; this module decides where and when each task runs and reports every task
attempt's end back to the DAG scheduler (``task_started``, ``task_ended``, ``task_set_failed``),
which owns what the results mean.

Policy:

* Offers: on each round the scheduler backend offers its executors' free cores; task sets are
  served FIFO by priority (job id, stage id).
* Locality: a task prefers the executor that caches a block it reads (the DAG scheduler says
  which, from the block-manager master); it waits for that executor up to ``spark.locality.wait``
  from its task set's creation, or less if no preferred executor is alive.
* Barrier stages: all tasks of a barrier stage start together or none does (they wait for as many
  free cores as tasks); the barrier coordinator releases ``barrier()``/``allGather()`` once every
  task of the attempt has called it.
* Retries: a task that fails is pending again until it has failed ``maxTaskFailures`` times
  (``local[K,F]``, ``spark.task.maxFailures``); then its task set fails and the DAG scheduler
  aborts the stage. An executor lost under a task resubmits it for free, up to
  ``MAX_EXECUTOR_LOSSES_PER_TASK`` losses, except when the loss was the task's own doing (it
  passed the executor's memory limit), which counts as a failure.
* Killing: a killed task (its stage cancelled, or no longer needed) is asked to stop; one still
  running ``spark.task.reaper.killTimeout`` later costs its executor, which is killed and
  replaced rather than leaving a core busy for nothing.
* A task set is a *zombie* once its stage attempt ended (completed, killed, aborted): it launches
  nothing more, and what its running tasks report is still recorded (a late map output is kept)
  but retries nothing.
* Speculation-ready: every attempt of a partition is a ``Task`` with its own id and attempt
  number, the task set knows which partitions still have no successful attempt (``remaining``),
  and what an attempt reports is matched to its task, so a second attempt of a running partition
  could be launched; none is today (``spark.speculation`` is not read).

State and threading: all of it is read and changed on the DAG scheduler's event-loop thread only,
which calls this object; nothing here blocks or has a lock.
"""

import itertools
import logging
import pickle
import time

from . import listener as L
from .errors import PythonException, RemoteTraceback, SparkException, failing_call, format_user_traceback
from .events import ExceptionFailure, ExecutorLostFailure, FetchFailed, Success, TaskKilled, TaskResultLost

log = logging.getLogger("sparklet.scheduler")

# Give up on a partition after this many lost executors while running it, however they died.
MAX_EXECUTOR_LOSSES_PER_TASK = 4


class Task:
    """One attempt to compute one partition of a stage."""

    _ids = itertools.count()

    def __init__(self, task_set, partition, index, attempt_number):
        self.taskId = next(Task._ids)
        self.taskSet = task_set
        self.partition = partition
        self.index = index  # position in the job's partition list (result stages)
        self.attemptNumber = attempt_number
        self.executor = None
        self.info = None
        self.killSent = False


class TaskSetManager:
    """The tasks of one stage attempt: pending partitions, running attempts, failures.

    ``stage`` and ``job`` are the DAG scheduler's (the task scheduler reads ``stage.id``,
    ``stage.numTasks``, ``stage.isShuffleMap``, ``stage.isBarrier``); ``preferred_locations(p)``
    gives the executors caching a block partition ``p`` reads (or None), ``task_inputs(p)`` what
    the task must be sent beside the binary.

    >>> from types import SimpleNamespace
    >>> stage = SimpleNamespace(id=3, numTasks=2, isShuffleMap=True, isBarrier=False)
    >>> tsm = TaskSetManager(stage, 0, [0, 1], b"binary", (0, 3), {}, None,
    ...                      preferred_locations=lambda p: {"1"} if p == 0 else None)
    >>> task = tsm.next_task("0", tsm.created, locality_wait=3.0, live_executors={"0", "1"})
    >>> task.partition  # partition 0 waits for executor 1, which caches a block it reads
    1
    >>> tsm.next_task("1", tsm.created, 3.0, {"0", "1"}).partition
    0
    >>> tsm.record_failure(1, max_failures=2), tsm.pending
    (1, [1])
    >>> tsm.new_task(0).attemptNumber
    1
    >>> tsm.remaining -= {0, 1}
    >>> tsm.is_finished()
    True
    """

    def __init__(self, stage, attempt, partitions, binary, priority, properties, job,
                 preferred_locations=lambda p: None, task_inputs=lambda p: {}):
        self.stage = stage
        self.attempt = attempt
        self.pending = list(partitions)  # partitions still to launch
        self.running = {}  # taskId -> Task
        self.remaining = set(partitions)  # partitions with no successful attempt yet
        self.failures = {}
        self.executorLosses = {}
        self.binary = binary
        self.binaryKey = "%d.%d" % (stage.id, attempt)
        self.priority = priority
        self.properties = properties
        self.job = job  # for result stages: the job whose results the tasks produce
        self.zombie = False
        self.created = time.monotonic()
        self.preferredLocations = preferred_locations
        self.taskInputs = task_inputs

    def index_of(self, partition):
        return self.job.partitions.index(partition) if self.job is not None else partition

    def is_finished(self):
        """Every partition succeeded and the attempt was neither killed nor aborted."""
        return not self.remaining and not self.zombie

    def new_task(self, i):
        partition = self.pending.pop(i)
        attempts = self.failures.get(partition, 0) + self.executorLosses.get(partition, 0)
        return Task(self, partition, self.index_of(partition), attempts)

    def next_task(self, executor_id, now, locality_wait, live_executors):
        """The next task to run on ``executor_id``, or None (nothing pending, or waiting for locality)."""
        fallback = None
        for i, partition in enumerate(self.pending):
            prefs = self.preferredLocations(partition)
            if not prefs or executor_id in prefs:
                return self.new_task(i)
            if fallback is None and (now - self.created >= locality_wait or not any(e in live_executors for e in prefs)):
                fallback = i
        return self.new_task(fallback) if fallback is not None else None

    def record_failure(self, partition, max_failures):
        """Count a failure of ``partition``: its count, and whether it is pending again."""
        count = self.failures.get(partition, 0) + 1
        self.failures[partition] = count
        if count < max_failures:
            self.pending.append(partition)
        return count

    def record_executor_loss(self, partition):
        losses = self.executorLosses.get(partition, 0) + 1
        self.executorLosses[partition] = losses
        if losses < MAX_EXECUTOR_LOSSES_PER_TASK:
            self.pending.append(partition)
        return losses


class BarrierCoordinator:
    """Holds each barrier task's ``barrier()``/``allGather()`` message until every task of its
    stage attempt has sent one, then replies to all with the messages in partition order."""

    def __init__(self, backend):
        self.backend = backend
        self.waiting = {}  # TaskSetManager -> {partition: (executorId, message)}

    def request(self, task, executor_id, message):
        tsm = task.taskSet
        msgs = self.waiting.setdefault(tsm, {})
        msgs[task.partition] = (executor_id, message)
        if len(msgs) == tsm.stage.numTasks:
            ordered = [msgs[p][1] for p in sorted(msgs)]
            for eid, _msg in msgs.values():
                self.backend.barrier_reply(eid, ordered)
            del self.waiting[tsm]

    def forget(self, tsm):
        self.waiting.pop(tsm, None)


class TaskScheduler:
    """Spark's TaskSchedulerImpl over a ``SchedulerBackend``; see the module docstring."""

    def __init__(self, backend, max_task_failures, locality_wait, kill_timeout, max_result_size,
                 registration_wait=0.0):
        self.backend = backend
        # Until the executors started with the context have registered (bounded by Spark's
        # spark.scheduler.maxRegisteredResourcesWaitingTime), the first tasks wait for them: a
        # local[N] job gets its N cores and N tasks run in N processes, as in PySpark, instead of
        # queueing on whichever executor came up first.
        self.registrationWait = registration_wait
        self.registrationDeadline = time.monotonic() + registration_wait
        self.executorsRegistered = registration_wait <= 0
        self.maxTaskFailures = max_task_failures
        self.localityWait = locality_wait
        self.killTimeout = kill_timeout
        self.maxResultSize = max_result_size
        self.dag = None  # set by the DAG scheduler (attach)
        self.after = None  # the event loop's timer: after(seconds, callback)
        self.taskSets = []  # active TaskSetManagers, by priority
        self.tasks = {}  # taskId -> Task, while running
        self.executorTasks = {}  # executorId -> {taskId: Task}, for registered executors
        self.barrier = BarrierCoordinator(backend)

    def attach(self, dag, after):
        self.dag = dag
        self.after = after
        if not self.executorsRegistered:
            after(self.registrationWait, lambda: None)  # wake the loop when the wait ends

    # ---- task sets ----

    def submit_tasks(self, tsm):
        self.taskSets.append(tsm)
        self.taskSets.sort(key=lambda ts: ts.priority)

    def task_set_finished(self, tsm):
        """The stage attempt is over: nothing more is launched from it."""
        tsm.zombie = True
        if tsm in self.taskSets:
            self.taskSets.remove(tsm)
        self.barrier.forget(tsm)
        self.backend.release_stage(tsm.binaryKey)

    def kill_task_set(self, tsm):
        """End the attempt and ask its running tasks to stop."""
        tsm.zombie = True
        if tsm in self.taskSets:
            self.taskSets.remove(tsm)
        for task in list(tsm.running.values()):
            self.kill_task(task)
        self.barrier.forget(tsm)
        self.backend.release_stage(tsm.binaryKey)

    def kill_task(self, task):
        if task.killSent or task.executor not in self.executorTasks:
            return
        task.killSent = True
        if not self.backend.kill_task(task.executor, task.taskId):
            return

        def escalate(executor_id=task.executor, task_id=task.taskId):
            # User code that ignores the kill (a C extension, a busy loop with signals blocked)
            # costs the executor: replace it rather than leave a core busy for nothing.
            if self.backend.is_running(executor_id, task_id):
                reason = ("task %d did not stop within %.1fs of being killed (spark.task.reaper.killTimeout): "
                          "executor killed and replaced" % (task_id, self.killTimeout))
                log.warning("%s", reason)
                self.backend.kill_executor(executor_id, reason)

        self.after(self.killTimeout, escalate)

    def max_concurrent_tasks(self):
        """How many tasks can run at once (a barrier stage may have no more)."""
        return self.backend.total_slots()

    # ---- launching ----

    def resource_offers(self):
        """Launch what the backend's free cores can take now."""
        if not self.taskSets:
            return
        if not self.executorsRegistered:
            if time.monotonic() < self.registrationDeadline and not self.backend.all_registered():
                return
            self.executorsRegistered = True
        offers = self.backend.offers()
        if not offers:
            return
        free = dict(offers)
        now = time.monotonic()
        for executor_id, _ in offers:
            while free[executor_id] > 0:
                task = self._pick_task(executor_id, now, free)
                if task is None:
                    break
                free[executor_id] -= 1
                self._launch(task, executor_id)

    def _pick_task(self, executor_id, now, free):
        for tsm in self.taskSets:
            if tsm.zombie or not tsm.pending:
                continue
            if tsm.stage.isBarrier and len(tsm.pending) > sum(free.values()):
                continue  # all tasks of a barrier stage start together, or none does
            task = tsm.next_task(executor_id, now, self.localityWait, self.executorTasks)
            if task is not None:
                return task
            self.after(self.localityWait, lambda: None)  # wake up to relax locality later
        return None

    def _launch(self, task, executor_id):
        tsm = task.taskSet
        stage = tsm.stage
        description = {
            "taskId": task.taskId, "stageId": stage.id, "stageAttempt": tsm.attempt, "partition": task.partition,
            "attemptNumber": task.attemptNumber, "kind": "map" if stage.isShuffleMap else "result",
            "binaryKey": tsm.binaryKey, "binary": None, "inputs": tsm.taskInputs(task.partition),
            "properties": tsm.properties, "barrier": stage.isBarrier, "numTasks": stage.numTasks,
            "maxResultSize": self.maxResultSize,
        }
        task.executor = executor_id
        task.info = L.TaskInfo(task.taskId, task.partition, task.attemptNumber, L.now_ms(), executor_id)
        tsm.running[task.taskId] = task
        self.executorTasks.setdefault(executor_id, {})[task.taskId] = task
        self.tasks[task.taskId] = task
        self.dag.task_started(task)
        self.backend.launch_task(executor_id, description, tsm.binary)

    # ---- what executors report ----

    def executor_added(self, executor_id):
        self.executorTasks.setdefault(executor_id, {})

    def status_update(self, update):
        """A task attempt ended (an ``events.StatusUpdate``)."""
        self.executorTasks.get(update.executorId, {}).pop(update.taskId, None)
        task = self.tasks.pop(update.taskId, None)
        if task is None:
            return
        tsm = task.taskSet
        tsm.running.pop(task.taskId, None)
        task.info.finishTime = L.now_ms()
        metrics = L.TaskMetrics.from_dict(update.metrics)
        state, payload = update.state, update.payload
        if state == "success":
            if tsm.zombie and not tsm.stage.isShuffleMap:
                task.info.killed = True
                self.dag.task_ended(task, TaskKilled("stage cancelled"), metrics)
                return
            tsm.remaining.discard(task.partition)
            self.dag.task_ended(task, Success(), metrics, payload, update.accumUpdates)
        elif state == "killed":
            task.info.killed = True
            self.dag.task_ended(task, TaskKilled("killed by the driver"), metrics)
            if not tsm.zombie:
                tsm.pending.append(task.partition)
        elif state == "result_too_large":
            task.info.failed = True
            self.dag.task_ended(task, TaskResultLost(payload), metrics)
        elif state == "fetch_failed":
            task.info.failed = True
            self.dag.task_ended(task, FetchFailed(*payload), metrics)
        else:
            task.info.failed = True
            text = format_user_traceback(payload["frames"], payload["type"], payload["message"])
            self.dag.task_ended(task, ExceptionFailure(payload, text), metrics)
            if tsm.zombie:
                return
            count = tsm.record_failure(task.partition, self.maxTaskFailures)
            if count >= self.maxTaskFailures:
                self.dag.task_set_failed(tsm, task_exception(tsm, task, payload, count))

    def executor_lost(self, executor_id, reason, exit_caused_by_app=False):
        """Every task running on the lost executor ended with it."""
        for task_id, task in list(self.executorTasks.pop(executor_id, {}).items()):
            self.tasks.pop(task_id, None)
            tsm = task.taskSet
            tsm.running.pop(task_id, None)
            task.info.finishTime = L.now_ms()
            task.info.failed = True
            self.dag.task_ended(task, ExecutorLostFailure(reason), L.TaskMetrics())
            if tsm.zombie:
                continue
            if exit_caused_by_app:
                # The task's own memory use ended the executor: a failure of the task, retried
                # like any other (local[K,F]), not an accident to resubmit for free.
                failures = tsm.record_failure(task.partition, self.maxTaskFailures)
                if failures >= self.maxTaskFailures:
                    self.dag.task_set_failed(tsm, SparkException(
                        "Task %d of stage %d failed %d time%s: %s. Use less memory per task (more, smaller "
                        "partitions) or raise spark.executor.memory / spark.executor.memoryOverhead." % (
                            task.partition, tsm.stage.id, failures, "" if failures == 1 else "s", reason)))
                continue
            losses = tsm.record_executor_loss(task.partition)
            if losses >= MAX_EXECUTOR_LOSSES_PER_TASK:
                self.dag.task_set_failed(tsm, SparkException(
                    "Task %d of stage %d lost its executor %d times (%s). The task's own code may be "
                    "ending the process (os._exit, a crash in a C extension, running out of memory)."
                    % (task.partition, tsm.stage.id, losses, reason)))

    def barrier_request(self, request):
        task = self.tasks.get(request.taskId)
        if task is not None:
            self.barrier.request(task, request.executorId, request.message)


def task_exception(tsm, task, payload, attempts):
    """The exception a job fails with when a task failed for the last time: the user's own
    exception type where it can be unpickled, with the remote traceback as its cause."""
    frames = payload["frames"]
    text = format_user_traceback(frames, payload["type"], payload["message"])
    where = "Task %d of stage %d failed %d time%s (partition %d, executor %s)" % (
        task.partition, tsm.stage.id, attempts, "" if attempts == 1 else "s", task.partition, task.executor)
    call = failing_call(frames)
    if call:
        where += "; it was running %s" % call
    exc = None
    if payload["exception"] is not None:
        try:
            exc = pickle.loads(payload["exception"])
        except Exception:
            exc = None
    if not isinstance(exc, Exception):
        # SystemExit, KeyboardInterrupt... from a task fail the job, not the driver itself:
        # raised as they are they would end the application or escape `except Exception`.
        exc = PythonException("%s: %s" % (payload["type"], payload["message"]), payload["type"])
    exc.__traceback__ = None
    exc.__cause__ = RemoteTraceback(text)
    exc.__suppress_context__ = True
    try:
        exc.stageId, exc.partitionId, exc.remoteTraceback = tsm.stage.id, task.partition, text
        exc.failingCall = call
        exc.fullRemoteTraceback = payload["full_traceback"]
        exc.add_note(where)
    except AttributeError:
        pass  # exceptions with __slots__ keep their message only
    return exc
