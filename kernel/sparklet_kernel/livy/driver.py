"""One Livy session's driver process: its SparkContext, its Python namespace, its statements.

The server starts ``python -m sparklet_kernel.livy.driver FD`` once per session and talks to it
over the socket FD, one JSON object per line each way (never pickle: nothing the session's code
writes there can run in the server). Whatever the process itself prints on its file descriptors 1
and 2 (the context's start, what tasks print, ``os.system`` output) is the session's log, which the
server keeps; what a *statement* prints goes into that statement's output instead.

Messages from the server: ``{"op": "init", "master", "name", "conf"}`` first, then ``run``
(``sid``, ``code``), ``cancel`` (``sid``), ``page`` (``rid``: render the jobs page) and ``stop``.
Messages to the server: ``ready`` / ``failed`` once, ``started`` / ``progress`` / ``done`` per
statement, and ``{"rid": ..., "html": ...}`` replies.

Statements run one at a time on the main thread, the way Livy's PySpark REPL (``fake_shell.py``)
runs them: the code is parsed as a module, every top-level statement but the last runs in
``exec`` mode and the last in ``single`` mode, so a trailing expression's repr is printed;
``sys.stdout``/``sys.stderr`` are captured into ``text/plain``. Lines starting with ``%`` are Livy's
magics (``%json``, ``%table``, ``%matplot``). Each statement's jobs carry the job group
``livy-statement-N``: progress is the fraction of its jobs' tasks done, and cancelling it cancels
that group and interrupts the main thread (a pure-Python loop stops too).

When the server goes away (its end of the socket closes) the driver stops its context, and so its
executors, and exits: a session never outlives its server.
"""

import ast
import base64
import io
import json
import os
import signal
import socket
import sys
import threading
import time
import traceback

GROUP_PREFIX = "livy-statement-"
PROGRESS_INTERVAL = 0.25


class Channel:
    """JSON lines over the socket the server passed; sends are safe from any thread."""

    def __init__(self, fd):
        self.sock = socket.socket(fileno=fd)
        self.reader = self.sock.makefile("r", encoding="utf-8", newline="\n")
        self._lock = threading.Lock()

    def send(self, message):
        data = (json.dumps(message) + "\n").encode("utf-8")
        with self._lock:
            self.sock.sendall(data)

    def __iter__(self):
        for line in self.reader:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict):
                yield message


class SqlUnavailable:
    """Stands in for ``spark``/``sqlContext`` while Sparklet has no SQL layer: the name exists
    (sparkmagic probes it after start), and any use says what is missing instead of a NameError."""

    def __init__(self, name, reason):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_reason", reason)

    def _fail(self, *args, **kwargs):
        raise RuntimeError("%s is not available in this session: the Spark SQL layer could not be loaded (%s). "
                           "The RDD API works: use sc." % (self._name, self._reason))

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        self._fail()

    __call__ = __setattr__ = _fail

    def __repr__(self):
        return "<%s: unavailable, the Spark SQL layer could not be loaded (%s)>" % (self._name, self._reason)


def sql_entry_points(sc):
    """(spark, sqlContext) over `sc`: the real SparkSession once ``pyspark.sql`` resolves, else
    stand-ins that explain why not."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        reason = str(e).split(":")[0] if "Sparklet implements" in str(e) else str(e)
        return SqlUnavailable("spark", reason), SqlUnavailable("sqlContext", reason)
    try:
        spark = SparkSession.builder.getOrCreate()
    except Exception as e:  # the SQL layer's own failure must not cost the session its RDD API
        reason = "SparkSession.builder.getOrCreate() failed: %s: %s" % (type(e).__name__, e)
        print(reason, file=sys.__stderr__, flush=True)
        return SqlUnavailable("spark", reason), SqlUnavailable("sqlContext", reason)
    try:
        import warnings

        from pyspark.sql import SQLContext

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLContext is deprecated; Livy still provides it
            sql_context = SQLContext(sc, spark)
    except Exception as e:
        sql_context = SqlUnavailable("sqlContext", "pyspark.sql.SQLContext: %s" % e)
    return spark, sql_context


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread when the running statement is cancelled."""


