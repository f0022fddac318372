"""SparkContext: the driver's entry point, with PySpark's API.

Creating a context starts the listener bus, the DAG scheduler and one executor process per core
(``local[K]``); the executors warm up in the background, so the constructor returns in
milliseconds. ``stop()`` (also at interpreter exit) stops them and removes every file the
application wrote under its local directory.
"""

import atexit
import getpass
import logging
import math
import os
import pickle
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
import weakref

from . import accumulators, hooks, listener as L
from .accumulators import Accumulator, default_param_for
from .backend import ExecutorPoolBackend
from .blockmanagermaster import BlockManagerMaster
from .broadcast import Broadcast
from .conf import SparkConf, parse_bytes, parse_duration_seconds, system_properties
from .errors import JobCancelledError, context_only_on_driver, stopped_context_error
from .files import SparkFiles
from .rdd import (EmptyRDD, ParallelCollectionRDD, UnionRDD, PartitionerAwareUnionRDD, _to_list, current_scope, operation,
                  user_call_site)
from .taskscheduler import TaskScheduler
from .dagscheduler import DAGScheduler
from .events import ShuffleCleaned
from .filesystem import local_path
from .lineage import shuffle_dependencies
from .mapoutputtracker import MapOutputTracker
from .profiler import BasicProfiler, ProfilerCollector
from .serializers import CPickleSerializer
from .appstatus import RETAINED_JOBS, AppStatusStore
from .status import StatusTracker

__all__ = ["SparkContext"]

log = logging.getLogger("sparklet")

# The Spark API level this engine follows (what ``sc.version`` reports).
SPARK_VERSION = "4.0.0"

# Resident memory of an idle executor process, kept out of its storage and execution memory.
EXECUTOR_RESERVED_MEMORY = 32 << 20

_LOCAL_MASTER = re.compile(r"^local(?:\[(\*|\d+)(?:\s*,\s*(\d+))?\])?$")


