"""Range partitioning (``repartitionByRange``), as Spark's ``RangePartitioner`` does it: a job
samples each partition's sort keys (a reservoir of ``ceil(3 * min(100 * n, 1e6) / partitions)``
keys), the weighted candidates give at most ``n - 1`` bounds (each bound closes the range where
the cumulated weight reaches the next ``1/n`` step, duplicates skipped), and every row goes to the
first range whose bound is not below its key. When every partition fits its reservoir (small
data) the bounds are exactly Spark's; beyond that Spark seeds its reservoirs from the JVM's RDD id,
so Sparklet's ranges are as even but not necessarily cut at the same keys.

>>> import functools
>>> key = functools.cmp_to_key(comparator([(True, True)]))
>>> determine_bounds([((k,), 1.0) for k in [16, 14, 23]], 2, key)
[(16,)]
"""

import functools
import math

_MASK32 = 0xFFFFFFFF


def _byteswap32(v):
    """Scala's ``hashing.byteswap32``: the seed of partition ``v``'s reservoir."""
    h = (v * 0x9E3775CD) & _MASK32
    h = int.from_bytes(h.to_bytes(4, "big"), "little")
    h = (h * 0x9E3775CD) & _MASK32
    return h - (1 << 32) if h & 0x80000000 else h


def comparator(orders):
    """Compares key tuples under sort orders [(ascending, nulls_first)] (NaN above every number,
    as Spark orders doubles)."""

    def value_cmp(a, b):
        a_nan, b_nan = a != a, b != b
        if a_nan or b_nan:
            return (a_nan > b_nan) - (a_nan < b_nan)
        return (a > b) - (a < b)

    def cmp(x, y):
        for (ascending, nulls_first), a, b in zip(orders, x, y):
            if a is None or b is None:
                if a is None and b is None:
                    continue
                return (-1 if a is None else 1) * (1 if nulls_first else -1)
            c = value_cmp(a, b)
            if c:
                return c if ascending else -c
        return 0
    return cmp


def reservoir(keys, k, seed):
    """Spark's ``reservoirSampleAndCount``: the first ``k`` keys, then each later one replacing a
    uniform slot with probability ``k / seen``."""
    from .sampling import XORShiftRandom
    sample = list(keys[:k])
    if len(keys) <= k:
        return sample
    rng = XORShiftRandom(seed)
    for seen, key in enumerate(keys[k:], start=k + 1):
        slot = int(rng.next_double() * seen)
        if slot < k:
            sample[slot] = key
    return sample


def determine_bounds(candidates, partitions, sort_key):
    """``RangePartitioner.determineBounds`` over (key, weight) candidates."""
    ordered = sorted(candidates, key=lambda kw: sort_key(kw[0]))
    step = sum(float(w) for _, w in ordered) / partitions
    bounds, cumulated, target, previous = [], 0.0, step, None
    for key, weight in ordered:
        if len(bounds) >= partitions - 1:
            break
        cumulated += weight
        if cumulated >= target and (previous is None or sort_key(key) > sort_key(previous)):
            bounds.append(key)
            target += step
            previous = key
    return bounds


def range_partition(keyed, keys, orders, n, shuffle):
    """An RDD of Arrow partitions (holding each row's sort key in the ``keys`` columns) shuffled
    into ``n`` (or fewer) key ranges; ``shuffle(assigned, m)`` moves rows by their ``__reducer``
    column into ``m`` partitions."""
    spec = [(o.ascending, o.nulls_first) for o in orders]
    sort_key = functools.cmp_to_key(comparator(spec))
    # spark.sql.execution.rangeExchange.sampleSizePerPartition (100) is the SQL exchange's hint
    sample_size = min(100.0 * n, 1e6)
    per_partition = int(math.ceil(3.0 * sample_size / max(1, keyed.getNumPartitions())))

    def sketch(index, iterator):
        from .engine import concat
        table = concat(list(iterator))
        rows = list(zip(*[table.column(k).to_pylist() for k in keys])) if table.num_rows else []
        yield len(rows), reservoir(rows, per_partition, _byteswap32(index))
    sketched = keyed.mapPartitionsWithIndex(sketch).collect()
    candidates = []
    for count, sample in sketched:
        if sample:
            weight = count / len(sample)
            candidates.extend((k, weight) for k in sample)
    bounds = determine_bounds(candidates, min(n, len(candidates)), sort_key) if candidates else []

    def assign(iterator):
        import bisect

        import pyarrow as pa
        from .engine import concat
        table = concat(list(iterator))
        if table.num_rows == 0:
            yield table.append_column("__reducer", pa.array([], pa.int64())) if table.num_columns else table
            return
        # the key wrapper is made where it is used (it does not pickle)
        task_key = functools.cmp_to_key(comparator(spec))
        bound_keys = [task_key(b) for b in bounds]
        rows = zip(*[table.column(k).to_pylist() for k in keys])
        parts = [bisect.bisect_left(bound_keys, task_key(r)) for r in rows]
        yield table.append_column("__reducer", pa.array(parts, pa.int64()))
    return shuffle(keyed.mapPartitions(assign, preservesPartitioning=True), len(bounds) + 1)
