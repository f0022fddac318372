"""Spark built-ins that DuckDB has no faithful equivalent for, evaluated row by row in Python.

The function registry builds a :class:`RowFunction` for them: a typed expression that names
itself as Spark does (``soundex(s)``, ``conv(n, 2, 16)``) and that the per-partition query calls
as a DuckDB Python function, registered on each executor's connection the way Python UDFs are.
Each ``row_*`` function receives one row's argument values (``None`` for NULL) and returns the
value Spark computes; an ANSI error is raised as the PySpark exception Spark raises.

>>> row_soundex("Uhrbach")
'U612'
>>> row_conv("010101", 2, 16)
'15'
"""

import zlib

from .expressions import PythonUDF


class RowFunction(PythonUDF):
    """A built-in computed by a Python function per row; named like any other built-in.

    >>> from sparklet.sql import functions as sf
    >>> spark.createDataFrame([("Peters",)], ["s"]).select(sf.soundex("s")).collect()
    [Row(soundex(s)='P362')]
    """

    def __init__(self, func, fname, args, dataType, sql_name=None, nullable=None, explain_name=None):
        # The id names the DuckDB function on the executors' connections: stable across processes,
        # one per (function, argument types) since DuckDB functions have fixed signatures.
        key = "%s|%s.%s|%s" % (fname, func.__module__, getattr(func, "__qualname__", ""),
                               "|".join(a.dataType.simpleString() for a in args))
        super().__init__(func, fname, args, dataType, (1 << 40) + zlib.crc32(key.encode()))
        self.sql_name = sql_name
        self._nullable = nullable
        self.explain_name = explain_name

    def with_children(self, children):
        return RowFunction(self.func, self.fname, children, self.dataType, self.sql_name, self._nullable,
                           self.explain_name)

    @property
    def nullable(self):
        if self._nullable is not None:
            return self._nullable
        return any(c.nullable for c in self.children)

    def sql(self):
        if self.sql_name is not None:
            return self.sql_name
        return "%s(%s)" % (self.fname, ", ".join(c.sql() for c in self.children))

    def explain(self):
        return "%s(%s)" % (self.explain_name or self.fname, ", ".join(c.explain() for c in self.children))


def strict(fn):
    """NULL in any argument gives NULL (most of Spark's functions)."""
    def call(*args):
        if any(a is None for a in args):
            return None
        return fn(*args)
    call.__name__ = call.__qualname__ = fn.__name__
    call.__module__ = fn.__module__
    return call


# --------------------------------------------------------------------------------------------
# strings

_SOUNDEX = {c: str(d) for d, letters in enumerate(["AEIOUYHW", "BFPV", "CGJKQSXZ", "DT", "L", "MN", "R"])
            for c in letters}


def row_soundex(s):
    """Spark's Soundex: a string that does not start with an ASCII letter is returned as it is."""
    if s is None:
        return None
    if not s or not ("A" <= s[0].upper() <= "Z"):
        return s
    s = s.upper()
    out = s[0]
    last = _SOUNDEX.get(s[0], "")
    for ch in s[1:]:
        code = _SOUNDEX.get(ch)
        if code is None:
            last = ""
            continue
        if ch in "HW":
            continue
        if code != "0" and code != last:
            out += code
            if len(out) == 4:
                break
        last = code
    return (out + "000")[:4]


def row_levenshtein_threshold(a, b, threshold):
    if a is None or b is None or threshold is None:
        return None
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    d = prev[-1]
    return d if d <= threshold else -1


def row_mask(s, upper, lower, digit, other):
    if s is None:
        return None
    out = []
    for ch in s:
        if "A" <= ch <= "Z":
            out.append(ch if upper is None else upper)
        elif "a" <= ch <= "z":
            out.append(ch if lower is None else lower)
        elif "0" <= ch <= "9":
            out.append(ch if digit is None else digit)
        else:
            out.append(ch if other is None else other)
    return "".join(out)


def row_url_encode(s):
    if s is None:
        return None
    from urllib.parse import quote_plus
    # java.net.URLEncoder keeps letters, digits and ".-*_"; Python keeps "~" as well
    return quote_plus(s, safe="*").replace("~", "%7E")