class Driver:
    def __init__(self, channel):
        self.channel = channel
        self.sc = None
        self.store = None
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.execution_count = 0
        self.statements = []  # what the jobs page groups jobs by: one record per statement run
        self.queue = []
        self.queue_cv = threading.Condition()
        self.running = None  # sid of the statement on the main thread
        self.running_started = None
        self.cancelled = set()
        self.stopping = False
        self._interruptible = False

    # -- start ----------------------------------------------------------------------------------
    def start(self, init):
        import sparklet
        from sparklet.pyspark_alias import PySparkAlias, wanted

        if wanted():
            PySparkAlias("the Livy server's sessions run Sparklet; start a real Livy server for "
                         "real PySpark.").install()
        started = time.time()
        conf = sparklet.SparkConf().setAll(list((init.get("conf") or {}).items()))
        sc = sparklet.SparkContext(master=init["master"], appName=init["name"], conf=conf)
        self._watch(sc)
        _ship_files(sc)
        spark, sql_context = sql_entry_points(sc)
        self.namespace.update(sc=sc, spark=spark, sqlContext=sql_context)
        print("%s started in %.2f s (application %s, %d executor%s)"
              % (_describe(sc), time.time() - started, sc.applicationId, len(sc.executors),
                 "" if len(sc.executors) == 1 else "s"), file=sys.__stderr__, flush=True)
        return sc

    def _watch(self, sc):
        from ..state import SessionStore

        store = SessionStore(sc, sc.statusStore)
        self.sc, self.store = sc, store

    def _current_context(self):
        """The user may have stopped `sc` and made another one: follow the active context."""
        import sparklet

        active = sparklet.SparkContext._active_spark_context
        if active is not None and active is not self.sc:
            self._watch(active)
        return self.sc if active is not None else None

    # -- the server's messages (reader thread) --------------------------------------------------
    def read_messages(self):
        try:
            for message in self.channel:
                op = message.get("op")
                if op == "run":
                    with self.queue_cv:
                        self.queue.append((message["sid"], message["code"]))
                        self.queue_cv.notify()
                elif op == "cancel":
                    self.cancel(message["sid"])
                elif op == "page":
                    self.channel.send({"rid": message["rid"], "html": self.render_page(message.get("title", ""))})
                elif op == "stop":
                    break
        except (OSError, ValueError, KeyError):
            pass
        # the server asked us to stop, or went away: no statement may keep the process alive
        self.stopping = True
        with self.queue_cv:
            self.queue_cv.notify_all()
        self.shutdown()

    def shutdown(self):
        try:
            sc = self.sc
            import sparklet

            active = sparklet.SparkContext._active_spark_context
            for ctx in {id(c): c for c in (sc, active) if c is not None}.values():
                ctx.stop()
        finally:
            os._exit(0)

    def cancel(self, sid):
        with self.queue_cv:
            queued = [item for item in self.queue if item[0] == sid]
            if queued:
                self.queue.remove(queued[0])
        if queued:
            self.channel.send({"ev": "done", "sid": sid, "state": "cancelled", "output": None})
            return
        if self.running != sid:
            return
        self.cancelled.add(sid)
        sc = self.sc
        if sc is not None:
            sc.cancelJobGroup(GROUP_PREFIX + str(sid), "the Livy statement %d was cancelled" % sid)
            # jobs the statement started from other threads carry no group: cancel them too
            for job_id in self.store.active_job_ids():
                origin = self.store.job_origin(job_id)
                if origin is not None and origin[1] >= self.running_started:
                    sc.cancelJob(job_id, "the Livy statement %d was cancelled" % sid)
        if self._interruptible:
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    def _on_sigint(self, signum, frame):
        # a SIGINT that arrives after the statement finished must not hit the driver's own loop
        if self._interruptible and self.running in self.cancelled:
            raise Interrupted("statement cancelled")

    # -- statements (main thread) ---------------------------------------------------------------
    def serve(self):
        signal.signal(signal.SIGINT, self._on_sigint)
        progress = threading.Thread(target=self._report_progress, name="livy-progress", daemon=True)
        progress.start()
        while True:
            with self.queue_cv:
                while not self.queue and not self.stopping:
                    self.queue_cv.wait()
                if self.stopping:
                    return
                sid, code = self.queue.pop(0)
                self.running = sid
                self.running_started = int(time.time() * 1000)
            self.channel.send({"ev": "started", "sid": sid})
            output = self.run_statement(sid, code)
            state = "cancelled" if sid in self.cancelled else "available"
            self.running = None
            self.channel.send({"ev": "done", "sid": sid, "state": state, "output": output,
                               "progress": 1.0})

    def run_statement(self, sid, code):
        self.execution_count += 1
        sc = self._current_context()
        group = GROUP_PREFIX + str(sid)
        record = {"sid": sid, "group": group, "code": code, "started": self.running_started, "ended": None, "store": self.store}
        self.statements.append(record)
        if sc is not None:
            sc.setLocalProperty("spark.jobGroup.id", group)
        stdout, stderr = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = stdout, stderr
        try:
            try:
                self._interruptible = True
                data = self.execute(code)
            finally:
                self._interruptible = False
                sys.stdout, sys.stderr = saved
                record["ended"] = int(time.time() * 1000)
                if sc is not None and sc.getLocalProperty("spark.jobGroup.id") == group:
                    sc.setLocalProperty("spark.jobGroup.id", None)
        except BaseException as e:  # the user's error, SystemExit or the cancel's interrupt
            return self.error_output(e)
        mime = {"text/plain": (stdout.getvalue() + stderr.getvalue()).rstrip()}
        mime.update(data or {})
        return {"status": "ok", "execution_count": self.execution_count, "data": mime}

    def error_output(self, e):
        if isinstance(e, Interrupted) or (isinstance(e, KeyboardInterrupt) and self.running in self.cancelled):
            ename, evalue = "KeyboardInterrupt", "the statement was cancelled"
            lines = ["KeyboardInterrupt: the statement was cancelled\n"]
        else:
            ename, evalue = type(e).__name__, str(e)
            tb = e.__traceback__
            # leave out the driver's own frames: the user's code starts at <stdin>
            while tb is not None and tb.tb_frame.f_code.co_filename != "<stdin>":
                tb = tb.tb_next
            lines = traceback.format_exception(type(e), e, tb)
            if tb is None and not isinstance(e, SyntaxError):
                lines = traceback.format_exception_only(type(e), e)
        return {"status": "error", "execution_count": self.execution_count, "ename": ename,
                "evalue": evalue, "traceback": lines}

    def execute(self, code):
        """Run a statement's code; returns extra MIME data from Livy's magics, if any."""
        data = None
        for kind, chunk in _chunks(code):
            if kind == "code":
                self._run_code(chunk)
            else:
                data = self._magic(chunk)
        return data

    def _run_code(self, source):
        tree = ast.parse(source, filename="<stdin>", mode="exec")
        if not tree.body:
            return
        body, last = tree.body[:-1], tree.body[-1]
        if body:
            exec(compile(ast.Module(body=body, type_ignores=[]), "<stdin>", "exec"), self.namespace)
        exec(compile(ast.Interactive(body=[last]), "<stdin>", "single"), self.namespace)

    def _magic(self, line):
        name, _, arg = line[1:].strip().partition(" ")
        arg = arg.strip()
        if name not in ("json", "table", "matplot"):
            raise ValueError("unknown magic %%%s: Livy's magics are %%json VAR, %%table VAR and %%matplot VAR" % name)
        if not arg:
            raise ValueError("%%%s needs a variable name, e.g. %%%s x" % (name, name))
        value = eval(compile(arg, "<stdin>", "eval"), self.namespace)
        if name == "json":
            json.dumps(value)  # fails here, with the user's value, if it is not JSON
            return {"application/json": value}
        if name == "table":
            return {"application/vnd.livy.table.v1+json": _table(value)}
        figure = value.gcf() if hasattr(value, "gcf") else value
        buf = io.BytesIO()
        figure.savefig(buf, format="png")
        return {"image/png": base64.b64encode(buf.getvalue()).decode("ascii"), "text/plain": ""}

    # -- progress and the jobs page (other threads) --------------------------------------------
    def statement_progress(self):
        """Fraction of the tasks done in the jobs the running statement started."""
        store, started = self.store, self.running_started
        if store is None or started is None:
            return 0.0
        total = done = 0
        for job_id in store.job_ids():
            origin = store.job_origin(job_id)
            if origin is None or origin[1] < started:
                continue
            job = store.job_json(job_id)
            if job is not None:
                total += job["numTasks"]
                done += job["numCompletedTasks"]
        return round(done / total, 4) if total else 0.0

    def _report_progress(self):
        last = None
        while not self.stopping:
            time.sleep(PROGRESS_INTERVAL)
            sid = self.running
            if sid is None:
                last = None
                continue
            try:
                value = self.statement_progress()
            except Exception:
                continue
            if (sid, value) != last:
                last = (sid, value)
                try:
                    self.channel.send({"ev": "progress", "sid": sid, "value": value})
                except OSError:
                    return

    def render_page(self, title):
        from .page import render_session_page

        return render_session_page(title, self.sc, list(self.statements), self.running)


