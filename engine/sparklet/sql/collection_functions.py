"""Spark's collection functions: arrays, maps, structs, higher-order functions and generators.

Each builder is registered in ``function_registry`` (the same table SQL text and
``pyspark.sql.functions`` use) and returns a resolved expression with Spark 4's result type,
generated name and NULL rules, evaluated by the per-partition engine (DuckDB lists, maps and
structs over Arrow).

Higher-order functions (``transform``, ``filter``, ``aggregate``, ...) take a lambda: a Python
function over Columns (``F.transform("xs", lambda x: x * 2)``) or SQL's ``x -> x * 2``. Both build
an unresolved lambda whose variables are bound when the function resolves, as Spark's analyzer
binds them once the argument types are known; each variable prints as
``namedlambdavariable()``, as Spark names it, and becomes a DuckDB lambda parameter.

>>> from sparklet.sql import functions as F
>>> df = spark.createDataFrame([([1, 2, 3],)], ["xs"])
>>> df.select(F.transform("xs", lambda x: x * 2)).columns
['transform(xs, lambdafunction((namedlambdavariable() * 2), namedlambdavariable()))']
"""

import itertools

from . import types as T
from .expressions import (
    Cast, Explode, Expression, Function, LeafExpression, Literal, PythonUDF, UnresolvedExpression, _cast_to, analysis_exception,
    duck_literal, duck_type, is_integral, is_string, new_id, quote_ident, wider_type,
)
from .function_registry import _args, _lit_value, _str, register

_lambda_names = itertools.count()
_params = itertools.count()


def _v():
    """A fresh DuckDB lambda parameter: templates nest inside each other's lambdas, so none may
    shadow a parameter the text it wraps still reads."""
    return "__p%d" % next(_params)


def _conf(key, default):
    from .session import SparkSession
    s = SparkSession.getActiveSession()
    return default if s is None else s.conf.get(key, default)


# ---------------------------------------------------------------------------------------------
# lambdas


class NamedLambdaVariable(LeafExpression):
    """A lambda's parameter once its type is known; resolves like a column inside the body."""
    resolved = True
    qualifier = ()

    def __init__(self, name, dataType, nullable=True):
        self._name = name
        self.dataType = dataType
        self.nullable = nullable
        self.expr_id = new_id()
        self.param = "lv%d" % self.expr_id
        # what the body's DuckDB SQL reads for it (a struct field, an index shifted to 0-based)
        self.duck_sql = self.param

    @property
    def name(self):
        return self._name

    def resolve(self, scope):
        return self

    def sql(self):
        return "namedlambdavariable()"

    def explain(self):
        return "lambda %s#%d%s" % (self._name, self.expr_id, "L" if isinstance(self.dataType, T.LongType) else "")

    def duck(self):
        return self.duck_sql

    def references(self):
        return []


class UnresolvedLambdaVariable(LeafExpression):
    """A parameter of a Python lambda (``lambda x: ...`` is called with one of these)."""

    def __init__(self, name):
        self.var_name = name

    def resolve(self, scope):
        return scope.resolve_name([self.var_name])

    def sql(self):
        return self.var_name


class LambdaFunction(Expression):
    resolved = True
    foldable = False

    def __init__(self, body, variables):
        self.children = (body,) + tuple(variables)

    @property
    def body(self):
        return self.children[0]

    @property
    def variables(self):
        return self.children[1:]

    def with_children(self, children):
        return LambdaFunction(children[0], children[1:])

    @property
    def dataType(self):
        return self.body.dataType

    @property
    def nullable(self):
        return self.body.nullable

    def sql(self):
        return "lambdafunction(%s)" % ", ".join(c.sql() for c in self.children)

    def explain(self):
        return "lambdafunction(%s, false)" % ", ".join(c.explain() for c in self.children)

    def duck(self):
        return "lambda %s: %s" % (", ".join(v.param for v in self.variables), self.body.duck())


class _BoundLater:
    """A resolved-to-be lambda: its body resolves once the function knows its parameters' types."""

    def __init__(self, names, body, scope):
        self.names, self.body, self.scope = names, body, scope
        self.resolved = False
        self.children = ()

    def bind(self, fname, params, lo=None):
        """The LambdaFunction over parameters ``[(dataType, nullable), ...]``; a lambda may take
        from ``lo`` parameters (default: all) up to ``len(params)``."""
        from .plan import Scope
        lo = len(params) if lo is None else lo
        if not lo <= len(self.names) <= len(params):
            # Spark words it from the lambda's side: its parameters against what the function passes
            raise analysis_exception(
                "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH", expectedNumArgs=len(self.names),
                actualNumArgs=lo)
        variables = [NamedLambdaVariable(n, t, nl) for n, (t, nl) in zip(self.names, params)]
        inner = Scope(variables, outer=self.scope, plan=getattr(self.scope, "plan", None))
        inner.aggregate_ok = getattr(self.scope, "aggregate_ok", False)
        return LambdaFunction(self.body.resolve(inner), variables)

    def sql(self):
        return "lambdafunction(%s)" % self.body.sql()


class UnresolvedLambda(UnresolvedExpression):
    """``x -> x * 2`` or a Python lambda's body over its parameters' names."""

    def __init__(self, body, names):
        self.children = (body,)
        self.names = list(names)
        self.label = None

    def with_children(self, children):
        return UnresolvedLambda(children[0], self.names)

    def resolve(self, scope):
        return _BoundLater(self.names, self.children[0], scope)

    def sql(self):
        return "lambdafunction(%s, %s)" % (self.children[0].sql(), ", ".join("namedlambdavariable()" for _ in self.names))


def python_lambda(f):
    """The unresolved lambda of a Python function over Columns, checked as PySpark checks it."""
    import inspect
    from ..errors import PySparkValueError
    from .column import Column
    params = list(inspect.signature(f).parameters.values())
    if not 1 <= len(params) <= 3:
        raise PySparkValueError(errorClass="WRONG_NUM_ARGS_FOR_HIGHER_ORDER_FUNCTION",
                                messageParameters={"func_name": f.__name__, "num_args": str(len(params))})
    if not all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
        raise PySparkValueError(errorClass="UNSUPPORTED_PARAM_TYPE_FOR_HIGHER_ORDER_FUNCTION",
                                messageParameters={"func_name": f.__name__})
    names = ["%s_%d" % (n, next(_lambda_names)) for n in ["x", "y", "z"][:len(params)]]
    result = f(*[Column(UnresolvedLambdaVariable(n), n) for n in names])
    if not isinstance(result, Column):
        raise PySparkValueError(errorClass="HIGHER_ORDER_FUNCTION_SHOULD_RETURN_COLUMN",
                                messageParameters={"func_name": f.__name__, "return_type": type(result).__name__})
    lam = UnresolvedLambda(result._expr, names)
    # PySpark's repr of a lambda argument: `x_1 -> *(x_1, 2)`, `(x_1, y_2) -> ...`
    lam.repr_text = "%s -> %s" % (names[0] if len(names) == 1 else "(%s)" % ", ".join(names), result._repr)
    return lam


def _lambda_arg(name, args, i):
    a = args[i] if i < len(args) else None
    if not isinstance(a, _BoundLater):
        raise analysis_exception("INVALID_LAMBDA_FUNCTION_CALL.NON_HIGHER_ORDER_FUNCTION", class_=name)
    return a


# ---------------------------------------------------------------------------------------------
# type checks


def _q(sql):
    """An expression as Spark's messages quote it (toSQLExpr: in double quotes)."""
    return '"%s"' % sql


def _type_name(t):
    return '"%s"' % t.simpleString().upper()


def _require(name, args, i, cls, required):
    t = args[i].dataType
    if isinstance(t, T.NullType):
        return
    if not isinstance(t, cls):
        sql = "%s(%s)" % (name, ", ".join(a.sql() for a in args))
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(sql),
                                 paramIndex=["first", "second", "third", "fourth"][i], requiredType=required,
                                 inputSql=_q(args[i].sql()), inputType=_type_name(t))


def _array_arg(name, args, i=0):
    _require(name, args, i, T.ArrayType, '"ARRAY"')
    t = args[i].dataType
    return t if isinstance(t, T.ArrayType) else T.ArrayType(T.NullType(), True)


def _map_arg(name, args, i=0):
    _require(name, args, i, T.MapType, '"MAP"')
    t = args[i].dataType
    return t if isinstance(t, T.MapType) else T.MapType(T.NullType(), T.NullType(), True)


def _null_if_any(xs, body):
    """Spark's default NULL rule (NULL in, NULL out) around DuckDB SQL that would not keep it."""
    return "CASE WHEN %s THEN NULL ELSE %s END" % (" OR ".join("(%s) IS NULL" % x for x in xs), body)


def _fn(name, args, dataType, duck, nullable=None, sql_name=None, name_args=None):
    return Function(name, args, dataType, nullable, sql_name=sql_name, duck=duck, name_args=name_args)


def _same_element(name, arr, value):
    """The array and the value cast to their common element type (Spark's implicit coercion)."""
    et = arr.dataType.elementType if isinstance(arr.dataType, T.ArrayType) else T.NullType()
    w = wider_type(et, value.dataType)
    if w is None:
        raise analysis_exception(
            "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
            sqlExpr=_q("%s(%s, %s)" % (name, arr.sql(), value.sql())), functionName=quote_ident(name),
            dataType='"ARRAY"', leftType=_type_name(arr.dataType), rightType=_type_name(value.dataType))
    return _cast_to(arr, T.ArrayType(w, arr.dataType.containsNull)) if w != et else arr, _cast_to(value, w), w


