"""Fault injection against real executor processes: every fault ends in the exact result or the
documented error, the listener bus reports what happened, and no process is left behind.

Executors are found as the context reports them (``sc.executors``: id, pid, cores) and killed with
real signals from another thread while slow user functions keep the window open.
"""

import contextlib
import os
import pickle
import re
import signal
import threading
import time
import _thread
from operator import add

import psutil
import pytest

from sparklet import SparkConf, SparkContext, SparkFiles, TaskContext
from sparklet.errors import JobCancelledError, SparkException
from sparklet.listener import SparkListener


class Recorder(SparkListener):
    """Keeps the events the assertions need; callbacks run on the listener bus thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.removed = []
        self.added = []
        self.submitted = []  # StageInfo of every stage attempt submitted
        self.task_starts = []
        self.task_ends = []
        self.shuffle_stages = set()
        self.on_task_start = None
        self.on_task_end = None

    def onExecutorAdded(self, event):
        with self.lock:
            self.added.append(event)

    def onExecutorRemoved(self, event):
        with self.lock:
            self.removed.append(event)

    def onStageSubmitted(self, event):
        with self.lock:
            self.submitted.append(event.stageInfo)
            if event.stageInfo.isShuffleMap:
                self.shuffle_stages.add(event.stageInfo.stageId)

    def onTaskStart(self, event):
        with self.lock:
            self.task_starts.append(event)
        if self.on_task_start:
            self.on_task_start(event)

    def onTaskEnd(self, event):
        with self.lock:
            self.task_ends.append(event)
        if self.on_task_end:
            self.on_task_end(event)

    def resubmitted(self):
        return [(s.stageId, s.attemptNumber) for s in self.submitted if s.attemptNumber > 0]


@contextlib.contextmanager
def own_contexts():
    """Lets a test create its own contexts although the suite may share one (conftest's ``sc``):
    Spark allows one active context per process, so the shared one is set aside meanwhile and
    made active again afterwards, untouched."""
    saved = SparkContext._active_spark_context, SparkFiles._sc, SparkFiles._root_directory
    SparkContext._active_spark_context = None
    try:
        yield
    finally:
        SparkContext._active_spark_context, SparkFiles._sc, SparkFiles._root_directory = saved


@pytest.fixture
def make_context():
    """Contexts made by a test, each stopped afterwards; checks that every executor process any of
    them ever started (replacements included) is gone, and so is the local directory."""
    made = []

    def make(master="local[2]", **conf):
        c = SparkConf().setMaster(master).setAppName("faults")
        c.set("spark.sparklet.console.taskOutput", "false")
        for k, v in conf.items():
            c.set(k.replace("_", "."), v)
        with own_contexts():
            sc = SparkContext(conf=c)
        rec = Recorder()
        sc.addSparkListener(rec)
        made.append((sc, rec))
        return sc, rec

    yield make
    for sc, rec in made:
        sc.stop()
    for sc, rec in made:
        pids = {e.executorInfo.pid for e in rec.added}
        assert_processes_gone(pids)
        assert not os.path.exists(sc._local_dir), "local dir %s outlived sc.stop()" % sc._local_dir


def assert_processes_gone(pids, within=5.0):
    deadline = time.monotonic() + within
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE}
        time.sleep(0.05)
    assert not alive, "executor processes left behind: %s" % sorted(alive)


def wait_executors(sc, n=None, timeout=10.0):
    """The live executors once ``n`` (default: the core count) have registered."""
    n = n or sc._cores
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        live = [e for e in sc.executors if e[1] is not None and psutil.pid_exists(e[1])]
        if len(live) >= n and all(h.ready for h in sc.dagScheduler.executors.values()):
            return live
        time.sleep(0.02)
    raise AssertionError("executors did not register: %s" % sc.executors)


def pid_of(sc, executor_id):
    return dict((e[0], e[1]) for e in sc.executors)[executor_id]


def kill_from_thread(condition, action):
    """Run ``action`` on a separate thread once ``condition()`` holds (polled)."""

    def run():
        deadline = time.monotonic() + 30
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.01)
        action()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def kill_executor_of_first(sc, rec, matching, settle=0.0):
    """SIGKILL, from a separate thread, the executor of the first task event ``matching(rec)``
    returns, ``settle`` seconds after it arrived. Returns the thread and {"id": the victim}."""
    victim = {}

    def arrived():
        with rec.lock:
            events = matching(rec)
        if events:
            victim["id"] = events[0].taskInfo.executorId
            time.sleep(settle)
            return True
        return False

    return kill_from_thread(arrived, lambda: os.kill(pid_of(sc, victim["id"]), signal.SIGKILL)), victim


def map_outputs_written(rec):
    return [e for e in rec.task_ends if e.reason == "Success" and e.taskType == "ShuffleMapTask"]


def slow(seconds):
    def f(x):
        time.sleep(seconds)
        return x

    return f


# ---- executor loss ----


def test_sigkill_during_shuffle_map_stage_recomputes_lost_map_outputs(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    killer, victim = kill_executor_of_first(sc, rec, map_outputs_written)
    data = list(range(120))
    out = (sc.parallelize(data, 6).map(slow(0.02)).map(lambda x: (x % 7, x))
           .reduceByKey(add).collect())
    killer.join()
    assert sorted(out) == sorted({k: sum(x for x in data if x % 7 == k) for k in range(7)}.items())
    sc.listenerBus.waitUntilEmpty()
    assert [e.executorId for e in rec.removed] == [victim["id"]]
    assert "signal 9" in rec.removed[0].reason
    # The map output the victim had written is gone: the map stage runs again as attempt 1.
    assert any(sid in rec.shuffle_stages and attempt == 1 for sid, attempt in rec.resubmitted())
    assert len(wait_executors(sc)) == 2  # the pool replaced the lost executor


def test_sigkill_during_result_stage_resubmits_parent_stage(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    killer, victim = kill_executor_of_first(
        sc, rec, lambda rec: [e for e in rec.task_starts if e.stageId not in rec.shuffle_stages], settle=0.1)
    words = ["a", "b", "c", "d", "e", "f"] * 20
    out = (sc.parallelize(words, 4).map(lambda w: (w, 1)).reduceByKey(add, 4)
           .map(slow(0.1)).collect())
    killer.join()
    assert sorted(out) == [(w, 20) for w in "abcdef"]
    sc.listenerBus.waitUntilEmpty()
    assert [e.executorId for e in rec.removed] == [victim["id"]]
    resubmitted = rec.resubmitted()
    # Both executors wrote map outputs, so the victim's are recomputed (map stage attempt 1),
    # then the result stage runs again for the partitions still missing (attempt 1).
    assert any(sid in rec.shuffle_stages for sid, _ in resubmitted), resubmitted
    assert any(sid not in rec.shuffle_stages and attempt == 1 for sid, attempt in resubmitted), resubmitted
    lost = [e for e in rec.task_ends if e.reason.startswith("ExecutorLostFailure")]
    assert lost and all(e.taskInfo.executorId == victim["id"] for e in lost)


def test_sigkill_while_cached_blocks_exist_recomputes_them_from_lineage(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    computed = sc.accumulator(0)

    def count_compute(x):
        computed.add(1)
        return x * 3

    cached = sc.parallelize(range(100), 4).map(count_compute).cache()
    assert cached.count() == 100
    assert computed.value == 100
    locations = sc.dagScheduler.call(lambda: {k: set(v) for k, v in sc.dagScheduler.blockLocations.items()})
    assert sorted(locations) == [(cached.id(), p) for p in range(4)]
    victim = sorted({ex for where in locations.values() for ex in where})[0]
    lost = [key for key, where in locations.items() if where == {victim}]
    pid = pid_of(sc, victim)
    os.kill(pid, signal.SIGKILL)
    # A job on the cached RDD with a shuffle: the lost blocks are recomputed from lineage, the
    # surviving ones are read from the cache.
    out = cached.map(lambda x: (x % 2, x)).map(slow(0.01)).reduceByKey(add).collect()
    assert sorted(out) == [(0, sum(3 * x for x in range(100) if (3 * x) % 2 == 0)),
                           (1, sum(3 * x for x in range(100) if (3 * x) % 2 == 1))]
    # Only the victim's partitions ran count_compute again; the others were read from the cache.
    assert computed.value == 100 + 25 * len(lost)
    assert cached.collect() == [3 * x for x in range(100)]
    assert computed.value == 100 + 25 * len(lost)
    sc.listenerBus.waitUntilEmpty()
    assert [e.executorId for e in rec.removed] == [victim]
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_sigkill_of_cached_block_holder_mid_job_resubmits_stage(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    cached = sc.parallelize(range(60), 6).map(lambda x: (x % 3, x)).cache()
    assert cached.count() == 60
    killer, victim = kill_executor_of_first(sc, rec, map_outputs_written)
    out = cached.map(slow(0.05)).reduceByKey(add).collect()
    killer.join()
    assert sorted(out) == [(k, sum(x for x in range(60) if x % 3 == k)) for k in range(3)]
    sc.listenerBus.waitUntilEmpty()
    assert [e.executorId for e in rec.removed] == [victim["id"]]
    assert any(attempt == 1 for _, attempt in rec.resubmitted())


# ---- user code that ends or exhausts its process ----


def test_os_exit_in_first_attempt_is_survived(make_context):
    sc, rec = make_context()

    def exit_once(x):
        if x == 5 and TaskContext.get().attemptNumber() == 0:
            os._exit(3)
        return x + 1

    assert sc.parallelize(range(10), 2).map(exit_once).collect() == list(range(1, 11))
    sc.listenerBus.waitUntilEmpty()
    assert len(rec.removed) == 1 and "exited with code 3" in rec.removed[0].reason


def test_os_exit_every_attempt_fails_with_the_documented_error(make_context):
    sc, rec = make_context()

    def always_exit(x):
        os._exit(3)

    with pytest.raises(SparkException) as info:
        sc.parallelize([1], 1).map(always_exit).collect()
    message = str(info.value)
    assert "lost its executor 4 times" in message and "exited with code 3" in message
    assert "os._exit" in message
    # The context is usable afterwards, on a full pool.
    assert sc.parallelize(range(4), 2).sum() == 6
    assert len(wait_executors(sc)) == 2


def test_uncaught_memory_error_is_the_users_exception(make_context):
    sc, rec = make_context()

    def allocate(x):
        if x == 3:
            return bytearray(1 << 46)  # 64 TiB: the allocation really fails
        return x

    with pytest.raises(MemoryError) as info:
        sc.parallelize(range(4), 2).map(allocate).collect()
    assert info.value.partitionId == 1
    remote = info.value.remoteTraceback
    assert 'File "%s", line' % __file__ in remote and "bytearray(1 << 46)" in remote
    assert remote.count('File "') == 1, remote  # the engine's own frames are left out
    assert sc.parallelize(range(4), 2).map(lambda x: x * 2).collect() == [0, 2, 4, 6]
    sc.listenerBus.waitUntilEmpty()
    assert rec.removed == []  # a MemoryError fails the task, not the executor


def _stop_at_three(x):
    if x == 3:
        raise StopIteration("no more")
    return (x, 1)


def _add_stopping_at_three(a, b):
    if b == 3:
        raise StopIteration("no more")
    return a + b


@pytest.mark.parametrize("pipeline", [
    lambda rdd: rdd.map(_stop_at_three).collect(),  # map's generator (PEP 479)
    lambda rdd: rdd.map(_stop_at_three).reduceByKey(add).collect(),  # the combine calls f itself
    lambda rdd: rdd.filter(_stop_at_three).count(),
    lambda rdd: rdd.map(lambda x: (x % 2, x)).reduceByKey(_add_stopping_at_three).collect(),
], ids=["map", "map-reduceByKey", "filter", "reduceByKey-func"])
def test_stop_iteration_from_user_code_fails_the_task(make_context, pipeline):
    sc, _ = make_context()
    # Never a partition cut short at the record that raised: the job fails, saying why.
    with pytest.raises(RuntimeError, match="^Caught StopIteration thrown from user's code; failing the task\n") as info:
        pipeline(sc.parallelize(range(6), 1))
    remote = info.value.remoteTraceback
    assert 'raise StopIteration("no more")' in remote and remote.count('File "') == 1, remote


# ---- retries ----


def test_task_failing_twice_then_succeeding_under_local_2_3(make_context):
    sc, rec = make_context("local[2,3]")

    def flaky(x):
        if x == 7 and TaskContext.get().attemptNumber() < 2:
            raise ValueError("transient failure %d" % TaskContext.get().attemptNumber())
        return x * 10

    assert sc.parallelize(range(10), 2).map(flaky).collect() == [x * 10 for x in range(10)]
    sc.listenerBus.waitUntilEmpty()
    attempts = sorted(e.taskInfo.attemptNumber for e in rec.task_ends if e.taskInfo.partitionId == 1)
    assert attempts == [0, 1, 2]
    failed = [e for e in rec.task_ends if e.reason.startswith("ExceptionFailure")]
    assert len(failed) == 2 and "transient failure" in failed[0].reason


def test_task_failing_always_under_local_2_3_fails_after_three_attempts(make_context):
    sc, rec = make_context("local[2,3]")

    def bad(x):
        raise KeyError("missing %d" % x)

    with pytest.raises(KeyError) as info:
        sc.parallelize([1], 1).map(bad).collect()
    assert any("failed 3 times" in n for n in info.value.__notes__)
    sc.listenerBus.waitUntilEmpty()
    assert len([e for e in rec.task_ends if e.reason.startswith("ExceptionFailure")]) == 3


def test_first_failure_fails_the_job_under_local_2(make_context):
    sc, rec = make_context("local[2]")

    def flaky(x):
        if TaskContext.get().attemptNumber() == 0:
            raise ValueError("first attempt fails")
        return x

    with pytest.raises(ValueError, match="first attempt fails"):
        sc.parallelize([1, 2], 1).map(flaky).collect()
    sc.listenerBus.waitUntilEmpty()
    assert [e.taskInfo.attemptNumber for e in rec.task_ends] == [0]


# ---- cancellation ----


def long_job(sc, seconds=30):
    return sc.parallelize(range(4), 2).map(slow(seconds / 2)).collect


def assert_pool_usable(sc, rec, cancelled_at):
    """Every task of the cancelled job ends within a second of the cancellation, and the next job
    runs normally on a full pool."""
    stuck = None
    while time.monotonic() - cancelled_at < 1.0:
        sc.listenerBus.waitUntilEmpty()
        with rec.lock:
            ended = {e.taskInfo.taskId for e in rec.task_ends}
            stuck = [e for e in rec.task_starts if e.taskInfo.taskId not in ended]
        if not stuck:
            break
        time.sleep(0.02)
    assert not stuck, "tasks of the cancelled job still running 1 s after the cancellation: %s" % stuck
    start = time.monotonic()
    assert sc.parallelize(range(100), 4).map(lambda x: x + 1).sum() == 5050
    assert time.monotonic() - start < 5
    assert len(wait_executors(sc)) == 2


def test_interrupt_during_30s_job(make_context):
    sc, rec = make_context()
    pids = {p for _, p, _ in wait_executors(sc)}
    started = threading.Event()
    rec.on_task_start = lambda e: started.set()
    sent = {}

    def interrupt():
        started.wait(10)
        time.sleep(0.3)
        sent["at"] = time.monotonic()
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        long_job(sc)()
    assert time.monotonic() - sent["at"] < 1.0
    assert_pool_usable(sc, rec, sent["at"])
    # The sleeping tasks stopped when killed: the same executors serve on.
    assert {p for _, p, _ in sc.executors} == pids
    killed = [e for e in rec.task_ends if e.reason.startswith("TaskKilled")]
    assert len(killed) == 2


def test_interrupt_main_during_job(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    started = threading.Event()
    rec.on_task_start = lambda e: started.set()
    sent = {}

    def interrupt():
        started.wait(10)
        sent["at"] = time.monotonic()
        _thread.interrupt_main()

    threading.Thread(target=interrupt, daemon=True).start()
    with pytest.raises(KeyboardInterrupt):
        long_job(sc)()
    assert time.monotonic() - sent["at"] < 1.0
    assert_pool_usable(sc, rec, sent["at"])


def test_cancel_job_group_from_another_thread(make_context):
    sc, rec = make_context()
    wait_executors(sc)
    started = threading.Event()
    rec.on_task_start = lambda e: started.set()
    sent = {}

    def cancel():
        started.wait(10)
        time.sleep(0.2)
        sent["at"] = time.monotonic()
        sc.cancelJobGroup("slow-group")

    threading.Thread(target=cancel, daemon=True).start()
    sc.setJobGroup("slow-group", "thirty seconds of sleep")
    try:
        with pytest.raises(JobCancelledError, match="slow-group"):
            long_job(sc)()
    finally:
        sc.clearJobGroup()
    assert time.monotonic() - sent["at"] < 1.0
    assert_pool_usable(sc, rec, sent["at"])


def test_cancel_all_jobs_stops_a_busy_loop_that_ignores_the_kill(make_context):
    sc, rec = make_context()
    before = {p for _, p, _ in wait_executors(sc)}
    started = threading.Event()
    rec.on_task_start = lambda e: started.set()

    def spin(x):
        # Deaf to the kill request: the executor has to be replaced.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        while True:
            pass

    def cancel():
        started.wait(10)
        time.sleep(0.2)
        sc.cancelAllJobs()

    threading.Thread(target=cancel, daemon=True).start()
    t0 = time.monotonic()
    with pytest.raises(JobCancelledError):
        sc.parallelize([1], 1).map(spin).collect()
    assert time.monotonic() - t0 < 5
    # Within the kill timeout (1 s) plus a start-up, the spinning executor is replaced.
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        now = {p for _, p, _ in sc.executors}
        if len(now) == 2 and now != before and all(h.ready for h in sc.dagScheduler.executors.values()):
            break
        time.sleep(0.05)
    after = {p for _, p, _ in sc.executors}
    assert len(after & before) == 1 and len(after) == 2
    sc.listenerBus.waitUntilEmpty()
    assert len(rec.removed) == 1 and "did not stop" in rec.removed[0].reason
    assert sc.parallelize(range(10), 2).sum() == 45


def test_cancelling_a_task_that_prints_keeps_its_executor(make_context):
    # The kill lands while the task streams its output to the driver: the message in flight
    # must arrive whole, so the executor survives and serves the next job.
    sc, rec = make_context()
    before = {p for _, p, _ in wait_executors(sc)}

    def chatty(x):
        line = "y" * 100_000
        while True:
            print(line)

    for _ in range(5):
        threading.Timer(0.3, sc.cancelAllJobs).start()
        with pytest.raises(JobCancelledError):
            sc.parallelize(range(2), 2).map(chatty).collect()
    assert sc.parallelize(range(10), 2).sum() == 45
    sc.listenerBus.waitUntilEmpty()
    assert rec.removed == []
    assert {p for _, p, _ in sc.executors} == before


# ---- limits ----


def test_collect_over_max_result_size_raises_a_clear_error(make_context):
    sc, rec = make_context(spark_driver_maxResultSize="1m")
    rdd = sc.parallelize(range(8), 4).map(lambda i: "x" * 400_000)
    with pytest.raises(SparkException, match="spark.driver.maxResultSize"):
        rdd.collect()
    assert rdd.map(len).sum() == 3_200_000  # small results still pass


def test_single_task_result_over_max_result_size_is_not_sent(make_context):
    sc, rec = make_context(spark_driver_maxResultSize="1m")
    with pytest.raises(SparkException, match=r"spark.driver.maxResultSize \(1.0 MiB\)") as info:
        sc.parallelize([0], 1).map(lambda i: b"y" * 50_000_000).collect()
    assert "(47.7 MiB)" in str(info.value)
    sc.listenerBus.waitUntilEmpty()
    # The executor refused to send it: the driver never held the 50 MB.
    [end] = rec.task_ends
    size = re.fullmatch(r"TaskResultLost\(result of (\d+) bytes over spark.driver.maxResultSize\)", end.reason)
    assert size and 50_000_000 < int(size.group(1)) < 50_000_100


class Connection:
    def __init__(self):
        self.settings = {"timeout": 3, "lock": threading.Lock()}


def test_unpicklable_closure_names_the_object_and_its_path(make_context):
    sc, rec = make_context()
    conn = Connection()

    def lookup(x):
        return conn.settings["timeout"] * x

    with pytest.raises(pickle.PicklingError) as info:
        sc.parallelize([1, 2]).map(lookup).collect()
    message = str(info.value)
    line = lookup.__code__.co_firstlineno
    assert "cannot pickle '_thread.lock' object" in message
    assert ("lookup (at %s:%d) -> closure variable 'conn' (a test_faults.Connection) -> .settings (a dict) "
            "-> ['lock'] (a _thread.lock)" % (__file__, line)) in message
    assert sc.parallelize([1, 2]).map(lambda x: x).collect() == [1, 2]


def test_function_whose_code_marshal_cannot_write_still_ships(make_context):
    sc, rec = make_context()

    def triple(x):
        return x * 3

    # Code built by hand may hold any constant; marshal writes only the compiler's kinds.
    triple.__code__ = triple.__code__.replace(co_consts=triple.__code__.co_consts + (range(3),))
    assert sc.parallelize([1, 2]).map(triple).collect() == [3, 6]


def test_unpicklable_task_result_names_the_record_and_attribute(make_context):
    sc, rec = make_context()
    with pytest.raises(pickle.PicklingError) as info:
        sc.parallelize([1, 2], 1).map(lambda x: Connection() if x == 2 else x).collect()
    assert ("the partition's records (a list) -> [1] (a test_faults.Connection) -> .settings (a dict) "
            "-> ['lock'] (a _thread.lock)") in str(info.value)


def test_executor_over_its_memory_limit_is_reported_as_such(make_context):
    sc, rec = make_context("local[2,2]", spark_executor_memory="150m", spark_executor_memoryOverhead="50m")

    def hog(x):
        if x == 1:
            block = b"x" * (400 << 20)
            time.sleep(3)  # held long enough to be seen, however the machine is loaded
            return len(block)
        return x

    with pytest.raises(SparkException) as info:
        sc.parallelize(range(4), 2).map(hog).collect()
    message = str(info.value)
    assert "Task 0 of stage 0 failed 2 times" in message
    assert "exceeded its memory limit" in message
    assert "spark.executor.memory + spark.executor.memoryOverhead (200 MiB)" in message
    sc.listenerBus.waitUntilEmpty()
    assert len(rec.removed) == 2 and all("exceeded its memory limit" in e.reason for e in rec.removed)
    # Small tasks run on under the same limit, on replaced executors.
    assert sc.parallelize(range(4), 2).sum() == 6


# ---- what PySpark's own unit tests (tests/test_pyspark_unit.py) found ----


def test_system_exit_in_a_task_fails_the_job_with_an_ordinary_exception(make_context):
    # SystemExit raised as such in the driver would end the application and escape `except Exception`.
    sc, rec = make_context()

    def leave(x):
        raise SystemExit(3)

    with pytest.raises(Exception) as info:
        sc.parallelize(range(4), 2).foreach(leave)
    assert type(info.value).__name__ == "PythonException"
    assert str(info.value).startswith("SystemExit: 3")
    assert "it was running leave(x=" in "\n".join(info.value.__notes__)
    assert sc.parallelize(range(100), 2).map(str).count() == 100


def test_cancel_all_jobs_returns_once_no_process_runs_the_cancelled_tasks(make_context, tmp_path):
    sc, rec = make_context()
    wait_executors(sc)
    beats = tmp_path / "beats"

    def beat_deaf_to_kills(x):
        # A task that ignores the kill (a C extension's loop, say): it stops only with its process.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        while True:
            with open(beats, "a") as f:
                f.write(".")
            time.sleep(0.01)

    def beat(x):
        while True:
            with open(beats, "a") as f:
                f.write(".")
            time.sleep(0.01)

    for task in (beat, beat_deaf_to_kills):
        beats.write_text("")
        outcome = {}

        def run():
            try:
                sc.parallelize(range(2), 2).foreach(task)
            except JobCancelledError as e:
                outcome["error"] = e

        job = threading.Thread(target=run, daemon=True)
        job.start()
        deadline = time.monotonic() + 10
        while len(beats.read_text()) < 10 and time.monotonic() < deadline:
            time.sleep(0.01)
        sc.cancelAllJobs()
        after_cancel = len(beats.read_text())
        time.sleep(0.5)
        assert len(beats.read_text()) == after_cancel, "%s still ran after cancelAllJobs() returned" % task.__name__
        job.join(5)
        assert "error" in outcome
    assert sc.parallelize(range(10), 2).sum() == 45


def test_spark_executor_pyspark_memory_limits_each_executor_address_space(make_context):
    import resource

    sc, rec = make_context(spark_executor_pyspark_memory="1g")
    assert sc.parallelize(range(2), 2).map(lambda _: resource.getrlimit(resource.RLIMIT_AS)).collect() == [
        (1 << 30, 1 << 30)] * 2

    def allocate(x):
        return len(bytearray(1200 << 20))

    # Over the limit, the allocation fails in the task (the user's MemoryError), not the process.
    with pytest.raises(MemoryError):
        sc.parallelize([1], 1).map(allocate).collect()
    sc.listenerBus.waitUntilEmpty()
    assert rec.removed == []


def test_barrier_job_runs_on_the_processes_of_the_previous_job(make_context):
    # Right after the context starts: the first job must already get one process per core.
    sc, rec = make_context("local[2]", spark_python_worker_reuse="true")
    first = set(sc.parallelize(range(2), 2).map(lambda x: os.getpid()).collect())
    assert len(first) == 2

    def meet(iterator):
        from sparklet import BarrierTaskContext

        BarrierTaskContext.get().barrier()
        yield os.getpid()

    assert set(sc.parallelize(range(10), 2).barrier().mapPartitions(meet).collect()) == first


def test_toLocalIterator_prefetch_computes_the_next_partition_ahead(make_context):
    sc, rec = make_context()
    rdd = sc.parallelize(range(2), 2)
    for prefetch, ahead in ((True, True), (False, False)):
        it = rdd.map(lambda x: time.time()).toLocalIterator(prefetchPartitions=prefetch)
        first = next(it)
        time.sleep(1.5)
        assert (next(it) - first < 1.0) is ahead, "prefetchPartitions=%s" % prefetch
