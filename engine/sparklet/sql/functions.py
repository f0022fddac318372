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
# collection functions: arrays, maps, structs, higher-order functions, generators
# (builders in collection_functions.py; a plain value argument becomes a literal, a string a
# column name, as in PySpark)


def _value(x):
    """A literal for a plain value, the Column itself for a Column."""
    return x if isinstance(x, Column) else lit(x)


def _name_or_value(x):
    """A column for a name or Column, a literal for a number (PySpark's ``ColumnOrName | int``)."""
    return col(x) if isinstance(x, builtins.str) else _value(x)


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
    return _invoke("array_append", col, _value(value))


def array_prepend(col, value):
    """The array with `value` added at its start.

    >>> spark.createDataFrame([([1, 2],)], ["xs"]).select(array_prepend("xs", 0)).first()[0]
    [0, 1, 2]
    """
    return _invoke("array_prepend", col, _value(value))


def array_insert(arr, pos, value):
    """The array with `value` inserted at 1-based `pos` (negative: counted from the end).

    >>> spark.createDataFrame([(["a", "b"],)], ["xs"]).select(array_insert("xs", 2, "z")).first()[0]
    ['a', 'z', 'b']
    """
    return _invoke("array_insert", arr, _name_or_value(pos), _value(value))


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
    return _invoke("array_repeat", col, _name_or_value(count))


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
    return _invoke("get", col, _name_or_value(index))


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
    return _invoke("map_contains_key", col, _value(value))


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
    c = _value(initialValue)
    return _hof("aggregate", [col, c], [merge] + ([finish] if finish is not None else []))


def reduce(col, initialValue, merge, finish=None):
    """The same fold as :func:`aggregate`, named ``reduce``.

    >>> df = spark.createDataFrame([([1.0, 2.0],)], ["xs"])
    >>> df.select(reduce("xs", lit(0.0), lambda acc, x: acc + x, lambda acc: acc * 10).alias("s")).first()
    Row(s=30.0)
    """
    c = _value(initialValue)
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
    return _value(schema)


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
    c = _value(json)
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
    c = _value(csv)
    extra = _options_map(options)
    return Column(UnresolvedFunction("schema_of_csv", [c._expr] + [e._expr for e in extra]),
                  "schema_of_csv(%s)" % c._repr)


def str_to_map(text, pairDelim=None, keyValueDelim=None):
    """A string split into a map: pairs by `pairDelim` (default ','), key from value by
    `keyValueDelim` (default ':'); both are regular expressions.

    >>> spark.createDataFrame([("a:1,b:2",)], ["e"]).select(str_to_map("e")).first()[0]
    {'a': '1', 'b': '2'}
    """
    return _invoke("str_to_map", text, _value(pairDelim if pairDelim is not None else ","),
                   _value(keyValueDelim if keyValueDelim is not None else ":"))
