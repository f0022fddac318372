"""The DataFrame, Column and SparkSession API beyond the core (sampling, reshaping, statistics,
Arrow/pandas batches, field metadata, struct fields, hints) on Sparklet and on real PySpark.

Each case prints what a user would see; it runs against a Sparklet session and a real PySpark
session and the transcripts must be identical (expression and plan ids numbered by first
appearance). Seeded samples must keep exactly PySpark's rows: Sparklet draws with Spark's own
generators. Data comes from ``spark.range`` with explicit partition counts, or small local lists
that both sides split into the same partitions, since sampling and frequent items depend on them.
"""

import contextlib
import io

import pytest

from test_sql_differential import transcript

pytestmark = pytest.mark.pyspark


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def sample_seeded(spark, F, T):
    df = spark.range(0, 100, 1, 3)
    print(df.sample(0.2, 7).collect())
    print(df.sample(fraction=0.5, seed=-3).count())
    print(df.sample(True, 0.4, 11).collect())
    print(df.sample(withReplacement=True, fraction=2.5, seed=1).count())
    print(df.filter(F.col("id") % 2 == 0).sample(0.3, 5).collect())
    print(df.sample(1.0).count(), df.sample(0.0, 1).count())


@case
def sample_errors(spark, F, T):
    for args in [(-0.1,), (True, -0.5), (False, 1.5), ("x",), (True, 1)]:
        try:
            spark.range(3).sample(*args)
        except Exception as e:
            print(type(e).__name__, e)


@case
def random_split(spark, F, T):
    splits = spark.range(0, 50, 1, 2).randomSplit([1.0, 2.0, 3.0], 24)
    print([s.collect() for s in splits])
    people = spark.createDataFrame([(10, 80, "Alice"), (5, None, "Bob"), (None, None, "Tom"),
                                    (None, None, None)], "age int, height int, name string")
    print([s.collect() for s in people.randomSplit([1.0, 2.0], 24)])
    for weights in [[0.0, 0.0], [1.0, -1.0]]:
        try:
            spark.range(3).randomSplit(weights, 1)
        except Exception as e:
            print(type(e).__name__, e)


@case
def sample_by(spark, F, T):
    ds = spark.range(0, 100, 1, 5).select((F.col("id") % 3).alias("key"), "id")
    print(ds.sampleBy("key", fractions={0: 0.1, 1: 0.2}, seed=0).collect())
    print(ds.stat.sampleBy(F.col("key"), {2: 0.5}, 42).count())
    try:
        ds.sampleBy("key", {0: 1.5})
    except Exception as e:
        print(type(e).__name__, e)


@case
def unpivot(spark, F, T):
    df = spark.createDataFrame([(1, 11, 1.1), (2, 12, None)], ["id", "int", "double"])
    u = df.unpivot("id", ["int", "double"], "var", "val")
    u.show()
    u.printSchema()
    df.melt(["id", "int"], None, "var", "val").show()
    df.unpivot(df.id, (df.int + 1, "double"), "v", "w").show()
    for ids, values in [(["id", "int", "double"], None)]:
        try:
            df.unpivot(ids, values, "a", "b")
        except Exception as e:
            print(type(e).__name__, str(e).split(";")[0])
    try:
        spark.createDataFrame([(1, "x", True)], ["id", "s", "b"]).unpivot("id", None, "a", "b")
    except Exception as e:
        print(type(e).__name__, str(e).split(";")[0])


@case
def transpose(spark, F, T):
    df = spark.createDataFrame([("B", 1, 2.5), ("A", 3, None)], ["id", "val1", "val2"])
    df.transpose().show()
    df.transpose().printSchema()
    df.transpose(df.val1).show()
    try:
        spark.createDataFrame([("B", 1, "x")], ["id", "v1", "v2"]).transpose()
    except Exception as e:
        print(type(e).__name__, str(e).split(";")[0])


@case
def approx_quantile(spark, F, T):
    df = spark.range(0, 600, 1, 3).select(((F.col("id") * 7919) % 1009).alias("x"),
                                            (F.col("id") / 7).alias("y"))
    for err in [0.0, 0.05, 0.25]:
        print(err, df.approxQuantile(["x", "y"], [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0], err))
    print(spark.range(0).approxQuantile("id", [0.5], 0.1))
    with_nulls = spark.createDataFrame([(1,), (None,), (3,), (4,), (None,)], ["v"])
    print(with_nulls.stat.approxQuantile("v", (0.0, 0.5, 1.0), 0.05))
    for args in [("s", [0.5], 0.1), ("v", [1.5], 0.1), ("v", [0.5], -1)]:
        try:
            spark.createDataFrame([("a", 1)], ["s", "v"]).approxQuantile(*args)
        except Exception as e:
            print(type(e).__name__, e)


