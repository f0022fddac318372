"""How each aggregate function runs in two phases: partial buffers per map partition, merged after
the exchange (Spark's ``partial_``/``merge_`` aggregate modes, ``AggUtils``).

``partial_sql(f)`` lists the buffer columns a map partition computes for ``f``;
``final_sql(f, buffers)`` merges them into the result. Aggregates that cannot merge buffers here
(``count(DISTINCT)``, ``collect_list``, ``first``, ``stddev``...) run in *complete* mode: rows are
exchanged by key and aggregated once, in arrival order.

The second-moment aggregates (``stddev``, ``variance`` and their ``_pop``/``_samp`` forms) keep
Spark's ``CentralMomentAgg`` buffer ``(n, avg, m2)``: each map partition updates it row by row in
the partition's order, and the final aggregate merges the partitions' buffers in map order, with
Spark's formulas, so the doubles come out to the last digit as Spark's do (DuckDB's own
``stddev_samp`` rounds differently).
"""

from . import types as T
from .typeops import duck_type, is_integral

MOMENT_KINDS = ("stddev_samp", "stddev_pop", "var_samp", "var_pop", "skewness", "kurtosis")
MOMENT_FIELDS = ("n", "avg", "m2", "m3", "m4")
PARTIAL_KINDS = {"count", "sum", "avg", "min", "max", "approx_count_distinct", *MOMENT_KINDS}


def can_partial(f):
    return f.kind in PARTIAL_KINDS and not f.distinct


def partial_sql(f):
    """[(sql, type)] buffer columns for ``f`` over raw rows."""
    arg = f.children[0].duck() if f.children else None
    if f.kind == "count":
        return ["count(%s)" % ("*" if arg is None else ", ".join(c.duck() for c in f.children)
                               if len(f.children) == 1 else
                               "CASE WHEN %s THEN 1 END" % " AND ".join("%s IS NOT NULL" % c.duck() for c in f.children))]
    if f.kind == "sum":
        return [_sum_sql(arg, f.dataType)]
    if f.kind == "avg":
        t = f.children[0].dataType
        if isinstance(t, T.DecimalType):
            return ["sum(%s)" % arg, "count(%s)" % arg]
        return ["sum(CAST(%s AS DOUBLE))" % arg, "count(%s)" % arg]
    if f.kind in ("min", "max"):
        return ["%s(%s)" % (f.kind, arg)]
    if f.kind in MOMENT_KINDS:
        # one UDF call per group (DuckDB evaluates the repeated call once), three buffer columns
        update = _moments_update_sql(arg)
        return ["%s.%s" % (update, name) for name in MOMENT_FIELDS]
    if f.kind == "approx_count_distinct":
        # a map partition's HLL++ registers as the distinct (register, rank) codes it saw
        return ["coalesce(list(DISTINCT %s) FILTER (WHERE %s IS NOT NULL), [])" % (_hll_code(f), arg)]
    raise ValueError(f.kind)


def _moments_update_sql(arg, distinct=False):
    values = ("DISTINCT CAST(%s AS DOUBLE)" if distinct else "CAST(%s AS DOUBLE) ORDER BY __pos") % arg
    return "spark_moments_update(list(%s) FILTER (WHERE %s IS NOT NULL))" % (values, arg)


def _moments_result_sql(buffers_sql, kind):
    return "spark_moments_result(%s, '%s')" % (buffers_sql, kind)


def _hll_code(f):
    from .hyperloglog import precision, xxhash64_sql
    x = f.children[0]
    return "spark_hll_code(%s, %d)" % (xxhash64_sql(x.duck(), x.dataType, "42"),
                                       precision(f.children[1].value))


def _hll_estimate(f, codes):
    from .hyperloglog import precision
    return "spark_hll_estimate(%s, %d)" % (codes, precision(f.children[1].value))


def buffer_fields(f):
    """[(name, type)] of ``f``'s partial buffer as Spark names it (``aggBufferAttributes``), for
    the formatted explain; one per ``partial_sql`` column."""
    if f.kind == "count":
        return [("count", T.LongType())]
    if f.kind == "sum":
        return [("sum", f.dataType)]
    if f.kind == "avg":
        t = f.children[0].dataType
        return [("sum", f.dataType if isinstance(t, T.DecimalType) else T.DoubleType()), ("count", T.LongType())]
    if f.kind in MOMENT_KINDS:
        return [(name, T.DoubleType()) for name in MOMENT_FIELDS]
    if f.kind == "approx_count_distinct":
        return [("MS[0]", T.LongType())]
    return [(f.kind, f.dataType)]


