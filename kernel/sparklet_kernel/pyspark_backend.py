"""The real-Spark backend: `sc` is Apache Spark's own SparkContext, with the kernel's displays.

``%%configure {"backend": "pyspark", "master": "local[2]"}`` (or ``SPARKLET_BACKEND=pyspark`` /
``c.SparkletKernel.backend``) puts the session on the installed pyspark: ``import pyspark`` is the
real package again, and the context can use any master pyspark can (``local[*]``, ``spark://``,
``yarn``, ``k8s://``). The kernel's views keep working, fed from what PySpark exposes to Python:

- Jobs, stages and task counts: a thread polls PySpark's status tracker (~10 times a second, and
  once more at the end of every cell) and turns what changed into the listener events the session
  store already folds: job start/end, stage submitted/completed; task counts are copied from the
  tracker's per-stage counters.
- The task timeline: the tracker has no per-task records, but the JVM's status store behind it (what
  the web UI draws its event timeline from, kept with the UI disabled too) has each task's launch
  time, duration and executor; they are read when a timeline is asked for.
- The DAG: Python's RDD objects keep their lineage only partly (a shuffle starts a fresh RDD over a
  JVM one), so each RDD method a user calls is wrapped to note its operator, call site and input
  RDDs on the RDD it returns; the stages are cut where those operators shuffle. An RDD made some
  other way is drawn from the JVM's lineage (``_jrdd.toDebugString()``) instead.
- Errors: a failed task arrives as a Py4J error whose Java text holds the Python worker's traceback;
  it is cut out and shown as the one-screen report the local engine gets.
- Task output: on local masters the workers `pyspark_daemon` starts send what tasks print over
  the kernel's authenticated task-output channel (`task_output`).

Apache Spark's classes have no driver hooks, so this backend (and only it) wraps pyspark's RDD and
SparkContext methods while it is active, and restores them when the session leaves it.
"""

import collections
import contextlib
import functools
import importlib
import itertools
import logging
import os
import re
import sys
import threading
import time

from sparklet.listener import (JobResult, RDDInfo, SparkListenerApplicationStart, SparkListenerExecutorAdded,
                               SparkListenerJobEnd, SparkListenerJobStart, SparkListenerStageCompleted,
                               SparkListenerStageSubmitted, StageInfo, ExecutorInfo, now_ms)

from .backend import Backend, BackendUnavailable, one_line
from .progress import human_bytes
from .state import SessionStore, TaskSpan, is_cached
from .task_output import task_output_server

log = logging.getLogger("sparklet_kernel.pyspark_backend")

POLL_INTERVAL = 0.1
#: defaults for contexts on this backend (the session's conf wins): the kernel's displays replace the
#: web UI and the console progress bars, and the JVM's log lines would land in cell outputs
CONTEXT_DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "FATAL",
}
#: operators whose result reads a shuffle (in PySpark, joins and cogroups shuffle the union of
#: their inputs once, so all inputs of one of these land in one parent stage)
SHUFFLE_OPERATORS = frozenset((
    "reduceByKey", "groupByKey", "combineByKey", "aggregateByKey", "foldByKey", "partitionBy", "join",
    "leftOuterJoin", "rightOuterJoin", "fullOuterJoin", "cogroup", "groupWith", "distinct", "sortByKey",
    "sortBy", "repartition", "groupBy", "subtractByKey", "subtract", "intersection",
    "repartitionAndSortWithinPartitions",
))
#: SparkContext methods that make a source RDD (or a union of RDDs)
CONTEXT_OPERATORS = ("parallelize", "textFile", "wholeTextFiles", "range", "union", "emptyRDD", "pickleFile",
                     "binaryFiles", "binaryRecords", "sequenceFile", "hadoopFile", "newAPIHadoopFile",
                     "hadoopRDD", "newAPIHadoopRDD")


# -- lineage ---------------------------------------------------------------------------------------

#: Apache Spark's pyspark modules while the session is on the local engine (the alias needs the
#: names free); a later switch back reuses them, with the JVM their SparkContext class started
_REAL_MODULES = {}

