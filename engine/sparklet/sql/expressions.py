"""Expressions of the logical plan: what a ``Column`` holds and what SQL text parses into.

An expression is built *unresolved* (``col("age") + 1`` knows names, not types) and becomes
*resolved* when the analyzer binds it to the output of a plan (``resolve(scope)``): attributes find
their ``AttributeReference`` (case-insensitive, as ``spark.sql.caseSensitive=false``), functions
find their definition, and type coercion inserts implicit casts. A resolved expression knows:

- ``dataType`` and ``nullable`` (Spark 4's rules: ``sum(int)`` is ``bigint``, ``/`` is ``double``);
- ``name``: the column name Spark generates for it (``(age + 1)``, ``avg(salary)``, ``count(1)``),
  computed from what the user wrote, so implicit casts never show in it;
- ``explain()``: the form ``explain()`` prints (``(age#1L + 1)``);
- ``duck()``: the DuckDB SQL that evaluates it over an Arrow partition whose columns are named by
  attribute id (``c12``), so duplicate or case-variant user names never clash inside the engine.

Semantics the per-partition engine does not share with Spark (ANSI errors, truncating casts,
HALF_UP rounding, 1-based ``substring`` with position 0) are written into ``duck()`` here; nothing
downstream decides a semantic question.
"""

import datetime
import decimal
import itertools
import math

from . import types as T
# the type rules live below this module so that aggregation can use them too; they stay importable
# from here
from .typeops import (  # noqa: F401
    INTEGRAL_ORDER, decimal_for_integral, duck_ident, duck_type, is_fractional, is_integral, is_numeric,
    is_string, type_key, wider_type,
)

_ids = itertools.count()


def new_id():
    return next(_ids)


class AnalysisError(Exception):
    """Raised while resolving; the API layer turns it into ``AnalysisException``."""

    def __init__(self, error_class, message_parameters, message=None):
        super().__init__(message or error_class)
        self.error_class = error_class
        self.message_parameters = message_parameters


def analysis_exception(error_class, **params):
    from ..errors import AnalysisException
    return AnalysisException(errorClass=error_class, messageParameters={k: str(v) for k, v in params.items()})


def table_not_found(parts):
    """The error for a table or view name (its dot-separated ``parts``) that no catalog knows,
    with the search path a Spark 4 session reports.

    >>> str(table_not_found(["nope"])).splitlines()[0]
    '[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. Verify the spelling and correctness of the schema and catalog.'
    """
    return analysis_exception("TABLE_OR_VIEW_NOT_FOUND", relationName=".".join(quote_ident(p) for p in parts),
                              searchPath="[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]")


def quote_ident(name):
    """Backquote a name the way Spark's messages and SQL show it (`a b` → ```a b```)."""
    return "`" + name.replace("`", "``") + "`"


def literal_type(value):
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.IntegerType() if -2 ** 31 <= value < 2 ** 31 else T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    if isinstance(value, str):
        return T.StringType()
    if isinstance(value, decimal.Decimal):
        sign, digits, exp = value.as_tuple()
        scale = max(0, -exp)
        precision = max(len(digits), scale, 1)
        return T.DecimalType(precision, scale)
    if isinstance(value, datetime.datetime):
        return T.TimestampType()
    if isinstance(value, datetime.date):
        return T.DateType()
    if isinstance(value, (bytes, bytearray)):
        return T.BinaryType()
    if isinstance(value, (list, tuple)):
        elem = T.NullType()
        for v in value:
            elem = wider_type(elem, literal_type(v)) or elem
        return T.ArrayType(elem, any(v is None for v in value))
    raise analysis_exception("UNSUPPORTED_FEATURE.LITERAL_TYPE", value=repr(value), type=type(value).__name__)


# --------------------------------------------------------------------------------------------
# base classes


# The error conditions whose message Spark annotates with the failing expression's position.
_POSITIONED = ("UNRESOLVED_COLUMN", "UNRESOLVED_ROUTINE", "UNRESOLVED_FIELD", "DATATYPE_MISMATCH",
               "AMBIGUOUS_REFERENCE", "WRONG_NUM_ARGS")


def _keep_origin(with_children):
    def wrapped(self, children):
        new = with_children(self, children)
        if self.origin is not None and new is not self and new.origin is None:
            new.origin = self.origin
        return new
    wrapped.keeps_origin = True
    return wrapped


def _resolve_with_origin(resolve):
    def wrapped(self, scope):
        origin = self.origin
        if origin is None:
            return resolve(self, scope)
        from ..errors import AnalysisException
        try:
            out = resolve(self, scope)
        except AnalysisException as e:
            if origin.sql is not None and (e.getCondition() or "").startswith(_POSITIONED):
                e.at_position(*origin.line_pos())
            raise
        carry_origin(out, origin)
        return out
    wrapped.keeps_origin = True
    return wrapped


def carry_origin(e, origin):
    """Give the expression that may fail at run time (a division, an ANSI cast) the origin of the
    unresolved expression it was resolved from, looking through the alias a cast is named by."""
    while isinstance(e, Alias):
        e = e.child
    if getattr(e, "runtime_errors", False) and e.origin is None:
        e.origin = origin


def origin_marker(e):
    """The origin of ``e`` encoded for an ``error()`` message of the engine's SQL (no quotes or
    bars), decoded by ``engine.spark_error`` into the context Spark prints."""
    if e.origin is None:
        return ""
    import base64
    return "ctx:" + base64.b64encode(e.origin.runtime_context().encode("utf-8")).decode("ascii")


class Expression:
    children = ()
    resolved = False
    foldable = False
    nullable = True
    dataType = None
    # where the expression came from (errors.QueryOrigin), for the context errors print
    origin = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, wrap in (("with_children", _keep_origin), ("resolve", _resolve_with_origin)):
            fn = cls.__dict__.get(name)
            if fn is not None and not getattr(fn, "keeps_origin", False):
                setattr(cls, name, wrap(fn))

    def resolve(self, scope):
        if self.resolved:
            return self
        raise NotImplementedError(type(self).__name__)

    def with_children(self, children):
        raise NotImplementedError(type(self).__name__)

    @property
    def name(self):
        return self.sql()

    def sql(self):
        """Spark's pretty SQL form, used for generated column names."""
        raise NotImplementedError(type(self).__name__)

    def explain(self):
        return self.sql()

    def duck(self):
        raise NotImplementedError(type(self).__name__)

    def references(self):
        out = []
        for c in self.children:
            out.extend(c.references())
        return out

    def contains(self, cls):
        return isinstance(self, cls) or any(c.contains(cls) for c in self.children)

    def transform(self, fn):
        new = self.with_children([c.transform(fn) for c in self.children]) if self.children else self
        return fn(new)

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, self.sql() if self.resolved else "?")


def resolve_all(exprs, scope):
    return [e.resolve(scope) for e in exprs]


class LeafExpression(Expression):
    def with_children(self, children):
        return self


# --------------------------------------------------------------------------------------------
# attributes


