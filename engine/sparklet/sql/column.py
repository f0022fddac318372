"""``Column``: an expression the user is building, resolved when a DataFrame method receives it.

A Column holds an unresolved expression (``col("age") + 1``) or one already bound to a
DataFrame's attribute (``df.age``, ``df["age"]``, bound at once as classic PySpark binds them).
Its ``repr`` is PySpark 4's (``Column<'+(age, 1)'>``: the call form of the unresolved tree); the
column name it gets in a result is the analyzer's (``(age + 1)``).
"""

from . import types as T
from .expressions import (
    Add, Alias, And, Cast, CaseWhen, Divide, EqualNullSafe, EqualTo, Expression, ExtractField, GreaterThan,
    GreaterThanOrEqual, In, IsNotNull, IsNull, LessThan, LessThanOrEqual, Literal, Multiply, Not, NotEqual, Or,
    Remainder, SortOrder, Subtract, UnaryMinus, UnresolvedAttribute, UnresolvedExpression, UnresolvedStar,
    WindowExpression, analysis_exception, format_double, literal_type, parse_name_parts,
)


class UnresolvedFunction(UnresolvedExpression):
    def __init__(self, name, children, distinct=False, ignore_nulls=False, label=None):
        self.fname = name
        self.children = tuple(children)
        self.distinct = distinct
        self.ignore_nulls = ignore_nulls
        self.label = label

    def with_children(self, children):
        return UnresolvedFunction(self.fname, children, self.distinct, self.ignore_nulls, self.label)

    def resolve(self, scope):
        from .function_registry import exists, lookup, session_function
        if not exists(self.fname):
            # a Python function registered with spark.udf.register
            udf = session_function(self.fname)
            if udf is not None:
                return udf(*[Column(c) for c in self.children])._expr.resolve(scope)
        builder = lookup(self.fname)
        args = []
        for c in self.children:
            if isinstance(c, UnresolvedStar):
                if self.fname.lower() == "count":
                    continue
                args.extend(c.expand(scope))
            else:
                args.append(c.resolve(scope))
        if getattr(builder, "is_aggregate", False):
            return builder(args, distinct=self.distinct, ignore_nulls=self.ignore_nulls)
        return builder(args)

    def sql(self):
        return "%s(%s%s)" % (self.fname, "DISTINCT " if self.distinct else "", ", ".join(c.sql() for c in self.children))


class UnresolvedCast(UnresolvedExpression):
    def __init__(self, child, to, name_from_child=True, ansi=True):
        self.children = (child,)
        self.to = to
        self.name_from_child = name_from_child
        self.ansi = ansi

    def with_children(self, children):
        return UnresolvedCast(children[0], self.to, self.name_from_child, self.ansi)

    def resolve(self, scope):
        from .expressions import AttributeReference
        child = self.children[0].resolve(scope)
        name = child.name if self.name_from_child and isinstance(child, AttributeReference) else None
        return Cast(child, self.to, ansi=self.ansi, column_name=name).resolve(scope)

    def sql(self):
        return "CAST(%s AS %s)" % (self.children[0].sql(), self.to.simpleString().upper())


class UnresolvedAlias(UnresolvedExpression):
    def __init__(self, child, name, metadata=None):
        self.children = (child,)
        self.alias = name
        self.metadata = metadata

    def with_children(self, children):
        return UnresolvedAlias(children[0], self.alias, self.metadata)

    def resolve(self, scope):
        c = self.children[0].resolve(scope)
        if isinstance(c, Alias):
            # renaming an aliased column keeps the metadata given with the first alias
            out = Alias(c.child, self.alias, metadata=c.explicit_metadata if self.metadata is None else self.metadata)
        else:
            out = Alias(c, self.alias, metadata=self.metadata)
        # the parsed plan explain(True) prints names the alias by the id its resolution got
        self.last_expr_id = out.expr_id
        return out

    def sql(self):
        return "%s AS %s" % (self.children[0].sql(), self.alias)


