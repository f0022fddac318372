"""The engine's docstring examples run as doctests (``pytest --doctest-modules engine/sparklet``,
which ``tests/test_engine_doctests.py`` runs in the normal test run), in PySpark's style: ``sc`` is
a live SparkContext.

``sc`` is the process's active context; when there is none (first example, or the example of
``SparkContext.stop``), one is started for the examples, and stopped at the end of the session.
"""

import pytest
from _pytest.doctest import DoctestItem


@pytest.fixture(scope="session")
def _doctest_contexts():
    started = []
    yield started
    for sc in started:
        sc.stop()


@pytest.fixture(autouse=True)
def _doctest_sc(request, doctest_namespace):
    if not isinstance(request.node, DoctestItem):
        return
    from sparklet import SparkContext

    sc = SparkContext._active_spark_context
    if sc is None:
        sc = SparkContext("local[2]", "sparklet-doctests")
        request.getfixturevalue("_doctest_contexts").append(sc)
    doctest_namespace["sc"] = sc
    if request.node.name.startswith("sparklet.sql."):
        # the SQL layer's examples, like PySpark's, run against `spark`
        from sparklet.sql import SparkSession

        doctest_namespace["spark"] = SparkSession.builder.getOrCreate()
