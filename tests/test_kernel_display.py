"""The kernel's display pieces driven by listener events, without a kernel: the session store,
the cell routing and throttling of `LiveDisplay`, and the DAG drawing."""

import re
import threading
import time
from xml.etree import ElementTree

from sparklet.listener import (ExecutorInfo, JobResult, LiveListenerBus, RDDInfo, SparkListenerExecutorAdded,
                               SparkListenerExecutorRemoved, SparkListenerJobEnd, SparkListenerJobStart,
                               SparkListenerStageCompleted, SparkListenerStageSubmitted, SparkListenerTaskEnd,
                               SparkListenerTaskStart, SparkletTaskOutput, StageInfo, TaskInfo, TaskMetrics, now_ms)
from sparklet_kernel import progress
from sparklet_kernel.dag import dag_model, render_svg
from sparklet_kernel.live import LiveDisplay
from sparklet_kernel.state import SessionStore
from sparklet_kernel.timeline import task_slots


def word_count_stages():
    """The plan of ``textFile -> flatMap -> map -> reduceByKey -> collect``: two stages."""
    src = RDDInfo(0, "data.txt", 2, None, [], "<cell 1>:1", "textFile")
    flat = RDDInfo(1, "PythonRDD", 2, None, [0], "<cell 1>:2", "flatMap")
    pairs = RDDInfo(2, "PairwiseRDD", 2, None, [1], "<cell 1>:3", "map")
    reduced = RDDInfo(3, "ShuffledRDD", 2, None, [2], "<cell 1>:3", "reduceByKey")
    map_stage = StageInfo(0, 0, "reduceByKey at <cell 1>:3", 2, [src, flat, pairs], [], isShuffleMap=True)
    result_stage = StageInfo(1, 0, "collect at <cell 1>:4", 2, [reduced], [0])
    return [map_stage, result_stage]


class Recorder:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    def display(self, parent, data, display_id, update, final):
        with self.lock:
            self.messages.append((time.monotonic(), parent, data, display_id, update))


def run_job(bus, job_id, stages, tasks_per_stage, group, skip=(), fail_partition=None):
    bus.post(SparkListenerJobStart(job_id, now_ms(), stages, {"spark.jobGroup.id": group,
                                                              "callSite.short": "collect at <cell 1>:4"}))
    tid = 0
    for stage in stages:
        if stage.stageId in skip:
            continue
        bus.post(SparkListenerStageSubmitted(stage, {}))
        for p in range(tasks_per_stage):
            info = TaskInfo(tid, p, 0, now_ms(), str(p % 2))
            bus.post(SparkListenerTaskStart(stage.stageId, 0, info))
            info.finishTime = now_ms()
            metrics = TaskMetrics()
            metrics.shuffleWriteMetrics.bytesWritten = 100
            reason = "Success" if p != fail_partition else "ExceptionFailure(ZeroDivisionError)"
            bus.post(SparkListenerTaskEnd(stage.stageId, 0, "ResultTask", reason, info, metrics))
            tid += 1
        stage.completionTime = now_ms()
        bus.post(SparkListenerStageCompleted(stage))
    bus.post(SparkListenerJobEnd(job_id, now_ms(), JobResult(fail_partition is None)))


def test_store_counts_tasks_and_marks_skipped_stages():
    bus, store = LiveListenerBus(), SessionStore()
    bus.addListener(store)
    run_job(bus, 0, word_count_stages(), 2, "g")
    run_job(bus, 1, word_count_stages(), 2, "g", skip={0})
    assert bus.waitUntilEmpty()
    bus.stop()
    first, second = store.job_json(0), store.job_json(1)
    assert first["status"] == "succeeded" and first["numCompletedTasks"] == 4 and first["numTasks"] == 4
    assert [s["status"] for s in second["stages"]] == ["skipped", "complete"]
    assert second["numSkippedStages"] == 1 and second["numTasks"] == 2
    assert first["stages"][0]["shuffleWriteBytes"] == 200


