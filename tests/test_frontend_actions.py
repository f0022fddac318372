"""The lab extension's requests beyond the live session's (sparklet_kernel.frontend_actions),
through the panel channel's handler as the control channel calls it: an event log replayed for
the panel (a snapshot of the application, then one job's details), bad paths, and the notebook's
language for the strings the kernel renders."""

import pytest

from sparklet import SparkConf, SparkContext
from sparklet_kernel import frontend_actions, i18n
from sparklet_kernel.panel import SessionChannel

pytestmark = pytest.mark.usefixtures("own_contexts")


class _Session:
    """What SessionChannel reads of a session when it answers requests about no live context."""
    store = None
    context_listeners = []

    def active_context(self):
        return None


@pytest.fixture(scope="module")
def log_path(tmp_path_factory):
    d = tmp_path_factory.mktemp("events")
    conf = SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", str(d))
    sc = SparkContext("local[2]", "replayed-in-the-panel", conf=conf)
    try:
        pairs = sc.parallelize(range(40), 4).map(lambda x: (x % 3, x)).reduceByKey(lambda a, b: a + b)
        pairs.count()
        pairs.collect()
    finally:
        sc.stop()
    (name,) = [p.name for p in d.iterdir()]
    return str(d / name)


handle = frontend_actions.handle


def test_the_panel_channel_answers_them(log_path):
    channel = SessionChannel(_Session(), kernel=None)
    assert channel.handle({"action": "history", "path": log_path})["status"] == "ok"


def test_history_gives_the_replayed_application_as_a_snapshot(log_path):
    reply = handle({"action": "history", "path": log_path})
    assert reply["status"] == "ok"
    snap = reply["snapshot"]
    assert snap["session"]["replay"] == log_path and snap["session"]["contextActive"] is False
    assert snap["session"]["appName"] == "replayed-in-the-panel"
    jobs = snap["jobs"]
    assert [(j["jobId"], j["status"], j["numSkippedStages"]) for j in jobs] == [(0, "succeeded", 0), (1, "succeeded", 1)]
    assert jobs[0]["stages"][0]["shuffleWriteRecords"] > 0
    assert len(snap["executors"]) == 2


def test_history_job_gives_a_replayed_jobs_dag_and_task_spans(log_path):
    reply = handle({"action": "history_job", "path": log_path, "jobId": 0})
    assert reply["status"] == "ok"
    assert reply["totalTasks"] == 8 and len(reply["spans"]) == 8
    assert {s[6] for s in reply["spans"]} == {"SUCCESS"}
    assert {n["scope"] for n in reply["job"]["dag"]["nodes"]} >= {"parallelize", "reduceByKey"}
    missing = handle({"action": "history_job", "path": log_path, "jobId": 7})
    assert missing["status"] == "error" and missing["evalue"] == "no job 7 in %s" % log_path


def test_history_of_a_bad_path_says_what_is_wrong(tmp_path):
    reply = handle({"action": "history", "path": str(tmp_path / "nothing-here")})
    assert reply["status"] == "error" and "nothing-here" in reply["evalue"]
    assert handle({"action": "history_job", "path": "", "jobId": 0})["ename"] == "ValueError"


def test_language_request_sets_the_kernels_strings():
    try:
        assert handle({"action": "language", "language": "ko-KR"}) == {"status": "ok", "language": "ko"}
        assert i18n._("Shuffle write") == "셔플 쓰기"
        assert handle({"action": "language", "language": 3})["ename"] == "ValueError"
    finally:
        handle({"action": "language", "language": None})
    assert i18n._("Shuffle write") == "Shuffle write"
