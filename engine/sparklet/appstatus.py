"""The application's status, folded once from listener events (Spark's AppStatusListener and
AppStatusStore in one class).

`AppStatusStore` is a `SparkListener`: the bus calls it on its own thread and it folds each event
into plain records under one lock: the application, executors (active or removed), jobs, stages
with their task counts by state (running, succeeded, failed, killed apart from failed, retried),
task spans for timelines, and cached RDD blocks with their sizes. Every observer reads this one
fold: ``sc.statusTracker()``, and the notebook kernel's cell displays, lab panel and magics (which
only rename call sites for display). Readers that must hear of changes subscribe (`subscribe`);
task output is passed on to them, not kept.

Every context has one store from its start (``sc.statusStore``), so nothing that happened before
an observer arrived is missed; a store made without a context is fed by hand (event-log replay).

>>> store = sc.statusStore
>>> sc.parallelize(range(4), 2).count()
4
>>> store.sync()
True
>>> job = store.job_json(store.job_ids()[-1])
>>> job["status"], job["numTasks"], job["numCompletedTasks"], job["numKilledTasks"]
('succeeded', 2, 2, 0)
"""

import itertools
import threading
from collections import OrderedDict, namedtuple

from .listener import SparkListener, SparkListenerEvent, SparkletTaskOutput, now_ms

__all__ = ["AppStatusStore", "TaskSpan", "is_cached", "task_state", "RETAINED_JOBS"]

#: Finished jobs a store remembers (``spark.ui.retainedJobs``; Spark's default is 1000, but this
#: store keeps every task span of its jobs in the driver's memory); older ones are forgotten with
#: their stages and task spans, so a long session does not grow without bound.
RETAINED_JOBS = 200

#: never reused, unlike ``id()`` of a store that was garbage collected
_store_ids = itertools.count(1)


class TaskSpan(namedtuple("TaskSpan", "stageId taskId partition attempt executorId launchTime finishTime status error",
                          defaults=(None,))):
    """One finished task attempt, for the timeline: times in ms, status SUCCESS, FAILED or KILLED.

    >>> span = TaskSpan(0, 7, 3, 0, "1", 1000, 1250, "SUCCESS")
    >>> span.duration, span.partition
    (250, 3)
    """

    __slots__ = ()

    @property
    def duration(self):
        return self.finishTime - self.launchTime


def task_error(reason):
    """The line a task table shows for a failed or killed attempt: the exception itself for a task
    that raised, the end reason otherwise.

    >>> task_error("ExceptionFailure(ValueError: first attempt fails)")
    'ValueError: first attempt fails'
    >>> task_error("TaskKilled(stage cancelled)")
    'TaskKilled(stage cancelled)'
    """
    if reason.startswith("ExceptionFailure(") and reason.endswith(")"):
        reason = reason[len("ExceptionFailure("):-1]
    return reason.strip().split("\n", 1)[0]


def is_cached(level):
    """Whether a storage level keeps blocks (MEMORY_*, DISK_*, OFF_HEAP): the one rule for
    "cached" in the store, the DAG and the backends.

    >>> from sparklet import StorageLevel
    >>> is_cached(StorageLevel.MEMORY_ONLY), is_cached(StorageLevel.NONE), is_cached(None)
    (True, False, False)
    """
    return bool(level is not None and (getattr(level, "useMemory", False) or getattr(level, "useDisk", False)
                                       or getattr(level, "useOffHeap", False)))


def task_state(event):
    """SUCCESS, KILLED or FAILED for a task-end event, as Spark's status store counts it: a task
    killed by a cancel or because a sibling failed the stage is killed, not failed.

    >>> from sparklet.listener import SparkListenerTaskEnd, TaskInfo
    >>> info = TaskInfo(1, 0, 0, 0, "0", killed=True)
    >>> task_state(SparkListenerTaskEnd(0, 0, "ResultTask", "TaskKilled(stage cancelled)", info, None))
    'KILLED'
    """
    if event.reason == "Success":
        return "SUCCESS"
    if event.taskInfo.killed or event.reason.startswith("TaskKilled"):
        return "KILLED"
    return "FAILED"


