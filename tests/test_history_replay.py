"""Replaying event logs in the kernel's session store (``%spark history``): every layout Spark and
Sparklet write, logs cut off by a killed driver, bad input, and a cluster-sized log's speed. The
comparison with the History Server's answers for a real PySpark log is in test_history_server.py."""

import io
import json
import os
import time

import pytest
import zstandard

from sparklet import SparkConf, SparkContext
from sparklet import listener as L
from sparklet.eventlog import to_json
from sparklet.storagelevel import StorageLevel
from sparklet_kernel.history import EventLogError, jobs_state, load, log_files, replay

# these tests start contexts of their own
pytestmark = pytest.mark.usefixtures("own_contexts")


def counts(store):
    """What the jobs view shows of each job: status, tasks, completed, failed, skipped stages."""
    return [(j["jobId"], j["status"], j["numTasks"], j["numCompletedTasks"], j["numFailedTasks"], j["numSkippedStages"])
            for j in jobs_state(store)["jobs"]]


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    """One application run three times, logged in Sparklet's three layouts."""
    out = {}
    for layout, settings in {"rolling-zstd": {}, "single-plain": {"rolling.enabled": "false", "compress": "false"},
                             "single-zstd": {"rolling.enabled": "false"}}.items():
        d = tmp_path_factory.mktemp(layout)
        conf = SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(d))
        conf.set("spark.eventLog.logBlockUpdates.enabled", "true")
        for k, v in settings.items():
            conf.set("spark.eventLog." + k, v)
        sc = SparkContext("local[2,2]", "replayed", conf=conf)
        try:
            pairs = sc.parallelize(range(60), 3).map(lambda x: (x % 4, x)).reduceByKey(lambda a, b: a + b).cache()
            pairs.count()
            pairs.collect()
            try:
                sc.parallelize(range(4), 2).map(lambda x: 1 / 0).count()
            except Exception:
                pass
        finally:
            sc.stop()
        (name,) = os.listdir(d)
        out[layout] = str(d / name)
    return out


def test_every_layout_replays_to_the_same_views(logs):
    expected = [(0, "succeeded", 6, 6, 0, 0), (1, "succeeded", 3, 3, 0, 1)]
    for layout, path in logs.items():
        store = replay(path)
        assert counts(store)[:2] == expected, layout
        # how many attempts failed before the job was aborted depends on timing
        (_, status, tasks, completed, failed, _) = counts(store)[2]
        assert (status, tasks, completed) == ("failed", 2, 0) and failed >= 2
        assert store.application["appName"] == "replayed" and store.application["completed"] is True
        (cached,) = store.snapshot()["storage"]
        assert cached["numCachedPartitions"] == 3 and cached["memSize"] > 0
        executors = store.snapshot()["executors"]
        assert executors and all(e["totalCores"] == 1 and e["host"] == "localhost" for e in executors)
        job = jobs_state(store)["jobs"][1]
        assert [s["status"] for s in job["stages"]] == ["skipped", "complete"]
        assert [s["skipped"] for s in job["dag"]["stages"]] == [True, False]


def _cut(data, keep):
    return data[: int(len(data) * keep)]


