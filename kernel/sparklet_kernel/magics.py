"""Session magics: ``%spark`` (the session's jobs, an RDD's DAG, a job's task timeline, the last
task failure, the task output log, the live display's mode) and sparkmagic's session magics
(``%%configure``, ``%%info``, ``%%logs``, ``%%cleanup``/``%%delete``, ``%%local``, ``%%help``) with
sparkmagic's names and JSON keys, applied to the local Sparklet context."""

import argparse
import ast
import io
import json
import shlex
import time

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_cell_magic, line_magic, magics_class
from IPython.display import Image, display

from . import dag, progress
from .progress import human_bytes, human_ms
from .timeline import timeline_figure
from .tracebacks import full_report


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("%s\n%s" % (message, self.format_usage().strip()))

    def exit(self, status=0, message=None):
        if message:
            raise UsageError(message)
        raise _HelpShown()


class _HelpShown(Exception):
    pass


def _parser():
    p = _Parser(prog="%spark", description="Inspect the Sparklet session.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    sub.add_parser("jobs", help="table of the session's jobs and their stages")
    d = sub.add_parser("dag", help="draw the DAG a job on RDD would run (before running it)")
    d.add_argument("rdd", metavar="RDD", help="a Python expression that evaluates to an RDD")
    t = sub.add_parser("timeline", help="task timeline of a job (default: the latest)")
    t.add_argument("job", metavar="JOB", nargs="?", type=int, help="job id")
    sub.add_parser("traceback", help="full driver and executor tracebacks of the last task failure")
    o = sub.add_parser("output", help="what tasks printed (the session's last lines)")
    o.add_argument("-n", type=int, default=200, help="how many lines (default 200)")
    g = sub.add_parser("progress", help="live job display: on, off, or text only")
    g.add_argument("mode", choices=["on", "off", "text"])
    return p


@magics_class
class SparkMagics(Magics):
    def __init__(self, shell, session):
        super().__init__(shell)
        self.session = session

    @line_magic
    def spark(self, line):
        """Inspect the Sparklet session: %spark {jobs,dag RDD,timeline [JOB],traceback,output,progress MODE}.
        Run `%spark --help` or `%spark COMMAND --help` for details."""
        parser = _parser()
        try:
            args = parser.parse_args(shlex.split(line))
        except _HelpShown:
            sub = shlex.split(line)[0] if line.split() and not line.split()[0].startswith("-") else None
            if sub and sub in parser._subparsers._group_actions[0].choices:
                print(parser._subparsers._group_actions[0].choices[sub].format_help())
            else:
                print(parser.format_help())
            return None
        return getattr(self, "_" + args.command)(args)

    def _store(self):
        store = self.session.store
        if store is None:
            raise UsageError("There is no SparkContext in this session yet.")
        return store

    def _jobs(self, args):
        store = self._store()
        jobs = [store.job_json(j) for j in store.job_ids()]
        jobs = [j for j in jobs if j is not None]
        if not jobs:
            print("No jobs have run on this SparkContext yet.")
            return
        state = {"version": progress.SCHEMA_VERSION, "executionCount": None, "groupId": None,
                 "hiddenJobs": 0, "jobs": jobs}
        display(progress.bundle(state), raw=True)

    def _dag(self, args):
        try:
            rdd = self.shell.ev(args.rdd)
        except Exception as e:
            raise UsageError("%%spark dag: could not evaluate %r: %s: %s" % (args.rdd, type(e).__name__, e))
        try:
            view = dag.show(rdd)
        except TypeError as e:
            raise UsageError("%%spark dag: %s" % e)
        display(view)

    def _timeline(self, args):
        store = self._store()
        ids = store.job_ids()
        if not ids:
            raise UsageError("%spark timeline: no jobs have run on this SparkContext yet.")
        job_id = ids[-1] if args.job is None else args.job
        job = store.job_json(job_id)
        if job is None:
            raise UsageError("%%spark timeline: no job %d (known jobs: %s)" % (job_id, ", ".join(map(str, ids))))
        spans = store.task_spans(job_id)
        if not spans:
            raise UsageError("%%spark timeline: job %d has no finished tasks" % job_id)
        fig = timeline_figure(spans, "Job %d: %s" % (job_id, job["description"]))
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90)
        display(Image(data=buf.getvalue(), format="png"))

    def _traceback(self, args):
        last = self.session.errors.last
        if last is None:
            print("No task has failed in this session.")
            return
        print(full_report(*last))

    def _output(self, args):
        log = list(self.session.live.task_log)
        if not log:
            print("No task output in this session.")
            return
        shown = log[-args.n:]
        if len(shown) < len(log):
            print("(last %d of %d lines kept)" % (len(shown), len(log)))
        for stage, part, stream, text in shown:
            print("[stage %d, partition %d] %s" % (stage, part, text))

    def _progress(self, args):
        self.session.live.mode = args.mode
        print("Sparklet job display: %s" % args.mode)

    # -- sparkmagic's session magics -----------------------------------------------------------
    @cell_magic
    def configure(self, line, cell):
        """%%configure [-f] {"name": ..., "master": ..., "conf": {...}, "executorCores": n, ...}

        Recreate the session's SparkContext with sparkmagic's session keys. Without -f it refuses
        to drop a context that has already run jobs."""
        args = line.split()
        if args in (["-h"], ["--help"]):
            print(self.configure.__doc__)
            return
        unknown = [a for a in args if a != "-f"]
        if unknown:
            raise UsageError("%%%%configure: unknown option %s (only -f is accepted)" % " ".join(unknown))
        try:
            spec = json.loads(cell or "{}")
        except ValueError as e:
            raise UsageError("%%%%configure: the cell is not valid JSON: %s" % e)
        if not isinstance(spec, dict):
            raise UsageError("%%configure: the cell must be a JSON object of session settings")
        active = self.session.active_context()
        conf = session_conf(spec, active, self.session.master)
        store = self.session.store
        if "-f" not in args and active is not None and store is not None and store.job_ids():
            raise UsageError("%%configure: the current SparkContext has already run jobs; "
                             "use %%configure -f to drop it and start a new one")
        from sparklet import SparkContext

        self.shell.user_ns["sc"] = SparkContext(conf=conf)

    @line_cell_magic
    def info(self, line, cell=None):
        """%%info: the session: backend, master, application id, executors, uptime, jobs, cached RDDs."""
        if line.strip() in ("-h", "--help"):
            print(self.info.__doc__)
            return
        snap = self.session.snapshot()
        s = snap["session"]
        if not s["contextActive"]:
            print("No active SparkContext (create one, or %%configure to start the session's).")
            return
        app = snap["application"]
        uptime = human_ms(int(time.time() * 1000) - app["startTime"]) if app.get("startTime") else "?"
        lines = ["Backend: sparklet %s (local executor processes)" % s["version"],
                 "Master: %s   appName: %s   applicationId: %s" % (s["master"], s["appName"], s["applicationId"]),
                 "Uptime: %s   jobs run: %d" % (uptime, len(snap["jobs"]))]
        lines.append("Executors:")
        for e in snap["executors"]:
            lines.append("  %s  pid %s  cores %s  storage memory %s  %s  tasks: %d done, %d failed"
                         % (e["executorId"], e["pid"], e["totalCores"], human_bytes(e["maxMemory"]),
                            "active" if e["isActive"] else "removed (%s)" % e["removeReason"],
                            e["completedTasks"], e["failedTasks"]))
        lines.append("Cached RDDs:" if snap["storage"] else "Cached RDDs: none")
        for r in snap["storage"]:
            lines.append("  RDD %d %s  %s  %d partitions  memory %s  disk %s"
                         % (r["rddId"], r["name"], r["storageLevel"], r["numCachedPartitions"],
                            human_bytes(r["memSize"]), human_bytes(r["diskSize"])))
        print("\n".join(lines))

    @line_cell_magic
    def logs(self, line, cell=None):
        """%%logs: what the session's tasks printed (the last 200 lines; %spark output -n N for more)."""
        if line.strip() in ("-h", "--help"):
            print(self.logs.__doc__)
            return
        self._output(argparse.Namespace(n=200))

    @line_cell_magic
    def cleanup(self, line, cell=None):
        """%%cleanup [-f]: stop the session's SparkContext and free its executors and files."""
        if line.strip() in ("-h", "--help"):
            print(self.cleanup.__doc__)
            return
        sc = self.session.active_context()
        if sc is None:
            print("No active SparkContext.")
            return
        described = "SparkContext(master=%r, appName=%r)" % (sc.master, sc.appName)
        sc.stop()
        if self.shell.user_ns.get("sc") is sc:
            del self.shell.user_ns["sc"]
        print("Stopped %s; %%%%configure starts a new one." % described)

    @line_cell_magic
    def delete(self, line, cell=None):
        """%%delete [-f]: the same as %%cleanup (Sparklet has one session per kernel)."""
        return self.cleanup(line, cell)

    @cell_magic
    def local(self, line, cell):
        """%%local: run the cell without the Spark job displays."""
        tree = ast.parse(cell)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        run = self.session.live.current
        if run is not None:
            run.silent = True
        ns = self.shell.user_ns
        exec(compile(tree, "<%%local>", "exec"), ns)
        if last is not None:
            return eval(compile(ast.Expression(last.value), "<%%local>", "eval"), ns)

    @line_cell_magic
    def help(self, line, cell=None):
        """%%help: the session magics."""
        rows = [("%%configure [-f] {json}", "recreate the SparkContext (keys: %s)" % ", ".join(sorted(SESSION_KEYS))),
                ("%%info", "the session: master, executors, uptime, jobs, cached RDDs"),
                ("%%logs", "what tasks printed"),
                ("%%cleanup / %%delete", "stop the SparkContext and free its executors"),
                ("%%local", "run a cell without the job displays"),
                ("%spark jobs", "the session's jobs and stages"),
                ("%spark dag RDD", "the DAG a job on RDD would run"),
                ("%spark timeline [JOB]", "task timeline of a job"),
                ("%spark traceback", "full tracebacks of the last task failure"),
                ("%spark output [-n N]", "the task output log"),
                ("%spark progress on|off|text", "the live job display")]
        width = max(len(r[0]) for r in rows)
        print("\n".join("%s  %s" % (name.ljust(width), text) for name, text in rows))


