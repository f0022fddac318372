"""A Sparklet session inside IPython: the context, the cell hooks and the displays, wired together.

Used by the Sparklet kernel and by ``%load_ext sparklet_kernel`` in any IPython. At start it
creates ``sc`` on a background thread (the kernel answers at once; the first cell waits only for
the constructor, the executors warm up behind it), puts itself on a backend (`BACKENDS`: the local
engine, which also makes ``import pyspark`` resolve to Sparklet, or Apache Spark), and hooks every
cell: a job group per execution, the live job display, one-screen task errors.

A cell that builds its own context (``sc = SparkContext(conf=conf)``, as every PySpark tutorial
does) replaces the active one and says so in one line: PySpark would refuse with "Cannot run
multiple SparkContexts at once", which in a notebook only ever means "re-run the cell that made it".
The session learns of contexts through the engine's driver hooks (`ContextFollower`); it patches
no engine class. Switching contexts and backends (``%%configure``) is the session's job: `switch`.
"""

import os
import sys
import threading

from traitlets import Bool, Enum, Unicode, default
from traitlets.config import LoggingConfigurable

import sparklet
from sparklet import hooks
from sparklet.pyspark_alias import PySparkAlias, wanted as alias_wanted

from . import backend as backends
from .backend import BackendUnavailable, SwitchFailed, describe_context, one_line
from .config import SessionDefaults, default_settings
from .live import GROUP_PREFIX, KernelPublisher, LiveDisplay, TerminalPublisher
from .local_backend import LocalBackend
from .magics import SparkMagics
from .pyspark_backend import PySparkBackend
from .sparkmagic import SessionMagics
from .teaching import GlobalWriteWarning
from .tracebacks import TaskErrorHandler
from .version import __version__

GROUP_KEY = "spark.jobGroup.id"
#: what ``sc.setJobGroup`` / ``sc.setJobDescription`` set, cleared at the end of the cell
JOB_GROUP_KEYS = (GROUP_KEY, "spark.job.description", "spark.job.interruptOnCancel")
#: "true" (local property or conf): a job group set by a cell stays for the next cells
KEEP_JOB_GROUP_KEY = "spark.sparklet.keepJobGroup"
#: the backends a session's settings name
BACKENDS = {LocalBackend.name: LocalBackend, PySparkBackend.name: PySparkBackend}


def _conf_differs(sc, conf):
    master = conf.get("spark.master", None)
    name = conf.get("spark.app.name", None)
    return (master is not None and master != sc.master) or (name is not None and name != sc.appName)


class ContextFollower(hooks.DriverHook):
    """The session's driver hook: it adopts every new context and lets a notebook's own
    ``SparkContext(...)`` replace the running one (and ``getOrCreate(conf)`` replace the kernel's
    default context when `conf` asks for another master or app name). The pyspark backend calls
    the same methods from its wrappers of Apache Spark's SparkContext, which has no hooks."""

    def __init__(self, session):
        self.session = session

    def replaces_active(self, active, conf, via):
        session = self.session
        if via == "constructor":
            session.wait_ready()
            return True
        return active is session.default_context and conf is not None and _conf_differs(active, conf)

    def context_created(self, sc):
        self.session._adopt(sc)

    def context_replaced(self, old, new):
        print("Sparklet: stopped the previous %s; this %s replaces it." % (describe_context(old), describe_context(new)))

    def context_stopped(self, sc):
        if sc is self.session.default_context:
            self.session.default_context = None


