"""The pyspark backend's session store: listener events synthesized from PySpark's status tracker.

Apache Spark's listener bus lives in the JVM, out of Python's reach; its status tracker is not.
`TrackerStore` polls it (~10 times a second, and once more at the end of every cell) and turns
what changed into the events the session store folds: job start/end, stage submitted/completed;
task counts are copied from the tracker's per-stage counters, and each finished task's span is read
from the JVM's status store (Spark's AppStatusStore) when a timeline is asked for.
"""

import logging
import threading
import time

from sparklet.appstatus import task_error
from sparklet.listener import (JobResult, SparkListenerApplicationEnd, SparkListenerApplicationStart,
                               SparkListenerExecutorAdded, SparkListenerJobEnd, SparkListenerJobStart,
                               SparkListenerStageCompleted, SparkListenerStageSubmitted, StageInfo, ExecutorInfo,
                               now_ms)

from .pyspark_lineage import operation_graph_stages, sql_codegen_operators
from .state import SessionStore, TaskSpan

log = logging.getLogger("sparklet_kernel.pyspark_tracker")

POLL_INTERVAL = 0.1


class JobFailed(Exception):
    pass


#: the statuses of a task that has ended, as the status store names them
FINISHED_TASK_STATUSES = ("SUCCESS", "FAILED", "KILLED")
#: "all of a stage's tasks" for the status store's taskList (a Java int)
MAX_TASKS = 2 ** 31 - 1


