"""Spark's built-in functions: name → builder of a resolved expression (Spark's FunctionRegistry).

``pyspark.sql.functions`` and SQL text both call functions through ``lookup(name)``, so
``F.lower("name")`` and ``SELECT lower(name)`` are one expression with one generated name. A
builder receives resolved argument expressions and returns a typed expression carrying:
the result type Spark gives it, the name Spark generates (``SQRT(x)`` is upper case, ``lower(x)``
is not — one naming rule per function), and the DuckDB SQL that computes it with Spark's
semantics.
"""

from . import sqlconf
from . import types as T
from .aggregation import result_type_sum
from .datetimeformat import _java_datetime_format
from .expressions import (
    AggregateFunction, Cast, CaseWhen, DateAdd, Explode, Function, In, IsNotNull, IsNull, Literal, Not,
    WindowFunction, _cast_to, _raise_sql, analysis_exception, duck_literal, duck_type, is_fractional, is_integral, is_numeric,
    is_string, quote_ident, wider_type,
)

#: the built-ins by lower-case name; collection_functions adds its builders (arrays, maps, structs,
#: higher-order functions, generators, JSON/CSV) when imported, which the sparklet.sql package
#: does before any of its modules is used
_REGISTRY = {}


def register(*names):
    def deco(fn):
        for n in names:
            _REGISTRY[n] = fn
        return fn
    return deco


def lookup(name):
    fn = _REGISTRY.get(name.lower())
    if fn is None:
        raise analysis_exception("UNRESOLVED_ROUTINE", routineName=quote_ident(name),
                                 searchPath="[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]")
    return fn


def exists(name):
    return name.lower() in _REGISTRY


#: the Python functions the active session registered with ``spark.udf.register`` (Spark keeps them
#: in the session's FunctionRegistry); the session installs its own dict when it becomes active
_session_functions = {}


def use_session_functions(functions):
    global _session_functions
    _session_functions = functions


def session_function(name):
    """The Python function the active session registered under `name`, or None."""
    return _session_functions.get(name.lower())


def _args(name, args, lo, hi=None):
    hi = lo if hi is None else hi
    if not lo <= len(args) <= hi:
        expected = str(lo) if lo == hi else "[%d, %d]" % (lo, hi)
        raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=quote_ident(name),
                                 expectedNum=expected, actualNum=len(args), docroot="https://spark.apache.org/docs/latest")


def _str(e):
    return _cast_to(e, T.StringType()) if not is_string(e.dataType) else e


def _dbl(e):
    return _cast_to(e, T.DoubleType())


def _lit_value(e, what="argument"):
    if not isinstance(e, Literal):
        from .expressions import Cast as C
        if isinstance(e, C) and isinstance(e.child, Literal):
            return e.child.value
        raise analysis_exception("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", sqlExpr=quote_ident(e.sql()),
                                 inputName=quote_ident(what), inputType='"STRING"', inputExpr=quote_ident(e.sql()))
    return e.value


def simple(name, ret, duck=None, upper=False, arity=1, cast_args=None, nullable=None, explain_name=None):
    """A function of fixed arity with a fixed result type."""
    def build(args):
        lo, hi = (arity, arity) if isinstance(arity, int) else arity
        _args(name, args, lo, hi)
        if cast_args is not None:
            args = [cast_args(a) for a in args]
        r = ret(args) if callable(ret) and not isinstance(ret, T.DataType) else ret
        sql = None
        if upper:
            sql = "%s(%s)" % (name.upper(), ", ".join(a.sql() for a in args))
        return Function(name, args, r, nullable, sql_name=sql, duck=duck,
                        explain_name=name.upper() if upper else explain_name)
    return build


# ---------------------------------------------------------------------------------------------
# string functions

register("lower", "lcase")(simple("lower", T.StringType(), "lower({0})", cast_args=_str))
register("upper", "ucase")(simple("upper", T.StringType(), "upper({0})", cast_args=_str))
register("length", "char_length", "character_length")(simple("length", T.IntegerType(), "CAST(length({0}) AS INTEGER)",
                                                             cast_args=_str))
@register("trim")
def _trim(args):
    _args("trim", args, 1, 2)
    if len(args) == 2:
        return Function("trim", [_str(a) for a in args], T.StringType(),
                        sql_name="TRIM(BOTH %s FROM %s)" % (args[1].sql(), args[0].sql()), duck="trim({0}, {1})")
    return Function("trim", [_str(args[0])], T.StringType(), duck="trim({0}, ' ')")


@register("typeof")
def _typeof(args):
    _args("typeof", args, 1)
    return Function("typeof", args, T.StringType(), nullable=False,
                    duck=lambda x: duck_literal(args[0].dataType.simpleString(), T.StringType()))


def _cast_function(name, to):
    def build(args):
        _args(name, args, 1)
        c = Cast(args[0], to)
        c.nullable = True
        return c
    return build


for _n, _t in [("int", T.IntegerType()), ("bigint", T.LongType()), ("smallint", T.ShortType()),
               ("tinyint", T.ByteType()), ("double", T.DoubleType()), ("float", T.FloatType()),
               ("string", T.StringType()), ("boolean", T.BooleanType()), ("date", T.DateType()),
               ("timestamp", T.TimestampType()), ("decimal", T.DecimalType(10, 0)), ("binary", T.BinaryType())]:
    register(_n)(_cast_function(_n, _t))
register("initcap")(simple("initcap", T.StringType(),
                           lambda s: "array_to_string(list_transform(string_split(lower(%s), ' '), "
                                     "lambda w: upper(w[1:1]) || w[2:]), ' ')" % s, cast_args=_str))
@register("reverse")
def _reverse(args):
    _args("reverse", args, 1)
    a = args[0]
    if isinstance(a.dataType, T.ArrayType):
        return Function("reverse", [a], a.dataType, duck="list_reverse({0})")
    if _is_binary(a):
        return _rowfn("reverse", _scalar_row("row_reverse_binary"), [a], T.BinaryType())
    return Function("reverse", [_str(a)], T.StringType(), duck="reverse({0})")
register("ascii")(simple("ascii", T.IntegerType(), "CAST(CASE WHEN {0} = '' THEN 0 ELSE ascii({0}) END AS INTEGER)",
                         cast_args=_str))
register("md5")(simple("md5", T.StringType(), "md5({0})"))
register("sha1")(simple("sha1", T.StringType(), "sha1({0})"))
register("bit_length")(simple("bit_length", T.IntegerType(), "CAST(8 * octet_length(encode({0})) AS INTEGER)",
                              cast_args=_str))
register("octet_length")(simple("octet_length", T.IntegerType(), "CAST(octet_length(encode({0})) AS INTEGER)",
                                cast_args=_str))
register("base64")(simple("base64", T.StringType(), "to_base64(encode({0}))"))
register("unbase64")(simple("unbase64", T.BinaryType(), "from_base64({0})", cast_args=_str))
register("hex")(simple("hex", T.StringType(), "upper(hex({0}))"))
register("translate")(simple("translate", T.StringType(), "translate({0}, {1}, {2})", arity=3, cast_args=_str))


@register("concat")
def _concat(args):
    if args and all(isinstance(a.dataType, T.ArrayType) for a in args):
        # Spark's concat is NULL when any input is; DuckDB's list_concat skips NULL lists.
        return Function("concat", args, args[0].dataType, duck=lambda *xs: "CASE WHEN %s THEN NULL ELSE list_concat(%s) END" % (
            " OR ".join("%s IS NULL" % x for x in xs), ", ".join(xs)))
    if args and all(isinstance(a.dataType, T.BinaryType) for a in args):
        return Function("concat", args, T.BinaryType(), duck=lambda *xs: "(%s)" % " || ".join(xs))
    args = [_str(a) for a in args]
    return Function("concat", args, T.StringType(),
                    duck=lambda *xs: "(%s)" % " || ".join(xs) if xs else "''")


@register("concat_ws")
def _concat_ws(args):
    if not args:
        _args("concat_ws", args, 1, 999)
    sep = _str(args[0])
    rest = args[1:]

    def duck(s, *xs):
        parts = []
        for a, x in zip(rest, xs):
            if isinstance(a.dataType, T.ArrayType):
                parts.append("list_filter(%s, lambda v: v IS NOT NULL)" % x)
            else:
                parts.append("list_filter([%s], lambda v: v IS NOT NULL)" % x)
        if not parts:
            return "CASE WHEN %s IS NULL THEN NULL ELSE '' END" % s
        return "array_to_string(list_concat(%s), %s)" % (", ".join(parts), s)
    return Function("concat_ws", [sep] + [a if isinstance(a.dataType, T.ArrayType) else _str(a) for a in rest],
                    T.StringType(), nullable=sep.nullable, duck=duck)


def _substring_duck(s, p, n=None):
    pos = "(CASE WHEN %s = 0 THEN 1 WHEN %s < 0 THEN length(%s) + %s + 1 ELSE %s END)" % (p, p, s, p, p)
    if n is None:
        return "substring(%s, greatest(%s, 1))" % (s, pos)
    # a negative start below the string's beginning eats into the length, as Spark's does
    return ("CASE WHEN %s <= 0 THEN '' ELSE substring(%s, greatest(%s, 1), greatest(0, %s - (greatest(%s, 1) - %s))) END"
            % (n, s, pos, n, pos, pos))


def _java_regex(p):
    return p


def _java_replacement(r):
    out, i = "", 0
    while i < len(r):
        ch = r[i]
        if ch == "\\" and i + 1 < len(r):
            out += r[i + 1]
            i += 2
            continue
        if ch == "$" and i + 1 < len(r) and r[i + 1].isdigit():
            out += "\\" + r[i + 1]
            i += 2
            continue
        if ch == "\\":
            out += "\\\\"
        else:
            out += ch
        i += 1
    return out


@register("regexp_replace")
def _regexp_replace(args):
    _args("regexp_replace", args, 3, 4)
    s, p, r = _str(args[0]), _str(args[1]), _str(args[2])
    pos = args[3] if len(args) == 4 else Literal(1)
    rep_dk = None
    if isinstance(r, Literal):
        rep_dk = duck_literal(_java_replacement(r.value), T.StringType()) if r.value is not None else "NULL"

    def duck(sd, pd, rd, posd):
        if len(args) == 3:
            return "regexp_replace(%s, %s, %s, 'g')" % (sd, pd, rep_dk or rd)
        # Spark matches only from the 1-based position on; the prefix before it stays as is.
        return "(substr(%s, 1, CAST(%s AS INTEGER) - 1) || regexp_replace(substr(%s, CAST(%s AS INTEGER)), %s, %s, 'g'))" % (
            sd, posd, sd, posd, pd, rep_dk or rd)
    return Function("regexp_replace", [s, p, r, pos], T.StringType(), duck=duck)


@register("regexp_extract")
def _regexp_extract(args):
    _args("regexp_extract", args, 2, 3)
    s, p = _str(args[0]), _str(args[1])
    idx = args[2] if len(args) == 3 else Literal(1)
    return Function("regexp_extract", [s, p, idx], T.StringType(),
                    duck="coalesce(regexp_extract({0}, {1}, CAST({2} AS INTEGER)), '')")


@register("split")
def _split(args):
    _args("split", args, 2, 3)
    s, p = _str(args[0]), _str(args[1])
    limit = args[2] if len(args) == 3 else Literal(-1)

    def duck(sd, pd, ld):
        if not isinstance(limit, Literal) or (limit.value is not None and limit.value > 0):
            # Java's split with a limit: the first limit-1 pieces, then the rest of the string as
            # it is, starting after the (limit-1)th match (a limit of 0 or less: no limit)
            n = ld if not isinstance(limit, Literal) else str(limit.value)
            parts = "regexp_split_to_array(%s, %s)" % (sd, pd)
            rest_at = ("len(array_to_string(%s[1:%s - 1], '')) + len(array_to_string(regexp_extract_all(%s, %s)[1:%s - 1], '')) + 1"
                       % (parts, n, sd, pd, n))
            return ("CASE WHEN %s <= 0 OR len(%s) <= %s THEN %s ELSE list_concat(%s[1:%s - 1], [substring(%s, %s)]) END"
                    % (n, parts, n, parts, parts, n, sd, rest_at))
        return "CASE WHEN %s = '' THEN [''] ELSE regexp_split_to_array(%s, %s) END" % (sd, sd, pd)
    return Function("split", [s, p, limit], T.ArrayType(T.StringType(), False), duck=duck)


@register("format_number")
def _format_number(args):
    _args("format_number", args, 2)
    return Function("format_number", args, T.StringType(),
                    duck="format('{{:,.' || CAST({1} AS INTEGER) || 'f}}', CAST({0} AS DOUBLE))")


@register("format_string", "printf")
def _format_string(args):
    return Function("format_string", args, T.StringType(),
                    duck=lambda *xs: "printf(%s)" % ", ".join(xs))


# ---------------------------------------------------------------------------------------------
# math

def _math1(name, upper=True, ret=T.DoubleType(), duck=None):
    def build(args):
        _args(name, args, 1)
        a = _dbl(args[0]) if ret == T.DoubleType() else args[0]
        return Function(name, [a], ret, sql_name=("%s(%s)" % (name.upper(), args[0].sql())) if upper else None,
                        duck=duck or ("%s({0})" % name), explain_name=name.upper() if upper else None)
    return build


