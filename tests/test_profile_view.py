"""PySpark's profiler API on Sparklet, and the kernel's per-job profile view (``%spark profile``)."""

import contextlib
import pstats
import re
import textwrap

import pytest

from kernel_harness import execute, running_kernel
from test_faults import own_contexts


@contextlib.contextmanager
def context(**conf):
    from sparklet import SparkConf, SparkContext

    with own_contexts():
        sc = SparkContext("local[2]", "profiled", conf=SparkConf().setAll(list(conf.items())))
        try:
            yield sc
        finally:
            sc.stop()


@pytest.fixture
def profiled_sc():
    with context(**{"spark.python.profile": "true"}) as sc:
        yield sc


def slow_square(x):
    total = 0
    for _ in range(300):
        total += x * x
    return total // 300


def test_show_and_dump_profiles_in_pysparks_format(profiled_sc, tmp_path, capsys):
    rdd = profiled_sc.parallelize(range(200), 2).map(slow_square)
    assert rdd.sum() == sum(x * x for x in range(200))
    profiled_sc.show_profiles()
    out = capsys.readouterr().out
    header = re.search(r"={60}\nProfile of RDD<id=(\d+)>\n={60}\n", out)
    assert header is not None, out
    assert "Ordered by: internal time, cumulative time" in out
    # directories stripped, as PySpark prints them: file:line(function)
    assert re.search(r"\s200\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+ test_profile_view\.py:\d+\(slow_square\)", out)
    profiled_sc.show_profiles()  # each profile is shown once
    assert capsys.readouterr().out == ""
    profiled_sc.dump_profiles(str(tmp_path))
    dumped = tmp_path / ("rdd_%s.pstats" % header.group(1))
    stats = pstats.Stats(str(dumped))
    calls = {func[2]: entry[1] for func, entry in stats.stats.items()}
    assert calls["slow_square"] == 200


def test_the_job_view_counts_each_jobs_own_tasks(profiled_sc):
    from sparklet_kernel import profile_view

    profile_view.watch(profiled_sc)
    rdd = profiled_sc.parallelize(range(100), 4).map(slow_square)
    rdd.collect()
    rdd.collect()  # the same PipelinedRDD again: its profile keeps growing, the job's view must not
    profiled_sc.listenerBus.waitUntilEmpty()
    profiles = profiled_sc._job_profiles
    first, second = sorted(profiles.attempts)[-2:]
    views = [profile_view.job_profile(profiled_sc, None, job) for job in (first, second)]
    for view in views:
        assert view.rows[0]["function"] == "slow_square" and view.rows[0]["calls"] == 100
        assert view.num_tasks == 4
        assert all(r["where"].startswith("test_profile_view.py:") for r in view.rows)
    assert "slow_square" in views[1]._repr_html_()


def test_profiling_off_says_how_to_turn_it_on():
    from IPython.core.error import UsageError
    from sparklet_kernel import profile_view

    with context() as sc:
        profile_view.watch(sc)
        with pytest.raises(UsageError, match="spark.python.profile"):
            profile_view.job_profile(sc, None)
        with pytest.raises(RuntimeError, match=r"INCORRECT_CONF_FOR_PROFILE"):
            sc.show_profiles()


def test_spark_profile_magic_in_the_kernel(tmp_path):
    with running_kernel(tmp_path) as (km, kc):
        reply, _ = execute(kc, '%%configure -f\n{"conf": {"spark.python.profile": "true"}}', timeout=120)
        assert reply["status"] == "ok", reply
        reply, _ = execute(kc, textwrap.dedent("""
            def weigh(word):
                return sum(ord(c) for c in word * 50)
            words = sc.parallelize(["to be or not to be"] * 500, 2).flatMap(str.split)
            sorted(words.map(lambda w: (w, weigh(w))).reduceByKey(max).collect())
        """))
        assert reply["status"] == "ok", reply
        reply, msgs = execute(kc, "%spark profile")
        assert reply["status"] == "ok", reply
        shown = [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"]
        assert shown, msgs
        text, page = shown[-1]["text/plain"], shown[-1]["text/html"]
        rows = text.splitlines()[2:]
        # the hottest line is the generator inside weigh (line 2 of the cell); weigh is listed too
        assert re.search(r"<genexpr> \(<cell \d+>:2\)$", rows[0]), text
        assert any(re.search(r"\s3000  weigh \(<cell \d+>:1\)$", row) for row in rows), text
        assert "hottest user functions of 4 tasks" in text
        assert 'class="sparklet-profile"' in page and "weigh" in page
        reply, msgs = execute(kc, "%spark profile 99")
        assert reply["status"] == "error" and "no profile of job 99" in reply["evalue"]
