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
    text = re.sub(r"RDD\[\d+\]", "RDD[N]", text)  # the JVM's RDD ids in Scan ExistingRDD's arguments
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



@case
def explain_formatted_and_file_scans(spark, F, T):
    # file scans name their pruned columns, the filters above them and what a source can push;
    # explain("formatted") numbers operators and details each; the files' path is the same for
    # both engines
    import os
    import tempfile
    d = os.path.join(tempfile.gettempdir(), "sparklet-explain-case-%d" % os.getuid())
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, "people.json")
    with open(p, "w") as f:
        f.write('{"name":"Michael"}\n{"name":"Andy", "age":30}\n{"name":"Justin", "age":19}\n')
    c = os.path.join(d, "people.csv")
    with open(c, "w") as f:
        f.write("name,age\nMichael,\nAndy,30\nJustin,19\n")
    pq = os.path.join(d, "people_parquet")
    spark.read.json(p).write.mode("overwrite").parquet(pq)
    spark.range(10).filter("id > 3").select((F.col("id") * 2).alias("x")).explain("formatted")
    spark.read.json(p).explain()
    spark.read.json(p).filter("age > 21").select("name").explain()
    spark.read.json(p).filter("age > 21").select("name").explain("formatted")
    spark.read.csv(c, header=True, inferSchema=True).filter(
        F.col("name").startswith("A") & F.col("age").isNotNull()).explain()
    spark.read.option("header", True).csv(c).filter("name = 'Andy'").explain("formatted")
    spark.read.text(p).filter(F.col("value").contains("A")).explain()
    spark.read.parquet(pq).filter("age >= 19 AND name IN ('Andy', 'Bob')").explain()
    spark.read.parquet(pq).filter("age < 40 OR name = 'x'").select("age").explain("formatted")
    spark.read.json(p).groupBy("age").count().explain("formatted")
    df = spark.createDataFrame([(1, "a"), (2, "b")], ["k", "v"])
    df.filter("k > 1").explain("formatted")
    df.join(spark.range(5).withColumnRenamed("id", "k"), "k").explain("formatted")
    df.join(spark.range(5).withColumnRenamed("id", "k"), "k").explain()
    spark.range(10).orderBy(F.col("id").desc()).limit(3).explain("formatted")
    spark.read.json(p).filter("age > 21").select("name").show()
    spark.read.json(p).groupBy("age").count().orderBy("age").show()

@case
def group_and_aggregate(spark, F, T):
    df = people(spark)
    df.groupBy("dept").count().show()
    df.groupBy("age").count().show()
    df.groupBy("dept").agg(F.avg("salary"), F.max("age"), F.min("name"), F.sum("age"), F.count("*"),
                           F.count("salary")).show()
    df.groupBy("dept").agg({"salary": "max"}).show()
    df.groupBy(df.dept).agg(F.round(F.avg("salary"), 1).alias("avg_sal"), F.countDistinct("age")).show()
    df.agg(F.max("age"), F.avg("salary")).show()
    df.groupBy().count().show()
    df.groupBy("dept", "age").agg(F.sum("salary")).show()
    df.groupBy("dept").agg(F.collect_list("name"), F.first("name"), F.stddev("salary")).printSchema()
    print(df.groupBy("dept").agg(F.sum("age")).dtypes)
    print(spark.range(100).groupBy((F.col("id") % 7).alias("k")).count().collect())


@case
def order_and_distinct(spark, F, T):
    df = people(spark)
    # Spark orders ties by the order its reducers fetch map outputs in, which it leaves undefined:
    # every ordering here is total
    df.orderBy("age", "name").show()
    df.orderBy(df.salary.desc()).show()
    df.sort("dept", F.col("age").desc()).show()
    df.orderBy(F.col("age").asc_nulls_last(), "name").show()
    df.orderBy("dept", ascending=False).select("dept").show()
    df.orderBy(["dept", "name"], ascending=[False, True]).show()
    df.select("dept").distinct().show()
    df.select("dept", "age").distinct().show()
    df.dropDuplicates(["dept"]).select("dept").show()
    print(df.select("age").distinct().count())
    df.orderBy("age", "name").limit(3).show()