def _same_arrays(name, a, b):
    _array_arg(name, [a, b], 0)
    _array_arg(name, [a, b], 1)
    ta, tb = a.dataType, b.dataType
    w = wider_type(ta.elementType, tb.elementType)
    if w is None:
        raise analysis_exception(
            "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES", sqlExpr=_q("%s(%s, %s)" % (name, a.sql(), b.sql())),
            functionName=quote_ident(name), arrayType='"ARRAY"', leftType=_type_name(ta), rightType=_type_name(tb))
    return (_cast_to(a, T.ArrayType(w, ta.containsNull)), _cast_to(b, T.ArrayType(w, tb.containsNull)), w)


# ---------------------------------------------------------------------------------------------
# arrays


def _distinct_sql(a):
    # the first occurrence of each element in order, one NULL kept (list_position matches NULL)
    x, i = _v(), _v()
    return "list_filter(%s, lambda %s, %s: list_position((%s)[1:%s - 1], %s) IS NULL)" % (a, x, i, a, i, x)


@register("array_distinct")
def _array_distinct(args):
    _args("array_distinct", args, 1)
    _array_arg("array_distinct", args)
    return _fn("array_distinct", args, args[0].dataType, _distinct_sql)


@register("array_union")
def _array_union(args):
    _args("array_union", args, 2)
    a, b, w = _same_arrays("array_union", *args)
    t = T.ArrayType(w, a.dataType.containsNull or b.dataType.containsNull)
    return _fn("array_union", [a, b], t, lambda x, y: _null_if_any([x, y], _distinct_sql("list_concat(%s, %s)" % (x, y))))


@register("array_intersect")
def _array_intersect(args):
    _args("array_intersect", args, 2)
    a, b, w = _same_arrays("array_intersect", *args)
    t = T.ArrayType(w, a.dataType.containsNull and b.dataType.containsNull)
    return _fn("array_intersect", [a, b], t, lambda x, y: _member(x, y, "IS NOT NULL"))


@register("array_except")
def _array_except(args):
    _args("array_except", args, 2)
    a, b, w = _same_arrays("array_except", *args)
    return _fn("array_except", [a, b], T.ArrayType(w, a.dataType.containsNull), lambda x, y: _member(x, y, "IS NULL"))


def _member(x, y, test):
    e = _v()
    return _distinct_sql("list_filter(%s, lambda %s: list_position(%s, %s) %s)" % (x, e, y, e, test))


@register("arrays_overlap")
def _arrays_overlap(args):
    _args("arrays_overlap", args, 2)
    a, b, w = _same_arrays("arrays_overlap", *args)
    def duck(x, y):
        e = _v()
        return ("CASE WHEN %s IS NULL OR %s IS NULL THEN NULL "
                "WHEN len(list_filter(%s, lambda %s: %s IS NOT NULL AND list_position(%s, %s) IS NOT NULL)) > 0 THEN TRUE "
                "WHEN len(%s) > 0 AND len(%s) > 0 AND (list_position(%s, NULL) IS NOT NULL OR "
                "list_position(%s, NULL) IS NOT NULL) THEN NULL ELSE FALSE END" % (x, y, x, e, e, y, e, x, y, x, y))
    return _fn("arrays_overlap", [a, b], T.BooleanType(), duck)


def _append(name, prepend):
    def build(args):
        _args(name, args, 2)
        _array_arg(name, args)
        arr, v, w = _same_element(name, args[0], args[1])
        t = T.ArrayType(w, arr.dataType.containsNull or v.nullable)
        if prepend:
            return _fn(name, [arr, v], t, lambda a, x: "CASE WHEN %s IS NULL THEN NULL ELSE list_prepend(%s, %s) END" % (
                a, x, a), nullable=arr.nullable, name_args=args)
        return _fn(name, [arr, v], t, lambda a, x: "CASE WHEN %s IS NULL THEN NULL ELSE list_append(%s, %s) END" % (
            a, a, x), nullable=arr.nullable, name_args=args)
    return build


register("array_append")(_append("array_append", False))
register("array_prepend")(_append("array_prepend", True))


@register("array_compact")
def _array_compact(args):
    _args("array_compact", args, 1)
    t = _array_arg("array_compact", args)
    return _fn("array_compact", args, T.ArrayType(t.elementType, False),
               lambda a: "list_filter(%s, lambda %s: %s IS NOT NULL)" % ((a,) + (_v(),) * 2))


@register("array_insert")
def _array_insert(args):
    _args("array_insert", args, 3)
    _array_arg("array_insert", args)
    arr, v, w = _same_element("array_insert", args[0], args[2])
    pos = _cast_to(args[1], T.IntegerType())
    t = T.ArrayType(w, True)

    def duck(a, p, x):
        # a positive position past the end pads with NULLs; a negative one counts from the end
        # (-1 appends) and pads at the front when it reaches before the first element
        n = "len(%s)" % a
        null = "CAST(NULL AS %s)" % duck_type(w)
        pad = "list_transform(range(%%s), lambda %s: %s)" % (_v(), null)
        pos_case = (
            "CASE WHEN %(p)s = 0 THEN error('INVALID_INDEX_OF_ZERO|') "
            "WHEN %(p)s > 0 AND %(p)s <= %(n)s + 1 THEN list_concat((%(a)s)[1:%(p)s - 1], [%(x)s], (%(a)s)[%(p)s:]) "
            "WHEN %(p)s > 0 THEN list_concat(%(a)s, %(padr)s, [%(x)s]) "
            "WHEN -%(p)s <= %(n)s THEN list_concat((%(a)s)[1:%(n)s + %(p)s + 1], [%(x)s], (%(a)s)[%(n)s + %(p)s + 2:]) "
            "ELSE list_concat([%(x)s], %(padl)s, %(a)s) END" % dict(
                p=p, n=n, a=a, x=x, padr=pad % ("%s - %s - 1" % (p, n)), padl=pad % ("-%s - %s - 1" % (p, n))))
        return _null_if_any([a, p], pos_case)
    return _fn("array_insert", [arr, pos, v], t, duck, nullable=arr.nullable or pos.nullable, name_args=args)


@register("array_join")
def _array_join(args):
    _args("array_join", args, 2, 3)
    t = _array_arg("array_join", args)
    arr = _cast_to(args[0], T.ArrayType(T.StringType(), t.containsNull)) if not is_string(t.elementType) else args[0]
    rest = [_str(a) for a in args[1:]]

    def duck(a, d, r=None):
        e = _v()
        items = "list_filter(%s, lambda %s: %s IS NOT NULL)" % (a, e, e) if r is None else \
            "list_transform(%s, lambda %s: coalesce(%s, %s))" % (a, e, e, r)
        return _null_if_any([a, d] + ([r] if r is not None else []), "array_to_string(%s, %s)" % (items, d))
    return _fn("array_join", [arr] + rest, T.StringType(), duck, name_args=args)


def _extreme(name, fn):
    def build(args):
        _args(name, args, 1)
        t = _array_arg(name, args)
        return _fn(name, args, t.elementType, "%s({0})" % fn, nullable=True)
    return build


register("array_max")(_extreme("array_max", "list_max"))
register("array_min")(_extreme("array_min", "list_min"))


@register("array_repeat")
def _array_repeat(args):
    _args("array_repeat", args, 2)
    e, n = args[0], _cast_to(args[1], T.IntegerType())
    return _fn("array_repeat", [e, n], T.ArrayType(e.dataType, e.nullable),
               lambda x, k: "CASE WHEN %s IS NULL THEN NULL ELSE list_transform(range(greatest(%s, 0)), lambda %s: %s) END"
               % (k, k, _v(), x), nullable=n.nullable, name_args=args)


@register("array_size")
def _array_size(args):
    _args("array_size", args, 1)
    _array_arg("array_size", args)
    return _fn("array_size", args, T.IntegerType(), "CAST(len({0}) AS INTEGER)")


def _size(name):
    def build(args):
        _args(name, args, 1)
        t = args[0].dataType
        if not isinstance(t, (T.ArrayType, T.MapType, T.NullType)):
            _require(name, args, 0, (T.ArrayType, T.MapType), '("ARRAY" or "MAP")')
        if isinstance(t, T.NullType):
            return _fn(name, args, T.IntegerType(), "CAST(NULL AS INTEGER)")
        return _fn(name, args, T.IntegerType(), "CAST(%s({0}) AS INTEGER)" % (
            "cardinality" if isinstance(t, T.MapType) else "len"))
    return build


register("size")(_size("size"))
register("cardinality")(_size("cardinality"))


def _sort_sql(a, ascending, nulls_first):
    return "list_sort(%s, '%s', '%s')" % (a, "ASC" if ascending else "DESC", "NULLS FIRST" if nulls_first else "NULLS LAST")


@register("sort_array")
def _sort_array(args):
    _args("sort_array", args, 1, 2)
    _array_arg("sort_array", args)
    asc = args[1] if len(args) > 1 else Literal(True)
    up = bool(_lit_value(asc, "ascendingOrder"))
    return _fn("sort_array", [args[0], asc], args[0].dataType, lambda a, o: _sort_sql(a, up, up),
               nullable=args[0].nullable)


