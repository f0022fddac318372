"""The DAG scheduler: from an action to stages, and from finished stages back to the job's result.

Spark's ``DAGScheduler`` with its event loop (``DAGSchedulerEventProcessLoop``). Policy:

* A job is cut into stages at shuffle dependencies: shuffle-map stages (one per shuffle, shared by
  every job that needs that shuffle, keyed by shuffle id) feed the job's result stage. Stage ids
  are given parents first. A shuffle-map stage whose map outputs all exist (the map-output
  tracker says so) is *skipped*.
* A stage runs once all its parents are available; its missing partitions become one task set
  (a ``TaskSetManager``), handed to the task scheduler. Narrow transformations are pipelined
  inside each task (``RDD.iterator`` chains them). The stage's RDDs and function are pickled once
  per stage attempt (the task binary); what a task needs beside it (its slice of driver data, the
  map-output segments it reads) each RDD kind says itself (``RDD.task_input``).
* Resubmission: a reduce task that cannot fetch a map output (fetch failure), or a running stage
  whose input was on a lost executor, has its attempt killed; the lost outputs are forgotten and
  the stage is submitted again, after its parents recompute the missing outputs from lineage.
  A map stage that completes with outputs lost meanwhile runs again for those.
* A task set that fails (a task failed ``maxTaskFailures`` times) aborts its stage: every job that
  needs the stage fails with the user's exception, and stages no other job needs are stopped.
  Cancelled jobs end the same way, with ``JobCancelledError``.

State lives in this object, the task scheduler, the map-output tracker and the block-manager
master, and is changed only on the ``dag-scheduler-event-loop`` thread, which handles one typed
event (``events.py``) at a time and then offers the free cores to the task scheduler. Callers on
other threads post events and wait on their job's ``threading.Event``; ``call(fn)`` runs a function
on the loop for safe reads. Every state change is published on the listener bus; observers never
read this object's fields.
"""

import heapq
import itertools
import logging
import pickle
import queue
import threading
import time

from . import events as E
from . import listener as L
from .errors import JobCancelledError, SparkException
from .lineage import boundary_shuffles, narrow_ancestry, stage_rdds
from .rdd import _task_pickling
from .serializers import dumps_closure, unpicklable_path
from .storagelevel import StorageLevel
from .taskscheduler import TaskSetManager

log = logging.getLogger("sparklet.scheduler")


class Stage:
    """A shuffle-map stage (``shuffleDep`` set: its tasks write that shuffle's map outputs) or a
    result stage (its tasks run the job's function)."""

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
        self.rdds = stage_rdds(rdd)
        self.isBarrier = any(r.is_barrier for r in self.rdds)

    @property
    def isShuffleMap(self):
        return self.shuffleDep is not None

    def make_info(self, attempt, details=""):
        rdd_infos = [L.RDDInfo(r._id, r._name or r._kind, r.getNumPartitions(), r._storage_level,
                               [d.rdd._id for d in r._deps], r.callSite, r.scope, r.scopeId, r.is_barrier,
                               operators=list(getattr(r, "operators", ())))
                     for r in self.rdds]
        return L.StageInfo(self.id, attempt, self.name, self.numTasks, rdd_infos, [p.id for p in self.parents],
                           details, self.isShuffleMap, self.shuffleDep.shuffleId if self.shuffleDep else None)


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


