"""How keys are assigned to partitions: ``portable_hash`` and ``Partitioner``.

Executors run with ``PYTHONHASHSEED=0``, as PySpark's workers do, so a string key lands in the same
partition on every run and in the same partition as under PySpark. The driver may run with a random
seed (a plain script), yet ``lookup`` must compute a key's partition there too: for ``str`` and
``bytes`` it then computes the seed-0 hash itself (SipHash-1-3 with an all-zero key, what CPython
3.11+ uses when the seed is 0).
"""

import os
import struct
import sys

__all__ = ["portable_hash", "Partitioner"]

_SEED_ZERO = os.environ.get("PYTHONHASHSEED") == "0"
_MASK = (1 << 64) - 1


def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & _MASK


def _siphash13_zero_key(data):
    v0, v1, v2, v3 = 0x736F6D6570736575, 0x646F72616E646F6D, 0x6C7967656E657261, 0x7465646279746573
    n = len(data)
    tail_start = n - (n % 8)

    def rounds(v0, v1, v2, v3, count):
        for _ in range(count):
            v0 = (v0 + v1) & _MASK
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    for off in range(0, tail_start, 8):
        m = struct.unpack_from("<Q", data, off)[0]
        v3 ^= m
        v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 1)
        v0 ^= m
    last = (n & 0xFF) << 56
    for i, byte in enumerate(data[tail_start:]):
        last |= byte << (8 * i)
    v3 ^= last
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 1)
    v0 ^= last
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 3)
    h = v0 ^ v1 ^ v2 ^ v3
    return h - (1 << 64) if h >= (1 << 63) else h


def _seed_zero_hash(x):
    if isinstance(x, str):
        widest = max(map(ord, x)) if x else 0
        data = x.encode("latin-1") if widest < 256 else x.encode("utf-16-le" if widest < 65536 else "utf-32-le")
    elif isinstance(x, (bytes, bytearray)):
        data = bytes(x)
    else:
        return hash(x)
    if not data:
        return 0
    h = _siphash13_zero_key(data)
    return -2 if h == -1 else h


_hash = hash if _SEED_ZERO or sys.implementation.name != "cpython" else _seed_zero_hash


def portable_hash(x):
    """A hash of ``x`` that is the same in every process and on every run.

    >>> portable_hash(None)
    0
    >>> portable_hash((None, 1)) & 0xffffffff
    219750521
    """
    if x is None:
        return 0
    if isinstance(x, tuple):
        h = 0x345678
        for i in x:
            h ^= portable_hash(i)
            h *= 1000003
            h &= sys.maxsize
        h ^= len(x)
        if h == -1:
            h = -2
        return int(h)
    return _hash(x)


_MASK32 = 0xFFFFFFFF


def _murmur3_32(data, seed):
    """MurmurHash3 (x86, 32-bit) of ``data``, as Scala's ``MurmurHash3.bytesHash`` computes it."""

    def scramble(k):
        k = (k * 0xCC9E2D51) & _MASK32
        k = ((k << 15) | (k >> 17)) & _MASK32
        return (k * 0x1B873593) & _MASK32

    h = seed & _MASK32
    body = len(data) - len(data) % 4
    for off in range(0, body, 4):
        h ^= scramble(int.from_bytes(data[off:off + 4], "little"))
        h = ((h << 13) | (h >> 19)) & _MASK32
        h = (h * 5 + 0xE6546B64) & _MASK32
    if len(data) > body:
        h ^= scramble(int.from_bytes(data[body:], "little"))
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK32
    return h ^ (h >> 16)


def round_robin_start(index, numPartitions):
    """Where map partition ``index`` of a round-robin shuffle (``repartition``, ``coalesce`` with
    ``shuffle=True``) deals its first batch: Spark's ``new XORShiftRandom(index).nextInt(n)``, so
    that every batch lands in the same output partition as under Spark."""
    data = (index & _MASK).to_bytes(8, "big")
    low = _murmur3_32(data, 0x3C074A61)
    state = ((_murmur3_32(data, low) << 32) | low) & _MASK

    def next31():
        nonlocal state
        state ^= (state << 21) & _MASK
        state ^= state >> 35
        state ^= (state << 4) & _MASK
        return state & 0x7FFFFFFF

    # java.util.Random.nextInt(bound): a multiply for powers of two, else rejection of the values
    # that would make the modulo uneven (the int overflow test of the Java code).
    r = next31()
    if numPartitions & (numPartitions - 1) == 0:
        return (numPartitions * r) >> 31
    while r - r % numPartitions + numPartitions - 1 >= 1 << 31:
        r = next31()
    return r % numPartitions


class Partitioner:
    """Maps a key to one of ``numPartitions`` partitions with ``partitionFunc(key) % numPartitions``.

    Two partitioners are equal when they have the same number of partitions and the same function:
    an RDD already partitioned that way is not shuffled again.
    """

    def __init__(self, numPartitions, partitionFunc):
        self.numPartitions = numPartitions
        self.partitionFunc = partitionFunc

    def __eq__(self, other):
        return (isinstance(other, Partitioner) and self.numPartitions == other.numPartitions
                and self.partitionFunc == other.partitionFunc)

    def __hash__(self):
        return hash((self.numPartitions, id(self.partitionFunc)))

    def __call__(self, k):
        return self.partitionFunc(k) % self.numPartitions

    def __repr__(self):
        return "Partitioner(%d, %s)" % (self.numPartitions, getattr(self.partitionFunc, "__name__", self.partitionFunc))