def as_pyspark_frame(func, pyspark_class):
    """Make `func` (a wrapper around a pyspark method) count as one of pyspark's own frames.

    PySpark names a call site after the first frame whose file is under pyspark's directory and
    offers no way to mark other frames so (Sparklet's engine does: `sparklet.callsite.internal`),
    so the wrapper's code takes a file name in that directory and the wrapped method's name
    ("reduceByKey at <cell 3>:2")."""
    pyspark_file = os.path.abspath(sys.modules[pyspark_class.__module__].__file__)
    func.__code__ = func.__code__.replace(
        co_filename=os.path.join(os.path.dirname(pyspark_file), "<sparklet-kernel:%s>" % func.__name__),
        co_name=func.__name__)
    return func


class Operator:
    """What one user call made: the operator's name, the user's file:line, the input RDDs."""

    __slots__ = ("node_id", "scope", "site", "inputs", "shuffle")

    def __init__(self, node_id, scope, site, inputs, shuffle):
        self.node_id, self.scope, self.site, self.inputs, self.shuffle = node_id, scope, site, inputs, shuffle


class LineageRecorder:
    """Wraps pyspark's RDD and SparkContext methods: the outermost call a user makes tags the RDD
    it returns with an `Operator`; an action notes the RDD its jobs run on (`actions`)."""

    def __init__(self, rdd_class, context_class):
        self.rdd_class = rdd_class
        self.context_class = context_class
        self.skip_dirs = (os.path.dirname(os.path.dirname(os.path.abspath(sys.modules[rdd_class.__module__].__file__))),
                          os.path.dirname(os.path.abspath(__file__)))
        self._local = threading.local()
        self._ids = itertools.count()
        self._originals = []
        # [rdd, "count at file:line", start ms, end ms or None] of the latest actions, to name the
        # jobs the tracker reports (a short job may only be seen after its action returned)
        self._actions = collections.deque(maxlen=50)

    def install(self):
        for name, member in list(vars(self.rdd_class).items()):
            if not name.startswith("_") and callable(member) and not isinstance(member, (staticmethod, classmethod, type)):
                self._wrap(self.rdd_class, name, member)
        for name in CONTEXT_OPERATORS:
            member = vars(self.context_class).get(name)
            if member is not None:
                self._wrap(self.context_class, name, member)

    def uninstall(self):
        for cls, name, member in reversed(self._originals):
            setattr(cls, name, member)
        self._originals.clear()

    def _wrap(self, cls, name, original):
        recorder = self

        @functools.wraps(original)
        def method(receiver, *args, **kwargs):
            local = recorder._local
            if getattr(local, "depth", 0):
                return original(receiver, *args, **kwargs)
            local.depth = 1
            site = recorder.user_site()
            is_rdd = isinstance(receiver, recorder.rdd_class)
            action = [receiver, "%s at %s" % (name, site), now_ms(), None]
            if is_rdd:
                recorder._actions.append(action)
            try:
                result = original(receiver, *args, **kwargs)
            finally:
                local.depth = 0
                action[3] = now_ms()
            if isinstance(result, recorder.rdd_class) and result is not receiver \
                    and getattr(result, "_sparklet_operator", None) is None:
                inputs = [receiver] if is_rdd else []
                for arg in itertools.chain(args, kwargs.values()):
                    if isinstance(arg, recorder.rdd_class):
                        inputs.append(arg)
                    elif isinstance(arg, (list, tuple)):
                        inputs.extend(a for a in arg if isinstance(a, recorder.rdd_class))
                shuffle = (name in SHUFFLE_OPERATORS or (name == "coalesce" and bool(
                    kwargs.get("shuffle", args[1] if len(args) > 1 else False)))) \
                    and not recorder.pipelined_from(result, inputs)
                result._sparklet_operator = Operator(next(recorder._ids), name, site, inputs, shuffle)
            return result

        self._originals.append((cls, name, original))
        # counted as pyspark's own frame, so Spark still names call sites after the user's line
        setattr(cls, name, as_pyspark_frame(method, cls))

    @contextlib.contextmanager
    def quiet(self):
        """The kernel's own calls (planning a job's stages) are neither tagged nor taken for actions."""
        local = self._local
        depth = getattr(local, "depth", 0)
        local.depth = depth + 1
        try:
            yield
        finally:
            local.depth = depth

    def pipelined_from(self, rdd, inputs):
        """Whether `rdd` is its inputs plus narrow Python steps: PySpark skips the shuffle of an
        operator whose input is already partitioned the way it needs (a reduceByKey after a join
        with the same number of partitions), so the operator's name alone does not decide."""
        while rdd is not None:
            if any(rdd is i for i in inputs):
                return True
            rdd = getattr(rdd, "prev", None)
        return False

    def user_site(self):
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename.startswith(self.skip_dirs):
            frame = frame.f_back
        return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno) if frame is not None else ""

    def actions_at(self, when_ms, slack_ms=50):
        """(RDD, "action at file:line") of the actions running at `when_ms`, latest first."""
        return [(a[0], a[1]) for a in reversed(list(self._actions))
                if a[2] - slack_ms <= when_ms and (a[3] is None or when_ms <= a[3] + slack_ms)]