@case
def explain_extended_and_cost(spark, F, T):
    # explain(True): the parsed plan (the last call's operator unresolved over the analysed
    # child; SQL text wholly unresolved), the analysed plan with its schema and temp views as
    # View nodes, the optimized plan (inferred isnotnull filters, no aliases) and the verbose
    # physical plan; explain("cost"): Spark's size-only statistics
    df = people(spark)
    df.createOrReplaceTempView("people_explained")
    df.select("name", (df.age + 1).alias("a")).filter("a > 3").explain(True)
    spark.sql("SELECT dept, count(*) AS n FROM people_explained WHERE age > 1 GROUP BY dept").explain(True)
    df.select("name").orderBy("age").explain(True)
    df.select(df.name, df["age"]).explain("extended")
    df.groupBy("dept").agg(F.max("age").alias("m")).explain(True)
    df.limit(1).explain(True)
    spark.sql("SELECT name FROM people_explained p WHERE p.age > 1 ORDER BY name DESC LIMIT 2").explain(True)
    spark.range(3).agg(F.count("*")).explain(True)
    df.withColumn("x", F.col("age") * 2).explain(True)
    df.withColumns({"x": F.lit(1), "y": F.col("age")}).explain(True)
    df.withColumnRenamed("age", "a").explain(True)
    df.join(spark.createDataFrame([("Bob", 1)], ["name", "n"]), "name", "left").explain(True)
    df.filter(df.age * 2 > 3).explain()
    spark.range(100).filter("id > 5").select("id").explain(mode="cost")
    df.groupBy("dept").count().explain(mode="cost")
    spark.range(100).join(spark.range(10), "id").explain(mode="cost")
    spark.range(10).limit(3).explain(mode="cost")


@case
def explain_aggregate(spark, F, T):
    df = people(spark)
    df.groupBy("age").count().explain()
    df.orderBy("age").explain()
    df.select("dept").distinct().explain()


@case
def sql_and_views(spark, F, T):
    df = people(spark)
    df.createOrReplaceTempView("people")
    spark.sql("SELECT name, age + 1 FROM people WHERE age > 30").show()
    spark.sql("SELECT dept, count(*), avg(salary) AS avg_sal FROM people GROUP BY dept").show()
    spark.sql("SELECT dept, count(*) AS n FROM people GROUP BY dept HAVING count(*) > 1 ORDER BY n DESC").show()
    spark.sql("SELECT * FROM people ORDER BY salary DESC NULLS LAST LIMIT 3").show()
    spark.sql("SELECT upper(name) AS n, CASE WHEN age > 30 THEN 'old' ELSE 'young' END AS band FROM people").show()
    spark.sql("SELECT 1, 'a', 1.5, 1.0 / 3, 0.1 + 0.2, NULL, true, DATE '2024-01-02'").show()
    spark.sql("SELECT DISTINCT dept FROM people").show()
    spark.sql("SELECT p.name FROM people p WHERE p.dept IN ('HR', 'Sales') AND p.age BETWEEN 30 AND 40").show()
    print(spark.sql("SELECT count(1) FROM people").collect())
    df.selectExpr("name", "age * 2 AS double_age", "salary IS NULL").show()
    df.select(F.expr("length(name)"), F.expr("substring(name, 1, 2)")).show()
    df.filter("dept = 'IT' and age < 40").show()
    print(spark.table("people").count())
    spark.sql("SELECT dept, max(age) FROM people GROUP BY 1").show()
    with_cte = "WITH t AS (SELECT dept, age FROM people WHERE age IS NOT NULL) SELECT dept, sum(age) FROM t GROUP BY dept"
    spark.sql(with_cte).show()


@case
def sql_errors(spark, F, T):
    people(spark).createOrReplaceTempView("people")
    for q in ["SELECT nope FROM people", "SELECT * FROM missing_table", "SELEC 1"]:
        try:
            spark.sql(q)
        except Exception as e:
            print(type(e).__name__, e.getCondition())


