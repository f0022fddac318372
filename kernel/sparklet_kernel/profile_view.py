"""A job's profile: the user's functions where the job's tasks spent their time (``%spark profile``).

With ``spark.python.profile=true`` every PipelinedRDD has a profiler (PySpark's API, see
``sparklet.profiler``) whose cProfile statistics, summed over its tasks, reach the driver with the
tasks' results, each task's share kept under its stage attempt. ``JobProfiles`` listens for the
stage attempts each job submits, so a job's profile is exactly its own tasks', even when an RDD is
computed again by a later job. The view keeps the user's functions only (code outside the
engine, the standard library and installed packages: a notebook cell's lambdas, a script's
functions) and orders them as PySpark's ``show_profiles`` does, by the time spent in each one's
own code, then by the time including what it calls: the first row is the line to look at.
"""

import html
import os
import threading

from IPython.core.error import UsageError

from sparklet.callsite import is_internal_file
from sparklet.errors import _STDLIB_DIRS
from sparklet.listener import SparkListener

from .source import file_label

#: jobs whose profiles are kept (the oldest are dropped)
KEEP_JOBS = 200

_KERNEL_DIR = os.path.dirname(os.path.abspath(__file__))


def is_user_function(func):
    """``func`` is a pstats key (file, line, name): True for the user's own code."""
    filename = func[0]
    if filename.startswith(("~", "<frozen")):  # built-ins, frozen modules
        return False
    path = os.path.abspath(filename)
    parts = path.split(os.sep)
    return not (is_internal_file(path) or path.startswith(_STDLIB_DIRS) or path.startswith(_KERNEL_DIR + os.sep)
                or "site-packages" in parts or "dist-packages" in parts)


def _stage_tables(profiler):
    """{(stage id, attempt): pstats' dict} of a profiler, or {} (custom profilers may keep none)."""
    full = getattr(profiler, "full_stats", None)
    stats = full() if full is not None else profiler.stats()
    by_stage = getattr(stats, "by_stage", None)
    if not isinstance(by_stage, dict):
        return {}
    for _ in range(5):  # the scheduler thread may be adding a task's profile right now
        try:
            return dict(by_stage)
        except RuntimeError:
            continue
    return {}


class JobProfiles(SparkListener):
    """Which stage attempts each job ran, and how many tasks; the statistics themselves stay in
    the profilers, kept per stage attempt (``by_stage``), and are added up when asked for."""

    def __init__(self, sc):
        self.sc = sc
        self._lock = threading.Lock()
        self._running = {}  # job id -> ids of its stages, while it runs
        self.attempts = {}  # job id -> [(stage id, attempt)] it submitted
        self.tasks = {}  # job id -> tasks its stage attempts ran

    def onJobStart(self, event):
        with self._lock:
            self._running[event.jobId] = set(event.stageIds)
            self.attempts[event.jobId] = []
            self.tasks[event.jobId] = 0
            for old_job in sorted(self.attempts)[:-KEEP_JOBS]:
                self.attempts.pop(old_job)
                self.tasks.pop(old_job, None)

    def _job_of(self, stage_id):
        # the latest running job that has the stage (a shared map stage runs for the job that
        # submitted it, the latest one to need it)
        jobs = [job for job, stages in self._running.items() if stage_id in stages]
        return max(jobs) if jobs else None

    def onStageSubmitted(self, event):
        info = event.stageInfo
        with self._lock:
            job = self._job_of(info.stageId)
            if job is not None and job in self.attempts:
                self.attempts[job].append((info.stageId, info.attemptNumber))

    def onStageCompleted(self, event):
        info = event.stageInfo
        with self._lock:
            job = self._job_of(info.stageId)
            if job is not None and job in self.tasks:
                self.tasks[job] += info.numTasks

    def onJobEnd(self, event):
        with self._lock:
            self._running.pop(event.jobId, None)

    def job_stats(self, job_id):
        """{pstats key: [primitive calls, calls, own seconds, cumulative seconds]} of one job."""
        with self._lock:
            attempts = set(self.attempts.get(job_id, ()))
        collector = getattr(self.sc, "profiler_collector", None)
        total = {}
        for _, profiler, _ in list(collector.profilers) if collector is not None else []:
            for key, table in _stage_tables(profiler).items():
                if key not in attempts:
                    continue
                for func, entry in table.items():
                    acc = total.setdefault(func, [0, 0, 0.0, 0.0])
                    for i in range(4):
                        acc[i] += entry[i]
        return total


