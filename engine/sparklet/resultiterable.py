"""The iterable that ``groupByKey`` and ``cogroup`` give as each key's values."""

from collections.abc import Iterable

__all__ = ["ResultIterable"]


class ResultIterable(Iterable):
    """A re-iterable, sized wrapper around one key's grouped values.

    >>> from sparklet.resultiterable import ResultIterable
    >>> r = ResultIterable([1, 2, 3])
    >>> len(r), list(r), sum(r)
    (3, [1, 2, 3], 6)
    """

    def __init__(self, data):
        self.data = data
        self.index = 0
        self.maxindex = len(data)

    def __iter__(self):
        return iter(self.data)

    def __len__(self):
        return len(self.data)
