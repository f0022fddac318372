"""What ``df.show()`` and ``repr(df)`` print, rule for rule as Spark 4's ``Dataset.showString``.

``show_string(rows, schema, num_rows, truncate, vertical)`` is the one entry point: the caller
(``DataFrame.show``) collects ``num_rows + 1`` rows, so that one extra row tells whether the
``only showing top N rows`` footer is due, and passes them here as Python values in schema order
(tuples or Rows, as ``types.arrow_to_rows`` makes them). PySpark's ``show`` prints the result
with ``print``; ``show_string`` returns exactly what PySpark's ``df._show_string`` returns.

Cells are rendered as Spark's ``ToPrettyString`` renders them:

- ``NULL`` for nulls at any depth; ``true``/``false``;
- doubles and floats as Java's ``Double.toString``/``Float.toString`` (``1.0E7``, ``1.0E-4``,
  ``NaN``, ``Infinity``, ``-0.0``); decimals in plain notation with their column's scale;
- dates ``yyyy-MM-dd``; timestamps ``yyyy-MM-dd HH:mm:ss`` plus the fraction without trailing
  zeros, in the session time zone (values are wall-clock there already; zone-aware datetimes are
  converted to ``time_zone``);
- binary as upper-case hex bytes ``[68 65 6C]``; arrays ``[a, b]``; structs ``{a, b}``;
  maps ``{k -> v}``;
- control characters escaped (``\\n``, ``\\t``, ``\\r``, ``\\f``, ``\\b``, ``\\v``, ``\\a``).

Layout: a cell longer than ``truncate`` (counted in UTF-16 units, as Java strings count) keeps its
first ``truncate - 3`` characters and ``...`` (the first ``truncate`` if that is below 4); a
column is as wide as its widest cell or header, at least 3, where East-Asian wide characters
count 2; cells are right-aligned when truncating and left-aligned with ``truncate=0``.
Vertical mode prints one ``-RECORD i---`` block per row, or ``(0 rows)``.
"""

import datetime
import decimal
import math
import re

from . import types as T

MIN_COL_WIDTH = 3

# Characters Spark counts as two columns wide (Utils.stringHalfWidth's ranges).
_FULL_WIDTH = re.compile(
    "[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE10-\uFE19\uFE30-\uFE6F"
    "\uFF00-\uFF60\uFFE0-\uFFE6]")

_META = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\b": "\\b", "\u000b": "\\v",
         "\u0007": "\\a"}
_META_RE = re.compile("[\n\t\r\f\b\u000b\u0007]")


def java_length(s):
    """A string's length as Java counts it (UTF-16 code units)."""
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def string_half_width(s):
    """Columns a string takes in a monospace terminal, as Spark measures it.

    >>> string_half_width("abc"), string_half_width("한글")
    (3, 4)
    """
    return java_length(s) + len(_FULL_WIDTH.findall(s))


def escape_meta_characters(s):
    r"""Control characters as their escapes, so a cell stays on one line.

    >>> escape_meta_characters("a\nb\tc")
    'a\\nb\\tc'
    """
    return _META_RE.sub(lambda m: _META[m.group(0)], s)


def _java_layout(negative, digits, exponent):
    """Java's Double.toString layout of a decimal ``0.d1d2... x 10^exponent``-style value given
    as its significant digits and the exponent of the first digit."""
    sign = "-" if negative else ""
    if -3 <= exponent < 7:
        if exponent >= 0:
            whole = digits[:exponent + 1].ljust(exponent + 1, "0")
            fraction = digits[exponent + 1:] or "0"
        else:
            whole = "0"
            fraction = "0" * (-exponent - 1) + digits
        return "%s%s.%s" % (sign, whole, fraction)
    return "%s%s.%sE%d" % (sign, digits[0], digits[1:] or "0", exponent)


def _shortest_digits(text):
    """(digits, exponent of the first digit) of a shortest round-trip repr like '1.5e-07'."""
    mantissa, _, exp = text.lower().partition("e")
    mantissa = mantissa.lstrip("-")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    leading = len(whole + fraction) - len((whole + fraction).lstrip("0"))
    exponent = (int(exp) if exp else 0) + len(whole) - 1 - leading
    return digits.rstrip("0") or "0", exponent


def _java_whole_number_digits(x, significand_bits):
    """Java 17's Double/Float.toString digits for a whole number below 2^63: the exact integer,
    rounded half-up to drop the digits its precision cannot hold (FloatingDecimal's long path),
    which can be more digits than the shortest round-trip form. None for other values."""
    if x != math.floor(x):
        return None
    bin_exp = math.frexp(x)[1] - 1
    if not 0 <= bin_exp <= 62:
        return None
    p2 = bin_exp - significand_bits - 1
    # digits of 2^p2 that carry no information about the value
    insignificant = int(p2 * math.log10(2)) if p2 > 1 else 0
    value = int(x)
    if insignificant:
        scale = 10 ** insignificant
        value, residue = divmod(value, scale)
        if residue >= scale // 2:
            value += 1
    text = str(value)
    return text.rstrip("0") or "0", len(text) - 1 + insignificant


