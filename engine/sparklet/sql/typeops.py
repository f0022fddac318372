"""Type rules the analyzer and the aggregation planner share: Spark's numeric classes, the wider
type two types coerce to (``TypeCoercion.findWiderTypeForTwo``) and the DuckDB type that holds each
Spark type's values. Below ``expressions`` and ``aggregation``, which both use them.
"""

from . import types as T


def duck_ident(name):
    return '"' + name.replace('"', '""') + '"'


INTEGRAL_ORDER = ["byte", "short", "int", "bigint"]


def type_key(t):
    return t.simpleString()


def is_numeric(t):
    return isinstance(t, T.NumericType)


def is_integral(t):
    return isinstance(t, (T.ByteType, T.ShortType, T.IntegerType, T.LongType))


def is_fractional(t):
    return isinstance(t, (T.FloatType, T.DoubleType))


def is_string(t):
    return isinstance(t, T.StringType)


def decimal_for_integral(t):
    return {"tinyint": T.DecimalType(3, 0), "smallint": T.DecimalType(5, 0), "int": T.DecimalType(10, 0),
            "bigint": T.DecimalType(20, 0)}[t.simpleString()]


def wider_type(a, b):
    """Spark's ``findWiderTypeForTwo`` for the types the layer supports; None when incompatible."""
    if a == b:
        return a
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if is_numeric(a) and is_numeric(b):
        if isinstance(a, T.DecimalType) or isinstance(b, T.DecimalType):
            if (is_fractional(a) and not isinstance(a, T.DecimalType)) or \
                    (is_fractional(b) and not isinstance(b, T.DecimalType)):
                return T.DoubleType()
            da = a if isinstance(a, T.DecimalType) else decimal_for_integral(a)
            db = b if isinstance(b, T.DecimalType) else decimal_for_integral(b)
            scale = max(da.scale, db.scale)
            rng = max(da.precision - da.scale, db.precision - db.scale)
            return T.DecimalType(min(38, rng + scale), scale)
        order = [T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType]
        ia = next(i for i, c in enumerate(order) if isinstance(a, c))
        ib = next(i for i, c in enumerate(order) if isinstance(b, c))
        return order[max(ia, ib)]()
    if isinstance(a, T.DateType) and isinstance(b, T.TimestampType) or \
            isinstance(b, T.DateType) and isinstance(a, T.TimestampType):
        return T.TimestampType()
    if is_string(a) and not isinstance(b, (T.ArrayType, T.MapType, T.StructType)):
        return a if not is_numeric(b) and not isinstance(b, T.BooleanType) else None
    if is_string(b) and not isinstance(a, (T.ArrayType, T.MapType, T.StructType)):
        return b if not is_numeric(a) and not isinstance(a, T.BooleanType) else None
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        e = wider_type(a.elementType, b.elementType)
        return None if e is None else T.ArrayType(e, a.containsNull or b.containsNull)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        k, v = wider_type(a.keyType, b.keyType), wider_type(a.valueType, b.valueType)
        return None if k is None or v is None else T.MapType(k, v, a.valueContainsNull or b.valueContainsNull)
    if isinstance(a, T.StructType) and isinstance(b, T.StructType) and len(a.fields) == len(b.fields) and \
            all(x.name.lower() == y.name.lower() for x, y in zip(a.fields, b.fields)):
        types = [wider_type(x.dataType, y.dataType) for x, y in zip(a.fields, b.fields)]
        if any(t is None for t in types):
            return None
        return T.StructType([T.StructField(x.name, t, x.nullable or y.nullable)
                             for x, y, t in zip(a.fields, b.fields, types)])
    return None


def duck_type(t):
    """The DuckDB type that holds a Spark type's values (Arrow round-trips them unchanged)."""
    if isinstance(t, T.StringType):
        return "VARCHAR"
    if isinstance(t, T.LongType):
        return "BIGINT"
    if isinstance(t, T.IntegerType):
        return "INTEGER"
    if isinstance(t, T.ShortType):
        return "SMALLINT"
    if isinstance(t, T.ByteType):
        return "TINYINT"
    if isinstance(t, T.DoubleType):
        return "DOUBLE"
    if isinstance(t, T.FloatType):
        return "FLOAT"
    if isinstance(t, T.BooleanType):
        return "BOOLEAN"
    if isinstance(t, T.DecimalType):
        return "DECIMAL(%d,%d)" % (t.precision, t.scale)
    if isinstance(t, T.DateType):
        return "DATE"
    if isinstance(t, T.TimestampType):
        return "TIMESTAMPTZ"
    if isinstance(t, T.TimestampNTZType):
        return "TIMESTAMP"
    if isinstance(t, T.BinaryType):
        return "BLOB"
    if isinstance(t, T.NullType):
        return "INTEGER"
    if isinstance(t, T.ArrayType):
        return duck_type(t.elementType) + "[]"
    if isinstance(t, T.MapType):
        return "MAP(%s, %s)" % (duck_type(t.keyType), duck_type(t.valueType))
    if isinstance(t, T.StructType):
        return "STRUCT(%s)" % ", ".join("%s %s" % (duck_ident(f.name), duck_type(f.dataType)) for f in t.fields)
    raise TypeError("no engine type for %s" % t.simpleString())