def cached_size_kind(level):
    """How a cached block's size was taken: ``"serialized"`` (the bytes of its pickled records,
    exact) for serialized and disk levels, ``"estimated"`` (sampled object sizes,
    `sparklet.sizeestimator`) for deserialized memory levels.

    >>> from sparklet import StorageLevel
    >>> cached_size_kind(StorageLevel.MEMORY_ONLY), cached_size_kind(StorageLevel(False, True, False, True))
    ('serialized', 'estimated')
    """
    return "estimated" if getattr(level, "useMemory", False) and getattr(level, "deserialized", False) else "serialized"


class StageRecord:
    __slots__ = (
        "stageId", "attemptNumber", "name", "numTasks", "isShuffleMap", "parentIds", "rddInfos",
        "status", "completed", "running", "failed", "killed", "retries", "submissionTime",
        "completionTime", "inputRecords", "inputBytes", "shuffleReadRecords", "shuffleReadBytes",
        "shuffleWriteRecords", "shuffleWriteBytes", "failureReason", "spans", "active", "done_partitions",
        "attempt_counts",
    )

    def __init__(self, info):
        self.stageId = info.stageId
        self.attemptNumber = info.attemptNumber
        self.name = info.name
        self.numTasks = info.numTasks
        self.isShuffleMap = bool(info.isShuffleMap)
        self.parentIds = list(info.parentIds)
        self.rddInfos = [rdd_info_json(r) for r in info.rddInfos]
        self.status = "pending"
        self.completed = self.running = self.failed = self.killed = self.retries = 0
        self.submissionTime = self.completionTime = None
        self.inputRecords = self.inputBytes = 0
        self.shuffleReadRecords = self.shuffleReadBytes = 0
        self.shuffleWriteRecords = self.shuffleWriteBytes = 0
        self.failureReason = None
        self.spans = []  # TaskSpan of each finished task attempt, for the timeline
        self.active = {}  # taskId -> (partition, attempt, executorId, launchTime) of each running attempt
        # a partition counts once even when a retry or a resubmitted attempt recomputes it
        self.done_partitions = set()
        # the current attempt's own counts, as Spark's per-attempt StageData (the status tracker)
        self.attempt_counts = {"active": 0, "completed": 0, "failed": 0, "killed": 0}

    def to_json(self):
        return {
            "stageId": self.stageId,
            "attempt": self.attemptNumber,
            "name": self.name,
            "kind": "shuffleMap" if self.isShuffleMap else "result",
            "status": self.status,
            "numTasks": self.numTasks,
            "completed": self.completed,
            "running": self.running,
            "failed": self.failed,
            "killed": self.killed,
            "retries": self.retries,
            "submissionTime": self.submissionTime,
            "completionTime": self.completionTime,
            "inputRecords": self.inputRecords,
            "inputBytes": self.inputBytes,
            "shuffleReadRecords": self.shuffleReadRecords,
            "shuffleReadBytes": self.shuffleReadBytes,
            "shuffleWriteRecords": self.shuffleWriteRecords,
            "shuffleWriteBytes": self.shuffleWriteBytes,
            "parentIds": self.parentIds,
            "failureReason": self.failureReason,
        }


class JobRecord:
    __slots__ = ("jobId", "description", "callSite", "groupId", "properties", "status",
                 "submissionTime", "completionTime", "stageIds", "submitted", "lostExecutors",
                 "error", "stageInfos")

    def __init__(self, event):
        props = dict(event.properties or {})
        self.jobId = event.jobId
        self.properties = props
        self.callSite = props.get("callSite.short", "")
        self.description = props.get("spark.job.description") or self.callSite or "job %d" % event.jobId
        self.groupId = props.get("spark.jobGroup.id")
        self.status = "running"
        self.submissionTime = event.time
        self.completionTime = None
        self.stageIds = list(event.stageIds)
        self.stageInfos = list(event.stageInfos)
        self.submitted = set()
        self.lostExecutors = []
        self.error = None

    def skipped_stage_ids(self):
        """Stages listed at job start but never submitted: their shuffle output already existed.
        Only final once the job has ended (until then they may simply not have started)."""
        if self.status == "running":
            return []
        return [s for s in self.stageIds if s not in self.submitted]


