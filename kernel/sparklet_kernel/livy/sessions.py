"""Livy sessions as the server keeps them: one driver process each, its statements and its log.

A `LivySession` owns one ``sparklet_kernel.livy.driver`` process, started in a process group of
its own (so its executors can be swept with it), with a socket pair for JSON messages and a pipe
that collects everything the process prints into the session's log. Three threads per session
read the socket, the log pipe and the process's exit. The session's state is derived, in Livy's
names only: ``starting`` until the driver's context is up, ``busy`` while a statement is waiting
or running, ``idle`` otherwise, ``shutting_down`` while it is being stopped, ``dead`` when the
process ended on its own (its log says how) and ``error`` when its context could not start.

`SessionManager` numbers sessions from 0, enforces ``--max-sessions``, and runs the reaper: a
session whose heartbeat (``heartbeatTimeoutInSecond``, refreshed by ``GET /sessions/{id}`` and
its statement requests) is older than its timeout is deleted with its executors, as Livy's
``SessionHeartbeatWatchdog`` does (unlike Livy, creation counts as the first heartbeat, so a
client that never polls does not leave its session behind forever);
a dead session stays listed (with its log) for ``DEAD_RETENTION_S`` seconds.
"""

import collections
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time

#: log lines kept per session (older ones are dropped; offsets stay those of the whole log)
LOG_LINES = 20000
#: seconds a dead or failed session stays listed
DEAD_RETENTION_S = 600
#: seconds a stopping driver gets to stop its context before SIGTERM, then SIGKILL
STOP_GRACE_S = 3.0
FINAL_STATEMENT_STATES = ("available", "error", "cancelled")


def now_ms():
    return int(time.time() * 1000)


class SessionError(Exception):
    """A request the session cannot take in its state (answered with 400)."""


class Statement:
    def __init__(self, sid, code):
        self.id = sid
        self.code = code
        self.state = "waiting"
        self.output = None
        self.progress = 0.0
        self.started = 0
        self.completed = 0

    def to_json(self):
        return {"id": self.id, "code": self.code, "state": self.state, "output": self.output,
                "progress": self.progress, "started": self.started, "completed": self.completed}