@case
def joins(spark, F, T):
    emp = people(spark)
    depts = spark.createDataFrame([("HR", "Floor 1"), ("IT", "Floor 2"), ("Ops", "Floor 3")], ["dept", "where"])
    for how in ["inner", "left", "right", "full", "left_semi", "left_anti"]:
        rows = emp.join(depts, "dept", how).collect()
        print(how, sorted(rows, key=str))
        print(emp.join(depts, "dept", how).columns)
    rows = emp.join(depts, emp.dept == depts.dept, "inner").select(emp.name, depts["where"]).collect()
    print(sorted(rows, key=str))
    print(emp.crossJoin(depts).count())
    a = spark.createDataFrame([(1, "x"), (2, "y")], ["id", "v"])
    b = spark.createDataFrame([(3, "z")], ["id", "v"])
    a.union(b).show()
    b.select("v", "id").unionByName(a).show()
    a.unionByName(spark.createDataFrame([(4,)], ["id"]), allowMissingColumns=True).show()



@case
def broadcast_joins(spark, F, T):
    # each join type with the broadcast side on the right and on the left: a streaming broadcast
    # join runs inside its stream side's stage, the others see all stream rows at once
    a = spark.createDataFrame([(i % 7, i, "a%d" % i) for i in range(40)] + [(None, 99, "n")],
                              "k int, v int, s string").repartition(3)
    b = spark.range(0, 5).select(F.col("id").cast("int").alias("k"), (F.col("id") * 10).alias("w"))
    c = spark.range(0, 3).select(F.col("id").cast("int").alias("k2"), F.lit("c").alias("t"))
    for how in ["inner", "left", "right", "full", "semi", "anti"]:
        print(how, sorted(a.join(F.broadcast(b), "k", how).collect(), key=str))
        print(how, sorted(F.broadcast(b).join(a, "k", how).collect(), key=str))
    # two broadcast joins and a partial aggregate in one stage; a residual condition; a nested loop join
    print(sorted(a.join(F.broadcast(b), "k").join(F.broadcast(c), F.col("k") == F.col("k2"))
                 .groupBy("t").agg(F.sum("w"), F.count("*")).collect(), key=str))
    print(a.join(F.broadcast(b), (a.k == b.k) & (a.v > b.w)).agg(F.sum("v"), F.count("*")).collect())
    print(sorted(a.join(F.broadcast(c), a.v < c.k2 * 5, "left").groupBy("t").count().collect(), key=str))
    a.join(F.broadcast(b), "k").filter("w > 10").select("s", "w").orderBy("s").show(5)

@case
def windows(spark, F, T):
    df = people(spark)
    W = F.Window
    w = W.partitionBy("dept").orderBy("salary")
    df.select("name", "dept", "salary", F.row_number().over(w).alias("rn"), F.rank().over(w),
              F.dense_rank().over(w), F.lag("salary").over(w), F.lead("salary", 1, 0.0).over(w)).show()
    df.withColumn("total", F.sum("salary").over(W.partitionBy("dept"))).show()
    df.withColumn("running", F.sum("age").over(W.partitionBy("dept").orderBy("name")
                                               .rowsBetween(W.unboundedPreceding, W.currentRow))).show()
    df.withColumn("r", F.count("*").over(W.orderBy("name").rowsBetween(-1, 1))).show()
    df.withColumn("m", F.max("age").over(W.partitionBy("dept").orderBy("age")
                                         .rangeBetween(W.unboundedPreceding, 0))).show()
    df.createOrReplaceTempView("people")
    spark.sql("SELECT name, dept, rank() OVER (PARTITION BY dept ORDER BY age DESC) AS r FROM people").show()


@case
def word_count(spark, F, T):
    lines = spark.createDataFrame([("the quick brown fox",), ("the lazy dog",), ("the end",)], ["value"])
    words = lines.select(F.explode(F.split(lines.value, " ")).alias("word"))
    words.groupBy("word").count().show()
    words.groupBy("word").count().orderBy(F.desc("count"), "word").show(3)
    lines.select(F.size(F.split("value", " ")).alias("n"), F.array_contains(F.split("value", " "), "the")).show()


