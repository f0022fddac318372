"""sparklet-submit runs a PySpark-style script with spark-submit's options as SparkConf defaults."""

import subprocess
import sys
import textwrap


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