for _n, _d in [("sqrt", "CASE WHEN {0} < 0 THEN CAST('NaN' AS DOUBLE) ELSE sqrt({0}) END"), ("exp", "exp({0})"),
               ("cbrt", "cbrt({0})"), ("log10", "CASE WHEN {0} <= 0 THEN NULL ELSE log10({0}) END"),
               ("log2", "CASE WHEN {0} <= 0 THEN NULL ELSE ln({0}) / ln(2.0) END"),
               ("log1p", "CASE WHEN {0} <= -1 THEN NULL ELSE ln(1 + {0}) END"), ("expm1", "(exp({0}) - 1)"),
               ("sin", "sin({0})"), ("cos", "cos({0})"), ("tan", "tan({0})"),
               ("asin", "CASE WHEN abs({0}) > 1 THEN CAST('NaN' AS DOUBLE) ELSE asin({0}) END"),
               ("acos", "CASE WHEN abs({0}) > 1 THEN CAST('NaN' AS DOUBLE) ELSE acos({0}) END"),
               ("atan", "atan({0})"), ("sinh", "sinh({0})"), ("cosh", "cosh({0})"), ("tanh", "tanh({0})"),
               ("degrees", "degrees({0})"), ("radians", "radians({0})"), ("rint", "round_even({0}, 0)"),
               ("signum", "CAST(sign({0}) AS DOUBLE)")]:
    register(_n)(_math1(_n, duck=_d))
register("sign")(_math1("signum", duck="CAST(sign({0}) AS DOUBLE)"))
register("ln")(_math1("ln", upper=False, duck="CASE WHEN {0} <= 0 THEN NULL ELSE ln({0}) END"))


@register("log")
def _log(args):
    _args("log", args, 1, 2)
    if len(args) == 1:
        return Function("ln", [_dbl(args[0])], T.DoubleType(), duck="CASE WHEN {0} <= 0 THEN NULL ELSE ln({0}) END")
    return Function("log", [_dbl(args[0]), _dbl(args[1])], T.DoubleType(), sql_name="LOG(%s, %s)" % (
        args[0].sql(), args[1].sql()), duck="CASE WHEN {1} <= 0 OR {0} <= 0 THEN NULL ELSE ln({1}) / ln({0}) END")


@register("pow", "power")
def _pow(args):
    _args("pow", args, 2)
    return Function("power", [_dbl(args[0]), _dbl(args[1])], T.DoubleType(),
                    sql_name="POWER(%s, %s)" % (args[0].sql(), args[1].sql()), duck="pow({0}, {1})", explain_name="POWER")


@register("atan2")
def _atan2(args):
    return Function("atan2", [_dbl(args[0]), _dbl(args[1])], T.DoubleType(),
                    sql_name="ATAN2(%s, %s)" % (args[0].sql(), args[1].sql()), duck="atan2({0}, {1})")


@register("abs")
def _abs(args):
    _args("abs", args, 1)
    return Function("abs", args, args[0].dataType, duck="abs({0})")


def _floor_ceil(name):
    def build(args):
        _args(name, args, 1, 2)
        a = args[0]
        if len(args) == 2:
            return Function(name, args, T.DecimalType(38, 0) if not is_fractional(a.dataType) else T.DoubleType(),
                            duck="%s({0} * pow(10, {1})) / pow(10, {1})" % name)
        t = a.dataType
        if isinstance(t, T.DecimalType):
            r = T.DecimalType(min(38, t.precision - t.scale + 1), 0)
        elif is_integral(t):
            r = T.LongType()
        else:
            r = T.LongType()
        duck = "CAST(%s({0}) AS %s)" % (name, duck_type(r))
        if is_fractional(t):
            # Java's double-to-long: NaN is 0, out-of-range values saturate
            duck = ("CAST(CASE WHEN isnan({0}) THEN 0 WHEN {0} >= 9.223372036854775807e18 THEN 9223372036854775807 "
                    "WHEN {0} <= -9.223372036854775808e18 THEN -9223372036854775808 ELSE %s({0}) END AS BIGINT)" % name)
        return Function(name, [a], r, sql_name="%s(%s)" % (name.upper(), a.sql()), duck=duck, explain_name=name.upper())
    return build




def _round_builder(name, half_even=False):
    def build(args):
        _args(name, args, 1, 2)
        a = args[0]
        scale = args[1] if len(args) == 2 else Literal(0)
        n = _lit_value(scale, "scale")
        t = a.dataType
        if isinstance(t, T.DecimalType):
            int_digits = t.precision - t.scale
            new_scale = max(0, min(n, t.scale))
            r = T.DecimalType(min(38, int_digits + new_scale + 1), new_scale)
        elif is_numeric(t):
            r = t
        else:
            r = T.DoubleType()
            a = _dbl(a)
        fn = "round_even" if half_even else "round"

        def duck(x, s):
            if is_fractional(r):
                # Spark rounds the decimal value of the double's shortest representation, HALF_UP
                if half_even:
                    return ("CASE WHEN isnan(%s) OR isinf(%s) THEN %s ELSE CAST(round_even(CAST(CAST(%s AS VARCHAR) AS "
                            "DECIMAL(38,18)), %d) AS DOUBLE) END" % (x, x, x, x, n))
                return ("CASE WHEN isnan(%s) OR isinf(%s) OR abs(%s) >= 1e19 THEN %s ELSE "
                        "CAST(round(CAST(CAST(%s AS VARCHAR) AS DECIMAL(38,18)), %d) AS %s) END"
                        % (x, x, x, x, x, n, duck_type(r)))
            if is_integral(r):
                if n >= 0:
                    return x
                return "CAST(%s(%s, %d) AS %s)" % (fn, x, n, duck_type(r))
            return "CAST(%s(%s, %d) AS %s)" % (fn, x, n, duck_type(r))
        return Function(name, [a, Literal(n)], r, duck=duck)
    return build


register("round")(_round_builder("round"))
register("bround")(_round_builder("bround", True))


@register("pmod")
def _pmod(args):
    from .expressions import Pmod, coerce_pair
    l, r, w = coerce_pair(args[0], args[1], "pmod")
    return Pmod(l, r, w)


@register("greatest", "least")
def _greatest(args, name="greatest"):
    raise NotImplementedError


def _extreme(name):
    def build(args):
        w = T.NullType()
        for a in args:
            w = wider_type(w, a.dataType) or w
        args = [_cast_to(a, w) for a in args]
        # Spark skips NULLs (DuckDB's greatest does too)
        return Function(name, args, w, nullable=all(a.nullable for a in args),
                        duck=lambda *xs: "%s(%s)" % (name, ", ".join(xs)))
    return build


register("greatest")(_extreme("greatest"))
register("least")(_extreme("least"))


@register("coalesce")
def _coalesce(args):
    w = T.NullType()
    for a in args:
        w = wider_type(w, a.dataType) or w
    args = [_cast_to(a, w) for a in args]
    return Function("coalesce", args, w, nullable=all(a.nullable for a in args),
                    duck=lambda *xs: "coalesce(%s)" % ", ".join(xs))


def _nvl(name):
    def build(args):
        _args(name, args, 2)
        f = _coalesce(args)
        f.fname = name
        f.sql_name = "%s(%s, %s)" % (name, args[0].sql(), args[1].sql())
        return f
    return build


register("ifnull")(_nvl("ifnull"))
register("nvl")(_nvl("nvl"))


@register("nullif")
def _nullif(args):
    _args("nullif", args, 2)
    return Function("nullif", args, args[0].dataType, nullable=True, duck="nullif({0}, {1})")


@register("nanvl")
def _nanvl(args):
    return Function("nanvl", [_dbl(args[0]), _dbl(args[1])], T.DoubleType(),
                    duck="CASE WHEN isnan({0}) THEN {1} ELSE {0} END")


@register("isnull")
def _isnull(args):
    _args("isnull", args, 1)
    return IsNull(args[0])


@register("isnotnull")
def _isnotnull(args):
    return IsNotNull(args[0])


@register("isnan")
def _isnan(args):
    return Function("isnan", [_dbl(args[0])], T.BooleanType(), nullable=False,
                    duck="coalesce(isnan({0}), false)")


@register("monotonically_increasing_id")
def _mono(args):
    return Function("monotonically_increasing_id", [], T.LongType(), nullable=False,
                    duck="(CAST(getvariable('sparklet_partition') AS BIGINT) * 8589934592 + row_number() OVER () - 1)",
                    deterministic=False)


@register("spark_partition_id")
def _spid(args):
    return Function("spark_partition_id", [], T.IntegerType(), nullable=False, sql_name="SPARK_PARTITION_ID()",
                    duck="CAST(getvariable('sparklet_partition') AS INTEGER)", deterministic=False)


# ---------------------------------------------------------------------------------------------
# conditional & misc

@register("if", "iff")
def _if(args):
    _args("if", args, 3)
    f = CaseWhen.make([(args[0], args[1])], args[2])
    f.sql_name = "(IF(%s, %s, %s))" % tuple(a.sql() for a in args)
    return _Named(f, "(IF(%s, %s, %s))" % tuple(a.sql() for a in args))


class _Named:
    def __new__(cls, expr, name):
        expr.sql = lambda: name
        return expr


# ---------------------------------------------------------------------------------------------
# dates

def _date_of(e):
    if isinstance(e.dataType, T.DateType):
        return e
    return _cast_to(e, T.DateType())


@register("to_date")
def _to_date(args):
    _args("to_date", args, 1, 2)
    if len(args) == 1:
        a = args[0]
        if is_string(a.dataType):
            return Function("to_date", [a], T.DateType(), nullable=True,
                            duck="TRY_CAST(TRY_CAST(trim({0}) AS TIMESTAMP) AS DATE)")
        return Function("to_date", [a], T.DateType(), duck="CAST({0} AS DATE)")
    fmt = _java_datetime_format(_lit_value(args[1], "format"))
    return Function("to_date", [_str(args[0]), args[1]], T.DateType(), nullable=True,
                    duck=lambda s, f: "CAST(try_strptime(%s, %s) AS DATE)" % (s, duck_literal(fmt, T.StringType())))


@register("to_timestamp")
def _to_timestamp(args):
    _args("to_timestamp", args, 1, 2)
    if len(args) == 1:
        a = args[0]
        if is_string(a.dataType):
            return Function("to_timestamp", [a], T.TimestampType(), nullable=True,
                            duck="TRY_CAST(TRY_CAST(trim({0}) AS TIMESTAMP) AS TIMESTAMPTZ)")
        return Function("to_timestamp", [a], T.TimestampType(), duck="CAST({0} AS TIMESTAMPTZ)")
    fmt = _java_datetime_format(_lit_value(args[1], "format"))
    return Function("to_timestamp", [_str(args[0]), args[1]], T.TimestampType(), nullable=True,
                    duck=lambda s, f: "CAST(try_strptime(%s, %s) AS TIMESTAMPTZ)" % (s, duck_literal(fmt, T.StringType())))


@register("date_format")
def _date_format(args):
    _args("date_format", args, 2)
    fmt = _java_datetime_format(_lit_value(args[1], "format"))
    a = args[0]
    if is_string(a.dataType):
        a = _cast_to(a, T.TimestampType())
    return Function("date_format", [a, args[1]], T.StringType(),
                    duck=lambda d, f: "strftime(%s, %s)" % (d, duck_literal(fmt, T.StringType())))


def _datepart(name, part, ret=T.IntegerType()):
    def build(args):
        _args(name, args, 1)
        a = args[0]
        if is_string(a.dataType):
            a = _cast_to(a, T.TimestampType() if name in ("hour", "minute", "second") else T.DateType())
        if name in ("hour", "minute", "second") and isinstance(a.dataType, T.DateType):
            a = _cast_to(a, T.TimestampType())
        return Function(name, [a], ret, duck="CAST(%s AS INTEGER)" % part)
    return build


for _n, _p in [("year", "year({0})"), ("month", "month({0})"), ("dayofmonth", "day({0})"), ("day", "day({0})"),
               ("dayofweek", "(dayofweek({0}) + 1)"), ("dayofyear", "dayofyear({0})"), ("quarter", "quarter({0})"),
               ("weekofyear", "week({0})"), ("hour", "hour({0})"), ("minute", "minute({0})"),
               ("second", "floor(second({0}))"), ("weekday", "((dayofweek({0}) + 6) % 7)")]:
    register(_n)(_datepart(_n, _p))


@register("current_date", "curdate")
def _current_date(args):
    return Function("current_date", [], T.DateType(), nullable=False, duck="current_date", deterministic=False)


@register("current_timestamp", "now")
def _current_ts(args):
    return Function("current_timestamp", [], T.TimestampType(), nullable=False, duck="get_current_timestamp()",
                    deterministic=False)


@register("date_add", "dateadd")
def _date_add(args):
    _args("date_add", args, 2)
    return DateAdd(_date_of(args[0]), args[1])


@register("date_sub")
def _date_sub(args):
    _args("date_sub", args, 2)
    return DateAdd(_date_of(args[0]), args[1], negate=True)


@register("datediff", "date_diff")
def _datediff(args):
    _args("datediff", args, 2)
    return Function("datediff", [_date_of(args[0]), _date_of(args[1])], T.IntegerType(),
                    duck="CAST(datediff('day', {1}, {0}) AS INTEGER)")


@register("add_months")
def _add_months(args):
    return Function("add_months", [_date_of(args[0]), args[1]], T.DateType(),
                    duck="CAST({0} + to_months(CAST({1} AS INTEGER)) AS DATE)")


@register("last_day")
def _last_day(args):
    return Function("last_day", [_date_of(args[0])], T.DateType(), duck="last_day({0})")


@register("months_between")
def _months_between(args):
    _args("months_between", args, 2, 3)
    rnd = args[2] if len(args) == 3 else Literal(True)

    def duck(a, b, r):
        # Spark's DateTimeUtils.monthsBetween on the wall times in the session time zone: whole
        # months when the days of month match or both are month ends, else the day and time
        # difference over a 31-day month
        wa, wb = "CAST(%s AS TIMESTAMP)" % a, "CAST(%s AS TIMESTAMP)" % b
        da, db = "CAST(%s AS DATE)" % wa, "CAST(%s AS DATE)" % wb
        sa = "(epoch(%s) - epoch(CAST(%s AS TIMESTAMP)))" % (wa, da)
        sb = "(epoch(%s) - epoch(CAST(%s AS TIMESTAMP)))" % (wb, db)
        months = "((year(%s) - year(%s)) * 12 + month(%s) - month(%s))" % (da, db, da, db)
        raw = ("CASE WHEN day(%s) = day(%s) OR (%s = last_day(%s) AND %s = last_day(%s)) THEN CAST(%s AS DOUBLE) "
               "ELSE %s + ((day(%s) - day(%s)) * 86400 + %s - %s) / 2678400.0 END"
               % (da, db, da, da, db, db, months, months, da, db, sa, sb))
        return "CASE WHEN %s THEN CAST(round(CAST(%s AS DECIMAL(38, 18)), 8) AS DOUBLE) ELSE %s END" % (r, raw, raw)
    return Function("months_between", [_ts_of(args[0]), _ts_of(args[1]), rnd], T.DoubleType(), duck=duck)


