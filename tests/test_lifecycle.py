"""However the driver ends, no executor process, local directory or shuffle file outlives it.

Each case runs a real driver script in a subprocess: it starts a context, writes shuffle files and
cached blocks, reports its executors' pids and its local directory on stdout, then ends the way the
case says (sc.stop(), falling off the end, an uncaught exception, SIGTERM, SIGKILL).
"""

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import psutil
import pytest

from test_faults import own_contexts

DRIVER = textwrap.dedent("""
    import json, os, signal, sys, time
    from operator import add
    from sparklet import SparkContext

    mode = sys.argv[1]
    if mode == "own-sigterm-handler":
        signal.signal(signal.SIGTERM, lambda *a: print("application handler", flush=True))
    sc = SparkContext("local[2]", "lifecycle")
    words = sc.parallelize(["a", "b", "c", "a"] * 50, 4).map(lambda w: (w, 1)).cache()
    counts = words.reduceByKey(add)  # kept alive, and with it its shuffle files
    assert dict(counts.collect()) == {"a": 100, "b": 50, "c": 50}
    shuffle_files = [os.path.join(d, f) for d, _, fs in os.walk(sc._local_dir) for f in fs
                     if f.startswith("shuffle_")]
    print(json.dumps({"pids": [p for _, p, _ in sc.executors], "local_dir": sc._local_dir,
                      "shuffle_files": shuffle_files}), flush=True)
    if mode == "stop":
        sc.stop()
    elif mode == "raise":
        raise RuntimeError("uncaught in the driver")
    elif mode in ("sigterm", "sigkill", "own-sigterm-handler"):
        print("running", flush=True)
        sc.parallelize(range(4), 2).map(lambda x: time.sleep(30)).collect()
""")


def run_driver(tmp_path, mode):
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    proc = subprocess.Popen([sys.executable, str(script), mode], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path)
    line = proc.stdout.readline()
    assert line, proc.stderr.read()
    state = json.loads(line)
    assert len(state["pids"]) == 2 and state["shuffle_files"]
    assert all(psutil.pid_exists(p) for p in state["pids"])
    return proc, state


def assert_nothing_left(state, within=5.0):
    deadline = time.monotonic() + within
    while True:
        alive = [p for p in state["pids"] if psutil.pid_exists(p)
                 and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        if (not alive and not os.path.exists(state["local_dir"])) or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    assert not alive, "executors outlived the driver: %s" % alive
    assert not os.path.exists(state["local_dir"]), "local dir left: %s" % [
        os.path.join(d, f) for d, ds, fs in os.walk(state["local_dir"]) for f in fs + ds]
    assert not any(os.path.exists(f) for f in state["shuffle_files"])


@pytest.mark.parametrize("mode,code", [("stop", 0), ("exit", 0), ("raise", 1)])
def test_driver_ending_normally_or_by_exception_leaves_nothing(tmp_path, mode, code):
    proc, state = run_driver(tmp_path, mode)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    if mode == "raise":
        assert "RuntimeError: uncaught in the driver" in err
    # sc.stop() (or the exit hook that calls it) has returned: nothing may be left at all.
    assert_nothing_left(state, within=0)


def test_sigterm_of_the_driver_stops_executors_and_removes_files(tmp_path):
    proc, state = run_driver(tmp_path, "sigterm")
    assert proc.stdout.readline() == "running\n"
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGTERM  # it still dies of SIGTERM
    assert_nothing_left(state, within=0)


def test_application_sigterm_handler_is_left_alone(tmp_path):
    proc, state = run_driver(tmp_path, "own-sigterm-handler")
    assert proc.stdout.readline() == "running\n"
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    assert proc.stdout.readline() == "application handler\n"
    assert proc.poll() is None
    proc.kill()
    proc.wait(timeout=10)
    assert_nothing_left(state)


def test_sigkill_of_the_driver_executors_exit_and_clean_up(tmp_path):
    proc, state = run_driver(tmp_path, "sigkill")
    assert proc.stdout.readline() == "running\n"
    time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=10)
    assert_nothing_left(state, within=5.0)


def test_sc_stop_in_process_leaves_nothing():
    from sparklet import SparkContext

    with own_contexts():
        sc = SparkContext("local[2]", "lifecycle-in-process")
    try:
        sums = sc.parallelize(range(10), 3).map(lambda x: (x % 2, x)).reduceByKey(lambda a, b: a + b)
        assert sums.collectAsMap() == {0: 20, 1: 25}
        state = {"pids": [p for _, p, _ in sc.executors], "local_dir": sc._local_dir,
                 "shuffle_files": [os.path.join(d, f) for d, _, fs in os.walk(sc._local_dir) for f in fs
                                   if f.startswith("shuffle_")]}
        assert state["shuffle_files"]
    finally:
        sc.stop()
    assert_nothing_left(state, within=0)


def test_sc_stop_from_another_thread_during_a_job_leaves_nothing():
    from sparklet import SparkContext
    from sparklet.errors import JobCancelledError

    with own_contexts():
        sc = SparkContext("local[2]", "lifecycle-stop-during-job")
    state = {"pids": [p for _, p, _ in sc.executors], "local_dir": sc._local_dir, "shuffle_files": []}
    stopper = threading.Timer(1.0, sc.stop)
    stopper.start()
    started = time.monotonic()
    try:
        with pytest.raises(JobCancelledError, match="SparkContext was shut down"):
            sc.parallelize(range(4), 2).map(lambda x: time.sleep(30)).collect()
        assert time.monotonic() - started < 5
    finally:
        stopper.join()
        sc.stop()
    assert_nothing_left(state, within=0)