class AttributeReference(LeafExpression):
    resolved = True

    def __init__(self, name, dataType, nullable=True, expr_id=None, qualifier=(), metadata=None):
        self._name = name
        self.dataType = dataType
        self.nullable = nullable
        self.expr_id = new_id() if expr_id is None else expr_id
        self.qualifier = tuple(qualifier)
        # the field's metadata (alias(metadata=...), withMetadata): a dict, or None for none
        self.metadata = metadata

    @property
    def name(self):
        return self._name

    def resolve(self, scope):
        return self

    def with_name(self, name):
        return AttributeReference(name, self.dataType, self.nullable, self.expr_id, self.qualifier, self.metadata)

    def with_qualifier(self, q):
        return AttributeReference(self._name, self.dataType, self.nullable, self.expr_id, q, self.metadata)

    def with_nullability(self, nullable):
        return AttributeReference(self._name, self.dataType, nullable, self.expr_id, self.qualifier, self.metadata)

    def new_instance(self):
        return AttributeReference(self._name, self.dataType, self.nullable, None, self.qualifier, self.metadata)

    def sql(self):
        return self._name

    def explain(self):
        return "%s#%d%s" % (self._name, self.expr_id, "L" if isinstance(self.dataType, T.LongType) else "")

    @property
    def col(self):
        return "c%d" % self.expr_id

    def duck(self):
        return self.col

    def references(self):
        return [self]

    def __eq__(self, other):
        return isinstance(other, AttributeReference) and other.expr_id == self.expr_id

    def __hash__(self):
        return hash(self.expr_id)


class UnresolvedAttribute(LeafExpression):
    """A column named by the user: ``col("a")``, ``"t.a"``, ``a.b`` (a struct field)."""

    def __init__(self, parts, plan_id=None):
        self.parts = list(parts)

    @classmethod
    def quoted(cls, text):
        return cls(parse_name_parts(text))

    def sql(self):
        return ".".join(self.parts) if all(_plain(p) for p in self.parts) else ".".join(quote_ident(p) for p in self.parts)

    def resolve(self, scope):
        return scope.resolve_name(self.parts)


def _plain(part):
    return part.replace("_", "a").isalnum() or part == "*"


def parse_name_parts(text):
    """Split ``a.b`` / ```a.b`.c`` into name parts, as Spark's attribute parser does."""
    parts, cur, i, quoted_any = [], "", 0, False
    while i < len(text):
        ch = text[i]
        if ch == "`":
            j = i + 1
            while True:
                k = text.find("`", j)
                if k < 0:
                    from ..errors import AnalysisException
                    raise AnalysisException(errorClass="INVALID_ATTRIBUTE_NAME_SYNTAX",
                                            messageParameters={"name": text})
                if k + 1 < len(text) and text[k + 1] == "`":
                    cur += text[j:k] + "`"
                    j = k + 2
                    continue
                cur += text[j:k]
                i = k + 1
                break
            quoted_any = True
            continue
        if ch == ".":
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    return parts


class UnresolvedStar(LeafExpression):
    def __init__(self, target=None):
        self.target = target

    def sql(self):
        return "*" if not self.target else ".".join(self.target) + ".*"

    def expand(self, scope):
        return scope.expand_star(self.target)

    def resolve(self, scope):
        raise analysis_exception("INVALID_USAGE_OF_STAR_OR_REGEX", elem="'*'", prettyName="expression")


class Alias(Expression):
    resolved = False

    def __init__(self, child, alias, expr_id=None, metadata=None):
        self.children = (child,)
        self.alias = alias
        self.expr_id = new_id() if expr_id is None else expr_id
        self.resolved = child.resolved
        self.explicit_metadata = metadata

    @property
    def child(self):
        return self.children[0]

    @property
    def metadata(self):
        """The explicit metadata, else a column's own (Spark's Alias keeps a named child's)."""
        if self.explicit_metadata is not None:
            return self.explicit_metadata
        return getattr(self.child, "metadata", None) if isinstance(self.child, AttributeReference) else None

    def with_children(self, children):
        return Alias(children[0], self.alias, self.expr_id, self.explicit_metadata)

    def resolve(self, scope):
        return Alias(self.child.resolve(scope), self.alias, self.expr_id, self.explicit_metadata)

    @property
    def dataType(self):
        return self.child.dataType

    @property
    def nullable(self):
        return self.child.nullable

    @property
    def name(self):
        return self.alias

    def sql(self):
        return self.child.sql() + " AS " + quote_ident(self.alias)

    def explain(self):
        return "%s AS %s#%d%s" % (self.child.explain(), self.alias, self.expr_id,
                                  "L" if isinstance(self.dataType, T.LongType) else "")

    def duck(self):
        return self.child.duck()

    def to_attribute(self):
        return AttributeReference(self.alias, self.dataType, self.nullable, self.expr_id, metadata=self.metadata)


def to_attribute(e):
    """The attribute a projected expression produces (a generated name for an unnamed one)."""
    if isinstance(e, AttributeReference):
        return e
    if isinstance(e, Alias):
        return e.to_attribute()
    raise TypeError(e)


def named(e):
    """Wrap an unnamed resolved expression in an Alias carrying Spark's generated name."""
    if isinstance(e, (AttributeReference, Alias, Explode)):
        return e
    if isinstance(e, ExtractField) and e.field_name is not None:
        if getattr(e, "named_by_path", False):
            return Alias(e, e.sql())
        return Alias(e, e.field_name)
    return Alias(e, e.name)


def strip_alias(e):
    while isinstance(e, Alias):
        e = e.child
    return e


# --------------------------------------------------------------------------------------------
# literals


def format_double(v):
    """Java's ``Double.toString`` (what Spark prints and names columns with)."""
    from .show import java_double_to_string
    return java_double_to_string(v)


def format_float(v):
    from .show import java_float_to_string
    return java_float_to_string(v)


class Literal(LeafExpression):
    resolved = True
    foldable = True

    def __init__(self, value, dataType=None):
        self.value = value
        self.dataType = literal_type(value) if dataType is None else dataType
        self.nullable = value is None

    def resolve(self, scope):
        return self

    def sql(self):
        v = self.value
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(self.dataType, T.DoubleType):
            return format_double(v)
        if isinstance(self.dataType, T.FloatType):
            return format_float(v)
        if isinstance(self.dataType, T.StructType):
            values = [v.get(f.name) for f in self.dataType.fields] if isinstance(v, dict) else list(v)
            return "named_struct(%s)" % ", ".join("%s, %s" % (f.name, Literal(x, f.dataType).sql())
                                                  for f, x in zip(self.dataType.fields, values))
        if isinstance(self.dataType, T.MapType):
            items = v.items() if isinstance(v, dict) else v
            return "map(%s)" % ", ".join("%s, %s" % (Literal(k, self.dataType.keyType).sql(),
                                                     Literal(x, self.dataType.valueType).sql()) for k, x in items)
        if isinstance(v, (list, tuple)):
            return "array(%s)" % ", ".join(Literal(x, self.dataType.elementType).sql() for x in v)
        if isinstance(self.dataType, T.StructType):
            return "named_struct(%s)" % ", ".join("'%s', %s" % (f.name, Literal(x, f.dataType).sql())
                                                  for f, x in zip(self.dataType.fields, v))
        if isinstance(self.dataType, T.MapType):
            return "map(%s)" % ", ".join("%s, %s" % (Literal(k, self.dataType.keyType).sql(),
                                                     Literal(x, self.dataType.valueType).sql()) for k, x in v.items())
        if isinstance(self.dataType, T.DateType):
            return "DATE '%s'" % v.isoformat()
        if isinstance(self.dataType, T.TimestampType):
            from .show import timestamp_to_string
            return "TIMESTAMP '%s'" % timestamp_to_string(v)
        if isinstance(v, (bytes, bytearray)):
            return "X'%s'" % bytes(v).hex().upper()
        return str(v)

    def explain(self):
        if self.value is None:
            return "null"
        if isinstance(self.dataType, T.DateType):
            return str(self.value)
        return self.sql()

    def duck(self):
        return duck_literal(self.value, self.dataType)