@register("trunc")
def _trunc(args):
    unit = str(_lit_value(args[1], "format")).lower()
    unit = {"yyyy": "year", "yy": "year", "mm": "month", "mon": "month", "week": "week", "quarter": "quarter"}.get(unit, unit)
    return Function("trunc", [_date_of(args[0]), args[1]], T.DateType(),
                    duck=lambda d, f: "CAST(date_trunc('%s', %s) AS DATE)" % (unit, d))


@register("date_trunc")
def _date_trunc(args):
    unit = str(_lit_value(args[0], "format")).lower()
    unit = {"yyyy": "year", "yy": "year", "mm": "month", "mon": "month", "dd": "day"}.get(unit, unit)
    return Function("date_trunc", [args[0], _cast_to(args[1], T.TimestampType())], T.TimestampType(),
                    duck=lambda f, d: "date_trunc('%s', %s)" % (unit, d))


@register("unix_timestamp")
def _unix_ts(args):
    if not args:
        args = [_current_ts([])]
    fmt = args[1] if len(args) > 1 else Literal("yyyy-MM-dd HH:mm:ss")
    a = args[0]
    if is_string(a.dataType):
        f = _java_datetime_format(fmt.value)
        return Function("unix_timestamp", [a, fmt], T.LongType(), nullable=True,
                        duck=lambda s, _f: "CAST(epoch(CAST(try_strptime(%s, %s) AS TIMESTAMPTZ)) AS BIGINT)" % (
                            s, duck_literal(f, T.StringType())))
    return Function("unix_timestamp", [a, fmt], T.LongType(), duck=lambda d, _f: "CAST(epoch(%s) AS BIGINT)" % d)


@register("from_unixtime")
def _from_unixtime(args):
    fmt = args[1] if len(args) > 1 else Literal("yyyy-MM-dd HH:mm:ss")
    f = _java_datetime_format(fmt.value)
    return Function("from_unixtime", [args[0], fmt], T.StringType(),
                    duck=lambda s, _f: "strftime(to_timestamp(CAST(%s AS DOUBLE)), %s)" % (s, duck_literal(f, T.StringType())))


# date/time functions beyond the course list: Spark's DateTimeExpressions. A timestamp's fields
# are read in the session time zone: the engine's TimeZone is the session's for each query
# (``engine.session_time_zone``), as Spark resolves a TimeZoneAwareExpression's zone.

#: Java's ZoneId.SHORT_IDS, which Spark accepts as zone names ('PST', 'JST')
_SHORT_ZONE_IDS = {
    "ACT": "Australia/Darwin", "AET": "Australia/Sydney", "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo", "AST": "America/Anchorage", "BET": "America/Sao_Paulo", "BST": "Asia/Dhaka",
    "CAT": "Africa/Harare", "CNT": "America/St_Johns", "CST": "America/Chicago", "CTT": "Asia/Shanghai",
    "EAT": "Africa/Addis_Ababa", "ECT": "Europe/Paris", "IET": "America/Indiana/Indianapolis",
    "IST": "Asia/Kolkata", "JST": "Asia/Tokyo", "MIT": "Pacific/Apia", "NET": "Asia/Yerevan",
    "NST": "Pacific/Auckland", "PLT": "Asia/Karachi", "PNT": "America/Phoenix", "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles", "SST": "Pacific/Guadalcanal", "VST": "Asia/Ho_Chi_Minh",
    "EST": "-05:00", "HST": "-10:00", "MST": "-07:00",
}


def _zone_duck(z):
    """DuckDB SQL of a zone name with Java's short ids resolved (a literal is resolved here)."""
    return "coalesce(%s[%s], %s)" % (
        "MAP {%s}" % ", ".join("'%s': '%s'" % kv for kv in _SHORT_ZONE_IDS.items()), z, z)


def _ts_of(e):
    return e if isinstance(e.dataType, T.TimestampType) else _cast_to(e, T.TimestampType())


def _ntz_of(e):
    return e if isinstance(e.dataType, T.TimestampNTZType) else _cast_to(e, T.TimestampNTZType())


register("date_diff")(simple("date_diff", T.IntegerType(), "CAST(datediff('day', {1}, {0}) AS INTEGER)", arity=2,
                             cast_args=_date_of))
register("dayname")(simple("dayname", T.StringType(), "strftime({0}, '%a')", cast_args=_date_of))
register("monthname")(simple("monthname", T.StringType(), "strftime({0}, '%b')", cast_args=_date_of))
register("unix_date")(simple("unix_date", T.IntegerType(), "CAST({0} - DATE '1970-01-01' AS INTEGER)",
                             cast_args=_date_of))
register("date_from_unix_date")(simple("date_from_unix_date", T.DateType(),
                                       "CAST(DATE '1970-01-01' + CAST({0} AS INTEGER) AS DATE)",
                                       cast_args=lambda a: _cast_to(a, T.IntegerType())))


def _floor_div(e, n):
    return "((%s - ((%s %% %d) + %d) %% %d) // %d)" % (e, e, n, n, n, n)


for _n, _d in [("unix_seconds", _floor_div("epoch_us({0})", 1000000)),
               ("unix_millis", _floor_div("epoch_us({0})", 1000)), ("unix_micros", "epoch_us({0})")]:
    register(_n)(simple(_n, T.LongType(), _d, cast_args=_ts_of))


def _from_epoch(name, per_second):
    def build(args):
        _args(name, args, 1)
        a = args[0]
        scale = 1000000 // per_second
        if is_integral(a.dataType):
            micros = "CAST({0} AS BIGINT) * %d" % scale
        else:
            micros = "CAST(CAST({0} AS DECIMAL(38, 6)) * %d AS BIGINT)" % scale
        # epoch micros are a UTC wall time as DuckDB's make_timestamp reads them
        return Function(name, [a], T.TimestampType(), duck="timezone('UTC', make_timestamp(%s))" % micros)
    return build


register("timestamp_seconds")(_from_epoch("timestamp_seconds", 1))
register("timestamp_millis")(_from_epoch("timestamp_millis", 1000))
register("timestamp_micros")(_from_epoch("timestamp_micros", 1000000))


@register("make_date")
def _make_date(args):
    _args("make_date", args, 3)
    ints = [_cast_to(a, T.IntegerType()) for a in args]
    return Function("make_date", ints, T.DateType(), duck=lambda y, m, d: (
        "CASE WHEN %s IS NULL OR %s IS NULL OR %s IS NULL THEN NULL "
        "ELSE coalesce(TRY_CAST(printf('%%04d-%%02d-%%02d', %s, %s, %s) AS DATE), "
        "error('DATETIME_FIELD_OUT_OF_BOUNDS|' || CASE WHEN %s < 1 OR %s > 12 THEN "
        "'Invalid value for MonthOfYear (valid values 1 - 12): ' || %s WHEN %s < 1 OR %s > 31 THEN "
        "'Invalid value for DayOfMonth (valid values 1 - 28/31): ' || %s ELSE "
        "'Invalid date ''' || upper(strftime(make_date(2000, %s, 1), '%%B')) || ' ' || %s || '''' END)) END"
        % (y, m, d, y, m, d, m, m, m, d, d, d, m, d)))


_DAYS_OF_WEEK = {"SU": 0, "SUN": 0, "SUNDAY": 0, "MO": 1, "MON": 1, "MONDAY": 1, "TU": 2, "TUE": 2, "TUESDAY": 2,
                 "WE": 3, "WED": 3, "WEDNESDAY": 3, "TH": 4, "THU": 4, "THURSDAY": 4, "FR": 5, "FRI": 5,
                 "FRIDAY": 5, "SA": 6, "SAT": 6, "SATURDAY": 6}


@register("next_day")
def _next_day(args):
    _args("next_day", args, 2)
    d, w = _date_of(args[0]), _str(args[1])
    table = "MAP {%s}" % ", ".join("'%s': %d" % kv for kv in _DAYS_OF_WEEK.items())

    def duck(dd, wd):
        dow = "%s[upper(%s)]" % (table, wd)
        return ("CASE WHEN %s IS NULL OR %s IS NULL THEN NULL WHEN %s IS NULL THEN "
                "error('ILLEGAL_DAY_OF_WEEK|' || %s) ELSE CAST(%s + CAST((%s - dayofweek(%s) + 6) %% 7 + 1 AS INTEGER) "
                "AS DATE) END" % (dd, wd, dow, wd, dd, dow, dd))
    return Function("next_day", [d, w], T.DateType(), duck=duck)


def _parse_fn(name, to, try_=False, default_format=None):
    """to_timestamp_ltz / to_timestamp_ntz / try_to_timestamp / try_to_date / to_unix_timestamp: a
    string parsed with a Java datetime pattern (a literal, or one per row from a column)."""
    def build(args):
        _args(name, args, 1, 2)
        a = args[0]
        if len(args) == 1 and default_format is None:
            if is_string(a.dataType):
                parsed = Cast(a, to, ansi=not try_)
            else:
                parsed = _cast_to(a, to)
            return Function(name, [parsed], to if to != "epoch" else T.LongType(), nullable=True if try_ else None,
                            duck="{0}", name_args=[a])
        fmt = args[1] if len(args) == 2 else Literal(default_format)
        if not is_string(a.dataType):
            src = _ts_of(a) if not isinstance(a.dataType, (T.DateType, T.TimestampNTZType)) else a
            target = T.LongType() if to == "epoch" else to
            dk = "CAST(epoch(%s) AS BIGINT)" if to == "epoch" else "CAST(%%s AS %s)" % duck_type(to)
            return Function(name, [src, fmt], target, duck=lambda x, f: dk % x)
        if isinstance(fmt, Literal) and fmt.value is not None:
            pattern = duck_literal(_java_datetime_format(fmt.value), T.StringType())
        else:
            pattern = None
        out = T.LongType() if to == "epoch" else to

        def duck(s, f):
            ts = "try_strptime(%s, %s)" % (s, pattern) if pattern else "spark_strptime(%s, %s)" % (s, f)
            if to == "epoch":
                v = "CAST(epoch(CAST(%s AS TIMESTAMPTZ)) AS BIGINT)" % ts
            else:
                v = "CAST(%s AS %s)" % (ts, duck_type(to))
            if try_:
                return v
            return ("CASE WHEN %s IS NULL OR %s IS NULL THEN NULL ELSE coalesce(%s, "
                    "error('CANNOT_PARSE_TIMESTAMP|' || %s || '|' || %s)) END" % (s, f, v, s, f))
        return Function(name, [a, fmt], out, nullable=True, duck=duck)
    return build


register("to_timestamp_ltz")(_parse_fn("to_timestamp_ltz", T.TimestampType()))
register("to_timestamp_ntz")(_parse_fn("to_timestamp_ntz", T.TimestampNTZType()))
register("try_to_timestamp")(_parse_fn("try_to_timestamp", T.TimestampType(), try_=True))
register("try_to_date")(_parse_fn("try_to_date", T.DateType(), try_=True))
register("to_unix_timestamp")(_parse_fn("to_unix_timestamp", "epoch", default_format="yyyy-MM-dd HH:mm:ss"))


def _utc_shift(name, to_utc):
    def build(args):
        _args(name, args, 2)
        ts, z = _ts_of(args[0]), _str(args[1])
        if to_utc:
            # the wall time read as UTC, taken as a wall time in the zone
            duck = lambda t, zz: "timezone(%s, timezone('UTC', %s))" % (_zone_duck(zz), t)
        else:
            duck = lambda t, zz: "timezone('UTC', timezone(%s, %s))" % (_zone_duck(zz), t)
        return Function(name, [ts, z], T.TimestampType(), duck=duck)
    return build


register("from_utc_timestamp")(_utc_shift("from_utc_timestamp", False))
register("to_utc_timestamp")(_utc_shift("to_utc_timestamp", True))


@register("convert_timezone")
def _convert_timezone(args):
    _args("convert_timezone", args, 2, 3)
    if len(args) == 2:
        args = [lookup("current_timezone")([])] + list(args)
    src, dst, ts = _str(args[0]), _str(args[1]), _ntz_of(args[2])
    return Function("convert_timezone", [src, dst, ts], T.TimestampNTZType(),
                    duck=lambda s, d, t: "timezone(%s, timezone(%s, %s))" % (_zone_duck(d), _zone_duck(s), t))