def _rdd_info(rdd, op, parent_ids):
    level = rdd.getStorageLevel()
    return RDDInfo(id=op.node_id, name=type(rdd).__name__, numPartitions=rdd.getNumPartitions(),
                   storageLevel=level if is_cached(level) else None, parentIds=parent_ids, callSite=op.site, scope=op.scope)


def lineage_stages(rdd):
    """The stages a job on `rdd` runs, from the recorded Python lineage: [(rddInfos, parent stage
    indexes)] with parents before children (Spark's stage-id order), or None when the lineage
    reaches an RDD no recorded operator made."""
    stages = []
    made = {}  # frozenset of input ids -> stage index, so an RDD shuffled twice is one map stage

    def build(roots):
        key = frozenset(id(r) for r in roots)
        if key in made:
            return made[key]
        infos, parents, seen, pending = [], [], set(), list(roots)
        while pending:
            r = pending.pop()
            if id(r) in seen:
                continue
            seen.add(id(r))
            op = getattr(r, "_sparklet_operator", None)
            if op is None:
                raise LookupError(r)
            ids = [getattr(i, "_sparklet_operator", None) for i in op.inputs]
            if any(i is None for i in ids):
                raise LookupError(r)
            infos.append(_rdd_info(r, op, [i.node_id for i in ids]))
            if op.shuffle and op.inputs:
                parents.append(build(op.inputs))
            else:
                pending.extend(op.inputs)
        stages.append((sorted(infos, key=lambda i: i.id), sorted(set(parents))))
        made[key] = len(stages) - 1
        return made[key]

    try:
        build([rdd])
    except LookupError:
        return None
    return stages


_DEBUG_LINE = re.compile(r"(?P<name>\w+)\[(?P<id>\d+)\] at (?P<scope>\S+) at (?P<site>\S+)")
#: the tree drawing before an RDD: ``(2) ``, `` |  ``, `` +-(3) ``; an RDD's own name (a file's
#: path, "data/logs MapPartitionsRDD[1]") follows it, so it is the tree, not the name, that tells depth
_DEBUG_TREE = re.compile(r"^[ |]*(?:\+-)?(?:\(\d+\) )?")