def test_store_records_lost_executors_and_failures():
    bus, store = LiveListenerBus(), SessionStore()
    bus.addListener(store)
    bus.post(SparkListenerExecutorAdded(now_ms(), "0", ExecutorInfo("localhost", 1)))
    stages = word_count_stages()[:1]
    bus.post(SparkListenerJobStart(0, now_ms(), stages, {}))
    bus.post(SparkListenerExecutorRemoved(now_ms(), "0", "worker exited"))
    bus.post(SparkListenerJobEnd(0, now_ms(), JobResult(False, ZeroDivisionError("division by zero"))))
    assert bus.waitUntilEmpty()
    bus.stop()
    job = store.job_json(0)
    assert job["lostExecutors"] == ["0"] and job["status"] == "failed"
    assert job["error"] == "ZeroDivisionError: division by zero"
    assert store.snapshot()["executors"][0]["isActive"] is False


def test_dag_has_stage_boxes_and_shuffle_edge():
    model = dag_model(word_count_stages())
    assert [s["stageId"] for s in model["stages"]] == [0, 1]
    kinds = sorted(e["kind"] for e in model["edges"])
    assert kinds == ["narrow", "narrow", "shuffle"]
    svg = render_svg(model)
    root = ElementTree.fromstring(svg)  # well-formed, standalone
    ns = "{http://www.w3.org/2000/svg}"
    stage_groups = [g for g in root.iter(ns + "g") if g.get("class") == "sparklet-stage"]
    assert len(stage_groups) == 2
    labels = "".join(t.text or "" for t in root.iter(ns + "text"))
    for op in ("textFile", "flatMap", "map", "reduceByKey", "<cell 1>:2", "shuffle dependency", "skipped stage"):
        assert op in labels


def test_dag_draws_one_node_per_operator_call():
    # textFile -> flatMap -> map -> reduceByKey -> collect as PySpark pipelines it: flatMap, map and
    # the map-side combine are one PythonRDD (id 2), the merge after the shuffle another (id 5).
    # reduceByKey's three RDDs (scope 4) are one node, in the stage that reads its shuffle.
    src = RDDInfo(1, "data.txt", 2, None, [], "<cell 1>:1", "textFile", scopeId=1)
    fused = RDDInfo(2, "PythonRDD", 2, None, [1], "<cell 1>:3", "reduceByKey", scopeId=4,
                    operators=[("flatMap", "<cell 1>:2", 2), ("map", "<cell 1>:3", 3), ("reduceByKey", "<cell 1>:3", 4)])
    shuffled = RDDInfo(4, "ShuffledRDD", 2, None, [2], "<cell 1>:3", "reduceByKey", scopeId=4)
    merged = RDDInfo(5, "PythonRDD", 2, None, [4], "<cell 1>:4", "count", scopeId=5,
                     operators=[("reduceByKey", "<cell 1>:3", 4), ("count", "<cell 1>:4", 5)])
    stages = [StageInfo(0, 0, "reduceByKey at <cell 1>:3", 2, [src, fused], [], isShuffleMap=True),
              StageInfo(1, 0, "count at <cell 1>:4", 2, [shuffled, merged], [0])]
    model = dag_model(stages)
    nodes = {n["key"]: n for n in model["nodes"]}
    assert [(n["scope"], n["stageId"]) for n in model["nodes"]] == [
        ("textFile", 0), ("flatMap", 0), ("map", 0), ("reduceByKey", 1), ("count", 1)]
    assert next(n for n in model["nodes"] if n["scope"] == "reduceByKey")["rddIds"] == [2, 4, 5]
    edges = {(nodes[e["from"]]["scope"], nodes[e["to"]]["scope"], e["kind"]) for e in model["edges"]}
    assert edges == {("textFile", "flatMap", "narrow"), ("flatMap", "map", "narrow"),
                     ("map", "reduceByKey", "shuffle"), ("reduceByKey", "count", "narrow")}
    root = ElementTree.fromstring(render_svg(model))
    ns = "{http://www.w3.org/2000/svg}"
    tops = {}
    for g in root.iter(ns + "g"):
        if "sparklet-rdd" in (g.get("class") or ""):
            tops[g.get("data-scope")] = float(next(g.iter(ns + "rect")).get("y"))
    # one row per operator, in the order they were called; the layout is the model's
    assert tops["textFile"] < tops["flatMap"] < tops["map"]
    assert tops["reduceByKey"] < tops["count"]
    assert {k: tuple(v) for k, v in model["layout"]["nodes"].items()} == {
        n["key"]: (float(x), tops[n["scope"]]) for n in model["nodes"] for x in [model["layout"]["nodes"][n["key"]][0]]}


