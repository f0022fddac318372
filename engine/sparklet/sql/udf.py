"""Python UDFs: a Python function applied to rows of its argument columns inside the stage's query.

The function travels to executors with the stage (cloudpickle, by value for notebook code) and is
registered on the executor's DuckDB connection; its return type is Spark's (default ``string``).
"""

import itertools

from . import types as T

_ids = itertools.count(1)


class UserDefinedFunction:
    """A callable that builds a Column applying ``func``.

    >>> from sparklet.sql.functions import udf
    >>> plus_one = udf(lambda x: x + 1, "long")
    >>> plus_one.returnType
    LongType()
    """

    def __init__(self, func, returnType=None, name=None):
        if returnType is None:
            returnType = T.StringType()
        if isinstance(returnType, str):
            returnType = T._parse_datatype_string(returnType)
        self.func = func
        self.returnType = returnType
        self._name = name or getattr(func, "__name__", "<lambda>")
        self.udf_id = next(_ids)
        self.evalType = 100
        self.deterministic = True

    def __call__(self, *cols):
        from .column import Column, col_of
        from .expressions import UnresolvedExpression
        cs = [col_of(c) for c in cols]

        def factory(*args):
            from .expressions import PythonUDF
            return PythonUDF(_wrap(self.func, self.returnType), self._name, args, self.returnType, self.udf_id)
        return Column(UnresolvedExpression(factory, [c._expr for c in cs],
                                           lambda *names: "%s(%s)" % (self._name, ", ".join(names))),
                      "%s(%s)" % (self._name, ", ".join(c._repr for c in cs)))

    def asNondeterministic(self):
        self.deterministic = False
        return self


def _wrap(func, return_type):
    def call(*args):
        return func(*args)
    return call


def make_udf(f, returnType):
    return UserDefinedFunction(f, returnType)


class UDFRegistration:
    """``spark.udf``: register a Python function for SQL text."""

    def __init__(self, session):
        self.session = session

    def register(self, name, f, returnType=None):
        """Example:

        >>> _ = spark.udf.register("plus1", lambda x: x + 1, "int")
        """
        if isinstance(f, UserDefinedFunction):
            u = UserDefinedFunction(f.func, f.returnType if returnType is None else returnType, name)
        else:
            u = UserDefinedFunction(f, returnType, name)
        self.session._udfs[name.lower()] = u
        return u
