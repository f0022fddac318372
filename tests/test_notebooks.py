"""The tutorial notebooks run on the Sparklet kernel and print what real PySpark prints.

Each notebook is executed headlessly with nbclient: on a plain ``python3`` kernel where ``from
pyspark import ...`` is Apache Spark itself (cells tagged ``sparklet-only`` are removed there), on
the ``sparklet`` kernel, and (the English editions) on the ``sparklet`` kernel's pyspark backend,
where ``sc`` is Apache Spark's and only the cells tagged ``sparklet-engine`` (they reach into
Sparklet's executor processes) are removed. No run may produce an error, and every code cell that
also ran on plain PySpark must print the same stdout and the same ``text/plain`` result as there.
On the pyspark backend, the job displays must also show each job's stages and reach their task
totals. The Korean editions share their code with the English ones, so they are compared with the
English PySpark run.
"""

import functools
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))
import build_notebooks  # noqa: E402
from cell import SPARKLET_ENGINE, SPARKLET_ONLY  # noqa: E402
from kernel_harness import JOBS_MIME  # noqa: E402

ENGLISH = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
KOREAN = sorted((NOTEBOOKS / "ko").glob("[0-9][0-9]-*.ipynb"))


def _tags(cell):
    return cell.metadata.get("tags", [])


def _execute(nb, kernel_name, cwd, **env_vars):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable, **env_vars)
    # Real Spark only: no web UI and no console progress bars (they print nothing a cell compares
    # but cost start-up time and flood stderr), and the JVM's quick JIT tier only, which halves the
    # driver's start-up on two busy cores. The notebooks' own code stays untouched.
    env["PYSPARK_SUBMIT_ARGS"] = (
        "--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false "
        "--driver-java-options -XX:TieredStopAtLevel=1 pyspark-shell")
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=180,
        startup_timeout=120,
        allow_errors=True,
        resources={"metadata": {"path": str(cwd)}},
        on_cell_executed=_keep_failed_reply,
    )
    client.execute(env=env)
    return nb


def _keep_failed_reply(cell, cell_index, execute_reply):
    # a magic's UsageError fails the cell but is printed to stderr, not sent as an error output
    content = execute_reply["content"]
    if content["status"] != "ok" and not any(o.output_type == "error" for o in cell.outputs):
        cell.outputs.append(nbformat.v4.new_output(
            "error", ename=content.get("ename", content["status"]), evalue=content.get("evalue", ""), traceback=[]))


def _errors(nb):
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"{cell.source[:80]!r}: {output.ename}: {output.evalue}")
    return found


def _assert_prints_what_pyspark_prints(ran, name):
    reference = [c for c in pyspark_run(name).cells if c.cell_type == "code"]
    compared = [c for c in ran.cells if c.cell_type == "code" and SPARKLET_ONLY not in _tags(c)]
    assert [c.source for c in compared] == [c.source for c in reference]
    for cell, expected in zip(compared, reference):
        assert _driver_output(cell) == _driver_output(expected), cell.source


def _driver_output(cell):
    """What the program printed (stdout) and the cell's result, the parts PySpark also produces.

    Lines starting with "Sparklet: " are the kernel's own notices (a cell's context replacing the
    kernel's), not the program's output.
    """
    stdout = "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == "stdout")
    stdout = "".join(line for line in stdout.splitlines(keepends=True) if not line.startswith("Sparklet: "))
    results = [o.data.get("text/plain", "") for o in cell.outputs if o.output_type == "execute_result"]
    return stdout, results


@functools.lru_cache(maxsize=None)
def pyspark_run(name):
    """The English notebook ``name`` executed on real PySpark, without its sparklet-only cells."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells = [c for c in nb.cells if SPARKLET_ONLY not in _tags(c)]
    return _execute(nb, "python3", NOTEBOOKS)


def sparklet_run(path):
    nb = nbformat.read(path, as_version=4)
    return _execute(nb, "sparklet", path.parent)


def pyspark_backend_run(path):
    """The notebook on the Sparklet kernel with Apache Spark's `sc`, without its sparklet-engine cells."""
    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c in nb.cells if SPARKLET_ENGINE not in _tags(c)]
    return _execute(nb, "sparklet", path.parent, SPARKLET_BACKEND="pyspark")


def _jobs_displayed(nb):
    """Every job of every job display, in its final state (nbclient applies a display's updates
    to the output that display created)."""
    return [job for cell in nb.cells for o in cell.get("outputs", [])
            if o.output_type == "display_data" and JOBS_MIME in o.data for job in o.data[JOBS_MIME]["jobs"]]


def test_series_is_complete():
    assert [p.name[:2] for p in ENGLISH] == [f"{i:02d}" for i in range(1, 11)]
    assert [p.name for p in KOREAN] == [p.name for p in ENGLISH[:5] + ENGLISH[8:]]


def test_notebooks_are_current_with_their_sources():
    for path, built in build_notebooks.notebooks():
        saved = nbformat.read(path, as_version=4)
        assert saved == built, f"{path} differs from its source: run python notebooks/build_notebooks.py"
        assert all(not c.get("outputs") for c in saved.cells if c.cell_type == "code")


def test_korean_editions_share_the_english_code():
    for path in KOREAN:
        ko = nbformat.read(path, as_version=4)
        en = nbformat.read(NOTEBOOKS / path.name, as_version=4)
        assert [c.source for c in ko.cells if c.cell_type == "code"] == [
            c.source for c in en.cells if c.cell_type == "code"
        ]


def test_sparklet_only_cells_stay_few():
    engine_cells = 0
    for path in ENGLISH:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        marked = [c for c in code if SPARKLET_ONLY in _tags(c)]
        assert len(marked) <= max(3, len(code) // 4), path.name
        # a cell that only runs on Sparklet's own engine is a Sparklet-only cell too
        engine = [c for c in code if SPARKLET_ENGINE in _tags(c)]
        assert all(SPARKLET_ONLY in _tags(c) for c in engine), path.name
        engine_cells += len(engine)
    assert engine_cells <= 2


@pytest.mark.pyspark
@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_runs_on_pyspark_without_errors(path):
    assert _errors(pyspark_run(path.name)) == []


@pytest.mark.pyspark
@pytest.mark.parametrize("path", ENGLISH + KOREAN, ids=lambda p: p.parent.name + "/" + p.stem)
def test_runs_on_sparklet_like_on_pyspark(path):
    ran = sparklet_run(path)
    assert _errors(ran) == []
    _assert_prints_what_pyspark_prints(ran, path.name)


@pytest.mark.pyspark
@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_runs_on_the_pyspark_backend_like_on_pyspark_with_its_jobs_displayed(path):
    ran = pyspark_backend_run(path)
    assert _errors(ran) == []
    _assert_prints_what_pyspark_prints(ran, path.name)
    jobs = _jobs_displayed(ran)
    assert jobs, "no job display"
    for job in jobs:
        stages = [(s["status"], s["completed"], s["numTasks"]) for s in job["stages"]]
        assert stages, job["description"]
        if job["status"] == "succeeded":
            assert job["numCompletedTasks"] == job["numTasks"] > 0, (job["description"], stages)
            assert all(status == "skipped" or (status == "complete" and done == total > 0)
                       for status, done, total in stages), (job["description"], stages)
        else:  # the lessons' failing jobs, and nothing left running once its cell has ended
            assert job["status"] == "failed" and any(status == "failed" for status, _, _ in stages), job
