"""The real-Spark backend through the Sparklet kernel: `sc` is Apache Spark's SparkContext (pyspark
local mode on the machine's Java 17), and the kernel's job display, DAG, one-screen errors and
session magics work on it. One kernel (one JVM) serves the module; switching to the local engine
and back is tested on it too. The tutorial notebooks run on this backend in test_notebooks.py."""

import re
import sys
import time
from types import SimpleNamespace

import psutil
import pytest

from sparklet_kernel.pyspark_backend import TrackerStore, debug_string_stages

from kernel_harness import JOBS_MIME, execute, job_displays, result_text, running_kernel, stream_text

pytestmark = pytest.mark.timeout(600)

PYSPARK_ENV = {"SPARKLET_BACKEND": "pyspark", "PYSPARK_PYTHON": sys.executable}


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with running_kernel(tmp_path_factory.mktemp("sparklet-pyspark"), env=PYSPARK_ENV) as (km, kc):
        reply, msgs = execute(kc, "sc", timeout=240)  # waits for the JVM
        assert reply["status"] == "ok", reply
        yield km, kc


def ok(kc, code, timeout=180):
    reply, msgs = execute(kc, code, timeout=timeout)
    assert reply["status"] == "ok", reply
    return msgs


class OneStageJob:
    """PySpark's status tracker (its JVM side) for job 0 of one 2-task stage that ends between the
    `ends_after`-th and the next snapshot asked of it: each getJobInfo/getStageInfo is a round trip
    to a JVM that keeps running in between, returning a snapshot that no longer changes."""

    def __init__(self, ends_after):
        self.asked, self.ends_after = 0, ends_after

    def _ended(self):
        self.asked += 1
        return self.asked > self.ends_after

    def getJobInfo(self, job_id):
        if job_id != 0:
            return None
        status = "SUCCEEDED" if self._ended() else "RUNNING"
        return SimpleNamespace(stageIds=lambda: [0], status=lambda: status)

    def getStageInfo(self, stage_id):
        done = self._ended()
        return SimpleNamespace(submissionTime=lambda: 1, name=lambda: "collect at <cell 1>:1",
                               currentAttemptId=lambda: 0, numTasks=lambda: 2,
                               numCompletedTasks=lambda: 2 if done else 0,
                               numActiveTasks=lambda: 0 if done else 2, numFailedTasks=lambda: 0)


@pytest.mark.parametrize("ends_after", range(8))
def test_a_job_that_ends_between_two_polls_shows_its_final_counts(ends_after):
    tracker = OneStageJob(ends_after)
    context = SimpleNamespace(_jsc=SimpleNamespace(statusTracker=lambda: tracker))
    backend = SimpleNamespace(job_plan=lambda started, count: (None, None),
                              session=SimpleNamespace(live=SimpleNamespace(current=None)))
    store = TrackerStore(context, backend)
    while not store.job_ids() or store.job_json(0)["status"] == "running":
        store.poll()
    job = store.job_json(0)
    assert job["status"] == "succeeded"
    assert [(s["status"], s["completed"], s["numTasks"]) for s in job["stages"]] == [("complete", 2, 2)]


def test_a_jvm_lineage_is_cut_into_stages_by_its_tree_whatever_its_rdds_are_named():
    def shape(text):
        return [([i.id for i in infos], parents) for infos, parents in debug_string_stages(text)]

    # what PySpark prints for a textFile word count (reduceByKey) and for wholeTextFiles: an RDD
    # made from a path carries the path as its name, before the class name
    assert shape("""(3) PythonRDD[6] at collect at <cell 1>:4 []
 |  MapPartitionsRDD[5] at mapPartitions at PythonRDD.scala:197 []
 |  ShuffledRDD[4] at partitionBy at NativeMethodAccessorImpl.java:0 []
 +-(3) PairwiseRDD[3] at reduceByKey at <cell 1>:3 []
    |  PythonRDD[2] at reduceByKey at <cell 1>:3 []
    |  data/logs MapPartitionsRDD[1] at textFile at NativeMethodAccessorImpl.java:0 []
    |  data/logs HadoopRDD[0] at textFile at NativeMethodAccessorImpl.java:0 []""") == [
        ([0, 1, 2, 3], []), ([4, 5, 6], [0])]
    assert shape("""(2) data/logs MapPartitionsRDD[1] at wholeTextFiles at NativeMethodAccessorImpl.java:0 []
 |  WholeTextFileRDD[0] at wholeTextFiles at NativeMethodAccessorImpl.java:0 []""") == [([0, 1], [])]


def test_sc_is_apache_sparks_and_pyspark_is_the_real_package(kernel):
    km, kc = kernel
    msgs = ok(kc, "import pyspark, sparklet\n"
                  "(type(sc).__module__, pyspark is sparklet, pyspark.SparkContext is type(sc), sc.master, "
                  "sc.getConf().get('spark.ui.enabled'))")
    assert result_text(msgs) == "('pyspark.core.context', False, True, 'local[2]', 'false')"


