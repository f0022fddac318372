"""PySpark's own docstring examples, run against Sparklet.

The examples are read from the installed pyspark at test time (nothing is copied into this
repository) and executed with their module's names bound to the matching `sparklet` module and
`sc` bound to a Sparklet context. The only edit made to an example is the package name in its
imports and in the reprs it expects (`pyspark.conf.SparkConf` -> `sparklet.conf.SparkConf`).

PySpark runs each module's examples in a process of their own, against a context made for that
module (`python -m pyspark.core.rdd` runs `_test()`); we do the same: one subprocess per module
(examples that build their own SparkContext get a process to themselves), so contexts, files
added with `addFile`, log levels and accumulators never leak from one module's examples into
another's, and the session-wide `sc` of the other suites is untouched.

Run as a script (`python test_pyspark_doctests.py RESULTS.json MODULE NAME...`) this file is
that subprocess.
"""

import doctest
import importlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import types

import pytest

# PySpark module (4.x name, then the 3.5 name) -> Sparklet module, and the master of the context
# the module's examples run against (the same one PySpark's own `_test()` uses; None: the
# examples create the contexts they need).
MODULES = [
    (("pyspark.core.rdd", "pyspark.rdd"), "sparklet.rdd", "local[4]"),
    (("pyspark.core.context", "pyspark.context"), "sparklet.context", "local[4]"),
    (("pyspark.conf",), "sparklet.conf", None),
    (("pyspark.accumulators",), "sparklet.accumulators", "local[2]"),
    (("pyspark.core.broadcast", "pyspark.broadcast"), "sparklet.broadcast", "local[4]"),
    (("pyspark.statcounter",), "sparklet.statcounter", "local[2]"),
    (("pyspark.core.files", "pyspark.files"), "sparklet.files", "local[2]"),
    (("pyspark.taskcontext",), "sparklet.taskcontext", "local[2]"),
    (("pyspark.resultiterable",), "sparklet.resultiterable", None),
    (("pyspark.serializers",), "sparklet.serializers", None),
    (("pyspark.profiler",), "sparklet.profiler", None),
    (("pyspark.resource.profile",), "sparklet.resource.profile", "local[4]"),
    (("pyspark.resource.requests",), "sparklet.resource.requests", None),
    (("pyspark.resource.information",), "sparklet.resource.information", None),
    (("pyspark.sql.types",), "sparklet.sql.types", "local[4]"),
    (("pyspark.sql.column",), "sparklet.sql.column", "local[4]"),
    (("pyspark.sql.dataframe",), "sparklet.sql.dataframe", "local[4]"),
    (("pyspark.sql.group",), "sparklet.sql.group", "local[4]"),
    (("pyspark.sql.window",), "sparklet.sql.window", "local[4]"),
    (("pyspark.sql.session",), "sparklet.sql.session", "local[4]"),
    (("pyspark.sql.readwriter",), "sparklet.sql.readwriter", "local[4]"),
    (("pyspark.sql.functions.builtin", "pyspark.sql.functions"), "sparklet.sql.functions", "local[4]"),
]

# PySpark's SQL modules run their examples with NORMALIZE_WHITESPACE (their `_test()` does) and
# with `spark` bound to a SparkSession.
SQL_PREFIX = "pyspark.sql"

# Docstrings whose first example constructs a SparkContext: they need a process with no active
# context, so each runs alone.
OWN_CONTEXT = {"SparkContext", "SparkConf", "serializers", "Profiler"}