def duck_literal(v, t):
    if v is None:
        return "CAST(NULL AS %s)" % duck_type(t if not isinstance(t, T.NullType) else T.IntegerType())
    if isinstance(t, T.BooleanType):
        return "TRUE" if v else "FALSE"
    if isinstance(t, T.StringType):
        return "'" + str(v).replace("'", "''") + "'"
    if isinstance(t, (T.DoubleType, T.FloatType)):
        if v != v:
            return "CAST('NaN' AS %s)" % duck_type(t)
        if v in (math.inf, -math.inf):
            return "CAST('%sInfinity' AS %s)" % ("-" if v < 0 else "", duck_type(t))
        if v == 0 and math.copysign(1.0, v) < 0:
            # DuckDB reads -0.0 as the decimal 0.0 negated, which loses the sign
            return "CAST('-0.0' AS %s)" % duck_type(t)
        return "CAST(%r AS %s)" % (float(v), duck_type(t))
    if isinstance(t, T.DateType):
        return "DATE '%s'" % v.isoformat()
    if isinstance(t, T.TimestampType):
        # an instant: a naive value is the process's local time (as collect() gives it), which
        # must not be read in the session time zone the engine computes in
        import datetime as _dt
        return "TIMESTAMPTZ '%s'" % v.astimezone(_dt.timezone.utc).isoformat(sep=" ")
    if isinstance(t, T.TimestampNTZType):
        return "TIMESTAMP '%s'" % v.isoformat(sep=" ")
    if isinstance(t, T.ArrayType):
        return "CAST([%s] AS %s)" % (", ".join(duck_literal(x, t.elementType) for x in v), duck_type(t))
    if isinstance(t, T.StructType):
        return "struct_pack(%s)" % ", ".join('"%s" := %s' % (f.name.replace('"', '""'), duck_literal(x, f.dataType))
                                             for f, x in zip(t.fields, v))
    if isinstance(t, T.MapType):
        return "CAST(map([%s], [%s]) AS %s)" % (", ".join(duck_literal(k, t.keyType) for k in v),
                                                ", ".join(duck_literal(x, t.valueType) for x in v.values()),
                                                duck_type(t))
    if isinstance(t, T.BinaryType):
        return "'%s'::BLOB" % "".join("\\x%02x" % b for b in v)
    if isinstance(t, T.MapType):
        # a folded map constant (a dict, or the pairs Arrow gives back)
        items = list(v.items()) if isinstance(v, dict) else list(v)
        return "CAST(map([%s], [%s]) AS %s)" % (
            ", ".join(duck_literal(k, t.keyType) for k, _ in items),
            ", ".join(duck_literal(x, t.valueType) for _, x in items), duck_type(t))
    if isinstance(t, T.StructType):
        values = [v.get(f.name) for f in t.fields] if isinstance(v, dict) else list(v)
        return "CAST(struct_pack(%s) AS %s)" % (", ".join(
            '"%s" := %s' % (f.name.replace('"', '""'), duck_literal(x, f.dataType))
            for f, x in zip(t.fields, values)) or "", duck_type(t))
    return "CAST(%s AS %s)" % (v, duck_type(t))


# --------------------------------------------------------------------------------------------
# casts


class Cast(Expression):
    runtime_errors = True

    def __init__(self, child, to, implicit=False, ansi=True, column_name=None):
        self.children = (child,)
        self.to = to
        self.ansi = ansi
        self.implicit = implicit
        # a user's cast of a column is named after that column where it is projected as is
        # (`df.select(df.age.cast("string"))` has a column `age`); nested, it keeps its SQL text
        self.column_name = column_name
        self.resolved = child.resolved
        self.dataType = to
        self.nullable = child.nullable if child.resolved else True

    @property
    def child(self):
        return self.children[0]

    @property
    def foldable(self):
        return self.child.foldable

    @property
    def name(self):
        return self.column_name or self.sql()

    def with_children(self, children):
        return Cast(children[0], self.to, self.implicit, self.ansi, self.column_name)

    def resolve(self, scope):
        child = self.child.resolve(scope)
        check_cast(child.dataType, self.to, child)
        c = Cast(child, self.to, self.implicit, self.ansi, self.column_name)
        c.nullable = child.nullable or (is_string(child.dataType) and not is_string(self.to)) or not self.ansi
        return c

    def sql(self):
        if self.implicit:
            return self.child.sql()
        return "%s(%s AS %s)" % ("CAST" if self.ansi else "TRY_CAST", self.child.sql(), self.to.simpleString().upper())

    def explain(self):
        return "%s(%s as %s)" % ("cast" if self.ansi else "try_cast", self.child.explain(), self.to.simpleString())

    def duck(self):
        if not self.ansi:
            return "TRY_CAST(%s AS %s)" % (self.child.duck(), duck_type(self.to))
        out = duck_cast(self.child.duck(), self.child.dataType, self.to)
        marker = origin_marker(self)
        if marker:
            # the origin rides after the target type in the CAST_INVALID_INPUT message
            end = "|%s')" % self.to.simpleString().upper()
            out = out.replace(end, end[:-2] + "|" + marker + "')")
        return out


def check_cast(frm, to, child):
    ok = True
    if isinstance(to, (T.ArrayType, T.MapType, T.StructType)) or isinstance(frm, (T.ArrayType, T.MapType, T.StructType)):
        ok = frm == to or isinstance(frm, T.NullType) or is_string(to) or (
            isinstance(frm, T.ArrayType) and isinstance(to, T.ArrayType)) or (
            isinstance(frm, T.MapType) and isinstance(to, T.MapType))
    elif isinstance(frm, T.DateType) and (is_numeric(to) or isinstance(to, T.BooleanType)):
        ok = False
    elif isinstance(to, T.DateType) and (is_numeric(frm) or isinstance(frm, T.BooleanType)):
        ok = False
    if not ok:
        raise analysis_exception("DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
                                 sqlExpr=quote_ident(Cast(child, to).sql()), srcType='"%s"' % frm.simpleString().upper(),
                                 targetType='"%s"' % to.simpleString().upper())


