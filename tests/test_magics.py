"""sparkmagic's session magics on the Sparklet kernel, driven through jupyter_client: what each one
prints and does, its --help, and the errors for bad options and bad JSON."""

import pytest

from kernel_harness import execute, job_displays, result_text, running_kernel, stream_text

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    with running_kernel(tmp_path_factory.mktemp("sparklet-magics")) as (km, kc):
        yield km, kc


def ok(kc, code):
    reply, msgs = execute(kc, code)
    assert reply["status"] == "ok", reply
    return msgs


def error(kc, code):
    reply, msgs = execute(kc, code)
    assert reply["status"] == "error", (code, stream_text(msgs))
    return reply["evalue"]


def test_help_lists_the_magics_and_each_has_its_own_help(kernel):
    km, kc = kernel
    for code in ("%%help", "%help"):
        [data] = [m["content"]["data"] for m in ok(kc, code) if m["msg_type"] == "display_data"]
        text, html = data["text/plain"], data["text/html"]
        for name in ("%%configure", "%%info", "%%logs", "%%cleanup", "%%delete", "%%local", "%spark dag"):
            assert name in text and "<code>%s" % name in html
        # wrapped between words: every word of a description is whole on one line
        assert max(map(len, text.splitlines())) <= 88
        assert "recreate the session's SparkContext" in " ".join(text.split())
        assert "word-break:normal" in html and "white-space:normal" in html
    for name in ("configure", "info", "logs", "cleanup", "delete", "local", "help"):
        text = stream_text(ok(kc, "%%%s --help" % name))
        assert text.startswith("usage: %%" + name) and "-h, --help" in text
    assert "-f, --force" in stream_text(ok(kc, "%%configure --help"))
    assert "unrecognized arguments: --bogus" in error(kc, "%%info --bogus")
    assert "takes no cell body" in error(kc, "%%info\nprint(1)")


def test_configure_rejects_bad_json_and_bad_keys(kernel):
    km, kc = kernel
    assert "needs a JSON object" in error(kc, "%%configure -f")
    assert "not valid JSON" in error(kc, "%%configure -f\n{'name': 'single quotes'}")
    assert "expected a JSON object" in error(kc, "%%configure -f\n[1, 2]")
    evalue = error(kc, '%%configure -f\n{"executorMemroy": "1g"}')
    assert "unknown key 'executorMemroy'" in evalue and "executorMemory" in evalue
    assert "memory size" in error(kc, '%%configure -f\n{"executorMemory": "lots"}')
    assert "positive integer" in error(kc, '%%configure -f\n{"numExecutors": 0}')
    assert "backend must be one of sparklet, pyspark" in error(kc, '%%configure -f\n{"backend": "dask"}')
    assert "kind 'spark'" in error(kc, '%%configure -f\n{"kind": "spark"}')
    assert "conf must be an object" in error(kc, '%%configure -f\n{"conf": ["a"]}')
    assert "unrecognized arguments: -x" in error(kc, '%%configure -x\n{}')
    # nothing above touched the context
    assert result_text(ok(kc, "sc.parallelize(range(4)).sum()")) == "6"


def test_configure_recreates_the_context_only_with_force_once_jobs_ran(kernel):
    km, kc = kernel
    ok(kc, "old = sc\nsc.parallelize(range(3)).count()")
    evalue = error(kc, '%%configure\n{"name": "class-a"}')
    assert "already run" in evalue and "%%configure -f" in evalue
    assert result_text(ok(kc, "sc is old")) == "True"
    msgs = ok(kc, '%%configure -f\n{"name": "class-a", "numExecutors": 3, "executorMemory": "600m",'
                  ' "conf": {"spark.default.parallelism": 5}}')
    assert "stopped the previous SparkContext(master='local[2]'" in stream_text(msgs)
    assert "SparkContext(master='local[3]', appName='class-a') on the sparklet backend" in stream_text(msgs)
    msgs = ok(kc, "(sc is old, old._stopped, sc.master, sc.appName, len(sc.executors), "
                  "sc.getConf().get('spark.executor.memory'), sc.defaultParallelism)")
    assert result_text(msgs) == "(False, True, 'local[3]', 'class-a', 3, '600m', 5)"
    # a context that ran no job is replaced without -f
    msgs = ok(kc, '%%configure\n{"master": "local[2]"}')
    assert "SparkContext(master='local[2]'" in stream_text(msgs)


