"""Session magics with sparkmagic's names and options: ``%%configure``, ``%%info``, ``%%logs``,
``%%cleanup``, ``%%delete``, ``%%local`` and ``%%help``, plus ``%%spark`` (a cell with the displays).

sparkmagic drives remote Livy sessions; here the session is the kernel's own SparkContext, on the
local engine or on Apache Spark (``"backend": "pyspark"``). The option syntax is sparkmagic's
(``%%configure -f`` with a JSON cell, ``%%cleanup -f``, ``%%delete -f``), so notebooks and
instructors' habits carry over. Each magic works as a line magic too (``%info``).
"""

import ast
import re
import textwrap
import time
from html import escape

from IPython.core.error import UsageError
from IPython.core.magic import cell_magic, line_cell_magic, magics_class

from . import config
from .backend import SwitchFailed
from .magic_args import HelpShown, MagicArgumentParser, SessionMagicsBase, parse
from .progress import human_bytes, human_ms

#: lines of each executor log that %%logs shows by default
LOG_LINES = 50

HELP = [
    ("%%configure [-f]", '{"name": ..., "conf": {...}, "executorMemory": "2g", "numExecutors": 2, '
                         '"master": "local[2]", "backend": "sparklet"|"pyspark"}: recreate the session\'s '
                         'SparkContext (-f: even if it has run jobs)'),
    ("%%info", "the session: backend, master, application id, executors, uptime, jobs, cached RDDs"),
    ("%%logs [-n N]", "the executors' logs (last N lines each) and what tasks printed"),
    ("%%cleanup -f", "stop the SparkContext and free its executors and files"),
    ("%%delete -f", "the same as %%cleanup -f (sparkmagic's name for deleting one session)"),
    ("%%local", "run the cell without the Spark job displays"),
    ("%%spark", "run the cell with the Spark job displays (whatever %spark progress says)"),
    ("%%help", "this list"),
    ("%spark jobs", "table of the session's jobs and stages"),
    ("%spark dag RDD", "the DAG a job on RDD would run, drawn before running it"),
    ("%spark timeline [JOB]", "task timeline of a job"),
    ("%spark traceback", "full driver and executor tracebacks of the last task failure"),
    ("%spark output [-n N]", "what tasks printed"),
    ("%spark progress on|off|text", "the live job display under cells"),
]


#: columns of %%help's text form (a terminal, a notebook viewer without HTML)
HELP_COLUMNS = 88


def help_bundle(columns=HELP_COLUMNS):
    """What ``%%help`` displays: a table whose descriptions wrap at word boundaries at any width
    (HTML: a notebook's output area breaks a long text line anywhere, mid-word too), and text
    wrapped at word boundaries to `columns`, each description indented under the previous line's.

    >>> text = help_bundle(60)["text/plain"]
    >>> max(map(len, text.splitlines())) <= 60, text.splitlines()[1].split()[0]
    (True, '%%configure')
    """
    width = max(len(name) for name, _ in HELP)
    lines = ["Sparklet session magics (each also has --help):"]
    for name, text in HELP:
        lines.extend(textwrap.wrap(text, columns, initial_indent="  %-*s  " % (width, name),
                                   subsequent_indent=" " * (width + 4), break_long_words=False,
                                   break_on_hyphens=False))
    rows = "".join('<tr><td style="text-align:left;vertical-align:top;white-space:nowrap;padding:1px 12px 1px 0">'
                   '<code>%s</code></td><td style="text-align:left;vertical-align:top;white-space:normal;'
                   'overflow-wrap:normal;word-break:normal;padding:1px 0">%s</td></tr>'
                   % (escape(name), escape(text)) for name, text in HELP)
    html = ('<div class="sparklet-help"><p style="margin:0 0 4px 0">Sparklet session magics (each also has '
            '<code>--help</code>):</p><table style="border-collapse:collapse;margin:0">%s</table></div>' % rows)
    return {"text/plain": "\n".join(lines), "text/html": html}


def _parser(name, description, force=False, lines=False):
    p = MagicArgumentParser(prog="%%" + name, description=description, add_help=True)
    if force:
        p.add_argument("-f", "--force", action="store_true", help="do it even if the context has run jobs")
    if lines:
        p.add_argument("-n", type=int, default=LOG_LINES, metavar="N",
                       help="lines of each executor log to show (default %d)" % LOG_LINES)
    return p


_ALONE = re.compile(r"^%%(configure|info|logs|cleanup|delete|local|help)\b(.*)$")


