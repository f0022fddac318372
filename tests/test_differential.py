"""The same pipelines on Sparklet and on real PySpark: results, partition counts, partitions.

Every case is a function of a SparkContext; it runs once with Sparklet's `sc` and once with
PySpark's `spark_sc`, and the two answers must agree. For an RDD we compare
`getNumPartitions()`, `glom().collect()` and `collect()`; for an action, its value; for a
driver-side error, the exception's type and message.

Partition contents are compared in order, except for RDDs whose last step reads a shuffle: the
reduce side of a Spark shuffle receives map outputs in fetch order, which Spark does not define,
so those partitions are compared as sorted lists (which elements land in which partition is still
compared exactly). Sorting shuffles (sortBy, sortByKey, repartitionAndSortWithinPartitions) do
define the order and are compared as is. Functions shipped to tasks are lambdas or closures, so
both engines pickle them by value.
"""

import math
import sys
from operator import add

import pytest

pytestmark = pytest.mark.pyspark

EXACT = "exact"
# Order within each partition comes from a shuffle's fetch order: compare sorted partitions.
SHUFFLED = "shuffled"

NUMS = list(range(-5, 25))
WORDS = "the quick brown fox jumps over the lazy dog and the end of the fox".split()
KEYED = {
    "str": [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5), ("a", 6), ("d", 7)],
    "int": [(1, 1), (2, 2), (1, 3), (-3, 4), (2, 5), (1, 6), (10, 7)],
    "tuple": [((1, "x"), 1), ((2, "y"), 2), ((1, "x"), 3), ((0, None), 4), ((2, "y"), 5), ((1, "x"), 6), ((3, "z"), 7)],
    "none": [(None, 1), ("b", 2), (None, 3), ("c", 4), ("b", 5), (None, 6), (None, 7)],
}
# Right-hand sides for joins: some keys shared with KEYED, some only here.
OTHER = {
    "str": [("a", "x"), ("c", "y"), ("e", "z"), ("a", "w")],
    "int": [(1, "x"), (-3, "y"), (5, "z"), (1, "w")],
    "tuple": [((1, "x"), "x"), ((0, None), "y"), ((9, "q"), "z"), ((1, "x"), "w")],
    "none": [(None, "x"), ("c", "y"), ("e", "z"), (None, "w")],
}
KEY_KINDS = sorted(KEYED)
# Orderable keys (None does not compare with str), each with a sortByKey keyfunc. PySpark's range
# partitioner compares keyfunc(key) with bounds that are raw keys, so the keyfunc keeps the type.
SORT_KEYFUNCS = {
    "int": lambda k: -k,
    "str": lambda k: k[::-1],
    "tuple": lambda k: (-k[0], str(k[1])),
}
SORTABLE_KINDS = sorted(SORT_KEYFUNCS)


def plain(value):
    """Engine-neutral form of a result: ResultIterables become lists, StatCounters dicts."""
    kind = type(value).__name__
    if kind == "ResultIterable":
        return [plain(v) for v in value]
    if kind == "StatCounter":
        return plain(value.asDict())
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def sort_groups(value):
    """Sort the values grouped under each key; their order comes from a shuffle's fetch order."""
    if isinstance(value, list):
        return sorted((sort_groups(v) for v in value), key=repr)
    if isinstance(value, tuple):
        return tuple(sort_groups(v) for v in value)
    return value


def assert_same(ours, theirs, path="result"):
    if isinstance(theirs, float) or isinstance(ours, float):
        assert isinstance(ours, (int, float)) and isinstance(theirs, (int, float)), f"{path}: {ours!r} != {theirs!r}"
        if math.isnan(theirs):
            assert math.isnan(ours), f"{path}: {ours!r} != nan"
        else:
            assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-12), f"{path}: {ours!r} != {theirs!r}"
        return
    if isinstance(theirs, (list, tuple)):
        assert type(ours) is type(theirs), f"{path}: {type(ours).__name__} != {type(theirs).__name__}: {ours!r} vs {theirs!r}"
        assert len(ours) == len(theirs), f"{path}: {ours!r} != {theirs!r}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{path}[{i}]")
        return
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and set(ours) == set(theirs), f"{path}: {ours!r} != {theirs!r}"
        for k in theirs:
            assert_same(ours[k], theirs[k], f"{path}[{k!r}]")
        return
    assert ours == theirs and type(ours) is type(theirs), f"{path}: {ours!r} != {theirs!r}"


def partitions(rdd, order, groups):
    parts = plain(rdd.glom().collect())
    if groups:
        parts = [[sort_groups(e) for e in p] for p in parts]
    if order == SHUFFLED:
        parts = [sorted(p, key=repr) for p in parts]
    return parts


