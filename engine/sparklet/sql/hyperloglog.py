"""``approx_count_distinct`` as Spark computes it: HyperLogLog++ over Spark's XxHash64 (seed 42).

Spark hashes each value with ``XxHash64Function`` (ints, dates and booleans as 4 bytes, longs,
timestamps and doubles as 8, strings and binary as their bytes, a struct's fields chained through
the seed), keeps ``m = 2^p`` registers (``p = ceil(2 log2(1.106 / rsd))``) and sets register
``h >>> (64 - p)`` to the largest ``numberOfLeadingZeros((h << p) | 2^(p-1)) + 1`` seen. Here a
row's (register, rank) is the code ``register * 64 + rank``; a map partition's buffer is its
distinct codes, merged after the exchange, and the estimate is HLL++'s: linear counting while it
is below Spark's threshold for ``p``, else the raw estimate ``alpha m^2 / sum(2^-M)``. Spark also
subtracts an empirical bias between the threshold and ``5 m``; Sparklet does not carry those
tables, so there its estimate can differ from Spark's by that bias.

>>> import numpy as np
>>> int(hash_long(np.array([0], dtype=np.int64), 42)[0])  # Spark: xxhash64(CAST(0 AS BIGINT))
-5252525462095825812
>>> estimate([code for code in codes(hash_long(np.arange(3, dtype=np.int64), 42), 9)], 9)
3
"""

import math

import numpy as np

P1 = np.uint64(0x9E3779B185EBCA87)
P2 = np.uint64(0xC2B2AE3D27D4EB4F)
P3 = np.uint64(0x165667B19E3779F9)
P4 = np.uint64(0x85EBCA77C2B2AE63)
P5 = np.uint64(0x27D4EB2F165667C5)
_MASK = (1 << 64) - 1
#: Spark's linear-counting thresholds for p = 4 .. 18
THRESHOLDS = [10, 20, 40, 80, 220, 400, 900, 1800, 3100, 6500, 11500, 20000, 50000, 120000, 350000]


def precision(rsd=0.05):
    """The number of index bits ``p`` Spark derives from the relative standard deviation."""
    return int(math.ceil(2.0 * math.log(1.106 / rsd) / math.log(2.0)))


def _rotl(x, r):
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


def _fmix(h):
    h = h ^ (h >> np.uint64(33))
    h = h * P2
    h = h ^ (h >> np.uint64(29))
    h = h * P3
    return h ^ (h >> np.uint64(32))


def _seed(seed):
    return np.asarray(seed, dtype=np.int64).astype(np.uint64)


def hash_int(values, seed):
    """XXH64 of 4-byte values (int32 array), per-row or scalar seeds; int64 hashes."""
    with np.errstate(over="ignore"):
        v = np.asarray(values, dtype=np.int64).astype(np.uint64) & np.uint64(0xFFFFFFFF)
        h = _seed(seed) + P5 + np.uint64(4)
        h = h ^ (v * P1)
        h = _rotl(h, 23) * P2 + P3
        return _fmix(h).astype(np.int64)


def hash_long(values, seed):
    """XXH64 of 8-byte values (int64 array), per-row or scalar seeds; int64 hashes."""
    with np.errstate(over="ignore"):
        v = np.asarray(values, dtype=np.int64).astype(np.uint64)
        h = _seed(seed) + P5 + np.uint64(8)
        h = h ^ (_rotl(v * P2, 31) * P1)
        h = _rotl(h, 27) * P1 + P4
        return _fmix(h).astype(np.int64)


def _rotl_int(x, r):
    return ((x << r) | (x >> (64 - r))) & _MASK


def _round(acc, lane):
    acc = (acc + lane * 0xC2B2AE3D27D4EB4F) & _MASK
    return (_rotl_int(acc, 31) * 0x9E3779B185EBCA87) & _MASK


def hash_bytes(data, seed):
    """XXH64 of a byte string (Spark's ``hashUnsafeBytes``), as a signed 64-bit int."""
    p1, p2, p3, p4, p5 = (int(P1), int(P2), int(P3), int(P4), int(P5))
    seed &= _MASK
    n, i = len(data), 0
    if n >= 32:
        v1, v2, v3, v4 = (seed + p1 + p2) & _MASK, (seed + p2) & _MASK, seed, (seed - p1) & _MASK
        while i <= n - 32:
            v1 = _round(v1, int.from_bytes(data[i:i + 8], "little"))
            v2 = _round(v2, int.from_bytes(data[i + 8:i + 16], "little"))
            v3 = _round(v3, int.from_bytes(data[i + 16:i + 24], "little"))
            v4 = _round(v4, int.from_bytes(data[i + 24:i + 32], "little"))
            i += 32
        h = (_rotl_int(v1, 1) + _rotl_int(v2, 7) + _rotl_int(v3, 12) + _rotl_int(v4, 18)) & _MASK
        for v in (v1, v2, v3, v4):
            h = ((h ^ _round(0, v)) * p1 + p4) & _MASK
    else:
        h = (seed + p5) & _MASK
    h = (h + n) & _MASK
    while i <= n - 8:
        h ^= _round(0, int.from_bytes(data[i:i + 8], "little"))
        h = (_rotl_int(h, 27) * p1 + p4) & _MASK
        i += 8
    if i <= n - 4:
        h ^= (int.from_bytes(data[i:i + 4], "little") * p1) & _MASK
        h = (_rotl_int(h, 23) * p2 + p3) & _MASK
        i += 4
    while i < n:
        h ^= (data[i] * p5) & _MASK
        h = (_rotl_int(h, 11) * p1) & _MASK
        i += 1
    h ^= h >> 33
    h = (h * p2) & _MASK
    h ^= h >> 29
    h = (h * p3) & _MASK
    h ^= h >> 32
    return h - (1 << 64) if h >= 1 << 63 else h


