"""The scheduler backend: the executor pool the task scheduler launches tasks on.

``SchedulerBackend`` is what the task scheduler needs from a cluster (Spark's ``SchedulerBackend``
with its ``WorkerOffer`` s): offers of free cores, launching and killing tasks, killing an
executor. ``ExecutorPoolBackend`` implements it with local processes (Spark's local-cluster mode,
one process per core); the scheduler's unit tests implement it with no processes at all.

The pool, in Spark's terms a cluster manager with its executors:

* Each executor is a fresh interpreter (``python -m sparklet.executor``), never a fork of the
  driver: the driver is threaded (listener bus, scheduler, a Jupyter kernel's own threads) and
  forking a threaded process can deadlock the child. Executors start with the context and warm
  up in the background while the first cell runs; one that registers becomes an offer.
* One socket pair per executor carries pickled messages. A receiver thread per executor turns
  what arrives into the scheduler's typed events (``events.py``): registered, a task's status,
  a barrier request; task output goes straight to the listener bus.
* A stage's task binary is shipped to an executor once, with its first task there, and released
  when the stage attempt ends.
* An executor that dies (however it dies) is reported lost and replaced, keeping the pool at its
  size until the context stops.
* When ``spark.executor.memory`` is set, the pool plays the cluster manager's part: it kills an
  executor whose resident memory passes the memory plus its overhead while it runs a task, and
  says so in the loss (the task's own use of memory, which the scheduler counts as a task failure).

Threading: the pool's executor table is guarded by one lock; the scheduler calls the backend from
its event-loop thread, receiver threads post events to that loop, and the memory monitor is a
thread of its own.
"""

import os
import pickle
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from . import events as E
from . import listener as L

# How often executors' resident memory is compared with spark.executor.memory (when it is set).
MEMORY_POLL_SECONDS = 0.2
_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class SchedulerBackend:
    """What the task scheduler asks of a cluster. Every method is called on the scheduler's thread."""

    def start(self, post):
        """Start the executors; ``post(event)`` delivers their events to the scheduler."""

    def stop(self):
        """Stop every executor."""

    def offers(self):
        """[(executorId, free cores)] of the executors ready to run tasks."""
        raise NotImplementedError

    def all_registered(self):
        """Whether every executor started so far has registered (is ready for tasks)."""
        return True

    def total_slots(self):
        """Cores of the live executors (what a barrier stage may use at most)."""
        raise NotImplementedError

    def launch_task(self, executor_id, description, binary):
        """Send a task (a dict the executor reads) to an executor, with the stage's binary if the
        executor does not hold it yet. A send to an executor that is dying is dropped: its loss
        reaches the scheduler as an ``ExecutorLost`` event."""
        raise NotImplementedError

    def kill_task(self, executor_id, task_id):
        """Ask the executor to stop the task; False when it could not be asked."""
        raise NotImplementedError

    def is_running(self, executor_id, task_id):
        raise NotImplementedError

    def kill_executor(self, executor_id, reason):
        """End the executor; ``reason`` is what its loss will say."""
        raise NotImplementedError

    def release_stage(self, binary_key):
        """The stage attempt ended: executors may drop its binary."""

    def barrier_reply(self, executor_id, messages):
        """Release a task waiting in ``barrier()``/``allGather()`` with every task's message."""
        raise NotImplementedError

    def send_all(self, message):
        """A message for every live executor (unpersisted RDDs and broadcasts, added paths)."""


class ExecutorHandle:
    """The driver's view of one executor process."""

    def __init__(self, executor_id, cores=1):
        self.executor_id = executor_id
        self.cores = cores
        self.process = None
        self.conn = None
        self.ready = False
        self.alive = True
        self.running = {}  # taskId -> the task's description, while it runs there
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


