"""Spark's ``lz4``, ``lzf`` and ``snappy`` stream framings for event logs, in pure Python.

Spark writes compressed event logs through ``CompressionCodec``: lz4-java's
``LZ4BlockOutputStream`` (blocks of 32 KiB, each with an xxHash32 checksum), compress-lzf's
``LZFOutputStream`` (``ZV`` chunks of at most 64 KiB) and snappy-java's ``SnappyOutputStream``
(a magic header, then length-prefixed raw snappy blocks of 32 KiB). No library for these formats
is a dependency, so:

- **Writing** (``writer(codec, raw)``) produces each codec's exact framing with its blocks
  *stored*: lz4's RAW block method, lzf's uncompressed chunk type, snappy blocks made of
  literals. Spark's readers (the History Server) accept them as they accept their own, but the
  files are no smaller than plain text; zstd is the codec that compresses.
- **Reading** (``decompress(codec, data)``) decodes real compressed blocks too, so an event log
  written by Spark with any of these codecs can be replayed. A cut-off last block (a killed
  driver's) is left out.

>>> data = b"line one\\nline two\\n" * 3000
>>> for codec in ("lz4", "lzf", "snappy"):
...     out = io.BytesIO()
...     w = writer(codec, out)
...     w.write(data); w.flush(); w.finish()
...     assert decompress(codec, out.getvalue()) == data
"""

import io
import struct

CODECS = ("lz4", "lzf", "snappy")
_BLOCK = 32 * 1024  # spark.io.compression.lz4.blockSize / snappy.blockSize defaults


def writer(codec, raw):
    """A stream that writes ``codec``'s framing into the binary file ``raw``: ``write``,
    ``flush`` (ends the current block, so every whole line written so far is readable) and
    ``finish`` (ends the stream as the codec's output stream does on close)."""
    return {"lz4": _Lz4Writer, "lzf": _LzfWriter, "snappy": _SnappyWriter}[codec](raw)


def decompress(codec, data):
    """The bytes a ``codec`` stream holds (stops at a cut-off last block)."""
    return {"lz4": _lz4_stream, "lzf": _lzf_stream, "snappy": _snappy_stream}[codec](data)


class _BlockWriter:
    block = _BLOCK

    def __init__(self, raw):
        self.raw = raw
        self.buffer = bytearray()

    def write(self, data):
        self.buffer += data
        while len(self.buffer) >= self.block:
            self._emit(bytes(self.buffer[:self.block]))
            del self.buffer[:self.block]

    def flush(self):
        if self.buffer:
            self._emit(bytes(self.buffer))
            self.buffer.clear()
        self.raw.flush()

    def finish(self):
        self.flush()


# ---- lz4: lz4-java's LZ4Block format ----

_LZ4_MAGIC = b"LZ4Block"
_LZ4_SEED = 0x9747B28C  # LZ4BlockOutputStream.DEFAULT_SEED, which Spark's codec passes
_LZ4_RAW, _LZ4_COMPRESSED = 0x10, 0x20
_LZ4_LEVEL = 5  # log2(32 KiB) - 10


