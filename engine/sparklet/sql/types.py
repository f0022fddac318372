"""Spark SQL's data types, ``Row``, DDL type strings, schema inference and the Arrow mapping.

This is ``pyspark.sql.types`` for Sparklet. A ``DataType`` describes one column (``LongType()``,
``ArrayType(StringType())``, ``StructType([...])``); a ``StructType`` is a DataFrame's schema.
The names a type shows go through four doors, each as Spark prints it:

- ``simpleString()``: SQL's short names, used by ``df.dtypes`` and ``DataFrame[...]``
  (``bigint``, ``int``, ``array<string>``, ``struct<a:int>``);
- ``typeName()`` / ``treeString()``: the catalog names ``printSchema`` prints
  (``long``, ``integer``, ``decimal(10,2)``);
- ``jsonValue()`` / ``json()``: the JSON schema format Spark stores in Parquet metadata;
- ``sql()`` (Sparklet's addition, Catalyst's ``DataType.sql``): upper-case SQL names used in
  generated column names and error messages (``BIGINT``, ``ARRAY<STRING>``, ``STRUCT<a: INT>``).

Rows on the driver are Python values (``int``, ``float``, ``Decimal``, ``datetime.date``, naive
local ``datetime.datetime`` for ``TimestampType``, ``list``, ``dict``, ``Row``); partitions on
executors are Arrow tables. ``to_arrow_type``/``from_arrow_type`` map the types (TimestampType
and TimestampNTZType are ``timestamp[us]`` (TimestampType holding wall-clock time in the
session time zone), DateType ``date32``,
DecimalType ``decimal128(p, s)``, MapType ``map<k, v>``), and ``rows_to_arrow`` /
``arrow_to_rows`` move rows across without losing dates, decimals or nesting.

Schema inference from Python values follows PySpark: ``int`` -> LongType, ``float`` ->
DoubleType, ``dict`` -> MapType, ``Row``/namedtuple/object -> StructType, ``None`` -> NullType
that merges into whatever type a later row shows (``_infer_schema`` and ``_merge_type``).
"""

import array as _array
import calendar
import datetime
import decimal
import json
import re
import time
from functools import reduce

from sparklet.errors import (
    PySparkAttributeError,
    PySparkKeyError,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
    parse_error,
)

__all__ = [
    "DataType", "NullType", "CharType", "StringType", "VarcharType", "BinaryType", "BooleanType",
    "DateType", "TimestampType", "TimestampNTZType", "DecimalType", "DoubleType", "FloatType",
    "ByteType", "IntegerType", "LongType", "DayTimeIntervalType", "YearMonthIntervalType",
    "CalendarIntervalType", "Row", "ShortType", "ArrayType", "MapType", "StructField",
    "StructType", "VariantType", "AtomicType", "NumericType", "IntegralType", "FractionalType",
    "DatetimeType", "AnsiIntervalType", "UserDefinedType",
]

JVM_INT_MAX = 2 ** 31 - 1


class DataType:
    """Base class of Spark SQL's data types.

    >>> LongType() == LongType(), LongType().simpleString(), LongType().typeName()
    (True, 'bigint', 'long')
    """

    def __repr__(self):
        return self.__class__.__name__ + "()"

    def __hash__(self):
        return hash(str(self))

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self.__dict__ == other.__dict__

    def __ne__(self, other):
        return not self.__eq__(other)

    @classmethod
    def typeName(cls):
        """The catalog name of the type, as ``printSchema`` shows it.

        >>> IntegerType().typeName()
        'integer'
        """
        return cls.__name__[:-4].lower()

    def simpleString(self):
        """The short SQL name of the type, as ``df.dtypes`` shows it.

        >>> IntegerType().simpleString()
        'int'
        """
        return self.typeName()

    def jsonValue(self):
        return self.typeName()

    def json(self):
        """The type in Spark's JSON schema format.

        >>> ArrayType(LongType()).json()
        '{"containsNull":true,"elementType":"long","type":"array"}'
        """
        return json.dumps(self.jsonValue(), separators=(",", ":"), sort_keys=True)

    def sql(self):
        """The upper-case SQL name Catalyst uses in column names and messages.

        >>> MapType(StringType(), LongType()).sql()
        'MAP<STRING, BIGINT>'
        """
        return self.simpleString().upper()

    def needConversion(self):
        """Whether values of this type differ between Python and Spark's internal form."""
        return False

    def toInternal(self, obj):
        return obj

    def fromInternal(self, obj):
        return obj

    def _as_nullable(self):
        return self

    @classmethod
    def fromDDL(cls, ddl):
        """Parses a DDL string (``"a INT, b STRING"``, ``"array<int>"``) into a DataType.

        >>> DataType.fromDDL("b string, a int")
        StructType([StructField('b', StringType(), True), StructField('a', IntegerType(), True)])
        >>> DataType.fromDDL("decimal(10,10)")
        DecimalType(10,10)
        """
        return _parse_datatype_string(ddl)

    def _tree_lines(self, prefix, lines, max_depth):
        """Lines ``treeString`` prints below a field of this type (nested types only)."""


class DataTypeSingleton(type):
    """Types without parameters have one instance."""

    _instances = {}

    def __call__(cls):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__()
        return cls._instances[cls]


class NullType(DataType, metaclass=DataTypeSingleton):
    """The type of ``None`` (``void`` in SQL).

    >>> NullType().simpleString()
    'void'
    """

    @classmethod
    def typeName(cls):
        return "void"


class AtomicType(DataType):
    """A type that is not an array, map or struct."""


class NumericType(AtomicType):
    """Numeric types."""


class IntegralType(NumericType, metaclass=DataTypeSingleton):
    """Integral types."""


class FractionalType(NumericType):
    """Fractional types."""


class StringType(AtomicType):
    """Strings (``string``), with an optional collation.

    >>> StringType(), StringType().simpleString()
    (StringType(), 'string')
    """

    def __init__(self, collation="UTF8_BINARY"):
        self.collation = collation

    def simpleString(self):
        if self.collation == "UTF8_BINARY":
            return "string"
        return "string collate %s" % self.collation

    def jsonValue(self):
        return "string"

    def __repr__(self):
        return "StringType()" if self.collation == "UTF8_BINARY" else "StringType('%s')" % self.collation

    def typeName(self):  # noqa: D102 - the instance knows its collation
        return self.simpleString()

    def sql(self):
        if self.collation == "UTF8_BINARY":
            return "STRING"
        return "STRING COLLATE %s" % self.collation


class CharType(AtomicType):
    """Fixed-length strings ``char(n)``.

    >>> CharType(10).simpleString()
    'char(10)'
    """

    def __init__(self, length):
        self.length = length

    def simpleString(self):
        return "char(%d)" % self.length

    typeName = simpleString
    jsonValue = simpleString

    def __repr__(self):
        return "CharType(%d)" % self.length


class VarcharType(AtomicType):
    """Bounded-length strings ``varchar(n)``.

    >>> VarcharType(10).simpleString()
    'varchar(10)'
    """

    def __init__(self, length):
        self.length = length

    def simpleString(self):
        return "varchar(%d)" % self.length

    typeName = simpleString
    jsonValue = simpleString

    def __repr__(self):
        return "VarcharType(%d)" % self.length


class BinaryType(AtomicType, metaclass=DataTypeSingleton):
    """Byte arrays (``bytearray`` in Python).

    >>> BinaryType().simpleString()
    'binary'
    """


class BooleanType(AtomicType, metaclass=DataTypeSingleton):
    """Booleans.

    >>> BooleanType().simpleString()
    'boolean'
    """


class DatetimeType(AtomicType):
    """Dates and timestamps."""


_EPOCH_ORDINAL = datetime.datetime(1970, 1, 1).toordinal()


class DateType(DatetimeType, metaclass=DataTypeSingleton):
    """Dates (``datetime.date``), internally days since 1970-01-01.

    >>> DateType().toInternal(datetime.date(1970, 1, 11))
    10
    >>> DateType().fromInternal(10)
    datetime.date(1970, 1, 11)
    """

    def needConversion(self):
        return True

    def toInternal(self, d):
        if d is not None:
            return d.toordinal() - _EPOCH_ORDINAL

    def fromInternal(self, v):
        if v is not None:
            return datetime.date.fromordinal(v + _EPOCH_ORDINAL)