# Docstrings (named without their module) that need the JVM or Hadoop's Java classes. A value
# (reason, marker) with a marker excludes only the examples from the one whose source contains
# the marker to the end of the docstring (the later ones depend on it).
HADOOP = "reads or writes through Hadoop's Java InputFormat/OutputFormat classes"
EXCLUDED = {
    "SparkContext.hadoopFile": (HADOOP, None),
    "SparkContext.hadoopRDD": (HADOOP, None),
    "SparkContext.newAPIHadoopFile": (HADOOP, None),
    "SparkContext.newAPIHadoopRDD": (HADOOP, None),
    "SparkContext.sequenceFile": (HADOOP, None),
    "RDD.saveAsHadoopDataset": (HADOOP, None),
    "RDD.saveAsHadoopFile": (HADOOP, None),
    "RDD.saveAsNewAPIHadoopDataset": (HADOOP, None),
    "RDD.saveAsNewAPIHadoopFile": (HADOOP, None),
    "SparkContext.getSystemProperty": ("reads JVM system properties (java.home, SPARK_SUBMIT)", None),
    "SparkContext.uiWebUrl": ("the URL of the JVM's Spark web UI", None),
    "RDD.toDebugString": ("expects the JVM-side PythonRDD that wraps every RDD PySpark builds", None),
    "SparkConf": ("calls the JVM-side SparkConf (conf._jconf)", "conf._jconf"),
    "serializers": ("counts JVM-side batches (rdd._jrdd)", "rdd._jrdd"),
    "TaskContext": ("runs SQL UDFs (pyspark.sql)", "pyspark.sql"),
    "StatCounter.asDict": ("expects Python 2 output ('4L'); fails on PySpark itself", None),
    "ResourceProfile": ("prints the executor resources in the iteration order of the JVM's hash map",
                        "getResourceProfile().executorResources"),
    "_parse_datatype_json_string": ("round-trips types through the JVM's parser "
                                    "(spark._jsparkSession.parseDataType)", None),
    "Geography": ("geospatial types are not part of Sparklet", None),
    "Geometry": ("geospatial types are not part of Sparklet", None),
    "VariantVal": ("variant values (parse_json) are not part of Sparklet", None),
}

