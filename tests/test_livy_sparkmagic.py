"""The real sparkmagic 0.23 client against `sparklet livy`: its IPython magics in a kernel driven
by jupyter_client, and its PySpark wrapper kernel running a notebook through nbclient."""

import json
import sys
import time

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

from kernel_harness import execute
from livy_harness import Livy, livy_server

import sparkmagic  # noqa: F401  (a test dependency: its absence fails here, it is never skipped)

pytestmark = pytest.mark.timeout(400)
#: sparkmagic's progress bar (an ipywidget) is not part of what a cell printed
WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def livy():
    with livy_server("--master", "local[2]") as (client, proc):
        yield client


@pytest.fixture
def sparkmagic_conf(tmp_path, livy, monkeypatch):
    """sparkmagic's config.json pointing at the server, with short heartbeats so deletes are quick."""
    url = "http://127.0.0.1:%d" % livy.port
    creds = {"username": "", "password": "", "url": url, "auth": "None"}
    conf = {
        "kernel_python_credentials": creds, "kernel_scala_credentials": creds, "kernel_r_credentials": creds,
        "heartbeat_refresh_seconds": 1, "heartbeat_retry_seconds": 1, "use_auto_viz": False,
        "livy_session_startup_timeout_seconds": 60,
    }
    (tmp_path / "config.json").write_text(json.dumps(conf))
    monkeypatch.setenv("SPARKMAGIC_CONF_DIR", str(tmp_path))
    return url


def _outputs(msgs):
    """Everything a cell showed, as one string (streams, results, displays, errors)."""
    parts = []
    for m in msgs:
        c = m["content"]
        if m["msg_type"] == "stream":
            parts.append(c["text"])
        elif m["msg_type"] in ("execute_result", "display_data") and WIDGET not in c["data"]:
            parts.append(c["data"].get("text/plain", ""))
        elif m["msg_type"] == "error":
            parts.append("\n".join(c["traceback"]))
    return "\n".join(parts)


def server_sessions(livy):
    return {s["id"]: s for s in livy.ok("GET", "/sessions")["sessions"]}