def available_cpus():
    """CPUs this process may really use: its CPU affinity, capped by a cgroup CPU quota (containers)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    quota = None
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:  # cgroup v2: "max 100000" or "150000 100000"
            q, period = f.read().split()[:2]
            if q != "max":
                quota = int(q) / int(period)
    except (OSError, ValueError):
        try:
            with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f:
                q = int(f.read())
            with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f:
                period = int(f.read())
            if q > 0:
                quota = q / period
        except (OSError, ValueError):
            pass
    if quota is not None:
        n = min(n, max(1, math.ceil(quota)))
    return max(1, n)


def parse_master(master):
    """(cores, max task failures) of a local master URL."""
    m = _LOCAL_MASTER.match(master.strip())
    if not m:
        raise ValueError(
            "Sparklet runs Spark's local master URLs: local, local[K], local[K,F] or local[*] "
            "(got %r). For a cluster (spark://, yarn, k8s://), run the same code on real Apache "
            "Spark: pip install pyspark, or in the Sparklet kernel %%%%configure {\"backend\": \"pyspark\"}."
            % master)
    cores, failures = m.group(1), m.group(2)
    if cores is None:
        n = 1
    elif cores == "*":
        n = available_cpus()
    else:
        n = int(cores)
        if n < 1:
            raise ValueError("Asked to run locally with %d threads: use at least 1" % n)
    return n, int(failures) if failures else None


class SparkContext:
    """Main entry point for Spark functionality: creates RDDs, accumulators and broadcasts.

    >>> sc.parallelize(range(5)).map(lambda x: x * x).sum()
    30
    """

    _active_spark_context = None
    _lock = threading.RLock()
    _next_accum_id = 0

    def __init__(self, master=None, appName=None, sparkHome=None, pyFiles=None, environment=None,
                 batchSize=0, serializer=CPickleSerializer(), conf=None, gateway=None, jsc=None,
                 profiler_cls=None, udf_profiler_cls=None, memory_profiler_cls=None):
        # asked outside the lock: a host's policy may wait for a context another thread is creating
        replaced = SparkContext._replace_if_allowed(conf, "constructor")
        with SparkContext._lock:
            active = SparkContext._active_spark_context
            if active is not None:
                raise ValueError(
                    "Cannot run multiple SparkContexts at once; existing SparkContext(app=%s, master=%s)"
                    " created by %s. Stop it first with sc.stop(), or use SparkContext.getOrCreate()."
                    % (active.appName, active.master, active._created_at))
            self._do_init(master, appName, sparkHome, pyFiles, environment, batchSize, serializer, conf,
                          profiler_cls or BasicProfiler, udf_profiler_cls)
            SparkContext._active_spark_context = self
        hooks.emit("context_created", self)
        if replaced is not None:
            hooks.emit("context_replaced", replaced, self)

    @classmethod
    def _replace_if_allowed(cls, conf, via):
        """Stop the active context if a driver hook lets a new one replace it; returns it then."""
        active = cls._active_spark_context
        if active is None or not hooks.replaces_active(active, conf, via):
            return None
        active.stop()
        return active

    def _do_init(self, master, appName, sparkHome, pyFiles, environment, batchSize, serializer, conf,
                 profiler_cls=None, udf_profiler_cls=None):
        self._conf = SparkConf()
        if conf is not None:
            for k, v in conf.getAll():
                self._conf.set(k, v)
        if master:
            self._conf.setMaster(master)
        if appName:
            self._conf.setAppName(appName)
        if sparkHome:
            self._conf.setSparkHome(sparkHome)
        for k, v in (environment or {}).items():
            self._conf.setExecutorEnv(k, v)
        # What PySpark's launcher gives a context made in a plain Python process (its shell and
        # spark-submit set both from their command line, as sparklet-submit does).
        if not self._conf.contains("spark.master"):
            self._conf.setMaster("local[*]")
        if not self._conf.contains("spark.app.name"):
            self._conf.setAppName("pyspark-shell")
        self.master = self._conf.get("spark.master")
        self.appName = self._conf.get("spark.app.name")
        self.sparkHome = self._conf.get("spark.home")
        self._cores, failures = parse_master(self.master)
        if failures is None:
            # Like Spark, local[K] does not retry a failed task unless spark.task.maxFailures says so.
            failures = int(self._conf.get("spark.task.maxFailures", "1"))
        self._max_task_failures = max(1, failures)
        event_log_settings = None
        if self._conf.get("spark.eventLog.enabled", "false").strip().lower() == "true":
            from . import eventlog  # only then: start-up without an event log does not pay for it

            event_log_settings = eventlog.EventLogSettings(self._conf)  # a bad setting fails before anything starts
        self.environment = {k[len("spark.executorEnv."):]: v for k, v in self._conf.getAll()
                            if k.startswith("spark.executorEnv.")}
        self.serializer = serializer
        self._batchSize = batchSize
        self.pythonExec = sys.executable
        self.pythonVer = "%d.%d" % sys.version_info[:2]
        self._created_at = user_call_site()
        self.startTime = int(time.time() * 1000)
        self._app_id = "local-%d" % self.startTime
        self._conf.set("spark.app.id", self._app_id)
        self._executor_memory = parse_bytes(self._conf.get("spark.executor.memory", "1g"))
        memory_fraction = float(self._conf.get("spark.memory.fraction", "0.6"))
        # Spark's unified memory is a fraction of the heap minus its reserved memory; an executor's
        # reserve is the interpreter itself (about 23 MiB resident before any task runs).
        self._storage_memory = int(max(self._executor_memory - EXECUTOR_RESERVED_MEMORY, 0) * memory_fraction)
        if self._conf.get("spark.python.profile", "false") == "true":
            self.profiler_collector = ProfilerCollector(profiler_cls or BasicProfiler, udf_profiler_cls,
                                                        dump_path=self._conf.get("spark.python.profile.dump", None))
        else:
            self.profiler_collector = None
        # The address-space limit (RLIMIT_AS) of each executor, in whole MiB as Spark passes it to
        # its Python workers; None (no limit) when unset or under 1 MiB.
        pyspark_memory = self._conf.get("spark.executor.pyspark.memory")
        self._pyspark_memory = ((parse_bytes(pyspark_memory) >> 20) << 20 or None) if pyspark_memory else None
        self._thread_local = threading.local()
        self._next_rdd_id = 0
        self._next_shuffle_id = 0
        self._next_broadcast = 0
        self._id_lock = threading.Lock()
        self._accumulators = {}
        self._persisted_rdds = weakref.WeakValueDictionary()
        self._checkpoint_dir = None
        self._stopped = False
        self._added_files = {}
        self._added_archives = {}
        self._python_includes = []
        base = self._conf.get("spark.local.dir") or tempfile.gettempdir()
        os.makedirs(base, exist_ok=True)
        self._local_dir = tempfile.mkdtemp(prefix="sparklet-%s-" % self._app_id, dir=base)
        self._files_dir = os.path.join(self._local_dir, "userFiles")
        os.makedirs(self._files_dir)
        SparkFiles._root_directory = self._files_dir
        SparkFiles._sc = self
        self.listenerBus = L.LiveListenerBus()
        # first on the bus, before any event: every observer reads this one fold of the events
        self.statusStore = AppStatusStore(self.listenerBus, int(self._conf.get("spark.ui.retainedJobs",
                                                                               str(RETAINED_JOBS))))
        self.listenerBus.addListener(self.statusStore)
        self._status_tracker = StatusTracker(self)
        if self._conf.get("spark.sparklet.console.taskOutput", "true").lower() == "true":
            self.listenerBus.addListener(L.ConsoleTaskOutput())
        self._event_log = eventlog.start(self, event_log_settings) if event_log_settings else None
        max_result_size = parse_bytes(self._conf.get("spark.driver.maxResultSize", "1g"))
        self._backend = ExecutorPoolBackend(self._cores, self._executor_init, self.environment, self._executor_memory,
                                            self.listenerBus, self._executor_memory_limit())
        task_scheduler = TaskScheduler(
            self._backend, self._max_task_failures,
            parse_duration_seconds(self._conf.get("spark.locality.wait", "3s")),
            parse_duration_seconds(self._conf.get("spark.task.reaper.killTimeout", "1s")), max_result_size,
            parse_duration_seconds(self._conf.get("spark.scheduler.maxRegisteredResourcesWaitingTime", "30s")))
        self._block_manager_master = BlockManagerMaster(self.listenerBus)
        self.dagScheduler = DAGScheduler(self.listenerBus, task_scheduler, MapOutputTracker(),
                                         self._block_manager_master, self._accumulators, max_result_size)
        self.dagScheduler.max_direct_result_size = parse_bytes(
            self._conf.get("spark.task.maxDirectResultSize", "1m"), default_unit="b")
        self.listenerBus.post(L.SparkListenerApplicationStart(self.appName, self._app_id, self.startTime,
                                                              self.sparkUser(), self.master))
        self._backend.start(self.dagScheduler.post)
        for path in pyFiles or ():
            self.addPyFile(path)
        atexit.register(_stop_at_exit, weakref.ref(self))
        _stop_on_sigterm()

    # ---- executors ----

    def _executor_init(self, executor_id):
        return {
            "executor_id": executor_id, "local_dir": self._local_dir, "files_dir": self._files_dir,
            "cwd": os.getcwd(), "sys_path": [p for p in sys.path if p] + list(self._python_includes),
            "memory_budget": self._storage_memory, "driver_pid": os.getpid(),
            "pyspark_memory": self._pyspark_memory,
        }

    def _executor_memory_limit(self):
        # Enforced only when the application sets spark.executor.memory: like PySpark's Python
        # workers, executors are otherwise bounded by the machine alone. The limit is a cluster
        # manager's container size: the memory plus its overhead (Spark's default overhead is
        # max(384 MiB, 10%)), which also covers the interpreter itself.
        if not self._conf.contains("spark.executor.memory"):
            return None
        overhead = self._conf.get("spark.executor.memoryOverhead")
        return self._executor_memory + (parse_bytes(overhead) if overhead is not None
                                        else max(384 << 20, self._executor_memory // 10))

    @property
    def executors(self):
        """The live executor processes: [(executor id, pid, cores)].

        >>> [cores for _executor_id, _pid, cores in sc.executors]
        [1, 1]
        """
        return [(h.executor_id, h.pid, h.cores) for h in self._backend.live_handles()]

    # ---- ids ----

    def _new_rdd_id(self):
        with self._id_lock:
            self._next_rdd_id += 1
            return self._next_rdd_id - 1

    def _new_shuffle_id(self):
        with self._id_lock:
            self._next_shuffle_id += 1
            return self._next_shuffle_id - 1

    def _next_broadcast_id(self):
        with self._id_lock:
            self._next_broadcast += 1
            return self._next_broadcast - 1

    def _rdd_materialized(self, rdd):
        """A PipelinedRDD was just given its id: with spark.python.profile, it gets a profiler
        (PySpark makes one when it creates the JVM-side RDD, i.e. at the same moment)."""
        if self.profiler_collector is not None and self._conf.get("spark.python.profile", "false") == "true":
            profiler = self.profiler_collector.new_profiler(self)
            rdd.profiler = profiler
            self.profiler_collector.add_profiler(rdd._id, profiler)

    def _register_shuffle(self, shuffled_rdd):
        # Shuffle output is kept while an RDD that reads it is alive (later jobs skip the map
        # stage); once the reducing RDD is garbage, its files go, as Spark's ContextCleaner does.
        weakref.finalize(shuffled_rdd, self.dagScheduler.post, ShuffleCleaned(shuffled_rdd.shuffle_dep.shuffleId))

    # ---- properties of the application ----

    @property
    def applicationId(self):
        """A unique identifier for the application: 'local-<start time in ms>'.

        >>> sc.applicationId.startswith("local-")
        True
        """
        return self._app_id

    @property
    def version(self):
        """The version of Spark's API this engine follows.

        >>> sc.version.split(".")[0]
        '4'
        """
        return SPARK_VERSION

    @property
    def uiWebUrl(self):
        """Sparklet has no web UI: the notebook displays and the JupyterLab panel take its place.

        >>> sc.uiWebUrl is None
        True
        """
        return None

    @property
    def defaultParallelism(self):
        """Default number of partitions: ``spark.default.parallelism``, else the number of cores.

        >>> sc.defaultParallelism
        2
        >>> sc.parallelize(range(10)).getNumPartitions()
        2
        """
        return int(self._conf.get("spark.default.parallelism", self._cores))

    @property
    def defaultMinPartitions(self):
        """Default number of partitions of input files: min(defaultParallelism, 2).

        >>> sc.defaultMinPartitions
        2
        """
        return min(self.defaultParallelism, 2)

    @property
    def resources(self):
        """Resources (GPUs, FPGAs) assigned to the driver: none in Sparklet.

        >>> sc.resources
        {}
        """
        return {}

    def sparkUser(self):
        """The user running the application.

        >>> import getpass
        >>> sc.sparkUser() == getpass.getuser()
        True
        """
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    def getConf(self):
        """A copy of this context's configuration.

        >>> conf = sc.getConf()
        >>> conf.get("spark.master")
        'local[2]'
        >>> _ = conf.set("spark.app.name", "other")
        >>> sc.appName == "other"
        False
        """
        conf = SparkConf(loadDefaults=False)
        conf.setAll(self._conf.getAll())
        return conf

    @classmethod
    def getOrCreate(cls, conf=None):
        """The active SparkContext, or a new one from ``conf``.

        >>> from sparklet import SparkContext
        >>> SparkContext.getOrCreate() is sc
        True
        """
        replaced = cls._replace_if_allowed(conf, "getOrCreate")
        if replaced is not None:
            sc = cls(conf=conf)
            hooks.emit("context_replaced", replaced, sc)
            return sc
        with cls._lock:
            if cls._active_spark_context is None:
                cls(conf=conf or SparkConf())
            return cls._active_spark_context

    @classmethod
    def setSystemProperty(cls, key, value):
        """Set a default that every SparkConf created afterwards starts with.

        >>> from sparklet import SparkConf, SparkContext
        >>> SparkContext.setSystemProperty("spark.sparklet.example", "on")
        >>> SparkConf().get("spark.sparklet.example")
        'on'
        """
        system_properties[key] = str(value)

    def setLogLevel(self, logLevel):
        """Set the engine's log level: ALL, DEBUG, ERROR, FATAL, INFO, OFF, TRACE, WARN.

        >>> sc.setLogLevel("WARN")
        >>> import logging
        >>> logging.getLogger("sparklet").level == logging.WARNING
        True
        """
        levels = {"ALL": logging.NOTSET, "TRACE": logging.DEBUG, "DEBUG": logging.DEBUG, "INFO": logging.INFO,
                  "WARN": logging.WARNING, "ERROR": logging.ERROR, "FATAL": logging.CRITICAL,
                  "OFF": logging.CRITICAL + 10}
        key = str(logLevel).upper()
        if key not in levels:
            raise ValueError("Unknown log level %r: use one of %s" % (logLevel, ", ".join(levels)))
        logging.getLogger("sparklet").setLevel(levels[key])

    def statusTracker(self):
        """A StatusTracker: the active jobs and stages, and their progress.

        >>> tracker = sc.statusTracker()
        >>> tracker.getActiveJobsIds()
        []
        """
        return self._status_tracker

    def addSparkListener(self, listener):
        """Subscribe a ``sparklet.listener.SparkListener`` to this application's events.

        >>> from sparklet.listener import SparkListener
        >>> class JobCounter(SparkListener):
        ...     ended = 0
        ...     def onJobEnd(self, jobEnd):
        ...         JobCounter.ended += 1
        >>> sc.listenerBus.waitUntilEmpty()  # events of earlier jobs are not for it
        True
        >>> counter = JobCounter()
        >>> sc.addSparkListener(counter)
        >>> sc.parallelize([1, 2]).count()
        2
        >>> sc.listenerBus.waitUntilEmpty()
        True
        >>> JobCounter.ended
        1
        >>> sc.removeSparkListener(counter)
        """
        self.listenerBus.addListener(listener)

    def removeSparkListener(self, listener):
        """Unsubscribe a listener added with addSparkListener.

        >>> from sparklet.listener import SparkListener
        >>> listener = SparkListener()
        >>> sc.addSparkListener(listener)
        >>> sc.removeSparkListener(listener)
        >>> listener in sc.listenerBus.listeners
        False
        """
        self.listenerBus.removeListener(listener)

    # ---- local properties, job groups, cancellation ----

    def _props(self):
        props = getattr(self._thread_local, "properties", None)
        if props is None:
            props = self._thread_local.properties = {}
        return props

    def _local_properties_snapshot(self):
        return dict(self._props())

    def _set_local_properties(self, properties):
        self._thread_local.properties = dict(properties)

    def setLocalProperty(self, key, value):
        """Set a property that jobs started from this thread carry (None removes it).

        >>> sc.setLocalProperty("spark.scheduler.pool", "fast")
        >>> sc.getLocalProperty("spark.scheduler.pool")
        'fast'
        >>> sc.setLocalProperty("spark.scheduler.pool", None)
        """
        if value is None:
            self._props().pop(key, None)
        else:
            self._props()[key] = str(value)

    def getLocalProperty(self, key):
        """A property set in this thread with setLocalProperty, or None.

        >>> sc.getLocalProperty("spark.sparklet.unset") is None
        True
        """
        return self._props().get(key)

    def setJobGroup(self, groupId, description, interruptOnCancel=False):
        """Put the jobs this thread starts in a group, to cancel them together with cancelJobGroup.

        >>> sc.setJobGroup("reports", "the daily reports")
        >>> sc.parallelize([1, 2]).count()
        2
        >>> sc.statusTracker().getJobIdsForGroup("reports") != []
        True
        >>> sc.clearJobGroup()
        """
        self.setLocalProperty("spark.jobGroup.id", groupId)
        self.setLocalProperty("spark.job.description", description)
        self.setLocalProperty("spark.job.interruptOnCancel", str(interruptOnCancel).lower())

    def clearJobGroup(self):
        """Jobs this thread starts from now on belong to no group.

        >>> sc.setJobGroup("reports", "the daily reports")
        >>> sc.clearJobGroup()
        >>> sc.getLocalProperty("spark.jobGroup.id") is None
        True
        """
        for key in ("spark.jobGroup.id", "spark.job.description", "spark.job.interruptOnCancel"):
            self.setLocalProperty(key, None)

    def setJobDescription(self, value):
        """Describe the jobs this thread starts (shown with them in the displays).

        >>> sc.setJobDescription("counting the numbers")
        >>> sc.getLocalProperty("spark.job.description")
        'counting the numbers'
        >>> sc.setJobDescription(None)
        """
        self.setLocalProperty("spark.job.description", value)

    def setInterruptOnCancel(self, interruptOnCancel):
        """Whether cancelling this thread's jobs interrupts their running tasks.

        >>> sc.setInterruptOnCancel(True)
        >>> sc.getLocalProperty("spark.job.interruptOnCancel")
        'true'
        >>> sc.setLocalProperty("spark.job.interruptOnCancel", None)
        """
        self.setLocalProperty("spark.job.interruptOnCancel", str(interruptOnCancel).lower())

    def addJobTag(self, tag):
        """Tag the jobs this thread starts (cancel them together with cancelJobsWithTag).

        >>> sc.addJobTag("etl")
        >>> sc.getJobTags()
        {'etl'}
        >>> sc.clearJobTags()
        """
        if not tag or "," in tag:
            raise ValueError("Spark job tag cannot be empty or contain ',': %r" % tag)
        self.setLocalProperty("spark.job.tags", ",".join(sorted(self.getJobTags() | {tag})))

    def removeJobTag(self, tag):
        """Stop tagging this thread's jobs with ``tag``.

        >>> sc.addJobTag("etl")
        >>> sc.removeJobTag("etl")
        >>> sc.getJobTags()
        set()
        """
        self.setLocalProperty("spark.job.tags", ",".join(sorted(self.getJobTags() - {tag})) or None)

    def getJobTags(self):
        """The tags this thread's jobs carry.

        >>> sc.addJobTag("a")
        >>> sc.addJobTag("b")
        >>> sorted(sc.getJobTags())
        ['a', 'b']
        >>> sc.clearJobTags()
        """
        tags = self.getLocalProperty("spark.job.tags")
        return set(tags.split(",")) if tags else set()

    def clearJobTags(self):
        """Remove every tag of this thread's jobs.

        >>> sc.addJobTag("etl")
        >>> sc.clearJobTags()
        >>> sc.getJobTags()
        set()
        """
        self.setLocalProperty("spark.job.tags", None)

    def cancelJobsWithTag(self, tag):
        """Cancel the running jobs tagged ``tag`` (from any thread).

        >>> import threading, time
        >>> sc.addJobTag("nightly")
        >>> def cancel_once_running():
        ...     while not sc.statusTracker().getActiveJobsIds():
        ...         time.sleep(0.05)
        ...     sc.cancelJobsWithTag("nightly")
        >>> threading.Thread(target=cancel_once_running).start()
        >>> try:
        ...     sc.parallelize([1], 1).foreach(lambda _: time.sleep(60))
        ... except Exception as e:
        ...     print(type(e).__name__)
        JobCancelledError
        >>> sc.clearJobTags()
        """
        self.dagScheduler.cancelJobsWithTag(tag)

    def cancelJob(self, jobId, reason=None):
        """Cancel one job by id (from any thread).

        >>> import threading, time
        >>> cancelled = threading.Event()
        >>> def cancel_the_first_job():
        ...     while not sc.statusTracker().getActiveJobsIds():
        ...         time.sleep(0.05)
        ...     sc.cancelJob(sc.statusTracker().getActiveJobsIds()[0], "because it is not needed any more")
        ...     cancelled.set()
        >>> threading.Thread(target=cancel_the_first_job).start()
        >>> sc.parallelize(range(2), 2).map(lambda x: time.sleep(60)).count()
        Traceback (most recent call last):
            ...
        sparklet.errors.JobCancelledError: Job ... cancelled because it is not needed any more
        >>> cancelled.wait(30)  # cancelJob returns once no executor runs the job's tasks
        True
        """
        self.dagScheduler.cancelJob(jobId, reason)

    def cancelJobGroup(self, groupId, reason=None):
        """Cancel the running jobs of a group set with setJobGroup (from any thread).

        >>> import threading, time
        >>> errors = []
        >>> def slow_job():
        ...     sc.setJobGroup("slow", "a job to cancel")
        ...     try:
        ...         sc.parallelize([1], 1).foreach(lambda _: time.sleep(60))
        ...     except Exception as e:
        ...         errors.append(type(e).__name__)
        >>> job = threading.Thread(target=slow_job)
        >>> job.start()
        >>> while not sc.statusTracker().getActiveJobsIds():
        ...     time.sleep(0.05)
        >>> sc.cancelJobGroup("slow")
        >>> job.join()
        >>> errors
        ['JobCancelledError']
        """
        self.dagScheduler.cancelJobGroup(groupId, reason)

    def cancelAllJobs(self):
        """Cancel every running job (from any thread).

        >>> import threading, time
        >>> done = threading.Event()
        >>> def cancel_until_done():
        ...     while not done.wait(0.1):
        ...         sc.cancelAllJobs()
        >>> canceller = threading.Thread(target=cancel_until_done)
        >>> canceller.start()
        >>> outcome = []
        >>> try:
        ...     sc.range(4, numSlices=2).foreach(lambda _: time.sleep(60))
        ... except Exception as e:
        ...     outcome.append(type(e).__name__)
        >>> done.set()
        >>> canceller.join()
        >>> outcome
        ['JobCancelledError']
        """
        self.dagScheduler.cancelAllJobs()

    # ---- running jobs ----

    def runJob(self, rdd, partitionFunc, partitions=None, allowLocal=False):
        """Run ``partitionFunc`` on each listed partition of ``rdd`` and concatenate what it returns.

        >>> myRDD = sc.parallelize(range(6), 3)
        >>> sc.runJob(myRDD, lambda part: [x * x for x in part])
        [0, 1, 4, 9, 16, 25]
        >>> sc.runJob(myRDD, lambda part: [x * x for x in part], [0, 2])
        [0, 1, 16, 25]
        """
        # As PySpark does: the function becomes a PipelinedRDD (fused with ``rdd`` when it can be).
        return self._run_job(rdd.mapPartitions(partitionFunc), _to_list, partitions)

    def _run_job(self, rdd, partitionFunc, partitions=None):
        """runJob without the RDD of its own: ``partitionFunc`` runs as the result tasks' function."""
        if self._stopped:
            raise stopped_context_error(self)
        n = rdd.getNumPartitions()
        partitions = list(range(n) if partitions is None else partitions)
        for p in partitions:
            if not 0 <= p < n:
                raise ValueError("Attempting to access a non-existent partition: %d. Total number of partitions: %d"
                                 % (p, n))
        name, _scope_id, site = current_scope()
        call_site = "%s at %s" % (name or "runJob", site or user_call_site())
        properties = dict(self._props())
        properties["callSite.short"] = call_site
        job = self.dagScheduler.submitJob(rdd, partitionFunc, partitions, properties, call_site)
        try:
            while not job.done.wait(0.5):
                pass
        except KeyboardInterrupt:
            self.dagScheduler.cancelJob(job.jobId, "Job %d cancelled by an interrupt (KeyboardInterrupt)" % job.jobId)
            job.done.wait(1.0)
            raise
        if job.error is not None:
            error = job.error
            job.error = None
            if isinstance(error, JobCancelledError):
                raise JobCancelledError(str(error))
            raise error
        self._run_pending_checkpoints(rdd)
        out = []
        for payload in job.results:
            out.extend(pickle.loads(payload))
        return out

    def _run_pending_checkpoints(self, rdd):
        from .checkpoint import materialize_checkpoints

        materialize_checkpoints(self, rdd)

    # ---- creating RDDs ----

    @operation
    def parallelize(self, c, numSlices=None):
        """Distribute a local Python collection to form an RDD (a range stays lazy).

        >>> sc.parallelize([0, 2, 3, 4, 6], 5).glom().collect()
        [[0], [2], [3], [4], [6]]
        >>> sc.parallelize(range(0, 6, 2), 5).glom().collect()
        [[], [0], [], [2], [4]]
        """
        numSlices = int(numSlices) if numSlices is not None else self.defaultParallelism
        if numSlices < 1:
            raise ValueError("The number of partitions must be positive, got %d" % numSlices)
        if isinstance(c, range):
            size = len(c)
            if size == 0:
                return ParallelCollectionRDD(self, [[] for _ in range(numSlices)])
            step = c[1] - c[0] if size > 1 else 1
            start0 = c[0]

            def start(split):
                return start0 + int(split * size / numSlices) * step

            def slice_of_range(split, _):
                return iter(range(start(split), start(split + 1), step))

            # As PySpark does: empty slices, each task making its own part of the range (so the
            # RDD is a PipelinedRDD, and its ids are PySpark's).
            empty = ParallelCollectionRDD(self, [[] for _ in range(numSlices)])
            return empty.mapPartitionsWithIndex(slice_of_range)
        if not isinstance(c, list):
            c = list(c)
        # PySpark ships the data in batches and Spark slices the batches, not the elements: cut
        # at the same batch boundaries so that every partition holds what it holds in PySpark.
        n = len(c)
        batch = max(1, min(n // numSlices, self._batchSize or 1024))
        batches = -(-n // batch)
        bounds = [i * batches // numSlices * batch for i in range(numSlices + 1)]
        return ParallelCollectionRDD(self, [c[bounds[i]:bounds[i + 1]] for i in range(numSlices)])

    @operation
    def range(self, start, end=None, step=1, numSlices=None):
        """An RDD of the integers from ``start`` to ``end`` (exclusive) by ``step``.

        >>> sc.range(5).collect()
        [0, 1, 2, 3, 4]
        >>> sc.range(1, 7, 2).collect()
        [1, 3, 5]
        """
        if end is None:
            end = start
            start = 0
        return self.parallelize(range(start, end, step), numSlices)

    @operation
    def emptyRDD(self):
        """An RDD with no partitions and no elements.

        >>> sc.emptyRDD().collect(), sc.emptyRDD().getNumPartitions()
        ([], 0)
        """
        return EmptyRDD(self)

    @operation
    def union(self, rdds):
        """The union of a list of RDDs.

        >>> sc.union([sc.parallelize([1, 2]), sc.parallelize([3])]).collect()
        [1, 2, 3]
        """
        rdds = list(rdds)
        if not rdds:
            raise ValueError("sc.union() needs at least one RDD")
        first = rdds[0].partitioner
        if first is not None and all(r.partitioner == first for r in rdds):
            return PartitionerAwareUnionRDD(self, rdds)
        return UnionRDD(self, rdds)

    @operation
    def textFile(self, name, minPartitions=None, use_unicode=True):
        """Lines of text files (a file, directory, glob or comma-separated list; compressed by extension).

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "lines.txt")
        >>> with open(path, "w") as f:
        ...     _ = f.write("first line\\nsecond line\\n")
        >>> sc.textFile(path).collect()
        ['first line', 'second line']
        >>> tmp.cleanup()
        """
        from .input import text_file

        return text_file(self, name, minPartitions, use_unicode)

    @operation
    def wholeTextFiles(self, path, minPartitions=None, use_unicode=True):
        """(path, content) of each file of a directory.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> for name, text in [("a.txt", "alpha"), ("b.txt", "beta")]:
        ...     with open(os.path.join(tmp.name, name), "w") as f:
        ...         _ = f.write(text)
        >>> sorted((os.path.basename(path), text) for path, text in sc.wholeTextFiles(tmp.name).collect())
        [('a.txt', 'alpha'), ('b.txt', 'beta')]
        >>> tmp.cleanup()
        """
        from .input import whole_text_files

        return whole_text_files(self, path, minPartitions, use_unicode)

    @operation
    def binaryFiles(self, path, minPartitions=None):
        """(path, bytes) of each file of a directory.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> with open(os.path.join(tmp.name, "blob.bin"), "wb") as f:
        ...     _ = f.write(bytes([0, 1, 2]))
        >>> [(os.path.basename(path), data) for path, data in sc.binaryFiles(tmp.name).collect()]
        [('blob.bin', b'\\x00\\x01\\x02')]
        >>> tmp.cleanup()
        """
        from .input import binary_files

        return binary_files(self, path, minPartitions)

    @operation
    def binaryRecords(self, path, recordLength):
        """Fixed-length byte records of flat binary files.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> with open(os.path.join(tmp.name, "records.bin"), "wb") as f:
        ...     _ = f.write(b"abcdef")
        >>> sc.binaryRecords(tmp.name, 2).collect()
        [b'ab', b'cd', b'ef']
        >>> tmp.cleanup()
        """
        from .input import binary_records

        return binary_records(self, path, recordLength)

    @operation
    def pickleFile(self, name, minPartitions=None):
        """Read back an RDD saved with saveAsPickleFile.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "objects")
        >>> sc.parallelize([1, "two", (3,)], 2).saveAsPickleFile(path)
        >>> sorted(sc.pickleFile(path).collect(), key=str)
        [(3,), 1, 'two']
        >>> tmp.cleanup()
        """
        from .input import pickle_file

        return pickle_file(self, name, minPartitions)

    @operation
    def sequenceFile(self, path, keyClass=None, valueClass=None, keyConverter=None, valueConverter=None,
                     minSplits=None, batchSize=0):
        """(key, value) records of Hadoop SequenceFiles, Writables converted to Python values
        (the classes come from the files' headers; ``keyClass``/``valueClass`` are not needed).

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "pairs")
        >>> sc.parallelize([(1, "one"), (2, "two")]).saveAsSequenceFile(path)
        >>> sorted(sc.sequenceFile(path).collect())
        [(1, 'one'), (2, 'two')]
        >>> tmp.cleanup()
        """
        from .input import sequence_file

        return sequence_file(self, path, keyClass, valueClass, keyConverter, valueConverter, minSplits, batchSize)

    def _unsupported_hadoop(self, *args, **kwargs):
        """Hadoop InputFormats (``hadoopFile``, ``hadoopRDD``, ``newAPIHadoopFile``, ``newAPIHadoopRDD``)
        need the JVM: they raise, saying what to use instead.

        >>> sc.hadoopFile("data", "org.apache.hadoop.mapred.TextInputFormat", "k", "v")
        Traceback (most recent call last):
            ...
        NotImplementedError: Hadoop InputFormats run inside the JVM, which Sparklet does not have: ...
        """
        raise NotImplementedError(
            "Hadoop InputFormats run inside the JVM, which Sparklet does not have: read the data with "
            "textFile/wholeTextFiles/binaryFiles/pickleFile, or run this on real PySpark "
            "(%%configure {\"backend\": \"pyspark\"} in the Sparklet kernel).")

    hadoopFile = hadoopRDD = newAPIHadoopFile = newAPIHadoopRDD = _unsupported_hadoop

    # ---- shared variables ----

    def broadcast(self, value):
        """Ship a read-only value to each executor once; read it in tasks with ``.value``.

        >>> rates = sc.broadcast({"EUR": 2, "USD": 3})
        >>> sc.parallelize(["EUR", "USD"]).map(lambda c: rates.value[c]).collect()
        [2, 3]
        >>> rates.unpersist()
        """
        return Broadcast(self, value)

    def accumulator(self, value, accum_param=None):
        """A shared variable tasks add to; only the driver reads ``.value``.

        >>> acc = sc.accumulator(0)
        >>> sc.parallelize(range(5)).foreach(lambda x: acc.add(x))
        >>> acc.value
        10
        """
        if accum_param is None:
            accum_param = default_param_for(value)
        with SparkContext._lock:
            aid = SparkContext._next_accum_id
            SparkContext._next_accum_id += 1
        acc = Accumulator(aid, value, accum_param)
        self._accumulators[aid] = acc
        accumulators._accumulatorRegistry[aid] = acc
        return acc

    def _unpersist_broadcast(self, bid):
        self._backend.send_all(("remove_broadcast", bid))

    # ---- files ----

    def addFile(self, path, recursive=False):
        """Copy a file (or a directory, with recursive=True) where every task finds it:
        ``SparkFiles.get(name)``.

        >>> import os, tempfile
        >>> from sparklet import SparkFiles
        >>> tmp = tempfile.TemporaryDirectory()
        >>> with open(os.path.join(tmp.name, "factor.txt"), "w") as f:
        ...     _ = f.write("3")
        >>> sc.addFile(os.path.join(tmp.name, "factor.txt"))
        >>> def times_factor(x):
        ...     with open(SparkFiles.get("factor.txt")) as f:
        ...         return x * int(f.read())
        >>> sc.parallelize([1, 2]).map(times_factor).collect()
        [3, 6]
        >>> tmp.cleanup()
        """
        path = os.path.abspath(os.path.expanduser(path.replace("file://", "", 1) if path.startswith("file://") else path))
        if not os.path.exists(path):
            raise FileNotFoundError("addFile: %s does not exist" % path)
        name = os.path.basename(path.rstrip(os.sep))
        if name in self._added_files and self._added_files[name] != path:
            raise ValueError("File %s was already registered with a different path (%s)"
                             % (name, self._added_files[name]))
        target = os.path.join(self._files_dir, name)
        if os.path.isdir(path):
            if not recursive:
                raise ValueError("Added file %s is a directory and recursive is not turned on." % path)
            shutil.copytree(path, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(path, target)
        self._added_files[name] = path

    def addPyFile(self, path):
        """addFile a .py, .zip or .egg dependency and make it importable in the driver and the tasks.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> with open(os.path.join(tmp.name, "doubling.py"), "w") as f:
        ...     _ = f.write("def double(x):\\n    return 2 * x\\n")
        >>> sc.addPyFile(os.path.join(tmp.name, "doubling.py"))
        >>> sc.parallelize([1, 2]).map(lambda x: __import__("doubling").double(x)).collect()
        [2, 4]
        >>> tmp.cleanup()
        """
        self.addFile(path)
        name = os.path.basename(path)
        target = self._files_dir if name.endswith(".py") else os.path.join(self._files_dir, name)
        if not (name.endswith(".py") or name.endswith(".zip") or name.endswith(".egg") or name.endswith(".jar")):
            return
        if target not in sys.path:
            sys.path.insert(1, target)
        if target not in self._python_includes:
            self._python_includes.append(target)
        self._backend.send_all(("add_path", target))

    def addArchive(self, path):
        """Unpack an archive (.zip, .tar.gz, .tgz, .tar) into the SparkFiles directory.

        >>> import os, shutil, tempfile
        >>> from sparklet import SparkFiles
        >>> tmp = tempfile.TemporaryDirectory()
        >>> os.makedirs(os.path.join(tmp.name, "conf"))
        >>> with open(os.path.join(tmp.name, "conf", "greeting.txt"), "w") as f:
        ...     _ = f.write("hello")
        >>> archive = shutil.make_archive(os.path.join(tmp.name, "settings"), "zip", os.path.join(tmp.name, "conf"))
        >>> sc.addArchive(archive)
        >>> def greeting(_):
        ...     with open(os.path.join(SparkFiles.get("settings.zip"), "greeting.txt")) as f:
        ...         return f.read()
        >>> sc.parallelize([0]).map(greeting).collect()
        ['hello']
        >>> tmp.cleanup()
        """
        path = os.path.abspath(path)
        name = os.path.basename(path)
        if self._added_archives.get(name) == path:
            return
        shutil.unpack_archive(path, os.path.join(self._files_dir, name))
        self._added_archives[name] = path

    @property
    def listFiles(self):
        """The files added with addFile/addPyFile, as URIs (as Spark lists them).

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "listed.txt")
        >>> open(path, "w").close()
        >>> sc.addFile(path)
        >>> "file:" + path in sc.listFiles
        True
        >>> tmp.cleanup()
        """
        return ["file:" + path for path in self._added_files.values()]

    @property
    def listArchives(self):
        """The archives added with addArchive, as URIs.

        >>> import os, shutil, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> archive = shutil.make_archive(os.path.join(tmp.name, "listed"), "zip", tmp.name)
        >>> sc.addArchive(archive)
        >>> "file:" + archive in sc.listArchives
        True
        >>> tmp.cleanup()
        """
        return ["file:" + path for path in self._added_archives.values()]

    def setCheckpointDir(self, dirName):
        """Where checkpoint() saves RDDs: a new directory under ``dirName`` (created if missing),
        named by a random UUID as Spark names it.

        >>> import tempfile
        >>> sc.setCheckpointDir(tempfile.mkdtemp())
        >>> sc.getCheckpointDir().startswith("file:/")
        True
        """
        path = os.path.join(os.path.abspath(local_path(dirName)), str(uuid.uuid4()))
        os.makedirs(path, exist_ok=True)
        self._checkpoint_dir = path

    def getCheckpointDir(self):
        """The checkpoint directory as a ``file:`` URI, or None before ``setCheckpointDir``.

        >>> import os, tempfile
        >>> base = tempfile.mkdtemp()
        >>> sc.setCheckpointDir(base)
        >>> os.path.dirname(sc.getCheckpointDir()) == "file:" + base
        True
        """
        return None if self._checkpoint_dir is None else "file:" + self._checkpoint_dir

    # ---- storage ----

    def _unpersist_rdd(self, rdd_id, blocking=False):
        self._persisted_rdds.pop(rdd_id, None)

        def forget():
            self._block_manager_master.remove_rdd(rdd_id)
            self._backend.send_all(("remove_rdd", rdd_id))

        if not self._stopped:
            self.dagScheduler.call(forget)
            self.listenerBus.post(L.SparkListenerUnpersistRDD(rdd_id))

    def getPersistentRDDs(self):
        """The persisted RDDs, by id.

        >>> rdd = sc.parallelize([1]).cache()
        >>> sc.getPersistentRDDs()[rdd.id()] is rdd
        True
        >>> _ = rdd.unpersist()
        >>> rdd.id() in sc.getPersistentRDDs()
        False
        """
        return dict(self._persisted_rdds)

    def _clean_shuffles_of(self, rdd):
        for dep in shuffle_dependencies(rdd):
            self.dagScheduler.post(ShuffleCleaned(dep.shuffleId))

    # ---- profiling ----

    def show_profiles(self):
        """Print the Python profiles of the RDDs computed so far, each once (needs
        ``spark.python.profile=true``).

        >>> sc.show_profiles()
        Traceback (most recent call last):
            ...
        RuntimeError: [INCORRECT_CONF_FOR_PROFILE] `spark.python.profile` or `spark.python.profile.memory` configuration must be set to `true` to enable Python profile.
        """
        self._profiler_collector_or_fail().show_profiles()

    def dump_profiles(self, path):
        """Write the Python profiles into directory ``path``, one ``rdd_<id>.pstats`` per RDD (read
        them with ``pstats.Stats``; needs ``spark.python.profile=true``).

        >>> import tempfile
        >>> sc.dump_profiles(tempfile.mkdtemp())
        Traceback (most recent call last):
            ...
        RuntimeError: [INCORRECT_CONF_FOR_PROFILE] `spark.python.profile` or `spark.python.profile.memory` configuration must be set to `true` to enable Python profile.
        """
        self._profiler_collector_or_fail().dump_profiles(path)

    def _profiler_collector_or_fail(self):
        if self.profiler_collector is None:
            raise RuntimeError("[INCORRECT_CONF_FOR_PROFILE] `spark.python.profile` or `spark.python.profile.memory` "
                               "configuration must be set to `true` to enable Python profile.")
        return self.profiler_collector

    # ---- lifecycle ----

    def stop(self):
        """Stop the executors, remove the application's files, and free the active-context slot.

        >>> from sparklet import SparkContext
        >>> sc.stop()
        >>> sc.parallelize([1]).count()
        Traceback (most recent call last):
            ...
        sparklet.errors.StoppedContextError: Cannot call methods on a stopped SparkContext: ...
        >>> sc = SparkContext("local[2]", "after-stop")
        >>> sc.parallelize([1]).count()
        1
        >>> sc.stop()
        """
        with SparkContext._lock:
            if self._stopped:
                return
            self._stopped = True
        try:
            self.dagScheduler.stop()
            self._backend.stop()
            self.listenerBus.post(L.SparkListenerApplicationEnd(int(time.time() * 1000)))
            self.listenerBus.stop()
            if self._event_log is not None:
                self._event_log.stop()
        finally:
            shutil.rmtree(self._local_dir, ignore_errors=True)
            with SparkContext._lock:
                if SparkContext._active_spark_context is self:
                    SparkContext._active_spark_context = None
                if SparkFiles._sc is self:
                    SparkFiles._sc = None
                    SparkFiles._root_directory = None
            hooks.emit("context_stopped", self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        self.stop()

    def __reduce__(self):
        raise context_only_on_driver()

    def __getnewargs__(self):
        raise context_only_on_driver()

    def __repr__(self):
        return "<SparkContext master=%s appName=%s>" % (self.master, self.appName)

    def _repr_html_(self):
        return ("<div><p><b>SparkContext</b> (Sparklet)</p><dl><dt>Version</dt><dd><code>v%s</code></dd>"
                "<dt>Master</dt><dd><code>%s</code></dd><dt>AppName</dt><dd><code>%s</code></dd></dl></div>"
                % (SPARK_VERSION, self.master, self.appName))


def _stop_at_exit(ref):
    sc = ref()
    if sc is not None:
        sc.stop()


def _stop_on_sigterm():
    """SIGTERM ends a Python process without running atexit: unless the application handles
    SIGTERM itself, stop the active context first (executors, local directory), then die of
    SIGTERM as the process would have."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return  # the application's own handler (or ours, from an earlier context) stays

    def on_sigterm(signum, frame):
        try:
            active = SparkContext._active_spark_context
            if active is not None:
                active.stop()
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)
