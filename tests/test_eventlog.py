"""Event logs written by Sparklet: Spark 4's settings and file layout, Spark's JSON schema, and the
faults (a killed driver, a directory that cannot be written). The History Server reading these logs
is tested in test_history_server.py."""

import os

import pytest

from eventlog_harness import read_events, run_job
from sparklet import SparkConf, SparkContext

# these tests start contexts of their own
pytestmark = pytest.mark.usefixtures("own_contexts")

@pytest.fixture(scope="module")
def default_log(tmp_path_factory):
    d = tmp_path_factory.mktemp("events")
    app_id = run_job(d, "spark.eventLog.logBlockUpdates.enabled=true")
    return d, app_id


def test_defaults_write_a_rolling_zstd_folder_marked_complete(default_log):
    d, app_id = default_log
    assert os.listdir(d) == ["eventlog_v2_" + app_id]
    folder = d / ("eventlog_v2_" + app_id)
    assert sorted(os.listdir(folder)) == ["appstatus_" + app_id, "events_1_%s.zstd" % app_id]


def test_events_follow_sparks_schema(default_log):
    d, app_id = default_log
    events = read_events(str(d / ("eventlog_v2_" + app_id)))
    names = [e["Event"] for e in events]
    assert names[:5] == ["SparkListenerLogStart", "SparkListenerResourceProfileAdded",
                         "SparkListenerBlockManagerAdded", "SparkListenerEnvironmentUpdate",
                         "SparkListenerApplicationStart"]
    assert names[-1] == "SparkListenerApplicationEnd"
    for needed in ("SparkListenerExecutorAdded", "SparkListenerJobStart", "SparkListenerJobEnd",
                   "SparkListenerStageSubmitted", "SparkListenerStageCompleted", "SparkListenerTaskStart",
                   "SparkListenerTaskEnd", "SparkListenerBlockUpdated", "SparkListenerUnpersistRDD"):
        assert needed in names
    start = events[4]
    assert (start["App Name"], start["App ID"]) == ("sparklet-eventlog", app_id)
    env = events[3]
    assert env["Spark Properties"]["spark.app.id"] == app_id
    assert set(env) >= {"JVM Information", "Hadoop Properties", "System Properties", "Classpath Entries"}
    end = next(e for e in events if e["Event"] == "SparkListenerTaskEnd" and e["Task End Reason"]["Reason"] == "Success")
    metrics = end["Task Metrics"]
    # the keys Spark 4.3's JsonProtocol writes for every finished task
    assert set(metrics) == {
        "Executor Deserialize Time", "Executor Deserialize CPU Time", "Executor Run Time", "Executor CPU Time",
        "Peak Execution Memory", "Peak On Heap Execution Memory", "Peak Off Heap Execution Memory", "Result Size",
        "JVM GC Time", "Result Serialization Time", "Memory Bytes Spilled", "Disk Bytes Spilled",
        "Shuffle Read Metrics", "Shuffle Write Metrics", "Input Metrics", "Output Metrics", "Updated Blocks"}
    assert set(end["Task Info"]) == {"Task ID", "Index", "Attempt", "Partition ID", "Launch Time", "Executor ID",
                                     "Host", "Locality", "Speculative", "Getting Result Time", "Finish Time",
                                     "Failed", "Killed", "Accumulables"}
    assert end["Task Info"]["Finish Time"] >= end["Task Info"]["Launch Time"] > 0
    failed = [e for e in events if e["Event"] == "SparkListenerTaskEnd"
              and e["Task End Reason"]["Reason"] == "ExceptionFailure"]
    assert any("first attempt fails" in e["Task End Reason"]["Description"] for e in failed)
    assert any(e["Task Info"]["Attempt"] == 1 and e["Task End Reason"]["Reason"] == "Success"
               for e in events if e["Event"] == "SparkListenerTaskEnd")
    job_ends = [e["Job Result"]["Result"] for e in events if e["Event"] == "SparkListenerJobEnd"]
    assert job_ends.count("JobFailed") == 1


def test_a_later_job_gets_its_own_skipped_stage_as_in_spark(default_log):
    d, app_id = default_log
    events = read_events(str(d / ("eventlog_v2_" + app_id)))
    jobs = [e for e in events if e["Event"] == "SparkListenerJobStart"]
    submitted = {e["Stage Info"]["Stage ID"] for e in events if e["Event"] == "SparkListenerStageSubmitted"}
    assert jobs[0]["Stage IDs"] == [0, 1] and jobs[1]["Stage IDs"] == [2, 3]
    assert 2 not in submitted and {0, 1, 3} <= submitted


