"""The one status store (`sparklet.appstatus`): what ``sc.statusTracker()`` and the kernel's views
read. Killed tasks are not failed tasks, a stopped context's store says so, cached sizes are
the bytes a serialized block holds; compared with real PySpark where PySpark has the API."""

import pickle
import threading
import time

import pytest

from context_harness import shared_context_set_aside
from sparklet import SparkConf, SparkContext, StorageLevel
from sparklet.errors import JobCancelledError, StoppedContextError

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
def ctx():
    with shared_context_set_aside():
        sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("status-store")
                          .set("spark.sparklet.console.taskOutput", "false"))
        try:
            yield sc
        finally:
            sc.stop()


def failing_sibling_job(sc, tmp_path):
    """Partition 0 fails once partition 1 runs; partition 1, still sleeping, gets killed
    (local[2]: no retry)."""
    flag = str(tmp_path / "sibling-started")

    def task(it):
        import os
        import time

        items = list(it)
        if items[0] == 0:
            deadline = time.monotonic() + 60
            while not os.path.exists(flag) and time.monotonic() < deadline:
                time.sleep(0.02)
            raise ValueError("boom")
        open(flag, "w").close()
        time.sleep(20)
        return items

    return sc.parallelize([0, 1], 2).mapPartitions(task)


def last_job(sc, tasks=2):
    """The latest job once `tasks` of its task attempts have ended (killed tasks end a little
    after the job they belonged to)."""
    store = sc.statusStore
    deadline = time.monotonic() + 10
    while True:
        store.sync()
        job_id = store.job_ids()[-1]
        if len(store.task_spans(job_id)) >= tasks or time.monotonic() > deadline:
            return store.job_json(job_id)
        time.sleep(0.05)


def test_a_failing_sibling_kills_the_other_task_and_it_counts_as_killed(ctx, tmp_path):
    with pytest.raises(Exception, match="boom"):
        failing_sibling_job(ctx, tmp_path).collect()
    job = last_job(ctx)
    assert job["status"] == "failed"
    assert (job["numFailedTasks"], job["numKilledTasks"]) == (1, 1)
    stage = job["stages"][0]
    assert (stage["failed"], stage["killed"]) == (1, 1)
    info = ctx.statusTracker().getStageInfo(stage["stageId"])
    assert info.numFailedTasks == 1 and info.numActiveTasks == 0
    executors = ctx.statusStore.snapshot()["executors"]
    assert sum(e["failedTasks"] for e in executors) == 1 and sum(e["killedTasks"] for e in executors) == 1
    spans = sorted(s.status for s in ctx.statusStore.task_spans(job["jobId"]))
    assert spans == ["FAILED", "KILLED"]


@pytest.mark.pyspark
def test_failed_task_count_is_pysparks(spark_sc, tmp_path):
    """PySpark's SparkStageInfo counts the failing task, not its killed sibling."""
    # a group of its own finds the job among the many the shared context has run
    spark_sc.setJobGroup("failing-sibling", "a failing task and its killed sibling")
    try:
        with pytest.raises(Exception, match="boom"):
            failing_sibling_job(spark_sc, tmp_path).collect()
    finally:
        spark_sc.setLocalProperty("spark.jobGroup.id", None)  # PySpark has no clearJobGroup
    tracker = spark_sc.statusTracker()
    (job_id,) = tracker.getJobIdsForGroup("failing-sibling")
    stage_id = tracker.getJobInfo(job_id).stageIds[0]
    deadline = time.monotonic() + 20
    while tracker.getStageInfo(stage_id).numActiveTasks and time.monotonic() < deadline:
        time.sleep(0.1)
    info = tracker.getStageInfo(stage_id)
    assert (info.numFailedTasks, info.numActiveTasks, tracker.getJobInfo(job_id).status) == (1, 0, "FAILED")


def cancel_group_while_running(sc, group):
    """Run two 20-second tasks in `group` and cancel the group once they run; returns the error."""
    started = threading.Event()

    def slow(x):
        time.sleep(20)
        return x

    def both_running():
        tracker = sc.statusTracker()
        infos = [tracker.getStageInfo(s) for s in tracker.getActiveStageIds()]
        return any(info is not None and info.numActiveTasks == 2 for info in infos)

    def cancel():
        deadline = time.monotonic() + 60
        while not both_running() and time.monotonic() < deadline:
            time.sleep(0.05)
        started.set()
        time.sleep(0.5)
        sc.cancelJobGroup(group)

    threading.Thread(target=cancel, daemon=True).start()
    sc.setJobGroup(group, "sleeps")
    try:
        with pytest.raises(Exception) as info:
            sc.parallelize(range(2), 2).map(slow).collect()
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)
        sc.setLocalProperty("spark.job.description", None)
    assert started.is_set()
    return info.value


