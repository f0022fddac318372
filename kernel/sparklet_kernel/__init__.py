"""Sparklet's Jupyter kernel: `sc` ready at start, live job progress and the DAG under each cell.

In a stock IPython kernel, ``%load_ext sparklet_kernel`` gives the same session.
"""

__version__ = "0.1.0"


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