class TimestampType(DatetimeType, metaclass=DataTypeSingleton):
    """Timestamps with local time zone semantics (naive ``datetime`` in local time on the
    driver), internally microseconds since the epoch in UTC.

    >>> TimestampType().simpleString()
    'timestamp'
    """

    def needConversion(self):
        return True

    def toInternal(self, dt):
        if dt is not None:
            seconds = (calendar.timegm(dt.utctimetuple()) if dt.tzinfo
                       else time.mktime(dt.timetuple()))
            return int(seconds) * 1000000 + dt.microsecond

    def fromInternal(self, ts):
        if ts is not None:
            return datetime.datetime.fromtimestamp(ts // 1000000).replace(microsecond=ts % 1000000)


class TimestampNTZType(DatetimeType, metaclass=DataTypeSingleton):
    """Timestamps without time zone (wall-clock ``datetime``).

    >>> TimestampNTZType().simpleString()
    'timestamp_ntz'
    """

    def needConversion(self):
        return True

    @classmethod
    def typeName(cls):
        return "timestamp_ntz"

    def toInternal(self, dt):
        if dt is not None:
            return calendar.timegm(dt.timetuple()) * 1000000 + dt.microsecond

    def fromInternal(self, ts):
        if ts is not None:
            return (datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=ts))


class DecimalType(FractionalType):
    """Fixed-precision decimals (``decimal.Decimal``): ``precision`` digits, ``scale`` of them
    after the point (default ``decimal(10,0)``).

    >>> DecimalType(10, 2), DecimalType(10, 2).simpleString()
    (DecimalType(10,2), 'decimal(10,2)')
    """

    def __init__(self, precision=10, scale=0):
        self.precision = precision
        self.scale = scale
        self.hasPrecisionInfo = True

    def simpleString(self):
        return "decimal(%d,%d)" % (self.precision, self.scale)

    def typeName(self):  # noqa: D102 - Catalyst's decimal names carry their precision
        return self.simpleString()

    def jsonValue(self):
        return self.simpleString()

    def __repr__(self):
        return "DecimalType(%d,%d)" % (self.precision, self.scale)


class DoubleType(FractionalType, metaclass=DataTypeSingleton):
    """64-bit floats.

    >>> DoubleType().simpleString()
    'double'
    """


class FloatType(FractionalType, metaclass=DataTypeSingleton):
    """32-bit floats.

    >>> FloatType().simpleString()
    'float'
    """


class ByteType(IntegralType):
    """8-bit signed integers.

    >>> ByteType().simpleString(), ByteType().typeName()
    ('tinyint', 'byte')
    """

    def simpleString(self):
        return "tinyint"


class ShortType(IntegralType):
    """16-bit signed integers.

    >>> ShortType().simpleString(), ShortType().typeName()
    ('smallint', 'short')
    """

    def simpleString(self):
        return "smallint"


class IntegerType(IntegralType):
    """32-bit signed integers.

    >>> IntegerType().simpleString(), IntegerType().typeName()
    ('int', 'integer')
    """

    def simpleString(self):
        return "int"


class LongType(IntegralType):
    """64-bit signed integers.

    >>> LongType().simpleString(), LongType().typeName()
    ('bigint', 'long')
    """

    def simpleString(self):
        return "bigint"


class AnsiIntervalType(AtomicType):
    """ANSI interval types: a range of fields (``interval day to second``)."""

    _fields = {}

    def __init__(self, startField=None, endField=None):
        if startField is None and endField is None:
            startField, endField = min(self._fields), max(self._fields)
        elif endField is None:
            endField = startField
        if startField not in self._fields or endField not in self._fields:
            raise PySparkRuntimeError(
                errorClass="INVALID_INTERVAL_CASTING",
                messageParameters={"start_field": str(startField), "end_field": str(endField)})
        self.startField = startField
        self.endField = endField

    def simpleString(self):
        start, end = self._fields[self.startField], self._fields[self.endField]
        return "interval %s" % start if start == end else "interval %s to %s" % (start, end)

    def typeName(self):  # noqa: D102 - the name carries the fields
        return self.simpleString()

    def jsonValue(self):
        return self.simpleString()

    def __repr__(self):
        return "%s(%d, %d)" % (type(self).__name__, self.startField, self.endField)


class DayTimeIntervalType(AnsiIntervalType):
    """Day-time intervals (``datetime.timedelta``), internally microseconds.

    >>> DayTimeIntervalType(), DayTimeIntervalType().simpleString()
    (DayTimeIntervalType(0, 3), 'interval day to second')
    """

    DAY, HOUR, MINUTE, SECOND = 0, 1, 2, 3
    _fields = {DAY: "day", HOUR: "hour", MINUTE: "minute", SECOND: "second"}
    _inverted_fields = dict(zip(_fields.values(), _fields.keys()))

    def needConversion(self):
        return True

    def toInternal(self, dt):
        if dt is not None:
            return (dt.days * 86400 + dt.seconds) * 1000000 + dt.microseconds

    def fromInternal(self, micros):
        if micros is not None:
            return datetime.timedelta(microseconds=micros)


class YearMonthIntervalType(AnsiIntervalType):
    """Year-month intervals (months).

    >>> YearMonthIntervalType().simpleString()
    'interval year to month'
    """

    YEAR, MONTH = 0, 1
    _fields = {YEAR: "year", MONTH: "month"}
    _inverted_fields = dict(zip(_fields.values(), _fields.keys()))


class CalendarIntervalType(DataType, metaclass=DataTypeSingleton):
    """Calendar intervals (months, days, microseconds).

    >>> CalendarIntervalType().simpleString()
    'interval'
    """

    @classmethod
    def typeName(cls):
        return "interval"


class VariantType(AtomicType, metaclass=DataTypeSingleton):
    """Semi-structured values (``variant``).

    >>> VariantType().simpleString()
    'variant'
    """


class ArrayType(DataType):
    """Arrays of ``elementType`` (Python lists).

    >>> ArrayType(StringType()) == ArrayType(StringType(), True)
    True
    >>> ArrayType(StringType()).simpleString()
    'array<string>'
    """

    def __init__(self, elementType, containsNull=True):
        assert isinstance(elementType, DataType), "elementType %s should be an instance of %s" % (
            elementType, DataType)
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self):
        return "array<%s>" % self.elementType.simpleString()

    def sql(self):
        return "ARRAY<%s>" % self.elementType.sql()

    def _as_nullable(self):
        return ArrayType(self.elementType._as_nullable(), True)

    def toNullable(self):
        """The same type with every level nullable.

        >>> ArrayType(IntegerType(), containsNull=False).toNullable()
        ArrayType(IntegerType(), True)
        """
        return self._as_nullable()

    def __repr__(self):
        return "ArrayType(%r, %s)" % (self.elementType, self.containsNull)

    def jsonValue(self):
        return {"type": self.typeName(), "elementType": self.elementType.jsonValue(),
                "containsNull": self.containsNull}

    @classmethod
    def fromJson(cls, json):
        return ArrayType(_parse_datatype_json_value(json["elementType"]), json["containsNull"])

    def needConversion(self):
        return self.elementType.needConversion()

    def toInternal(self, obj):
        if not self.needConversion():
            return obj
        return obj and [self.elementType.toInternal(v) for v in obj]

    def fromInternal(self, obj):
        if not self.needConversion():
            return obj
        return obj and [self.elementType.fromInternal(v) for v in obj]

    def _tree_lines(self, prefix, lines, max_depth):
        if max_depth > 0:
            _tree_field(prefix, "element", self.elementType,
                        "(containsNull = %s)" % str(self.containsNull).lower(), lines, max_depth)