class TrackerStore(SessionStore):
    """A `SessionStore` whose events are synthesized from PySpark's status tracker by a poller
    thread instead of delivered by a listener bus."""

    def __init__(self, context, backend):
        super().__init__(context)
        self.backend = backend
        self._poll_lock = threading.Lock()
        self._next_job = 0
        self._running = {}  # jobId -> {stageId: state dict}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sparklet-pyspark-tracker", daemon=True)

    def start(self):
        sc = self.context
        self.onApplicationStart(SparkListenerApplicationStart(sc.appName, sc.applicationId, sc.startTime,
                                                              sc.sparkUser(), sc.master))
        for ex in self.backend.executors(sc):
            self.onExecutorAdded(SparkListenerExecutorAdded(sc.startTime, ex["id"], ExecutorInfo(
                ex["host"], ex["cores"] if isinstance(ex["cores"], int) else 0, None, ex["storageMemory"])))
        self._thread.start()

    def _alive(self):
        return not self._stopped.is_set() and getattr(self.context, "_jsc", None) is not None

    def _run(self):
        while self._alive():
            try:
                self.poll()
            except Exception:
                if not self._alive():  # the context stopped between the check and the call
                    break
                # one bad poll must not end the session's progress display
                log.exception("polling PySpark's status tracker failed")
            self._stopped.wait(POLL_INTERVAL)
        if getattr(self.context, "_jsc", None) is None:
            # the context stopped (not merely replaced in the session): as Spark's application
            # end, this marks its executors removed and the store stopped
            self.onApplicationEnd(SparkListenerApplicationEnd(now_ms()))

    def stop(self):
        self._stopped.set()

    def close(self):
        self.stop()

    def sync(self, timeout=2.0):
        """Bring the store up to date now (the end of a cell): poll until the jobs it knows about
        have ended, as the action that ran them has returned, or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while self._alive():
            self.poll()
            if not self._running or time.monotonic() > deadline:
                return not self._running
            time.sleep(0.02)
        return True

    def poll(self):
        with self._poll_lock:
            tracker = self.context._jsc.statusTracker()
            while True:
                info = tracker.getJobInfo(self._next_job)
                if info is None:
                    break
                self._job_started(tracker, self._next_job, info)
                self._next_job += 1
            for job_id in list(self._running):
                self._job_progress(tracker, job_id)

    def task_spans(self, job_id):
        """The job's finished tasks, from the JVM's status store (it keeps the latest
        ``spark.ui.retainedTasks`` tasks of each stage)."""
        with self._lock:
            job = self.jobs.get(job_id)
            stage_ids = [s for s in job.stageIds if s in job.submitted] if job is not None else []
        tracker = self.context._jsc.statusTracker()
        status_store = self.context._jsc.sc().statusStore()
        spans = []
        for sid in stage_ids:
            info = tracker.getStageInfo(sid)
            for attempt in range(info.currentAttemptId() + 1 if info is not None else 1):
                tasks = status_store.taskList(sid, attempt, MAX_TASKS).iterator()
                while tasks.hasNext():
                    task = tasks.next()
                    status = task.status()
                    if status not in FINISHED_TASK_STATUSES:
                        continue  # a running task's duration is only its time so far
                    launch = task.launchTime().getTime()
                    error = task.errorMessage()
                    spans.append(TaskSpan(sid, task.taskId(), task.index(), task.attempt(), task.executorId(),
                                          launch, launch + task.duration().get(), status,
                                          task_error(error.get()) if error.isDefined() else None))
        return spans

    def _operation_graph(self, job_id, stage_ids):
        """`operation_graph_stages` of a job; {} when the JVM cannot say (a DAG is an extra, never
        a reason for the job's display to stop)."""
        try:
            status_store = self.context._jsc.sc().statusStore()
        except Exception:
            return {}
        return operation_graph_stages(status_store, stage_ids, sql_codegen_operators(self.context, job_id))

    def _job_started(self, tracker, job_id, info):
        stage_ids = sorted(int(s) for s in info.stageIds())
        java = {s: tracker.getStageInfo(s) for s in stage_ids}
        submitted = [java[s].submissionTime() for s in stage_ids if java[s] is not None and java[s].submissionTime() > 0]
        started = min(submitted) if submitted else now_ms()
        predicted, action = self.backend.job_plan(started, len(stage_ids))
        # no recorded Python call made this job (a DataFrame action): Spark's own operation graph
        graphs = {} if predicted else self._operation_graph(job_id, stage_ids)
        infos = []
        for index, sid in enumerate(stage_ids):
            j = java[sid]
            rdd_infos, parents = predicted[index] if predicted else ([], [])
            parent_ids = [stage_ids[p] for p in parents]
            if sid in graphs:
                rdd_infos, parent_ids = graphs[sid]
            infos.append(StageInfo(stageId=sid, attemptNumber=j.currentAttemptId() if j else 0,
                                   name=j.name() if j else "stage %d" % sid, numTasks=j.numTasks() if j else 0,
                                   rddInfos=rdd_infos, parentIds=parent_ids,
                                   isShuffleMap=index < len(stage_ids) - 1))
        properties = {"callSite.short": action or (infos[-1].name if infos and java[stage_ids[-1]] else "job %d" % job_id)}
        run = self.backend.session.live.current
        if run is not None and job_id in list(tracker.getJobIdsForGroup(run.group_id)):
            properties["spark.jobGroup.id"] = run.group_id
        self.onJobStart(SparkListenerJobStart(job_id, started, infos, properties))
        self._running[job_id] = {info.stageId: {"info": info, "submitted": False, "done": False} for info in infos}
        self._job_progress(tracker, job_id)

    def _job_progress(self, tracker, job_id):
        stages = self._running[job_id]
        # the job's status before its stages' counts: Spark records a stage's completion before
        # the end of its job, so counts read after the job has ended are final; read in the other
        # order, a job that ended in between would keep the counts of a stage still running
        job = tracker.getJobInfo(job_id)
        status = str(job.status()) if job is not None else "FAILED"
        for sid, state in stages.items():
            j = tracker.getStageInfo(sid)
            if j is None or state["done"]:
                continue
            info = state["info"]
            # each accessor of the tracker's Java objects is a round trip to the JVM: ask once
            if not state["submitted"]:
                submitted = j.submissionTime()
                if submitted <= 0:
                    continue
                state["submitted"] = True
                info.submissionTime = submitted
                info.name = j.name()
                self.onStageSubmitted(SparkListenerStageSubmitted(info, {}))
            counts = (j.numTasks(), j.numCompletedTasks(), j.numActiveTasks(), j.numFailedTasks())
            if counts == state.get("counts"):
                continue
            state["counts"] = counts
            with self._lock:
                record = self.stages.get(sid)
                if record is not None:
                    record.name = info.name
                    record.numTasks, record.completed, record.running, record.failed = counts
            self._notify("job", job_id)
            if counts[1] >= counts[0]:
                state["done"] = True
                info.completionTime = now_ms()
                self.onStageCompleted(SparkListenerStageCompleted(info))
        if status in ("SUCCEEDED", "FAILED"):
            for sid, state in stages.items():
                if state["submitted"] and not state["done"]:
                    state["info"].completionTime = now_ms()
                    state["info"].failureReason = "the job failed"
                    self.onStageCompleted(SparkListenerStageCompleted(state["info"]))
            empty = sorted(sid for sid, state in stages.items() if not state["info"].rddInfos)
            if empty:
                # the JVM writes a job's operation graph as it hears of the job, which may be
                # after this poll saw it start: read it again for the job's final display
                graphs = self._operation_graph(job_id, sorted(stages))
                for sid in empty:
                    if sid in graphs:
                        stages[sid]["info"].rddInfos[:], stages[sid]["info"].parentIds[:] = graphs[sid]
            result = JobResult(True) if status == "SUCCEEDED" else JobResult(False, JobFailed("a task failed"))
            self.onJobEnd(SparkListenerJobEnd(job_id, now_ms(), result))
            del self._running[job_id]