def test_a_killed_drivers_log_replays_up_to_its_last_whole_line(logs, tmp_path):
    plain = open(logs["single-plain"], "rb").read()
    cut = tmp_path / (os.path.basename(logs["single-plain"]) + ".inprogress")
    cut.write_bytes(_cut(plain, 0.6))
    store = replay(str(cut))
    assert store.application["completed"] is False and store.application["appName"] == "replayed"
    assert 0 < len(store.job_ids()) <= 3

    raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(open(logs["single-zstd"], "rb").read()),
                                                     read_across_frames=True).read()
    # a zstd log whose writer was killed between two flushed blocks
    compressor = zstandard.ZstdCompressor(level=1).compressobj()
    data = compressor.compress(raw[: len(raw) // 2]) + compressor.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
    cut = tmp_path / "local-1.zstd.inprogress"
    cut.write_bytes(data)
    assert replay(str(cut)).application["completed"] is False


def test_a_completed_log_with_a_bad_line_is_an_error_naming_the_line(logs, tmp_path):
    lines = open(logs["single-plain"], "rb").read().splitlines(keepends=True)
    lines[7] = b'{"Event": broken\n'
    bad = tmp_path / "local-2"
    bad.write_bytes(b"".join(lines))
    with pytest.raises(EventLogError, match="line 8 is not a JSON event"):
        replay(str(bad))


def test_bad_paths_say_what_to_pass(logs, tmp_path):
    with pytest.raises(EventLogError, match="no event log at"):
        replay(str(tmp_path / "nothing"))
    parent = os.path.dirname(logs["rolling-zstd"])
    with pytest.raises(EventLogError, match="directory of event logs; pass one of them: eventlog_v2_local-"):
        replay(parent)
    lz4 = tmp_path / "app-3.lz4"
    lz4.write_bytes(b"\x00" * 40)
    with pytest.raises(EventLogError, match="app-3.lz4 is not a readable lz4 stream"):
        replay(str(lz4))


def big_log(path, stages=300, tasks_per_stage=334):
    """A log of one application with `stages` jobs of one stage each, written with the engine's
    own serializer (Spark's schema): 100,200 tasks by default."""
    level = StorageLevel(False, False, False, False, 1)
    lines = [{"Event": "SparkListenerLogStart", "Spark Version": "4.0.0"},
             to_json(L.SparkListenerApplicationStart("big", "app-big", 1000, "ann", "yarn")),
             to_json(L.SparkListenerExecutorAdded(1000, "1", L.ExecutorInfo("node1", 8)))]
    t = 2000
    task_id = 0
    metrics = L.TaskMetrics(executorRunTime=40, shuffleWriteMetrics=L.ShuffleWriteMetrics(100, 10, 5))
    for s in range(stages):
        info = L.StageInfo(s, 0, "map at job.py:%d" % s, tasks_per_stage,
                           [L.RDDInfo(s, "MapPartitionsRDD", tasks_per_stage, level, [], "job.py:%d" % s, "map")], [])
        lines.append(to_json(L.SparkListenerJobStart(s, t, [info], {"callSite.short": "count at job.py:%d" % s})))
        info.submissionTime = t
        lines.append(to_json(L.SparkListenerStageSubmitted(info, {})))
        for p in range(tasks_per_stage):
            ti = L.TaskInfo(task_id, p, 0, t + p, "1", "node1", finishTime=t + p + 40)
            lines.append(to_json(L.SparkListenerTaskStart(s, 0, ti)))
            lines.append(to_json(L.SparkListenerTaskEnd(s, 0, "ResultTask", "Success", ti, metrics)))
            task_id += 1
        t += tasks_per_stage + 50
        info.completionTime = t
        lines.append(to_json(L.SparkListenerStageCompleted(info)))
        lines.append(to_json(L.SparkListenerJobEnd(s, t, L.JobResult(True))))
    lines.append(to_json(L.SparkListenerApplicationEnd(t + 10)))
    data = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode() + b"\n"
    with open(path, "wb") as f:
        f.write(zstandard.ZstdCompressor(level=1).compress(data))
    return task_id


def test_a_log_of_100000_tasks_opens_in_a_few_seconds(tmp_path):
    path = str(tmp_path / "app-big.zstd")
    n = big_log(path)
    started, cpu = time.perf_counter(), time.process_time()
    store = load(path)
    state = jobs_state(store)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print("replayed %d tasks in %.2f s (%.2f s of CPU)" % (n, elapsed, cpu))
    assert sum(j["numCompletedTasks"] for j in jobs_state(store, max_jobs=10 ** 6)["jobs"]) == n == 100_200
    assert len(state["jobs"]) == 100 and state["hiddenJobs"] == 200
    assert load(path) is store  # a second view of the same log does not read it again
    # a few seconds of CPU (about 2 s here); wall time on a shared CI runner can be several times that
    assert cpu < 10


def test_log_files_of_a_rolling_folder_are_in_index_order(tmp_path):
    folder = tmp_path / "eventlog_v2_app-4"
    folder.mkdir()
    for name in ("events_10_app-4", "events_2_app-4", "events_1_app-4", "appstatus_app-4"):
        (folder / name).write_bytes(b"")
    files, completed = log_files(str(folder))
    assert [os.path.basename(f) for f in files] == ["events_1_app-4", "events_2_app-4", "events_10_app-4"]
    assert completed is True