def xxh32(data, seed=0):
    """xxHash32 (the checksum of each LZ4 block).

    >>> hex(xxh32(b"", 0)), hex(xxh32(b"abc", 0))
    ('0x2cc5d05', '0x32d153ff')
    """
    p1, p2, p3, p4, p5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
    mask = 0xFFFFFFFF

    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & mask
    n = len(data)
    i = 0
    if n >= 16:
        v = [(seed + p1 + p2) & mask, (seed + p2) & mask, seed & mask, (seed - p1) & mask]
        words = struct.unpack_from("<%dI" % (n // 16 * 4), data)
        for j in range(0, len(words), 4):
            for k in range(4):
                v[k] = (rotl((v[k] + words[j + k] * p2) & mask, 13) * p1) & mask
        i = n // 16 * 16
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & mask
    else:
        h = (seed + p5) & mask
    h = (h + n) & mask
    while i + 4 <= n:
        h = (rotl((h + struct.unpack_from("<I", data, i)[0] * p3) & mask, 17) * p4) & mask
        i += 4
    while i < n:
        h = (rotl((h + data[i] * p5) & mask, 11) * p1) & mask
        i += 1
    h ^= h >> 15
    h = (h * p2) & mask
    h ^= h >> 13
    h = (h * p3) & mask
    h ^= h >> 16
    return h


class _Lz4Writer(_BlockWriter):
    def _emit(self, data):
        check = xxh32(data, _LZ4_SEED) & 0xFFFFFFF  # StreamingXXHash32.asChecksum keeps 28 bits
        self.raw.write(_LZ4_MAGIC + struct.pack("<Biii", _LZ4_RAW | _LZ4_LEVEL, len(data), len(data), check) + data)

    def finish(self):
        self.flush()
        # LZ4BlockOutputStream.finish: an empty block ends the stream
        self.raw.write(_LZ4_MAGIC + struct.pack("<Biii", _LZ4_RAW | _LZ4_LEVEL, 0, 0, 0))
        self.raw.flush()


def _lz4_stream(data):
    out = bytearray()
    pos = 0
    while pos + 21 <= len(data):
        if data[pos:pos + 8] != _LZ4_MAGIC:
            raise ValueError("not an LZ4Block stream (bad magic at byte %d)" % pos)
        token, clen, olen, _ = struct.unpack_from("<Biii", data, pos + 8)
        start = pos + 21
        if start + clen > len(data):
            break  # cut off
        block = data[start:start + clen]
        out += block if token & 0xF0 == _LZ4_RAW else _lz4_block(block, olen)
        pos = start + clen
    return bytes(out)


def _copy_back(out, distance, length):
    """Append ``length`` bytes copied from ``distance`` bytes back (a copy that overlaps what it
    writes repeats it, as every LZ77 format means it to)."""
    start = len(out) - distance
    for k in range(length):
        out.append(out[start + k])


def _lz4_length(src, i, length):
    """A length whose 4-bit field is 15 continues in bytes until one below 255."""
    if length == 15:
        while True:
            b = src[i]
            i += 1
            length += b
            if b != 255:
                break
    return length, i


def _lz4_block(src, size):
    out = bytearray()
    i, n = 0, len(src)
    while i < n:
        token = src[i]
        lit, i = _lz4_length(src, i + 1, token >> 4)
        out += src[i:i + lit]
        i += lit
        if i >= n:
            break
        offset = src[i] | (src[i + 1] << 8)
        length, i = _lz4_length(src, i + 2, token & 15)
        _copy_back(out, offset, length + 4)
    return bytes(out[:size])


# ---- lzf: compress-lzf's chunk format ----

_LZF_MAX = 0xFFFF


class _LzfWriter(_BlockWriter):
    block = _LZF_MAX

    def _emit(self, data):
        self.raw.write(b"ZV\x00" + struct.pack(">H", len(data)) + data)


def _lzf_stream(data):
    out = bytearray()
    pos = 0
    while pos + 5 <= len(data):
        if data[pos:pos + 2] != b"ZV":
            raise ValueError("not an LZF stream (bad chunk header at byte %d)" % pos)
        kind = data[pos + 2]
        if kind == 0:
            (length,) = struct.unpack_from(">H", data, pos + 3)
            start = pos + 5
            if start + length > len(data):
                break
            out += data[start:start + length]
        else:
            if pos + 7 > len(data):
                break
            length, size = struct.unpack_from(">HH", data, pos + 3)
            start = pos + 7
            if start + length > len(data):
                break
            out += _lzf_block(data[start:start + length], size)
        pos = start + length
    return bytes(out)


def _lzf_block(src, size):
    out = bytearray()
    i, n = 0, len(src)
    while i < n:
        ctrl = src[i]
        i += 1
        if ctrl < 32:
            out += src[i:i + ctrl + 1]
            i += ctrl + 1
            continue
        length = ctrl >> 5
        if length == 7:
            length += src[i]
            i += 1
        _copy_back(out, ((ctrl & 0x1F) << 8) + src[i] + 1, length + 2)
        i += 1
    return bytes(out[:size])


# ---- snappy: snappy-java's SnappyOutputStream ----

_SNAPPY_HEADER = b"\x82SNAPPY\x00" + struct.pack(">ii", 1, 1)


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


class _SnappyWriter(_BlockWriter):
    def __init__(self, raw):
        super().__init__(raw)
        raw.write(_SNAPPY_HEADER)

    def _emit(self, data):
        n = len(data) - 1
        # one literal element: tag 60 + a 1-byte, 61 + a 2-byte length (blocks are at most 32 KiB)
        tag = bytes([n << 2]) if n < 60 else bytes([60 << 2, n]) if n < 256 else bytes([61 << 2]) + struct.pack("<H", n)
        block = _varint(len(data)) + tag + data
        self.raw.write(struct.pack(">i", len(block)) + block)


def _snappy_stream(data):
    if not data.startswith(_SNAPPY_HEADER[:8]):
        raise ValueError("not a snappy-java stream (no SNAPPY header)")
    out = bytearray()
    pos = 16
    while pos + 4 <= len(data):
        (length,) = struct.unpack_from(">i", data, pos)
        start = pos + 4
        if start + length > len(data):
            break
        out += _snappy_block(data[start:start + length])
        pos = start + length
    return bytes(out)


def _snappy_block(src):
    size, shift, i = 0, 0, 0
    while True:
        b = src[i]
        i += 1
        size |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            break
    out = bytearray()
    n = len(src)
    while i < n:
        tag = src[i]
        i += 1
        kind = tag & 3
        if kind == 0:
            length = tag >> 2
            if length >= 60:
                extra = length - 59
                length = int.from_bytes(src[i:i + extra], "little")
                i += extra
            length += 1
            out += src[i:i + length]
            i += length
            continue
        if kind == 1:
            length = ((tag >> 2) & 7) + 4
            offset = ((tag >> 5) << 8) | src[i]
            i += 1
        elif kind == 2:
            length = (tag >> 2) + 1
            offset = src[i] | (src[i + 1] << 8)
            i += 2
        else:
            length = (tag >> 2) + 1
            offset = int.from_bytes(src[i:i + 4], "little")
            i += 4
        _copy_back(out, offset, length)
    return bytes(out[:size])
