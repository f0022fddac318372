"""Spark's Murmur3 hash (``F.hash``, and the partition id of every hash exchange).

Spark hashes a row with Murmur3_x86_32 seeded with 42, column after column: each non-null column
value is hashed with the previous column's hash as its seed, and nulls leave the hash unchanged.
``HashPartitioning`` sends the row to partition ``pmod(hash, numPartitions)``. Matching it bit
for bit is what makes Sparklet's ``groupBy``/``distinct`` output order and ``F.hash`` values equal
PySpark's.

How each type is hashed (Catalyst's ``Murmur3Hash``):

- boolean as the int 1/0; byte, short, int and date (days) with ``hashInt``;
- long and timestamp (microseconds since the epoch, UTC) with ``hashLong``;
- float and double by their IEEE bits (``hashInt``/``hashLong``), with -0.0 hashed as 0.0 and
  every NaN as the canonical NaN;
- decimal of precision <= 18 as its unscaled long, wider ones as the big-endian two's complement
  bytes of the unscaled value;
- string (UTF-8) and binary with ``hashUnsafeBytes``: 4-byte little-endian blocks, then each
  remaining byte *on its own* as a signed int (Spark's legacy tail, unlike reference Murmur3);
- arrays, structs and maps (keys then values) element by element, chaining the seed.

The vectorized path works on whole Arrow columns with numpy's wrapping uint32 arithmetic, so one
exchange hashes a partition in a few numpy passes (strings: one pass per 4-byte block of the
longest value). Nested types fall back to a per-value loop.
"""

import decimal
import struct

import numpy as np

SEED = 42
_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_M5 = np.uint32(5)
_N1 = np.uint32(0xE6546B64)
_F1 = np.uint32(0x85EBCA6B)
_F2 = np.uint32(0xC2B2AE35)
_MASK = 0xFFFFFFFF


# --- scalar reference ---------------------------------------------------------------------------

def _rotl(x, r):
    return ((x << r) | (x >> (32 - r))) & _MASK


def _mix_k1(k1):
    k1 = (k1 * 0xCC9E2D51) & _MASK
    k1 = _rotl(k1, 15)
    return (k1 * 0x1B873593) & _MASK


def _mix_h1(h1, k1):
    h1 ^= k1
    h1 = _rotl(h1, 13)
    return (h1 * 5 + 0xE6546B64) & _MASK


def _fmix(h1, length):
    h1 ^= length
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85EBCA6B) & _MASK
    h1 ^= h1 >> 13
    h1 = (h1 * 0xC2B2AE35) & _MASK
    h1 ^= h1 >> 16
    return h1 - (1 << 32) if h1 & 0x80000000 else h1


def hash_int(value, seed=SEED):
    """Murmur3 of a 32-bit int, as Spark's ``hashInt`` (signed result).

    >>> hash_int(1)
    -559580957
    """
    return _fmix(_mix_h1(seed & _MASK, _mix_k1(value & _MASK)), 4)


def hash_long(value, seed=SEED):
    """Murmur3 of a 64-bit long, as Spark's ``hashLong``.

    >>> hash_long(1)
    -1712319331
    """
    value &= 0xFFFFFFFFFFFFFFFF
    h1 = _mix_h1(seed & _MASK, _mix_k1(value & _MASK))
    h1 = _mix_h1(h1, _mix_k1(value >> 32))
    return _fmix(h1, 8)


def hash_bytes(data, seed=SEED):
    """Murmur3 of bytes, as Spark's ``hashUnsafeBytes`` (the tail byte by byte).

    >>> hash_bytes("Spark".encode())
    228093765
    """
    h1 = seed & _MASK
    n = len(data) - len(data) % 4
    for i in range(0, n, 4):
        h1 = _mix_h1(h1, _mix_k1(int.from_bytes(data[i:i + 4], "little")))
    for b in data[n:]:
        signed = b - 256 if b > 127 else b
        h1 = _mix_h1(h1, _mix_k1(signed & _MASK))
    return _fmix(h1, len(data))