class UnresolvedWhen(UnresolvedExpression):
    def __init__(self, branches, else_value=None):
        self.branches = list(branches)
        self.else_value = else_value
        kids = [x for b in branches for x in b]
        if else_value is not None:
            kids.append(else_value)
        self.children = tuple(kids)

    def with_children(self, children):
        n = len(self.branches)
        return UnresolvedWhen([(children[2 * i], children[2 * i + 1]) for i in range(n)],
                              children[2 * n] if len(children) > 2 * n else None)

    def resolve(self, scope):
        br = [(c.resolve(scope), v.resolve(scope)) for c, v in self.branches]
        ev = self.else_value.resolve(scope) if self.else_value is not None else None
        return CaseWhen.make(br, ev)

    def sql(self):
        return "CASE WHEN ..."


class UnresolvedSort(UnresolvedExpression):
    def __init__(self, child, ascending=True, nulls_first=None):
        self.children = (child,)
        self.ascending = ascending
        self.nulls_first = ascending if nulls_first is None else nulls_first

    def with_children(self, children):
        return UnresolvedSort(children[0], self.ascending, self.nulls_first)

    def resolve(self, scope):
        return SortOrder(self.children[0].resolve(scope), self.ascending, self.nulls_first)

    def sql(self):
        return "%s %s NULLS %s" % (self.children[0].sql(), "ASC" if self.ascending else "DESC",
                                   "FIRST" if self.nulls_first else "LAST")


class UnresolvedExtract(UnresolvedExpression):
    def __init__(self, child, key):
        self.children = (child, key)

    def with_children(self, children):
        return UnresolvedExtract(*children)

    def resolve(self, scope):
        base = self.children[0].resolve(scope)
        key = self.children[1].resolve(scope)
        t = base.dataType
        if isinstance(t, T.StructType):
            name = key.value
            names = [f.name for f in t.fields if f.name.lower() == str(name).lower()]
            if not names:
                raise analysis_exception("FIELD_NOT_FOUND", fieldName="`%s`" % name,
                                         fields=", ".join("`%s`" % f.name for f in t.fields))
            field = ExtractField(base, key, names[0])
            field.named_by_path = getattr(self, "named_by_path", False)
            return field
        return ExtractField(base, key)


class _UpdateFields(UnresolvedExpression):
    """``withField``/``dropFields``: Spark's ``UpdateFields``, resolved into a struct built from
    the base struct's fields (null where the base struct is null)."""

    def __init__(self, child, ops):
        self.children = (child,) + tuple(v for _, _, v in ops if v is not None)
        self.ops = ops

    def with_children(self, children):
        values = iter(children[1:])
        return _UpdateFields(children[0], [(k, p, next(values) if v is not None else None)
                                           for k, p, v in self.ops])

    def resolve(self, scope):
        base = self.children[0].resolve(scope)
        if not isinstance(base.dataType, T.StructType):
            pretty = "update_fields(%s, %s)" % (base.sql(), ", ".join(
                "dropfield()" if kind == "drop" else "WithField(%s)" % v.resolve(scope).sql()
                for kind, _, v in self.ops))
            raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr='"%s"' % pretty,
                                     paramIndex="first", requiredType='"STRUCT"', inputSql='"%s"' % base.sql(),
                                     inputType='"%s"' % base.dataType.simpleString().upper())
        fields = [(f.name, ExtractField(base, Literal(f.name), f.name)) for f in base.dataType.fields]
        values = [None if v is None else v.resolve(scope) for _, _, v in self.ops]
        pretty = "update_fields(%s, %s)" % (base.sql(), ", ".join(
            "dropfield()" if kind == "drop" else "WithField(%s)" % v.sql()
            for (kind, _, _), v in zip(self.ops, values)))
        for (kind, path, _), value in zip(self.ops, values):
            fields = _update_fields(fields, kind, path, value, base, pretty)
        return _Named(_struct_of(fields, base), pretty)


