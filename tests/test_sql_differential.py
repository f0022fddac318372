"""DataFrame and SQL programs on Sparklet and on real PySpark: printed output byte for byte.

Every case is a function of (spark, F, T) that prints what a user would print (``show()``,
``printSchema()``, collected rows, ``columns``/``dtypes``, an error's class and condition); it
runs once against a Sparklet session and once against a real PySpark session, and the two
transcripts must be identical. ``explain()`` output is compared after numbering expression and
plan ids by first appearance (the JVM's ids depend on its history).
"""

import contextlib
import datetime
import decimal
import io
import re

import pytest

pytestmark = pytest.mark.pyspark

PEOPLE = [("Alice", 34, 5500.0, "HR"), ("Bob", 45, 4200.5, "IT"), ("Cathy", 29, None, "IT"),
          ("Dan", None, 3900.0, "HR"), ("Eve", 34, 6100.25, "Sales"), ("민수", 27, 4800.0, "IT")]
PEOPLE_COLS = ["name", "age", "salary", "dept"]


@pytest.fixture(scope="module")
def sparklet_spark(sc):
    from sparklet.sql import SparkSession
    return SparkSession.builder.getOrCreate()


@pytest.fixture(scope="module")
def real_spark(spark_sc):
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC") if False else None
    return spark


def _modules(which):
    if which == "sparklet":
        from sparklet.sql import functions as F, types as T, Window
    else:
        from pyspark.sql import functions as F, types as T, Window
    F.Window = Window
    return F, T


def _normalize_ids(text):
    ids, plans = {}, {}

    def expr_id(m):
        return "#%d" % ids.setdefault(m.group(1), len(ids))

    def plan_id(m):
        return "plan_id=%d" % plans.setdefault(m.group(1), len(plans))
    text = re.sub(r"#(\d+)", expr_id, text)
    return re.sub(r"plan_id=(\d+)", plan_id, text)


def transcript(case, spark, which):
    F, T = _modules(which)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            case(spark, F, T)
        except Exception as e:  # the error a user sees is part of the transcript
            cond = getattr(e, "getCondition", lambda: None)()
            print("ERROR", type(e).__name__, cond)
    return _normalize_ids(out.getvalue())


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def people(spark):
    return spark.createDataFrame(PEOPLE, PEOPLE_COLS)


@case
def schema_and_show(spark, F, T):
    df = people(spark)
    print(df)
    print(df.columns, df.dtypes)
    df.printSchema()
    df.show()
    df.show(2)
    df.show(truncate=False)
    df.show(3, vertical=True)


@case
def select_expressions(spark, F, T):
    df = people(spark)
    df.select("name", df.age + 1, (F.col("salary") / 2).alias("half"), df["age"] * 2 - 1).show()
    df.select(F.lit(1), F.lit("x"), F.lit(None), F.lit(1.5), F.lit(True), df.age.cast("string")).show()
    print(df.select(df.age.cast("int"), df.salary.cast("bigint"), F.col("name").alias("n")).dtypes)
    df.select(F.when(df.age > 30, "old").when(df.age > 28, "mid").otherwise("young").alias("band")).show()
    df.select(df.age.isNull(), df.age.isNotNull(), df.age.isin(34, 45), df.age.between(28, 40)).show()
    df.select(df.name.like("A%"), df.name.rlike("^[A-C]"), df.name.contains("a"), df.name.startswith("E"),
              df.name.endswith("e")).show()
    df.select(-df.age, df.age % 5, df.age == 34, df.age != 34, (df.age > 30) & (df.salary > 5000),
              (df.age < 30) | (df.salary.isNull()), ~(df.age > 30)).show()


@case
def filter_withcolumn_drop(spark, F, T):
    df = people(spark)
    df.filter(df.age > 30).show()
    df.where("salary > 4000").show()
    df.filter(F.col("dept") == "IT").select("name").show()
    df.withColumn("age2", df.age * 2).withColumnRenamed("name", "who").drop("dept").show()
    df.withColumn("age", F.col("age") + 100).show()
    print(df.drop("nope").columns, df.limit(2).count(), df.count())


@case
def collect_take_first(spark, F, T):
    df = people(spark)
    print(df.collect())
    print(df.take(2), df.first(), df.head(), df.head(3))
    print(df.select("name").limit(3).collect())
    print(spark.range(5).collect(), spark.range(2, 10, 3).collect())
    spark.range(0, 10, 1, 3).show()


@case
def create_variants(spark, F, T):
    from datetime import date, datetime
    spark.createDataFrame([{"b": 1, "a": "x"}, {"b": 2, "a": "y"}]).show()
    spark.createDataFrame([T.Row(name="A", n=1), T.Row(name="B", n=None)]).show()
    spark.createDataFrame([(1, "a")], "id int, v string").printSchema()
    schema = T.StructType([T.StructField("d", T.DateType()), T.StructField("x", T.DecimalType(10, 2)),
                           T.StructField("l", T.ArrayType(T.StringType()))])
    df = spark.createDataFrame([(date(2024, 1, 2), decimal.Decimal("1.50"), ["a", "b"])], schema)
    df.show()
    df.printSchema()
    print(df.collect())
    spark.createDataFrame([1, 2, 3], "int").show()
    spark.createDataFrame([(1.0e7, 1.0e-4, float("nan"), -0.0)], ["a", "b", "c", "d"]).show()


@case
def analysis_errors(spark, F, T):
    df = people(spark)
    try:
        df.select("nope")
    except Exception as e:
        print(type(e).__name__, e.getCondition())
    try:
        df.filter(F.col("agee") > 1)
    except Exception as e:
        print(type(e).__name__, e.getCondition())


@case
def explain_simple(spark, F, T):
    df = people(spark)
    df.select((df.age + 1), F.col("name").alias("n")).filter(F.col("age") > 2).explain()
    spark.range(10).explain()


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_transcript(name, sparklet_spark, real_spark):
    fn = CASES[name]
    expected = transcript(fn, real_spark, "pyspark")
    got = transcript(fn, sparklet_spark, "sparklet")
    assert got == expected
