"""``df.na``, ``df.stat``, ``describe`` and ``summary``: built from ordinary DataFrame operations
(projections of ``coalesce``/``CASE``, one aggregate per statistic), so they plan and run like any
other query.

>>> df = spark.createDataFrame([(1, None), (None, "x")], "a int, b string")
>>> df.na.fill(0).collect()
[Row(a=1, b=None), Row(a=0, b='x')]
"""

import math

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


# --------------------------------------------------------------------------------------------
# approxQuantile, crosstab, freqItems


class QuantileSummaries:
    """Spark's Greenwald-Khanna summary (``QuantileSummaries``): values are buffered, inserted
    in sorted runs with an uncertainty ``delta`` of ``floor(2 * relativeError * count)``, and
    samples whose combined ``g + delta`` stays under the merge threshold are compressed into one;
    summaries of partitions merge as Spark merges them, so the answers are Spark's.

    >>> s = QuantileSummaries(0.05)
    >>> for v in [5.0, 1.0, 4.0, 2.0, 3.0]:
    ...     s.insert(v)
    >>> s.compress().query([0.0, 0.5, 1.0])
    [1.0, 3.0, 5.0]
    """

    COMPRESS_THRESHOLD = 10000
    HEAD_SIZE = 50000

    def __init__(self, relative_error, sampled=None, count=0):
        self.relative_error = relative_error
        self.sampled = sampled or []  # [value, g, delta]
        self.count = count
        self.head = []

    def insert(self, x):
        self.head.append(x)
        if len(self.head) >= self.HEAD_SIZE:
            inserted = self._with_head_inserted()
            self.sampled, self.count, self.head = inserted.sampled, inserted.count, []
            if len(self.sampled) >= self.COMPRESS_THRESHOLD:
                compressed = self.compress()
                self.sampled, self.count = compressed.sampled, compressed.count

    def _with_head_inserted(self):
        if not self.head:
            return self
        count = self.count
        ordered = sorted(self.head)
        sampled = self.sampled
        out = []
        si = 0
        for oi, x in enumerate(ordered):
            while si < len(sampled) and sampled[si][0] <= x:
                out.append(sampled[si])
                si += 1
            count += 1
            if not out or (si == len(sampled) and oi == len(ordered) - 1):
                delta = 0
            else:
                delta = int(math.floor(2 * self.relative_error * count))
            out.append([x, 1, delta])
        out.extend(sampled[si:])
        return QuantileSummaries(self.relative_error, out, count)

    def compress(self):
        inserted = self._with_head_inserted()
        return QuantileSummaries(self.relative_error,
                                 _compress_samples(inserted.sampled, 2 * self.relative_error * inserted.count),
                                 inserted.count)

    def merge(self, other):
        if other.count == 0:
            return QuantileSummaries(self.relative_error, list(self.sampled), self.count)
        if self.count == 0:
            return QuantileSummaries(other.relative_error, list(other.sampled), other.count)
        error = max(self.relative_error, other.relative_error)
        count = self.count + other.count
        add_self = int(math.floor(2 * other.relative_error * other.count))
        add_other = int(math.floor(2 * self.relative_error * self.count))
        a, b = self.sampled, other.sampled
        i = j = 0
        merged = []
        while i < len(a) and j < len(b):
            if a[i][0] < b[j][0]:
                s, extra = a[i], add_self if j > 0 else 0
                i += 1
            else:
                s, extra = b[j], add_other if i > 0 else 0
                j += 1
            merged.append([s[0], s[1], s[2] + extra])
        merged.extend(a[i:])
        merged.extend(b[j:])
        return QuantileSummaries(error, _compress_samples(merged, 2 * error * count), count)

    def query(self, percentiles):
        if not self.sampled:
            return []
        sampled = self.sampled
        target = max(s[2] + s[1] for s in sampled) // 2
        result = [0.0] * len(percentiles)
        index, min_rank = 0, sampled[0][1]
        for p, pos in sorted((p, pos) for pos, p in enumerate(percentiles)):
            # the extremes within the error bound are the minimum and the maximum themselves
            if p <= self.relative_error:
                result[pos] = sampled[0][0]
                continue
            if p >= 1 - self.relative_error:
                result[pos] = sampled[-1][0]
                continue
            rank = math.ceil(p * self.count)
            i, cur = index, sampled[index]
            while i < len(sampled) - 1:
                if min_rank + cur[2] - target <= rank <= min_rank + target:
                    break
                i += 1
                cur = sampled[i]
                min_rank += cur[1]
            index = i
            result[pos] = cur[0]
        return result


def _compress_samples(samples, threshold):
    if not samples:
        return []
    out = []
    head = list(samples[-1])
    i = len(samples) - 2
    while i >= 1:
        s = samples[i]
        if s[1] + head[1] + head[2] < threshold:
            head[1] += s[1]
        else:
            out.append(head)
            head = list(s)
        i -= 1
    out.append(head)
    if samples[0][0] <= head[0] and len(samples) > 1:
        out.append(list(samples[0]))
    out.reverse()
    return out