def assert_same_rdd(sc, spark_sc, build, order=EXACT, groups=False):
    ours, theirs = build(sc), build(spark_sc)
    assert ours.getNumPartitions() == theirs.getNumPartitions(), "getNumPartitions()"
    expected = partitions(theirs, order, groups)
    assert_same(partitions(ours, order, groups), expected, "glom()")
    collected = plain(ours.collect())
    if groups:
        collected = [sort_groups(e) for e in collected]
    if order == SHUFFLED:
        # collect() is the partitions concatenated in partition order.
        offsets = [0]
        for p in expected:
            offsets.append(offsets[-1] + len(p))
        collected = [sorted(collected[a:b], key=repr) for a, b in zip(offsets, offsets[1:])]
        assert_same(collected, expected, "collect()")
    else:
        assert_same(collected, [e for p in expected for e in p], "collect()")


def assert_same_value(sc, spark_sc, action):
    assert_same(plain(action(sc)), plain(action(spark_sc)))


def builtin_base(error_type):
    return next(t for t in error_type.__mro__ if t.__module__ == "builtins")


def assert_same_error(sc, spark_sc, action):
    with pytest.raises(Exception) as theirs:
        action(spark_sc)
    expected_type = builtin_base(type(theirs.value))
    with pytest.raises(expected_type) as ours:
        action(sc)
    assert str(ours.value) == str(theirs.value)


# --- transformations: (id, build, order, groups) -----------------------------------------------

def _p(sc, data=NUMS, n=3):
    return sc.parallelize(data, n)