def java_double_to_string(x):
    """A double as Java's ``Double.toString`` writes it (what Spark prints).

    >>> [java_double_to_string(v) for v in (1e7, 1e-4, 0.001, 100.0, -0.0, 123456789.123)]
    ['1.0E7', '1.0E-4', '0.001', '100.0', '-0.0', '1.23456789123E8']
    """
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    digits = _java_whole_number_digits(abs(x), 53)
    if digits is None:
        digits = _shortest_digits(repr(abs(x)))
    return _java_layout(x < 0, *digits)


def java_float_to_string(x):
    """A float (32-bit) as Java's ``Float.toString`` writes it.

    >>> java_float_to_string(1.1), java_float_to_string(1e10)
    ('1.1', '1.0E10')
    """
    import numpy as np

    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    f = np.float32(x)
    digits = _java_whole_number_digits(abs(float(f)), 24)
    if digits is None:
        digits = _shortest_digits(np.format_float_scientific(abs(f), unique=True))
    return _java_layout(f < 0, *digits)


def decimal_to_string(value, scale=None):
    """A decimal in plain notation with the column's scale (``1.50`` in ``decimal(10,2)``).

    >>> decimal_to_string(decimal.Decimal("1E-8"), 18)
    '0.000000010000000000'
    """
    if scale is not None and value.is_finite():
        with decimal.localcontext() as ctx:
            ctx.prec = 100
            value = value.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_UP)
    return format(value, "f")


def timestamp_to_string(value, time_zone=None):
    """``yyyy-MM-dd HH:mm:ss`` and the fraction without trailing zeros.

    >>> timestamp_to_string(datetime.datetime(2024, 1, 1, 9, 30, 0, 500000))
    '2024-01-01 09:30:00.5'
    """
    zone = None
    if time_zone is not None:
        import zoneinfo

        try:
            zone = zoneinfo.ZoneInfo(time_zone)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            zone = None  # a POSIX TZ string: the process's own zone
    if zone is not None:
        # a naive value is the process's local time, as collect() gives a TimestampType
        value = value.astimezone(zone)
    elif value.tzinfo is not None:
        value = value.astimezone()
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (value.year, value.month, value.day, value.hour,
                                              value.minute, value.second)
    if value.microsecond:
        text += ("." + "%06d" % value.microsecond).rstrip("0")
    return text


def date_to_string(value):
    return "%04d-%02d-%02d" % (value.year, value.month, value.day)


def _interval_day_time(value, data_type):
    # Only the day-to-second form is rendered field by field; Spark's other ranges are rare
    micros = (value.days * 86400 + value.seconds) * 1000000 + value.microseconds
    sign = "-" if micros < 0 else ""
    micros = abs(micros)
    days, rem = divmod(micros, 86400 * 1000000)
    hours, rem = divmod(rem, 3600 * 1000000)
    minutes, rem = divmod(rem, 60 * 1000000)
    seconds, frac = divmod(rem, 1000000)
    sec = "%02d" % seconds + (("." + "%06d" % frac).rstrip("0") if frac else "")
    return "INTERVAL '%s%d %02d:%02d:%s' DAY TO SECOND" % (sign, days, hours, minutes, sec)


def format_value(value, data_type, time_zone=None, pretty=True):
    """One value as Spark renders it in ``show()`` (``pretty=True``, Spark's ToPrettyString) or
    as ``CAST(x AS STRING)`` makes it (``pretty=False``: nested nulls are ``null``, binary is
    its bytes decoded, a top-level null stays None).

    >>> format_value([1.0, None], T.ArrayType(T.DoubleType()))
    '[1.0, NULL]'
    >>> format_value({"a": T.Row(x=1, y="b")}, T.MapType(T.StringType(),
    ...              T.StructType([T.StructField("x", T.LongType()), T.StructField("y", T.StringType())])))
    '{a -> {1, b}}'
    """
    if value is None:
        return "NULL" if pretty else None
    return _format(value, data_type, time_zone, pretty)


