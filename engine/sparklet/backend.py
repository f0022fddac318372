"""The executor pool: starting, talking to, and stopping the executor processes.

Each executor is a fresh interpreter (``python -m sparklet.executor``), never a fork of the driver:
the driver is threaded (listener bus, scheduler, a Jupyter kernel's own threads) and forking a
threaded process can deadlock the child. One socket pair per executor carries pickled messages; a
receiver thread per executor hands what arrives to the scheduler's event queue. Executors start
with the context and warm up in the background while the first cell runs.
"""

import os
import pickle
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection


class ExecutorHandle:
    """The driver's view of one executor process."""

    def __init__(self, executor_id, cores=1):
        self.executor_id = executor_id
        self.cores = cores
        self.process = None
        self.conn = None
        self.ready = False
        self.alive = True
        self.running = {}  # taskId -> Task
        self.stages_shipped = set()  # binary keys this executor already holds
        self.send_lock = threading.Lock()
        self.pid = None
        self.log_path = None
        self.kill_reason = None  # why the driver killed it, when it did
        self.memory_exceeded = False  # killed for passing spark.executor.memory

    @property
    def free_cores(self):
        return self.cores - len(self.running) if self.ready and self.alive else 0

    def send(self, msg):
        data = pickle.dumps(msg, pickle.HIGHEST_PROTOCOL)
        with self.send_lock:
            self.conn.send_bytes(data)


def launch_executor(handle, init, env_overrides, on_message, on_exit):
    """Start the process for ``handle``; ``on_message(handle, msg)`` for each message it sends,
    then ``on_exit(handle, reason)`` once, when its socket closes."""
    parent_sock, child_sock = socket.socketpair()
    env = dict(os.environ)
    env.update(env_overrides)
    env["PYTHONHASHSEED"] = "0"  # the same string hashes, hence partitions, as PySpark's workers
    env["SPARKLET_EXECUTOR_ID"] = handle.executor_id
    # The executor imports sparklet from wherever the driver did, installed or not.
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = os.pathsep.join([package_root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    handle.log_path = os.path.join(init["local_dir"], "executor-%s.log" % handle.executor_id)
    log = open(handle.log_path, "ab")
    try:
        handle.process = subprocess.Popen(
            [sys.executable, "-m", "sparklet.executor", str(child_sock.fileno())],
            pass_fds=[child_sock.fileno()], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            cwd=init["cwd"], start_new_session=True)
    finally:
        log.close()
        child_sock.close()
    handle.pid = handle.process.pid
    handle.conn = Connection(parent_sock.detach())
    handle.send(init)

    def receive():
        reason = "executor process exited"
        try:
            while True:
                msg = pickle.loads(handle.conn.recv_bytes())
                on_message(handle, msg)
        except (EOFError, OSError):
            pass
        except Exception as e:  # a message that cannot be decoded: the executor is unusable
            reason = "executor sent an unreadable message: %s" % e
        code = handle.process.wait()
        if handle.kill_reason:
            reason = handle.kill_reason
        elif code and code < 0:
            reason = "executor process killed by signal %d" % -code
        elif code:
            reason = "executor process exited with code %d" % code
        on_exit(handle, reason)

    threading.Thread(target=receive, name="executor-%s-receiver" % handle.executor_id, daemon=True).start()


def stop_executor(handle, timeout=2.0):
    """Ask the executor to stop; kill it if it does not exit within ``timeout``."""
    handle.alive = False
    try:
        handle.send(("stop",))
    except OSError:
        pass
    try:
        handle.process.wait(timeout)
    except subprocess.TimeoutExpired:
        handle.process.kill()
        handle.process.wait()
    try:
        handle.conn.close()
    except OSError:
        pass


def kill_executor(handle, reason):
    """SIGKILL the executor; ``reason`` is what its ExecutorRemoved event will say."""
    handle.kill_reason = reason
    try:
        handle.process.kill()
    except ProcessLookupError:
        pass
