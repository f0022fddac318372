"""The real-Spark backend: `sc` is Apache Spark's own SparkContext, with the kernel's displays.

``%%configure {"backend": "pyspark", "master": "local[2]"}`` (or ``SPARKLET_BACKEND=pyspark`` /
``c.SparkletKernel.backend``) puts the session on the installed pyspark: ``import pyspark`` is the
real package again, and the context can use any master pyspark can (``local[*]``, ``spark://``,
``yarn``, ``k8s://``). The kernel's views keep working, fed from what PySpark exposes to Python:

- Jobs, stages, task counts and the task timeline: `pyspark_tracker.TrackerStore` polls PySpark's
  status tracker (and, for task spans, the JVM's status store) and turns what changed into the
  listener events the session store already folds.
- The DAG: `pyspark_lineage.LineageRecorder` notes each RDD method a user calls (its operator, call
  site and input RDDs) on the RDD it returns; the stages are cut where those operators shuffle, or
  read from the JVM's lineage for an RDD made some other way.
- Errors: a failed task arrives as a Py4J error whose Java text holds the Python worker's traceback;
  it is cut out and shown as the one-screen report the local engine gets.
- Task output: on local masters the workers `pyspark_daemon` starts send what tasks print over
  the kernel's authenticated task-output channel (`task_output`).

Apache Spark's classes have no driver hooks, so this backend (and only it) wraps pyspark's RDD and
SparkContext methods while it is active, and restores them when the session leaves it.
"""

import functools
import importlib
import logging
import os
import re
import sys

from sparklet.listener import StageInfo

from .backend import Backend, BackendUnavailable, one_line
from .progress import human_bytes
from .pyspark_lineage import LineageRecorder, as_pyspark_frame, debug_string_stages, lineage_stages, plan
from .pyspark_tracker import TrackerStore
from .task_output import task_output_server

log = logging.getLogger("sparklet_kernel.pyspark_backend")

#: defaults for contexts on this backend (the session's conf wins): the kernel's displays replace the
#: web UI and the console progress bars, and the JVM's log lines would land in cell outputs
CONTEXT_DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "FATAL",
}
#: Apache Spark's pyspark modules while the session is on the local engine (the alias needs the
#: names free); a later switch back reuses them, with the JVM their SparkContext class started
_REAL_MODULES = {}


# -- errors ----------------------------------------------------------------------------------------

class PythonException(Exception):
    """A task's Python exception, cut out of the Py4J error that carried it (the name is the one
    the one-screen report knows: it shows `exc_type_name`, the user's exception type)."""

    def __init__(self, exc_type_name, message, stageId, partitionId, remoteTraceback, fullRemoteTraceback):
        super().__init__(message)
        self.exc_type_name = exc_type_name
        self.stageId = stageId
        self.partitionId = partitionId
        self.remoteTraceback = remoteTraceback
        self.fullRemoteTraceback = fullRemoteTraceback


_TASK = re.compile(r"Task (\d+) in stage (\d+)\.\d+ failed")
_JAVA_EXCEPTION = re.compile(r"^(?:: )?((?:[a-z_$][\w$]*\.)+([A-Z][\w$]*)): (.*)$")


def task_failure(error):
    """A `PythonException` for a Py4J error raised by an action, or None if `error` is not one."""
    text = str(error)
    if type(error).__name__ != "Py4JJavaError" and "Traceback (most recent call last)" not in text:
        return None
    m = _TASK.search(text)
    stage, partition = (int(m.group(2)), int(m.group(1))) if m else (None, None)
    start = text.find("Traceback (most recent call last):")
    if start < 0:
        # a failure on the JVM side (a missing input path ...): its first Java exception line
        for line in text.splitlines():
            j = _JAVA_EXCEPTION.match(line.strip())
            if j:
                return PythonException(j.group(2), j.group(3), stage, partition, "", text)
        return None
    frames, exception, skipping = ["Traceback (most recent call last):"], [], False
    for line in text[start:].splitlines()[1:]:
        if line.startswith("\tat ") or line.startswith(" SQLSTATE") or (exception and not line.strip()):
            break
        if line.startswith("  File "):
            skipping = "pyspark.zip" in line or "/pyspark/" in line
            if not skipping:
                frames.append(line)
        elif line.startswith(" "):
            if not skipping:
                frames.append(line)
        else:
            exception.append(line)
    head = exception[0] if exception else "PythonException: the Python worker failed"
    name, _, message = head.partition(": ")
    message = "\n".join([message] + exception[1:]).strip()
    return PythonException(name.rsplit(".", 1)[-1], message, stage, partition,
                           "\n".join(frames + exception), text)


# -- the backend -----------------------------------------------------------------------------------