#: Livy's file fields (as Spark properties) and the SparkContext method that ships each path
FILE_PROPERTIES = (("spark.submit.pyFiles", "addPyFile"), ("spark.files", "addFile"), ("spark.archives", "addArchive"))


def _ship_files(sc):
    """Livy's ``pyFiles``, ``files`` and ``archives`` reach the executors as spark-submit's
    would; ``jars`` have nothing to run on without a JVM, which the log says."""
    conf = sc.getConf()
    for prop, method in FILE_PROPERTIES:
        for path in filter(None, (conf.get(prop) or "").split(",")):
            getattr(sc, method)(path.strip())
    if conf.get("spark.jars"):
        print("spark.jars ignored (%s): Sparklet runs Python only, without a JVM" % conf.get("spark.jars"),
              file=sys.__stderr__, flush=True)


def _describe(sc):
    return "SparkContext(master=%r, appName=%r)" % (sc.master, sc.appName)


def _chunks(code):
    """Split a statement into runs of Python code and Livy magic lines (``%json x``)."""
    out, current = [], []
    for line in code.split("\n"):
        if line.startswith("%"):
            if current:
                out.append(("code", "\n".join(current)))
                current = []
            out.append(("magic", line))
        else:
            current.append(line)
    if current:
        out.append(("code", "\n".join(current)))
    return out


