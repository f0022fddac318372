"""PySpark's own unit tests for the RDD core (apache/spark ``python/pyspark/tests/``), run unmodified
against Sparklet through the ``pyspark`` alias.

The test files are Apache Spark's, not ours: they are kept unmodified in
``tests/pyspark_unit/upstream/`` (the NOTICE there says where they come from), or read from the
Spark source tree that ``SPARKLET_PYSPARK_TESTS`` names. Each module runs in a process of its own
(``tests/pyspark_unit/runner.py``), as PySpark runs it (``python -m pyspark.tests.test_rdd``), so
the contexts its classes start never meet the session-wide ``sc`` of the other suites.

Every test of a module either passes, or is named below with the reason it is not run:
- ``NEEDS_JVM``: it drives the JVM (``sc._jvm``, ``_jrdd``, Hadoop's Java formats, a
  ``local-cluster`` master, py4j's gateway);
- ``PYSPARK_INTERNAL``: it tests a PySpark-internal class or private attribute that user code does
  not import (the user-facing ones, such as ``MarshalSerializer`` passed to
  ``SparkContext(serializer=...)``, are Sparklet's API and their tests run);
- ``DIFFERS``: it checks a behaviour where Sparklet deliberately differs from PySpark, each one
  listed in README's "Where Sparklet deliberately differs from PySpark";
- ``NEEDS_SQL``: it builds DataFrames; excluded only while this build has no ``sparklet.sql``;
- ``FAILS_UNTIL_MERGED``: behaviour being fixed on another branch; such a test must still fail
  here, so that the harness says when an entry is stale.

A test that PySpark itself skips on this machine (SciPy missing) is counted as skipped.
"""

import collections
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get("SPARKLET_PYSPARK_TESTS") or os.path.join(HERE, "pyspark_unit", "upstream")
RUNNER = os.path.join(HERE, "pyspark_unit", "runner.py")
MODULE_TIMEOUT_S = 300

MODULES = [
    "test_rdd", "test_join", "test_shuffle", "test_context", "test_broadcast", "test_taskcontext",
    "test_statcounter", "test_serializers", "test_readwrite", "test_conf", "test_rddbarrier",
    "test_rddsampler", "test_worker",
]

LOCAL_CLUSTER = "runs on a local-cluster master: Spark's standalone master and workers in the JVM"
HADOOP = "writes or reads through Hadoop's Java InputFormat/OutputFormat classes"
NEEDS_JVM = {
    "test_rdd.RDDTests.test_multiple_python_java_RDD_conversions": "converts to and from JVM RDDs (_to_java_object_rdd)",
    "test_rdd.RDDTests.test_null_in_rdd": "builds an RDD in the JVM (sc._jvm)",
    "test_rdd.RDDTests.test_take_on_jrdd": "reads the JVM-side RDD (rdd._jrdd)",
    "test_rdd.RDDTests.test_take_on_jrdd_with_large_rows_should_not_cause_deadlock":
        "reads the JVM-side RDD of a DataFrame (df.rdd._jrdd), a deadlock between JVM and Python threads",
    "test_context.ContextTests.test_forbid_insecure_gateway": "starts py4j's gateway without its secret",
    "test_context.ContextTests.test_set_conf": "reads the conf back from the JVM's context (sc._jsc)",
    "test_context.ContextTests.test_allow_to_create_spark_context_in_executors": LOCAL_CLUSTER,
    "test_context.ContextTests.test_disallow_to_create_spark_context_in_executors": LOCAL_CLUSTER,
    "test_context.ContextTestsWithResources.test_resources": LOCAL_CLUSTER,
    "test_taskcontext.TaskContextTestsWithResources.test_cpus": LOCAL_CLUSTER,
    "test_taskcontext.TaskContextTestsWithResources.test_resources": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_with_encryption": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_no_encryption": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_value_driver_no_encryption": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_value_driver_encryption": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_when_sc_none": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_for_error_condition": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_in_udfs_with_encryption": LOCAL_CLUSTER,
    "test_broadcast.BroadcastTest.test_broadcast_value_against_gc": "runs the JVM's garbage collector (sc._jvm)",
    "test_broadcast.BroadcastFrameProtocolTest.test_chunked_stream": "starts a JVM gateway (launch_gateway)",
}
for _name in ["test_oldhadoop", "test_newhadoop", "test_newolderror", "test_bad_inputs", "test_converters",
              "test_binary_files", "test_binary_records"]:
    NEEDS_JVM["test_readwrite.InputFormatTests." + _name] = (
        "its class generates the input files with a JVM class (sc._jvm.WriteInputFormatTestDataGenerator)")
