"""Out-of-core shuffles and sorts: with a few MiB of executor memory, aggregations, groupings,
joins and sorts of data many times larger spill sorted runs to disk, merge them, and give exact
results with the same records in each partition; nothing is left on disk or open afterwards."""

import collections
import os
from operator import add

import psutil
import pytest

from sparklet import SparkConf
from sparklet.context import EXECUTOR_RESERVED_MEMORY
from sparklet.listener import SparkListener
from sparklet.partitioner import portable_hash

from test_storage import private_context

EXECUTOR_MEMORY = EXECUTOR_RESERVED_MEMORY + (16 << 20)  # about 9.6 MiB of execution memory
BUDGET = int((EXECUTOR_MEMORY - EXECUTOR_RESERVED_MEMORY) * 0.6)


class SpillRecorder(SparkListener):
    def __init__(self):
        self.metrics = []

    def onTaskEnd(self, event):
        self.metrics.append(event.taskMetrics)

    def spilled(self):
        return sum(m.diskBytesSpilled for m in self.metrics)

    def take(self):
        out, self.metrics = self.metrics, []
        return out


@pytest.fixture(scope="module")
def tiny():
    conf = (SparkConf().setMaster("local[2]").setAppName("spill-tests")
            .set("spark.executor.memory", "%db" % EXECUTOR_MEMORY))
    with private_context(conf) as context:
        context.spills = SpillRecorder()
        context.addSparkListener(context.spills)
        yield context
        pids = [pid for _, pid, _ in context.executors]
        shuffle_dir = os.path.join(context._local_dir, "shuffle")
        # Spilled runs and map-side temporary files are closed (and so gone) once the tasks end.
        for pid in pids:
            leaked = [f.path for f in psutil.Process(pid).open_files() if f.path.startswith(shuffle_dir)]
            assert not leaked, leaked


def spilled_bytes(sc):
    sc.listenerBus.waitUntilEmpty()
    metrics = sc.spills.take()
    # The estimate a task spills on stays near the budget: one check's worth of records past it.
    assert all(m.peakExecutionMemory < 2 * BUDGET for m in metrics), [m.peakExecutionMemory for m in metrics]
    return sum(m.diskBytesSpilled for m in metrics)


def per_partition(rdd, summarize):
    """Check and summarise each partition inside its task: results stay small, so the memory the
    executors use is the shuffle's and the sort's, not the collected output's."""
    return rdd.mapPartitionsWithIndex(lambda index, it: [summarize(index, it)]).collect()


def scan(items):
    """(never decreases, count, first, last) of ``items``, consumed one at a time."""
    ok, count, first, last = True, 0, None, None
    for item in items:
        if count == 0:
            first = item
        elif item < last:
            ok = False
        count += 1
        last = item
    return ok, count, first, last


def test_reduce_by_key_spills_and_keeps_the_partitioning(tiny):
    n_keys, n = 200_000, 3
    rdd = tiny.range(0, 2 * n_keys, numSlices=4).map(lambda i: ("k%d" % (i % n_keys), i)).reduceByKey(add, n)

    def summarize(index, part):
        part = list(part)  # small: the reduced partition
        ok = all(portable_hash(k) % n == index and v == 2 * int(k[1:]) + n_keys for k, v in part)
        return ok, len(part), len({k for k, _ in part})

    parts = per_partition(rdd, summarize)
    assert spilled_bytes(tiny) > 0
    assert all(ok for ok, _, _ in parts)
    assert sum(count for _, count, _ in parts) == sum(distinct for _, _, distinct in parts) == n_keys


def test_group_by_key_and_distinct_spill(tiny):
    n_keys, per_key, n = 50_000, 16, 2
    pairs = tiny.range(n_keys * per_key, numSlices=4).map(lambda i: (i % n_keys, i))

    def summarize(index, part):
        ok, count = True, 0
        for k, vs in part:
            count += 1
            ok = ok and portable_hash(k) % n == index and sorted(vs) == list(range(k, n_keys * per_key, n_keys))
        return ok, count

    parts = per_partition(pairs.groupByKey(n), summarize)
    assert spilled_bytes(tiny) > 0
    assert all(ok for ok, _ in parts) and sum(c for _, c in parts) == n_keys

    total = n_keys * per_key
    distinct = pairs.flatMap(lambda kv: [kv[1] * 3, kv[1] * 3]).distinct(n)

    def moments(index, part):
        count = s1 = s2 = 0
        for x in part:
            count, s1, s2 = count + 1, s1 + x, s2 + x * x
        return count, s1, s2

    parts = per_partition(distinct, moments)
    assert spilled_bytes(tiny) > 0
    assert [sum(p[i] for p in parts) for i in range(3)] == [total, sum(3 * x for x in range(total)),
                                                           sum(9 * x * x for x in range(total))]


def test_combine_by_key_merges_spilled_combiners(tiny):
    rdd = tiny.range(300_000, numSlices=3).map(lambda i: ((i * 7919) % 50_000, i))
    stats = rdd.combineByKey(lambda v: (v, 1), lambda c, v: (c[0] + v, c[1] + 1),
                             lambda a, b: (a[0] + b[0], a[1] + b[1]), 2).collectAsMap()
    assert spilled_bytes(tiny) > 0
    expected = collections.defaultdict(lambda: [0, 0])
    for i in range(300_000):
        e = expected[(i * 7919) % 50_000]
        e[0] += i
        e[1] += 1
    assert stats == {k: tuple(v) for k, v in expected.items()}