def approx_quantile(df, col, probabilities, relative_error):
    """``DataFrame.approxQuantile``: one summary per column and partition (nulls and NaN
    skipped), merged in partition order, then queried."""
    from ..errors import IllegalArgumentException, PySparkTypeError, PySparkValueError
    if not isinstance(col, (str, list, tuple)):
        raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
            "arg_name": "col", "expected_type": "list, str or tuple", "arg_type": type(col).__name__})
    single = isinstance(col, str)
    cols = [col] if single else list(col)
    for c in cols:
        if not isinstance(c, str):
            raise PySparkTypeError(errorClass="DISALLOWED_TYPE_FOR_CONTAINER", messageParameters={
                "arg_name": "col", "arg_type": type(col).__name__, "allowed_types": "str",
                "item_type": type(c).__name__})
    if not isinstance(probabilities, (list, tuple)):
        raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
            "arg_name": "probabilities", "expected_type": "list or tuple",
            "arg_type": type(probabilities).__name__})
    for p in probabilities:
        if not isinstance(p, (float, int)) or p < 0 or p > 1:
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "arg_name": "probabilities", "expected_type": "list[float, int]", "arg_type": type(p).__name__})
    if not isinstance(relative_error, (float, int)):
        raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
            "expected_type": "float or int", "arg_name": "relativeError",
            "arg_type": type(relative_error).__name__})
    if relative_error < 0:
        raise PySparkValueError(errorClass="NEGATIVE_VALUE", messageParameters={
            "arg_name": "relativeError", "arg_value": str(relative_error)})
    types = {a.name.lower(): a.dataType for a in df._plan.output}
    for c in cols:
        t = types.get(c.lower())
        if t is not None and not is_numeric(t):
            raise IllegalArgumentException(
                "requirement failed: Quantile calculation for column %s with data type %s is not supported."
                % (c, _scala_type_name(t)))
    error = float(relative_error)
    selected = df.select(*[col_of(_quote(c)).cast("double") for c in cols])
    n = len(cols)

    def summarize(rows):
        sums = [QuantileSummaries(error) for _ in range(n)]
        for r in rows:
            for i in range(n):
                v = r[i]
                if v is not None and v == v:
                    sums[i].insert(v)
        yield [s.compress() for s in sums]
    parts = selected.rdd.mapPartitions(summarize).collect()
    merged = [QuantileSummaries(error) for _ in range(n)]
    for part in parts:
        merged = [m.compress().merge(p) for m, p in zip(merged, part)]
    out = [m.query([float(p) for p in probabilities]) for m in merged]
    return out[0] if single else out


def _scala_type_name(t):
    """A DataType as Scala's toString prints it (``StringType``)."""
    return type(t).__name__


def crosstab(df, col1, col2):
    """The pair-wise frequency table of two columns, built as Spark 4 builds it: ``col1`` as a
    string grouped, pivoted on ``col2`` as a string (its distinct values sorted, back-ticks
    dropped), counted, and absent pairs filled with 0."""
    from ..errors import PySparkTypeError
    for name, c in (("col1", col1), ("col2", col2)):
        if not isinstance(c, str):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "arg_name": name, "expected_type": "str", "arg_type": type(c).__name__})
    c1, c2 = col_of(_quote(col1)), col_of(_quote(col2))
    name = "%s_%s" % (col1, col2)
    keyed = df.select(F.when(c1.isNull(), F.lit("null")).otherwise(c1.cast("string")).alias(name),
                      F.when(c2.isNull(), F.lit("null")).otherwise(
                          F.regexp_replace(c2.cast("string"), "`", "")).alias("__pivot_col"))
    values = [r[0] for r in keyed.select("__pivot_col").distinct().orderBy("__pivot_col").limit(10001).collect()]
    if len(values) > 10000:
        from ..errors import IllegalArgumentException
        raise IllegalArgumentException(
            "requirement failed: The number of distinct values for %s, can't exceed 1e4." % col2)
    table = keyed.groupBy(_quote(name)).pivot("__pivot_col", values).count()
    return table.select(table.columns[0], *[F.coalesce(table[_quote(c)], F.lit(0)).alias(c)
                                           for c in table.columns[1:]])