def _double_bits(x):
    if x != x:
        return 0x7FF8000000000000
    if x == 0.0:
        x = 0.0
    return struct.unpack("<q", struct.pack("<d", x))[0]


def _float_bits(x):
    if x != x:
        return 0x7FC00000
    if x == 0.0:
        x = 0.0
    return struct.unpack("<i", struct.pack("<f", x))[0]


# Spark's decimals have at most 38 digits; the default context's 28 would round wider ones.
_DECIMAL_CONTEXT = decimal.Context(prec=80)


def _unscaled(value, scale):
    """
    >>> _unscaled(decimal.Decimal("-999999999999999999999999.99999"), 5)
    -99999999999999999999999999999
    """
    return int(value.scaleb(scale, context=_DECIMAL_CONTEXT).to_integral_value(context=_DECIMAL_CONTEXT))


def hash_value(value, data_type, seed=SEED):
    """Murmur3 of one Python value of Spark type ``data_type`` (None leaves ``seed``).

    >>> from sparklet.sql import types as T
    >>> hash_value("ABC", T.StringType()), hash_value([1, 2], T.ArrayType(T.IntegerType()))
    (-757602832, -222940379)
    """
    from . import types as T

    if value is None:
        return seed
    if isinstance(data_type, T.BooleanType):
        return hash_int(1 if value else 0, seed)
    if isinstance(data_type, (T.ByteType, T.ShortType, T.IntegerType)):
        return hash_int(value, seed)
    if isinstance(data_type, T.DateType):
        return hash_int(T.DateType().toInternal(value) if not isinstance(value, int) else value, seed)
    if isinstance(data_type, T.LongType):
        return hash_long(value, seed)
    if isinstance(data_type, (T.TimestampType, T.TimestampNTZType)):
        micros = value if isinstance(value, int) else data_type.toInternal(value)
        return hash_long(micros, seed)
    if isinstance(data_type, T.DoubleType):
        return hash_long(_double_bits(value), seed)
    if isinstance(data_type, T.FloatType):
        return hash_int(_float_bits(value), seed)
    if isinstance(data_type, T.DecimalType):
        unscaled = _unscaled(value, data_type.scale)
        if data_type.precision <= 18:
            return hash_long(unscaled, seed)
        length = (unscaled + (unscaled < 0)).bit_length() // 8 + 1
        return hash_bytes(unscaled.to_bytes(length, "big", signed=True), seed)
    if isinstance(data_type, (T.StringType, T.CharType, T.VarcharType)):
        return hash_bytes(value.encode("utf-8"), seed)
    if isinstance(data_type, T.BinaryType):
        return hash_bytes(bytes(value), seed)
    if isinstance(data_type, T.ArrayType):
        for element in value:
            seed = hash_value(element, data_type.elementType, seed)
        return seed
    if isinstance(data_type, T.MapType):
        items = value.items() if isinstance(value, dict) else value
        for k, v in items:
            seed = hash_value(k, data_type.keyType, seed)
            seed = hash_value(v, data_type.valueType, seed)
        return seed
    if isinstance(data_type, T.StructType):
        if isinstance(value, dict):
            value = [value.get(n) for n in data_type.names]
        for v, f in zip(value, data_type.fields):
            seed = hash_value(v, f.dataType, seed)
        return seed
    if isinstance(data_type, T.NullType):
        return seed
    raise TypeError("Spark's hash does not cover %s" % data_type.simpleString())


def hash_row(values, data_types, seed=SEED):
    """``F.hash(c1, c2, ...)`` of one row of Python values.

    >>> from sparklet.sql import types as T
    >>> hash_row([1, None, "a"], [T.LongType(), T.StringType(), T.StringType()])
    573093329
    """
    for value, data_type in zip(values, data_types):
        seed = hash_value(value, data_type, seed)
    return seed