class MapType(DataType):
    """Maps from ``keyType`` to ``valueType`` (Python dicts).

    >>> MapType(StringType(), IntegerType()) == MapType(StringType(), IntegerType(), True)
    True
    >>> MapType(StringType(), IntegerType()).simpleString()
    'map<string,int>'
    """

    def __init__(self, keyType, valueType, valueContainsNull=True):
        assert isinstance(keyType, DataType), "keyType %s should be an instance of %s" % (
            keyType, DataType)
        assert isinstance(valueType, DataType), "valueType %s should be an instance of %s" % (
            valueType, DataType)
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self):
        return "map<%s,%s>" % (self.keyType.simpleString(), self.valueType.simpleString())

    def sql(self):
        return "MAP<%s, %s>" % (self.keyType.sql(), self.valueType.sql())

    def _as_nullable(self):
        return MapType(self.keyType._as_nullable(), self.valueType._as_nullable(), True)

    def toNullable(self):
        """The same type with every level nullable.

        >>> MapType(IntegerType(), StringType(), valueContainsNull=False).toNullable()
        MapType(IntegerType(), StringType(), True)
        """
        return self._as_nullable()

    def __repr__(self):
        return "MapType(%r, %r, %s)" % (self.keyType, self.valueType, self.valueContainsNull)

    def jsonValue(self):
        return {"type": self.typeName(), "keyType": self.keyType.jsonValue(),
                "valueType": self.valueType.jsonValue(),
                "valueContainsNull": self.valueContainsNull}

    @classmethod
    def fromJson(cls, json):
        return MapType(_parse_datatype_json_value(json["keyType"]),
                       _parse_datatype_json_value(json["valueType"]), json["valueContainsNull"])

    def needConversion(self):
        return self.keyType.needConversion() or self.valueType.needConversion()

    def toInternal(self, obj):
        if not self.needConversion():
            return obj
        return obj and dict((self.keyType.toInternal(k), self.valueType.toInternal(v))
                            for k, v in obj.items())

    def fromInternal(self, obj):
        if not self.needConversion():
            return obj
        return obj and dict((self.keyType.fromInternal(k), self.valueType.fromInternal(v))
                            for k, v in obj.items())

    def _tree_lines(self, prefix, lines, max_depth):
        if max_depth > 0:
            _tree_field(prefix, "key", self.keyType, None, lines, max_depth)
            _tree_field(prefix, "value", self.valueType,
                        "(valueContainsNull = %s)" % str(self.valueContainsNull).lower(), lines,
                        max_depth)


class StructField(DataType):
    """One field of a StructType: a name, a type, whether it may be null, and metadata.

    >>> StructField("f1", StringType(), True) == StructField("f1", StringType(), True)
    True
    >>> StructField("f1", StringType(), True)
    StructField('f1', StringType(), True)
    """

    def __init__(self, name, dataType, nullable=True, metadata=None):
        assert isinstance(dataType, DataType), "dataType %s should be an instance of %s" % (
            dataType, DataType)
        assert isinstance(name, str), "field name %s should be a string" % name
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def simpleString(self):
        return "%s:%s" % (self.name, self.dataType.simpleString())

    def sql(self):
        return "%s: %s%s" % (_quote_if_needed(self.name), self.dataType.sql(),
                             "" if self.nullable else " NOT NULL")

    def __repr__(self):
        return "StructField('%s', %r, %s)" % (self.name, self.dataType, self.nullable)

    def jsonValue(self):
        return {"name": self.name, "type": self.dataType.jsonValue(), "nullable": self.nullable,
                "metadata": self.metadata}

    @classmethod
    def fromJson(cls, json):
        return StructField(json["name"], _parse_datatype_json_value(json["type"]),
                           json.get("nullable", True), json.get("metadata"))

    def needConversion(self):
        return self.dataType.needConversion()

    def toInternal(self, obj):
        return self.dataType.toInternal(obj)

    def fromInternal(self, obj):
        return self.dataType.fromInternal(obj)

    def typeName(self):
        raise PySparkTypeError(
            errorClass="INVALID_TYPENAME_CALL", messageParameters={},
            message="StructField does not have typeName. Use typeName on its type explicitly "
                    "instead.")

    def toDDL(self):
        comment = self.metadata.get("comment") if self.metadata else None
        return "%s %s%s%s" % (
            _quote_if_needed(self.name), self.dataType.sql(), "" if self.nullable else " NOT NULL",
            " COMMENT '%s'" % comment.replace("'", "\\'") if comment is not None else "")


class StructType(DataType):
    """A row's type: a list of StructFields. Iterating yields the fields; indexing by name or
    position returns one.

    >>> struct1 = StructType([StructField("f1", StringType(), True)])
    >>> struct1["f1"]
    StructField('f1', StringType(), True)
    >>> struct1[0]
    StructField('f1', StringType(), True)
    >>> StructType([StructField("a", LongType()), StructField("b", StringType())]).simpleString()
    'struct<a:bigint,b:string>'
    """

    def __init__(self, fields=None):
        if not fields:
            self.fields = []
            self.names = []
        else:
            self.fields = list(fields)
            self.names = [f.name for f in fields]
            assert all(isinstance(f, StructField) for f in fields), \
                "fields should be a list of StructField"

    def __eq__(self, other):
        return isinstance(other, StructType) and self.fields == other.fields

    def __hash__(self):
        return hash(str(self))

    def add(self, field, data_type=None, nullable=True, metadata=None):
        """Appends a field (a StructField, or a name with a type or DDL type string) and
        returns this StructType.

        >>> StructType().add("f1", "string", True).add("f2", LongType(), False)
        StructType([StructField('f1', StringType(), True), StructField('f2', LongType(), False)])
        """
        if isinstance(field, StructField):
            self.fields.append(field)
            self.names.append(field.name)
        else:
            if isinstance(field, str) and data_type is None:
                raise PySparkValueError(
                    errorClass="ARGUMENT_REQUIRED",
                    message="Argument `data_type` is required when passing name of struct_field "
                            "to create.",
                    messageParameters={"arg_name": "data_type", "condition": "passing name of "
                                       "struct_field to create"})
            if isinstance(data_type, str):
                data_type = _parse_datatype_string(data_type)
            self.fields.append(StructField(field, data_type, nullable, metadata))
            self.names.append(field)
        return self

    def __iter__(self):
        return iter(self.fields)

    def __len__(self):
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, str):
            for field in self.fields:
                if field.name == key:
                    return field
            raise PySparkKeyError(errorClass="KEY_NOT_EXISTS", messageParameters={"key": key})
        if isinstance(key, int):
            try:
                return self.fields[key]
            except IndexError:
                raise PySparkIndexError(
                    errorClass="INDEX_OUT_OF_RANGE",
                    message="StructType index out of range: %d" % key,
                    messageParameters={"arg_name": "StructType", "index": str(key)}) from None
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise PySparkTypeError(
            errorClass="NOT_INT_OR_SLICE_OR_STR",
            message="Argument `key` should be an int, slice or str, got %s." % type(key).__name__,
            messageParameters={"arg_name": "key", "arg_type": type(key).__name__})

    def simpleString(self):
        return "struct<%s>" % ",".join(f.simpleString() for f in self.fields)

    def sql(self):
        return "STRUCT<%s>" % ", ".join(f.sql() for f in self.fields)

    def _as_nullable(self):
        return StructType([StructField(f.name, f.dataType._as_nullable(), True, f.metadata)
                           for f in self.fields])

    def toNullable(self):
        """The same type with every field, at every level, nullable.

        >>> StructType([StructField("a", IntegerType(), nullable=False)]).toNullable()
        StructType([StructField('a', IntegerType(), True)])
        """
        return self._as_nullable()

    def __repr__(self):
        return "StructType([%s])" % ", ".join(repr(f) for f in self.fields)

    def jsonValue(self):
        return {"type": self.typeName(), "fields": [f.jsonValue() for f in self.fields]}

    @classmethod
    def fromJson(cls, json):
        """A StructType from Spark's JSON schema format (a dict).

        >>> StructType.fromJson({"type": "struct", "fields": [
        ...     {"name": "a", "type": "long", "nullable": True, "metadata": {}}]})
        StructType([StructField('a', LongType(), True)])
        """
        return StructType([StructField.fromJson(f) for f in json["fields"]])

    def fieldNames(self):
        """The field names, in order.

        >>> StructType([StructField("f1", StringType(), True)]).fieldNames()
        ['f1']
        """
        return list(self.names)

    def needConversion(self):
        return True

    def toInternal(self, obj):
        if obj is None:
            return None
        if isinstance(obj, dict):
            return tuple(f.toInternal(obj.get(n)) for n, f in zip(self.names, self.fields))
        if isinstance(obj, Row) and hasattr(obj, "__fields__"):
            return tuple(f.toInternal(obj[n]) for n, f in zip(self.names, self.fields))
        if isinstance(obj, (tuple, list)):
            return tuple(f.toInternal(v) for f, v in zip(self.fields, obj))
        if hasattr(obj, "__dict__"):
            d = obj.__dict__
            return tuple(f.toInternal(d.get(n)) for n, f in zip(self.names, self.fields))
        raise PySparkValueError(
            errorClass="UNEXPECTED_TUPLE_WITH_STRUCT", messageParameters={"tuple": str(obj)})

    def fromInternal(self, obj):
        if obj is None:
            return None
        if isinstance(obj, Row):
            return obj
        values = [f.fromInternal(v) for f, v in zip(self.fields, obj)]
        return _create_row(self.names, values)

    def treeString(self, maxDepth=JVM_INT_MAX):
        """The schema as ``printSchema`` prints it (``maxDepth`` levels of nesting).

        >>> print(StructType([StructField("age", LongType()),
        ...                   StructField("tags", ArrayType(StringType()))]).treeString(), end="")
        root
         |-- age: long (nullable = true)
         |-- tags: array (nullable = true)
         |    |-- element: string (containsNull = true)
        """
        if maxDepth is None or maxDepth <= 0:
            maxDepth = JVM_INT_MAX
        lines = ["root"]
        self._tree_lines(" ", lines, maxDepth)
        return "\n".join(lines) + "\n"

    def _tree_lines(self, prefix, lines, max_depth):
        if max_depth > 0:
            for f in self.fields:
                _tree_field(prefix, f.name, f.dataType,
                            "(nullable = %s)" % str(f.nullable).lower(), lines, max_depth)

    def toDDL(self):
        """The schema as a DDL string.

        >>> StructType([StructField("a", LongType(), False), StructField("b", StringType())]).toDDL()
        'a BIGINT NOT NULL,b STRING'
        """
        return ",".join(f.toDDL() for f in self.fields)