def _raise_sql(error_class, message):
    # error() text travels back from the engine and is mapped to Spark's exception class
    return "error('%s|%s')" % (error_class, message.replace("'", "''"))


def duck_cast(x, frm, to):
    if frm == to:
        return x
    if isinstance(frm, T.NullType):
        return "CAST(%s AS %s)" % (x, duck_type(to))
    if is_integral(to) and (is_fractional(frm) or isinstance(frm, T.DecimalType)):
        # Spark truncates toward zero; DuckDB rounds. Out-of-range is an ANSI overflow.
        return "CAST(trunc(%s) AS %s)" % (x, duck_type(to))
    if is_integral(to) and is_string(frm):
        return ("CASE WHEN %s IS NULL THEN NULL WHEN regexp_full_match(trim(%s), '[+-]?[0-9]+') "
                "THEN CAST(trim(%s) AS %s) ELSE %s END") % (
            x, x, x, duck_type(to), _raise_cast_invalid(x, to))
    if is_fractional(to) and is_string(frm):
        return "COALESCE(TRY_CAST(trim(%s) AS %s), CASE WHEN %s IS NULL THEN NULL ELSE %s END)" % (
            x, duck_type(to), x, _raise_cast_invalid(x, to))
    if isinstance(to, (T.DateType, T.TimestampType, T.DecimalType, T.BooleanType)) and is_string(frm):
        return "COALESCE(TRY_CAST(trim(%s) AS %s), CASE WHEN %s IS NULL THEN NULL ELSE %s END)" % (
            x, duck_type(to), x, _raise_cast_invalid(x, to))
    if is_string(to):
        if isinstance(frm, T.DoubleType) or isinstance(frm, T.FloatType):
            return "spark_double_str(%s)" % x
        if isinstance(frm, T.BooleanType):
            return "CASE WHEN %s THEN 'true' WHEN NOT %s THEN 'false' END" % (x, x)
        if isinstance(frm, T.TimestampType):
            return "regexp_replace(strftime(%s, '%%Y-%%m-%%d %%H:%%M:%%S.%%f'), '\\.?0*$', '')" % x
        if isinstance(frm, T.ArrayType):
            return "('[' || array_to_string(list_transform(%s, lambda v: coalesce(%s, 'NULL')), ', ') || ']')" % (
                x, duck_cast("v", frm.elementType, T.StringType()))
        return "CAST(%s AS VARCHAR)" % x
    if isinstance(frm, T.BooleanType) and is_numeric(to):
        return "CAST(CAST(%s AS INTEGER) AS %s)" % (x, duck_type(to))
    if isinstance(frm, T.TimestampType) and is_integral(to):
        return "CAST(epoch(%s) AS %s)" % (x, duck_type(to))
    return "CAST(%s AS %s)" % (x, duck_type(to))


def _raise_cast_invalid(x, to):
    return "error('CAST_INVALID_INPUT|' || %s || '|%s')" % (x, to.simpleString().upper())


# --------------------------------------------------------------------------------------------
# operators


class UnresolvedExpression(Expression):
    """An operator or function call whose children are not resolved yet. ``factory`` builds the
    resolved node from resolved children (so Column operators and SQL text share one path)."""

    def __init__(self, factory, children, label):
        self.factory = factory
        self.children = tuple(children)
        self.label = label

    def with_children(self, children):
        return UnresolvedExpression(self.factory, children, self.label)

    def resolve(self, scope):
        return self.factory(*[c.resolve(scope) for c in self.children])

    label = None

    def sql(self):
        if callable(self.label):
            return self.label(*[c.sql() for c in self.children])
        if self.label:
            return self.label
        return "%s(%s)" % (type(self).__name__.replace("Unresolved", "").lstrip("_").lower(),
                           ", ".join(c.sql() for c in self.children))


class BinaryOperator(Expression):
    resolved = True
    symbol = "?"

    def __init__(self, left, right):
        self.children = (left, right)

    @property
    def left(self):
        return self.children[0]

    @property
    def right(self):
        return self.children[1]

    @property
    def foldable(self):
        return self.left.foldable and self.right.foldable

    def with_children(self, children):
        return type(self)(*children)

    @property
    def nullable(self):
        return self.left.nullable or self.right.nullable

    def sql(self):
        return "(%s %s %s)" % (self.left.sql(), self.symbol, self.right.sql())

    def explain(self):
        return "(%s %s %s)" % (self.left.explain(), self.symbol, self.right.explain())

    def duck(self):
        return "(%s %s %s)" % (self.left.duck(), self.duck_symbol, self.right.duck())

    @property
    def duck_symbol(self):
        return self.symbol


def _type_mismatch(expr_sql, left, right):
    raise analysis_exception(
        "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", sqlExpr=quote_ident(expr_sql),
        left='"%s"' % left.simpleString().upper(), right='"%s"' % right.simpleString().upper())


def coerce_pair(left, right, expr_sql, string_to=T.DoubleType):
    """Implicit casts that make two operands one type (Spark 4 ANSI ``ImplicitTypeCasts``)."""
    lt, rt = left.dataType, right.dataType
    if lt == rt:
        return left, right, lt
    if is_string(lt) and (is_numeric(rt) or isinstance(rt, (T.DateType, T.TimestampType, T.BooleanType))):
        target = rt if not is_numeric(rt) else (string_to() if string_to else rt)
        if is_numeric(rt) and string_to is None:
            target = T.LongType() if is_integral(rt) else rt
        w = wider_type(target, rt) or rt
        return Cast(left, w, implicit=True), _cast_to(right, w), w
    if is_string(rt) and (is_numeric(lt) or isinstance(lt, (T.DateType, T.TimestampType, T.BooleanType))):
        r2, l2, w = coerce_pair(right, left, expr_sql, string_to)
        return l2, r2, w
    w = wider_type(lt, rt)
    if w is None:
        _type_mismatch(expr_sql, lt, rt)
    return _cast_to(left, w), _cast_to(right, w), w


def _cast_to(e, t):
    return e if e.dataType == t else Cast(e, t, implicit=True)