_DATE_PART_FIELDS = {
    "year": ("year", T.IntegerType()), "y": ("year", T.IntegerType()), "years": ("year", T.IntegerType()),
    "yr": ("year", T.IntegerType()), "yrs": ("year", T.IntegerType()),
    "yearofweek": ("isoyear", T.IntegerType()),
    "quarter": ("quarter", T.IntegerType()), "qtr": ("quarter", T.IntegerType()),
    "month": ("month", T.IntegerType()), "mon": ("month", T.IntegerType()), "mons": ("month", T.IntegerType()),
    "months": ("month", T.IntegerType()),
    "week": ("week", T.IntegerType()), "w": ("week", T.IntegerType()), "weeks": ("week", T.IntegerType()),
    "day": ("day", T.IntegerType()), "d": ("day", T.IntegerType()), "days": ("day", T.IntegerType()),
    "dayofweek": ("dow1", T.IntegerType()), "dow": ("dow1", T.IntegerType()),
    "dayofweek_iso": ("isodow", T.IntegerType()), "dow_iso": ("isodow", T.IntegerType()),
    "doy": ("doy", T.IntegerType()),
    "hour": ("hour", T.IntegerType()), "h": ("hour", T.IntegerType()), "hours": ("hour", T.IntegerType()),
    "hr": ("hour", T.IntegerType()), "hrs": ("hour", T.IntegerType()),
    "minute": ("minute", T.IntegerType()), "m": ("minute", T.IntegerType()), "min": ("minute", T.IntegerType()),
    "mins": ("minute", T.IntegerType()), "minutes": ("minute", T.IntegerType()),
    "second": ("second", T.DecimalType(8, 6)), "s": ("second", T.DecimalType(8, 6)),
    "sec": ("second", T.DecimalType(8, 6)), "seconds": ("second", T.DecimalType(8, 6)),
    "secs": ("second", T.DecimalType(8, 6)),
}


def _date_part_builder(name):
    def build(args):
        _args(name, args, 2)
        field = str(_lit_value(args[0], "field"))
        part = _DATE_PART_FIELDS.get(field.lower())
        if part is None:
            raise analysis_exception("INVALID_EXTRACT_FIELD", field=quote_ident(field),
                                     expr='"%s"' % args[1].sql())
        kind, ret = part
        src = args[1]
        if kind in ("hour", "minute", "second"):
            if not isinstance(src.dataType, (T.TimestampType, T.TimestampNTZType)):
                src = _ts_of(src)
        elif not isinstance(src.dataType, (T.DateType, T.TimestampType, T.TimestampNTZType)):
            src = _date_of(src)
        if kind == "second":
            duck = "CAST(CAST(microsecond(%s) AS DECIMAL(18, 0)) / 1000000 AS DECIMAL(8, 6))"
        elif kind == "dow1":
            duck = "CAST(dayofweek(%s) + 1 AS INTEGER)"
        else:
            duck = "CAST(" + kind + "(%s) AS INTEGER)"
        # Spark names them date_part(YEAR, d), extract(YEAR FROM d), datepart(YEAR FROM d)
        if name == "date_part":
            sql_name = "date_part(%s, %s)" % (field, args[1].sql())
        else:
            sql_name = "%s(%s FROM %s)" % (name, field, args[1].sql())
        return Function(name, [src], ret, sql_name=sql_name, duck=lambda x: duck % x)
    return build


register("date_part")(_date_part_builder("date_part"))
register("datepart")(_date_part_builder("datepart"))
register("extract")(_date_part_builder("extract"))


def _wall_micros_sql(y, mo, d, h, mi, s, try_):
    """DuckDB SQL of the wall-clock time (microseconds from 1970-01-01 00:00) of its fields, NULL
    (try_) or Spark's DATETIME_FIELD_OUT_OF_BOUNDS where a field is out of its range."""
    checks = [("%s < 1 OR %s > 12" % (mo, mo), "'Invalid value for MonthOfYear (valid values 1 - 12): ' || %s" % mo),
              ("%s < 1 OR %s > 31" % (d, d), "'Invalid value for DayOfMonth (valid values 1 - 28/31): ' || %s" % d),
              ("%s < 0 OR %s > 23" % (h, h), "'Invalid value for HourOfDay (valid values 0 - 23): ' || %s" % h),
              ("%s < 0 OR %s > 59" % (mi, mi), "'Invalid value for MinuteOfHour (valid values 0 - 59): ' || %s" % mi),
              ("%s < 0 OR %s >= 60" % (s, s),
               "'Invalid value for SecondOfMinute (valid values 0 - 59): ' || CAST(floor(%s) AS BIGINT)" % s)]
    day = "TRY_CAST(printf('%%04d-%%02d-%%02d', %s, %s, %s) AS DATE)" % (y, mo, d)
    fail = "NULL" if try_ else "error('DATETIME_FIELD_OUT_OF_BOUNDS|' || %s)"
    cases = " ".join("WHEN %s THEN %s" % (c, fail if try_ else fail % m) for c, m in checks)
    invalid_date = "NULL" if try_ else fail % ("'Invalid date ''' || upper(strftime(make_date(2000, %s, 1), '%%B')) "
                                               "|| ' ' || %s || ''''" % (mo, d))
    return ("CASE WHEN %s IS NULL OR %s IS NULL OR %s IS NULL OR %s IS NULL OR %s IS NULL OR %s IS NULL THEN NULL "
            "%s WHEN %s IS NULL THEN %s ELSE (CAST(%s - DATE '1970-01-01' AS BIGINT) * 86400000000 + "
            "CAST(%s AS BIGINT) * 3600000000 + CAST(%s AS BIGINT) * 60000000 + CAST(round(%s * 1000000) AS BIGINT)) END"
            % (y, mo, d, h, mi, s, cases, day, invalid_date, day, h, mi, s))


def _make_timestamp_builder(name, kind, try_=False):
    """make_timestamp[_ltz|_ntz] and their try_ forms from year, month, day, hour, minute, second
    (decimal) fields and, for an instant, an optional zone (else the session's)."""
    def build(args):
        _args(name, args, 6, 6 if kind == "ntz" else 7)
        fields = [_cast_to(a, T.IntegerType()) for a in args[:5]] + [_cast_to(args[5], T.DecimalType(16, 6))]
        zone = [_str(args[6])] if len(args) == 7 else []
        ret = T.TimestampNTZType() if kind == "ntz" else T.TimestampType()

        def duck(*xs):
            wall = "make_timestamp(%s)" % _wall_micros_sql(*xs[:6], try_=try_)
            if kind == "ntz":
                return wall
            if zone:
                return "timezone(%s, %s)" % (_zone_duck(xs[6]), wall)
            return "CAST(%s AS TIMESTAMPTZ)" % wall
        # Spark names try_make_timestamp without its zone argument
        shown = args[:6] if name == "try_make_timestamp" else args
        return Function(name, fields + zone, ret, nullable=True if try_ else None, name_args=shown, duck=duck)
    return build


for _n, _k in (("make_timestamp", "ltz"), ("make_timestamp_ltz", "ltz"), ("make_timestamp_ntz", "ntz")):
    register(_n)(_make_timestamp_builder(_n, _k))
    register("try_" + _n)(_make_timestamp_builder("try_" + _n, _k, try_=True))


_TIMESTAMP_UNITS = {"YEAR": ("to_years", 1), "QUARTER": ("to_months", 3), "MONTH": ("to_months", 1),
                    "WEEK": ("to_days", 7), "DAY": ("to_days", 1), "DAYOFYEAR": ("to_days", 1),
                    "HOUR": ("to_microseconds", 3600000000), "MINUTE": ("to_microseconds", 60000000),
                    "SECOND": ("to_microseconds", 1000000), "MILLISECOND": ("to_microseconds", 1000),
                    "MICROSECOND": ("to_microseconds", 1)}


def _timestamp_unit(name, unit, expr_sql):
    u = str(unit).upper()
    if u not in _TIMESTAMP_UNITS:
        raise analysis_exception("INVALID_PARAMETER_VALUE.DATETIME_UNIT", parameter=quote_ident("unit"),
                                 functionName=quote_ident(name), invalidValue="'%s'" % unit)
    return u


@register("timestamp_add", "timestampadd", "date_add_interval")
def _timestamp_add(args):
    _args("timestampadd", args, 3)
    unit = _timestamp_unit("timestampadd", _lit_value(args[0], "unit"), None)
    fn, mult = _TIMESTAMP_UNITS[unit]
    ts = args[2] if isinstance(args[2].dataType, (T.TimestampType, T.TimestampNTZType)) else _ts_of(args[2])
    q = _cast_to(args[1], T.LongType())
    return Function("timestampadd", [q, ts], ts.dataType,
                    sql_name="timestampadd(%s, %s, %s)" % (_lit_value(args[0], "unit"), args[1].sql(), args[2].sql()),
                    duck=lambda qd, td: "(%s + %s(CAST(%s * %d AS %s)))" % (
                        td, fn, qd, mult, "BIGINT" if fn == "to_microseconds" else "INTEGER"))


@register("timestamp_diff", "timestampdiff")
def _timestamp_diff(args):
    _args("timestampdiff", args, 3)
    unit = _timestamp_unit("timestampdiff", _lit_value(args[0], "unit"), None)
    part = {"DAYOFYEAR": "day"}.get(unit, unit.lower())
    start, end = (a if isinstance(a.dataType, (T.TimestampType, T.TimestampNTZType)) else _ts_of(a) for a in args[1:])
    # whole units from start to end, as Java's ChronoUnit.between in the session time zone
    return Function("timestampdiff", [start, end], T.LongType(),
                    sql_name="timestampdiff(%s, %s, %s)" % (_lit_value(args[0], "unit"), args[1].sql(), args[2].sql()),
                    duck=lambda s, e: "CAST(date_sub('%s', %s, %s) AS BIGINT)" % (part, s, e))


_INTERVAL_UNITS = {"microsecond": 1, "millisecond": 1000, "second": 1000000, "minute": 60000000,
                   "hour": 3600000000, "day": 86400000000, "week": 7 * 86400000000}


def _duration_micros(text, what):
    """A window duration ('10 minutes', '1 hour 30 minutes', 'interval 5 seconds') in microseconds;
    months and years have no fixed length, so Spark refuses them in a window."""
    import re
    words = str(text).strip().lower().split()
    if words and words[0] == "interval":
        words = words[1:]
    total, ok = 0, bool(words) and len(words) % 2 == 0
    for amount, unit in zip(words[0::2], words[1::2]):
        unit = unit[:-1] if unit.endswith("s") else unit
        if not re.fullmatch(r"[+-]?\d+", amount) or unit not in _INTERVAL_UNITS:
            ok = False
            break
        total += int(amount) * _INTERVAL_UNITS[unit]
    if not ok:
        raise analysis_exception("CANNOT_PARSE_INTERVAL", intervalString="'%s'" % text)
    if what != "startTime" and total <= 0:
        raise analysis_exception("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", sqlExpr=quote_ident("window"),
                                 exprName=what, valueRange="(0, inf)", currentValue=str(total))
    return total


_WINDOW_TYPE = T.StructType([T.StructField("start", T.TimestampType(), True),
                             T.StructField("end", T.TimestampType(), True)])


@register("window")
def _window_fn(args):
    """Spark's TimeWindow (tumbling): the [start, end) bucket of ``windowDuration`` holding each
    timestamp, buckets aligned to the epoch plus ``startTime``."""
    _args("window", args, 2, 4)
    ts = args[0]
    if not isinstance(ts.dataType, (T.TimestampType, T.TimestampNTZType)):
        ts = _ts_of(ts)
    size = _duration_micros(_lit_value(args[1], "windowDuration"), "windowDuration")
    slide = _duration_micros(_lit_value(args[2], "slideDuration"), "slideDuration") if len(args) > 2 and \
        _lit_value(args[2], "slideDuration") is not None else size
    offset = _duration_micros(_lit_value(args[3], "startTime"), "startTime") if len(args) > 3 else 0
    if slide != size:
        from ..errors import PySparkNotImplementedError
        raise PySparkNotImplementedError(errorClass="NOT_IMPLEMENTED", messageParameters={
            "feature": "window() with a slide shorter than the window (rows in several windows)"})
    t = _WINDOW_TYPE if isinstance(ts.dataType, T.TimestampType) else T.StructType(
        [T.StructField("start", ts.dataType, True), T.StructField("end", ts.dataType, True)])
    as_ts = "timezone('UTC', make_timestamp(%s))" if isinstance(ts.dataType, T.TimestampType) else "make_timestamp(%s)"

    def duck(x):
        us = "epoch_us(%s)" % x
        start = "(%s - (((%s - %d) %% %d) + %d) %% %d)" % (us, us, offset, size, size, size)
        return 'CASE WHEN %s IS NULL THEN NULL ELSE struct_pack("start" := %s, "end" := %s) END' % (
            x, as_ts % start, as_ts % ("(%s + %d)" % (start, size)))
    return Function("window", [ts], t, nullable=False, sql_name="window", duck=duck)


@register("window_time")
def _window_time(args):
    _args("window_time", args, 1)
    w = args[0]
    if not (isinstance(w.dataType, T.StructType) and [f.name for f in w.dataType.fields] == ["start", "end"]):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident(
            "window_time(%s)" % w.sql()), paramIndex="first", requiredType='"STRUCT<start, end>"',
            inputSql=quote_ident(w.sql()), inputType='"%s"' % w.dataType.simpleString().upper())
    end_type = w.dataType.fields[1].dataType
    return Function("window_time", [w], end_type,
                    duck="(struct_extract({0}, 'end') - INTERVAL 1 MICROSECOND)")


# ---------------------------------------------------------------------------------------------
# string, math, hash, bitwise and misc scalars beyond issue 17's first list. A builder shared by
# several names is registered per name so the generated column keeps the name it was called by
# (``lcase(x)``, ``ceiling(x)``), as Spark's FunctionRegistry names it.

def _called(name, builder, sql=None):
    """`builder` under another name: the same expression, shown as ``name(args)`` (or by `sql`)."""
    def build(args):
        f = builder(args)
        f.fname = name
        f.sql_name = sql(args) if sql is not None else None
        if getattr(f, "explain_name", None):
            f.explain_name = name
        return f
    return build


def _rowfn(name, func, args, ret, sql_name=None, nullable=None):
    from .scalar_functions import RowFunction
    return RowFunction(func, name, args, ret, sql_name=sql_name, nullable=nullable)


def _int(e):
    return _cast_to(e, T.IntegerType())


def _is_binary(e):
    return isinstance(e.dataType, T.BinaryType)


