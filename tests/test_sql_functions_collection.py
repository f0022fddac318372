"""Collection functions (arrays, maps, structs, higher-order functions, generators, JSON/CSV) on
Sparklet and on real PySpark: what a user prints, byte for byte.

Each case is a function of (spark, F) that prints ``show()`` tables, schemas, column names or the
error a user sees; it runs against a Sparklet session and against a real PySpark session and the
two transcripts must be identical. Every function is called both through the DataFrame API and as
SQL text (one function registry serves both), with NULLs, empty collections and lambdas.
"""

import contextlib
import io

import pytest

pytestmark = pytest.mark.pyspark


def transcript(case, spark, which):
    if which == "sparklet":
        from sparklet.sql import functions as F
    else:
        from pyspark.sql import functions as F
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            case(spark, F)
        except Exception as e:  # the error a user sees is part of the transcript
            cond = getattr(e, "getCondition", lambda: None)()
            print("ERROR", type(e).__name__, cond)
    return out.getvalue()


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def arrays(spark):
    return spark.createDataFrame(
        [(1, [1, 2, 3, None], [3, 4], "a,b"), (2, [], [1], "c"), (3, None, None, None)],
        "id INT, xs ARRAY<INT>, ys ARRAY<INT>, s STRING")


def maps(spark):
    return spark.createDataFrame([(1, {"a": 1, "b": 2}), (2, {}), (3, None)], "id INT, m MAP<STRING, INT>")


@case
def higher_order_python_lambdas(spark, F):
    df = arrays(spark)
    df.select(F.transform("xs", lambda x: x * 2), F.filter("xs", lambda x, i: i > 0)).show(truncate=False)
    df.select(F.exists("xs", lambda x: x > 2), F.forall("xs", lambda x: x > 0)).show()
    df.select(F.aggregate("xs", F.lit(0), lambda acc, x: acc + F.coalesce(x, F.lit(0))).alias("total"),
              F.zip_with("xs", "ys", lambda x, y: F.coalesce(x, F.lit(0)) - y).alias("z")).show()
    df.select(F.transform("xs", lambda x, i: x + i)).printSchema()


@case
def higher_order_sql_lambdas(spark, F):
    arrays(spark).createOrReplaceTempView("arrays")
    spark.sql("SELECT id, transform(xs, x -> x + id) AS t, filter(xs, x -> x IS NOT NULL) AS f, "
              "aggregate(xs, 0, (acc, x) -> acc + coalesce(x, 0), acc -> acc * 10) AS a FROM arrays").show()
    spark.sql("SELECT array_sort(xs, (l, r) -> CASE WHEN l IS NULL THEN 1 WHEN r IS NULL THEN -1 "
              "WHEN l < r THEN 1 WHEN l > r THEN -1 ELSE 0 END) AS desc_sorted FROM arrays").show()
    print(spark.sql("SELECT transform(xs, x -> x * 2), exists(xs, x -> x > 2) FROM arrays").columns)


@case
def map_functions(spark, F):
    df = maps(spark)
    df.select(F.transform_keys("m", lambda k, v: F.upper(k)), F.transform_values("m", lambda k, v: v * 10),
              F.map_filter("m", lambda k, v: v > 1)).show(truncate=False)
    df.select(F.map_keys("m"), F.map_values("m"), F.map_entries("m"), F.map_contains_key("m", "a")).show()
    df.selectExpr("map_zip_with(m, map('a', 100, 'z', 26), (k, a, b) -> coalesce(a, 0) + coalesce(b, 0)) AS z",
                  "map_concat(m, map('c', 3)) AS c", "cardinality(m) AS n").show(truncate=False)
    df.select(F.map_entries("m")).printSchema()


@case
def map_builders(spark, F):
    spark.sql("SELECT map_from_arrays(array(1, 2), array('x', NULL)) AS a, "
              "map_from_entries(array(struct(1, 'a'), struct(2, NULL))) AS b, "
              "str_to_map('k1:v1,k2:v2') AS c, named_struct('x', 1, 'y', 'z') AS d").show()
    spark.sql("SELECT map(1, 'a', 1, 'b') AS m").show()


@case
def array_set_functions(spark, F):
    df = arrays(spark)
    df.select(F.array_union("xs", "ys"), F.array_intersect("xs", "ys"), F.array_except("xs", "ys"),
              F.arrays_overlap("xs", "ys")).show()
    df.selectExpr("array_distinct(array(1, NULL, 1, 2, NULL)) AS d", "array_compact(xs) AS c",
                  "array_sort(xs) AS s", "sort_array(xs, false) AS r").show()


@case
def array_element_functions(spark, F):
    df = arrays(spark)
    df.select(F.array_append("xs", 9), F.array_prepend("xs", 0), F.array_insert("xs", -1, F.lit(7)),
              F.array_size("xs"), F.get("xs", 0), F.try_element_at("xs", F.lit(-1))).show()
    df.select(F.array_join("xs", "/"), F.array_join("xs", "/", "?"), F.array_max("xs"), F.array_min("xs"),
              F.array_position("xs", 3), F.array_remove("xs", 2), F.slice("xs", 2, 2)).show()
    df.select(F.arrays_zip("xs", "ys"), F.flatten(F.array("xs", "ys")), F.array_repeat("id", 2)).show(truncate=False)
    spark.sql("SELECT sequence(1, 9, 4) AS a, sequence(3, 1) AS b").show()