@case
def scalar_functions(spark, F, T):
    from datetime import date
    df = spark.createDataFrame([("  Alice ", date(2024, 2, 29), 2.675, -7), ("bob", date(2023, 12, 31), 1.5, 3)],
                               ["s", "d", "x", "n"])
    df.select(F.lower("s"), F.upper("s"), F.length("s"), F.trim("s"), F.ltrim("s"), F.rtrim("s")).show()
    df.select(F.concat("s", F.lit("!")), F.concat_ws("-", "s", F.lit("x")), F.substring("s", 2, 3),
              F.regexp_replace("s", "[aeiou]", "_"), F.regexp_extract("s", "([A-Za-z]+)", 1)).show()
    df.select(F.year("d"), F.month("d"), F.dayofmonth("d"), F.date_add("d", 1), F.datediff("d", F.lit("2024-01-01")),
              F.date_format("d", "yyyy/MM/dd"), F.dayofweek("d")).show()
    df.select(F.to_date(F.lit("2024-03-01")), F.to_date(F.lit("01/03/2024"), "dd/MM/yyyy")).show()
    df.select(F.round("x", 2), F.round("x"), F.abs("n"), F.sqrt(F.abs("n")), F.floor("x"), F.ceil("x")).show()
    df.select(F.coalesce(F.lit(None).cast("int"), "n"), F.greatest("n", F.lit(0)), F.least("n", F.lit(0))).show()
    df.select((F.col("n") / 2).cast("int"), F.col("x").cast("int"), F.col("n").cast("double"),
              F.col("x").cast("string")).show()


@case
def read_and_write(spark, F, T):
    import os
    import tempfile
    d = tempfile.mkdtemp()
    p = os.path.join(d, "people.json")
    with open(p, "w") as f:
        f.write('{"name":"Michael"}\n{"name":"Andy", "age":30}\n{"name":"Justin", "age":19}\n')
    df = spark.read.json(p)
    df.printSchema()
    df.show()
    df.groupBy("age").count().show()
    df.filter(df.age > 20).select("name").show()
    c = os.path.join(d, "people.csv")
    with open(c, "w") as f:
        f.write("name;age;job\nJorge;30;Developer\nBob;32;Developer\n")
    spark.read.option("sep", ";").option("header", True).csv(c).show()
    spark.read.csv(c, sep=";", header=True, inferSchema=True).printSchema()
    spark.read.text(c).show()
    out = os.path.join(d, "out")
    df.write.parquet(out)
    spark.read.parquet(out).orderBy("name").show()
    try:
        df.write.parquet(out)
    except Exception as e:
        print(type(e).__name__, e.getCondition())
    df.write.mode("overwrite").json(out)
    print(sorted(spark.read.json(out).collect(), key=str))
    df.write.mode("append").json(out)
    print(spark.read.json(out).count())
    df.write.partitionBy("age").mode("overwrite").parquet(out)
    spark.read.parquet(out).orderBy("name").show()
    try:
        spark.read.json(os.path.join(d, "missing"))
    except Exception as e:
        print(type(e).__name__, e.getCondition())


@case
def na_describe_and_conversions(spark, F, T):
    df = people(spark)
    df.na.fill(0).show()
    df.na.fill({"salary": 1.5, "age": 1}).show()
    df.na.drop().show()
    df.dropna(subset=["age"]).show()
    df.describe("name", "dept").show()
    df.describe().show()
    df.select("age", "salary").summary("count", "min", "max").show()
    print(df.toPandas().to_string())
    print(df.rdd.map(lambda r: r.name).collect())
    print(df.toDF("a", "b", "c", "d").columns)
    cached = df.filter(df.age > 30).cache()
    print(cached.count(), cached.count(), cached.is_cached)
    print(df.repartition(3).rdd.getNumPartitions(), df.coalesce(1).rdd.getNumPartitions())
    print(sorted(df.repartition(3).collect(), key=str) == sorted(df.collect(), key=str))
    rdd = spark.sparkContext.parallelize([T.Row(word="a", n=1), T.Row(word="b", n=2)])
    words = spark.createDataFrame(rdd)
    words.createOrReplaceTempView("words")
    spark.sql("SELECT word, n * 10 AS m FROM words").show()
    spark.createDataFrame(df.toPandas()).show()