def _byte_aware_length(name, string_duck, binary_duck):
    """length/octet_length/bit_length: a binary counts its bytes, anything else its string form."""
    def build(args):
        _args(name, args, 1)
        if _is_binary(args[0]):
            return Function(name, args, T.IntegerType(), duck="CAST(%s AS INTEGER)" % binary_duck)
        return Function(name, [_str(args[0])], T.IntegerType(), duck="CAST(%s AS INTEGER)" % string_duck)
    return build


register("length")(_byte_aware_length("length", "length({0})", "octet_length({0})"))
register("octet_length")(_byte_aware_length("octet_length", "octet_length(encode({0}))", "octet_length({0})"))
register("bit_length")(_byte_aware_length("bit_length", "8 * octet_length(encode({0}))", "8 * octet_length({0})"))


register("lcase")(_called("lcase", lookup("lower")))
register("ucase")(_called("ucase", lookup("upper")))
register("char_length")(_called("char_length", lookup("length")))
register("character_length")(_called("character_length", lookup("length")))


def _side_trim(name, side):
    def build(args):
        _args(name, args, 1, 2)
        s = _str(args[0])
        if len(args) == 1:
            return Function(name, [s], T.StringType(), duck="%s({0}, ' ')" % name)
        return Function(name, [s, _str(args[1])], T.StringType(), duck="%s({0}, {1})" % name,
                        sql_name="TRIM(%s %s FROM %s)" % (side, args[1].sql(), args[0].sql()))
    return build


register("ltrim")(_side_trim("ltrim", "LEADING"))
register("rtrim")(_side_trim("rtrim", "TRAILING"))


@register("btrim")
def _btrim(args):
    _args("btrim", args, 1, 2)
    s = _str(args[0])
    chars = _str(args[1]) if len(args) == 2 else Literal(" ")
    return Function("btrim", [s, chars], T.StringType(), duck="trim({0}, {1})",
                    name_args=args)


def _binary_aware_predicate(name, duck, row, explain):
    def build(args):
        _args(name, args, 2)
        if _is_binary(args[0]) and _is_binary(args[1]):
            return _rowfn(name, row, args, T.BooleanType())
        return Function(name, [_str(a) for a in args], T.BooleanType(), duck=duck, explain_name=explain)
    return build


def _scalar_row(name):
    from . import scalar_functions
    return getattr(scalar_functions, name)


register("contains")(_binary_aware_predicate("contains", "contains({0}, {1})", _scalar_row("row_contains_binary"), "Contains"))
register("startswith")(_binary_aware_predicate("startswith", "starts_with({0}, {1})",
                                               _scalar_row("row_startswith_binary"), "StartsWith"))
register("endswith")(_binary_aware_predicate("endswith", "ends_with({0}, {1})",
                                             _scalar_row("row_endswith_binary"), "EndsWith"))


def _like_builder(name, lower):
    def build(args):
        _args(name, args, 2, 3)
        s, p = _str(args[0]), _str(args[1])
        esc = _lit_value(args[2], "escape") if len(args) == 3 else "\\"
        shown = "%s %s %s" % (args[0].sql(), name.upper(), args[1].sql()) if name == "like" else \
            "%s(%s, %s)" % (name, args[0].sql(), args[1].sql())
        if len(args) == 3 and esc != "\\":
            shown += " ESCAPE '%s'" % esc if name == "like" else ""
        esc_sql = duck_literal(esc, T.StringType())
        if lower:
            duck = "(lower({0}) LIKE lower({1}) ESCAPE %s)" % esc_sql.replace("{", "{{").replace("}", "}}")
        else:
            duck = "({0} LIKE {1} ESCAPE %s)" % esc_sql.replace("{", "{{").replace("}", "}}")
        return Function(name, [s, p], T.BooleanType(), sql_name=shown, duck=duck)
    return build


register("like")(_like_builder("like", False))
register("ilike")(_like_builder("ilike", True))


def _rlike_named(name):
    def build(args):
        _args(name, args, 2)
        return Function(name, [_str(args[0]), _str(args[1])], T.BooleanType(),
                        sql_name="%s(%s, %s)" % (name.upper(), args[0].sql(), args[1].sql()),
                        duck="regexp_matches({0}, {1})", explain_name=name.upper())
    return build


register("rlike")(_rlike_named("rlike"))
register("regexp")(_rlike_named("regexp"))
register("regexp_like")(_rlike_named("regexp_like"))


@register("left")
def _left(args):
    _args("left", args, 2)
    s, n = _str(args[0]), _int(args[1])
    return Function("left", [s, n], T.StringType(), name_args=args,
                    duck="CASE WHEN {1} <= 0 THEN '' ELSE left({0}, {1}) END")


@register("right")
def _right(args):
    _args("right", args, 2)
    s, n = _str(args[0]), _int(args[1])
    return Function("right", [s, n], T.StringType(), name_args=args,
                    duck="CASE WHEN {1} <= 0 THEN '' ELSE right({0}, {1}) END")


def _position_builder(name):
    def build(args):
        _args(name, args, 2, 3)
        pos = args[2] if len(args) == 3 else Literal(1)
        return Function(name, [_str(args[0]), _str(args[1]), _int(pos)], T.IntegerType(),
                        name_args=[args[0], args[1], pos],
                        duck="CAST(CASE WHEN {2} < 1 THEN 0 WHEN instr(substring({1}, {2}), {0}) = 0 THEN 0 "
                             "ELSE instr(substring({1}, {2}), {0}) + {2} - 1 END AS INTEGER)")
    return build


register("position")(_position_builder("position"))
register("locate")(_position_builder("locate"))


@register("instr")
def _instr(args):
    _args("instr", args, 2, 4)
    if len(args) == 2:
        return Function("instr", [_str(a) for a in args], T.IntegerType(), duck="CAST(instr({0}, {1}) AS INTEGER)")
    full = list(args) + [Literal(1)] * (4 - len(args))
    return _rowfn("instr", _scalar_row("row_instr"), [_str(full[0]), _str(full[1]), _int(full[2]), _int(full[3])],
                  T.IntegerType(), sql_name="instr(%s)" % ", ".join(a.sql() for a in full))


@register("substring_index")
def _substring_index(args):
    _args("substring_index", args, 3)
    s, d, n = _str(args[0]), _str(args[1]), _int(args[2])
    return Function("substring_index", [s, d, n], T.StringType(), name_args=args,
                    duck="CASE WHEN {2} = 0 OR {1} = '' THEN '' WHEN {2} > 0 THEN "
                         "array_to_string(string_split({0}, {1})[1:{2}], {1}) ELSE "
                         "array_to_string(string_split({0}, {1})[greatest(len(string_split({0}, {1})) + {2} + 1, 1):], {1}) END")


@register("split_part")
def _split_part(args):
    _args("split_part", args, 3)
    s, d, n = _str(args[0]), _str(args[1]), _int(args[2])
    return Function("split_part", [s, d, n], T.StringType(), name_args=args,
                    duck=lambda sd, dd, nd: (
                        "CASE WHEN %s IS NULL OR %s IS NULL OR %s IS NULL THEN NULL WHEN %s = 0 THEN %s ELSE "
                        "coalesce((CASE WHEN %s = '' THEN [%s] ELSE string_split(%s, %s) END)[%s], '') END"
                        % (sd, dd, nd, nd, _raise_sql("INVALID_INDEX_OF_ZERO", ""), dd, sd, sd, dd, nd)))


@register("overlay")
def _overlay(args):
    _args("overlay", args, 3, 4)
    length = args[3] if len(args) == 4 else Literal(-1)
    binary = _is_binary(args[0])
    kids = [args[0] if binary else _str(args[0]), args[1] if binary else _str(args[1]), _int(args[2]), _int(length)]
    return _rowfn("overlay", _scalar_row("row_overlay"), kids, T.BinaryType() if binary else T.StringType(),
                  sql_name="overlay(%s)" % ", ".join(a.sql() for a in [args[0], args[1], args[2], length]))


@register("replace")
def _replace(args):
    _args("replace", args, 2, 3)
    r = args[2] if len(args) == 3 else Literal("")
    return Function("replace", [_str(args[0]), _str(args[1]), _str(r)], T.StringType(),
                    name_args=[args[0], args[1], r],
                    duck="CASE WHEN {1} = '' THEN {0} ELSE replace({0}, {1}, {2}) END")


def _padder(name):
    def build(args):
        _args(name, args, 2, 3)
        pad = args[2] if len(args) == 3 else Literal(" ")
        s, n = _str(args[0]), _int(args[1])
        return Function(name, [s, n, _str(pad)], T.StringType(), name_args=[args[0], args[1], pad],
                        duck="CASE WHEN {1} <= 0 THEN '' WHEN {2} = '' THEN left({0}, {1}) ELSE %s({0}, {1}, {2}) END" % name)
    return build


register("lpad")(_padder("lpad"))
register("rpad")(_padder("rpad"))


@register("repeat")
def _repeat(args):
    _args("repeat", args, 2)
    return Function("repeat", [_str(args[0]), _int(args[1])], T.StringType(), name_args=args,
                    duck="repeat({0}, greatest({1}, 0))")


def _substr_builder(name):
    def build(args):
        _args(name, args, 2, 3)
        if len(args) == 2:
            # Spark's Substring defaults its length to Int.MaxValue (and names it)
            args = list(args) + [Literal(2147483647)]
        s = _str(args[0]) if not _is_binary(args[0]) else args[0]
        rest = [_int(a) for a in args[1:]]
        return Function(name, [s] + rest, s.dataType, duck=_substring_duck, name_args=args)
    return build


register("substring")(_substr_builder("substring"))
register("substr")(_substr_builder("substr"))


@register("soundex")
def _soundex(args):
    _args("soundex", args, 1)
    return _rowfn("soundex", _scalar_row("row_soundex"), [_str(args[0])], T.StringType())


@register("levenshtein")
def _levenshtein(args):
    _args("levenshtein", args, 2, 3)
    if len(args) == 2:
        return Function("levenshtein", [_str(a) for a in args], T.IntegerType(),
                        duck="CAST(levenshtein({0}, {1}) AS INTEGER)")
    return _rowfn("levenshtein", _scalar_row("row_levenshtein_threshold"),
                  [_str(args[0]), _str(args[1]), _int(args[2])], T.IntegerType())


@register("mask")
def _mask(args):
    _args("mask", args, 1, 5)
    defaults = [Literal("X"), Literal("x"), Literal("n"), Literal(None, T.StringType())]
    full = list(args) + defaults[len(args) - 1:]
    return _rowfn("mask", _scalar_row("row_mask"), [_str(a) for a in full], T.StringType(),
                  nullable=args[0].nullable)


@register("elt")
def _elt(args):
    if len(args) < 2:
        _args("elt", args, 2, 999)
    n = _int(args[0])
    vals = args[1:]
    w = T.NullType()
    for a in vals:
        w = wider_type(w, a.dataType) or w
    if not (is_string(w) or isinstance(w, T.BinaryType)):
        w = T.StringType()
    vals = [_cast_to(a, w) for a in vals]

    def duck(nd, *xs):
        # ANSI: an index outside 1..n is an error, as Spark 4's elt raises it
        return "CASE %s %s WHEN NULL THEN NULL ELSE %s END" % (
            nd, " ".join("WHEN %d THEN %s" % (i + 1, x) for i, x in enumerate(xs)),
            "CASE WHEN %s IS NULL THEN NULL ELSE %s END" % (
                nd, _raise_sql("INVALID_ARRAY_INDEX", "The index ' || CAST(%s AS VARCHAR) || ' is out of bounds. "
                                                      "The array has %d elements." % (nd, len(xs)))))
    return Function("elt", [n] + vals, w, nullable=True, name_args=args, duck=duck)


@register("find_in_set")
def _find_in_set(args):
    _args("find_in_set", args, 2)
    return Function("find_in_set", [_str(a) for a in args], T.IntegerType(), name_args=args,
                    duck="CAST(CASE WHEN contains({0}, ',') THEN 0 ELSE "
                         "coalesce(list_position(string_split({1}, ','), {0}), 0) END AS INTEGER)")


register("printf")(_called("printf", lookup("format_string")))


@register("quote")
def _quote(args):
    _args("quote", args, 1)
    return Function("quote", [_str(args[0])], T.StringType(), name_args=args,
                    duck="('''' || replace(replace({0}, '\\', '\\\\'), '''', '\\''') || '''')")


def _rowfn_builder(name, func_name, ret, arity=1, cast=_str):
    def build(args):
        lo, hi = (arity, arity) if isinstance(arity, int) else arity
        _args(name, args, lo, hi)
        return _rowfn(name, _scalar_row(func_name), [cast(a) for a in args], ret)
    return build


register("url_encode")(_rowfn_builder("url_encode", "row_url_encode", T.StringType()))
register("url_decode")(_rowfn_builder("url_decode", "row_url_decode", T.StringType()))
register("try_url_decode")(_rowfn_builder("try_url_decode", "row_try_url_decode", T.StringType()))


@register("regexp_count")
def _regexp_count(args):
    _args("regexp_count", args, 2)
    return Function("regexp_count", [_str(a) for a in args], T.IntegerType(), name_args=args,
                    duck="CAST(len(regexp_extract_all({0}, {1})) AS INTEGER)")


@register("regexp_extract_all")
def _regexp_extract_all(args):
    _args("regexp_extract_all", args, 2, 3)
    idx = args[2] if len(args) == 3 else Literal(1)
    return Function("regexp_extract_all", [_str(args[0]), _str(args[1]), _int(idx)],
                    T.ArrayType(T.StringType(), True), name_args=[args[0], args[1], idx],
                    duck="regexp_extract_all({0}, {1}, {2})")


@register("regexp_substr")
def _regexp_substr(args):
    _args("regexp_substr", args, 2)
    return Function("regexp_substr", [_str(a) for a in args], T.StringType(), nullable=True, name_args=args,
                    duck="CASE WHEN regexp_matches({0}, {1}) THEN regexp_extract({0}, {1}, 0) END")