def _sum_sql(arg, result_type):
    if isinstance(result_type, T.DecimalType):
        return "CAST(sum(%s) AS DECIMAL(38,%d))" % (arg, result_type.scale)
    if isinstance(result_type, T.LongType):
        return "CAST(sum(%s) AS BIGINT)" % arg
    return "sum(%s)" % arg


def final_sql(f, bufs):
    if f.kind == "count":
        return "CAST(coalesce(sum(%s), 0) AS BIGINT)" % bufs[0]
    if f.kind == "sum":
        return "CAST(%s AS %s)" % (_sum_sql(bufs[0], f.dataType), duck_type(f.dataType))
    if f.kind == "avg":
        if isinstance(f.dataType, T.DecimalType):
            return "CAST(sum(%s) / nullif(sum(%s), 0) AS %s)" % (bufs[0], bufs[1], duck_type(f.dataType))
        return "(sum(%s) / nullif(sum(%s), 0))" % (bufs[0], bufs[1])
    if f.kind in ("min", "max"):
        return "%s(%s)" % (f.kind, bufs[0])
    if f.kind in MOMENT_KINDS:
        buffers = "list({%s} ORDER BY __pos)" % ", ".join("'%s': %s" % (name, b) for name, b in zip(MOMENT_FIELDS, bufs))
        return _moments_result_sql(buffers, f.kind)
    if f.kind == "approx_count_distinct":
        return _hll_estimate(f, "coalesce(flatten(list(%s)), [])" % bufs[0])
    raise ValueError(f.kind)


def complete_sql(f):
    """The aggregate over raw rows in arrival order (``__pos``)."""
    args = [c.duck() for c in f.children]
    a = args[0] if args else None
    k = f.kind
    if k == "count":
        if not args:
            return "count(*)"
        if f.distinct:
            if len(args) == 1:
                return "count(DISTINCT %s)" % a
            return "count(DISTINCT CASE WHEN %s THEN row(%s) END)" % (
                " AND ".join("%s IS NOT NULL" % x for x in args), ", ".join(args))
        if len(args) == 1:
            return "count(%s)" % a
        return "count(CASE WHEN %s THEN 1 END)" % " AND ".join("%s IS NOT NULL" % x for x in args)
    if k == "sum" and not f.distinct:
        return "CAST(%s AS %s)" % (_sum_sql(a, f.dataType), duck_type(f.dataType))
    if k == "avg" and not f.distinct:
        if isinstance(f.dataType, T.DecimalType):
            return "CAST(avg(%s) AS %s)" % (a, duck_type(f.dataType))
        return "avg(CAST(%s AS DOUBLE))" % a
    if k in ("min", "max"):
        return "%s(%s)" % (k, a)
    if k in ("sum", "avg") and f.distinct:
        inner = "%s(DISTINCT %s)" % (k, a if k == "sum" or isinstance(f.dataType, T.DecimalType) else "CAST(%s AS DOUBLE)" % a)
        return "CAST(%s AS %s)" % (inner, duck_type(f.dataType))
    if k == "first":
        if f.ignore_nulls:
            return "first(%s ORDER BY __pos) FILTER (WHERE %s IS NOT NULL)" % (a, a)
        return "first(%s ORDER BY __pos)" % a
    if k == "last":
        if f.ignore_nulls:
            return "last(%s ORDER BY __pos) FILTER (WHERE %s IS NOT NULL)" % (a, a)
        return "last(%s ORDER BY __pos)" % a
    if k == "any_value":
        if f.ignore_nulls:
            return "first(%s ORDER BY __pos) FILTER (WHERE %s IS NOT NULL)" % (a, a)
        return "first(%s ORDER BY __pos)" % a
    if k == "collect_list":
        return "coalesce(list(%s ORDER BY __pos) FILTER (WHERE %s IS NOT NULL), CAST([] AS %s))" % (
            a, a, duck_type(f.dataType))
    if k == "collect_set":
        return "coalesce(list(DISTINCT %s) FILTER (WHERE %s IS NOT NULL), CAST([] AS %s))" % (
            a, a, duck_type(f.dataType))
    if k in MOMENT_KINDS:
        return _moments_result_sql("[%s]" % _moments_update_sql(a, f.distinct), k)
    if k == "count_if":
        return "count(CASE WHEN %s THEN 1 END)" % a
    if k == "bool_and":
        return "bool_and(%s)" % a
    if k == "bool_or":
        return "bool_or(%s)" % a
    if k == "approx_count_distinct":
        return _hll_estimate(f, "coalesce(list(%s) FILTER (WHERE %s IS NOT NULL), [])" % (_hll_code(f), a))
    if k == "product":
        return "product(CAST(%s AS DOUBLE))" % a
    if k in ("max_by", "min_by"):
        # Spark's max_by keeps the first row of the greatest order value, even when its value is NULL
        fn = "arg_max" if k == "max_by" else "arg_min"
        if len(args) == 2:
            return "%s_null(%s, %s)" % (fn, a, args[1])
        # the k values in order of their order value, ties in the order the rows came
        return "%s(%s, struct_pack(o := %s, p := %s__pos), %s) FILTER (WHERE %s IS NOT NULL)" % (
            fn, a, args[1], "-" if k == "max_by" else "", args[2], args[1])
    if k == "corr":
        # Spark's co-moment over the product of the moments (Corr.evaluateExpression)
        return ("CASE WHEN regr_count(%s, %s) = 0 OR regr_sxx(%s, %s) = 0 OR regr_syy(%s, %s) = 0 "
                "THEN NULL ELSE regr_sxy(%s, %s) / sqrt(regr_sxx(%s, %s) * regr_syy(%s, %s)) END"
                % ((a, args[1]) * 6))
    if k == "covar_samp":
        return "covar_samp(%s, %s)" % (a, args[1])
    if k == "covar_pop":
        return "covar_pop(%s, %s)" % (a, args[1])
    extra = _more_complete_sql(f, args)
    if extra is not None:
        return extra
    raise ValueError("aggregate %s is not supported" % k)