RDD_CASES = [
    ("parallelize-list", lambda sc: _p(sc), EXACT),
    ("parallelize-default-slices", lambda sc: sc.parallelize(NUMS), EXACT),
    ("parallelize-range", lambda sc: sc.parallelize(range(0, 50, 3), 4), EXACT),
    ("parallelize-more-slices-than-elements", lambda sc: sc.parallelize([1, 2, 3], 7), EXACT),
    ("parallelize-empty", lambda sc: sc.parallelize([], 3), EXACT),
    ("parallelize-generator", lambda sc: sc.parallelize((x * x for x in range(9)), 2), EXACT),
    ("range", lambda sc: sc.range(10), EXACT),
    ("range-start-end-step", lambda sc: sc.range(3, 40, 4, numSlices=5), EXACT),
    ("range-negative-step", lambda sc: sc.range(20, 0, -3), EXACT),
    ("range-empty", lambda sc: sc.range(5, 0), EXACT),
    ("emptyRDD", lambda sc: sc.emptyRDD(), EXACT),
    ("emptyRDD-map", lambda sc: sc.emptyRDD().map(lambda x: x), EXACT),
    ("map", lambda sc: _p(sc).map(lambda x: x * 2), EXACT),
    ("map-to-tuples", lambda sc: _p(sc, WORDS).map(lambda w: (w, len(w))), EXACT),
    ("flatMap", lambda sc: _p(sc, WORDS).flatMap(lambda w: list(w[:2])), EXACT),
    ("flatMap-empty-results", lambda sc: _p(sc).flatMap(lambda x: [] if x % 2 else [x, x]), EXACT),
    ("filter", lambda sc: _p(sc).filter(lambda x: x % 3 == 0), EXACT),
    ("filter-empties-partitions", lambda sc: _p(sc, n=6).filter(lambda x: x > 20), EXACT),
    ("mapPartitions", lambda sc: _p(sc).mapPartitions(lambda it: [sum(it)]), EXACT),
    ("mapPartitions-preserve", lambda sc: _p(sc, KEYED["str"]).partitionBy(2).mapPartitions(lambda it: ((k, v + 1) for k, v in it), True).reduceByKey(add), SHUFFLED),
    ("mapPartitionsWithIndex", lambda sc: _p(sc).mapPartitionsWithIndex(lambda i, it: [(i, len(list(it)))]), EXACT),
    ("mapPartitionsWithSplit", lambda sc: _p(sc).mapPartitionsWithSplit(lambda i, it: (i * x for x in it)), EXACT),
    # map's partition, stepped with next() and then looped over.
    ("map-then-next-and-rest", lambda sc: _p(sc).map(lambda x: x * 2).mapPartitions(lambda it: [next(it), list(it)]), EXACT),
    ("map-cached-then-reduceByKey", lambda sc: _p(sc, WORDS).map(lambda w: (w, 1)).cache().reduceByKey(add), SHUFFLED),
    ("glom-then-map", lambda sc: _p(sc).glom().map(len), EXACT),
    ("keyBy", lambda sc: _p(sc, WORDS).keyBy(len), EXACT),
    ("distinct", lambda sc: _p(sc, WORDS).distinct(), SHUFFLED),
    ("distinct-numPartitions", lambda sc: _p(sc, NUMS + NUMS).map(lambda x: x % 7).distinct(5), SHUFFLED),
    ("union", lambda sc: _p(sc).union(_p(sc, WORDS, 2)), EXACT),
    ("union-operator", lambda sc: _p(sc, [1, 2], 1) + _p(sc, [3], 2), EXACT),
    ("union-same-partitioner", lambda sc: _p(sc, KEYED["int"]).partitionBy(3).union(_p(sc, OTHER["int"]).partitionBy(3)), SHUFFLED),
    ("sc.union", lambda sc: sc.union([_p(sc, [1, 2], 1), sc.emptyRDD(), _p(sc, WORDS, 4)]), EXACT),
    ("intersection", lambda sc: _p(sc, WORDS).intersection(_p(sc, ["fox", "the", "cat", "end"], 2)), SHUFFLED),
    ("subtract", lambda sc: _p(sc, WORDS).subtract(_p(sc, ["fox", "the", "cat"], 2)), SHUFFLED),
    ("subtract-numPartitions", lambda sc: _p(sc).subtract(_p(sc, range(0, 30, 2)), 4), SHUFFLED),
    ("cartesian", lambda sc: _p(sc, [1, 2, 3], 2).cartesian(_p(sc, ["a", "b"], 2)), EXACT),
    ("cartesian-with-empty-partitions", lambda sc: _p(sc, [1], 3).cartesian(_p(sc, ["a", "b"], 2)), EXACT),
    ("zip", lambda sc: _p(sc, range(12), 3).zip(_p(sc, WORDS[:12], 3)), EXACT),
    ("zipWithIndex", lambda sc: _p(sc, WORDS, 4).zipWithIndex(), EXACT),
    ("zipWithIndex-empty-partitions", lambda sc: _p(sc, WORDS[:3], 6).zipWithIndex(), EXACT),
    ("zipWithUniqueId", lambda sc: _p(sc, WORDS, 4).zipWithUniqueId(), EXACT),
    ("glom", lambda sc: _p(sc).glom(), EXACT),
    ("groupBy", lambda sc: _p(sc).groupBy(lambda x: x % 4), SHUFFLED, True),
    ("groupBy-numPartitions", lambda sc: _p(sc, WORDS).groupBy(len, 2), SHUFFLED, True),
    ("sortBy", lambda sc: _p(sc, WORDS).sortBy(lambda w: w), EXACT),
    ("sortBy-descending-numPartitions", lambda sc: _p(sc).sortBy(lambda x: (x % 5, x), False, 4), EXACT),
    ("sortBy-more-partitions-than-elements", lambda sc: _p(sc, [3, 1, 2], 2).sortBy(lambda x: x, True, 5), EXACT),
    ("coalesce", lambda sc: _p(sc, n=5).coalesce(2), EXACT),
    ("coalesce-more-than-current", lambda sc: _p(sc, n=2).coalesce(4), EXACT),
    ("coalesce-shuffle", lambda sc: _p(sc, n=3).coalesce(5, shuffle=True), SHUFFLED),
    ("repartition-up", lambda sc: _p(sc, n=2).repartition(4), SHUFFLED),
    ("repartition-down", lambda sc: _p(sc, range(100), 6).repartition(3), SHUFFLED),
    ("pipe", lambda sc: _p(sc, WORDS).pipe("cat"), EXACT),
    ("pipe-tr", lambda sc: _p(sc, WORDS, 2).pipe("tr a-z A-Z"), EXACT),
    ("sample-without-replacement", lambda sc: _p(sc, range(200), 4).sample(False, 0.3, 42), EXACT),
    ("sample-with-replacement", lambda sc: _p(sc, range(100), 3).sample(True, 1.5, 7), EXACT),
    # A barrier stage may not have more tasks than the cluster has slots (2 here): Spark retries
    # such a job for minutes before failing it.
    ("barrier-mapPartitions", lambda sc: _p(sc, n=2).barrier().mapPartitions(lambda it: [max(it, default=None)]), EXACT),
    ("barrier-mapPartitionsWithIndex", lambda sc: _p(sc, n=2).barrier().mapPartitionsWithIndex(lambda i, it: [i]), EXACT),
    ("cache-then-map", lambda sc: _p(sc).cache().map(lambda x: -x), EXACT),
    ("chain-narrow", lambda sc: _p(sc, WORDS).map(str.upper).filter(lambda w: "O" in w).flatMap(lambda w: [w, w[::-1]]), EXACT),
    ("chain-two-shuffles", lambda sc: _p(sc, WORDS).map(lambda w: (w, 1)).reduceByKey(add).map(lambda kv: (kv[1], kv[0])).groupByKey(2).mapValues(sorted), SHUFFLED),
]


