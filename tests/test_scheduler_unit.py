"""The DAG scheduler and task scheduler driven with a fake scheduler backend: no processes.

Each test builds a small lineage on a stand-in context, submits a job, and plays the executors'
part by hand: it reads what the scheduler launched on the fake backend and posts the events an
executor pool would (a task's status, an executor lost), handling them one at a time on the test's
thread (``DAGScheduler.process_next``). What is asserted is what the scheduler decides: stages,
which partitions run where and how often, resubmissions, and how jobs end.
"""

import itertools
import pickle
from collections import Counter

import pytest

from sparklet import events as E
from sparklet import listener as L
from sparklet.backend import SchedulerBackend
from sparklet.blockmanagermaster import BlockManagerMaster
from sparklet.dagscheduler import DAGScheduler
from sparklet.errors import JobCancelledError, SparkException
from sparklet.mapoutputtracker import MapOutputTracker
from sparklet.partitioner import Partitioner
from sparklet.rdd import ParallelCollectionRDD, PipelinedRDD, ShuffledRDD
from sparklet.shuffle import MapStatus
from sparklet.storagelevel import StorageLevel
from sparklet.taskscheduler import MAX_EXECUTOR_LOSSES_PER_TASK, TaskScheduler


class FakeContext:
    """What RDD constructors ask of a SparkContext."""

    def __init__(self):
        self._rdd_ids = itertools.count()
        self._shuffle_ids = itertools.count()

    def _new_rdd_id(self):
        return next(self._rdd_ids)

    def _new_shuffle_id(self):
        return next(self._shuffle_ids)

    def _register_shuffle(self, rdd):
        pass

    def _rdd_materialized(self, rdd):
        pass


class FakeBackend(SchedulerBackend):
    """Executors of one core each that run nothing: the test decides how each task ends."""

    def __init__(self, executors):
        self.cores = {e: 1 for e in executors}
        self.running = {}  # taskId -> (executorId, description)
        self.kill_requests = []
        self.killed_executors = []
        self.barrier_replies = []

    def offers(self):
        busy = Counter(e for e, _ in self.running.values())
        return [(e, c - busy[e]) for e, c in self.cores.items() if c > busy[e]]

    def total_slots(self):
        return sum(self.cores.values())

    def launch_task(self, executor_id, description, binary):
        assert binary, "every task set carries its stage's binary"
        self.running[description["taskId"]] = (executor_id, description)

    def kill_task(self, executor_id, task_id):
        self.kill_requests.append(task_id)
        return True

    def is_running(self, executor_id, task_id):
        return task_id in self.running

    def kill_executor(self, executor_id, reason):
        self.killed_executors.append((executor_id, reason))

    def barrier_reply(self, executor_id, messages):
        self.barrier_replies.append((executor_id, messages))


class RecordingBus:
    def __init__(self):
        self.events = []

    def post(self, event):
        self.events.append(event)

    def of(self, kind):
        return [e for e in self.events if isinstance(e, kind)]


class Cluster:
    """A DAG scheduler, task scheduler, tracker and block master over a FakeBackend."""

    def __init__(self, executors=("0", "1"), max_failures=1, locality_wait=0.0, kill_timeout=60.0):
        self.bus = RecordingBus()
        self.backend = FakeBackend(executors)
        self.tracker = MapOutputTracker()
        self.blocks = BlockManagerMaster(self.bus)
        self.accumulators = {}
        self.tasks = TaskScheduler(self.backend, max_failures, locality_wait, kill_timeout, 0)
        self.dag = DAGScheduler(self.bus, self.tasks, self.tracker, self.blocks, self.accumulators, start=False)
        for e in executors:
            self.dag.post(E.ExecutorRegistered(e, 1000 + int(e), 1, 1 << 30))
        self.pump()

    def pump(self):
        """Handle every posted event, then launch what the free cores take."""
        while not self.dag.events.empty():
            self.dag.process_next()
        self.dag.process_next()

    def submit(self, rdd, partitions=None):
        partitions = list(range(rdd.getNumPartitions())) if partitions is None else partitions
        job = self.dag.submitJob(rdd, lambda it: it, partitions, {}, "test")
        self.pump()
        return job

    def expire_timers(self):
        """As if every timer's delay had passed (kill escalation, locality waits)."""
        timers, self.dag.timers = self.dag.timers, []
        for _, _, callback in sorted(timers):
            callback()
        self.pump()

    def running(self, kind=None):
        """Descriptions of the launched tasks still running, by task id."""
        return [d for _, d in sorted(self.backend.running.values(), key=lambda ed: ed[1]["taskId"])
                if kind is None or d["kind"] == kind]

    def end(self, desc, state="success", payload=None, accum_updates=None):
        executor_id, _ = self.backend.running.pop(desc["taskId"])
        if payload is None and state == "success":
            payload = (MapStatus(executor_id, "/shuffle/%d-%d" % (desc["stageId"], desc["partition"]), [0, 1, 2, 3], 3)
                       if desc["kind"] == "map" else pickle.dumps([desc["partition"]]))
        self.dag.post(E.StatusUpdate(executor_id, desc["taskId"], state, payload, accum_updates, {}))
        self.pump()

    def fail(self, desc, message="boom"):
        failure = {"type": "ValueError", "message": message, "exception": pickle.dumps(ValueError(message)),
                   "frames": [], "full_traceback": ""}
        self.end(desc, "failed", failure)

    def run_all(self, limit=100):
        """Let every launched task succeed, round after round, until nothing runs."""
        for _ in range(limit):
            running = self.running()
            if not running:
                return
            for desc in running:
                self.end(desc)
        raise AssertionError("tasks kept coming")

    def stage_ids_submitted(self):
        return [(e.stageInfo.stageId, e.stageInfo.attemptNumber) for e in self.bus.of(L.SparkListenerStageSubmitted)]


