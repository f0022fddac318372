"""A failed task shown in one screen (and a stopped context's error, raised on the driver).

The engine re-raises a task's exception in the driver with ``stageId``, ``partitionId``,
``remoteTraceback`` (the executor's traceback, user frames only) and a note naming the failing
record. Instead of a driver traceback through the scheduler, the kernel shows: the exception, where
it happened in the user's code (cell, line, source), the stage, partition and record, and the cell
line that ran the action. The full tracebacks stay available: ``%tb`` (driver) and
``%spark traceback`` (driver and executor).
"""

import re
import sys
import traceback

from .source import cell_number, file_label, source_line

_FRAME = re.compile(r'^\s*File "(?P<file>.+?)", line (?P<line>\d+), in (?P<func>.+)$')

RED, GREEN, CYAN, BOLD, DIM, RESET = "\x1b[0;31m", "\x1b[0;32m", "\x1b[0;36m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def is_task_failure(value):
    if getattr(value, "remoteTraceback", None) is not None:
        return True
    try:
        from sparklet.errors import SparkException
    except ImportError:
        return False
    return isinstance(value, SparkException)


def is_stopped_context(value):
    """Using a stopped SparkContext (or an RDD of one): a driver error, not a task's."""
    try:
        from sparklet.errors import StoppedContextError
    except ImportError:
        return False
    return isinstance(value, StoppedContextError)


def summarize_driver_error(etype, value, tb):
    """An engine error raised on the driver at the user's call: its message and the cell line."""
    lines = ["%s%s%s: %s" % (RED + BOLD, etype.__name__, RESET, str(value).strip())]
    driver = _driver_cell_frame(tb)
    if driver is not None:
        lines.append("%sin%s %s, line %d:" % (DIM, RESET, file_label(driver[0]), driver[1]))
        lines.extend(_source_block(driver[0], driver[1]))
    lines.append(DIM + "(Engine frames hidden: %tb shows the driver traceback.)" + RESET)
    return lines


def interrupted_an_action(value, tb):
    """A KeyboardInterrupt that stopped the driver inside the engine (waiting for a job)."""
    if not isinstance(value, KeyboardInterrupt):
        return False
    from sparklet.callsite import is_internal_code

    return any(is_internal_code(frame.f_code) for frame, _ in traceback.walk_tb(tb))


def _executor_frame(remote):
    """(file, line, function) of the deepest frame in the executor traceback text."""
    frames = [m.groupdict() for m in map(_FRAME.match, (remote or "").splitlines()) if m]
    if not frames:
        return None
    f = frames[-1]
    return f["file"], int(f["line"]), f["func"]


def _driver_cell_frame(tb):
    """(file, line) of the innermost driver frame that is a notebook cell: where the action ran."""
    found = None
    for frame, lineno in traceback.walk_tb(tb):
        if cell_number(frame.f_code.co_filename) is not None:
            found = (frame.f_code.co_filename, lineno)
    return found


def _source_block(filename, lineno, marker=GREEN + "---->" + RESET):
    lines = []
    for n in (lineno - 1, lineno):
        text = source_line(filename, n) if n > 0 else ""
        if text or n == lineno:
            prefix = marker if n == lineno else "     "
            lines.append("%s %s%3d%s %s" % (prefix, GREEN, n, RESET, text))
    return lines


def summarize_interrupt(tb):
    lines = [RED + BOLD + "KeyboardInterrupt" + RESET + ": the running job was cancelled; the SparkContext is "
             "still usable."]
    driver = _driver_cell_frame(tb)
    if driver is not None:
        lines.append("%sinterrupted in%s %s, line %d:" % (DIM, RESET, file_label(driver[0]), driver[1]))
        lines.extend(_source_block(driver[0], driver[1]))
    return lines


def summarize(etype, value, tb):
    """The one-screen report as a list of lines (with ANSI colours, as IPython's tracebacks)."""
    name = getattr(value, "exc_type_name", None) if etype.__name__ == "PythonException" else None
    name = name or etype.__name__
    message = str(value).strip().splitlines()
    head = "%s%s%s: %s" % (RED + BOLD, name, RESET, message[0] if message else "")
    lines = [head]
    where = []
    if getattr(value, "stageId", None) is not None:
        where.append("stage %s" % value.stageId)
    if getattr(value, "partitionId", None) is not None:
        where.append("partition %s" % value.partitionId)
    notes = getattr(value, "__notes__", None) or []
    if where and not notes:
        lines.append("in a task of %s" % ", ".join(where))
    for note in notes:
        lines.append(CYAN + note + RESET)
    frame = _executor_frame(getattr(value, "remoteTraceback", None))
    if frame is not None:
        filename, lineno, func = frame
        lines.append("%s%s%s, line %d, in %s (on the executor):" % (GREEN, file_label(filename), RESET, lineno, func))
        lines.extend(_source_block(filename, lineno))
    driver = _driver_cell_frame(tb)
    if driver is not None and (frame is None or driver != frame[:2]):
        lines.append("%sthe job was started by%s %s, line %d:" % (DIM, RESET, file_label(driver[0]), driver[1]))
        lines.extend(_source_block(driver[0], driver[1]))
    lines.append(DIM + "(Engine frames hidden: %tb shows the driver traceback, %spark traceback the executor's.)"
                 + RESET)
    return lines


def full_report(etype, value, tb):
    """Everything, for ``%spark traceback``: the driver traceback and the executor's."""
    text = "".join(traceback.format_exception(etype, value, tb))
    remote = getattr(value, "fullRemoteTraceback", None) or getattr(value, "remoteTraceback", None)
    if remote and remote not in text:
        text += "\nExecutor traceback:\n" + remote
    return text


class TaskErrorHandler:
    """IPython custom exception handler (``shell.set_custom_exc``) for task failures and for
    interrupted actions; other exceptions get IPython's ordinary traceback."""

    def __init__(self, on_failure=None):
        self.last = None
        self.on_failure = on_failure

    exceptions = (Exception, KeyboardInterrupt)

    def __call__(self, shell, etype, value, tb, tb_offset=None):
        if interrupted_an_action(value, tb):
            # IPython's verbose traceback through the engine's frames takes a second or more to
            # format the first time (it parses their source files); an interrupt must be quick
            sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
            shell._showtraceback(etype, value, summarize_interrupt(tb))
            return None
        if is_stopped_context(value):
            sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
            shell._showtraceback(etype, value, summarize_driver_error(etype, value, tb))
            return None
        if not is_task_failure(value):
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
            return None
        self.last = (etype, value, tb)
        sys.last_type, sys.last_value, sys.last_traceback = etype, value, tb
        if self.on_failure is not None:
            self.on_failure()
        shell._showtraceback(etype, value, summarize(etype, value, tb))
        return None