@register("regexp_instr")
def _regexp_instr(args):
    _args("regexp_instr", args, 2, 3)
    idx = args[2] if len(args) == 3 else Literal(0)
    return _rowfn("regexp_instr", _scalar_row("row_regexp_instr"), [_str(args[0]), _str(args[1]), _int(idx)],
                  T.IntegerType(), sql_name="regexp_instr(%s, %s, %s)" % (args[0].sql(), args[1].sql(), idx.sql()))


@register("sentences")
def _sentences(args):
    _args("sentences", args, 1, 3)
    full = list(args) + [Literal("")] * (3 - len(args))
    return _rowfn("sentences", _scalar_row("row_sentences"), [_str(a) for a in full],
                  T.ArrayType(T.ArrayType(T.StringType(), True), True),
                  sql_name="sentences(%s)" % ", ".join(a.sql() for a in full))


# --- math

def _constant(name, value):
    def build(args):
        _args(name, args, 0)
        return Function(name, [], T.DoubleType(), nullable=False, sql_name="%s()" % name.upper(),
                        duck="CAST(%r AS DOUBLE)" % value, explain_name=name.upper())
    return build


import math as _math
register("pi")(_constant("pi", _math.pi))
register("e")(_constant("e", _math.e))


@register("negative")
def _negative(args):
    _args("negative", args, 1)
    from .expressions import UnaryMinus
    u = UnaryMinus(args[0])
    f = Function("negative", [args[0]], args[0].dataType, duck=lambda x: u.duck())
    return f


@register("positive")
def _positive(args):
    _args("positive", args, 1)
    return Function("positive", [args[0]], args[0].dataType, sql_name="(+ %s)" % args[0].sql(), duck="{0}")


def _sign(name, upper):
    def build(args):
        _args(name, args, 1)
        return Function(name, [_dbl(args[0])], T.DoubleType(),
                        sql_name="%s(%s)" % (name.upper() if upper else name, args[0].sql()),
                        duck="CASE WHEN isnan({0}) THEN {0} ELSE CAST(sign({0}) AS DOUBLE) END",
                        explain_name=name.upper() if upper else None)
    return build


register("sign")(_sign("sign", False))
register("signum")(_sign("signum", True))
register("rint")(_called("rint", lookup("rint")))


def _floor_ceil_scaled(name, base):
    def build(args):
        _args(name, args, 1, 2)
        if len(args) == 1:
            return base(args)
        a, scale = args
        n = _lit_value(scale, "scale")
        t = a.dataType
        # Spark: a decimal result wide enough for the integral digits and the kept scale
        if isinstance(t, T.DecimalType):
            p, s = t.precision, t.scale
        elif is_integral(t):
            p, s = {T.ByteType: 3, T.ShortType: 5, T.IntegerType: 10, T.LongType: 20}[type(t)], 0
        elif isinstance(t, T.FloatType):
            p, s = 14, 7
        else:
            p, s = 30, 15
        new_scale = max(0, min(n, s))
        r = T.DecimalType(min(38, p - s + new_scale + 1), new_scale) if n >= 0 else T.DecimalType(min(38, p - s + 1), 0)
        # a double goes through its shortest decimal text, as Spark's BigDecimal(double.toString) does;
        # NaN and the infinities have no decimal value: NULL
        src = "CAST(CAST((CASE WHEN isnan({0}) OR isinf({0}) THEN NULL ELSE {0} END) AS VARCHAR) AS DECIMAL(38, %d))" \
            % min(18, max(s, 0)) if is_fractional(t) else "CAST({0} AS DECIMAL(38, %d))" % s
        return Function(name, [a, scale], r, sql_name="%s(%s, %s)" % (name, a.sql(), scale.sql()),
                        duck="CAST(%s(%s * pow(10, %d)::DECIMAL(38,0)) / pow(10, %d)::DECIMAL(38,0) AS %s)" % (
                            name, src, n, n, duck_type(r)) if n >= 0 else
                        "CAST(%s(%s / pow(10, %d)::DECIMAL(38,0)) * pow(10, %d)::DECIMAL(38,0) AS %s)" % (
                            name, src, -n, -n, duck_type(r)))
    return build


register("floor")(_floor_ceil_scaled("floor", _floor_ceil("floor")))
register("ceil")(_floor_ceil_scaled("ceil", _floor_ceil("ceil")))
register("ceiling")(_called("ceiling", _floor_ceil_scaled("ceil", _floor_ceil("ceil")),
                            sql=lambda args: "ceiling(%s)" % ", ".join(a.sql() for a in args)))


def _math2(name, duck):
    def build(args):
        _args(name, args, 2)
        return Function(name, [_dbl(a) for a in args], T.DoubleType(),
                        sql_name="%s(%s)" % (name.upper(), ", ".join(a.sql() for a in args)),
                        duck=duck, explain_name=name.upper())
    return build


register("hypot")(_math2("hypot", "sqrt({0} * {0} + {1} * {1})"))

# Spark's formulas (their NaN for out-of-domain input included)
for _n, _d in [("acosh", "ln({0} + sqrt({0} * {0} - 1.0))"),
               ("asinh", "CASE WHEN {0} = CAST('-Infinity' AS DOUBLE) THEN {0} ELSE ln({0} + sqrt({0} * {0} + 1.0)) END"),
               ("atanh", "0.5 * (ln(1 + {0}) - ln(1 - {0}))"),
               ("cot", "1.0 / tan({0})"), ("csc", "1.0 / sin({0})"), ("sec", "1.0 / cos({0})")]:
    register(_n)(_math1(_n, duck=_d))


@register("factorial")
def _factorial(args):
    _args("factorial", args, 1)
    return _rowfn("factorial", _scalar_row("row_factorial"), [_int(args[0])], T.LongType(), nullable=True)


@register("bin")
def _bin(args):
    _args("bin", args, 1)
    return _rowfn("bin", _scalar_row("row_bin"), [_cast_to(args[0], T.LongType())], T.StringType())


@register("conv")
def _conv(args):
    _args("conv", args, 3)
    return _rowfn("conv", _scalar_row("row_conv"), [_str(args[0]), _int(args[1]), _int(args[2])], T.StringType(),
                  nullable=True)


@register("width_bucket")
def _width_bucket(args):
    _args("width_bucket", args, 4)
    return _rowfn("width_bucket", _scalar_row("row_width_bucket"),
                  [_dbl(args[0]), _dbl(args[1]), _dbl(args[2]), _cast_to(args[3], T.LongType())], T.LongType(),
                  nullable=True)


def _int_or_long(e):
    return e if isinstance(e.dataType, T.LongType) else _cast_to(e, T.IntegerType())


def _shift(name):
    def build(args):
        _args(name, args, 2)
        x = _int_or_long(args[0])
        width = 64 if isinstance(x.dataType, T.LongType) else 32
        return _rowfn(name, _scalar_row("row_%s%d" % (name, width)), [x, _int(args[1])], x.dataType,
                      sql_name="%s(%s, %s)" % (name, args[0].sql(), args[1].sql()))
    return build


for _n in ("shiftleft", "shiftright", "shiftrightunsigned"):
    register(_n)(_shift(_n))


@register("bitwise_not")
def _bitwise_not(args):
    _args("bitwise_not", args, 1)
    t = args[0].dataType
    if not is_integral(t):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident("~%s" % args[0].sql()),
                                 paramIndex="first", requiredType='"INTEGRAL"', inputSql=quote_ident(args[0].sql()),
                                 inputType='"%s"' % t.simpleString().upper())
    return Function("bitwise_not", args, t, sql_name="~%s" % args[0].sql(), duck="(~{0})")


_WIDTH = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64, T.BooleanType: 8}


@register("bit_count")
def _bit_count(args):
    _args("bit_count", args, 1)
    # Spark counts the bits of the value widened to a long (sign-extended: bit_count(-1) is 64)
    x = _cast_to(args[0], T.LongType())
    return _rowfn("bit_count", _scalar_row("row_bit_count64"), [x], T.IntegerType(),
                  sql_name="bit_count(%s)" % args[0].sql())


def _bit_get(name):
    def build(args):
        _args(name, args, 2)
        x = args[0]
        w = _WIDTH.get(type(x.dataType))
        if w is None or isinstance(x.dataType, T.BooleanType):
            x, w = _cast_to(x, T.LongType()), 64
        return _rowfn(name, _scalar_row("row_bit_get%d" % w), [x, _int(args[1])], T.ByteType(),
                      sql_name="%s(%s, %s)" % (name, args[0].sql(), args[1].sql()))
    return build


register("bit_get")(_bit_get("bit_get"))
register("getbit")(_bit_get("getbit"))


# --- hashes

register("sha")(_called("sha", lookup("sha1")))


@register("sha2")
def _sha2(args):
    _args("sha2", args, 2)
    x = args[0] if _is_binary(args[0]) else _cast_to(args[0], T.BinaryType()) if not is_string(args[0].dataType) else args[0]
    return _rowfn("sha2", _scalar_row("row_sha2"), [x, _int(args[1])], T.StringType(), nullable=True,
                  sql_name="sha2(%s, %s)" % (args[0].sql(), args[1].sql()))


@register("crc32")
def _crc32(args):
    _args("crc32", args, 1)
    x = args[0] if _is_binary(args[0]) or is_string(args[0].dataType) else _cast_to(args[0], T.BinaryType())
    return _rowfn("crc32", _scalar_row("row_crc32"), [x], T.LongType(), sql_name="crc32(%s)" % args[0].sql())


@register("hash")
def _hash(args):
    from .scalar_functions import murmur3
    types = [a.dataType for a in args]
    return _rowfn("hash", murmur3(types), args, T.IntegerType(), nullable=False)


@register("xxhash64")
def _xxhash64(args):
    types = [a.dataType for a in args]

    def flat(t):
        if isinstance(t, T.StructType):
            return all(flat(f.dataType) for f in t.fields)
        return not isinstance(t, (T.ArrayType, T.MapType)) and not (
            isinstance(t, T.DecimalType) and t.precision > 18)
    if all(flat(t) for t in types):
        # vectorized: the engine's XXH64 functions chained in the query (hyperloglog.py)
        from .hyperloglog import xxhash64_sql

        def duck(*xs):
            h = "CAST(42 AS BIGINT)"
            for x, t in zip(xs, types):
                h = xxhash64_sql(x, t, h)
            return h
        return Function("xxhash64", args, T.LongType(), nullable=False, duck=duck)
    from .scalar_functions import xxhash64
    return _rowfn("xxhash64", xxhash64(types), args, T.LongType(), nullable=False)


# --- conditional

@register("nvl2")
def _nvl2(args):
    _args("nvl2", args, 3)
    w = wider_type(args[1].dataType, args[2].dataType) or args[1].dataType
    b, c = _cast_to(args[1], w), _cast_to(args[2], w)
    return Function("nvl2", [args[0], b, c], w, name_args=args, nullable=b.nullable or c.nullable,
                    duck="CASE WHEN {0} IS NOT NULL THEN {1} ELSE {2} END")


@register("nullifzero")
def _nullifzero(args):
    _args("nullifzero", args, 1)
    return Function("nullifzero", args, args[0].dataType, nullable=True,
                    duck="CASE WHEN {0} = 0 THEN NULL ELSE {0} END")


@register("zeroifnull")
def _zeroifnull(args):
    _args("zeroifnull", args, 1)
    t = args[0].dataType
    if isinstance(t, T.NullType):
        t = T.IntegerType()
    return Function("zeroifnull", [_cast_to(args[0], t)], t, nullable=False, name_args=args,
                    duck="coalesce({0}, 0)")


@register("equal_null")
def _equal_null(args):
    _args("equal_null", args, 2)
    from .expressions import coerce_pair
    l, r, _ = coerce_pair(args[0], args[1], "equal_null(%s, %s)" % (args[0].sql(), args[1].sql()))
    return Function("equal_null", [l, r], T.BooleanType(), nullable=False, name_args=args,
                    duck="({0} IS NOT DISTINCT FROM {1})")


# --- misc

def _session_value(name, value_of):
    def build(args):
        _args(name, args, 0)
        v = value_of()
        return Function(name, [], T.StringType(), nullable=False, sql_name="%s()" % name,
                        duck=lambda: duck_literal(v, T.StringType()))
    return build


def _current_database():
    s = sqlconf.active_session()
    return s.catalog.currentDatabase() if s is not None else "default"


def _current_timezone():
    from .engine import session_time_zone
    return session_time_zone()


register("current_catalog")(_session_value("current_catalog", lambda: "spark_catalog"))
register("current_timezone")(_session_value("current_timezone", _current_timezone))
register("current_database")(_session_value("current_schema", _current_database))
register("current_schema")(_session_value("current_schema", _current_database))


# --- try_ arithmetic: NULL where the operator would raise (overflow, division by zero)

def _try_arith(name, op):
    def build(args):
        _args(name, args, 2)
        from . import expressions as X
        e = getattr(X, op).make(args[0], args[1])

        def duck(*_):
            d = e.duck()
            for cond in ("DIVIDE_BY_ZERO", "REMAINDER_BY_ZERO"):
                d = d.replace("error('%s|')" % cond, "NULL")
            # DuckDB's TRY turns an overflow into NULL; it cannot wrap a query's own error() calls
            return "TRY(%s)" % d if "error(" not in d else d
        return Function(name, list(e.children), e.dataType, nullable=True, name_args=args, duck=duck)
    return build


for _n, _op in [("try_add", "Add"), ("try_subtract", "Subtract"), ("try_multiply", "Multiply"),
                ("try_divide", "Divide"), ("try_mod", "Remainder")]:
    register(_n)(_try_arith(_n, _op))


# --- binary and character encodings

def _charset(e):
    return str(_lit_value(e, "charset"))


@register("encode")
def _encode(args):
    _args("encode", args, 2)
    return _rowfn("encode", _scalar_row("row_encode"), [_str(args[0]), _str(args[1])], T.BinaryType())