def debug_string_stages(text):
    """The stages of a JVM lineage (``toDebugString()``): a ``+-`` line starts a shuffle parent
    stage, indented under the stage that reads it. Same shape as `lineage_stages`."""
    stages = []  # [infos, parent stage indexes]
    stack = []  # (column where the tree drawing ends, stage index)
    for line in text.splitlines():
        m = _DEBUG_LINE.search(line)
        if not m:
            continue
        col = _DEBUG_TREE.match(line).end()
        starts_stage = "+-" in line[:col] or not stages
        while stack and stack[-1][0] > col or (stack and starts_stage and stack[-1][0] >= col):
            stack.pop()
        if starts_stage:
            stages.append([[], []])
            index = len(stages) - 1
            if stack:
                stages[stack[-1][1]][1].append(index)
            stack.append((col, index))
        rdd_id = int(m.group("id"))
        if starts_stage and len(stack) > 1:
            # the last RDD of the stage above reads this stage's shuffle output
            stages[stack[-2][1]][0][-1].parentIds.append(rdd_id)
        infos = stages[stack[-1][1]][0]
        if infos and not starts_stage:
            infos[-1].parentIds.append(rdd_id)
        site = m.group("site")
        infos.append(RDDInfo(id=rdd_id, name=m.group("name"), numPartitions=0, storageLevel=None, parentIds=[],
                             callSite="" if ".scala:" in site or ".java:" in site else site,
                             scope=m.group("scope") if m.group("scope") != "RDD" else m.group("name")))
    # stages were found child first; Spark numbers parents first
    order = list(range(len(stages)))[::-1]
    position = {old: new for new, old in enumerate(order)}
    return [(sorted(stages[old][0], key=lambda i: i.id), sorted(position[p] for p in stages[old][1])) for old in order]


def plan(rdd):
    """Stages of a job on `rdd`: from the Python lineage, else from the JVM's."""
    stages = lineage_stages(rdd)
    if stages is None:
        stages = debug_string_stages(rdd._jrdd.toDebugString())
    return stages


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


# -- the store fed by the status tracker -----------------------------------------------------------

class JobFailed(Exception):
    pass


#: the statuses of a task that has ended, as the status store names them
FINISHED_TASK_STATUSES = ("SUCCESS", "FAILED", "KILLED")
#: "all of a stage's tasks" for the status store's taskList (a Java int)
MAX_TASKS = 2 ** 31 - 1