def _format(value, dt, tz, pretty):
    if value is None:
        return "NULL" if pretty else "null"
    if isinstance(dt, T.StringType) or isinstance(dt, (T.CharType, T.VarcharType)):
        return value
    if isinstance(dt, T.BooleanType):
        return "true" if value else "false"
    if isinstance(dt, T.DoubleType):
        return java_double_to_string(float(value))
    if isinstance(dt, T.FloatType):
        return java_float_to_string(float(value))
    if isinstance(dt, T.DecimalType):
        return decimal_to_string(value if isinstance(value, decimal.Decimal)
                                 else decimal.Decimal(str(value)), dt.scale)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        return timestamp_to_string(value, tz if isinstance(dt, T.TimestampType) else None)
    if isinstance(dt, T.DateType):
        return date_to_string(value)
    if isinstance(dt, T.BinaryType):
        if not pretty:
            return bytes(value).decode("utf-8", "replace")
        return "[" + " ".join("%02X" % b for b in bytes(value)) + "]"
    if isinstance(dt, T.ArrayType):
        return "[" + ", ".join(_format(v, dt.elementType, tz, pretty) for v in value) + "]"
    if isinstance(dt, T.MapType):
        items = value.items() if isinstance(value, dict) else value
        return "{" + ", ".join("%s -> %s" % (_format(k, dt.keyType, tz, pretty),
                                             _format(v, dt.valueType, tz, pretty))
                               for k, v in items) + "}"
    if isinstance(dt, T.StructType):
        if isinstance(value, dict):
            value = [value.get(n) for n in dt.names]
        return "{" + ", ".join(_format(v, f.dataType, tz, pretty)
                               for v, f in zip(value, dt.fields)) + "}"
    if isinstance(dt, T.DayTimeIntervalType):
        return _interval_day_time(value, dt)
    if isinstance(dt, T.NullType):
        return "NULL" if pretty else "null"
    return str(value)


def _java_prefix(s, units):
    """Java's ``s.substring(0, units)``: a character outside the BMP cut in half prints as '?'."""
    out = []
    for c in s:
        width = 2 if ord(c) > 0xFFFF else 1
        if units < width:
            if units == 1:
                out.append("?")
            break
        out.append(c)
        units -= width
    return "".join(out)


def _truncate(cell, truncate):
    if truncate > 0 and java_length(cell) > truncate:
        if truncate < 4:
            return _java_prefix(cell, truncate)
        return _java_prefix(cell, truncate - 3) + "..."
    return cell


def _pad(cell, width, left_align):
    fill = " " * (width - string_half_width(cell))
    return cell + fill if left_align else fill + cell


def show_string(rows, schema, num_rows=20, truncate=20, vertical=False, time_zone=None):
    """The text ``df.show(num_rows, truncate, vertical)`` prints (without print's newline).

    ``rows`` holds up to ``num_rows + 1`` rows; a row beyond ``num_rows`` only turns the footer on.

    >>> schema = T.StructType([T.StructField("name", T.StringType()),
    ...                        T.StructField("age", T.LongType())])
    >>> print(show_string([("Alice", 2), ("Bob", None)], schema))
    +-----+----+
    | name| age|
    +-----+----+
    |Alice|   2|
    |  Bob|NULL|
    +-----+----+
    <BLANKLINE>
    >>> print(show_string([("Alice", 2), ("Bob", 5)], schema, num_rows=1, vertical=True))
    ... # doctest: +NORMALIZE_WHITESPACE
    -RECORD 0-----
     name | Alice
     age  | 2
    only showing top 1 row
    """
    if isinstance(truncate, bool):
        truncate = 20 if truncate else 0
    num_rows = max(num_rows, 0)
    rows = list(rows)
    has_more = len(rows) > num_rows
    rows = rows[:num_rows]
    fields = schema.fields
    names = [escape_meta_characters(f.name) for f in fields]
    data = [[_truncate(escape_meta_characters(format_value(v, f.dataType, time_zone)), truncate)
             for v, f in zip(row, fields)] for row in rows]
    out = []
    if not vertical:
        widths = [MIN_COL_WIDTH] * len(fields)
        for line in [names] + data:
            for i, cell in enumerate(line):
                widths[i] = max(widths[i], string_half_width(cell))
        sep = "+" + "+".join("-" * w for w in widths) + "+\n"
        left = truncate <= 0
        out.append(sep)
        for j, line in enumerate([names] + data):
            out.append("|" + "|".join(_pad(c, w, left) for c, w in zip(line, widths)) + "|\n")
            if j == 0:
                out.append(sep)
        out.append(sep)
    else:
        name_width = max([MIN_COL_WIDTH] + [string_half_width(n) for n in names])
        data_width = max([MIN_COL_WIDTH] + [string_half_width(c) for line in data for c in line])
        for i, line in enumerate(data):
            header = "-RECORD %d" % i
            out.append(header + "-" * (name_width + data_width + 5 - java_length(header)) + "\n")
            for name, cell in zip(names, line):
                out.append(" %s | %s \n" % (_pad(name, name_width, True), _pad(cell, data_width, True)))
        if not data:
            out.append("(0 rows)")
    if has_more:
        out.append("only showing top %d %s" % (num_rows, "row" if num_rows == 1 else "rows"))
    return "".join(out)


def dataframe_repr(schema):
    """``repr(df)``: ``DataFrame[name: type, ...]`` with simple type names.

    >>> dataframe_repr(T.StructType([T.StructField("id", T.LongType()),
    ...                              T.StructField("a", T.ArrayType(T.IntegerType()))]))
    'DataFrame[id: bigint, a: array<int>]'
    """
    return "DataFrame[%s]" % ", ".join("%s: %s" % (f.name, f.dataType.simpleString())
                                       for f in schema.fields)