def _is_sparklet(module):
    name = getattr(module, "__name__", "")
    return name == "sparklet" or name.startswith("sparklet.")


def real_pyspark(alias):
    """The module `import pyspark` resolves to once Sparklet's alias is out of the way, if it is
    Apache Spark's: decided by what was imported, not by where it lives, since a wheel install puts
    Sparklet and pyspark side by side in one site-packages."""
    alias.uninstall()
    # back on the modules imported before: their SparkContext class holds the running JVM
    sys.modules.update(_REAL_MODULES)
    hint = "install Apache Spark's pyspark into this kernel's Python: %s -m pip install pyspark" % sys.executable
    try:
        pyspark = importlib.import_module("pyspark")
    except ModuleNotFoundError as e:
        if e.name != "pyspark":
            raise
        raise BackendUnavailable("Apache Spark's pyspark is not installed; " + hint) from None
    context_class = getattr(pyspark, "SparkContext", None)
    if _is_sparklet(pyspark) or _is_sparklet(sys.modules.get(getattr(context_class, "__module__", ""))) \
            or context_class is None:
        raise BackendUnavailable("`import pyspark` resolves to %s (%s), not Apache Spark's pyspark; %s" % (
            getattr(pyspark, "__name__", "?"), getattr(pyspark, "__file__", "no file"), hint))
    return pyspark