def _decimal_sum_parts(a):
    """A decimal column's sum as (whole part summed as a 128-bit integer, fraction summed as a
    decimal): neither overflows where the decimal sum itself would, so try_sum can see it."""
    return "sum(CAST(trunc(%s) AS HUGEINT))" % a, "sum(%s - trunc(%s))" % (a, a)


def _more_complete_sql(f, args):
    """The aggregates beyond the course list, over raw rows (complete mode)."""
    k = f.kind
    a = args[0] if args else None
    if k == "percentile":
        freq = f.children[2]
        x = "CAST(%s AS DOUBLE)" % a
        if getattr(freq, "value", None) == 1:
            return "quantile_cont(%s, %s)" % (x, args[1])
        # each value counted `frequency` times
        expanded = ("flatten(list(list_transform(range(CAST(%s AS BIGINT)), lambda i: %s)) FILTER (WHERE %s IS NOT NULL))"
                    % (args[2], x, a))
        return "CASE WHEN len(%s) = 0 THEN NULL ELSE list_aggregate(%s, 'quantile_cont', %s) END" % (
            expanded, expanded, args[1])
    if k == "percentile_approx":
        # Spark's GK summary answers with the sample at rank ceil(p * n) (its first sample for
        # p <= 1/accuracy, its last for p >= 1 - 1/accuracy); kept exact here
        ordered = "list_sort(list(%s) FILTER (WHERE %s IS NOT NULL))" % (a, a)

        def pick(q):
            return ("%s[CASE WHEN %s <= 1.0 / %s THEN 1 WHEN %s >= 1 - 1.0 / %s THEN count(%s) "
                    "ELSE greatest(CAST(ceil(%s * count(%s)) AS BIGINT), 1) END]"
                    % (ordered, q, args[2], q, args[2], a, q, a))
        if isinstance(f.dataType, T.ArrayType):
            ps = f.children[1]
            qs = [c.duck() for c in ps.children] if getattr(ps, "fname", None) == "array" else None
            if qs is None:
                qs = ["(%s)[%d]" % (args[1], i + 1) for i in range(len(ps.value or []))]
            return "CASE WHEN count(%s) = 0 THEN NULL ELSE [%s] END" % (a, ", ".join(pick(q) for q in qs))
        return "CASE WHEN count(%s) = 0 THEN NULL ELSE %s END" % (a, pick(args[1]))
    if k == "histogram_numeric":
        # bins over the rows in the order they came; x back in the column's type (truncated)
        xt = f.children[0].dataType
        bins = "spark_histogram_numeric(list(CAST(%s AS DOUBLE) ORDER BY __pos) FILTER (WHERE %s IS NOT NULL), %s)" % (
            a, a, args[1])
        x = "CAST(trunc(e.x) AS %s)" % duck_type(xt) if is_integral(xt) else "CAST(e.x AS %s)" % duck_type(xt)
        return "list_transform(%s, lambda e: struct_pack(x := %s, y := e.y))" % (bins, x)
    if k in ("bit_and", "bit_or", "bit_xor"):
        return "CAST(%s(%s) AS %s)" % (k, a, duck_type(f.dataType))
    if k == "regr_count":
        return "regr_count(%s, %s)" % (a, args[1])
    if k == "regr_r2":
        # Spark's RegrR2: NULL without x variance, 1 without y variance, else ck^2 / (xMk * yMk)
        y, x = a, args[1]
        return ("CASE WHEN regr_count(%s, %s) = 0 OR regr_sxx(%s, %s) = 0 THEN NULL WHEN regr_syy(%s, %s) = 0 "
                "THEN 1.0 ELSE regr_sxy(%s, %s) * regr_sxy(%s, %s) / (regr_sxx(%s, %s) * regr_syy(%s, %s)) END"
                % ((y, x) * 7))
    if k in ("regr_sxx", "regr_syy", "regr_sxy"):
        # the sums of squares and products over the complete pairs: exact on integral data, as
        # Spark's moment updates are
        y, x = "CAST(%s AS DOUBLE)" % a, "CAST(%s AS DOUBLE)" % args[1]
        u, v = {"regr_sxx": (x, x), "regr_syy": (y, y), "regr_sxy": (y, x)}[k]
        both = "%s IS NOT NULL AND %s IS NOT NULL" % (a, args[1])
        return ("CASE WHEN count(*) FILTER (WHERE %s) = 0 THEN NULL ELSE sum(%s * %s) FILTER (WHERE %s) - "
                "sum(%s) FILTER (WHERE %s) * sum(%s) FILTER (WHERE %s) / count(*) FILTER (WHERE %s) END"
                % (both, u, v, both, u, both, v, both, both))
    if k in ("regr_slope", "regr_intercept"):
        # NULL without x variance (a single point), as Spark's RegrSlope / RegrIntercept
        y, x = a, args[1]
        return "CASE WHEN regr_sxx(%s, %s) = 0 THEN NULL ELSE %s(CAST(%s AS DOUBLE), CAST(%s AS DOUBLE)) END" % (
            y, x, k, y, x)
    if k.startswith("regr_"):
        return "%s(CAST(%s AS DOUBLE), CAST(%s AS DOUBLE))" % (k, a, args[1])
    if k == "try_sum":
        t = f.dataType
        if isinstance(t, T.DecimalType):
            whole, frac = _decimal_sum_parts(a)
            # past the result type's precision is an overflow: NULL
            return "CASE WHEN abs(%s + CAST(%s AS DOUBLE)) < 1e%d THEN CAST(CAST(%s AS DECIMAL(38,%d)) + %s AS %s) END" % (
                whole, frac, t.precision - t.scale, whole, t.scale, frac, duck_type(t))
        if isinstance(t, T.LongType):
            total = "sum(CAST(%s AS HUGEINT))" % a
            return "CAST(CASE WHEN %s BETWEEN -9223372036854775808 AND 9223372036854775807 THEN %s END AS BIGINT)" % (
                total, total)
        return "sum(CAST(%s AS DOUBLE))" % a
    if k == "try_avg":
        t = f.dataType
        if isinstance(t, T.DecimalType):
            it = f.children[0].dataType
            whole, frac = _decimal_sum_parts(a)
            mean = "((CAST(%s AS DOUBLE) + CAST(%s AS DOUBLE)) / count(%s))" % (whole, frac, a)
            # NULL when the sum overflows its buffer or the mean its result type
            return ("CASE WHEN abs(%s + CAST(%s AS DOUBLE)) < 1e%d AND abs(%s) < 1e%d THEN "
                    "CAST(CAST(CAST(%s AS DECIMAL(38,%d)) + %s AS DOUBLE) / count(%s) AS %s) END"
                    % (whole, frac, min(38, it.precision + 10) - it.scale, mean, t.precision - t.scale,
                       whole, it.scale, frac, a, duck_type(t)))
        return "avg(CAST(%s AS DOUBLE))" % a
    if k == "mode" and not f.children[1].value:
        # the most frequent value; among equally frequent ones the first met
        return "mode(%s ORDER BY __pos)" % a
    if k == "mode":
        # deterministic: among equally frequent values the smallest
        return ("list_min(list_transform(map_entries(histogram(%s) FILTER (WHERE %s IS NOT NULL)), "
                "lambda e: struct_pack(n := -CAST(e.value AS BIGINT), v := e.key))).v" % (a, a))
    if k == "listagg":
        sep = args[1]
        if isinstance(f.dataType, T.BinaryType):
            # bytes joined as their hex digits (DuckDB's string_agg takes text only)
            return "unhex(string_agg(%shex(%s), coalesce(hex(%s), '')%s))" % (
                "DISTINCT " if f.distinct else "", a, sep, "" if f.distinct else " ORDER BY __pos")
        if f.distinct:
            return "string_agg(DISTINCT %s, coalesce(%s, ''))" % (a, sep)
        return "string_agg(%s, coalesce(%s, '') ORDER BY __pos)" % (a, sep)
    return None


