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

from .expressions import Function, PythonUDF


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
        super().__init__(ansi(func), fname, args, dataType, (1 << 40) + zlib.crc32(key.encode()))
        self.sql_name = sql_name
        self._nullable = nullable
        self.explain_name = explain_name

    def with_children(self, children):
        return RowFunction(self.func.__wrapped__, self.fname, children, self.dataType, self.sql_name, self._nullable,
                           self.explain_name)

    # named, explained and nullable as the built-in function it is
    name_args = None
    nullable = Function.nullable
    sql = Function.sql
    explain = Function.explain


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
def row_reverse_binary(b):
    return bytes(b)[::-1]


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


# xxHash64 as Spark's XXH64 (seed 42) for the values hyperloglog's vectorized SQL does not cover
# (arrays, maps, wide decimals): the same per-value rules, each non-null value chained as the seed.
def _xx_int(v, seed):
    from .hyperloglog import hash_int
    return int(hash_int([v], seed)[0])


def _xx_long(v, seed):
    from .hyperloglog import hash_long
    v &= (1 << 64) - 1
    return int(hash_long([v - (1 << 64) if v >> 63 else v], seed)[0])


def _xx_bytes(data, seed):
    from .hyperloglog import hash_bytes
    return hash_bytes(data, seed)


def xxhash_value(value, data_type, seed):
    """One value hashed with the previous hash as seed (signed 64-bit in and out)."""
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
        return h
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
    call.__wrapped__ = fn
    return call


# --------------------------------------------------------------------------------------------
# binary and character encodings

# the charsets Spark 4's encode/decode accept, as Python codecs; Java's UTF-16 writes a big-endian
# byte order mark and reads big-endian when there is none
_CHARSETS = {"us-ascii": "ascii", "iso-8859-1": "latin-1", "utf-8": "utf-8", "utf-16be": "utf-16-be",
             "utf-16le": "utf-16-le", "utf-16": "utf-16", "utf-32": "utf-32-be"}


def _codec(charset, function):
    codec = _CHARSETS.get(charset.lower())
    if codec is None:
        from ..errors import IllegalArgumentException
        raise IllegalArgumentException(
            errorClass="INVALID_PARAMETER_VALUE.CHARSET",
            messageParameters={"functionName": "`%s`" % function, "parameter": "`charset`",
                               "charset": charset, "charsets": ", ".join(sorted(_CHARSETS))})
    return codec


def _malformed(function, charset):
    from ..errors import SparkRuntimeException
    return SparkRuntimeException(errorClass="MALFORMED_CHARACTER_CODING",
                                 messageParameters={"function": "`%s`" % function, "charset": charset})


def row_encode(s, charset):
    if s is None or charset is None:
        return None
    codec = _codec(charset, "encode")
    try:
        if codec == "utf-16":
            return b"\xfe\xff" + s.encode("utf-16-be")
        return s.encode(codec)
    except UnicodeError:
        raise _malformed("encode", charset) from None


def row_decode(b, charset):
    if b is None or charset is None:
        return None
    codec = _codec(charset, "decode")
    b = bytes(b)
    try:
        if codec == "utf-16":
            if b[:2] == b"\xff\xfe":
                return b[2:].decode("utf-16-le")
            return (b[2:] if b[:2] == b"\xfe\xff" else b).decode("utf-16-be")
        return b.decode(codec)
    except UnicodeError:
        raise _malformed("decode", charset) from None


def _to_binary_value(s, fmt):
    import base64
    import binascii
    fmt = fmt.lower()
    if fmt == "hex":
        return binascii.unhexlify(("0" + s) if len(s) % 2 else s)
    if fmt in ("utf-8", "utf8"):
        return s.encode("utf-8")
    return base64.b64decode(s.replace("\n", "").replace("\r", "").replace(" ", ""), validate=True)


def row_try_to_binary(s, fmt):
    if s is None or fmt is None:
        return None
    try:
        return _to_binary_value(s, fmt)
    except ValueError:
        return None


def row_to_binary(s, fmt):
    if s is None or fmt is None:
        return None
    try:
        return _to_binary_value(s, fmt)
    except ValueError:
        from ..errors import IllegalArgumentException
        error = IllegalArgumentException(
            errorClass="CONVERSION_INVALID_INPUT",
            messageParameters={"str": "'%s'" % s, "fmt": "'%s'" % fmt.upper(), "targetType": '"BINARY"',
                               "suggestion": "`try_to_binary`"})
        raise error


def row_unhex(s):
    if s is None:
        return None
    import binascii
    try:
        return binascii.unhexlify(("0" + s) if len(s) % 2 else s)
    except ValueError:
        return None


