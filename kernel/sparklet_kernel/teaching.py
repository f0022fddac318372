"""Teaching aid: the counter-in-`foreach` warning.

A function shipped to executors runs on a copy of the driver's globals, so ``global counter;
counter += 1`` inside ``rdd.foreach(f)`` leaves the driver's ``counter`` unchanged, silently, in
PySpark as here. The kernel reads the function's bytecode when it is handed to an RDD operation
(the engine's operator hook tells it) and, if it assigns a global, prints one line pointing to
accumulators.
"""

import dis
import functools
import sys
import types

from sparklet import hooks

#: RDD methods whose function argument runs on executors
FUNCTION_TAKING_METHODS = (
    "foreach", "foreachPartition", "map", "flatMap", "filter", "mapPartitions", "mapPartitionsWithIndex",
    "mapValues", "flatMapValues", "reduce", "fold", "aggregate", "treeReduce", "treeAggregate",
    "reduceByKey", "foldByKey", "aggregateByKey", "combineByKey", "groupBy", "keyBy", "sortBy",
)


def global_writes(func):
    """Names of globals that `func` (or a function nested in it) assigns or deletes."""
    code = getattr(func, "__code__", None)
    if code is None and isinstance(func, functools.partial):
        code = getattr(func.func, "__code__", None)
    names = set()
    stack = [code] if code is not None else []
    while stack:
        c = stack.pop()
        for ins in dis.get_instructions(c):
            if ins.opname in ("STORE_GLOBAL", "DELETE_GLOBAL"):
                names.add(ins.argval)
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    return sorted(names)


class GlobalWriteWarning(hooks.DriverHook):
    """A driver hook (`sparklet.hooks`): checks the functions handed to the operators above;
    each function is checked once."""

    def __init__(self, stream=None):
        self.stream = stream
        self._checked = set()

    def operator_called(self, call):
        if call.name not in FUNCTION_TAKING_METHODS:
            return
        for arg in list(call.args) + list(call.kwargs.values()):
            if callable(arg):
                self.check(call.name, arg)

    def check(self, method_name, func):
        code = getattr(func, "__code__", None)
        if code is None or code in self._checked or getattr(func, "__module__", None) != "__main__":
            # only the user's own functions: a library's module-level caches are not the mistake
            return
        self._checked.add(code)
        names = global_writes(func)
        if not names:
            return
        fname = getattr(func, "__name__", "function")
        shown = ", ".join("`%s`" % n for n in names)
        print("Warning: %s passed to %s() assigns to the driver global%s %s; tasks change their own copy, "
              "so the driver's value will not change. Use an accumulator: %s = sc.accumulator(0), then "
              "%s.add(1) in the function." % (fname if fname != "<lambda>" else "a lambda", method_name,
                                               "s" if len(names) > 1 else "", shown, names[0], names[0]),
              file=self.stream or sys.stderr)