def codes(hashes, p):
    """Each hash's register and rank as ``register * 64 + rank``."""
    with np.errstate(over="ignore"):
        h = np.asarray(hashes, dtype=np.int64).astype(np.uint64)
        idx = (h >> np.uint64(64 - p)).astype(np.int64)
        w = (h << np.uint64(p)) | np.uint64(1 << (p - 1))
        # numberOfLeadingZeros of a non-zero word: 63 - floor(log2(w))
        nlz = 63 - np.floor(np.log2(w.astype(np.float64))).astype(np.int64)
        # float rounding can overstate log2 just below a power of two
        nlz = np.where((w >> np.uint64(63 - nlz)) == 0, nlz + 1, nlz)
        return idx * 64 + nlz + 1


def estimate(codes_seen, p):
    """HLL++'s cardinality estimate from the (register, rank) codes seen."""
    m = 1 << p
    registers = {}
    for c in codes_seen:
        if c is None:
            continue
        r, rank = divmod(int(c), 64)
        if rank > registers.get(r, 0):
            registers[r] = rank
    zeros = m - len(registers)
    z = zeros + math.fsum(2.0 ** -rank for rank in registers.values())
    alpha = {4: 0.673, 5: 0.697, 6: 0.709}.get(p, 0.7213 / (1 + 1.079 / m))
    e = alpha * m * m / z
    if zeros > 0:
        lc = m * math.log(m / zeros)
        if lc <= THRESHOLDS[p - 4]:
            return int(math.floor(lc + 0.5))
    return int(math.floor(e + 0.5))


def xxhash64_sql(x, data_type, seed):
    """DuckDB SQL hashing ``x`` (of Spark type ``data_type``) as Spark's XxHash64Function does,
    chained from ``seed`` (SQL); a NULL leaves the seed as it is. Uses the engine's
    ``spark_xxh64_*`` functions (``engine._register_builtins``)."""
    from . import types as T
    if isinstance(data_type, (T.BooleanType, T.ByteType, T.ShortType, T.IntegerType)):
        return "spark_xxh64_int(CAST(%s AS INTEGER), %s)" % (x, seed)
    if isinstance(data_type, T.DateType):
        return "spark_xxh64_int(CAST(%s - DATE '1970-01-01' AS INTEGER), %s)" % (x, seed)
    if isinstance(data_type, T.LongType):
        return "spark_xxh64_long(%s, %s)" % (x, seed)
    if isinstance(data_type, (T.TimestampType, T.TimestampNTZType)):
        return "spark_xxh64_long(epoch_us(%s), %s)" % (x, seed)
    if isinstance(data_type, T.FloatType):
        return "spark_xxh64_float(%s, %s)" % (x, seed)
    if isinstance(data_type, T.DoubleType):
        return "spark_xxh64_double(%s, %s)" % (x, seed)
    if isinstance(data_type, T.DecimalType) and data_type.precision <= 18:
        return "spark_xxh64_long(CAST(%s * %s AS BIGINT), %s)" % (x, 10 ** data_type.scale, seed)
    if isinstance(data_type, T.BinaryType):
        return "spark_xxh64_bytes(%s, %s)" % (x, seed)
    if isinstance(data_type, T.StructType):
        h = seed
        for f in data_type.fields:
            field = "struct_extract(%s, '%s')" % (x, f.name.replace("'", "''"))
            h = xxhash64_sql(field, f.dataType, h)
        return "CASE WHEN %s IS NULL THEN %s ELSE %s END" % (x, seed, h)
    return "spark_xxh64_string(CAST(%s AS VARCHAR), %s)" % (x, seed)