@pytest.fixture
def ctx():
    return FakeContext()


def source(ctx, n=3):
    return ParallelCollectionRDD(ctx, [[i] for i in range(n)])


def shuffled(rdd, n=2):
    return ShuffledRDD(PipelinedRDD(rdd, lambda i, it: ((x, x) for x in it)), Partitioner(n, hash))


def results(job):
    assert job.done.is_set() and job.error is None, job.error
    return [pickle.loads(p)[0] for p in job.results]


def test_a_job_without_shuffles_is_one_result_stage(ctx):
    cluster = Cluster()
    job = cluster.submit(PipelinedRDD(source(ctx), lambda i, it: it))
    assert [d["kind"] for d in cluster.running()] == ["result", "result"]  # two cores for three tasks
    cluster.run_all()
    assert results(job) == [0, 1, 2]
    assert cluster.stage_ids_submitted() == [(0, 0)]
    assert [e.jobResult.succeeded for e in cluster.bus.of(L.SparkListenerJobEnd)] == [True]


def test_stages_are_cut_at_shuffles_parents_first(ctx):
    cluster = Cluster()
    two_shuffles = shuffled(shuffled(source(ctx), 2), 2)
    job = cluster.submit(two_shuffles)
    start = cluster.bus.of(L.SparkListenerJobStart)[0]
    assert [(s.stageId, s.isShuffleMap, s.parentIds) for s in start.stageInfos] == [
        (0, True, []), (1, True, [0]), (2, False, [1])]
    # The first shuffle's map stage runs first, on as many partitions as its RDD has.
    assert {(d["stageId"], d["kind"]) for d in cluster.running()} == {(0, "map")}
    cluster.run_all()
    assert cluster.stage_ids_submitted() == [(0, 0), (1, 0), (2, 0)]
    assert results(job) == [0, 1]


def test_a_reduce_task_is_sent_the_segments_of_every_map_output(ctx):
    cluster = Cluster()
    reduced = shuffled(source(ctx, 3), 2)
    cluster.submit(reduced)
    for desc in cluster.running("map"):
        cluster.end(desc)
    cluster.end(cluster.running("map")[0])
    reduce_task = cluster.running("result")[0]
    segments = reduce_task["inputs"][(reduced.id(), reduce_task["partition"])]
    assert [(m, path) for m, path, _, _ in segments] == [(m, "/shuffle/0-%d" % m) for m in range(3)]


def test_a_computed_shuffle_is_skipped_by_the_next_job(ctx):
    cluster = Cluster()
    reduced = shuffled(source(ctx))
    cluster.submit(reduced)
    cluster.run_all()
    second = cluster.submit(PipelinedRDD(reduced, lambda i, it: it))
    assert {d["kind"] for d in cluster.running()} == {"result"}
    cluster.run_all()
    assert results(second) == [0, 1]
    # The second job lists the map stage (as Spark's UI shows it, skipped) but never submits it.
    assert [s.stageId for s in cluster.bus.of(L.SparkListenerJobStart)[1].stageInfos] == [0, 2]
    assert cluster.stage_ids_submitted() == [(0, 0), (1, 0), (2, 0)]
    assert [s.details for s in cluster.dag._preview(reduced)] == ["skipped", ""]


