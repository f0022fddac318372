"""Spark's bundled example scripts that use only the RDD API (and ``SparkSession.builder`` to get
their context) print under ``sparklet-submit`` what they print under ``spark-submit``.

The scripts are read from the installed pyspark package (``pyspark/examples/src/main/python``) at
test time; nothing of them is copied here. The small input files they take are written by the
test. Real Spark runs all of them in one ``spark-submit`` (one JVM start, each script as
``__main__`` in turn, as spark-submit would run it alone); Sparklet runs each with
``python -m sparklet.submit``, the ``sparklet-submit`` command.

Output is compared line by line, except where a script prints what no two runs share: ``pi.py``
draws unseeded random points (its estimate is compared with pi instead), ``logistic_regression.py``
starts from an unseeded random vector (numbers are compared as numbers of the same shape), and
``status_api_demo.py`` polls a running job once a second (each progress line must have one of the
shapes PySpark prints; the result line is compared exactly).

Scripts that read their input with ``spark.read.text`` need Sparklet's SQL layer: in a build
without ``sparklet.sql`` the test asserts that they stop with the alias's message naming
``pyspark.sql``, and compares their output once the layer is there.

The Spark SQL examples ``sql/basic.py`` and ``sql/datasource.py`` read
``examples/src/main/resources/...`` relative to their working directory, which the pip package
does not ship: ``write_example_resources`` writes small data of our own under that name (JSON,
text, CSV, Parquet and ORC written with pyarrow), in the directory both runs start in.
``datasource.py`` stops in its own ``text_dataset_example``: it writes CSV to ``output``, which
its ``csv_dataset_example`` already wrote, and Spark raises ``[PATH_ALREADY_EXISTS]``; so its JDBC
and XML sections are never reached under either. The test compares everything printed before
that and the error's message.
"""

import importlib.metadata
import importlib.util
import math
import os
import random
import re
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.pyspark

HERE = os.path.dirname(os.path.abspath(__file__))
ENGINE = os.path.join(HERE, os.pardir, "engine")
MASTER = "local[4]"
# transitive_closure.py unions its RDD with itself every round: without a default parallelism,
# each round's distinct() doubles the partitions (1022 tasks a stage by the end).
SUBMIT_OPTIONS = ["--master", MASTER, "--conf", "spark.default.parallelism=4"]
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+(?:e[-+]?\d+)")

# script -> (its arguments, "{name}" for the input files the fixture writes; whether it imports pyspark.sql)
EXAMPLES = {
    "pi.py": (["3"], True),
    "sort.py": (["{numbers}"], True),
    "transitive_closure.py": (["3"], True),
    "kmeans.py": (["{points}", "2", "0.01"], True),
    "logistic_regression.py": (["{labelled}", "3"], True),
    "status_api_demo.py": ([], False),
    "wordcount.py": (["{words}"], True),
    "pagerank.py": (["{links}", "3"], True),
    "sql/basic.py": ([], True),
    "sql/datasource.py": ([], True),
}
# scripts that stop with an error under spark-submit too: their last line is that error
FAILING = {"sql/datasource.py"}


def examples_dir():
    try:
        dist = importlib.metadata.distribution("pyspark")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("Apache Spark's pyspark package is not installed")
    return str(dist.locate_file("pyspark/examples/src/main/python"))


def has_session():
    """Whether this build has the SQL layer the examples' SparkSession.builder comes from."""
    return importlib.util.find_spec("sparklet.sql") is not None