def needs_sort_aggregate(f):
    """Spark plans SortAggregate when a buffer is not fixed-width (min/max/first/last of a string...)."""
    if f.kind in ("min", "max", "first", "last", "any_value", "max_by", "min_by"):
        t = f.dataType
        return not (isinstance(t, (T.NumericType, T.BooleanType, T.DateType, T.TimestampType, T.TimestampNTZType))
                    and not (isinstance(t, T.DecimalType) and t.precision > 18))
    return False


def window_agg_sql(f):
    """An aggregate used as a window function: the bare call that takes ``OVER``, and the type
    its result is cast to afterwards."""
    args = [c.duck() for c in f.children]
    a = args[0] if args else None
    k = f.kind
    if k == "count":
        if not args:
            return "count(*)"
        return "count(%s%s)" % ("DISTINCT " if f.distinct else "", a)
    if k == "avg":
        return "avg(CAST(%s AS DOUBLE))" % a if not isinstance(f.dataType, T.DecimalType) else "avg(%s)" % a
    if k in ("sum", "min", "max"):
        return "%s(%s)" % (k, a)
    if k in ("first", "last", "any_value"):
        fn = "first" if k != "last" else "last"
        if f.ignore_nulls or k == "any_value":
            return "%s(%s IGNORE NULLS)" % (fn, a)
        return "%s(%s)" % (fn, a)
    if k == "collect_list":
        return "list(%s) FILTER (WHERE %s IS NOT NULL)" % (a, a)
    if k == "collect_set":
        return "list(DISTINCT %s) FILTER (WHERE %s IS NOT NULL)" % (a, a)
    if k in ("stddev_samp", "stddev_pop", "var_samp", "var_pop"):
        return "%s(CAST(%s AS DOUBLE))" % (k, a)
    if k == "nth_value":
        return "nth_value(%s, %s%s)" % (a, args[1], " IGNORE NULLS" if f.ignore_nulls else "")
    return complete_sql(f)


