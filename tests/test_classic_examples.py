"""The programming guide's classic examples, on Sparklet and on PySpark.

The examples are run as a user's notebook cell or script runs them: their source is executed in a
namespace named `__main__`, so the functions it defines travel to executors by value (as
cloudpickle ships a notebook's functions) and the globals they touch are copies there.
"""

import collections
import textwrap

import pytest

pytestmark = pytest.mark.pyspark


def run_as_main(sc, source):
    """Execute `source` as a `__main__` module with `sc` bound; returns its namespace."""
    namespace = {"__name__": "__main__", "sc": sc}
    exec(compile(textwrap.dedent(source), "<example>", "exec"), namespace)
    return namespace


def on_both(sc, spark_sc, source, names):
    ours, theirs = run_as_main(sc, source), run_as_main(spark_sc, source)
    return {n: ours[n] for n in names}, {n: theirs[n] for n in names}


TEXT = """It was the best of times, it was the worst of times,
it was the age of wisdom, it was the age of foolishness,

it was the epoch of belief, it was the epoch of incredulity,
it was the season of Light, it was the season of Darkness"""


def test_word_count_from_a_text_file(sc, spark_sc, tmp_path):
    path = tmp_path / "two-cities.txt"
    path.write_text(TEXT + "\n")
    source = f"""
        from operator import add
        lines = sc.textFile({str(path)!r}, 3)
        counts = (lines.flatMap(lambda line: line.lower().replace(",", "").split())
                       .map(lambda word: (word, 1))
                       .reduceByKey(add))
        result = sorted(counts.collect())
        top = counts.takeOrdered(3, key=lambda wc: (-wc[1], wc[0]))
        partitions = lines.getNumPartitions()
    """
    ours, theirs = on_both(sc, spark_sc, source, ["result", "top", "partitions"])
    expected = collections.Counter(TEXT.lower().replace(",", "").split())
    assert dict(ours["result"]) == expected
    assert ours == theirs
    assert ours["top"] == [("it", 8), ("of", 8), ("the", 8)]


def test_closure_lesson_driver_global_stays_zero_accumulator_gets_the_sum(sc, spark_sc):
    # The guide's "Understanding closures" example: foreach mutates the executors' copies of
    # `counter`, never the driver's; an accumulator is the way to sum across tasks.
    source = """
        counter = 0
        data = list(range(1, 101))
        rdd = sc.parallelize(data, 4)

        def increment_counter(x):
            global counter
            counter += x

        rdd.foreach(increment_counter)

        total = sc.accumulator(0)
        rdd.foreach(lambda x: total.add(x))
        accumulated = total.value

        also = sc.accumulator(0)

        def add_with_augmented_assignment(x):
            global also
            also += x

        rdd.foreach(add_with_augmented_assignment)
        augmented = also.value
    """
    ours, theirs = on_both(sc, spark_sc, source, ["counter", "accumulated", "augmented"])
    assert ours == {"counter": 0, "accumulated": 5050, "augmented": 5050}
    assert ours == theirs


def test_accumulator_updates_in_a_transformation_count_once_per_action(sc, spark_sc):
    # Updates made inside a map are applied when an action runs the map, once per computation.
    source = """
        seen = sc.accumulator(0)
        mapped = sc.parallelize(range(10), 3).map(lambda x: (seen.add(1), x)[1])
        before = seen.value
        mapped.count()
        after_one = seen.value
        mapped.count()
        after_two = seen.value
    """
    ours, theirs = on_both(sc, spark_sc, source, ["before", "after_one", "after_two"])
    assert ours == {"before": 0, "after_one": 10, "after_two": 20}
    assert ours == theirs


