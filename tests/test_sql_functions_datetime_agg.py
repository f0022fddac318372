"""Date/time functions and aggregates beyond the course list, on Sparklet and on real PySpark.

Each case prints what a user would print (``show()``, ``printSchema()``, an error's class and
condition) through the DataFrame API and through SQL text; the Sparklet transcript must equal
PySpark's byte for byte. Data spans several partitions, so the aggregates run their partial and
final halves across an exchange; the session time zone is set where a result depends on it.
"""

import contextlib
import datetime
import io

import pytest

pytestmark = pytest.mark.pyspark

EVENTS = [("a", datetime.datetime(2024, 3, 10, 1, 59, 30), 1, 2.5, "x"),
          ("b", datetime.datetime(2024, 3, 10, 10, 0, 7), 7, -1.0, "y"),
          ("a", datetime.datetime(2024, 2, 29, 23, 15, 0), 3, 4.0, None),
          ("c", None, None, None, "z"),
          ("b", datetime.datetime(2023, 12, 31, 23, 59, 59, 500000), 2, 0.5, "y"),
          ("a", datetime.datetime(2024, 3, 10, 2, 5, 0), 4, 4.0, "x"),
          ("c", datetime.datetime(1969, 12, 31, 16, 0, 1), 9, 8.25, "w"),
          ("b", datetime.datetime(2024, 3, 10, 10, 4, 59), 5, 2.0, "y")]
EVENT_COLS = "k string, ts timestamp, n int, x double, s string"


def transcript(case, spark, which):
    if which == "sparklet":
        from sparklet.sql import Window, functions as F
    else:
        from pyspark.sql import Window, functions as F
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            case(spark, F, Window)
        except Exception as e:  # the error a user sees is part of the transcript
            print("ERROR", type(e).__name__, getattr(e, "getCondition", lambda: None)())
        finally:
            spark.conf.unset("spark.sql.session.timeZone")
    return out.getvalue()


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def events(spark, partitions=3):
    return spark.createDataFrame(EVENTS, EVENT_COLS).repartition(partitions, "k")


