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


def max_by(col, ord):
    return _invoke("max_by", col, ord)


def min_by(col, ord):
    return _invoke("min_by", col, ord)


def corr(col1, col2):
    return _invoke("corr", col1, col2)


def covar_samp(col1, col2):
    return _invoke("covar_samp", col1, col2)


def covar_pop(col1, col2):
    return _invoke("covar_pop", col1, col2)


def percentile_approx(col, percentage, accuracy=10000):
    return _invoke("percentile_approx", col, lit(percentage), lit(accuracy))


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
    return _invoke("add_months", start, _lit_or_col(months))


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