class SparkletSession(LoggingConfigurable):
    master = Unicode(help="Master URL of the context the kernel creates at start "
                          "(env SPARKLET_MASTER; default local[*]).").tag(config=True)
    app_name = Unicode("sparklet-notebook", help="appName of the kernel's context.").tag(config=True)
    pyspark_alias = Bool(help="Make `import pyspark` resolve to Sparklet (env SPARKLET_PYSPARK_ALIAS=0 "
                              "turns it off).").tag(config=True)
    progress = Enum(["on", "off", "text"], "on", help="Live job display under cells.").tag(config=True)
    create_context = Bool(True, help="Create `sc` when the session starts.").tag(config=True)

    @default("master")
    def _default_master(self):
        return os.environ.get("SPARKLET_MASTER") or "local[*]"

    @default("pyspark_alias")
    def _default_alias(self):
        return alias_wanted()

    def __init__(self, shell, kernel=None, **kwargs):
        super().__init__(**kwargs)
        self.shell = shell
        self.kernel = kernel
        self.store = None
        self.default_context = None
        self.startup_error = None
        self.context_listeners = []  # called with the new context whenever one is adopted
        self._ready = threading.Event()
        self._creator = None
        self._run = None
        publisher = KernelPublisher(kernel) if kernel is not None else TerminalPublisher()
        self.live = LiveDisplay(publisher)
        self.live.mode = self.progress
        self.errors = TaskErrorHandler(on_failure=self._flush_current_cell)
        self.alias = PySparkAlias("set SPARKLET_PYSPARK_ALIAS=0 (or c.SparkletSession.pyspark_alias = False) "
                                  "and restart the kernel.")
        self.warner = GlobalWriteWarning()
        self.context_hook = ContextFollower(self)
        self.backend = LocalBackend()
        self.settings = None  # what the context was created with (see config.py)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        # tasks' prints are shown under the cell; the engine's echo to the process's own stdout
        # would reach the notebook a second time (ipykernel forwards fd 1) untagged
        sparklet.SparkContext.setSystemProperty("spark.sparklet.console.taskOutput", "false")
        self.backend.activate(self)
        backends.set_active(self.backend)
        hooks.register(self.warner)
        self.shell.events.register("pre_run_cell", self.pre_run_cell)
        self.shell.events.register("post_run_cell", self.post_run_cell)
        self.shell.register_magics(SparkMagics(self.shell, session=self))
        self.shell.register_magics(SessionMagics(self.shell, session=self))
        active = self.active_context()
        if active is not None:
            self._adopt(active)
            self._ready.set()
        elif self.create_context:
            self._creator = threading.Thread(target=self._create_default, name="sparklet-context-start",
                                             daemon=True)
            self._creator.start()
        else:
            self._ready.set()

    def _create_default(self):
        try:
            defaults = self.kernel if isinstance(self.kernel, SessionDefaults) else SessionDefaults(parent=self.shell)
            self.switch(default_settings(defaults, self.master, self.app_name))
        except BaseException as e:  # shown to the user by the first cell
            self.startup_error = e
        finally:
            self._ready.set()

    def wait_ready(self, timeout=60):
        if threading.current_thread() is not self._creator:
            self._ready.wait(timeout)

    def stop(self, stop_context=True):
        self.wait_ready()
        self.shell.events.unregister("pre_run_cell", self.pre_run_cell)
        self.shell.events.unregister("post_run_cell", self.post_run_cell)
        hooks.unregister(self.warner)
        active = self.active_context()
        self.backend.deactivate(self)
        backends.set_active(None)
        self.shell.set_custom_exc((), None)
        self.live.stop()
        if stop_context and active is not None:
            active.stop()

    # -- the context ---------------------------------------------------------------------------
    def active_context(self):
        return self.backend.active_context()

    def describe(self, sc):
        """``SparkContext(master=..., appName=...) on the sparklet backend``."""
        return "%s on the %s backend" % (describe_context(sc), self.backend.name)

    def switch(self, settings):
        """Put the session on `settings` (see config.py) with a new context; returns it and the
        description of the context it stopped (None if none ran). Used at start and by ``%%configure``.

        A switch of backend brings the new backend and its context up next to the running context
        (two packages, two context classes) and stops the old one only once the new one works: a
        switch that fails for any reason (no pyspark, no Java, a master the new backend refuses)
        raises `SwitchFailed` with the reason in one line and leaves the previous context running."""
        if settings["backend"] == self.backend.name:
            retired = self._retire_active_context()
            return self._new_context(settings), retired
        self.wait_ready()
        previous, previous_backend = self.active_context(), self.backend
        try:
            self._use(BACKENDS[settings["backend"]]())
            try:
                sc = self._new_context(settings)
            except BaseException:
                # back on the previous backend; its store still follows the context that kept running
                self._use(previous_backend)
                raise
        except BaseException as e:
            reason = str(e) if isinstance(e, BackendUnavailable) else one_line(e)
            still = ("still on %s on the %s backend" % (describe_context(previous), previous_backend.name)
                     if previous is not None else "no SparkContext is running")
            raise SwitchFailed("could not switch to the %s backend (%s); %s." % (
                settings["backend"], reason, still)) from e
        retired = None
        if previous is not None:
            retired = describe_context(previous)
            previous.stop()
        return sc, retired

    def _use(self, backend):
        """Leave the current backend for `backend`; if `backend` cannot start, stay where we were."""
        current = self.backend
        current.deactivate(self)
        try:
            backend.activate(self)
        except BaseException:
            current.activate(self)
            raise
        self.backend = backend
        backends.set_active(backend)

    def _new_context(self, settings):
        sc = self.backend.create_context(self.backend.master_for(settings, self.master),
                                         settings["name"] or self.app_name, settings["conf"])
        self.default_context = sc
        self.settings = settings
        return sc

    def _retire_active_context(self):
        """Stop the active context; returns its description, or None if none was active."""
        self.wait_ready()
        active = self.active_context()
        if active is None:
            return None
        described = describe_context(active)
        active.stop()
        return described

    def _adopt(self, sc):
        store = self.backend.observe(sc)
        self.live.watch(store)
        previous = self.store
        self.store = store
        if previous is not None:
            previous.close()
        ns = self.shell.user_ns
        if "sc" not in ns or (previous is not None and ns.get("sc") is previous.context) or ns.get("sc") is None:
            ns["sc"] = sc
        if "spark" not in ns:
            from .lazy_spark import LazySparkSession
            ns["spark"] = LazySparkSession(ns)
        if self._run is not None and threading.current_thread() is threading.main_thread():
            sc.setLocalProperty(GROUP_KEY, self._run.group_id)
        for listener in self.context_listeners:
            listener(sc)

    # -- cells ---------------------------------------------------------------------------------
    def _parent_header(self):
        if self.kernel is None:
            return {}
        return self.kernel.get_parent()

    def pre_run_cell(self, info=None):
        self.wait_ready()
        if self.startup_error is not None:
            error, self.startup_error = self.startup_error, None
            print("Sparklet: could not create the SparkContext (%s: %s); `sc` is not defined."
                  % (type(error).__name__, error), file=sys.stderr)
        self._run = self.live.begin_cell(self.shell.execution_count, self._parent_header())
        sc = self.active_context()
        if sc is not None:
            current = sc.getLocalProperty(GROUP_KEY)
            if current is None or current.startswith(GROUP_PREFIX):
                sc.setLocalProperty(GROUP_KEY, self._run.group_id)

    def post_run_cell(self, result=None):
        run, self._run = self._run, None
        if run is None:
            return
        sc = self.active_context()
        if sc is not None:
            self._end_cell_job_group(sc)
        self._sync_store(sc)
        if sc is not None and result is not None and isinstance(result.error_in_exec, KeyboardInterrupt):
            # jobs the cell started from its own threads stop with it (they carry no job group:
            # local properties are per thread, so cancel what the display attributed to the cell)
            for store, job_id in list(run.jobs):
                if store is self.store and job_id in store.active_job_ids():
                    sc.cancelJob(job_id)
        self.live.end_cell(run)

    def _end_cell_job_group(self, sc):
        """A job group or description a cell sets (``sc.setJobGroup``, ``sc.setJobDescription``)
        names that cell's jobs only: the next cell's jobs must not be labelled by an earlier cell.
        ``spark.sparklet.keepJobGroup=true`` (a local property or a conf setting) keeps them."""
        if not (sc.getLocalProperty(GROUP_KEY) or "").startswith(GROUP_PREFIX) and self._keeps_job_group(sc):
            return
        for key in JOB_GROUP_KEYS:
            sc.setLocalProperty(key, None)

    @staticmethod
    def _keeps_job_group(sc):
        keep = sc.getLocalProperty(KEEP_JOB_GROUP_KEY) or sc.getConf().get(KEEP_JOB_GROUP_KEY, "false")
        return str(keep).strip().lower() == "true"

    def _sync_store(self, sc):
        # only a live context's bus delivers: a stopped one's marker would never arrive
        if sc is not None and self.store is not None and self.store.context is sc:
            self.store.sync()

    def _flush_current_cell(self):
        """Before a task error is printed, bring the cell's job table up to date above it."""
        run = self._run
        sc = self.active_context()
        if run is None or sc is None:
            return
        self._sync_store(sc)
        self.live.flush(run)

    # -- what the lab panel reads --------------------------------------------------------------
    def snapshot(self):
        sc = self.active_context()
        store = self.store
        if sc is not None and store is not None and store.context is sc and store.stopped:
            sc = None  # stopping: its store has heard the application end, the active slot not yet freed
        state = store.snapshot() if store is not None else {
            "application": {}, "executors": [], "jobs": [], "storage": []}
        state["session"] = {
            "kernel": "sparklet", "version": __version__, "contextActive": sc is not None,
            # "live": a context runs; "stopped": the last one was stopped (its executors are
            # shown removed); "none": no context was ever made
            "state": "live" if sc is not None else "stopped" if store is not None else "none",
            "master": sc.master if sc is not None else None,
            "appName": sc.appName if sc is not None else None,
            "applicationId": getattr(sc, "applicationId", None) if sc is not None else None,
            "defaultParallelism": getattr(sc, "defaultParallelism", None) if sc is not None else None,
            "pysparkAlias": self.alias in sys.meta_path,
            "progress": self.live.mode,
        }
        return state