def test_word_count_shows_two_stages_with_progress_and_the_users_dag(kernel):
    km, kc = kernel
    msgs = ok(kc, "lines = sc.parallelize(['to be or not to be', 'that is the question'] * 200, 4)\n"
                  "counts = lines.flatMap(lambda l: l.split()).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b, 3)\n"
                  "sorted(counts.collect())[:3]")
    assert result_text(msgs) == "[('be', 400), ('is', 200), ('not', 200)]"
    displays = job_displays(msgs)
    assert displays[0][0] == "display_data" and all(d[0] == "update_display_data" for d in displays[1:])
    assert {d[1] for d in displays} == {displays[0][1]}  # one display, updated in place
    # live, not only a summary at the end: the tracker's counts reached the display while it ran
    running = [d[2][JOBS_MIME]["jobs"][0] for d in displays[:-1]]
    assert any(j["status"] == "running" and j["numCompletedTasks"] < 7 for j in running)
    job = displays[-1][2][JOBS_MIME]["jobs"][0]
    assert job["status"] == "succeeded" and job["description"].startswith("collect at <cell")
    stages = job["stages"]
    assert [(s["kind"], s["numTasks"], s["completed"], s["status"]) for s in stages] == [
        ("shuffleMap", 4, 4, "complete"), ("result", 3, 3, "complete")]
    # Spark names each stage after the user's call, not after the kernel's wrapper of it
    assert [s["name"].split(" at <cell ")[0] for s in stages] == ["reduceByKey", "collect"]
    assert job["numTasks"] == job["numCompletedTasks"] == 7
    nodes = {n["key"]: n for n in job["dag"]["nodes"]}
    scopes = [[nodes[k]["scope"] for k in s["nodes"]] for s in job["dag"]["stages"]]
    assert scopes == [["parallelize", "flatMap", "map"], ["reduceByKey"]]
    assert [e["kind"] for e in job["dag"]["edges"]].count("shuffle") == 1
    assert all(n["callSite"].startswith("<cell ") for n in nodes.values())
    text = displays[-1][2]["text/plain"]
    assert "(4 + 0) / 4]" in text and "(3 + 0) / 3]" in text
    print("pyspark backend word count display:\n" + text)
    print("%d display messages" % len(displays))

    # the same shuffle again: Spark skips the map stage, and so does the display
    msgs = ok(kc, "counts.count()")
    job = job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][0]
    assert [s["status"] for s in job["stages"]] == ["skipped", "complete"] and job["numSkippedStages"] == 1


def test_dag_magic_draws_an_rdd_before_it_runs(kernel):
    km, kc = kernel
    msgs = ok(kc, "a = sc.parallelize([(1, 'x'), (2, 'y')])\nb = sc.parallelize([(1, 3)])\n"
                  "joined = a.join(b).mapValues(lambda v: v[1]).reduceByKey(max)\n%spark dag joined")
    svgs = [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"
            and "image/svg+xml" in m["content"]["data"]]
    # PySpark shuffles both join inputs once, and reduceByKey keeps the join's partitioning: 2 stages
    assert len(svgs) == 1 and svgs[0]["image/svg+xml"].count('class="sparklet-stage"') == 2
    stages = [re.sub(r"\[\d+\]", "", line) for line in svgs[0]["text/plain"].splitlines()[1:]]
    assert stages == ["Stage 0: parallelize -> parallelize", "Stage 1: join -> mapValues -> reduceByKey"]
    assert not job_displays(msgs)
    msgs = ok(kc, "joined.collect()")
    job = job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][0]
    assert len(job["stages"]) == len(job["dag"]["stages"]) == 2


def test_task_error_fits_one_screen(kernel):
    km, kc = kernel
    reply, msgs = execute(kc, "sc.parallelize([1, 2, 0], 3).map(lambda x: 1 / x).collect()", timeout=120)
    assert reply["status"] == "error" and reply["ename"] == "Py4JJavaError"
    error = [m for m in msgs if m["msg_type"] == "error"][0]["content"]
    text = "\n".join(error["traceback"])
    assert error["ename"] == "PythonException"
    assert "ZeroDivisionError" in text and "division by zero" in text and "<cell" in text
    assert "at org.apache.spark" not in text and "py4j" not in text
    assert len(text.splitlines()) <= 10, text
    job = job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][0]
    assert job["status"] == "failed" and job["stages"][0]["failed"] >= 1
    msgs = ok(kc, "%spark traceback")
    assert "org.apache.spark.api.python.PythonException" in stream_text(msgs)


def test_spark_jobs_lists_the_session_and_timeline_draws_the_jvms_task_records(kernel):
    km, kc = kernel
    msgs = ok(kc, "%spark jobs")
    state = job_displays(msgs)[-1][2][JOBS_MIME]
    assert len(state["jobs"]) >= 4 and {j["status"] for j in state["jobs"]} == {"succeeded", "failed"}
    ok(kc, "sc.parallelize(range(8), 4).map(lambda x: (x % 2, x)).reduceByKey(lambda a, b: a + b, 2).count()")
    msgs = ok(kc, "store = get_ipython().kernel.sparklet.store\n"
                  "spans = store.task_spans(store.job_ids()[-1])\n"
                  "print(sorted((s[0] - min(t[0] for t in spans), s[2], s[4], s[7]) for s in spans))")
    assert stream_text(msgs) == "%s\n" % sorted([(0, p, "driver", "SUCCESS") for p in range(4)]
                                                + [(1, p, "driver", "SUCCESS") for p in range(2)])
    msgs = ok(kc, "%spark timeline")
    assert any("image/png" in m["content"]["data"] for m in msgs if m["msg_type"] == "display_data")