@register("array_sort")
def _array_sort(args):
    _args("array_sort", args, 1, 2)
    t = _array_arg("array_sort", args)
    if len(args) == 1:
        return _fn("array_sort", args, t, lambda a: _sort_sql(a, True, False))
    f = _lambda_arg("array_sort", args, 1).bind("array_sort", [(t.elementType, True), (t.elementType, True)])
    left, right = f.variables

    def duck(a, fn):
        # a stable sort by the comparator: each element's rank is the number of elements that
        # sort before it (smaller, or equal and earlier)
        x, i, y, j, s = _v(), _v(), _v(), _v(), _v()
        left.duck_sql, right.duck_sql = y, x
        cmp = f.body.duck()
        rank = "len(list_filter(%s, lambda %s, %s: (%s) < 0 OR ((%s) = 0 AND %s < %s)))" % (a, y, j, cmp, cmp, j, i)
        return ("list_transform(list_sort(list_transform(%s, lambda %s, %s: {'r': %s, 'v': %s})), lambda %s: %s.v)"
                % (a, x, i, rank, x, s, s))
    return _fn("array_sort", [args[0], f], t, duck, nullable=args[0].nullable)


@register("arrays_zip")
def _arrays_zip(args):
    from .expressions import Alias, AttributeReference, ExtractField
    for i in range(len(args)):
        _require("arrays_zip", args, i, T.ArrayType, '"ARRAY"')
    names = []
    for i, a in enumerate(args):
        if isinstance(a, (AttributeReference, Alias)):
            names.append(a.name)
        elif isinstance(a, ExtractField) and a.field_name is not None:
            names.append(a.field_name)
        else:
            names.append(str(i))
    t = T.ArrayType(T.StructType([T.StructField(n, a.dataType.elementType, True) for n, a in zip(names, args)]), False)

    def duck(*xs):
        if not xs:
            return "[]"
        n = "greatest(%s)" % ", ".join("len(%s)" % x for x in xs)
        i = _v()
        body = "{%s}" % ", ".join("'%s': (%s)[%s]" % (nm.replace("'", "''"), x, i) for nm, x in zip(names, xs))
        return _null_if_any(xs, "list_transform(range(1, %s + 1), lambda %s: %s)" % (n, i, body))
    return _fn("arrays_zip", args, t, duck, nullable=any(a.nullable for a in args))


@register("flatten")
def _flatten(args):
    _args("flatten", args, 1)
    t = _array_arg("flatten", args)
    if not isinstance(t.elementType, T.ArrayType):
        _require("flatten", args, 0, type(None), '"ARRAY" of "ARRAY"')
    inner = t.elementType
    return _fn("flatten", args, T.ArrayType(inner.elementType, inner.containsNull),
               lambda a: "CASE WHEN %s IS NULL OR list_position(%s, NULL) IS NOT NULL THEN NULL ELSE flatten(%s) END"
               % (a, a, a), nullable=args[0].nullable or t.containsNull)


@register("get")
def _get(args):
    _args("get", args, 2)
    t = _array_arg("get", args)
    i = _cast_to(args[1], T.IntegerType())
    return _fn("get", [args[0], i], t.elementType, lambda a, k: (
        "CASE WHEN %s < 0 OR %s >= len(%s) THEN NULL ELSE (%s)[%s + 1] END" % (k, k, a, a, k)), nullable=True,
        name_args=args)


def _element_at(name, strict):
    def build(args):
        _args(name, args, 2)
        a = args[0]
        if isinstance(a.dataType, T.MapType):
            k = _cast_to(args[1], a.dataType.keyType)
            return _fn(name, [a, k], a.dataType.valueType, "({0})[{1}]", nullable=True, name_args=args)
        t = _array_arg(name, args)
        i = _cast_to(args[1], T.IntegerType())
        out_of_range = "NULL"
        if strict:
            out_of_range = ("error('INVALID_ARRAY_INDEX_IN_ELEMENT_AT|The index ' || %s || ' is out of bounds. "
                            "The array has ' || len(%s) || ' elements. Use `try_element_at` to tolerate accessing element at invalid "
                            "index and return NULL instead.')")

        def duck(x, k):
            oor = out_of_range % (k, x) if strict else out_of_range
            return ("CASE WHEN %s = 0 THEN error('INVALID_INDEX_OF_ZERO|') WHEN abs(%s) > len(%s) THEN %s "
                    "WHEN %s > 0 THEN (%s)[%s] ELSE (%s)[len(%s) + %s + 1] END" % (k, k, x, oor, k, x, k, x, x, k))
        return _fn(name, [a, i], t.elementType, duck, nullable=True, name_args=args)
    return build


register("element_at")(_element_at("element_at", True))
register("try_element_at")(_element_at("try_element_at", False))


@register("sequence")
def _sequence(args):
    _args("sequence", args, 2, 3)
    w = T.NullType()
    for a in args:
        w = wider_type(w, a.dataType) or w
    if not is_integral(w):
        _require("sequence", args, 0, (T.ByteType, T.ShortType, T.IntegerType, T.LongType), '"INTEGRAL"')
    xs = [_cast_to(a, w) for a in args]

    def duck(start, stop, step=None):
        if step is None:
            step = "CASE WHEN %s <= %s THEN 1 ELSE -1 END" % (start, stop)
        body = ("CASE WHEN (%(step)s > 0 AND %(start)s > %(stop)s) OR (%(step)s < 0 AND %(start)s < %(stop)s) "
                "OR (%(step)s = 0 AND %(start)s <> %(stop)s) "
                "THEN error('ILLEGAL_SEQUENCE_BOUNDARY|Illegal sequence boundaries: ' || %(start)s || ' to ' || "
                "%(stop)s || ' by ' || %(step)s) WHEN %(step)s = 0 THEN [%(start)s] "
                "ELSE CAST(generate_series(%(start)s, %(stop)s, %(step)s) AS %(t)s[]) END"
                % dict(start=start, stop=stop, step=step, t=duck_type(w)))
        return _null_if_any([start, stop] + ([step] if len(xs) == 3 else []), body)
    return _fn("sequence", xs, T.ArrayType(w, False), duck, name_args=args)


@register("slice")
def _slice(args):
    _args("slice", args, 3)
    _array_arg("slice", args)
    s, n = _cast_to(args[1], T.IntegerType()), _cast_to(args[2], T.IntegerType())
    return _fn("slice", [args[0], s, n], args[0].dataType, lambda a, st, ln: _null_if_any([a, st, ln], (
        "CASE WHEN %(st)s = 0 THEN error('INVALID_PARAMETER_VALUE.START|') "
        "WHEN %(ln)s < 0 THEN error('INVALID_PARAMETER_VALUE.LENGTH|') "
        "WHEN %(st)s > 0 THEN (%(a)s)[%(st)s:%(st)s + %(ln)s - 1] "
        "WHEN len(%(a)s) + %(st)s < 0 THEN (%(a)s)[1:0] "
        "ELSE (%(a)s)[len(%(a)s) + %(st)s + 1:len(%(a)s) + %(st)s + %(ln)s] END" % dict(a=a, st=st, ln=ln))),
        name_args=args)


@register("array_position")
def _array_position(args):
    _args("array_position", args, 2)
    _array_arg("array_position", args)
    arr, v, _ = _same_element("array_position", args[0], args[1])
    return _fn("array_position", [arr, v], T.LongType(), lambda a, x: _null_if_any(
        [a, x], "CAST(coalesce(list_position(%s, %s), 0) AS BIGINT)" % (a, x)), name_args=args)


@register("array_remove")
def _array_remove(args):
    _args("array_remove", args, 2)
    _array_arg("array_remove", args)
    arr, v, _ = _same_element("array_remove", args[0], args[1])
    def duck(a, x):
        e = _v()
        return _null_if_any([a, x], "list_filter(%s, lambda %s: %s IS NULL OR %s <> %s)" % (a, e, e, e, x))
    return _fn("array_remove", [arr, v], arr.dataType, duck, name_args=args)


# ---------------------------------------------------------------------------------------------
# maps and structs


@register("array_contains")
def _array_contains(args):
    _args("array_contains", args, 2)
    arr, v = args
    if not isinstance(arr.dataType, T.ArrayType):
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(
            "array_contains(%s, %s)" % (arr.sql(), v.sql())), paramIndex="first", requiredType='"ARRAY"',
            inputSql=_q(arr.sql()), inputType='"%s"' % arr.dataType.simpleString().upper())
    if isinstance(v.dataType, T.NullType) or isinstance(arr.dataType.elementType, T.NullType):
        raise analysis_exception("DATATYPE_MISMATCH.NULL_TYPE", sqlExpr=_q("array_contains(%s, %s)" % (arr.sql(), v.sql())),
                                 functionName=quote_ident("array_contains"))
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

    def duck(*xs):
        if not xs:
            return "MAP {}"
        keys = "[%s]" % ", ".join(xs[0::2])
        # one-entry maps concatenated: a repeated key keeps its first position and last value
        singles = ["map([%s], [%s])" % kv for kv in zip(xs[0::2], xs[1::2])]
        merged = "map_concat(%s)" % ", ".join(singles) if len(singles) > 1 else singles[0]
        return ("CASE WHEN list_position(%s, NULL) IS NOT NULL THEN error('NULL_MAP_KEY|Cannot use null as map key.') "
                "ELSE %s END" % (keys, _dedup_check(merged, keys)))
    return Function("map", kids, T.MapType(kt, vt, any(v.nullable for v in vs)), nullable=False, duck=duck)