class LivySession:
    def __init__(self, sid, settings, request, heartbeat_timeout, owner=None):
        self.id = sid
        self.kind = "pyspark"
        self.settings = settings  # {"master", "conf", "name"} from config.normalize
        self.name = request.get("name")
        self.request = request
        self.owner = owner
        self.proxy_user = request.get("proxyUser")
        self.heartbeat_timeout = heartbeat_timeout
        self.last_heartbeat = time.monotonic()
        self.ui_key = secrets.token_urlsafe(16)
        self.app_id = None
        self.created = now_ms()
        self.ended_at = None  # monotonic time it became final
        self._lock = threading.RLock()
        self._statements = []
        self._log = collections.deque(maxlen=LOG_LINES)
        self._log_dropped = 0
        self._phase = "not_started"  # not_started | starting | running | error | dead | shutting_down | stopped
        self._stopping = False
        self._rids = itertools.count()
        self._replies = {}
        self.proc = None
        self._sock = None
        self._send_lock = threading.Lock()

    # -- process ---------------------------------------------------------------------------------
    def start(self, env=None):
        ours, theirs = socket.socketpair()
        cmd = [sys.executable, "-u", "-m", "sparklet_kernel.livy.driver", str(theirs.fileno())]
        env = dict(os.environ if env is None else env)
        env.setdefault("MPLBACKEND", "Agg")
        self._phase = "starting"
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, pass_fds=(theirs.fileno(),), env=env,
                                     start_new_session=True, close_fds=True)
        theirs.close()
        self._sock = ours
        self._log_line("starting the session's driver (process %d): master %s"
                       % (self.proc.pid, self.settings["master"]))
        for target, name in ((self._read_channel, "channel"), (self._read_log, "log"), (self._wait, "wait")):
            threading.Thread(target=target, name="livy-session-%d-%s" % (self.id, name), daemon=True).start()
        self._send({"op": "init", "master": self.settings["master"], "name": self.settings["name"],
                    "conf": self.settings["conf"]})

    def _send(self, message):
        data = (json.dumps(message) + "\n").encode("utf-8")
        try:
            with self._send_lock:
                self._sock.sendall(data)
            return True
        except OSError:
            return False

    def _read_channel(self):
        reader = self._sock.makefile("r", encoding="utf-8", newline="\n")
        try:
            for line in reader:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if isinstance(message, dict):
                    self._on_message(message)
        except (OSError, ValueError):
            pass

    def _on_message(self, message):
        if "rid" in message:
            waiter = self._replies.get(message["rid"])
            if waiter is not None:
                waiter[1] = message
                waiter[0].set()
            return
        ev = message.get("ev")
        with self._lock:
            if ev == "ready":
                self.app_id = str(message.get("appId") or "") or None
                if self._phase == "starting":
                    self._phase = "running"
            elif ev == "failed":
                self._phase = "error"
                self.ended_at = time.monotonic()
            elif ev in ("started", "progress", "done"):
                st = self._statement(message.get("sid"))
                if st is None or st.state in FINAL_STATEMENT_STATES:
                    return
                if ev == "started":
                    if st.state == "waiting":
                        st.state = "running"
                    st.started = now_ms()
                elif ev == "progress":
                    value = message.get("value")
                    if isinstance(value, (int, float)):
                        st.progress = min(1.0, max(0.0, float(value)))
                else:
                    state = message.get("state")
                    st.state = state if state in ("available", "cancelled") else "error"
                    output = message.get("output")
                    st.output = output if isinstance(output, dict) or output is None else None
                    st.progress = 1.0 if st.state == "available" else st.progress
                    st.completed = now_ms()
                    if not st.started:
                        st.started = st.completed

    def _read_log(self):
        for raw in iter(self.proc.stdout.readline, b""):
            self._log_line(raw.decode("utf-8", "replace").rstrip("\r\n"))
        self.proc.stdout.close()

    def _log_line(self, line):
        with self._lock:
            if len(self._log) == self._log.maxlen:
                self._log_dropped += 1
            self._log.append(line)

    def _wait(self):
        code = self.proc.wait()
        # the driver is gone: sweep whatever of its process group is left (executors)
        _kill_group(self.proc.pid)
        with self._lock:
            if self._stopping:
                self._phase = "stopped"
                return
            how = ("killed by %s" % signal.Signals(-code).name) if code < 0 else "exit code %d" % code
            self._log_line("the session's driver process %d ended (%s)" % (self.proc.pid, how))
            if self._phase != "error":
                self._phase = "dead"
            self.ended_at = time.monotonic()
            for st in self._statements:
                if st.state not in FINAL_STATEMENT_STATES:
                    st.state = "error"
                    st.output = {"status": "error", "ename": "SessionDead",
                                 "evalue": "the session's driver process ended (%s) before this statement "
                                           "finished; GET /sessions/%d/log shows why" % (how, self.id),
                                 "traceback": []}
                    st.completed = now_ms()

    def stop(self):
        """Stop the driver (its context stops its executors), escalating to signals; blocks."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
            if self._phase not in ("dead", "error"):
                self._phase = "shutting_down"
        if self.proc is None:
            return
        self._send({"op": "stop"})
        try:
            self._sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        for sig, grace in ((None, STOP_GRACE_S), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
            if sig is not None:
                try:
                    self.proc.send_signal(sig)
                except OSError:
                    pass
            try:
                self.proc.wait(grace)
                break
            except subprocess.TimeoutExpired:
                continue
        _kill_group(self.proc.pid)
        try:
            self._sock.close()
        except OSError:
            pass

    # -- what the API reads --------------------------------------------------------------------
    @property
    def state(self):
        with self._lock:
            phase = self._phase
            if phase == "running":
                busy = any(st.state not in FINAL_STATEMENT_STATES for st in self._statements)
                return "busy" if busy else "idle"
            return {"stopped": "dead"}.get(phase, phase)

    @property
    def final(self):
        return self.state in ("dead", "error")

    def heartbeat(self):
        self.last_heartbeat = time.monotonic()

    def heartbeat_expired(self, now):
        return self.heartbeat_timeout > 0 and now - self.last_heartbeat > self.heartbeat_timeout

    def log_slice(self, start=None, size=None):
        """(from, total, lines) with Livy's defaults: the last 100 lines; size < 0 means all."""
        with self._lock:
            lines = list(self._log)
            offset = self._log_dropped
        total = offset + len(lines)
        if size is None:
            size = 100
        if size < 0:
            start, size = 0, total
        elif start is None or start < 0:
            start = max(0, total - size)
        first = max(start, offset)
        return start, total, lines[first - offset:max(first - offset, start + size - offset)]

    def to_json(self, base_url, log_lines=10):
        ui = "%s/ui/sessions/%d?key=%s" % (base_url, self.id, self.ui_key)
        log = "%s/ui/sessions/%d/log?key=%s" % (base_url, self.id, self.ui_key)
        settings = self.request
        return {
            "id": self.id, "name": self.name, "appId": self.app_id, "owner": self.owner,
            "proxyUser": self.proxy_user, "state": self.state, "kind": self.kind,
            "appInfo": {"driverLogUrl": log, "sparkUiUrl": ui},
            "log": self.log_slice(None, log_lines)[2],
            "ttl": None,
            "heartbeatTimeoutInSecond": self.heartbeat_timeout,
            "driverMemory": settings.get("driverMemory"), "driverCores": settings.get("driverCores"),
            "executorMemory": settings.get("executorMemory"), "executorCores": settings.get("executorCores"),
            "numExecutors": settings.get("numExecutors"), "conf": dict(self.settings["conf"]),
            "jars": settings.get("jars", []), "pyFiles": settings.get("pyFiles", []),
            "files": settings.get("files", []), "archives": settings.get("archives", []),
            "queue": settings.get("queue"),
        }

    # -- statements ----------------------------------------------------------------------------
    def _statement(self, sid):
        if not isinstance(sid, int) or not 0 <= sid < len(self._statements):
            return None
        return self._statements[sid]

    def statement(self, sid):
        with self._lock:
            return self._statement(sid)

    def statements(self):
        with self._lock:
            return list(self._statements)

    def submit(self, code):
        with self._lock:
            state = self.state
            if state in ("dead", "error", "shutting_down"):
                raise SessionError("Session %d is %s: it cannot run statements (GET /sessions/%d/log shows why)."
                                   % (self.id, state, self.id))
            st = Statement(len(self._statements), code)
            self._statements.append(st)
        if not self._send({"op": "run", "sid": st.id, "code": code}):
            with self._lock:
                st.state = "error"
                st.output = {"status": "error", "ename": "SessionDead",
                             "evalue": "the session's driver process is gone", "traceback": []}
        return st

    def cancel(self, sid):
        with self._lock:
            st = self._statement(sid)
            if st is None or st.state in FINAL_STATEMENT_STATES:
                return st
            st.state = "cancelling"
        self._send({"op": "cancel", "sid": sid})
        return st

    def page(self, title, timeout=5.0):
        """The driver's jobs page (HTML), or None if the driver did not answer in time."""
        if self.state not in ("idle", "busy"):
            return None
        rid = next(self._rids)
        waiter = [threading.Event(), None]
        self._replies[rid] = waiter
        try:
            if not self._send({"op": "page", "rid": rid, "title": title}) or not waiter[0].wait(timeout):
                return None
            html = waiter[1].get("html")
            return html if isinstance(html, str) else None
        finally:
            self._replies.pop(rid, None)


