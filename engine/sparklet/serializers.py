"""Serializers with PySpark's names.

Records that cross processes (parallelized data, task results, accumulator updates, broadcasts,
shuffle and cached blocks) are always pickled in batches by the engine, as PySpark 4 pickles them:
with cloudpickle semantics, so classes defined in ``__main__`` travel with their instances (see
``dumps_records``). The serializer classes exist so that code passing ``serializer=`` to
SparkContext, or using them directly, keeps working.
"""

import io
import marshal
import os
import pickle
import types
from collections import ChainMap

import cloudpickle

from .callsite import is_internal_code

__all__ = ["PickleSerializer", "CPickleSerializer", "MarshalSerializer", "CloudPickleSerializer"]


_CLOUDPICKLE_CODE_REDUCE = cloudpickle.Pickler.dispatch_table[types.CodeType]


def _reduce_code(code):
    # cloudpickle (3.1.3 on) ships code objects with co_filename "<dynamic-code>"; executor
    # tracebacks need the real file to show the user's source lines and to tell the engine's own
    # frames from the user's. Driver and executors run the same interpreter, so marshal (which
    # keeps every field, nested code objects included) is exact.
    try:
        return marshal.loads, (marshal.dumps(code),)
    except ValueError:  # a constant marshal cannot write (only in code built by hand)
        return _CLOUDPICKLE_CODE_REDUCE(code)


class ClosurePickler(cloudpickle.Pickler):
    """cloudpickle's pickler, keeping where each shipped function was defined."""

    dispatch_table = ChainMap({types.CodeType: _reduce_code}, cloudpickle.Pickler.dispatch_table)


def dump_closure(obj, f):
    ClosurePickler(f, pickle.HIGHEST_PROTOCOL).dump(obj)


def dumps_closure(obj):
    """Pickle ``obj`` with functions and classes defined in the notebook or script by value."""
    with io.BytesIO() as f:
        dump_closure(obj, f)
        return f.getvalue()


class Serializer:
    def dumps(self, obj):
        raise NotImplementedError

    def loads(self, data):
        raise NotImplementedError

    def __eq__(self, other):
        return isinstance(other, self.__class__) and other.__dict__ == self.__dict__

    def __hash__(self):
        return hash(str(self))

    def __repr__(self):
        return "%s()" % self.__class__.__name__


class PickleSerializer(Serializer):
    def dumps(self, obj):
        return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)

    def loads(self, data):
        return pickle.loads(data)


class CloudPickleSerializer(PickleSerializer):
    def dumps(self, obj):
        return dumps_closure(obj)


# As in PySpark 4, the default serializer's name means cloudpickle (PySpark's own switch back to
# plain pickle, PYSPARK_ENABLE_NAMEDTUPLE_PATCH=1, is honoured too).
CPickleSerializer = PickleSerializer if os.environ.get("PYSPARK_ENABLE_NAMEDTUPLE_PATCH") == "1" else CloudPickleSerializer


class MarshalSerializer(Serializer):
    def dumps(self, obj):
        return marshal.dumps(obj)

    def loads(self, data):
        return marshal.loads(data)


