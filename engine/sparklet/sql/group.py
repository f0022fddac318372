"""``GroupedData``: what ``df.groupBy(...)`` returns; its aggregations make an ``Aggregate`` plan.

>>> df = spark.createDataFrame([("a", 1), ("a", 3), ("b", 2)], ["k", "v"])
>>> sorted(df.groupBy("k").agg({"v": "max"}).collect())
[Row(k='a', max(v)=3), Row(k='b', max(v)=2)]
"""

from . import types as T
from .column import Column, UnresolvedFunction, col_of
from .expressions import AttributeReference, analysis_exception, is_numeric, named, quote_ident
from .plan import Aggregate, check_aggregate, collect_aggregates


class GroupedData:
    def __init__(self, df, keys):
        self._df = df
        self._keys = keys

    def __repr__(self):
        return "GroupedData[grouping expressions: [%s], value: [%s], type: GroupBy]" % (
            ", ".join(k.name for k in self._keys),
            ", ".join("%s: %s" % (a.name, a.dataType.simpleString()) for a in self._df._plan.output))

    def agg(self, *exprs):
        """Aggregate with Columns (``F.max("v")``) or a ``{column: function}`` dict."""
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            cols = []
            for c, fn in exprs[0].items():
                fn = {"mean": "avg", "stddev": "stddev"}.get(fn, fn)
                if c == "*" and fn == "count":
                    cols.append(Column(UnresolvedFunction("count", []), "count(1)"))
                else:
                    cols.append(Column(UnresolvedFunction(fn, [col_of(c)._expr]), "%s(%s)" % (fn, c)))
            exprs = cols
        if not exprs:
            from ..errors import PySparkValueError
            raise PySparkValueError(errorClass="CANNOT_BE_EMPTY", messageParameters={"item": "exprs"})
        scope = self._df._scope()
        resolved = [named(col_of(e)._expr.resolve(scope)) for e in exprs]
        for r in resolved:
            found = []
            collect_aggregates(r, found)
        out = list(self._keys) + resolved
        check_aggregate(self._keys, out)
        return self._df._new(Aggregate(self._keys, out, self._df._plan))

    def count(self):
        """Example:

        >>> spark.createDataFrame([(1,), (1,)], ["a"]).groupBy("a").count().collect()
        [Row(a=1, count=2)]
        """
        from .function_registry import lookup
        from .expressions import Alias
        return self._df._new(Aggregate(self._keys, list(self._keys) + [Alias(lookup("count")([]), "count")],
                                       self._df._plan))

    def _numeric(self, fn, cols):
        scope = self._df._scope()
        if not cols:
            cols = [a.name for a in self._df._plan.output if is_numeric(a.dataType)
                    and a.expr_id not in {k.expr_id for k in self._keys if isinstance(k, AttributeReference)}]
        out = []
        for c in cols:
            e = col_of(c)._expr.resolve(scope)
            if not is_numeric(e.dataType):
                raise analysis_exception("UNABLE_TO_FIND_NUMERIC_COLUMN" if False else "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                         sqlExpr=quote_ident("%s(%s)" % (fn, c)), paramIndex="first",
                                         requiredType='"NUMERIC"', inputSql=quote_ident(c),
                                         inputType='"%s"' % e.dataType.simpleString().upper())
            out.append(Column(UnresolvedFunction(fn, [col_of(c)._expr]), "%s(%s)" % (fn, c)))
        return self.agg(*out) if out else self._df._new(Aggregate(self._keys, list(self._keys), self._df._plan))

    def sum(self, *cols):
        return self._numeric("sum", cols)

    def avg(self, *cols):
        return self._numeric("avg", cols)

    mean = avg

    def min(self, *cols):
        return self._numeric("min", cols)

    def max(self, *cols):
        return self._numeric("max", cols)

    def pivot(self, pivot_col, values=None):
        raise NotImplementedError("GroupedData.pivot is not supported by Sparklet yet")

    def applyInPandas(self, func, schema):
        raise NotImplementedError("GroupedData.applyInPandas is not supported by Sparklet yet")
