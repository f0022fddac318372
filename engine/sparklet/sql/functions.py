"""``pyspark.sql.functions`` for Sparklet: Column builders over the function registry.

Every function builds an unresolved call that the analyzer resolves through
``function_registry.lookup``, the same path SQL text takes, so a function has one result type and
one generated column name whichever way it is called.

>>> from sparklet.sql import functions as F
>>> F.lower("name")
Column<'lower(name)'>
"""

import builtins

from .column import Column, UnresolvedCast, UnresolvedFunction, UnresolvedWhen, _invoke, _lit, _power, col_of
from .expressions import Literal, UnresolvedStar

_builtin_max, _builtin_min, _builtin_sum, _builtin_round, _builtin_abs = (
    builtins.max, builtins.min, builtins.sum, builtins.round, builtins.abs)


def _c(x):
    return col_of(x)


def col(col):
    """A column by name.

    >>> col("age")
    Column<'age'>
    """
    return _c(col)


column = col


def lit(col):
    """A literal value.

    >>> lit(5)
    Column<'5'>
    """
    return _lit(col)


def expr(str):
    """A Column parsed from SQL text.

    >>> expr("age + 1")
    Column<'age + 1'>
    """
    from .parser import parse_expression
    return Column(parse_expression(str), str)


def when(condition, value):
    """``CASE WHEN``; chain ``.when`` and end with ``.otherwise``.

    >>> when(col("age") > 1, 1).otherwise(0)
    Column<'CASE WHEN >(age, 1) THEN 1 ELSE 0 END'>
    """
    from .column import _operand
    ve, vr = _operand(value)
    return Column(UnresolvedWhen([(condition._expr, ve)]), "CASE WHEN %s THEN %s END" % (condition._repr, vr))


def _lit_or_col(x):
    return x if isinstance(x, Column) else lit(x)


def _unary(name, repr_name=None):
    def f(col):
        return _invoke(name, col, repr_name=repr_name)
    f.__name__ = name
    f.__doc__ = "``%s`` of a column.\n\n    >>> %s('x')\n    Column<'%s(x)'>\n    " % (name, name, repr_name or name)
    return f


for _name in ["lower", "upper", "length", "ltrim", "rtrim", "initcap", "reverse", "ascii", "md5", "sha1",
              "bit_length", "octet_length", "char_length", "base64", "unbase64", "hex", "soundex", "sqrt", "exp",
              "cbrt", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
              "tanh", "degrees", "radians", "rint", "signum", "sign", "ln", "abs", "floor", "ceil", "ceiling", "isnan",
              "year", "month", "dayofmonth", "dayofweek", "dayofyear", "quarter", "weekofyear", "hour", "minute",
              "second", "last_day", "size", "cardinality", "array_distinct", "array_max", "array_min", "flatten",
              "map_keys", "map_values", "explode", "explode_outer", "posexplode", "posexplode_outer", "crc32",
              "collect_list", "collect_set", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop",
              "skewness", "kurtosis", "approx_count_distinct", "any_value", "product", "median", "count_if",
              "bool_and", "bool_or", "every", "some", "weekday", "day"]:
    globals()[_name] = _unary(_name)

isnull = _unary("isnull", "isNull")
isnotnull = _unary("isnotnull")


def count(col):
    """``count`` of non-null values; ``count("*")`` counts rows (named ``count(1)``).

    >>> count("*")
    Column<'count(*)'>
    """
    if isinstance(col, str) and col == "*":
        return Column(UnresolvedFunction("count", [UnresolvedStar()]), "count(*)")
    return _invoke("count", col)


def sum(col):
    """Example:

    >>> sum("x")
    Column<'sum(x)'>
    """
    return _invoke("sum", col)


def avg(col):
    """Example:

    >>> avg("x")
    Column<'avg(x)'>
    """
    return _invoke("avg", col)


def mean(col):
    """Example:

    >>> mean("x")
    Column<'avg(x)'>
    """
    return _invoke("avg", col)


def min(col):
    """Example:

    >>> min("x")
    Column<'min(x)'>
    """
    return _invoke("min", col)


def max(col):
    """Example:

    >>> max("x")
    Column<'max(x)'>
    """
    return _invoke("max", col)


def countDistinct(col, *cols):
    """``count(DISTINCT ...)``.

    >>> countDistinct("x")
    Column<'count(x)'>
    """
    return _invoke("count", col, *cols, distinct=True)


count_distinct = countDistinct


def sum_distinct(col):
    return _invoke("sum", col, distinct=True)


sumDistinct = sum_distinct


def first(col, ignorenulls=False):
    """Example:

    >>> first("x")
    Column<'first(x, false)'>
    """
    c = _c(col)
    return Column(UnresolvedFunction("first", [c._expr], ignore_nulls=ignorenulls),
                  "first(%s, %s)" % (c._repr, "true" if ignorenulls else "false"))


def last(col, ignorenulls=False):
    c = _c(col)
    return Column(UnresolvedFunction("last", [c._expr], ignore_nulls=ignorenulls),
                  "last(%s, %s)" % (c._repr, "true" if ignorenulls else "false"))