# PySpark's DataFrame-layer docstrings that Sparklet does not run, grouped by why. Issue 17 lists
# the API Sparklet's SQL layer covers (its "What to build"); everything else stays excluded here
# until it is built, and the list is what the closing note reports.
OUT_OF_SCOPE = {
    "function outside Sparklet's SQL function library (issue 17's list)": (
        'arrow_udtf', 'bitmap_and_agg', 'bitmap_construct_agg', 'bitmap_or_agg', 'bucket',
        'collect_union', 'count_min_sketch', 'counter_diff', 'from_xml', 'hll_sketch_agg',
        'hll_sketch_estimate', 'hll_union', 'hll_union_agg', 'is_valid_variant', 'is_variant_null',
        'kll_merge_agg_bigint', 'kll_merge_agg_double', 'kll_merge_agg_float',
        'kll_sketch_agg_bigint', 'kll_sketch_agg_double', 'kll_sketch_agg_float',
        'kll_sketch_get_n_bigint', 'kll_sketch_get_n_double', 'kll_sketch_get_n_float',
        'kll_sketch_get_quantile_bigint', 'kll_sketch_get_quantile_double',
        'kll_sketch_get_quantile_float', 'kll_sketch_get_rank_bigint', 'kll_sketch_get_rank_double',
        'kll_sketch_get_rank_float', 'kll_sketch_merge_bigint', 'kll_sketch_merge_double',
        'kll_sketch_merge_float', 'kll_sketch_to_string_bigint', 'kll_sketch_to_string_double',
        'kll_sketch_to_string_float', 'make_dt_interval', 'make_interval', 'make_ym_interval',
        'parse_json', 'schema_of_variant', 'schema_of_variant_agg', 'schema_of_xml', 'st_asbinary',
        'st_geogfromwkb', 'st_geomfromwkb', 'st_setsrid', 'st_srid', 'theta_difference',
        'theta_intersection', 'theta_intersection_agg', 'theta_sketch_agg', 'theta_sketch_estimate',
        'theta_union', 'theta_union_agg', 'time_bucket', 'to_variant_object', 'to_xml',
        'try_make_interval', 'try_parse_json', 'try_variant_array_append', 'try_variant_get',
        'try_variant_insert', 'try_variant_set', 'tuple_difference_double',
        'tuple_difference_integer', 'tuple_difference_theta_double',
        'tuple_difference_theta_integer', 'tuple_intersection_agg_double',
        'tuple_intersection_agg_integer', 'tuple_intersection_double', 'tuple_intersection_integer',
        'tuple_intersection_theta_double', 'tuple_intersection_theta_integer',
        'tuple_sketch_agg_double', 'tuple_sketch_agg_integer', 'tuple_sketch_estimate_double',
        'tuple_sketch_estimate_integer', 'tuple_sketch_summary_double',
        'tuple_sketch_summary_integer', 'tuple_sketch_theta_double', 'tuple_sketch_theta_integer',
        'tuple_union_agg_double', 'tuple_union_agg_integer', 'tuple_union_double',
        'tuple_union_integer', 'tuple_union_theta_double', 'tuple_union_theta_integer', 'udtf',
        'variant_array_append', 'variant_delete', 'variant_get', 'variant_insert', 'variant_set',
        'variant_strip_nulls', 'vector_avg', 'vector_sum',
    ),
    'AES encryption needs a cryptography library Sparklet does not depend on': (
        'aes_decrypt', 'aes_encrypt', 'try_aes_decrypt',
    ),
    'calls Java methods by reflection (needs the JVM)': (
        'java_method', 'reflect', 'try_reflect',
    ),
    "reads PySpark's source-tree test files (python/test_support) as Hadoop file blocks": (
        'input_file_block_length', 'input_file_block_start',
    ),
    "the file a row was read from is not tracked: input_file_name() gives ''": (
        'input_file_name',
    ),
    ("the examples add and divide interval types (INTERVAL literals, make_interval), "
     "not part of Sparklet"): (
        'try_add', 'try_divide', 'try_multiply', 'try_subtract',
    ),
    "needs pyspark.ml's VectorUDT (pyspark.ml is not part of Sparklet)": (
        'unwrap_udt',
    ),
    "XPath over XML text (the JVM's javax.xml) is not part of Sparklet": (
        'xpath', 'xpath_boolean', 'xpath_double', 'xpath_float', 'xpath_int', 'xpath_long',
        'xpath_number', 'xpath_short', 'xpath_string',
    ),
    ("Java's StrictMath (fdlibm) rounds some results one unit in the last place differently "
     "from the C math library Sparklet computes with (exp(1), cosh(1), log2(3))"): (
        'cosh', 'exp', 'log2',
    ),
    "the TIME type (Spark 4.1's time(n): TIME literals, casts and functions) is not part of "
    "Sparklet; make_timestamp's field forms are, but their docstrings go on to date + time forms": (
        'make_time', 'make_timestamp', 'make_timestamp_ntz', 'time_diff', 'time_from_micros',
        'time_from_millis', 'time_from_seconds', 'time_to_micros', 'time_to_millis', 'time_to_seconds',
        'time_trunc', 'to_time', 'try_make_timestamp', 'try_to_time',
    ),
    "nanosecond timestamps (spark.sql.timestampNanosTypes.enabled, TIMESTAMP_NTZ(9)) are not part "
    "of Sparklet, whose timestamps hold microseconds as Spark's default types do": (
        'timestamp_nanos', 'unix_nanos',
    ),
    "session windows (session_window: rows merged into sessions by a gap, per key) are not part "
    "of Sparklet; window() time buckets are": (
        'session_window',
    ),
    "DataFrame, Column, GroupedData or SparkSession API outside issue 17's list": (
        "Column.outer", "DataFrame.__dir__",
        "DataFrame._ipython_key_completions_", "DataFrame._joinAsOf",
        "DataFrame.asTable",
        "DataFrame.exists",
        "DataFrame.lateralJoin",
        "DataFrame.nearestByJoin", "DataFrame.observe",
        "DataFrame.repartitionById",
        "DataFrame.sameSemantics", "DataFrame.scalar",
        "DataFrame.zip", "DataFrame.zipWithIndex",
        "DataFrameWriter.clusterBy",
        "SparkSession.tvf",
    ),
    "pandas-on-Spark and plotting (outside issue 17's list)": (
        "DataFrame.pandas_api", "DataFrame.plot",
    ),
    "Structured Streaming (readStream, writeStream, watermarks) is not part of Sparklet": (
        "DataFrame.dropDuplicatesWithinWatermark", "DataFrame.isStreaming", "DataFrame.withWatermark",
        "DataFrame.writeStream", "SparkSession.readStream",
    ),
    "insertInto a catalog table is not part of Sparklet (saveAsTable and DROP TABLE are)": (
        "DataFrameWriter.insertInto",
    ),
    "the xml data source is a JVM module; Sparklet raises saying so": (
        "DataFrameReader.xml", "DataFrameWriter.xml",
    ),
    "Spark Connect only (classic PySpark raises for it too)": (
        "SparkSession.registerProgressHandler",
    ),
    "documents PySpark's internal classproperty descriptor, not a Spark API": (
        "SparkSession.builder", "classproperty",
    ),
    "PySpark marks every example of it +SKIP, so there is nothing to run": (
        'days', 'hours', 'months', 'years',
        "DataFrame.semanticHash", "DataFrameReader.changes", "SparkSession.Builder.remote",
        "SparkSession.__enter__", "SparkSession.__exit__", "SparkSession.stop",
    ),
}