@case
def generators(spark, F):
    df = arrays(spark)
    df.select("id", F.explode_outer("xs")).show()
    df.select("id", F.posexplode("xs")).show()
    spark.sql("SELECT inline(array(named_struct('a', 1, 'b', 'x'), named_struct('a', 2, 'b', 'y')))").show()
    spark.sql("SELECT stack(2, 1, 'a', 2, 'b', 3)").show()
    df.select("id", F.stack(F.lit(2), "id", F.lit(10)).alias("v")).show()


@case
def json_functions(spark, F):
    df = spark.createDataFrame([('{"a": 1, "b": [1.5, 2.0], "c": {"d": "x"}}',), ("not json",), (None,)], ["j"])
    df.select(F.from_json("j", "a INT, b ARRAY<DOUBLE>, c STRUCT<d: STRING>").alias("p")).show(truncate=False)
    df.select(F.get_json_object("j", "$.b"), F.get_json_object("j", "$.c.d"), F.json_array_length("j"),
              F.json_object_keys("j")).show(truncate=False)
    df.select(F.json_tuple("j", "a", "c")).show(truncate=False)
    parsed = df.select(F.from_json("j", "a INT, b ARRAY<DOUBLE>").alias("p"))
    parsed.select(F.to_json("p")).show(truncate=False)
    spark.sql("SELECT to_json(map('k', array(1, 2))) AS m, schema_of_json('{\"x\": [1]}') AS s").show(truncate=False)


@case
def csv_functions(spark, F):
    df = spark.createDataFrame([("1,abc,true",), ("2,,false",)], ["line"])
    df.select(F.from_csv("line", "n INT, s STRING, b BOOLEAN").alias("r")).show()
    df.select(F.to_csv(F.from_csv("line", "n INT, s STRING, b BOOLEAN"))).show()
    spark.sql("SELECT schema_of_csv('1,x,2.5') AS s").show(truncate=False)


@case
def collection_errors(spark, F):
    for sql in ["SELECT element_at(array(1, 2), 5)", "SELECT map_concat(map(1, 'a'), map(1, 'b'))",
                "SELECT aggregate(array(1, 2), 0L, (acc, x) -> acc + x > 0)",
                "SELECT transform(array(1), (x, y, z) -> x)", "SELECT array_contains(1, 1)"]:
        try:
            spark.sql(sql).collect()
        except Exception as e:
            print("ERROR", type(e).__name__, e.getCondition())
    try:
        F.transform("xs", lambda: F.lit(1))
    except Exception as e:
        print("ERROR", type(e).__name__, e.getCondition())


@case
def reverse_and_float_vectors(spark, F):
    df = spark.createDataFrame([([1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [3.0, -4.0], "abc")],
                               "a ARRAY<FLOAT>, b ARRAY<FLOAT>, v ARRAY<FLOAT>, s STRING")
    df.select(F.vector_cosine_similarity("a", "b"), F.vector_inner_product("a", "b"),
              F.vector_l2_distance("a", "b")).show()
    df.select(F.vector_norm("v"), F.vector_norm("v", F.lit(1.0).cast("float")), F.vector_normalize("a")).show(
        truncate=False)
    df.select(F.reverse("s"), F.reverse("a")).show()
    spark.sql("SELECT vector_inner_product(array(CAST(1 AS FLOAT)), array(CAST(1 AS FLOAT), CAST(2 AS FLOAT)))").show()


@case
def lambdas_over_structs_and_json_dates(spark, F):
    import datetime
    df = spark.createDataFrame([(1, [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])],
                               "id INT, ss ARRAY<STRUCT<a: INT, b: STRING>>")
    df.select(F.transform("ss", lambda s: s.a * 10), F.filter("ss", lambda s: s["a"] > 1)).show(truncate=False)
    df.selectExpr("transform(ss, s -> s.a + id) AS t", "aggregate(ss, 0, (acc, s) -> acc + s.a) AS total").show()
    ts = spark.createDataFrame([(datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2), 1.5)],
                               "t TIMESTAMP, d DATE, x DOUBLE")
    ts.select(F.to_json(F.struct("t", "d", "x"))).show(truncate=False)
    js = spark.createDataFrame([('{"t": "2024-01-02T03:04:05", "d": "2024-01-02", "arr": [{"k": 1}]}',)], ["j"])
    js.select(F.from_json("j", "t TIMESTAMP, d DATE, arr ARRAY<STRUCT<k: INT>>").alias("p")).show(truncate=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_transcript(name, sparklet_spark, pyspark_session):
    mine = transcript(CASES[name], sparklet_spark, "sparklet")
    theirs = transcript(CASES[name], pyspark_session, "pyspark")
    assert mine == theirs
