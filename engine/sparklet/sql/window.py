"""``Window`` and ``WindowSpec``: the partitioning, ordering and frame of window functions.

>>> from sparklet.sql import Window
>>> w = Window.partitionBy("dept").orderBy("salary")
"""

import sys

from .expressions import WindowFrame


class WindowSpec:
    """A window definition; built with ``Window.partitionBy(...).orderBy(...).rowsBetween(...)``."""

    def __init__(self, partition=(), order=(), frame=None):
        self._partition = list(partition)
        self._order = list(order)
        self._frame = frame

    def _orders(self):
        from .column import UnresolvedSort
        out = []
        for c in self._order:
            e = c._expr
            out.append(e if isinstance(e, UnresolvedSort) else UnresolvedSort(e, True))
        return out

    def partitionBy(self, *cols):
        """Example:

        >>> Window.partitionBy("a").partitionBy("b")._partition[0]
        Column<'b'>
        """
        return WindowSpec(_cols(cols), self._order, self._frame)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, _cols(cols), self._frame)

    def rowsBetween(self, start, end):
        """Frame in rows relative to the current row (``Window.unboundedPreceding`` ...)."""
        return WindowSpec(self._partition, self._order, WindowFrame("rows", _bound(start), _bound(end)))

    def rangeBetween(self, start, end):
        return WindowSpec(self._partition, self._order, WindowFrame("range", _bound(start), _bound(end)))

    def _repr(self):
        bits = []
        if self._partition:
            bits.append("PARTITION BY " + ", ".join(c._repr for c in self._partition))
        if self._order:
            bits.append("ORDER BY " + ", ".join(
                c._repr if " NULLS " in c._repr else c._repr + " ASC NULLS FIRST" for c in self._order))
        if self._frame is not None:
            f = self._frame

            def b(x, side):
                if x is None:
                    return "UNBOUNDED %s" % side
                if x == 0:
                    return "CURRENT ROW"
                return str(x)
            bits.append("%s BETWEEN %s AND %s" % ("ROWS" if f.kind == "rows" else "RANGE", b(f.lower, "PRECEDING"),
                                                  b(f.upper, "FOLLOWING")))
        return " ".join(bits)


def _bound(x):
    if x <= Window.unboundedPreceding or x >= Window.unboundedFollowing:
        return None
    return int(x)


def _cols(cols):
    from .column import col_of
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        cols = cols[0]
    return [col_of(c) for c in cols]


class Window:
    """Entry points for a ``WindowSpec``.

    >>> Window.unboundedPreceding < Window.currentRow < Window.unboundedFollowing
    True
    """
    _JAVA_MIN_LONG = -(1 << 63)
    _JAVA_MAX_LONG = (1 << 63) - 1
    _PRECEDING_THRESHOLD = max(-sys.maxsize, _JAVA_MIN_LONG)
    _FOLLOWING_THRESHOLD = min(sys.maxsize, _JAVA_MAX_LONG)
    unboundedPreceding = _JAVA_MIN_LONG
    unboundedFollowing = _JAVA_MAX_LONG
    currentRow = 0

    @staticmethod
    def partitionBy(*cols):
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start, end):
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start, end):
        return WindowSpec().rangeBetween(start, end)