def _url_decode(s, try_):
    if s is None:
        return None
    import re
    from urllib.parse import unquote_to_bytes
    if re.search(r"%(?![0-9A-Fa-f]{2})", s):
        if try_:
            return None
        from ..errors import IllegalArgumentException
        raise IllegalArgumentException(
            errorClass="CANNOT_DECODE_URL",
            messageParameters={"url": s})
    try:
        return unquote_to_bytes(s.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return unquote_to_bytes(s.replace("+", " ")).decode("utf-8", "replace")


def row_url_decode(s):
    return _url_decode(s, False)


def row_try_url_decode(s):
    return _url_decode(s, True)


def _java_regex(p):
    """Java's regex syntax in Python's: possessive quantifiers and \\p{Alpha}-style classes are the
    differences users meet; the rest of the common syntax is shared."""
    return p.replace("\\p{Alpha}", "[A-Za-z]").replace("\\p{Digit}", "[0-9]").replace("\\p{Punct}", "[!-/:-@\\[-`{-~]")


def row_regexp_instr(s, p, idx):
    if s is None or p is None or idx is None:
        return None
    import re
    m = re.search(_java_regex(p), s)
    return 0 if m is None else m.start() + 1


def row_sentences(s, language, country):
    """Sentences split into words (Java's BreakIterator for the locale, as Spark does): words are
    runs of letters and digits; sentences end at '.', '!' or '?' before a space."""
    if s is None:
        return None
    import re
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", s):
        # a word keeps its inner '.', ':' and apostrophes ("a.b", "don't"), as BreakIterator's does
        words = re.findall(r"\w+(?:[.:'\u2019]\w+)*", sentence)
        if words:
            out.append(words)
    return out


def row_instr(s, sub, start, occurrence):
    """instr with a start position and an occurrence (Spark 4.1's four-argument form)."""
    if s is None or sub is None or start is None or occurrence is None:
        return None
    if start == 0 or occurrence < 1:
        return 0
    if start > 0:
        pos = start - 1
        for _ in range(occurrence):
            i = s.find(sub, pos)
            if i < 0:
                return 0
            pos = i + 1
        return i + 1
    # a negative start counts from the end and searches backwards
    pos = len(s) + start + 1
    for _ in range(occurrence):
        i = s.rfind(sub, 0, pos)
        if i < 0:
            return 0
        pos = i + len(sub) - 1
    return i + 1


@strict
def row_overlay(s, replace, pos, length):
    if isinstance(s, (bytes, bytearray)):
        replace = bytes(replace)
        s = bytes(s)
    n = len(replace) if length < 0 else length
    start = max(pos, 1) - 1
    return s[:start] + replace + s[start + n:]


@strict
def row_contains_binary(a, b):
    return bytes(b) in bytes(a)


@strict
def row_startswith_binary(a, b):
    return bytes(a).startswith(bytes(b))


@strict
def row_endswith_binary(a, b):
    return bytes(a).endswith(bytes(b))


# --------------------------------------------------------------------------------------------
# numbers

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def row_conv(num, from_base, to_base):
    """Spark's NumberConverter: the digits valid in `from_base` up to the first invalid one, as an
    unsigned 64-bit value (a leading '-' negates it in two's complement); a negative `to_base`
    prints the value as signed."""
    if num is None or from_base is None or to_base is None:
        return None
    if not (2 <= abs(from_base) <= 36 and 2 <= abs(to_base) <= 36):
        return None
    s = str(num).strip()
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    value = 0
    seen = False
    for ch in s.upper():
        d = _DIGITS.find(ch)
        if d < 0 or d >= abs(from_base):
            break
        value = min(value * abs(from_base) + d, (1 << 64) - 1)
        seen = True
    if not seen and not s:
        return None
    if neg:
        value = (-value) & ((1 << 64) - 1)
    signed = to_base < 0
    base = abs(to_base)
    out_neg = False
    if signed and value >= 1 << 63:
        value = (1 << 64) - value
        out_neg = True
    digits = ""
    while True:
        digits = _DIGITS[value % base] + digits
        value //= base
        if value == 0:
            break
    return ("-" if out_neg else "") + digits


@strict
def row_bin(x):
    return format(x & ((1 << 64) - 1), "b")


@strict
def row_width_bucket(v, lo, hi, n):
    import math
    if n <= 0 or lo == hi or any(math.isnan(x) or math.isinf(x) for x in (v, lo, hi)):
        return None
    if lo < hi:
        if v < lo:
            return 0
        if v >= hi:
            return n + 1
        return int(n * (v - lo) / (hi - lo)) + 1
    if v > lo:
        return 0
    if v <= hi:
        return n + 1
    return int(n * (lo - v) / (lo - hi)) + 1


def _int_bits(width):
    mask = (1 << width) - 1

    def wrap(x):
        x &= mask
        return x - (1 << width) if x >> (width - 1) else x
    return mask, wrap


def shift(kind, width):
    """Java's <<, >> and >>> on an int (width 32) or long (64): the shift count taken mod the width."""
    mask, wrap = _int_bits(width)

    def call(x, n):
        if x is None or n is None:
            return None
        n &= width - 1
        if kind == "left":
            return wrap(x << n)
        if kind == "right":
            return x >> n
        return wrap((x & mask) >> n)
    call.__name__ = call.__qualname__ = "row_shift%s%d" % (kind, width)
    return call


row_shiftleft32, row_shiftleft64 = shift("left", 32), shift("left", 64)
row_shiftright32, row_shiftright64 = shift("right", 32), shift("right", 64)
row_shiftrightunsigned32, row_shiftrightunsigned64 = shift("unsigned", 32), shift("unsigned", 64)


@strict
def row_bit_count64(x):
    return bin(int(x) & ((1 << 64) - 1)).count("1")


def bit_get(width):
    def call(x, pos):
        if x is None or pos is None:
            return None
        if pos < 0 or pos >= width:
            from ..errors import ArrayIndexOutOfBoundsException
            raise ArrayIndexOutOfBoundsException(
                errorClass="INVALID_BITMAP_POSITION" if False else "INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE",
                messageParameters={"parameter": "`pos`", "functionName": "`bit_get`", "upper": str(width),
                                   "invalidValue": str(pos)})
        return (int(x) >> pos) & 1
    call.__name__ = call.__qualname__ = "row_bit_get%d" % width
    return call


row_bit_get8, row_bit_get16, row_bit_get32, row_bit_get64 = (bit_get(w) for w in (8, 16, 32, 64))


@strict
def row_factorial(n):
    import math
    return math.factorial(n) if 0 <= n <= 20 else None


# --------------------------------------------------------------------------------------------
# hashes

def _bytes_of(x):
    if isinstance(x, str):
        return x.encode("utf-8")
    return bytes(x)


@strict
def row_crc32(x):
    return zlib.crc32(_bytes_of(x))


@strict
def row_sha2(x, bits):
    import hashlib
    algo = {0: "sha256", 224: "sha224", 256: "sha256", 384: "sha384", 512: "sha512"}.get(bits)
    if algo is None:
        return None
    return hashlib.new(algo, _bytes_of(x)).hexdigest()


def murmur3(types):
    """``hash(...)`` over arguments of the given Spark types (Spark's Murmur3, seed 42)."""
    def call(*values):
        from .murmur3 import hash_row
        return hash_row(list(values), types)
    return call


# xxHash64 as Spark's XXH64 (seed 42): the same value hashing rules as Murmur3 (ints as 4 bytes,
# longs as 8, strings as their UTF-8 bytes), each non-null value chained as the next seed.
_P1, _P2, _P3, _P4, _P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x85EBCA77C2B2AE63,
                           0x27D4EB2F165667C5)