def test_broadcast_lookup_table(sc, spark_sc):
    source = """
        countries = {"fr": "France", "de": "Germany", "kr": "Korea", "br": "Brazil"}
        lookup = sc.broadcast(countries)
        visits = sc.parallelize([("fr", 3), ("kr", 1), ("xx", 7), ("br", 2), ("fr", 1)], 3)
        named = visits.map(lambda kv: (lookup.value.get(kv[0], "unknown"), kv[1])).collect()
        totals = sorted(visits.map(lambda kv: (lookup.value.get(kv[0], "unknown"), kv[1]))
                              .reduceByKey(lambda a, b: a + b).collect())
        driver_value = lookup.value
        lookup.unpersist()
        after_unpersist = visits.map(lambda kv: len(lookup.value)).distinct().collect()
        lookup.destroy()
    """
    ours, theirs = on_both(sc, spark_sc, source, ["named", "totals", "driver_value", "after_unpersist"])
    assert ours["named"] == [("France", 3), ("Korea", 1), ("unknown", 7), ("Brazil", 2), ("France", 1)]
    assert ours == theirs


def test_custom_accumulator_param(sc, spark_sc):
    source = """
        from pyspark_or_sparklet import AccumulatorParam

        class VectorAccumulatorParam(AccumulatorParam):
            def zero(self, value):
                return [0.0] * len(value)

            def addInPlace(self, v1, v2):
                for i in range(len(v1)):
                    v1[i] += v2[i]
                return v1

        class SetAccumulatorParam(AccumulatorParam):
            def zero(self, value):
                return set()

            def addInPlace(self, a, b):
                a |= b
                return a

        vector = sc.accumulator([1.0, 2.0, 3.0], VectorAccumulatorParam())
        words = sc.accumulator(set(), SetAccumulatorParam())
        rdd = sc.parallelize([1, 2, 3], 2)

        def add_to_both(x):
            vector.add([float(x)] * 3)
            words.add({"w%d" % (x % 2)})

        rdd.foreach(add_to_both)
        vector_value = vector.value
        words_value = sorted(words.value)
    """
    ours = run_as_main(sc, source.replace("pyspark_or_sparklet", "sparklet.accumulators"))
    theirs = run_as_main(spark_sc, source.replace("pyspark_or_sparklet", "pyspark.accumulators"))
    assert ours["vector_value"] == [7.0, 8.0, 9.0]
    assert ours["words_value"] == ["w0", "w1"]
    assert (ours["vector_value"], ours["words_value"]) == (theirs["vector_value"], theirs["words_value"])


def test_take_on_a_large_rdd_computes_only_the_partitions_it_needs(sc, spark_sc):
    # take() runs a job on the first partition, then on growing numbers of partitions until it
    # has enough: a million elements in 100 partitions, and take(5) computes one partition.
    source = """
        computed = sc.accumulator(0)

        def count_partition(iterator):
            computed.add(1)
            return iterator

        big = sc.parallelize(range(1_000_000), 100).mapPartitions(count_partition)
        first_five = big.take(5)
        partitions_for_five = computed.value
        late = big.filter(lambda x: x >= 995_000).take(2)
        partitions_for_late = computed.value - partitions_for_five
    """
    ours, theirs = on_both(sc, spark_sc, source, ["first_five", "partitions_for_five", "late", "partitions_for_late"])
    assert ours["first_five"] == [0, 1, 2, 3, 4]
    assert ours["partitions_for_five"] == 1
    assert ours["late"] == [995000, 995001]
    assert ours == theirs


def test_monte_carlo_pi_with_seeded_partitions(sc, spark_sc):
    source = """
        import random

        def inside(index, iterator):
            rng = random.Random(index)
            hits = 0
            for _ in iterator:
                x, y = rng.random(), rng.random()
                hits += x * x + y * y < 1
            yield hits

        samples = 20000
        hits = sc.parallelize(range(samples), 4).mapPartitionsWithIndex(inside).sum()
        pi = 4.0 * hits / samples
    """
    ours, theirs = on_both(sc, spark_sc, source, ["hits", "pi"])
    assert 3.0 < ours["pi"] < 3.3
    assert ours == theirs
