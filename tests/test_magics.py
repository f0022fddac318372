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
        text = stream_text(ok(kc, code))
        for name in ("%%configure", "%%info", "%%logs", "%%cleanup", "%%delete", "%%local", "%spark dag"):
            assert name in text
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
