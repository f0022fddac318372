"""Spark's built-in functions: name → builder of a resolved expression (Spark's FunctionRegistry).

``pyspark.sql.functions`` and SQL text both call functions through ``lookup(name)``, so
``F.lower("name")`` and ``SELECT lower(name)`` are one expression with one generated name. A
builder receives resolved argument expressions and returns a typed expression carrying:
the result type Spark gives it, the name Spark generates (``SQRT(x)`` is upper case, ``lower(x)``
is not — one naming rule per function), and the DuckDB SQL that computes it with Spark's
semantics.
"""

from . import types as T
from .aggregation import result_type_sum
from .expressions import (
    AggregateFunction, Cast, CaseWhen, DateAdd, Explode, Function, In, IsNotNull, IsNull, Literal, Not,
    WindowFunction, _cast_to, analysis_exception, duck_literal, duck_type, is_fractional, is_integral, is_numeric,
    is_string, quote_ident, wider_type,
)

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
register("ltrim")(simple("ltrim", T.StringType(), "ltrim({0}, ' ')", cast_args=_str))
register("rtrim")(simple("rtrim", T.StringType(), "rtrim({0}, ' ')", cast_args=_str))
register("initcap")(simple("initcap", T.StringType(),
                           lambda s: "array_to_string(list_transform(string_split(lower(%s), ' '), "
                                     "lambda w: upper(w[1:1]) || w[2:]), ' ')" % s, cast_args=_str))
register("reverse")(simple("reverse", T.StringType(), "reverse({0})", cast_args=_str))
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
register("soundex")(simple("soundex", T.StringType(), None, cast_args=_str))
register("levenshtein")(simple("levenshtein", T.IntegerType(), "CAST(levenshtein({0}, {1}) AS INTEGER)", arity=2,
                               cast_args=_str))
register("repeat")(simple("repeat", T.StringType(), "repeat({0}, {1})", arity=2))
register("instr")(simple("instr", T.IntegerType(), "CAST(instr({0}, {1}) AS INTEGER)", arity=2, cast_args=_str))
register("translate")(simple("translate", T.StringType(), "translate({0}, {1}, {2})", arity=3, cast_args=_str))
register("startswith")(simple("startswith", T.BooleanType(), "starts_with({0}, {1})", arity=2, cast_args=_str,
                              explain_name="StartsWith"))
register("endswith")(simple("endswith", T.BooleanType(), "ends_with({0}, {1})", arity=2, cast_args=_str,
                            explain_name="EndsWith"))
register("contains")(simple("contains", T.BooleanType(), "contains({0}, {1})", arity=2, cast_args=_str,
                            explain_name="Contains"))


@register("lpad", "rpad")
def _pad(args, name=None):
    raise NotImplementedError


def _padder(name):
    def build(args):
        _args(name, args, 2, 3)
        pad = args[2] if len(args) == 3 else Literal(" ")
        s, n = _str(args[0]), args[1]
        return Function(name, [s, n, pad], T.StringType(), duck="%s({0}, CAST({1} AS INTEGER), {2})" % name)
    return build


register("lpad")(_padder("lpad"))
register("rpad")(_padder("rpad"))


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


def _substr_builder(name):
    def build(args):
        _args(name, args, 2, 3)
        s = _str(args[0]) if not isinstance(args[0].dataType, T.BinaryType) else args[0]
        rest = [_cast_to(a, T.IntegerType()) for a in args[1:]]
        return Function(name, [s] + rest, s.dataType, duck=_substring_duck)
    return build


register("substring")(_substr_builder("substring"))
register("substr")(_substr_builder("substr"))


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


@register("rlike", "regexp", "regexp_like")
def _rlike(args):
    _args("rlike", args, 2)
    return Function("rlike", [_str(args[0]), _str(args[1])], T.BooleanType(),
                    sql_name="RLIKE(%s, %s)" % (args[0].sql(), args[1].sql()),
                    duck="regexp_matches({0}, {1})", explain_name="RLIKE")


def _like_pattern_duck(p):
    return p