@register("map_keys")
def _map_keys(args):
    _args("map_keys", args, 1)
    t = _map_arg("map_keys", args)
    return _fn("map_keys", args, T.ArrayType(t.keyType, False), "map_keys({0})")


@register("map_values")
def _map_values(args):
    _args("map_values", args, 1)
    t = _map_arg("map_values", args)
    return _fn("map_values", args, T.ArrayType(t.valueType, t.valueContainsNull), "map_values({0})")


def _entry_type(t):
    return T.StructType([T.StructField("key", t.keyType, False), T.StructField("value", t.valueType, t.valueContainsNull)])


@register("map_entries")
def _map_entries(args):
    _args("map_entries", args, 1)
    t = _map_arg("map_entries", args)
    return _fn("map_entries", args, T.ArrayType(_entry_type(t), False), "map_entries({0})")


@register("map_contains_key")
def _map_contains_key(args):
    _args("map_contains_key", args, 2)
    t = _map_arg("map_contains_key", args)
    k = _cast_to(args[1], t.keyType)
    return _fn("map_contains_key", [args[0], k], T.BooleanType(),
               lambda m, x: _null_if_any([m, x], "map_contains(%s, %s)" % (m, x)), name_args=args)


def _dedup_check(result, keys):
    """`result` (a map built from the list of `keys`), or Spark's DUPLICATED_MAP_KEY error naming
    the first repeated key under the default spark.sql.mapKeyDedupPolicy=EXCEPTION (LAST_WIN keeps
    the last value, at the key's first position, as DuckDB's map builders do)."""
    if str(_conf("spark.sql.mapKeyDedupPolicy", "EXCEPTION")).upper() == "LAST_WIN":
        return result
    k, i = _v(), _v()
    dup = "CAST(list_filter(%s, lambda %s, %s: list_position(%s, %s) < %s)[1] AS VARCHAR)" % (keys, k, i, keys, k, i)
    return ("CASE WHEN len(list_distinct(%s)) < len(%s) THEN error('DUPLICATED_MAP_KEY|Duplicate map key ' || %s || "
            "' was found, please check the input data.') ELSE %s END" % (keys, keys, dup, result))


@register("map_concat")
def _map_concat(args):
    if not args:
        return _fn("map_concat", [], T.MapType(T.StringType(), T.StringType(), False), "MAP {}", nullable=False)
    kt, vt, vn = T.NullType(), T.NullType(), False
    for i in range(len(args)):
        t = _map_arg("map_concat", args, i)
        kt = wider_type(kt, t.keyType) or kt
        vt = wider_type(vt, t.valueType) or vt
        vn = vn or t.valueContainsNull
    t = T.MapType(kt, vt, vn)
    ms = [_cast_to(a, t) if a.dataType != t and not isinstance(a.dataType, T.NullType) else a for a in args]

    def duck(*xs):
        merged = "map_concat(%s)" % ", ".join(xs) if len(xs) > 1 else xs[0]
        return _null_if_any(xs, _dedup_check(merged, "list_concat(%s)" % ", ".join(
            "map_keys(%s)" % x for x in xs)))
    return _fn("map_concat", ms, t, duck, name_args=args)


@register("map_from_arrays")
def _map_from_arrays(args):
    _args("map_from_arrays", args, 2)
    kt, vt = _array_arg("map_from_arrays", args, 0), _array_arg("map_from_arrays", args, 1)
    t = T.MapType(kt.elementType, vt.elementType, vt.containsNull)

    def duck(k, v):
        return _null_if_any([k, v], (
            "CASE WHEN len(%s) <> len(%s) THEN error('MAP_FROM_ARRAYS|The key array and value array of MAP must have the "
            "same length.') WHEN list_position(%s, NULL) IS NOT NULL THEN error('NULL_MAP_KEY|Cannot use null as map "
            "key.') ELSE %s END" % (k, v, k, _dedup_check("map(%s, %s)" % (k, v), k))))
    return _fn("map_from_arrays", args, t, duck)


@register("map_from_entries")
def _map_from_entries(args):
    _args("map_from_entries", args, 1)
    t = _array_arg("map_from_entries", args)
    et = t.elementType
    if not (isinstance(et, T.StructType) and len(et.fields) == 2):
        _require("map_from_entries", args, 0, type(None), '"ARRAY" of pair "STRUCT"')
    mt = T.MapType(et.fields[0].dataType, et.fields[1].dataType, et.fields[1].nullable)

    def duck(a):
        e = _v()
        entries = "list_transform(%s, lambda %s: {'key': struct_extract(%s, %s), 'value': struct_extract(%s, %s)})" % (
            a, e, e, duck_literal(et.fields[0].name, T.StringType()), e, duck_literal(et.fields[1].name, T.StringType()))
        return ("CASE WHEN %s IS NULL OR list_position(%s, NULL) IS NOT NULL THEN NULL ELSE %s END"
                % (a, a, _dedup_check("map_from_entries(%s)" % entries,
                                                       "list_transform(%s, lambda %s: %s.key)" % (entries, e, e))))
    return _fn("map_from_entries", args, mt, duck, nullable=args[0].nullable or t.containsNull)


@register("named_struct")
def _named_struct(args):
    if len(args) % 2:
        raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=quote_ident("named_struct"),
                                 expectedNum="2n (n > 0)", actualNum=len(args),
                                 docroot="https://spark.apache.org/docs/latest")
    names = [str(_lit_value(n, "name")) for n in args[0::2]]
    values = list(args[1::2])
    t = T.StructType([T.StructField(n, v.dataType, v.nullable) for n, v in zip(names, values)])
    return _fn("named_struct", args, t, lambda *xs: "struct_pack(%s)" % ", ".join(
        '"%s" := %s' % (n.replace('"', '""'), x) for n, x in zip(names, xs[1::2])), nullable=False)


# ---------------------------------------------------------------------------------------------
# higher-order functions


def _hof_transform(args):
    _args("transform", args, 2)
    t = _array_arg("transform", args)
    f = _lambda_arg("transform", args, 1).bind("transform", [(t.elementType, t.containsNull), (T.IntegerType(), False)], 1)
    if len(f.variables) == 2:
        f.variables[1].duck_sql = "CAST(%s - 1 AS INTEGER)" % f.variables[1].param
    return _fn("transform", [args[0], f], T.ArrayType(f.dataType, f.nullable), "list_transform({0}, {1})",
               nullable=args[0].nullable)


register("transform")(_hof_transform)


@register("filter")
def _hof_filter(args):
    _args("filter", args, 2)
    t = _array_arg("filter", args)
    f = _lambda_arg("filter", args, 1).bind("filter", [(t.elementType, t.containsNull), (T.IntegerType(), False)], 1)
    _check_boolean("filter", args, f)
    if len(f.variables) == 2:
        f.variables[1].duck_sql = "CAST(%s - 1 AS INTEGER)" % f.variables[1].param
    return _fn("filter", [args[0], f], t, "list_filter({0}, {1})", nullable=args[0].nullable)


def _check_boolean(name, args, f):
    if not isinstance(f.dataType, (T.BooleanType, T.NullType)):
        sql = "%s(%s, %s)" % (name, args[0].sql(), f.sql())
        raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(sql),
                                 paramIndex="second", requiredType='"BOOLEAN"', inputSql=_q(f.sql()),
                                 inputType=_type_name(f.dataType))


def _quantifier(name, any_true):
    def build(args):
        _args(name, args, 2)
        t = _array_arg(name, args)
        f = _lambda_arg(name, args, 1).bind(name, [(t.elementType, t.containsNull)])
        _check_boolean(name, args, f)

        def duck(a, fn):
            # three-valued: a deciding element wins, else any NULL makes the answer NULL
            vals = "list_transform(%s, %s)" % (a, fn)
            decide = "TRUE" if any_true else "FALSE"
            return ("CASE WHEN %s IS NULL THEN NULL WHEN list_position(%s, %s) IS NOT NULL THEN %s "
                    "WHEN list_position(%s, NULL) IS NOT NULL THEN NULL ELSE %s END"
                    % (a, vals, decide, decide, vals, "FALSE" if any_true else "TRUE"))
        return _fn(name, [args[0], f], T.BooleanType(), duck, nullable=True)
    return build


register("exists")(_quantifier("exists", True))
register("forall")(_quantifier("forall", False))


