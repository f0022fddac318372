"""Sparklet's Jupyter kernel: `sc` ready at start, live job progress and the DAG under each cell.

In a stock IPython kernel, ``%load_ext sparklet_kernel`` gives the same session.

Modules (the kernel reads the engine through listener events and the driver hooks of
``sparklet.hooks``; it patches no engine class):

- ``kernel``: the IPythonKernel subclass, thin (Jupyter's kernel; everything lives in the session)
- ``session``: the session: cell hooks, context adoption, backend and context switching
- ``backend``: the interface the session, views and magics call (Spark's SchedulerBackend role, seen from a notebook)
- ``local_backend``: Sparklet's engine behind that interface (local mode)
- ``pyspark_backend``: Apache Spark behind it: activation, contexts, task errors from Py4J
- ``pyspark_lineage``: operators recorded per user call, stages cut from them (Spark's lineage and stage cutting)
- ``pyspark_tracker``: the store fed by polling PySpark's status tracker (Spark's AppStatusStore via the JVM)
- ``pyspark_daemon``: PySpark's worker daemon, sending task prints to the kernel (pyspark.daemon)
- ``task_output``: the authenticated, bounded task-output channel (PySpark's secret-guarded worker sockets)
- ``config``: session settings as plain data: defaults, ``%%configure`` JSON, checks (Livy's session keys)
- ``state``: the session store folded from listener events (Spark's AppStatusStore)
- ``live``: each cell's live job display, throttled (Spark's ConsoleProgressBar, per cell)
- ``progress``: the display bundle as pure functions: JSON, HTML, text (the UI's jobs table)
- ``dag``: a job's DAG model and SVG (the UI's DAG visualization)
- ``timeline``: a job's task timeline and stragglers (the UI's event timeline)
- ``panel``: the lab panel's comm and control-channel requests (the UI's REST API)
- ``magics``: ``%spark`` inspection magics
- ``sparkmagic``: sparkmagic's session magics (``%%configure``, ``%%info``, ``%%logs``...)
- ``magic_args``: option parsing and the session base class the magics share
- ``tracebacks``: the one-screen task error (PySpark's simplified tracebacks)
- ``teaching``: the counter-in-foreach warning, an operator hook
- ``source``: cell file names as ``<cell N>:line``
- ``version``: the package version
"""

from .version import __version__  # noqa: F401 (the package's version)


def load_ipython_extension(ipython):
    if getattr(ipython, "sparklet_session", None) is not None:
        return
    kernel = getattr(ipython, "kernel", None)
    existing = getattr(kernel, "sparklet", None)
    if existing is not None:  # already the Sparklet kernel
        ipython.sparklet_session = existing
        return
    from .session import SparkletSession

    session = SparkletSession(shell=ipython, kernel=kernel, parent=ipython)
    session.start()
    ipython.sparklet_session = session
    # %load_ext runs inside a cell whose pre-run hook has already fired: give that cell its job
    # group and display now, so `sc` and its jobs work on the next line of the same cell
    session.pre_run_cell()
    if kernel is not None:
        from .panel import SessionChannel

        channel = SessionChannel(session, kernel)
        channel.register()
        kernel.control_handlers["sparklet_request"] = channel.control_request


def unload_ipython_extension(ipython):
    session = getattr(ipython, "sparklet_session", None)
    if session is None or session is getattr(getattr(ipython, "kernel", None), "sparklet", None):
        return
    session.stop()
    ipython.sparklet_session = None