def rdd_info_json(r):
    level = r.storageLevel
    return {
        "id": r.id,
        "name": r.name,
        "scope": r.scope or r.name,
        "callSite": r.callSite,
        "parentIds": list(r.parentIds),
        "numPartitions": r.numPartitions,
        "storageLevel": str(level) if level is not None else "",
        "cached": is_cached(level),
        "operators": [list(op) for op in getattr(r, "operators", None) or []],
    }


def _executor_record(executor_id, info, added):
    return {
        "executorId": executor_id, "host": info.executorHost, "totalCores": info.totalCores, "pid": info.pid,
        "maxMemory": info.memory, "logUrlMap": dict(info.logUrlMap), "addTime": added, "removeTime": None,
        "removeReason": None, "isActive": True, "activeTasks": 0, "completedTasks": 0, "failedTasks": 0,
        "killedTasks": 0,
    }


class DeliveryMarker(SparkListenerEvent):
    """Posted by `AppStatusStore.sync`; the bus delivers in order, so its arrival means that every
    event posted before it has been delivered too (other listeners ignore it, as Spark's do with
    events they do not know)."""

    def __init__(self):
        self.delivered = threading.Event()


class AppStatusStore(SparkListener):
    """Folds listener events into the application's status; thread-safe; notifies subscribers.

    A subscriber is ``callback(kind, key)`` with kind ``"job"`` (key = jobId), ``"executor"``,
    ``"storage"``, ``"application"`` or ``"output"`` (key = the `SparkletTaskOutput` event). It is
    called on the listener-bus thread and must only record the change, never block.

    `storeId` names the store for good (``id()`` of a dead store is reused by the next one).
    """

    def __init__(self, bus=None, retained_jobs=RETAINED_JOBS):
        self.storeId = next(_store_ids)
        self.bus = bus
        self.retained_jobs = retained_jobs  # None: keep every job (a replayed event log)
        self._lock = threading.RLock()
        self._subscribers = []
        self.application = {}
        self.stopped = False  # the application ended (sc.stop()): executors are removed
        self.executors = OrderedDict()
        self.jobs = OrderedDict()
        self.stages = {}
        self.stage_jobs = {}
        self.storage = OrderedDict()

    def __repr__(self):
        return "<AppStatusStore %d%s>" % (self.storeId, " stopped" if self.stopped else "")

    # -- subscription --------------------------------------------------------------------------
    def subscribe(self, callback):
        """Call ``callback(kind, key)`` on every change from now on; returns it.

        >>> changes = []
        >>> callback = sc.statusStore.subscribe(lambda kind, key: changes.append(kind))
        >>> sc.parallelize([1]).count()
        1
        >>> sc.statusStore.sync() and "job" in changes
        True
        >>> sc.statusStore.unsubscribe(callback)
        """
        self._subscribers = self._subscribers + [callback]
        return callback

    def unsubscribe(self, callback):
        """Stop calling `callback` (see `subscribe`)."""
        # by equality: ``obj.method`` is a new bound-method object each time it is read
        self._subscribers = [c for c in self._subscribers if c != callback]

    def _notify(self, kind, key):
        for callback in self._subscribers:
            callback(kind, key)

    # -- listener callbacks --------------------------------------------------------------------
    def onApplicationStart(self, event):
        with self._lock:
            self.application = {"appName": event.appName, "appId": event.appId, "master": event.master,
                                "sparkUser": event.sparkUser, "startTime": event.time, "endTime": None}
        self._notify("application", None)

    def onApplicationEnd(self, event):
        with self._lock:
            self.application["endTime"] = event.time
            self.stopped = True
            # a stopped context's executors are gone even though no ExecutorRemoved was posted
            for ex in self.executors.values():
                if ex["isActive"]:
                    ex.update(isActive=False, removeTime=event.time, removeReason="SparkContext stopped",
                              activeTasks=0)
        self._notify("application", None)
        self._notify("executor", None)

    def onExecutorAdded(self, event):
        info = event.executorInfo
        with self._lock:
            self.executors[event.executorId] = _executor_record(event.executorId, info, event.time)
        self._notify("executor", event.executorId)

    def onExecutorRemoved(self, event):
        with self._lock:
            ex = self.executors.get(event.executorId)
            if ex is not None:
                ex.update(isActive=False, removeTime=event.time, removeReason=event.reason, activeTasks=0)
            running = [j for j in self.jobs.values() if j.status == "running"]
            for job in running:
                job.lostExecutors.append(event.executorId)
        self._notify("executor", event.executorId)
        for job in running:
            self._notify("job", job.jobId)

    def onJobStart(self, event):
        with self._lock:
            job = JobRecord(event)
            self.jobs[event.jobId] = job
            for info in event.stageInfos:
                if info.stageId not in self.stages:
                    self.stages[info.stageId] = StageRecord(info)
                self.stage_jobs.setdefault(info.stageId, set()).add(event.jobId)
            self._forget_old_jobs()
        self._notify("job", event.jobId)

    def onJobEnd(self, event):
        with self._lock:
            job = self.jobs.get(event.jobId)
            if job is None:
                return
            job.completionTime = event.time
            result = event.jobResult
            if result.succeeded:
                job.status = "succeeded"
            else:
                exc = result.exception
                cancelled = exc is not None and type(exc).__name__ == "JobCancelledError"
                job.status = "cancelled" if cancelled else "failed"
                job.error = "%s: %s" % (type(exc).__name__, exc) if exc is not None else "failed"
            for sid in job.skipped_stage_ids():
                stage = self.stages.get(sid)
                if stage is not None and stage.status == "pending":
                    stage.status = "skipped"
        self._notify("job", event.jobId)

    def onStageSubmitted(self, event):
        info = event.stageInfo
        with self._lock:
            stage = self.stages.get(info.stageId)
            if stage is None:
                stage = self.stages[info.stageId] = StageRecord(info)
            elif info.attemptNumber != stage.attemptNumber:
                # a resubmitted stage (fetch failure, lost executor): the new attempt's tasks are
                # retries of partitions the stage already knows about
                stage.attemptNumber = info.attemptNumber
                stage.numTasks = max(stage.numTasks, info.numTasks)
                stage.attempt_counts = {"active": 0, "completed": 0, "failed": 0, "killed": 0}
            stage.status = "active"
            stage.submissionTime = info.submissionTime or now_ms()
            jobs = self.stage_jobs.get(info.stageId, ())
            for jid in jobs:
                if jid in self.jobs:
                    self.jobs[jid].submitted.add(info.stageId)
        for jid in list(jobs):
            self._notify("job", jid)

    def onStageCompleted(self, event):
        info = event.stageInfo
        with self._lock:
            stage = self.stages.get(info.stageId)
            if stage is None:
                return
            stage.completionTime = info.completionTime or now_ms()
            stage.failureReason = info.failureReason
            stage.status = "failed" if info.failureReason else "complete"
            stage.running = 0
            jobs = list(self.stage_jobs.get(info.stageId, ()))
        for jid in jobs:
            self._notify("job", jid)

    def onTaskStart(self, event):
        with self._lock:
            stage = self.stages.get(event.stageId)
            if stage is None:
                return
            stage.running += 1
            info = event.taskInfo
            stage.active[info.taskId] = (info.index, info.attemptNumber, info.executorId, info.launchTime)
            if event.stageAttemptId == stage.attemptNumber:
                stage.attempt_counts["active"] += 1
            if event.taskInfo.attemptNumber > 0:
                stage.retries += 1
            ex = self.executors.get(event.taskInfo.executorId)
            if ex is not None:
                ex["activeTasks"] += 1
            jobs = list(self.stage_jobs.get(event.stageId, ()))
        for jid in jobs:
            self._notify("job", jid)

    def onTaskEnd(self, event):
        info = event.taskInfo
        m = event.taskMetrics
        state = task_state(event)
        with self._lock:
            stage = self.stages.get(event.stageId)
            if stage is None:
                return
            stage.running = max(0, stage.running - 1)
            stage.active.pop(info.taskId, None)
            if state == "SUCCESS":
                if info.index not in stage.done_partitions:
                    stage.done_partitions.add(info.index)
                    stage.completed = len(stage.done_partitions)
            elif state == "KILLED":
                stage.killed += 1
            else:
                stage.failed += 1
            if event.stageAttemptId == stage.attemptNumber:
                counts = stage.attempt_counts
                counts["active"] = max(0, counts["active"] - 1)
                counts[{"SUCCESS": "completed", "KILLED": "killed", "FAILED": "failed"}[state]] += 1
            if m is not None:
                stage.inputRecords += m.inputMetrics.recordsRead
                stage.inputBytes += m.inputMetrics.bytesRead
                stage.shuffleReadRecords += m.shuffleReadMetrics.recordsRead
                stage.shuffleReadBytes += m.shuffleReadMetrics.totalBytesRead
                stage.shuffleWriteRecords += m.shuffleWriteMetrics.recordsWritten
                stage.shuffleWriteBytes += m.shuffleWriteMetrics.bytesWritten
            stage.spans.append(TaskSpan(event.stageId, info.taskId, info.index, info.attemptNumber, info.executorId,
                                        info.launchTime, info.finishTime or now_ms(), state,
                                        None if state == "SUCCESS" else task_error(event.reason)))
            ex = self.executors.get(info.executorId)
            if ex is not None:
                ex["activeTasks"] = max(0, ex["activeTasks"] - 1)
                ex[{"SUCCESS": "completedTasks", "KILLED": "killedTasks", "FAILED": "failedTasks"}[state]] += 1
            jobs = list(self.stage_jobs.get(event.stageId, ()))
        for jid in jobs:
            self._notify("job", jid)

    def onBlockUpdated(self, event):
        b = event.blockUpdatedInfo
        if not b.blockId.startswith("rdd_"):
            return
        _, rdd_id, part = b.blockId.split("_", 2)
        rdd_id = int(rdd_id)
        with self._lock:
            entry = self.storage.setdefault(rdd_id, {"rddId": rdd_id, "name": "", "callSite": "", "storageLevel": "",
                                                     "sizeKind": "serialized", "numPartitions": 0, "blocks": {}})
            level = b.storageLevel
            stored = b.memSize or b.diskSize or is_cached(level)
            if stored:
                entry["blocks"][(b.executorId, part)] = (b.memSize, b.diskSize)
                entry["storageLevel"] = str(level)
                entry["sizeKind"] = cached_size_kind(level)
            else:
                entry["blocks"].pop((b.executorId, part), None)
            self._name_cached_rdd(entry)
        self._notify("storage", rdd_id)

    def onUnpersistRDD(self, event):
        with self._lock:
            self.storage.pop(event.rddId, None)
        self._notify("storage", event.rddId)

    def onOtherEvent(self, event):
        if isinstance(event, SparkletTaskOutput):
            self._notify("output", event)
        elif isinstance(event, DeliveryMarker):
            event.delivered.set()

    def sync(self, timeout=2.0):
        """Wait until the events posted to the store's bus so far have reached it. Unlike
        ``listenerBus.waitUntilEmpty`` this does not wait for events that keep arriving from jobs
        running in the background. True at once for a store without a bus or of a stopped
        context (whose bus delivered everything before it stopped).

        >>> sc.statusStore.sync()
        True
        """
        if self.bus is None or self.stopped:
            return True
        marker = DeliveryMarker()
        self.bus.post(marker)
        return marker.delivered.wait(timeout)

    # -- reading -------------------------------------------------------------------------------
    def _name_cached_rdd(self, entry):
        if entry["name"]:
            return
        for stage in self.stages.values():
            for r in stage.rddInfos:
                if r["id"] == entry["rddId"]:
                    entry["name"] = r["scope"]
                    entry["callSite"] = r["callSite"]
                    entry["numPartitions"] = r["numPartitions"]
                    return

    def _forget_old_jobs(self):
        if self.retained_jobs is None:
            return
        finished = [j for j in self.jobs.values() if j.status != "running"]
        for job in finished[: max(0, len(self.jobs) - self.retained_jobs)]:
            del self.jobs[job.jobId]
            for sid in job.stageIds:
                owners = self.stage_jobs.get(sid)
                if owners is not None:
                    owners.discard(job.jobId)
                    if not owners:
                        del self.stage_jobs[sid]
                        self.stages.pop(sid, None)

    def job_json(self, job_id):
        """One job with its stages (protocol.md's Job, names as the engine made them), or None if
        the store does not (or no longer) know it."""
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            skipped = set(job.skipped_stage_ids())
            stages = []
            for sid in sorted(job.stageIds):
                stage = self.stages.get(sid)
                if stage is None:
                    continue
                s = stage.to_json()
                if sid in skipped:
                    s["status"] = "skipped"
                stages.append(s)
            end = job.completionTime or now_ms()
            live = [s for s in stages if s["status"] != "skipped"]
            return {
                "jobId": job.jobId,
                "description": job.description,
                "callSite": job.callSite,
                "groupId": job.groupId,
                "status": job.status,
                "submissionTime": job.submissionTime,
                "completionTime": job.completionTime,
                "durationMs": max(0, end - job.submissionTime),
                "numTasks": sum(s["numTasks"] for s in live),
                "numCompletedTasks": sum(s["completed"] for s in live),
                "numActiveTasks": sum(s["running"] for s in live),
                "numFailedTasks": sum(s["failed"] for s in live),
                "numKilledTasks": sum(s["killed"] for s in live),
                "numRetriedTasks": sum(s["retries"] for s in live),
                "numSkippedStages": len(skipped),
                "lostExecutors": list(job.lostExecutors),
                "error": job.error,
                "stages": stages,
            }

    def job_origin(self, job_id):
        """(job group id, submission time in ms) of a job, for routing it to a cell.

        >>> sc.setJobGroup("origin", "where a job comes from")
        >>> sc.parallelize([1]).count()
        1
        >>> sc.clearJobGroup()
        >>> store = sc.statusStore
        >>> store.sync() and store.job_origin(store.job_ids("origin")[-1])[0]
        'origin'
        """
        with self._lock:
            job = self.jobs.get(job_id)
            return (job.groupId, job.submissionTime) if job is not None else None

    def job_stage_infos(self, job_id):
        """The `StageInfo` of each stage a job listed when it started (what its DAG is drawn from).

        >>> _ = sc.parallelize([("a", 1)]).reduceByKey(lambda a, b: a + b).collect()
        >>> store = sc.statusStore
        >>> store.sync() and [s.isShuffleMap for s in store.job_stage_infos(store.job_ids()[-1])]
        [True, False]
        """
        with self._lock:
            job = self.jobs.get(job_id)
            return list(job.stageInfos) if job is not None else []

    def job_ids(self, group=Ellipsis):
        """Ids of the retained jobs in start order; with `group`, only that job group's (None:
        jobs started outside any group).

        >>> sc.setJobGroup("ids", "two jobs")
        >>> sc.parallelize([1]).count() + sc.parallelize([2]).count()
        2
        >>> sc.clearJobGroup()
        >>> sc.statusStore.sync() and len(sc.statusStore.job_ids("ids"))
        2
        """
        with self._lock:
            if group is Ellipsis:
                return list(self.jobs)
            return [j.jobId for j in self.jobs.values() if j.groupId == group]

    def active_job_ids(self):
        """Ids of the jobs running now.

        >>> sc.statusStore.sync() and sc.statusStore.active_job_ids()
        []
        """
        with self._lock:
            return [j.jobId for j in self.jobs.values() if j.status == "running"]

    def active_stage_ids(self):
        """Ids of the stages running now, in order.

        >>> sc.statusStore.sync() and sc.statusStore.active_stage_ids()
        []
        """
        with self._lock:
            return sorted(s.stageId for s in self.stages.values() if s.status == "active")

    def job_status(self, job_id):
        """(stage ids, RUNNING / SUCCEEDED / FAILED as Spark's JobExecutionStatus: a cancelled
        job failed), or None.

        >>> sc.parallelize([1]).count()
        1
        >>> store = sc.statusStore
        >>> store.sync() and store.job_status(store.job_ids()[-1])[1]
        'SUCCEEDED'
        """
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            status = {"running": "RUNNING", "succeeded": "SUCCEEDED"}.get(job.status, "FAILED")
            return list(job.stageIds), status

    def stage_attempt(self, stage_id):
        """(current attempt, name, numTasks, {"active", "completed", "failed", "killed"}) of a
        stage's current attempt, as Spark's status tracker reads it, or None.

        >>> sc.parallelize(range(4), 2).count()
        4
        >>> store = sc.statusStore
        >>> store.sync() and store.stage_attempt(store.job_status(store.job_ids()[-1])[0][0])[3]
        {'active': 0, 'completed': 2, 'failed': 0, 'killed': 0}
        """
        with self._lock:
            stage = self.stages.get(stage_id)
            if stage is None:
                return None
            return stage.attemptNumber, stage.name, stage.numTasks, dict(stage.attempt_counts)

    def executor_cores(self):
        """{executorId: cores} of every executor the application has had.

        >>> set(sc.statusStore.executor_cores().values())
        {1}
        """
        with self._lock:
            return {e["executorId"]: e["totalCores"] for e in self.executors.values()}

    def task_spans(self, job_id):
        """[TaskSpan] of one job's finished task attempts.

        >>> sc.parallelize(range(4), 2).count()
        4
        >>> store = sc.statusStore
        >>> store.sync() and sorted(s.status for s in store.task_spans(store.job_ids()[-1]))
        ['SUCCESS', 'SUCCESS']
        """
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                return []
            out = []
            for sid in job.stageIds:
                stage = self.stages.get(sid)
                if stage is not None and sid in job.submitted:
                    out.extend(stage.spans)
            return out

    def running_tasks(self, job_id):
        """[(stageId, partition, attempt, executorId, launchTime)] of one job's task attempts still running.

        >>> store = sc.statusStore
        >>> sc.parallelize(range(4), 2).count()
        4
        >>> store.sync() and store.running_tasks(store.job_ids()[-1])
        []
        """
        with self._lock:
            job = self.jobs.get(job_id)
            if job is None:
                return []
            return [(sid,) + task for sid in job.stageIds if sid in self.stages
                    for task in self.stages[sid].active.values()]

    def storage_json(self):
        """Cached RDDs (protocol.md's storage entries; `sizeKind` says how sizes were taken).

        >>> cached = sc.parallelize(["spark"] * 100, 2).cache()
        >>> cached.count()
        100
        >>> sc.statusStore.sync()
        True
        >>> [entry] = [e for e in sc.statusStore.storage_json() if e["rddId"] == cached.id()]
        >>> entry["numCachedPartitions"], entry["sizeKind"], entry["storageLevel"]
        (2, 'serialized', 'Memory Serialized 1x Replicated')
        >>> _ = cached.unpersist()
        """
        with self._lock:
            storage = []
            for entry in self.storage.values():
                blocks = entry["blocks"].values()
                storage.append({
                    "rddId": entry["rddId"], "name": entry["name"], "callSite": entry["callSite"],
                    "storageLevel": entry["storageLevel"], "sizeKind": entry["sizeKind"],
                    "numCachedPartitions": len(entry["blocks"]), "numPartitions": entry["numPartitions"],
                    "memSize": sum(b[0] for b in blocks), "diskSize": sum(b[1] for b in blocks),
                })
            return storage

    def snapshot(self, max_jobs=100, job_json=None):
        """The whole application (protocol.md's Snapshot without its "session" part): the latest
        `max_jobs` jobs, each as `job_json` (default: this store's) gives it.

        >>> snap = sc.statusStore.snapshot(max_jobs=1)
        >>> sorted(snap), snap["application"]["state"], len(snap["jobs"]) <= 1
        (['application', 'executors', 'jobs', 'storage'], 'live', True)
        """
        job_json = job_json or self.job_json
        with self._lock:
            job_ids = list(self.jobs)[-max_jobs:] if max_jobs > 0 else []
            executors = [dict(e) for e in self.executors.values()]
            application = dict(self.application)
            stopped = self.stopped
        return {
            "application": dict(application, state="stopped" if stopped else "live") if application else {},
            "executors": executors,
            "jobs": [j for j in (job_json(jid) for jid in job_ids) if j is not None],
            "storage": self.storage_json(),
        }