def _keyed(kind):
    return [
        (f"{kind}-keys", lambda sc: _p(sc, KEYED[kind]).keys(), EXACT),
        (f"{kind}-values", lambda sc: _p(sc, KEYED[kind]).values(), EXACT),
        (f"{kind}-mapValues", lambda sc: _p(sc, KEYED[kind]).mapValues(lambda v: v * 10), EXACT),
        (f"{kind}-flatMapValues", lambda sc: _p(sc, KEYED[kind]).flatMapValues(lambda v: range(v % 3)), EXACT),
        (f"{kind}-reduceByKey", lambda sc: _p(sc, KEYED[kind]).reduceByKey(add), SHUFFLED),
        (f"{kind}-reduceByKey-numPartitions", lambda sc: _p(sc, KEYED[kind]).reduceByKey(add, 5), SHUFFLED),
        (f"{kind}-reduceByKey-partitionFunc", lambda sc: _p(sc, KEYED[kind]).reduceByKey(add, 2, lambda k: len(repr(k))), SHUFFLED),
        (f"{kind}-groupByKey", lambda sc: _p(sc, KEYED[kind]).groupByKey(), SHUFFLED, True),
        (f"{kind}-groupByKey-numPartitions", lambda sc: _p(sc, KEYED[kind]).groupByKey(4), SHUFFLED, True),
        (f"{kind}-foldByKey", lambda sc: _p(sc, KEYED[kind]).foldByKey(0, add), SHUFFLED),
        (f"{kind}-aggregateByKey", lambda sc: _p(sc, KEYED[kind]).aggregateByKey((0, 0), lambda a, v: (a[0] + v, a[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1]), 3), SHUFFLED),
        (f"{kind}-combineByKey", lambda sc: _p(sc, KEYED[kind]).combineByKey(lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b, 2).mapValues(sorted), SHUFFLED),
        (f"{kind}-partitionBy", lambda sc: _p(sc, KEYED[kind]).partitionBy(3), SHUFFLED),
        (f"{kind}-partitionBy-more-partitions-than-keys", lambda sc: _p(sc, KEYED[kind]).partitionBy(11), SHUFFLED),
        (f"{kind}-join", lambda sc: _p(sc, KEYED[kind]).join(_p(sc, OTHER[kind], 2)), SHUFFLED),
        (f"{kind}-join-numPartitions", lambda sc: _p(sc, KEYED[kind]).join(_p(sc, OTHER[kind], 2), 4), SHUFFLED),
        (f"{kind}-leftOuterJoin", lambda sc: _p(sc, KEYED[kind]).leftOuterJoin(_p(sc, OTHER[kind], 2)), SHUFFLED),
        (f"{kind}-rightOuterJoin", lambda sc: _p(sc, KEYED[kind]).rightOuterJoin(_p(sc, OTHER[kind], 2)), SHUFFLED),
        (f"{kind}-fullOuterJoin", lambda sc: _p(sc, KEYED[kind]).fullOuterJoin(_p(sc, OTHER[kind], 2)), SHUFFLED),
        (f"{kind}-join-copartitioned", lambda sc: _p(sc, KEYED[kind]).partitionBy(2).join(_p(sc, OTHER[kind]).partitionBy(2)), SHUFFLED),
        (f"{kind}-leftOuterJoin-copartitioned", lambda sc: _p(sc, KEYED[kind]).partitionBy(2).leftOuterJoin(_p(sc, OTHER[kind]).partitionBy(2)), SHUFFLED),
        (f"{kind}-rightOuterJoin-copartitioned", lambda sc: _p(sc, KEYED[kind]).partitionBy(2).rightOuterJoin(_p(sc, OTHER[kind]).partitionBy(2)), SHUFFLED),
        (f"{kind}-fullOuterJoin-copartitioned", lambda sc: _p(sc, KEYED[kind]).partitionBy(2).fullOuterJoin(_p(sc, OTHER[kind]).partitionBy(2)), SHUFFLED),
        (f"{kind}-cogroup", lambda sc: _p(sc, KEYED[kind]).cogroup(_p(sc, OTHER[kind], 2)), SHUFFLED, True),
        (f"{kind}-groupWith", lambda sc: _p(sc, KEYED[kind]).groupWith(_p(sc, OTHER[kind], 2), _p(sc, KEYED[kind][:2], 1)), SHUFFLED, True),
        (f"{kind}-subtractByKey", lambda sc: _p(sc, KEYED[kind]).subtractByKey(_p(sc, OTHER[kind], 2)), SHUFFLED),
        (f"{kind}-sampleByKey", lambda sc: _p(sc, KEYED[kind] * 20, 4).sampleByKey(False, {k: 0.1 + 0.2 * (i % 4) for i, (k, _) in enumerate(KEYED[kind])}, 11), EXACT),
        (f"{kind}-sampleByKey-with-replacement", lambda sc: _p(sc, KEYED[kind] * 5, 2).sampleByKey(True, {k: 1.2 for k, _ in KEYED[kind]}, 3), EXACT),
        (f"{kind}-empty-partitions-reduceByKey", lambda sc: _p(sc, KEYED[kind][:2], 5).reduceByKey(add), SHUFFLED),
    ]


def _sorted_keyed(kind):
    return [
        (f"{kind}-sortByKey", lambda sc: _p(sc, KEYED[kind]).sortByKey(), EXACT),
        (f"{kind}-sortByKey-descending", lambda sc: _p(sc, KEYED[kind]).sortByKey(False, 2), EXACT),
        (f"{kind}-sortByKey-keyfunc", lambda sc: _p(sc, KEYED[kind] + OTHER[kind]).sortByKey(True, 4, keyfunc=SORT_KEYFUNCS[kind]), EXACT),
        (f"{kind}-repartitionAndSortWithinPartitions", lambda sc: _p(sc, KEYED[kind]).repartitionAndSortWithinPartitions(2), EXACT),
        (f"{kind}-repartitionAndSortWithinPartitions-descending", lambda sc: _p(sc, KEYED[kind]).repartitionAndSortWithinPartitions(3, lambda k: len(repr(k)), False), EXACT),
    ]


