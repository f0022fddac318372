"""The executor process: runs tasks sent by the driver, one at a time, in a long-lived worker.

Started by the driver as ``python -m sparklet.executor FD`` (never forked from the driver, which is
threaded) with ``PYTHONHASHSEED=0``. It talks to the driver over one socket (FD) in pickled
messages. The main thread runs tasks; a reader thread receives messages, so that a kill request
reaches a busy task, and so that the executor exits at once when the driver goes away (end of file
on the socket), whatever the driver died of.

A stage's closures (its RDD lineage and functions) arrive once per executor, with its first task,
and are kept until the driver releases the stage. What the user's code prints goes back to the
driver tagged with its task, instead of being lost in a worker's console.
"""

import fcntl
import os
import pickle
import queue
import shutil
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection

from . import accumulators, broadcast
from .blockmanager import BlockStore
from .errors import extract_user_frames
from .files import SparkFiles
from .serializers import dumps_closure, dumps_records, unpicklable_path
from .shuffle import FetchFailedError, MapStatus, read_reduce_batches, read_reduce_input, write_map_output
from .taskcontext import BarrierTaskContext, TaskContext
from .util import import_in_background


class TaskKilledError(BaseException):
    """Raised inside a running task when the driver kills it (BaseException: user code that
    catches Exception must not swallow it)."""


class ResultTooLarge(Exception):
    def __init__(self, size):
        super().__init__(size)
        self.size = size


def _user_stop_iteration(exc):
    """The error a task fails with when the user's function raised StopIteration: raw, out of a
    loop that calls the function itself, or turned by a generator into "generator raised
    StopIteration", which reads as an engine fault. Said as PySpark says it, with the user's
    frames; None for any other error."""
    if isinstance(exc, StopIteration):
        stop = exc
    elif type(exc) is RuntimeError and isinstance(exc.__cause__, StopIteration) and (
            str(exc) == "generator raised StopIteration"):
        stop = exc.__cause__
    else:
        return None
    error = RuntimeError("Caught StopIteration thrown from user's code; failing the task")
    error.__cause__ = stop
    return error.with_traceback(stop.__traceback__)


def _limit_address_space(limit):
    """spark.executor.pyspark.memory, applied as PySpark's workers apply it: RLIMIT_AS (soft and
    hard), unless a lower soft limit is already in place."""
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY or limit < soft:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError) as e:
        print("WARN: Failed to set memory limit: %s" % e, file=sys.stderr)


def _new_metrics():
    return {
        "executorDeserializeTime": 0,
        "executorRunTime": 0,
        "executorCpuTime": 0,
        "resultSize": 0,
        "inputMetrics": {"bytesRead": 0, "recordsRead": 0},
        "outputMetrics": {"bytesWritten": 0, "recordsWritten": 0},
        "shuffleReadMetrics": {"localBlocksFetched": 0, "remoteBlocksFetched": 0, "localBytesRead": 0,
                               "remoteBytesRead": 0, "recordsRead": 0, "fetchWaitTime": 0},
        "shuffleWriteMetrics": {"bytesWritten": 0, "recordsWritten": 0, "writeTime": 0},
    }


class _TaskOutput:
    """Replaces sys.stdout / sys.stderr while a task runs: what the task prints is sent to the
    driver in chunks (at line ends, at most every 50 ms), tagged with the task."""

    def __init__(self, executor, stream):
        self.executor = executor
        self.stream = stream
        self.task_id = None
        self.buffer = []
        self.size = 0
        self.last_sent = 0.0
        self.encoding = "utf-8"

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        self.buffer.append(text)
        self.size += len(text)
        if "\n" in text and (self.size > 8192 or time.monotonic() - self.last_sent > 0.05):
            self.flush()
        return len(text)

    def flush(self):
        if self.buffer and self.task_id is not None:
            self.executor.send(("output", self.task_id, self.stream, "".join(self.buffer)))
            self.last_sent = time.monotonic()
        self.buffer = []
        self.size = 0

    def isatty(self):
        return False

    def writable(self):
        return True

    def fileno(self):
        raise OSError("task output is captured and has no file descriptor")


