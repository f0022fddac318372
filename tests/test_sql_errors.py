"""Error text of bad queries on Sparklet and on real PySpark 4: byte for byte.

Each bad query runs on both; what a user sees of the error must be identical: its class, its
condition, ``getMessage()``, ``getMessageParameters()`` and ``str(e)``, which for SQL-engine
errors carries Spark's context: ``; line L pos P`` for an expression written as SQL text, the
plan the analyzer stopped at (``'Project ['nme]`` over the resolved child), the SQL fragment
under ``== SQL (line 1, position 8) ==`` or the DataFrame call site under ``== DataFrame ==``
for errors raised while the query ran. Expression ids are numbered by first appearance (the
JVM's ids depend on its history). ``explain(mode="cost")`` statistics are compared the same way.
"""

import re

import pytest

pytestmark = pytest.mark.pyspark

PEOPLE = [("Alice", 34, "HR"), ("Bob", 45, "IT")]


def _normalize(text):
    ids, plans = {}, {}
    text = re.sub(r"#(\d+)", lambda m: "#%d" % ids.setdefault(m.group(1), len(ids)), text)
    return re.sub(r"plan_id=(\d+)", lambda m: "plan_id=%d" % plans.setdefault(m.group(1), len(plans)), text)


def _setup(spark, F):
    df = spark.createDataFrame(PEOPLE, ["name", "age", "dept"])
    df.createOrReplaceTempView("err_people")
    one = spark.createDataFrame([("x1",)], ["s"]).coalesce(1)
    return df, one


# (label, how to fail): SQL text goes through spark.sql(...).collect(); a callable gets (spark, F, df, one)
SQL_CASES = [
    "SELECT nme FROM err_people",
    "SELECT name FROM err_peeple",
    "SELECT foo(age) FROM err_people",
    "SELECT name, count(*) FROM err_people",
    "SELECT name, age FROM err_people GROUP BY name",
    "SELECT name + array(1) FROM err_people",
    "SELECT 1/0",
    "SELECT age / 0 FROM err_people",
    "SELECT age % 0 FROM err_people",
    "SELECT CAST('abc' AS INT)",
    "SELECT p.nme FROM err_people p",
    "SELECT name FROM err_people\nWHERE agee > 1",
    "SELECT name FROM err_people WHERE agee > 1 ORDER BY name",
    # PARSE_SYNTAX_ERROR: where Spark's parser stops, and its hint
    "SELEC name FROM err_people",
    "SELECT name FORM err_people",
    "SELECT name FROM err_people WHERE age >",
    "SELECT name FROM err_people ORDER name",
    "SELECT * FROM err_people WHERE age = 1)",
    "SELECT 'abc FROM err_people",
    "select sum(age FROM err_people",
    "SELECT (age FROM err_people",
]

API_CASES = {
    "select_missing": lambda spark, F, df, one: df.select("nme"),
    "select_some_missing": lambda spark, F, df, one: df.select("name", "nme"),
    "filter_column": lambda spark, F, df, one: df.filter(F.col("agee") > 1),
    "filter_text": lambda spark, F, df, one: df.filter("agee > 1"),
    "select_expr": lambda spark, F, df, one: df.selectExpr("nme + 1"),
    "expr_routine": lambda spark, F, df, one: df.select(F.expr("foo(age)")),
    "agg_missing": lambda spark, F, df, one: df.groupBy("name").agg(F.col("age")),
    "global_agg_missing": lambda spark, F, df, one: df.select("name", F.count("*")),
    "type_mismatch": lambda spark, F, df, one: df.select(F.col("name") + F.array(F.lit(1))),
    "table_missing": lambda spark, F, df, one: spark.table("err_nope"),
    "divide_by_zero": lambda spark, F, df, one: df.select(F.col("age") / 0).collect(),
    "cast_invalid": lambda spark, F, df, one: one.select(F.col("s").cast("int")).collect(),
    "sql_fragment_in_expr": lambda spark, F, df, one: df.select(F.expr("age / 0")).collect(),
    "with_column_missing": lambda spark, F, df, one: df.withColumn("x", F.col("nme") + 1),
    "order_missing": lambda spark, F, df, one: df.orderBy("nme"),
    "expr_ends_early": lambda spark, F, df, one: df.select(F.expr("age +")),
    "expr_unclosed": lambda spark, F, df, one: df.select(F.expr("(age")),
    "expr_extra_input": lambda spark, F, df, one: df.select(F.expr("1 +* 2")),
}


def _error_view(spark, F, action):
    df, one = _setup(spark, F)
    try:
        if isinstance(action, str):
            spark.sql(action).collect()
        else:
            action(spark, F, df, one)
    except Exception as e:
        return {"class": type(e).__name__, "condition": e.getCondition(), "message": _normalize(e.getMessage()),
                "parameters": e.getMessageParameters(), "str": _normalize(str(e))}
    return None


def _both(sparklet_spark, pyspark_session, action):
    from pyspark.sql import functions as PF
    from sparklet.sql import functions as SF
    return _error_view(sparklet_spark, SF, action), _error_view(pyspark_session, PF, action)


@pytest.mark.parametrize("text", SQL_CASES)
def test_sql_text_error_as_pyspark(text, sparklet_spark, pyspark_session):
    ours, theirs = _both(sparklet_spark, pyspark_session, text)
    assert theirs is not None
    assert ours == theirs


@pytest.mark.parametrize("name", sorted(API_CASES))
def test_dataframe_api_error_as_pyspark(name, sparklet_spark, pyspark_session):
    ours, theirs = _both(sparklet_spark, pyspark_session, API_CASES[name])
    assert theirs is not None
    assert ours == theirs


COST_CASES = {
    "range_filter": lambda spark, F: spark.range(100).filter("id > 5").select("id"),
    "local_rows": lambda spark, F: spark.createDataFrame([(1, "a")], ["x", "y"]),
    "join": lambda spark, F: spark.range(100).join(spark.range(10), "id"),
    "limit": lambda spark, F: spark.range(10).limit(3),
    "aggregate": lambda spark, F: spark.createDataFrame(PEOPLE, ["name", "age", "dept"]).groupBy("dept").count(),
    "global_aggregate": lambda spark, F: spark.range(7).agg(F.count("*")),
}


@pytest.mark.parametrize("name", sorted(COST_CASES))
def test_explain_cost_as_pyspark(name, sparklet_spark, pyspark_session, capsys):
    from pyspark.sql import functions as PF
    from sparklet.sql import functions as SF
    COST_CASES[name](pyspark_session, PF).explain(mode="cost")
    theirs = _normalize(capsys.readouterr().out)
    COST_CASES[name](sparklet_spark, SF).explain(mode="cost")
    ours = _normalize(capsys.readouterr().out)
    assert "Statistics(sizeInBytes=" in ours
    assert ours == theirs
