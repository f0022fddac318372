"""Running count, mean, variance, max and min of numbers, mergeable across partitions."""

import copy
import math

__all__ = ["StatCounter"]


def _as_float(x):
    # PySpark's max/min go through numpy.maximum/minimum, which give floats for int input.
    return float(x) if isinstance(x, int) else x


def _is_array(x):
    # numpy arrays: PySpark's numpy.maximum/minimum/sqrt take them element-wise
    return getattr(x, "ndim", 0) > 0


def _nan_max(a, b):
    if _is_array(a) or _is_array(b):
        import numpy
        return numpy.maximum(a, b)
    return a if a != a else b if b != b or b > a else a


def _nan_min(a, b):
    if _is_array(a) or _is_array(b):
        import numpy
        return numpy.minimum(a, b)
    return a if a != a else b if b != b or b < a else a


def _sqrt(x):
    if _is_array(x):
        import numpy
        return numpy.sqrt(x)
    return math.sqrt(x)


class StatCounter:
    """Statistics of a stream of numbers, merged pairwise (Chan et al.'s parallel variance).

    >>> s = StatCounter([1.0, 2.0, 3.0, 4.0])
    >>> s.count(), s.mean(), s.sum(), s.min(), s.max(), s.variance()
    (4, 2.5, 10.0, 1.0, 4.0, 1.25)

    numpy arrays are counted element-wise:

    >>> import numpy as np
    >>> StatCounter([np.array([1.0, 4.0]), np.array([3.0, 0.0])]).max().tolist()
    [3.0, 4.0]
    """

    def __init__(self, values=None):
        self.n = 0  # long
        self.mu = 0.0
        self.m2 = 0.0  # sum of squared deviations from the mean
        self.maxValue = float("-inf")
        self.minValue = float("inf")
        if values is not None:
            self._merge_all(values)

    def _merge_all(self, values):
        # merge() for each value, with the state in locals: the same arithmetic in the same order
        # (so the same floating-point results), several times faster than a call per value. The
        # count is a float in the loop (cheaper to add and divide by, and exact below 2**53).
        n, mu, m2, mx, mn = float(self.n), self.mu, self.m2, self.maxValue, self.minValue
        for v in values:
            delta = v - mu
            n += 1.0
            mu += delta / n
            m2 += delta * (v - mu)
            try:
                if v > mx:
                    mx = v
                if v < mn:
                    mn = v
                if v != v:  # NaN wins, as with numpy.maximum/minimum (what PySpark uses)
                    mx = mn = v
            except ValueError:  # a numpy array has no single truth value: element-wise
                mx, mn = _nan_max(mx, v), _nan_min(mn, v)
        self.n, self.mu, self.m2, self.maxValue, self.minValue = int(n), mu, m2, _as_float(mx), _as_float(mn)

    @classmethod
    def _of_mean(cls, values):
        """A counter of ``values`` that tracks only their count and mean (the other statistics are
        NaN), with the arithmetic of StatCounter(values): what RDD.mean() needs, in half the time."""
        n, mu = 0.0, 0.0
        for v in values:
            n += 1.0
            mu += (v - mu) / n
        counter = cls()
        counter.n, counter.mu = int(n), mu
        counter.m2 = counter.maxValue = counter.minValue = float("nan")
        return counter

    def merge(self, value):
        self._merge_all((value,))
        return self

    def mergeStats(self, other):
        if not isinstance(other, StatCounter):
            raise TypeError("Can only merge StatCounter but got %s" % type(other))
        if other is self:  # merging with itself: merge a copy so the update sees the old values
            self.mergeStats(other.copy())
        elif self.n == 0:
            self.mu, self.m2, self.n = other.mu, other.m2, other.n
            self.maxValue, self.minValue = other.maxValue, other.minValue
        elif other.n != 0:
            delta = other.mu - self.mu
            if other.n * 10 < self.n:
                self.mu = self.mu + (delta * other.n) / (self.n + other.n)
            elif self.n * 10 < other.n:
                self.mu = other.mu - (delta * self.n) / (self.n + other.n)
            else:
                self.mu = (self.mu * self.n + other.mu * other.n) / (self.n + other.n)
            self.maxValue = _nan_max(self.maxValue, other.maxValue)
            self.minValue = _nan_min(self.minValue, other.minValue)
            self.m2 += other.m2 + (delta * delta * self.n * other.n) / (self.n + other.n)
            self.n += other.n
        return self

    def copy(self):
        return copy.deepcopy(self)

    def count(self):
        return int(self.n)

    def mean(self):
        return self.mu

    def sum(self):
        return self.n * self.mu

    def min(self):
        return self.minValue

    def max(self):
        return self.maxValue

    def variance(self):
        """Population variance (divides by N)."""
        return float("nan") if self.n == 0 else self.m2 / self.n

    def sampleVariance(self):
        """Sample variance (divides by N-1)."""
        return float("nan") if self.n <= 1 else self.m2 / (self.n - 1)

    def stdev(self):
        return _sqrt(self.variance())

    def sampleStdev(self):
        return _sqrt(self.sampleVariance())

    def asDict(self, sample=False):
        """The statistics as a dict.

        PySpark gives the *sample* stdev and variance by default and the population ones with
        ``sample=True`` (the reverse of what the flag says); code written for PySpark relies on
        that, so it is kept.
        """
        return {
            "count": self.count(),
            "mean": self.mean(),
            "sum": self.sum(),
            "min": self.min(),
            "max": self.max(),
            "stdev": self.stdev() if sample else self.sampleStdev(),
            "variance": self.variance() if sample else self.sampleVariance(),
        }

    def __repr__(self):
        return "(count: %s, mean: %s, stdev: %s, max: %s, min: %s)" % (
            self.count(), self.mean(), self.stdev(), self.max(), self.min())