@case
def central_moments(spark, F, T):
    # stddev/variance digit for digit: each partition's (n, avg, m2) updated row by row, the
    # partitions' buffers merged in map order, so the partitioning shows in the last digits
    values = [(("a", "b", "c", None)[i % 4], None if i % 11 == 0 else (i * 7.3) % 97.1 - 40.0) for i in range(120)]
    for parts in (1, 3, 4):
        df = spark.createDataFrame(spark.sparkContext.parallelize(values, parts), "k string, x double")
        print(df.agg(F.stddev("x"), F.variance("x"), F.stddev_pop("x"), F.var_pop("x")).collect())
        print(sorted(df.groupBy("k").agg(F.stddev_samp("x"), F.var_samp("x"), F.stddev_pop("x")).collect(), key=str))
        df.summary("count", "mean", "stddev").show()
    ints = spark.createDataFrame([(i % 3, i * i - 50) for i in range(30)], "k int, x int")
    print(sorted(ints.groupBy("k").agg(F.stddev("x"), F.var_pop("x")).collect(), key=str))
    print(spark.createDataFrame([(1.0,), (None,)], "x double").agg(F.stddev("x"), F.stddev_pop("x")).collect())
    print(spark.range(0).agg(F.stddev("id"), F.var_pop("id")).collect())


@case
def partition_ids(spark, F, T):
    # spark_partition_id() is the partition of the task running the stage's query
    df = spark.range(0, 10, 1, 3)
    print(df.select("id", F.spark_partition_id().alias("p")).collect())
    print(sorted(df.repartition(4, "id").select("id", F.spark_partition_id()).collect()))
    df.coalesce(2).select(F.spark_partition_id().alias("p")).groupBy("p").count().orderBy("p").show()
    df.createOrReplaceTempView("ids")
    spark.sql("SELECT spark_partition_id() AS p, count(*) FROM ids GROUP BY 1 ORDER BY 1").show()


@case
def inline_tables_and_nested_literals(spark, F, T):
    # VALUES columns take their expressions' wider type and nullability; folded arrays of
    # structs and maps with NULL values run in the per-partition query
    df = spark.sql("SELECT * FROM VALUES (1, MAP(1, 2, 3, 4, 5, NULL)), (2, MAP()), (3, NULL) AS t(i, m)")
    df.printSchema()
    df.select("*", F.explode("m")).show(truncate=False)
    v = spark.sql("SELECT * FROM VALUES (1, 'a', 2.5), (2, NULL, 3) AS t(i, s, d)")
    v.printSchema()
    v.show()
    s = spark.sql('SELECT ARRAY(NAMED_STRUCT("a", 1, "b", 2), NAMED_STRUCT("a", 3, "b", 4)) AS a')
    s.printSchema()
    s.select(F.explode("a").alias("s")).select("s.*").show()
    print(spark.sql("SELECT named_struct('k', id) FROM range(2)").collect())


@case
def sql_parameters(spark, F, T):
    # named and positional markers bound as expressions: literals of any type, and Columns
    mydf = spark.createDataFrame([(1, 4), (2, 4), (3, 6)], ["A", "B"])
    spark.sql("SELECT *, element_at(:m, 'a') AS C FROM {df} WHERE {df[B]} > :minB",
              {"minB": 5, "m": F.create_map(F.lit("a"), F.lit(1))}, df=mydf).show()
    spark.sql("SELECT *, element_at(?, 1) AS C FROM {df} WHERE {df[B]} > ? and ? < {df[A]}",
              args=[F.array(F.lit(1), F.lit(2), F.lit(3)), 5, 2], df=mydf).show()
    spark.sql("SELECT :x AS a, ':x' AS b, :y, :m", {"x": "it's", "y": 2.5, "m": F.create_map(F.lit("a"), F.lit(1))}).show()
    print(spark.sql("SELECT ?, ?", args=[1, "s"]).columns)
    spark.sql("SELECT :d AS d", {"d": datetime.date(2024, 1, 2)}).printSchema()
    spark.sql("SELECT :nope", {"x": 1})