for _kind in KEY_KINDS:
    RDD_CASES += _keyed(_kind)
for _kind in SORTABLE_KINDS:
    RDD_CASES += _sorted_keyed(_kind)
RDD_CASES += [
    ("empty-reduceByKey", lambda sc: sc.parallelize([], 2).reduceByKey(add), SHUFFLED),
    ("empty-groupByKey", lambda sc: sc.parallelize([], 2).groupByKey(), SHUFFLED),
    ("empty-join", lambda sc: sc.parallelize([], 2).join(_p(sc, KEYED["str"])), SHUFFLED),
    ("empty-sortByKey", lambda sc: sc.parallelize([], 3).sortByKey(), EXACT),
    ("empty-distinct", lambda sc: sc.parallelize([], 2).distinct(), SHUFFLED),
    ("empty-cartesian", lambda sc: sc.parallelize([], 2).cartesian(_p(sc, [1, 2])), EXACT),
    ("emptyRDD-union", lambda sc: sc.emptyRDD().union(_p(sc, [1, 2], 2)), EXACT),
]


def _case_params(cases):
    return [pytest.param(*case, id=case[0]) for case in cases]


@pytest.mark.parametrize("name,build,order,groups", [pytest.param(c[0], c[1], c[2], len(c) > 3 and c[3], id=c[0]) for c in RDD_CASES])
def test_transformation(sc, spark_sc, name, build, order, groups):
    assert_same_rdd(sc, spark_sc, build, order, groups)


def test_randomSplit(sc, spark_sc):
    for seed in (1, 17):
        ours = _p(sc, range(300), 4).randomSplit([1, 2, 3], seed)
        theirs = _p(spark_sc, range(300), 4).randomSplit([1, 2, 3], seed)
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a.glom().collect(), b.glom().collect())


def test_randomSplit_of_empty_rdd(sc, spark_sc):
    assert_same_value(sc, spark_sc, lambda sc: [r.collect() for r in sc.parallelize([], 3).randomSplit([1, 1], 3)])


@pytest.fixture(scope="module")
def text_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("text")
    lines = ["line %d %s" % (i, "x" * (i % 17)) for i in range(200)]
    (directory / "a.txt").write_text("\n".join(lines) + "\n")
    (directory / "b.txt").write_text("short\n\nlast line without newline")
    return directory


@pytest.mark.parametrize("minPartitions", [None, 1, 3, 7])
def test_textFile_splits(sc, spark_sc, text_dir, minPartitions):
    # Hadoop's splits: a line belongs to the split in which it starts.
    assert_same_rdd(sc, spark_sc, lambda sc: sc.textFile(str(text_dir / "a.txt"), minPartitions))


def test_textFile_directory_and_wholeTextFiles(sc, spark_sc, text_dir):
    assert_same_value(sc, spark_sc, lambda sc: sorted(sc.textFile(str(text_dir), 4).collect()))
    assert_same_value(sc, spark_sc, lambda sc: sorted((name.rsplit("/", 1)[1], text) for name, text in sc.wholeTextFiles(str(text_dir)).collect()))


def test_saveAsTextFile_round_trip(sc, spark_sc, tmp_path):
    def save_and_list(sc, name):
        path = str(tmp_path / name)
        _p(sc, WORDS + [None, 3, ("t", 1)], 4).saveAsTextFile(path)
        parts = sorted(p.name for p in (tmp_path / name).iterdir() if p.name.startswith("part-"))
        return parts, [(tmp_path / name / p).read_text() for p in parts]

    assert save_and_list(sc, "ours") == save_and_list(spark_sc, "theirs")


# --- actions: (id, action) ------------------------------------------------------------------------

def _foreach_sum(sc):
    acc = sc.accumulator(0)
    _p(sc).foreach(lambda x: acc.add(x))
    return acc.value


def _foreachPartition_sizes(sc):
    acc = sc.accumulator(0)
    _p(sc, n=5).foreachPartition(lambda it: acc.add(len(list(it)) ** 2))
    return acc.value


def _count_calls_of_take(sc):
    """take() scans partitions in growing jobs: it must compute exactly as many partitions."""
    acc = sc.accumulator(0)
    rdd = _p(sc, range(100), 20).map(lambda x: x).mapPartitions(lambda it: (acc.add(1), list(it))[1])
    taken = rdd.filter(lambda x: x > 55).take(3)
    return taken, acc.value


def _task_context_class(sc):
    return sys.modules[type(sc).__module__.split(".")[0]].TaskContext