# Docstrings whose examples run up to the first one that uses something Sparklet does not offer
# (the later ones depend on it): (reason, marker in that example's source). Every docstring of
# issue 17's own list passes, apart from these tails.
PARTIAL_OUT_OF_SCOPE = {
    "Column.isin": ("isin() of a DataFrame (an IN subquery) is outside issue 17's list",
                    "isin(spark.range"),
    "GroupedData.agg": ("pandas UDFs are outside issue 17's list", "pandas_udf"),
    "udf": ("pandas and Arrow UDFs (udf with type hints, PandasUDFType) are outside issue 17's list",
            "PandasUDFType"),
    "to_json": ("variant values (parse_json) are not part of Sparklet", "sf.parse_json"),
    "hour": ("the TIME type (Spark 4.1's time(6)) is not part of Sparklet", 'cast("time")'),
    "minute": ("the TIME type (Spark 4.1's time(6)) is not part of Sparklet", 'cast("time")'),
    "second": ("the TIME type (Spark 4.1's time(6)) is not part of Sparklet", 'cast("time")'),
}

for _reason, _names in OUT_OF_SCOPE.items():
    EXCLUDED.update((_name, (_reason, None)) for _name in _names)
EXCLUDED.update(PARTIAL_OUT_OF_SCOPE)

# PySpark reports errors raised on the JVM side of a job as py4j's Py4JJavaError; Sparklet has no
# JVM, so where an example expects that error any exception is accepted (one must still be raised).
JVM_ERROR = re.compile(r"^(py4j\.protocol\.)?Py4JJavaError\b")
ANY_EXCEPTION = "<any exception: PySpark raises Py4JJavaError here>\n"
# The package name where it names the package (imports, dotted paths, reprs), not the word
# "pyspark" as data: `lower('PySpark')` shows `pyspark` in its table.
PACKAGE = re.compile(r"\bpyspark(\.core)?(?=\.)|(?<=from )pyspark\b|(?<=import )pyspark\b")
DOCSTRING_TIMEOUT_S = 120


def pyspark_module_name(candidates):
    for name in candidates:
        try:
            importlib.import_module(name)
            return name
        except ImportError:
            continue
    raise ImportError(f"none of {candidates} is importable")


def short_name(test_name, module_name):
    return test_name[len(module_name) + 1:] if test_name != module_name else test_name.split(".")[-1]


def find_docstrings(module_name):
    """The pyspark module's docstrings that hold examples, by short name."""
    module = importlib.import_module(module_name)
    tests = doctest.DocTestFinder().find(module)
    return {short_name(t.name, module_name): t for t in tests if t.examples}


def to_sparklet(text):
    return PACKAGE.sub("sparklet", text) if text else text


