"""Python UDFs: a Python function applied to rows of its argument columns inside the stage's query.

The function travels to executors with the stage (cloudpickle, by value for notebook code) and is
registered on the executor's DuckDB connection; its return type is Spark's (default ``string``).
"""

from . import types as T
from .expressions import udf_ids


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
        self.udf_id = next(udf_ids)
        self._named_ids = {}
        self.evalType = 100
        self.deterministic = True

    def __call__(self, *cols, **kwcols):
        """A Column applying the function; keyword arguments (Spark 3.5's named arguments) pass
        by name and print as ``name => expr``.

        >>> from sparklet.sql.functions import col
        >>> calc = UserDefinedFunction(lambda a, b: a + 10 * b, "long", "calc")
        >>> df = spark.range(2).select(calc(b=col("id") * 10, a="id"))
        >>> df.columns, df.collect()[1][0]
        (['calc(b => (id * 10), a => id)'], 101)
        """
        from .column import Column, col_of
        from .expressions import UnresolvedExpression
        cs = [col_of(c) for c in cols] + [col_of(c) for c in kwcols.values()]
        names = list(kwcols)
        labels = [""] * len(cols) + ["%s => " % n for n in names]
        # executors register one function per id: a call passing names gets an id of its own
        udf_id = self.udf_id if not names else self._named_ids.setdefault((len(cols), tuple(names)), next(udf_ids))

        def factory(*args):
            from .expressions import PythonUDF
            return PythonUDF(_wrap(self.func, len(cols), names), self._name, args, self.returnType, udf_id, labels)

        def label(parts):
            return "%s(%s)" % (self._name, ", ".join(l + p for l, p in zip(labels, parts)))
        return Column(UnresolvedExpression(factory, [c._expr for c in cs], lambda *parts: label(parts)),
                      label([c._repr for c in cs]))

    def asNondeterministic(self):
        self.deterministic = False
        return self


def _wrap(func, positional=None, names=()):
    """The function as the executor calls it, with every argument in order: the last ones go by
    the names they were given."""
    if not names:
        def call(*args):
            return func(*args)
        return call

    def call_named(*args):
        return func(*args[:positional], **dict(zip(names, args[positional:])))
    return call_named


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
