"""``GroupedData``: what ``df.groupBy(...)`` returns; its aggregations make an ``Aggregate`` plan.

>>> df = spark.createDataFrame([("a", 1), ("a", 3), ("b", 2)], ["k", "v"])
>>> sorted(df.groupBy("k").agg({"v": "max"}).collect())
[Row(k='a', max(v)=3), Row(k='b', max(v)=2)]
"""

from . import types as T
from .column import Column, UnresolvedFunction, col_of
from .expressions import AttributeReference, analysis_exception, is_numeric, named, quote_ident
from .plan import Aggregate, check_aggregate, collect_aggregates, failed_plan, plan_checked, unresolved_string
from ..errors import AnalysisException


class GroupedData:
    def __init__(self, df, keys, pivot=None):
        self._df = df
        self._keys = keys
        # (resolved pivot column, its values) after .pivot(...)
        self._pivot = pivot
        # grouping sets (lists of key positions) of cube/rollup; None: the keys themselves
        self._sets = None

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
        try:
            resolved = [named(col_of(e)._expr.resolve(scope)) for e in exprs]
        except AnalysisException as err:
            if plan_checked(err):
                err.with_plan(failed_plan("Aggregate [%s], [%s]" % (
                    ", ".join(k.explain() for k in self._keys),
                    ", ".join([k.explain() for k in self._keys] + [
                        unresolved_string(col_of(e)._expr, scope, top=True) for e in exprs])), self._df._plan))
            raise
        for r in resolved:
            found = []
            collect_aggregates(r, found)
        if self._pivot is not None:
            resolved = _pivoted(resolved, *self._pivot)
        out = list(self._keys) + resolved
        try:
            check_aggregate(self._keys, out)
        except AnalysisException as err:
            raise err.with_plan(Aggregate(self._keys, out, self._df._plan).tree_string() + "\n")
        plan = _without_null_times(self._keys, self._df._plan)
        if self._sets is not None:
            return self._df._new(self._grouping_sets(resolved))
        from .function_registry import Grouping
        if any(r.contains(Grouping) for r in resolved):
            raise analysis_exception("UNSUPPORTED_GROUPING_EXPRESSION")
        raw = getattr(self, "_raw_keys", None) or []

        def parsed():
            keys = [unresolved_string(k) for k in raw]
            items = ", ".join([unresolved_string(k, top=True) for k in raw] +
                              [unresolved_string(col_of(e)._expr, top=True) for e in exprs])
            return "Aggregate [%s], [%s]" % (", ".join(keys), items) if keys else "Aggregate [%s]" % items
        return self._df._new(Aggregate(self._keys, out, plan))._parsed_as(parsed, self._df)

    def _grouping_sets(self, resolved):
        """cube/rollup as Spark's Expand: every input row repeated once per grouping set, in
        set order (a nested loop join with the sets' numbers), the keys a set leaves out as NULL
        and ``spark_grouping_id`` telling the sets apart; then one aggregate over the keys and
        that id, so the groups come out in the order Spark's aggregate emits them."""
        from . import functions as F
        from .expressions import strip_alias
        n = len(self._keys)
        df = self._df
        sets = df.sparkSession.range(len(self._sets), numPartitions=1).select(F.col("id").alias("__grouping_set"))
        number = F.col("__grouping_set")
        keys = []
        for i, k in enumerate(self._keys):
            left_out = [j for j, kept in enumerate(self._sets) if i not in kept]
            value = Column(strip_alias(k), k.name)
            if left_out:
                value = F.when(number.isin(left_out), F.lit(None)).otherwise(value)
            keys.append(value.alias(k.name))
        grouping_id = F.lit(0).cast("bigint")
        for j, kept in enumerate(self._sets):
            gid = sum(1 << (n - 1 - i) for i in range(n) if i not in kept)
            grouping_id = F.when(number == j, F.lit(gid).cast("bigint")).otherwise(grouping_id)
        expanded = df.crossJoin(sets).select(*[Column(a, a.name) for a in df._plan.output], *keys,
                                             grouping_id.alias("spark_grouping_id"))
        attrs = expanded._plan.output
        key_attrs = attrs[len(df._plan.output):len(df._plan.output) + n]
        gid_attr = attrs[-1]
        from .function_registry import Grouping
        gid_column = Column(gid_attr, gid_attr.name)

        def grouping_value(e):
            # grouping()/grouping_id(): a constant per grouping set, told apart by the set's id
            if not isinstance(e, Grouping):
                return e
            value = None
            for kept in self._sets:
                gid = sum(1 << (n - 1 - i) for i in range(n) if i not in kept)
                this = Column(e.value(self._keys, kept), "")
                value = this if value is None else F.when(gid_column == gid, this).otherwise(value)
            return value._expr.resolve(expanded._scope())
        values = [r.transform(grouping_value) for r in resolved]
        return Aggregate(key_attrs + [gid_attr], key_attrs + values, expanded._plan)

    def count(self):
        """Example:

        >>> spark.createDataFrame([(1,), (1,)], ["a"]).groupBy("a").count().collect()
        [Row(a=1, count=2)]
        """
        from .function_registry import lookup
        from .expressions import Alias
        if self._pivot is not None:
            return self.agg(Column(UnresolvedFunction("count", []), "count(1)"))
        if self._sets is not None:
            return self.agg(Column(UnresolvedFunction("count", []), "count(1)").alias("count"))
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
        """One output column per value of ``pivot_col`` (its distinct values in order when not
        given), each aggregating only the rows holding that value.

        >>> df = spark.createDataFrame([(2012, "Java", 1), (2012, "C", 2), (2013, "C", 4)],
        ...                            ["year", "course", "n"])
        >>> df.groupBy("year").pivot("course").sum("n").sort("year").collect()
        [Row(year=2012, C=2, Java=1), Row(year=2013, C=4, Java=None)]
        """
        scope = self._df._scope()
        column = col_of(pivot_col)._expr.resolve(scope)
        if values is None:
            # Spark runs a job for the distinct values, sorted
            distinct = self._df.select(Column(column, "pivot")).distinct()
            values = [r[0] for r in distinct.orderBy(distinct.columns[0]).collect()]
        return GroupedData(self._df, self._keys, (column, list(values)))

    def applyInPandas(self, func, schema):
        raise NotImplementedError("GroupedData.applyInPandas is not supported by Sparklet yet")