for _name in ["test_oldhadoop", "test_newhadoop", "test_newolderror", "test_bad_inputs", "test_converters",
              "test_reserialization"]:
    NEEDS_JVM["test_readwrite.OutputFormatTests." + _name] = HADOOP

SHUFFLE_INTERNAL = ("tests pyspark.shuffle's spilling classes (Aggregator, ExternalMerger, ExternalSorter, "
                    "ExternalGroupBy), internals no user imports; Sparklet's spilling is tested in tests/test_spill.py")
PYSPARK_INTERNAL = {
    "test_rdd.RDDTests.test_zip_with_different_serializers":
        "re-serializes with rdd._reserialize(BatchedSerializer(...)), the JVM stream's batching",
    "test_rdd.RDDTests.test_external_group_by_key": "inspects pyspark.shuffle.ExternalListOfList",
    "test_rdd.RDDTests.test_multithread_broadcast_pickle":
        "counts sc._pickled_broadcast_vars, which broadcasts a pickled command registers with the JVM",
    "test_context.CheckpointTests.test_checkpoint_and_restore": "reads a checkpoint with the private sc._checkpointFile",
    "test_context.ContextTests.test_parallelize_eager_cleanup":
        "checks sc._temp_dir, where parallelize() leaves its data for the JVM to read",
    "test_serializers.SerializationTestCase.test_compressed_serializer":
        "CompressedSerializer frames the JVM-Python stream; not passed to SparkContext by users",
    "test_serializers.SerializationTestCase.test_hash_serializer":
        "hashes NoOpSerializer/AutoBatchedSerializer objects, frames of the JVM-Python stream",
    "test_serializers.SerializationTestCase.test_namedtuple":
        "pickles with pyspark.cloudpickle, PySpark's vendored copy (users import cloudpickle)",
    "test_serializers.SerializersTest.test_chunked_stream": "ChunkedStream frames broadcasts for the JVM",
    "test_rddsampler.RDDSamplerTests.test_rdd_sampler_func": "pyspark.rddsampler's sampler classes",
    "test_rddsampler.RDDSamplerTests.test_rdd_stratified_sampler_func": "pyspark.rddsampler's sampler classes",
    "test_worker.WorkerTests.test_with_different_versions_of_python":
        "PySpark's workers refuse a driver whose sc.pythonVer differs; Sparklet's executors run the driver's interpreter",
}
for _test in ["MergerTests.test_small_dataset", "MergerTests.test_medium_dataset",
              "MergerTests.test_shuffle_data_with_multiple_locations",
              "MergerTests.test_simple_aggregator_with_medium_dataset", "MergerTests.test_merger_not_implemented_error",
              "MergerTests.test_huge_dataset", "MergerTests.test_group_by_key", "MergerTests.test_stopiteration_is_raised",
              "ExternalGroupByTests.test_medium_dataset", "ExternalGroupByTests.test_dataset_with_keys_are_unsorted",
              "SorterTests.test_in_memory_sort", "SorterTests.test_external_sort"]:
    PYSPARK_INTERNAL["test_shuffle." + _test] = SHUFFLE_INTERNAL

# Run by PySpark, not by Sparklet, for a reason README's "Where Sparklet deliberately differs from
# PySpark" gives.
PY4J_ERROR = ("catches the failed job's error as py4j's Py4JJavaError; Sparklet raises the task's own "
              "exception (README: a task's error is re-raised as the user's own exception type)")