@register("like")
def _like(args):
    _args("like", args, 2, 3)
    s, p = _str(args[0]), _str(args[1])
    return Function("like", [s, p], T.BooleanType(), sql_name="%s LIKE %s" % (args[0].sql(), args[1].sql()),
                    duck="({0} LIKE {1} ESCAPE '\\')")


@register("ilike")
def _ilike(args):
    s, p = _str(args[0]), _str(args[1])
    return Function("ilike", [s, p], T.BooleanType(), sql_name="ilike(%s, %s)" % (args[0].sql(), args[1].sql()),
                    duck="(lower({0}) LIKE lower({1}) ESCAPE '\\')")


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


@register("locate")
def _locate(args):
    _args("locate", args, 2, 3)
    pos = args[2] if len(args) == 3 else Literal(1)
    return Function("locate", [_str(args[0]), _str(args[1]), pos], T.IntegerType(),
                    duck="CAST(CASE WHEN {2} < 1 THEN 0 WHEN instr(substring({1}, {2}), {0}) = 0 THEN 0 "
                         "ELSE instr(substring({1}, {2}), {0}) + {2} - 1 END AS INTEGER)")


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
               ("log2", "CASE WHEN {0} <= 0 THEN NULL ELSE log2({0}) END"),
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
        return Function(name, [a], r, sql_name="%s(%s)" % (name.upper(), a.sql()),
                        duck="CAST(%s({0}) AS %s)" % (name, duck_type(r)), explain_name=name.upper())
    return build


register("floor")(_floor_ceil("floor"))
register("ceil", "ceiling")(_floor_ceil("ceil"))


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


@register("rand", "random")
def _rand(args):
    seed = args[0] if args else Literal(0, T.LongType())
    return Function("rand", [seed], T.DoubleType(), nullable=False, duck="random()", deterministic=False)


@register("randn")
def _randn(args):
    seed = args[0] if args else Literal(0, T.LongType())
    return Function("randn", [seed], T.DoubleType(), nullable=False,
                    duck="(sqrt(-2 * ln(random())) * cos(2 * pi() * random()))", deterministic=False)


@register("monotonically_increasing_id")
def _mono(args):
    return Function("monotonically_increasing_id", [], T.LongType(), nullable=False,
                    duck="(CAST(getvariable('sparklet_partition') AS BIGINT) * 8589934592 + row_number() OVER () - 1)",
                    deterministic=False)


@register("spark_partition_id")
def _spid(args):
    return Function("spark_partition_id", [], T.IntegerType(), nullable=False, sql_name="SPARK_PARTITION_ID()",
                    duck="CAST(getvariable('sparklet_partition') AS INTEGER)", deterministic=False)


@register("hash")
def _hash(args):
    return Function("hash", args, T.IntegerType(), nullable=False,
                    duck=lambda *xs: "spark_hash(%s)" % ", ".join(xs))


@register("crc32")
def _crc32(args):
    return Function("crc32", args, T.LongType(), duck="spark_crc32({0})")


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

def _java_datetime_format(fmt):
    """A Java DateTimeFormatter pattern as a strftime pattern (the letters courses use)."""
    out, i = "", 0
    table = [("yyyy", "%Y"), ("yy", "%y"), ("y", "%Y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%-m"),
             ("dd", "%d"), ("d", "%-d"), ("HH", "%H"), ("H", "%-H"), ("hh", "%I"), ("h", "%-I"), ("mm", "%M"),
             ("m", "%-M"), ("ss", "%S"), ("s", "%-S"), ("SSSSSS", "%f"), ("SSS", "%g"), ("a", "%p"), ("EEEE", "%A"),
             ("EEE", "%a"), ("E", "%a"), ("DDD", "%j"), ("D", "%-j"), ("XXX", "%z"), ("Z", "%z"), ("z", "%Z")]
    while i < len(fmt):
        if fmt[i] == "'":
            j = fmt.find("'", i + 1)
            j = len(fmt) if j < 0 else j
            out += fmt[i + 1:j].replace("%", "%%") or "'"
            i = j + 1
            continue
        for k, v in table:
            if fmt.startswith(k, i):
                out += v
                i += len(k)
                break
        else:
            out += "%%" if fmt[i] == "%" else fmt[i]
            i += 1
    return out


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
    return Function("months_between", [_cast_to(args[0], T.TimestampType()), _cast_to(args[1], T.TimestampType()), rnd],
                    T.DoubleType(), duck=lambda a, b, r: (
                        "round((year(%s) - year(%s)) * 12 + month(%s) - month(%s) + "
                        "CASE WHEN day(%s) = day(%s) OR (%s = last_day(%s) AND %s = last_day(%s)) THEN 0 ELSE "
                        "((day(%s) - day(%s)) * 86400 + epoch(%s::TIME) - epoch(%s::TIME)) / (31.0 * 86400) END, 8)"
                        % (a, b, a, b, a, b, "CAST(%s AS DATE)" % a, a, "CAST(%s AS DATE)" % b, b, a, b, a, b)))


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