@case
def date_fields(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    df = spark.createDataFrame([("2015-04-08 13:08:15.25", "2024-02-29", 3, "Tue"),
                                ("1999-12-31 23:59:59", "2023-01-31", -1, "sunday"),
                                (None, None, None, None)], "ts string, d string, m int, dow string")
    out = df.select(F.date_part(F.lit("YEAR"), "ts"), F.extract(F.lit("S"), "ts"), F.datepart(F.lit("week"), "d"),
                    F.date_part(F.lit("dow"), "d"), F.dayname("d"), F.monthname("ts"), F.next_day("d", "Tue"),
                    F.date_diff("d", "ts"), F.dateadd("d", "m"), F.add_months("d", "m"), F.add_months("d", 1),
                    F.make_date(F.lit(2020), "m", F.lit(29)), F.months_between("ts", "d"),
                    F.months_between("d", "ts", False))
    out.show(truncate=False)
    out.printSchema()


@case
def epoch_conversions(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    df = spark.createDataFrame([("2015-04-08 12:12:12", 1428476400, "2015-04-08"), (None, None, None),
                                ("2024-03-10 02:30:00", -1, "1969-12-31")], ["ts", "u", "d"])
    out = df.select(F.unix_timestamp("ts"), F.from_unixtime("u"), F.from_unixtime("u", "yyyy/MM/dd HH"),
                    F.to_unix_timestamp("d", F.lit("yyyy-MM-dd")), F.timestamp_seconds("u"),
                    F.timestamp_millis("u"), F.timestamp_micros("u"), F.unix_seconds(F.to_timestamp("ts")),
                    F.unix_millis(F.to_timestamp("ts")), F.unix_micros(F.to_timestamp("ts")),
                    F.unix_date(F.to_date("d")), F.date_from_unix_date(F.unix_date(F.to_date("d")) + 1))
    out.show(truncate=False)
    out.printSchema()


@case
def zone_conversions(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "Asia/Seoul")
    df = spark.createDataFrame([("1997-02-28 10:30:00", "JST", "2016-12-31"), ("2024-07-01 00:00:00", "PST", "bad"),
                                ("2024-01-15 08:00:00", "Europe/Paris", None)], ["ts", "tz", "d"])
    out = df.select(F.from_utc_timestamp("ts", "PST"), F.from_utc_timestamp("ts", df.tz), F.to_utc_timestamp("ts", "JST"),
                    F.to_utc_timestamp("ts", df.tz), F.convert_timezone(F.lit("Asia/Hong_Kong"), F.lit("UTC"), "ts"),
                    F.to_timestamp_ltz("d", F.lit("yyyy-MM-dd")), F.to_timestamp_ntz("ts"), F.try_to_date("d"),
                    F.try_to_timestamp("d", F.lit("yyyy-MM-dd")), F.hour("ts"), F.minute(F.to_timestamp("ts")))
    out.show(truncate=False)
    out.printSchema()


@case
def timestamps_from_fields(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    df = spark.createDataFrame([(2014, 12, 28, 6, 30, 45.887, "CET", 2), (2024, 2, 30, 1, 0, 0.0, "UTC", -1),
                                (2024, 3, 10, 2, 30, 59.999999, "Asia/Seoul", 13)],
                               ["y", "mo", "d", "h", "mi", "s", "tz", "q"])
    out = df.select(F.make_timestamp_ltz("y", "mo", F.lit(1), "h", "mi", "s", "tz"),
                    F.make_timestamp_ltz("y", "mo", F.lit(1), "h", "mi", "s"), F.try_make_timestamp_ntz("y", "mo", "d", "h", "mi", "s"),
                    F.try_make_timestamp_ltz("y", "mo", "d", "h", "mi", "s", "tz"),
                    F.timestamp_add("MONTH", "q", F.make_timestamp_ltz("y", "mo", F.lit(1), "h", "mi", "s")),
                    F.timestamp_diff("DAY", F.make_timestamp_ltz(F.lit(2024), F.lit(1), F.lit(1), "h", "mi", "s"),
                                     F.make_timestamp_ltz("y", "mo", F.lit(1), "h", "mi", "s")))
    out.show(truncate=False)
    out.printSchema()


@case
def make_date_out_of_range(spark, F, W):
    spark.range(1).select(F.make_date(F.lit(2019), F.lit(13), F.lit(1))).show()


@case
def parse_failure_under_ansi(spark, F, W):
    spark.createDataFrame([("x",)], ["s"]).select(F.to_timestamp_ltz("s", F.lit("yyyy"))).show()


@case
def bad_day_of_week(spark, F, W):
    spark.createDataFrame([("2015-07-27",)], ["d"]).select(F.next_day("d", "xx")).show()


@case
def bad_extract_field(spark, F, W):
    spark.createDataFrame([("2015-07-27",)], ["d"]).select(F.date_part(F.lit("FOO"), "d")).show()


@case
def grouped_statistics(spark, F, W):
    df = events(spark)
    out = df.groupBy("k").agg(
        F.approx_count_distinct("n"), F.percentile("x", [0.25, 0.5]), F.percentile("n", 0.5, F.lit(2)),
        F.percentile_approx("n", 0.5), F.percentile_approx("x", [0.1, 0.9], 100), F.median("x"), F.mode("s"),
        F.mode("n", True), F.regr_count("x", "n"), F.std("x")).orderBy("k")
    out.show(truncate=False)
    out.printSchema()


@case
def regression_and_moments(spark, F, W):
    # values whose moments are exact in binary, so Spark's streaming updates and the engine's sums
    # agree to the last digit
    df = spark.createDataFrame([("a", 1, 2.0), ("a", 2, 2.0), ("a", 2, 3.0), ("a", 3, 5.0), ("b", 5, 1.0),
                                ("b", 1, 1.0), ("c", 4, None), ("c", 4, 0.5)], ["k", "y", "x"]).repartition(3)
    out = df.groupBy("k").agg(
        F.corr("y", "x"), F.regr_slope("y", "x"), F.regr_intercept("y", "x"), F.regr_sxy("y", "x"),
        F.regr_avgx("y", "x"), F.regr_syy("y", "x"), F.skewness("y"), F.kurtosis("y")).orderBy("k")
    out.show(truncate=False)
    out.printSchema()


@case
def grouped_picks(spark, F, W):
    # order-sensitive aggregates (first, last, listagg...) over rows in the order they were created
    df = spark.createDataFrame(EVENTS, EVENT_COLS)
    out = df.groupBy("k").agg(
        F.max_by("s", "n"), F.min_by("s", "x"), F.max_by("n", "x", 2), F.every(F.col("n") > 1),
        F.some(F.col("x") < 0), F.bit_and("n"), F.bit_or("n"), F.bit_xor("n"), F.try_sum("n"), F.try_avg("x"),
        F.listagg("s", "|"), F.string_agg_distinct("s"), F.sort_array(F.array_agg("n")),
        F.any_value("s"), F.first_value("s", True)).orderBy("k")
    out.show(truncate=False)
    out.printSchema()


@case
def global_distinct_estimates(spark, F, W):
    spark.range(0, 200000, 1, 4).select(
        F.approx_count_distinct("id"), F.approx_count_distinct("id", 0.1).alias("rsd_0.1"),
        F.approx_count_distinct(F.col("id").cast("string")).alias("strings"),
        F.approx_count_distinct(F.col("id") % 97).alias("mod97"),
        F.approx_count_distinct((F.col("id") % 50).cast("double")).alias("doubles")).show()


@case
def streaming_histogram(spark, F, W):
    spark.range(0, 300, 3, 1).select(F.histogram_numeric("id", F.lit(7)),
                                     F.histogram_numeric(F.col("id") / 7, F.lit(4))).show(truncate=False)


@case
def try_aggregates_overflow(spark, F, W):
    df = spark.createDataFrame([(9223372036854775807,), (1,)], "v long")
    df.select(F.try_sum("v"), F.try_avg("v")).show()
    df.select(F.sum("v")).show()


@case
def cube_grouping(spark, F, W):
    df = spark.createDataFrame([(1, "a", "a"), (3, "a", "a"), (4, "b", "c")], ["c1", "c2", "c3"])
    df.cube("c2", "c3").agg(F.grouping("c2"), F.grouping_id(), F.grouping_id("c2", "c3"), F.sum("c1")) \
        .orderBy("c2", "c3").show()
    df.rollup("c2").agg(F.grouping_id(), F.count("c1")).orderBy("c2").show()


@case
def grouping_id_of_some_keys(spark, F, W):
    df = spark.createDataFrame([(1, "a", "a")], ["c1", "c2", "c3"])
    df.cube("c2", "c3").agg(F.grouping_id("c3")).show()


@case
def grouping_outside_cube(spark, F, W):
    spark.createDataFrame([(1, "a")], ["c1", "c2"]).groupBy("c2").agg(F.grouping("c2")).show()


@case
def time_windows(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    df = events(spark)
    w = df.groupBy(F.window("ts", "10 minutes")).agg(F.sum("n"), F.count("*")).orderBy("window")
    w.show(truncate=False)
    w.printSchema()
    w.select(F.window_time("window")).show(truncate=False)
    df.groupBy("k", F.window("ts", "1 day", startTime="2 hours")).agg(F.max("x")).orderBy("k", "window") \
        .show(truncate=False)


@case
def window_value_functions(spark, F, W):
    df = events(spark)
    spec = W.partitionBy("k").orderBy("n", "x")
    df.select("k", "n", F.nth_value("n", 2).over(spec).alias("second"),
              F.first_value("s").over(spec).alias("first"),
              F.last_value("s", True).over(spec).alias("last")).orderBy("k", "n", "x").show()


@case
def sql_text(spark, F, W):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    spark.createDataFrame(EVENTS, EVENT_COLS).createOrReplaceTempView("fndate_events")
    for q in ["SELECT extract(YEAR FROM ts), date_part('MINUTE', ts), datepart('D', ts), unix_seconds(ts), "
              "from_utc_timestamp(ts, 'UTC'), next_day(ts, 'MO'), make_date(2024, n, 1) "
              "FROM fndate_events WHERE n < 10 ORDER BY n, x, ts",
              "SELECT k, percentile_approx(n, 0.5), percentile(x, 0.5), approx_count_distinct(s), "
              "max_by(s, n), min_by(s, n), listagg(s, ','), regr_count(x, n), try_sum(n) "
              "FROM fndate_events GROUP BY k ORDER BY k"]:
        out = spark.sql(q)
        out.show(truncate=False)
        out.printSchema()


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_pyspark(name, sparklet_spark, pyspark_session):
    expected = transcript(CASES[name], pyspark_session, "pyspark")
    got = transcript(CASES[name], sparklet_spark, "sparklet")
    assert got == expected, "Sparklet:\n%s\nPySpark:\n%s" % (got, expected)