@case
def json_of_strings(spark, F, T):
    # spark.read.json of a DataFrame of JSON strings (a NULL record is a corrupt one) and of an RDD
    json_df = spark.createDataFrame([('{"name": "Alice", "age": 25}',), ('{"name": "Bob", "age": 30}',), (None,),
                                     ('{"x": [1, 2]}',)], schema="value STRING")
    d = spark.read.json(json_df)
    d.printSchema()
    d.sort("name", F.col("x").asc_nulls_last()).show()
    spark.read.json(json_df, schema="name string").sort("name").show()
    print(spark.read.json(spark.sparkContext.parallelize(['{"a": 1}', '{"a": 2.5}'])).collect())


@case
def join_row_order(spark, F, T):
    # unsorted join results in PySpark's order: small outer and anti joins become broadcast hash
    # joins at run time (stream side in shuffle-map order, build rows last-inserted first), small
    # inner and semi joins stay sort merge joins, a statically broadcast side streams the other
    a = spark.createDataFrame([(3, "a0"), (1, "a1"), (2, "a2"), (1, "a3"), (5, "a4"), (3, "a5")], "k int, v string")
    b = spark.createDataFrame([(1, "b0"), (3, "b1"), (1, "b2"), (4, "b3"), (1, "b4"), (3, "b5")], "k int, w string")
    for how in ["inner", "left", "right", "semi", "anti", "full"]:
        print(how, [tuple(r) for r in a.join(b, "k", how).withColumn("p", F.spark_partition_id()).collect()])
    small = spark.range(0, 30).select((F.col("id") % 4).cast("int").alias("k"), F.col("id").alias("v"))
    print([tuple(r) for r in small.join(b, "k").collect()])
    print([tuple(r) for r in b.join(small, "k", "left").collect()])
    df = spark.createDataFrame([T.Row(name="Alice", age=2), T.Row(name="Bob", age=5)])
    df2 = spark.createDataFrame([T.Row(name="Tom", height=80), T.Row(name="Bob", height=85)])
    df.join(df2, "name", "right_outer").show()
    df.join(df2, "name", "left_outer").show()


@case
def cube_and_rollup_row_order(spark, F, T):
    # unsorted: the groups of every grouping set come out in the order Spark's Expand and
    # aggregate emit them
    df = spark.createDataFrame([("Alice", 2, 1.5), ("Bob", 5, None), ("Alice", 7, 2.0), ("Cid", 5, 3.0)],
                               ["name", "age", "x"])
    df.cube("name", df.age).count().show()
    df.rollup("name", "age").agg(F.sum("x"), F.max("age")).show()
    df.rollup("name").count().show()
    df.cube("age").agg(F.sum("x")).printSchema()


@case
def order_by_a_name_the_output_repeats(spark, F, T):
    # a sort key ambiguous in the output resolves below it (an aggregate's grouping key) or is
    # reported unresolved, as Spark's analyzer does
    df = spark.createDataFrame([("a", 1, 1.5), ("b", 5, None), ("a", 7, 2.0)], ["k", "g", "x"])
    df.createOrReplaceTempView("t")
    for run in [lambda: df.groupBy("k").agg(F.sum("g").alias("k")).orderBy("k"),
                lambda: df.groupBy("k").agg(F.max("k").alias("k")).orderBy(F.desc("k")),
                lambda: spark.sql("SELECT k, sum(g) AS k FROM t GROUP BY k ORDER BY k"),
                lambda: df.groupBy("k").agg(F.sum("g").alias("s"), F.max("g").alias("s")).orderBy("s"),
                lambda: df.groupBy("k").agg(F.count(F.lit(1)), F.count(F.lit(1))).orderBy("count(1)"),
                lambda: spark.sql("SELECT k, sum(g) AS s, sum(g) AS s FROM t GROUP BY k ORDER BY s"),
                lambda: df.select(F.col("k").alias("a"), F.col("g").alias("a")).orderBy("a")]:
        try:
            run().show()
        except Exception as e:
            print(type(e).__name__, e.getCondition())