def test_sparkmagic_magics_in_an_ipython_kernel(livy, sparkmagic_conf):
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)

        def run(code, timeout=120):
            reply, msgs = execute(kc, code, timeout=timeout)
            return reply, _outputs(msgs)

        before = set(server_sessions(livy))
        reply, out = run("%load_ext sparkmagic.magics")
        assert reply["status"] == "ok", out
        reply, out = run("%spark add -s s1 -l python -u " + sparkmagic_conf)
        assert reply["status"] == "ok" and "SparkSession available as 'spark'" in out, out
        (s1,) = set(server_sessions(livy)) - before

        assert "4950" in run("%%spark -s s1\nsc.parallelize(range(100)).sum()")[1]
        assert run("%%spark\nx = 7\nprint(x * 6)")[1].strip() == "42"
        assert run("%%spark\nx")[1].strip() == "7"  # the namespace persists

        out = run("%%spark\ndef g():\n    return 1 / 0\ng()")[1]
        assert "An error was encountered" in out and "ZeroDivisionError: division by zero" in out

        out = run("%spark info")[1]
        assert "pyspark" in out and "idle" in out and "/ui/sessions/%d" % s1 in out
        assert "SparkContext(master='local[2]'" in run("%spark logs -s s1")[1]

        # cancel: interrupting the kernel makes sparkmagic cancel the running statement
        msg_id = kc.execute("%%spark\nimport time\nsc.parallelize(range(2), 2).foreach(lambda v: time.sleep(60))")
        deadline = time.monotonic() + 30
        while not any(st["state"] == "running" for st in livy.ok("GET", "/sessions/%d/statements" % s1)["statements"]):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1)
        interrupted = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=60)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=60)
        assert time.monotonic() - interrupted < 15
        statements = livy.ok("GET", "/sessions/%d/statements" % s1)["statements"]
        assert statements[-1]["state"] == "cancelled"
        assert run("%%spark\nsc.parallelize(range(10)).count()")[1].strip() == "10"

        # a second session with properties: %spark config then %spark add
        props = {"name": "configured-by-sparkmagic", "conf": {"spark.sparkmagic.check": "yes"},
                 "numExecutors": 1, "executorCores": 1, "executorMemory": "1g"}
        reply, out = run("%%spark config\n" + json.dumps(props))
        assert reply["status"] == "ok", (reply, out)
        reply, out = run("%spark add -s s2 -l python -u " + sparkmagic_conf)
        assert reply["status"] == "ok", out
        out = run("%%spark -s s2\nsc.appName, sc.master, sc.getConf().get('spark.sparkmagic.check')")[1]
        assert "('configured-by-sparkmagic', 'local[1]', 'yes')" in out
        (s2,) = set(server_sessions(livy)) - before - {s1}

        if run("%%spark -s s2\nimport importlib.util\nimportlib.util.find_spec('sparklet.sql') is not None")[1].strip() \
                == "True":
            reply, out = run("%%spark -s s2 -c sql -o df\nSELECT 1 AS a, 'x' AS b")
            assert reply["status"] == "ok", out
            assert run("df.to_dict('records')")[1].strip() == "[{'a': 1, 'b': 'x'}]"
        else:  # until the SQL layer lands the fetch fails, saying why
            out = run("%%spark -s s2 -c sql\nSELECT 1 AS a")[1]
            assert "Spark SQL layer could not be loaded" in out, out

        reply, out = run("%spark delete -s s1")
        assert reply["status"] == "ok", out
        assert s1 not in server_sessions(livy)
        reply, out = run("%spark cleanup")
        assert reply["status"] == "ok", out
        assert s2 not in server_sessions(livy)

        # a server bound beyond 127.0.0.1 takes sparkmagic's Basic_Access with the token as password
        with livy_server("--token", "tok-42", host="127.0.0.2") as (anon, _):
            url = "http://127.0.0.2:%d" % anon.port
            reply, out = run("%%spark add -s t -l python -u %s -a ana -p tok-42 -t Basic_Access" % url)
            assert reply["status"] == "ok" and "SparkSession available as 'spark'" in out, out
            assert run("%%spark -s t\nsc.sparkUser() != '', sc.parallelize(range(4)).count()")[1].strip() == "(True, 4)"
            reply, out = run("%%spark add -s u -l python -u %s -a ana -p wrong -t Basic_Access" % url)
            assert "401" in out, out
            assert run("%spark cleanup")[0]["status"] == "ok"
            assert Livy(anon.host, anon.port, {"Authorization": "Bearer tok-42"}).ok("GET", "/sessions")["total"] == 0
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_sparkmagic_pyspark_kernel_runs_a_notebook(livy, sparkmagic_conf, tmp_path):
    kernels = tmp_path / "kernels" / "pysparkkernel"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "sparkmagic.kernels.pysparkkernel.pysparkkernel", "-f", "{connection_file}"],
        "display_name": "PySpark", "language": "python"}))
    other = livy.create()  # a session of another notebook, for %%delete
    cells = [
        '%%configure -f\n{"name": "notebook-session", "conf": {"spark.sparkmagic.check": "nb"}}',
        "sc.parallelize(range(10)).map(lambda x: x * x).sum()",
        "print(sc.appName, sc.getConf().get('spark.sparkmagic.check'))",
        "def g():\n    return 1 / 0\ng()",
        "%%info",
        "%%logs",
        "import importlib.util\nprint(importlib.util.find_spec('sparklet.sql') is not None)",
        "%%sql -o df -q\nSELECT 1 AS a, 'x' AS b",
        "%%local\nprint(df.to_dict('records'))",
        "%%%%delete -f -s %d" % other,
        "%%cleanup -f",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = KernelManager(kernel_name="pysparkkernel", kernel_spec_manager=ksm)
    client = NotebookClient(nb, km=km, timeout=180, allow_errors=True, kernel_name="pysparkkernel")
    client.execute()

    def text(i):
        parts = []
        for o in nb.cells[i].outputs:
            if o.output_type == "stream":
                parts.append(o.text)
            elif o.output_type in ("execute_result", "display_data") and WIDGET not in o.data:
                parts.append(o.data.get("text/html") or o.data.get("text/plain", ""))
            elif o.output_type == "error":
                parts.append("\n".join(o.traceback))
        return "\n".join(parts)

    assert "285" in text(1), text(1)
    assert "notebook-session nb" in text(2), text(2)
    assert "ZeroDivisionError: division by zero" in text(3), text(3)
    info = text(4)
    assert "notebook-session" in info and "<td>pyspark</td><td>idle</td>" in info, info
    assert "/ui/sessions/%d?key=" % other in info  # every session of the server, with its Spark UI link
    assert "SparkContext(" in text(5), text(5)
    if text(6).strip() == "True":  # the SQL layer is in: %%sql -o brings the rows here as pandas
        assert "[{'a': 1, 'b': 'x'}]" in text(8), (text(7), text(8))
    else:  # until it lands the query fails, saying why
        assert "Spark SQL layer could not be loaded" in text(7), text(7)
    assert other not in server_sessions(livy)
    assert server_sessions(livy) == {}, "%%cleanup -f deletes every session of the server"