class ProfileView:
    """The hottest user functions of one job, as an HTML table in a notebook and text elsewhere.

    >>> view = ProfileView(3, "collect at <cell 4>:2", 4, {("/home/u/job.py", 7, "parse"): [8, 8, 0.5, 0.75]})
    >>> print(repr(view).splitlines()[2])
      0.500 s   0.750 s         8  parse (job.py:7)
    """

    def __init__(self, job_id, description, num_tasks, stats, limit=10):
        self.job_id = job_id
        self.description = description
        self.num_tasks = num_tasks
        self.total_seconds = sum(entry[2] for entry in stats.values())
        user = [(func, entry) for func, entry in stats.items() if is_user_function(func)]
        user.sort(key=lambda fe: (-fe[1][2], -fe[1][3], fe[0]))
        self.rows = [{"function": func[2], "where": "%s:%d" % (_short_file(func[0]), func[1]),
                      "calls": entry[1], "own": entry[2], "total": entry[3]} for func, entry in user[:limit]]
        self.hidden = max(0, len(user) - limit)

    def title(self):
        return "Job %d (%s): hottest user functions of %d task%s, %.3f s of profiled Python" % (
            self.job_id, self.description, self.num_tasks, "" if self.num_tasks == 1 else "s", self.total_seconds)

    def __repr__(self):
        lines = [self.title(), "    own     total     calls  function"]
        for r in self.rows:
            lines.append("%7.3f s %7.3f s %9d  %s (%s)" % (r["own"], r["total"], r["calls"], r["function"], r["where"]))
        if not self.rows:
            lines.append("  (no function of yours ran in this job's profiled tasks)")
        if self.hidden:
            lines.append("  ... and %d more" % self.hidden)
        return "\n".join(lines)

    def _repr_html_(self):
        top = max([r["own"] for r in self.rows] + [1e-9])
        cell = "padding:2px 10px;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap"
        body = []
        for r in self.rows:
            body.append(
                '<tr><td style="padding:2px 10px;text-align:left;white-space:nowrap"><code>%s</code> <span style="color:#6b7280">%s</span></td>'
                '<td style="padding:2px 10px;min-width:180px"><div style="background:#4a7ab5;height:10px;'
                'width:%.1f%%"></div></td><td style="%s">%.3f s</td><td style="%s">%.3f s</td><td style="%s">%d</td></tr>'
                % (html.escape(r["function"]), html.escape(r["where"]), 100.0 * r["own"] / top,
                   cell, r["own"], cell, r["total"], cell, r["calls"]))
        if not body:
            body.append('<tr><td colspan="5" style="padding:2px 10px">No function of yours ran in this job\'s '
                        'profiled tasks.</td></tr>')
        more = '<div style="color:#6b7280;padding:2px 10px">and %d more</div>' % self.hidden if self.hidden else ""
        head = "".join('<th style="padding:2px 10px;text-align:%s;border-bottom:1px solid #9aa5b1">%s</th>' % (align, name)
                       for name, align in (("function", "left"), ("time in its own code", "left"),
                                           ("own", "right"), ("total", "right"), ("calls", "right")))
        return ('<div class="sparklet-profile"><div style="font-weight:bold;margin:0 0 6px 10px">%s</div>'
                '<table style="border-collapse:collapse"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>%s</div>'
                % (html.escape(self.title()), head, "".join(body), more))


def _short_file(filename):
    label = file_label(filename)
    return label if label != filename else os.path.basename(filename)


def watch(sc):
    """Start keeping per-job profiles of ``sc`` (a no-op unless spark.python.profile is on)."""
    import sparklet

    if (not isinstance(sc, sparklet.SparkContext) or sc.profiler_collector is None
            or getattr(sc, "_job_profiles", None) is not None):
        return  # Apache Spark's context, profiling off, or already watched
    profiles = JobProfiles(sc)
    sc._job_profiles = profiles
    sc.addSparkListener(profiles)


def job_profile(sc, store, job_id=None, limit=10):
    """The ProfileView of ``job_id`` (default: the latest job that has one)."""
    profiles = getattr(sc, "_job_profiles", None) if sc is not None else None
    if profiles is None:
        raise UsageError('%spark profile: Python profiling is off. Start the context with it on, e.g. '
                         '%%configure -f {"conf": {"spark.python.profile": "true"}}, then run the job again.')
    if store is not None:
        store.sync()  # every job end posted so far has reached the listener
    with profiles._lock:
        known = sorted(job for job in profiles.attempts if job not in profiles._running)
    if not known:
        raise UsageError("%spark profile: no job has finished since profiling started.")
    if job_id is None:
        job_id = known[-1]
    if job_id not in known:
        raise UsageError("%%spark profile: no profile of job %d (jobs with one: %s)"
                         % (job_id, ", ".join(map(str, known[-20:]))))
    stats = profiles.job_stats(job_id)
    tasks = profiles.tasks.get(job_id, 0)
    job = store.job_json(job_id) if store is not None else None
    description = job["description"] if job else "job %d" % job_id
    return ProfileView(job_id, description, tasks, stats, limit)

