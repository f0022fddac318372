"""Event logs both ways, checked against the real Spark History Server (pyspark's jars on Java 17)
through its REST API: Sparklet's logs as a student reviewing a finished Sparklet application sees
them, and a real PySpark application's log replayed in the Sparklet kernel's views."""

import os

import pytest

from eventlog_harness import HistoryServer, read_events, run_job, run_real_job, run_sql_job
from kernel_harness import JOBS_MIME, execute, job_displays, running_kernel, stream_text

pytestmark = pytest.mark.pyspark


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    logs = tmp_path_factory.mktemp("history") / "logs"
    logs.mkdir()
    done = run_job(logs, "spark.eventLog.logBlockUpdates.enabled=true")
    single = run_job(logs, "spark.eventLog.rolling.enabled=false")
    run_job(logs, kill=True)
    real = run_real_job(logs)
    sql = run_sql_job(logs)
    codecs = {c: run_job(logs, "spark.eventLog.compression.codec=" + c, "spark.eventLog.rolling.enabled=" + rolling)
              for c, rolling in (("lz4", "false"), ("lzf", "true"), ("snappy", "false"))}
    killed = next(n for n in os.listdir(logs) if n.endswith(".inprogress") or (
        n.startswith("eventlog_v2_") and any(f.endswith(".inprogress") for f in os.listdir(logs / n))))
    killed = killed.replace("eventlog_v2_", "").split(".")[0]
    hs = HistoryServer(logs)
    try:
        listing = hs.wait_for([done, single, killed, real, sql] + list(codecs.values()))
        hs.logs = logs
        hs.real = real
        hs.sql = sql
        hs.codecs = codecs
        yield hs, {a["id"]: a for a in listing}, done, single, killed
    finally:
        hs.stop()


def test_completed_applications_are_listed_with_their_name(server):
    hs, apps, done, single, killed = server
    for app_id in (done, single):
        (attempt,) = apps[app_id]["attempts"]
        assert apps[app_id]["name"] == "sparklet-eventlog"
        assert attempt["completed"] is True and attempt["duration"] > 0


def test_killed_driver_is_listed_as_incomplete(server):
    hs, apps, done, single, killed = server
    (attempt,) = apps[killed]["attempts"]
    assert attempt["completed"] is False
    # and its events up to the kill are there to look at
    assert len(hs.get("applications/%s/jobs" % killed)) == 5


@pytest.mark.parametrize("which", ["rolling", "single"])
def test_jobs_with_status_and_call_site_names(server, which):
    hs, apps, done, single, killed = server
    app = done if which == "rolling" else single
    jobs = sorted(hs.get("applications/%s/jobs" % app), key=lambda j: j["jobId"])
    assert [j["status"] for j in jobs] == ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert [j["name"].split(" at ")[0] for j in jobs] == ["count", "collect", "count", "count", "count"]
    assert all(j["name"].split(" at ")[1].startswith("<string>:") for j in jobs)
    assert jobs[1]["numSkippedStages"] == 1 and jobs[1]["numSkippedTasks"] == 4
    assert (jobs[2]["numCompletedTasks"], jobs[2]["numFailedTasks"]) == (2, 1)
    assert jobs[3]["numFailedTasks"] >= 2 and jobs[3]["numCompletedTasks"] == 0


def test_stages_including_a_skipped_one(server):
    hs, apps, done, single, killed = server
    stages = {s["stageId"]: s for s in hs.get("applications/%s/stages" % done)}
    assert stages[0]["status"] == "COMPLETE" and stages[0]["name"].startswith("reduceByKey at ")
    assert stages[2]["status"] == "SKIPPED" and stages[2]["name"] == stages[0]["name"]
    assert stages[0]["shuffleWriteRecords"] == 20 and stages[1]["shuffleReadRecords"] == 20
    assert stages[5]["status"] == "FAILED" and "division by zero" in stages[5]["failureReason"]


def test_tasks_with_durations_and_metrics(server):
    hs, apps, done, single, killed = server
    tasks = hs.get("applications/%s/stages/0/0/taskList" % done)
    logged = {e["Task Info"]["Task ID"]: e["Task Info"] for e in read_events(str(hs.logs / ("eventlog_v2_" + done)))
              if e["Event"] == "SparkListenerTaskEnd"}
    assert len(tasks) == 4
    for t in tasks:
        assert t["status"] == "SUCCESS" and t["executorId"] != "driver"
        info = logged[t["taskId"]]
        # the server leaves out a duration of 0 ms
        assert t.get("duration", 0) == info["Finish Time"] - info["Launch Time"]
        assert t["taskMetrics"]["shuffleWriteMetrics"]["recordsWritten"] == 5
        assert t["taskMetrics"]["executorCpuTime"] > 0
    retried = hs.get("applications/%s/stages/4/0/taskList" % done)
    assert sorted((t["index"], t["attempt"], t["status"]) for t in retried) == [
        (0, 0, "FAILED"), (0, 1, "SUCCESS"), (1, 0, "SUCCESS")]
    failed = next(t for t in retried if t["status"] == "FAILED")
    assert "first attempt fails" in failed["errorMessage"]