class ExecutorEnv:
    """What a task's RDDs reach through ``context._env``: the block store, this task's slices of
    driver data, and where its shuffle inputs are."""

    def __init__(self, executor_id, local_dir, memory_budget):
        self.executor_id = executor_id
        self.shuffle_dir = os.path.join(local_dir, "shuffle", "executor-%s" % executor_id)
        os.makedirs(self.shuffle_dir, exist_ok=True)
        self.blocks = BlockStore(executor_id, os.path.join(local_dir, "blocks", "executor-%s" % executor_id),
                                 memory_budget)
        self.task_inputs = {}  # (rddId, partition) -> what RDD.task_input gave on the driver
        self.metrics = None

    def read_shuffle(self, rdd, reduce_id):
        """The records of ``rdd``'s (a ShuffledRDD's) partition ``reduce_id``."""
        return read_reduce_input(rdd.shuffle_dep.shuffleId, self.task_inputs[(rdd._id, reduce_id)], self.metrics)

    def read_shuffle_batches(self, rdd, reduce_id):
        return read_reduce_batches(rdd.shuffle_dep.shuffleId, self.task_inputs[(rdd._id, reduce_id)], self.metrics)


class ExecutorPresence:
    """A lock file per live executor under the application's local directory, held (flock) for
    the life of the process: the kernel drops the lock when the process dies, however it dies, so
    an executor can tell whether any of its peers is still running.

    Arriving and leaving both take turns on one more lock: an executor still starting when the
    driver dies either registers before a leaving peer looks (and is seen), or finds the
    directory gone (FileNotFoundError) and must not recreate any of it."""

    def __init__(self, local_dir, executor_id):
        self.local_dir = local_dir
        self.dir = os.path.join(local_dir, "executors")
        try:
            os.mkdir(self.dir)  # never makedirs: that would bring back a removed local directory
        except FileExistsError:
            pass
        self.path = os.path.join(self.dir, "executor-%s.lock" % executor_id)
        turn = self._take_turn()
        try:
            self.fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        finally:
            os.close(turn)

    def _take_turn(self):
        turn = os.open(os.path.join(self.dir, "turn.lock"), os.O_CREAT | os.O_WRONLY, 0o600)
        fcntl.flock(turn, fcntl.LOCK_EX)
        return turn

    def remove_local_dir_if_last(self):
        try:
            self._take_turn()  # kept until this process exits, so no peer arrives while we look
        except OSError:
            return  # the directory is already gone
        os.close(self.fd)
        for name in os.listdir(self.dir):
            if name.endswith(".lock") and name != "turn.lock" and os.path.join(self.dir, name) != self.path:
                try:
                    fd = os.open(os.path.join(self.dir, name), os.O_WRONLY)
                except OSError:
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return  # a peer still runs: it will clean up when it leaves
                finally:
                    os.close(fd)
        # Another process may still be deleting in the same tree (a driver that died halfway
        # through its own stop()): entries can vanish under us, so go round until it is gone.
        for _ in range(20):
            shutil.rmtree(self.local_dir, ignore_errors=True)
            if not os.path.exists(self.local_dir):
                break
            time.sleep(0.05)