# --- vectorized over Arrow columns ---------------------------------------------------------------

def _v_rotl(x, r):
    out = x << np.uint32(r)
    out |= x >> np.uint32(32 - r)
    return out


def _v_mix_k1(k1):
    k1 = k1 * _C1
    k1 = _v_rotl(k1, 15)
    k1 *= _C2
    return k1


def _v_mix_h1(h1, k1):
    h1 = h1 ^ k1
    h1 = _v_rotl(h1, 13)
    h1 *= _M5
    h1 += _N1
    return h1


def _v_fmix(h1, length):
    h1 ^= length
    h1 ^= h1 >> np.uint32(16)
    h1 *= _F1
    h1 ^= h1 >> np.uint32(13)
    h1 *= _F2
    h1 ^= h1 >> np.uint32(16)
    return h1


def _v_hash_int(values_u32, seeds):
    return _v_fmix(_v_mix_h1(seeds, _v_mix_k1(values_u32)), np.uint32(4))


def _v_hash_long(values_i64, seeds):
    # little-endian: the low word of each long comes first
    words = np.ascontiguousarray(values_i64).view(np.uint32).reshape(-1, 2)
    h1 = _v_mix_h1(seeds, _v_mix_k1(words[:, 0]))
    h1 = _v_mix_h1(h1, _v_mix_k1(words[:, 1]))
    return _v_fmix(h1, np.uint32(8))


def _v_hash_bytes(offsets, data, seeds):
    """hashUnsafeBytes for every value: ``offsets`` (n + 1 int64) into ``data`` (uint8)."""
    starts = offsets[:-1]
    lengths = (offsets[1:] - starts)
    h1 = seeds.copy()
    blocks = lengths // 4
    padded = np.concatenate([data, np.zeros(4, dtype=np.uint8)])
    max_blocks = int(blocks.max()) if len(blocks) else 0
    for j in range(max_blocks):
        rows = np.nonzero(blocks > j)[0]
        at = starts[rows] + 4 * j
        word = (padded[at].astype(np.uint32)
                | (padded[at + 1].astype(np.uint32) << np.uint32(8))
                | (padded[at + 2].astype(np.uint32) << np.uint32(16))
                | (padded[at + 3].astype(np.uint32) << np.uint32(24)))
        h1[rows] = _v_mix_h1(h1[rows], _v_mix_k1(word))
    tails = lengths - blocks * 4
    for j in range(3):
        rows = np.nonzero(tails > j)[0]
        if not len(rows):
            break
        byte = padded[starts[rows] + blocks[rows] * 4 + j].astype(np.int8).astype(np.int32)
        h1[rows] = _v_mix_h1(h1[rows], _v_mix_k1(byte.view(np.uint32)))
    return _v_fmix(h1, lengths.astype(np.uint32))


def _offsets_and_data(array):
    """(offsets as int64, data as uint8) of a string/binary Arrow array, with nulls present."""
    import pyarrow as pa

    if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type):
        offset_type = np.int64
    else:
        offset_type = np.int32
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[array.offset:array.offset + len(array) + 1]
    data = (np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None
            else np.zeros(0, dtype=np.uint8))
    return offsets.astype(np.int64), data