class Arithmetic(BinaryOperator):
    def __init__(self, left, right, dataType=None):
        super().__init__(left, right)
        self.dataType = dataType

    def with_children(self, children):
        return type(self)(children[0], children[1], self.dataType)

    @classmethod
    def make(cls, left, right):
        sql = "(%s %s %s)" % (left.sql(), cls.symbol, right.sql())
        for side in (left, right):
            t = side.dataType
            if not (is_numeric(t) or is_string(t) or isinstance(t, T.NullType)
                    or (cls in (Add, Subtract) and isinstance(t, (T.DateType, T.TimestampType)))):
                if left.dataType != right.dataType:
                    raise analysis_exception(
                        "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", left='"%s"' % left.dataType.simpleString().upper(),
                        right='"%s"' % right.dataType.simpleString().upper(), sqlExpr='"%s"' % sql)
                raise analysis_exception(
                    "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE", sqlExpr=quote_ident(sql),
                    inputType='"%s"' % t.simpleString().upper(), actualDataType='"%s"' % t.simpleString().upper())
        if cls in (Add, Subtract) and isinstance(left.dataType, T.DateType) and is_integral(right.dataType):
            return DateAdd(left, right, negate=cls is Subtract, label=sql)
        if cls is Subtract and isinstance(left.dataType, T.DateType) and isinstance(right.dataType, T.DateType):
            return Function("datediff", [left, right], T.IntegerType(), sql_name=sql,
                            duck="datediff('day', {1}, {0})")
        l2, r2, w = coerce_pair(left, right, sql)
        if isinstance(w, T.NullType):
            w = T.DoubleType() if cls is Divide else T.IntegerType()
            l2, r2 = _cast_to(l2, w), _cast_to(r2, w)
        return cls._typed(l2, r2, w)

    @classmethod
    def _typed(cls, l, r, w):
        if isinstance(w, T.DecimalType):
            return cls(l, r, cls.decimal_result(_decimal_operand_type(l), _decimal_operand_type(r)))
        return cls(l, r, w)

    @staticmethod
    def decimal_result(a, b):
        return a

    def duck(self):
        # DuckDB sizes a decimal result by its own rules (a product keeps both scales): cast it to
        # the type Spark gives the operation
        if isinstance(self.dataType, T.DecimalType):
            return "CAST(%s AS %s)" % (super().duck(), duck_type(self.dataType))
        return super().duck()


def _bounded_decimal(precision, scale):
    # Spark's DecimalType.adjustPrecisionScale (allowPrecisionLoss=true)
    if precision <= 38:
        return T.DecimalType(precision, scale)
    int_digits = precision - scale
    min_scale = min(scale, 6)
    adj_scale = max(38 - int_digits, min_scale)
    return T.DecimalType(38, adj_scale)


def _decimal_operand_type(e):
    """An integer literal takes part in decimal arithmetic with its own digits (Spark's
    ``DecimalType.fromLiteral``); other integers with their type's full precision."""
    # the operand as written: the implicit cast to the pair's wider type is not what Spark sizes
    # the result by (`bigint * 1.1` is decimal(20,0) * decimal(2,1), not two decimal(21,1)s)
    inner = e.child if isinstance(e, Cast) and e.implicit else e
    if isinstance(inner, Literal) and is_integral(inner.dataType) and inner.value is not None:
        return T.DecimalType(max(1, len(str(abs(inner.value)))), 0)
    if isinstance(inner.dataType, T.DecimalType):
        return inner.dataType
    if is_integral(inner.dataType):
        return decimal_for_integral(inner.dataType)
    return e.dataType


class Add(Arithmetic):
    symbol = "+"

    @staticmethod
    def decimal_result(a, b):
        scale = max(a.scale, b.scale)
        return _bounded_decimal(max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale)


class Subtract(Add):
    symbol = "-"


class Multiply(Arithmetic):
    symbol = "*"

    @staticmethod
    def decimal_result(a, b):
        return _bounded_decimal(a.precision + b.precision + 1, a.scale + b.scale)


class Divide(Arithmetic):
    symbol = "/"
    nullable = True
    runtime_errors = True

    @classmethod
    def _typed(cls, l, r, w):
        if isinstance(w, T.DecimalType):
            a, b = _decimal_operand_type(l), _decimal_operand_type(r)
            scale = max(6, a.scale + b.precision + 1)
            prec = a.precision - a.scale + b.scale + scale
            return cls(l, r, _bounded_decimal(prec, scale))
        d = T.DoubleType()
        return cls(_cast_to(l, d), _cast_to(r, d), d)

    @property
    def nullable(self):
        return True

    def duck(self):
        l, r = self.left.duck(), self.right.duck()
        if isinstance(self.dataType, T.DecimalType):
            return "CAST(CASE WHEN %s = 0 THEN %s ELSE %s / %s END AS %s)" % (
                r, _raise_sql("DIVIDE_BY_ZERO", origin_marker(self)), l, r, duck_type(self.dataType))
        return "(CASE WHEN %s = 0 THEN %s ELSE %s / %s END)" % (
            r, _raise_sql("DIVIDE_BY_ZERO", origin_marker(self)), l, r)


class Remainder(Arithmetic):
    symbol = "%"
    runtime_errors = True

    @staticmethod
    def decimal_result(a, b):
        scale = max(a.scale, b.scale)
        return _bounded_decimal(min(a.precision - a.scale, b.precision - b.scale) + scale, scale)

    @property
    def nullable(self):
        return True

    def duck(self):
        l, r = self.left.duck(), self.right.duck()
        if is_fractional(self.dataType):
            # DuckDB's % on doubles keeps the dividend's sign as Java's does (its fmod does not)
            return "(CASE WHEN %s = 0 THEN CAST('NaN' AS DOUBLE) ELSE %s %% %s END)" % (r, l, r)
        return "(CASE WHEN %s = 0 THEN %s ELSE %s %% %s END)" % (
            r, _raise_sql("REMAINDER_BY_ZERO", origin_marker(self)), l, r)


class Pmod(Remainder):
    def sql(self):
        return "pmod(%s, %s)" % (self.left.sql(), self.right.sql())

    def explain(self):
        return "pmod(%s, %s)" % (self.left.explain(), self.right.explain())

    def duck(self):
        l, r = self.left.duck(), self.right.duck()
        m = Remainder.duck(self)
        return "(CASE WHEN %s < 0 THEN %s ELSE %s END)" % (m, Remainder(Add(Remainder(self.left, self.right, self.dataType), self.right, self.dataType), self.right, self.dataType).duck(), m)


class Comparison(BinaryOperator):
    dataType = T.BooleanType()

    @classmethod
    def make(cls, left, right):
        sql = "(%s %s %s)" % (left.sql(), cls.symbol, right.sql())
        lt, rt = left.dataType, right.dataType
        if (isinstance(lt, T.DateType) and is_string(rt)) or (isinstance(rt, T.DateType) and is_string(lt)):
            return cls(_cast_to(left, T.DateType()), _cast_to(right, T.DateType()))
        if is_string(lt) and is_numeric(rt) or is_string(rt) and is_numeric(lt):
            num = rt if is_numeric(rt) else lt
            w = T.LongType() if is_integral(num) else (T.DoubleType() if is_fractional(num) else num)
            w = wider_type(w, num)
            return cls(_cast_to(left, w), _cast_to(right, w))
        l2, r2, w = coerce_pair(left, right, sql)
        return cls(l2, r2)


class EqualTo(Comparison):
    symbol = "="


class NotEqual(Comparison):
    symbol = "!="

    def sql(self):
        return "(NOT (%s = %s))" % (self.left.sql(), self.right.sql())

    def explain(self):
        return "NOT (%s = %s)" % (self.left.explain(), self.right.explain())

    duck_symbol = "<>"


class EqualNullSafe(Comparison):
    symbol = "<=>"
    duck_symbol = "IS NOT DISTINCT FROM"
    nullable = False


class LessThan(Comparison):
    symbol = "<"


class LessThanOrEqual(Comparison):
    symbol = "<="


class GreaterThan(Comparison):
    symbol = ">"