class Executor:
    def __init__(self, conn):
        self.conn = conn
        self.send_lock = threading.Lock()
        self.tasks = queue.SimpleQueue()
        self.stages = {}  # binary key -> (deserialized stage, {aid: accumulator})
        self.running_task = None
        self.kill_requested = None
        # Kills that arrive before their task starts (still queued, or its stage loading) are
        # remembered so the task ends as killed the moment it starts.
        self.kill_lock = threading.Lock()
        self.killed_early = set()
        self.barrier_replies = queue.SimpleQueue()
        self.preloading = None  # set once the preload has imported the package it starts with
        self.exit_lock = threading.Lock()
        self.presence = None

    def send(self, msg):
        # Accumulator updates ride in the message itself and may hold classes from the driver's
        # __main__ (a custom AccumulatorParam's values), which only cloudpickle can send back.
        data = dumps_records(msg)
        # A kill (SIGUSR1, raising in the main thread) must not land between the writes of one
        # message: half a message would garble the stream and cost the executor.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        try:
            with self.send_lock:
                self.conn.send_bytes(data)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    # -- reader thread --

    def read_loop(self):
        try:
            while True:
                msg = pickle.loads(self.conn.recv_bytes())
                kind = msg[0]
                if kind == "task":
                    self.tasks.put(msg[1])
                elif kind == "kill":
                    with self.kill_lock:
                        if self.running_task == msg[1]:
                            self.kill_requested = msg[1]
                            signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1)
                        else:
                            self.killed_early.add(msg[1])
                elif kind == "release_stage":
                    self.tasks.put(("release_stage", msg[1]))
                elif kind == "remove_rdd":
                    self.tasks.put(("remove_rdd", msg[1]))
                elif kind == "remove_broadcast":
                    broadcast.forget(msg[1])
                elif kind == "barrier_reply":
                    self.barrier_replies.put(msg[1])
                elif kind == "preload":
                    # modules a coming kind of task will need (the SQL layer's, when a session
                    # starts), imported while the executor waits for it
                    self.preloading = threading.Event()
                    import_in_background(msg[1], first_loaded=self.preloading)
                elif kind == "add_path":
                    if msg[1] not in sys.path:
                        sys.path.insert(1, msg[1])
                elif kind == "stop":
                    # The driver removes the application's files itself; a running task's result
                    # has no one to go to, so there is nothing to wait for.
                    os._exit(0)
        except (EOFError, OSError):
            pass
        self.driver_gone()

    def watch_driver(self, driver_pid):
        # The socket normally tells first; this covers a socket kept open by another process
        # that inherited it (a subprocess the user's driver code started, say).
        while os.getppid() == driver_pid:
            time.sleep(1.0)
        self.driver_gone()

    def driver_gone(self):
        """The driver died without stopping us (SIGKILL, a crash): nothing this process holds is
        of use to anyone. The last executor out removes the application's local directory, which
        the driver can no longer do."""
        with self.exit_lock:
            try:
                self.presence.remove_local_dir_if_last()
            finally:
                os._exit(0)

    # -- main thread --

    def on_kill_signal(self, signum, frame):
        if self.kill_requested is not None and self.kill_requested == self.running_task:
            self.kill_requested = None
            raise TaskKilledError()

    def run(self, init):
        os.chdir(init["cwd"])
        for p in reversed(init["sys_path"]):
            if p not in sys.path:
                sys.path.insert(0, p)
        try:
            self.presence = ExecutorPresence(init["local_dir"], init["executor_id"])
        except FileNotFoundError:
            os._exit(0)  # the driver stopped or died (and its files were removed) while we started
        self.env = ExecutorEnv(init["executor_id"], init["local_dir"], init["memory_budget"])
        if init.get("pyspark_memory"):
            _limit_address_space(init["pyspark_memory"])
        SparkFiles._root_directory = init["files_dir"]
        SparkFiles._is_running_on_worker = True
        self.stdout = _TaskOutput(self, "stdout")
        self.stderr = _TaskOutput(self, "stderr")
        signal.signal(signal.SIGUSR1, self.on_kill_signal)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in a terminal is for the driver
        threading.Thread(target=self.read_loop, name="executor-reader", daemon=True).start()
        threading.Thread(target=self.watch_driver, args=(init["driver_pid"],), name="driver-watch",
                         daemon=True).start()
        self.send(("registered", init["executor_id"], os.getpid()))
        while True:
            item = self.tasks.get()
            if item is None:
                return
            if isinstance(item, tuple):
                if item[0] == "release_stage":
                    self.stages.pop(item[1], None)
                else:
                    self.env.blocks.remove_rdd(item[1])
                continue
            if self.preloading is not None:
                # a task never imports beside the preload of the package it starts with: a
                # package whose __init__ imports its own modules, imported from two threads at
                # once, can hand one of them a module the other has only half run (ImportError:
                # partially initialized module); the acyclic rest may load beside the task
                self.preloading.wait()
                self.preloading = None
            self.run_task(item)

    def load_stage(self, task):
        key = task["binaryKey"]
        if key not in self.stages:
            accumulators._deserialized.registry = {}
            try:
                stage = pickle.loads(task["binary"])
                self.stages[key] = (stage, accumulators._deserialized.registry)
            finally:
                accumulators._deserialized.registry = None
        return self.stages[key]

    def run_task(self, task):
        task_id = task["taskId"]
        metrics = _new_metrics()
        self.env.metrics = metrics
        self.env.task_inputs = task["inputs"]
        context_cls = BarrierTaskContext if task["barrier"] else TaskContext
        tc = context_cls(task["stageId"], task["partition"], task["attemptNumber"], task_id,
                         task["properties"], stageAttemptNumber=task["stageAttempt"])
        tc._env = self.env

        def count_input(n):
            metrics["inputMetrics"]["recordsRead"] += n

        tc._metrics_input = count_input
        if task["barrier"]:
            tc._numTasks = task["numTasks"]
            tc._barrier_channel = lambda kind, message: self.barrier_call(task_id, kind, message)
        TaskContext._setTaskContext(tc)
        self.stdout.task_id = self.stderr.task_id = task_id
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.stdout, self.stderr
        with self.kill_lock:
            self.running_task = task_id
            killed_before_start = task_id in self.killed_early
            # Tasks reach an executor in id order: kills of lower ids came too late to matter.
            self.killed_early = {t for t in self.killed_early if t > task_id}
        started = time.monotonic()
        cpu_started = time.thread_time_ns()
        outcome = None
        map_output = None
        try:
            try:
                if killed_before_start:
                    raise TaskKilledError()
                (stage, accums) = self.load_stage(task)
                for accum in accums.values():
                    accum._start_task()
                deserialized = time.monotonic()
                metrics["executorDeserializeTime"] = int((deserialized - started) * 1000)
                if task["kind"] == "result":
                    rdd, func = stage
                    result = list(func(rdd.iterator(task["partition"], tc)))
                    try:
                        payload = dumps_records(result)
                    except Exception as e:
                        raise pickle.PicklingError("The result of task %d cannot be pickled (%s: %s); what cannot be: %s" % (
                            task["partition"], type(e).__name__, e,
                            unpicklable_path(result, "the partition's records"))) from None
                    metrics["resultSize"] = len(payload)
                    limit = task.get("maxResultSize")
                    if limit and len(payload) > limit:
                        # Too big for the driver: say so without sending it.
                        raise ResultTooLarge(len(payload))
                else:
                    rdd, dep = stage
                    path = map_output = os.path.join(self.env.shuffle_dir, "shuffle_%d_%d_%d.data" % (
                        dep.shuffleId, task["partition"], task_id))
                    offsets, count = write_map_output(rdd.iterator(task["partition"], tc), dep.partitioner,
                                                      path, metrics)
                    payload = MapStatus(self.env.executor_id, path, offsets, count)
                for callback in tc._completion_callbacks:
                    callback(tc)
                self.running_task = None
                metrics["executorRunTime"] = int((time.monotonic() - deserialized) * 1000)
                metrics["executorCpuTime"] = time.thread_time_ns() - cpu_started
                updates = {aid: a._value for aid, a in accums.items()}
                outcome = ("success", payload, updates)
            finally:
                self.running_task = None
                self.kill_requested = None
                self.stdout.flush()
                self.stderr.flush()
                sys.stdout, sys.stderr = saved
                TaskContext._setTaskContext(None)
        except TaskKilledError:
            outcome = ("killed", None, None)
        except ResultTooLarge as e:
            outcome = ("result_too_large", e.size, None)
        except FetchFailedError as e:
            outcome = ("fetch_failed", (e.shuffleId, e.mapIndex, str(e)), None)
        except BaseException as e:  # the user's error, whatever it is, fails this task only
            outcome = ("failed", self.describe_failure(_user_stop_iteration(e) or e), None)
        metrics["executorRunTime"] = metrics["executorRunTime"] or int((time.monotonic() - started) * 1000)
        block_updates, block_events = self.env.blocks.take_updates()
        status, payload, updates = outcome
        if status != "success" and map_output is not None:
            # A map task that failed or was killed halfway leaves no one a use for its file.
            try:
                os.unlink(map_output)
            except FileNotFoundError:
                pass
        try:
            self.send(("finished", task_id, status, payload, updates, metrics, block_updates, block_events))
        except (pickle.PicklingError, TypeError, AttributeError) as e:
            failure = self.describe_failure(e, note="the task's accumulator updates cannot be pickled")
            self.send(("finished", task_id, "failed", failure, None, metrics, block_updates, block_events))

    def describe_failure(self, exc, note=None):
        frames = extract_user_frames(exc.__traceback__)
        try:
            exc_bytes = dumps_closure(exc)
            pickle.loads(exc_bytes)
        except Exception:
            exc_bytes = None
        full = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        message = str(exc) if not note else "%s (%s)" % (exc, note)
        return {"type": type(exc).__name__, "message": message, "exception": exc_bytes, "frames": frames,
                "full_traceback": full}

    def barrier_call(self, task_id, kind, message):
        self.send(("barrier", task_id, kind, message))
        reply = self.barrier_replies.get()
        if isinstance(reply, str):
            raise RuntimeError(reply)
        return reply


def main():
    fd = int(sys.argv[1])
    conn = Connection(fd)
    init = pickle.loads(conn.recv_bytes())
    Executor(conn).run(init)
    os._exit(0)


if __name__ == "__main__":
    main()