ACTIONS = [
    ("collect", lambda sc: _p(sc).collect()),
    ("count", lambda sc: _p(sc).count()),
    ("count-empty", lambda sc: sc.emptyRDD().count()),
    ("countApprox", lambda sc: _p(sc, n=4).countApprox(10000, 0.95)),
    ("first", lambda sc: _p(sc, WORDS, 4).first()),
    ("first-after-empty-partitions", lambda sc: _p(sc, [7], 5).first()),
    ("take", lambda sc: _p(sc, WORDS, 4).take(5)),
    ("take-more-than-count", lambda sc: _p(sc, WORDS, 4).take(100)),
    ("take-zero", lambda sc: _p(sc).take(0)),
    ("take-sparse", lambda sc: sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3)),
    ("take-partitions-scanned", _count_calls_of_take),
    ("top", lambda sc: _p(sc).top(4)),
    ("top-key", lambda sc: _p(sc, WORDS).top(3, key=len)),
    ("takeOrdered", lambda sc: _p(sc).takeOrdered(5)),
    ("takeOrdered-key", lambda sc: _p(sc, WORDS).takeOrdered(4, key=lambda w: (-len(w), w))),
    ("takeSample-without-replacement", lambda sc: _p(sc, range(50), 4).takeSample(False, 10, 3)),
    ("takeSample-with-replacement", lambda sc: _p(sc, range(50), 4).takeSample(True, 70, 5)),
    ("takeSample-larger-than-rdd", lambda sc: _p(sc, range(20), 3).takeSample(False, 30, 9)),
    ("takeSample-empty", lambda sc: sc.parallelize([], 2).takeSample(False, 3, 1)),
    ("collectAsMap", lambda sc: _p(sc, KEYED["str"]).collectAsMap()),
    ("sum", lambda sc: _p(sc).sum()),
    ("sum-empty", lambda sc: sc.parallelize([], 2).sum()),
    ("sum-floats", lambda sc: _p(sc, [0.1 * x for x in NUMS]).sum()),
    ("mean", lambda sc: _p(sc).mean()),
    ("variance", lambda sc: _p(sc).variance()),
    ("stdev", lambda sc: _p(sc).stdev()),
    ("sampleStdev", lambda sc: _p(sc).sampleStdev()),
    ("sampleVariance", lambda sc: _p(sc).sampleVariance()),
    ("sampleVariance-one-element", lambda sc: _p(sc, [4]).sampleVariance()),
    ("max", lambda sc: _p(sc).max()),
    ("max-key", lambda sc: _p(sc, WORDS).max(key=len)),
    ("min", lambda sc: _p(sc).min()),
    ("min-key", lambda sc: _p(sc, WORDS).min(key=lambda w: w[::-1])),
    ("max-nan", lambda sc: _p(sc, [1.0, 5.0, float("nan"), 3.0, 2.0, 0.5], 2).max()),
    ("min-nan", lambda sc: _p(sc, [float("nan"), 1.0, 5.0, 3.0, -2.0, 0.5], 3).min()),
    ("max-key-ties", lambda sc: _p(sc, [(1, "a"), (2, "b"), (0, "c"), (2, "d"), (2, "e")], 2).max(key=lambda t: t[0])),
    ("min-key-ties", lambda sc: _p(sc, [(1, "a"), (0, "b"), (3, "c"), (0, "d")], 3).min(key=lambda t: t[0])),
    ("stats", lambda sc: _p(sc).stats()),
    ("stats-empty", lambda sc: sc.parallelize([], 2).stats()),
    ("stats-floats", lambda sc: _p(sc, [x / 3 for x in NUMS], 4).stats()),
    ("mean-empty", lambda sc: sc.parallelize([], 2).mean()),
    ("variance-empty", lambda sc: sc.parallelize([], 2).variance()),
    ("histogram-int-buckets", lambda sc: _p(sc).histogram(4)),
    ("histogram-float-data", lambda sc: _p(sc, [x / 7 for x in NUMS]).histogram(3)),
    ("histogram-single-value", lambda sc: _p(sc, [2, 2, 2]).histogram(3)),
    ("histogram-buckets", lambda sc: _p(sc).histogram([-10, 0, 5, 30])),
    ("histogram-even-buckets", lambda sc: _p(sc).histogram([0, 10, 20, 30])),
    ("histogram-buckets-out-of-range", lambda sc: _p(sc).histogram([100, 200])),
    ("histogram-empty-explicit-buckets", lambda sc: sc.parallelize([], 2).histogram([0, 5, 10])),
    ("histogram-nan", lambda sc: _p(sc, [1.0, float("nan"), 3.0]).histogram(2)),
    ("reduce", lambda sc: _p(sc).reduce(add)),
    ("reduce-strings", lambda sc: _p(sc, WORDS).reduce(lambda a, b: a + b)),
    ("reduce-empty-partitions", lambda sc: _p(sc, [1, 2], 6).reduce(add)),
    ("treeReduce", lambda sc: _p(sc, n=8).treeReduce(add)),
    ("treeReduce-depth-3", lambda sc: _p(sc, n=8).treeReduce(add, 3)),
    ("fold", lambda sc: _p(sc).fold(0, add)),
    ("fold-zero-per-partition", lambda sc: _p(sc, [1, 2], 4).fold(10, add)),
    ("aggregate", lambda sc: _p(sc).aggregate((0, 0), lambda a, x: (a[0] + x, a[1] + 1), lambda a, b: (a[0] + b[0], a[1] + b[1]))),
    ("aggregate-empty", lambda sc: sc.parallelize([], 3).aggregate((0, 0), lambda a, x: a, lambda a, b: a)),
    ("treeAggregate", lambda sc: _p(sc, n=7).treeAggregate(0, add, add)),
    ("treeAggregate-depth-1", lambda sc: _p(sc, n=7).treeAggregate(1, add, add, 1)),
    ("treeAggregate-depth-4", lambda sc: _p(sc, n=7).treeAggregate(0, add, add, 4)),
    # A mutable zero value: each task starts from its own copy, even when one executor runs
    # several tasks of the stage (4 partitions on local[2]).
    ("aggregate-mutable-zero", lambda sc: _p(sc, range(8), 4).aggregate([], lambda a, x: a.append(x) or a, add)),
    ("fold-mutable-zero", lambda sc: _p(sc, [[x] for x in range(8)], 4).fold([], lambda a, b: a.extend(b) or a)),
    ("treeAggregate-mutable-zero",
     lambda sc: _p(sc, range(8), 4).treeAggregate([], lambda a, x: a.append(x) or a, add)),
    ("aggregate-mutable-zero-dict", lambda sc: sorted(_p(sc, range(10), 5).aggregate(
        {}, lambda d, x: d.update({x % 3: d.get(x % 3, 0) + 1}) or d,
        lambda a, b: {k: a.get(k, 0) + b.get(k, 0) for k in set(a) | set(b)}).items())),
    ("TaskContext()-in-a-task", lambda sc: _p(sc, range(6), 3).mapPartitions(
        lambda it, TC=_task_context_class(sc): [(TC().partitionId(), TC().attemptNumber(),
                                                 TC().stageId() == TC.get().stageId())]).collect()),
    ("isEmpty", lambda sc: _p(sc).isEmpty()),
    ("isEmpty-empty-partitions", lambda sc: sc.parallelize([], 4).isEmpty()),
    ("isEmpty-emptyRDD", lambda sc: sc.emptyRDD().isEmpty()),
    ("toLocalIterator", lambda sc: list(_p(sc, WORDS, 4).toLocalIterator())),
    ("toLocalIterator-empty", lambda sc: list(sc.parallelize([], 3).toLocalIterator())),
    ("foreach", _foreach_sum),
    ("foreachPartition", _foreachPartition_sizes),
    ("countByValue", lambda sc: dict(_p(sc, WORDS).countByValue())),
    ("countByValue-empty", lambda sc: dict(sc.parallelize([], 2).countByValue())),
    ("sc.runJob", lambda sc: sc.runJob(_p(sc), lambda it: [sum(it)], [0, 2])),
    ("getNumPartitions-after-shuffle-default", lambda sc: _p(sc, KEYED["str"], 5).reduceByKey(add).getNumPartitions()),
    ("defaultParallelism", lambda sc: sc.defaultParallelism),
    ("defaultMinPartitions", lambda sc: sc.defaultMinPartitions),
]
for _kind in KEY_KINDS:
    ACTIONS += [
        (f"{_kind}-countByKey", lambda sc, k=_kind: dict(_p(sc, KEYED[k]).countByKey())),
        (f"{_kind}-reduceByKeyLocally", lambda sc, k=_kind: _p(sc, KEYED[k]).reduceByKeyLocally(add)),
        (f"{_kind}-collectAsMap", lambda sc, k=_kind: _p(sc, KEYED[k]).collectAsMap()),
        (f"{_kind}-lookup", lambda sc, k=_kind: _p(sc, KEYED[k]).lookup(KEYED[k][0][0])),
        (f"{_kind}-lookup-missing", lambda sc, k=_kind: _p(sc, KEYED[k]).lookup("no such key")),
    ]
