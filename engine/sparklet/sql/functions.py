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


for _name in ["lower", "upper", "length", "initcap", "reverse", "ascii", "md5", "sha1",
              "bit_length", "octet_length", "char_length", "base64", "unbase64", "hex", "soundex", "sqrt", "exp",
              "cbrt", "log10", "log2", "log1p", "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
              "tanh", "degrees", "radians", "rint", "signum", "sign", "ln", "abs", "isnan",
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
    """Uniform doubles in [0, 1), drawn as Spark draws them (seed + partition index per partition).

    >>> spark.range(0, 2, 1, 1).select(rand(seed=42)).collect()
    [Row(rand(42)=0.619189370225...), Row(rand(42)=0.5096018842446...)]
    """
    if seed is None:
        return _invoke("rand")
    return _invoke("rand", lit(seed))


def randn(seed=None):
    """Standard normal doubles, drawn as Spark draws them.

    >>> spark.range(0, 2, 1, 1).select(randn(seed=42)).collect()
    [Row(randn(42)=2.384479054241...), Row(randn(42)=0.1920934041293...)]
    """
    if seed is None:
        return _invoke("randn")
    return _invoke("randn", lit(seed))


def uniform(min, max, seed=None):
    """Values drawn uniformly from [min, max) (integers when both bounds are).

    >>> spark.range(0, 3, 1, 1).select(uniform(5, 105, 3)).collect()
    [Row(uniform(5, 105, 3)=30), Row(uniform(5, 105, 3)=71), Row(uniform(5, 105, 3)=99)]
    """
    args = [_lit_or_col(min), _lit_or_col(max)] + ([_lit_or_col(seed)] if seed is not None else [])
    return _invoke("uniform", *args)


def randstr(length, seed=None):
    """Random strings of letters and digits.

    >>> spark.range(0, 2, 1, 1).select(randstr(16, 3)).collect()
    [Row(randstr(16, 3)='nurJIpH4cmmMnsCG'), Row(randstr(16, 3)='fl9YtT5m01trZtIt')]
    """
    args = [_lit_or_col(length)] + ([_lit_or_col(seed)] if seed is not None else [])
    return _invoke("randstr", *args)


def uuid(seed=None):
    """Random version 4 UUIDs (as Spark draws them for a given seed).

    >>> spark.range(0, 2, 1, 1).select(uuid(seed=123)).collect()
    [Row(uuid()='4c99192d-23d6-4d88-b814-a634398120f0'), Row(uuid()='af506873-3c53-41e3-8354-a24856b8de8a')]
    """
    return _invoke("uuid", *([lit(seed)] if seed is not None else []))


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
    """``substr``: `pos` and `len` are Columns or column names (Spark 4).

    >>> df = spark.createDataFrame([("Spark SQL", 5, 1)], ["a", "b", "c"])
    >>> df.select(substr("a", "b", "c"), substr(df.a, df.b)).show()
    +---------------+------------------------+
    |substr(a, b, c)|substr(a, b, 2147483647)|
    +---------------+------------------------+
    |              k|                   k SQL|
    +---------------+------------------------+
    """
    if len is None:
        return _invoke("substr", str, _c(pos))
    return _invoke("substr", str, _c(pos), _c(len))


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
    """Left-pads to `len` characters with `pad` (cut to `len` when longer).

    >>> df = spark.createDataFrame([("abcd",), ("12",)], ["s"])
    >>> df.select("*", lpad(df.s, 6, "#")).show()
    +----+-------------+
    |   s|lpad(s, 6, #)|
    +----+-------------+
    |abcd|       ##abcd|
    |  12|       ####12|
    +----+-------------+
    """
    return _invoke("lpad", col, _lit_or_col(len), _lit_or_col(pad))


def rpad(col, len, pad):
    """Right-pads to `len` characters with `pad` (cut to `len` when longer).

    >>> df = spark.createDataFrame([("abcd",), ("12",)], ["s"])
    >>> df.select("*", rpad(df.s, 3, "#")).show()
    +----+-------------+
    |   s|rpad(s, 3, #)|
    +----+-------------+
    |abcd|          abc|
    |  12|          12#|
    +----+-------------+
    """
    return _invoke("rpad", col, _lit_or_col(len), _lit_or_col(pad))


def repeat(col, n):
    """The string repeated `n` times; a string `n` names a column.

    >>> df = spark.createDataFrame([("ab", 2)], ["s", "t"])
    >>> df.select(repeat("s", 3), repeat("s", "t")).show()
    +------------+------------+
    |repeat(s, 3)|repeat(s, t)|
    +------------+------------+
    |      ababab|        abab|
    +------------+------------+
    """
    return _invoke("repeat", col, _c(n) if isinstance(n, builtins.str) else _lit_or_col(n))


def instr(str, substr, start=None, occurrence=None):
    """1-based position of `substr` in `str` (0 when absent), from `start`, its `occurrence`-th match.

    >>> df = spark.createDataFrame([("aabcd",)], ["s"])
    >>> df.select(instr("s", "b"), instr("s", "a", 2)).show()
    +-----------+-----------------+
    |instr(s, b)|instr(s, a, 2, 1)|
    +-----------+-----------------+
    |          3|                2|
    +-----------+-----------------+
    """
    if start is None and occurrence is None:
        return _invoke("instr", str, _lit_or_col(substr))
    return _invoke("instr", str, _lit_or_col(substr), _lit_or_col(1 if start is None else start),
                   _lit_or_col(1 if occurrence is None else occurrence))


def locate(substr, str, pos=1):
    return _invoke("locate", lit(substr), str, lit(pos))


def translate(srcCol, matching, replace):
    return _invoke("translate", srcCol, lit(matching), lit(replace))


def levenshtein(left, right, threshold=None):
    """Edit distance; -1 when it is above `threshold`.

    >>> df = spark.createDataFrame([("kitten", "sitting")], ["l", "r"])
    >>> df.select(levenshtein("l", "r"), levenshtein("l", "r", 2)).show()
    +-----------------+--------------------+
    |levenshtein(l, r)|levenshtein(l, r, 2)|
    +-----------------+--------------------+
    |                3|                  -1|
    +-----------------+--------------------+
    """
    if threshold is None:
        return _invoke("levenshtein", left, right)
    return _invoke("levenshtein", left, right, lit(threshold))


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


def array_position(col, value):
    return _invoke("array_position", col, _lit_or_col(value))


def array_remove(col, element):
    return _invoke("array_remove", col, _lit_or_col(element))


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
    """Marks a DataFrame as small enough to broadcast in a join (``df.hint("broadcast")``)."""
    return df.hint("broadcast")


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
# string, math, hash, bitwise and misc scalars (the same registry as SQL text: one name each)

def _col_or_lit(x):
    """A Column stays, a string names a column, anything else is a literal (Spark 4's rule for
    most functions that take Columns)."""
    if isinstance(x, Column):
        return x
    if isinstance(x, builtins.str):
        return col(x)
    return lit(x)


def lcase(str):
    """Lower case, named ``lcase``.

    >>> spark.range(1).select(lcase(lit("Spark"))).show()
    +------------+
    |lcase(Spark)|
    +------------+
    |       spark|
    +------------+
    """
    return _invoke("lcase", str)


def ucase(str):
    """Upper case, named ``ucase``.

    >>> spark.range(1).select(ucase(lit("Spark"))).show()
    +------------+
    |ucase(Spark)|
    +------------+
    |       SPARK|
    +------------+
    """
    return _invoke("ucase", str)


def char_length(str):
    """Number of characters.

    >>> spark.range(1).select(char_length(lit("한국어"))).show()
    +-------------------+
    |char_length(한국어)|
    +-------------------+
    |                  3|
    +-------------------+
    """
    return _invoke("char_length", str)


def character_length(str):
    """Number of characters.

    >>> spark.range(1).select(character_length(lit("Spark"))).collect()
    [Row(character_length(Spark)=5)]
    """
    return _invoke("character_length", str)


def _trim_call(name, col, trim):
    if trim is None:
        return _invoke(name, col)
    return _invoke(name, col, _col_or_lit(trim))


def ltrim(col, trim=None):
    """Removes leading spaces (or the characters of `trim`, a Column or column name).

    >>> df = spark.createDataFrame([("  Spark", "**Spark*")], ["a", "b"])
    >>> df.select(ltrim("a"), ltrim("b", lit("*"))).show()
    +--------+----------------------+
    |ltrim(a)|TRIM(LEADING * FROM b)|
    +--------+----------------------+
    |   Spark|                Spark*|
    +--------+----------------------+
    """
    return _trim_call("ltrim", col, trim)


def rtrim(col, trim=None):
    """Removes trailing spaces (or the characters of `trim`, a Column or column name).

    >>> df = spark.createDataFrame([("Spark  ", "**Spark*")], ["a", "b"])
    >>> df.select(rtrim("a"), rtrim("b", lit("*"))).show()
    +--------+-----------------------+
    |rtrim(a)|TRIM(TRAILING * FROM b)|
    +--------+-----------------------+
    |   Spark|                **Spark|
    +--------+-----------------------+
    """
    return _trim_call("rtrim", col, trim)


def btrim(str, trim=None):
    """Removes spaces (or the characters of `trim`) from both ends.

    >>> df = spark.createDataFrame([("SSparkSQLS", "SL")], ["a", "b"])
    >>> df.select(btrim(df.a, df.b).alias("r")).collect()
    [Row(r='parkSQ')]
    """
    return _trim_call("btrim", str, trim)


def contains(left, right):
    """Whether `left` contains `right` (strings or binaries; both Columns or column names).

    >>> df = spark.createDataFrame([("Spark SQL", "Spark")], ["a", "b"])
    >>> df.select(contains(df.a, df.b).alias("r")).collect()
    [Row(r=True)]
    """
    return _invoke("contains", left, right)


def startswith(str, prefix):
    """Whether `str` starts with `prefix` (Columns or column names).

    >>> df = spark.createDataFrame([("Spark SQL", "Spark")], ["a", "b"])
    >>> df.select(startswith(df.a, df.b).alias("r")).collect()
    [Row(r=True)]
    """
    return _invoke("startswith", str, prefix)


def endswith(str, suffix):
    """Whether `str` ends with `suffix` (Columns or column names).

    >>> df = spark.createDataFrame([("Spark SQL", "Spark")], ["a", "b"])
    >>> df.select(endswith(df.a, df.b).alias("r")).collect()
    [Row(r=False)]
    """
    return _invoke("endswith", str, suffix)


def like(str, pattern, escapeChar=None):
    """SQL ``LIKE`` against a pattern Column (``_`` one character, ``%`` any run).

    >>> df = spark.createDataFrame([("Spark", "_park")], ["a", "b"])
    >>> df.select(like(df.a, df.b).alias("r")).collect()
    [Row(r=True)]
    """
    if escapeChar is None:
        return _invoke("like", str, pattern)
    return _invoke("like", str, pattern, _lit_or_col(escapeChar))


def ilike(str, pattern, escapeChar=None):
    """Case-insensitive ``LIKE``.

    >>> df = spark.createDataFrame([("Spark", "_PARK")], ["a", "b"])
    >>> df.select(ilike(df.a, df.b).alias("r")).collect()
    [Row(r=True)]
    """
    if escapeChar is None:
        return _invoke("ilike", str, pattern)
    return _invoke("ilike", str, pattern, _lit_or_col(escapeChar))


def rlike(str, regexp):
    """Whether a regular expression matches somewhere in `str`.

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(rlike("s", lit(r"\\d{2}m"))).show()
    +----------------+
    |RLIKE(s, \\d{2}m)|
    +----------------+
    |            true|
    +----------------+
    """
    return _invoke("rlike", str, regexp)


def regexp(str, regexp):
    """``rlike`` under the name ``REGEXP``.

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(regexp("s", lit("z"))).collect()
    [Row(REGEXP(s, z)=False)]
    """
    return _invoke("regexp", str, regexp)


def regexp_like(str, regexp):
    """``rlike`` under the name ``REGEXP_LIKE``.

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(regexp_like("s", lit("b"))).collect()
    [Row(REGEXP_LIKE(s, b)=True)]
    """
    return _invoke("regexp_like", str, regexp)


def left(str, len):
    """The leftmost `len` characters.

    >>> df = spark.createDataFrame([("Spark SQL", 3)], ["a", "b"])
    >>> df.select(left(df.a, df.b).alias("r")).collect()
    [Row(r='Spa')]
    """
    return _invoke("left", str, len)


def right(str, len):
    """The rightmost `len` characters.

    >>> df = spark.createDataFrame([("Spark SQL", 3)], ["a", "b"])
    >>> df.select(right(df.a, df.b).alias("r")).collect()
    [Row(r='SQL')]
    """
    return _invoke("right", str, len)


def position(substr, str, start=None):
    """1-based position of `substr` in `str` from `start` (0 when absent).

    >>> df = spark.createDataFrame([("bar", "foobarbar", 5)], ["a", "b", "c"])
    >>> df.select(position("a", "b", "c"), position("a", "b")).show()
    +-----------------+-----------------+
    |position(a, b, c)|position(a, b, 1)|
    +-----------------+-----------------+
    |                7|                4|
    +-----------------+-----------------+
    """
    if start is None:
        return _invoke("position", substr, str)
    return _invoke("position", substr, str, start)


def substring_index(str, delim, count):
    """The part before the `count`-th `delim` (after it, counting from the end, when negative).

    >>> df = spark.createDataFrame([("a.b.c.d",)], ["s"])
    >>> df.select(substring_index(df.s, ".", 2), substring_index("s", ".", -3)).show()
    +------------------------+-------------------------+
    |substring_index(s, ., 2)|substring_index(s, ., -3)|
    +------------------------+-------------------------+
    |                     a.b|                    b.c.d|
    +------------------------+-------------------------+
    """
    return _invoke("substring_index", str, lit(delim), lit(count))


def split_part(src, delimiter, partNum):
    """The `partNum`-th part of `src` split by `delimiter` (from the end when negative).

    >>> df = spark.createDataFrame([("11.12.13", ".", 3)], ["a", "b", "c"])
    >>> df.select(split_part("a", "b", "c"), split_part(df.a, df.b, lit(-2))).show()
    +-------------------+--------------------+
    |split_part(a, b, c)|split_part(a, b, -2)|
    +-------------------+--------------------+
    |                 13|                  12|
    +-------------------+--------------------+
    """
    return _invoke("split_part", src, delimiter, partNum)


def overlay(src, replace, pos, len=-1):
    """`src` with `len` characters from `pos` replaced by `replace` (all of its length by default).

    >>> df = spark.createDataFrame([("SPARK_SQL", "CORE")], ("x", "y"))
    >>> df.select(overlay("x", df.y, 7), overlay("x", "y", 7, 0)).show()
    +--------------------+-------------------+
    |overlay(x, y, 7, -1)|overlay(x, y, 7, 0)|
    +--------------------+-------------------+
    |          SPARK_CORE|      SPARK_CORESQL|
    +--------------------+-------------------+
    """
    return _invoke("overlay", src, replace, _lit_or_col(pos), _lit_or_col(len))


def replace(src, search, replace=None):
    """Every `search` in `src` replaced by `replace` (removed when it is not given).

    >>> df = spark.createDataFrame([("ABCabc", "abc", "DEF")], ["a", "b", "c"])
    >>> df.select(replace(df.a, df.b, df.c).alias("r"), replace(df.a, df.b).alias("s")).collect()
    [Row(r='ABCDEF', s='ABC')]
    """
    if replace is None:
        return _invoke("replace", src, search)
    return _invoke("replace", src, search, replace)


def mask(col, upperChar=None, lowerChar=None, digitChar=None, otherChar=None):
    """Masks upper-case letters (X), lower-case letters (x) and digits (n); others only if asked.

    >>> df = spark.createDataFrame([("AbCD123-@$#",)], ["data"])
    >>> df.select(mask(df.data).alias("r"), mask(df.data, lit("Y"), lit("y"), lit("d"), lit("*")).alias("s")).collect()
    [Row(r='XxXXnnn-@$#', s='YyYYddd****')]
    """
    chars = [upperChar, lowerChar, digitChar, otherChar]
    given = [c for c in chars if c is not None]
    defaults = [lit("X"), lit("x"), lit("n"), lit(None)]
    args = [c if c is not None else d for c, d in zip(chars, defaults)] if given else []
    return _invoke("mask", col, *args)


def elt(*inputs):
    """The n-th of the inputs after the first (n given by the first).

    >>> df = spark.createDataFrame([(1, "scala", "java")], ["a", "b", "c"])
    >>> df.select(elt(df.a, df.b, df.c).alias("r")).collect()
    [Row(r='scala')]
    """
    return _invoke("elt", *inputs)


def find_in_set(str, str_array):
    """1-based index of `str` in the comma-separated list `str_array` (0 when absent).

    >>> df = spark.createDataFrame([("ab", "abc,b,ab,c,def")], ["a", "b"])
    >>> df.select(find_in_set(df.a, df.b).alias("r")).collect()
    [Row(r=3)]
    """
    return _invoke("find_in_set", str, str_array)


def printf(format, *cols):
    """printf-style formatting; `format` is a Column or column name.

    >>> df = spark.createDataFrame([("aa%d%s", 123, "cc")], ["a", "b", "c"])
    >>> df.select(printf("a", "b", "c")).show()
    +---------------+
    |printf(a, b, c)|
    +---------------+
    |        aa123cc|
    +---------------+
    """
    return _invoke("printf", format, *cols)


def quote(col):
    """The string in single quotes, its quotes and backslashes escaped.

    >>> df = spark.createDataFrame(["Don't"], "STRING")
    >>> df.select("*", quote("value")).show()
    +-----+------------+
    |value|quote(value)|
    +-----+------------+
    |Don't|    'Don\\'t'|
    +-----+------------+
    """
    return _invoke("quote", col)


def url_encode(str):
    """``application/x-www-form-urlencoded`` encoding (Java's URLEncoder).

    >>> df = spark.createDataFrame([("Hello World!",)], ["url"])
    >>> df.select(url_encode(df.url)).show()
    +---------------+
    |url_encode(url)|
    +---------------+
    | Hello+World%21|
    +---------------+
    """
    return _invoke("url_encode", str)


def url_decode(str):
    """Decodes ``url_encode``'s form; a malformed escape is an error (``try_url_decode``: NULL).

    >>> df = spark.createDataFrame([("Hello%20World%21",)], ["url"])
    >>> df.select(url_decode(df.url)).show()
    +---------------+
    |url_decode(url)|
    +---------------+
    |   Hello World!|
    +---------------+
    """
    return _invoke("url_decode", str)


def try_url_decode(str):
    """``url_decode`` that gives NULL for a malformed escape.

    >>> df = spark.createDataFrame([("https%3A%2F%2Fspark.apache.org",), ("inva lid://%-x",)], ["url"])
    >>> df.select(try_url_decode(df.url)).show(truncate=False)
    +------------------------+
    |try_url_decode(url)     |
    +------------------------+
    |https://spark.apache.org|
    |NULL                    |
    +------------------------+
    """
    return _invoke("try_url_decode", str)


def regexp_count(str, regexp):
    """How many times the regular expression matches.

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(regexp_count("s", lit(r"\\d+"))).show()
    +--------------------+
    |regexp_count(s, \\d+)|
    +--------------------+
    |                   3|
    +--------------------+
    """
    return _invoke("regexp_count", str, regexp)


def regexp_extract_all(str, regexp, idx=None):
    """Group `idx` (1 by default) of every match.

    >>> df = spark.createDataFrame([("100-200, 300-400",)], ["s"])
    >>> df.select(regexp_extract_all("s", lit(r"(\\d+)-(\\d+)"), 2).alias("r")).collect()
    [Row(r=['200', '400'])]
    """
    if idx is None:
        return _invoke("regexp_extract_all", str, regexp)
    return _invoke("regexp_extract_all", str, regexp, _lit_or_col(idx))


def regexp_instr(str, regexp, idx=None):
    """1-based position of the first match (0 when none).

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(regexp_instr("s", lit(r"\\d+m"))).collect()
    [Row(regexp_instr(s, \\d+m, 0)=7)]
    """
    if idx is None:
        return _invoke("regexp_instr", str, regexp)
    return _invoke("regexp_instr", str, regexp, _lit_or_col(idx))


def regexp_substr(str, regexp):
    """The first match (NULL when none).

    >>> df = spark.createDataFrame([("1a 2b 14m",)], ["s"])
    >>> df.select(regexp_substr("s", lit(r"\\d+m")), regexp_substr("s", lit("z"))).collect()
    [Row(regexp_substr(s, \\d+m)='14m', regexp_substr(s, z)=None)]
    """
    return _invoke("regexp_substr", str, regexp)


def sentences(string, language=None, country=None):
    """The text split into sentences of words.

    >>> df = spark.createDataFrame([("Hi there! How are you?",)], ["s"])
    >>> df.select(sentences(df.s).alias("r")).collect()
    [Row(r=[['Hi', 'there'], ['How', 'are', 'you']])]
    """
    args = [string]
    if language is not None or country is not None:
        args.append(language if language is not None else lit(""))
    if country is not None:
        args.append(country)
    return _invoke("sentences", *args)


def soundex(col):
    """The Soundex code of a string.

    >>> df = spark.createDataFrame([("Peters",), ("Uhrbach",)], ["s"])
    >>> df.select("*", soundex("s")).show()
    +-------+----------+
    |      s|soundex(s)|
    +-------+----------+
    | Peters|      P362|
    |Uhrbach|      U612|
    +-------+----------+
    """
    return _invoke("soundex", col)


def pi():
    """π.

    >>> spark.range(1).select(pi()).show()
    +-----------------+
    |             PI()|
    +-----------------+
    |3.141592653589793|
    +-----------------+
    """
    return _invoke("pi")


def e():
    """Euler's number.

    >>> spark.range(1).select(e()).collect()
    [Row(E()=2.718281828459045)]
    """
    return _invoke("e")


def negative(col):
    """The negated value.

    >>> spark.createDataFrame([(-1,), (2,)], ["v"]).select(negative("v")).collect()
    [Row(negative(v)=1), Row(negative(v)=-2)]
    """
    return _invoke("negative", col)


def positive(col):
    """The value itself (unary plus).

    >>> spark.createDataFrame([(-1,)], ["v"]).select(positive("v")).collect()
    [Row((+ v)=-1)]
    """
    return _invoke("positive", col)


def sign(col):
    """-1.0, 0.0 or 1.0 by the sign (NaN stays NaN).

    >>> spark.range(1).select(sign(lit(-5)), sign(lit(float("nan")))).show()
    +--------+---------+
    |sign(-5)|sign(NaN)|
    +--------+---------+
    |    -1.0|      NaN|
    +--------+---------+
    """
    return _invoke("sign", col)


def signum(col):
    """``sign`` named ``SIGNUM``.

    >>> spark.range(1).select(signum(lit(6))).collect()
    [Row(SIGNUM(6)=1.0)]
    """
    return _invoke("signum", col)


def rint(col):
    """The double nearest the value that is a whole number (ties to even).

    >>> spark.range(1).select(rint(lit(10.5)), rint(lit(11.5))).collect()
    [Row(rint(10.5)=10.0, rint(11.5)=12.0)]
    """
    return _invoke("rint", col)


def _rounding(name, col, scale):
    if scale is None:
        return _invoke(name, col)
    return _invoke(name, col, _lit_or_col(scale))


def ceil(col, scale=None):
    """The smallest whole number (or number of `scale` decimals) not below the value.

    >>> spark.range(1).select(ceil(lit(-0.1)), ceil(lit(-0.15), 1)).show()
    +----------+--------------+
    |CEIL(-0.1)|ceil(-0.15, 1)|
    +----------+--------------+
    |         0|          -0.1|
    +----------+--------------+
    """
    return _rounding("ceil", col, scale)


def ceiling(col, scale=None):
    """``ceil`` named ``ceiling``.

    >>> spark.range(1).select(ceiling(lit(-0.1))).collect()
    [Row(ceiling(-0.1)=0)]
    """
    return _rounding("ceiling", col, scale)


def floor(col, scale=None):
    """The largest whole number (or number of `scale` decimals) not above the value.

    >>> spark.range(1).select(floor(lit(2.5)), floor(lit(2.1267), lit(2))).show()
    +----------+----------------+
    |FLOOR(2.5)|floor(2.1267, 2)|
    +----------+----------------+
    |         2|            2.12|
    +----------+----------------+
    """
    return _rounding("floor", col, scale)


def hypot(col1, col2):
    """sqrt(a² + b²).

    >>> spark.range(1).select(hypot(lit(3), lit(4))).collect()
    [Row(HYPOT(3, 4)=5.0)]
    """
    return _invoke("hypot", _lit_or_col(col1) if not isinstance(col1, builtins.str) else col1,
                   _lit_or_col(col2) if not isinstance(col2, builtins.str) else col2)


def acosh(col):
    """Inverse hyperbolic cosine.

    >>> spark.range(1).select(acosh(lit(1))).collect()
    [Row(ACOSH(1)=0.0)]
    """
    return _invoke("acosh", col)


def asinh(col):
    """Inverse hyperbolic sine.

    >>> spark.range(1).select(asinh(lit(0))).collect()
    [Row(ASINH(0)=0.0)]
    """
    return _invoke("asinh", col)


def atanh(col):
    """Inverse hyperbolic tangent.

    >>> spark.range(1).select(atanh(lit(0))).collect()
    [Row(ATANH(0)=0.0)]
    """
    return _invoke("atanh", col)


def cot(col):
    """Cotangent.

    >>> spark.range(1).select(cot(lit(0.0))).collect()
    [Row(COT(0.0)=inf)]
    """
    return _invoke("cot", col)


def csc(col):
    """Cosecant.

    >>> spark.range(1).select(csc(pi() / 2)).collect()
    [Row(CSC((PI() / 2))=1.0)]
    """
    return _invoke("csc", col)


def sec(col):
    """Secant.

    >>> spark.range(1).select(sec(lit(0.0))).collect()
    [Row(SEC(0.0)=1.0)]
    """
    return _invoke("sec", col)


def factorial(col):
    """n! for n in 0..20, else NULL.

    >>> spark.range(4).select(factorial("id")).collect()
    [Row(factorial(id)=1), Row(factorial(id)=1), Row(factorial(id)=2), Row(factorial(id)=6)]
    """
    return _invoke("factorial", col)


def bin(col):
    """The binary digits of a long.

    >>> spark.range(3, 6).select(bin("id")).collect()
    [Row(bin(id)='11'), Row(bin(id)='100'), Row(bin(id)='101')]
    """
    return _invoke("bin", col)


def conv(col, fromBase, toBase):
    """A number written in base `fromBase` rewritten in base `toBase`.

    >>> df = spark.createDataFrame([("010101",), ("101",)], ["n"])
    >>> df.select("*", conv(df.n, 2, 16)).show()
    +------+--------------+
    |     n|conv(n, 2, 16)|
    +------+--------------+
    |010101|            15|
    |   101|             5|
    +------+--------------+
    """
    return _invoke("conv", col, lit(fromBase), lit(toBase))


def width_bucket(v, min, max, numBucket):
    """The bucket (1..numBucket, 0 below, numBucket+1 above) of `v` in equal-width buckets.

    >>> df = spark.createDataFrame([(5.3, 0.2, 10.6, 5)], ["v", "min", "max", "n"])
    >>> df.select(width_bucket("v", "min", "max", "n")).collect()
    [Row(width_bucket(v, min, max, n)=3)]
    """
    numBucket = numBucket if not isinstance(numBucket, int) else lit(numBucket)
    return _invoke("width_bucket", v, min, max, numBucket)


def shiftleft(col, numBits):
    """Bitwise left shift.

    >>> spark.range(4).select(shiftleft("id", 1)).collect()
    [Row(shiftleft(id, 1)=0), Row(shiftleft(id, 1)=2), Row(shiftleft(id, 1)=4), Row(shiftleft(id, 1)=6)]
    """
    return _invoke("shiftleft", col, lit(numBits))


def shiftright(col, numBits):
    """Bitwise (signed) right shift.

    >>> spark.createDataFrame([(-8,)], ["v"]).select(shiftright("v", 1)).collect()
    [Row(shiftright(v, 1)=-4)]
    """
    return _invoke("shiftright", col, lit(numBits))


def shiftrightunsigned(col, numBits):
    """Bitwise unsigned right shift.

    >>> spark.range(1).select(shiftrightunsigned(col("id") - 2, 1)).collect()
    [Row(shiftrightunsigned((id - 2), 1)=9223372036854775807)]
    """
    return _invoke("shiftrightunsigned", col, lit(numBits))


shiftLeft, shiftRight, shiftRightUnsigned = shiftleft, shiftright, shiftrightunsigned


def bitwise_not(col):
    """Bitwise NOT.

    >>> spark.range(2).select(bitwise_not("id")).collect()
    [Row(~id=-1), Row(~id=-2)]
    """
    return _invoke("bitwise_not", col)


bitwiseNOT = bitwise_not


def bit_count(col):
    """Number of bits set (of the two's complement value).

    >>> spark.createDataFrame([(3,), (-1,)], ["v"]).select(bit_count("v")).collect()
    [Row(bit_count(v)=2), Row(bit_count(v)=64)]
    """
    return _invoke("bit_count", col)


def bit_get(col, pos):
    """The bit at `pos` (0 is the lowest).

    >>> spark.createDataFrame([(2,)], ["v"]).select(bit_get("v", lit(1))).collect()
    [Row(bit_get(v, 1)=1)]
    """
    return _invoke("bit_get", col, pos)


def getbit(col, pos):
    """``bit_get`` named ``getbit``.

    >>> spark.createDataFrame([(2,)], ["v"]).select(getbit("v", lit(0))).collect()
    [Row(getbit(v, 0)=0)]
    """
    return _invoke("getbit", col, pos)


def sha(col):
    """SHA-1 as hex, named ``sha``.

    >>> spark.range(1).select(sha(lit("Spark"))).collect()
    [Row(sha(Spark)='85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c')]
    """
    return _invoke("sha", col)


def sha2(col, numBits):
    """SHA-2 (224, 256, 384 or 512 bits; 0 means 256) as hex.

    >>> spark.createDataFrame([("Alice",)], ["name"]).select(sha2("name", 256).alias("h")).collect()
    [Row(h='3bc51062973c458d5a6f2d8d64a023246354ad7e064b1e4e009ec8a0699a3043')]
    """
    return _invoke("sha2", col, lit(numBits))


def xxhash64(*cols):
    """Spark's 64-bit xxHash of the columns (seed 42).

    >>> spark.createDataFrame([("ABC",)], ["c1"]).select(xxhash64("c1")).collect()
    [Row(xxhash64(c1)=4105715581806190027)]
    """
    return _invoke("xxhash64", *cols)


def nvl2(col1, col2, col3):
    """`col2` when `col1` is not NULL, else `col3`.

    >>> df = spark.createDataFrame([(None, 8, 6), (1, 8, 6)], ["a", "b", "c"])
    >>> df.select(nvl2(df.a, df.b, df.c)).collect()
    [Row(nvl2(a, b, c)=6), Row(nvl2(a, b, c)=8)]
    """
    return _invoke("nvl2", col1, col2, col3)


def nullifzero(col):
    """NULL when the value is 0.

    >>> spark.createDataFrame([(0,), (1,)], ["a"]).select(nullifzero("a")).collect()
    [Row(nullifzero(a)=None), Row(nullifzero(a)=1)]
    """
    return _invoke("nullifzero", col)


def zeroifnull(col):
    """0 when the value is NULL.

    >>> spark.createDataFrame([(None,), (1,)], "a INT").select(zeroifnull("a")).collect()
    [Row(zeroifnull(a)=0), Row(zeroifnull(a)=1)]
    """
    return _invoke("zeroifnull", col)


def equal_null(col1, col2):
    """``=`` that treats two NULLs as equal and never returns NULL.

    >>> df = spark.createDataFrame([(None, None), (1, 9)], "a INT, b INT")
    >>> df.select(equal_null(df.a, df.b)).collect()
    [Row(equal_null(a, b)=True), Row(equal_null(a, b)=False)]
    """
    return _invoke("equal_null", col1, col2)


def current_catalog():
    """The current catalog's name.

    >>> spark.range(1).select(current_catalog()).collect()
    [Row(current_catalog()='spark_catalog')]
    """
    return _invoke("current_catalog")


def current_database():
    """The current database's name.

    >>> spark.range(1).select(current_database()).collect()
    [Row(current_schema()='default')]
    """
    return _invoke("current_database")


def current_schema():
    """The current database's name, named ``current_schema()``.

    >>> spark.range(1).select(current_schema()).collect()
    [Row(current_schema()='default')]
    """
    return _invoke("current_schema")


def current_timezone():
    """The session time zone (``spark.sql.session.timeZone``).

    >>> spark.conf.set("spark.sql.session.timeZone", "Asia/Seoul")
    >>> spark.range(1).select(current_timezone()).collect()
    [Row(current_timezone()='Asia/Seoul')]
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """
    return _invoke("current_timezone")


def _try_op(name, left, right):
    return _invoke(name, left, right)


def try_add(left, right):
    """``+`` that gives NULL on overflow.

    >>> spark.range(1).select(try_add(lit(9223372036854775807), lit(1))).collect()
    [Row(try_add(9223372036854775807, 1)=None)]
    """
    return _try_op("try_add", left, right)


def try_subtract(left, right):
    """``-`` that gives NULL on overflow.

    >>> spark.createDataFrame([(6000, 15)], ["a", "b"]).select(try_subtract("a", "b")).collect()
    [Row(try_subtract(a, b)=5985)]
    """
    return _try_op("try_subtract", left, right)


def try_multiply(left, right):
    """``*`` that gives NULL on overflow.

    >>> spark.range(1).select(try_multiply(lit(2147483647), lit(2))).collect()
    [Row(try_multiply(2147483647, 2)=None)]
    """
    return _try_op("try_multiply", left, right)


def try_divide(left, right):
    """``/`` that gives NULL for a zero divisor.

    >>> spark.createDataFrame([(6000, 15), (1234, 0)], ["a", "b"]).select(try_divide("a", "b")).collect()
    [Row(try_divide(a, b)=400.0), Row(try_divide(a, b)=None)]
    """
    return _try_op("try_divide", left, right)


def try_mod(left, right):
    """``%`` that gives NULL for a zero divisor.

    >>> spark.createDataFrame([(3, 2), (1234, 0)], ["a", "b"]).select(try_mod("a", "b")).collect()
    [Row(try_mod(a, b)=1), Row(try_mod(a, b)=None)]
    """
    return _try_op("try_mod", left, right)


def encode(col, charset):
    """The string's bytes in `charset`.

    >>> spark.createDataFrame([("abcd",)], ["c"]).select(encode("c", "UTF-8")).collect()
    [Row(encode(c, UTF-8)=b'abcd')]
    """
    return _invoke("encode", col, lit(charset))


def decode(col, charset):
    """The string the bytes encode in `charset`.

    >>> spark.createDataFrame([(b"abcd",)], ["a"]).select(decode("a", "UTF-8")).collect()
    [Row(decode(a, UTF-8)='abcd')]
    """
    return _invoke("decode", col, lit(charset))


def to_binary(col, format=None):
    """The bytes a string spells in `format` (hex by default, utf-8 or base64).

    >>> spark.createDataFrame([("414243",)], ["e"]).select(to_binary("e").alias("r")).collect()
    [Row(r=b'ABC')]
    """
    if format is None:
        return _invoke("to_binary", col)
    return _invoke("to_binary", col, format)


def try_to_binary(col, format=None):
    """``to_binary`` that gives NULL for malformed input.

    >>> spark.createDataFrame([("4142x",)], ["e"]).select(try_to_binary("e").alias("r")).collect()
    [Row(r=None)]
    """
    if format is None:
        return _invoke("try_to_binary", col)
    return _invoke("try_to_binary", col, format)


def chr(col):
    """The character of an ASCII code (taken mod 256).

    >>> spark.range(65, 67).select(chr("id")).collect()
    [Row(chr(id)='A'), Row(chr(id)='B')]
    """
    return _invoke("chr", col)


def char(col):
    """``chr`` named ``char``.

    >>> spark.range(1).select(char(lit(65))).collect()
    [Row(char(65)='A')]
    """
    return _invoke("char", col)


def unhex(col):
    """The bytes of a hexadecimal string (NULL when it is not one).

    >>> spark.createDataFrame([("414243",)], ["a"]).select(unhex("a")).collect()
    [Row(unhex(a)=b'ABC')]
    """
    return _invoke("unhex", col)


def to_base32(col):
    """Base32 of the bytes.

    >>> spark.createDataFrame([(b"foobar",)], ["value"]).select(to_base32("value").alias("r")).collect()
    [Row(r='MZXW6YTBOI======')]
    """
    return _invoke("to_base32", col)


def from_base32(col):
    """The bytes of a Base32 string.

    >>> spark.createDataFrame([("MZXW6YTBOI======",)], ["value"]).select(from_base32("value").alias("r")).collect()
    [Row(r=b'foobar')]
    """
    return _invoke("from_base32", col)


def is_valid_utf8(str):
    """Whether the string is valid UTF-8 (Sparklet's strings always are).

    >>> spark.range(1).select(is_valid_utf8(lit("SparkSQL"))).collect()
    [Row(is_valid_utf8(SparkSQL)=True)]
    """
    return _invoke("is_valid_utf8", str)


def make_valid_utf8(str):
    """The string with invalid UTF-8 replaced (Sparklet's strings are valid already).

    >>> spark.range(1).select(make_valid_utf8(lit("SparkSQL"))).collect()
    [Row(make_valid_utf8(SparkSQL)='SparkSQL')]
    """
    return _invoke("make_valid_utf8", str)


def validate_utf8(str):
    """The string, checked to be valid UTF-8.

    >>> spark.range(1).select(validate_utf8(lit("SparkSQL"))).collect()
    [Row(validate_utf8(SparkSQL)='SparkSQL')]
    """
    return _invoke("validate_utf8", str)


def try_validate_utf8(str):
    """The string, or NULL when it is not valid UTF-8.

    >>> spark.range(1).select(try_validate_utf8(lit("SparkSQL"))).collect()
    [Row(try_validate_utf8(SparkSQL)='SparkSQL')]
    """
    return _invoke("try_validate_utf8", str)


def assert_true(col, errMsg=None):
    """NULL when `col` is true; otherwise the query fails with `errMsg`.

    >>> df = spark.createDataFrame([(0, 1)], ["a", "b"])
    >>> df.select(assert_true(df.a < df.b)).collect()
    [Row(assert_true((a < b), '(a < b)' is not true!)=None)]
    """
    if errMsg is None:
        return _invoke("assert_true", col)
    return _invoke("assert_true", col, _lit_or_col(errMsg))


def raise_error(errMsg):
    """Fails the query with `errMsg`.

    >>> try:
    ...     spark.range(1).select(raise_error("stop")).collect()
    ... except Exception as e:
    ...     print("[USER_RAISED_EXCEPTION] stop SQLSTATE: P0001" in str(e))
    True
    """
    return _invoke("raise_error", _lit_or_col(errMsg))


def collation(col):
    """The collation of a string column (Sparklet compares strings by their UTF-8 bytes).

    >>> spark.createDataFrame([("name",)], ["dt"]).select(collation("dt")).collect()
    [Row(collation(dt)='SYSTEM.BUILTIN.UTF8_BINARY')]
    """
    return _invoke("collation", col)


def parse_url(url, partToExtract, key=None):
    """A part of a URL: HOST, PATH, QUERY (or one query parameter), REF, PROTOCOL, FILE, AUTHORITY,
    USERINFO.

    >>> df = spark.createDataFrame([("https://spark.apache.org/path?query=1",)], ["url"])
    >>> df.select(parse_url("url", lit("HOST")), parse_url("url", lit("QUERY"), lit("query"))).collect()
    [Row(parse_url(url, HOST)='spark.apache.org', parse_url(url, QUERY, query)='1')]
    """
    if key is None:
        return _invoke("parse_url", url, partToExtract)
    return _invoke("parse_url", url, partToExtract, key)


def try_parse_url(url, partToExtract, key=None):
    """``parse_url`` that gives NULL for an invalid URL.

    >>> df = spark.createDataFrame([("inva lid://spark.apache.org",)], ["url"])
    >>> df.select(try_parse_url("url", lit("HOST"))).collect()
    [Row(try_parse_url(url, HOST)=None)]
    """
    if key is None:
        return _invoke("try_parse_url", url, partToExtract)
    return _invoke("try_parse_url", url, partToExtract, key)


def jaro_winkler_similarity(left, right):
    """Jaro-Winkler similarity of two strings (1.0: equal).

    >>> df = spark.createDataFrame([("MARTHA", "MARHTA")], ["l", "r"])
    >>> df.select(jaro_winkler_similarity("l", "r")).collect()
    [Row(jaro_winkler_similarity(l, r)=0.9611111111111111)]
    """
    return _invoke("jaro_winkler_similarity", left, right)


def call_function(funcName, *cols):
    """Calls a built-in or a function registered with ``spark.udf.register`` by name.

    >>> spark.createDataFrame([(1,), (3,)], ["id"]).select(call_function("avg", col("id"))).collect()
    [Row(avg(id)=2.0)]
    """
    return _invoke(funcName, *cols)


def call_udf(udfName, *cols):
    """Calls a function registered with ``spark.udf.register``.

    >>> from sparklet.sql.types import IntegerType
    >>> _ = spark.udf.register("intX2", lambda i: i * 2, IntegerType())
    >>> spark.createDataFrame([(1,)], ["id"]).select(call_udf("intX2", "id")).collect()
    [Row(intX2(id)=2)]
    """
    return _invoke(udfName, *cols)


def hmac(key, message, algorithm=None):
    """HMAC of `message` under `key` (SHA-256 unless `algorithm` names another digest).

    >>> df = spark.createDataFrame([("key", "message")], ["key", "message"])
    >>> df.select(hex(hmac(df.key, df.message, lit("SHA-1"))).alias("h")).collect()
    [Row(h='2088DF74D5F2146B48146CAF4965377E9D0BE3A4')]
    """
    if algorithm is None:
        return _invoke("hmac", key, message)
    return _invoke("hmac", key, message, algorithm)


def to_char(col, format):
    """A number written with a Spark number format ('9'/'0' digits, '.', ',', '$', 'S', 'MI', 'PR');
    a date or timestamp with a datetime pattern.

    >>> df = spark.createDataFrame([(78.12,), (-1234.5,)], ["e"])
    >>> df.select(to_char(df.e, lit("$99,999.99MI")).alias("r")).collect()
    [Row(r='$    78.12 '), Row(r='$ 1,234.50-')]
    """
    return _invoke("to_char", col, format)


def to_varchar(col, format):
    """``to_char`` named ``to_varchar``.

    >>> spark.createDataFrame([(78.12,)], ["e"]).select(to_varchar("e", lit("$99.99")).alias("r")).collect()
    [Row(r='$78.12')]
    """
    return _invoke("to_varchar", col, format)


def to_number(col, format):
    """The decimal a string spells in a Spark number format; a mismatch is an error.

    >>> spark.createDataFrame([("$78.12",)], ["e"]).select(to_number("e", lit("$99.99")).alias("r")).collect()
    [Row(r=Decimal('78.12'))]
    """
    return _invoke("to_number", col, format)


def try_to_number(col, format):
    """``to_number`` that gives NULL for a string the format does not match.

    >>> spark.createDataFrame([("$78.12",), ("77",)], ["e"]).select(try_to_number("e", lit("$99.99")).alias("r")).collect()
    [Row(r=Decimal('78.12')), Row(r=None)]
    """
    return _invoke("try_to_number", col, format)


def vector_inner_product(col1, col2):
    """Dot product of two ARRAY<FLOAT> vectors.

    >>> df = spark.createDataFrame([([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_inner_product("a", "b")).first()[0]
    32.0
    """
    return _invoke("vector_inner_product", col1, col2)


def vector_cosine_similarity(col1, col2):
    """Cosine similarity of two ARRAY<FLOAT> vectors.

    >>> df = spark.createDataFrame([([1.0, 0.0], [0.0, 2.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_cosine_similarity("a", "b")).first()[0]
    0.0
    """
    return _invoke("vector_cosine_similarity", col1, col2)


def vector_l2_distance(col1, col2):
    """Euclidean distance of two ARRAY<FLOAT> vectors.

    >>> df = spark.createDataFrame([([0.0, 0.0], [3.0, 4.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_l2_distance("a", "b")).first()[0]
    5.0
    """
    return _invoke("vector_l2_distance", col1, col2)


def vector_norm(vector, degree=None):
    """The p-norm of an ARRAY<FLOAT> vector (2 by default).

    >>> spark.createDataFrame([([3.0, 4.0],)], "v ARRAY<FLOAT>").select(vector_norm("v")).first()[0]
    5.0
    """
    return _invoke("vector_norm", vector, *([degree] if degree is not None else []))


def vector_normalize(vector, degree=None):
    """The vector divided by its p-norm (2 by default).

    >>> spark.createDataFrame([([3.0, 4.0],)], "v ARRAY<FLOAT>").select(vector_normalize("v")).first()[0]
    [0.6000000238418579, 0.800000011920929]
    """
    return _invoke("vector_normalize", vector, *([degree] if degree is not None else []))


def bitmap_bit_position(col):
    """The bit position of a number within its 32768-bit bitmap bucket.

    >>> spark.createDataFrame([(123,)], ["a"]).select(bitmap_bit_position("a")).collect()
    [Row(bitmap_bit_position(a)=122)]
    """
    return _invoke("bitmap_bit_position", col)


def bitmap_bucket_number(col):
    """The 32768-bit bitmap bucket a number falls in.

    >>> spark.createDataFrame([(123,)], ["a"]).select(bitmap_bucket_number("a")).collect()
    [Row(bitmap_bucket_number(a)=1)]
    """
    return _invoke("bitmap_bucket_number", col)


def bitmap_count(col):
    """Number of bits set in a bitmap (binary).

    >>> spark.createDataFrame([("FFFF",)], ["a"]).select(bitmap_count(to_binary("a", lit("hex"))).alias("n")).collect()
    [Row(n=16)]
    """
    return _invoke("bitmap_count", col)


# collection functions: arrays, maps, structs, higher-order functions, generators
# (builders in collection_functions.py; a plain value argument becomes a literal, a string a
# column name, as in PySpark)


def _hof(name, cols, funcs):
    from .collection_functions import python_lambda
    cs = [_c(c) for c in cols]
    lambdas = [python_lambda(f) for f in funcs]
    exprs = [c._expr for c in cs] + lambdas
    return Column(UnresolvedFunction(name, exprs), "%s(%s)" % (name, ", ".join([c._repr for c in cs] + [
        l.repr_text for l in lambdas])))


def array_append(col, value):
    """The array with `value` added at its end (NULL for a NULL array).

    >>> df = spark.createDataFrame([([1, 2],)], ["xs"])
    >>> df.select(array_append("xs", 3)).show()
    +-------------------+
    |array_append(xs, 3)|
    +-------------------+
    |          [1, 2, 3]|
    +-------------------+
    <BLANKLINE>
    """
    return _invoke("array_append", col, _lit_or_col(value))


def array_prepend(col, value):
    """The array with `value` added at its start.

    >>> spark.createDataFrame([([1, 2],)], ["xs"]).select(array_prepend("xs", 0)).first()[0]
    [0, 1, 2]
    """
    return _invoke("array_prepend", col, _lit_or_col(value))


def array_insert(arr, pos, value):
    """The array with `value` inserted at 1-based `pos` (negative: counted from the end).

    >>> spark.createDataFrame([(["a", "b"],)], ["xs"]).select(array_insert("xs", 2, "z")).first()[0]
    ['a', 'z', 'b']
    """
    return _invoke("array_insert", arr, _col_or_lit(pos), _lit_or_col(value))


def array_compact(col):
    """The array without its NULL elements.

    >>> spark.createDataFrame([([1, None, 2],)], ["xs"]).select(array_compact("xs")).first()[0]
    [1, 2]
    """
    return _invoke("array_compact", col)


def array_distinct(col):
    """The array's distinct elements, in order of first appearance.

    >>> spark.createDataFrame([([1, 2, 1, None, None],)], ["xs"]).select(array_distinct("xs")).first()[0]
    [1, 2, None]
    """
    return _invoke("array_distinct", col)


def array_union(col1, col2):
    """The distinct elements of both arrays.

    >>> spark.createDataFrame([([1, 2], [2, 3])], ["a", "b"]).select(array_union("a", "b")).first()[0]
    [1, 2, 3]
    """
    return _invoke("array_union", col1, col2)


def array_intersect(col1, col2):
    """The distinct elements of the first array that the second one holds.

    >>> spark.createDataFrame([([1, 2], [2, 3])], ["a", "b"]).select(array_intersect("a", "b")).first()[0]
    [2]
    """
    return _invoke("array_intersect", col1, col2)


def array_except(col1, col2):
    """The distinct elements of the first array that the second one lacks.

    >>> spark.createDataFrame([([1, 2], [2, 3])], ["a", "b"]).select(array_except("a", "b")).first()[0]
    [1]
    """
    return _invoke("array_except", col1, col2)


def arrays_overlap(a1, a2):
    """True when the arrays share a non-null element (NULL when they might, through a NULL).

    >>> spark.createDataFrame([([1, 2], [2, 3])], ["a", "b"]).select(arrays_overlap("a", "b")).first()[0]
    True
    """
    return _invoke("arrays_overlap", a1, a2)


def arrays_zip(*cols):
    """An array of structs whose N-th struct holds the N-th element of each array.

    >>> spark.createDataFrame([([1, 2], ["a"])], ["n", "s"]).select(arrays_zip("n", "s")).first()[0]
    [Row(n=1, s='a'), Row(n=2, s=None)]
    """
    return _invoke("arrays_zip", *cols)


def array_join(col, delimiter, null_replacement=None):
    """The elements joined by `delimiter`; NULL elements are skipped unless `null_replacement`.

    >>> df = spark.createDataFrame([(["a", None, "c"],)], ["xs"])
    >>> df.select(array_join("xs", ","), array_join("xs", ",", "-")).first()
    Row(array_join(xs, ,)='a,c', array_join(xs, ,, -)='a,-,c')
    """
    if null_replacement is None:
        return _invoke("array_join", col, lit(delimiter))
    return _invoke("array_join", col, lit(delimiter), lit(null_replacement))


def array_max(col):
    """The largest non-null element.

    >>> spark.createDataFrame([([1, 3, None],)], ["xs"]).select(array_max("xs")).first()[0]
    3
    """
    return _invoke("array_max", col)


def array_min(col):
    """The smallest non-null element.

    >>> spark.createDataFrame([([1, 3, None],)], ["xs"]).select(array_min("xs")).first()[0]
    1
    """
    return _invoke("array_min", col)


def array_repeat(col, count):
    """An array holding `col` `count` times.

    >>> spark.range(1).select(array_repeat(lit("ab"), 2)).first()[0]
    ['ab', 'ab']
    """
    return _invoke("array_repeat", col, _col_or_lit(count))


def array_size(col):
    """The number of elements (NULL for a NULL array).

    >>> spark.createDataFrame([([1, 2],)], ["xs"]).select(array_size("xs")).first()[0]
    2
    """
    return _invoke("array_size", col)


def cardinality(col):
    """The number of elements of an array or map.

    >>> spark.createDataFrame([([1, 2],)], ["xs"]).select(cardinality("xs")).columns
    ['cardinality(xs)']
    """
    return _invoke("cardinality", col)


def array_sort(col, comparator=None):
    """The array sorted ascending with NULLs last, or by `comparator` (a function of two Columns
    returning a negative, zero or positive integer).

    >>> df = spark.createDataFrame([([2, None, 1],)], ["xs"])
    >>> df.select(array_sort("xs")).first()[0]
    [1, 2, None]
    >>> df.select(array_sort("xs", lambda a, b: when(a.isNull() | b.isNull(), 0).otherwise(b - a))).first()[0]
    [2, None, 1]
    """
    if comparator is None:
        return _invoke("array_sort", col)
    return _hof("array_sort", [col], [comparator])


def flatten(col):
    """An array of arrays as one array (NULL when any inner array is NULL).

    >>> spark.createDataFrame([([[1], [2, 3]],)], ["xs"]).select(flatten("xs")).first()[0]
    [1, 2, 3]
    """
    return _invoke("flatten", col)


def get(col, index):
    """The element at 0-based `index`, NULL outside the array.

    >>> spark.createDataFrame([(["a", "b"],)], ["xs"]).select(get("xs", 1), get("xs", 5)).first()
    Row(get(xs, 1)='b', get(xs, 5)=None)
    """
    return _invoke("get", col, _col_or_lit(index))


def try_element_at(col, extraction):
    """``element_at`` that gives NULL for an index outside the array.

    >>> spark.createDataFrame([(["a", "b"],)], ["xs"]).select(try_element_at("xs", lit(5))).first()[0]
    """
    return _invoke("try_element_at", col, extraction)


def sequence(start, stop, step=None):
    """The integers from `start` to `stop` inclusive, by `step` (default 1 or -1).

    >>> spark.range(1).select(sequence(lit(1), lit(5), lit(2))).first()[0]
    [1, 3, 5]
    """
    if step is None:
        return _invoke("sequence", start, stop)
    return _invoke("sequence", start, stop, step)


def map_concat(*cols):
    """The union of maps (a key given twice is an error unless spark.sql.mapKeyDedupPolicy is
    LAST_WIN).

    >>> spark.sql("SELECT map(1, 'a') AS m1, map(2, 'b') AS m2").select(map_concat("m1", "m2")).first()[0]
    {1: 'a', 2: 'b'}
    """
    if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
        cols = cols[0]
    return _invoke("map_concat", *cols)


def map_contains_key(col, value):
    """Whether the map has the key.

    >>> spark.sql("SELECT map(1, 'a') AS m").select(map_contains_key("m", 1)).first()[0]
    True
    """
    return _invoke("map_contains_key", col, _lit_or_col(value))


def map_entries(col):
    """The map's entries as an array of (key, value) structs.

    >>> spark.sql("SELECT map(1, 'a') AS m").select(map_entries("m")).first()[0]
    [Row(key=1, value='a')]
    """
    return _invoke("map_entries", col)


def map_from_arrays(col1, col2):
    """A map from an array of keys and an array of values.

    >>> spark.sql("SELECT array(1, 2) AS k, array('a', 'b') AS v").select(map_from_arrays("k", "v")).first()[0]
    {1: 'a', 2: 'b'}
    """
    return _invoke("map_from_arrays", col1, col2)


def map_from_entries(col):
    """A map from an array of (key, value) structs.

    >>> spark.sql("SELECT array(struct(1, 'a')) AS e").select(map_from_entries("e")).first()[0]
    {1: 'a'}
    """
    return _invoke("map_from_entries", col)


def map_keys(col):
    """The map's keys.

    >>> spark.sql("SELECT map(1, 'a') AS m").select(map_keys("m")).first()[0]
    [1]
    """
    return _invoke("map_keys", col)


def map_values(col):
    """The map's values.

    >>> spark.sql("SELECT map(1, 'a') AS m").select(map_values("m")).first()[0]
    ['a']
    """
    return _invoke("map_values", col)


def named_struct(*cols):
    """A struct from alternating field names (literals) and values.

    >>> spark.range(1).select(named_struct(lit("x"), lit(1))).first()[0]
    Row(x=1)
    """
    return _invoke("named_struct", *cols)


def transform(col, f):
    """Each element through `f` (a function of the element, or of the element and its 0-based
    index).

    >>> df = spark.createDataFrame([([1, 2, 3],)], ["xs"])
    >>> df.select(transform("xs", lambda x: x * 2)).show(truncate=False)
    +---------------------------------------------------------------------------------+
    |transform(xs, lambdafunction((namedlambdavariable() * 2), namedlambdavariable()))|
    +---------------------------------------------------------------------------------+
    |[2, 4, 6]                                                                        |
    +---------------------------------------------------------------------------------+
    <BLANKLINE>
    """
    return _hof("transform", [col], [f])


def filter(col, f):
    """The elements for which `f` (of the element, or element and index) is true.

    >>> spark.createDataFrame([([1, 2, 3],)], ["xs"]).select(filter("xs", lambda x: x > 1)).first()[0]
    [2, 3]
    """
    return _hof("filter", [col], [f])


def exists(col, f):
    """Whether `f` is true for some element (NULL when not, but some element gives NULL).

    >>> spark.createDataFrame([([1, 2, 3],)], ["xs"]).select(exists("xs", lambda x: x > 2)).first()[0]
    True
    """
    return _hof("exists", [col], [f])


def forall(col, f):
    """Whether `f` is true for every element.

    >>> spark.createDataFrame([([1, 2, 3],)], ["xs"]).select(forall("xs", lambda x: x > 2)).first()[0]
    False
    """
    return _hof("forall", [col], [f])


def aggregate(col, initialValue, merge, finish=None):
    """A fold of the array from `initialValue` with `merge(acc, x)`, then `finish(acc)`.

    >>> df = spark.createDataFrame([([1.0, 2.0],)], ["xs"])
    >>> df.select(aggregate("xs", lit(0.0), lambda acc, x: acc + x).alias("s")).first()
    Row(s=3.0)
    """
    c = _lit_or_col(initialValue)
    return _hof("aggregate", [col, c], [merge] + ([finish] if finish is not None else []))


def reduce(col, initialValue, merge, finish=None):
    """The same fold as :func:`aggregate`, named ``reduce``.

    >>> df = spark.createDataFrame([([1.0, 2.0],)], ["xs"])
    >>> df.select(reduce("xs", lit(0.0), lambda acc, x: acc + x, lambda acc: acc * 10).alias("s")).first()
    Row(s=30.0)
    """
    c = _lit_or_col(initialValue)
    return _hof("reduce", [col, c], [merge] + ([finish] if finish is not None else []))


def zip_with(left, right, f):
    """`f` over the arrays' elements pairwise (the shorter one padded with NULLs).

    >>> df = spark.createDataFrame([([1, 2], [10, 20])], ["a", "b"])
    >>> df.select(zip_with("a", "b", lambda x, y: x + y)).first()[0]
    [11, 22]
    """
    return _hof("zip_with", [left, right], [f])


def transform_keys(col, f):
    """The map with each key replaced by `f(key, value)`.

    >>> spark.sql("SELECT map('a', 1) AS m").select(transform_keys("m", lambda k, v: upper(k))).first()[0]
    {'A': 1}
    """
    return _hof("transform_keys", [col], [f])


def transform_values(col, f):
    """The map with each value replaced by `f(key, value)`.

    >>> spark.sql("SELECT map('a', 1) AS m").select(transform_values("m", lambda k, v: v + 1)).first()[0]
    {'a': 2}
    """
    return _hof("transform_values", [col], [f])


def map_filter(col, f):
    """The entries for which `f(key, value)` is true.

    >>> spark.sql("SELECT map('a', 1, 'b', 2) AS m").select(map_filter("m", lambda k, v: v > 1)).first()[0]
    {'b': 2}
    """
    return _hof("map_filter", [col], [f])


def map_zip_with(col1, col2, f):
    """A map over both maps' keys with `f(key, value1, value2)` (a missing value is NULL).

    >>> df = spark.sql("SELECT map('a', 1) AS m1, map('a', 10, 'b', 20) AS m2")
    >>> df.select(map_zip_with("m1", "m2", lambda k, a, b: coalesce(a, lit(0)) + b)).first()[0]
    {'a': 11, 'b': 20}
    """
    return _hof("map_zip_with", [col1, col2], [f])


def inline(col):
    """One row per struct of an array of structs, one column per field.

    >>> df = spark.sql("SELECT array(named_struct('a', 1, 'b', 2), named_struct('a', 3, 'b', 4)) AS s")
    >>> df.select(inline("s")).collect()
    [Row(a=1, b=2), Row(a=3, b=4)]
    """
    return _invoke("inline", col)


def inline_outer(col):
    """``inline`` that keeps a row of NULLs for a NULL or empty array.

    >>> df = spark.sql("SELECT 1 AS i, CAST(array() AS array<struct<a:int>>) AS s")
    >>> df.select("i", inline_outer("s")).collect()
    [Row(i=1, a=None)]
    """
    return _invoke("inline_outer", col)


def stack(*cols):
    """The values after the first argument `n`, in `n` rows (columns col0, col1, ...).

    >>> spark.range(1).select(stack(lit(2), lit(1), lit(2), lit(3))).collect()
    [Row(col0=1, col1=2), Row(col0=3, col1=None)]
    """
    return _invoke("stack", *cols)


def _options_map(options):
    """A JSON/CSV options dict as the ``map(...)`` literal Spark passes (none: no argument)."""
    if not options:
        return []
    return [create_map(*[lit(x) for kv in options.items() for x in (kv[0], str(kv[1]))])]


def _schema_text(schema):
    from .types import DataType
    if isinstance(schema, DataType):
        return lit(schema.simpleString())
    return _lit_or_col(schema)


def from_json(col, schema, options=None):
    """The JSON strings parsed as a struct, array or map of `schema` (a DataType, a DDL string or
    ``schema_of_json``'s result); a malformed record gives a struct of NULLs.

    >>> df = spark.createDataFrame([('{"a": 1}',)], ["j"])
    >>> df.select(from_json("j", "a INT").alias("s")).first()
    Row(s=Row(a=1))
    """
    c = _c(col)
    s = _schema_text(schema)
    extra = _options_map(options)
    return Column(UnresolvedFunction("from_json", [c._expr, s._expr] + [e._expr for e in extra]),
                  "from_json(%s)" % c._repr)


def to_json(col, options=None):
    """A struct, array or map as JSON text.

    >>> spark.sql("SELECT named_struct('a', 1, 'b', 'x') AS s").select(to_json("s")).first()[0]
    '{"a":1,"b":"x"}'
    """
    c = _c(col)
    extra = _options_map(options)
    return Column(UnresolvedFunction("to_json", [c._expr] + [e._expr for e in extra]), "to_json(%s)" % c._repr)


def get_json_object(col, path):
    """The value at a JSON path (``$.a``, ``$[0].b``, ``$[*].c``) as a string.

    >>> spark.createDataFrame([('{"a": {"b": 1}}',)], ["j"]).select(get_json_object("j", "$.a.b")).first()[0]
    '1'
    """
    return _invoke("get_json_object", col, lit(path))


def json_tuple(col, *fields):
    """One row of the named top-level fields' values (columns c0, c1, ...).

    >>> spark.createDataFrame([('{"a": 1, "b": "x"}',)], ["j"]).select(json_tuple("j", "a", "b")).collect()
    [Row(c0='1', c1='x')]
    """
    return _invoke("json_tuple", col, *[lit(f) for f in fields])


def json_array_length(col):
    """The number of elements of a JSON array (NULL for anything else).

    >>> spark.createDataFrame([('[1, 2]',)], ["j"]).select(json_array_length("j")).first()[0]
    2
    """
    return _invoke("json_array_length", col)


def json_object_keys(col):
    """The keys of a JSON object (NULL for anything else).

    >>> spark.createDataFrame([('{"a": 1, "b": 2}',)], ["j"]).select(json_object_keys("j")).first()[0]
    ['a', 'b']
    """
    return _invoke("json_object_keys", col)


def schema_of_json(json, options=None):
    """The DDL schema Spark infers for a JSON literal.

    >>> spark.range(1).select(schema_of_json(lit('{"a": 0}'))).first()[0]
    'STRUCT<a: BIGINT>'
    """
    c = _lit_or_col(json)
    extra = _options_map(options)
    return Column(UnresolvedFunction("schema_of_json", [c._expr] + [e._expr for e in extra]),
                  "schema_of_json(%s)" % c._repr)


def from_csv(col, schema, options=None):
    """A CSV line parsed as a struct of `schema` (a DDL string or ``schema_of_csv``'s result).

    >>> spark.createDataFrame([("1,a",)], ["v"]).select(from_csv("v", "n INT, s STRING").alias("r")).first()
    Row(r=Row(n=1, s='a'))
    """
    c = _c(col)
    s = _schema_text(schema)
    extra = _options_map(options)
    return Column(UnresolvedFunction("from_csv", [c._expr, s._expr] + [e._expr for e in extra]),
                  "from_csv(%s)" % c._repr)


def to_csv(col, options=None):
    """A struct as one CSV line.

    >>> spark.sql("SELECT named_struct('a', 1, 'b', 'x,y') AS s").select(to_csv("s")).first()[0]
    '1,"x,y"'
    """
    c = _c(col)
    extra = _options_map(options)
    return Column(UnresolvedFunction("to_csv", [c._expr] + [e._expr for e in extra]), "to_csv(%s)" % c._repr)


def schema_of_csv(csv, options=None):
    """The DDL schema Spark infers for a CSV line literal.

    >>> spark.range(1).select(schema_of_csv(lit("1,a"))).first()[0]
    'STRUCT<_c0: INT, _c1: STRING>'
    """
    c = _lit_or_col(csv)
    extra = _options_map(options)
    return Column(UnresolvedFunction("schema_of_csv", [c._expr] + [e._expr for e in extra]),
                  "schema_of_csv(%s)" % c._repr)


def str_to_map(text, pairDelim=None, keyValueDelim=None):
    """A string split into a map: pairs by `pairDelim` (default ','), key from value by
    `keyValueDelim` (default ':'); both are regular expressions.

    >>> spark.createDataFrame([("a:1,b:2",)], ["e"]).select(str_to_map("e")).first()[0]
    {'a': '1', 'b': '2'}
    """
    return _invoke("str_to_map", text, _lit_or_col(pairDelim if pairDelim is not None else ","),
                   _lit_or_col(keyValueDelim if keyValueDelim is not None else ":"))


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


def _fields_call(name, doc, zone=True):
    def f(years, months, days, hours, mins, secs, timezone=None):
        cols = [years, months, days, hours, mins, secs] + ([timezone] if zone and timezone is not None else [])
        return _invoke(name, *cols)
    f.__name__ = name
    f.__doc__ = doc
    return f


_MAKE_TS_DOC = """A timestamp from year, month, day, hour, minute and (fractional) second columns, read as a
    wall-clock time in ``timezone`` (else the session time zone)%s.

    >>> spark.conf.set("spark.sql.session.timeZone", "UTC")
    >>> df = spark.createDataFrame([[2014, 12, 28, 6, 30, 45.887, "CET"]], ["y", "mo", "d", "h", "mi", "s", "tz"])
    >>> df.select(%s("y", "mo", "d", "h", "mi", "s", "tz").alias("t")).show(truncate=False)
    +-----------------------+
    |t                      |
    +-----------------------+
    |2014-12-28 05:30:45.887|
    +-----------------------+
    <BLANKLINE>
    >>> spark.conf.unset("spark.sql.session.timeZone")
    """
_MAKE_NTZ_DOC = """A timestamp without time zone from year, month, day, hour, minute and (fractional) second
    columns%s.

    >>> df = spark.createDataFrame([[2014, 12, 28, 6, 30, 45.887]], ["y", "mo", "d", "h", "mi", "s"])
    >>> df.select(%s("y", "mo", "d", "h", "mi", "s").alias("t")).show(truncate=False)
    +-----------------------+
    |t                      |
    +-----------------------+
    |2014-12-28 06:30:45.887|
    +-----------------------+
    <BLANKLINE>
    """
for _name, _doc, _zone in (("make_timestamp", _MAKE_TS_DOC, True), ("make_timestamp_ltz", _MAKE_TS_DOC, True),
                           ("make_timestamp_ntz", _MAKE_NTZ_DOC, False)):
    globals()[_name] = _fields_call(_name, _doc % ("; a field out of range raises", _name), _zone)
    globals()["try_" + _name] = _fields_call("try_" + _name, _doc % ("; NULL where a field is out of range",
                                                                     "try_" + _name), _zone)


def timestamp_add(unit, quantity, ts):
    """``ts`` moved by ``quantity`` units (YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND,
    MILLISECOND, MICROSECOND).

    >>> import datetime
    >>> df = spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7), 2)], ["ts", "q"])
    >>> df.select(timestamp_add("year", "q", "ts"), timestamp_add("WEEK", lit(5), "ts")).show()
    +-------------------------+-------------------------+
    |timestampadd(year, q, ts)|timestampadd(WEEK, 5, ts)|
    +-------------------------+-------------------------+
    |      2018-03-11 09:00:07|      2016-04-15 09:00:07|
    +-------------------------+-------------------------+
    <BLANKLINE>
    """
    return _invoke("timestamp_add", lit(unit), quantity, ts)


def timestamp_diff(unit, start, end):
    """The whole ``unit``s from ``start`` to ``end``.

    >>> import datetime
    >>> df = spark.createDataFrame([(datetime.datetime(2016, 3, 11, 9, 0, 7),
    ...                              datetime.datetime(2024, 4, 2, 9, 0, 7))], ["a", "b"])
    >>> df.select(timestamp_diff("year", "a", "b"), timestamp_diff("WEEK", "a", "b")).show()
    +-------------------------+-------------------------+
    |timestampdiff(year, a, b)|timestampdiff(WEEK, a, b)|
    +-------------------------+-------------------------+
    |                        8|                      420|
    +-------------------------+-------------------------+
    <BLANKLINE>
    """
    return _invoke("timestamp_diff", lit(unit), start, end)


def histogram_numeric(col, nBins):
    """A histogram of ``nBins`` bins as Spark's streaming algorithm builds it: each bin is
    ``{x, y}``, its centre (of the column's type) and its count.

    >>> spark.range(100, numPartitions=1).select(histogram_numeric("id", lit(5))).show(truncate=False)
    +-----------------------------------------------------------+
    |histogram_numeric(id, 5)                                   |
    +-----------------------------------------------------------+
    |[{11, 25.0}, {36, 24.0}, {59, 23.0}, {84, 25.0}, {98, 3.0}]|
    +-----------------------------------------------------------+
    <BLANKLINE>
    """
    return _invoke("histogram_numeric", col, nBins)

def reverse(col):
    """A string with its characters reversed, or an array with its elements reversed.

    >>> spark.createDataFrame([("abc", [1, 2, 3])], ["s", "xs"]).select(reverse("s"), reverse("xs")).first()
    Row(reverse(s)='cba', reverse(xs)=[3, 2, 1])
    """
    return _invoke("reverse", col)


def vector_cosine_similarity(left, right):
    """The cosine similarity of two float vectors of one dimension.

    >>> df = spark.createDataFrame([([1.0, 0.0], [1.0, 0.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_cosine_similarity("a", "b")).first()[0]
    1.0
    """
    return _invoke("vector_cosine_similarity", left, right)


def vector_inner_product(left, right):
    """The inner (dot) product of two float vectors.

    >>> df = spark.createDataFrame([([1.0, 2.0], [3.0, 4.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_inner_product("a", "b")).first()[0]
    11.0
    """
    return _invoke("vector_inner_product", left, right)


def vector_l2_distance(left, right):
    """The Euclidean distance of two float vectors.

    >>> df = spark.createDataFrame([([0.0, 0.0], [3.0, 4.0])], "a ARRAY<FLOAT>, b ARRAY<FLOAT>")
    >>> df.select(vector_l2_distance("a", "b")).first()[0]
    5.0
    """
    return _invoke("vector_l2_distance", left, right)


def vector_norm(vector, degree=None):
    """The Lp norm of a float vector (degree 2.0 unless given; float('inf') for the largest).

    >>> df = spark.createDataFrame([([3.0, -4.0],)], "v ARRAY<FLOAT>")
    >>> df.select(vector_norm("v"), vector_norm("v", lit(1.0).cast("float"))).first()
    Row(vector_norm(v, 2.0)=5.0, vector_norm(v, CAST(1.0 AS FLOAT))=7.0)
    """
    return _invoke("vector_norm", vector) if degree is None else _invoke("vector_norm", vector, degree)


def vector_normalize(vector, degree=None):
    """The float vector divided by its Lp norm.

    >>> df = spark.createDataFrame([([3.0, 4.0],)], "v ARRAY<FLOAT>")
    >>> df.select(vector_normalize("v")).first()[0]
    [0.6..., 0.8...]
    """
    return _invoke("vector_normalize", vector) if degree is None else _invoke("vector_normalize", vector, degree)