class ExecutorPoolBackend(SchedulerBackend):
    """``num_executors`` local executor processes of one core each, replaced when lost.

    ``executor_init(executor_id)`` gives the settings a new executor starts with; ``memory_limit``
    (bytes, or None) is the resident size past which a busy executor is killed.
    """

    def __init__(self, num_executors, executor_init, executor_env, executor_memory, bus, memory_limit=None):
        self.numExecutors = num_executors
        self.executorInit = executor_init
        self.executorEnv = executor_env
        self.executorMemory = executor_memory
        self.bus = bus
        self.memoryLimit = memory_limit
        self.executors = {}  # executorId -> ExecutorHandle, live ones
        self._lock = threading.RLock()
        self._ids = iter(range(10 ** 9))
        self._post = None
        self._stopped = threading.Event()

    def start(self, post):
        self._post = post
        for _ in range(self.numExecutors):
            self._start_executor()
        if self.memoryLimit:
            threading.Thread(target=self._watch_memory, name="executor-memory-monitor", daemon=True).start()

    def _start_executor(self):
        with self._lock:
            if self._stopped.is_set():
                return None
            handle = ExecutorHandle(str(next(self._ids)))
            self.executors[handle.executor_id] = handle
            launch_executor(handle, self.executorInit(handle.executor_id), self.executorEnv,
                            self._on_message, self._on_exit)
            return handle

    def live_handles(self):
        with self._lock:
            return [h for h in self.executors.values() if h.alive]

    # ---- messages from executors (receiver threads) ----

    def _on_message(self, handle, msg):
        kind = msg[0]
        if kind == "finished":
            _, task_id, state, payload, accum_updates, metrics, block_updates, block_events = msg
            handle.running.pop(task_id, None)
            self._post(E.StatusUpdate(handle.executor_id, task_id, state, payload, accum_updates, metrics,
                                      block_updates, block_events))
        elif kind == "output":
            _, task_id, stream, text = msg
            task = handle.running.get(task_id)
            if task is not None:
                self.bus.post(L.SparkletTaskOutput(task["stageId"], task["partition"], task_id, handle.executor_id,
                                                   stream, text, dict(task["properties"])))
        elif kind == "registered":
            handle.pid = msg[2]
            handle.ready = True
            self._post(E.ExecutorRegistered(handle.executor_id, handle.pid, handle.cores, self.executorMemory,
                                            handle.log_path))
        elif kind == "barrier":
            _, task_id, barrier_kind, message = msg
            self._post(E.BarrierRequest(handle.executor_id, task_id, barrier_kind, message))

    def _on_exit(self, handle, reason):
        with self._lock:
            if not handle.alive or self.executors.get(handle.executor_id) is not handle:
                return  # stopped by the driver, or already reported
            handle.alive = False
            del self.executors[handle.executor_id]
            self._post(E.ExecutorLost(handle.executor_id, reason, handle.memory_exceeded))
            self._start_executor()  # in its place, unless the pool is stopping

    # ---- SchedulerBackend ----

    def offers(self):
        return [(h.executor_id, h.free_cores) for h in self.live_handles() if h.free_cores > 0]

    def all_registered(self):
        return all(h.ready for h in self.live_handles())

    def total_slots(self):
        return sum(h.cores for h in self.live_handles())

    def launch_task(self, executor_id, description, binary):
        handle = self.executors.get(executor_id)
        if handle is None:
            return
        key = description["binaryKey"]
        if key not in handle.stages_shipped:
            description["binary"] = binary
            handle.stages_shipped.add(key)
        handle.running[description["taskId"]] = description
        try:
            handle.send(("task", description))
        except OSError:
            pass  # the executor is dying; its receiver thread reports the loss

    def kill_task(self, executor_id, task_id):
        handle = self.executors.get(executor_id)
        if handle is None or not handle.alive:
            return False
        try:
            handle.send(("kill", task_id))
        except OSError:
            return False
        return True

    def is_running(self, executor_id, task_id):
        handle = self.executors.get(executor_id)
        return handle is not None and handle.alive and task_id in handle.running

    def kill_executor(self, executor_id, reason):
        handle = self.executors.get(executor_id)
        if handle is not None:
            kill_executor(handle, reason)

    def release_stage(self, binary_key):
        for handle in self.live_handles():
            if binary_key in handle.stages_shipped:
                handle.stages_shipped.discard(binary_key)
                try:
                    handle.send(("release_stage", binary_key))
                except OSError:
                    pass

    def barrier_reply(self, executor_id, messages):
        handle = self.executors.get(executor_id)
        if handle is not None:
            try:
                handle.send(("barrier_reply", messages))
            except OSError:
                pass

    def send_all(self, message):
        for handle in self.live_handles():
            try:
                handle.send(message)
            except OSError:
                pass

    def stop(self):
        with self._lock:
            self._stopped.set()
            handles = list(self.executors.values())
        for handle in handles:
            stop_executor(handle)

    # ---- the cluster manager's memory check ----

    def _watch_memory(self):
        """Kill an executor running a task whose resident memory passed its limit, as a cluster
        manager kills a container over its limit. Polling the RSS from the driver (rather than an
        address-space rlimit in the executor) counts what C extensions allocate and does not
        break libraries that reserve large virtual ranges up front."""
        while not self._stopped.wait(MEMORY_POLL_SECONDS):
            for handle in self.live_handles():
                if handle.pid is None or handle.kill_reason or not handle.running:
                    continue  # an idle executor's memory is its cache, which the block store bounds
                try:
                    with open("/proc/%d/statm" % handle.pid) as f:
                        rss = int(f.read().split()[1]) * _PAGE_SIZE
                except (OSError, ValueError, IndexError):
                    continue
                if rss > self.memoryLimit:
                    handle.memory_exceeded = True
                    kill_executor(handle, "executor %s exceeded its memory limit: %.0f MiB resident, more than "
                                          "spark.executor.memory + spark.executor.memoryOverhead (%.0f MiB)" % (
                                              handle.executor_id, rss / 2 ** 20, self.memoryLimit / 2 ** 20))


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