def write_example_resources(root):
    """The files the SQL examples read, as ``<root>/examples/src/main/resources/...``.

    ``dir1`` holds only Parquet files: a file of another format there would make
    ``datasource.py``'s own ``modifiedBefore``/``modifiedAfter`` reads (made without
    ``ignoreCorruptFiles``) fail under spark-submit with a JVM stack trace, and the rest of the
    script would go unchecked. ``three.parquet`` is dated 2050-08-01 so that ``modifiedBefore`` and
    ``modifiedAfter`` each keep a different file; ``dir2`` is not a ``k=v`` directory, so only the
    recursive read sees ``two.parquet``.
    """
    import datetime
    import json

    import pyarrow as pa
    import pyarrow.orc as orc
    import pyarrow.parquet as pq

    resources = os.path.join(str(root), "examples", "src", "main", "resources")
    os.makedirs(os.path.join(resources, "dir1", "dir2"))
    people = [{"name": "Mina"}, {"name": "Ola", "age": 31}, {"name": "Jae", "age": 17}, {"name": "Kofi", "age": 17}]
    with open(os.path.join(resources, "people.json"), "w") as f:
        f.write("".join(json.dumps(p) + "\n" for p in people))
    with open(os.path.join(resources, "people.txt"), "w") as f:
        f.write("Mina, 24\nOla, 31\nJae, 17\n")
    with open(os.path.join(resources, "people.csv"), "w") as f:
        f.write("name;age;job\nRosa;41;Engineer\nTeo;28;Analyst\n")
    users = pa.table({"name": pa.array(["Ada", "Lin"]), "favorite_color": pa.array([None, "green"]),
                      "favorite_numbers": pa.array([[3, 7], []], pa.list_(pa.int32()))})
    pq.write_table(users, os.path.join(resources, "users.parquet"))
    orc.write_table(users, os.path.join(resources, "users.orc"))
    for name in ("one.parquet", "dir2/two.parquet", "three.parquet"):
        pq.write_table(pa.table({"file": [os.path.basename(name)]}), os.path.join(resources, "dir1", name))
    late = datetime.datetime(2050, 8, 1, tzinfo=datetime.timezone.utc).timestamp()
    os.utime(os.path.join(resources, "dir1", "three.parquet"), (late, late))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("example-inputs")
    rng = random.Random(21)
    numbers = d / "numbers.txt"
    numbers.write_text("\n".join(" ".join(str(rng.randrange(-50, 500)) for _ in range(rng.randrange(1, 9)))
                                 for _ in range(12)) + "\n")
    points = d / "points.txt"
    centres = [(0.0, 0.0, 0.0), (9.0, 9.0, 9.0)]
    points.write_text("\n".join(" ".join("%.2f" % (c + rng.uniform(-0.5, 0.5)) for c in centres[i % 2])
                                for i in range(20)) + "\n")
    labelled = d / "labelled.txt"
    rows = []
    for _ in range(40):
        label = rng.choice([-1, 1])
        rows.append(" ".join([str(label)] + ["%.4f" % (label * 0.6 + rng.gauss(0, 1)) for _ in range(10)]))
    labelled.write_text("\n".join(rows) + "\n")
    words = d / "words.txt"
    vocabulary = ["spark", "rdd", "stage", "task", "shuffle", "스파크", "job"]
    words.write_text("\n".join(" ".join(rng.choice(vocabulary) for _ in range(rng.randrange(0, 7)))
                               for _ in range(30)) + "\n")
    links = d / "links.txt"
    pages = ["url_%d" % i for i in range(6)]
    links.write_text("\n".join("%s %s" % (rng.choice(pages), rng.choice(pages)) for _ in range(25)) + "\n")
    return {"numbers": str(numbers), "points": str(points), "labelled": str(labelled), "words": str(words),
            "links": str(links)}


def arguments(script, inputs):
    return [a.format(**inputs) for a in EXAMPLES[script][0]]


@pytest.fixture(scope="module")
def spark_submit_outputs(inputs, tmp_path_factory):
    """stdout of each example under spark-submit, all run by one driver (one JVM start)."""
    directory = examples_dir()
    spark_submit = os.path.join(os.path.dirname(sys.executable), "spark-submit")
    if not os.path.exists(spark_submit):
        pytest.skip("spark-submit is not next to this interpreter")
    driver = tmp_path_factory.mktemp("spark-submit") / "run_examples.py"
    jobs = [(script, os.path.join(directory, script), arguments(script, inputs)) for script in EXAMPLES
            if not EXAMPLES[script][1] or has_session()]
    driver.write_text(textwrap.dedent("""
        import runpy, sys
        for name, path, args in %r:
            print("=== BEGIN " + name, flush=True)
            sys.argv = [path] + args
            try:
                runpy.run_path(path, run_name="__main__")
            except SystemExit:
                pass
            except Exception as e:
                print("=== ERROR " + type(e).__name__ + ": " + str(e).splitlines()[0], flush=True)
            print("=== END " + name, flush=True)
    """) % (jobs,))
    if has_session():
        write_example_resources(driver.parent)
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               PYTHONHASHSEED="0")
    env.pop("SPARK_HOME", None)
    proc = subprocess.run([spark_submit, *SUBMIT_OPTIONS, "--conf", "spark.ui.enabled=false", str(driver)],
                          capture_output=True, text=True, timeout=900, env=env, cwd=str(driver.parent))
    assert proc.returncode == 0, proc.stderr[-3000:]
    outputs = {}
    for block in proc.stdout.split("=== BEGIN ")[1:]:
        name, _, rest = block.partition("\n")
        outputs[name] = rest.split("=== END " + name)[0].replace(str(driver.parent), "<cwd>")
    return outputs