def _tree_field(prefix, name, data_type, suffix, lines, max_depth):
    text = "%s|-- %s: %s" % (prefix, name, data_type.typeName()
                             if not isinstance(data_type, (ArrayType, MapType, StructType))
                             else data_type.typeName())
    lines.append(text + (" " + suffix if suffix else ""))
    data_type._tree_lines(prefix + "|    ", lines, max_depth - 1)


class UserDefinedType(DataType):
    """A Python class stored as a SQL type (``sqlType()``) through ``serialize``/``deserialize``."""

    @classmethod
    def typeName(cls):
        return cls.__name__.lower()

    @classmethod
    def sqlType(cls):
        raise PySparkNotImplementedError(
            errorClass="NOT_IMPLEMENTED", messageParameters={"feature": "sqlType()"})

    @classmethod
    def module(cls):
        raise PySparkNotImplementedError(
            errorClass="NOT_IMPLEMENTED", messageParameters={"feature": "module()"})

    @classmethod
    def scalaUDT(cls):
        return ""

    def needConversion(self):
        return True

    def toInternal(self, obj):
        if obj is not None:
            return self.sqlType().toInternal(self.serialize(obj))

    def fromInternal(self, obj):
        v = self.sqlType().fromInternal(obj)
        if v is not None:
            return self.deserialize(v)

    def serialize(self, obj):
        raise PySparkNotImplementedError(
            errorClass="NOT_IMPLEMENTED", messageParameters={"feature": "serialize()"})

    def deserialize(self, datum):
        raise PySparkNotImplementedError(
            errorClass="NOT_IMPLEMENTED", messageParameters={"feature": "deserialize()"})

    def simpleString(self):
        return "udt"

    def __eq__(self, other):
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))


from sparklet.errors import PySparkIndexError, PySparkNotImplementedError  # noqa: E402

_atomic_classes = [NullType, StringType, BinaryType, BooleanType, DateType, TimestampType,
                   TimestampNTZType, DoubleType, FloatType, ByteType, ShortType, IntegerType,
                   LongType, CalendarIntervalType, VariantType]
_all_atomic_types = {t.typeName(): t for t in _atomic_classes if t is not StringType}
_all_atomic_types["string"] = StringType
_all_complex_types = {"array": ArrayType, "map": MapType, "struct": StructType}
_all_mappable_types = dict(_all_atomic_types)
_all_mappable_types.update({"decimal": DecimalType, "daytimeinterval": DayTimeIntervalType,
                            "yearmonthinterval": YearMonthIntervalType})


def _quote_if_needed(name):
    if re.fullmatch(r"[A-Za-z0-9_]+", name) and not name.isdigit():
        return name
    return "`%s`" % name.replace("`", "``")


# --- DDL type strings -------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(`(?:[^`]|``)*`)|([A-Za-z0-9_]+)|('(?:[^'\\]|\\.)*')"
                    r"|([<>(),:]))")

_SIMPLE_DDL_TYPES = {
    "boolean": BooleanType, "tinyint": ByteType, "byte": ByteType, "smallint": ShortType,
    "short": ShortType, "int": IntegerType, "integer": IntegerType, "bigint": LongType,
    "long": LongType, "float": FloatType, "real": FloatType, "double": DoubleType,
    "date": DateType, "timestamp": TimestampType, "timestamp_ltz": TimestampType,
    "timestamp_ntz": TimestampNTZType, "string": StringType, "binary": BinaryType,
    "void": NullType, "variant": VariantType,
}


class _DDLParser:
    """Recursive descent over DDL type strings; errors point where Spark's parser would."""

    def __init__(self, text):
        self.text = text
        self.tokens = []  # (kind, value, position)
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None:
                start = len(text) - len(text[pos:].lstrip())
                raise parse_error(text, start, "'%s'" % text[start])
            kind = m.lastindex
            self.tokens.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()
        self.i = 0

    def peek(self, offset=0):
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else None

    def fail(self):
        token = self.peek()
        if token is None:
            return parse_error(self.text, len(self.text), "end of input")
        return parse_error(self.text, token[2], "'%s'" % token[1])

    def expect(self, value):
        token = self.peek()
        if token is None or token[1].lower() != value:
            raise self.fail()
        self.i += 1

    def accept(self, value):
        token = self.peek()
        if token is not None and token[1].lower() == value:
            self.i += 1
            return True
        return False

    def identifier(self):
        token = self.peek()
        if token is None or token[0] not in (1, 2):
            raise self.fail()
        self.i += 1
        if token[0] == 1:
            return token[1][1:-1].replace("``", "`")
        return token[1]

    def integer(self):
        token = self.peek()
        if token is None or not token[1].isdigit():
            raise self.fail()
        self.i += 1
        return int(token[1])

    def at_end(self):
        return self.i >= len(self.tokens)

    def data_type(self):
        token = self.peek()
        if token is None or token[0] != 2:
            raise self.fail()
        name = token[1].lower()
        self.i += 1
        if name in _SIMPLE_DDL_TYPES:
            return _SIMPLE_DDL_TYPES[name]()
        if name in ("decimal", "dec", "numeric"):
            if self.accept("("):
                precision = self.integer()
                scale = 0
                if self.accept(","):
                    scale = self.integer()
                self.expect(")")
                return DecimalType(precision, scale)
            return DecimalType()
        if name in ("char", "character", "varchar"):
            self.expect("(")
            length = self.integer()
            self.expect(")")
            return VarcharType(length) if name == "varchar" else CharType(length)
        if name == "array":
            self.expect("<")
            element = self.data_type()
            self.expect(">")
            return ArrayType(element, True)
        if name == "map":
            self.expect("<")
            key = self.data_type()
            self.expect(",")
            value = self.data_type()
            self.expect(">")
            return MapType(key, value, True)
        if name == "struct":
            self.expect("<")
            fields = []
            if not self.accept(">"):
                while True:
                    fields.append(self.field(colon=True))
                    if self.accept(">"):
                        break
                    self.expect(",")
            return StructType(fields)
        if name == "interval":
            return self.interval()
        self.i -= 1
        raise self.fail()

    def interval(self):
        start = self.identifier().lower()
        end = start
        if self.accept("to"):
            end = self.identifier().lower()
        if start in DayTimeIntervalType._inverted_fields and end in DayTimeIntervalType._inverted_fields:
            return DayTimeIntervalType(DayTimeIntervalType._inverted_fields[start],
                                       DayTimeIntervalType._inverted_fields[end])
        if start in YearMonthIntervalType._inverted_fields and end in YearMonthIntervalType._inverted_fields:
            return YearMonthIntervalType(YearMonthIntervalType._inverted_fields[start],
                                         YearMonthIntervalType._inverted_fields[end])
        self.i -= 1
        raise self.fail()

    def field(self, colon):
        name = self.identifier()
        if colon:
            self.accept(":")
        data_type = self.data_type()
        nullable = True
        metadata = None
        while True:
            if self.accept("not"):
                self.expect("null")
                nullable = False
            elif self.accept("comment"):
                token = self.peek()
                if token is None or token[0] != 3:
                    raise self.fail()
                self.i += 1
                metadata = {"comment": re.sub(r"\\(.)", r"\1", token[1][1:-1])}
            else:
                break
        return StructField(name, data_type, nullable, metadata)

    def table_schema(self):
        fields = [self.field(colon=False)]
        while self.accept(","):
            fields.append(self.field(colon=False))
        if not self.at_end():
            raise self.fail()
        return StructType(fields)

    def single_type(self):
        data_type = self.data_type()
        if not self.at_end():
            raise self.fail()
        return data_type


