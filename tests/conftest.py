"""Shared contexts for the test suites.

One Sparklet context and (only when a test asks for it) one real PySpark context live for the
whole session: starting an executor pool or a JVM per test would dominate the run time.
Both can coexist in one process because they are different packages.
"""

import os
import sys

import pytest

from context_harness import shared_context_set_aside

# Apache Spark's own test files, run by test_pyspark_unit.py against Sparklet in processes of their
# own (they need the pyspark alias), never collected as this suite's tests.
collect_ignore = ["pyspark_unit/upstream"]


@pytest.fixture(scope="session")
def sc():
    from sparklet import SparkContext

    context = SparkContext("local[2]", "sparklet-tests")
    yield context
    context.stop()


@pytest.fixture(scope="module")
def own_contexts():
    """Use with `pytestmark = pytest.mark.usefixtures("own_contexts")` in a module whose tests
    and module fixtures start their own contexts."""
    with shared_context_set_aside():
        yield


@pytest.fixture(scope="session")
def spark_sc():
    """A real PySpark context, started lazily: only tests marked `pyspark` pay for the JVM."""
    from pyspark import SparkConf, SparkContext

    # PySpark's workers must run this interpreter, not whatever `python3` is first on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    # PySpark refuses to hash keys in the driver (lookup on a partitioned RDD) unless this is set;
    # the suites only hash seed-independent keys there (int, None, tuples of them).
    os.environ.setdefault("PYTHONHASHSEED", "0")
    conf = (
        SparkConf()
        .setMaster("local[2]")
        .setAppName("sparklet-differential")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.memory", "512m")
        .set("spark.log.level", "ERROR")
        .set("spark.ui.showConsoleProgress", "false")
    )
    context = SparkContext(conf=conf)
    context.setLogLevel("ERROR")
    yield context
    context.stop()


@pytest.fixture(scope="session")
def pyspark_session(spark_sc):
    """Real PySpark's SparkSession over `spark_sc`: one JVM for every suite that compares
    DataFrames."""
    from pyspark.sql import SparkSession

    return SparkSession.builder.getOrCreate()


@pytest.fixture(scope="module")
def sparklet_spark(sc):
    """Sparklet's SparkSession over `sc`, beside `pyspark_session` in the suites that compare."""
    from sparklet.sql import SparkSession

    return SparkSession.builder.getOrCreate()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the tallies of PySpark's doctests and unit tests (numbers the project reports) when
    those tests ran."""
    unit = getattr(config, "pyspark_unit_tally", None)
    if unit is not None:
        terminalreporter.section("PySpark's own unit tests on Sparklet")
        terminalreporter.write_line(", ".join("%s %d" % kv for kv in sorted(unit.counts.items())))
        for line in unit.lines:
            terminalreporter.write_line("  " + line)
    tally = getattr(config, "pyspark_doctest_tally", None)
    if tally is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("PySpark's own doctests on Sparklet")
    write(
        "docstrings: {passed} passed, {failed} failed, {excluded} excluded; "
        "examples: {examples_run} run, {examples_excluded} excluded".format(**tally.counts())
    )
    for name, reason in tally.failures():
        write(f"  FAILED   {name}: {reason}")
    for name, reason in tally.exclusions():
        write(f"  EXCLUDED {name}: {reason}")
