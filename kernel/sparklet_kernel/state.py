"""The kernel's picture of a Spark session, built only from listener-bus events.

`SessionStore` is a `SparkListener`: the bus calls it on its own thread, it folds each event into
plain records (application, executors, jobs, stages, task spans, cached RDDs) under one lock, and
tells its subscribers what changed. The live cell displays, the lab panel's comm and the magics all
read snapshots from here; none of them looks at the scheduler. Snapshots are JSON-ready dicts in
the schema documented in ``protocol.md``.
"""

import threading
from collections import OrderedDict, namedtuple

from sparklet.listener import ExecutorInfo, SparkListener, SparkListenerEvent, SparkletTaskOutput, now_ms

from .source import rewrite_sites, short_site

#: How many finished jobs the store remembers (older ones are forgotten with their stages and
#: task spans, so a long session does not grow without bound).
RETAINED_JOBS = 200


class TaskSpan(namedtuple("TaskSpan", "stageId taskId partition attempt executorId launchTime finishTime status")):
    """One finished task attempt, for the timeline: times in ms, status SUCCESS, FAILED or KILLED.

    >>> span = TaskSpan(0, 7, 3, 0, "1", 1000, 1250, "SUCCESS")
    >>> span.duration, span.partition
    (250, 3)
    """

    __slots__ = ()

    @property
    def duration(self):
        return self.finishTime - self.launchTime


def is_cached(level):
    """Whether a storage level keeps blocks (MEMORY_*, DISK_*, OFF_HEAP): the one rule for
    "cached" in the store, the DAG and the backends.

    >>> from sparklet import StorageLevel
    >>> is_cached(StorageLevel.MEMORY_ONLY), is_cached(StorageLevel.NONE), is_cached(None)
    (True, False, False)
    """
    return bool(level is not None and (getattr(level, "useMemory", False) or getattr(level, "useDisk", False)
                                       or getattr(level, "useOffHeap", False)))