def sparklet_submit(script, inputs, tmp_path, merge_stderr=False):
    """Run an example under sparklet-submit. With ``merge_stderr`` its stderr goes into its stdout,
    as spark-submit's Python runner merges the driver's two streams into the one it prints (the
    examples' "WARN: This is a naive implementation" lines go to stderr)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([ENGINE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return subprocess.run([sys.executable, "-m", "sparklet.submit", *SUBMIT_OPTIONS,
                           os.path.join(examples_dir(), script)] + arguments(script, inputs),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
                          text=True, timeout=300, env=env, cwd=str(tmp_path))


def numbers_and_shape(text):
    # numpy pads an array's print with a space where a sign could stand: random values decide it
    shape = re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", " ".join(NUMBER.sub("<n>", text).split())))
    return [float(x) for x in NUMBER.findall(text)], shape


def assert_same_output(script, ours, theirs):
    if script == "pi.py":
        for out in (ours, theirs):
            estimate = re.fullmatch(r"Pi is roughly (\d+\.\d{6})\n", out)
            assert estimate and abs(float(estimate.group(1)) - math.pi) < 0.05, out
    elif script == "logistic_regression.py":
        (our_numbers, our_shape), (their_numbers, their_shape) = numbers_and_shape(ours), numbers_and_shape(theirs)
        assert our_shape == their_shape
        assert len(our_numbers) == len(their_numbers) and all(map(math.isfinite, our_numbers))
    elif script == "status_api_demo.py":
        progress = re.compile(r"Job 0 status:  (?:RUNNING|SUCCEEDED)|Stage ([01]): (\d+) tasks total \(\d+ active, \d+ complete\)")
        *our_progress, our_result = ours.splitlines()
        *their_progress, their_result = theirs.splitlines()
        assert our_result == their_result
        assert all(progress.fullmatch(line) for line in their_progress), their_progress
        assert our_progress and all(progress.fullmatch(line) for line in our_progress), our_progress

        def stage_sizes(lines):
            return {progress.fullmatch(line).groups() for line in lines if line.startswith("Stage")}

        assert stage_sizes(our_progress) == stage_sizes(their_progress)
    else:
        assert ours == theirs


@pytest.mark.parametrize("script", sorted(EXAMPLES))
def test_example_prints_what_spark_submit_prints(script, inputs, tmp_path, request):
    if EXAMPLES[script][1] and not has_session():
        # Sparklet without its SQL layer: the script must stop at once, saying what is missing.
        result = sparklet_submit(script, inputs, tmp_path)
        assert result.returncode == 1 and result.stdout == ""
        assert "No module named 'pyspark.sql': Sparklet implements PySpark's RDD API" in result.stderr
        return
    theirs = request.getfixturevalue("spark_submit_outputs")[script]
    if script.startswith("sql/"):
        write_example_resources(tmp_path)
    if script in FAILING:
        result = sparklet_submit(script, inputs, tmp_path)
        their_output, _, their_error = theirs.rpartition("=== ERROR ")
        assert their_error, "spark-submit ran %s to its end" % script
        assert result.returncode == 1, result.stderr[-3000:]
        error = result.stderr.strip().splitlines()[-1].replace(str(tmp_path), "<cwd>")
        # Sparklet's exception classes live in sparklet.errors, PySpark's in pyspark.errors
        qualified_name, _, message = error.partition(": ")
        assert qualified_name.rpartition(".")[2] + ": " + message == their_error.strip(), result.stderr[-3000:]
        assert_same_output(script, result.stdout, their_output)
        return
    result = sparklet_submit(script, inputs, tmp_path, merge_stderr=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert_same_output(script, result.stdout, theirs)