def result_type_sum(t):
    if is_integral(t):
        return T.LongType()
    if isinstance(t, T.DecimalType):
        return T.DecimalType(min(38, t.precision + 10), t.scale)
    return T.DoubleType()


# --------------------------------------------------------------------------------------------
# Spark's CentralMomentAgg, registered in each executor's DuckDB connection (engine.py)


def moments_update(values, buffer=(0.0, 0.0, 0.0, 0.0, 0.0)):
    """Spark's update of an ``(n, avg, m2, m3, m4)`` buffer by each value in turn (NULLs skipped).
    Spark leaves m3 and m4 at zero for variance and stddev; they never feed m2, so computing
    them for every kind changes no digit of those.

    >>> moments_update([40.3])
    (1.0, 40.3, 0.0, 0.0, 0.0)
    >>> moments_update([1.0, 2.0, None, 4.0])[0]
    3.0
    """
    n, avg, m2, m3, m4 = buffer
    for x in values:
        if x is None:
            continue
        new_n = n + 1.0
        delta = x - avg
        delta_n = delta / new_n
        avg = avg + delta_n
        m2 = m2 + delta * (delta - delta_n)
        delta2, delta_n2 = delta * delta, delta_n * delta_n
        m3 = m3 - 3.0 * delta_n * m2 + delta * (delta2 - delta_n2)
        m4 = m4 - 4.0 * delta_n * m3 - 6.0 * delta_n2 * m2 + delta * (delta * delta2 - delta_n * delta_n2)
        n = new_n
    return n, avg, m2, m3, m4