class SparkletChecker(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        if want == ANY_EXCEPTION:
            return True
        return super().check_output(want, got, optionflags)


def retarget(test, name, globs, whole=False):
    """Point a pyspark DocTest at Sparklet; returns the number of examples excluded (none when
    `whole`: the excluded examples run too)."""
    _, marker = EXCLUDED.get(name, (None, None)) if not whole else (None, None)
    examples = []
    for example in test.examples:
        if marker is not None and marker in example.source:
            break
        example.source = to_sparklet(example.source)
        example.want = to_sparklet(example.want)
        if example.exc_msg is not None:
            example.exc_msg = ANY_EXCEPTION if JVM_ERROR.match(example.exc_msg) else to_sparklet(example.exc_msg)
        examples.append(example)
    excluded = len(test.examples) - len(examples)
    test.examples = examples
    test.globs = globs
    return excluded


class DocstringTimeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise DocstringTimeout(f"docstring still running after {DOCSTRING_TIMEOUT_S} s")


def run_in_this_process(pyspark_name, names, results_path, whole=False):
    """The subprocess side: run the named docstrings of one module against Sparklet (`whole`:
    every example, the excluded ones included)."""
    sparklet_name, master = next((s, m) for c, s, m in MODULES if pyspark_name in c)
    docstrings = find_docstrings(pyspark_name)
    own_context = any(n in OWN_CONTEXT for n in names)
    results = {}
    sc = None
    checkpoint_dir = tempfile.TemporaryDirectory(prefix="sparklet-doctest-checkpoints")
    try:
        sparklet_module = importlib.import_module(sparklet_name)
        namespace = dict(vars(sparklet_module))
        # Examples run as user code does: functions they define live in __main__.
        namespace["__name__"] = "__main__"
        if master is not None and not own_context:
            from sparklet import SparkContext

            sc = SparkContext(master, "doctests " + sparklet_name)
            sc.setCheckpointDir(checkpoint_dir.name)
            namespace["sc"] = sc
            # The broadcast and taskcontext examples reach the context through a SparkSession;
            # `sparkContext` is the only attribute they use.
            namespace["spark"] = types.SimpleNamespace(sparkContext=sc)
            if pyspark_name.startswith(SQL_PREFIX):
                import sparklet.sql

                namespace["spark"] = sparklet.sql.SparkSession.builder.getOrCreate()
        signal.signal(signal.SIGALRM, _on_alarm)
        for name in names:
            test = docstrings[name]
            excluded = retarget(test, name, dict(namespace), whole)
            report = io.StringIO()
            flags = doctest.ELLIPSIS
            if pyspark_name.startswith(SQL_PREFIX):
                flags |= doctest.NORMALIZE_WHITESPACE
            runner = doctest.DocTestRunner(checker=SparkletChecker(), optionflags=flags, verbose=False)
            signal.alarm(DOCSTRING_TIMEOUT_S)
            try:
                outcome = runner.run(test, out=report.write, clear_globs=True)
            finally:
                signal.alarm(0)
            results[name] = {
                "failed": outcome.failed,
                "tried": outcome.attempted,
                "excluded": excluded,
                "report": report.getvalue(),
            }
    except BaseException as error:  # noqa: BLE001 - reported to the parent as the failure text
        import traceback

        for name in names:
            results.setdefault(
                name,
                {"failed": 1, "tried": 0, "excluded": 0, "report": traceback.format_exc()},
            )
        if not isinstance(error, Exception):
            raise
    finally:
        from sparklet import SparkContext

        active = SparkContext._active_spark_context
        if active is not None:
            active.stop()
        checkpoint_dir.cleanup()
        with open(results_path, "w") as out:
            json.dump(results, out)


def run_in_subprocess(pyspark_name, names, whole=False):
    with tempfile.TemporaryDirectory(prefix="sparklet-doctests") as tmp:
        results_path = os.path.join(tmp, "results.json")
        # PySpark's own test runner fixes the driver's string hashing the same way.
        env = dict(os.environ, PYTHONHASHSEED="0")
        completed = subprocess.run(
            [sys.executable, __file__, results_path, pyspark_name, *(["--whole"] if whole else []), *names],
            env=env,
            capture_output=True,
            text=True,
            timeout=len(names) * DOCSTRING_TIMEOUT_S + 120,
        )
        if not os.path.exists(results_path):
            failure = f"doctest process exited {completed.returncode}:\n{completed.stderr[-4000:]}"
            return {n: {"failed": 1, "tried": 0, "excluded": 0, "report": failure} for n in names}
        with open(results_path) as f:
            return json.load(f)


class Tally:
    """Outcomes of the docstrings run so far, for the end-of-session summary."""

    def __init__(self):
        self.outcomes = {}
        self.excluded = {}
        for candidates, _, _ in MODULES:
            module_name = pyspark_module_name(candidates)
            for name, test in find_docstrings(module_name).items():
                reason, marker = EXCLUDED.get(name, (None, None))
                if reason is not None:
                    count = len(test.examples)
                    if marker is not None:
                        sources = [e.source for e in test.examples]
                        count -= next(i for i, s in enumerate(sources) if marker in s)
                    self.excluded[f"{module_name}.{name}"] = (reason, count, marker is None)

    def record(self, qualified_name, result):
        self.outcomes[qualified_name] = result

    def counts(self):
        whole = [e for e in self.excluded.values() if e[2]]
        return {
            "passed": sum(1 for r in self.outcomes.values() if not r["failed"]),
            "failed": sum(1 for r in self.outcomes.values() if r["failed"]),
            "excluded": len(whole),
            "examples_run": sum(r["tried"] for r in self.outcomes.values()),
            "examples_excluded": sum(e[1] for e in self.excluded.values()),
        }

    def failures(self):
        for name, result in sorted(self.outcomes.items()):
            if result["failed"]:
                yield name, first_failure(result["report"])

    def exclusions(self):
        for name, (reason, count, whole) in sorted(self.excluded.items()):
            scope = "whole docstring" if whole else f"last {count} examples"
            yield name, f"{reason} ({scope})"


def first_failure(report):
    """The first failing example and what it produced, in one line, for the summary."""
    lines = [line.strip() for line in report.splitlines() if line.strip()]
    if "Failed example:" not in lines:
        return lines[-1][:200] if lines else "no report"
    start = lines.index("Failed example:") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("*****")), len(lines))
    block = lines[start:end]
    if "Exception raised:" in block:
        got = block[-1]
    elif "Got:" in block:
        got = "got " + block[block.index("Got:") + 1] if block.index("Got:") + 1 < len(block) else "got nothing"
    else:
        got = block[-1]
    return f"{block[0][:100]} -> {got[:160]}"