class GreaterThanOrEqual(Comparison):
    symbol = ">="


class And(BinaryOperator):
    symbol = "AND"
    dataType = T.BooleanType()

    @classmethod
    def make(cls, left, right):
        for side in (left, right):
            if not isinstance(side.dataType, (T.BooleanType, T.NullType)):
                raise analysis_exception(
                    "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE",
                    sqlExpr=quote_ident("(%s %s %s)" % (left.sql(), cls.symbol, right.sql())),
                    inputType='"BOOLEAN"', actualDataType='"%s"' % side.dataType.simpleString().upper())
        return cls(_cast_to(left, T.BooleanType()), _cast_to(right, T.BooleanType()))


class Or(And):
    symbol = "OR"


class Not(Expression):
    resolved = True
    dataType = T.BooleanType()

    def __init__(self, child):
        self.children = (child,)

    def with_children(self, children):
        return Not(children[0])

    @property
    def nullable(self):
        return self.children[0].nullable

    @property
    def foldable(self):
        return self.children[0].foldable

    def sql(self):
        return "(NOT %s)" % self.children[0].sql()

    def explain(self):
        return "NOT %s" % self.children[0].explain()

    def duck(self):
        return "(NOT %s)" % self.children[0].duck()


class UnaryMinus(Expression):
    resolved = True

    def __init__(self, child, api_name=False):
        self.children = (child,)
        self.dataType = child.dataType
        self.api_name = api_name

    def with_children(self, children):
        return UnaryMinus(children[0], self.api_name)

    @property
    def nullable(self):
        return self.children[0].nullable

    @property
    def foldable(self):
        return self.children[0].foldable

    def sql(self):
        # Column's unary minus is named as the function call; SQL's ``-x`` keeps its operator form
        if self.api_name:
            return "negative(%s)" % self.children[0].sql()
        return "(- %s)" % self.children[0].sql()

    def explain(self):
        return "-%s" % self.children[0].explain()

    def duck(self):
        return "(- %s)" % self.children[0].duck()


class IsNull(Expression):
    resolved = True
    dataType = T.BooleanType()
    nullable = False
    word = "IS NULL"

    def __init__(self, child):
        self.children = (child,)

    def with_children(self, children):
        return type(self)(children[0])

    @property
    def foldable(self):
        return self.children[0].foldable

    def sql(self):
        return "(%s %s)" % (self.children[0].sql(), self.word)

    def explain(self):
        return "%s(%s)" % (self.word.replace(" ", "").lower(), self.children[0].explain())

    def duck(self):
        return "(%s %s)" % (self.children[0].duck(), self.word)


class IsNotNull(IsNull):
    word = "IS NOT NULL"


class In(Expression):
    resolved = True
    dataType = T.BooleanType()

    def __init__(self, value, items):
        self.children = (value,) + tuple(items)

    def with_children(self, children):
        return In(children[0], children[1:])

    @classmethod
    def make(cls, value, *items):
        w = value.dataType
        for it in items:
            w = wider_type(w, it.dataType) or w
        return In(_cast_to(value, w), [_cast_to(i, w) for i in items])

    @property
    def nullable(self):
        return any(c.nullable for c in self.children)

    def sql(self):
        return "(%s IN (%s))" % (self.children[0].sql(), ", ".join(c.sql() for c in self.children[1:]))

    def explain(self):
        return "%s IN (%s)" % (self.children[0].explain(), ",".join(c.explain() for c in self.children[1:]))

    def duck(self):
        if len(self.children) == 1:
            return "FALSE"
        return "(%s IN (%s))" % (self.children[0].duck(), ", ".join(c.duck() for c in self.children[1:]))


class CaseWhen(Expression):
    resolved = True

    def __init__(self, branches, else_value=None):
        self.branches = [(c, v) for c, v in branches]
        self.else_value = else_value
        kids = []
        for c, v in self.branches:
            kids += [c, v]
        if else_value is not None:
            kids.append(else_value)
        self.children = tuple(kids)

    def with_children(self, children):
        n = len(self.branches)
        br = [(children[2 * i], children[2 * i + 1]) for i in range(n)]
        return CaseWhen(br, children[2 * n] if len(children) > 2 * n else None)

    @classmethod
    def make(cls, branches, else_value):
        w = T.NullType()
        for _, v in branches:
            w = wider_type(w, v.dataType) or _type_mismatch("CASE", w, v.dataType)
        if else_value is not None:
            w = wider_type(w, else_value.dataType) or _type_mismatch("CASE", w, else_value.dataType)
        br = [(_cast_to(c, T.BooleanType()) if isinstance(c.dataType, T.NullType) else c, _cast_to(v, w))
              for c, v in branches]
        return CaseWhen(br, None if else_value is None else _cast_to(else_value, w))

    @property
    def dataType(self):
        return self.branches[0][1].dataType

    @property
    def nullable(self):
        return self.else_value is None or any(v.nullable for _, v in self.branches) or self.else_value.nullable

    def sql(self):
        s = "CASE" + "".join(" WHEN %s THEN %s" % (c.sql(), v.sql()) for c, v in self.branches)
        if self.else_value is not None:
            s += " ELSE %s" % self.else_value.sql()
        return s + " END"

    def explain(self):
        s = "CASE" + "".join(" WHEN %s THEN %s" % (c.explain(), v.explain()) for c, v in self.branches)
        if self.else_value is not None:
            s += " ELSE %s" % self.else_value.explain()
        return s + " END"

    def duck(self):
        s = "CASE" + "".join(" WHEN %s THEN %s" % (c.duck(), v.duck()) for c, v in self.branches)
        if self.else_value is not None:
            s += " ELSE %s" % self.else_value.duck()
        return s + " END"


class SortOrder(Expression):
    def __init__(self, child, ascending=True, nulls_first=None):
        self.children = (child,)
        self.ascending = ascending
        self.nulls_first = ascending if nulls_first is None else nulls_first
        self.resolved = child.resolved

    @property
    def child(self):
        return self.children[0]

    def with_children(self, children):
        return SortOrder(children[0], self.ascending, self.nulls_first)

    def resolve(self, scope):
        return SortOrder(self.child.resolve(scope), self.ascending, self.nulls_first)

    @property
    def dataType(self):
        return self.child.dataType

    def _dir(self):
        return "%s NULLS %s" % ("ASC" if self.ascending else "DESC", "FIRST" if self.nulls_first else "LAST")

    def sql(self):
        return "%s %s" % (self.child.sql(), self._dir())

    def explain(self):
        return "%s %s" % (strip_alias(self.child).explain(), self._dir())

    def duck(self):
        return "%s %s" % (self.child.duck(), self._dir())


