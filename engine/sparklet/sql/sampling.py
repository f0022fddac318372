"""Spark's random samplers, bit for bit, so that a seeded ``sample``, ``randomSplit`` or
``sampleBy`` keeps the same rows as under Spark.

Spark's ``SampleExec`` draws one number per row of each partition: without replacement a
``BernoulliCellSampler`` over ``XORShiftRandom(seed + partitionIndex)`` keeps a row when its draw
falls in ``[lowerBound, upperBound)``; with replacement a ``PoissonSampler`` (commons-math's
``PoissonDistribution`` over a ``Well19937c`` generator, seeded with the partition's
``java.util.Random(seed).nextLong()``) repeats a row as many times as it draws.

>>> rng = XORShiftRandom(3)
>>> [round(rng.next_double(), 6) for _ in range(3)]
[0.257381, 0.669889, 0.941665]
"""

import math

from ..partitioner import _murmur3_32

_MASK64 = (1 << 64) - 1
_MASK48 = (1 << 48) - 1
_MASK32 = 0xFFFFFFFF


def _signed32(x):
    x &= _MASK32
    return x - (1 << 32) if x & 0x80000000 else x


def _signed64(x):
    x &= _MASK64
    return x - (1 << 64) if x >> 63 else x


class XORShiftRandom:
    """Spark's ``org.apache.spark.util.random.XORShiftRandom``: the seed is scrambled with
    Scala's MurmurHash3 of its 8 big-endian bytes, then each draw is three xor-shifts."""

    def __init__(self, seed):
        data = (seed & _MASK64).to_bytes(8, "big")
        low = _murmur3_32(data, 0x3C074A61)
        self.state = ((_murmur3_32(data, low) << 32) | low) & _MASK64

    def next_bits(self, bits):
        s = self.state
        s ^= (s << 21) & _MASK64
        s ^= s >> 35
        s ^= (s << 4) & _MASK64
        self.state = s
        return s & ((1 << bits) - 1)

    def next_double(self):
        # java.util.Random.nextDouble over next(26) and next(27)
        return ((self.next_bits(26) << 27) + self.next_bits(27)) * (1.0 / (1 << 53))


class JavaRandom:
    """``java.util.Random`` (the linear congruential generator), for the per-partition seeds of a
    sample with replacement.

    >>> JavaRandom(3).next_long()
    -4961115986754665064
    """

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & _MASK48

    def next_bits(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & _MASK48
        return _signed32(self.seed >> (48 - bits))

    def next_long(self):
        return _signed64((self.next_bits(32) << 32) + self.next_bits(32))


class Well19937c:
    """commons-math3's ``Well19937c`` generator (the one under ``PoissonDistribution``)."""

    R = 624
    M1, M2, M3 = 70, 179, 449

    def __init__(self, seed):
        seed = _signed64(seed)
        v = [0] * self.R
        v[0] = _signed32(seed >> 32)
        v[1] = _signed32(seed)
        for i in range(2, self.R):
            prev = v[i - 2]
            v[i] = _signed32(1812433253 * (prev ^ (prev >> 30)) + i)
        self.v = [x & _MASK32 for x in v]
        self.index = 0

    def next_bits(self, bits):
        r, v, i = self.R, self.v, self.index
        rm1, rm2 = (i + r - 1) % r, (i + r - 2) % r
        v0, vm1, vm2, vm3 = v[i], v[(i + self.M1) % r], v[(i + self.M2) % r], v[(i + self.M3) % r]
        z0 = (0x80000000 & v[rm1]) ^ (0x7FFFFFFF & v[rm2])
        z1 = (v0 ^ ((v0 << 25) & _MASK32)) ^ (vm1 ^ (vm1 >> 27))
        z2 = (vm2 >> 9) ^ (vm3 ^ (vm3 >> 1))
        z3 = z1 ^ z2
        z4 = z0 ^ (z1 ^ ((z1 << 9) & _MASK32)) ^ (z2 ^ ((z2 << 21) & _MASK32)) ^ (z3 ^ (z3 >> 21))
        v[i] = z3
        v[rm1] = z4
        v[rm2] &= 0x80000000
        self.index = rm1
        # Matsumoto-Kurita tempering
        z4 ^= (z4 << 7) & 0xE46E1700
        z4 ^= (z4 << 15) & 0x9B868000
        return (z4 & _MASK32) >> (32 - bits)

    def next_double(self):
        return ((self.next_bits(26) << 26) | self.next_bits(26)) * (1.0 / (1 << 52))


class PoissonDraws:
    """Draws of commons-math3's ``PoissonDistribution(mean).sample()``: for a mean below 40 (every
    sampling fraction) the count of uniform draws whose running product stays above
    ``exp(-mean)``."""

    def __init__(self, mean, seed):
        if mean >= 40:
            raise ValueError("sampling with replacement supports fractions below 40, got %r" % mean)
        self.mean = mean
        self.limit = math.exp(-mean)
        self.rng = Well19937c(seed)

    def sample(self):
        n, r = 0, 1.0
        while n < 1000 * self.mean:
            r *= self.rng.next_double()
            if r >= self.limit:
                n += 1
            else:
                return n
        return n


def bernoulli_mask(num_rows, lower, upper, seed):
    """Which of a partition's rows a sample without replacement keeps (``seed`` is the sample's
    seed plus the partition's index). ``upper`` is a bound, or one per row (``sampleBy``)."""
    rng = XORShiftRandom(seed)
    draw = rng.next_double
    if isinstance(upper, list):
        return [lower <= draw() < u for u in upper]
    if upper - lower <= 0.0:
        return [False] * num_rows
    return [lower <= draw() < upper for _ in range(num_rows)]


def poisson_counts(num_rows, fraction, seed, index):
    """How many times each of partition ``index``'s rows appears in a sample with replacement:
    the partition's seed is the ``index + 1``-th ``nextLong`` of ``java.util.Random(seed)``."""
    if fraction <= 0.0:
        return [0] * num_rows
    seeds = JavaRandom(seed)
    partition_seed = seeds.next_long()
    for _ in range(index):
        partition_seed = seeds.next_long()
    draws = PoissonDraws(fraction, partition_seed)
    return [draws.sample() for _ in range(num_rows)]


def sample_partition(table, index, lower, upper, with_replacement, seed, key=None, fractions=None):
    """The rows of partition ``index``'s Arrow table that the sample keeps, in their order."""
    import numpy as np
    import pyarrow as pa
    n = table.num_rows
    if n == 0:
        return table
    if with_replacement:
        counts = poisson_counts(n, upper - lower, seed, index)
        return table.take(pa.array(np.repeat(np.arange(n), counts), pa.int64()))
    if key is not None:
        bounds = [fractions.get(k, 0.0) if k is not None else 0.0 for k in table.column(key).to_pylist()]
        mask = bernoulli_mask(n, 0.0, bounds, seed + index)
    else:
        mask = bernoulli_mask(n, lower, upper, seed + index)
    return table.filter(pa.array(mask, pa.bool_()))