class StageRecord:
    __slots__ = (
        "stageId", "attemptNumber", "name", "numTasks", "isShuffleMap", "parentIds", "rddInfos",
        "status", "completed", "running", "failed", "killed", "retries", "submissionTime",
        "completionTime", "inputRecords", "inputBytes", "shuffleReadRecords", "shuffleReadBytes",
        "shuffleWriteRecords", "shuffleWriteBytes", "failureReason", "spans", "done_partitions",
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
        # a partition counts once even when a retry or a resubmitted attempt recomputes it
        self.done_partitions = set()

    def to_json(self):
        return {
            "stageId": self.stageId,
            "attempt": self.attemptNumber,
            "name": rewrite_sites(self.name),
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
    cached = is_cached(level)
    return {
        "id": r.id,
        "name": r.name,
        "scope": r.scope or r.name,
        "callSite": r.callSite,
        "parentIds": list(r.parentIds),
        "numPartitions": r.numPartitions,
        "storageLevel": str(level) if level is not None else "",
        "cached": cached,
        "operators": [list(op) for op in getattr(r, "operators", None) or []],
    }


def _executor_record(executor_id, info, added):
    return {
        "executorId": executor_id, "host": info.executorHost, "totalCores": info.totalCores, "pid": info.pid,
        "maxMemory": info.memory, "logUrlMap": dict(info.logUrlMap), "addTime": added, "removeTime": None,
        "removeReason": None, "isActive": True, "activeTasks": 0, "completedTasks": 0, "failedTasks": 0,
    }


class DeliveryMarker(SparkListenerEvent):
    """Posted by `SessionStore.sync`; the bus delivers in order, so its arrival means that every
    event posted before it has been delivered too (other listeners ignore it, as Spark's do with
    events they do not know)."""

    def __init__(self):
        self.delivered = threading.Event()


class SessionStore(SparkListener):
    """Folds listener events into the session's state; thread-safe; notifies subscribers.

    A subscriber is ``callback(kind, key)`` with kind ``"job"`` (key = jobId), ``"executor"``,
    ``"storage"``, ``"application"`` or ``"output"`` (key = the `SparkletTaskOutput` event). It is
    called on the listener-bus thread and must only record the change, never block.
    """

    def __init__(self, context=None):
        self.context = context
        self._lock = threading.RLock()
        self._subscribers = []
        self.application = {}
        self.executors = OrderedDict()
        self.jobs = OrderedDict()
        self.stages = {}
        self.stage_jobs = {}
        self.storage = OrderedDict()

    def backfill(self, sc):
        """Record what the context announced before this store subscribed (its application-start
        and first executor events may already have been delivered)."""
        with self._lock:
            if not self.application:
                self.application = {"appName": sc.appName, "appId": sc.applicationId, "master": sc.master,
                                    "sparkUser": sc.sparkUser(), "startTime": sc.startTime, "endTime": None}
            for executor_id, pid, cores in sc.executors:
                if executor_id not in self.executors:
                    self.executors[executor_id] = _executor_record(
                        executor_id, ExecutorInfo("localhost", cores, pid), sc.startTime)
        self._notify("executor", None)

    def close(self):
        """Stop following the context (the session adopted a newer one)."""
        if self.context is not None:
            self.context.removeSparkListener(self)

    # -- subscription --------------------------------------------------------------------------
    def subscribe(self, callback):
        self._subscribers = self._subscribers + [callback]

    def unsubscribe(self, callback):
        self._subscribers = [c for c in self._subscribers if c is not callback]

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
        self._notify("application", None)

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
        with self._lock:
            stage = self.stages.get(event.stageId)
            if stage is None:
                return
            stage.running = max(0, stage.running - 1)
            ok = event.reason == "Success"
            if ok:
                if info.index not in stage.done_partitions:
                    stage.done_partitions.add(info.index)
                    stage.completed = len(stage.done_partitions)
            elif info.killed or event.reason.startswith("TaskKilled"):
                stage.killed += 1
            else:
                stage.failed += 1
            if m is not None:
                stage.inputRecords += m.inputMetrics.recordsRead
                stage.inputBytes += m.inputMetrics.bytesRead
                stage.shuffleReadRecords += m.shuffleReadMetrics.recordsRead
                stage.shuffleReadBytes += m.shuffleReadMetrics.totalBytesRead
                stage.shuffleWriteRecords += m.shuffleWriteMetrics.recordsWritten
                stage.shuffleWriteBytes += m.shuffleWriteMetrics.bytesWritten
            status = "SUCCESS" if ok else ("KILLED" if info.killed else "FAILED")
            stage.spans.append(TaskSpan(event.stageId, info.taskId, info.index, info.attemptNumber, info.executorId,
                                        info.launchTime, info.finishTime or now_ms(), status))
            ex = self.executors.get(info.executorId)
            if ex is not None:
                ex["activeTasks"] = max(0, ex["activeTasks"] - 1)
                ex["completedTasks" if ok else "failedTasks"] += 1
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
            entry = self.storage.setdefault(rdd_id, {"rddId": rdd_id, "name": "", "storageLevel": "",
                                                     "numPartitions": 0, "blocks": {}})
            level = b.storageLevel
            stored = b.memSize or b.diskSize or is_cached(level)
            if stored:
                entry["blocks"][(b.executorId, part)] = (b.memSize, b.diskSize)
                entry["storageLevel"] = str(level)
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
        """Wait until the events the context posted so far have reached this store. Unlike
        ``listenerBus.waitUntilEmpty`` this does not wait for events that keep arriving from jobs
        running in the background."""
        if self.context is None:
            return True
        marker = DeliveryMarker()
        self.context.listenerBus.post(marker)
        return marker.delivered.wait(timeout)

    # -- reading -------------------------------------------------------------------------------
    def _name_cached_rdd(self, entry):
        if entry["name"]:
            return
        for stage in self.stages.values():
            for r in stage.rddInfos:
                if r["id"] == entry["rddId"]:
                    site = short_site(r["callSite"])
                    entry["name"] = "%s at %s" % (r["scope"], site) if site else r["scope"]
                    entry["numPartitions"] = r["numPartitions"]
                    return

    def _forget_old_jobs(self):
        finished = [j for j in self.jobs.values() if j.status != "running"]
        for job in finished[: max(0, len(self.jobs) - RETAINED_JOBS)]:
            del self.jobs[job.jobId]
            for sid in job.stageIds:
                owners = self.stage_jobs.get(sid)
                if owners is not None:
                    owners.discard(job.jobId)
                    if not owners:
                        del self.stage_jobs[sid]
                        self.stages.pop(sid, None)

    def job_json(self, job_id):
        """One job with its stages, or None if the store does not (or no longer) know it."""
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
                "description": rewrite_sites(job.description),
                "callSite": rewrite_sites(job.callSite),
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
        """(job group id, submission time in ms) of a job, for routing it to a cell."""
        with self._lock:
            job = self.jobs.get(job_id)
            return (job.groupId, job.submissionTime) if job is not None else None

    def job_stage_infos(self, job_id):
        with self._lock:
            job = self.jobs.get(job_id)
            return list(job.stageInfos) if job is not None else []

    def job_ids(self):
        with self._lock:
            return list(self.jobs)

    def active_job_ids(self):
        with self._lock:
            return [j.jobId for j in self.jobs.values() if j.status == "running"]

    def executor_cores(self):
        """{executorId: cores} of every executor the session has had."""
        with self._lock:
            return {e["executorId"]: e["totalCores"] for e in self.executors.values()}

    def task_spans(self, job_id):
        """[TaskSpan] of one job's finished task attempts."""
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

    def snapshot(self, max_jobs=100):
        """The whole session for the lab panel (protocol.md, "session snapshot")."""
        with self._lock:
            job_ids = list(self.jobs)[-max_jobs:]
            storage = []
            for entry in self.storage.values():
                blocks = entry["blocks"].values()
                storage.append({
                    "rddId": entry["rddId"], "name": entry["name"], "storageLevel": entry["storageLevel"],
                    "numCachedPartitions": len(entry["blocks"]), "numPartitions": entry["numPartitions"],
                    "memSize": sum(b[0] for b in blocks), "diskSize": sum(b[1] for b in blocks),
                })
            executors = [dict(e) for e in self.executors.values()]
            application = dict(self.application)
        return {
            "application": application,
            "executors": executors,
            "jobs": [j for j in (self.job_json(jid) for jid in job_ids) if j is not None],
            "storage": storage,
        }