def test_fetch_failure_reruns_the_lost_map_output_then_the_reduce_stage(ctx):
    cluster = Cluster()
    job = cluster.submit(shuffled(source(ctx)))
    for _ in range(2):
        for desc in cluster.running("map"):
            cluster.end(desc)
    reduce_task = cluster.running("result")[0]
    cluster.end(reduce_task, "fetch_failed", (0, 1, "map output 1 is missing"))
    # The reduce attempt is killed; the map stage runs again for the lost output only.
    assert [d["partition"] for d in cluster.running("map")] == [1]
    assert cluster.running("map")[0]["stageAttempt"] == 1
    failed = [e.stageInfo for e in cluster.bus.of(L.SparkListenerStageCompleted) if e.stageInfo.failureReason]
    assert [(s.stageId, s.attemptNumber) for s in failed] == [(1, 0)]
    cluster.run_all()
    assert cluster.stage_ids_submitted() == [(0, 0), (1, 0), (0, 1), (1, 1)]
    assert results(job) == [0, 1]


def test_a_failing_task_is_retried_until_max_failures(ctx):
    cluster = Cluster(max_failures=3)
    job = cluster.submit(PipelinedRDD(source(ctx, 1), lambda i, it: it))
    attempts = []
    for _ in range(3):
        desc = cluster.running()[0]
        attempts.append(desc["attemptNumber"])
        cluster.fail(desc, "attempt %d" % desc["attemptNumber"])
    assert attempts == [0, 1, 2]
    assert job.done.is_set() and not cluster.running()
    assert isinstance(job.error, ValueError) and str(job.error) == "attempt 2"
    assert "failed 3 times" in job.error.__notes__[0]
    reasons = [e.reason for e in cluster.bus.of(L.SparkListenerTaskEnd)]
    assert reasons == ["ExceptionFailure(ValueError: attempt %d)" % i for i in range(3)]


def test_a_task_that_fails_less_often_than_max_failures_succeeds(ctx):
    cluster = Cluster(max_failures=2)
    job = cluster.submit(PipelinedRDD(source(ctx, 1), lambda i, it: it))
    cluster.fail(cluster.running()[0])
    cluster.run_all()
    assert results(job) == [0]


def test_under_local_k_the_first_failure_fails_the_job_and_stops_its_stage(ctx):
    cluster = Cluster(max_failures=1)
    job = cluster.submit(PipelinedRDD(source(ctx, 3), lambda i, it: it))
    first, second = cluster.running()
    cluster.fail(first)
    assert isinstance(job.error, ValueError)
    assert cluster.backend.kill_requests == [second["taskId"]]
    assert cluster.running() == [second]  # until the executor says it stopped
    cluster.end(second, "killed")
    assert not cluster.running()


def test_losing_an_executor_resubmits_its_task_and_forgets_its_map_outputs(ctx):
    cluster = Cluster(executors=("0", "1"))
    job = cluster.submit(shuffled(source(ctx, 2)))
    on_0 = [d for e, d in cluster.backend.running.values() if e == "0"][0]
    on_1 = [d for e, d in cluster.backend.running.values() if e == "1"][0]
    cluster.end(on_1)
    del cluster.backend.running[on_0["taskId"]]
    del cluster.backend.cores["0"]
    cluster.dag.post(E.ExecutorLost("0", "executor process killed by signal 9"))
    cluster.pump()
    assert [e.executorId for e in cluster.bus.of(L.SparkListenerExecutorRemoved)] == ["0"]
    rerun = cluster.running()
    assert [(d["partition"], d["attemptNumber"]) for d in rerun] == [(on_0["partition"], 1)]
    # The output already written on executor 1 survives; losing executor 1 now loses it.
    cluster.end(rerun[0])
    reduce_task = cluster.running("result")[0]
    cluster.backend.running.clear()
    cluster.backend.cores = {"2": 1}
    cluster.dag.post(E.ExecutorLost("1", "gone"))
    cluster.dag.post(E.ExecutorRegistered("2", 1002, 1, 1 << 30))
    cluster.pump()
    assert reduce_task["taskId"] not in cluster.tasks.tasks
    assert [(d["stageId"], d["stageAttempt"]) for d in cluster.running()] == [(0, 1)]
    cluster.run_all()
    assert results(job) == [0, 1]


def test_a_partition_losing_its_executor_too_often_fails_the_job(ctx):
    cluster = Cluster(executors=("0",))
    job = cluster.submit(PipelinedRDD(source(ctx, 1), lambda i, it: it))
    for n in range(MAX_EXECUTOR_LOSSES_PER_TASK):
        executor = str(n)
        cluster.backend.running.clear()
        cluster.backend.cores = {str(n + 1): 1}
        cluster.dag.post(E.ExecutorRegistered(str(n + 1), 1, 1, 1 << 30))
        cluster.dag.post(E.ExecutorLost(executor, "crash"))
        cluster.pump()
    assert isinstance(job.error, SparkException)
    assert "lost its executor %d times" % MAX_EXECUTOR_LOSSES_PER_TASK in str(job.error)