class ExtractField(Expression):
    """``s.field`` of a struct, ``a[i]`` of an array, ``m[k]`` of a map."""
    resolved = True

    def __init__(self, child, key, field_name=None):
        self.children = (child, key)
        self.field_name = field_name
        t = child.dataType
        if isinstance(t, T.StructType):
            self.dataType = t[field_name].dataType
        elif isinstance(t, T.ArrayType):
            self.dataType = t.elementType
        elif isinstance(t, T.MapType):
            self.dataType = t.valueType
        else:
            raise analysis_exception("INVALID_EXTRACT_BASE_FIELD_TYPE", base=quote_ident(child.sql()),
                                     other='"%s"' % t.simpleString().upper())

    def with_children(self, children):
        return ExtractField(children[0], children[1], self.field_name)

    @property
    def nullable(self):
        # a struct's field is null only where the struct or the field may be (GetStructField);
        # an array element or map value may always be missing
        t = self.children[0].dataType
        if isinstance(t, T.StructType):
            return self.children[0].nullable or t[self.field_name].nullable
        return True

    def sql(self):
        if isinstance(self.children[0].dataType, T.StructType):
            return "%s.%s" % (self.children[0].sql(), self.field_name)
        return "%s[%s]" % (self.children[0].sql(), self.children[1].sql())

    def explain(self):
        if isinstance(self.children[0].dataType, T.StructType):
            return "%s.%s" % (self.children[0].explain(), self.field_name)
        return "%s[%s]" % (self.children[0].explain(), self.children[1].explain())

    def duck(self):
        base, key = self.children[0].duck(), self.children[1]
        t = self.children[0].dataType
        if isinstance(t, T.StructType):
            return "struct_extract(%s, %s)" % (base, duck_literal(self.field_name, T.StringType()))
        if isinstance(t, T.ArrayType):
            return "(%s)[%s + 1]" % (base, key.duck())
        return "element_at(%s, %s)[1]" % (base, key.duck())


# --------------------------------------------------------------------------------------------
# functions


class Function(Expression):
    """A scalar function: Spark's name rule (``lower(name)``), result type, and DuckDB template
    (``{0}``, ``{1}`` stand for the arguments' DuckDB SQL)."""
    resolved = True

    def __init__(self, fname, args, dataType, nullable=None, sql_name=None, duck=None, explain_name=None,
                 deterministic=True, name_args=None):
        self.fname = fname
        self.children = tuple(args)
        self.dataType = dataType
        self._nullable = nullable
        self.sql_name = sql_name
        self.template = duck
        self.explain_name = explain_name
        self.deterministic = deterministic
        self.name_args = name_args

    def with_children(self, children):
        return Function(self.fname, children, self.dataType, self._nullable, self.sql_name, self.template,
                        self.explain_name, self.deterministic, self.name_args)

    @property
    def foldable(self):
        return self.deterministic and all(c.foldable for c in self.children) and bool(self.children) \
            and self.fname not in ("current_date", "current_timestamp", "rand", "randn")

    @property
    def nullable(self):
        if self._nullable is not None:
            return self._nullable
        return any(c.nullable for c in self.children)

    def sql(self):
        if self.sql_name is not None:
            return self.sql_name
        args = self.children if self.name_args is None else self.name_args
        return "%s(%s)" % (self.fname, ", ".join(a.sql() for a in args))

    def explain(self):
        return "%s(%s)" % (self.explain_name or self.fname, ", ".join(a.explain() for a in self.children))

    def duck(self):
        args = [a.duck() for a in self.children]
        if callable(self.template):
            return self.template(*args)
        return (self.template or self.fname + "(" + ", ".join("{%d}" % i for i in range(len(args))) + ")").format(*args)


class DateAdd(Expression):
    resolved = True
    dataType = T.DateType()

    def __init__(self, start, days, negate=False, label=None):
        self.children = (start, days)
        self.negate = negate
        self.label = label

    def with_children(self, children):
        return DateAdd(children[0], children[1], self.negate, self.label)

    @property
    def nullable(self):
        return any(c.nullable for c in self.children)

    def sql(self):
        return self.label or "%s(%s, %s)" % ("date_sub" if self.negate else "date_add",
                                             self.children[0].sql(), self.children[1].sql())

    def explain(self):
        return "%s(%s, %s)" % ("date_sub" if self.negate else "date_add", self.children[0].explain(),
                               self.children[1].explain())

    def duck(self):
        return "CAST(%s %s CAST(%s AS INTEGER) AS DATE)" % (
            self.children[0].duck(), "-" if self.negate else "+", self.children[1].duck())


class AggregateFunction(Expression):
    """An aggregate: evaluated as partial buffers per map partition, merged after the exchange.

    ``kind`` names the aggregate (count, sum, avg, min, max, first, last, collect_list,
    collect_set, stddev_samp, var_samp, ...); ``distinct`` marks ``count(DISTINCT x)``.
    """
    resolved = True

    def __init__(self, kind, args, dataType, nullable=True, distinct=False, sql_name=None, ignore_nulls=False):
        self.kind = kind
        self.children = tuple(args)
        self.dataType = dataType
        self.nullable = nullable
        self.distinct = distinct
        self.sql_name = sql_name
        self.ignore_nulls = ignore_nulls

    def with_children(self, children):
        return AggregateFunction(self.kind, children, self.dataType, self.nullable, self.distinct,
                                 self.sql_name, self.ignore_nulls)

    def sql(self):
        if self.sql_name:
            return self.sql_name
        return "%s(%s%s)" % (self.kind, "DISTINCT " if self.distinct else "",
                             ", ".join(c.sql() for c in self.children))

    def explain(self, mode=None):
        # Spark's plans name an aggregate called by an alias (mean, stddev, variance) by that alias
        name = self.sql_name.split("(", 1)[0] if self.sql_name else self.kind
        if self.kind == "count" and not self.children:
            return "%s(1)" % ("partial_count" if mode else "count")
        if mode:
            name = mode + "_" + name
        return "%s(%s%s)" % (name, "distinct " if self.distinct else "",
                             ", ".join(c.explain() for c in self.children))

    def duck(self):
        raise RuntimeError("an aggregate is evaluated by the aggregate operator")


class WindowFrame:
    def __init__(self, kind, lower, upper):
        self.kind = kind  # "rows" | "range"
        self.lower = lower  # None = unbounded, int offset (0 = current row)
        self.upper = upper

    def _bound(self, b, side):
        if b is None:
            return "unbounded%s" % side
        if b == 0:
            return "currentrow$()"
        return str(b)

    def explain(self):
        return "specifiedwindowframe(%s, %s, %s)" % (
            "RowFrame" if self.kind == "rows" else "RangeFrame",
            self._bound(self.lower, "preceding$()"), self._bound(self.upper, "following$()"))

    def sql(self):
        def b(x, side):
            if x is None:
                return "UNBOUNDED " + side
            if x == 0:
                return "CURRENT ROW"
            # Spark prints every offset as FOLLOWING, negative for rows before the current one
            return "%d FOLLOWING" % x
        return "%s BETWEEN %s AND %s" % ("ROWS" if self.kind == "rows" else "RANGE",
                                         b(self.lower, "PRECEDING"), b(self.upper, "FOLLOWING"))

    def duck(self):
        def b(x, side):
            if x is None:
                return "UNBOUNDED " + side
            if x == 0:
                return "CURRENT ROW"
            return "%d %s" % (abs(x), "PRECEDING" if x < 0 else "FOLLOWING")
        return "%s BETWEEN %s AND %s" % ("ROWS" if self.kind == "rows" else "RANGE",
                                         b(self.lower, "PRECEDING"), b(self.upper, "FOLLOWING"))