# ---------------------------------------------------------------------------------------------
# collections

@register("size", "cardinality")
def _size(args):
    _args("size", args, 1)
    t = args[0].dataType
    return Function("size", args, T.IntegerType(), duck="CAST(%s({0}) AS INTEGER)" % (
        "cardinality" if isinstance(t, T.MapType) else "len"))


@register("array_contains")
def _array_contains(args):
    _args("array_contains", args, 2)
    arr, v = args
    if not isinstance(arr.dataType, T.ArrayType):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident(
            "array_contains(%s, %s)" % (arr.sql(), v.sql())), paramIndex="first", requiredType='"ARRAY"',
            inputSql=quote_ident(arr.sql()), inputType='"%s"' % arr.dataType.simpleString().upper())
    v = _cast_to(v, arr.dataType.elementType)
    return Function("array_contains", [arr, v], T.BooleanType(),
                    duck="CASE WHEN {0} IS NULL OR {1} IS NULL THEN NULL WHEN list_contains({0}, {1}) THEN TRUE "
                         "WHEN list_contains(list_transform({0}, lambda x: x IS NULL), TRUE) THEN NULL ELSE FALSE END")


@register("array")
def _array(args):
    w = T.NullType()
    for a in args:
        w = wider_type(w, a.dataType) or w
    if isinstance(w, T.NullType) and not args:
        w = T.StringType()
    args = [_cast_to(a, w) for a in args]
    return Function("array", args, T.ArrayType(w, any(a.nullable for a in args)), nullable=False,
                    duck=lambda *xs: "[%s]" % ", ".join(xs) if xs else "CAST([] AS VARCHAR[])")


@register("struct")
def _struct(args):
    from .expressions import Alias, AttributeReference
    fields, kids = [], []
    for i, a in enumerate(args):
        name = a.name if isinstance(a, (Alias, AttributeReference)) else "col%d" % (i + 1)
        fields.append(T.StructField(name, a.dataType, a.nullable))
        kids.append(a)
    t = T.StructType(fields)
    names = [f.name for f in fields]
    return Function("struct", kids, t, nullable=False,
                    duck=lambda *xs: "struct_pack(%s)" % ", ".join('"%s" := %s' % (n.replace('"', '""'), x)
                                                                  for n, x in zip(names, xs)))


@register("named_struct")
def _named_struct(args):
    """``named_struct(name1, value1, ...)``: the names are string literals."""
    from .expressions import Alias
    if len(args) % 2:
        raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`named_struct`",
                                 expectedNum="2n (n > 0)", actualNum=str(len(args)),
                                 docroot="https://spark.apache.org/docs/latest")
    names = [_lit_value(n) for n in args[0::2]]
    values = [Alias(v, str(n)) for n, v in zip(names, args[1::2])]
    f = _struct(values)
    f.sql_name = "named_struct(%s)" % ", ".join(a.sql() for a in args)
    return f