@register("decode")
def _decode(args):
    if len(args) != 2:
        # decode(expr, search, result, ...) is Spark's CASE-like form
        _args("decode", args, 2)
    x = args[0] if _is_binary(args[0]) else _cast_to(args[0], T.BinaryType())
    return _rowfn("decode", _scalar_row("row_decode"), [x, _str(args[1])], T.StringType())


def _to_binary(name, try_):
    def build(args):
        _args(name, args, 1, 2)
        fmt = args[1] if len(args) == 2 else Literal("hex")
        f = str(_lit_value(fmt, "format")).lower()
        if f not in ("hex", "utf-8", "utf8", "base64"):
            raise analysis_exception("INVALID_PARAMETER_VALUE.BINARY_FORMAT", parameter="`format`",
                                     functionName=quote_ident(name), invalidFormat="'%s'" % f)
        return _rowfn(name, _scalar_row("row_try_to_binary" if try_ else "row_to_binary"), [_str(args[0]), _str(fmt)],
                      T.BinaryType(), nullable=True, sql_name="%s(%s)" % (name, ", ".join(a.sql() for a in args)))
    return build


register("to_binary")(_to_binary("to_binary", False))
register("try_to_binary")(_to_binary("try_to_binary", True))


def _chr(name):
    def build(args):
        _args(name, args, 1)
        return Function(name, [_cast_to(args[0], T.LongType())], T.StringType(), name_args=args,
                        duck="CASE WHEN {0} < 0 THEN '' ELSE chr(CAST(({0} % 256 + 256) % 256 AS INTEGER)) END")
    return build


register("chr")(_chr("chr"))
register("char")(_chr("char"))


@register("unhex")
def _unhex(args):
    _args("unhex", args, 1)
    return _rowfn("unhex", _scalar_row("row_unhex"), [_str(args[0])], T.BinaryType(), nullable=True)


@register("to_base32")
def _to_base32(args):
    _args("to_base32", args, 1)
    x = args[0] if _is_binary(args[0]) else _cast_to(args[0], T.BinaryType())
    return _rowfn("to_base32", _scalar_row("row_to_base32"), [x], T.StringType(), sql_name="to_base32(%s)" % args[0].sql())


@register("from_base32")
def _from_base32(args):
    _args("from_base32", args, 1)
    return _rowfn("from_base32", _scalar_row("row_from_base32"), [_str(args[0])], T.BinaryType(), nullable=True)


# Sparklet's strings are always valid UTF-8 (Arrow's utf8 columns): nothing to repair or reject
register("is_valid_utf8")(simple("is_valid_utf8", T.BooleanType(), "({0} IS NOT NULL OR NULL)", cast_args=_str))
register("make_valid_utf8")(simple("make_valid_utf8", T.StringType(), "{0}", cast_args=_str))
register("validate_utf8")(simple("validate_utf8", T.StringType(), "{0}", cast_args=_str))
register("try_validate_utf8")(simple("try_validate_utf8", T.StringType(), "{0}", cast_args=_str))


@register("assert_true")
def _assert_true(args):
    _args("assert_true", args, 1, 2)
    cond = args[0]
    msg = args[1] if len(args) == 2 else Literal("'%s' is not true!" % cond.sql())
    m = _str(msg)
    return Function("assert_true", [cond, m], T.NullType(), nullable=True, name_args=[cond, msg],
                    duck=lambda c, md: "CASE WHEN %s IS NOT TRUE THEN error('USER_RAISED_EXCEPTION|' || coalesce(%s, 'null')) END"
                    % (c, md), deterministic=False)


@register("raise_error")
def _raise_error(args):
    _args("raise_error", args, 1)
    m = _str(args[0])
    return Function("raise_error", [m], T.NullType(), nullable=True, name_args=args, deterministic=False,
                    duck=lambda md: "error('USER_RAISED_EXCEPTION|' || coalesce(%s, 'null'))" % md)


@register("collation")
def _collation(args):
    _args("collation", args, 1)
    if not is_string(args[0].dataType):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident("collation(%s)" % args[0].sql()),
                                 paramIndex="first", requiredType='"STRING"', inputSql=quote_ident(args[0].sql()),
                                 inputType='"%s"' % args[0].dataType.simpleString().upper())
    return Function("collation", args, T.StringType(), nullable=False, duck=lambda x: "'SYSTEM.BUILTIN.UTF8_BINARY'")


@register("parse_url")
def _parse_url(args):
    _args("parse_url", args, 2, 3)
    return _rowfn("parse_url", _scalar_row("row_parse_url"), [_str(a) for a in args], T.StringType(), nullable=True)


@register("try_parse_url")
def _try_parse_url(args):
    _args("try_parse_url", args, 2, 3)
    return _rowfn("try_parse_url", _scalar_row("row_try_parse_url"), [_str(a) for a in args], T.StringType(), nullable=True)


@register("jaro_winkler_similarity")
def _jaro_winkler(args):
    _args("jaro_winkler_similarity", args, 2)
    return _rowfn("jaro_winkler_similarity", _scalar_row("row_jaro_winkler"), [_str(a) for a in args], T.DoubleType())


# --- seeded random values: each call site is its own generator (``instance``), as each Spark
# expression holds its own; an absent seed is drawn once, at analysis, and shows in the name

import itertools as _itertools
_random_instances = _itertools.count(1)


def _seed_of(args, i, name):
    if len(args) > i:
        v = _lit_value(args[i], "seed")
        if v is None:
            v = 0
        return args[i], int(v)
    import random
    v = random.getrandbits(64) - (1 << 63)
    return Literal(v, T.LongType()), v


def _random_fn(name, func, ret, arity_lo, arity_hi, values=(), show_seed=True):
    def build(args):
        _args(name, args, arity_lo, arity_hi)
        seed_expr, seed = _seed_of(args, len(values), name)
        kids = [Literal(next(_random_instances), T.LongType()), Literal(seed, T.LongType())]
        shown = list(args[:len(values)]) + ([seed_expr] if show_seed else [])
        r = ret(args) if callable(ret) else ret
        kids += [_cast_to(a, t(args) if callable(t) else t) for a, t in zip(args, values)]
        return _rowfn(name, _scalar_row(func), kids, r, nullable=False,
                      sql_name="%s(%s)" % (name, ", ".join(a.sql() for a in shown)))
    return build


def _uniform_type(args):
    w = wider_type(args[0].dataType, args[1].dataType) or T.DoubleType()
    return w if is_numeric(w) else T.DoubleType()


register("rand")(_random_fn("rand", "row_rand", T.DoubleType(), 0, 1))
register("random")(_random_fn("random", "row_rand", T.DoubleType(), 0, 1))
register("randn")(_random_fn("randn", "row_randn", T.DoubleType(), 0, 1))
register("uuid")(_random_fn("uuid", "row_uuid", T.StringType(), 0, 1, show_seed=False))
register("randstr")(_random_fn("randstr", "row_randstr", T.StringType(), 1, 2, values=(T.IntegerType(),)))


@register("uniform")
def _uniform(args):
    _args("uniform", args, 2, 3)
    t = _uniform_type(args)
    f = _random_fn("uniform", "row_uniform", T.DoubleType(), 2, 3, values=(T.DoubleType(), T.DoubleType()))(args)
    if isinstance(t, T.DoubleType):
        return f
    # integral bounds: the drawn double truncated to the bounds' type, as Spark casts it
    c = Cast(f, t)
    return Function("uniform", [c], t, nullable=False, sql_name=f.sql_name, duck="{0}", deterministic=False)


@register("hmac")
def _hmac(args):
    _args("hmac", args, 2, 3)
    algo = args[2] if len(args) == 3 else Literal("SHA-256")
    kids = [a if _is_binary(a) else _str(a) for a in args[:2]] + [_str(algo)]
    return _rowfn("hmac", _scalar_row("row_hmac"), kids, T.BinaryType(), nullable=True,
                  sql_name="hmac(%s)" % ", ".join(a.sql() for a in [args[0], args[1], algo]))


def _to_number_builder(name, func):
    def build(args):
        _args(name, args, 2)
        from .scalar_functions import number_format_type
        t = number_format_type(str(_lit_value(args[1], "format")))
        return _rowfn(name, _scalar_row(func), [_str(args[0]), _str(args[1])], t, nullable=True)
    return build


register("to_number")(_to_number_builder("to_number", "row_to_number"))
register("try_to_number")(_to_number_builder("try_to_number", "row_try_to_number"))


def _to_char_builder(name):
    def build(args):
        _args(name, args, 2)
        x = args[0]
        if is_numeric(x.dataType):
            return _rowfn(name, _scalar_row("row_to_char"), [x, _str(args[1])], T.StringType())
        # dates, timestamps and binaries format as date_format / base64 / hex do
        if _is_binary(x):
            f = str(_lit_value(args[1], "format")).lower()
            inner = {"base64": lookup("base64"), "hex": lookup("hex")}.get(f)
            if inner is not None:
                return _called(name, inner, sql=lambda a: "%s(%s)" % (name, ", ".join(e.sql() for e in args)))([x])
            return _called(name, lookup("decode"), sql=lambda a: "%s(%s)" % (name, ", ".join(e.sql() for e in args)))(
                [x, Literal("UTF-8")])
        return _called(name, lookup("date_format"), sql=lambda a: "%s(%s)" % (name, ", ".join(e.sql() for e in args)))(
            list(args))
    return build


register("to_char")(_to_char_builder("to_char"))
# Spark resolves to_varchar to the same expression, named to_char
register("to_varchar")(_to_char_builder("to_char"))


# --- vectors (ARRAY<FLOAT>) and bitmap positions

def _vector(e):
    return _cast_to(e, T.ArrayType(T.FloatType(), True))


def _vector_pair(name, func):
    def build(args):
        _args(name, args, 2)
        return _rowfn(name, _scalar_row(func), [_vector(a) for a in args], T.FloatType(), nullable=True)
    return build


for _n in ("vector_inner_product", "vector_cosine_similarity", "vector_l2_distance"):
    register(_n)(_vector_pair(_n, "row_" + _n))


def _vector_p(name, func, ret):
    def build(args):
        _args(name, args, 1, 2)
        p = args[1] if len(args) == 2 else Literal(2.0, T.FloatType())
        return _rowfn(name, _scalar_row(func), [_vector(args[0]), _cast_to(p, T.FloatType())], ret, nullable=True,
                      sql_name="%s(%s, %s)" % (name, args[0].sql(), p.sql()))
    return build


register("vector_norm")(_vector_p("vector_norm", "row_vector_norm", T.FloatType()))
register("vector_normalize")(_vector_p("vector_normalize", "row_vector_normalize", T.ArrayType(T.FloatType(), True)))


@register("bitmap_bit_position")
def _bitmap_bit_position(args):
    _args("bitmap_bit_position", args, 1)
    x = _cast_to(args[0], T.LongType())
    return Function("bitmap_bit_position", [x], T.LongType(), name_args=args,
                    duck="CASE WHEN {0} > 0 THEN ({0} - 1) % 32768 ELSE (-{0}) % 32768 END")


@register("bitmap_bucket_number")
def _bitmap_bucket_number(args):
    _args("bitmap_bucket_number", args, 1)
    x = _cast_to(args[0], T.LongType())
    return Function("bitmap_bucket_number", [x], T.LongType(), name_args=args,
                    duck="CASE WHEN {0} > 0 THEN 1 + ({0} - 1) // 32768 ELSE -((-{0}) // 32768) END")


@register("bitmap_count")
def _bitmap_count(args):
    _args("bitmap_count", args, 1)
    return _rowfn("bitmap_count", _scalar_row("row_bitmap_count"), args, T.LongType())


# ---------------------------------------------------------------------------------------------
# collections

def _generator(kind, outer=False, position=False):
    def build(args):
        _args(kind, args, 1)
        return Explode(args[0], outer=outer, position=position, kind=kind)
    return build


register("explode")(_generator("explode"))
register("explode_outer")(_generator("explode_outer", outer=True))
register("posexplode")(_generator("posexplode", position=True))
register("posexplode_outer")(_generator("posexplode_outer", outer=True, position=True))


# ---------------------------------------------------------------------------------------------
# aggregates

def _agg(kind, ret, nullable=True, name=None):
    def build(args, distinct=False, ignore_nulls=False):
        r = ret(args) if callable(ret) else ret
        sql_name = None
        shown = name or kind
        if distinct or shown != kind:
            sql_name = "%s(%s%s)" % (shown, "DISTINCT " if distinct else "", ", ".join(a.sql() for a in args))
        return AggregateFunction(kind, args, r, nullable, distinct=distinct, sql_name=sql_name,
                                 ignore_nulls=ignore_nulls)
    build.is_aggregate = True
    return build


def _count(args, distinct=False, ignore_nulls=False):
    from .expressions import UnresolvedStar
    if not args or (len(args) == 1 and isinstance(args[0], Literal) and not distinct and args[0].value is not None):
        lit = args[0] if args else Literal(1)
        return AggregateFunction("count", [], T.LongType(), False, sql_name="count(%s)" % lit.sql())
    return AggregateFunction("count", args, T.LongType(), False, distinct=distinct)


_count.is_aggregate = True
register("count")(_count)


def _first_type(args):
    return args[0].dataType


def _sum_type(args):
    t = args[0].dataType
    if not (is_numeric(t) or is_string(t) or isinstance(t, T.NullType)):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident("sum(%s)" % args[0].sql()),
                                 paramIndex="first", requiredType='("NUMERIC" or "ANSI INTERVAL")',
                                 inputSql=quote_ident(args[0].sql()), inputType='"%s"' % t.simpleString().upper())
    if is_string(t):
        return T.DoubleType()
    return result_type_sum(t)


def _avg_type(args):
    t = args[0].dataType
    if isinstance(t, T.DecimalType):
        return T.DecimalType(min(38, t.precision + 4), min(38, t.scale + 4))
    if not (is_numeric(t) or is_string(t) or isinstance(t, T.NullType)):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident("avg(%s)" % args[0].sql()),
                                 paramIndex="first", requiredType='("NUMERIC" or "ANSI INTERVAL")',
                                 inputSql=quote_ident(args[0].sql()), inputType='"%s"' % t.simpleString().upper())
    return T.DoubleType()