def test_dag_splits_fused_physical_operators_and_never_empties_a_stage():
    # An SQL stage: the scan, then Project and the partial aggregate fused into one RDD (scope
    # named top operator first, as explain() prints), then the exchange's map side.
    scan = RDDInfo(0, "ParallelCollectionRDD", 2, None, [], "q.py:3", "Scan ExistingRDD[k#0L,v#1L]", scopeId=1)
    fused = RDDInfo(1, "PythonRDD", 2, None, [0], "q.py:3", "Exchange", scopeId=3,
                    operators=[("HashAggregate (partial) | Project", "q.py:3", 2), ("Exchange", "q.py:3", 3)])
    read = RDDInfo(4, "MapPartitionsRDD", 1, None, [1], "q.py:3", "Exchange", scopeId=3)
    model = dag_model([StageInfo(0, 0, "Exchange at q.py:3", 2, [scan, fused], [], isShuffleMap=True),
                       StageInfo(1, 0, "runJob at q.py:3", 1, [read], [0])])
    by_stage = [[n["scope"] for n in model["nodes"] if n["stageId"] == sid] for sid in (0, 1)]
    assert by_stage == [["Scan ExistingRDD", "Project", "HashAggregate (partial)"], ["Exchange"]]
    # the mode of a long physical operator name goes to the node's second line
    labels = model["layout"]["labels"]
    assert [labels[n["key"]] for n in model["nodes"] if n["scope"] == "HashAggregate (partial)"] == [
        ["HashAggregate", "partial \u00b7 q.py:3"]]

    # a map stage holding nothing but the map side of the operator read after the shuffle keeps it
    map_side = RDDInfo(7, "PairwiseRDD", 2, None, [], "c.py:1", "partitionBy", scopeId=9)
    reduce_side = RDDInfo(9, "ShuffledRDD", 2, None, [7], "c.py:1", "partitionBy", scopeId=9)
    model = dag_model([StageInfo(2, 0, "partitionBy at c.py:1", 2, [map_side], [], isShuffleMap=True),
                       StageInfo(3, 0, "collect at c.py:2", 2, [reduce_side], [2])])
    assert [(n["scope"], n["stageId"]) for n in model["nodes"]] == [("partitionBy", 2), ("partitionBy", 3)]
    assert [e["kind"] for e in model["edges"]] == ["shuffle"]


class _JobStarts:
    def __init__(self, sc):
        from sparklet.listener import SparkListener
        starts = self.starts = []

        class Listener(SparkListener):
            def onJobStart(self, event):
                starts.append(event)

        self.listener = Listener()
        self.sc = sc
        sc.listenerBus.addListener(self.listener)

    def last_dag(self):
        assert self.sc.listenerBus.waitUntilEmpty()
        return dag_model(self.starts[-1].stageInfos)

    def close(self):
        self.sc.listenerBus.removeListener(self.listener)


def test_dag_of_engine_jobs_has_one_node_per_user_operator(sc):
    jobs = _JobStarts(sc)
    try:
        nums = sc.parallelize(range(8), 4)
        nums.foreach(lambda x: None)
        assert [n["scope"] for n in jobs.last_dag()["nodes"]] == ["parallelize", "foreach"]
        nums.count()
        assert [n["scope"] for n in jobs.last_dag()["nodes"]] == ["parallelize", "count"]
        sc.parallelize([(1, 2), (2, 3), (1, 4)], 4).groupByKey().mapValues(list).collect()
        model = jobs.last_dag()
        assert [(n["scope"], n["stageId"] - model["stages"][0]["stageId"]) for n in model["nodes"]] == [
            ("parallelize", 0), ("groupByKey", 1), ("mapValues", 1)]
        assert sorted(e["kind"] for e in model["edges"]) == ["narrow", "shuffle"]
        cached = sc.parallelize(["a b", "c"], 2).flatMap(str.split).cache()
        cached.map(len).reduce(lambda a, b: a + b)
        model = jobs.last_dag()
        assert [(n["scope"], n["cached"]) for n in model["nodes"]] == [
            ("parallelize", False), ("flatMap", True), ("map", False), ("reduce", False)]
        cached.unpersist()
    finally:
        jobs.close()