@case
def crosstab(spark, F, T):
    df = spark.createDataFrame([(1.0, "x"), (2.0, None), (None, "y"), (1.0, "x"), (1.5, "z")], ["a", "b"])
    ct = df.crosstab("a", "b")
    ct.sort("a_b").show()
    ct.printSchema()
    spark.range(0, 40, 1, 2).select((F.col("id") % 4).alias("k"), (F.col("id") % 7 > 2).alias("m")) \
        .stat.crosstab("k", "m").sort("k_m").show()


@case
def freq_items(spark, F, T):
    df = spark.range(0, 300, 1, 3).select((F.col("id") % 37).cast("string").alias("s"),
                                          (F.col("id") * 100003 % 41).alias("l"),
                                          (F.col("id") % 29 / 7).alias("d"))
    df.freqItems(["s", "l", "d"]).show(truncate=False)
    df.freqItems(("s", "l"), 0.05).show(truncate=False)
    df.stat.freqItems(["d"], 0.2).printSchema()
    spark.createDataFrame([(1,), (None,), (None,)], "a int").freqItems(["a"]).show()


@case
def to_arrow(spark, F, T):
    import datetime
    import decimal
    df = spark.createDataFrame(
        [(2, "Alice", 1.5, datetime.date(2024, 1, 2), [1, 2], {"a": 1}, decimal.Decimal("1.25"), (1, "x")),
         (5, "Bob", None, None, None, None, None, None)],
        "age int, name string, x double, d date, arr array<int>, m map<string,int>, dec decimal(5,2), "
        "st struct<i:int,s:string>")
    print(df.toArrow())
    print(spark.range(0, 10, 1, 3).toArrow())
    print(spark.range(0).toArrow())
    print(spark.createDataFrame([(1,)], "a int not null").toArrow().schema)


@case
def map_in_pandas_and_arrow(spark, F, T):
    import pyarrow as pa

    def double(it):
        for pdf in it:
            yield pdf.assign(n=pdf.id * 2)[["n", "id"]]
    df = spark.range(0, 5, 1, 2)
    df.mapInPandas(double, "id long, n long").show()
    df.mapInPandas(double, "id long, n long").explain()

    def positional(it):
        for pdf in it:
            yield pdf.rename(columns={"id": 0})
    df.mapInPandas(positional, "x double").show()

    def older(it):
        for batch in it:
            yield batch.filter(pa.compute.field("id") > 2)
    df.mapInArrow(older, df.schema).show()
    df.mapInArrow(older, df.schema).explain()
    print(spark.range(0, 100, 1, 2).mapInPandas(lambda it: (p.head(1) for p in it), "id long").collect())


@case
def repartition_by_range(spark, F, T):
    d = spark.range(0, 600, 1, 3).select(((F.col("id") * 7919) % 1009).alias("x"), (F.col("id") % 7).alias("k"))
    print([(len(p), min(r.x for r in p), max(r.x for r in p)) for p in d.repartitionByRange(4, "x").rdd.glom().collect()])
    print([sorted({r.k for r in p}) for p in d.repartitionByRange(3, F.desc("k")).rdd.glom().collect()])
    nulls = spark.createDataFrame([(None,), (1,), (2,), (None,), (3,)], "v int")
    print(nulls.repartitionByRange(2, "v").rdd.glom().collect())
    d.repartitionByRange(3, "k").explain()
    try:
        d.repartitionByRange(2)
    except Exception as e:
        print(type(e).__name__, e)


@case
def field_metadata(spark, F, T):
    df = spark.createDataFrame([(2, "Alice"), (5, "Bob")], ["age", "name"])
    m = df.withMetadata("age", {"foo": "bar", "n": [1, 2]})
    print(m.schema.json())
    print(m.select(m.age.alias("x")).schema["x"].metadata, m.select((m.age + 1).alias("y")).schema["y"].metadata)
    print(df.select(df.age.alias("age3", metadata={"max": 99})).schema["age3"].metadata)
    print(m.filter("age > 1").groupBy("age").count().schema["age"].metadata)
    print(m.withColumnRenamed("age", "a").schema["a"].metadata)
    for f in [lambda: df.select(df.age.alias("a", "b", metadata={"x": 1})), lambda: df.withMetadata("age", 3)]:
        try:
            f()
        except Exception as e:
            print(type(e).__name__, e)


