"""``%spark``: the session's jobs, an RDD's DAG, a job's task timeline, a job's profile, the last
task failure, the task output log, and the live display's mode. (sparkmagic's session magics are in sparkmagic.py.)"""

from IPython.core.error import UsageError
from IPython.core.magic import line_magic, magics_class
from IPython.display import display

from . import dag, history, profile_view, progress
from .i18n import _
from .magic_args import HelpShown, MagicArgumentParser, SessionMagicsBase, parse
from .timeline import timeline_bundle
from .tracebacks import full_report


def _parser():
    p = MagicArgumentParser(prog="%spark", description="Inspect the Sparklet session.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    sub.add_parser("jobs", help="table of the session's jobs and their stages")
    d = sub.add_parser("dag", help="draw the DAG a job on RDD would run (before running it)")
    d.add_argument("rdd", metavar="RDD", help="a Python expression that evaluates to an RDD")
    t = sub.add_parser("timeline", help="task timeline of a job (default: the latest)")
    t.add_argument("job", metavar="JOB", nargs="?", type=int, help="job id")
    f = sub.add_parser("profile", help="the hottest functions of yours in a job's tasks (default: the latest; "
                                       "needs spark.python.profile=true)")
    f.add_argument("job", metavar="JOB", nargs="?", type=int, help="job id")
    f.add_argument("-n", type=int, default=10, help="how many functions (default 10)")
    sub.add_parser("traceback", help="full driver and executor tracebacks of the last task failure")
    o = sub.add_parser("output", help="what tasks printed (the session's last lines)")
    o.add_argument("-n", type=int, default=200, help="how many lines (default 200)")
    g = sub.add_parser("progress", help="live job display: on, off, or text only")
    g.add_argument("mode", choices=["on", "off", "text"])
    h = sub.add_parser("history", help="replay a Spark event log: its jobs, stages, DAGs, executors, storage")
    h.add_argument("path", metavar="PATH", help="an event log file or eventlog_v2_* folder (Sparklet's or Spark's)")
    h.add_argument("--timeline", metavar="JOB", nargs="?", type=int, const=-1,
                   help="show a job's task timeline instead (default: the last job)")
    return p


@magics_class
class SparkMagics(SessionMagicsBase):
    def __init__(self, shell, session):
        super().__init__(shell, session)
        # per-job profiles are kept from the start of every profiled context
        session.context_listeners.append(profile_view.watch)
        if session.active_context() is not None:
            profile_view.watch(session.active_context())

    @line_magic
    def spark(self, line):
        """Inspect the Sparklet session: %spark {jobs,dag RDD,timeline [JOB],profile [JOB],traceback,output,
        progress MODE,history PATH}.
        Run `%spark --help` or `%spark COMMAND --help` for details."""
        try:
            args = parse(_parser(), line)
        except HelpShown as shown:
            print(shown.args[0])
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
            print(_("No jobs have run on this SparkContext yet."))
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
        display(timeline_bundle(spans, "Job %d: %s" % (job_id, job["description"]), store.executor_cores()), raw=True)

    def _profile(self, args):
        display(profile_view.job_profile(self.session.active_context(), self.session.store, args.job, args.n))

    def _traceback(self, args):
        last = self.session.errors.last
        if last is None:
            print(_("No task has failed in this session."))
            return
        print(full_report(*last))

    def _output(self, args):
        log = list(self.session.live.task_log)
        if not log:
            print(_("No task output in this session."))
            return
        shown = log[-args.n:]
        if len(shown) < len(log):
            print(_("(last %d of %d lines kept)") % (len(shown), len(log)))
        for line in shown:
            print("[stage %d, partition %d] %s" % (line.stageId, line.partitionId, line.text))

    def _history(self, args):
        try:
            store = history.load(args.path)
            if args.timeline is not None:
                display(history.timeline_bundle(store, None if args.timeline == -1 else args.timeline), raw=True)
                return
        except history.EventLogError as e:
            raise UsageError("%%spark history: %s" % e)
        print(history.summary(store))
        display(progress.bundle(history.jobs_state(store)), raw=True)
        display(history.executors_view(store), raw=True)
        display(history.storage_view(store), raw=True)

    def _progress(self, args):
        self.session.live.mode = args.mode
        print(_("Sparklet job display: %s") % args.mode)