def test_info_shows_backend_executors_jobs_and_cached_rdds(kernel):
    km, kc = kernel
    ok(kc, "cached = sc.parallelize(range(1000), 4).map(lambda x: x * 2).setName('doubled').cache()\n"
           "cached.count(); cached.sum()")
    text = stream_text(ok(kc, "%%info"))
    assert "Backend:        sparklet" in text
    assert "Master:         local[2]" in text
    assert "Application:    " in text and "(local-" in text
    assert "Uptime:" in text
    jobs = int(text.split("Jobs run:")[1].split()[0])
    assert jobs >= 2
    assert "Executors:      2" in text and text.count("  executor ") == 2 and "cores 1" in text
    assert "Cached RDDs:    1" in text
    cached_line = [line for line in text.splitlines() if line.strip().startswith("RDD ")][0]
    assert "4/4 partitions" in cached_line and "in memory" in cached_line and "0 B in memory" not in cached_line


def test_logs_show_executor_logs_and_task_output_with_truncation_counts(kernel):
    km, kc = kernel
    ok(kc, "import os\n"
           "sc.parallelize(range(2), 2).foreach(lambda x: os.write(2, b'written to the executor log\\n'))\n"
           "sc.parallelize(range(6), 2).foreach(lambda x: print('task line', x))")
    text = stream_text(ok(kc, "%%logs"))
    assert text.count("Executor ") == 2
    assert "written to the executor log" in text
    assert "Task output: " in text and "task line 5" in text and "[stage " in text
    text = stream_text(ok(kc, "%logs -n 1"))
    assert "last 1 of 6 lines" in text or "last 1 of " in text.split("Task output:")[1]
    assert "Task output: last 1 of " in text
    assert "must be 0 or more" in error(kc, "%logs -n -1")
    assert "invalid int value" in error(kc, "%logs -n many")


def test_local_runs_the_cell_without_displays(kernel):
    km, kc = kernel
    msgs = ok(kc, "%%local\nx = sc.parallelize(range(10)).sum()\nx + 1")
    assert result_text(msgs) == "46"
    assert not job_displays(msgs)
    msgs = ok(kc, "sc.parallelize(range(10)).count()")
    assert job_displays(msgs)  # the next cell has its displays back
    assert "needs code" in error(kc, "%local")


def test_spark_cell_magic_shows_the_displays_even_with_progress_off(kernel):
    km, kc = kernel
    ok(kc, "%spark progress off")
    assert not job_displays(ok(kc, "sc.parallelize(range(10)).count()"))
    msgs = ok(kc, "%%spark\nsc.parallelize(range(10)).count()")
    assert result_text(msgs) == "10" and job_displays(msgs)
    assert not job_displays(ok(kc, "sc.parallelize(range(10)).count()"))  # still off
    ok(kc, "%spark progress on")
    assert job_displays(ok(kc, "sc.parallelize(range(10)).count()"))


def test_cleanup_and_delete_stop_the_context_and_configure_starts_a_new_one(kernel):
    km, kc = kernel
    assert "-f to confirm" in error(kc, "%%cleanup")
    assert "-f to confirm" in error(kc, "%%delete")
    msgs = ok(kc, "old = sc\nlocal_dir = sc._local_dir\npids = [p for _, p, _ in sc.executors]")
    text = stream_text(ok(kc, "%%cleanup -f"))
    assert "stopped SparkContext(master='local[2]'" in text
    msgs = ok(kc, "import os, time\ntime.sleep(0.5)\n"
                  "('sc' in globals(), old._stopped, os.path.exists(local_dir), "
                  "[p for p in pids if os.path.exists('/proc/%d' % p)])")
    assert result_text(msgs) == "(False, True, False, [])"
    assert "No SparkContext in this session" in stream_text(ok(kc, "%%info"))
    assert "No SparkContext to stop" in stream_text(ok(kc, "%%delete -f"))
    ok(kc, '%%configure\n{"master": "local[2]"}')
    assert result_text(ok(kc, "sc.parallelize(range(5)).sum()")) == "10"
    assert "stopped SparkContext" in stream_text(ok(kc, "%%delete -f"))
    ok(kc, '%%configure\n{"master": "local[2]"}')


