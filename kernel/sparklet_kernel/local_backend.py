"""The local backend: `sc` is Sparklet's own SparkContext (the default).

``import pyspark`` resolves to Sparklet while this backend is active (unless the alias is turned
off), the session follows contexts through the engine's driver hooks (`sparklet.hooks`), and the
session store listens to the context's own listener bus. Nothing here patches an engine class.
"""

import os
import sys
from collections import deque
from urllib.parse import urlparse

from sparklet import hooks

from .backend import Backend
from .state import SessionStore


def tail(path, n):
    """(last n lines, total line count) of a text file."""
    with open(path, "r", errors="replace") as f:
        total = 0
        last = deque(maxlen=n)
        for line in f:
            total += 1
            last.append(line.rstrip("\n"))
    return list(last), total


def _log_path(executor):
    """The executor's log file: Sparklet's logUrlMap holds local paths (Spark's, URLs)."""
    where = (executor.get("logUrlMap") or {}).get("stderr", "")
    return urlparse(where).path if where.startswith("file:") else where or None


class LocalBackend(Backend):
    name = "sparklet"

    def activate(self, session):
        if session.pyspark_alias and not session.alias.install():
            print("Sparklet: real PySpark is already imported here; `import pyspark` stays PySpark.",
                  file=sys.stderr)
        hooks.register(session.context_hook)
        session.shell.set_custom_exc(session.errors.exceptions, session.errors)

    def deactivate(self, session):
        hooks.unregister(session.context_hook)
        session.alias.uninstall()

    @property
    def context_class(self):
        import sparklet

        return sparklet.SparkContext

    def active_context(self):
        return self.context_class._active_spark_context

    def create_context(self, master, app_name, conf):
        import sparklet

        spark_conf = sparklet.SparkConf().setAll(list(conf.items()))
        return self.context_class(master=master, appName=app_name, conf=spark_conf)

    def master_for(self, settings, default):
        conf = settings["conf"]
        if settings["master"] is None and "spark.executor.instances" in conf:
            # the local engine runs one single-core executor per task slot of local[K]
            return "local[%d]" % (int(conf["spark.executor.instances"]) * int(conf.get("spark.executor.cores", "1")))
        return super().master_for(settings, default)

    def observe(self, sc):
        # the context's own store, folding events since its start: nothing to add to the bus
        return SessionStore(sc, sc.statusStore)

    def preview_stages(self, rdd):
        stages = rdd.context.dagScheduler.previewStages(rdd)
        return stages, [s.stageId for s in stages if s.details == "skipped"]

    def executors(self, sc, store):
        memory = sc.getConf().get("spark.executor.memory", "1g")
        return [{"id": e["executorId"], "cores": e["totalCores"], "memory": memory, "detail": "pid %s" % e["pid"]}
                for e in store.snapshot()["executors"] if e["isActive"]]

    def cached_rdds(self, sc, store):
        return [{"id": entry["rddId"], "name": entry["name"] or "rdd", "storageLevel": entry["storageLevel"],
                 "cachedPartitions": entry["numCachedPartitions"],
                 "numPartitions": entry["numPartitions"] or entry["numCachedPartitions"],
                 "memSize": entry["memSize"], "diskSize": entry["diskSize"], "sizeKind": entry["sizeKind"]}
                for entry in store.snapshot()["storage"]]

    def executor_logs(self, sc, store, lines):
        out = []
        executors = [e for e in store.snapshot()["executors"] if e["isActive"]]
        for executor in sorted(executors, key=lambda e: int(e["executorId"])):
            path = _log_path(executor)
            if not path or not os.path.exists(path):
                out.append("Executor %s: no log file" % executor["executorId"])
                continue
            shown, total = tail(path, lines)
            out.append("Executor %s (pid %s, %s): %s" % (
                executor["executorId"], executor["pid"], path,
                "empty" if total == 0 else "last %d of %d lines" % (len(shown), total) if len(shown) < total
                else "%d line%s" % (total, "" if total == 1 else "s")))
            out.extend("  " + text for text in shown)
        return out