def _table(value):
    """Livy's %table: a list of rows (dicts, tuples or Rows) as headers + data."""
    rows = list(value)
    if not rows:
        return {"headers": [], "data": []}
    first = rows[0]
    if hasattr(first, "asDict"):
        rows = [r.asDict() for r in rows]
        first = rows[0]
    if isinstance(first, dict):
        names = list(first)
        data = [[r.get(n) for n in names] for r in rows]
    else:
        names = ["_%d" % (i + 1) for i in range(len(first))]
        data = [list(r) for r in rows]
    headers = [{"name": n, "type": _livy_type(next((row[i] for row in data if row[i] is not None), None))}
               for i, n in enumerate(names)]
    return {"headers": headers, "data": data}


def _livy_type(value):
    if isinstance(value, bool):
        return "BOOLEAN_TYPE"
    if isinstance(value, int):
        return "BIGINT_TYPE"
    if isinstance(value, float):
        return "DOUBLE_TYPE"
    if isinstance(value, (list, tuple)):
        return "ARRAY_TYPE"
    if isinstance(value, dict):
        return "MAP_TYPE"
    return "STRING_TYPE"


def main(argv=None):
    from .sessions import protect_process

    argv = sys.argv[1:] if argv is None else argv
    protect_process()  # another session's code cannot read this one's namespace out of its memory
    channel = Channel(int(argv[0]))
    driver = Driver(channel)
    messages = iter(channel)
    init = next(messages, None)
    if init is None or init.get("op") != "init":
        os._exit(2)
    try:
        sc = driver.start(init)
    except BaseException as e:
        text = "".join(traceback.format_exception_only(type(e), e)).strip()
        print("the session's SparkContext could not start: %s" % text, file=sys.__stderr__, flush=True)
        channel.send({"ev": "failed", "error": text})
        os._exit(1)
    channel.send({"ev": "ready", "appId": sc.applicationId, "master": sc.master, "appName": sc.appName})
    threading.Thread(target=driver.read_messages, name="livy-channel", daemon=True).start()
    driver.serve()


if __name__ == "__main__":
    main()
