"""Which frames are the engine's own, and the user's line that called it (Spark's call site).

Spark names every RDD and job after the user's line that made it (``reduceByKey at <cell 3>:2``),
hides its own frames from task tracebacks, and leaves its own wrappers out when it names the
function that failed to pickle. All three ask one question, answered here and nowhere else: *is
this frame internal?* A frame is internal when its code lives anywhere under the engine's package
directory (subpackages included: the SQL layer in ``sparklet/sql/`` is the engine too), or when
its code object was marked with `internal`.

`internal` is the public way for a tool that wraps engine calls (a notebook kernel, a profiler)
to keep its wrappers out of call sites without rewriting code objects or patching engine classes.
Marks are kept by code object, so every closure made from one ``def`` shares its mark.
"""

import os
import sys

__all__ = ["ENGINE_DIR", "internal", "is_internal_code", "is_internal_file", "user_call_site", "user_stacklevel"]

#: The engine's package directory: every module below it is internal.
ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_ENGINE_PREFIX = ENGINE_DIR + os.sep

_marked_codes = set()
#: filename -> internal?, so that walking a deep stack costs one dict lookup per frame
_file_verdicts = {}


def internal(func):
    """Mark `func` (a wrapper around engine calls) internal; returns `func`, so it decorates.

    >>> import sparklet.callsite as callsite
    >>> @callsite.internal
    ... def traced_map(rdd, f):
    ...     return rdd.map(f)
    >>> callsite.is_internal_code(traced_map.__code__)
    True
    """
    code = getattr(func, "__code__", None)
    if code is None:
        raise TypeError("internal() marks Python functions, got %s" % type(func).__name__)
    _marked_codes.add(code)
    return func


def is_internal_file(filename):
    """Whether `filename` is one of the engine's own source files.

    >>> import sparklet.callsite as callsite, sparklet.rdd
    >>> callsite.is_internal_file(sparklet.rdd.__file__), callsite.is_internal_file("/tmp/job.py")
    (True, False)
    """
    verdict = _file_verdicts.get(filename)
    if verdict is None:
        verdict = _file_verdicts[filename] = os.path.abspath(filename).startswith(_ENGINE_PREFIX)
    return verdict


def is_internal_code(code):
    """Whether frames running `code` are internal: engine source, or marked with `internal`.

    >>> import sparklet.callsite as callsite
    >>> callsite.is_internal_code((lambda: 0).__code__)
    False
    """
    return code in _marked_codes or is_internal_file(code.co_filename)


def user_call_site(depth=1):
    """``"file:line"`` of the innermost frame outside the engine, starting `depth` frames above
    the caller: where the user called us.

    >>> import sparklet.callsite as callsite
    >>> callsite.user_call_site().startswith("<doctest ")
    True
    """
    frame = sys._getframe(depth)
    while frame is not None and is_internal_code(frame.f_code):
        frame = frame.f_back
    if frame is None:
        return "<unknown>:0"
    return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


def user_stacklevel():
    """The ``stacklevel`` that makes ``warnings.warn`` in the caller name the user's line, past
    every internal frame between them.

    >>> import warnings, sparklet.callsite as callsite
    >>> @callsite.internal
    ... def old_operator():
    ...     warnings.warn("use new_operator", FutureWarning, stacklevel=callsite.user_stacklevel())
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     old_operator()
    >>> caught[0].filename.startswith("<doctest ")
    True
    """
    frame, level = sys._getframe(2), 2
    while frame is not None and is_internal_code(frame.f_code):
        frame, level = frame.f_back, level + 1
    return level
