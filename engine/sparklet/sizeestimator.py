"""Estimating the memory Python objects hold, and how often to estimate it (Spark's
``SizeEstimator`` and ``SizeTracker``).

Used by the executor wherever a buffer must stay within a budget: the block store unrolling a
partition to cache (storage memory), and the shuffle's and sort's buffers (execution memory).
An estimate samples: a long container counts a few of its elements and scales by its length, so
one estimate costs about the same whatever the buffer's size. Estimates are taken every
``CHECK_EVERY`` records at first, then less often while far from the budget
(``records_until_next_check``). Plain functions: no state, safe on any thread.

>>> size_of([1, 2, 3]) > size_of([])
True
>>> list_size([(i, "x" * 100) for i in range(1000)]) > 100 * 1000
True
>>> dict_size({i: [i] for i in range(1000)}) > dict_size({i: i for i in range(1000)})
True
"""

import itertools
import sys

CHECK_EVERY = 1024  # records between two estimates of a buffer's size, at first
SAMPLE = 32  # elements sampled per estimate of a buffer
DICT_ENTRY = 100  # bytes a dict spends per entry beyond its key and value (hash table, slack)


def size_of(obj, depth=3):
    """Approximate bytes held by ``obj`` and what it contains, sampling long containers."""
    size = sys.getsizeof(obj)
    if depth and isinstance(obj, (tuple, list, set, frozenset, dict)) and obj:
        items = obj.items() if isinstance(obj, dict) else obj
        if not isinstance(items, (tuple, list)):
            items = list(itertools.islice(items, 16))
        step = max(1, len(items) // 16)
        sample = items[::step]
        size += sum(size_of(x, depth - 1) for x in sample) * len(obj) // len(sample)
    return size


def list_size(records, samples=SAMPLE):
    """Approximate bytes held by a list of records: the list and ``samples`` of its records, scaled."""
    if not records:
        return sys.getsizeof(records)
    sample = records[::max(1, len(records) // samples)]
    return sys.getsizeof(records) + sum(size_of(x) for x in sample) * len(records) // len(sample)


def dict_size(d, samples=SAMPLE):
    """Approximate bytes held by a dict of growing values (combiners, groups): sampled from its
    oldest keys, whose values had the longest time to grow, and its newest, which had the least."""
    if not d:
        return 0
    sample = list(itertools.islice(d, samples // 2))
    sample += itertools.islice(reversed(d), samples // 2)
    entry = sum(sys.getsizeof(k) + size_of(d[k]) for k in sample) / len(sample)
    return int(len(d) * (entry + DICT_ENTRY))


def fill_within(buffer, records, budget, estimate=list_size):
    """Move records from the iterator ``records`` into the list ``buffer`` until ``records`` ends
    or the buffer's estimated size passes ``budget``, estimating at growing intervals.
    Returns (estimated size, whether ``records`` ended).

    >>> buffer, rest = [], iter(range(100000))
    >>> size, ended = fill_within(buffer, rest, 100 * 1024)
    >>> ended, size > 100 * 1024, len(buffer) < 100000
    (False, True, True)
    >>> fill_within(buffer, rest, 1 << 30)[1], len(buffer)
    (True, 100000)
    """
    step = CHECK_EVERY
    while True:
        before = len(buffer)
        buffer.extend(itertools.islice(records, step))
        size = estimate(buffer)
        if len(buffer) - before < step:
            return size, True
        if size > budget:
            return size, False
        step = records_until_next_check(size, len(buffer), budget)


def records_until_next_check(size, records, budget):
    """How many records to take before estimating again: half of what would fill the budget at
    the rate seen so far, so that estimates grow rare while far from it (like Spark's SizeTracker)
    and the budget is overshot by at most one check's worth."""
    if size <= 0 or records <= 0:
        return CHECK_EVERY
    return max(CHECK_EVERY, int((budget - size) / (size / records) / 2))
