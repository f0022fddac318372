"""``df.na``, ``df.stat``, ``describe`` and ``summary``: built from ordinary DataFrame operations
(projections of ``coalesce``/``CASE``, one aggregate per statistic), so they plan and run like any
other query.

>>> df = spark.createDataFrame([(1, None), (None, "x")], "a int, b string")
>>> df.na.fill(0).collect()
[Row(a=1, b=None), Row(a=0, b='x')]
"""

from . import functions as F
from . import types as T
from .column import Column, col_of
from .expressions import is_numeric


def _subset(df, subset):
    if subset is None:
        return list(df.columns)
    if isinstance(subset, str):
        return [subset]
    return list(subset)


def _quote(name):
    return "`%s`" % name.replace("`", "``")


def fill(df, value, subset=None):
    """Replace nulls: a number fills numeric columns, a string string columns, a bool boolean
    columns; a dict names the value per column."""
    if isinstance(value, dict):
        items = value
    else:
        if not isinstance(value, (int, float, str, bool)):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR",
                                   messageParameters={"arg_name": "value", "arg_type": type(value).__name__})
        items = {c: value for c in _subset(df, subset)}
    types = dict((a.name, a.dataType) for a in df._plan.output)
    cols = []
    for a in df._plan.output:
        v = None
        for k, val in items.items():
            if k.lower() == a.name.lower():
                v = val
        t = a.dataType
        ok = v is not None and (
            (isinstance(v, bool) and isinstance(t, T.BooleanType)) or
            (not isinstance(v, bool) and isinstance(v, (int, float)) and is_numeric(t)) or
            (isinstance(v, str) and isinstance(t, T.StringType)))
        if ok:
            c = Column(a, a.name)
            if isinstance(v, float) and isinstance(t, T.NumericType) and not isinstance(t, (T.FloatType, T.DoubleType)):
                v = int(v)
            filled = F.coalesce(c, F.lit(v).cast(t))
            if isinstance(t, (T.FloatType, T.DoubleType)):
                filled = F.when(F.isnan(c), F.lit(v).cast(t)).otherwise(filled)
            cols.append(filled.alias(a.name))
        else:
            cols.append(Column(a, a.name))
    return df.select(*cols)


def drop_na(df, how="any", thresh=None, subset=None):
    """Drop rows with nulls (``how='any'``/``'all'``, or fewer than ``thresh`` non-null values)."""
    names = _subset(df, subset)
    if thresh is None:
        thresh = len(names) if how == "any" else 1
    count = None
    for n in names:
        c = col_of(_quote(n))
        t = dict((a.name, a.dataType) for a in df._plan.output).get(n)
        ok = c.isNotNull()
        if isinstance(t, (T.FloatType, T.DoubleType)):
            ok = ok & ~F.isnan(c)
        term = F.when(ok, 1).otherwise(0)
        count = term if count is None else count + term
    if count is None:
        return df
    return df.filter(count >= thresh)


def replace(df, to_replace, value=None, subset=None):
    if isinstance(to_replace, dict):
        mapping = to_replace
    elif isinstance(to_replace, (list, tuple)):
        values = value if isinstance(value, (list, tuple)) else [value] * len(to_replace)
        mapping = dict(zip(to_replace, values))
    else:
        mapping = {to_replace: value}
    names = _subset(df, subset)
    cols = []
    for a in df._plan.output:
        c = Column(a, a.name)
        if a.name in names:
            expr = None
            for k, v in mapping.items():
                if isinstance(k, str) != isinstance(a.dataType, T.StringType):
                    continue
                cond = c == F.lit(k)
                expr = F.when(cond, F.lit(v).cast(a.dataType)) if expr is None else expr.when(cond, F.lit(v).cast(a.dataType))
            if expr is not None:
                c = expr.otherwise(c).alias(a.name)
        cols.append(c)
    return df.select(*cols)


def _stat_columns(df, cols):
    if cols:
        return cols
    return [a.name for a in df._plan.output if is_numeric(a.dataType) or isinstance(a.dataType, T.StringType)]


def _as_string(c, t):
    return c.cast("string")


def describe(df, cols):
    """count, mean, stddev, min and max of numeric and string columns, as strings."""
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = list(cols[0])
    return summary(df, ["count", "mean", "stddev", "min", "max"], _stat_columns(df, cols))


def summary(df, statistics, cols=None):
    if len(statistics) == 1 and isinstance(statistics[0], (list, tuple)):
        statistics = list(statistics[0])
    if not statistics:
        statistics = ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]
    names = _stat_columns(df, cols)
    types = dict((a.name, a.dataType) for a in df._plan.output)
    rows = []
    for stat in statistics:
        aggs = []
        for n in names:
            c = col_of(_quote(n))
            numeric = is_numeric(types[n])
            if stat == "count":
                e = F.count(c)
            elif stat == "mean":
                e = F.avg(c) if numeric else F.lit(None).cast("double")
            elif stat == "stddev":
                e = F.stddev(c) if numeric else F.lit(None).cast("double")
            elif stat == "min":
                e = F.min(c)
            elif stat == "max":
                e = F.max(c)
            elif stat == "count_distinct":
                e = F.countDistinct(c)
            elif stat.endswith("%"):
                p = float(stat[:-1]) / 100
                e = F.percentile_approx(c, p) if numeric else F.lit(None)
            else:
                from ..errors import PySparkValueError
                raise PySparkValueError(errorClass="INVALID_SUMMARY_STATISTIC" if False else "UNSUPPORTED_OPERATION",
                                        messageParameters={"operation": stat})
            aggs.append(e.cast("string").alias(n))
        values = df.agg(*aggs).collect()[0] if aggs else []
        rows.append((stat,) + tuple(values))
    schema = T.StructType([T.StructField("summary", T.StringType(), True)] +
                          [T.StructField(n, T.StringType(), True) for n in names])
    return df.sparkSession.createDataFrame(rows, schema)
