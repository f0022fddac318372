"""`sparklet livy` over raw HTTP: Livy's status codes and JSON, the REPL rules of its PySpark
sessions, bad input, access control, 8 sessions at once, dead sessions, heartbeat expiry and
what is left after the server stops (nothing)."""

import base64
import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time

import psutil
import pytest

from livy_harness import Livy, livy_server, server_env, start_server, stop_server

pytestmark = pytest.mark.timeout(300)

SESSION_STATES = {"not_started", "starting", "idle", "busy", "error", "dead", "success", "shutting_down",
                  "running", "killed", "recovering"}


@pytest.fixture(scope="module")
def livy():
    with livy_server("--master", "local[2]") as (client, proc):
        client.proc = proc
        yield client


@pytest.fixture(scope="module")
def sid(livy):
    return livy.create()


def driver_tree(livy, sid):
    """The session's driver process and its children (the executors)."""
    pid = int(livy.text(sid, "import os; os.getpid()"))
    driver = psutil.Process(pid)
    return [driver] + driver.children(recursive=True)


def wait_gone(procs, timeout=15):
    gone, alive = psutil.wait_procs(procs, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


# -- the protocol ---------------------------------------------------------------------------------

def test_session_and_statement_lifecycle_with_livy_status_codes(livy):
    started = time.monotonic()
    status, session, headers = livy.request("POST", "/sessions", {"kind": "pyspark", "heartbeatTimeoutInSecond": 60})
    assert status == 201 and headers["Location"] == "/sessions/%d" % session["id"]
    for key in ("id", "kind", "state", "log", "appId", "appInfo", "owner", "proxyUser"):
        assert key in session
    assert session["kind"] == "pyspark" and isinstance(session["log"], list)
    sid = session["id"]
    idle = livy.wait_state(sid, "idle")
    # idle within a second (0.6 s measured); the bound leaves room for a loaded CI machine
    assert time.monotonic() - started < 2.0
    assert idle["appId"].startswith("local-") and idle["appInfo"]["sparkUiUrl"].startswith("http://")
    assert any("SparkContext(master='local[2]'" in line for line in idle["log"])

    listed = livy.ok("GET", "/sessions")
    assert {"id": sid, "kind": "pyspark"}.items() <= next(s for s in listed["sessions"] if s["id"] == sid).items()
    assert listed["total"] == len(listed["sessions"])
    assert livy.ok("GET", "/sessions/%d/state" % sid) == {"id": sid, "state": "idle"}

    status, st, headers = livy.request("POST", "/sessions/%d/statements" % sid, {"code": "sc.parallelize(range(100)).sum()"})
    assert status == 201 and st["state"] in ("waiting", "running", "available")
    assert headers["Location"] == "/sessions/%d/statements/%d" % (sid, st["id"])
    done = livy.wait_statement(sid, st["id"])
    assert done["state"] == "available" and done["progress"] == 1.0 and done["code"] == "sc.parallelize(range(100)).sum()"
    assert done["output"] == {"status": "ok", "execution_count": 1, "data": {"text/plain": "4950"}}
    assert done["completed"] >= done["started"] > 0
    assert livy.ok("GET", "/sessions/%d/statements" % sid)["total_statements"] == 1
    assert livy.ok("POST", "/sessions/%d/statements/%d/cancel" % (sid, st["id"]), {}) == {"msg": "canceled"}
    log = livy.ok("GET", "/sessions/%d/log?from=0" % sid)
    assert log["id"] == sid and log["from"] == 0 and any("started in" in line for line in log["log"])
    assert livy.ok("GET", "/sessions/%d/log?from=1&size=1" % sid)["log"] == log["log"][1:2]

    assert livy.ok("DELETE", "/sessions/%d" % sid) == {"msg": "deleted"}
    assert livy.request("GET", "/sessions/%d" % sid)[0] == 404
    assert livy.request("DELETE", "/sessions/%d" % sid)[0] == 404


def test_repl_echoes_the_last_expression_and_keeps_the_namespace(livy, sid):
    assert livy.text(sid, "x = 21\nx * 2") == "42"
    assert livy.text(sid, "x") == "21"
    assert livy.text(sid, "None") == ""
    assert livy.text(sid, "def f(v):\n    return v + x\nf(1)") == "22"
    assert livy.text(sid, "import sys\nprint('out')\nprint('err', file=sys.stderr)") == "out\nerr"
    assert livy.text(sid, "for i in range(3): i") == "0\n1\n2"
    # closures defined in the namespace travel to executors by value
    assert livy.text(sid, "sc.parallelize([1, 2, 3]).map(f).collect()") == "[22, 23, 24]"
    assert livy.text(sid, "type(sc).__module__, sc.master") == "('sparklet.context', 'local[2]')"


def test_user_errors_are_error_outputs_with_the_exception_in_the_traceback(livy, sid):
    out = livy.run(sid, "def g():\n    return 1 / 0\ng()")
    assert out["status"] == "error" and out["ename"] == "ZeroDivisionError" and out["evalue"] == "division by zero"
    assert out["traceback"][0] == "Traceback (most recent call last):\n"
    assert out["traceback"][-1] == "ZeroDivisionError: division by zero\n"
    assert not any("driver.py" in line for line in out["traceback"])
    syntax = livy.run(sid, "1 +")
    assert syntax["status"] == "error" and syntax["ename"] == "SyntaxError"
    assert syntax["traceback"][-1].startswith("SyntaxError")
    task = livy.run(sid, "sc.parallelize([1, 0], 2).map(lambda v: 1 // v).collect()")
    assert task["status"] == "error" and "ZeroDivisionError" in "".join(task["traceback"])
    # the session is idle again right after, and usable
    assert livy.ok("GET", "/sessions/%d" % sid)["state"] == "idle"
    assert livy.text(sid, "1 + 1") == "2"


def test_livy_magics_give_json_and_png_outputs(livy, sid):
    out = livy.run(sid, "d = {'a': [1, 2], 'b': None}\n%json d")
    assert out["status"] == "ok" and out["data"]["application/json"] == {"a": [1, 2], "b": None}
    table = livy.run(sid, "rows = [{'k': 'x', 'v': 1}, {'k': 'y', 'v': 2}]\n%table rows")
    assert table["data"]["application/vnd.livy.table.v1+json"] == {
        "headers": [{"name": "k", "type": "STRING_TYPE"}, {"name": "v", "type": "BIGINT_TYPE"}],
        "data": [["x", 1], ["y", 2]]}
    png = livy.run(sid, "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\n%matplot plt")
    assert png["status"] == "ok" and png["data"]["text/plain"] == ""
    assert base64.b64decode(png["data"]["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert livy.run(sid, "%nosuch x")["status"] == "error"


def test_sparkmagic_sql_fetch_prints_only_json_lines_or_fails_clearly(livy, sid):
    code = ('import sys\nfor yQe in spark.sql(u"""SELECT 1 AS a, \'x\' AS b """).toJSON('
            'use_unicode=(sys.version_info.major > 2)).take(2500): print(yQe)')
    out = livy.run(sid, code)
    sql_available = livy.text(sid, "import importlib.util\nimportlib.util.find_spec('sparklet.sql') is not None")
    if sql_available == "True":
        assert out["status"] == "ok", out
        assert [json.loads(line) for line in out["data"]["text/plain"].split("\n")] == [{"a": 1, "b": "x"}]
    else:
        assert out["status"] == "error" and "Spark SQL layer could not be loaded" in out["evalue"]
        assert "RuntimeError" in out["traceback"][-1]


def test_session_body_fields_become_the_context_settings(livy, tmp_path):
    helper = tmp_path / "course_helpers.py"
    helper.write_text("def triple(v):\n    return 3 * v\n")
    data = tmp_path / "lookup.txt"
    data.write_text("from a shipped file")
    sid = livy.create({"kind": "pyspark", "name": "course-42", "numExecutors": "3", "executorCores": 1,
                       "pyFiles": [str(helper)], "files": [str(data)], "jars": ["/opt/x.jar"],
                       "executorMemory": "512m", "conf": {"spark.sparkmagic.check": "yes", "spark.task.maxFailures": 2},
                       "queue": "default", "someFutureField": {"x": 1}, "heartbeatTimeoutInSecond": 60})
    try:
        assert livy.text(sid, "sc.appName, sc.master, sc.getConf().get('spark.sparkmagic.check')") == \
            "('course-42', 'local[3]', 'yes')"
        assert livy.text(sid, "sc.getConf().get('spark.executor.memory'), sc.getConf().get('spark.task.maxFailures')") \
            == "('512m', '2')"
        assert livy.ok("GET", "/sessions/%d" % sid)["name"] == "course-42"
        # pyFiles and files reach the executors; jars are noted in the log
        assert livy.text(sid, "import course_helpers\nsc.parallelize([1, 2], 2).map(course_helpers.triple).collect()") \
            == "[3, 6]"
        assert livy.text(sid, "from pyspark import SparkFiles\n"
                              "sc.parallelize([0], 1).map(lambda _: open(SparkFiles.get('lookup.txt')).read()).first()") \
            == "'from a shipped file'"
        assert any("spark.jars ignored" in line for line in livy.ok("GET", "/sessions/%d/log" % sid)["log"])
    finally:
        livy.ok("DELETE", "/sessions/%d" % sid)


# -- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path,raw,status", [
    ("POST", "/sessions", b"{not json", 400),
    ("POST", "/sessions", b"[1, 2]", 400),
    ("POST", "/sessions", b'{"kind": "spark"}', 400),
    ("POST", "/sessions", b'{"executorCores": "two"}', 400),
    ("POST", "/sessions", b'{"conf": {"a": {"b": 1}}}', 400),
    ("POST", "/sessions", b'{"heartbeatTimeoutInSecond": -1}', 400),
    ("POST", "/sessions", b'{"executorMemory": "lots"}', 400),
    ("POST", "/sessions", b"\xff\xfe", 400),
    ("POST", "/sessions/{sid}/statements", b"{}", 400),
    ("POST", "/sessions/{sid}/statements", b'{"code": 5}', 400),
    ("POST", "/sessions/{sid}/statements", b'{"code": "1", "kind": "sql"}', 400),
    ("POST", "/sessions/{sid}/statements", b"", 400),
    ("GET", "/sessions/{sid}/log?from=abc", None, 400),
    ("GET", "/sessions/999999", None, 404),
    ("GET", "/sessions/abc", None, 404),
    ("DELETE", "/sessions/999999", None, 404),
    ("POST", "/sessions/999999/statements", b'{"code": "1"}', 404),
    ("GET", "/sessions/{sid}/statements/999999", None, 404),
    ("GET", "/sessions/{sid}/statements/-1", None, 404),
    ("POST", "/sessions/{sid}/statements/999999/cancel", b"{}", 404),
    ("GET", "/sessions/999999/log", None, 404),
    ("GET", "/nowhere", None, 404),
    ("PUT", "/sessions", b"{}", 405),
    ("DELETE", "/sessions", None, 405),
    ("PATCH", "/sessions/{sid}", b"{}", 405),
    ("GET", "/sessions/{sid}/statements/0/cancel", None, 405),
    ("DELETE", "/sessions/{sid}/statements/0", None, 405),
])
def test_bad_requests_get_4xx_with_a_message(livy, sid, method, path, raw, status):
    got, body, headers = livy.request(method, path.format(sid=sid), raw=raw)
    assert got == status, body
    assert isinstance(body, dict) and body["msg"]
    if status == 405:
        assert headers["Allow"]


def test_limits_content_types_and_the_host_check(livy, sid):
    # a body past the limit is refused from its Content-Length, before it is read
    conn = http.client.HTTPConnection(livy.host, livy.port, timeout=30)
    conn.putrequest("POST", "/sessions/%d/statements" % sid)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(17 * 1024 * 1024))
    conn.endheaders(b'{"code": "')
    response = conn.getresponse()
    assert response.status == 413 and "at most" in json.loads(response.read())["msg"]
    conn.close()
    # a form a web page could post without a preflight is refused
    assert livy.request("POST", "/sessions", raw=b'{"kind": "pyspark"}', headers={"Content-Type": "text/plain"})[0] == 415
    # DNS rebinding: a name that is not loopback in Host
    status, body, _ = livy.request("GET", "/sessions", headers={"Host": "attacker.example:8998"})
    assert status == 403 and "loopback" in body["msg"]
    assert livy.request("GET", "/sessions", headers={"Host": "localhost:8998"})[0] == 200
    # the server is still fine after all that
    assert livy.text(sid, "2 + 2") == "4"