class TrackerStore(SessionStore):
    """A `SessionStore` whose events are synthesized from PySpark's status tracker by a poller
    thread instead of delivered by a listener bus."""

    def __init__(self, context, backend):
        super().__init__(context)
        self.backend = backend
        self._poll_lock = threading.Lock()
        self._next_job = 0
        self._running = {}  # jobId -> {stageId: state dict}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sparklet-pyspark-tracker", daemon=True)

    def start(self):
        sc = self.context
        self.onApplicationStart(SparkListenerApplicationStart(sc.appName, sc.applicationId, sc.startTime,
                                                              sc.sparkUser(), sc.master))
        for ex in self.backend.executors(sc):
            self.onExecutorAdded(SparkListenerExecutorAdded(sc.startTime, ex["id"], ExecutorInfo(
                ex["host"], ex["cores"] if isinstance(ex["cores"], int) else 0, None, ex["storageMemory"])))
        self._thread.start()

    def _alive(self):
        return not self._stopped.is_set() and getattr(self.context, "_jsc", None) is not None

    def _run(self):
        while self._alive():
            try:
                self.poll()
            except Exception:
                if not self._alive():  # the context stopped between the check and the call
                    break
                # one bad poll must not end the session's progress display
                log.exception("polling PySpark's status tracker failed")
            self._stopped.wait(POLL_INTERVAL)

    def stop(self):
        self._stopped.set()

    def close(self):
        self.stop()

    def sync(self, timeout=2.0):
        """Bring the store up to date now (the end of a cell): poll until the jobs it knows about
        have ended, as the action that ran them has returned, or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while self._alive():
            self.poll()
            if not self._running or time.monotonic() > deadline:
                return not self._running
            time.sleep(0.02)
        return True

    def poll(self):
        with self._poll_lock:
            tracker = self.context._jsc.statusTracker()
            while True:
                info = tracker.getJobInfo(self._next_job)
                if info is None:
                    break
                self._job_started(tracker, self._next_job, info)
                self._next_job += 1
            for job_id in list(self._running):
                self._job_progress(tracker, job_id)

    def task_spans(self, job_id):
        """The job's finished tasks, from the JVM's status store (it keeps the latest
        ``spark.ui.retainedTasks`` tasks of each stage)."""
        with self._lock:
            job = self.jobs.get(job_id)
            stage_ids = [s for s in job.stageIds if s in job.submitted] if job is not None else []
        tracker = self.context._jsc.statusTracker()
        status_store = self.context._jsc.sc().statusStore()
        spans = []
        for sid in stage_ids:
            info = tracker.getStageInfo(sid)
            for attempt in range(info.currentAttemptId() + 1 if info is not None else 1):
                tasks = status_store.taskList(sid, attempt, MAX_TASKS).iterator()
                while tasks.hasNext():
                    task = tasks.next()
                    status = task.status()
                    if status not in FINISHED_TASK_STATUSES:
                        continue  # a running task's duration is only its time so far
                    launch = task.launchTime().getTime()
                    spans.append(TaskSpan(sid, task.taskId(), task.index(), task.attempt(), task.executorId(),
                                          launch, launch + task.duration().get(), status))
        return spans

    def _job_started(self, tracker, job_id, info):
        stage_ids = sorted(int(s) for s in info.stageIds())
        java = {s: tracker.getStageInfo(s) for s in stage_ids}
        submitted = [java[s].submissionTime() for s in stage_ids if java[s] is not None and java[s].submissionTime() > 0]
        started = min(submitted) if submitted else now_ms()
        predicted, action = self.backend.job_plan(started, len(stage_ids))
        infos = []
        for index, sid in enumerate(stage_ids):
            j = java[sid]
            rdd_infos, parents = predicted[index] if predicted else ([], [])
            infos.append(StageInfo(stageId=sid, attemptNumber=j.currentAttemptId() if j else 0,
                                   name=j.name() if j else "stage %d" % sid, numTasks=j.numTasks() if j else 0,
                                   rddInfos=rdd_infos, parentIds=[stage_ids[p] for p in parents],
                                   isShuffleMap=index < len(stage_ids) - 1))
        properties = {"callSite.short": action or (infos[-1].name if infos and java[stage_ids[-1]] else "job %d" % job_id)}
        run = self.backend.session.live.current
        if run is not None and job_id in list(tracker.getJobIdsForGroup(run.group_id)):
            properties["spark.jobGroup.id"] = run.group_id
        self.onJobStart(SparkListenerJobStart(job_id, started, infos, properties))
        self._running[job_id] = {info.stageId: {"info": info, "submitted": False, "done": False} for info in infos}
        self._job_progress(tracker, job_id)

    def _job_progress(self, tracker, job_id):
        stages = self._running[job_id]
        # the job's status before its stages' counts: Spark records a stage's completion before
        # the end of its job, so counts read after the job has ended are final; read in the other
        # order, a job that ended in between would keep the counts of a stage still running
        job = tracker.getJobInfo(job_id)
        status = str(job.status()) if job is not None else "FAILED"
        for sid, state in stages.items():
            j = tracker.getStageInfo(sid)
            if j is None or state["done"]:
                continue
            info = state["info"]
            # each accessor of the tracker's Java objects is a round trip to the JVM: ask once
            if not state["submitted"]:
                submitted = j.submissionTime()
                if submitted <= 0:
                    continue
                state["submitted"] = True
                info.submissionTime = submitted
                info.name = j.name()
                self.onStageSubmitted(SparkListenerStageSubmitted(info, {}))
            counts = (j.numTasks(), j.numCompletedTasks(), j.numActiveTasks(), j.numFailedTasks())
            if counts == state.get("counts"):
                continue
            state["counts"] = counts
            with self._lock:
                record = self.stages.get(sid)
                if record is not None:
                    record.name = info.name
                    record.numTasks, record.completed, record.running, record.failed = counts
            self._notify("job", job_id)
            if counts[1] >= counts[0]:
                state["done"] = True
                info.completionTime = now_ms()
                self.onStageCompleted(SparkListenerStageCompleted(info))
        if status in ("SUCCEEDED", "FAILED"):
            for sid, state in stages.items():
                if state["submitted"] and not state["done"]:
                    state["info"].completionTime = now_ms()
                    state["info"].failureReason = "the job failed"
                    self.onStageCompleted(SparkListenerStageCompleted(state["info"]))
            result = JobResult(True) if status == "SUCCEEDED" else JobResult(False, JobFailed("a task failed"))
            self.onJobEnd(SparkListenerJobEnd(job_id, now_ms(), result))
            del self._running[job_id]


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