def test_cancelling_a_job_group_kills_its_running_tasks(ctx):
    assert isinstance(cancel_group_while_running(ctx, "to-cancel"), JobCancelledError)
    job = last_job(ctx)
    tracker = ctx.statusTracker()
    [job_id] = tracker.getJobIdsForGroup("to-cancel")
    assert job["jobId"] == job_id and job["status"] == "cancelled"
    assert (job["numFailedTasks"], job["numKilledTasks"]) == (0, 2)
    assert tracker.getJobInfo(job_id).status == "FAILED"  # Spark's JobExecutionStatus has no CANCELLED
    assert tracker.getStageInfo(job["stages"][0]["stageId"]).numFailedTasks == 0


@pytest.mark.pyspark
def test_cancelled_group_has_no_failed_tasks_in_pyspark_either(spark_sc):
    cancel_group_while_running(spark_sc, "to-cancel-in-spark")
    tracker = spark_sc.statusTracker()
    [job_id] = tracker.getJobIdsForGroup("to-cancel-in-spark")
    stage_id = tracker.getJobInfo(job_id).stageIds[0]
    deadline = time.monotonic() + 20
    while tracker.getStageInfo(stage_id).numActiveTasks and time.monotonic() < deadline:
        time.sleep(0.1)
    info = tracker.getStageInfo(stage_id)
    assert (tracker.getJobInfo(job_id).status, info.numFailedTasks, info.numActiveTasks) == ("FAILED", 0, 0)


def test_stopped_context_store_says_so_and_its_rdds_fail_at_once(ctx):
    rdd = ctx.parallelize(range(10), 2).map(lambda x: x + 1)
    assert rdd.count() == 10
    store = ctx.statusStore
    ctx.stop()
    snap = store.snapshot()
    assert store.stopped and snap["application"]["state"] == "stopped" and snap["application"]["endTime"]
    assert snap["executors"] and not [e for e in snap["executors"] if e["isActive"]]
    assert {e["removeReason"] for e in snap["executors"]} == {"SparkContext stopped"}
    for action in (rdd.count, rdd.collect, lambda: rdd.map(str).count(), lambda: ctx.parallelize([1])):
        with pytest.raises(StoppedContextError, match="Cannot call methods on a stopped SparkContext") as info:
            action()
        # raised by the operator the user called: no scheduler frame in between
        import traceback
        frames = [f.name for f in traceback.extract_tb(info.tb)]
        assert "_run_job" not in frames and len(frames) <= 4, frames
    assert isinstance(info.value, RuntimeError)
    # a new context is a new store, live
    replacement = SparkContext("local[1]", "after-stop")
    try:
        assert replacement.statusStore is not store and not replacement.statusStore.stopped
        assert replacement.statusStore.storeId > store.storeId
        assert replacement.parallelize([1, 2]).count() == 2
    finally:
        replacement.stop()


def test_serialized_cache_reports_pickled_bytes_and_deserialized_an_estimate(ctx):
    lines = ["line %d of a text that is cached: %s" % (i, "lorem ipsum " * 8) for i in range(20000)]
    text_bytes = sum(len(s) + 1 for s in lines)
    serialized = ctx.parallelize(lines, 4).persist(StorageLevel.MEMORY_ONLY)
    assert serialized.count() == len(lines)
    deserialized = ctx.parallelize(lines, 4).persist(StorageLevel(False, True, False, True))
    assert deserialized.count() == len(lines)
    assert serialized.collect() == lines  # read back from the pickled blocks
    ctx.statusStore.sync()
    storage = {e["rddId"]: e for e in ctx.statusStore.storage_json()}
    ser, de = storage[serialized.id()], storage[deserialized.id()]
    assert ser["sizeKind"] == "serialized" and de["sizeKind"] == "estimated"
    assert ser["storageLevel"] == "Memory Serialized 1x Replicated" and ser["numCachedPartitions"] == 4
    # the pickled records, as PySpark's MEMORY_ONLY holds them: about the text's own size
    pickled = len(pickle.dumps(lines, pickle.HIGHEST_PROTOCOL))
    assert 0.9 * pickled < ser["memSize"] < 1.2 * pickled
    assert ser["memSize"] < 1.5 * text_bytes
    # Python objects take more than their pickles (the estimate is what storage memory accounts)
    assert de["memSize"] > ser["memSize"]
