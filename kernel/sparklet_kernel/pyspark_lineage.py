"""The pyspark backend's lineage: what each user call on Apache Spark's RDDs made, and the stages
a job on an RDD runs, for the kernel's DAG.

Python's RDD objects keep their lineage only partly (a shuffle starts a fresh RDD over a JVM one),
so `LineageRecorder` wraps each public pyspark RDD and SparkContext method while the backend is
active: the outermost call a user makes tags the RDD it returns with an `Operator` (its name, the
user's file:line, its input RDDs), and `lineage_stages` cuts stages where those operators shuffle.
An RDD made some other way is drawn from the JVM's lineage (`debug_string_stages` over
``_jrdd.toDebugString()``). This is Spark's RDD lineage and its DAG scheduler's stage cutting, seen
from Python.
"""

import collections
import contextlib
import functools
import itertools
import os
import re
import sys
import threading

from sparklet.listener import RDDInfo, now_ms

from .state import is_cached

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


def _scala_seq(seq):
    return [seq.apply(i) for i in range(seq.size())]


#: a node of ``explain("formatted")``: ``(3) HashAggregate [codegen id : 1]``
_PLAN_NODE = re.compile(r"^\((?P<n>\d+)\) (?P<name>.+?)(?: \[codegen id : (?P<codegen>\d+)\])?$")
_CODEGEN_CLUSTER = re.compile(r"^WholeStageCodegen \((?P<codegen>\d+)\)$")


def codegen_operators(plan_text):
    """{codegen stage id: [physical operator, ...] bottom first} of a formatted physical plan:
    what each ``WholeStageCodegen (N)`` of Spark's DAG fuses, aggregates named by their mode as
    Sparklet names them.

    >>> codegen_operators("(1) Scan ExistingRDD [codegen id : 1]\\n\\n(2) HashAggregate [codegen id : 1]\\n"
    ...                   "Functions [1]: [partial_count(1)]\\n\\n(3) Exchange\\n")
    {1: ['Scan ExistingRDD', 'HashAggregate (partial)']}
    """
    found = {}
    lines = plan_text.splitlines()
    for i, line in enumerate(lines):
        m = _PLAN_NODE.match(line)
        if not m or not m.group("codegen"):
            continue
        name = m.group("name")
        if name.endswith("Aggregate"):
            details = []
            for detail in lines[i + 1:]:
                if not detail.strip():
                    break
                details.append(detail)
            functions = " ".join(d for d in details if d.startswith("Functions"))
            name += " (partial)" if "partial_" in functions else " (final)"
        found.setdefault(int(m.group("codegen")), []).append((int(m.group("n")), name))
    return {cid: [name for _, name in sorted(ops)] for cid, ops in found.items()}


def sql_codegen_operators(sc, job_id):
    """`codegen_operators` of the SQL execution that ran job `job_id` (Spark's SQL status store),
    {} when there is none (an RDD job, or no SparkSession)."""
    try:
        session = sc._jvm.org.apache.spark.sql.SparkSession.getDefaultSession()
        if session.isEmpty():
            return {}
        executions = _scala_seq(session.get().sharedState().statusStore().executionsList())
        chosen = next((e for e in reversed(executions) if e.jobs().contains(job_id)), None)
        return codegen_operators(chosen.physicalPlanDescription()) if chosen is not None else {}
    except Exception:  # no SQL status store (yet), a context being stopped
        return {}


def operation_graph_stages(status_store, stage_ids, codegen=None):
    """The stages of a job as Apache Spark's own UI draws them, from the JVM's status store
    (``operationGraphForStage``: the RDDs of each stage grouped by operation scope): {stage id:
    (rddInfos, parent stage ids)}. This is the plan of a job no recorded Python call made: a
    DataFrame action's (scopes ``Scan ExistingRDD``, ``WholeStageCodegen (1)``, ``Exchange``,
    ``AQEShuffleRead``...); a ``WholeStageCodegen (N)`` scope becomes the physical operators it
    fuses when `codegen` (`codegen_operators`) knows them. A stage the store has no graph of is
    left out."""
    graphs, home = {}, {}
    for sid in stage_ids:
        try:
            graphs[sid] = status_store.operationGraphForStage(sid)
        except Exception:  # evicted from the store, or a context being stopped
            continue
    scope_ids = {}
    out = {}
    for sid, graph in graphs.items():
        infos = {}

        def walk(cluster, scope):
            for node in _scala_seq(cluster.childNodes()):
                # the operator is the outermost scope under the stage: nested ones are its parts
                name = scope[1] if scope else node.name()
                scope_id = scope_ids.setdefault(scope[0], len(scope_ids) + 1) if scope else 0
                infos[node.id()] = RDDInfo(id=node.id(), name=node.name(), numPartitions=0,
                                           storageLevel=None, parentIds=[], callSite="", scope=name,
                                           scopeId=scope_id)
                home.setdefault(node.id(), sid)
            for child in _scala_seq(cluster.childClusters()):
                if scope is None:
                    name = child.name()
                    m = _CODEGEN_CLUSTER.match(name)
                    if m and (codegen or {}).get(int(m.group("codegen"))):
                        # fused operators, top first as explain() and Sparklet's scopes name them
                        name = " | ".join(reversed(codegen[int(m.group("codegen"))]))
                    walk(child, (child.id(), name))
                else:
                    walk(child, scope)

        walk(graph.rootCluster(), None)
        for edge in _scala_seq(graph.edges()) + _scala_seq(graph.incomingEdges()):
            if edge.toId() in infos:
                infos[edge.toId()].parentIds.append(edge.fromId())
        out[sid] = [infos[k] for k in sorted(infos)]
    return {sid: (infos, sorted({home[p] for r in infos for p in r.parentIds if home.get(p, sid) != sid}))
            for sid, infos in out.items()}


def plan(rdd):
    """Stages of a job on `rdd`: from the Python lineage, else from the JVM's."""
    stages = lineage_stages(rdd)
    if stages is None:
        stages = debug_string_stages(rdd._jrdd.toDebugString())
    return stages