def test_kernel_defaults_come_from_a_jupyter_config_file_and_the_environment(tmp_path):
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / "ipython_kernel_config.py").write_text(
        "c.SparkletKernel.master = 'local[3]'\n"
        "c.SparkletKernel.conf = {'spark.executor.memory': '700m'}\n")
    # the config file wins over SPARKLET_MASTER (set by the harness); SPARKLET_CONF adds to its conf
    env = {"IPYTHONDIR": str(tmp_path / "ipython"), "SPARKLET_CONF": '{"spark.default.parallelism": "7"}'}
    with running_kernel(tmp_path, env=env) as (km, kc):
        msgs = ok(kc, "sc.master, sc.getConf().get('spark.executor.memory'), sc.defaultParallelism")
        assert result_text(msgs) == "('local[3]', '700m', 7)"
        assert "Configured:     spark.default.parallelism=7, spark.executor.memory=700m" in stream_text(ok(kc, "%info"))


def test_a_bad_environment_configuration_is_reported_by_the_first_cell(tmp_path):
    with running_kernel(tmp_path, env={"SPARKLET_CONF": "{not json"}) as (km, kc):
        reply, msgs = execute(kc, "1 + 1")
        assert "SPARKLET_CONF is not valid JSON" in stream_text(msgs, "stderr")


def test_a_backend_switch_that_fails_keeps_the_running_context_and_says_why_in_one_line(tmp_path):
    broken = tmp_path / "broken" / "pyspark"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('this pyspark is broken on purpose')\n")
    with running_kernel(tmp_path) as (km, kc):
        ok(kc, "old = sc\nsc.parallelize(range(4)).cache().sum()")
        to_pyspark = '%%configure -f\n{"backend": "pyspark", "master": "local[1]"}'

        def still_on_sparklet():
            msgs = ok(kc, "import pyspark\n(sc is old, old._stopped, type(sc) is pyspark.SparkContext, "
                          "pyspark.__name__, sc.parallelize(range(4)).sum())")
            assert result_text(msgs) == "(True, False, True, 'sparklet', 6)"
            assert job_displays(msgs)

        # the pyspark that `import pyspark` finds once the alias is gone cannot be imported
        ok(kc, "import sys\nsys.path.insert(0, %r)" % str(broken.parent))
        evalue = error(kc, to_pyspark)
        assert evalue == ("could not switch to the pyspark backend (ImportError: this pyspark is broken on purpose); "
                          "still on SparkContext(master='local[2]', appName='sparklet-notebook') on the sparklet backend.")
        still_on_sparklet()
        # Apache Spark's pyspark, but no Java to start its JVM with
        ok(kc, "sys.path.remove(%r)\nimport os\nos.environ['JAVA_HOME'] = '/nonexistent-java'" % str(broken.parent))
        evalue = error(kc, to_pyspark)
        assert evalue.startswith("could not switch to the pyspark backend (") and "JAVA_GATEWAY_EXITED" in evalue
        assert evalue.endswith("still on SparkContext(master='local[2]', appName='sparklet-notebook') "
                               "on the sparklet backend.") and "\n" not in evalue
        still_on_sparklet()
        assert "Backend:        sparklet" in stream_text(ok(kc, "%%info"))
        # with Java the same switch works, and stops the old context only then
        ok(kc, "del os.environ['JAVA_HOME']")
        msgs = execute(kc, to_pyspark, timeout=240)[1]
        assert "stopped the previous SparkContext(master='local[2]'" in stream_text(msgs)
        assert "on the pyspark backend" in stream_text(msgs)
        msgs = ok(kc, "import pyspark\n(old._stopped, type(sc).__module__, pyspark.__name__, "
                      "pyspark.SparkContext is type(sc), sc.parallelize(range(4)).sum())")
        assert result_text(msgs) == "(True, 'pyspark.core.context', 'pyspark', True, 6)"
        # a switch back that the local engine refuses keeps Apache Spark's context, displays and all
        spark_sc = "spark_sc = sc"
        ok(kc, spark_sc)
        evalue = error(kc, '%%configure -f\n{"backend": "sparklet", "master": "yarn"}')
        assert evalue.startswith("could not switch to the sparklet backend (ValueError: Sparklet runs Spark's local "
                                 "master URLs") and evalue.endswith(
            "still on SparkContext(master='local[1]', appName='sparklet-notebook') on the pyspark backend.")
        msgs = ok(kc, "(sc is spark_sc, type(sc) is pyspark.SparkContext, sc.parallelize(range(5)).sum())")
        assert result_text(msgs) == "(True, True, 10)" and job_displays(msgs)
        msgs = ok(kc, '%%configure -f\n{"backend": "sparklet", "master": "local[2]"}')
        assert "on the sparklet backend" in stream_text(msgs)
        msgs = ok(kc, "import pyspark\n(spark_sc._jsc is None, pyspark.__name__, sc.parallelize(range(4)).sum())")
        assert result_text(msgs) == "(True, 'sparklet', 6)"
