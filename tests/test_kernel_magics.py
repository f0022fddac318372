"""sparkmagic-style session magics through the real kernel, including bad input."""

import pytest

from kernel_harness import execute, job_displays, result_text, running_kernel, stream_text

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def kc(tmp_path_factory):
    with running_kernel(tmp_path_factory.mktemp("sparklet-magics")) as (km, kc):
        yield kc


def test_configure_recreates_the_context_and_guards_jobs(kc):
    reply, msgs = execute(kc, '%%configure\n{"name": "class-1", "numExecutors": 1, "conf": {"spark.task.maxFailures": "2"}}')
    assert reply["status"] == "ok", reply
    assert "replaces it" in stream_text(msgs)
    reply, msgs = execute(kc, "sc.appName, sc.master, sc.getConf().get('spark.task.maxFailures')")
    assert result_text(msgs) == "('class-1', 'local[1]', '2')"
    execute(kc, "sc.parallelize(range(3)).count()")
    reply, msgs = execute(kc, '%%configure\n{"name": "class-2"}')
    assert reply["status"] == "error" and "-f" in reply["evalue"]
    reply, msgs = execute(kc, '%%configure -f\n{"name": "class-2", "master": "local[2]"}')
    assert reply["status"] == "ok", reply
    reply, msgs = execute(kc, "sc.appName, sc.master")
    assert result_text(msgs) == "('class-2', 'local[2]')"


@pytest.mark.parametrize("line, cell, message", [
    ("", "{not json", "not valid JSON"),
    ("", '["a"]', "JSON object"),
    ("-f", '{"driverMemroy": "1g"}', "unknown key driverMemroy"),
    ("", '{"backend": "flink"}', "backend 'flink' is not available"),
    ("-x", "{}", "unknown option -x"),
    ("-f", '{"numExecutors": "two"}', "must be integers"),
])
def test_configure_rejects_bad_input(kc, line, cell, message):
    reply, msgs = execute(kc, "%%%%configure %s\n%s" % (line, cell))
    assert reply["status"] == "error" and message in reply["evalue"], reply


def test_info_logs_local_help_and_cleanup(kc):
    execute(kc, "cached = sc.parallelize(range(8), 2).cache(); cached.count()\n"
                "sc.parallelize(['hello'], 1).foreach(print)")
    reply, msgs = execute(kc, "%info")
    info = stream_text(msgs)
    assert "Master: local[" in info and "Executors:" in info and "RDD 0" in info and "2 partitions" in info
    reply, msgs = execute(kc, "%logs")
    assert "[stage" in stream_text(msgs) and "hello" in stream_text(msgs)
    reply, msgs = execute(kc, "%%local\nsc.parallelize(range(4)).sum()")
    assert result_text(msgs) == "6" and not job_displays(msgs)
    reply, msgs = execute(kc, "%help")
    assert "%%configure" in stream_text(msgs) and "%spark dag RDD" in stream_text(msgs)
    reply, msgs = execute(kc, "%cleanup")
    assert "Stopped SparkContext" in stream_text(msgs)
    reply, msgs = execute(kc, "'sc' in globals()")
    assert result_text(msgs) == "False"
    reply, msgs = execute(kc, "%info")
    assert "No active SparkContext" in stream_text(msgs)
    reply, msgs = execute(kc, '%%configure\n{"name": "again"}')
    reply, msgs = execute(kc, "sc.parallelize(range(4)).sum()")
    assert result_text(msgs) == "6"


def test_spark_progress_modes(kc):
    execute(kc, "%spark progress text")
    reply, msgs = execute(kc, "sc.parallelize(range(4)).sum()")
    data = [m["content"]["data"] for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
    assert data and all(list(d) == ["text/plain"] for d in data)
    execute(kc, "%spark progress off")
    reply, msgs = execute(kc, "sc.parallelize(range(4)).sum()")
    assert not [m for m in msgs if m["msg_type"] in ("display_data", "update_display_data")]
    reply, msgs = execute(kc, "%spark progress loud")
    assert reply["status"] == "error" and "invalid choice" in reply["evalue"]
    execute(kc, "%spark progress on")