@case
def udfs_and_global_views(spark, F, T):
    df = people(spark)
    slen = F.udf(lambda s: len(s), T.IntegerType())
    df.select(slen("name").alias("n"), F.udf(lambda s: s.upper())(df.name)).show()
    spark.udf.register("plus1", lambda x: x + 1, "int")
    df.createOrReplaceTempView("people")
    spark.sql("SELECT name, plus1(length(name)) FROM people").show()
    df.createOrReplaceGlobalTempView("gpeople")
    spark.sql("SELECT count(*) FROM global_temp.gpeople").show()


@case
def decimal_arithmetic_and_cast_names(spark, F, T):
    # Spark sizes decimal results by the operands as written (an integer column is decimal(20,0),
    # an integer literal has its own digits), and names a cast of a column after the column only
    # where it is projected as is
    df = spark.createDataFrame([(90000, 3), (81000, -7)], ["salary", "i"])
    exprs = ["salary * 1.1", "i * 1.1", "salary + 1.1", "salary / 1.1", "1.1 * 2.25", "i % 1.5",
             "cast(salary as decimal(10,2)) * 1.1", "salary * 1.1 + 1", "cast(salary as int) + 1",
             "cast(i as string)", "-1.25 * i - 0.5"]
    out = df.selectExpr(*exprs)
    out.printSchema()
    out.show()
    df.select(df.salary.cast("int"), (df.salary.cast("int") * 2), F.expr("cast(i as double) / 4")).show()


@case
def central_moments_over_partitions(spark, F, T):
    # Spark's CentralMomentAgg: moments updated row by row per partition, merged in partition
    # order; skewness and kurtosis take the same partial/final path as stddev, so mixing them in
    # one aggregate changes no digit
    salaries = [90000, 86000, 81000, 90000, 99000, 83000, 79000, 80000, 91000]
    df = spark.createDataFrame([(x, x % 3) for x in salaries], ["salary", "k"])
    moments = [F.stddev("salary"), F.variance("salary"), F.kurtosis("salary"), F.skewness("salary"),
               F.stddev_pop("salary"), F.var_pop("salary")]
    df.select(*moments).show()
    df.repartition(3, "k").groupBy("k").agg(*moments).orderBy("k").show()
    df.select(F.stddev("salary")).explain()


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_transcript(name, sparklet_spark, pyspark_session):
    fn = CASES[name]
    # the JVM names an RDD made from Python data after the call site its thread last recorded:
    # NativeMethodAccessorImpl.java:0 in a fresh JVM, <unknown>:0 after the generated pipelines
    # have run in the run's shared PySpark session; Sparklet prints the fresh JVM's
    expected = transcript(fn, pyspark_session, "pyspark").replace(
        "PythonRDD at <unknown>:0", "PythonRDD at NativeMethodAccessorImpl.java:0")
    got = transcript(fn, sparklet_spark, "sparklet")
    assert got == expected


def test_spark_sql_basic_example_prints_what_pyspark_prints(tmp_path):
    """Spark's bundled ``sql/basic.py`` (read from the installed pyspark, with the example data it
    reads written here) prints the same under ``sparklet-submit`` as under plain PySpark."""
    import os
    import subprocess
    import sys
    import pyspark
    script = os.path.join(os.path.dirname(pyspark.__file__), "examples", "src", "main", "python", "sql", "basic.py")
    if not os.path.exists(script):
        pytest.skip("this pyspark package does not ship its example scripts")
    resources = tmp_path / "examples" / "src" / "main" / "resources"
    resources.mkdir(parents=True)
    (resources / "people.json").write_text('{"name":"Michael"}\n{"name":"Andy", "age":30}\n{"name":"Justin", "age":19}\n')
    (resources / "people.txt").write_text("Michael, 29\nAndy, 30\nJustin, 19\n")
    engine = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable)
    theirs = subprocess.run([sys.executable, script], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert theirs.returncode == 0, theirs.stderr[-2000:]
    env["PYTHONPATH"] = os.pathsep.join([engine] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    ours = subprocess.run([sys.executable, "-m", "sparklet.submit", "--master", "local[2]", script], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert ours.returncode == 0, ours.stderr[-2000:]
    assert ours.stdout == theirs.stdout