def row_to_base32(b):
    if b is None:
        return None
    import base64
    return base64.b32encode(bytes(b)).decode("ascii")


def row_from_base32(s):
    if s is None:
        return None
    import base64
    try:
        return base64.b32decode(s)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# URLs and similarity

_URL_PARTS = ("HOST", "PATH", "QUERY", "REF", "PROTOCOL", "FILE", "AUTHORITY", "USERINFO")


def _parse_url(url, part, key, try_):
    if url is None or part is None:
        return None
    from urllib.parse import urlsplit
    import re
    try:
        # java.net.URI rejects what it cannot parse (spaces, bad escapes); those give NULL
        if re.search(r"\s|%(?![0-9A-Fa-f]{2})", url):
            raise ValueError(url)
        u = urlsplit(url)
    except ValueError:
        if try_:
            return None
        from ..errors import IllegalArgumentException
        error = IllegalArgumentException(errorClass="INVALID_URL",
                                              messageParameters={"url": url, "ansiConfig": '"spark.sql.ansi.enabled"'})
        raise error
    if key is not None:
        if part != "QUERY" or not u.query:
            return None
        m = re.search(r"(&|^)%s=([^&]*)" % re.escape(key), u.query)
        return m.group(2) if m else None
    if part == "HOST":
        return u.hostname if u.netloc else None
    if part == "PATH":
        return u.path
    if part == "QUERY":
        return u.query or None
    if part == "REF":
        return u.fragment or None
    if part == "PROTOCOL":
        return u.scheme or None
    if part == "FILE":
        return u.path + ("?" + u.query if u.query else "")
    if part == "AUTHORITY":
        return u.netloc or None
    if part == "USERINFO":
        return u.netloc.rpartition("@")[0] or None if "@" in u.netloc else None
    return None


def row_parse_url(url, part, key=None):
    return _parse_url(url, part, key, False)


def row_try_parse_url(url, part, key=None):
    return _parse_url(url, part, key, True)


@strict
def row_jaro_winkler(a, b):
    """Jaro-Winkler similarity (prefix scale 0.1, up to 4 common leading characters)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    used = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == ch:
                used[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if m == 0:
        return 0.0
    matched_b = [b[j] for j in range(len(b)) if used[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


# --------------------------------------------------------------------------------------------
# seeded random values, as Spark draws them: one generator per expression and partition, seeded
# with seed + partition index, drawing in row order (so rand(42) gives PySpark's numbers)

def _scala_bytes_hash(data, seed):
    """scala.util.hashing.MurmurHash3.bytesHash."""
    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & 0xFFFFFFFF

    def mix_last(h, k):
        k = (k * 0xCC9E2D51) & 0xFFFFFFFF
        k = rotl(k, 15)
        k = (k * 0x1B873593) & 0xFFFFFFFF
        return h ^ k
    h = seed & 0xFFFFFFFF
    n = len(data)
    i = 0
    while n - i >= 4:
        k = data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24
        h = mix_last(h, k)
        h = rotl(h, 13)
        h = (h * 5 + 0xE6546B64) & 0xFFFFFFFF
        i += 4
    rest = n - i
    k = 0
    if rest == 3:
        k ^= data[i + 2] << 16
    if rest >= 2:
        k ^= data[i + 1] << 8
    if rest >= 1:
        k ^= data[i]
        h = mix_last(h, k)
    h ^= n
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


_M64 = (1 << 64) - 1


class XORShiftRandom:
    """Spark's XORShiftRandom under java.util.Random's nextDouble and nextGaussian."""

    def __init__(self, seed):
        data = (seed & _M64).to_bytes(8, "big")
        low = _scala_bytes_hash(data, 0x3C074A61)
        high = _scala_bytes_hash(data, low - (1 << 32) if low >> 31 else low)
        self.seed = (high << 32 | low) & _M64
        self.next_gaussian = None

    def next(self, bits):
        s = self.seed
        s ^= (s << 21) & _M64
        s ^= s >> 35
        s ^= (s << 4) & _M64
        self.seed = s
        r = s & ((1 << bits) - 1)
        return r - (1 << 32) if r >> 31 and bits == 32 else r

    def next_double(self):
        return ((self.next(26) << 27) + self.next(27)) * (1.0 / (1 << 53))

    def next_gaussian_value(self):
        import math
        if self.next_gaussian is not None:
            g, self.next_gaussian = self.next_gaussian, None
            return g
        while True:
            v1 = 2 * self.next_double() - 1
            v2 = 2 * self.next_double() - 1
            s = v1 * v1 + v2 * v2
            if 0 < s < 1:
                break
        multiplier = math.sqrt(-2 * math.log(s) / s)
        self.next_gaussian = v2 * multiplier
        return v1 * multiplier


_streams = {}


def _generator(instance, seed, make):
    """The generator of expression `instance` in the running task (made on its first row)."""
    from ..taskcontext import TaskContext
    tc = TaskContext.get()
    task = (tc.stageId(), tc.partitionId(), tc.attemptNumber(), tc.taskAttemptId()) if tc is not None else None
    if _streams.get("task") != task:
        # a new task: the previous task's generators are done
        _streams.clear()
        _streams["task"] = task
    g = _streams.get(instance)
    if g is None:
        g = _streams[instance] = make(seed + (task[1] if task is not None else 0))
    return g


def row_rand(instance, seed):
    return _generator(instance, seed, XORShiftRandom).next_double()


def row_randn(instance, seed):
    return _generator(instance, seed, XORShiftRandom).next_gaussian_value()


def row_uniform(instance, seed, lo, hi):
    if lo is None or hi is None:
        return None
    return lo + (hi - lo) * _generator(instance, seed, XORShiftRandom).next_double()


_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def row_randstr(instance, seed, length):
    g = _generator(instance, seed, XORShiftRandom)
    # Spark picks each character as abs(nextInt() % 62): Java's remainder keeps the sign
    return "".join(_ALNUM[abs(g.next(32)) % 62] for _ in range(length))


def _mersenne_twister(seed):
    """commons-math3's MersenneTwister(long): MT19937 seeded by the array [high word, low word],
    which is Python's random.Random seeded with those words least significant first."""
    import random
    seed &= _M64
    r = random.Random()
    r.seed((seed >> 32) | ((seed & 0xFFFFFFFF) << 32))
    return r