def max_by(col, ord, k=None):
    """The value of ``col`` where ``ord`` is largest (``k``: the ``k`` values at the largest ``ord``).

    >>> df = spark.createDataFrame([("a", 10), ("b", 50), ("c", 20), ("d", 40)], ("x", "y"))
    >>> df.select(max_by("x", "y"), max_by("x", "y", 2)).show()
    +------------+---------------+
    |max_by(x, y)|max_by(x, y, 2)|
    +------------+---------------+
    |           b|         [b, d]|
    +------------+---------------+
    <BLANKLINE>
    """
    if k is not None:
        return _invoke("max_by", col, ord, lit(k))
    return _invoke("max_by", col, ord)


def min_by(col, ord, k=None):
    """The value of ``col`` where ``ord`` is smallest (``k``: the ``k`` values at the smallest ``ord``).

    >>> df = spark.createDataFrame([("a", 10), ("b", 50), ("c", 20), ("d", 40)], ("x", "y"))
    >>> df.select(min_by("x", "y"), min_by("x", "y", 2)).show()
    +------------+---------------+
    |min_by(x, y)|min_by(x, y, 2)|
    +------------+---------------+
    |           a|         [a, c]|
    +------------+---------------+
    <BLANKLINE>
    """
    if k is not None:
        return _invoke("min_by", col, ord, lit(k))
    return _invoke("min_by", col, ord)


def corr(col1, col2):
    """Pearson's correlation coefficient of two columns.

    >>> df = spark.createDataFrame([(a, 2 * a) for a in range(20)], ["a", "b"])
    >>> df.agg(corr("a", "b")).show()
    +----------+
    |corr(a, b)|
    +----------+
    |       1.0|
    +----------+
    <BLANKLINE>
    """
    return _invoke("corr", col1, col2)


def covar_samp(col1, col2):
    return _invoke("covar_samp", col1, col2)


def covar_pop(col1, col2):
    return _invoke("covar_pop", col1, col2)


def round(col, scale=0):
    """HALF_UP rounding.

    >>> round("x", 1)
    Column<'round(x, 1)'>
    """
    return _invoke("round", col, _lit_or_col(scale))


def bround(col, scale=0):
    return _invoke("bround", col, _lit_or_col(scale))


def pow(col1, col2):
    """Example:

    >>> pow("x", 2)
    Column<'power(x, 2)'>
    """
    return _power(col1, col2)


power = pow


def log(arg1, arg2=None):
    if arg2 is None:
        return _invoke("ln", arg1)
    return _invoke("log", lit(arg1), arg2)


def atan2(col1, col2):
    return _invoke("atan2", _lit_or_col(col1) if not isinstance(col1, str) else col1,
                   _lit_or_col(col2) if not isinstance(col2, str) else col2)


def pmod(dividend, divisor):
    return _invoke("pmod", _lit_or_col(dividend) if not isinstance(dividend, str) else dividend,
                   _lit_or_col(divisor) if not isinstance(divisor, str) else divisor)


def greatest(*cols):
    return _invoke("greatest", *cols)


def least(*cols):
    return _invoke("least", *cols)


def coalesce(*cols):
    """Example:

    >>> coalesce("a", lit(0))
    Column<'coalesce(a, 0)'>
    """
    return _invoke("coalesce", *cols)


def ifnull(col1, col2):
    return _invoke("ifnull", col1, col2)


def nvl(col1, col2):
    return _invoke("nvl", col1, col2)


def nullif(col1, col2):
    return _invoke("nullif", col1, col2)


def nanvl(col1, col2):
    return _invoke("nanvl", col1, col2)


def rand(seed=None):
    return Column(UnresolvedFunction("rand", [Literal(seed if seed is not None else 0)]),
                  "rand(%sL)" % (seed if seed is not None else 0))


def randn(seed=None):
    return Column(UnresolvedFunction("randn", [Literal(seed if seed is not None else 0)]),
                  "randn(%sL)" % (seed if seed is not None else 0))


def monotonically_increasing_id():
    return _invoke("monotonically_increasing_id")


def spark_partition_id():
    return _invoke("spark_partition_id")


def hash(*cols):
    return _invoke("hash", *cols)


def concat(*cols):
    """Example:

    >>> concat("a", "b")
    Column<'concat(a, b)'>
    """
    return _invoke("concat", *cols)


def concat_ws(sep, *cols):
    """Example:

    >>> concat_ws("-", "a", "b")
    Column<'concat_ws('-', a, b)'>
    """
    cs = [_c(c) for c in cols]
    return _invoke("concat_ws", lit(sep), *cs)


def substring(str, pos, len):
    """1-based ``substring``.

    >>> substring("s", 1, 2)
    Column<'substring(s, 1, 2)'>
    """
    # Spark 4: a string position or length names a column; ints are literals.
    pos, len = (col(a) if isinstance(a, builtins.str) else _lit_or_col(a) for a in (pos, len))
    return _invoke("substring", str, pos, len)


def substr(str, pos, len=None):
    if len is None:
        return _invoke("substr", str, _lit_or_col(pos))
    return _invoke("substr", str, _lit_or_col(pos), _lit_or_col(len))


def regexp_replace(string, pattern, replacement, position=None):
    """Example:

    >>> regexp_replace("s", "a", "b")
    Column<'regexp_replace(s, 'a', 'b')'>
    """
    if position is None:
        return _invoke("regexp_replace", string, _lit_or_col(pattern), _lit_or_col(replacement))
    return _invoke("regexp_replace", string, _lit_or_col(pattern), _lit_or_col(replacement), _lit_or_col(position))