def freq_items(df, cols, support=None):
    """Items that may occur in more than ``support`` of the rows, per column: Karp, Schenker and
    Papadimitriou's counting over at most ``1 / support`` candidates per partition, the
    partitions' candidates then merged in partition order, each map iterated in the order of
    the Scala hash map Spark keeps them in (which decides both the survivors and the output
    order)."""
    from ..errors import PySparkTypeError
    if isinstance(cols, tuple):
        cols = list(cols)
    if not isinstance(cols, list):
        raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
            "arg_name": "cols", "expected_type": "list or tuple", "arg_type": type(cols).__name__})
    if not support:
        support = 0.01
    if not 1e-4 <= support <= 1.0:
        from ..errors import IllegalArgumentException
        from .show import java_double_to_string
        raise IllegalArgumentException(
            "requirement failed: Support must be in [1e-4, 1], but got %s." % java_double_to_string(float(support)))
    size = int(1 / support)
    n = len(cols)
    selected = df.select(*[col_of(_quote(c)) for c in cols])
    types = [a.dataType for a in selected._plan.output]

    def count_partition(rows):
        maps = [_ScalaCounter(size, t) for t in types]
        for r in rows:
            for i in range(n):
                maps[i].add(_hashable(r[i]), 1)
        yield [m.ordered_items() for m in maps]
    merged = [_ScalaCounter(size, t) for t in types]
    for part in selected.rdd.mapPartitions(count_partition).collect():
        for m, t, items in zip(merged, types, part):
            # the partial buffer arrives serialized and is read back into a map of its own
            received = _ScalaCounter(size, t)
            for k, v in items:
                received.update(k, v)
            for k, v in received.ordered_items():
                m.add(k, v)
    fields = [T.StructField("%s_freqItems" % c, T.ArrayType(t, True), False) for c, t in zip(cols, types)]
    row = tuple([_unhashable(k) for k, _ in m.ordered_items()] for m in merged)
    return df.sparkSession.createDataFrame([row], T.StructType(fields))


_M32 = 0xFFFFFFFF


def _signed(x):
    x &= _M32
    return x - (1 << 32) if x & 0x80000000 else x


def _jvm_hash(v, t):
    """``##`` of the value Spark keeps for a ``t`` value (UTF8String, boxed numbers), or None
    for types whose hash is not reproduced here."""
    import struct
    if v is None:
        return 0
    if isinstance(t, T.StringType):
        from .murmur3 import hash_bytes
        return _signed(hash_bytes(v.encode("utf-8")))
    if isinstance(t, T.BooleanType):
        return 1231 if v else 1237
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType)):
        return v
    if isinstance(t, T.LongType):
        return v if -2 ** 31 <= v < 2 ** 31 else _signed((v & (2 ** 64 - 1)) ^ ((v & (2 ** 64 - 1)) >> 32))
    if isinstance(t, T.DoubleType):
        if v == v and -2 ** 31 <= v < 2 ** 31 and v == int(v):
            return int(v)
        bits = struct.unpack(">Q", struct.pack(">d", v))[0]
        if v == v and abs(v) < 2 ** 63 and v == int(v):
            bits = int(v) & (2 ** 64 - 1)
        elif v == v and struct.unpack(">f", struct.pack(">f", v))[0] == v:
            return _signed(struct.unpack(">I", struct.pack(">f", v))[0])
        elif v != v:
            bits = 0x7FF8000000000000
        return _signed(bits ^ (bits >> 32))
    return None


class _ScalaCounter:
    """A frequent-items candidate map as Spark keeps it: a Scala ``mutable.HashMap`` sized for
    ``size + 1`` entries, so its iteration order (bucket of the spread hash, then hash) can be
    reproduced."""

    def __init__(self, size, data_type):
        self.size = size
        self.type = data_type
        self.counts = {}
        self.capacity = 16

    def update(self, key, count):
        if len(self.counts) + 1 >= int(self.capacity * 0.75):
            self.capacity *= 2
        self.counts[key] = count

    def add(self, key, count):
        counts = self.counts
        if key in counts:
            self.update(key, counts[key] + count)
        elif len(counts) < self.size:
            self.update(key, count)
        else:
            least = min(counts.values()) if counts else 0
            if count - least >= 0:
                self.update(key, count)
                self.counts = {k: v - least for k, v in self.counts.items() if v > least}
            else:
                self.counts = {k: v - count for k, v in counts.items()}

    def ordered_items(self):
        hashes = {}
        for k in self.counts:
            h = _jvm_hash(_unhashable(k), self.type)
            if h is None:
                return list(self.counts.items())
            hashes[k] = _signed(h ^ ((h & _M32) >> 16))
        mask = self.capacity - 1
        return sorted(self.counts.items(), key=lambda kv: (hashes[kv[0]] & mask, hashes[kv[0]]))


def _hashable(v):
    if isinstance(v, list):
        return ("__list", tuple(_hashable(x) for x in v))
    if isinstance(v, dict):
        return ("__dict", tuple((_hashable(k), _hashable(x)) for k, x in v.items()))
    return v


def _unhashable(v):
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "__list":
        return [_unhashable(x) for x in v[1]]
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "__dict":
        return {_unhashable(k): _unhashable(x) for k, x in v[1]}
    return v