def test_the_jobs_page_shows_the_sessions_jobs_stages_and_dag(livy, sid):
    livy.text(sid, "sc.parallelize(range(20), 4).map(lambda v: (v % 3, v)).reduceByKey(lambda a, b: a + b).count()")
    session = livy.ok("GET", "/sessions/%d" % sid)
    url = session["appInfo"]["sparkUiUrl"]
    path = url.split(str(livy.port), 1)[1]
    status, html, headers = livy.request("GET", path)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'class="sparklet-jobs"' in html and "sparklet-stage-row" in html and "<svg" in html
    assert "reduceByKey" in html and "shuffle map" in html
    status, log, _ = livy.request("GET", session["appInfo"]["driverLogUrl"].split(str(livy.port), 1)[1])
    assert status == 200 and "SparkContext(" in log


# -- cancel ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", [
    "import time\nsc.parallelize(range(2), 2).foreach(lambda v: time.sleep(60))",
    "while True:\n    pass",
])
def test_cancel_stops_a_running_statement_and_the_session_goes_on(livy, sid, code):
    stid = livy.submit(sid, code)
    deadline = time.monotonic() + 10
    while livy.ok("GET", "/sessions/%d/statements/%d" % (sid, stid))["state"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    assert livy.ok("GET", "/sessions/%d" % sid)["state"] == "busy"
    started = time.monotonic()
    livy.ok("POST", "/sessions/%d/statements/%d/cancel" % (sid, stid), {})
    st = livy.wait_statement(sid, stid, timeout=15)
    assert st["state"] == "cancelled" and time.monotonic() - started < 5
    assert livy.wait_state(sid, "idle", timeout=5)
    assert livy.text(sid, "sc.parallelize(range(10)).count()") == "10"


def test_statements_wait_their_turn_and_a_waiting_one_cancels_at_once(livy, sid):
    first = livy.submit(sid, "import time\ntime.sleep(1.5)\n'first'")
    second = livy.submit(sid, "'second'")
    third = livy.submit(sid, "'third'")
    assert livy.ok("GET", "/sessions/%d/statements/%d" % (sid, third))["state"] == "waiting"
    livy.ok("POST", "/sessions/%d/statements/%d/cancel" % (sid, second), {})
    assert livy.wait_statement(sid, second, timeout=1)["state"] == "cancelled"
    assert livy.wait_statement(sid, first)["output"]["data"]["text/plain"] == "'first'"
    assert livy.wait_statement(sid, third)["output"]["data"]["text/plain"] == "'third'"


def test_progress_is_the_fraction_of_the_statements_tasks_done(livy, sid):
    stid = livy.submit(sid, "import time\nsc.parallelize(range(4), 4).map(lambda v: time.sleep(0.6 * v)).count()")
    seen = []
    deadline = time.monotonic() + 30
    while True:
        st = livy.ok("GET", "/sessions/%d/statements/%d" % (sid, stid))
        assert isinstance(st["progress"], (int, float)) and 0 <= st["progress"] <= 1
        seen.append(st["progress"])
        if st["state"] in ("available", "error"):
            break
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert st["output"]["data"]["text/plain"] == "4"
    assert any(0 < p < 1 for p in seen), seen


# -- isolation and load ---------------------------------------------------------------------------

def test_eight_sessions_run_statements_at_once_without_cross_talk(livy):
    ids = [livy.create(wait=False) for _ in range(8)]
    try:
        for sid in ids:
            livy.wait_state(sid, "idle")
        for sid in ids:
            assert livy.text(sid, "secret = %d\nsecret" % (1000 + sid)) == str(1000 + sid)
        started = time.monotonic()
        statements = {sid: livy.submit(sid, "import time\ntime.sleep(1)\nsc.parallelize(range(secret)).sum() + secret")
                      for sid in ids}
        results = {}

        def collect(sid):
            results[sid] = livy.wait_statement(sid, statements[sid])["output"]

        threads = [threading.Thread(target=collect, args=(sid,)) for sid in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        elapsed = time.monotonic() - started
        for sid in ids:
            n = 1000 + sid
            assert results[sid]["data"]["text/plain"] == str(n * (n - 1) // 2 + n)
        assert elapsed < 8, "8 one-second statements took %.1f s: they did not run at once" % elapsed
        # one session's names are not another's, and the server's are not theirs
        for sid in ids:
            assert livy.text(sid, "secret, 'manager' in globals(), 'LivyServer' in repr(globals())") == \
                "(%d, False, False)" % (1000 + sid)
        pids = {sid: livy.text(sid, "import os; os.getpid()") for sid in ids}
        assert len(set(pids.values())) == 8 and str(os.getpid()) not in pids.values()
        # no debugger attaches to a driver and /proc shows no other user its memory (PR_GET_DUMPABLE is 3)
        assert livy.text(ids[0], "import ctypes\nctypes.CDLL(None).prctl(3, 0, 0, 0, 0)") == "0"
    finally:
        for sid in ids:
            livy.request("DELETE", "/sessions/%d" % sid)


def test_a_killed_or_exiting_session_becomes_dead_with_its_log_and_the_server_stays_up(livy):
    a, b, c = livy.create(), livy.create(), livy.create()
    try:
        procs = driver_tree(livy, a)
        os.kill(procs[0].pid, signal.SIGKILL)
        dead = livy.wait_state(a, "dead", timeout=10)
        assert any("SIGKILL" in line for line in dead["log"])
        assert not wait_gone(procs), "executors of the killed driver are left"
        assert livy.request("POST", "/sessions/%d/statements" % a, {"code": "1"})[0] == 400

        stid = livy.submit(b, "import os\nos._exit(3)")
        st = livy.wait_statement(b, stid, timeout=10)
        assert st["state"] == "error" and "exit code 3" in st["output"]["evalue"]
        assert livy.wait_state(b, "dead")["state"] == "dead"
        assert any("exit code 3" in line for line in livy.ok("GET", "/sessions/%d/log" % b)["log"])

        assert livy.text(c, "sc.parallelize(range(5)).count()") == "5"
        assert livy.ok("DELETE", "/sessions/%d" % a) == {"msg": "deleted"}
    finally:
        for sid in (a, b, c):
            livy.request("DELETE", "/sessions/%d" % sid)


def test_a_context_that_cannot_start_leaves_the_session_in_error_with_the_reason(livy, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    sid = livy.create({"kind": "pyspark", "conf": {"spark.local.dir": str(blocked / "sub")}}, wait=False)
    session = livy.wait_state(sid, "error", timeout=15)
    assert any("could not start" in line and "NotADirectoryError" in line for line in session["log"])
    status, body, _ = livy.request("POST", "/sessions/%d/statements" % sid, {"code": "1"})
    assert status == 400 and "error" in body["msg"]
    assert livy.ok("DELETE", "/sessions/%d" % sid) == {"msg": "deleted"}


def test_a_session_past_its_heartbeat_timeout_is_reaped_with_its_executors(livy):
    sid = livy.create({"kind": "pyspark", "heartbeatTimeoutInSecond": 2})
    procs = driver_tree(livy, sid)
    assert len(procs) >= 2
    for _ in range(6):  # GETs keep it alive
        time.sleep(0.5)
        livy.ok("GET", "/sessions/%d" % sid)
    deadline = time.monotonic() + 10
    while any(s["id"] == sid for s in livy.ok("GET", "/sessions")["sessions"]):  # listing is no heartbeat
        assert time.monotonic() < deadline, "the session was not reaped"
        time.sleep(0.2)
    assert livy.request("GET", "/sessions/%d" % sid)[0] == 404
    assert not wait_gone(procs)


# -- access ---------------------------------------------------------------------------------------

def test_binding_anything_but_the_default_loopback_needs_a_token():
    proc = subprocess.run([sys.executable, "-m", "sparklet_kernel.cli", "livy", "--host", "127.0.0.2", "--port", "0"],
                          capture_output=True, text=True, env=server_env(), timeout=30)
    assert proc.returncode == 1 and "needs a token" in proc.stderr


def test_a_token_is_required_with_bearer_or_basic_and_the_csrf_header_when_asked():
    with livy_server("--token", "s3cret", "--csrf", "--max-sessions", "1", host="127.0.0.2") as (anon, proc):
        assert anon.request("GET", "/sessions")[0] == 401
        assert anon.request("POST", "/sessions", {"kind": "pyspark"})[0] == 401
        wrong = Livy(anon.host, anon.port, {"Authorization": "Bearer nope"})
        assert wrong.request("GET", "/sessions")[0] == 401
        bearer = Livy(anon.host, anon.port, {"Authorization": "Bearer s3cret"})
        assert bearer.ok("GET", "/sessions")["sessions"] == []
        # CSRF: a write without X-Requested-By is refused as Livy does
        status, body, _ = bearer.request("POST", "/sessions", {"kind": "pyspark"})
        assert status == 400 and "CSRF" in body["msg"]
        basic = Livy(anon.host, anon.port, {"Authorization": "Basic " + base64.b64encode(b"ana:s3cret").decode(),
                                            "X-Requested-By": "sparkmagic"})
        sid = basic.create()
        assert basic.ok("GET", "/sessions/%d" % sid)["owner"] == "ana"
        assert basic.text(sid, "1 + 1") == "2"
        # --max-sessions 1
        status, body, _ = basic.request("POST", "/sessions", {"kind": "pyspark"})
        assert status == 400 and "--max-sessions" in body["msg"]
        # the jobs page takes its session's key instead of the token
        url = basic.ok("GET", "/sessions/%d" % sid)["appInfo"]["sparkUiUrl"]
        path = url.split(str(anon.port), 1)[1]
        assert anon.request("GET", path)[0] == 200
        assert anon.request("GET", path.split("?")[0] + "?key=guess")[0] == 401
        assert basic.ok("DELETE", "/sessions/%d" % sid) == {"msg": "deleted"}
        assert basic.create() == sid + 1


# -- stopping -------------------------------------------------------------------------------------

def _server_tree(client, n=2):
    ids = [client.create(wait=False) for _ in range(n)]
    procs = []
    for sid in ids:
        client.wait_state(sid, "idle")
        procs += driver_tree(client, sid)
    return procs


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_the_server_leaves_no_process(sig):
    proc, port = start_server("--master", "local[2]")
    try:
        procs = _server_tree(Livy("127.0.0.1", port))
        assert len(procs) == 6
        proc.send_signal(sig)
        # SIGKILL gives the server no chance: its sessions see their channel close and stop
        assert proc.wait(20) == (-signal.SIGKILL if sig == signal.SIGKILL else 0)
    finally:
        stop_server(proc)
    assert not wait_gone(procs, timeout=10)


def test_the_server_stops_with_its_parent():
    launcher = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time\n"
         "p = subprocess.Popen([sys.executable, '-m', 'sparklet_kernel.cli', 'livy', '--port', '0'], "
         "stderr=subprocess.PIPE)\nsys.stdout.write(p.stderr.readline().decode()); sys.stdout.write('%d\\n' % p.pid)\n"
         "sys.stdout.flush(); time.sleep(600)"],
        stdout=subprocess.PIPE, env=server_env())
    try:
        line = launcher.stdout.readline().decode()
        server = psutil.Process(int(launcher.stdout.readline()))
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        procs = _server_tree(Livy("127.0.0.1", port), n=1)
        launcher.kill()
        launcher.wait()
        assert not wait_gone([server] + procs, timeout=15)
    finally:
        launcher.kill()


@pytest.mark.parametrize("raw,status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nX: " + b"y" * 70000 + b"\r\n\r\n", 431),
    (b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n", 400),
    (b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ten\r\n\r\n", 400),
    (b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411),
    (b"POST /sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50\r\n"
     b"Connection: close\r\n\r\n{\"kind\"", 400),
    (b"GET /sessions HTTP/1.1\r\n\r\n", 403),
])
def test_malformed_http_gets_a_4xx_and_the_server_stays_up(livy, raw, status):
    import socket

    with socket.create_connection((livy.host, livy.port), timeout=30) as conn:
        conn.sendall(raw)
        if raw.endswith(b'{"kind"'):
            conn.shutdown(socket.SHUT_WR)  # the body ends before its Content-Length
        head = conn.recv(65536).split(b"\r\n", 1)[0]
    assert head.split()[1] == str(status).encode(), head
    assert livy.ok("GET", "/sessions")["total"] >= 0


def test_log_slices_follow_livys_from_and_size_rules():
    from sparklet_kernel.livy.sessions import LivySession

    session = LivySession(0, {"master": "local[1]", "conf": {}, "name": "x"}, {}, 0)
    for i in range(250):
        session._log_line("line %d" % i)
    assert session.log_slice() == (150, 250, ["line %d" % i for i in range(150, 250)])  # the last 100
    assert session.log_slice(10, 3) == (10, 250, ["line 10", "line 11", "line 12"])
    assert session.log_slice(0, -1)[2] == ["line %d" % i for i in range(250)]
    assert session.log_slice(248, 100)[2] == ["line 248", "line 249"]
    assert session.log_slice(400, 10)[2] == []
