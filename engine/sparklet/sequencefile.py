"""Hadoop SequenceFiles, written and read byte for byte as Hadoop does, so that Spark, Hadoop tools
and Sparklet read each other's files.

A file (version 6, uncompressed) is: ``SEQ`` and the version byte; the key and value class names;
two flags (compressed, block-compressed); metadata (an int count, then Text pairs); a random
16-byte sync marker. Then records: record length and key length (big-endian ints), key bytes, value
bytes. Before a record, once ``SYNC_INTERVAL`` bytes have passed since the last one, the writer
puts an escape (-1) and the sync marker again: a reader starting mid-file finds the first record
after its split's start by searching for the marker, which is how a file splits into partitions.

Python values map to the Writables PySpark converts: str ↔ Text, int ↔ IntWritable (LongWritable
beyond 32 bits), float ↔ DoubleWritable (FloatWritable read as float), bool ↔ BooleanWritable,
bytes ↔ BytesWritable (read back as bytearray, as in PySpark), None ↔ NullWritable. As in Spark,
a file's classes come from the first record and every record must fit them.

Pickle files (``saveAsPickleFile``) are Spark's object files: SequenceFiles of NullWritable keys
and BytesWritable values, each value a Java-serialized ``byte[][]`` of up to ten pickled batches.
"""

import io
import os
import struct

_PKG = "org.apache.hadoop.io."
TEXT, INT, LONG, DOUBLE, FLOAT, BOOLEAN, BYTES, NULL = (
    _PKG + n for n in ("Text", "IntWritable", "LongWritable", "DoubleWritable", "FloatWritable",
                       "BooleanWritable", "BytesWritable", "NullWritable"))
SYNC_SIZE = 16
SYNC_INTERVAL = 5 * 1024 * (4 + SYNC_SIZE)  # Hadoop's SequenceFile.SYNC_INTERVAL
_INT = struct.Struct(">i")


class CorruptSequenceFileError(IOError):
    pass


# ---- Hadoop's variable-length integers (WritableUtils.writeVLong / readVLong) ----


def encode_vint(n):
    if -112 <= n <= 127:
        return struct.pack(">b", n)
    length = -112
    if n < 0:
        n = ~n
        length = -120
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return struct.pack(">b", length - len(body)) + body


def read_vint(f):
    first = struct.unpack(">b", _read_exactly(f, 1))[0]
    if first >= -112:
        return first
    negative = first < -120
    size = (-119 - first) if negative else (-111 - first)
    n = int.from_bytes(_read_exactly(f, size - 1), "big")
    return ~n if negative else n


def _read_exactly(f, n):
    data = f.read(n)
    if len(data) != n:
        raise EOFError("unexpected end of file")
    return data


# ---- Writables ----


def _encode_text(s):
    data = s.encode("utf-8")
    return encode_vint(len(data)) + data


def _decode_text(data):
    f = io.BytesIO(data)
    n = read_vint(f)
    return f.read(n).decode("utf-8")


_CODECS = {
    TEXT: (_encode_text, _decode_text),
    INT: (struct.Struct(">i").pack, lambda d: struct.unpack(">i", d)[0]),
    LONG: (struct.Struct(">q").pack, lambda d: struct.unpack(">q", d)[0]),
    DOUBLE: (struct.Struct(">d").pack, lambda d: struct.unpack(">d", d)[0]),
    FLOAT: (struct.Struct(">f").pack, lambda d: struct.unpack(">f", d)[0]),
    BOOLEAN: (lambda b: b"\x01" if b else b"\x00", lambda d: d != b"\x00"),
    BYTES: (lambda b: _INT.pack(len(b)) + bytes(b), lambda d: bytearray(d[4:4 + _INT.unpack(d[:4])[0]])),
    NULL: (lambda _: b"", lambda _: None),
}