def test_executors(server):
    hs, apps, done, single, killed = server
    executors = {e["id"]: e for e in hs.get("applications/%s/allexecutors" % done)}
    assert "driver" in executors
    workers = [e for i, e in executors.items() if i != "driver"]
    assert workers and all(e["totalCores"] == 1 for e in workers)
    assert sum(e["completedTasks"] for e in workers) + sum(e["failedTasks"] for e in workers) >= 18


def test_cached_rdd_in_storage(server):
    hs, apps, done, single, killed = server
    (rdd,) = hs.get("applications/%s/storage/rdd" % done)  # the other cached RDD was unpersisted
    assert rdd["numPartitions"] == 4 and rdd["numCachedPartitions"] == 4
    assert rdd["memoryUsed"] > 0 and rdd["storageLevel"].startswith("Memory")


def test_environment_spark_properties(server):
    hs, apps, done, single, killed = server
    props = dict(hs.get("applications/%s/environment" % done)["sparkProperties"])
    assert props["spark.app.name"] == "sparklet-eventlog"
    assert props["spark.master"] == "local[2,2]"
    assert props["spark.eventLog.enabled"] == "true"


STATUS = {"SUCCEEDED": "succeeded", "FAILED": "failed", "COMPLETE": "complete", "SKIPPED": "skipped"}


def test_real_pyspark_log_replayed_in_the_kernel_matches_the_history_server(server, tmp_path):
    hs, apps, done, single, killed = server
    path = str(hs.logs / ("eventlog_v2_" + hs.real))
    assert any(f.endswith(".zstd") for f in os.listdir(path))  # Spark 4's defaults: rolling, zstd
    with running_kernel(tmp_path) as (km, kc):
        reply, msgs = execute(kc, "%spark history " + path, timeout=120)
        assert reply["status"] == "ok", stream_text(msgs, "stderr")
        reply, timeline = execute(kc, "%%spark history %s --timeline 2" % path, timeout=120)
        assert reply["status"] == "ok"
    assert "pyspark-eventlog (%s), Spark 4." % hs.real in stream_text(msgs)
    assert any(m["msg_type"] == "display_data" and "image/png" in m["content"]["data"] for m in timeline)
    (state,) = [d[2][JOBS_MIME] for d in job_displays(msgs)]
    views = {j["jobId"]: j for j in state["jobs"]}

    jobs = {j["jobId"]: j for j in hs.get("applications/%s/jobs" % hs.real)}
    assert sorted(views) == sorted(jobs) == [0, 1, 2, 3, 4]
    for job_id, j in jobs.items():
        v = views[job_id]
        assert v["status"] == STATUS[j["status"]]
        assert v["description"] == j["name"]
        assert (v["numTasks"], v["numCompletedTasks"], v["numFailedTasks"], v["numSkippedStages"]) == (
            j["numTasks"] - j["numSkippedTasks"], j["numCompletedTasks"], j["numFailedTasks"], j["numSkippedStages"])
        # the DAG the view draws has every stage of the job
        assert sorted(s["stageId"] for s in v["dag"]["stages"]) == sorted(j["stageIds"])

    stages = {s["stageId"]: s for s in hs.get("applications/%s/stages" % hs.real)}
    shown = {s["stageId"]: s for v in views.values() for s in v["stages"]}
    assert sorted(shown) == sorted(stages)
    assert {STATUS.get(s["status"]) for s in stages.values()} >= {"complete", "skipped"}
    for stage_id, s in stages.items():
        assert shown[stage_id]["status"] == STATUS.get(s["status"], s["status"].lower())
        if s["status"] == "SKIPPED":
            continue
        tasks = hs.get("applications/%s/stages/%d/%d/taskList?length=1000" % (hs.real, stage_id, s["attemptId"]))
        assert shown[stage_id]["completed"] == s["numCompleteTasks"] == sum(t["status"] == "SUCCESS" for t in tasks)
        assert shown[stage_id]["failed"] == s["numFailedTasks"] == sum(t["status"] == "FAILED" for t in tasks)
        assert shown[stage_id]["shuffleWriteRecords"] == s["shuffleWriteRecords"]
    assert shown[4]["retries"] == 1  # the task whose first attempt failed


