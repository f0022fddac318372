"""SQL executions: each DataFrame action or SQL query that runs jobs is one execution, as Spark's
``SQLExecution.withNewExecutionId`` makes it.

The execution posts ``SparkListenerSQLExecutionStart`` (its description ``<action> at <call
site>``, the formatted physical plan, and the plan as the ``sparkPlanInfo`` tree the Spark UI's SQL
tab draws) before its jobs, and ``SparkListenerSQLExecutionEnd`` (with the error, if it failed)
after them. Its jobs carry the local property ``spark.sql.execution.id``, which is how the SQL tab
lists the jobs of a query. The events reach listeners through ``onOtherEvent`` (Spark's hook for
events outside the core set) and the event log writes them in Spark's JSON (``spark_json``).
"""

import contextlib
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from ..listener import SparkListenerEvent

EXECUTION_ID_KEY = "spark.sql.execution.id"
#: the session time zone travels with the execution's jobs as a local property, as Spark's
#: ``withSQLConfPropagated`` ships SQL confs to tasks: executors read it (``engine.run_query``) so
#: casts, date parts and formatting follow ``spark.sql.session.timeZone``
TIME_ZONE_KEY = "spark.sql.session.timeZone"
_execution_ids = itertools.count()
_START = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"
_END = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd"


@dataclass
class SparkListenerSQLExecutionStart(SparkListenerEvent):
    executionId: int
    description: str
    details: str
    physicalPlanDescription: str
    sparkPlanInfo: Dict[str, Any]
    time: int
    queryId: str = ""
    rootExecutionId: Optional[int] = None
    modifiedConfigs: Dict[str, str] = field(default_factory=dict)
    jobGroupId: Optional[str] = None

    def spark_json(self):
        """The event-log line Spark writes for this event.

        >>> e = SparkListenerSQLExecutionStart(0, "count at x.py:1", "", "== Physical Plan ==", {}, 5)
        >>> json.loads(e.spark_json())["description"]
        'count at x.py:1'
        """
        return json.dumps({
            "Event": _START, "executionId": self.executionId,
            "rootExecutionId": self.executionId if self.rootExecutionId is None else self.rootExecutionId,
            "description": self.description, "details": self.details,
            "physicalPlanDescription": self.physicalPlanDescription, "sparkPlanInfo": self.sparkPlanInfo,
            "time": self.time, "modifiedConfigs": self.modifiedConfigs, "jobTags": [], "jobGroupId": self.jobGroupId,
            "queryId": self.queryId}, separators=(",", ":"), ensure_ascii=False)


@dataclass
class SparkListenerSQLExecutionEnd(SparkListenerEvent):
    executionId: int
    time: int
    errorMessage: str = ""
    queryId: str = ""

    def spark_json(self):
        """The event-log line Spark writes for this event.

        >>> SparkListenerSQLExecutionEnd(0, 7).spark_json()
        '{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd","executionId":0,"time":7,"errorMessage":"","queryId":""}'
        """
        return json.dumps({"Event": _END, "executionId": self.executionId, "time": self.time,
                           "errorMessage": self.errorMessage, "queryId": self.queryId},
                          separators=(",", ":"), ensure_ascii=False)


@dataclass
class SparkListenerDriverAccumUpdates(SparkListenerEvent):
    """SQL metric values the driver measured for an execution (accumulator id, value): what the
    SQL tab adds to the values tasks reported."""
    executionId: int
    accumUpdates: list

    def spark_json(self):
        """The event-log line Spark writes for this event.

        >>> SparkListenerDriverAccumUpdates(3, [(7, 10)]).spark_json()
        '{"Event":"org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates","executionId":3,"accumUpdates":[[7,10]]}'
        """
        return json.dumps({"Event": _ACCUM, "executionId": self.executionId,
                           "accumUpdates": [list(u) for u in self.accumUpdates]}, separators=(",", ":"))


_ACCUM = "org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates"