DIFFERS = {
    "test_worker.WorkerTests.test_python_exception_non_hanging": PY4J_ERROR,
    "test_worker.WorkerSegfaultTest.test_python_segfault": PY4J_ERROR,
    "test_worker.WorkerSegfaultNonDaemonTest.test_python_segfault": PY4J_ERROR,
    "test_worker.WorkerTests.test_cancel_task":
        "expects the cancelled task's worker process to exit; Sparklet stops the task and keeps its executor "
        "(README: a cancelled task's executor survives)",
}

NEEDS_SQL = {
    "test_rdd.RDDTests.test_datetime": "createDataFrame of an RDD of datetimes",
}

# Tests that fail until another branch's fix is merged, with the reason; delete an entry once its
# fix is merged and the test passes (the harness fails when a listed test passes).
FAILS_UNTIL_MERGED = {}


def _has_sql():
    return os.path.exists(os.path.join(HERE, os.pardir, "engine", "sparklet", "sql"))


def excluded():
    """Every test not run, with its reason."""
    reasons = {}
    reasons.update({k: "needs the JVM: " + v for k, v in NEEDS_JVM.items()})
    reasons.update({k: "PySpark internal: " + v for k, v in PYSPARK_INTERNAL.items()})
    reasons.update({k: "differs by design: " + v for k, v in DIFFERS.items()})
    if not _has_sql():
        reasons.update({k: "needs pyspark.sql, not in this build: " + v for k, v in NEEDS_SQL.items()})
    return reasons


class Tally:
    def __init__(self):
        self.counts = collections.Counter()
        self.lines = []


def _tally(config):
    if not hasattr(config, "pyspark_unit_tally"):
        config.pyspark_unit_tally = Tally()
    return config.pyspark_unit_tally


def run_module(module, tmp_path):
    excluded_path = tmp_path / "excluded.json"
    results_path = tmp_path / "results.json"
    excluded_path.write_text(json.dumps(sorted(excluded())))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [os.path.join(HERE, os.pardir, "engine")] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    proc = subprocess.run([sys.executable, RUNNER, os.path.abspath(ROOT), module, str(excluded_path), str(results_path)],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=MODULE_TIMEOUT_S)
    assert proc.returncode == 0, "the runner failed for %s:\n%s" % (module, proc.stderr[-4000:])
    return json.loads(results_path.read_text())


@pytest.mark.parametrize("module", MODULES)
def test_pyspark_unit_module(module, tmp_path, request):
    path = os.path.join(ROOT, "python", "pyspark", "tests", module + ".py")
    if not os.path.exists(path):
        pytest.fail("PySpark's %s.py is not at %s: see tests/pyspark_unit/upstream/NOTICE" % (module, path))
    results = run_module(module, tmp_path)
    tally = _tally(request.config)
    problems = []
    for name in [n for n in list(excluded()) + list(FAILS_UNTIL_MERGED) if n.startswith(module + ".")]:
        if name not in results:
            problems.append("%s is listed in this harness but is not a test of this version of %s.py" % (name, module))
    for name, result in sorted(results.items()):
        outcome = result["outcome"]
        if outcome == "excluded":
            tally.counts["excluded"] += 1
            tally.lines.append("EXCLUDED %s: %s" % (name, excluded()[name]))
        elif name in FAILS_UNTIL_MERGED:
            tally.counts["failing until merged"] += 1
            tally.lines.append("UNTIL-MERGED %s: %s" % (name, FAILS_UNTIL_MERGED[name]))
            if outcome == "passed":
                problems.append("%s passes now: delete it from FAILS_UNTIL_MERGED" % name)
        elif outcome in ("passed", "skipped"):
            tally.counts[outcome] += 1
            if outcome == "skipped":
                tally.lines.append("SKIPPED-BY-PYSPARK %s: %s" % (name, result["detail"]))
        else:
            tally.counts["failed"] += 1
            tally.lines.append("FAILED %s" % name)
            problems.append("%s %s:\n%s" % (name, outcome, result["detail"]))
    assert not problems, "\n\n".join(problems)