def _parse_datatype_string(s):
    """Parses a DDL string: a table schema (``"a INT, b STRING"``), a type (``"int"``,
    ``"array<string>"``, ``"decimal(10,2)"``) or fields with colons (``"a: int, b: string"``).
    Raises ParseException, pointing where the table-schema reading failed.

    >>> _parse_datatype_string("a DOUBLE, b STRING")
    StructType([StructField('a', DoubleType(), True), StructField('b', StringType(), True)])
    >>> _parse_datatype_string(" map<string , string > ")
    MapType(StringType(), StringType(), True)
    """
    from sparklet.errors import ParseException

    try:
        return _DDLParser(s).table_schema()
    except ParseException as first:
        try:
            return _DDLParser(s).single_type()
        except ParseException:
            try:
                return _DDLParser("struct<%s>" % s.strip()).single_type()
            except ParseException:
                raise first from None


# --- JSON schema format -------------------------------------------------------------------------

_FIXED_DECIMAL = re.compile(r"decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)")
_FIXED_CHAR = re.compile(r"(char|varchar)\(\s*(\d+)\s*\)")
_INTERVAL = re.compile(r"interval (\w+)(?: to (\w+))?")


def _parse_datatype_json_string(json_string):
    """A DataType from Spark's JSON schema string.

    >>> _parse_datatype_json_string('{"type":"array","elementType":"long","containsNull":true}')
    ArrayType(LongType(), True)
    """
    return _parse_datatype_json_value(json.loads(json_string))


def _parse_datatype_json_value(json_value):
    if not isinstance(json_value, dict):
        if json_value in _all_atomic_types:
            return _all_atomic_types[json_value]()
        if json_value == "decimal":
            return DecimalType()
        if json_value == "null":
            return NullType()
        m = _FIXED_DECIMAL.fullmatch(json_value)
        if m:
            return DecimalType(int(m.group(1)), int(m.group(2)))
        m = _FIXED_CHAR.fullmatch(json_value)
        if m:
            return (CharType if m.group(1) == "char" else VarcharType)(int(m.group(2)))
        m = _INTERVAL.fullmatch(json_value)
        if m:
            start, end = m.group(1), m.group(2) or m.group(1)
            for cls in (DayTimeIntervalType, YearMonthIntervalType):
                if start in cls._inverted_fields and end in cls._inverted_fields:
                    return cls(cls._inverted_fields[start], cls._inverted_fields[end])
        if isinstance(json_value, str) and json_value.startswith("string collate "):
            return StringType(json_value[len("string collate "):])
        raise PySparkValueError(
            errorClass="CANNOT_PARSE_DATATYPE",
            messageParameters={"msg": "Could not parse datatype: %s" % json_value})
    tpe = json_value["type"]
    if tpe in _all_complex_types:
        return _all_complex_types[tpe].fromJson(json_value)
    if tpe == "udt":
        raise PySparkValueError(
            errorClass="CANNOT_PARSE_DATATYPE",
            messageParameters={"msg": "user-defined types are not supported: %s" % json_value})
    raise PySparkValueError(
        errorClass="CANNOT_PARSE_DATATYPE",
        messageParameters={"msg": "Could not parse datatype: %s" % json_value})


# --- Inference from Python values ---------------------------------------------------------------

_type_mappings = {
    type(None): NullType,
    bool: BooleanType,
    int: LongType,
    float: DoubleType,
    str: StringType,
    bytearray: BinaryType,
    bytes: BinaryType,
    decimal.Decimal: DecimalType,
    datetime.date: DateType,
    datetime.datetime: TimestampType,
    datetime.timedelta: DayTimeIntervalType,
}

_array_type_mappings = {
    "b": ByteType, "h": ShortType, "i": IntegerType, "l": LongType, "q": LongType,
    "f": FloatType, "d": DoubleType, "u": StringType,
}


def _infer_type(obj, infer_dict_as_struct=False, infer_array_from_first_element=False,
                infer_map_from_first_pair=False, prefer_timestamp_ntz=False):
    """The DataType of one Python value, as ``createDataFrame`` infers it.

    >>> _infer_type(1), _infer_type(1.5), _infer_type([1, None]), _infer_type({"a": 1.0})
    (LongType(), DoubleType(), ArrayType(LongType(), True), MapType(StringType(), DoubleType(), True))
    """
    options = (infer_dict_as_struct, infer_array_from_first_element, infer_map_from_first_pair,
               prefer_timestamp_ntz)
    if obj is None:
        return NullType()
    if hasattr(obj, "__UDT__"):
        return obj.__UDT__
    cls = _type_mappings.get(type(obj))
    if cls is DecimalType:
        # each value may have its own precision and scale: take the widest Spark allows
        return DecimalType(38, 18)
    if cls is TimestampType and prefer_timestamp_ntz and obj.tzinfo is None:
        return TimestampNTZType()
    if cls is not None:
        return cls()
    if isinstance(obj, dict):
        if infer_dict_as_struct:
            struct = StructType()
            for key, value in obj.items():
                if key is not None and value is not None:
                    struct.add(key, _infer_type(value, *options), True)
            return struct
        if infer_map_from_first_pair:
            for key, value in obj.items():
                if key is not None and value is not None:
                    return MapType(_infer_type(key, *options), _infer_type(value, *options), True)
            return MapType(NullType(), NullType(), True)
        key_type, value_type = NullType(), NullType()
        for key, value in obj.items():
            if key is not None:
                key_type = _merge_type(key_type, _infer_type(key, *options))
            if value is not None:
                value_type = _merge_type(value_type, _infer_type(value, *options))
        return MapType(key_type, value_type, True)
    if isinstance(obj, list):
        if not obj:
            return ArrayType(NullType(), True)
        if infer_array_from_first_element:
            return ArrayType(_infer_type(obj[0], *options), True)
        return ArrayType(reduce(_merge_type, (_infer_type(v, *options) for v in obj)), True)
    if isinstance(obj, _array.array):
        if obj.typecode in _array_type_mappings:
            return ArrayType(_array_type_mappings[obj.typecode](), False)
        raise PySparkTypeError(errorClass="UNSUPPORTED_DATA_TYPE",
                               messageParameters={"data_type": "array(%s)" % obj.typecode})
    try:
        return _infer_schema(obj, infer_dict_as_struct=infer_dict_as_struct,
                             infer_array_from_first_element=infer_array_from_first_element,
                             prefer_timestamp_ntz=prefer_timestamp_ntz)
    except TypeError:
        raise PySparkTypeError(errorClass="UNSUPPORTED_DATA_TYPE",
                               messageParameters={"data_type": type(obj).__name__}) from None


def _infer_schema(row, names=None, infer_dict_as_struct=False,
                  infer_array_from_first_element=False, infer_map_from_first_pair=False,
                  prefer_timestamp_ntz=False):
    """The StructType of one record: a dict (fields sorted by key), a Row or namedtuple (its
    fields), a tuple/list (``names`` or ``_1``, ``_2`` ...), or an object (its ``__dict__``).

    >>> _infer_schema(Row(name="Alice", age=11))
    StructType([StructField('name', StringType(), True), StructField('age', LongType(), True)])
    >>> _infer_schema((1, "a"))
    StructType([StructField('_1', LongType(), True), StructField('_2', StringType(), True)])
    """
    if isinstance(row, dict):
        items = sorted(row.items())
    elif isinstance(row, (tuple, list)):
        if hasattr(row, "__fields__"):
            items = zip(row.__fields__, tuple(row))
        elif hasattr(row, "_fields"):
            items = zip(row._fields, tuple(row))
        else:
            if names is None:
                names = ["_%d" % i for i in range(1, len(row) + 1)]
            elif len(names) < len(row):
                names = list(names) + ["_%d" % i for i in range(len(names) + 1, len(row) + 1)]
            items = zip(names, row)
    elif hasattr(row, "__dict__"):
        items = sorted(row.__dict__.items())
    else:
        raise PySparkTypeError(errorClass="CANNOT_INFER_SCHEMA_FOR_TYPE",
                               messageParameters={"data_type": type(row).__name__})
    fields = []
    for name, value in items:
        try:
            data_type = _infer_type(value, infer_dict_as_struct, infer_array_from_first_element,
                                    infer_map_from_first_pair, prefer_timestamp_ntz)
        except TypeError:
            raise PySparkTypeError(errorClass="CANNOT_INFER_TYPE_FOR_FIELD",
                                   messageParameters={"field_name": name}) from None
        fields.append(StructField(name, data_type, True))
    return StructType(fields)


