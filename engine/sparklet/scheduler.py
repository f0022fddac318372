"""The DAG scheduler and task scheduler: from an action to tasks on executors and back.

Policy, in Spark's terms:

* A job is cut into stages at shuffle dependencies: shuffle-map stages (one per shuffle, shared by
  every job that needs that shuffle, keyed by shuffle id) feed the job's result stage. Stage ids are
  given parents first. A shuffle-map stage whose map outputs all exist is *skipped*.
* A stage runs once all its parents are available; its missing partitions become one task set.
  Narrow transformations are pipelined inside each task (``RDD.iterator`` chains them).
* Tasks are offered to executors with a free core, FIFO by (job id, stage id). A task prefers the
  executor that caches a block it reads; it waits for that executor up to ``spark.locality.wait``.
* A failed task is retried until it has failed ``maxTaskFailures`` times (``local[K,F]``), then its
  stage is aborted and the jobs that need it fail with the user's exception. A lost executor's
  tasks are resubmitted, its map outputs and cached blocks are forgotten, and stages whose input
  disappeared are resubmitted after their parents are recomputed from lineage.

State lives in this one object and is changed only on the ``dag-scheduler-event-loop`` thread,
which handles one event at a time (job submitted, task finished, executor lost, cancel...). Callers
on other threads post events and wait on their job's ``threading.Event``. Every state change is
published on the listener bus; observers never read this object's fields.
"""

import heapq
import itertools
import logging
import os
import pickle
import queue
import threading
import time

from . import listener as L
from .errors import (JobCancelledError, PythonException, RemoteTraceback, SparkException, failing_call,
                     format_user_traceback)
from .backend import kill_executor
from .conf import parse_bytes
from .rdd import ParallelCollectionRDD, ShuffleDependency, ShuffledRDD, _task_pickling
from .serializers import dumps_closure, unpicklable_path
from .storagelevel import StorageLevel

log = logging.getLogger("sparklet.scheduler")

# Give up on a partition after this many lost executors while running it, however they died.
MAX_EXECUTOR_LOSSES_PER_TASK = 4

# How often executors' resident memory is compared with spark.executor.memory (when it is set).
MEMORY_POLL_SECONDS = 0.2
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class Stage:
    def __init__(self, stage_id, rdd, num_tasks, parents, first_job_id, shuffle_dep=None, name=None):
        self.id = stage_id
        self.rdd = rdd
        self.numTasks = num_tasks
        self.parents = parents
        self.firstJobId = first_job_id
        self.shuffleDep = shuffle_dep
        self.name = name
        self.jobIds = set()
        self.attempt = -1
        self.info = None
        self.outputs = [None] * num_tasks if shuffle_dep is not None else None
        self.rdds = stage_rdds(rdd)
        self.isBarrier = any(r.is_barrier for r in self.rdds)

    @property
    def isShuffleMap(self):
        return self.shuffleDep is not None

    def available(self):
        return self.outputs is not None and all(o is not None for o in self.outputs)

    def make_info(self, attempt, details=""):
        rdd_infos = [L.RDDInfo(r._id, r._name or r._kind, r.getNumPartitions(), r._storage_level,
                               [d.rdd._id for d in r._deps], r.callSite, r.scope, r.scopeId, r.is_barrier,
                               operators=list(getattr(r, "operators", ())))
                     for r in self.rdds]
        return L.StageInfo(self.id, attempt, self.name, self.numTasks, rdd_infos, [p.id for p in self.parents],
                           details, self.isShuffleMap, self.shuffleDep.shuffleId if self.shuffleDep else None)


def stage_rdds(rdd):
    """The RDDs one stage computes: ``rdd`` and its ancestors up to (not past) shuffle boundaries."""
    seen, order, stack = set(), [], [rdd]
    while stack:
        r = stack.pop()
        if r._id in seen:
            continue
        seen.add(r._id)
        order.append(r)
        for dep in r._deps:
            if not isinstance(dep, ShuffleDependency):
                stack.append(dep.rdd)
    return sorted(order, key=lambda r: r._id)


def narrow_ancestry(rdd, split):
    """(rdd, partition) pairs a task computing ``split`` of ``rdd`` may touch within its stage."""
    seen, stack = set(), [(rdd, split)]
    while stack:
        r, s = stack.pop()
        if (r._id, s) in seen:
            continue
        seen.add((r._id, s))
        yield r, s
        for dep in r._deps:
            if not isinstance(dep, ShuffleDependency):
                for ps in dep.getParents(s):
                    stack.append((dep.rdd, ps))