def test_every_svg_has_its_own_ids():
    model = dag_model(word_count_stages())
    first, second = render_svg(model), render_svg(model)
    ids = [set(re.findall(r' id="([^"]+)"', svg)) for svg in (first, second)]
    assert len(ids[0]) == 3 and not ids[0] & ids[1]
    for svg, defined in zip((first, second), ids):
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= defined


def test_dag_marks_skipped_and_cached():
    from sparklet.storagelevel import StorageLevel
    stages = word_count_stages()
    stages[0].rddInfos[1].storageLevel = StorageLevel.MEMORY_ONLY
    model = dag_model(stages, skipped={0})
    assert model["stages"][0]["skipped"] and not model["stages"][1]["skipped"]
    assert [n["cached"] for n in model["nodes"]] == [False, True, False, False]
    assert "Stage 0 (skipped)" in render_svg(model)


def test_live_display_routes_by_group_and_throttles():
    bus, store, out = LiveListenerBus(), SessionStore(), Recorder()
    bus.addListener(store)
    live = LiveDisplay(out, interval=0.1)
    live.watch(store)
    try:
        cell = live.begin_cell(5, {"header": {"msg_id": "m5"}})
        other = live.begin_cell(6, {"header": {"msg_id": "m6"}})
        stages = [StageInfo(0, 0, "count", 5000, [RDDInfo(0, "r", 5000, None, [], "", "parallelize")], [])]
        start = time.monotonic()
        run_job(bus, 0, stages, 5000, cell.group_id)
        bus.post(SparkletTaskOutput(0, 3, 3, "1", "stdout", "hello\nworld\n", {"spark.jobGroup.id": cell.group_id}))
        assert bus.waitUntilEmpty()
        elapsed = time.monotonic() - start
        live.end_cell(other)
        live.end_cell(cell)
    finally:
        live.stop()
        bus.stop()
    msgs = [m for m in out.messages if m[3] == cell.display_id]
    assert all(m[1]["header"]["msg_id"] == "m5" for m in out.messages)
    assert not msgs[0][4] and all(m[4] for m in msgs[1:])  # created once, then updated in place
    assert len(msgs) <= elapsed / 0.1 + 3
    final = msgs[-1][2][progress.MIME_TYPE]["jobs"][0]
    assert final["numCompletedTasks"] == 5000 and final["status"] == "succeeded"
    assert "(5000 + 0) / 5000]" in msgs[-1][2]["text/plain"]
    output = [m for m in out.messages if m[3] == cell.output_display_id][-1][2]["text/plain"]
    assert output.splitlines() == ["[stage 0, partition 3] hello", "[stage 0, partition 3] world"]


def test_job_without_group_belongs_to_the_running_cell():
    bus, store, out = LiveListenerBus(), SessionStore(), Recorder()
    bus.addListener(store)
    live = LiveDisplay(out, interval=0.05)
    live.watch(store)
    try:
        live.end_cell(live.begin_cell(1, {"header": {"msg_id": "m1"}}))
        time.sleep(0.01)
        cell = live.begin_cell(2, {"header": {"msg_id": "m2"}})
        run_job(bus, 0, word_count_stages(), 2, "someone-elses-group")
        assert bus.waitUntilEmpty()
        live.end_cell(cell)
    finally:
        live.stop()
        bus.stop()
    assert out.messages and all(m[1]["header"]["msg_id"] == "m2" for m in out.messages)