def _has_nulltype(dt):
    """Whether NullType occurs anywhere in ``dt``.

    >>> _has_nulltype(ArrayType(NullType())), _has_nulltype(LongType())
    (True, False)
    """
    if isinstance(dt, StructType):
        return any(_has_nulltype(f.dataType) for f in dt.fields)
    if isinstance(dt, ArrayType):
        return _has_nulltype(dt.elementType)
    if isinstance(dt, MapType):
        return _has_nulltype(dt.keyType) or _has_nulltype(dt.valueType)
    return isinstance(dt, NullType)


def _has_type(dt, dts):
    if isinstance(dt, dts):
        return True
    if isinstance(dt, StructType):
        return any(_has_type(f.dataType, dts) for f in dt.fields)
    if isinstance(dt, ArrayType):
        return _has_type(dt.elementType, dts)
    if isinstance(dt, MapType):
        return _has_type(dt.keyType, dts) or _has_type(dt.valueType, dts)
    return False


def _merge_type(a, b, name=None):
    """The type covering values of types ``a`` and ``b`` (one record's inferred type merged
    into the next's): NullType gives way to anything, any atomic type merges into a string,
    structs merge field by field; other differences raise CANNOT_MERGE_TYPE.

    >>> _merge_type(LongType(), NullType())
    LongType()
    >>> _merge_type(StructType([StructField("a", LongType())]),
    ...             StructType([StructField("b", StringType())]))
    StructType([StructField('a', LongType(), True), StructField('b', StringType(), True)])
    """
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType):
        return a
    if isinstance(a, TimestampType) and isinstance(b, TimestampNTZType):
        return a
    if isinstance(a, TimestampNTZType) and isinstance(b, TimestampType):
        return b
    if isinstance(a, AtomicType) and isinstance(b, StringType):
        return b
    if isinstance(a, StringType) and isinstance(b, AtomicType):
        return a
    if type(a) is not type(b):
        raise PySparkTypeError(
            errorClass="CANNOT_MERGE_TYPE",
            messageParameters={"data_type1": type(a).__name__, "data_type2": type(b).__name__})
    if isinstance(a, StructType):
        theirs = {f.name: f.dataType for f in b.fields}
        fields = [StructField(f.name, _merge_type(
            f.dataType, theirs.get(f.name, NullType()),
            name="field %s" % f.name if name is None else "field %s in %s" % (f.name, name)))
            for f in a.fields]
        mine = {f.name for f in fields}
        fields.extend(StructField(n, t) for n, t in theirs.items() if n not in mine)
        return StructType(fields)
    if isinstance(a, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType,
                                     name="element in array %s" % name), True)
    if isinstance(a, MapType):
        return MapType(_merge_type(a.keyType, b.keyType, name="key of map %s" % name),
                       _merge_type(a.valueType, b.valueType, name="value of map %s" % name), True)
    return a


def _need_converter(data_type):
    if isinstance(data_type, StructType):
        return True
    if isinstance(data_type, ArrayType):
        return _need_converter(data_type.elementType)
    if isinstance(data_type, MapType):
        return _need_converter(data_type.keyType) or _need_converter(data_type.valueType)
    return isinstance(data_type, NullType)


def _create_converter(data_type):
    """A function turning one Python record into the tuple form of ``data_type``: dicts and
    objects are read by field name, tuples and Rows by position, nested values alike.

    >>> _create_converter(StructType([StructField("a", LongType()), StructField("b", LongType())]))(
    ...     {"b": 2, "a": 1})
    (1, 2)
    """
    if not _need_converter(data_type):
        return lambda x: x
    if isinstance(data_type, ArrayType):
        conv = _create_converter(data_type.elementType)
        return lambda row: [conv(v) for v in row] if row is not None else None
    if isinstance(data_type, MapType):
        kconv = _create_converter(data_type.keyType)
        vconv = _create_converter(data_type.valueType)
        return lambda row: ({kconv(k): vconv(v) for k, v in row.items()}
                            if row is not None else None)
    if isinstance(data_type, NullType):
        return lambda x: None
    if not isinstance(data_type, StructType):
        return lambda x: x
    names = [f.name for f in data_type.fields]
    converters = [_create_converter(f.dataType) for f in data_type.fields]

    def convert_struct(obj):
        if obj is None:
            return None
        if isinstance(obj, (tuple, list)):
            return tuple(conv(v) for v, conv in zip(obj, converters))
        if isinstance(obj, dict):
            d = obj
        elif hasattr(obj, "__dict__"):
            d = obj.__dict__
        else:
            raise PySparkTypeError(
                errorClass="UNSUPPORTED_DATA_TYPE",
                messageParameters={"data_type": type(obj).__name__})
        return tuple(conv(d.get(name)) for name, conv in zip(names, converters))

    return convert_struct


_acceptable_types = {
    BooleanType: (bool,),
    ByteType: (int,),
    ShortType: (int,),
    IntegerType: (int,),
    LongType: (int,),
    FloatType: (float,),
    DoubleType: (float,),
    DecimalType: (decimal.Decimal,),
    StringType: (str,),
    CharType: (str,),
    VarcharType: (str,),
    BinaryType: (bytearray, bytes),
    DateType: (datetime.date, datetime.datetime),
    TimestampType: (datetime.datetime,),
    TimestampNTZType: (datetime.datetime,),
    DayTimeIntervalType: (datetime.timedelta,),
    ArrayType: (list, tuple, _array.array),
    MapType: (dict,),
    StructType: (tuple, list, dict),
    VariantType: (object,),
}

_INT_BOUNDS = {ByteType: (-128, 127), ShortType: (-32768, 32767),
               IntegerType: (-2 ** 31, 2 ** 31 - 1), LongType: (-2 ** 63, 2 ** 63 - 1)}


def _make_type_verifier(dataType, nullable=True, name=None):
    """A function that raises PySparkTypeError/PySparkValueError when a Python value does not
    fit ``dataType`` (what ``createDataFrame(..., verifySchema=True)`` checks).

    >>> _make_type_verifier(LongType())(0)
    >>> _make_type_verifier(ByteType())(1234)
    Traceback (most recent call last):
        ...
    sparklet.errors.exceptions.base.PySparkValueError: [VALUE_OUT_OF_BOUNDS] Value for `obj` must be between -128 and 127 (inclusive), got 1234
    """

    def with_name(condition, parameters):
        if name is None:
            return condition, parameters
        return condition + "_WITH_NAME", dict(parameters, field_name=name)

    def verify_nullability(obj):
        if obj is None:
            if nullable:
                return True
            condition, params = with_name("FIELD_NOT_NULLABLE", {})
            raise PySparkValueError(errorClass=condition, messageParameters=params)
        return False

    def verify_acceptable(obj):
        accepted = _acceptable_types.get(type(dataType))
        if accepted is not None and not isinstance(obj, accepted):
            condition, params = with_name("FIELD_DATA_TYPE_UNACCEPTABLE", {
                "data_type": str(dataType), "obj": repr(obj), "obj_type": str(type(obj))})
            raise PySparkTypeError(errorClass=condition, messageParameters=params)

    if isinstance(dataType, UserDefinedType):
        verify_value = lambda obj: None  # noqa: E731 - serialized by the UDT itself
    elif type(dataType) in _INT_BOUNDS:
        lower, upper = _INT_BOUNDS[type(dataType)]

        def verify_value(obj):
            verify_acceptable(obj)
            if not lower <= obj <= upper:
                raise PySparkValueError(errorClass="VALUE_OUT_OF_BOUNDS", messageParameters={
                    "arg_name": "obj", "lower_bound": str(lower), "upper_bound": str(upper),
                    "actual": str(obj)})
    elif isinstance(dataType, ArrayType):
        element_verifier = _make_type_verifier(
            dataType.elementType, dataType.containsNull,
            name="element in array %s" % name)

        def verify_value(obj):
            verify_acceptable(obj)
            for item in obj:
                element_verifier(item)
    elif isinstance(dataType, MapType):
        key_verifier = _make_type_verifier(dataType.keyType, False, name="key of map %s" % name)
        value_verifier = _make_type_verifier(dataType.valueType, dataType.valueContainsNull,
                                             name="value of map %s" % name)

        def verify_value(obj):
            verify_acceptable(obj)
            for k, v in obj.items():
                key_verifier(k)
                value_verifier(v)
    elif isinstance(dataType, StructType):
        verifiers = [(f.name, _make_type_verifier(
            f.dataType, f.nullable,
            name="field %s" % f.name if name is None else "field %s in %s" % (f.name, name)))
            for f in dataType.fields]

        def verify_value(obj):
            verify_acceptable(obj)
            if isinstance(obj, dict):
                for field_name, verifier in verifiers:
                    verifier(obj.get(field_name))
            elif isinstance(obj, Row) and hasattr(obj, "__fields__"):
                for field_name, verifier in verifiers:
                    verifier(obj[field_name] if field_name in obj.__fields__ else None)
            elif isinstance(obj, (tuple, list)):
                if len(obj) != len(verifiers):
                    condition, params = with_name("FIELD_STRUCT_LENGTH_MISMATCH", {
                        "object_length": str(len(obj)), "field_length": str(len(verifiers))})
                    raise PySparkValueError(errorClass=condition, messageParameters=params)
                for value, (_, verifier) in zip(obj, verifiers):
                    verifier(value)
    else:
        verify_value = verify_acceptable

    def verify(obj):
        if not verify_nullability(obj):
            verify_value(obj)

    return verify