# lookup on a partitioned RDD hashes the key in the driver; PySpark's driver hashes str with the
# interpreter's random seed (only its workers get PYTHONHASHSEED=0), so only keys whose hash does
# not depend on the seed are compared here.
SEED_FREE_KEYED = {"int": KEYED["int"], "int-tuple": [((k, k % 3), v) for k, v in KEYED["int"]], "none": [(None, 1), (2, 2), (None, 3)]}
for _kind, _data in SEED_FREE_KEYED.items():
    ACTIONS += [
        (f"{_kind}-lookup-partitioned", lambda sc, d=_data: _p(sc, d).partitionBy(4).lookup(d[0][0])),
        (f"{_kind}-lookup-after-reduceByKey", lambda sc, d=_data: _p(sc, d).reduceByKey(add, 3).lookup(d[2][0])),
        (f"{_kind}-lookup-partitioned-missing", lambda sc, d=_data: _p(sc, d).groupByKey(2).lookup(12345)),
    ]


@pytest.mark.parametrize("name,action", _case_params(ACTIONS))
def test_action(sc, spark_sc, name, action):
    assert_same_value(sc, spark_sc, action)


def test_numeric_actions_give_pyspark_s_floats_to_the_last_bit(sc, spark_sc):
    # Sums and running means of awkward floats depend on the order of every operation.
    data = [(i * 0.37) ** 1.5 / 7 - (i % 11) * 1e-3 for i in range(5000)]
    for action in (lambda r: r.sum(), lambda r: r.mean(), lambda r: r.stats().mean(),
                   lambda r: r.variance(), lambda r: r.sampleStdev(), lambda r: r.max(), lambda r: r.min()):
        for n in (1, 3, 8):
            ours, theirs = action(sc.parallelize(data, n)), action(spark_sc.parallelize(data, n))
            assert float(ours) == float(theirs), (n, ours, theirs)  # (PySpark's may be numpy floats)
    with_nan = data[:100] + [float("nan")] + data[100:200]
    assert math.isnan(sc.parallelize(with_nan, 3).mean()) and math.isnan(spark_sc.parallelize(with_nan, 3).mean())