#: sparkmagic's session keys (plus master and backend) and the Spark settings they become
SESSION_KEYS = {
    "name": "spark.app.name", "master": "spark.master", "driverMemory": "spark.driver.memory",
    "executorMemory": "spark.executor.memory", "executorCores": "spark.executor.cores",
    "numExecutors": "spark.executor.instances", "conf": None, "backend": None,
}


def session_conf(spec, active, default_master):
    """A SparkConf from %%configure's JSON; starts from the active context's settings, or from the
    session's default master when there is no context."""
    from sparklet import SparkConf

    unknown = sorted(set(spec) - set(SESSION_KEYS))
    if unknown:
        raise UsageError("%%%%configure: unknown key%s %s (known: %s)" % (
            "s" if len(unknown) > 1 else "", ", ".join(unknown), ", ".join(sorted(SESSION_KEYS))))
    backend = spec.get("backend", "sparklet")
    if backend != "sparklet":
        raise UsageError("%%%%configure: backend %r is not available in this kernel (only \"sparklet\")" % (backend,))
    conf = SparkConf(loadDefaults=False)
    if active is not None:
        conf.setAll(active.getConf().getAll())
    else:
        conf.setMaster(default_master)
    extra = spec.get("conf", {})
    if not isinstance(extra, dict):
        raise UsageError("%%configure: \"conf\" must be a JSON object of Spark settings")
    for key, value in extra.items():
        conf.set(key, str(value))
    for key, setting in SESSION_KEYS.items():
        if setting is not None and key in spec:
            conf.set(setting, str(spec[key]))
    if "master" not in spec and ("numExecutors" in spec or "executorCores" in spec):
        try:
            cores = int(spec.get("numExecutors", 1)) * int(spec.get("executorCores", 1))
        except (TypeError, ValueError):
            raise UsageError("%%configure: numExecutors and executorCores must be integers")
        if cores < 1:
            raise UsageError("%%configure: numExecutors and executorCores must be positive")
        # Sparklet runs one single-core executor per core of local[K]
        conf.setMaster("local[%d]" % cores)
    return conf