def _aggregate(name):
    def build(args):
        _args(name, args, 3, 4)
        t = _array_arg(name, args)
        zero = args[1]
        merge = _lambda_arg(name, args, 2).bind(name, [(zero.dataType, True), (t.elementType, t.containsNull)])
        if merge.dataType._as_nullable() != zero.dataType._as_nullable():
            # Spark widens the start value to the merge's type when it can
            w = wider_type(zero.dataType, merge.dataType)
            if w == merge.dataType and not isinstance(zero.dataType, T.NullType) and False:
                zero = _cast_to(zero, w)
            else:
                raise analysis_exception(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(_aggregate_sql(name, args, merge)),
                    paramIndex="third", requiredType=_type_name(zero.dataType), inputSql=_q(merge.sql()),
                    inputType=_type_name(merge.dataType))
        kids = [args[0], zero, merge]
        if len(args) == 4:
            finish = _lambda_arg(name, args, 3).bind(name, [(zero.dataType, True)])
        else:
            v = NamedLambdaVariable("id", zero.dataType, True)
            finish = LambdaFunction(v, [v])
        kids.append(finish)

        def duck(a, z, m, fin):
            folded = "list_reduce(%s, %s, %s)" % (a, m, z)
            if len(args) == 4:
                folded = "list_transform([%s], %s)[1]" % (folded, fin)
            return "CASE WHEN %s IS NULL THEN NULL ELSE %s END" % (a, folded)
        return _fn(name, kids, finish.dataType, duck, nullable=True,
                   sql_name=_aggregate_sql(name, args, merge, finish))
    return build


def _aggregate_sql(name, args, merge, finish=None):
    if finish is None:
        finish = "lambdafunction(namedlambdavariable(), namedlambdavariable())"
    else:
        finish = finish.sql()
    return "%s(%s, %s, %s, %s)" % (name, args[0].sql(), args[1].sql(), merge.sql(), finish)


register("aggregate")(_aggregate("aggregate"))
register("reduce")(_aggregate("reduce"))


@register("zip_with")
def _zip_with(args):
    _args("zip_with", args, 3)
    ta, tb = _array_arg("zip_with", args, 0), _array_arg("zip_with", args, 1)
    f = _lambda_arg("zip_with", args, 2).bind("zip_with", [(ta.elementType, True), (tb.elementType, True)])
    x, y = f.variables

    def duck(a, b, fn):
        i = _v()
        x.duck_sql, y.duck_sql = "(%s)[%s]" % (a, i), "(%s)[%s]" % (b, i)
        body = f.body.duck()
        return _null_if_any([a, b], "list_transform(range(1, greatest(len(%s), len(%s)) + 1), lambda %s: %s)"
                            % (a, b, i, body))
    return _fn("zip_with", [args[0], args[1], f], T.ArrayType(f.dataType, f.nullable), duck)


def _map_lambda(name, args, i=1):
    t = _map_arg(name, args)
    f = _lambda_arg(name, args, i).bind(name, [(t.keyType, False), (t.valueType, t.valueContainsNull)])
    k, v = f.variables
    k.duck_sql, v.duck_sql = "%s.key" % k.param, "%s.value" % k.param
    return t, f


def _map_entries_lambda(f):
    # the lambda over one entry struct: its first variable's parameter names the entry
    return "lambda %s: " % f.variables[0].param


@register("transform_keys")
def _transform_keys(args):
    _args("transform_keys", args, 2)
    t, f = _map_lambda("transform_keys", args)
    mt = T.MapType(f.dataType, t.valueType, t.valueContainsNull)

    def duck(m, fn):
        entries = "list_transform(map_entries(%s), %s{'key': %s, 'value': %s.value})" % (
            m, _map_entries_lambda(f), f.body.duck(), f.variables[0].param)
        e = _v()
        return "CASE WHEN %s IS NULL THEN NULL ELSE %s END" % (m, _dedup_check(
            "map_from_entries(%s)" % entries, "list_transform(%s, lambda %s: %s.key)" % (entries, e, e)))
    return _fn("transform_keys", [args[0], f], mt, duck, nullable=args[0].nullable)


@register("transform_values")
def _transform_values(args):
    _args("transform_values", args, 2)
    t, f = _map_lambda("transform_values", args)
    mt = T.MapType(t.keyType, f.dataType, f.nullable)

    def duck(m, fn):
        entries = "list_transform(map_entries(%s), %s{'key': %s.key, 'value': %s})" % (
            m, _map_entries_lambda(f), f.variables[0].param, f.body.duck())
        return "CASE WHEN %s IS NULL THEN NULL ELSE map_from_entries(%s) END" % (m, entries)
    return _fn("transform_values", [args[0], f], mt, duck, nullable=args[0].nullable)


@register("map_filter")
def _map_filter(args):
    _args("map_filter", args, 2)
    t, f = _map_lambda("map_filter", args)
    _check_boolean("map_filter", args, f)

    def duck(m, fn):
        entries = "list_filter(map_entries(%s), %s%s)" % (m, _map_entries_lambda(f), f.body.duck())
        return "CASE WHEN %s IS NULL THEN NULL ELSE map_from_entries(%s) END" % (m, entries)
    return _fn("map_filter", [args[0], f], t, duck, nullable=args[0].nullable)


@register("map_zip_with")
def _map_zip_with(args):
    _args("map_zip_with", args, 3)
    t1, t2 = _map_arg("map_zip_with", args, 0), _map_arg("map_zip_with", args, 1)
    kt = wider_type(t1.keyType, t2.keyType) or t1.keyType
    f = _lambda_arg("map_zip_with", args, 2).bind("map_zip_with", [(kt, False), (t1.valueType, True),
                                                                   (t2.valueType, True)])
    k, v1, v2 = f.variables

    def duck(m1, m2, fn):
        kk, j = _v(), _v()
        k.duck_sql = kk
        v1.duck_sql, v2.duck_sql = "(%s)[%s]" % (m1, kk), "(%s)[%s]" % (m2, kk)
        keys = "list_concat(map_keys(%s), list_filter(map_keys(%s), lambda %s: NOT map_contains(%s, %s)))" % (
            m1, m2, j, m1, j)
        return _null_if_any([m1, m2], "map_from_entries(list_transform(%s, lambda %s: {'key': %s, 'value': %s}))"
                            % (keys, kk, kk, f.body.duck()))
    return _fn("map_zip_with", [args[0], args[1], f], T.MapType(kt, f.dataType, True), duck)


# ---------------------------------------------------------------------------------------------
# generators of several columns: one output row per struct (inline) or per group of values (stack)


class _StructsGenerator(Explode):
    """A generator whose rows are the structs of an array (an Explode, so the analyzer plans it
    as one: a Generate under the projection)."""

    def __init__(self, child, outer=False, kind="inline"):
        self.children = (child,)
        self.outer = outer
        self.position = False
        self.kind = kind

    def with_children(self, children):
        return type(self)(children[0], self.outer, self.kind)

    def struct_type(self):
        return self.children[0].dataType.elementType

    def output_fields(self):
        contains_null = self.children[0].dataType.containsNull
        return [(f.name, f.dataType, f.nullable or contains_null or self.outer) for f in self.struct_type().fields]

    def array_sql(self):
        return self.children[0].duck()

    def generate_sql(self, keep, out, child_sql):
        arr = self.array_sql()
        if self.outer:
            arr = "CASE WHEN len(%s) > 0 THEN %s ELSE [NULL] END" % (arr, arr)
        g = _v()
        fields = ["struct_extract(%s, %s) AS %s" % (g, duck_literal(f.name, T.StringType()), c)
                  for f, c in zip(self.struct_type().fields, out)]
        return "SELECT %s FROM (SELECT %s FROM (%s) AS t) AS t" % (
            ", ".join(keep + fields), ", ".join(keep + ["unnest(%s) AS %s" % (arr, g)]), child_sql)


class Inline(_StructsGenerator):
    pass


def _inline(kind, outer):
    def build(args):
        _args(kind, args, 1)
        t = args[0].dataType
        if not (isinstance(t, T.ArrayType) and isinstance(t.elementType, T.StructType)):
            raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(
                "%s(%s)" % (kind, args[0].sql())), paramIndex="first", requiredType='"ARRAY<STRUCT>"',
                inputSql=_q(args[0].sql()), inputType=_type_name(t))
        return Inline(args[0], outer, kind)
    return build


register("inline")(_inline("inline", False))
register("inline_outer")(_inline("inline_outer", True))


class Stack(_StructsGenerator):
    """``stack(n, v1, v2, ...)``: the values in n rows of ceil(count / n) columns, NULL-padded."""

    def __init__(self, children, outer=False, kind="stack"):
        self.children = tuple(children)
        self.outer = False
        self.position = False
        self.kind = "stack"

    def with_children(self, children):
        return Stack(children)

    @property
    def rows(self):
        return int(_lit_value(self.children[0], "n"))

    def _columns(self):
        values = self.children[1:]
        n = self.rows
        width = -(-len(values) // n) if n > 0 else 0
        return [[values[r * width + c] if r * width + c < len(values) else None for r in range(n)]
                for c in range(width)]

    def struct_type(self):
        fields = []
        width = len(self._columns())
        for i, column in enumerate(self._columns()):
            t, first = T.NullType(), None
            for r, v in enumerate(column):
                if v is not None:
                    w = wider_type(t, v.dataType)
                    if w is None:
                        # parameter positions count from 0 at n, as Spark's message numbers them
                        raise analysis_exception(
                            "DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES", sqlExpr=_q(self.sql()),
                            columnIndex=i, leftParamIndex=1 + first * width + i, leftType=_type_name(t),
                            rightParamIndex=1 + r * width + i, rightType=_type_name(v.dataType))
                    if first is None:
                        first = r
                    t = w
            fields.append(T.StructField("col%d" % i, t, any(v is None or v.nullable for v in column)))
        return T.StructType(fields)

    def output_fields(self):
        return [(f.name, f.dataType, f.nullable) for f in self.struct_type().fields]

    def array_sql(self):
        st = self.struct_type()
        rows = []
        for r in range(self.rows):
            cells = []
            for f, column in zip(st.fields, self._columns()):
                v = column[r]
                cells.append('"%s" := %s' % (f.name, "CAST(NULL AS %s)" % duck_type(f.dataType) if v is None
                                             else "CAST(%s AS %s)" % (v.duck(), duck_type(f.dataType))))
            rows.append("struct_pack(%s)" % ", ".join(cells))
        return "[%s]" % ", ".join(rows)

    def sql(self):
        return "stack(%s)" % ", ".join(c.sql() for c in self.children)

    def explain(self):
        return "stack(%s)" % ", ".join(c.explain() for c in self.children)


@register("stack")
def _stack(args):
    if len(args) < 2:
        raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=quote_ident("stack"),
                                 expectedNum="> 1", actualNum=len(args), docroot="https://spark.apache.org/docs/latest")
    return Stack(args)


