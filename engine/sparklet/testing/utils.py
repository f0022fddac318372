"""unittest base classes and helpers with the names and behaviour of ``pyspark.testing.utils``.

A ``ReusedPySparkTestCase`` class shares one ``local[4]`` context between its tests (started in
``setUpClass``); a ``PySparkTestCase`` starts one per test. ``SPARK_HOME`` is where suites find
their data files (``$SPARK_HOME/python/test_support``): the ``SPARK_HOME`` environment variable, or
the current directory without it (Sparklet has no Spark installation of its own).

>>> sc.stop()  # the class starts a context of its own, and one runs at a time
>>> import unittest
>>> from sparklet.testing.utils import ReusedPySparkTestCase
>>> class Doubling(ReusedPySparkTestCase):
...     def test_map(self):
...         self.assertEqual(self.sc.parallelize([1, 2]).map(lambda x: 2 * x).collect(), [2, 4])
>>> result = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(
...     unittest.defaultTestLoader.loadTestsFromTestCase(Doubling))
>>> result.wasSuccessful(), result.testsRun
(True, 1)
"""

import functools
import importlib.util
import logging
import os
import struct
import sys
import time
import unittest

from ..conf import SparkConf

SPARK_HOME = os.environ.get("SPARK_HOME") or os.getcwd()


def have_package(name):
    """Whether ``name`` can be imported here (without importing it).

    >>> have_package("json"), have_package("no_such_package_here")
    (True, False)
    """
    return importlib.util.find_spec(name) is not None


have_numpy = have_package("numpy")
numpy_requirement_message = "" if have_numpy else "No module named 'numpy'"
have_scipy = have_package("scipy")
scipy_requirement_message = "" if have_scipy else "No module named 'scipy'"


def read_int(b):
    """A big-endian 4-byte int, as PySpark's framed streams write it.

    >>> read_int(write_int(-7))
    -7
    """
    return struct.unpack("!i", b)[0]


def write_int(i):
    """A big-endian 4-byte int.

    >>> write_int(1) == bytes([0, 0, 0, 1])
    True
    """
    return struct.pack("!i", i)


def eventually(timeout=30.0, catch_assertions=False, catch_timeout=False, quiet=True, interval=0.1,
               expected_exceptions=()):
    """Decorate a condition so that calling it retries until it returns True or None.

    Other return values (and, if asked, AssertionError / TimeoutError / ``expected_exceptions``)
    mean "not yet"; after ``timeout`` seconds the last one is raised, or an AssertionError naming it.

    >>> tries = []
    >>> @eventually(timeout=5.0, interval=0.01)
    ... def third_time():
    ...     tries.append(1)
    ...     return len(tries) >= 3
    >>> third_time(); len(tries)
    3
    """
    if timeout <= 0:
        raise ValueError("eventually() needs a positive timeout, got %r" % (timeout,))
    caught = tuple(expected_exceptions) + ((AssertionError,) if catch_assertions else ()) + (
        (TimeoutError,) if catch_timeout else ())

    def decorator(condition):
        @functools.wraps(condition)
        def wrapper(*args, **kwargs):
            deadline = time.monotonic() + timeout
            attempt = 0
            last = None
            while time.monotonic() < deadline:
                attempt += 1
                try:
                    last = condition(*args, **kwargs)
                except caught as e:
                    last = e
                if last is True or last is None:
                    return None
                if not quiet:
                    print("\nAttempt #%d failed!\n%s" % (attempt, last))
                time.sleep(interval)
            if isinstance(last, BaseException):
                raise last
            raise AssertionError("Test failed due to timeout after %g sec, with last condition returning: %s"
                                 % (timeout, last))

        return wrapper

    return decorator


class QuietTest:
    """Silence the engine's log while a block runs (PySpark lowers log4j to FATAL).

    >>> with QuietTest(None):
    ...     logging.getLogger("sparklet").getEffectiveLevel() >= logging.CRITICAL
    True
    """

    def __init__(self, sc):
        self.logger = logging.getLogger("sparklet")

    def __enter__(self):
        self.old_level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.logger.setLevel(self.old_level)


class PySparkBaseTestCase(unittest.TestCase):
    pass


class PySparkTestCase(PySparkBaseTestCase):
    """A fresh ``local[4]`` context per test, as ``self.sc``; ``sys.path`` restored after it."""

    def setUp(self):
        from ..context import SparkContext

        self._old_sys_path = list(sys.path)
        self.sc = SparkContext("local[4]", self.__class__.__name__)

    def tearDown(self):
        self.sc.stop()
        sys.path = self._old_sys_path


class ReusedPySparkTestCase(PySparkBaseTestCase):
    """One context for all tests of the class, as ``cls.sc``; override ``conf()`` / ``master()``."""

    @classmethod
    def conf(cls):
        return SparkConf()

    @classmethod
    def master(cls):
        return "local[4]"

    @classmethod
    def setUpClass(cls):
        from ..context import SparkContext

        cls.sc = SparkContext(cls.master(), cls.__name__, conf=cls.conf())

    @classmethod
    def tearDownClass(cls):
        cls.sc.stop()

    def quiet(self):
        return QuietTest(self.sc)


class ByteArrayOutput:
    """A write-only byte sink, for serializer tests.

    >>> out = ByteArrayOutput(); out.write(b"ab"); out.buffer
    bytearray(b'ab')
    """

    def __init__(self):
        self.buffer = bytearray()

    def write(self, b):
        self.buffer += b

    def close(self):
        pass
