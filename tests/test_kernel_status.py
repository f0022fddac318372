"""The kernel's views of the status store in a real kernel, in every state: a running job keeps the
kernel Busy while the panel asks for snapshots, killed tasks are killed, cached sizes are the
serialized bytes, a cell's job group ends with the cell, a stopped context says so (and its RDDs
fail in one screen), and the panel keeps updating across 20 `%%configure -f`."""

import time

import pytest

from kernel_harness import JOBS_MIME, comm_data, execute, job_displays, result_text, running_kernel, stream_text

pytestmark = pytest.mark.timeout(400)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with running_kernel(tmp_path_factory.mktemp("sparklet-status-kernel")) as (km, kc):
        yield km, kc


def control(kc, action, **fields):
    msg = kc.session.msg("sparklet_request", dict(fields, action=action))
    kc.control_channel.send(msg)
    while True:
        reply = kc.control_channel.get_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply["content"]


def last_job_of_cell(msgs):
    return job_displays(msgs)[-1][2][JOBS_MIME]["jobs"][-1]


def test_kernel_stays_busy_while_the_panel_asks_for_snapshots(kernel):
    km, kc = kernel
    cell = kc.execute("import time\nsc.parallelize([1, 2], 2).map(lambda x: time.sleep(2) or x).sum()")
    requests, statuses = [], []  # statuses: (state, parent msg_id) in the order published
    cell_idle = False
    deadline = time.monotonic() + 60
    while not cell_idle and time.monotonic() < deadline:
        if ("busy", cell) in statuses and len(requests) < 10:
            msg = kc.session.msg("sparklet_request", {"action": "snapshot"})
            kc.control_channel.send(msg)
            requests.append(msg["header"]["msg_id"])
            assert kc.control_channel.get_msg(timeout=10)["content"]["status"] == "ok"
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except Exception:
            continue
        if m["msg_type"] == "status":
            parent = m["parent_header"].get("msg_id")
            statuses.append((m["content"]["execution_state"], parent))
            cell_idle = parent == cell and m["content"]["execution_state"] == "idle"
    assert cell_idle and len(requests) == 10
    cell_busy = statuses.index(("busy", cell))
    during = statuses[cell_busy:-1]
    # JupyterLab shows the last status published: nothing may say idle before the cell's own idle
    assert not [s for s in during if s[0] == "idle" and s[1] not in requests], statuses
    first_control_idle = min(i for i, s in enumerate(statuses) if s[0] == "idle" and s[1] in requests)
    assert first_control_idle >= len(statuses) - 1 - len(requests), statuses
    # every request still got its idle, once the cell was done
    idled = {p for s, p in statuses if s == "idle"}
    assert set(requests) <= idled
    kc.get_shell_msg(timeout=10)


