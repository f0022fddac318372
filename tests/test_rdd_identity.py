"""What an RDD says it is, against real PySpark: class names, repr and ids.

PySpark's Python RDDs are all of class ``RDD`` except a Python function's result, a
``PipelinedRDD``; consecutive functions fuse into one PipelinedRDD (``map().filter()`` is one RDD,
one id), a PipelinedRDD takes its id only when something needs it, and operators that PySpark
builds from several JVM RDDs use up several ids. Students print all of these. Each case is built
on both contexts; ids are compared relative to a fresh RDD made just before, and the ids used up
are compared by making another one just after.
"""

import os
import re

import pytest

pytestmark = pytest.mark.pyspark

PAIRS = [(1, 1), (2, 2), (3, 3)]


def _other(sc):
    return sc.parallelize([(1, 2)])


CASES = {
    "parallelize": lambda sc: sc.parallelize([1, 2]),
    "parallelize range": lambda sc: sc.parallelize(range(10), 2),
    "range": lambda sc: sc.range(3),
    "emptyRDD": lambda sc: sc.emptyRDD(),
    "map": lambda sc: sc.parallelize([1, 2]).map(str),
    "map filter": lambda sc: sc.parallelize([1, 2]).map(str).filter(bool),
    "map cache map": lambda sc: sc.parallelize([1, 2]).map(str).cache().map(len),
    "named": lambda sc: sc.parallelize([1, 2]).map(str).setName("words"),
    "union": lambda sc: sc.parallelize([1]).union(sc.parallelize([2])),
    "context union": lambda sc: sc.union([sc.parallelize([1]), sc.parallelize([2])]),
    "coalesce": lambda sc: sc.parallelize([1, 2], 2).coalesce(1),
    "repartition": lambda sc: sc.parallelize([1, 2], 2).repartition(3),
    "partitionBy": lambda sc: sc.parallelize(PAIRS, 2).partitionBy(3),
    "reduceByKey": lambda sc: sc.parallelize(PAIRS, 2).map(lambda kv: kv).reduceByKey(max),
    "groupByKey": lambda sc: sc.parallelize(PAIRS, 2).groupByKey(),
    "distinct": lambda sc: sc.parallelize([1, 1, 2], 2).distinct(),
    "join": lambda sc: sc.parallelize(PAIRS, 2).join(_other(sc)),
    "self join": lambda sc: sc.parallelize(PAIRS, 2).map(lambda kv: kv).join(sc.parallelize(PAIRS, 2)),
    "leftOuterJoin": lambda sc: sc.parallelize(PAIRS, 2).leftOuterJoin(_other(sc)),
    "cogroup": lambda sc: sc.parallelize(PAIRS, 2).cogroup(_other(sc)),
    "subtractByKey": lambda sc: sc.parallelize(PAIRS, 2).subtractByKey(_other(sc)),
    "intersection": lambda sc: sc.parallelize([1, 2], 2).intersection(sc.parallelize([2])),
    "sortByKey": lambda sc: sc.parallelize(PAIRS, 2).sortByKey(),
    "sortBy": lambda sc: sc.parallelize([3, 1, 2], 2).sortBy(lambda x: x),
    "zipWithIndex": lambda sc: sc.parallelize([1, 2], 2).zipWithIndex(),
    "cartesian": lambda sc: sc.parallelize([1]).cartesian(sc.parallelize([2])),
    "glom": lambda sc: sc.parallelize([1, 2]).glom(),
    "mapValues flatMapValues": lambda sc: sc.parallelize(PAIRS).mapValues(str).flatMapValues(list),
}

