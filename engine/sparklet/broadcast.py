"""Broadcast variables: a read-only value shipped to each executor once.

The driver pickles the value once into a file under the application's local directory. A task's
closure carries only the broadcast id; the first task on an executor that touches ``.value`` loads
the file, and later tasks on that executor reuse the loaded value.
"""

import os
import pickle
import threading

from .errors import SparkException
from .serializers import dumps_records

__all__ = ["Broadcast"]

# Executor side: broadcast id -> loaded value (or the Broadcast object that loaded it).
_loaded = {}
_loaded_lock = threading.Lock()
# Set in each executor process: where the driver writes broadcast files.
_broadcast_dir = None


def _from_id(bid, path):
    with _loaded_lock:
        b = _loaded.get(bid)
        if b is None:
            b = _loaded[bid] = Broadcast(path=path, bid=bid)
        return b


class Broadcast:
    """A read-only value cached on every executor; read it with ``.value``.

    >>> b = sc.broadcast([1, 2, 3, 4, 5])
    >>> b.value
    [1, 2, 3, 4, 5]
    >>> sc.parallelize([0, 0]).flatMap(lambda x: b.value).collect()
    [1, 2, 3, 4, 5, 1, 2, 3, 4, 5]
    >>> b.unpersist()
    """

    def __init__(self, sc=None, value=None, pickle_registry=None, path=None, sock_file=None, bid=None):
        self._sc = sc
        self._destroyed = False
        if sc is not None:
            self._bid = sc._next_broadcast_id()
            self._path = os.path.join(sc._local_dir, "broadcast", "broadcast_%d" % self._bid)
            os.makedirs(os.path.dirname(self._path), exist_ok=True)
            with open(self._path, "wb") as f:
                self.dump(value, f)
            self._value = value
            self._has_value = True
        else:
            self._bid = bid
            self._path = path
            self._has_value = False

    def dump(self, value, f):
        """Pickle ``value`` to the open file ``f`` (closures and ``__main__`` classes too) and close it.

        >>> import os, tempfile
        >>> b = sc.broadcast([1, 2])
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "value.pickle")
        >>> b.dump({"k": "v"}, open(path, "wb"))
        >>> b.load_from_path(path)
        {'k': 'v'}
        >>> tmp.cleanup()
        """
        # PySpark pickles a broadcast with plain pickle, so a value holding an instance of a class
        # defined in the notebook or script fails on its workers; here it travels like records do.
        try:
            data = dumps_records(value)
        except Exception as e:
            raise pickle.PicklingError("Could not serialize broadcast: %s: %s" % (type(e).__name__, e)) from e
        f.write(data)
        f.close()

    def load_from_path(self, path):
        """The value pickled in the file at ``path``.

        >>> import os, pickle, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> path = os.path.join(tmp.name, "value.pickle")
        >>> with open(path, "wb") as f:
        ...     pickle.dump([3, 4], f)
        >>> sc.broadcast(None).load_from_path(path)
        [3, 4]
        >>> tmp.cleanup()
        """
        with open(path, "rb", 1 << 20) as f:
            return self.load(f)

    def load(self, file):
        """The value pickled in the open binary ``file``.

        >>> import io, pickle
        >>> sc.broadcast(None).load(io.BytesIO(pickle.dumps({"a": 1})))
        {'a': 1}
        """
        return pickle.load(file)

    @property
    def value(self):
        """The broadcast value (loaded once per executor, on first use in a task).

        >>> b = sc.broadcast({"a": 1})
        >>> b.value
        {'a': 1}
        >>> sc.parallelize(["a"]).map(lambda k: b.value[k]).collect()
        [1]
        """
        if self._destroyed:
            raise SparkException("Attempted to use broadcast %d after it was destroyed" % self._bid)
        if not self._has_value:
            if not os.path.exists(self._path):
                raise SparkException("Attempted to use broadcast %d after it was destroyed" % self._bid)
            self._value = self.load_from_path(self._path)
            self._has_value = True
        return self._value

    def unpersist(self, blocking=False):
        """Drop the executors' copies; the next use in a task loads it again.

        >>> b = sc.broadcast([1, 2])
        >>> sc.parallelize([0]).map(lambda _: sum(b.value)).collect()
        [3]
        >>> b.unpersist()
        >>> sc.parallelize([0]).map(lambda _: len(b.value)).collect()
        [2]
        """
        if self._sc is None:
            raise RuntimeError("Broadcast can only be unpersisted in driver")
        self._sc._unpersist_broadcast(self._bid)

    def destroy(self, blocking=False):
        """Remove the value everywhere; using it afterwards raises.

        >>> b = sc.broadcast([1, 2])
        >>> b.destroy()
        >>> b.value
        Traceback (most recent call last):
            ...
        sparklet.errors.SparkException: Attempted to use broadcast ... after it was destroyed
        """
        if self._sc is None:
            raise RuntimeError("Broadcast can only be destroyed in driver")
        self._sc._unpersist_broadcast(self._bid)
        self._destroyed = True
        self._value = None
        try:
            os.unlink(self._path)
        except FileNotFoundError:
            pass

    def __reduce__(self):
        if self._destroyed:
            raise SparkException("Attempted to use broadcast %d after it was destroyed" % self._bid)
        return _from_id, (self._bid, self._path)

    def __repr__(self):
        return "<Broadcast id=%s>" % self._bid


def forget(bid):
    """Executor side: drop a loaded broadcast value (on unpersist/destroy)."""
    with _loaded_lock:
        _loaded.pop(bid, None)