def protect_process():
    """Make this process non-dumpable (Linux): other processes of the same user, a session's code
    among them, can then neither attach a debugger to it nor read its memory or environment
    under /proc (where the server's token would be). Elsewhere nothing changes."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(4, 0, 0, 0, 0) == 0  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        return False


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class SessionManager:
    """All sessions of one server; thread-safe."""

    def __init__(self, max_sessions=None, driver_env=None, reap_interval=1.0):
        self.max_sessions = max_sessions
        self.driver_env = driver_env
        self._lock = threading.Lock()
        self._sessions = {}
        self._stopping = []  # threads stopping deleted sessions
        self._ids = itertools.count()
        self._closed = threading.Event()
        self._reaper = threading.Thread(target=self._reap, args=(reap_interval,), name="livy-reaper", daemon=True)
        self._reaper.start()

    def create(self, settings, request, heartbeat_timeout, owner=None):
        with self._lock:
            if self._closed.is_set():
                raise SessionError("the server is shutting down")
            live = [s for s in self._sessions.values() if not s.final]
            if self.max_sessions is not None and len(live) >= self.max_sessions:
                raise SessionError("the server already runs %d sessions (--max-sessions %d): delete one first"
                                   % (len(live), self.max_sessions))
            sid = next(self._ids)
            settings = dict(settings, name=settings.get("name") or "livy-session-%d" % sid)
            session = LivySession(sid, settings, request, heartbeat_timeout, owner)
            self._sessions[session.id] = session
        session.start(self.driver_env)
        return session

    def get(self, sid):
        with self._lock:
            return self._sessions.get(sid)

    def all(self):
        with self._lock:
            return [self._sessions[k] for k in sorted(self._sessions)]

    def delete(self, sid, wait=False):
        """Forget the session at once (its id answers 404 from now on) and stop it."""
        with self._lock:
            session = self._sessions.pop(sid, None)
        if session is None:
            return False
        if wait:
            session.stop()
        else:
            thread = threading.Thread(target=session.stop, name="livy-stop-%d" % sid, daemon=True)
            with self._lock:
                self._stopping = [t for t in self._stopping if t.is_alive()] + [thread]
            thread.start()
        return True

    def _reap(self, interval):
        while not self._closed.wait(interval):
            now = time.monotonic()
            for session in self.all():
                if session.heartbeat_expired(now) and not session.final:
                    session._log_line("no heartbeat for %d s (heartbeatTimeoutInSecond): deleting the session"
                                      % session.heartbeat_timeout)
                    self.delete(session.id)
                elif session.final and session.ended_at is not None and now - session.ended_at > DEAD_RETENTION_S:
                    self.delete(session.id)

    def close(self):
        """Stop every session and wait for their processes to end."""
        self._closed.set()
        with self._lock:
            sessions = list(self._sessions.values())
            self._sessions.clear()
        threads = [threading.Thread(target=s.stop, daemon=True) for s in sessions]
        for t in threads:
            t.start()
        with self._lock:
            threads += self._stopping  # sessions deleted just before, still stopping
        for t in threads:
            t.join(STOP_GRACE_S + 10)
