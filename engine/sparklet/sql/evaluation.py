"""Constant folding: a foldable expression evaluated once, in the driver, by the same engine that
evaluates it on executors (so folding never changes a result)."""


def evaluate_constant(expr):
    """The Python value of a foldable resolved expression.

    >>> from sparklet.sql.expressions import Add, Literal
    >>> evaluate_constant(Add(Literal(1), Literal(2), Literal(1).dataType))
    3
    """
    from .engine import run_query
    import pyarrow as pa
    table = run_query("SELECT %s AS v" % expr.duck(), {"__input": pa.table({"x": [0]})})
    from . import types as T
    schema = T.StructType([T.StructField("v", expr.dataType, True)])
    return T.arrow_to_rows(table.cast(T.to_arrow_schema(schema)), schema)[0][0]