def dumps_records(records):
    """Pickle a batch of records (or any value that crosses processes) as PySpark 4 does.

    PySpark pickles records with cloudpickle, so an instance of a class defined in ``__main__``
    (a notebook cell, the script run by ``sparklet-submit``) carries its class by value and can be
    read in a process whose ``__main__`` is another module. cloudpickle's pure-Python pickler
    costs several times the C pickler on builtin records, so the C pickler goes first; any global
    it wrote by reference to ``__main__`` names the module in the output, and only then (or when
    the C pickler refuses, as for lambdas) is the batch pickled again with cloudpickle. A record
    that merely contains the text ``__main__`` takes the slow path too, with the same result.

    >>> import pickle
    >>> pickle.loads(dumps_records([1, "a", (2.0, None)]))
    [1, 'a', (2.0, None)]
    """
    try:
        data = pickle.dumps(records, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return dumps_closure(records)
    if _MAIN_MODULE_NAME in data:
        return dumps_closure(records)
    return data


_MAIN_MODULE_NAME = b"__main__"


def load_records(f):
    """The records of the batches ``dumps_records`` wrote one after another into file ``f``,
    holding one batch in memory at a time."""
    while True:
        try:
            batch = pickle.load(f)
        except EOFError:
            return
        yield from batch


def load_records_from(path):
    with open(path, "rb") as f:
        yield from load_records(f)


def unpicklable_path(obj, root="the object"):
    """Where inside ``obj`` pickling fails, as a readable path, e.g. ``<lambda> (at nb.py:3) ->
    closure variable 'h' (a Holder) -> .conn (a dict) -> ['lock'] (a _thread.lock)``; None when
    ``obj`` pickles. Walks the parts cloudpickle would pickle (a function's closure cells,
    globals and defaults; an object's ``__reduce_ex__`` state and arguments; containers' items)
    and follows the first part that fails on its own, down to the innermost one."""
    budget = [300]  # dumps attempts: the walk is for error messages and must stay cheap

    def fails(o):
        budget[0] -= 1
        try:
            dumps_closure(o)
            return False
        except RecursionError:
            return False
        except Exception:
            return True

    def describe(o):
        if isinstance(o, types.FunctionType):
            code = o.__code__
            return "%s (at %s:%d)" % (o.__qualname__, code.co_filename, code.co_firstlineno)
        t = type(o)
        name = t.__qualname__ if t.__module__ in ("builtins", "__main__") else "%s.%s" % (t.__module__, t.__qualname__)
        return "(a %s)" % name

    def parts(o):
        if isinstance(o, types.FunctionType):
            code = o.__code__
            for name, cell in zip(code.co_freevars, o.__closure__ or ()):
                try:
                    yield "closure variable %r" % name, cell.cell_contents
                except ValueError:
                    pass
            for name in _global_names(code):
                if name in o.__globals__:
                    yield "global %r" % name, o.__globals__[name]
            for i, value in enumerate(o.__defaults__ or ()):
                yield "default argument %d" % i, value
            for name, value in (o.__kwdefaults__ or {}).items():
                yield "default argument %r" % name, value
        elif isinstance(o, types.MethodType):
            yield ".__self__", o.__self__
            yield ".__func__", o.__func__
        elif isinstance(o, dict):
            for k, v in o.items():
                yield "[%r]" % (k,), v
        elif isinstance(o, (list, tuple, set, frozenset)):
            for i, v in enumerate(o):
                yield "[%d]" % i, v
        else:
            try:
                reduced = o.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
            except Exception:
                return  # this object itself refuses to be pickled
            if not isinstance(reduced, tuple):
                return
            args = reduced[1] if len(reduced) > 1 else ()
            state = reduced[2] if len(reduced) > 2 else None
            if isinstance(state, tuple) and len(state) == 2:  # (__dict__, __slots__ values)
                state = {**(state[0] or {}), **(state[1] or {})}
            if isinstance(state, dict):
                for k, v in state.items():
                    yield ".%s" % k, v
            elif state is not None:
                yield "state", state
            for i, v in enumerate(args or ()):
                if not isinstance(v, type):
                    yield "argument %d" % i, v

    if not fails(obj):
        return None
    def is_engine_wrapper(o):
        return isinstance(o, types.FunctionType) and is_internal_code(o.__code__)

    # The engine's own wrappers around the user's functions are walked through but not named.
    via_engine = is_engine_wrapper(obj)
    path, seen = [root if via_engine else root + " " + describe(obj)], set()
    while budget[0] > 0 and id(obj) not in seen:
        seen.add(id(obj))
        for label, part in parts(obj):
            if budget[0] <= 0:
                break
            if fails(part):
                if not is_engine_wrapper(part):
                    path.append(describe(part) if via_engine else "%s %s" % (label, describe(part)))
                via_engine = is_engine_wrapper(part)
                obj = part
                break
        else:
            break
    return " -> ".join(path)


def _global_names(code):
    names = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names.extend(_global_names(const))
    return names