def collect_params():
    params = []
    for candidates, _, _ in MODULES:
        module_name = pyspark_module_name(candidates)
        for name in find_docstrings(module_name):
            reason, marker = EXCLUDED.get(name, (None, None))
            if reason is None or marker is not None:
                params.append(pytest.param(module_name, name, id=f"{module_name}.{name}"))
    return params


@pytest.fixture(scope="module")
def module_results(request):
    """Runs each pyspark module's docstrings in a subprocess on first use; caches the results."""
    cache = {}
    if getattr(request.config, "pyspark_doctest_tally", None) is None:
        request.config.pyspark_doctest_tally = Tally()

    def results_for(module_name, name):
        if name in OWN_CONTEXT:
            key = (module_name, name)
            names = [name]
        else:
            key = (module_name, None)
            names = [n for n in find_docstrings(module_name) if n not in OWN_CONTEXT
                     and (n not in EXCLUDED or EXCLUDED[n][1] is not None)]
        if key not in cache:
            cache[key] = run_in_subprocess(module_name, names)
        return cache[key][name]

    return results_for


@pytest.mark.parametrize("module_name,name", collect_params())
def test_pyspark_docstring(module_name, name, module_results, request):
    result = module_results(module_name, name)
    request.config.pyspark_doctest_tally.record(f"{module_name}.{name}", result)
    assert not result["failed"], result["report"]
    assert result["tried"] > 0, f"no example of {name} ran"


def test_every_exclusion_names_a_docstring_that_exists():
    """An exclusion whose docstring is gone (renamed in a new pyspark) must not hide silently."""
    known = set()
    for candidates, _, _ in MODULES:
        known.update(find_docstrings(pyspark_module_name(candidates)))
    assert sorted(set(EXCLUDED) - known) == []
    assert OWN_CONTEXT <= known


def partial_params():
    """(module, name) of each docstring excluded from an example on."""
    params = []
    for candidates, _, _ in MODULES:
        module_name = pyspark_module_name(candidates)
        for name in find_docstrings(module_name):
            if name in PARTIAL_OUT_OF_SCOPE:
                params.append(pytest.param(module_name, name, id=f"{module_name}.{name}"))
    return params


@pytest.fixture(scope="module")
def whole_results():
    """Each module's partly excluded docstrings run whole, one subprocess per module, on first use."""
    cache = {}

    def results_for(module_name, name):
        if module_name not in cache:
            names = [n for n in find_docstrings(module_name) if n in PARTIAL_OUT_OF_SCOPE]
            cache[module_name] = run_in_subprocess(module_name, names, whole=True)
        return cache[module_name][name]

    return results_for


@pytest.mark.parametrize("module_name,name", partial_params())
def test_excluded_tail_still_fails(module_name, name, whole_results):
    """An exclusion must not outlive its reason: a docstring that passes whole leaves
    PARTIAL_OUT_OF_SCOPE (and counts among the passing docstrings)."""
    result = whole_results(module_name, name)
    assert result["failed"], f"{name} passes whole now: remove it from PARTIAL_OUT_OF_SCOPE"


if __name__ == "__main__":
    whole = sys.argv[3:4] == ["--whole"]
    run_in_this_process(sys.argv[2], sys.argv[4:] if whole else sys.argv[3:], sys.argv[1], whole)