# ---------------------------------------------------------------------------------------------
# JSON and CSV: parsed and written in Python inside the stage's query (registered on the
# executor's DuckDB connection like a Python UDF, but named and typed as Spark's own function)


class PythonEvaluated(PythonUDF):
    """A built-in function evaluated by a Python function over rows of its arguments."""

    def __init__(self, fname, func, args, dataType, sql_name=None, udf_id=None, name_args=None):
        from .udf import _ids
        super().__init__(func, fname, args, dataType, next(_ids) if udf_id is None else udf_id)
        self.sql_name = sql_name
        self.name_args = name_args

    def with_children(self, children):
        return PythonEvaluated(self.fname, self.func, children, self.dataType, self.sql_name, self.udf_id,
                               self.name_args)

    # named and explained as the built-in function it is
    explain_name = None
    sql = Function.sql
    explain = Function.explain


def _options(e, name="options"):
    """The options map given to a JSON/CSV function (a foldable ``map(...)`` or none)."""
    if e is None:
        return {}
    from .evaluation import evaluate_constant
    if not e.foldable:
        raise analysis_exception("INVALID_OPTIONS.NON_MAP_FUNCTION", sqlExpr=_q(e.sql()))
    value = evaluate_constant(e)
    return {str(k): str(v) for k, v in (value or {}).items()}


def _schema_arg(e, fname):
    """The type a schema argument names: a DDL string (or the string ``schema_of_json`` gives)."""
    from .types import _parse_datatype_string
    if e.foldable and not isinstance(e, Literal):
        # schema_of_json(...) / schema_of_csv(...): a constant known at analysis
        from .evaluation import evaluate_constant
        text = evaluate_constant(e)
    else:
        text = _lit_value(e, "schema")
    return _parse_datatype_string(str(text))


class _JsonReader:
    """A JSON text as a value of Spark type ``dataType`` (Spark's PERMISSIVE parsing: a malformed
    record gives a struct of NULLs, a value of the wrong type a NULL)."""

    def __init__(self, dataType, options):
        self.dataType = dataType
        self.unquoted = str(options.get("allowUnquotedFieldNames", "false")).lower() == "true"

    def __call__(self, text):
        if text is None:
            return None
        value = _json_loads(text, self.unquoted)
        if value is _MALFORMED:
            return _null_struct(self.dataType)
        if isinstance(self.dataType, T.StructType) and isinstance(value, list):
            # an array of objects against a struct schema: Spark reads its first record
            value = value[0] if value else None
        return _json_value(value, self.dataType)


_MALFORMED = object()


def _json_loads(text, unquoted=False):
    import json
    import re
    try:
        return json.loads(text)
    except ValueError:
        if unquoted:
            try:
                return json.loads(re.sub(r'([{,]\s*)([A-Za-z_$][\w$]*)(\s*:)', r'\1"\2"\3', text))
            except ValueError:
                pass
        return _MALFORMED


def _null_struct(t):
    return {f.name: None for f in t.fields} if isinstance(t, T.StructType) else None


def _json_value(v, t):
    import datetime
    import decimal
    import json
    if v is None:
        return None
    if isinstance(t, T.StructType):
        if not isinstance(v, dict):
            return None
        return {f.name: _json_value(v.get(f.name), f.dataType) for f in t.fields}
    if isinstance(t, T.MapType):
        if not isinstance(v, dict):
            return None
        return {_json_value(k, t.keyType): _json_value(x, t.valueType) for k, x in v.items()}
    if isinstance(t, T.ArrayType):
        if not isinstance(v, list):
            return None
        return [_json_value(x, t.elementType) for x in v]
    if is_string(t):
        return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))
    if isinstance(t, T.BooleanType):
        return v if isinstance(v, bool) else None
    if is_integral(t):
        if isinstance(v, bool) or not isinstance(v, int):
            return None
        bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}[type(t)]
        return v if -2 ** (bits - 1) <= v < 2 ** (bits - 1) else None
    if isinstance(t, (T.DoubleType, T.FloatType)):
        if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
            return float(v)
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    if isinstance(t, T.DecimalType):
        return decimal.Decimal(str(v)) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    if isinstance(t, T.DateType):
        try:
            return datetime.date.fromisoformat(v) if isinstance(v, str) else None
        except ValueError:
            return None
    if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
        try:
            value = datetime.datetime.fromisoformat(v.replace("Z", "+00:00")) if isinstance(v, str) else None
        except ValueError:
            return None
        return _engine_timestamp(value, t)
    return None


def _engine_timestamp(value, t):
    """A parsed timestamp as the engine holds it: TimestampType an instant in the session's zone
    (a text without an offset is wall-clock time there), TimestampNTZType wall-clock time."""
    import zoneinfo
    from .engine import _local_tz_name
    if value is None:
        return None
    if isinstance(t, T.TimestampNTZType):
        return value.replace(tzinfo=None)
    zone = zoneinfo.ZoneInfo(_local_tz_name())
    return value.replace(tzinfo=zone) if value.tzinfo is None else value.astimezone(zone)


def _java_date_format(fmt):
    out = fmt
    for java, py in (("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")):
        out = out.replace(java, py)
    return out


class _JsonWriter:
    """A struct, map or array value as Spark's JSON text (compact; NULL struct fields left out)."""

    def __init__(self, dataType, options):
        self.dataType = dataType
        self.date_format = _java_date_format(options["dateFormat"]) if "dateFormat" in options else None
        self.ignore_nulls = str(options.get("ignoreNullFields", "true")).lower() == "true"

    def __call__(self, value):
        if value is None:
            return None
        return self.write(value, self.dataType)

    def write(self, v, t):
        import datetime
        import json
        from .show import java_double_to_string, java_float_to_string
        if v is None:
            return "null"
        if isinstance(t, T.StructType):
            items = [(f, v.get(f.name)) for f in t.fields]
            return "{%s}" % ",".join("%s:%s" % (json.dumps(f.name, ensure_ascii=False), self.write(x, f.dataType))
                                     for f, x in items if x is not None or not self.ignore_nulls)
        if isinstance(t, T.MapType):
            return "{%s}" % ",".join("%s:%s" % (json.dumps(str(self._key(k, t.keyType)), ensure_ascii=False),
                                                self.write(x, t.valueType)) for k, x in v.items())
        if isinstance(t, T.ArrayType):
            return "[%s]" % ",".join(self.write(x, t.elementType) for x in v)
        if isinstance(t, T.BooleanType):
            return "true" if v else "false"
        if isinstance(t, T.DoubleType):
            return java_double_to_string(v) if v == v and abs(v) != float("inf") else json.dumps(
                java_double_to_string(v))
        if isinstance(t, T.FloatType):
            return java_float_to_string(v)
        if isinstance(t, T.DateType):
            return json.dumps(v.strftime(self.date_format) if self.date_format else v.isoformat())
        if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
            if isinstance(t, T.TimestampType):
                text = v.astimezone().isoformat(timespec="milliseconds") if v.tzinfo else \
                    v.isoformat(timespec="milliseconds")
                text = text.replace("+00:00", "Z")
            else:
                text = v.isoformat(timespec="milliseconds")
            return json.dumps(text)
        if isinstance(t, T.DecimalType):
            return str(v)
        if isinstance(v, (datetime.date, bytes)):
            return json.dumps(str(v))
        if is_string(t):
            return json.dumps(v, ensure_ascii=False)
        return str(v)

    def _key(self, k, t):
        if isinstance(t, T.StringType):
            return k
        return self.write(k, t).strip('"')


@register("from_json")
def _from_json(args):
    _args("from_json", args, 2, 3)
    t = _schema_arg(args[1], "from_json")
    if not isinstance(t, (T.StructType, T.ArrayType, T.MapType)):
        raise analysis_exception("DATATYPE_MISMATCH.INVALID_JSON_SCHEMA", sqlExpr=_q(
            "from_json(%s)" % args[0].sql()), schema=_type_name(t))
    opts = _options(args[2] if len(args) == 3 else None)
    return PythonEvaluated("from_json", _JsonReader(t, opts), [_str(args[0])], t,
                           sql_name="from_json(%s)" % args[0].sql())