@pytest.mark.parametrize("codec", ["zstd", "lz4", "lzf", "snappy", None])
def test_single_file_layout(tmp_path, codec):
    conf = (SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(tmp_path))
            .set("spark.eventLog.rolling.enabled", "false").set("spark.eventLog.compress", str(codec is not None))
            .set("spark.eventLog.compression.codec", codec or "zstd"))
    sc = SparkContext("local[1]", "single", conf=conf)
    try:
        suffix = "." + codec if codec else ""
        assert os.listdir(tmp_path) == [sc.applicationId + suffix + ".inprogress"]
        assert sc.parallelize(range(10)).count() == 10
    finally:
        sc.stop()
    assert os.listdir(tmp_path) == [sc.applicationId + suffix]
    events = read_events(str(tmp_path / (sc.applicationId + suffix)))
    assert events[0] == {"Event": "SparkListenerLogStart", "Spark Version": events[0]["Spark Version"]}
    assert events[-1]["Event"] == "SparkListenerApplicationEnd"
    # and the kernel's replay reads it
    from sparklet_kernel import history
    store = history.replay(str(tmp_path / (sc.applicationId + suffix)))
    assert len(store.jobs) == 1


def test_rolling_starts_a_new_file_past_max_file_size(tmp_path):
    conf = (SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(tmp_path))
            .set("spark.eventLog.rolling.maxFileSize", "10m").set("spark.eventLog.compress", "false"))
    sc = SparkContext("local[1]", "rolling", conf=conf)
    try:
        # 10m is Spark's minimum; long job descriptions make the events big enough to pass it
        sc.setJobDescription("x" * 300_000)
        for _ in range(25):
            sc.parallelize(range(2), 1).count()
    finally:
        sc.stop()
    folder = tmp_path / ("eventlog_v2_" + sc.applicationId)
    files = sorted(f for f in os.listdir(folder) if f.startswith("events_"))
    assert len(files) >= 2
    assert all(os.path.getsize(folder / f) <= 10 * 1024 * 1024 + 400_000 for f in files)
    names = [e["Event"] for e in read_events(str(folder))]
    assert names.count("SparkListenerJobEnd") == 25


def test_killed_driver_leaves_an_in_progress_log_whose_lines_all_parse(tmp_path):
    run_job(tmp_path, kill=True)
    (folder,) = os.listdir(tmp_path)
    files = sorted(os.listdir(tmp_path / folder))
    assert files[0].startswith("appstatus_") and files[0].endswith(".inprogress")
    events = read_events(str(tmp_path / folder))
    names = [e["Event"] for e in events]
    assert "SparkListenerUnpersistRDD" in names and "SparkListenerApplicationEnd" not in names


def test_unwritable_directory_warns_once_and_the_application_goes_on(tmp_path, caplog):
    missing = tmp_path / "no-such-dir"
    conf = SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(missing))
    with caplog.at_level("WARNING", logger="sparklet.eventlog"):
        sc = SparkContext("local[1]", "unwritable", conf=conf)
        try:
            assert sc.parallelize(range(5)).sum() == 10
        finally:
            sc.stop()
    warnings = [r for r in caplog.records if r.name == "sparklet.eventlog"]
    assert len(warnings) == 1
    assert "does not exist" in warnings[0].getMessage() and "goes on" in warnings[0].getMessage()


def test_full_disk_warns_once_and_the_application_goes_on(tmp_path, caplog):
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full")
    conf = (SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(tmp_path))
            .set("spark.eventLog.rolling.enabled", "false").set("spark.eventLog.compress", "false"))
    sc = None
    with caplog.at_level("WARNING", logger="sparklet.eventlog"):
        sc = SparkContext("local[1]", "full", conf=conf)
        # the log file now sits on a device that is always full
        path = os.path.join(str(tmp_path), sc.applicationId + ".inprogress")
        os.unlink(path)
        os.symlink("/dev/full", path)
        sc._event_log._files.raw = open(path, "wb", buffering=0)
        try:
            for _ in range(3):
                assert sc.parallelize(range(5)).sum() == 10
        finally:
            sc.stop()
    warnings = [r for r in caplog.records if r.name == "sparklet.eventlog"]
    assert len(warnings) == 1 and "No space left" in warnings[0].getMessage()


@pytest.mark.parametrize("codec, message", [
    ("brotli", "not a codec Spark knows: use lz4, lzf, snappy or zstd"),
])
def test_codec_errors_say_what_to_set(codec, message):
    conf = SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.compression.codec", codec)
    with pytest.raises(ValueError, match=message):
        SparkContext("local[1]", "codec", conf=conf)
    assert SparkContext._active_spark_context is None