def test_task_output_is_tagged_and_apart_from_driver_output(kernel):
    km, kc = kernel
    msgs = ok(kc, "print('from the driver')\nsc.parallelize(range(6), 2).foreach(lambda x: print('task line', x))")
    outputs = [m["content"]["data"]["text/plain"] for m in msgs if m["msg_type"] in ("display_data", "update_display_data")
               and "sparklet-output-" in m["content"].get("transient", {}).get("display_id", "")]
    assert outputs, "no task output display"
    lines = outputs[-1].splitlines()
    assert sorted(lines) == sorted("[stage %d, partition %d] task line %d" % (int(lines[0].split()[1][:-1]), x // 3, x)
                                   for x in range(6))
    assert stream_text(msgs) == "from the driver\n" and "task line" not in stream_text(msgs, "stderr")
    assert "task line 5" in stream_text(ok(kc, "%spark output"))


def test_info_and_logs_describe_the_spark_session(kernel):
    km, kc = kernel
    ok(kc, "kept = sc.parallelize(range(100), 2).cache()\nkept.count()")
    text = stream_text(ok(kc, "%%info"))
    assert "Backend:        pyspark" in text and "Master:         local[2]" in text
    assert "executor driver   cores 2" in text
    assert "Cached RDDs:    1" in text and "2/2 partitions" in text
    text = stream_text(ok(kc, "%%logs"))
    assert "Executor logs (pyspark backend, master local[2])" in text


def test_switching_to_the_local_engine_and_back_is_one_magic(kernel):
    km, kc = kernel
    msgs = ok(kc, '%%configure -f\n{"backend": "sparklet", "master": "local[2]"}')
    assert "on the sparklet backend" in stream_text(msgs)
    msgs = ok(kc, "import pyspark\n(type(sc).__module__, pyspark.__name__, sc.parallelize(range(10)).sum())")
    assert result_text(msgs) == "('sparklet.context', 'sparklet', 45)"
    msgs = ok(kc, '%%configure -f\n{"backend": "pyspark", "master": "local[1]", "name": "back-again"}')
    assert "SparkContext(master='local[1]', appName='back-again') on the pyspark backend" in stream_text(msgs)
    msgs = ok(kc, "import pyspark\n(type(sc).__module__, pyspark.SparkContext is type(sc), "
                  "sc.parallelize(range(10), 2).map(lambda x: x * x).sum())")
    assert result_text(msgs) == "('pyspark.core.context', True, 285)"
    # the second switch reuses the JVM the first one started
    kernel_process = psutil.Process(km.provisioner.process.pid)
    assert [p.name() for p in kernel_process.children(recursive=True)].count("java") == 1
    assert job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][0]["numCompletedTasks"] == 2


def test_a_dataframe_jobs_dag_is_sparks_own_with_the_physical_operators(kernel):
    # (after the tests of errors: once PySpark's SQL layer is up, it turns Py4JJavaErrors into PythonExceptions)
    # no Python RDD call makes a DataFrame's jobs: their DAG is Spark's operation graph, each
    # WholeStageCodegen cluster opened into the physical operators the SQL plan fuses in it
    km, kc = kernel
    msgs = ok(kc, "df = spark.createDataFrame([('a', 1), ('b', 2), ('a', 3)], ['k', 'v'])\n"
                  "df.groupBy('k').count().show()")
    assert "|  a|    2|" in stream_text(msgs)
    job = job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][-1]
    nodes = {n["key"]: n["scope"] for n in job["dag"]["nodes"]}
    scopes = [[nodes[k] for k in s["nodes"]] for s in job["dag"]["stages"]]
    assert scopes[0][-4:] == ["Scan ExistingRDD", "Project", "HashAggregate (partial)", "Exchange"], scopes
    assert "HashAggregate (final)" in scopes[-1], scopes
    assert [e["kind"] for e in job["dag"]["edges"]].count("shuffle") == 1


def test_stopped_spark_context_is_shown_stopped(kernel):
    km, kc = kernel
    ok(kc, "sc.stop()")
    deadline = time.monotonic() + 10
    while True:
        kc.control_channel.send(kc.session.msg("sparklet_request", {"action": "snapshot"}))
        snap = kc.control_channel.get_msg(timeout=10)["content"]["snapshot"]
        if not [e for e in snap["executors"] if e["isActive"]] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert snap["session"]["state"] == "stopped" and snap["session"]["contextActive"] is False
    assert snap["executors"] and not [e for e in snap["executors"] if e["isActive"]]