def moments_merge(buffers):
    """Spark's merge of partial ``(n, avg, m2, m3, m4)`` buffers, in the given (map partition)
    order, into the final aggregate's initial buffer.

    >>> import math; math.sqrt(moments_merge([moments_update([x]) for x in (40.3, 37.8, 44.1)])[2] / 2)
    3.1722757341273704
    """
    n1, avg1, m2_1, m3_1, m4_1 = 0.0, 0.0, 0.0, 0.0, 0.0
    for n2, avg2, m2_2, m3_2, m4_2 in buffers:
        n = n1 + n2
        delta = avg2 - avg1
        delta_n = 0.0 if n == 0.0 else delta / n
        avg1 = avg1 + delta_n * n2
        m2 = m2_1 + m2_2 + delta * delta_n * n1 * n2
        m3 = (m3_1 + m3_2 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2)
              + 3.0 * delta_n * (n1 * m2_2 - n2 * m2_1))
        m4_1 = (m4_1 + m4_2 + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2)
                + 6.0 * delta_n * delta_n * (n1 * n1 * m2_2 + n2 * n2 * m2_1)
                + 4.0 * delta_n * (n1 * m3_2 - n2 * m3_1))
        m2_1, m3_1, n1 = m2, m3, n
    return n1, avg1, m2_1, m3_1, m4_1


def moments_result(buffer, kind):
    """The value of ``kind`` from a merged buffer: NULL without rows, and (Spark 4) NULL for a
    sample statistic of one row.

    >>> moments_result((3.0, 2.0, 2.0, 0.0, 0.0), "var_samp"), moments_result((1.0, 5.0, 0.0, 0.0, 0.0), "stddev_samp")
    (1.0, None)
    """
    import math
    n, _, m2, m3, m4 = buffer
    if n == 0.0:
        return None
    if kind in ("skewness", "kurtosis"):
        # a zero variance divides by zero: NULL, as Spark 4 gives it
        if m2 == 0.0:
            return None
        return math.sqrt(n) * m3 / math.sqrt(m2 * m2 * m2) if kind == "skewness" else n * m4 / (m2 * m2) - 3.0
    if kind.endswith("_samp"):
        if n == 1.0:
            return None
        value = m2 / (n - 1.0)
    else:
        value = m2 / n
    return math.sqrt(value) if kind.startswith("stddev") else value


def _list_values(lists):
    """Each entry of an Arrow list array as a Python list (None for a NULL list)."""
    if hasattr(lists, "combine_chunks"):
        lists = lists.combine_chunks()
    offsets = lists.offsets.to_pylist()
    values = lists.values.to_pylist()
    valid = lists.is_valid().to_pylist()
    return [values[offsets[i]:offsets[i + 1]] if valid[i] else None for i in range(len(lists))]


def arrow_moments_update(lists):
    """DuckDB vectorized UDF: a buffer struct per list of doubles."""
    import pyarrow as pa
    out = [dict(zip(MOMENT_FIELDS, moments_update(xs or ()))) for xs in _list_values(lists)]
    return pa.array(out, _moments_struct())


def arrow_moments_result(lists, kinds):
    """DuckDB vectorized UDF: the statistic of each list of partial buffers, merged in order."""
    import pyarrow as pa
    kinds = kinds.to_pylist()
    out = []
    for i, bufs in enumerate(_list_values(lists)):
        merged = moments_merge(tuple(b[name] for name in MOMENT_FIELDS) for b in bufs or () if b is not None)
        out.append(moments_result(merged, kinds[i]))
    return pa.array(out, pa.float64())


def _moments_struct():
    import pyarrow as pa
    return pa.struct([(name, pa.float64()) for name in MOMENT_FIELDS])
