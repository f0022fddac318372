"""The tutorial notebooks run on the Sparklet kernel and print what real PySpark prints.

Each notebook is executed headlessly with nbclient twice: on the ``sparklet`` kernel, and on a
plain ``python3`` kernel where ``from pyspark import ...`` is Apache Spark itself (cells tagged
``sparklet-only`` are removed there). Neither run may produce an error output, and every other code
cell must print the same stdout and the same ``text/plain`` result on both. The Korean editions
share their code with the English ones, so they are compared with the English PySpark run.
"""

import copy
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

SPARKLET_ONLY = "sparklet-only"
ENGLISH = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
KOREAN = sorted((NOTEBOOKS / "ko").glob("[0-9][0-9]-*.ipynb"))


def _tags(cell):
    return cell.metadata.get("tags", [])


def _execute(nb, kernel_name, cwd):
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
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
    )
    client.execute(env=env)
    return nb


def _errors(nb):
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"{cell.source[:80]!r}: {output.ename}: {output.evalue}")
    return found


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


def test_series_is_complete():
    assert [p.name[:2] for p in ENGLISH] == [f"{i:02d}" for i in range(1, 9)]
    assert [p.name for p in KOREAN] == [p.name for p in ENGLISH[:5]]


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
    for path in ENGLISH:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        marked = [c for c in code if SPARKLET_ONLY in _tags(c)]
        assert len(marked) <= max(3, len(code) // 4), path.name


@pytest.mark.pyspark
@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.stem)
def test_runs_on_pyspark_without_errors(path):
    assert _errors(pyspark_run(path.name)) == []


@pytest.mark.pyspark
@pytest.mark.parametrize("path", ENGLISH + KOREAN, ids=lambda p: p.parent.name + "/" + p.stem)
def test_runs_on_sparklet_like_on_pyspark(path):
    ran = sparklet_run(path)
    assert _errors(ran) == []
    reference = [c for c in pyspark_run(path.name).cells if c.cell_type == "code"]
    compared = [c for c in ran.cells if c.cell_type == "code" and SPARKLET_ONLY not in _tags(c)]
    assert [c.source for c in compared] == [c.source for c in reference]
    for cell, expected in zip(compared, reference):
        assert _driver_output(cell) == _driver_output(expected), cell.source