class _Named(Expression):
    """A resolved expression shown under Spark's name for it (``update_fields(a, WithField(1))``)."""
    resolved = True

    def __init__(self, child, pretty):
        self.children = (child,)
        self.pretty = pretty

    def with_children(self, children):
        return _Named(children[0], self.pretty)

    @property
    def dataType(self):
        return self.children[0].dataType

    @property
    def nullable(self):
        return self.children[0].nullable

    def sql(self):
        return self.pretty

    def duck(self):
        return self.children[0].duck()


def _update_fields(fields, kind, path, value, base, pretty):
    head, rest = path[0], path[1:]
    matching = [i for i, (n, _) in enumerate(fields) if n.lower() == head.lower()]
    if rest:
        if not matching:
            if kind == "drop":
                return fields
            raise analysis_exception("FIELD_NOT_FOUND", fieldName="`%s`" % head,
                                     fields=", ".join("`%s`" % n for n, _ in fields))
        out = list(fields)
        for i in matching:
            name, expr = fields[i]
            if not isinstance(expr.dataType, T.StructType):
                raise analysis_exception("INVALID_EXTRACT_BASE_FIELD_TYPE", base="`%s`" % name,
                                         other='"%s"' % expr.dataType.simpleString().upper())
            inner = [(f.name, ExtractField(expr, Literal(f.name), f.name)) for f in expr.dataType.fields]
            out[i] = (name, _struct_of(_update_fields(inner, kind, rest, value, expr, pretty), expr))
        return out
    if kind == "drop":
        out = [f for i, f in enumerate(fields) if i not in matching]
        if not out:
            raise analysis_exception("DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS", sqlExpr='"%s"' % pretty)
        return out
    if matching:
        return [(n, value) if i in matching else (n, e) for i, (n, e) in enumerate(fields)]
    return fields + [(head, value)]


def _struct_of(fields, base):
    from .function_registry import lookup
    struct = lookup("struct")([Alias(e, n) for n, e in fields])
    if not base.nullable:
        return struct
    return CaseWhen.make([(IsNull(base), Literal(None))], struct)


class UnresolvedWindow(UnresolvedExpression):
    def __init__(self, func, spec):
        self.children = (func,)
        self.spec = spec

    def with_children(self, children):
        return UnresolvedWindow(children[0], self.spec)

    def resolve(self, scope):
        from .expressions import AggregateFunction, WindowFunction
        f = self.children[0].resolve(scope)
        if not isinstance(f, (AggregateFunction, WindowFunction)):
            raise analysis_exception("UNSUPPORTED_EXPR_FOR_WINDOW", sqlExpr='"%s"' % f.sql())
        spec = self.spec
        if spec is None:
            we = WindowExpression(f, [], [], None)
        else:
            we = WindowExpression(f, [p._expr for p in spec._partition], [o for o in spec._orders()], spec._frame)
        return we.resolve(scope)


class UnresolvedBinary(UnresolvedExpression):
    def __init__(self, cls, left, right, symbol):
        self.cls = cls
        self.children = (left, right)
        self.symbol = symbol

    def with_children(self, children):
        return UnresolvedBinary(self.cls, children[0], children[1], self.symbol)

    def resolve(self, scope):
        l, r = self.children[0].resolve(scope), self.children[1].resolve(scope)
        if self.cls is Not:
            return Not(EqualTo.make(l, r))
        return self.cls.make(l, r)

    def sql(self):
        return "(%s %s %s)" % (self.children[0].sql(), self.symbol, self.children[1].sql())


class UnresolvedUnary(UnresolvedExpression):
    def __init__(self, fn, child, label):
        self.fn = fn
        self.children = (child,)
        self.label = label

    def with_children(self, children):
        return UnresolvedUnary(self.fn, children[0], self.label)

    def resolve(self, scope):
        return self.fn(self.children[0].resolve(scope))

    def sql(self):
        return self.label or "%s(%s)" % (getattr(self.fn, "__name__", "op"), self.children[0].sql())