ACTIONS = {
    "count": lambda r: r.count(),
    "sum": lambda r: r.values().sum(),
    "collect": lambda r: r.collect(),
    "first": lambda r: r.first(),
    "take": lambda r: r.take(2),
    "max": lambda r: r.max(),
    "stats": lambda r: r.values().stats(),
    "countByKey": lambda r: r.countByKey(),
    "collectAsMap": lambda r: r.collectAsMap(),
    "top": lambda r: r.top(1),
    "reduce": lambda r: r.reduce(max),
    "aggregate": lambda r: r.aggregate(0, lambda a, kv: a + kv[1], lambda a, b: a + b),
    "lookup": lambda r: r.lookup(1),
    "takeSample": lambda r: r.takeSample(False, 1, 1),
    "foreach": lambda r: r.foreach(lambda x: None),
    "toLocalIterator": lambda r: list(r.toLocalIterator()),
}


def _probe(sc):
    return sc.parallelize([0]).id()


def describe(sc, build):
    base = _probe(sc)
    rdd = build(sc)
    rid = rdd.id()
    text = repr(rdd)
    used = _probe(sc) - base - 1
    shape = re.match(r"^(.*)\[(\d+)\] at ", text)
    kind = None if shape is None else (shape.group(1), int(shape.group(2)) - base)
    return type(rdd).__name__, rid - base, used, kind


@pytest.mark.parametrize("name", list(CASES))
def test_class_name_id_and_repr_are_pysparks(sc, spark_sc, name):
    ours, theirs = describe(sc, CASES[name]), describe(spark_sc, CASES[name])
    if theirs[3] is None:  # PySpark prints a JVM object (JavaPairRDD@1a2b3c): nothing to match
        ours, theirs = ours[:3], theirs[:3]
    assert ours == theirs


@pytest.mark.parametrize("name", list(ACTIONS))
def test_an_action_uses_up_the_ids_pyspark_uses(sc, spark_sc, name):
    def used(context):
        rdd = context.parallelize(PAIRS, 2)
        base = _probe(context)
        ACTIONS[name](rdd)
        return _probe(context) - base - 1

    assert used(sc) == used(spark_sc)


def test_lazy_ids_follow_the_order_they_are_asked_for(sc, spark_sc):
    def ids(context):
        rdd = context.parallelize([1, 2, 3])
        mapped = rdd.map(lambda x: x * 2)
        filtered = mapped.filter(lambda x: x > 2)
        return filtered.id() - rdd.id(), mapped.id() - rdd.id()

    assert ids(sc) == ids(spark_sc) == (1, 2)


def test_rdd_is_generic_and_the_repr_names_the_users_operator(sc):
    from sparklet import RDD

    assert RDD[int].__origin__ is RDD
    lines = sc.parallelize(["a b"]).flatMap(str.split).map(str.upper)
    assert re.fullmatch(r"PythonRDD\[\d+\] at map at .*test_rdd_identity\.py:\d+", repr(lines))


def test_checkpoint_uris_and_the_mapPartitionsWithSplit_warning(sc, spark_sc, tmp_path):
    import warnings

    def surface(context, directory):
        context.setCheckpointDir(str(directory))
        checkpoints = context.getCheckpointDir()
        rdd = context.parallelize([1, 2], 2).map(lambda x: x)
        rdd.checkpoint()
        rdd.collect()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            context.parallelize([1]).mapPartitionsWithSplit(lambda i, it: it).collect()
        return (re.sub(r"[0-9a-f-]{36}$", "UUID", checkpoints.replace(str(directory), "DIR")),
                rdd.getCheckpointFile() == "%s/rdd-%d" % (checkpoints, rdd.id()),
                [(w.category, str(w.message), w.filename) for w in caught])

    ours, theirs = surface(sc, tmp_path / "ours"), surface(spark_sc, tmp_path / "theirs")
    assert ours == theirs
    assert ours[0] == "file:DIR/UUID" and ours[1] and ours[2][0][2] == __file__


def test_a_context_made_without_master_or_name_in_a_plain_process():
    import subprocess
    import sys

    def run(package):
        code = ("from %s import SparkContext\nsc = SparkContext()\nprint(sc.master, sc.appName)\nsc.stop()" % package)
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=240,
                                env=dict(os.environ, SPARKLET_PYSPARK_ALIAS="0", PYSPARK_PYTHON=sys.executable))
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    assert run("sparklet") == run("pyspark") == "local[*] pyspark-shell\n"