def test_an_executor_killed_for_its_memory_counts_as_a_task_failure(ctx):
    cluster = Cluster(executors=("0",), max_failures=1)
    job = cluster.submit(PipelinedRDD(source(ctx, 1), lambda i, it: it))
    cluster.backend.running.clear()
    cluster.dag.post(E.ExecutorLost("0", "executor 0 exceeded its memory limit", exitCausedByApp=True))
    cluster.pump()
    assert isinstance(job.error, SparkException) and "spark.executor.memory" in str(job.error)


def test_cancelling_a_job_kills_its_tasks_then_the_executor_that_ignores_the_kill(ctx):
    cluster = Cluster()
    job = cluster.submit(PipelinedRDD(source(ctx, 2), lambda i, it: it))
    running = cluster.running()
    cluster.dag.cancelJob(job.jobId)
    cluster.pump()
    assert isinstance(job.error, JobCancelledError)
    assert sorted(cluster.backend.kill_requests) == sorted(d["taskId"] for d in running)
    cluster.end(running[0], "killed")  # this one stopped; the other ignores the kill
    assert cluster.backend.killed_executors == []
    cluster.expire_timers()  # spark.task.reaper.killTimeout later
    assert [e for e, _ in cluster.backend.killed_executors] == [cluster.backend.running[running[1]["taskId"]][0]]
    completed = cluster.bus.of(L.SparkListenerStageCompleted)
    assert [s.stageInfo.failureReason.startswith("cancelled") for s in completed] == [True]


def test_cancelling_one_job_keeps_the_stage_another_job_needs(ctx):
    cluster = Cluster()
    reduced = shuffled(source(ctx, 2))
    first = cluster.submit(reduced)
    second = cluster.submit(PipelinedRDD(reduced, lambda i, it: it))
    cluster.dag.cancelJob(first.jobId)
    cluster.pump()
    assert isinstance(first.error, JobCancelledError)
    assert not cluster.backend.kill_requests  # the shared map stage keeps running
    cluster.run_all()
    assert results(second) == [0, 1]


def test_a_task_prefers_the_executor_caching_its_block(ctx):
    cluster = Cluster(locality_wait=60.0)
    cached = source(ctx, 2)
    cached._storage_level = StorageLevel.MEMORY_ONLY
    cluster.blocks.update_blocks("1", [("rdd_%d_0" % cached.id(), StorageLevel.MEMORY_ONLY, 10, 0)], [])
    cluster.submit(PipelinedRDD(cached, lambda i, it: it))
    placed = {d["partition"]: e for e, d in cluster.backend.running.values()}
    assert placed == {0: "1", 1: "0"}


def test_accumulator_updates_of_successful_tasks_are_merged(ctx):
    class Acc:
        total = 0

        def _merge_task_update(self, update):
            self.total += update

    cluster = Cluster()
    acc = cluster.accumulators[5] = Acc()
    cluster.submit(PipelinedRDD(source(ctx, 2), lambda i, it: it))
    first, second = cluster.running()
    cluster.end(first, accum_updates={5: 3})
    cluster.fail(second)  # a failed task's updates never count
    assert acc.total == 3


def test_a_barrier_stage_needs_a_slot_per_task_and_releases_together(ctx):
    cluster = Cluster(executors=("0", "1"))
    too_wide = PipelinedRDD(source(ctx, 3), lambda i, it: it)
    too_wide.is_barrier = True
    job = cluster.submit(too_wide)
    assert "Barrier execution mode" in str(job.error) and not cluster.running()
    barrier = PipelinedRDD(source(ctx, 2), lambda i, it: it)
    barrier.is_barrier = True
    job = cluster.submit(barrier)
    tasks = cluster.running()
    assert len(tasks) == 2 and all(d["barrier"] for d in tasks)
    cluster.dag.post(E.BarrierRequest("0", tasks[0]["taskId"], "allGather", "a"))
    cluster.pump()
    assert cluster.backend.barrier_replies == []
    cluster.dag.post(E.BarrierRequest("1", tasks[1]["taskId"], "allGather", "b"))
    cluster.pump()
    assert sorted(cluster.backend.barrier_replies) == [("0", ["a", "b"]), ("1", ["a", "b"])]
    cluster.run_all()
    assert results(job) == [0, 1]


def test_zero_partition_job_ends_at_once(ctx):
    cluster = Cluster()
    job = cluster.submit(ParallelCollectionRDD(ctx, []))
    assert job.done.is_set() and job.error is None and job.results == []


def test_a_registered_executor_is_announced_with_its_log_file():
    cluster = Cluster(executors=())
    cluster.dag.post(E.ExecutorRegistered("7", 4242, 1, 1 << 30, "/logs/executor-7.log"))
    cluster.pump()
    added = cluster.bus.of(L.SparkListenerExecutorAdded)
    assert [(e.executorId, e.executorInfo.pid, e.executorInfo.logUrlMap["stderr"]) for e in added] == [
        ("7", 4242, "/logs/executor-7.log")]