# --- Row ------------------------------------------------------------------------------------------


def _create_row(fields, values):
    row = Row(*values)
    row.__fields__ = list(fields)
    return row


class Row(tuple):
    """A row of a DataFrame: a tuple whose fields are also reachable by name
    (``row.age``, ``row["age"]``). ``Row("name", "age")`` without values makes a row factory.

    >>> row = Row(name="Alice", age=11)
    >>> row
    Row(name='Alice', age=11)
    >>> row.name, row["age"], "name" in row
    ('Alice', 11, True)
    >>> Person = Row("name", "age")
    >>> Person
    <Row('name', 'age')>
    >>> Person("Alice", 11)
    Row(name='Alice', age=11)
    >>> Row("Alice", 11) == Row(name="Alice", age=11)
    True
    """

    def __new__(cls, *args, **kwargs):
        if args and kwargs:
            raise PySparkValueError(errorClass="CANNOT_SET_TOGETHER",
                                    messageParameters={"arg_list": "args and kwargs"})
        if kwargs:
            row = tuple.__new__(cls, list(kwargs.values()))
            row.__fields__ = list(kwargs.keys())
            return row
        return tuple.__new__(cls, args)

    def asDict(self, recursive=False):
        """The row as a dict of field name to value (nested Rows too with ``recursive``).

        >>> Row(key=1, value=Row(name="a", age=2)).asDict(True)
        {'key': 1, 'value': {'name': 'a', 'age': 2}}
        """
        if not hasattr(self, "__fields__"):
            raise PySparkTypeError(errorClass="CANNOT_CONVERT_TYPE",
                                   messageParameters={"from_type": "Row", "to_type": "dict"})
        if not recursive:
            return dict(zip(self.__fields__, self))

        def conv(obj):
            if isinstance(obj, Row):
                return obj.asDict(True)
            if isinstance(obj, list):
                return [conv(o) for o in obj]
            if isinstance(obj, dict):
                return {k: conv(v) for k, v in obj.items()}
            return obj

        return dict(zip(self.__fields__, (conv(o) for o in self)))

    def __contains__(self, item):
        if hasattr(self, "__fields__"):
            return item in self.__fields__
        return super().__contains__(item)

    def __call__(self, *args):
        """Makes a Row with these field names from values."""
        if len(args) > len(self):
            raise PySparkValueError(errorClass="TOO_MANY_VALUES", messageParameters={
                "expected": str(len(self)), "item": "fields", "actual": str(len(args))})
        return _create_row(self, args)

    def __getitem__(self, item):
        if isinstance(item, (int, slice)):
            return super().__getitem__(item)
        try:
            index = self.__fields__.index(item)
        except (ValueError, AttributeError):
            raise PySparkValueError(item) from None
        return super().__getitem__(index)

    def __getattr__(self, item):
        if item.startswith("__"):
            raise PySparkAttributeError(errorClass="ATTRIBUTE_NOT_SUPPORTED",
                                        messageParameters={"attr_name": item})
        try:
            index = self.__fields__.index(item)
        except ValueError:
            raise PySparkAttributeError(errorClass="ATTRIBUTE_NOT_SUPPORTED",
                                        messageParameters={"attr_name": item}) from None
        return tuple.__getitem__(self, index)

    def __setattr__(self, key, value):
        if key != "__fields__":
            raise PySparkRuntimeError(errorClass="READ_ONLY", messageParameters={"object": "Row"})
        self.__dict__[key] = value

    def __reduce__(self):
        if hasattr(self, "__fields__"):
            return (_create_row, (self.__fields__, tuple(self)))
        return tuple.__reduce__(self)

    def __repr__(self):
        if hasattr(self, "__fields__"):
            return "Row(%s)" % ", ".join("%s=%r" % (k, v) for k, v in zip(self.__fields__, self))
        return "<Row(%s)>" % ", ".join(repr(field) for field in self)


# --- Arrow ----------------------------------------------------------------------------------------


def to_arrow_type(dt):
    """The Arrow type holding a column of ``dt`` in a partition.

    >>> to_arrow_type(ArrayType(DecimalType(10, 2)))
    ListType(list<item: decimal128(10, 2)>)
    """
    import pyarrow as pa

    if isinstance(dt, NullType):
        return pa.null()
    if isinstance(dt, (StringType, CharType, VarcharType)):
        return pa.string()
    if isinstance(dt, BinaryType):
        return pa.binary()
    if isinstance(dt, BooleanType):
        return pa.bool_()
    if isinstance(dt, ByteType):
        return pa.int8()
    if isinstance(dt, ShortType):
        return pa.int16()
    if isinstance(dt, IntegerType):
        return pa.int32()
    if isinstance(dt, LongType):
        return pa.int64()
    if isinstance(dt, FloatType):
        return pa.float32()
    if isinstance(dt, DoubleType):
        return pa.float64()
    if isinstance(dt, DecimalType):
        return pa.decimal128(dt.precision, dt.scale)
    if isinstance(dt, DateType):
        return pa.date32()
    if isinstance(dt, (TimestampType, TimestampNTZType)):
        # TimestampType partitions hold wall-clock time in the session time zone, so the
        # per-partition engine's date/time functions need no zone conversion.
        return pa.timestamp("us")
    if isinstance(dt, DayTimeIntervalType):
        return pa.duration("us")
    if isinstance(dt, ArrayType):
        # nested fields stay nullable in Arrow whatever Spark's flags say: tables produced by
        # different operators then concatenate without schema casts
        return pa.list_(to_arrow_type(dt.elementType))
    if isinstance(dt, MapType):
        return pa.map_(to_arrow_type(dt.keyType), to_arrow_type(dt.valueType))
    if isinstance(dt, StructType):
        return pa.struct([pa.field(f.name, to_arrow_type(f.dataType)) for f in dt.fields])
    raise PySparkTypeError(errorClass="UNSUPPORTED_DATA_TYPE_FOR_ARROW",
                           message="Single data type %s is not supported with Arrow." % dt,
                           messageParameters={"data_type": str(dt)})


def to_arrow_schema(schema):
    """The Arrow schema of a StructType (nullability kept)."""
    import pyarrow as pa

    return pa.schema([pa.field(f.name, to_arrow_type(f.dataType)) for f in schema.fields])