def test_sql_executions_listed_with_description_plan_and_status(server):
    hs, apps, done, single, killed = server
    executions = sorted(hs.get("applications/%s/sql?details=true&planDescription=true" % hs.sql),
                        key=lambda e: e["id"])
    assert [e["status"] for e in executions] == ["COMPLETED", "FAILED", "COMPLETED"]
    assert [e["description"].split(" at ")[0] for e in executions] == ["count", "collect", "collect"]
    assert all(e["description"].split(" at ")[1].startswith("<string>:") for e in executions)
    first = executions[0]
    assert first["planDescription"].startswith("== Physical Plan ==\nAdaptiveSparkPlan (")
    assert "(1) Range\nOutput [1]: [id#" in first["planDescription"]
    assert first["successJobIds"] and not first["failedJobIds"]
    assert executions[1]["failedJobIds"] and not executions[1]["successJobIds"]
    names = [n["nodeName"] for n in first["nodes"]]
    assert {"AdaptiveSparkPlan", "HashAggregate", "Exchange", "Range"} <= set(names)
    assert first["edges"]


def test_sql_plan_graph_shows_codegen_stages_and_row_counts(server):
    """The SQL tab's plan graph: operators carry Spark's SQL metrics, the row counts the tasks
    measured reach the History Server (posted as the driver's accumulator updates), and a plan
    without exchanges groups its operators in a whole-stage-codegen cluster."""
    hs, apps, done, single, killed = server
    executions = sorted(hs.get("applications/%s/sql?details=true" % hs.sql), key=lambda e: e["id"])

    def metrics(node):
        return {m["name"]: m["value"] for m in node["metrics"]}
    first = {n["nodeName"]: n for n in executions[0]["nodes"]}
    assert metrics(first["Range"])["number of output rows"] == "100"
    # (the REST API lists a metric once it has a value: the aggregates' counted rows)
    aggregates = [metrics(n) for n in executions[0]["nodes"] if n["nodeName"] == "HashAggregate"]
    assert aggregates and all("number of output rows" in m for m in aggregates[:1])
    last = {n["nodeName"]: n for n in executions[2]["nodes"]}
    assert metrics(last["Range"])["number of output rows"] == "200,000"
    assert last["Range"]["wholeStageCodegenId"] == 1 and last["Project"]["wholeStageCodegenId"] == 1


def test_large_task_results_are_fetched_apart(server):
    hs, apps, done, single, killed = server
    stages = hs.get("applications/%s/stages" % hs.sql)
    last = max(stages, key=lambda s: s["stageId"])
    tasks = hs.get("applications/%s/stages/%d/0/taskList" % (hs.sql, last["stageId"]))
    # results above spark.task.maxDirectResultSize (1 MiB) are fetched: the History Server shows
    # when that began, as for Spark's indirect task results
    assert tasks and all(t.get("resultFetchStart") for t in tasks)
    first_stage_tasks = hs.get("applications/%s/stages/0/0/taskList" % hs.sql)
    assert not any(t.get("resultFetchStart") for t in first_stage_tasks)


@pytest.mark.parametrize("codec", ["lz4", "lzf", "snappy"])
def test_logs_in_each_codec_read_by_the_history_server(server, codec):
    hs, apps, done, single, killed = server
    app = hs.codecs[codec]
    (attempt,) = apps[app]["attempts"]
    assert attempt["completed"] is True
    jobs = sorted(hs.get("applications/%s/jobs" % app), key=lambda j: j["jobId"])
    assert [j["status"] for j in jobs] == ["SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "SUCCEEDED"]


def test_real_spark_logs_in_each_codec_replayed_in_the_kernel(tmp_path):
    """Real Spark compresses its blocks (Sparklet stores them): the replay decodes them."""
    import subprocess
    import sys
    from sparklet_kernel import history
    program = """if True:
        import sys
        from pyspark.sql import SparkSession
        for codec in ("lz4", "lzf", "snappy"):
            spark = (SparkSession.builder.master("local[2]").appName("real-" + codec)
                     .config("spark.eventLog.enabled", "true").config("spark.eventLog.dir", "file:" + sys.argv[1])
                     .config("spark.eventLog.compression.codec", codec).config("spark.eventLog.rolling.enabled", "false")
                     .config("spark.ui.enabled", "false").getOrCreate())
            for _ in range(3):
                spark.sparkContext.parallelize(range(1000), 4).map(lambda x: (x % 7, x)).reduceByKey(max).collect()
            print(codec, spark.sparkContext.applicationId)
            spark.stop()
    """
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    proc = subprocess.run([sys.executable, "-c", program, str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    apps = dict(line.split() for line in proc.stdout.splitlines() if line.split()[0] in ("lz4", "lzf", "snappy"))
    for codec, app in apps.items():
        store = history.replay(str(tmp_path / ("%s.%s" % (app, codec))))
        assert len(store.jobs) == 3 and store.application["appName"] == "real-" + codec