@register("to_json")
def _to_json(args):
    _args("to_json", args, 1, 2)
    t = args[0].dataType
    if not isinstance(t, (T.StructType, T.ArrayType, T.MapType)):
        _require("to_json", args, 0, (T.StructType, T.ArrayType, T.MapType), '"STRUCT" or "ARRAY" or "MAP"')
    opts = _options(args[1] if len(args) == 2 else None)
    return PythonEvaluated("to_json", _JsonWriter(t, opts), [args[0]], T.StringType(),
                           sql_name="to_json(%s)" % args[0].sql())


def _json_path(path):
    """Spark's JSON path subset: ``$``, ``.name``, ``['name']``, ``[index]``, ``[*]``."""
    import re
    if not path or path[0] != "$":
        return None
    steps, rest = [], path[1:]
    pattern = re.compile(r"\.([^.\[]+)|\['([^']*)'\]|\[(\d+)\]|\[\*\]|\.\*")
    while rest:
        m = pattern.match(rest)
        if m is None:
            return None
        if m.group(1) is not None:
            steps.append(("key", m.group(1)))
        elif m.group(2) is not None:
            steps.append(("key", m.group(2)))
        elif m.group(3) is not None:
            steps.append(("index", int(m.group(3))))
        else:
            steps.append(("all", None))
        rest = rest[m.end():]
    return steps


def _json_select(value, steps):
    """(the values the path reaches, whether a wildcard collected them)."""
    current, spread = [value], False
    for kind, arg in steps:
        nxt = []
        for v in current:
            if kind == "key" and isinstance(v, dict) and arg in v:
                nxt.append(v[arg])
            elif kind == "index" and isinstance(v, list) and arg < len(v):
                nxt.append(v[arg])
            elif kind == "all" and isinstance(v, list):
                nxt.extend(v)
                spread = True
            elif kind == "all" and isinstance(v, dict):
                nxt.extend(v.values())
                spread = True
        current = nxt
    return current, spread


def _json_text(v):
    import json
    return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"), ensure_ascii=False)


class _GetJsonObject:
    def __init__(self, path):
        self.steps = _json_path(path) if path is not None else None

    def __call__(self, text):
        if text is None or self.steps is None:
            return None
        value = _json_loads(text)
        if value is _MALFORMED:
            return None
        found, spread = _json_select(value, self.steps)
        found = [v for v in found if v is not None]
        if not found:
            return None
        if spread:
            import json
            return json.dumps(found[0], separators=(",", ":"), ensure_ascii=False) if len(found) == 1 else \
                json.dumps(found, separators=(",", ":"), ensure_ascii=False)
        return _json_text(found[0])


@register("get_json_object")
def _get_json_object(args):
    _args("get_json_object", args, 2)
    path = _lit_value(args[1], "path")
    return PythonEvaluated("get_json_object", _GetJsonObject(path), [_str(args[0])], T.StringType(),
                           name_args=args)


def _json_array_length(text):
    if text is None:
        return None
    v = _json_loads(text)
    return len(v) if isinstance(v, list) else None


def _json_object_keys(text):
    if text is None:
        return None
    v = _json_loads(text)
    return list(v) if isinstance(v, dict) else None


@register("json_array_length")
def _json_array_length_builder(args):
    _args("json_array_length", args, 1)
    return PythonEvaluated("json_array_length", _json_array_length, [_str(args[0])], T.IntegerType(), name_args=args)


@register("json_object_keys")
def _json_object_keys_builder(args):
    _args("json_object_keys", args, 1)
    return PythonEvaluated("json_object_keys", _json_object_keys, [_str(args[0])], T.ArrayType(T.StringType(), True),
                           name_args=args)


class _JsonTupleRow:
    def __init__(self, names):
        self.names = names

    def __call__(self, text):
        value = _json_loads(text) if text is not None else None
        if not isinstance(value, dict):
            return [{"c%d" % i: None for i in range(len(self.names))}]
        return [{"c%d" % i: (None if value.get(n) is None else _json_text(value.get(n)))
                 for i, n in enumerate(self.names)}]


class JsonTuple(_StructsGenerator):
    """``json_tuple(json, 'f1', 'f2', ...)``: one row of the fields' values as strings (c0, c1, ...)."""

    def __init__(self, children, outer=False, kind="json_tuple"):
        self.outer = False
        self.position = False
        self.kind = "json_tuple"
        first, fields = children[0], tuple(children[1:])
        self.names = [None if f is None else str(f) for f in (_lit_value(c, "field") for c in fields)]
        if not (isinstance(first, PythonEvaluated) and first.fname == "json_tuple"):
            # the JSON text is read once per row, by a Python function in the stage's query
            first = PythonEvaluated("json_tuple", _JsonTupleRow(self.names), [first],
                                    T.ArrayType(self._struct(len(fields)), False))
        self.children = (first,) + fields

    def with_children(self, children):
        return JsonTuple(children)

    @staticmethod
    def _struct(n):
        return T.StructType([T.StructField("c%d" % i, T.StringType(), True) for i in range(n)])

    def struct_type(self):
        return self._struct(len(self.children) - 1)

    def array_sql(self):
        return self.children[0].duck()

    def sql(self):
        return "json_tuple(%s)" % ", ".join([self.children[0].children[0].sql()] + [c.sql() for c in self.children[1:]])

    def explain(self):
        return "json_tuple(%s)" % ", ".join([self.children[0].children[0].explain()] +
                                            [c.explain() for c in self.children[1:]])


@register("json_tuple")
def _json_tuple(args):
    if len(args) < 2:
        raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=quote_ident("json_tuple"),
                                 expectedNum="> 1", actualNum=len(args), docroot="https://spark.apache.org/docs/latest")
    return JsonTuple([_str(args[0])] + list(args[1:]))


def _infer_json_type(v):
    if isinstance(v, bool):
        return T.BooleanType()
    if isinstance(v, int):
        return T.LongType() if -2 ** 63 <= v < 2 ** 63 else T.DecimalType(38, 0)
    if isinstance(v, float):
        return T.DoubleType()
    if isinstance(v, str):
        return T.StringType()
    if isinstance(v, list):
        et = T.NullType()
        for x in v:
            et = _merge_json_types(et, _infer_json_type(x))
        return T.ArrayType(T.StringType() if isinstance(et, T.NullType) else et, True)
    if isinstance(v, dict):
        return T.StructType([T.StructField(k, _infer_json_type(v[k]), True) for k in sorted(v)])
    return T.NullType()


def _merge_json_types(a, b):
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType) or a == b:
        return a
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        fields = {f.name: f.dataType for f in a.fields}
        for f in b.fields:
            fields[f.name] = _merge_json_types(fields[f.name], f.dataType) if f.name in fields else f.dataType
        return T.StructType([T.StructField(n, fields[n], True) for n in sorted(fields)])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_merge_json_types(a.elementType, b.elementType), True)
    w = wider_type(a, b)
    return w if w is not None and not is_string(w) else T.StringType()


def _ddl(t):
    """A type as schema_of_json/schema_of_csv print it (``STRUCT<a: BIGINT>``)."""
    if isinstance(t, T.StructType):
        return "STRUCT<%s>" % ", ".join("%s: %s" % (_ddl_name(f.name), _ddl(f.dataType)) for f in t.fields)
    if isinstance(t, T.ArrayType):
        return "ARRAY<%s>" % _ddl(t.elementType)
    if isinstance(t, T.NullType):
        return "STRING"
    return t.simpleString().upper()


def _ddl_name(name):
    return name if name.replace("_", "a").isalnum() and not name[:1].isdigit() else quote_ident(name)


@register("schema_of_json")
def _schema_of_json(args):
    _args("schema_of_json", args, 1, 2)
    text = _lit_value(args[0], "json")
    opts = _options(args[1] if len(args) == 2 else None)
    value = _json_loads(str(text), str(opts.get("allowUnquotedFieldNames", "false")).lower() == "true")
    if value is _MALFORMED:
        raise analysis_exception("INVALID_JSON_SCHEMA_MAP_TYPE", schema=quote_ident(str(text)))
    lit = Literal(_ddl(_infer_json_type(value)))
    return Function("schema_of_json", [args[0]], T.StringType(), nullable=False, duck=lambda *_: lit.duck(),
                    sql_name="schema_of_json(%s)" % args[0].sql())


# ---------------------------------------------------------------------------------------------
# CSV and str_to_map


def _csv_options(opts):
    sep = opts.get("sep", opts.get("delimiter", ","))
    return dict(sep=sep, quote=opts.get("quote", '"'), null=opts.get("nullValue", ""),
                lstrip=str(opts.get("ignoreLeadingWhiteSpace", "false")).lower() == "true",
                rstrip=str(opts.get("ignoreTrailingWhiteSpace", "false")).lower() == "true")


def _csv_fields(text, o):
    import csv
    row = next(csv.reader([text], delimiter=o["sep"], quotechar=o["quote"]), [])
    out = []
    for v in row:
        if o["lstrip"]:
            v = v.lstrip()
        if o["rstrip"]:
            v = v.rstrip()
        out.append(None if v == o["null"] else v)
    return out