def row_uuid(instance, seed):
    g = _generator(instance, seed, _mersenne_twister)
    most = (g.getrandbits(32) << 32 | g.getrandbits(32))
    least = (g.getrandbits(32) << 32 | g.getrandbits(32))
    most = (most & 0xFFFFFFFFFFFF0FFF) | 0x0000000000004000
    least = (least | 0x8000000000000000) & 0xBFFFFFFFFFFFFFFF
    h = "%016x%016x" % (most, least)
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


@strict
def row_hmac(key, message, algorithm):
    import hashlib
    import hmac
    digest = {"SHA-224": hashlib.sha224, "SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384,
              "SHA-512": hashlib.sha512, "SHA-1": hashlib.sha1, "MD5": hashlib.md5}.get(algorithm.upper())
    if digest is None:
        return None
    return hmac.new(_bytes_of(key), _bytes_of(message), digest).digest()


# --------------------------------------------------------------------------------------------
# number formats (to_char / to_number): digits '0'/'9', '.'/'D', ','/'G', '$', 'S'/'MI' signs and
# 'PR' angle brackets, as Spark's ToNumberParser reads them

def _number_format(fmt):
    import re
    f = fmt.upper()
    m = re.fullmatch(r"(S)?(\$)?([09,G]*)(?:([.D])([09]*))?(\$)?(S|MI|PR)?", f)
    if m is None or not re.search("[09]", f):
        from ..errors import AnalysisException
        raise AnalysisException(errorClass="INVALID_FORMAT.WRONG_NUM_DIGIT",
                                messageParameters={"format": "'%s'" % fmt})
    lead_sign, dollar1, int_part, point, frac, dollar2, tail = m.groups()
    return {"lead_sign": bool(lead_sign), "dollar": bool(dollar1 or dollar2), "int": int_part.replace("G", ","),
            "point": bool(point), "frac": frac or "", "tail": tail}


def number_format_type(fmt):
    """The DECIMAL(p, s) that to_number returns for `fmt`."""
    from . import types as T
    f = _number_format(fmt)
    digits = sum(c in "09" for c in f["int"])
    scale = len(f["frac"])
    return T.DecimalType(max(1, digits + scale), scale)