class PySparkBackend(Backend):
    """Puts a session on Apache Spark (`activate`) and back off it (`deactivate`)."""

    name = "pyspark"

    def __init__(self):
        self.session = None
        self.recorder = None
        self.pyspark = None
        self.context_class = None
        self._wrapped = []  # (class, name, original) of pyspark's SparkContext methods wrapped here
        self._stores = []

    def activate(self, session):
        """Put the session on the installed pyspark; on any failure undo what was done and say why
        in one line (`BackendUnavailable`)."""
        self.session = session
        try:
            self._activate()
        except BaseException as e:
            self.deactivate(session)
            if isinstance(e, BackendUnavailable):
                raise
            raise BackendUnavailable(one_line(e)) from e

    def _activate(self):
        session = self.session
        pyspark = real_pyspark(session.alias)
        self.pyspark = pyspark
        # Spark's Python workers must run this interpreter, not whatever `python3` is on PATH
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        task_output_server()
        self._follow_contexts(pyspark.SparkContext, session.context_hook)
        self.context_class = pyspark.SparkContext
        self.recorder = LineageRecorder(pyspark.RDD, pyspark.SparkContext)
        self.recorder.install()
        session.shell.set_custom_exc(session.errors.exceptions, self.show_error)

    def _follow_contexts(self, cls, hook):
        """Apache Spark's SparkContext has no driver hooks: wrap its constructor and getOrCreate to
        call the session's hook (`session.ContextFollower`) as Sparklet's engine does."""
        original_init = cls.__dict__["__init__"]
        original_get = cls.__dict__["getOrCreate"]

        @functools.wraps(original_init)
        def __init__(ctx, *args, **kwargs):
            active = cls._active_spark_context
            replaced = None
            if active is not None and hook.replaces_active(active, kwargs.get("conf"), "constructor"):
                active.stop()
                replaced = active
            original_init(ctx, *args, **kwargs)
            hook.context_created(ctx)
            if replaced is not None:
                hook.context_replaced(replaced, ctx)

        def getOrCreate(klass, conf=None):
            active = klass._active_spark_context
            if active is not None and hook.replaces_active(active, conf, "getOrCreate"):
                return klass(conf=conf)
            return original_get.__func__(klass, conf)

        getOrCreate.__doc__ = original_get.__func__.__doc__
        self._wrapped += [(cls, "__init__", original_init), (cls, "getOrCreate", original_get)]
        cls.__init__ = as_pyspark_frame(__init__, cls)
        cls.getOrCreate = classmethod(as_pyspark_frame(getOrCreate, cls))

    def deactivate(self, session):
        if self.recorder is not None:
            self.recorder.uninstall()
        for cls, name, original in reversed(self._wrapped):
            setattr(cls, name, original)
        for name in [n for n in sys.modules if n == "pyspark" or n.startswith("pyspark.")]:
            module = sys.modules.pop(name)
            if not _is_sparklet(module):
                _REAL_MODULES[name] = module
        self.recorder, self._wrapped = None, []

    def active_context(self):
        return self.context_class._active_spark_context if self.context_class is not None else None

    # -- contexts --------------------------------------------------------------------------------
    def create_context(self, master, app_name, conf):
        context_class = self.pyspark.SparkContext
        context_class._ensure_initialized()  # starts the JVM (once per kernel)
        system = context_class._jvm.java.lang.System
        for key, value in CONTEXT_DEFAULTS.items():
            # as JVM system properties, so they are also the defaults of the SparkConf() a
            # notebook builds for its own context (pyspark's launcher turns the console bars on
            # that way); the session's conf wins
            if key not in conf:
                system.setProperty(key, value)
        if master.startswith("local") and "spark.python.daemon.module" not in conf:
            system.setProperty("spark.python.daemon.module", "sparklet_kernel.pyspark_daemon")
        else:  # a cluster's workers have neither this module nor a way to reach the kernel
            system.clearProperty("spark.python.daemon.module")
        spark_conf = self.pyspark.SparkConf().setMaster(master).setAppName(app_name).setAll(list(conf.items()))
        return context_class(conf=spark_conf)

    def observe(self, sc):
        """The session store for a new context (called by the session when it adopts one)."""
        for store in self._stores:
            store.stop()
        store = TrackerStore(sc, self)
        self._stores = [store]
        task_output_server().store = store
        store.start()
        return store

    def preview_stages(self, rdd):
        with self.recorder.quiet():
            stages = plan(rdd)
        parents_of_some = {p for _, parents in stages for p in parents}
        # (the tracker cannot say ahead which stages Spark will skip)
        return [StageInfo(stageId=index, attemptNumber=0, name="stage %d" % index,
                          numTasks=infos[-1].numPartitions if infos else 0, rddInfos=infos, parentIds=parents,
                          isShuffleMap=index in parents_of_some)
                for index, (infos, parents) in enumerate(stages)], []

    def job_plan(self, started_ms, stage_count):
        """The predicted stages of a job that started at `started_ms`, from the action that was
        running then, if its plan has `stage_count` stages (else the job's stages stay unnamed)."""
        for rdd, label in self.recorder.actions_at(started_ms):
            for plan_of in (lineage_stages, lambda r: debug_string_stages(r._jrdd.toDebugString())):
                try:
                    with self.recorder.quiet():
                        stages = plan_of(rdd)
                except Exception:  # an RDD whose JVM side is gone (its context stopped)
                    continue
                if stages is not None and len(stages) == stage_count:
                    return stages, label
        return None, None

    def executors(self, sc, store=None):
        local = sc.master.startswith("local")
        out = []
        for info in sc._jsc.statusTracker().getExecutorInfos():
            out.append({"id": "driver" if local else "%s:%d" % (info.host(), info.port()), "host": info.host(),
                        "cores": sc.defaultParallelism if local else sc.getConf().get("spark.executor.cores", "?"),
                        "memory": "%s storage" % human_bytes(info.totalOnHeapStorageMemory()),
                        "storageMemory": info.totalOnHeapStorageMemory(),
                        "detail": "%s, %d running tasks" % (info.host(), info.numRunningTasks())})
        return out

    def cached_rdds(self, sc, store=None):
        return [{"id": r.id(), "name": r.name(), "storageLevel": r.storageLevel().description(),
                 "cachedPartitions": r.numCachedPartitions(), "numPartitions": r.numPartitions(),
                 "memSize": r.memSize(), "diskSize": r.diskSize()} for r in sc._jsc.sc().getRDDStorageInfo()]

    def executor_logs(self, sc, store, lines):
        return [self.logs_note(sc)]

    def logs_note(self, sc):
        if sc.master.startswith("local"):
            where = ("the executor runs inside the driver's JVM, which logs to the kernel's stderr "
                     "(level %s; sc.setLogLevel('INFO') shows more)" % sc.getConf().get("spark.log.level", "WARN"))
        else:
            where = ("the executors run on the cluster: see the cluster manager's logs for application %s "
                     "(e.g. `yarn logs -applicationId %s`, or the standalone master's web UI)"
                     % (sc.applicationId, sc.applicationId))
        return "Executor logs (pyspark backend, master %s): %s." % (sc.master, where)

    # -- errors ----------------------------------------------------------------------------------
    def _last_failed_stage(self):
        """Spark 4 reports a task's Python error without its stage: the tracker knows which failed."""
        store = self.session.store
        sc = self.active_context()
        if store is None or sc is None:
            return None
        store.sync()
        for job_id in reversed(store.job_ids()):
            job = store.job_json(job_id)
            failed = [s["stageId"] for s in job["stages"] if s["failed"]] if job else []
            if failed:
                return failed[-1]
        return None

    def show_error(self, shell, etype, value, tb, tb_offset=None):
        failure = task_failure(value)
        if failure is not None:
            if failure.stageId is None:
                failure.stageId = self._last_failed_stage()
            etype, value = type(failure), failure
        return self.session.errors(shell, etype, value, tb, tb_offset)