class WindowExpression(Expression):
    def __init__(self, func, partition_by, order_by, frame=None):
        self.func = func
        self.partition_by = list(partition_by)
        self.order_by = list(order_by)
        self.frame = frame
        self.children = (func,) + tuple(self.partition_by) + tuple(self.order_by)
        self.resolved = all(c.resolved for c in self.children)

    def with_children(self, children):
        n, m = len(self.partition_by), len(self.order_by)
        return WindowExpression(children[0], children[1:1 + n], children[1 + n:1 + n + m], self.frame)

    def resolve(self, scope):
        func = self.func.resolve(scope)
        parts = resolve_all(self.partition_by, scope)
        orders = resolve_all(self.order_by, scope)
        if isinstance(func, WindowFunction) and func.requires_order and not orders:
            raise analysis_exception("WINDOW_FUNCTION_WITHOUT_ORDER_CLAUSE", funcName=quote_ident(func.sql()))
        frame = self.frame
        if frame is None:
            if isinstance(func, WindowFunction):
                frame = WindowFrame("rows", None, 0) if func.kind in ("row_number", "rank", "dense_rank",
                                                                      "percent_rank", "cume_dist", "ntile") \
                    else WindowFrame("rows", func.offset_frame, func.offset_frame)
            elif orders:
                frame = WindowFrame("range", None, 0)
            else:
                frame = WindowFrame("rows", None, None)
        return WindowExpression(func, parts, orders, frame)

    @property
    def dataType(self):
        return self.func.dataType

    @property
    def nullable(self):
        return self.func.nullable

    def _spec_sql(self, part, order, frame_text):
        bits = []
        if self.partition_by:
            bits.append("PARTITION BY " + ", ".join(part(p) for p in self.partition_by))
        if self.order_by:
            bits.append("ORDER BY " + ", ".join(order(o) for o in self.order_by))
        bits.append(frame_text)
        return " ".join(bits)

    def sql(self):
        return "%s OVER (%s)" % (self.func.sql(), self._spec_sql(lambda p: p.sql(), lambda o: o.sql(),
                                                                   self.frame.sql()))

    def explain(self):
        return "%s windowspecdefinition(%s)" % (
            self.func.explain(), ", ".join([p.explain() for p in self.partition_by] +
                                           [o.explain() for o in self.order_by] + [self.frame.explain()]))

    def duck(self):
        f = self.func
        frame = "" if isinstance(f, WindowFunction) else self.frame.duck()
        if isinstance(f, AggregateFunction):
            from .aggregation import window_agg_sql
            over = "%s OVER (%s)" % (window_agg_sql(f), self._spec_sql(lambda p: p.duck(), lambda o: o.duck(), frame))
            if f.kind == "count":
                return "CAST(coalesce(%s, 0) AS BIGINT)" % over
            return "CAST(%s AS %s)" % (over, duck_type(f.dataType))
        over = "%s OVER (%s)" % (f.duck(), self._spec_sql(lambda p: p.duck(), lambda o: o.duck(), frame))
        return "CAST(%s AS %s)" % (over, duck_type(f.dataType))


class WindowFunction(Expression):
    resolved = True

    def __init__(self, kind, args, dataType, nullable=True, offset=None, default=None, sql_name=None):
        self.kind = kind
        self.children = tuple(args)
        self.dataType = dataType
        self.nullable = nullable
        self.offset = offset
        self.default = default
        self.sql_name = sql_name

    def with_children(self, children):
        return WindowFunction(self.kind, children, self.dataType, self.nullable, self.offset, self.default,
                              self.sql_name)

    requires_order = True

    @property
    def offset_frame(self):
        return -self.offset if self.kind == "lag" else self.offset

    def sql(self):
        if self.sql_name:
            return self.sql_name
        return "%s(%s)" % (self.kind, ", ".join(c.sql() for c in self.children))

    def explain(self):
        return "%s(%s)" % (self.kind, ", ".join(c.explain() for c in self.children))

    def duck(self):
        if self.kind in ("lag", "lead"):
            d = self.default.duck() if self.default is not None else "NULL"
            return "%s(%s, %d, %s)" % (self.kind, self.children[0].duck(), self.offset, d)
        if self.kind == "ntile":
            return "ntile(%s)" % self.children[0].duck()
        return "%s()" % self.kind


#: the ids Python functions are registered under on an executor's DuckDB connection (``udf_<id>``):
#: one per user-defined function (and per call of one by name) and per built-in evaluated in Python
udf_ids = itertools.count(1)


class PythonUDF(Expression):
    """A Python function over rows of its arguments, evaluated by the operator that holds it."""
    resolved = True

    def __init__(self, func, fname, args, dataType, udf_id, labels=None):
        self.func = func
        self.fname = fname
        self.children = tuple(args)
        self.dataType = dataType
        self.udf_id = udf_id
        # "name => " before the arguments passed by name
        self.labels = labels or [""] * len(self.children)

    def with_children(self, children):
        return PythonUDF(self.func, self.fname, children, self.dataType, self.udf_id, self.labels)

    def sql(self):
        return "%s(%s)" % (self.fname, ", ".join(l + c.sql() for l, c in zip(self.labels, self.children)))

    def explain(self):
        return "%s(%s)#%d" % (self.fname, ", ".join(c.explain() for c in self.children), self.udf_id)

    def duck(self):
        return "udf_%d(%s)" % (self.udf_id, ", ".join(c.duck() for c in self.children))


class Explode(Expression):
    """A generator: one output row per element (``explode``, ``posexplode``, ``explode_outer``)."""
    resolved = True

    def __init__(self, child, outer=False, position=False, kind="explode"):
        self.children = (child,)
        self.outer = outer
        self.position = position
        self.kind = kind
        t = child.dataType
        if not isinstance(t, (T.ArrayType, T.MapType)):
            raise analysis_exception("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=quote_ident(
                "%s(%s)" % (kind, child.sql())), paramIndex="first", requiredType='("ARRAY" or "MAP")',
                inputSql=quote_ident(child.sql()), inputType='"%s"' % t.simpleString().upper())

    def with_children(self, children):
        return Explode(children[0], self.outer, self.position, self.kind)

    def output_fields(self):
        t = self.children[0].dataType
        fields = []
        if self.position:
            fields.append(("pos", T.IntegerType(), self.outer))
        if isinstance(t, T.ArrayType):
            fields.append(("col", t.elementType, t.containsNull or self.outer))
        else:
            fields.append(("key", t.keyType, self.outer))
            fields.append(("value", t.valueType, t.valueContainsNull or self.outer))
        return fields

    @property
    def dataType(self):
        return self.output_fields()[-1][1]

    def sql(self):
        return "%s(%s)" % (self.kind, self.children[0].sql())

    def explain(self):
        return "%s(%s)" % (self.kind, self.children[0].explain())