def _to_number(s, fmt, try_):
    if s is None or fmt is None:
        return None
    import decimal
    import re
    f = _number_format(fmt)
    t = s.strip()
    neg = False
    if f["tail"] == "PR" and t.startswith("<") and t.endswith(">"):
        neg, t = True, t[1:-1]
    elif f["tail"] in ("S", "MI") and t[-1:] in "+-":
        neg, t = t[-1] == "-", t[:-1]
    elif f["lead_sign"] and t[:1] in "+-":
        neg, t = t[0] == "-", t[1:]
    if f["dollar"]:
        if "$" not in t:
            t = None
        else:
            t = t.replace("$", "", 1)
    int_digits = sum(c in "09" for c in f["int"])
    ok = t is not None and re.fullmatch(r"[0-9,]*(\.[0-9]*)?", t) is not None
    if ok:
        whole, _, fraction = t.partition(".")
        if ("," in whole and "," not in f["int"]) or len(whole.replace(",", "")) > int_digits \
                or len(fraction) > len(f["frac"]) or (fraction and not f["point"]):
            ok = False
    if not ok:
        if try_:
            return None
        from ..errors import NumberFormatException
        raise NumberFormatException(errorClass="INVALID_FORMAT.MISMATCH_INPUT",
                                    messageParameters={"inputType": '"STRING"', "input": s, "format": fmt})
    value = decimal.Decimal((whole.replace(",", "") or "0") + ("." + fraction if fraction else ""))
    value = value.quantize(decimal.Decimal(1).scaleb(-len(f["frac"])))
    return -value if neg else value


def row_to_number(s, fmt):
    return _to_number(s, fmt, False)


def row_try_to_number(s, fmt):
    return _to_number(s, fmt, True)


@strict
def row_to_char(value, fmt):
    """Spark's fixed-width number formatting: every format position is printed; digits are
    right-aligned in the '9' positions (padded with spaces, or zeros when the format starts
    with '0'), a value the format cannot hold exactly prints '#' in every digit position, and
    without a sign token the sign is not printed."""
    import decimal
    f = _number_format(fmt)
    scale = len(f["frac"])
    d = decimal.Decimal(str(value))
    neg = d < 0
    q = abs(d).quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_DOWN)
    whole, _, fraction = format(q, "f").partition(".")
    slots = sum(c in "09" for c in f["int"])
    if whole == "0" and not f["point"]:
        whole = ""
    if q != abs(d) or len(whole) > slots:
        body = "".join("#" if c in "09" else " " for c in f["int"]) + ("." + "#" * scale if f["point"] else "")
        stripped, pad = body, 0
    else:
        fill = "0" if f["int"][:1] == "0" else " "
        digits = whole.rjust(slots, fill)
        out, k = [], 0
        for c in f["int"]:
            if c in "09":
                out.append(digits[k])
                k += 1
            else:
                # a separator shows once a digit stands to its left
                out.append(c if any(ch.isdigit() for ch in out) else " ")
        body = "".join(out) + ("." + fraction.ljust(scale, "0") if f["point"] else "")
        stripped = body.lstrip(" ")
        pad = len(body) - len(stripped)
    if f["dollar"]:
        body = "$" + body
    if f["tail"] == "PR":
        return " " * pad + "<" + stripped + ">" if neg else body + "  "
    if f["tail"] == "MI":
        return body + ("-" if neg else " ")
    if f["tail"] == "S":
        return body + ("-" if neg else "+")
    if f["lead_sign"]:
        return " " * pad + ("-" if neg else "+") + stripped
    return body


# --------------------------------------------------------------------------------------------
# vectors (ARRAY<FLOAT>) and bitmaps

def _same_length(a, b, function):
    if len(a) != len(b):
        from ..errors import SparkRuntimeException
        raise SparkRuntimeException(errorClass="VECTOR_DIMENSION_MISMATCH",
                                    messageParameters={"functionName": "`%s`" % function,
                                                       "leftDim": str(len(a)), "rightDim": str(len(b))})


@strict
def row_vector_inner_product(a, b):
    _same_length(a, b, "vector_inner_product")
    if any(x is None for x in a) or any(x is None for x in b):
        return None
    return sum(x * y for x, y in zip(a, b))


@strict
def row_vector_cosine_similarity(a, b):
    _same_length(a, b, "vector_cosine_similarity")
    if any(x is None for x in a) or any(x is None for x in b):
        return None
    import math
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    if na == 0 or nb == 0:
        return None
    return sum(x * y for x, y in zip(a, b)) / (na * nb)


@strict
def row_vector_l2_distance(a, b):
    _same_length(a, b, "vector_l2_distance")
    if any(x is None for x in a) or any(x is None for x in b):
        return None
    import math
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(a, b)))


def _p_norm(v, p):
    import math
    if p == math.inf:
        return max((abs(x) for x in v), default=0.0)
    if p == 0:
        return float(sum(1 for x in v if x != 0))
    return sum(abs(x) ** p for x in v) ** (1.0 / p)


@strict
def row_vector_norm(v, p):
    if any(x is None for x in v):
        return None
    return _p_norm(v, p)


@strict
def row_vector_normalize(v, p):
    if any(x is None for x in v):
        return None
    n = _p_norm(v, p)
    if n == 0:
        return None
    return [x / n for x in v]


@strict
def row_bitmap_count(b):
    return sum(bin(x).count("1") for x in bytes(b))