def cell_magic_alone(lines):
    """IPython rejects a cell magic with an empty body, but sparkmagic's users write ``%%info`` (or
    ``%%cleanup -f``) alone in a cell: run such a cell as the line magic of the same name."""
    code = [line for line in lines if line.strip()]
    if len(code) == 1:
        m = _ALONE.match(code[0].strip())
        if m:
            return ["%" + m.group(1) + m.group(2) + "\n"]
    return lines


@magics_class
class SessionMagics(SessionMagicsBase):
    def __init__(self, shell, session):
        super().__init__(shell, session)
        if cell_magic_alone not in shell.input_transformers_cleanup:
            shell.input_transformers_cleanup.append(cell_magic_alone)

    def _run(self, name, description, line, cell, body, force=False, lines=False):
        parser = _parser(name, description, force=force, lines=lines)
        try:
            args = parse(parser, line)
        except HelpShown as shown:
            print(shown.args[0])
            return None
        if not body and cell is not None and cell.strip():
            raise UsageError("%%%%%s takes no cell body (got %d line%s); put the code in another cell"
                             % (name, len(cell.strip().splitlines()), "" if len(cell.strip().splitlines()) == 1 else "s"))
        return args

    # -- %%configure -----------------------------------------------------------------------------
    @line_cell_magic
    def configure(self, line, cell=None):
        """%%configure [-f] {JSON}: recreate the session's SparkContext with sparkmagic's session keys
        (name, conf, driverMemory, executorMemory, executorCores, numExecutors, jars, pyFiles, files,
        archives, queue) plus master and backend ("sparklet" or "pyspark")."""
        args = self._run("configure", self.configure.__doc__, line, cell, body=True, force=True)
        if args is None:
            return
        try:
            settings = config.parse_session_json(cell or "")
        except config.ConfigurationError as e:
            raise UsageError(str(e)) from None
        session = self.session
        session.wait_ready()
        store = session.store
        active = session.active_context()
        if active is not None and store is not None and store.job_ids() and not args.force:
            raise UsageError("%%%%configure: the SparkContext has already run %d job%s; to recreate it with the "
                             "new configuration (losing its cached RDDs and shuffle files), use %%%%configure -f"
                             % (len(store.job_ids()), "" if len(store.job_ids()) == 1 else "s"))
        started = time.monotonic()
        try:
            sc, retired = session.switch(settings)
        except (config.ConfigurationError, SwitchFailed) as e:
            raise UsageError(str(e)) from None
        self.shell.user_ns["sc"] = sc
        print("Sparklet: %s%s (ready in %.1f s)." % (
            "stopped the previous %s; started " % retired if retired else "started ",
            session.describe(sc), time.monotonic() - started))

    # -- %%info ----------------------------------------------------------------------------------
    @line_cell_magic
    def info(self, line, cell=None):
        """%%info: the session's backend, master, application id, executors (cores, memory), uptime,
        jobs run and cached RDDs."""
        if self._run("info", self.info.__doc__, line, cell, body=False) is None:
            return
        session = self.session
        session.wait_ready()
        sc = session.active_context()
        backend = session.backend.name
        if sc is None:
            print("No SparkContext in this session (backend %s); %%%%configure starts one." % backend)
            return
        settings = getattr(session, "settings", None)
        uptime = time.time() * 1000 - sc.startTime
        store = session.store
        job_ids = store.job_ids() if store is not None else []
        lines = [
            "Backend:        %s" % backend,
            "Master:         %s" % sc.master,
            "Application:    %s (%s)" % (sc.appName, sc.applicationId),
            "Uptime:         %s" % human_ms(uptime),
            "Jobs run:       %d" % ((max(job_ids) + 1) if job_ids else 0),
        ]
        if settings and settings["conf"]:
            lines.append("Configured:     %s" % ", ".join("%s=%s" % kv for kv in sorted(settings["conf"].items())))
        executors = session.backend.executors(sc, store)
        lines.append("Executors:      %d" % len(executors))
        for ex in executors:
            lines.append("  executor %-8s cores %-3s memory %-18s %s" % (ex["id"], ex["cores"], ex["memory"], ex["detail"]))
        cached = session.backend.cached_rdds(sc, store)
        lines.append("Cached RDDs:    %d" % len(cached))
        for rdd in cached:
            # a deserialized level's size is an estimate of its Python objects, not bytes held
            about = "~" if rdd.get("sizeKind") == "estimated" else ""
            lines.append("  RDD %-4d %-32s %d/%d partitions, %s%s in memory, %s on disk (%s)" % (
                rdd["id"], rdd["name"][:32], rdd["cachedPartitions"], rdd["numPartitions"],
                about, human_bytes(rdd["memSize"]), human_bytes(rdd["diskSize"]), rdd["storageLevel"]))
        print("\n".join(lines))

    # -- %%logs ----------------------------------------------------------------------------------
    @line_cell_magic
    def logs(self, line, cell=None):
        """%%logs [-n N]: each executor's log (its last N lines) and the task output of this session."""
        args = self._run("logs", self.logs.__doc__, line, cell, body=False, lines=True)
        if args is None:
            return
        if args.n < 0:
            raise UsageError("%%%%logs: -n must be 0 or more, got %d" % args.n)
        session = self.session
        session.wait_ready()
        sc = session.active_context()
        if sc is None or session.store is None:
            print("No SparkContext in this session; no executor logs.")
        else:
            for text in session.backend.executor_logs(sc, session.store, args.n):
                print(text)
        log = list(session.live.task_log)
        if not log:
            print("Task output: none in this session.")
            return
        shown = log[-args.n:] if args.n else []
        print("Task output: %s" % ("last %d of %d lines" % (len(shown), len(log)) if len(shown) < len(log)
                                   else "%d line%s" % (len(log), "" if len(log) == 1 else "s")))
        for line in shown:
            print("  [stage %d, partition %d%s] %s" % (line.stageId, line.partitionId,
                                                      ", stderr" if line.stream == "stderr" else "", line.text))

    # -- %%cleanup / %%delete --------------------------------------------------------------------
    @line_cell_magic
    def cleanup(self, line, cell=None):
        """%%cleanup -f: stop the session's SparkContext and free its executors and files."""
        self._stop("cleanup", self.cleanup.__doc__, line, cell)

    @line_cell_magic
    def delete(self, line, cell=None):
        """%%delete -f: stop the session's SparkContext (sparkmagic deletes a Livy session with it)."""
        self._stop("delete", self.delete.__doc__, line, cell)

    def _stop(self, name, description, line, cell):
        args = self._run(name, description, line, cell, body=False, force=True)
        if args is None:
            return
        if not args.force:
            raise UsageError("%%%%%s stops the SparkContext and loses its cached data: run %%%%%s -f to confirm"
                             % (name, name))
        session = self.session
        session.wait_ready()
        sc = session.active_context()
        if sc is None:
            print("No SparkContext to stop.")
            return
        retired = session._retire_active_context()
        if self.shell.user_ns.get("sc") is sc:
            del self.shell.user_ns["sc"]
        session.default_context = None
        print("Sparklet: stopped %s; its executors and files are gone. %%%%configure starts a new one." % retired)

    # -- %%local / %%spark -------------------------------------------------------------------
    @line_cell_magic
    def local(self, line, cell=None):
        """%%local: run the cell without the Spark job displays (jobs still run, nothing is drawn)."""
        return self._run_with_display("local", self.local.__doc__, line, cell, "off")

    @cell_magic
    def spark(self, line, cell):
        """%%spark: run the cell with the Spark job displays, also when `%spark progress off` turned
        them off (``%spark ...`` on one line is the session's inspection magic)."""
        return self._run_with_display("spark", self.spark.__doc__, line, cell, "on")

    def _run_with_display(self, name, description, line, cell, mode):
        if self._run(name, description, line, None, body=True) is None:
            return None
        if not cell or not cell.strip():
            raise UsageError("%%%%%s needs code in the cell below the magic" % name)
        live = self.session.live
        previous = live.mode
        live.mode = mode

        def restore(result=None):
            # after the session's own post-run hook has published the cell in `mode`
            self.shell.events.unregister("post_run_cell", restore)
            live.mode = previous

        self.shell.events.register("post_run_cell", restore)
        return self._execute(self.shell.transform_cell(cell))

    def _execute(self, source):
        tree = ast.parse(source, filename="<%%local>")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        ns = self.shell.user_ns
        exec(compile(tree, "<%%local>", "exec"), ns)
        if last is not None:
            return eval(compile(ast.Expression(last.value), "<%%local>", "eval"), ns)
        return None

    # -- %%help ----------------------------------------------------------------------------------
    @line_cell_magic
    def help(self, line, cell=None):
        """%%help: the list of session magics."""
        if self._run("help", self.help.__doc__, line, cell, body=False) is None:
            return
        from IPython.display import display
        display(help_bundle(), raw=True)