def test_killed_tasks_are_killed_in_the_cell_display_and_the_panel(kernel, tmp_path):
    km, kc = kernel
    # partition 0 fails once partition 1 runs; partition 1 is killed
    code = ("import os, time\n"
            "flag = %r\n"
            "def task(it):\n"
            "    items = list(it)\n"
            "    if items[0] == 0:\n"
            "        deadline = time.monotonic() + 60\n"
            "        while not os.path.exists(flag) and time.monotonic() < deadline:\n"
            "            time.sleep(0.02)\n"
            "        raise ValueError('boom')\n"
            "    open(flag, 'w').close()\n"
            "    time.sleep(20)\n"
            "    return items\n"
            "sc.parallelize([0, 1], 2).mapPartitions(task).collect()") % str(tmp_path / "sibling-started")
    reply, msgs = execute(kc, code)
    assert reply["status"] == "error"
    deadline = time.monotonic() + 10
    while True:
        job = control(kc, "snapshot")["snapshot"]["jobs"][-1]
        if job["numKilledTasks"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (job["status"], job["numFailedTasks"], job["numKilledTasks"]) == ("failed", 1, 1)
    executors = control(kc, "snapshot")["snapshot"]["executors"]
    assert sum(e["failedTasks"] for e in executors) == 1 and sum(e["killedTasks"] for e in executors) == 1
    spans = control(kc, "job", jobId=job["jobId"])["spans"]
    assert sorted(s[6] for s in spans) == ["FAILED", "KILLED"]
    # the task table's error column: the exception of the failed attempt, the kill's reason
    errors = {s[6]: s[7] for s in spans}
    assert errors["FAILED"] == "ValueError: boom"
    assert errors["KILLED"].startswith("TaskKilled(")


def test_running_task_attempts_are_in_the_panels_job_view(kernel, tmp_path):
    km, kc = kernel
    release = tmp_path / "release"
    msg_id = kc.execute("import os, time\n"
                        "def wait(it):\n"
                        "    while not os.path.exists(%r):\n"
                        "        time.sleep(0.02)\n"
                        "    return it\n"
                        "sc.parallelize(range(2), 2).mapPartitions(wait).count()" % str(release))
    try:
        deadline = time.monotonic() + 60
        running = []
        while len(running) < 2 and time.monotonic() < deadline:
            jobs = [j for j in control(kc, "snapshot")["snapshot"]["jobs"] if j["status"] == "running"]
            running = control(kc, "job", jobId=jobs[-1]["jobId"])["running"] if jobs else []
            time.sleep(0.1)
        # [stageId, partition, attempt, executorId, launchTime] of each attempt still running
        assert sorted(r[1] for r in running) == [0, 1] and {r[2] for r in running} == {0}
        assert all(r[4] > 0 for r in running)
    finally:
        release.touch()
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
    assert reply["content"]["status"] == "ok"
    job = control(kc, "snapshot")["snapshot"]["jobs"][-1]
    assert control(kc, "job", jobId=job["jobId"])["running"] == []


def test_cached_text_reports_its_serialized_size(kernel, tmp_path):
    km, kc = kernel
    # the persistence lesson: a text file cached with cache() (MEMORY_ONLY, "Memory Serialized")
    path = tmp_path / "text.txt"
    path.write_text("".join("line %d: %s\n" % (i, "some words of text " * 3) for i in range(90000)))
    size = path.stat().st_size
    assert size > 6_000_000
    reply, msgs = execute(kc, "lines = sc.textFile(%r).cache()\nlines.count()" % str(path))
    assert result_text(msgs) == "90000", reply
    [entry] = [e for e in control(kc, "snapshot")["snapshot"]["storage"]]
    assert entry["storageLevel"] == "Memory Serialized 1x Replicated" and entry["sizeKind"] == "serialized"
    assert size * 0.8 < entry["memSize"] < size * 1.3, (entry, size)
    assert entry["name"].startswith("textFile at <cell")
    reply, msgs = execute(kc, "%%info")
    assert "MiB" in stream_text(msgs) or "MB" in stream_text(msgs)
    execute(kc, "lines.unpersist()")


def test_a_cells_job_group_does_not_label_the_next_cells_jobs(kernel):
    km, kc = kernel
    reply, msgs = execute(kc, 'sc.setJobGroup("top", "top with takeOrdered")\n'
                              "sc.parallelize(range(10), 2).takeOrdered(3)")
    job = last_job_of_cell(msgs)
    assert (job["groupId"], job["description"]) == ("top", "top with takeOrdered")
    reply, msgs = execute(kc, "sc.parallelize(range(10), 2).map(lambda x: x * 2).count()")
    job = last_job_of_cell(msgs)
    assert job["groupId"].startswith("sparklet-cell-") and job["description"].startswith("count at <cell")
    # asked for: the group stays for the next cells until cleared
    execute(kc, 'sc.setLocalProperty("spark.sparklet.keepJobGroup", "true")\n'
                'sc.setJobGroup("kept", "a kept group")')
    reply, msgs = execute(kc, "sc.parallelize(range(4)).count()")
    assert last_job_of_cell(msgs)["groupId"] == "kept"
    execute(kc, 'sc.clearJobGroup()\nsc.setLocalProperty("spark.sparklet.keepJobGroup", None)')
    reply, msgs = execute(kc, "sc.parallelize(range(4)).count()")
    assert last_job_of_cell(msgs)["groupId"].startswith("sparklet-cell-")


def test_stopped_context_says_so_and_a_new_one_becomes_current(kernel):
    km, kc = kernel
    reply, msgs = execute(kc, "old = sc.parallelize(range(8), 2).map(lambda x: x + 1)\nold.count()\nsc.stop()")
    assert reply["status"] == "ok"
    snap = control(kc, "snapshot")["snapshot"]
    assert snap["session"]["contextActive"] is False and snap["session"]["state"] == "stopped"
    assert snap["application"]["state"] == "stopped"
    assert snap["executors"] and not [e for e in snap["executors"] if e["isActive"]]
    reply, msgs = execute(kc, "old.count()")
    assert reply["status"] == "error" and reply["ename"] == "StoppedContextError"
    [error] = [m for m in msgs if m["msg_type"] == "error"]
    text = "\n".join(error["content"]["traceback"])
    assert len(text.splitlines()) <= 8, text
    assert "Cannot call methods on a stopped SparkContext" in text and "old.count()" in text
    assert "sparklet/" not in text
    reply, msgs = execute(kc, "from pyspark import SparkContext\nsc = SparkContext.getOrCreate()\n"
                              "print(sc.applicationId)\nsc.parallelize(range(3)).count()")
    app_id = [line for line in stream_text(msgs).splitlines() if line.startswith("local-")][0]
    snap = control(kc, "snapshot")["snapshot"]
    assert snap["session"]["state"] == "live" and snap["session"]["applicationId"] == app_id
    assert snap["application"]["appId"] == app_id and snap["application"]["state"] == "live"
    assert [e for e in snap["executors"] if e["isActive"]]
    assert snap["jobs"][-1]["status"] == "succeeded" and snap["jobs"][-1]["jobId"] == 0


def test_panel_keeps_updating_across_twenty_forced_configures(kernel):
    km, kc = kernel
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": "panel-cfg", "target_name": "sparklet.session",
                                                       "data": {}}))
    assert comm_data(kc, "panel-cfg", 5, until=lambda d: d["type"] == "snapshot")
    for round_ in range(20):
        # back to back, as a user retrying settings does: the replaced stores are freed at once
        reply, msgs = execute(kc, "%%configure -f\n" + '{"master": "local[1]", "name": "cfg-%d"}' % round_)
        assert reply["status"] == "ok", reply
        # what Python's cyclic collector does on its own sooner or later: the replaced context's
        # store is freed, and a new object may get its id()
        execute(kc, "import gc; gc.collect()")
        if round_ % 5 != 4:
            continue
        # a job of the new context, quick enough to end before any once-a-second tick: only the
        # store's own change notifications can bring its final state to the panel
        reply, msgs = execute(kc, "print(sc.applicationId)\nsc.parallelize([1, 2]).count()")
        app_id = stream_text(msgs).split()[0]
        pushed = [m["content"]["data"] for m in msgs
                  if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == "panel-cfg"]

        def shows_job(d):
            snap = d["snapshot"]
            return (snap["application"].get("appId") == app_id and snap["session"]["appName"] == "cfg-%d" % round_
                    and snap["jobs"] and snap["jobs"][-1]["status"] == "succeeded")

        if not any(shows_job(d) for d in pushed):
            pushed += comm_data(kc, "panel-cfg", 5, until=shows_job)
        assert any(shows_job(d) for d in pushed), "after %d configures the panel stopped updating" % (round_ + 1)


def test_panel_channel_follows_each_new_store_and_leaves_the_old_one():
    """The channel holds the store it watches, not its id(): a freed store's id() may be given to
    the next one, and a set of seen ids would then leave the new store unwatched."""
    from types import SimpleNamespace

    from sparklet.appstatus import AppStatusStore
    from sparklet_kernel.panel import SessionChannel
    from sparklet_kernel.state import SessionStore

    session = SimpleNamespace(store=SessionStore(status=AppStatusStore()), context_listeners=[])
    channel = SessionChannel(session, kernel=None)
    stores = [session.store]
    for _ in range(20):
        session.store = SessionStore(status=AppStatusStore())
        stores.append(session.store)
        for listener in session.context_listeners:
            listener(None)
    for old in stores[:-1]:
        assert channel._on_store_change not in old.status._subscribers
    assert stores[-1].status._subscribers.count(channel._on_store_change) == 1
    channel._wake.clear()
    stores[-1].onApplicationStart(SimpleNamespace(appName="a", appId="b", master="local", sparkUser="u", time=1))
    assert channel._wake.is_set()
    assert len({s.storeId for s in stores}) == len(stores)