def _hash_array(array, data_type, seeds):
    """New seeds after hashing one Arrow array (one chunk) into ``seeds`` (uint32)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from . import types as T

    at = array.type
    if array.null_count == len(array) or pa.types.is_null(at):
        return seeds
    if data_type is None:
        data_type = T.from_arrow_type(at)
    valid = None
    if array.null_count:
        valid = np.asarray(array.is_valid())
    if pa.types.is_dictionary(at):
        array = array.dictionary_decode()
        at = array.type

    if pa.types.is_boolean(at):
        values = np.asarray(array.fill_null(False)).astype(np.uint32)
        out = _v_hash_int(values, seeds)
    elif pa.types.is_integer(at) and at.bit_width <= 32 or pa.types.is_date32(at):
        values = np.asarray(array.cast(pa.int32()).fill_null(0)).astype(np.int32).view(np.uint32)
        out = _v_hash_int(values, seeds)
    elif pa.types.is_integer(at) or pa.types.is_timestamp(at) or pa.types.is_duration(at):
        values = np.asarray(array.cast(pa.int64()).fill_null(0)).astype(np.int64)
        out = _v_hash_long(values, seeds)
    elif pa.types.is_float64(at):
        values = np.asarray(array.fill_null(0.0)).astype(np.float64)
        values = np.where(values == 0.0, 0.0, values)
        bits = values.view(np.int64)
        bits = np.where(np.isnan(values), np.int64(0x7FF8000000000000), bits)
        out = _v_hash_long(bits, seeds)
    elif pa.types.is_float32(at):
        values = np.asarray(array.fill_null(0.0)).astype(np.float32)
        values = np.where(values == 0.0, np.float32(0.0), values)
        bits = values.view(np.int32)
        bits = np.where(np.isnan(values), np.int32(0x7FC00000), bits)
        out = _v_hash_int(bits.view(np.uint32), seeds)
    elif pa.types.is_decimal(at) and at.precision <= 18 and at.bit_width == 128:
        words = np.frombuffer(array.buffers()[1], dtype=np.int64)
        out = _v_hash_long(words[2 * array.offset:2 * (array.offset + len(array)):2].copy(), seeds)
    elif (pa.types.is_string(at) or pa.types.is_large_string(at) or pa.types.is_binary(at)
          or pa.types.is_large_binary(at)):
        offsets, data = _offsets_and_data(array)
        out = _v_hash_bytes(offsets, data, seeds)
    else:
        python_values = T.arrow_column_to_python(array, data_type)
        out = np.array([hash_value(v, data_type, int(s) - (1 << 32) if s & 0x80000000 else int(s))
                        & _MASK for v, s in zip(python_values, seeds.tolist())], dtype=np.uint32)
    if valid is not None:
        out = np.where(valid, out, seeds)
    return out


def hash_columns(columns, data_types=None, seed=SEED):
    """``F.hash`` of every row of Arrow columns (Arrays or ChunkedArrays of equal length), as
    an int32 numpy array. ``data_types`` (Spark types) are needed only where Arrow alone does
    not say how Spark hashes (e.g. a TimestampType kept as session-local time must be given as
    UTC microseconds by the caller).

    >>> import pyarrow as pa
    >>> hash_columns([pa.array([1, None, 3]), pa.array(["a", "b", None])]).tolist()
    [573093329, 1905031361, 519220707]
    """
    import pyarrow as pa

    if not columns:
        return np.zeros(0, dtype=np.int32)
    n = len(columns[0])
    seeds = np.full(n, seed & _MASK, dtype=np.uint32)
    types = data_types or [None] * len(columns)
    for column, data_type in zip(columns, types):
        if isinstance(column, pa.ChunkedArray):
            pieces, start = [], 0
            for chunk in column.chunks:
                pieces.append(_hash_array(chunk, data_type, seeds[start:start + len(chunk)]))
                start += len(chunk)
            seeds = np.concatenate(pieces) if pieces else seeds
        else:
            seeds = _hash_array(column, data_type, seeds)
    return seeds.view(np.int32)


def partition_ids(columns, num_partitions, data_types=None, seed=SEED):
    """``pmod(hash(keys), num_partitions)`` for every row: the reducer each row goes to in a
    hash exchange (``HashPartitioning``).

    >>> import pyarrow as pa
    >>> partition_ids([pa.array([1, 2, 3])], 200).tolist()
    [69, 128, 107]
    """
    hashes = hash_columns(columns, data_types, seed).astype(np.int64)
    return np.mod(hashes, num_partitions)