def writable_class(value):
    """The Writable class PySpark would convert ``value`` to."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INT if -2 ** 31 <= value < 2 ** 31 else LONG
    if isinstance(value, float):
        return DOUBLE
    if isinstance(value, str):
        return TEXT
    if isinstance(value, (bytes, bytearray)):
        return BYTES
    raise TypeError("saveAsSequenceFile: cannot convert %s to a Hadoop Writable (use str, int, float, bool, "
                    "bytes or None)" % type(value).__name__)


def encode_writable(cls, value):
    return _CODECS[cls][0](value)


def check_classes(record, key_class, value_class):
    _check_class(record[0], key_class, "key")
    _check_class(record[1], value_class, "value")


def _check_class(value, expected, what):
    actual = writable_class(value)
    if actual != expected and not (expected == LONG and actual == INT):
        raise TypeError("saveAsSequenceFile: wrong %s class: %s is not %s (a file's classes come from "
                        "the RDD's first record, as in Spark)" % (what, actual, expected))


# ---- writing ----


class SequenceFileWriter:
    def __init__(self, f, key_class, value_class):
        self.f = f
        self.key_class, self.value_class = key_class, value_class
        self.encode_key = _CODECS[key_class][0]
        self.encode_value = _CODECS[value_class][0]
        self.sync = os.urandom(SYNC_SIZE)
        f.write(b"SEQ\x06" + _encode_text(key_class) + _encode_text(value_class) + b"\x00\x00" + _INT.pack(0))
        f.write(self.sync)
        self.position = f.tell()
        self.last_sync = 0

    def append(self, key, value):
        check_classes((key, value), self.key_class, self.value_class)
        self.append_raw(self.encode_key(key), self.encode_value(value))

    def append_raw(self, key, value):
        out = []
        if self.position >= self.last_sync + SYNC_INTERVAL:
            out.append(_INT.pack(-1) + self.sync)
            self.last_sync = self.position
        out.append(_INT.pack(len(key) + len(value)) + _INT.pack(len(key)) + key + value)
        data = b"".join(out)
        self.f.write(data)
        self.position += len(data)


# ---- reading ----


class SequenceFileReader:
    """Records of one split ``[start, end)`` of a SequenceFile, split as Hadoop's record reader does:
    a split that does not begin at the header starts after the first sync marker at or past its
    start, and reads until a record that begins at or past ``end`` follows a sync marker."""

    def __init__(self, f, path):
        self.f, self.path = f, path
        magic = f.read(4)
        if magic[:3] != b"SEQ":
            raise CorruptSequenceFileError("%s is not a SequenceFile (it does not start with SEQ)" % path)
        if magic[3:] != b"\x06":
            raise CorruptSequenceFileError("%s: SequenceFile version %d is not supported (only 6)"
                                           % (path, magic[3] if len(magic) > 3 else -1))
        self.key_class = self._read_text()
        self.value_class = self._read_text()
        compressed, block_compressed = _read_exactly(f, 2)
        if compressed or block_compressed:
            raise CorruptSequenceFileError("%s is a compressed SequenceFile (codec %s): only uncompressed "
                                           "SequenceFiles are supported" % (path, self._read_text()))
        for _ in range(2 * _INT.unpack(_read_exactly(f, 4))[0]):
            self._read_text()
        self.sync = _read_exactly(f, SYNC_SIZE)
        self.header_end = f.tell()
        for cls in (self.key_class, self.value_class):
            if cls not in _CODECS:
                raise CorruptSequenceFileError("%s holds %s records, which Sparklet cannot convert (it reads %s)"
                                               % (path, cls, ", ".join(c.rsplit(".", 1)[1] for c in _CODECS)))
        self.sync_seen = False

    def _read_text(self):
        return _read_exactly(self.f, read_vint(self.f)).decode("utf-8")

    def seek_to_sync(self, position, length):
        """Position at the first sync marker at or after ``position`` (Hadoop's Reader.sync)."""
        f = self.f
        if position + 4 + SYNC_SIZE >= length:
            f.seek(length)
            return
        if position < self.header_end:
            f.seek(self.header_end)
            self.sync_seen = True
            return
        f.seek(position + 4)
        window = f.read(1 << 20)
        base = position + 4
        while window:
            at = window.find(self.sync)
            if at >= 0:
                f.seek(base + at - 4)
                return
            keep = window[-(SYNC_SIZE - 1):]
            base += len(window) - len(keep)
            window = keep + f.read(1 << 20)
            if len(window) == len(keep):
                break
        f.seek(length)

    def next_raw(self, length):
        """(key bytes, value bytes) of the next record, or None at the end of the file."""
        f = self.f
        if f.tell() >= length:
            return None
        size = _INT.unpack(_read_exactly(f, 4))[0]
        if size == -1:
            if _read_exactly(f, SYNC_SIZE) != self.sync:
                raise CorruptSequenceFileError("%s is corrupt: bad sync marker at byte %d" % (self.path, f.tell()))
            self.sync_seen = True
            if f.tell() >= length:
                return None
            size = _INT.unpack(_read_exactly(f, 4))[0]
        else:
            self.sync_seen = False
        key_size = _INT.unpack(_read_exactly(f, 4))[0]
        if size < 0 or not 0 <= key_size <= size:
            raise CorruptSequenceFileError("%s is corrupt: bad record length at byte %d" % (self.path, f.tell()))
        key = _read_exactly(f, key_size)
        return key, _read_exactly(f, size - key_size)

    def split_records(self, start, end, length):
        """Raw (key, value) records of the split [start, end)."""
        if start > self.header_end:
            self.seek_to_sync(start, length)
        if self.f.tell() >= end:
            return
        while True:
            position = self.f.tell()
            record = self.next_raw(length)
            if record is None or (position >= end and self.sync_seen):
                return
            yield record

    def decoders(self):
        return _CODECS[self.key_class][1], _CODECS[self.value_class][1]


# ---- Spark's object files: Java-serialized byte[][] values ----

_STREAM_MAGIC = b"\xac\xed\x00\x05"
_TC_NULL, _TC_REFERENCE, _TC_CLASSDESC, _TC_ARRAY, _TC_ENDBLOCKDATA = 0x70, 0x71, 0x72, 0x75, 0x78
_BASE_HANDLE = 0x7E0000


def _class_desc(name, uid):
    encoded = name.encode("ascii")
    return (bytes([_TC_CLASSDESC]) + struct.pack(">H", len(encoded)) + encoded + uid
            + b"\x02\x00\x00" + bytes([_TC_ENDBLOCKDATA, _TC_NULL]))


_OUTER = _class_desc("[[B", bytes.fromhex("4bfd19156767db37"))
_INNER = _class_desc("[B", bytes.fromhex("acf317f8060854e0"))


def java_serialize_byte_arrays(arrays):
    """Java serialization of a ``byte[][]`` (what Spark's saveAsObjectFile stores per record)."""
    out = [_STREAM_MAGIC, bytes([_TC_ARRAY]), _OUTER, _INT.pack(len(arrays))]
    # Handles: 0 the [[B class, 1 the outer array, 2 the [B class, then one per inner array.
    for i, data in enumerate(arrays):
        out.append(bytes([_TC_ARRAY]))
        out.append(_INNER if i == 0 else bytes([_TC_REFERENCE]) + _INT.pack(_BASE_HANDLE + 2))
        out.append(_INT.pack(len(data)))
        out.append(bytes(data))
    return b"".join(out)


def java_deserialize_byte_arrays(data, path):
    """The ``byte[]`` elements of a Java-serialized ``byte[][]``."""
    f = io.BytesIO(data)
    try:
        if f.read(4) != _STREAM_MAGIC or f.read(1) != bytes([_TC_ARRAY]):
            raise ValueError("not a serialized Java array")
        _skip_class_desc(f)
        arrays = []
        for _ in range(_INT.unpack(_read_exactly(f, 4))[0]):
            tag = _read_exactly(f, 1)[0]
            if tag == _TC_NULL:
                continue
            if tag != _TC_ARRAY:
                raise ValueError("unexpected element tag 0x%02x" % tag)
            _skip_class_desc(f)
            arrays.append(_read_exactly(f, _INT.unpack(_read_exactly(f, 4))[0]))
        return arrays
    except (ValueError, EOFError, struct.error) as e:
        raise CorruptSequenceFileError("%s is not a pickle file written by saveAsPickleFile: a record is not "
                                       "a serialized byte[][] (%s)" % (path, e)) from None


def _skip_class_desc(f):
    tag = _read_exactly(f, 1)[0]
    if tag == _TC_REFERENCE:
        _read_exactly(f, 4)
        return
    if tag != _TC_CLASSDESC:
        raise ValueError("unexpected class descriptor tag 0x%02x" % tag)
    _read_exactly(f, struct.unpack(">H", _read_exactly(f, 2))[0] + 8 + 1)  # name, serialVersionUID, flags
    if struct.unpack(">H", _read_exactly(f, 2))[0]:
        raise ValueError("array class with fields")
    if _read_exactly(f, 1)[0] != _TC_ENDBLOCKDATA:
        raise ValueError("class annotations are not supported")
    if _read_exactly(f, 1)[0] != _TC_NULL:
        raise ValueError("array class with a superclass")