class DAGScheduler:
    """Jobs and stages; see the module docstring. Collaborators are passed in: the listener
    ``bus``, the ``task_scheduler`` (which owns the scheduler backend), the ``map_output_tracker``,
    the ``block_manager_master`` and the ``accumulators`` registry (id -> Accumulator) that task
    updates are merged into. ``max_result_size`` bounds a job's serialized results (0: no bound)."""

    def __init__(self, bus, task_scheduler, map_output_tracker, block_manager_master, accumulators,
                 max_result_size=0, start=True):
        self.bus = bus
        self.taskScheduler = task_scheduler
        self.mapOutputTracker = map_output_tracker
        self.blockManagerMaster = block_manager_master
        self.accumulators = accumulators
        self.maxResultSize = max_result_size
        # spark.task.maxDirectResultSize: larger results are fetched apart (TaskGettingResult)
        self.max_direct_result_size = 1024 * 1024
        self.events = queue.SimpleQueue()
        self.nextJobId = 0
        self._id_lock = threading.Lock()
        self.nextStageId = 0
        self.jobs = {}  # active jobs
        self.shuffleStages = {}  # shuffleId -> Stage
        self.waiting = set()  # stages waiting for parents
        self.running = set()  # stages with an active task set
        self.timers = []
        self.stopped = False
        self._handlers = {
            E.JobSubmitted: self._handle_job_submitted, E.JobsCancelled: self._handle_jobs_cancelled,
            E.StatusUpdate: self._handle_status_update, E.ExecutorRegistered: self._handle_executor_registered,
            E.ExecutorLost: self._handle_executor_lost, E.BarrierRequest: self.taskScheduler.barrier_request,
            E.ShuffleCleaned: self._handle_shuffle_cleaned, E.RunOnLoop: self._handle_run_on_loop,
        }
        task_scheduler.attach(self, self.after)
        self.thread = None
        if start:
            self.thread = threading.Thread(target=self._loop, name="dag-scheduler-event-loop", daemon=True)
            self.thread.start()

    # ---- API for other threads ----

    def post(self, event):
        """Queue an event (``events.py``) for the event loop; returns at once.

        >>> from sparklet.events import ShuffleCleaned
        >>> sc.dagScheduler.post(ShuffleCleaned(10 ** 6))  # a shuffle nobody registered: ignored
        >>> sc.dagScheduler.call(lambda: 10 ** 6 in sc.dagScheduler.shuffleStages)
        False
        """
        self.events.put(event)

    def submitJob(self, rdd, func, partitions, properties, call_site):
        """Post the job and return it at once; its ``done`` event is set when it ends.

        >>> import pickle
        >>> job = sc.dagScheduler.submitJob(sc.parallelize([1, 2, 3], 2), lambda it: [sum(it)], [0, 1], {}, "example")
        >>> job.done.wait(30)
        True
        >>> [pickle.loads(payload) for payload in job.results]
        [[1], [5]]
        """
        with self._id_lock:
            job_id = self.nextJobId
            self.nextJobId += 1
        job = ActiveJob(job_id, None, func, partitions, properties, call_site)
        self.post(E.JobSubmitted(job, rdd))
        return job

    def previewStages(self, rdd):
        """StageInfos of the stages a job on ``rdd`` would run; computed stages say "skipped".

        >>> grouped = sc.parallelize([(1, "a"), (2, "b")], 2).groupByKey()
        >>> [(s.isShuffleMap, s.numTasks, s.details) for s in sc.dagScheduler.previewStages(grouped)]
        [(True, 2, ''), (False, 2, '')]
        >>> _ = grouped.count()
        >>> [s.details for s in sc.dagScheduler.previewStages(grouped)]
        ['skipped', '']
        """
        return self.call(lambda: self._preview(rdd))

    def cancelJob(self, job_id, reason=None):
        """Fail the job with a JobCancelledError and stop the stages no other job needs.

        >>> sc.dagScheduler.cancelJob(10 ** 6)  # no such job: nothing happens
        >>> sc.parallelize([1]).count()
        1
        """
        self._cancel(E.JobsCancelled(lambda job: job.jobId == job_id, reason or "Job %d cancelled" % job_id))

    def cancelJobGroup(self, group_id, reason=None):
        """Cancel the active jobs of a job group (``spark.jobGroup.id``).

        >>> sc.dagScheduler.cancelJobGroup("no-such-group")
        >>> sc.parallelize([1]).count()
        1
        """
        self._cancel(E.JobsCancelled(lambda job: job.properties.get("spark.jobGroup.id") == group_id,
                                     reason or "part of cancelled job group %s" % group_id))

    def cancelJobsWithTag(self, tag):
        """Cancel the active jobs carrying ``tag`` (``spark.job.tags``).

        >>> sc.dagScheduler.cancelJobsWithTag("no-such-tag")
        >>> sc.parallelize([1]).count()
        1
        """
        self._cancel(E.JobsCancelled(lambda job: tag in (job.properties.get("spark.job.tags") or "").split(","),
                                     "with job tag %s" % tag))

    def cancelAllJobs(self, reason=None):
        """Cancel every active job.

        >>> sc.dagScheduler.cancelAllJobs()
        >>> sc.parallelize([1]).count()
        1
        """
        self._cancel(E.JobsCancelled(lambda job: True, reason or "as part of cancellation of all jobs"))

    def _cancel(self, event):
        """Cancel the matching jobs and return once none of their tasks runs any more, as PySpark's
        cancel returns with its Python workers stopped. A task that ignores its kill costs its
        executor after spark.task.reaper.killTimeout, which bounds the wait (plus the time a kill
        takes to be reported)."""
        if self.thread is None or threading.current_thread() is self.thread or not self.thread.is_alive():
            self.post(event)
            return

        def cancel_and_list_killed():
            self._handle_jobs_cancelled(event)
            return [task_id for task_id, task in self.taskScheduler.tasks.items() if task.killSent]

        reply, ready = {}, threading.Event()
        self.post(E.RunOnLoop(cancel_and_list_killed, reply, ready))
        while not ready.wait(0.1):
            if not self.thread.is_alive():  # the context stopped meanwhile: nothing runs any more
                return
        killed = reply.get("value", ())
        deadline = time.monotonic() + self.taskScheduler.killTimeout + 5.0
        while any(task_id in self.taskScheduler.tasks for task_id in killed) and time.monotonic() < deadline:
            time.sleep(0.01)

    def call(self, fn):
        """Run ``fn`` on the scheduler thread (safe access to its state) and return its result.

        >>> sc.dagScheduler.call(lambda: "on the " + __import__("threading").current_thread().name)
        'on the dag-scheduler-event-loop'
        """
        reply, ready = {}, threading.Event()
        self.post(E.RunOnLoop(fn, reply, ready))
        ready.wait()
        if "error" in reply:
            raise reply["error"]
        return reply.get("value")

    def stop(self):
        """Fail the active jobs and end the event loop (``SparkContext.stop`` calls it).

        >>> from sparklet.blockmanagermaster import BlockManagerMaster
        >>> from sparklet.listener import LiveListenerBus
        >>> from sparklet.mapoutputtracker import MapOutputTracker
        >>> from sparklet.taskscheduler import TaskScheduler
        >>> bus = LiveListenerBus()
        >>> tasks = TaskScheduler(None, 1, 0.0, 1.0, 0)
        >>> dag = DAGScheduler(bus, tasks, MapOutputTracker(), BlockManagerMaster(bus), {})
        >>> dag.stop()
        >>> dag.thread.is_alive()
        False
        >>> bus.stop()
        """
        self.post(E.StopLoop())
        if self.thread is not None and threading.current_thread() is not self.thread:
            self.thread.join(10)

    # Read by the kernel's %%logs (executor log files) and the fault-injection tests; the
    # scheduler itself asks the backend for offers and the block-manager master for locations.
    @property
    def executors(self):
        """{executorId: ExecutorHandle} of the live executors (a snapshot).

        >>> sorted(sc.dagScheduler.executors) == sorted(e for e, _pid, _cores in sc.executors)
        True
        """
        live = getattr(self.taskScheduler.backend, "live_handles", lambda: [])
        return {h.executor_id: h for h in live()}

    @property
    def blockLocations(self):
        """{(rddId, partition): {executorId}} of the cached blocks (the block-manager master's).

        >>> rdd = sc.parallelize([1, 2], 2).cache()
        >>> rdd.count()
        2
        >>> sorted(split for rdd_id, split in sc.dagScheduler.call(lambda: list(sc.dagScheduler.blockLocations))
        ...        if rdd_id == rdd.id())
        [0, 1]
        >>> _ = rdd.unpersist()
        """
        return self.blockManagerMaster.blockLocations

    # ---- the event loop ----

    def _loop(self):
        while self.process_next(block=True):
            pass

    def process_next(self, block=False):
        """Handle one event (waiting for one, or for the next timer, when ``block``), run the
        timers that are due, then launch what can run. False once the loop is stopped.

        >>> from sparklet.blockmanagermaster import BlockManagerMaster
        >>> from sparklet.events import RunOnLoop
        >>> from sparklet.listener import LiveListenerBus
        >>> from sparklet.mapoutputtracker import MapOutputTracker
        >>> from sparklet.taskscheduler import TaskScheduler
        >>> import threading
        >>> bus = LiveListenerBus()
        >>> tasks = TaskScheduler(None, 1, 0.0, 1.0, 0)
        >>> dag = DAGScheduler(bus, tasks, MapOutputTracker(), BlockManagerMaster(bus), {}, start=False)
        >>> reply = {}
        >>> dag.post(RunOnLoop(lambda: 6 * 7, reply, threading.Event()))
        >>> dag.process_next(), reply
        (True, {'value': 42})
        >>> bus.stop()
        """
        timeout = None
        if self.timers:
            timeout = max(0.0, self.timers[0][0] - time.monotonic())
        try:
            event = self.events.get(timeout=timeout) if block else self.events.get_nowait()
        except queue.Empty:
            event = None
        now = time.monotonic()
        while self.timers and self.timers[0][0] <= now:
            _, _, callback = heapq.heappop(self.timers)
            callback()
        if event is not None:
            if isinstance(event, E.StopLoop):
                self._handle_stop()
                return False
            try:
                self._handlers[type(event)](event)
            except Exception as e:  # an engine bug must fail the jobs, not hang them
                log.exception("scheduler failed handling %s", type(event).__name__)
                for job in list(self.jobs.values()):
                    self._fail_job(job, SparkException("internal scheduler error: %r" % e))
        try:
            self.taskScheduler.resource_offers()
        except Exception as e:
            log.exception("scheduler failed launching tasks")
            for job in list(self.jobs.values()):
                self._fail_job(job, SparkException("internal scheduler error: %r" % e))
        return True

    def after(self, seconds, callback):
        """Run ``callback`` on the loop thread ``seconds`` from now.

        >>> import threading
        >>> ran = threading.Event()
        >>> sc.dagScheduler.call(lambda: sc.dagScheduler.after(0.05, ran.set))
        >>> ran.wait(10)
        True
        """
        heapq.heappush(self.timers, (time.monotonic() + seconds, id(callback), callback))

    # ---- building stages ----

    def _new_stage_id(self):
        sid = self.nextStageId
        self.nextStageId += 1
        return sid

    def _parent_stages(self, rdd, job_id, stage_for=None):
        stage_for = stage_for or self._shuffle_stage
        parents = []
        for dep in boundary_shuffles(rdd):
            stage = stage_for(dep, job_id)
            if stage not in parents:
                parents.append(stage)
        return sorted(parents, key=lambda s: s.id)

    def _shuffle_stage(self, dep, job_id):
        stage = self.shuffleStages.get(dep.shuffleId)
        if stage is None:
            parents = self._parent_stages(dep.rdd, job_id)
            stage = Stage(self._new_stage_id(), dep.rdd, dep.rdd.getNumPartitions(), parents, job_id, dep,
                          "%s at %s" % (dep.rdd.scope, dep.rdd.callSite))
            self.shuffleStages[dep.shuffleId] = stage
            self.mapOutputTracker.register_shuffle(dep.shuffleId, stage.numTasks)
        return stage

    @staticmethod
    def _all_stages(stage):
        out, stack = {}, [stage]
        while stack:
            s = stack.pop()
            if s.id not in out:
                out[s.id] = s
                stack.extend(s.parents)
        return sorted(out.values(), key=lambda s: s.id)  # parents first, as ids are given

    def _available(self, stage):
        """A shuffle-map stage whose outputs all exist: a job that needs it skips it."""
        return stage.isShuffleMap and self.mapOutputTracker.is_available(stage.shuffleDep.shuffleId)

    def _jobs_of(self, stage):
        """The active jobs that need ``stage``, the one whose final stage it is first."""
        jobs = [self.jobs[j] for j in sorted(stage.jobIds) if j in self.jobs]
        own = [j for j in jobs if j.finalStage is stage]
        return own + [j for j in jobs if j.finalStage is not stage]

    # ---- jobs ----

    def _handle_job_submitted(self, event):
        job, rdd = event.job, event.rdd
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

    def _preview(self, rdd):
        # The stages a real job would use: existing shuffle stages (so their ids and "skipped"
        # marks are right) and provisional ones for shuffles never run, numbered as a job
        # submitted now would number them (parents first) without taking those ids.
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
        return [s.make_info(max(s.attempt, 0), "skipped" if self._available(s) else "")
                for s in self._all_stages(final)]

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

    def _handle_jobs_cancelled(self, event):
        reason = event.reason
        for job in list(self.jobs.values()):
            if event.predicate(job):
                self._fail_job(job, JobCancelledError("Job %d cancelled %s" % (job.jobId, reason)
                                                      if not reason.startswith("Job") else reason))
        self._drop_orphan_stages("cancelled: " + reason)

    # ---- submitting stages ----

    def _submit_stage(self, stage, job):
        if stage in self.waiting or stage in self.running:
            return
        missing = [p for p in stage.parents if not self._available(p)]
        if missing:
            for parent in missing:
                self._submit_stage(parent, job)
            self.waiting.add(stage)
        else:
            self._submit_tasks(stage, job)

    def _submit_tasks(self, stage, job):
        if stage.isShuffleMap:
            partitions = self.mapOutputTracker.missing_partitions(stage.shuffleDep.shuffleId)
            result_job = None
        else:
            result_job = job
            partitions = [p for i, p in enumerate(job.partitions) if not job.finished[i]]
        stage.attempt += 1
        stage.info = stage.make_info(stage.attempt)
        stage.info.submissionTime = L.now_ms()
        first_job = min(stage.jobIds & set(self.jobs)) if stage.jobIds & set(self.jobs) else job.jobId
        properties = self.jobs[first_job].properties if first_job in self.jobs else job.properties
        slots = self.taskScheduler.max_concurrent_tasks()
        if stage.isBarrier and len(partitions) > slots:
            self._abort_stage(stage, SparkException(
                "Barrier execution mode does not allow run a barrier stage that requires more slots than "
                "the total number of slots in the cluster currently (%d tasks, %d slots): use fewer "
                "partitions or more cores" % (len(partitions), slots)))
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
        tsm = TaskSetManager(stage, stage.attempt, partitions, binary, (first_job, stage.id), properties, result_job,
                             preferred_locations=lambda p: self._cache_locations(stage, p),
                             task_inputs=lambda p: self._task_inputs(stage, p))
        self.running.add(stage)
        if not partitions:
            self._stage_attempt_completed(tsm)
            return
        self.taskScheduler.submit_tasks(tsm)

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

    def _cache_locations(self, stage, partition):
        """Executors caching a block the task for ``partition`` reads (the nearest one), or None."""
        master = self.blockManagerMaster
        if not master.has_blocks():
            return None
        for r, s in narrow_ancestry(stage.rdd, partition):
            if r._storage_level != StorageLevel.NONE:
                where = master.blockLocations.get((r._id, s))
                if where:
                    return where
        return None

    def _task_inputs(self, stage, partition):
        """{(rddId, partition): input} for the RDDs of the task that need one (see RDD.task_input)."""
        inputs = {}
        for r, s in narrow_ancestry(stage.rdd, partition):
            value = r.task_input(s, self.mapOutputTracker)
            if value is not None:
                inputs[(r._id, s)] = value
        return inputs

    # ---- what the task scheduler reports (on the loop thread) ----

    def task_started(self, task):
        """Publish a task attempt's start (called by the task scheduler, on the loop thread).

        >>> from sparklet.listener import SparkListener
        >>> class Starts(SparkListener):
        ...     seen = 0
        ...     def onTaskStart(self, taskStart):
        ...         Starts.seen += 1
        >>> sc.listenerBus.waitUntilEmpty()  # events of earlier jobs are not for it
        True
        >>> listener = Starts()
        >>> sc.addSparkListener(listener)
        >>> sc.parallelize([1, 2], 2).count()
        2
        >>> sc.listenerBus.waitUntilEmpty()
        True
        >>> Starts.seen
        2
        >>> sc.removeSparkListener(listener)
        """
        self.bus.post(L.SparkListenerTaskStart(task.taskSet.stage.id, task.taskSet.attempt, task.info))

    def task_ended(self, task, reason, metrics, result=None, accum_updates=None):
        """Publish a task attempt's end and act on its reason (called by the task scheduler): a
        success records the map output or the job's result, a lost result or a fetch failure ends the
        stage attempt.

        >>> from sparklet.listener import SparkListener
        >>> class Ends(SparkListener):
        ...     reasons = []
        ...     def onTaskEnd(self, taskEnd):
        ...         Ends.reasons.append(taskEnd.reason)
        >>> sc.listenerBus.waitUntilEmpty()  # events of earlier jobs are not for it
        True
        >>> listener = Ends()
        >>> sc.addSparkListener(listener)
        >>> sc.parallelize([1, 2], 2).count()
        2
        >>> sc.listenerBus.waitUntilEmpty()
        True
        >>> Ends.reasons
        ['Success', 'Success']
        >>> sc.removeSparkListener(listener)
        """
        tsm = task.taskSet
        task_type = "ShuffleMapTask" if tsm.stage.isShuffleMap else "ResultTask"
        error = reason.text if isinstance(reason, E.ExceptionFailure) else None
        if isinstance(reason, E.Success) and metrics is not None and \
                getattr(metrics, "resultSize", 0) > self.max_direct_result_size:
            # a result Spark would fetch from the executor's block manager, not take from the
            # status update
            task.info.gettingResultTime = L.now_ms()
            self.bus.post(L.SparkListenerTaskGettingResult(task.info))
        self.bus.post(L.SparkListenerTaskEnd(tsm.stage.id, tsm.attempt, task_type, reason.describe(), task.info,
                                             metrics, error))
        if isinstance(reason, E.Success):
            for aid, update in (accum_updates or {}).items():
                if aid in self.accumulators:
                    self.accumulators[aid]._merge_task_update(update)
            self._task_succeeded(tsm, task, result)
        elif isinstance(reason, E.TaskResultLost):
            job = tsm.job
            if not tsm.zombie and job is not None and job.jobId in self.jobs:
                self._abort_stage(tsm.stage, self._result_size_error(job, job.resultBytes + reason.size))
        elif isinstance(reason, E.FetchFailed):
            self._handle_fetch_failed(tsm, reason.shuffleId, reason.mapIndex)

    def task_set_failed(self, tsm, error):
        """A task of the attempt failed for the last time: the stage is aborted.

        >>> try:
        ...     sc.parallelize([0], 1).map(lambda x: 1 / x).collect()
        ... except ZeroDivisionError as e:
        ...     print(e, "|", e.__notes__[0].split(";")[0])
        division by zero | Task 0 of stage ... failed 1 time (partition 0, executor ...)
        """
        self._abort_stage(tsm.stage, error)

    def _task_succeeded(self, tsm, task, payload):
        stage = tsm.stage
        if stage.isShuffleMap:
            self.mapOutputTracker.register_map_output(stage.shuffleDep.shuffleId, task.partition, payload)
        else:
            job = tsm.job
            if job.jobId not in self.jobs or job.finished[task.index]:
                return
            job.resultBytes += len(payload)
            if self.maxResultSize and job.resultBytes > self.maxResultSize:
                self._abort_stage(stage, self._result_size_error(job, job.resultBytes))
                return
            job.results[task.index] = payload
            job.finished[task.index] = True
            job.numFinished += 1
        if tsm.is_finished():
            self._stage_attempt_completed(tsm)

    def _result_size_error(self, job, total):
        return SparkException(
            "Job aborted: total size of serialized results of %d tasks (%.1f MiB) is bigger than "
            "spark.driver.maxResultSize (%.1f MiB): collect less (take(), sample(), aggregate "
            "on the executors) or raise the limit"
            % (job.numFinished + 1, total / 2 ** 20, self.maxResultSize / 2 ** 20))

    def _stage_attempt_completed(self, tsm):
        stage = tsm.stage
        self.taskScheduler.task_set_finished(tsm)
        self.running.discard(stage)
        stage.info.completionTime = L.now_ms()
        if stage.isShuffleMap and not self._available(stage):
            # Outputs were lost while the stage ran (executor loss): run the missing ones again.
            stage.info.failureReason = "map outputs lost while the stage ran"
            self.bus.post(L.SparkListenerStageCompleted(stage.info))
            jobs = self._jobs_of(stage)
            if jobs:
                self._submit_stage(stage, jobs[0])
            return
        self.bus.post(L.SparkListenerStageCompleted(stage.info))
        if not stage.isShuffleMap:
            job = tsm.job
            if job.numFinished == len(job.partitions):
                self._finish_job(job)
            return
        for waiting in sorted(self.waiting, key=lambda s: s.id):
            if all(self._available(p) for p in waiting.parents):
                self.waiting.discard(waiting)
                jobs = self._jobs_of(waiting)
                if jobs:
                    self._submit_tasks(waiting, jobs[0])

    # ---- ending stages early ----

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
        for tsm in list(self.taskScheduler.taskSets):
            if tsm.stage.id not in active:
                self._kill_stage_attempt(tsm, reason)
        for stage in list(self.waiting):
            if stage.id not in active:
                self.waiting.discard(stage)
        for stage in list(self.running):
            if stage.id not in active:
                self.running.discard(stage)

    def _kill_stage_attempt(self, tsm, reason):
        stage = tsm.stage
        self.running.discard(stage)
        stage.info.completionTime = L.now_ms()
        stage.info.failureReason = reason
        self.bus.post(L.SparkListenerStageCompleted(stage.info))
        self.taskScheduler.kill_task_set(tsm)

    def _resubmit(self, tsm, reason):
        """Kill the attempt and submit its stage again (its parents first, where outputs are missing)."""
        self._kill_stage_attempt(tsm, reason)
        jobs = self._jobs_of(tsm.stage)
        if jobs:
            self._submit_stage(tsm.stage, jobs[0])

    def _handle_fetch_failed(self, tsm, shuffle_id, map_index):
        self.mapOutputTracker.unregister_map_output(shuffle_id, map_index)
        if not tsm.zombie:
            self._resubmit(tsm, "a map output it reads was lost: rerunning its parent stage")

    # ---- executors ----

    def _handle_status_update(self, update):
        self.blockManagerMaster.update_blocks(update.executorId, update.blockUpdates, update.blockEvents)
        self.taskScheduler.status_update(update)

    def _handle_executor_registered(self, event):
        self.taskScheduler.executor_added(event.executorId)
        logs = {"stdout": event.logPath, "stderr": event.logPath} if event.logPath else {}
        self.bus.post(L.SparkListenerExecutorAdded(
            L.now_ms(), event.executorId, L.ExecutorInfo("localhost", event.cores, event.pid, event.memory, logs)))

    def _handle_executor_lost(self, event):
        if self.stopped:
            return
        executor_id = event.executorId
        self.bus.post(L.SparkListenerExecutorRemoved(L.now_ms(), executor_id, event.reason))
        self.taskScheduler.executor_lost(executor_id, event.reason, event.exitCausedByApp)
        # Its cached blocks and shuffle files are gone with it.
        self.blockManagerMaster.remove_executor(executor_id)
        lost = self.mapOutputTracker.remove_outputs_on_executor(executor_id)
        if lost:
            for tsm in list(self.taskScheduler.taskSets):
                if not tsm.zombie and any(p.shuffleDep.shuffleId in lost for p in tsm.stage.parents):
                    self._resubmit(tsm, "input lost with executor %s: recomputing from lineage" % executor_id)

    def _handle_shuffle_cleaned(self, event):
        if self.shuffleStages.pop(event.shuffleId, None) is not None:
            self.blockManagerMaster.remove_shuffle(self.mapOutputTracker.unregister_shuffle(event.shuffleId))

    def _handle_run_on_loop(self, event):
        try:
            event.reply["value"] = event.fn()
        except Exception as e:
            event.reply["error"] = e
        finally:
            event.ready.set()

    def _handle_stop(self):
        self.stopped = True
        for job in list(self.jobs.values()):
            self._fail_job(job, JobCancelledError("Job %d cancelled because SparkContext was shut down" % job.jobId))