def lit_repr(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return "'%s'" % v
    if isinstance(v, int):
        return str(v) if -2 ** 31 <= v < 2 ** 31 else "%dL" % v
    if isinstance(v, float):
        return format_double(v)
    return str(v)


def _to_expr(x):
    if isinstance(x, Column):
        return x._expr, x._repr
    if isinstance(x, str):
        raise TypeError
    return Literal(x), lit_repr(x)


def _operand(x):
    if isinstance(x, Column):
        return x._expr, x._repr
    if isinstance(x, (list, tuple)) and not isinstance(x, str):
        return Literal(list(x)), "array(%s)" % ", ".join(lit_repr(v) for v in x)
    return Literal(x), lit_repr(x)


def dataframe_origin(method):
    """The origin Spark records for an expression the DataFrame API built: the Column method
    and the user's line that called it (printed when the expression fails at run time)."""
    from ..callsite import user_call_site
    from ..errors import QueryOrigin
    return QueryOrigin(method=method, call_site=user_call_site(2))


def _bin(cls, symbol, swap=False, repr_name=None, method=None):
    def op(self, other):
        oe, orr = _operand(other)
        if swap:
            c = Column(UnresolvedBinary(cls, oe, self._expr, symbol), "%s(%s, %s)" % (repr_name or symbol, orr, self._repr))
        else:
            c = Column(UnresolvedBinary(cls, self._expr, oe, symbol), "%s(%s, %s)" % (repr_name or symbol, self._repr, orr))
        if method is not None:
            c._expr.origin = dataframe_origin(method)
        return c
    return op


class Column:
    """A column expression (PySpark's ``pyspark.sql.Column``).

    >>> from sparklet.sql import functions as F
    >>> F.col("age") + 1
    Column<'+(age, 1)'>
    """

    def __init__(self, expr, repr_text=None):
        self._expr = expr
        self._repr = repr_text if repr_text is not None else expr.sql()

    def __repr__(self):
        return "Column<'%s'>" % self._repr

    __add__ = _bin(Add, "+")
    __radd__ = _bin(Add, "+", swap=True)
    __sub__ = _bin(Subtract, "-")
    __rsub__ = _bin(Subtract, "-", swap=True)
    __mul__ = _bin(Multiply, "*")
    __rmul__ = _bin(Multiply, "*", swap=True)
    __truediv__ = _bin(Divide, "/", method="__truediv__")
    __rtruediv__ = _bin(Divide, "/", swap=True, method="__rtruediv__")
    __div__ = __truediv__
    __mod__ = _bin(Remainder, "%", method="__mod__")
    __rmod__ = _bin(Remainder, "%", swap=True, method="__rmod__")
    __lt__ = _bin(LessThan, "<")
    __le__ = _bin(LessThanOrEqual, "<=")
    __gt__ = _bin(GreaterThan, ">")
    __ge__ = _bin(GreaterThanOrEqual, ">=")
    __and__ = _bin(And, "AND", repr_name="and")
    __rand__ = _bin(And, "AND", swap=True, repr_name="and")
    __or__ = _bin(Or, "OR", repr_name="or")
    __ror__ = _bin(Or, "OR", swap=True, repr_name="or")
    eqNullSafe = _bin(EqualNullSafe, "<=>")

    def __eq__(self, other):
        return _bin(EqualTo, "=")(self, other)

    def __ne__(self, other):
        oe, orr = _operand(other)
        return Column(UnresolvedBinary(NotEqual, self._expr, oe, "!="), "!(=(%s, %s))" % (self._repr, orr))

    def __hash__(self):
        return id(self)

    def __pow__(self, other):
        return _power(self, other)

    def __rpow__(self, other):
        return _power(other, self)

    def __neg__(self):
        return Column(UnresolvedUnary(lambda e: UnaryMinus(e, True), self._expr, "(- %s)" % self._expr.sql()), "negative(%s)" % self._repr)

    def __invert__(self):
        return Column(UnresolvedUnary(_not, self._expr, "(NOT %s)" % self._expr.sql()), "!(%s)" % self._repr)

    def __bool__(self):
        from ..errors import PySparkValueError
        raise PySparkValueError(errorClass="CANNOT_CONVERT_COLUMN_INTO_BOOL", messageParameters={})

    __nonzero__ = __bool__

    def __iter__(self):
        from ..errors import PySparkTypeError
        raise PySparkTypeError(errorClass="NOT_ITERABLE", messageParameters={"objectName": "Column"})

    def __contains__(self, item):
        from ..errors import PySparkValueError
        raise PySparkValueError(errorClass="CANNOT_APPLY_IN_FOR_COLUMN", messageParameters={})

    def __getattr__(self, item):
        if item.startswith("__"):
            raise AttributeError(item)
        return self[item]

    def __getitem__(self, k):
        if isinstance(k, slice):
            return self.substr(k.start, k.stop)
        ke, kr = _operand(k)
        extract = UnresolvedExtract(self._expr, ke)
        # Spark names a field taken through the Column API by its path (`r.a`); a dotted column
        # name string (`"r.a"`) resolves to the field's own name (`a`).
        extract.named_by_path = True
        return Column(extract, "%s[%s]" % (self._repr, kr.strip("'")))

    def getItem(self, key):
        return self[key]

    def getField(self, name):
        return self[name]

    def alias(self, *alias, **kwargs):
        metadata = kwargs.pop("metadata", None)
        assert not kwargs, "Unexpected kwargs where passed: %s" % kwargs
        if metadata is not None and len(alias) != 1:
            from ..errors import PySparkValueError
            raise PySparkValueError(errorClass="ONLY_ALLOWED_FOR_SINGLE_COLUMN",
                                    messageParameters={"arg_name": "metadata"})
        if len(alias) == 1:
            return Column(UnresolvedAlias(self._expr, alias[0], metadata), "%s AS %s" % (self._repr, alias[0]))
        return Column(_MultiAlias(self._expr, list(alias)), "multialias(%s)" % self._repr)

    name = alias
    as_ = alias

    def cast(self, dataType):
        if isinstance(dataType, str):
            dataType = T._parse_datatype_string(dataType)
        c = Column(UnresolvedCast(self._expr, dataType), "CAST(%s AS %s)" % (self._repr, dataType.simpleString().upper()))
        c._expr.origin = dataframe_origin("cast")
        return c

    astype = cast

    def try_cast(self, dataType):
        if isinstance(dataType, str):
            dataType = T._parse_datatype_string(dataType)
        return Column(UnresolvedCast(self._expr, dataType, ansi=False),
                      "TRY_CAST(%s AS %s)" % (self._repr, dataType.simpleString().upper()))

    def transform(self, f):
        return f(self)

    def isNull(self):
        return Column(UnresolvedUnary(IsNull, self._expr, "(%s IS NULL)" % self._expr.sql()), "isNull(%s)" % self._repr)

    def isNotNull(self):
        return Column(UnresolvedUnary(IsNotNull, self._expr, "(%s IS NOT NULL)" % self._expr.sql()),
                      "isNotNull(%s)" % self._repr)

    def isNaN(self):
        return _invoke("isnan", self)

    def isin(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
            cols = tuple(cols[0])
        items = [_operand(c) for c in cols]
        return Column(_UnresolvedIn(self._expr, [e for e, _ in items]),
                      "in(%s)" % ", ".join([self._repr] + [r for _, r in items]))

    def between(self, lowerBound, upperBound):
        return (self >= lowerBound) & (self <= upperBound)

    def _fn(self, name, *others):
        return _invoke(name, self, *[_lit(o) for o in others])

    def like(self, other):
        return self._fn("like", other)

    def ilike(self, other):
        return self._fn("ilike", other)

    def rlike(self, other):
        return self._fn("rlike", other)

    def contains(self, other):
        return self._fn("contains", other)

    def startswith(self, other):
        return self._fn("startswith", other)

    def endswith(self, other):
        return self._fn("endswith", other)

    def substr(self, startPos, length):
        return self._fn("substr", startPos, length)

    def asc(self):
        return Column(UnresolvedSort(self._expr, True), "%s ASC NULLS FIRST" % self._repr)

    def asc_nulls_first(self):
        return Column(UnresolvedSort(self._expr, True, True), "%s ASC NULLS FIRST" % self._repr)

    def asc_nulls_last(self):
        return Column(UnresolvedSort(self._expr, True, False), "%s ASC NULLS LAST" % self._repr)

    def desc(self):
        return Column(UnresolvedSort(self._expr, False), "%s DESC NULLS LAST" % self._repr)

    def desc_nulls_first(self):
        return Column(UnresolvedSort(self._expr, False, True), "%s DESC NULLS FIRST" % self._repr)

    def desc_nulls_last(self):
        return Column(UnresolvedSort(self._expr, False, False), "%s DESC NULLS LAST" % self._repr)

    def when(self, condition, value):
        e = self._expr
        if not isinstance(e, UnresolvedWhen) or e.else_value is not None:
            from ..errors import PySparkValueError
            raise PySparkValueError(errorClass="WHEN_OTHERWISE_ON_UNSUPPORTED_COLUMN", messageParameters={})
        ve, vr = _operand(value)
        r = self._repr[:-3] + "WHEN %s THEN %s END" % (condition._repr, vr)
        return Column(UnresolvedWhen(e.branches + [(condition._expr, ve)]), r)

    def otherwise(self, value):
        e = self._expr
        if not isinstance(e, UnresolvedWhen) or e.else_value is not None:
            from ..errors import PySparkValueError
            raise PySparkValueError(errorClass="WHEN_OTHERWISE_ON_UNSUPPORTED_COLUMN", messageParameters={})
        ve, vr = _operand(value)
        return Column(UnresolvedWhen(e.branches, ve), self._repr[:-3] + "ELSE %s END" % vr)

    def over(self, window=None):
        # no window: the whole result is one unordered window
        return Column(UnresolvedWindow(self._expr, window),
                      "%s OVER (%s)" % (self._repr, window._repr() if window is not None else ""))

    def _bitwise(self, symbol, other):
        from .expressions import Arithmetic
        oe, orr = _operand(other)
        return Column(UnresolvedBinary(_BITWISE[symbol], self._expr, oe, symbol), "%s(%s, %s)" % (symbol, self._repr, orr))

    def bitwiseAND(self, other):
        return self._bitwise("&", other)

    def bitwiseOR(self, other):
        return self._bitwise("|", other)

    def bitwiseXOR(self, other):
        return self._bitwise("^", other)

    def dropFields(self, *fieldNames):
        """The struct without the named fields (``"e.g"`` reaches into a nested struct).

        >>> df = spark.createDataFrame([((1, 2, (4, 5)),)], "a struct<b:int,c:int,e:struct<f:int,g:int>>")
        >>> df.select(df.a.dropFields("b", "e.g").alias("a")).collect()
        [Row(a=Row(c=2, e=Row(f=4)))]
        """
        if not fieldNames:
            from ..errors import PySparkValueError
            raise PySparkValueError(errorClass="CANNOT_BE_EMPTY", messageParameters={"item": "field name"})
        ops = [("drop", parse_name_parts(n), None) for n in fieldNames]
        return Column(_UpdateFields(self._expr, ops), "dropFields(%s)" % self._repr)

    def withField(self, fieldName, col):
        """The struct with a field added or replaced (``"e.f"`` reaches into a nested struct).

        >>> from sparklet.sql.functions import lit
        >>> df = spark.createDataFrame([((1, 2),)], "a struct<b:int,c:int>")
        >>> df.select(df.a.withField("b", lit(3)).withField("d", lit(4)).alias("a")).collect()
        [Row(a=Row(b=3, c=2, d=4))]
        """
        from ..errors import PySparkTypeError
        if not isinstance(fieldName, str):
            raise PySparkTypeError(errorClass="NOT_STR", messageParameters={
                "arg_name": "fieldName", "arg_type": type(fieldName).__name__})
        if not isinstance(col, Column):
            raise PySparkTypeError(errorClass="NOT_COLUMN", messageParameters={
                "arg_name": "col", "arg_type": type(col).__name__})
        return Column(_UpdateFields(self._expr, [("with", parse_name_parts(fieldName), col._expr)]),
                      "withField(%s, %s)" % (self._repr, col._repr))


def _not(e):
    return Not(e)


def _bitwise_class(symbol, duck_op):
    from .expressions import Arithmetic

    class Bitwise(Arithmetic):
        pass
    Bitwise.symbol = symbol
    Bitwise.duck_symbol = duck_op
    if duck_op == "xor":
        Bitwise.duck = lambda self: "xor(%s, %s)" % (self.left.duck(), self.right.duck())
    Bitwise.__name__ = "Bitwise" + {"&": "And", "|": "Or", "^": "Xor"}[symbol]
    return Bitwise


_BITWISE = {"&": _bitwise_class("&", "&"), "|": _bitwise_class("|", "|"), "^": _bitwise_class("^", "xor")}


class _UnresolvedIn(UnresolvedExpression):
    def __init__(self, value, items):
        self.children = (value,) + tuple(items)

    def with_children(self, children):
        return _UnresolvedIn(children[0], children[1:])

    def resolve(self, scope):
        return In.make(*[c.resolve(scope) for c in self.children])


class _MultiAlias(UnresolvedExpression):
    def __init__(self, child, names):
        self.children = (child,)
        self.names = names

    def with_children(self, children):
        return _MultiAlias(children[0], self.names)

    def resolve(self, scope):
        e = self.children[0].resolve(scope)
        e._multi_alias = self.names
        return e


def col_of(x):
    """A Column for a column name or a Column."""
    if isinstance(x, Column):
        return x
    if isinstance(x, str):
        if x == "*":
            return Column(UnresolvedStar(), "*")
        if x.endswith(".*"):
            return Column(UnresolvedStar(parse_name_parts(x[:-2])), x)
        return Column(UnresolvedAttribute(parse_name_parts(x)), x)
    from ..errors import PySparkTypeError
    raise PySparkTypeError(errorClass="NOT_COLUMN_OR_STR",
                           messageParameters={"arg_name": "col", "arg_type": type(x).__name__})


def _invoke(name, *cols, distinct=False, ignore_nulls=False, repr_name=None, repr_args=None):
    """A call of the registry function `name` on Columns or column names: what
    ``pyspark.sql.functions`` and Column's own methods build."""
    cs = [col_of(c) for c in cols]
    r = "%s(%s)" % (repr_name or name, ", ".join(repr_args if repr_args is not None else [c._repr for c in cs]))
    return Column(UnresolvedFunction(name, [c._expr for c in cs], distinct, ignore_nulls), r)


def _lit(value):
    """A Column for a literal value (a list or tuple becomes an array); a Column stays as it is."""
    if isinstance(value, Column):
        return value
    if isinstance(value, (list, tuple)):
        return _invoke("array", *[_lit(v) for v in value])
    return Column(Literal(value), lit_repr(value))


def _power(col1, col2):
    """``power``: a string is a column name, anything else a Column or a literal."""
    return _invoke("power", col1 if isinstance(col1, str) else _lit(col1),
                   col2 if isinstance(col2, str) else _lit(col2))
