"""A Sparklet session inside IPython: the context, the cell hooks and the displays, wired together.

Used by the Sparklet kernel and by ``%load_ext sparklet_kernel`` in any IPython. At start it
creates ``sc`` on a background thread (the kernel answers at once; the first cell waits only for
the constructor, the executors warm up behind it), makes ``import pyspark`` resolve to Sparklet,
and hooks every cell: a job group per execution, the live job display, one-screen task errors.

A cell that builds its own context (``sc = SparkContext(conf=conf)``, as every PySpark tutorial
does) replaces the active one and says so in one line: PySpark would refuse with "Cannot run
multiple SparkContexts at once", which in a notebook only ever means "re-run the cell that made it".
"""

import functools
import os
import sys
import threading

from traitlets import Bool, Enum, Unicode, default
from traitlets.config import LoggingConfigurable

from sparklet.pyspark_alias import PySparkAlias, wanted as alias_wanted

from .live import GROUP_PREFIX, KernelPublisher, LiveDisplay, TerminalPublisher
from .source import as_engine_frame
from .state import SessionStore
from .teaching import GlobalWriteWarning
from .tracebacks import TaskErrorHandler

GROUP_KEY = "spark.jobGroup.id"


def describe_context(sc):
    return "SparkContext(master=%r, appName=%r)" % (sc.master, sc.appName)


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
        self._patched = []
        publisher = KernelPublisher(kernel) if kernel is not None else TerminalPublisher()
        self.live = LiveDisplay(publisher)
        self.live.mode = self.progress
        self.errors = TaskErrorHandler(on_failure=self._flush_current_cell)
        self.alias = PySparkAlias("set SPARKLET_PYSPARK_ALIAS=0 (or c.SparkletSession.pyspark_alias = False) "
                                  "and restart the kernel.")
        self.warner = None
        self.backend = None  # a PySparkBackend while `sc` is Apache Spark's (config.start_context)
        self.settings = None  # what the context was created with (see config.py)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        if self.pyspark_alias and not self.alias.install():
            print("Sparklet: real PySpark is already imported here; `import pyspark` stays PySpark.",
                  file=sys.stderr)
        import sparklet

        self.context_class = sparklet.SparkContext
        # tasks' prints are shown under the cell; the engine's echo to the process's own stdout
        # would reach the notebook a second time (ipykernel forwards fd 1) untagged
        sparklet.SparkContext.setSystemProperty("spark.sparklet.console.taskOutput", "false")
        self._patch_context_class(sparklet.SparkContext)
        self.warner = GlobalWriteWarning(sparklet.RDD)
        self.warner.install()
        self.shell.events.register("pre_run_cell", self.pre_run_cell)
        self.shell.events.register("post_run_cell", self.post_run_cell)
        self.shell.set_custom_exc(self.errors.exceptions, self.errors)
        from .magics import SparkMagics

        self.shell.register_magics(SparkMagics(self.shell, session=self))
        from .sparkmagic import SessionMagics

        self.shell.register_magics(SessionMagics(self.shell, session=self))
        active = self.active_context()
        if active is not None:
            self._adopt(active, None)
            self._ready.set()
        elif self.create_context:
            self._creator = threading.Thread(target=self._create_default, name="sparklet-context-start",
                                             daemon=True)
            self._creator.start()
        else:
            self._ready.set()

    def _create_default(self):
        try:
            from .config import default_settings, start_context

            start_context(self, default_settings(self))
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
        self.shell.set_custom_exc((), None)
        if self.warner is not None:
            self.warner.uninstall()
        for cls, name, original in reversed(self._patched):
            setattr(cls, name, original)
        self._patched.clear()
        self.alias.uninstall()
        self.live.stop()
        active = self.active_context()
        if stop_context and active is not None:
            active.stop()

    # -- the context ---------------------------------------------------------------------------
    def active_context(self):
        return getattr(self.context_class, "_active_spark_context", None) if hasattr(self, "context_class") else None

    def _patch_context_class(self, cls):
        session = self
        original_init = cls.__dict__["__init__"]
        original_get = cls.__dict__["getOrCreate"]

        @functools.wraps(original_init)
        def __init__(ctx, *args, **kwargs):
            replaced = session._retire_active_context()
            original_init(ctx, *args, **kwargs)
            session._adopt(ctx, replaced)

        def getOrCreate(klass, conf=None):
            active = klass._active_spark_context
            if active is not None and active is session.default_context and conf is not None \
                    and session._conf_differs(active, conf):
                return klass(conf=conf)
            return original_get.__func__(klass, conf)

        getOrCreate.__doc__ = original_get.__func__.__doc__
        self._patched += [(cls, "__init__", original_init), (cls, "getOrCreate", original_get)]
        cls.__init__ = as_engine_frame(__init__, cls)
        cls.getOrCreate = classmethod(as_engine_frame(getOrCreate, cls))

    @staticmethod
    def _conf_differs(sc, conf):
        master = conf.get("spark.master", None)
        name = conf.get("spark.app.name", None)
        return (master is not None and master != sc.master) or (name is not None and name != sc.appName)

    def _retire_active_context(self):
        self.wait_ready()
        active = self.active_context()
        if active is None:
            return None
        described = describe_context(active)
        active.stop()
        return described

    def _adopt(self, sc, replaced):
        if self.backend is not None:
            store = self.backend.observe(sc)
        else:
            store = SessionStore(sc)
            sc.addSparkListener(store)
            store.backfill(sc)
        self.live.watch(store)
        previous = self.store
        self.store = store
        ns = self.shell.user_ns
        if "sc" not in ns or (previous is not None and ns.get("sc") is previous.context) or ns.get("sc") is None:
            ns["sc"] = sc
        if "spark" not in ns:
            from .lazy_spark import LazySparkSession
            ns["spark"] = LazySparkSession(ns)
        if self._run is not None and threading.current_thread() is threading.main_thread():
            sc.setLocalProperty(GROUP_KEY, self._run.group_id)
        if replaced:
            print("Sparklet: stopped the previous %s; this %s replaces it." % (replaced, describe_context(sc)))
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
        if sc is not None and (sc.getLocalProperty(GROUP_KEY) or "").startswith(GROUP_PREFIX):
            sc.setLocalProperty(GROUP_KEY, None)
        self._sync_store(sc)
        if sc is not None and result is not None and isinstance(result.error_in_exec, KeyboardInterrupt):
            # jobs the cell started from its own threads stop with it (they carry no job group:
            # local properties are per thread, so cancel what the display attributed to the cell)
            for store, job_id in list(run.jobs):
                if store is self.store and job_id in store.active_job_ids():
                    sc.cancelJob(job_id)
        self.live.end_cell(run)

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
        from . import __version__

        sc = self.active_context()
        state = self.store.snapshot() if self.store is not None else {
            "application": {}, "executors": [], "jobs": [], "storage": []}
        state["session"] = {
            "kernel": "sparklet", "version": __version__, "contextActive": sc is not None,
            "master": sc.master if sc is not None else None,
            "appName": sc.appName if sc is not None else None,
            "applicationId": getattr(sc, "applicationId", None) if sc is not None else None,
            "defaultParallelism": getattr(sc, "defaultParallelism", None) if sc is not None else None,
            "pysparkAlias": self.alias in sys.meta_path,
            "progress": self.live.mode,
        }
        return state