# --- driver-side errors: same builtin exception type and the same message ------------------------

ERRORS = [
    ("reduce-empty", lambda sc: sc.parallelize([], 3).reduce(add)),
    ("reduce-emptyRDD", lambda sc: sc.emptyRDD().reduce(add)),
    ("first-empty", lambda sc: sc.parallelize([], 3).first()),
    ("max-empty", lambda sc: sc.parallelize([], 2).max()),
    ("min-empty", lambda sc: sc.parallelize([], 2).min()),
    ("treeReduce-empty", lambda sc: sc.parallelize([], 2).treeReduce(add)),
    ("treeReduce-depth-0", lambda sc: _p(sc).treeReduce(add, 0)),
    ("treeAggregate-depth-0", lambda sc: _p(sc).treeAggregate(0, add, add, 0)),
    ("histogram-int-buckets-empty", lambda sc: sc.parallelize([], 2).histogram(2)),
    ("histogram-zero-buckets", lambda sc: _p(sc).histogram(0)),
    ("histogram-one-bucket-edge", lambda sc: _p(sc).histogram([1])),
    ("histogram-unsorted-buckets", lambda sc: _p(sc).histogram([3, 1, 2])),
    ("takeSample-too-large", lambda sc: sc.range(0, 10).takeSample(False, sys.maxsize)),
    ("takeSample-negative", lambda sc: _p(sc).takeSample(False, -1)),
    ("sample-negative-fraction", lambda sc: _p(sc).sample(False, -0.1)),
    ("zip-different-partition-counts", lambda sc: _p(sc, n=2).zip(_p(sc, n=3))),
    ("coalesce-zero", lambda sc: _p(sc).coalesce(0).collect()),
    ("range-zero-step", lambda sc: sc.range(0, 5, 0)),
    ("sampleByKey-negative-fraction", lambda sc: _p(sc, KEYED["str"]).sampleByKey(False, {"a": -0.5})),
    ("randomSplit-negative-weight", lambda sc: _p(sc).randomSplit([1, -1])),
    ("randomSplit-zero-weights", lambda sc: _p(sc).randomSplit([0, 0])),
    # sortByKey samples its keys in the driver to find range bounds; None keys do not compare.
    ("sortByKey-unorderable-keys", lambda sc: _p(sc, [(None, 3), (None, 1), (None, 2)], 2).sortByKey()),
    # Functions PySpark calls in the driver too: a StopIteration there becomes its RuntimeError.
    # (next() of an empty iterator raises it; a module function would not reach PySpark's workers.)
    ("aggregate-combOp-StopIteration", lambda sc: _p(sc).aggregate(0, lambda a, x: a, lambda a, b: next(iter(())))),
    ("reduceByKeyLocally-StopIteration",
     lambda sc: _p(sc, [("a", 1), ("a", 2)], 2).reduceByKeyLocally(lambda a, b: next(iter(())))),
]


@pytest.mark.parametrize("name,action", _case_params(ERRORS))
def test_driver_error(sc, spark_sc, name, action):
    assert_same_error(sc, spark_sc, action)


def test_stats_of_numpy_arrays(sc, spark_sc):
    # PySpark's StatCounter takes max/min/sqrt from numpy: arrays are counted element-wise.
    np = pytest.importorskip("numpy")
    data = [np.array([1.0, 4.0, -2.0]), np.array([3.0, 0.5, 7.0]), np.array([2.0, 2.0, float("nan")]),
            np.array([0.0, 9.0, 1.0])]
    for n in (1, 2, 3):
        ours, theirs = sc.parallelize(data, n).stats(), spark_sc.parallelize(data, n).stats()
        assert repr(ours) == repr(theirs)
        for stat in ("count", "mean", "sum", "min", "max", "variance", "sampleVariance", "stdev", "sampleStdev"):
            a, b = getattr(ours, stat)(), getattr(theirs, stat)()
            assert np.array_equal(a, b, equal_nan=True), (n, stat, a, b)
        assert sorted(ours.asDict()) == sorted(theirs.asDict())
