"""Accumulators: variables that tasks only add to and only the driver reads.

An accumulator travels into a task as its id and zero value. Each task adds into its own copy;
the executor sends the task's partial value back with the task's result, and the driver merges it
only when the task succeeded, so a retried task is never counted twice.
"""

import copy
import threading

__all__ = ["Accumulator", "AccumulatorParam"]

# Driver side: every accumulator created in this process, by id.
_accumulatorRegistry = {}
# Executor side: accumulators re-created while unpickling a stage's closures (see executor.py).
_deserialized = threading.local()


class AccumulatorParam:
    """How to add values of a custom type: ``zero(value)`` and ``addInPlace(value1, value2)``."""

    def zero(self, value):
        raise NotImplementedError

    def addInPlace(self, value1, value2):
        raise NotImplementedError


class AddingAccumulatorParam(AccumulatorParam):
    def __init__(self, zero_value):
        self.zero_value = zero_value

    def zero(self, value):
        return self.zero_value

    def addInPlace(self, value1, value2):
        value1 += value2
        return value1


INT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0)
FLOAT_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0)
COMPLEX_ACCUMULATOR_PARAM = AddingAccumulatorParam(0.0j)


def _deserialize_accumulator(aid, zero_value, accum_param):
    accum = Accumulator(aid, zero_value, accum_param)
    accum._deserialized = True
    # An executor keeps a stage's closures for all its tasks, where a PySpark worker unpickles the
    # zero the driver computed for each task: every task starts from a fresh copy of that zero.
    accum._task_zero = copy.deepcopy(zero_value)
    registry = getattr(_deserialized, "registry", None)
    if registry is not None:
        registry[aid] = accum
    return accum


class Accumulator:
    """A shared variable that tasks add to with ``add`` or ``+=``; read ``.value`` in the driver.

    >>> a = sc.accumulator(1)
    >>> a.value
    1
    >>> sc.parallelize([1, 2, 3]).foreach(lambda x: a.add(x))
    >>> a.value
    7
    """

    def __init__(self, aid, value, accum_param):
        self.aid = aid
        self.accum_param = accum_param
        self._value = value
        self._deserialized = False

    def __reduce__(self):
        param = self.accum_param
        return (_deserialize_accumulator, (self.aid, param.zero(self._value), param))

    @property
    def value(self):
        """The accumulated value (on the driver only: tasks can only add).

        >>> acc = sc.accumulator(10)
        >>> sc.parallelize([1, 2, 3]).foreach(lambda x: acc.add(x))
        >>> acc.value
        16
        >>> acc.value = 0
        >>> acc.value
        0
        """
        if self._deserialized:
            raise RuntimeError("Value `Accumulator.value` cannot be accessed inside tasks.")
        return self._value

    @value.setter
    def value(self, value):
        if self._deserialized:
            raise RuntimeError("Value `Accumulator.value` cannot be accessed inside tasks.")
        self._value = value

    def add(self, term):
        """Add ``term`` to the value (in a task, the update reaches the driver when the task succeeds).

        >>> acc = sc.accumulator(0)
        >>> acc.add(5)
        >>> sc.parallelize(range(4)).foreach(lambda x: acc.add(x))
        >>> acc.value
        11
        """
        self._value = self.accum_param.addInPlace(self._value, term)

    def __iadd__(self, term):
        self.add(term)
        return self

    def _start_task(self):
        self._value = copy.deepcopy(self._task_zero)

    def _merge_task_update(self, update):
        self._value = self.accum_param.addInPlace(self._value, update)

    def __str__(self):
        return str(self._value)

    def __repr__(self):
        return "Accumulator<id=%i, value=%s>" % (self.aid, self._value)


def default_param_for(value):
    if isinstance(value, bool) or not isinstance(value, (int, float, complex)):
        raise TypeError("No default accumulator param for type %s" % type(value))
    if isinstance(value, int):
        return INT_ACCUMULATOR_PARAM
    if isinstance(value, float):
        return FLOAT_ACCUMULATOR_PARAM
    return COMPLEX_ACCUMULATOR_PARAM