def test_task_output_is_rate_limited_with_a_summary():
    bus, store, out = LiveListenerBus(), SessionStore(), Recorder()
    bus.addListener(store)
    live = LiveDisplay(out, max_output_lines=10)
    live.watch(store)
    try:
        cell = live.begin_cell(1, {"header": {"msg_id": "m1"}})
        for i in range(25):
            bus.post(SparkletTaskOutput(1, i, i, "0", "stdout", "line %d" % i, {"spark.jobGroup.id": cell.group_id}))
        assert bus.waitUntilEmpty()
        live.end_cell(cell)
    finally:
        live.stop()
        bus.stop()
    text = out.messages[-1][2]["text/plain"].splitlines()
    assert len(text) == 11 and text[-1].startswith("... 15 more lines of task output not shown")
    assert len(live.task_log) == 25


def test_html_is_self_contained():
    bus, store = LiveListenerBus(), SessionStore()
    bus.addListener(store)
    run_job(bus, 0, word_count_stages(), 2, "g")
    assert bus.waitUntilEmpty()
    bus.stop()
    job = store.job_json(0)
    job["dag"] = dag_model(word_count_stages())
    html = progress.render_html({"jobs": [job], "hiddenJobs": 0})
    assert "<script" not in html and "<style" not in html and "<link" not in html
    assert re.search(r'class="sparklet-job-row" data-job-id="0" data-status="succeeded"', html)
    assert html.count('class="sparklet-stage-row"') == 2 and "<details" in html and "<svg" in html


def test_timeline_gives_tasks_that_overlap_on_one_executor_lanes_of_their_own():
    # (stageId, taskId, partition, attempt, executorId, launch, finish, status): local mode's one
    # executor runs two tasks at a time; single-task executors keep one lane each
    spans = [(0, 0, 0, 0, "driver", 0, 50, "SUCCESS"), (0, 1, 1, 0, "driver", 5, 20, "SUCCESS"),
             (0, 2, 2, 0, "driver", 20, 40, "SUCCESS"), (0, 3, 3, 0, "driver", 50, 60, "SUCCESS"),
             (1, 4, 0, 0, "1", 0, 10, "SUCCESS"), (1, 5, 1, 0, "1", 10, 30, "SUCCESS")]
    assert task_slots(spans) == {0: ("driver", 0), 1: ("driver", 1), 2: ("driver", 1), 3: ("driver", 0),
                                 4: ("1", 0), 5: ("1", 0)}
    # Spark records a task's end once the driver has its result: the executor may have started the
    # next task on that core a few ms earlier, and a 2-core executor still has 2 lanes
    late_ends = [(0, 0, 0, 0, "driver", 0, 52, "SUCCESS"), (0, 1, 1, 0, "driver", 1, 30, "SUCCESS"),
                 (0, 2, 2, 0, "driver", 28, 60, "SUCCESS"), (0, 3, 3, 0, "driver", 50, 70, "SUCCESS")]
    assert task_slots(late_ends, {"driver": 2}) == {0: ("driver", 0), 1: ("driver", 1), 2: ("driver", 1),
                                                    3: ("driver", 0)}
    assert len(set(task_slots(late_ends).values())) == 3  # without the core count, one lane too many


def test_timeline_reads_in_the_job_displays_units_on_any_theme():
    import io

    from matplotlib.image import imread

    from sparklet_kernel.timeline import timeline_bundle
    spans = [(0, i, i, 0, str(i % 2), 1000 + 120 * (i // 2), 1100 + 120 * (i // 2), "SUCCESS") for i in range(8)]
    spans.append((1, 8, 0, 0, "0", 1600, 3100, "SUCCESS"))
    first, second = (timeline_bundle(spans, "Job 3: collect at <cell 2>:1") for _ in range(2))
    svg = first["text/html"]
    ticks = re.findall(r">\s*([^<>]*\d[^<>]*)\s*</text>", svg)
    assert "500 ms" in ticks and "1.0 s" in ticks and not [t for t in ticks if re.search(r"\d\.\d{2}", t)], ticks
    assert "currentColor" in svg and "#ffffff" not in svg.lower()  # takes the page's colours
    ids = [set(re.findall(r' id="([^"]+)"', b["text/html"])) for b in (first, second)]
    assert not ids[0] & ids[1] and set(re.findall(r"url\(#([^)]+)\)", svg)) <= ids[0]
    assert imread(io.BytesIO(first["image/png"]))[0, 0, 3] == 0  # transparent background