def from_arrow_type(at):
    """The Spark type of an Arrow type.

    >>> import pyarrow as pa
    >>> from_arrow_type(pa.map_(pa.string(), pa.list_(pa.int64())))
    MapType(StringType(), ArrayType(LongType(), True), True)
    """
    import pyarrow as pa
    import pyarrow.types as t

    if t.is_null(at):
        return NullType()
    if t.is_boolean(at):
        return BooleanType()
    if t.is_int8(at):
        return ByteType()
    if t.is_int16(at) or t.is_uint8(at):
        return ShortType()
    if t.is_int32(at) or t.is_uint16(at):
        return IntegerType()
    if t.is_int64(at) or t.is_uint32(at) or t.is_uint64(at):
        return LongType()
    if t.is_float16(at) or t.is_float32(at):
        return FloatType()
    if t.is_float64(at):
        return DoubleType()
    if t.is_decimal(at):
        return DecimalType(at.precision, at.scale)
    if t.is_string(at) or t.is_large_string(at) or getattr(t, "is_string_view", lambda _: False)(at):
        return StringType()
    if t.is_binary(at) or t.is_large_binary(at) or t.is_fixed_size_binary(at):
        return BinaryType()
    if t.is_date(at):
        return DateType()
    if t.is_timestamp(at):
        return TimestampType() if at.tz is not None else TimestampNTZType()
    if t.is_duration(at):
        return DayTimeIntervalType()
    if t.is_map(at):
        return MapType(from_arrow_type(at.key_type), from_arrow_type(at.item_type),
                       at.item_field.nullable)
    if t.is_list(at) or t.is_large_list(at) or t.is_fixed_size_list(at):
        return ArrayType(from_arrow_type(at.value_type), at.value_field.nullable)
    if t.is_struct(at):
        return StructType([StructField(at.field(i).name, from_arrow_type(at.field(i).type),
                                       at.field(i).nullable) for i in range(at.num_fields)])
    if t.is_dictionary(at):
        return from_arrow_type(at.value_type)
    raise PySparkTypeError(errorClass="UNSUPPORTED_DATA_TYPE_FOR_ARROW_CONVERSION",
                           message="%s is not supported in conversion to Arrow." % at,
                           messageParameters={"data_type": str(at)})


def from_arrow_schema(arrow_schema, nullable=None):
    """The StructType of an Arrow schema; ``nullable=True`` makes every field nullable (as file
    sources do). Timestamps with a zone are TimestampType, without one TimestampNTZType (as
    Parquet files written by Spark mark them)."""
    return StructType([
        StructField(f.name, from_arrow_type(f.type), f.nullable if nullable is None else nullable)
        for f in arrow_schema])


def _local_tz():
    return datetime.datetime.now().astimezone().tzinfo


def _to_arrow_value_converter(dt):
    """A function putting one Python value of ``dt`` in the form pyarrow accepts, or None when
    values go through unchanged."""
    if isinstance(dt, TimestampType):
        tz = _local_tz()

        def conv(v):
            if isinstance(v, datetime.datetime) and v.tzinfo is not None:
                # PySpark turns an aware datetime into the same instant in local time
                return v.astimezone(tz).replace(tzinfo=None)
            return v
        return conv
    if isinstance(dt, TimestampNTZType):
        return lambda v: v.replace(tzinfo=None) if isinstance(v, datetime.datetime) else v
    if isinstance(dt, DateType):
        return lambda v: v.date() if isinstance(v, datetime.datetime) else v
    if isinstance(dt, DecimalType):
        quantum = decimal.Decimal(1).scaleb(-dt.scale)

        def conv(v):
            if v is None:
                return None
            if not isinstance(v, decimal.Decimal):
                v = decimal.Decimal(v)
            with decimal.localcontext() as ctx:
                ctx.prec = 100
                return v.quantize(quantum, rounding=decimal.ROUND_HALF_UP)
        return conv
    if isinstance(dt, (FloatType, DoubleType)):
        return lambda v: float(v) if isinstance(v, (int, decimal.Decimal)) and not isinstance(v, bool) else v
    if isinstance(dt, BinaryType):
        return lambda v: bytes(v) if isinstance(v, bytearray) else v
    if isinstance(dt, ArrayType):
        inner = _to_arrow_value_converter(dt.elementType)
        if inner is None:
            return lambda v: list(v) if isinstance(v, (tuple, _array.array)) else v
        return lambda v: None if v is None else [inner(x) for x in v]
    if isinstance(dt, MapType):
        kconv = _to_arrow_value_converter(dt.keyType) or (lambda x: x)
        vconv = _to_arrow_value_converter(dt.valueType) or (lambda x: x)
        return lambda v: None if v is None else [(kconv(k), vconv(x)) for k, x in v.items()]
    if isinstance(dt, StructType):
        names = dt.names
        convs = [_to_arrow_value_converter(f.dataType) or (lambda x: x) for f in dt.fields]

        def conv(v):
            if v is None:
                return None
            if isinstance(v, Row) and hasattr(v, "__fields__"):
                v = v.asDict()
            if isinstance(v, dict):
                return {n: c(v.get(n)) for n, c in zip(names, convs)}
            if isinstance(v, (tuple, list)):
                return {n: c(x) for n, c, x in zip(names, convs, v)}
            d = v.__dict__
            return {n: c(d.get(n)) for n, c in zip(names, convs)}
        return conv
    return None


def rows_to_arrow(rows, schema):
    """An Arrow table of Python records (tuples or Rows by position, dicts by name) under
    ``schema`` (a StructType).

    >>> t = rows_to_arrow([(1, datetime.date(2024, 1, 2), decimal.Decimal("1.50"))],
    ...                   StructType([StructField("a", LongType()), StructField("d", DateType()),
    ...                               StructField("x", DecimalType(10, 2))]))
    >>> t.to_pylist()
    [{'a': 1, 'd': datetime.date(2024, 1, 2), 'x': Decimal('1.50')}]
    """
    import pyarrow as pa

    rows = rows if isinstance(rows, list) else list(rows)
    names = schema.names
    columns = [[] for _ in names]
    for row in rows:
        if isinstance(row, dict):
            values = [row.get(n) for n in names]
        elif isinstance(row, (tuple, list)):
            values = row
        elif hasattr(row, "__dict__"):
            values = [row.__dict__.get(n) for n in names]
        else:
            values = [row]
        for column, value in zip(columns, values):
            column.append(value)
    arrays = []
    for field, column in zip(schema.fields, columns):
        conv = _to_arrow_value_converter(field.dataType)
        if conv is not None:
            column = [conv(v) for v in column]
        arrays.append(pa.array(column, type=to_arrow_type(field.dataType)))
    return pa.Table.from_arrays(arrays, schema=to_arrow_schema(schema))


def _from_arrow_value_converter(dt):
    """A function turning one ``to_pylist`` value of ``dt`` into what ``collect`` returns, or
    None when values come through unchanged."""
    if isinstance(dt, (TimestampType, TimestampNTZType)):
        tz = _local_tz()
        # Parquet files may hold zone-aware instants: show them in local time as PySpark does
        return lambda v: v.astimezone(tz).replace(tzinfo=None) if v is not None and v.tzinfo else v
    if isinstance(dt, BinaryType):
        # PySpark 4.1+ collects binary values as bytes (spark.sql.execution.pyspark.binaryAsBytes)
        return lambda v: None if v is None else bytes(v)
    if isinstance(dt, ArrayType):
        inner = _from_arrow_value_converter(dt.elementType)
        if inner is None:
            return None
        return lambda v: None if v is None else [inner(x) for x in v]
    if isinstance(dt, MapType):
        kconv = _from_arrow_value_converter(dt.keyType) or (lambda x: x)
        vconv = _from_arrow_value_converter(dt.valueType) or (lambda x: x)
        return lambda v: None if v is None else {kconv(k): vconv(x) for k, x in v}
    if isinstance(dt, StructType):
        names = dt.names
        convs = [_from_arrow_value_converter(f.dataType) or (lambda x: x) for f in dt.fields]

        def conv(v):
            if v is None:
                return None
            if isinstance(v, dict):
                values = [c(v.get(n)) for n, c in zip(names, convs)]
            else:
                values = [c(x) for c, x in zip(convs, v)]
            return _create_row(names, values)
        return conv
    return None


def arrow_column_to_python(column, dt):
    """The Python values of one Arrow column of Spark type ``dt``, as ``collect`` returns them."""
    values = column.to_pylist()
    conv = _from_arrow_value_converter(dt)
    return values if conv is None else [conv(v) for v in values]


def arrow_to_rows(table, schema=None):
    """The rows of an Arrow table as ``Row`` objects (``collect``'s result).

    >>> import pyarrow as pa
    >>> arrow_to_rows(pa.table({"a": [1, None], "m": pa.array([[("k", 1.5)], None],
    ...                                                        pa.map_(pa.string(), pa.float64()))}))
    [Row(a=1, m={'k': 1.5}), Row(a=None, m=None)]
    """
    if schema is None:
        schema = from_arrow_schema(table.schema)
    names = schema.names
    columns = [arrow_column_to_python(table.column(i), f.dataType)
               for i, f in enumerate(schema.fields)]
    if not columns:
        return [_create_row([], []) for _ in range(table.num_rows)]
    return [_create_row(names, values) for values in zip(*columns)]