_M64 = (1 << 64) - 1


def _rotl64(x, r):
    return ((x << r) | (x >> (64 - r))) & _M64


def _xx_fmix(h):
    h ^= h >> 33
    h = (h * _P2) & _M64
    h ^= h >> 29
    h = (h * _P3) & _M64
    h ^= h >> 32
    return h


def _xx_round(acc, v):
    acc = (acc + v * _P2) & _M64
    return (_rotl64(acc, 31) * _P1) & _M64


def _xx_merge(acc, v):
    acc ^= _xx_round(0, v)
    return (acc * _P1 + _P4) & _M64


def _xx_int(v, seed):
    h = (seed + _P5 + 4) & _M64
    h ^= ((v & 0xFFFFFFFF) * _P1) & _M64
    h = (_rotl64(h, 23) * _P2 + _P3) & _M64
    return _xx_fmix(h)


def _xx_long(v, seed):
    h = (seed + _P5 + 8) & _M64
    h ^= _xx_round(0, v & _M64)
    h = (_rotl64(h, 27) * _P1 + _P4) & _M64
    return _xx_fmix(h)


def _xx_bytes(data, seed):
    import struct
    n = len(data)
    i = 0
    if n >= 32:
        v1 = (seed + _P1 + _P2) & _M64
        v2 = (seed + _P2) & _M64
        v3 = seed & _M64
        v4 = (seed - _P1) & _M64
        while i <= n - 32:
            a, b, c, d = struct.unpack_from("<4Q", data, i)
            v1, v2, v3, v4 = _xx_round(v1, a), _xx_round(v2, b), _xx_round(v3, c), _xx_round(v4, d)
            i += 32
        h = (_rotl64(v1, 1) + _rotl64(v2, 7) + _rotl64(v3, 12) + _rotl64(v4, 18)) & _M64
        for v in (v1, v2, v3, v4):
            h = _xx_merge(h, v)
    else:
        h = (seed + _P5) & _M64
    h = (h + n) & _M64
    while i <= n - 8:
        (k,) = struct.unpack_from("<Q", data, i)
        h ^= _xx_round(0, k)
        h = (_rotl64(h, 27) * _P1 + _P4) & _M64
        i += 8
    if i <= n - 4:
        (k,) = struct.unpack_from("<I", data, i)
        h ^= (k * _P1) & _M64
        h = (_rotl64(h, 23) * _P2 + _P3) & _M64
        i += 4
    while i < n:
        h ^= (data[i] * _P5) & _M64
        h = (_rotl64(h, 11) * _P1) & _M64
        i += 1
    return _xx_fmix(h)