def _numeric_arg(build):
    def wrapped(args, distinct=False, ignore_nulls=False):
        if args and is_string(args[0].dataType):
            args = [_dbl(args[0])] + list(args[1:])
        return build(args, distinct, ignore_nulls)
    wrapped.is_aggregate = True
    return wrapped


def _double_arg(build):
    """Spark's CentralMomentAgg takes a double: the analyzer casts its argument (``stddev(cast(x
    as double))`` in plans; the column keeps the name ``stddev(x)``)."""
    def wrapped(args, distinct=False, ignore_nulls=False):
        if args and (is_numeric(args[0].dataType) or is_string(args[0].dataType)):
            args = [_dbl(args[0])] + list(args[1:])
        return build(args, distinct, ignore_nulls)
    wrapped.is_aggregate = True
    return wrapped


register("sum")(_numeric_arg(_agg("sum", _sum_type)))
register("avg")(_numeric_arg(_agg("avg", _avg_type)))
register("mean")(_numeric_arg(_agg("avg", _avg_type, name="mean")))
register("min")(_agg("min", _first_type))
register("max")(_agg("max", _first_type))
register("first", "first_value")(_agg("first", _first_type))
register("last", "last_value")(_agg("last", _first_type))
register("any_value")(_agg("any_value", _first_type))
register("collect_list", "array_agg")(_agg("collect_list", lambda a: T.ArrayType(a[0].dataType, False), False))
register("collect_set")(_agg("collect_set", lambda a: T.ArrayType(a[0].dataType, False), False))
for _k in ("stddev_samp", "stddev_pop", "var_samp", "var_pop", "skewness", "kurtosis"):
    register(_k)(_double_arg(_agg(_k, T.DoubleType())))
register("stddev", "std")(_double_arg(_agg("stddev_samp", T.DoubleType(), name="stddev")))
register("variance")(_double_arg(_agg("var_samp", T.DoubleType(), name="variance")))
register("approx_count_distinct")(_agg("approx_count_distinct", T.LongType(), False))
register("count_if")(_agg("count_if", T.LongType(), False))
register("bool_and", "every")(_agg("bool_and", T.BooleanType()))
register("bool_or", "some", "any")(_agg("bool_or", T.BooleanType()))
register("product")(_numeric_arg(_agg("product", T.DoubleType())))
register("max_by")(_agg("max_by", _first_type))
register("min_by")(_agg("min_by", _first_type))
register("corr")(_agg("corr", T.DoubleType()))
register("covar_samp")(_agg("covar_samp", T.DoubleType()))
register("covar_pop")(_agg("covar_pop", T.DoubleType()))
register("median")(_agg("median", T.DoubleType()))
register("percentile_approx", "approx_percentile")(_agg("percentile_approx", _first_type))


# aggregates beyond the course list (fndate): each has Spark's result type and generated name; the
# ones without a mergeable buffer run in complete mode (aggregation.py)

def _named_agg(kind, ret, shown, nullable=True, lo=1, hi=1, flag_arg=False):
    """An aggregate Spark names ``shown(args)``; ``flag_arg``: an optional trailing boolean
    literal that is the ignoreNulls flag (first_value(x, true)), not part of the name."""
    def build(args, distinct=False, ignore_nulls=False):
        if flag_arg and len(args) == hi + 1:
            ignore_nulls = bool(_lit_value(args[-1], "ignoreNulls"))
            args = args[:-1]
        _args(shown, args, lo, hi)
        r = ret(args) if callable(ret) else ret
        sql_name = "%s(%s%s)" % (shown, "DISTINCT " if distinct else "", ", ".join(a.sql() for a in args))
        return AggregateFunction(kind, args, r, nullable, distinct=distinct, sql_name=sql_name,
                                 ignore_nulls=ignore_nulls)
    build.is_aggregate = True
    return build


register("any_value")(_named_agg("any_value", _first_type, "any_value", flag_arg=True))
register("first_value")(_named_agg("first", _first_type, "first_value", flag_arg=True))
register("last_value")(_named_agg("last", _first_type, "last_value", flag_arg=True))
register("std")(_numeric_arg(_named_agg("stddev_samp", T.DoubleType(), "std")))
register("every")(_named_agg("bool_and", T.BooleanType(), "every"))
register("some")(_named_agg("bool_or", T.BooleanType(), "some"))
register("any")(_named_agg("bool_or", T.BooleanType(), "any"))
for _k in ("bit_and", "bit_or", "bit_xor"):
    register(_k)(_named_agg(_k, _first_type, _k))
for _k in ("regr_avgx", "regr_avgy", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy"):
    register(_k)(_named_agg(_k, T.DoubleType(), _k, lo=2, hi=2))
register("regr_count")(_named_agg("regr_count", T.LongType(), "regr_count", False, lo=2, hi=2))
register("corr")(_named_agg("corr", T.DoubleType(), "corr", lo=2, hi=2))
register("try_sum")(_numeric_arg(_named_agg("try_sum", _sum_type, "try_sum")))
register("try_avg")(_numeric_arg(_named_agg("try_avg", _avg_type, "try_avg")))


def _by_type(args):
    if len(args) == 3:
        return T.ArrayType(args[0].dataType, args[0].nullable)
    return args[0].dataType


register("max_by")(_named_agg("max_by", _by_type, "max_by", lo=2, hi=3))
register("min_by")(_named_agg("min_by", _by_type, "min_by", lo=2, hi=3))


@register("mode")
def _mode(args, distinct=False, ignore_nulls=False):
    _args("mode", args, 1, 2)
    deterministic = len(args) == 2 and bool(_lit_value(args[1], "deterministic"))
    x = args[0]
    name = ("mode() WITHIN GROUP (ORDER BY %s DESC)" % x.sql()) if deterministic else "mode(%s)" % x.sql()
    return AggregateFunction("mode", [x, Literal(deterministic)], x.dataType, True, sql_name=name)


_mode.is_aggregate = True


def _listagg(shown, distinct_always=False):
    def build(args, distinct=False, ignore_nulls=False):
        _args(shown, args, 1, 2)
        from .expressions import strip_alias
        x = strip_alias(args[0])
        if not isinstance(x.dataType, T.BinaryType):
            x = _str(x)
        sep = args[1] if len(args) == 2 else Literal(None, x.dataType)
        distinct = distinct or distinct_always
        name = "%s(%s%s, %s)" % ("listagg" if shown.startswith("listagg") else "string_agg",
                                 "DISTINCT " if distinct else "", x.sql(), sep.sql())
        return AggregateFunction("listagg", [x, sep], x.dataType, True, distinct=distinct, sql_name=name)
    build.is_aggregate = True
    return build


register("listagg")(_listagg("listagg"))
register("string_agg")(_listagg("string_agg"))
register("listagg_distinct")(_listagg("listagg", True))
register("string_agg_distinct")(_listagg("string_agg", True))


@register("nth_value")
def _nth_value(args, distinct=False, ignore_nulls=False):
    _args("nth_value", args, 2, 3)
    x = args[0]
    n = _lit_value(args[1], "offset")
    if len(args) == 3:
        ignore_nulls = bool(_lit_value(args[2], "ignoreNulls"))
    f = AggregateFunction("nth_value", [x, Literal(n)], x.dataType, True, ignore_nulls=ignore_nulls,
                          sql_name="nth_value(%s, %d)%s" % (x.sql(), n, " ignore nulls" if ignore_nulls else ""))
    return f


_nth_value.is_aggregate = True


class Grouping(Function):
    """``grouping(k)`` / ``grouping_id(k...)``: which keys a cube/rollup grouping set leaves out;
    ``GroupedData`` replaces it by its value for each set."""

    def __init__(self, fname, args, dataType, sql_name=None):
        super().__init__(fname, args, dataType, nullable=False, sql_name=sql_name)

    def with_children(self, children):
        return Grouping(self.fname, children, self.dataType, self.sql_name)

    def value(self, keys, kept):
        """The value in the grouping set keeping the key positions ``kept`` of ``keys``."""
        ids = [k.expr_id for k in keys]
        if self.fname == "grouping":
            i = ids.index(self.children[0].expr_id)
            return Literal(0 if i in kept else 1, T.ByteType())
        if self.children and [getattr(c, "expr_id", None) for c in self.children] != ids:
            raise analysis_exception("GROUPING_ID_COLUMN_MISMATCH",
                                     groupingIdColumn=", ".join(c.sql() for c in self.children),
                                     groupByColumns=", ".join(k.sql() for k in keys))
        v = 0
        for pos in range(len(keys)):
            v = (v << 1) | (0 if pos in kept else 1)
        return Literal(v, T.LongType())

    def duck(self):
        raise analysis_exception("UNSUPPORTED_GROUPING_EXPRESSION")


@register("grouping")
def _grouping(args):
    _args("grouping", args, 1)
    return Grouping("grouping", args, T.ByteType())


@register("grouping_id")
def _grouping_id(args):
    return Grouping("grouping_id", args, T.LongType())


def _percentile_builder(shown, exact):
    """percentile (exact, interpolated, double) and percentile_approx / approx_percentile (an
    element of the column, of its type); a percentage array gives an array of results."""
    def build(args, distinct=False, ignore_nulls=False):
        _args(shown, args, 2, 3)
        x, p = args[0], args[1]
        third = args[2] if len(args) == 3 else Literal(1 if exact else 10000)
        if exact and not is_numeric(x.dataType):
            x = _dbl(x)
        elem = T.DoubleType() if exact else x.dataType
        ret = T.ArrayType(elem, False) if isinstance(p.dataType, T.ArrayType) else elem
        name = "%s(%s%s, %s, %s)" % (shown, "DISTINCT " if distinct else "", x.sql(), p.sql(), third.sql())
        return AggregateFunction("percentile" if exact else "percentile_approx", [x, p, third], ret, True,
                                 distinct=distinct, sql_name=name)
    build.is_aggregate = True
    return build


register("percentile")(_percentile_builder("percentile", True))
register("percentile_approx")(_percentile_builder("percentile_approx", False))
register("approx_percentile")(_percentile_builder("approx_percentile", False))


@register("median")
def _median(args, distinct=False, ignore_nulls=False):
    _args("median", args, 1)
    x = args[0] if is_numeric(args[0].dataType) else _dbl(args[0])
    return AggregateFunction("percentile", [x, Literal(0.5), Literal(1)], T.DoubleType(), True,
                             sql_name="median(%s)" % args[0].sql())


_median.is_aggregate = True



@register("approx_count_distinct")
def _approx_count_distinct(args, distinct=False, ignore_nulls=False):
    """HyperLogLog++ as Spark's (``hyperloglog.py``); the relative standard deviation (default
    0.05) sets the number of registers."""
    _args("approx_count_distinct", args, 1, 2)
    rsd = float(_lit_value(args[1], "relativeSD")) if len(args) == 2 else 0.05
    from .hyperloglog import precision
    if precision(rsd) < 4:
        raise analysis_exception("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", sqlExpr=quote_ident(
            "approx_count_distinct(%s)" % args[0].sql()), exprName="relativeSD", valueRange="[0, 0.39]",
            currentValue=str(rsd))
    return AggregateFunction("approx_count_distinct", [args[0], Literal(rsd)], T.LongType(), False,
                             sql_name="approx_count_distinct(%s)" % args[0].sql())


_approx_count_distinct.is_aggregate = True



@register("histogram_numeric")
def _histogram_numeric(args, distinct=False, ignore_nulls=False):
    """Spark's streaming histogram (``hyperloglog.numeric_histogram``): nb bins as
    array<struct<x, y>>, x of the column's type, y the count."""
    _args("histogram_numeric", args, 2)
    x, nb = args
    t = T.ArrayType(T.StructType([T.StructField("x", x.dataType, True), T.StructField("y", T.DoubleType(), True)]),
                    True)
    return AggregateFunction("histogram_numeric", [x, Literal(int(_lit_value(nb, "nb")))], t, True,
                             sql_name="histogram_numeric(%s, %s)" % (x.sql(), nb.sql()))


_histogram_numeric.is_aggregate = True


def is_aggregate(name):
    return getattr(_REGISTRY.get(name.lower()), "is_aggregate", False)


# ---------------------------------------------------------------------------------------------
# window functions

def _window(kind, ret, upper=False, nullable=False):
    def build(args):
        sql_name = "%s()" % kind.upper() if upper else None
        if kind == "ntile":
            return WindowFunction(kind, args, T.IntegerType(), False)
        return WindowFunction(kind, [], ret, nullable, sql_name=sql_name)
    build.is_window = True
    return build


register("row_number")(_window("row_number", T.IntegerType()))
register("rank")(_window("rank", T.IntegerType(), upper=True))
register("dense_rank")(_window("dense_rank", T.IntegerType(), upper=True))
register("percent_rank")(_window("percent_rank", T.DoubleType(), upper=True))
register("cume_dist")(_window("cume_dist", T.DoubleType()))
register("ntile")(_window("ntile", T.IntegerType()))


def _offset_fn(kind):
    def build(args):
        _args(kind, args, 1, 3)
        x = args[0]
        off = _lit_value(args[1]) if len(args) > 1 else 1
        default = args[2] if len(args) > 2 else None
        t = x.dataType
        if default is not None:
            t = wider_type(t, default.dataType) or t
            default = _cast_to(default, t)
            x = _cast_to(x, t)
        name = "%s(%s, %d, %s)" % (kind, args[0].sql(), off, default.sql() if default is not None else "NULL")
        return WindowFunction(kind, [x], t, True, offset=off, default=default, sql_name=name)
    build.is_window = True
    return build


register("lag")(_offset_fn("lag"))
register("lead")(_offset_fn("lead"))