def trim(col, trim=None):
    """Example:

    >>> trim("s")
    Column<'trim(s)'>
    """
    if trim is None:
        return _invoke("trim", col)
    # Spark 4: a string trim set names a column (sf.lit gives a literal set).
    return _invoke("trim", col, col_of(trim) if isinstance(trim, builtins.str) else trim)


def typeof(col):
    """Example:

    >>> typeof("x")
    Column<'typeof(x)'>
    """
    return _invoke("typeof", col)


def regexp_extract(str, pattern, idx):
    return _invoke("regexp_extract", str, lit(pattern), lit(idx))


def split(str, pattern, limit=-1):
    """Example:

    >>> split("s", ",")
    Column<'split(s, ',', -1)'>
    """
    # Spark 4: a string pattern is the regex itself, a string limit names a column.
    return _invoke("split", str, _lit_or_col(pattern), col(limit) if isinstance(limit, builtins.str) else _lit_or_col(limit))


def lpad(col, len, pad):
    return _invoke("lpad", col, lit(len), lit(pad))


def rpad(col, len, pad):
    return _invoke("rpad", col, lit(len), lit(pad))


def repeat(col, n):
    return _invoke("repeat", col, _lit_or_col(n))


def instr(str, substr):
    return _invoke("instr", str, lit(substr))


def locate(substr, str, pos=1):
    return _invoke("locate", lit(substr), str, lit(pos))


def translate(srcCol, matching, replace):
    return _invoke("translate", srcCol, lit(matching), lit(replace))


def levenshtein(left, right, threshold=None):
    return _invoke("levenshtein", left, right)


def format_number(col, d):
    return _invoke("format_number", col, lit(d))


def format_string(format, *cols):
    return _invoke("format_string", lit(format), *cols)


def array_contains(col, value):
    """Example:

    >>> array_contains("a", "x")
    Column<'array_contains(a, 'x')'>
    """
    return _invoke("array_contains", col, _lit_or_col(value))