@pytest.mark.parametrize("ascending", [True, False])
def test_sort_by_key_spills_and_gives_exactly_the_sorted_order(tiny, ascending):
    # Few distinct keys: the merge of spilled runs must keep equal keys in their input order,
    # which is the order of i (map outputs are read in map order).
    n = 300_000
    rdd = tiny.range(n, numSlices=4).map(lambda i: ((i * 7919) % 5_000, i)).sortByKey(ascending, 3)

    def summarize(index, part):
        total = [0]

        def order():
            for k, i in part:
                total[0] += i
                yield (k if ascending else -k), i

        ok, count, first, last = scan(order())
        return ok, count, total[0], abs(first[0]), abs(last[0])

    parts = per_partition(rdd, summarize)
    assert spilled_bytes(tiny) > 0
    assert all(p[0] for p in parts)
    assert sum(p[1] for p in parts) == n and sum(p[2] for p in parts) == sum(range(n))
    # Each partition holds one key range, in partition order.
    for before, after in zip(parts, parts[1:]):
        assert (before[4] < after[3]) if ascending else (before[4] > after[3])


def test_sort_within_partitions_and_sort_by_spill(tiny):
    n = 200_000
    rdd = tiny.range(n, numSlices=3).map(lambda i: ((i * 31337) % n, "v%d" % i))
    parts = per_partition(rdd.repartitionAndSortWithinPartitions(2, lambda k: k % 2),
                          lambda index, part: all(k == j for (k, _), j in zip(part, range(index, n, 2))))
    assert spilled_bytes(tiny) > 0
    assert parts == [True, True]
    words = tiny.range(n, numSlices=2).map(lambda i: "w%06d" % ((i * 7) % n)).sortBy(lambda w: w, numPartitions=2)
    def summarize(index, part):
        return scan(part)

    parts = per_partition(words, summarize)
    assert spilled_bytes(tiny) > 0
    assert all(p[0] for p in parts) and sum(p[1] for p in parts) == n
    assert parts[0][2] == "w000000" and parts[0][3] < parts[1][2] and parts[1][3] == "w%06d" % (n - 1)


def test_small_data_does_not_spill(tiny):
    rdd = tiny.range(1000, numSlices=2).map(lambda i: (i % 10, i))
    assert sorted(rdd.reduceByKey(add).collect()) == [(k, sum(range(k, 1000, 10))) for k in range(10)]
    assert rdd.sortByKey().keys().collect() == sorted(i % 10 for i in range(1000))
    assert spilled_bytes(tiny) == 0


def test_map_output_for_many_reduce_partitions_keeps_each_partition_in_order(tiny):
    # 64 reduce partitions of partly filled batches outgrow the map task's memory: they go to
    # disk early, and each reduce partition still receives its records in the map's order.
    n, parts = 300_000, 64
    rdd = tiny.range(n, numSlices=2).map(lambda i: (i, "p" * 40)).partitionBy(parts)
    def summarize(index, part):
        keys = [k for k, _ in part]
        return keys == list(range(index, n, parts))

    assert per_partition(rdd, summarize) == [True] * parts


def join_sides(sc, n):
    """Keys 0..n-1 once on the left; on the right each key of 3n/4..5n/4-1 twice, in input order."""
    left = sc.range(n, numSlices=3).map(lambda i: (i, "L%020d" % i))
    right = sc.range(n, numSlices=2).map(lambda i: (i // 2 + 3 * n // 4, "R%020d" % i))
    return left, right


def right_values(k, n):
    j = 2 * (k - 3 * n // 4)
    return ["R%020d" % j, "R%020d" % (j + 1)] if 3 * n // 4 <= k < 5 * n // 4 else []


@pytest.mark.parametrize("how", ["join", "fullOuterJoin"])
def test_join_spills_and_pairs_every_value_in_order(tiny, how):
    n, parts = 200_000, 2
    left, right = join_sides(tiny, n)

    def summarize(index, part):
        ok, count, expected = True, 0, []
        for k, vw in part:
            if not expected:  # the first of a key's records: all of them follow, in order
                lefts = ["L%020d" % k] if k < n else [None]
                rights = right_values(k, n) or [None]
                expected = [(v, w) for v in lefts for w in rights if how != "join" or None not in (v, w)]
                ok = ok and portable_hash(k) % parts == index and bool(expected)
            ok = ok and vw == expected.pop(0)
            count += 1
        return ok and not expected, count

    parts_seen = per_partition(getattr(left, how)(right, parts), summarize)
    assert spilled_bytes(tiny) > 0
    assert all(ok for ok, _ in parts_seen)
    assert sum(c for _, c in parts_seen) == (n // 2 if how == "join" else 3 * n // 4 + n)


def test_cogroup_spills_and_groups_each_side_in_order(tiny):
    n, parts = 200_000, 2
    left, right = join_sides(tiny, n)

    def summarize(index, part):
        ok, keys = True, 0
        for k, (vs, ws) in part:
            keys += 1
            ok = (ok and portable_hash(k) % parts == index and list(vs) == (["L%020d" % k] if k < n else [])
                  and list(ws) == right_values(k, n))
        return ok, keys

    parts_seen = per_partition(left.cogroup(right, parts), summarize)
    assert spilled_bytes(tiny) > 0
    assert all(ok for ok, _ in parts_seen) and sum(k for _, k in parts_seen) == 5 * n // 4