@register("map", "create_map")
def _map(args):
    ks, vs = args[0::2], args[1::2]
    kt = T.NullType()
    vt = T.NullType()
    for k in ks:
        kt = wider_type(kt, k.dataType) or kt
    for v in vs:
        vt = wider_type(vt, v.dataType) or vt
    ks = [_cast_to(k, kt) for k in ks]
    vs = [_cast_to(v, vt) for v in vs]
    kids = [x for kv in zip(ks, vs) for x in kv]
    return Function("map", kids, T.MapType(kt, vt, any(v.nullable for v in vs)), nullable=False,
                    duck=lambda *xs: "map([%s], [%s])" % (", ".join(xs[0::2]), ", ".join(xs[1::2])))


@register("sort_array")
def _sort_array(args):
    asc = args[1] if len(args) > 1 else Literal(True)
    return Function("sort_array", [args[0], asc], args[0].dataType,
                    duck=lambda a, o: "list_sort(%s, '%s', '%s')" % (a, "ASC" if asc.value else "DESC",
                                                                     "NULLS FIRST" if asc.value else "NULLS LAST"))


@register("array_distinct")
def _array_distinct(args):
    return Function("array_distinct", args, args[0].dataType,
                    duck="list_filter(list_transform(generate_series(1, len({0})), lambda i: CASE WHEN "
                         "list_position({0}[1:i-1], {0}[i]) IS NULL AND NOT ({0}[i] IS NULL AND i > 1 AND "
                         "list_contains(list_transform({0}[1:i-1], lambda z: z IS NULL), TRUE)) THEN [{0}[i]] ELSE [] END), "
                         "lambda x: true)")


@register("element_at")
def _element_at(args):
    a, i = args
    if isinstance(a.dataType, T.MapType):
        return Function("element_at", args, a.dataType.valueType, duck="element_at({0}, {1})[1]")
    return Function("element_at", args, a.dataType.elementType, nullable=True,
                    duck="CASE WHEN {1} > 0 THEN {0}[{1}] ELSE {0}[len({0}) + {1} + 1] END")


@register("array_join")
def _array_join(args):
    sep = args[1]
    return Function("array_join", args, T.StringType(), duck="array_to_string({0}, {1})")


@register("array_max")
def _array_max(args):
    return Function("array_max", args, args[0].dataType.elementType, nullable=True, duck="list_max({0})")


@register("array_min")
def _array_min(args):
    return Function("array_min", args, args[0].dataType.elementType, nullable=True, duck="list_min({0})")


@register("array_position")
def _array_position(args):
    return Function("array_position", [args[0], _cast_to(args[1], args[0].dataType.elementType)], T.LongType(),
                    duck="CAST(coalesce(list_position({0}, {1}), 0) AS BIGINT)")


@register("array_remove")
def _array_remove(args):
    return Function("array_remove", [args[0], _cast_to(args[1], args[0].dataType.elementType)], args[0].dataType,
                    duck="list_filter({0}, lambda x: x IS NULL OR x <> {1})")


@register("flatten")
def _flatten(args):
    return Function("flatten", args, args[0].dataType.elementType, duck="flatten({0})")


@register("map_keys")
def _map_keys(args):
    t = args[0].dataType
    return Function("map_keys", args, T.ArrayType(t.keyType, False), duck="map_keys({0})")


@register("map_values")
def _map_values(args):
    t = args[0].dataType
    return Function("map_values", args, T.ArrayType(t.valueType, t.valueContainsNull), duck="map_values({0})")


@register("array_union")
def _array_union(args):
    return Function("array_union", args, args[0].dataType, duck="list_distinct(list_concat({0}, {1}))")


@register("slice")
def _slice(args):
    return Function("slice", args, args[0].dataType,
                    duck="CASE WHEN {1} > 0 THEN {0}[{1}:{1} + {2} - 1] ELSE {0}[len({0}) + {1} + 1:len({0}) + {1} + {2}] END")


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
    register(_k)(_numeric_arg(_agg(_k, T.DoubleType())))
register("stddev", "std")(_numeric_arg(_agg("stddev_samp", T.DoubleType(), name="stddev")))
register("variance")(_numeric_arg(_agg("var_samp", T.DoubleType(), name="variance")))
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