class ActiveJob:
    def __init__(self, job_id, final_stage, func, partitions, properties, call_site):
        self.jobId = job_id
        self.finalStage = final_stage
        self.func = func
        self.partitions = partitions
        self.properties = properties
        self.callSite = call_site
        self.results = [None] * len(partitions)
        self.finished = [False] * len(partitions)
        self.numFinished = 0
        self.resultBytes = 0
        self.done = threading.Event()
        self.error = None
        self.stageIds = []


class Task:
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


class TaskSet:
    def __init__(self, stage, attempt, partitions, binary, priority, properties, job):
        self.stage = stage
        self.attempt = attempt
        self.pending = list(partitions)  # partitions still to launch
        self.running = {}  # taskId -> Task
        self.remaining = set(partitions)  # partitions not yet finished
        self.failures = {}
        self.executorLosses = {}
        self.binary = binary
        self.binaryKey = "%d.%d" % (stage.id, attempt)
        self.priority = priority
        self.properties = properties
        self.job = job  # for result stages: the job whose results the tasks produce
        self.zombie = False
        self.created = time.monotonic()
        self.barrier_msgs = {}

    def index_of(self, partition):
        return self.job.partitions.index(partition) if self.job is not None else partition


class DAGScheduler:
    def __init__(self, sc, max_task_failures, locality_wait, max_result_size, kill_timeout):
        self.sc = sc
        self.bus = sc.listenerBus
        self.maxTaskFailures = max_task_failures
        self.localityWait = locality_wait
        self.maxResultSize = max_result_size
        self.killTimeout = kill_timeout
        self.events = queue.SimpleQueue()
        self.executors = {}  # id -> ExecutorHandle
        self.nextJobId = 0
        self._id_lock = threading.Lock()
        self.nextStageId = 0
        self.jobs = {}  # active jobs
        self.shuffleStages = {}  # shuffleId -> Stage
        self.taskSets = []  # active task sets
        self.waiting = set()  # stages waiting for parents
        self.running = set()  # stages with an active task set
        self.blockLocations = {}  # (rddId, split) -> {executorId}
        self.tasks = {}  # taskId -> Task, while running
        self.timers = []
        self.stopped = False
        # Enforced only when the application sets spark.executor.memory: like PySpark's Python
        # workers, executors are otherwise bounded by the machine alone. The limit is a cluster
        # manager's container size: the memory plus its overhead (Spark's default overhead is
        # max(384 MiB, 10%)), which also covers the interpreter itself.
        self.executorMemoryLimit = None
        if sc._conf.contains("spark.executor.memory"):
            memory = parse_bytes(sc._conf.get("spark.executor.memory"))
            overhead = sc._conf.get("spark.executor.memoryOverhead")
            self.executorMemoryLimit = memory + (parse_bytes(overhead) if overhead is not None
                                                 else max(384 << 20, memory // 10))
        if self.executorMemoryLimit:
            self._after(MEMORY_POLL_SECONDS, self._check_executor_memory)
        self.thread = threading.Thread(target=self._loop, name="dag-scheduler-event-loop", daemon=True)
        self.thread.start()

    # ---- API for other threads ----

    def post(self, *event):
        self.events.put(event)

    def submitJob(self, rdd, func, partitions, properties, call_site):
        """Post the job and return it at once; its ``done`` event is set when it ends."""
        with self._id_lock:
            job_id = self.nextJobId
            self.nextJobId += 1
        job = ActiveJob(job_id, None, func, partitions, properties, call_site)
        self.post("submit", job, rdd)
        return job

    def previewStages(self, rdd):
        """StageInfos of the stages a job on ``rdd`` would run; computed stages say "skipped"."""
        result = {}
        ready = threading.Event()
        self.post("preview", rdd, result, ready)
        ready.wait()
        if "error" in result:
            raise result["error"]
        return result["stages"]

    def cancelJob(self, job_id, reason=None):
        self.post("cancel", lambda job: job.jobId == job_id, reason or "Job %d cancelled" % job_id)

    def cancelJobGroup(self, group_id, reason=None):
        self.post("cancel", lambda job: job.properties.get("spark.jobGroup.id") == group_id,
                  reason or "part of cancelled job group %s" % group_id)

    def cancelAllJobs(self, reason=None):
        self.post("cancel", lambda job: True, reason or "as part of cancellation of all jobs")

    def stop(self):
        self.post("stop")
        if threading.current_thread() is not self.thread:
            self.thread.join(10)

    # ---- the event loop ----

    def _loop(self):
        while True:
            timeout = None
            if self.timers:
                timeout = max(0.0, self.timers[0][0] - time.monotonic())
            try:
                event = self.events.get(timeout=timeout)
            except queue.Empty:
                event = None
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                _, _, callback = heapq.heappop(self.timers)
                callback()
            if event is not None:
                kind = event[0]
                if kind == "stop":
                    self._handle_stop()
                    return
                try:
                    getattr(self, "_on_" + kind)(*event[1:])
                except Exception as e:  # an engine bug must fail the jobs, not hang them
                    log.exception("scheduler failed handling %s", kind)
                    for job in list(self.jobs.values()):
                        self._fail_job(job, SparkException("internal scheduler error: %r" % e))
            try:
                self._schedule()
            except Exception as e:
                log.exception("scheduler failed launching tasks")
                for job in list(self.jobs.values()):
                    self._fail_job(job, SparkException("internal scheduler error: %r" % e))

    def _after(self, seconds, callback):
        heapq.heappush(self.timers, (time.monotonic() + seconds, id(callback), callback))

    # ---- building stages ----

    def _new_stage_id(self):
        sid = self.nextStageId
        self.nextStageId += 1
        return sid

    def _parent_stages(self, rdd, job_id, stage_for=None):
        stage_for = stage_for or self._shuffle_stage
        parents, seen, stack = [], set(), [rdd]
        while stack:
            r = stack.pop()
            if r._id in seen:
                continue
            seen.add(r._id)
            for dep in r._deps:
                if isinstance(dep, ShuffleDependency):
                    stage = stage_for(dep, job_id)
                    if stage not in parents:
                        parents.append(stage)
                else:
                    stack.append(dep.rdd)
        return sorted(parents, key=lambda s: s.id)

    def _shuffle_stage(self, dep, job_id):
        stage = self.shuffleStages.get(dep.shuffleId)
        if stage is None:
            parents = self._parent_stages(dep.rdd, job_id)
            stage = Stage(self._new_stage_id(), dep.rdd, dep.rdd.getNumPartitions(), parents, job_id, dep,
                          "%s at %s" % (dep.rdd.scope, dep.rdd.callSite))
            self.shuffleStages[dep.shuffleId] = stage
        return stage

    def _all_stages(self, stage):
        out, stack = {}, [stage]
        while stack:
            s = stack.pop()
            if s.id not in out:
                out[s.id] = s
                stack.extend(s.parents)
        return sorted(out.values(), key=lambda s: s.id)  # parents first, as ids are given

    # ---- event handlers ----

    def _on_submit(self, job, rdd):
        try:
            parents = self._parent_stages(rdd, job.jobId)
            final = Stage(self._new_stage_id(), rdd, len(job.partitions), parents, job.jobId, None, job.callSite)
        except Exception as e:  # e.g. an input path that does not exist: fails this job only
            job.error = e
            job.done.set()
            return
        job.finalStage = final
        stages = self._all_stages(final)
        for s in stages:
            s.jobIds.add(job.jobId)
        job.stageIds = [s.id for s in stages]
        self.jobs[job.jobId] = job
        infos = [s.info if s.info is not None else s.make_info(0) for s in stages]
        self.bus.post(L.SparkListenerJobStart(job.jobId, L.now_ms(), infos, dict(job.properties)))
        if not job.partitions:
            self._finish_job(job)
            return
        self._submit_stage(final, job)

    def _on_preview(self, rdd, result, ready):
        # The stages a real job would use: existing shuffle stages (so their ids and "skipped"
        # marks are right) and provisional ones for shuffles never run, numbered as a job
        # submitted now would number them (parents first) without taking those ids.
        try:
            provisional = itertools.count(self.nextStageId)
            made = {}

            def stage_for(dep, job_id):
                stage = self.shuffleStages.get(dep.shuffleId) or made.get(dep.shuffleId)
                if stage is None:
                    parents = self._parent_stages(dep.rdd, job_id, stage_for)
                    stage = Stage(next(provisional), dep.rdd, dep.rdd.getNumPartitions(), parents, job_id, dep,
                                  "%s at %s" % (dep.rdd.scope, dep.rdd.callSite))
                    made[dep.shuffleId] = stage
                return stage

            parents = self._parent_stages(rdd, -1, stage_for)
            final = Stage(next(provisional), rdd, rdd.getNumPartitions(), parents, -1, None,
                          "%s at %s" % (rdd.scope, rdd.callSite))
            result["stages"] = [s.make_info(max(s.attempt, 0), "skipped" if s.available() else "")
                                for s in self._all_stages(final)]
        except Exception as e:
            result["error"] = e
        finally:
            ready.set()

    def _submit_stage(self, stage, job):
        if stage in self.waiting or stage in self.running:
            return
        missing = [p for p in stage.parents if not p.available()]
        if missing:
            for parent in missing:
                self._submit_stage(parent, job)
            self.waiting.add(stage)
        else:
            self._submit_tasks(stage, job)

    def _submit_tasks(self, stage, job):
        if stage.isShuffleMap:
            partitions = [p for p in range(stage.numTasks) if stage.outputs[p] is None]
            result_job = None
        else:
            result_job = job
            partitions = [p for i, p in enumerate(job.partitions) if not job.finished[i]]
        stage.attempt += 1
        stage.info = stage.make_info(stage.attempt)
        stage.info.submissionTime = L.now_ms()
        first_job = min(stage.jobIds & set(self.jobs)) if stage.jobIds & set(self.jobs) else job.jobId
        properties = self.jobs[first_job].properties if first_job in self.jobs else job.properties
        if stage.isBarrier and len(partitions) > sum(h.cores for h in self.executors.values() if h.alive):
            self._abort_stage(stage, SparkException(
                "Barrier execution mode does not allow run a barrier stage that requires more slots than "
                "the total number of slots in the cluster currently (%d tasks, %d slots): use fewer "
                "partitions or more cores" % (len(partitions), sum(h.cores for h in self.executors.values()))))
            return
        try:
            binary = self._serialize_stage(stage, result_job)
        except Exception as e:
            if isinstance(e, RuntimeError) and not isinstance(e, RecursionError):
                error = e  # an RDD or the SparkContext used inside a task: already explained
            else:
                error = pickle.PicklingError("Could not serialize the functions of stage %d (%s): %s: %s%s" % (
                    stage.id, stage.name, type(e).__name__, e, self._unpicklable_part(stage, result_job)))
            self._abort_stage(stage, error)
            return
        self.bus.post(L.SparkListenerStageSubmitted(stage.info, dict(properties)))
        task_set = TaskSet(stage, stage.attempt, partitions, binary, (first_job, stage.id), properties, result_job)
        self.running.add(stage)
        if not partitions:
            self._complete_stage(task_set)
            return
        self.taskSets.append(task_set)
        self.taskSets.sort(key=lambda ts: ts.priority)

    def _serialize_stage(self, stage, job):
        _task_pickling.rdd_ids = {r._id for r in stage.rdds}
        try:
            payload = (stage.rdd, stage.shuffleDep) if stage.isShuffleMap else (stage.rdd, job.func)
            return dumps_closure(payload)
        finally:
            _task_pickling.rdd_ids = None

    def _unpicklable_part(self, stage, job):
        """A clause naming the path to what in the stage's functions cannot be pickled, or ''."""
        _task_pickling.rdd_ids = {r._id for r in stage.rdds}
        try:
            for rdd in stage.rdds:
                for name, value in vars(rdd).items():
                    if callable(value) and not isinstance(value, type):
                        path = unpicklable_path(value, "%s at %s" % (rdd.scope, rdd.callSite))
                        if path:
                            return "; what cannot be pickled: " + path
            func = stage.shuffleDep if stage.isShuffleMap else job.func
            path = unpicklable_path(func, "the job's function")
            return "; what cannot be pickled: " + path if path else ""
        except Exception:  # the explanation must never hide the error it explains
            return ""
        finally:
            _task_pickling.rdd_ids = None

    # ---- launching tasks ----

    def _schedule(self):
        if not self.taskSets:
            return
        now = time.monotonic()
        free = [h for h in self.executors.values() if h.free_cores > 0]
        for handle in free:
            while handle.free_cores > 0:
                task = self._pick_task(handle, now)
                if task is None:
                    break
                self._launch(task, handle)

    def _pick_task(self, handle, now):
        for ts in self.taskSets:
            if ts.zombie or not ts.pending:
                continue
            if ts.stage.isBarrier:
                # All tasks of a barrier stage start together, or none does.
                if len(ts.pending) > sum(h.free_cores for h in self.executors.values()):
                    continue
            fallback = None
            for i, partition in enumerate(ts.pending):
                prefs = self._preferred_executors(ts.stage, partition)
                if not prefs or handle.executor_id in prefs:
                    return self._new_task(ts, i)
                if fallback is None and (now - ts.created >= self.localityWait or
                                         not any(self.executors[e].alive for e in prefs if e in self.executors)):
                    fallback = i
            if fallback is not None:
                return self._new_task(ts, fallback)
            self._after(self.localityWait, lambda: None)  # wake up to relax locality later
        return None

    def _preferred_executors(self, stage, partition):
        if not self.blockLocations:
            return None
        for r, s in narrow_ancestry(stage.rdd, partition):
            if r._storage_level != StorageLevel.NONE:
                where = self.blockLocations.get((r._id, s))
                if where:
                    return where
        return None

    def _new_task(self, ts, i):
        partition = ts.pending.pop(i)
        attempts = ts.failures.get(partition, 0) + ts.executorLosses.get(partition, 0)
        return Task(ts, partition, ts.index_of(partition), attempts)

    def _launch(self, task, handle):
        ts = task.taskSet
        stage = ts.stage
        slices, segments = {}, {}
        for r, s in narrow_ancestry(stage.rdd, task.partition):
            if isinstance(r, ParallelCollectionRDD):
                slices[(r._id, s)] = r.slice_for_task(s)
            elif isinstance(r, ShuffledRDD):
                sid = r.shuffle_dep.shuffleId
                parent = self.shuffleStages[sid]
                segs = []
                for map_index, status in enumerate(parent.outputs):
                    if status is None:
                        segs.append((map_index, "<lost map output %d of shuffle %d>" % (map_index, sid), 0, 0))
                        continue
                    start, end = status.segment(s)
                    if end > start:
                        segs.append((map_index, status.path, start, end))
                segments[(sid, s)] = segs
        msg = {
            "taskId": task.taskId, "stageId": stage.id, "stageAttempt": ts.attempt, "partition": task.partition,
            "attemptNumber": task.attemptNumber, "kind": "map" if stage.isShuffleMap else "result",
            "binaryKey": ts.binaryKey, "binary": None, "slices": slices, "segments": segments,
            "properties": ts.properties, "barrier": stage.isBarrier, "numTasks": stage.numTasks,
            "maxResultSize": self.maxResultSize,
        }
        if ts.binaryKey not in handle.stages_shipped:
            msg["binary"] = ts.binary
            handle.stages_shipped.add(ts.binaryKey)
        task.executor = handle.executor_id
        task.info = L.TaskInfo(task.taskId, task.partition, task.attemptNumber, L.now_ms(), handle.executor_id)
        ts.running[task.taskId] = task
        handle.running[task.taskId] = task
        self.tasks[task.taskId] = task
        self.bus.post(L.SparkListenerTaskStart(stage.id, ts.attempt, task.info))
        try:
            handle.send(("task", msg))
        except OSError:
            pass  # the executor is dying; its receiver thread reports the loss and the task is resubmitted

    # ---- task results ----

    def _on_executor_message(self, handle, msg):
        kind = msg[0]
        if kind == "finished":
            self._task_finished(handle, *msg[1:])
        elif kind == "registered":
            handle.ready = True
            handle.pid = msg[2]
            self.bus.post(L.SparkListenerExecutorAdded(
                L.now_ms(), handle.executor_id,
                L.ExecutorInfo("localhost", handle.cores, handle.pid, self.sc._executor_memory)))
        elif kind == "barrier":
            self._on_barrier(handle, *msg[1:])

    def _task_finished(self, handle, task_id, status, payload, accum_updates, metrics, block_updates, block_events):
        task = self.tasks.pop(task_id, None)
        handle.running.pop(task_id, None)
        self._apply_block_updates(handle.executor_id, block_updates, block_events)
        if task is None:
            return
        ts = task.taskSet
        ts.running.pop(task_id, None)
        task.info.finishTime = L.now_ms()
        task_metrics = L.TaskMetrics.from_dict(metrics)
        task_type = "ShuffleMapTask" if ts.stage.isShuffleMap else "ResultTask"
        if status == "success":
            if ts.zombie and not ts.stage.isShuffleMap:
                task.info.killed = True
                self._post_task_end(ts, task, task_type, "TaskKilled(stage cancelled)", task_metrics)
                return
            self._post_task_end(ts, task, task_type, "Success", task_metrics)
            if accum_updates:
                registry = self.sc._accumulators
                for aid, update in accum_updates.items():
                    if aid in registry:
                        registry[aid]._merge_task_update(update)
            self._task_succeeded(ts, task, payload)
        elif status == "killed":
            task.info.killed = True
            self._post_task_end(ts, task, task_type, "TaskKilled(killed by the driver)", task_metrics)
            if not ts.zombie:
                ts.pending.append(task.partition)
        elif status == "result_too_large":
            task.info.failed = True
            self._post_task_end(ts, task, task_type, "TaskResultLost(result of %d bytes over "
                                "spark.driver.maxResultSize)" % payload, task_metrics)
            if not ts.zombie and ts.job is not None and ts.job.jobId in self.jobs:
                self._abort_stage(ts.stage, self._result_size_error(ts.job, ts.job.resultBytes + payload))
        elif status == "fetch_failed":
            task.info.failed = True
            shuffle_id, map_index, message = payload
            self._post_task_end(ts, task, task_type, "FetchFailed(%s)" % message, task_metrics)
            self._on_fetch_failed(ts, shuffle_id, map_index)
        else:
            task.info.failed = True
            text = format_user_traceback(payload["frames"], payload["type"], payload["message"])
            self._post_task_end(ts, task, task_type, "ExceptionFailure(%s: %s)" % (payload["type"], payload["message"]),
                                task_metrics, error=text)
            if ts.zombie:
                return
            count = ts.failures.get(task.partition, 0) + 1
            ts.failures[task.partition] = count
            if count >= self.maxTaskFailures:
                self._abort_stage(ts.stage, self._task_exception(ts, task, payload, count))
            else:
                ts.pending.append(task.partition)

    def _post_task_end(self, ts, task, task_type, reason, metrics, error=None):
        self.bus.post(L.SparkListenerTaskEnd(ts.stage.id, ts.attempt, task_type, reason, task.info, metrics, error))

    def _task_succeeded(self, ts, task, payload):
        stage = ts.stage
        ts.remaining.discard(task.partition)
        if stage.isShuffleMap:
            stage.outputs[task.partition] = payload
        else:
            job = ts.job
            if job.jobId not in self.jobs or job.finished[task.index]:
                return
            job.resultBytes += len(payload)
            if self.maxResultSize and job.resultBytes > self.maxResultSize:
                self._abort_stage(stage, self._result_size_error(job, job.resultBytes))
                return
            job.results[task.index] = payload
            job.finished[task.index] = True
            job.numFinished += 1
        if not ts.remaining and not ts.zombie:
            self._complete_stage(ts)

    def _result_size_error(self, job, total):
        return SparkException(
            "Job aborted: total size of serialized results of %d tasks (%.1f MiB) is bigger than "
            "spark.driver.maxResultSize (%.1f MiB): collect less (take(), sample(), aggregate "
            "on the executors) or raise the limit" % (job.numFinished + 1, total / 2 ** 20, self.maxResultSize / 2 ** 20))

    def _complete_stage(self, ts):
        stage = ts.stage
        ts.zombie = True
        if ts in self.taskSets:
            self.taskSets.remove(ts)
        self.running.discard(stage)
        self._release_binary(ts)
        stage.info.completionTime = L.now_ms()
        if stage.isShuffleMap and not stage.available():
            # Outputs were lost while the stage ran (executor loss): run the missing ones again.
            stage.info.failureReason = "map outputs lost while the stage ran"
            self.bus.post(L.SparkListenerStageCompleted(stage.info))
            jobs = [self.jobs[j] for j in sorted(stage.jobIds) if j in self.jobs]
            if jobs:
                self._submit_stage(stage, jobs[0])
            return
        self.bus.post(L.SparkListenerStageCompleted(stage.info))
        if not stage.isShuffleMap:
            job = ts.job
            if job.numFinished == len(job.partitions):
                self._finish_job(job)
            return
        for waiting in sorted(self.waiting, key=lambda s: s.id):
            if all(p.available() for p in waiting.parents):
                self.waiting.discard(waiting)
                jobs = [self.jobs[j] for j in sorted(waiting.jobIds) if j in self.jobs]
                if jobs:
                    job = next((j for j in jobs if j.finalStage is waiting), jobs[0])
                    self._submit_tasks(waiting, job)

    def _finish_job(self, job):
        self.jobs.pop(job.jobId, None)
        self.bus.post(L.SparkListenerJobEnd(job.jobId, L.now_ms(), L.JobResult(True)))
        job.done.set()

    def _fail_job(self, job, error):
        if job.jobId not in self.jobs:
            return
        del self.jobs[job.jobId]
        job.error = error
        job.results = None
        self.bus.post(L.SparkListenerJobEnd(job.jobId, L.now_ms(), L.JobResult(False, error)))
        job.done.set()

    def _abort_stage(self, stage, error):
        """Fail every job that needs ``stage``, and stop the stages no other job needs."""
        failed = [job for job in list(self.jobs.values()) if stage.id in job.stageIds]
        for job in failed:
            self._fail_job(job, error)
        self._drop_orphan_stages(str(error))

    def _drop_orphan_stages(self, reason):
        active = set()
        for job in self.jobs.values():
            active.update(job.stageIds)
        for ts in list(self.taskSets):
            if ts.stage.id not in active:
                self._kill_task_set(ts, reason)
        for stage in list(self.waiting):
            if stage.id not in active:
                self.waiting.discard(stage)
        for stage in list(self.running):
            if stage.id not in active:
                self.running.discard(stage)

    def _kill_task_set(self, ts, reason):
        ts.zombie = True
        if ts in self.taskSets:
            self.taskSets.remove(ts)
        self.running.discard(ts.stage)
        stage = ts.stage
        stage.info.completionTime = L.now_ms()
        stage.info.failureReason = reason
        self.bus.post(L.SparkListenerStageCompleted(stage.info))
        for task in list(ts.running.values()):
            self._kill_task(task)
        self._release_binary(ts)

    def _kill_task(self, task):
        handle = self.executors.get(task.executor)
        if handle is None or not handle.alive or task.killSent:
            return
        task.killSent = True
        try:
            handle.send(("kill", task.taskId))
        except OSError:
            return

        def escalate(handle=handle, task_id=task.taskId):
            # User code that ignores the kill (a C extension, a busy loop with signals blocked)
            # costs the executor: replace it rather than leave a core busy for nothing.
            if handle.alive and task_id in handle.running:
                reason = ("task %d did not stop within %.1fs of being killed (spark.task.reaper.killTimeout): "
                          "executor killed and replaced" % (task_id, self.killTimeout))
                log.warning("%s", reason)
                kill_executor(handle, reason)

        self._after(self.killTimeout, escalate)

    def _release_binary(self, ts):
        for handle in self.executors.values():
            if ts.binaryKey in handle.stages_shipped:
                handle.stages_shipped.discard(ts.binaryKey)
                try:
                    handle.send(("release_stage", ts.binaryKey))
                except OSError:
                    pass

    def _task_exception(self, ts, task, payload, attempts):
        frames = payload["frames"]
        text = format_user_traceback(frames, payload["type"], payload["message"])
        where = "Task %d of stage %d failed %d time%s (partition %d, executor %s)" % (
            task.partition, ts.stage.id, attempts, "" if attempts == 1 else "s", task.partition, task.executor)
        call = failing_call(frames)
        if call:
            where += "; it was running %s" % call
        exc = None
        if payload["exception"] is not None:
            try:
                exc = pickle.loads(payload["exception"])
            except Exception:
                exc = None
        if not isinstance(exc, BaseException):
            exc = PythonException("%s: %s" % (payload["type"], payload["message"]), payload["type"])
        exc.__traceback__ = None
        exc.__cause__ = RemoteTraceback(text)
        exc.__suppress_context__ = True
        try:
            exc.stageId, exc.partitionId, exc.remoteTraceback = ts.stage.id, task.partition, text
            exc.failingCall = call
            exc.fullRemoteTraceback = payload["full_traceback"]
            exc.add_note(where)
        except AttributeError:
            pass  # exceptions with __slots__ keep their message only
        return exc

    def _on_fetch_failed(self, ts, shuffle_id, map_index):
        parent = self.shuffleStages.get(shuffle_id)
        if parent is not None and parent.outputs is not None:
            parent.outputs[map_index] = None
        if not ts.zombie:
            self._kill_task_set(ts, "a map output it reads was lost: rerunning its parent stage")
            jobs = [self.jobs[j] for j in sorted(ts.stage.jobIds) if j in self.jobs]
            if jobs:
                self._submit_stage(ts.stage, next((j for j in jobs if j.finalStage is ts.stage), jobs[0]))

    def _apply_block_updates(self, executor_id, updates, events):
        for bid, level, mem, disk in updates:
            _, rdd_id, split = bid.split("_")
            key = (int(rdd_id), int(split))
            where = self.blockLocations.setdefault(key, set())
            if level == StorageLevel.NONE:
                where.discard(executor_id)
                if not where:
                    del self.blockLocations[key]
            else:
                where.add(executor_id)
            self.bus.post(L.SparkListenerBlockUpdated(L.BlockUpdatedInfo(executor_id, bid, level, mem, disk)))
        for kind, bid in events or ():
            self.bus.post(L.SparkletBlockEvent(executor_id, bid, kind))

    # ---- barrier stages ----

    def _on_barrier(self, handle, task_id, kind, message):
        task = self.tasks.get(task_id)
        if task is None:
            return
        ts = task.taskSet
        ts.barrier_msgs[task.partition] = (handle, message)
        if len(ts.barrier_msgs) == ts.stage.numTasks:
            ordered = [ts.barrier_msgs[p][1] for p in sorted(ts.barrier_msgs)]
            for _, (h, _msg) in ts.barrier_msgs.items():
                h.send(("barrier_reply", ordered))
            ts.barrier_msgs = {}

    # ---- executors ----

    def _on_executor_added(self, handle):
        self.executors[handle.executor_id] = handle

    def _on_executor_lost(self, handle, reason):
        if self.executors.get(handle.executor_id) is not handle:
            return
        del self.executors[handle.executor_id]
        handle.alive = False
        if self.stopped:
            return
        self.bus.post(L.SparkListenerExecutorRemoved(L.now_ms(), handle.executor_id, reason))
        for task_id, task in list(handle.running.items()):
            self.tasks.pop(task_id, None)
            ts = task.taskSet
            ts.running.pop(task_id, None)
            task.info.finishTime = L.now_ms()
            task.info.failed = True
            task_type = "ShuffleMapTask" if ts.stage.isShuffleMap else "ResultTask"
            self._post_task_end(ts, task, task_type, "ExecutorLostFailure(%s)" % reason, L.TaskMetrics())
            if ts.zombie:
                continue
            if handle.memory_exceeded:
                # The task's own memory use ended the executor: a failure of the task, retried
                # like any other (local[K,F]), not an accident to resubmit for free.
                failures = ts.failures.get(task.partition, 0) + 1
                ts.failures[task.partition] = failures
                if failures >= self.maxTaskFailures:
                    self._abort_stage(ts.stage, SparkException(
                        "Task %d of stage %d failed %d time%s: %s. Use less memory per task (more, smaller "
                        "partitions) or raise spark.executor.memory / spark.executor.memoryOverhead." % (
                            task.partition, ts.stage.id, failures, "" if failures == 1 else "s", reason)))
                else:
                    ts.pending.append(task.partition)
                continue
            losses = ts.executorLosses.get(task.partition, 0) + 1
            ts.executorLosses[task.partition] = losses
            if losses >= MAX_EXECUTOR_LOSSES_PER_TASK:
                self._abort_stage(ts.stage, SparkException(
                    "Task %d of stage %d lost its executor %d times (%s). The task's own code may be "
                    "ending the process (os._exit, a crash in a C extension, running out of memory)."
                    % (task.partition, ts.stage.id, losses, reason)))
            else:
                ts.pending.append(task.partition)
        handle.running.clear()
        # Its cached blocks and shuffle files are gone with it.
        for key in list(self.blockLocations):
            self.blockLocations[key].discard(handle.executor_id)
            if not self.blockLocations[key]:
                del self.blockLocations[key]
        lost_shuffles = set()
        for stage in self.shuffleStages.values():
            for i, status in enumerate(stage.outputs):
                if status is not None and status.executorId == handle.executor_id:
                    stage.outputs[i] = None
                    lost_shuffles.add(stage.id)
        if lost_shuffles:
            for ts in list(self.taskSets):
                if any(p.id in lost_shuffles for p in ts.stage.parents) and not ts.zombie:
                    self._kill_task_set(ts, "input lost with executor %s: recomputing from lineage" % handle.executor_id)
                    jobs = [self.jobs[j] for j in sorted(ts.stage.jobIds) if j in self.jobs]
                    if jobs:
                        self._submit_stage(ts.stage, next((j for j in jobs if j.finalStage is ts.stage), jobs[0]))
        self.sc._replace_executor(handle)

    def _check_executor_memory(self):
        """Kill an executor running a task whose resident memory passed its limit, as a cluster
        manager kills a container over its limit. Polling the RSS from the driver (rather than an
        address-space rlimit in the executor) counts what C extensions allocate and does not
        break libraries that reserve large virtual ranges up front."""
        if self.stopped:
            return
        for handle in list(self.executors.values()):
            if not handle.alive or handle.pid is None or handle.kill_reason or not handle.running:
                continue  # an idle executor's memory is its cache, which the block store bounds
            try:
                with open("/proc/%d/statm" % handle.pid) as f:
                    rss = int(f.read().split()[1]) * _PAGE_SIZE
            except (OSError, ValueError, IndexError):
                continue
            if rss > self.executorMemoryLimit:
                handle.memory_exceeded = True
                kill_executor(handle, "executor %s exceeded its memory limit: %.0f MiB resident, more than "
                                      "spark.executor.memory + spark.executor.memoryOverhead (%.0f MiB)" % (
                                          handle.executor_id, rss / 2 ** 20, self.executorMemoryLimit / 2 ** 20))
        self._after(MEMORY_POLL_SECONDS, self._check_executor_memory)

    def _on_cancel(self, predicate, reason):
        for job in list(self.jobs.values()):
            if predicate(job):
                self._fail_job(job, JobCancelledError("Job %d cancelled %s" % (job.jobId, reason)
                                                      if not reason.startswith("Job") else reason))
        self._drop_orphan_stages("cancelled: " + reason)

    def _on_clean_shuffle(self, shuffle_id):
        stage = self.shuffleStages.pop(shuffle_id, None)
        if stage is not None:
            self.sc._remove_shuffle_files(shuffle_id, stage.outputs)

    def _on_call(self, fn, result, ready):
        try:
            result["value"] = fn()
        except Exception as e:
            result["error"] = e
        finally:
            ready.set()

    def call(self, fn):
        """Run ``fn`` on the scheduler thread (safe access to its state) and return its result."""
        result, ready = {}, threading.Event()
        self.post("call", fn, result, ready)
        ready.wait()
        if "error" in result:
            raise result["error"]
        return result.get("value")

    def _handle_stop(self):
        self.stopped = True
        for job in list(self.jobs.values()):
            self._fail_job(job, JobCancelledError("Job %d cancelled because SparkContext was shut down" % job.jobId))