def array(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
        cols = cols[0]
    return _invoke("array", *cols)


def struct(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
        cols = cols[0]
    return _invoke("struct", *cols)


def create_map(*cols):
    if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
        cols = cols[0]
    return _invoke("map", *cols)


def sort_array(col, asc=True):
    return _invoke("sort_array", col, lit(asc))


def element_at(col, extraction):
    return _invoke("element_at", col, _lit_or_col(extraction))


def array_join(col, delimiter, null_replacement=None):
    return _invoke("array_join", col, lit(delimiter))


def array_position(col, value):
    return _invoke("array_position", col, _lit_or_col(value))


def array_remove(col, element):
    return _invoke("array_remove", col, _lit_or_col(element))


def array_union(col1, col2):
    return _invoke("array_union", col1, col2)


def slice(x, start, length):
    return _invoke("slice", x, _lit_or_col(start), _lit_or_col(length))


def to_date(col, format=None):
    """Example:

    >>> to_date("d")
    Column<'to_date(d)'>
    """
    if format is None:
        return _invoke("to_date", col)
    return _invoke("to_date", col, lit(format))


def to_timestamp(col, format=None):
    if format is None:
        return _invoke("to_timestamp", col)
    return _invoke("to_timestamp", col, lit(format))


def date_format(date, format):
    """Example:

    >>> date_format("d", "yyyy")
    Column<'date_format(d, 'yyyy')'>
    """
    return _invoke("date_format", date, lit(format))


def current_date():
    """Example:

    >>> current_date()
    Column<'current_date()'>
    """
    return _invoke("current_date")


def current_timestamp():
    return _invoke("current_timestamp")


def now():
    return _invoke("current_timestamp")


def date_add(start, days):
    """Example:

    >>> date_add("d", 1)
    Column<'date_add(d, 1)'>
    """
    # Spark 4: a string number of days names a column.
    return _invoke("date_add", start, col(days) if isinstance(days, builtins.str) else _lit_or_col(days))


def date_sub(start, days):
    return _invoke("date_sub", start, col(days) if isinstance(days, builtins.str) else _lit_or_col(days))


def datediff(end, start):
    """Example:

    >>> datediff("a", "b")
    Column<'datediff(a, b)'>
    """
    return _invoke("datediff", end, start)


def add_months(start, months):
    """``months`` months after ``start`` (an int is a literal, a string names a column).

    >>> df = spark.createDataFrame([("2015-04-08", 2)], "dt string, a int")
    >>> df.select(add_months("dt", 1), add_months("dt", "a")).show()
    +-----------------+-----------------+
    |add_months(dt, 1)|add_months(dt, a)|
    +-----------------+-----------------+
    |       2015-05-08|       2015-06-08|
    +-----------------+-----------------+
    <BLANKLINE>
    """
    return _invoke("add_months", start, _days_arg(months))


def months_between(date1, date2, roundOff=True):
    return _invoke("months_between", date1, date2, lit(roundOff))


def trunc(date, format):
    return _invoke("trunc", date, lit(format))


def date_trunc(format, timestamp):
    return _invoke("date_trunc", lit(format), timestamp)


def unix_timestamp(timestamp=None, format="yyyy-MM-dd HH:mm:ss"):
    if timestamp is None:
        return _invoke("unix_timestamp", current_timestamp(), lit(format),
                       repr_args=["current_timestamp()"])
    return _invoke("unix_timestamp", timestamp, lit(format))


def from_unixtime(timestamp, format="yyyy-MM-dd HH:mm:ss"):
    return _invoke("from_unixtime", timestamp, lit(format))


def row_number():
    """Example:

    >>> row_number()
    Column<'row_number()'>
    """
    return _invoke("row_number")


def rank():
    return _invoke("rank")


def dense_rank():
    return _invoke("dense_rank")


def percent_rank():
    return _invoke("percent_rank")


def cume_dist():
    return _invoke("cume_dist")


def ntile(n):
    return _invoke("ntile", lit(n))


def lag(col, offset=1, default=None):
    """Example:

    >>> lag("x")
    Column<'lag(x, 1, NULL, false)'>
    """
    c = _c(col)
    d = lit(default)
    return Column(UnresolvedFunction("lag", [c._expr, Literal(offset)] + ([d._expr] if default is not None else [])),
                  "lag(%s, %d, %s, false)" % (c._repr, offset, d._repr))


def lead(col, offset=1, default=None):
    c = _c(col)
    d = lit(default)
    return Column(UnresolvedFunction("lead", [c._expr, Literal(offset)] + ([d._expr] if default is not None else [])),
                  "lead(%s, %d, %s, false)" % (c._repr, offset, d._repr))


def broadcast(df):
    """Marks a DataFrame as small enough to broadcast in a join."""
    df._broadcast_hint = True
    return df


def udf(f=None, returnType=None, useArrow=None):
    """A Python user-defined function (default return type string).

    >>> from sparklet.sql.types import IntegerType
    >>> slen = udf(lambda s: len(s), IntegerType())
    """
    from .udf import make_udf
    if f is None or isinstance(f, (str,)) or (returnType is None and not callable(f)):
        rt = f if f is not None else returnType

        def deco(fn):
            return make_udf(fn, rt)
        return deco
    return make_udf(f, returnType)


def asc(col):
    return _c(col).asc()


def desc(col):
    return _c(col).desc()


def asc_nulls_first(col):
    return _c(col).asc_nulls_first()


def asc_nulls_last(col):
    return _c(col).asc_nulls_last()


def desc_nulls_first(col):
    return _c(col).desc_nulls_first()


def desc_nulls_last(col):
    return _c(col).desc_nulls_last()


def input_file_name():
    return Column(Literal(""), "input_file_name()")


# ---------------------------------------------------------------------------------------------
# date/time functions beyond the course list (Spark's DateTimeExpressions)

def _days_arg(x):
    # Spark 4: an int is a literal, a string names a column
    return lit(x) if isinstance(x, int) and not isinstance(x, bool) else x


def dateadd(start, days):
    """``date_add`` under its SQL alias.

    >>> df = spark.createDataFrame([("2015-04-08", 2)], "dt string, a int")
    >>> df.select(dateadd("dt", 1), dateadd("dt", "a")).show()
    +---------------+---------------+
    |date_add(dt, 1)|date_add(dt, a)|
    +---------------+---------------+
    |     2015-04-09|     2015-04-10|
    +---------------+---------------+
    <BLANKLINE>
    """
    return _invoke("date_add", start, _days_arg(days))


def date_diff(end, start):
    """Days from ``start`` to ``end``.

    >>> df = spark.createDataFrame([("2015-04-08", "2015-05-10")], ["d1", "d2"])
    >>> df.select(date_diff("d2", "d1")).show()
    +-----------------+
    |date_diff(d2, d1)|
    +-----------------+
    |               32|
    +-----------------+
    <BLANKLINE>
    """
    return _invoke("date_diff", end, start)


def _field_call(name):
    def f(field, source):
        return _invoke(name, field, source)
    f.__name__ = name
    f.__doc__ = """A field of a date or timestamp (``YEAR``, ``MONTH``, ``WEEK``, ``D``, ``H``, ``M``, ``S``...);
    seconds come with their fraction as ``decimal(8,6)``.

    >>> import datetime
    >>> df = spark.createDataFrame([(datetime.datetime(2015, 4, 8, 13, 8, 15),)], ["ts"])
    >>> df.select(%s(lit("YEAR"), "ts").alias("y"), %s(lit("S"), "ts").alias("s")).show()
    +----+---------+
    |   y|        s|
    +----+---------+
    |2015|15.000000|
    +----+---------+
    <BLANKLINE>
    """ % (name, name)
    return f


date_part = _field_call("date_part")
datepart = _field_call("datepart")
extract = _field_call("extract")


def dayname(col):
    """The three-letter day of the week of a date.

    >>> spark.createDataFrame([("2015-04-08",)], ["dt"]).select(dayname("dt")).show()
    +-----------+
    |dayname(dt)|
    +-----------+
    |        Wed|
    +-----------+
    <BLANKLINE>
    """
    return _invoke("dayname", col)


def monthname(col):
    """The three-letter month of a date.

    >>> spark.createDataFrame([("2015-04-08",)], ["dt"]).select(monthname("dt")).show()
    +-------------+
    |monthname(dt)|
    +-------------+
    |          Apr|
    +-------------+
    <BLANKLINE>
    """
    return _invoke("monthname", col)


def make_date(year, month, day):
    """A date from year, month and day columns.

    >>> df = spark.createDataFrame([(2020, 6, 26)], ["Y", "M", "D"])
    >>> df.select(make_date("Y", "M", "D")).show()
    +------------------+
    |make_date(Y, M, D)|
    +------------------+
    |        2020-06-26|
    +------------------+
    <BLANKLINE>
    """
    return _invoke("make_date", year, month, day)


def next_day(date, dayOfWeek):
    """The first date after ``date`` falling on ``dayOfWeek`` ('Mon', 'Tue', ...).

    >>> df = spark.createDataFrame([("2015-07-27",)], ["dt"])
    >>> df.select(next_day("dt", "Sun")).show()
    +-----------------+
    |next_day(dt, Sun)|
    +-----------------+
    |       2015-08-02|
    +-----------------+
    <BLANKLINE>
    """
    return _invoke("next_day", date, lit(dayOfWeek))


def _optional_format(name, doc):
    def f(timestamp, format=None):
        if format is None:
            return _invoke(name, timestamp)
        return _invoke(name, timestamp, format)
    f.__name__ = name
    f.__doc__ = doc
    return f


to_unix_timestamp = _optional_format("to_unix_timestamp", """Seconds since the epoch of a string parsed with
    a Java datetime pattern (default ``yyyy-MM-dd HH:mm:ss``) in the session time zone.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("2015-04-08",)], ["dt"])
    >>> df.select(to_unix_timestamp("dt", lit("yyyy-MM-dd"))).show()
    +---------------------------------+
    |to_unix_timestamp(dt, yyyy-MM-dd)|
    +---------------------------------+
    |                       1428451200|
    +---------------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
to_timestamp_ltz = _optional_format("to_timestamp_ltz", """A string parsed as a timestamp (with local time
    zone), with an optional Java datetime pattern.

    >>> df = spark.createDataFrame([("2016-12-31",)], ["dt"])
    >>> df.select(to_timestamp_ltz("dt", lit("yyyy-MM-dd"))).show()
    +--------------------------------+
    |to_timestamp_ltz(dt, yyyy-MM-dd)|
    +--------------------------------+
    |             2016-12-31 00:00:00|
    +--------------------------------+
    <BLANKLINE>
    """)
to_timestamp_ntz = _optional_format("to_timestamp_ntz", """A string parsed as a timestamp without time zone,
    with an optional Java datetime pattern.

    >>> df = spark.createDataFrame([("2016-12-31",)], ["dt"])
    >>> df.select(to_timestamp_ntz("dt", lit("yyyy-MM-dd"))).printSchema()
    root
     |-- to_timestamp_ntz(dt, yyyy-MM-dd): timestamp_ntz (nullable = true)
    <BLANKLINE>
    """)
try_to_timestamp = _optional_format("try_to_timestamp", """``to_timestamp`` that gives NULL where the
    string does not parse (even under ANSI mode).

    >>> spark.createDataFrame([("malformed",)], ["t"]).select(try_to_timestamp("t")).show()
    +-------------------+
    |try_to_timestamp(t)|
    +-------------------+
    |               NULL|
    +-------------------+
    <BLANKLINE>
    """)


def try_to_date(col, format=None):
    """``to_date`` that gives NULL where the string does not parse.

    >>> spark.createDataFrame([("foo",)], ["ts"]).select(try_to_date("ts")).show()
    +---------------+
    |try_to_date(ts)|
    +---------------+
    |           NULL|
    +---------------+
    <BLANKLINE>
    """
    if format is None:
        return _invoke("try_to_date", col)
    return _invoke("try_to_date", col, lit(format))


def _epoch_call(name, doc):
    def f(col):
        return _invoke(name, col)
    f.__name__ = name
    f.__doc__ = doc
    return f


timestamp_seconds = _epoch_call("timestamp_seconds", """The timestamp of seconds since the epoch.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> spark.createDataFrame([(1230219000,)], ["s"]).select(timestamp_seconds("s")).show()
    +--------------------+
    |timestamp_seconds(s)|
    +--------------------+
    | 2008-12-25 15:30:00|
    +--------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
timestamp_millis = _epoch_call("timestamp_millis", """The timestamp of milliseconds since the epoch.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> spark.createDataFrame([(1230219000123,)], ["ms"]).select(timestamp_millis("ms")).show(truncate=False)
    +-----------------------+
    |timestamp_millis(ms)   |
    +-----------------------+
    |2008-12-25 15:30:00.123|
    +-----------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
timestamp_micros = _epoch_call("timestamp_micros", """The timestamp of microseconds since the epoch.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> spark.createDataFrame([(1230219000,)], ["us"]).select(timestamp_micros("us")).show(truncate=False)
    +-----------------------+
    |timestamp_micros(us)   |
    +-----------------------+
    |1970-01-01 00:20:30.219|
    +-----------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
unix_date = _epoch_call("unix_date", """Days since 1970-01-01.

    >>> spark.createDataFrame([("2022-01-02",)], ["dt"]).select(unix_date(to_date("dt"))).show()
    +----------------------+
    |unix_date(to_date(dt))|
    +----------------------+
    |                 18994|
    +----------------------+
    <BLANKLINE>
    """)
unix_seconds = _epoch_call("unix_seconds", """Seconds since the epoch of a timestamp.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("2015-07-22 10:00:00",)], ["ts"])
    >>> df.select(unix_seconds(to_timestamp("ts"))).show()
    +------------------------------+
    |unix_seconds(to_timestamp(ts))|
    +------------------------------+
    |                    1437559200|
    +------------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
unix_millis = _epoch_call("unix_millis", """Milliseconds since the epoch of a timestamp.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("2015-07-22 10:00:00",)], ["ts"])
    >>> df.select(unix_millis(to_timestamp("ts"))).show()
    +-----------------------------+
    |unix_millis(to_timestamp(ts))|
    +-----------------------------+
    |                1437559200000|
    +-----------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
unix_micros = _epoch_call("unix_micros", """Microseconds since the epoch of a timestamp.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("2015-07-22 10:00:00",)], ["ts"])
    >>> df.select(unix_micros(to_timestamp("ts"))).show()
    +-----------------------------+
    |unix_micros(to_timestamp(ts))|
    +-----------------------------+
    |             1437559200000000|
    +-----------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """)
date_from_unix_date = _epoch_call("date_from_unix_date", """The date ``days`` after 1970-01-01.

    >>> spark.range(2).select(date_from_unix_date("id")).show()
    +-----------------------+
    |date_from_unix_date(id)|
    +-----------------------+
    |             1970-01-01|
    |             1970-01-02|
    +-----------------------+
    <BLANKLINE>
    """)


def from_utc_timestamp(timestamp, tz):
    """Reads a timestamp as UTC and renders it in zone ``tz``.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("1997-02-28 10:30:00",)], ["ts"])
    >>> df.select(from_utc_timestamp("ts", "JST")).show()
    +---------------------------+
    |from_utc_timestamp(ts, JST)|
    +---------------------------+
    |        1997-02-28 19:30:00|
    +---------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """
    return _invoke("from_utc_timestamp", timestamp, lit(tz))


def to_utc_timestamp(timestamp, tz):
    """Reads a timestamp as a wall time in zone ``tz`` and renders it in UTC.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([("1997-02-28 10:30:00",)], ["ts"])
    >>> df.select(to_utc_timestamp("ts", "PST")).show()
    +-------------------------+
    |to_utc_timestamp(ts, PST)|
    +-------------------------+
    |      1997-02-28 18:30:00|
    +-------------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """
    return _invoke("to_utc_timestamp", timestamp, lit(tz))


def convert_timezone(sourceTz, targetTz, sourceTs):
    """A timestamp without time zone moved from one zone's wall time to another's (``sourceTz``
    None: the session time zone).

    >>> df = spark.createDataFrame([("2015-04-08 15:00:00",)], ["ts"])
    >>> df.select(convert_timezone(lit("Asia/Hong_Kong"), lit("America/Los_Angeles"), "ts")).show()
    +---------------------------------------------------------+
    |convert_timezone(Asia/Hong_Kong, America/Los_Angeles, ts)|
    +---------------------------------------------------------+
    |                                      2015-04-08 00:00:00|
    +---------------------------------------------------------+
    <BLANKLINE>
    """
    if sourceTz is None:
        return _invoke("convert_timezone", targetTz, sourceTs)
    return _invoke("convert_timezone", sourceTz, targetTz, sourceTs)



# ---------------------------------------------------------------------------------------------
# aggregates beyond the course list

def _flag_call(name, doc):
    def f(col, ignoreNulls=None):
        if ignoreNulls is None:
            return _invoke(name, col)
        return _invoke(name, col, lit(ignoreNulls) if isinstance(ignoreNulls, bool) else ignoreNulls)
    f.__name__ = name
    f.__doc__ = doc
    return f


any_value = _flag_call("any_value", """Some value of the group: the first one met, or with ``ignoreNulls``
    the first one that is not NULL.

    >>> df = spark.createDataFrame([(None, 1), ("a", 2)], ["c1", "c2"])
    >>> df.select(any_value("c1"), any_value("c1", True)).show()
    +-------------+-------------+
    |any_value(c1)|any_value(c1)|
    +-------------+-------------+
    |         NULL|            a|
    +-------------+-------------+
    <BLANKLINE>
    """)
first_value = _flag_call("first_value", """The first value of the group (``ignoreNulls``: the first not NULL).

    >>> df = spark.createDataFrame([(None, 1), ("a", 2)], ["a", "b"])
    >>> df.select(first_value("a"), first_value("a", True)).show()
    +--------------+--------------+
    |first_value(a)|first_value(a)|
    +--------------+--------------+
    |          NULL|             a|
    +--------------+--------------+
    <BLANKLINE>
    """)
last_value = _flag_call("last_value", """The last value of the group (``ignoreNulls``: the last not NULL).

    >>> df = spark.createDataFrame([("a", 1), (None, 2)], ["a", "b"])
    >>> df.select(last_value("a"), last_value("a", True)).show()
    +-------------+-------------+
    |last_value(a)|last_value(a)|
    +-------------+-------------+
    |         NULL|            a|
    +-------------+-------------+
    <BLANKLINE>
    """)


def _agg_call(name, doc, arity=1):
    if arity == 1:
        def f(col):
            return _invoke(name, col)
    else:
        def f(y, x):
            return _invoke(name, y, x)
    f.__name__ = name
    f.__doc__ = doc
    return f


std = _agg_call("std", """The sample standard deviation (``stddev``).

    >>> spark.range(6).select(std("id")).show()
    +------------------+
    |           std(id)|
    +------------------+
    |1.8708286933869707|
    +------------------+
    <BLANKLINE>
    """)
array_agg = _agg_call("array_agg", """The group's values that are not NULL, as an array (``collect_list``).

    >>> df = spark.createDataFrame([[1], [None], [2]], ["c"])
    >>> df.agg(sort_array(array_agg("c")).alias("l")).show()
    +------+
    |     l|
    +------+
    |[1, 2]|
    +------+
    <BLANKLINE>
    """)
try_sum = _agg_call("try_sum", """``sum`` that gives NULL on overflow.

    >>> spark.range(10).select(try_sum("id")).show()
    +-----------+
    |try_sum(id)|
    +-----------+
    |         45|
    +-----------+
    <BLANKLINE>
    """)
try_avg = _agg_call("try_avg", """``avg`` that gives NULL on overflow.

    >>> spark.createDataFrame([(15,), (2,)], ["age"]).select(try_avg("age")).show()
    +------------+
    |try_avg(age)|
    +------------+
    |         8.5|
    +------------+
    <BLANKLINE>
    """)
for _name, _op, _v in (("bit_and", "AND", 0), ("bit_or", "OR", 3), ("bit_xor", "XOR", 2)):
    globals()[_name] = _agg_call(_name, """The bitwise %s of the group's values that are not NULL.

    >>> spark.createDataFrame([[1], [None], [1], [2]], ["c"]).select(%s("c").alias("v")).collect()
    [Row(v=%d)]
    """ % (_op, _name, _v))

_REGR_DOC = """``%s(y, x)`` over the pairs where neither is NULL.

    >>> df = spark.sql("SELECT * FROM VALUES (1, 2), (2, 2), (2, 3), (2, 4) AS tab(y, x)")
    >>> df.select(%s("y", "x").alias("v")).collect()
    [Row(v=%s)]
    """
for _name, _v in (("regr_avgx", "2.75"), ("regr_avgy", "1.75"), ("regr_count", "4"),
                  ("regr_intercept", "1.0"), ("regr_r2", "0.2727272727272727"),
                  ("regr_slope", "0.2727272727272727"), ("regr_sxx", "2.75"), ("regr_sxy", "0.75"),
                  ("regr_syy", "0.75")):
    globals()[_name] = _agg_call(_name, _REGR_DOC % (_name, _name, _v), arity=2)


def mode(col, deterministic=False):
    """The most frequent value (``deterministic``: the smallest of equally frequent ones).

    >>> df = spark.createDataFrame([(-10,), (0,), (10,)], ["col"])
    >>> df.select(mode("col", True)).show()
    +---------------------------------------+
    |mode() WITHIN GROUP (ORDER BY col DESC)|
    +---------------------------------------+
    |                                    -10|
    +---------------------------------------+
    <BLANKLINE>
    """
    return _invoke("mode", col, lit(deterministic))


def _listagg_call(name, doc):
    def f(col, delimiter=None):
        if delimiter is None:
            return _invoke(name, col)
        return _invoke(name, col, lit(delimiter))
    f.__name__ = name
    f.__doc__ = doc
    return f


listagg = _listagg_call("listagg", """The group's strings that are not NULL, concatenated in order with
    ``delimiter`` between them.

    >>> df = spark.createDataFrame([("a",), ("b",), (None,), ("c",)], ["s"])
    >>> df.select(listagg("s", ", ")).show()
    +--------------+
    |listagg(s, , )|
    +--------------+
    |       a, b, c|
    +--------------+
    <BLANKLINE>
    """)
string_agg = _listagg_call("string_agg", """``listagg`` under its other name.

    >>> df = spark.createDataFrame([("a",), ("b",)], ["s"])
    >>> df.select(string_agg("s")).show()
    +-------------------+
    |string_agg(s, NULL)|
    +-------------------+
    |                 ab|
    +-------------------+
    <BLANKLINE>
    """)
listagg_distinct = _listagg_call("listagg_distinct", """``listagg`` of the distinct strings.

    >>> df = spark.createDataFrame([("a",), ("a",)], ["s"])
    >>> df.select(listagg_distinct("s").alias("v")).collect()
    [Row(v='a')]
    """)
string_agg_distinct = _listagg_call("string_agg_distinct", """``string_agg`` of the distinct strings.

    >>> df = spark.createDataFrame([("a",), ("a",)], ["s"])
    >>> df.select(string_agg_distinct("s").alias("v")).collect()
    [Row(v='a')]
    """)


def nth_value(col, offset, ignoreNulls=False):
    """The ``offset``-th value (1-based) of the window frame, NULL while the frame is shorter.

    >>> from sparklet.sql import Window
    >>> df = spark.createDataFrame([("a", 1), ("a", 2), ("a", 3)], ["c1", "c2"])
    >>> w = Window.partitionBy("c1").orderBy("c2")
    >>> df.withColumn("n", nth_value("c2", 2).over(w)).select("n").collect()
    [Row(n=None), Row(n=2), Row(n=2)]
    """
    return _invoke("nth_value", col, lit(offset), lit(ignoreNulls))


def grouping(col):
    """1 where a cube or rollup grouping set leaves ``col`` out, else 0.

    >>> df = spark.createDataFrame([("Alice", 2), ("Bob", 5)], ("name", "age"))
    >>> df.cube("name").agg(grouping("name"), sum("age")).orderBy("name").show()
    +-----+--------------+--------+
    | name|grouping(name)|sum(age)|
    +-----+--------------+--------+
    | NULL|             1|       7|
    |Alice|             0|       2|
    |  Bob|             0|       5|
    +-----+--------------+--------+
    <BLANKLINE>
    """
    return _invoke("grouping", col)


def grouping_id(*cols):
    """The bits of ``grouping`` of each key (all grouping keys when none are given), first key
    highest.

    >>> df = spark.createDataFrame([(1, "a", "a"), (4, "b", "c")], ["c1", "c2", "c3"])
    >>> df.rollup("c2", "c3").agg(grouping_id()).orderBy("c2", "c3").show()
    +----+----+-------------+
    |  c2|  c3|grouping_id()|
    +----+----+-------------+
    |NULL|NULL|            3|
    |   a|NULL|            1|
    |   a|   a|            0|
    |   b|NULL|            1|
    |   b|   c|            0|
    +----+----+-------------+
    <BLANKLINE>
    """
    return _invoke("grouping_id", *cols)


def _percentile_call(name, default, doc):
    def f(col, percentage, third=default):
        p = lit(list(percentage)) if isinstance(percentage, (list, tuple)) else lit(percentage)
        return _invoke(name, col, p, lit(third))
    f.__name__ = name
    f.__doc__ = doc
    return f


percentile = _percentile_call("percentile", 1, """The exact percentile(s) of a numeric column, interpolated
    between neighbouring values (``frequency``: how many times each row counts).

    >>> df = spark.createDataFrame([(1,), (2,), (3,), (4,)], ["a"])
    >>> df.select(percentile("a", [0.25, 0.5]), percentile("a", 0.5)).show()
    +----------------------------------+---------------------+
    |percentile(a, array(0.25, 0.5), 1)|percentile(a, 0.5, 1)|
    +----------------------------------+---------------------+
    |                       [1.75, 2.5]|                  2.5|
    +----------------------------------+---------------------+
    <BLANKLINE>
    """)
percentile_approx = _percentile_call("percentile_approx", 10000, """The value at the given percentile(s): the
    smallest value with at least that fraction of the column at or below it.

    >>> df = spark.createDataFrame([(1,), (2,), (3,), (4,)], ["a"])
    >>> df.select(percentile_approx("a", [0.25, 0.5], 100), percentile_approx("a", 0.5)).show()
    +-------------------------------------------+--------------------------------+
    |percentile_approx(a, array(0.25, 0.5), 100)|percentile_approx(a, 0.5, 10000)|
    +-------------------------------------------+--------------------------------+
    |                                     [1, 2]|                               2|
    +-------------------------------------------+--------------------------------+
    <BLANKLINE>
    """)
approx_percentile = _percentile_call("approx_percentile", 10000, """``percentile_approx`` under its other name.

    >>> df = spark.createDataFrame([(1,), (2,), (3,), (4,)], ["a"])
    >>> df.select(approx_percentile("a", 0.5).alias("p")).collect()
    [Row(p=2)]
    """)


def approx_count_distinct(col, rsd=None):
    """The number of distinct values as Spark's HyperLogLog++ estimates it (``rsd``: the relative
    standard deviation allowed, 0.05 by default); exact-looking for few values.

    >>> spark.range(100000).agg(approx_count_distinct("id").alias("a"),
    ...                         approx_count_distinct("id", 0.1).alias("b")).show()
    +-----+------+
    |    a|     b|
    +-----+------+
    |95546|102065|
    +-----+------+
    <BLANKLINE>
    """
    if rsd is None:
        return _invoke("approx_count_distinct", col)
    return _invoke("approx_count_distinct", col, lit(rsd), repr_args=[col_of(col)._repr])


# ---------------------------------------------------------------------------------------------
# time windows

def window(timeColumn, windowDuration, slideDuration=None, startTime=None):
    """The ``[start, end)`` time bucket of ``windowDuration`` ('10 minutes', '1 hour'...) holding each
    timestamp, as a struct named ``window``, to group by (buckets start at the epoch plus
    ``startTime``; a slide shorter than the window is not supported).

    >>> import datetime
    >>> df = spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7), 1)], ["dt", "v"])
    >>> df.groupBy(window("dt", "5 seconds")).agg(sum("v")).show(truncate=False)
    +------------------------------------------+------+
    |window                                    |sum(v)|
    +------------------------------------------+------+
    |{2016-03-11 09:00:05, 2016-03-11 09:00:10}|1     |
    +------------------------------------------+------+
    <BLANKLINE>
    """
    if slideDuration and startTime:
        return _invoke("window", timeColumn, lit(windowDuration), lit(slideDuration), lit(startTime))
    if slideDuration:
        return _invoke("window", timeColumn, lit(windowDuration), lit(slideDuration))
    if startTime:
        return _invoke("window", timeColumn, lit(windowDuration), lit(windowDuration), lit(startTime))
    return _invoke("window", timeColumn, lit(windowDuration))


def window_time(windowColumn):
    """The event time of a time window: its end less one microsecond.

    >>> import datetime
    >>> df = spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7), 1)], ["dt", "v"])
    >>> w = df.groupBy(window("dt", "5 seconds")).agg(sum("v"))
    >>> w.select(window_time("window")).show(truncate=False)
    +--------------------------+
    |window_time(window)       |
    +--------------------------+
    |2016-03-11 09:00:09.999999|
    +--------------------------+
    <BLANKLINE>
    """
    return _invoke("window_time", windowColumn)
