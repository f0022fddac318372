"""sparklet-submit runs a PySpark-style script with spark-submit's options as SparkConf defaults."""

import subprocess
import sys
import textwrap

import pytest

import main_classes


def run_submit(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "sparklet.submit", *args], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)


def test_options_become_conf_defaults_and_arguments_reach_the_script(tmp_path):
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent("""
        import sys
        from sparklet import SparkConf, SparkContext
        sc = SparkContext(conf=SparkConf())
        print(sc.master, sc.appName, sc.getConf().get("spark.executor.memory"), sys.argv[1:])
        print(sc.parallelize(range(10), 2).map(lambda x: x * x).sum())
        sc.stop()
    """))
    result = run_submit(tmp_path, "--master", "local[2]", "--name", "squares", "--conf",
                        "spark.executor.memory=512m", str(script), "one", "two")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["local[2] squares 512m ['one', 'two']", "285"]


def test_task_prints_reach_the_terminal_tagged_with_stage_and_partition(tmp_path):
    script = tmp_path / "prints.py"
    script.write_text(textwrap.dedent("""
        import sys
        from pyspark import SparkContext
        sc = SparkContext()
        sc.parallelize(["a", "b", "c", "d"], 2).foreach(print)
        sc.parallelize([1], 1).foreach(lambda x: print("oops", x, file=sys.stderr))
        print("driver")
        sc.stop()
    """))
    result = run_submit(tmp_path, "--master", "local[2]", str(script))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "driver"  # the driver's own prints stay as they are
    assert sorted(lines[:-1]) == ["[stage 0, partition 0] a", "[stage 0, partition 0] b",
                                  "[stage 0, partition 1] c", "[stage 0, partition 1] d"]
    assert "[stage 1, partition 0] oops 1" in result.stderr.splitlines()


def test_bad_conf_and_missing_script_are_usage_errors(tmp_path):
    bad = run_submit(tmp_path, "--conf", "novalue", "job.py")
    assert bad.returncode == 2 and "--conf takes KEY=VALUE, got 'novalue'" in bad.stderr
    missing = run_submit(tmp_path, "nowhere.py")
    assert missing.returncode == 2 and "no such script: nowhere.py" in missing.stderr


def test_a_pyspark_script_runs_unchanged_and_says_what_sparklet_lacks(tmp_path):
    script = tmp_path / "wordcount.py"
    script.write_text(textwrap.dedent("""
        from pyspark import SparkConf, SparkContext
        import sparklet
        sc = SparkContext(conf=SparkConf())
        print(type(sc) is sparklet.SparkContext)
        words = sc.parallelize(["a b", "b c", "c"], 2).flatMap(str.split)
        print(sorted(words.map(lambda w: (w, 1)).reduceByKey(lambda x, y: x + y).collect()))
        sc.stop()
        import pyspark.ml
    """))
    result = run_submit(tmp_path, "--master", "local[2]", str(script))
    assert result.stdout.splitlines() == ["True", "[('a', 1), ('b', 2), ('c', 2)]"]
    assert result.returncode == 1
    assert ("No module named 'pyspark.ml': Sparklet implements PySpark's RDD, DataFrame and SQL APIs (pyspark.ml "
            "is not part of them). To use real PySpark, run the script with spark-submit instead.") in result.stderr


@pytest.mark.pyspark
def test_a_script_record_class_travels_with_its_records_as_in_pyspark(tmp_path):
    # In a script, plain pickle would write the record class as a reference to `__main__.Vector`,
    # which an executor cannot resolve; PySpark's cloudpickle ships the class itself.
    path = tmp_path / "vectors.py"
    path.write_text(main_classes.script())
    ours = run_submit(tmp_path, "--master", "local[2]", str(path))
    assert ours.returncode == 0, ours.stderr
    assert "accumulated [4.0, 3.5, 8.0] Vector" in ours.stdout
    assert ours.stdout == main_classes.run_on_pyspark(path, tmp_path)


def test_a_broadcast_of_a_script_class_reaches_the_tasks(tmp_path):
    # PySpark pickles broadcasts with plain pickle and fails here; Sparklet ships the class.
    path = tmp_path / "broadcast.py"
    path.write_text(textwrap.dedent("""
        from pyspark import SparkContext

        class Offset:
            def __init__(self, by):
                self.by = by

        sc = SparkContext("local[2]", "broadcast")
        offset = sc.broadcast(Offset(10))
        print(sc.parallelize([1, 2, 3], 2).map(lambda x: x + offset.value.by).collect())
        sc.stop()
    """))
    result = run_submit(tmp_path, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[11, 12, 13]\n"