@case
def struct_fields(spark, F, T):
    df = spark.createDataFrame([((1, 2, 3, (4, 5, 6)),), (None,)],
                               "a struct<b:int,c:int,d:int,e:struct<f:int,g:int,h:int>>")
    df.withColumn("a", df["a"].dropFields("b")).show()
    df.withColumn("a", F.col("a").dropFields("e.g", "e.h")).printSchema()
    df.withColumn("a", F.col("a").withField("e.z", F.lit("x")).withField("B", F.lit(9))).show()
    df.select(F.col("a").withField("e", F.col("a.e").dropFields("g", "h")).alias("a")).show()
    df.select(F.col("a").withField("q", F.lit(1))).printSchema()
    for f in [lambda: df.select(F.col("a").dropFields("b", "c", "d", "e")),
              lambda: df.select(F.col("a.b").withField("x", F.lit(1)))]:
        try:
            f()
        except Exception as e:
            print(type(e).__name__, str(e).split(";")[0])


@case
def small_methods(spark, F, T):
    df = spark.createDataFrame([("a", 1, 2), ("b", 2, 3)], ["Col1", "Col2", "col3"])
    df.select(df.colRegex("`(Col1)?+.+`")).show()
    print(df.select(df.colRegex("`col.*`")).columns)
    print(df.to(T.StructType([T.StructField("col2", T.StringType()), T.StructField("Col1", T.StringType())])).collect())
    print(df.isLocal(), spark.sql("SHOW TABLES").isLocal())
    print(df.storageLevel, df.cache().storageLevel)
    e = spark.emptyDataFrame("name STRING, age INT")
    e.printSchema()
    print(e.count())
    sales = spark.createDataFrame([("Fremont", "Civic", 10), ("Fremont", "CRV", 7), ("Dublin", "Civic", 20)],
                                  "city string, model string, q int")
    sales.groupingSets([("city", "model"), ("city",), ()], "city", "model") \
        .agg(F.sum("q").alias("sum"), F.avg("q")).sort("city", "model").show()
    small = spark.createDataFrame([(80, "Tom"), (85, "Bob")], ["height", "name"])
    people = spark.createDataFrame([(2, "Alice"), (5, "Bob")], ["age", "name"])
    joined = people.join(small.hint("broadcast"), "name")
    plan = io.StringIO()
    with contextlib.redirect_stdout(plan):
        joined.explain()
    print("BroadcastHashJoin" in plan.getvalue(), "SortMergeJoin" in plan.getvalue())
    joined.sort("name").show()
    people.createTempView("dfapi_people")
    try:
        people.createTempView("dfapi_people")
    except Exception as e:
        print(type(e).__name__, str(e).split("\n")[0])
    spark.catalog.dropTempView("dfapi_people")


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_output_as_pyspark(name, sparklet_spark, pyspark_session):
    fn = CASES[name]
    expected = transcript(fn, pyspark_session, "pyspark")
    got = transcript(fn, sparklet_spark, "sparklet")
    assert got == expected


def test_seeded_samplers_match_spark_generators(spark_sc):
    """Each generator a seeded sample draws from, against the JVM's own (Spark's XORShiftRandom,
    java.util.Random, commons-math's Poisson over Well19937c): one draw off and every later row
    of the partition is kept or dropped differently."""
    from sparklet.sql.sampling import JavaRandom, PoissonDraws, XORShiftRandom
    jvm = spark_sc._jvm
    for seed in [0, 3, -7, 2 ** 40 + 5]:
        theirs = jvm.org.apache.spark.util.random.XORShiftRandom(seed)
        ours = XORShiftRandom(seed)
        assert [ours.next_double() for _ in range(50)] == [theirs.nextDouble() for _ in range(50)]
        theirs = jvm.java.util.Random(seed)
        ours = JavaRandom(seed)
        assert [ours.next_long() for _ in range(5)] == [theirs.nextLong() for _ in range(5)]
        for mean in [0.1, 0.5, 2.5]:
            theirs = jvm.org.apache.commons.math3.distribution.PoissonDistribution(mean)
            theirs.reseedRandomGenerator(seed)
            ours = PoissonDraws(mean, seed)
            assert [ours.sample() for _ in range(200)] == [theirs.sample() for _ in range(200)]