def _csv_value(v, t):
    import datetime
    import decimal
    if v is None:
        return None
    try:
        if is_string(t):
            return v
        if is_integral(t):
            n = int(v.strip())
            bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}[type(t)]
            return n if -2 ** (bits - 1) <= n < 2 ** (bits - 1) else None
        if isinstance(t, (T.DoubleType, T.FloatType)):
            return float(v)
        if isinstance(t, T.DecimalType):
            return decimal.Decimal(v.strip())
        if isinstance(t, T.BooleanType):
            return {"true": True, "false": False}.get(v.strip().lower())
        if isinstance(t, T.DateType):
            return datetime.date.fromisoformat(v.strip())
        if isinstance(t, (T.TimestampType, T.TimestampNTZType)):
            return _engine_timestamp(datetime.datetime.fromisoformat(v.strip()), t)
    except (ValueError, decimal.InvalidOperation):
        return None
    return None


class _CsvReader:
    def __init__(self, dataType, options):
        self.dataType, self.options = dataType, _csv_options(options)

    def __call__(self, text):
        if text is None:
            return None
        fields = _csv_fields(text, self.options)
        return {f.name: _csv_value(fields[i] if i < len(fields) else None, f.dataType)
                for i, f in enumerate(self.dataType.fields)}


class _CsvWriter:
    def __init__(self, dataType, options):
        self.dataType, self.options = dataType, _csv_options(options)

    def __call__(self, value):
        import csv
        import io
        from .show import format_value
        if value is None:
            return None
        cells = [self.options["null"] if value.get(f.name) is None else format_value(value.get(f.name), f.dataType,
                                                                                     pretty=False)
                 for f in self.dataType.fields]
        out = io.StringIO()
        csv.writer(out, delimiter=self.options["sep"], quotechar=self.options["quote"], lineterminator="").writerow(cells)
        return out.getvalue()


@register("from_csv")
def _from_csv(args):
    _args("from_csv", args, 2, 3)
    t = _schema_arg(args[1], "from_csv")
    if not isinstance(t, T.StructType):
        raise analysis_exception("DATATYPE_MISMATCH.INVALID_SCHEMA", sqlExpr=_q("from_csv(%s)" % args[0].sql()),
                                 schema=_type_name(t))
    opts = _options(args[2] if len(args) == 3 else None)
    return PythonEvaluated("from_csv", _CsvReader(t, opts), [_str(args[0])], t,
                           sql_name="from_csv(%s)" % args[0].sql())


@register("to_csv")
def _to_csv(args):
    _args("to_csv", args, 1, 2)
    _require("to_csv", args, 0, T.StructType, '"STRUCT"')
    opts = _options(args[1] if len(args) == 2 else None)
    return PythonEvaluated("to_csv", _CsvWriter(args[0].dataType, opts), [args[0]], T.StringType(),
                           sql_name="to_csv(%s)" % args[0].sql())


def _infer_csv_type(v):
    if v is None:
        return T.NullType()
    s = v.strip()
    for parse, t in ((int, T.IntegerType()), (float, T.DoubleType())):
        try:
            n = parse(s)
        except ValueError:
            continue
        if t == T.IntegerType() and not -2 ** 31 <= n < 2 ** 31:
            t = T.LongType() if -2 ** 63 <= n < 2 ** 63 else T.DecimalType(min(38, len(s)), 0)
        return t
    if s.lower() in ("true", "false"):
        return T.BooleanType()
    return T.StringType()


@register("schema_of_csv")
def _schema_of_csv(args):
    _args("schema_of_csv", args, 1, 2)
    text = _lit_value(args[0], "csv")
    opts = _csv_options(_options(args[1] if len(args) == 2 else None))
    fields = _csv_fields(str(text), opts)
    st = T.StructType([T.StructField("_c%d" % i, _infer_csv_type(v), True) for i, v in enumerate(fields)])
    lit = Literal(_ddl(st))
    return Function("schema_of_csv", [args[0]], T.StringType(), nullable=False, duck=lambda *_: lit.duck(),
                    sql_name="schema_of_csv(%s)" % args[0].sql())


def _str_to_map_entries(text, pair_delim, kv_delim):
    import re
    if text is None or pair_delim is None or kv_delim is None:
        return None
    entries = []
    for pair in re.split(pair_delim, text):
        kv = re.split(kv_delim, pair, maxsplit=1)
        entries.append({"key": kv[0], "value": kv[1] if len(kv) > 1 else None})
    return entries


@register("str_to_map")
def _str_to_map(args):
    _args("str_to_map", args, 1, 3)
    full = list(args) + [Literal(","), Literal(":")][len(args) - 1:]
    kids = [_str(a) for a in full]
    entry = T.StructType([T.StructField("key", T.StringType(), False), T.StructField("value", T.StringType(), True)])
    entries = PythonEvaluated("str_to_map", _str_to_map_entries, kids, T.ArrayType(entry, False))

    def duck(e):
        k = _v()
        keys = "list_transform(%s, lambda %s: %s.key)" % (e, k, k)
        return "CASE WHEN %s IS NULL THEN NULL ELSE %s END" % (e, _dedup_check("map_from_entries(%s)" % e, keys))
    return _fn("str_to_map", [entries], T.MapType(T.StringType(), T.StringType(), True), duck,
               sql_name="str_to_map(%s)" % ", ".join(a.sql() for a in full))


# ---------------------------------------------------------------------------------------------
# reverse of an array or binary (a string's reverse stays the string function's)

from .function_registry import _REGISTRY  # noqa: E402

_string_reverse = _REGISTRY["reverse"]


@register("reverse")
def _reverse(args):
    _args("reverse", args, 1)
    t = args[0].dataType
    if isinstance(t, T.ArrayType):
        return _fn("reverse", args, t, "list_reverse({0})")
    if isinstance(t, T.BinaryType):
        return _fn("reverse", args, t, "unhex(array_to_string(list_reverse(regexp_extract_all(hex({0}), '..')), ''))")
    return _string_reverse(args)


# ---------------------------------------------------------------------------------------------
# float vectors (arrays of float): similarity, distance and norms as Spark 4.1 computes them


def _float_vectors(name, args, n):
    _args(name, args, n, n if n > 1 else 2)
    for i in range(n):
        t = args[i].dataType
        if not (isinstance(t, T.ArrayType) and isinstance(t.elementType, T.FloatType)):
            raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(
                "%s(%s)" % (name, ", ".join(a.sql() for a in args))), paramIndex=["first", "second"][i],
                requiredType='"ARRAY<FLOAT>"', inputSql=_q(args[i].sql()), inputType=_type_name(t))


def _same_dimension(name, a, b, body):
    return _null_if_any([a, b], "CASE WHEN len(%s) <> len(%s) THEN error('VECTOR_DIMENSION_MISMATCH|Vectors passed "
                        "to `%s` must have the same dimension, but got ' || len(%s) || ' and ' || len(%s) || '.') "
                        "ELSE %s END" % (a, b, name, a, b, body))


def _vector_pair(name, template):
    def build(args):
        _float_vectors(name, args, 2)
        return _fn(name, args, T.FloatType(), lambda a, b: _same_dimension(
            name, a, b, "CAST(%s AS FLOAT)" % template.format(a="CAST(%s AS DOUBLE[])" % a,
                                                               b="CAST(%s AS DOUBLE[])" % b)))
    return build


register("vector_cosine_similarity")(_vector_pair("vector_cosine_similarity", "list_cosine_similarity({a}, {b})"))
register("vector_inner_product")(_vector_pair("vector_inner_product", "list_inner_product({a}, {b})"))
register("vector_l2_distance")(_vector_pair("vector_l2_distance", "list_distance({a}, {b})"))


def _norm_sql(v, degree):
    x = _v()
    return ("CASE WHEN %(d)s = CAST('Infinity' AS DOUBLE) THEN list_max(list_transform(%(v)s, lambda %(x)s: abs(%(x)s))) "
            "WHEN %(d)s = 1 THEN list_sum(list_transform(%(v)s, lambda %(x)s: abs(%(x)s))) "
            "ELSE pow(list_sum(list_transform(%(v)s, lambda %(x)s: pow(abs(%(x)s), %(d)s))), 1.0 / %(d)s) END"
            % dict(v=v, d=degree, x=x))


def _vector_norm(name, normalize):
    def build(args):
        _float_vectors(name, args[:1], 1)
        degree = args[1] if len(args) > 1 else Literal(2.0, T.FloatType())
        if not isinstance(degree.dataType, T.FloatType):
            _require(name, args, 1, T.FloatType, '"FLOAT"')

        def duck(v, d):
            vd, dd = "CAST(%s AS DOUBLE[])" % v, "CAST(%s AS DOUBLE)" % d
            norm = _norm_sql(vd, dd)
            if not normalize:
                return _null_if_any([v, d], "CAST(%s AS FLOAT)" % norm)
            x = _v()
            return _null_if_any([v, d], "CASE WHEN %s = 0 THEN CAST(%s AS FLOAT[]) ELSE CAST(list_transform(%s, lambda %s: "
                                        "%s / %s) AS FLOAT[]) END" % (norm, v, vd, x, x, norm))
        return _fn(name, [args[0], degree], T.ArrayType(T.FloatType(), True) if normalize else T.FloatType(), duck)
    return build


register("vector_norm")(_vector_norm("vector_norm", False))
register("vector_normalize")(_vector_norm("vector_normalize", True))
