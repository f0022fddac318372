"""Starting ``sparklet livy`` as a real process for tests, and a raw-HTTP client for it."""

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINAL = ("available", "error", "cancelled")


def server_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "engine"), str(ROOT / "kernel")] +
                                        ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def start_server(*args, host="127.0.0.1", env=None):
    """`python -m sparklet_kernel.cli livy --port 0 ARGS` -> (process, port)."""
    proc = subprocess.Popen([sys.executable, "-m", "sparklet_kernel.cli", "livy", "--host", host, "--port", "0",
                             *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or server_env())
    line = proc.stderr.readline().decode()
    match = re.search(r"http://\S+?:(\d+) ", line)
    if match is None:
        proc.kill()
        raise RuntimeError("the server did not start: %r %r" % (line, proc.stderr.read().decode()))
    return proc, int(match.group(1))


def stop_server(proc, sig=signal.SIGTERM, timeout=30):
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stderr.close()


@contextmanager
def livy_server(*args, host="127.0.0.1"):
    proc, port = start_server(*args, host=host)
    try:
        yield Livy(host, port), proc
    finally:
        stop_server(proc)


class Livy:
    """Raw HTTP against the server: every call returns (status, decoded JSON or text, headers)."""

    def __init__(self, host, port, headers=None):
        self.host, self.port = host, port
        self.headers = dict(headers or {})

    def request(self, method, path, body=None, headers=None, raw=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        hdrs = dict(self.headers)
        if body is not None or raw is not None:
            hdrs.setdefault("Content-Type", "application/json")
        hdrs.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            ctype = resp.getheader("Content-Type") or ""
            value = json.loads(payload) if ctype.startswith("application/json") else payload.decode()
            return resp.status, value, dict(resp.getheaders())
        finally:
            conn.close()

    def ok(self, method, path, body=None, expect=200):
        status, value, _ = self.request(method, path, body)
        assert status == expect, (method, path, status, value)
        return value

    def create(self, body=None, wait=True):
        session = self.ok("POST", "/sessions", body if body is not None else {"kind": "pyspark"}, expect=201)
        if wait:
            self.wait_state(session["id"], "idle")
        return session["id"]

    def wait_state(self, sid, *states, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            session = self.ok("GET", "/sessions/%d" % sid)
            if session["state"] in states:
                return session
            assert time.monotonic() < deadline, "session %d stayed %s" % (sid, session["state"])
            time.sleep(0.05)

    def submit(self, sid, code):
        return self.ok("POST", "/sessions/%d/statements" % sid, {"code": code}, expect=201)["id"]

    def wait_statement(self, sid, stid, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            st = self.ok("GET", "/sessions/%d/statements/%d" % (sid, stid))
            if st["state"] in FINAL:
                return st
            assert time.monotonic() < deadline, "statement %d/%d stayed %s" % (sid, stid, st["state"])
            time.sleep(0.05)

    def run(self, sid, code, timeout=60):
        """Run `code`; return its output object."""
        return self.wait_statement(sid, self.submit(sid, code), timeout)["output"]

    def text(self, sid, code):
        out = self.run(sid, code)
        assert out["status"] == "ok", out
        return out["data"]["text/plain"]