def _without_null_times(keys, plan):
    """Grouping by a time window drops the rows whose time is NULL, as Spark's TimeWindowing
    filters them out."""
    from .expressions import IsNotNull, strip_alias
    from .plan import Filter
    for k in keys:
        e = strip_alias(k)
        if getattr(e, "fname", None) == "window":
            plan = Filter(IsNotNull(e.children[0]), plan)
    return plan


def _pivoted(aggregates, column, values):
    """Spark's pivot as filtered aggregates: for each value, each aggregate sees only the rows whose
    pivot column equals it (a value no row has gives NULL, even for count). Named by the value, or
    ``value_aggregate`` when there are several aggregates."""
    from .expressions import (Alias, AggregateFunction, CaseWhen, EqualNullSafe, GreaterThan, Literal,
                              strip_alias)
    from .function_registry import lookup
    out = []
    for value in values:
        matches = EqualNullSafe.make(column, Literal(value))
        for a in aggregates:
            def only_matching(e):
                if not isinstance(e, AggregateFunction):
                    return e
                kids = [CaseWhen.make([(matches, c)], None) for c in e.children] or [
                    CaseWhen.make([(matches, Literal(1))], None)]
                filtered = e.with_children(kids)
                if e.kind != "count":
                    return filtered
                seen = lookup("count")([CaseWhen.make([(matches, Literal(1))], None)])
                return CaseWhen.make([(GreaterThan.make(seen, Literal(0)), filtered)], None)
            label = "null" if value is None else str(value)
            name = label if len(aggregates) == 1 else "%s_%s" % (label, a.name)
            out.append(Alias(strip_alias(a).transform(only_matching), name))
    return out