def _signed64(h):
    return h - (1 << 64) if h >> 63 else h


def xxhash_value(value, data_type, seed):
    """One value hashed with the previous hash as seed (unsigned 64-bit in, unsigned out)."""
    from . import types as T
    from .murmur3 import _double_bits, _float_bits, _unscaled
    import datetime
    if value is None:
        return seed
    t = data_type
    if isinstance(t, T.BooleanType):
        return _xx_int(1 if value else 0, seed)
    if isinstance(t, (T.ByteType, T.ShortType, T.IntegerType)):
        return _xx_int(value, seed)
    if isinstance(t, T.DateType):
        return _xx_int((value - datetime.date(1970, 1, 1)).days, seed)
    if isinstance(t, T.LongType):
        return _xx_long(value, seed)
    if isinstance(t, T.TimestampType) or type(t).__name__ == "TimestampNTZType":
        if value.tzinfo is None and type(t).__name__ != "TimestampNTZType":
            value = value.astimezone()
        epoch = datetime.datetime(1970, 1, 1, tzinfo=value.tzinfo)
        d = value - epoch
        return _xx_long((d.days * 86400 + d.seconds) * 1000000 + d.microseconds, seed)
    if isinstance(t, T.FloatType):
        return _xx_int(_float_bits(value), seed)
    if isinstance(t, T.DoubleType):
        return _xx_long(_double_bits(value), seed)
    if isinstance(t, T.DecimalType):
        unscaled = _unscaled(value, t.scale)
        if t.precision <= 18:
            return _xx_long(unscaled, seed)
        n = (unscaled.bit_length() + 8) // 8
        return _xx_bytes(unscaled.to_bytes(n, "big", signed=True), seed)
    if isinstance(t, (T.StringType, T.BinaryType)):
        return _xx_bytes(_bytes_of(value), seed)
    if isinstance(t, T.ArrayType):
        for v in value:
            seed = xxhash_value(v, t.elementType, seed)
        return seed
    if isinstance(t, T.StructType):
        for f in t.fields:
            seed = xxhash_value(value[f.name] if isinstance(value, dict) else getattr(value, f.name), f.dataType, seed)
        return seed
    if isinstance(t, T.MapType):
        items = value.items() if isinstance(value, dict) else value
        for k, v in items:
            seed = xxhash_value(k, t.keyType, seed)
            seed = xxhash_value(v, t.valueType, seed)
        return seed
    raise TypeError("xxhash64 does not hash %s" % t.simpleString())


def xxhash64(types):
    def call(*values):
        h = 42
        for v, t in zip(values, types):
            h = xxhash_value(v, t, h)
        return _signed64(h)
    return call


def ansi(fn):
    """Lets a Spark error raised for a row reach the driver as itself (DuckDB keeps only text)."""
    def call(*args):
        try:
            return fn(*args)
        except Exception as e:
            from ..errors import PySparkException
            if isinstance(e, PySparkException):
                from .engine import keep_function_error
                keep_function_error(e)
            raise
    return call