def spark_plan_info(root):
    """Spark's ``SparkPlanInfo`` of a physical plan: nodeName, simpleString, children, metadata
    (a file scan's Location, ReadSchema, PushedFilters...) and each operator's SQL metrics. A plan
    without exchanges shows its whole-stage-codegen stages (``WholeStageCodegen (1)``, an
    ``InputAdapter`` where a stage reads an operator outside it); an adaptive plan's initial tree
    shows none, as Spark's does."""
    from .physical import _operator_name, has_exchange, operator_metrics

    adaptive = has_exchange(root)
    stages = itertools.count(1)

    def info(node, in_stage=False):
        if getattr(node, "hidden", False):
            return info(node.children[0], in_stage)
        if not adaptive and node.codegen and not in_stage:
            n = next(stages)
            inner = info(node, True)
            return {"nodeName": "WholeStageCodegen (%d)" % n, "simpleString": "WholeStageCodegen (%d)" % n,
                    "children": [inner], "metadata": {}, "metrics": operator_metrics(node, "WholeStageCodegen")}
        metadata = {}
        source = getattr(getattr(node, "relation", None), "source", None)
        if getattr(source, "file_scan", False):
            metadata = {k: v for k, v in source.scan_metadata(node.output(), node.filters).items() if k != "RootPaths"}
        children = []
        for c in node.children:
            child = info(c, in_stage and c.codegen)
            if in_stage and not c.codegen and not adaptive:
                child = {"nodeName": "InputAdapter", "simpleString": "InputAdapter", "children": [child],
                         "metadata": {}, "metrics": []}
            children.append(child)
        return {"nodeName": _operator_name(node), "simpleString": node.node_string(),
                "children": children, "metadata": metadata, "metrics": operator_metrics(node)}
    tree = info(root)
    if adaptive:
        tree = {"nodeName": "AdaptiveSparkPlan", "simpleString": "AdaptiveSparkPlan isFinalPlan=false",
                "children": [tree], "metadata": {}, "metrics": []}
    return tree


def measured_metrics(root):
    """(accumulator id, value) of the metrics the plan's last run measured (rows counted by the
    tasks, read back on the driver)."""
    out = []

    def walk(node):
        for metric_id, acc in sorted(node.__dict__.get("_metric_values", {}).items()):
            out.append((metric_id, acc.value))
        for c in node.children:
            walk(c)
    walk(root)
    return out


def _now_ms():
    return int(time.time() * 1000)


@contextlib.contextmanager
def new_execution(session, query_execution, action, call_site):
    """Run the body as one SQL execution: its start and end events around it, its jobs tagged
    with the execution id. A nested action (a broadcast's collect) belongs to the outer one."""
    sc = session.sparkContext
    if sc.getLocalProperty(EXECUTION_ID_KEY) is not None:
        yield
        return
    from .physical import explain_formatted
    execution_id = next(_execution_ids)
    query_id = str(uuid.uuid4())
    physical = query_execution.physical()
    sc.listenerBus.post(SparkListenerSQLExecutionStart(
        execution_id, "%s at %s" % (action, call_site), "%s at %s" % (action, call_site),
        "== Physical Plan ==\n" + explain_formatted(physical), spark_plan_info(physical), _now_ms(), query_id,
        jobGroupId=sc.getLocalProperty("spark.jobGroup.id")))
    sc.setLocalProperty(EXECUTION_ID_KEY, str(execution_id))
    sc.setLocalProperty(TIME_ZONE_KEY, session.conf.get(TIME_ZONE_KEY))
    error = ""
    try:
        yield
    except BaseException as e:
        error = str(e) or type(e).__name__
        raise
    finally:
        sc.setLocalProperty(EXECUTION_ID_KEY, None)
        sc.setLocalProperty(TIME_ZONE_KEY, None)
        updates = measured_metrics(physical)
        if updates:
            sc.listenerBus.post(SparkListenerDriverAccumUpdates(execution_id, updates))
        sc.listenerBus.post(SparkListenerSQLExecutionEnd(execution_id, _now_ms(), error, query_id))
