"""Run one child measurement in a fresh process and watch its whole process tree.

A sampler thread sums the resident memory of the child and every descendant (executors, the
JVM, PySpark's Python workers, pool workers) every few milliseconds and keeps the peak. It also
remembers every descendant it saw, so that a process still alive after the child has exited is
reported as left behind (and then ended, by pid).
"""

import json
import os
import subprocess
import sys
import tempfile
import threading

import psutil

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_INTERVAL = 0.02
TREE_REFRESH_EVERY = 5


class TreeSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_rss = 0
        self.seen = {}
        self._tree = [self.root]
        self._stop_event = threading.Event()

    def run(self):
        tick = 0
        while not self._stop_event.is_set():
            # Walking /proc for descendants costs ~1.5 ms, reading one RSS ~20 us: find the tree
            # every few samples, read its memory every sample, so the sampler steals little CPU
            # from the 2 cores being measured.
            if tick % TREE_REFRESH_EVERY == 0:
                self.refresh_tree()
            self.sample()
            tick += 1
            self._stop_event.wait(SAMPLE_INTERVAL)

    def refresh_tree(self):
        try:
            children = self.root.children(recursive=True)
        except psutil.Error:
            return
        for proc in children:
            self.seen.setdefault(proc.pid, proc)
        self._tree = [self.root, *children]

    def sample(self):
        total = 0
        for proc in self._tree:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                continue
        self.peak_rss = max(self.peak_rss, total)

    def stop(self):
        self._stop_event.set()
        self.join()

    def survivors(self):
        """Descendants still running after a grace period for their own orderly exit."""
        _, still = psutil.wait_procs(list(self.seen.values()), timeout=3)
        alive = []
        for proc in still:
            try:
                # is_running() also compares the creation time, so a recycled pid is not ours.
                if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                    alive.append(proc)
            except psutil.Error:
                continue
        return alive


def child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, env.get("PYTHONPATH")) if p)
    # PySpark's workers must run this interpreter (which has the bench package importable).
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    env.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return env


def run_child(impl, workload, params, timeout, log_dir):
    """Measure `workload` on `impl` in a fresh process; returns the child's report + peak RSS."""
    with tempfile.TemporaryDirectory(prefix="sparklet-bench-") as tmp:
        params_path = os.path.join(tmp, "params.json")
        result_path = os.path.join(tmp, "result.json")
        with open(params_path, "w") as f:
            json.dump(params, f)
        log_path = os.path.join(log_dir, f"{workload}-{impl}.log")
        with open(log_path, "a") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench.child", impl, workload, params_path, result_path],
                cwd=REPO_ROOT, env=child_env(), stdout=log, stderr=subprocess.STDOUT)
            sampler = TreeSampler(proc.pid)
            sampler.start()
            timed_out = False
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                _end(psutil.Process(proc.pid).children(recursive=True))
                proc.kill()
                proc.wait()
            finally:
                sampler.stop()
        left_behind = sampler.survivors()
        _end(left_behind)
        if os.path.exists(result_path):
            with open(result_path) as f:
                report = json.load(f)
        else:
            report = {"impl": impl, "workload": workload, "ok": False,
                      "error": f"child exited with {proc.returncode} without a result; "
                               f"see {log_path}"}
    if timed_out:
        report.update(ok=False, error=f"timed out after {timeout} s; see {log_path}")
    if left_behind:
        names = ", ".join(f"{p.pid} ({_name(p)})" for p in left_behind)
        report["left_behind"] = names
        report["ok"] = False
        report["error"] = (report.get("error") or "") + f"processes left behind: {names}"
    report["peak_rss"] = sampler.peak_rss
    return report


def _name(proc):
    try:
        return proc.name()
    except psutil.Error:
        return "?"


def _end(procs):
    for proc in procs:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=5)