def register_functions(con):
    """The ``spark_xxh64_*`` hashes and the HLL++ code and estimate as DuckDB functions."""
    import duckdb.sqltypes as st
    import pyarrow as pa

    def vectorized(fn):
        def run(values, seeds):
            v = values.to_numpy(zero_copy_only=False)
            s = seeds.to_numpy(zero_copy_only=False)
            valid = ~np.asarray(values.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            s = np.broadcast_to(np.asarray(s, dtype=np.int64), v.shape)
            out = np.array(s, dtype=np.int64)
            if valid.any():
                out[valid] = fn(v[valid], s[valid])
            return pa.array(out, pa.int64())
        return run

    def double_bits(v):
        d = np.asarray(v, dtype=np.float64) + 0.0  # -0.0 hashes as 0.0
        d = np.where(np.isnan(d), np.float64("nan"), d)
        return d.view(np.int64)

    def float_bits(v):
        f = np.asarray(v, dtype=np.float32) + np.float32(0.0)
        f = np.where(np.isnan(f), np.float32("nan"), f).astype(np.float32)
        return f.view(np.int32).astype(np.int64)

    def per_value(encode):
        def run(values, seeds):
            seeds = seeds.to_pylist()
            if len(seeds) == 1 and len(values) > 1:
                seeds = seeds * len(values)
            return pa.array([s if v is None else hash_bytes(encode(v), s) for v, s in zip(values.to_pylist(), seeds)],
                            pa.int64())
        return run

    for name, arg, fn in (("spark_xxh64_int", st.INTEGER, vectorized(hash_int)),
                          ("spark_xxh64_long", st.BIGINT, vectorized(hash_long)),
                          ("spark_xxh64_double", st.DOUBLE, vectorized(lambda v, s: hash_long(double_bits(v), s))),
                          ("spark_xxh64_float", st.FLOAT, vectorized(lambda v, s: hash_int(float_bits(v), s))),
                          ("spark_xxh64_string", st.VARCHAR, per_value(lambda v: v.encode("utf-8"))),
                          ("spark_xxh64_bytes", st.BLOB, per_value(bytes))):
        con.create_function(name, fn, [arg, st.BIGINT], st.BIGINT, type="arrow", null_handling="special",
                            side_effects=False)

    def hll_code(hashes, p):
        h = hashes.to_numpy(zero_copy_only=False)
        return pa.array(codes(np.asarray(h, dtype=np.int64), int(p[0].as_py())), pa.int64())

    con.create_function("spark_hll_code", hll_code, [st.BIGINT, st.INTEGER], st.BIGINT, type="arrow",
                        side_effects=False)

    def hll_estimate(seen, p):
        return None if p is None else estimate(seen or [], p)

    def histogram(values, nbins):
        if values is None or nbins is None or not values:
            return None
        return [{"x": x, "y": y} for x, y in numeric_histogram(values, nbins)]

    import duckdb
    con.create_function("spark_histogram_numeric", histogram, [duckdb_list(st.DOUBLE), st.INTEGER],
                        duckdb.list_type(duckdb.struct_type({"x": st.DOUBLE, "y": st.DOUBLE})),
                        null_handling="special", side_effects=False)

    con.create_function("spark_hll_estimate", hll_estimate, [duckdb_list(st.BIGINT), st.INTEGER], st.BIGINT,
                        null_handling="special", side_effects=False)


def duckdb_list(t):
    import duckdb
    return duckdb.list_type(t)


class _JavaRandom:
    """java.util.Random: Spark's numeric histogram breaks ties between equally close bins with one
    seeded by 31183."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def _next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        return self.seed >> (48 - bits)

    def next_double(self):
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))


def numeric_histogram(values, nbins):
    """Spark's ``histogram_numeric`` (Hive's NumericHistogram, Ben-Haim and Tom-Tov): each value
    joins its bin or becomes one, and while there are more than ``nbins`` bins the two closest
    merge into their weighted mean. Returns [(x, y)] sorted by x.

    >>> [(int(x), y) for x, y in numeric_histogram(range(100), 5)]  # Spark: [{11, 25.0}, {36, 24.0}, ...]
    [(11, 25.0), (36, 24.0), (59, 23.0), (84, 25.0), (98, 3.0)]
    """
    import bisect
    prng = _JavaRandom(31183)
    xs, ys = [], []
    for v in values:
        if v is None:
            continue
        v = float(v)
        i = bisect.bisect_left(xs, v)
        if i < len(xs) and xs[i] == v:
            ys[i] += 1.0
            continue
        xs.insert(i, v)
        ys.insert(i, 1.0)
        while len(xs) > nbins:
            smallest, at, count = xs[1] - xs[0], 0, 1
            for j in range(1, len(xs) - 1):
                diff = xs[j + 1] - xs[j]
                if diff < smallest:
                    smallest, at, count = diff, j, 1
                elif diff == smallest:
                    count += 1
                    if prng.next_double() <= 1.0 / count:
                        at = j
            d = ys[at] + ys[at + 1]
            x = xs[at] * (ys[at] / d)
            x += xs[at + 1] / d * ys[at + 1]
            xs[at], ys[at] = x, d
            del xs[at + 1], ys[at + 1]
    return list(zip(xs, ys))
