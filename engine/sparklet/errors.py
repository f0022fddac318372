"""Exceptions an application sees, and how a task's failure is told to the user.

A task that raises on an executor is reported with the user's own frames only (engine frames are
dropped) and the arguments of the user's function that was running: for ``map(lambda x: 1/x)`` that
is the record. The exception is re-raised in the driver as the user's own type whenever it can be
unpickled there, so ``except ZeroDivisionError`` works as it would in plain Python.
"""

import linecache
import os
import sys
import sysconfig

from .callsite import is_internal_file

_STDLIB_DIRS = tuple(
    os.path.abspath(p) for p in {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
)


class SparkException(Exception):
    """Base of the errors the engine raises itself."""


class JobCancelledError(SparkException):
    """The job was cancelled (cancelJob / cancelJobGroup / cancelAllJobs, an interrupt, stop())."""


class PythonException(SparkException):
    """A task failed with an exception that cannot be re-created in the driver as its own type."""

    def __init__(self, message, exc_type_name="Exception"):
        super().__init__(message)
        self.exc_type_name = exc_type_name


class RemoteTraceback(Exception):
    """Carries the executor-side traceback text as the ``__cause__`` of a re-raised task error."""

    def __str__(self):
        return "\n" + self.args[0]


def _is_library_file(filename):
    if is_internal_file(filename):
        return True
    filename = os.path.abspath(filename)
    if "site-packages" in filename.split(os.sep) or "dist-packages" in filename.split(os.sep):
        return "cloudpickle" in filename
    return filename.startswith(_STDLIB_DIRS)


def _short_repr(value, limit=200):
    try:
        text = repr(value)
    except Exception as e:  # a broken __repr__ must not hide the real error
        text = "<unrepresentable %s: %s>" % (type(value).__name__, e)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def extract_user_frames(tb):
    """Frames of the traceback that belong to the user, as plain tuples that pickle anywhere:
    (filename, lineno, function name, {argument: repr}) for each."""
    frames = []
    while tb is not None:
        frame = tb.tb_frame
        code = frame.f_code
        if not _is_library_file(code.co_filename):
            argnames = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
            args = {a: _short_repr(frame.f_locals[a]) for a in argnames if a in frame.f_locals}
            frames.append((code.co_filename, tb.tb_lineno, code.co_name, args))
        tb = tb.tb_next
    return frames


def format_user_traceback(frames, exc_type_name, message):
    """Render frames from ``extract_user_frames`` like Python's own traceback. Source lines are
    looked up here, in the driver, where notebook cells are registered in ``linecache``."""
    lines = ["Traceback (most recent call last, executor frames of your code only):"]
    for filename, lineno, name, _args in frames:
        lines.append('  File "%s", line %d, in %s' % (filename, lineno, name))
        source = linecache.getline(filename, lineno).strip()
        if source:
            lines.append("    " + source)
    lines.append("%s: %s" % (exc_type_name, message) if message else exc_type_name)
    return "\n".join(lines)


def failing_call(frames):
    """'f(x=0)': the outermost user function the engine called, with its arguments (the record)."""
    if not frames:
        return None
    _filename, _lineno, name, args = frames[0]
    return "%s(%s)" % (name, ", ".join("%s=%s" % kv for kv in args.items()))


def context_only_on_driver():
    return RuntimeError(
        "It appears that you are attempting to reference SparkContext from a broadcast variable, "
        "action, or transformation. SparkContext can only be used on the driver, not in code that "
        "it run on workers. For more information, see SPARK-5063."
    )


def rdd_only_on_driver():
    return RuntimeError(
        "It appears that you are attempting to broadcast an RDD or reference an RDD from an action "
        "or transformation. RDD transformations and actions can only be invoked by the driver, not "
        "inside of other transformations; for example, rdd1.map(lambda x: rdd2.values.count() * x) "
        "is invalid because the values transformation and count action cannot be performed inside "
        "of the rdd1.map transformation. For more information, see SPARK-5063."
    )


def in_executor():
    return os.environ.get("SPARKLET_EXECUTOR_ID") is not None and "sparklet.executor" in sys.modules
