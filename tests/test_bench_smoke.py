"""The benchmark suite at smoke size, end to end: every workload on Sparklet, the two-process
yardstick and plain Python, each run in a fresh process exactly as `python -m bench` does. It
checks that every result equals the plain-Python answer and that no process outlived its run;
it never asserts a time (speed targets are judged by the full benchmark, not by CI)."""

import sys
from pathlib import Path

import pytest

# `bench` is a directory of the repository, not an installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import report
from bench.run import run_suite
from bench.workloads import SMOKE_SIZES, WORKLOADS


@pytest.fixture(scope="module")
def smoke_cells(tmp_path_factory):
    logs = tmp_path_factory.mktemp("bench-logs")
    return run_suite(dict(SMOKE_SIZES), ["sparklet", "pool", "plain"],
                     [w.name for w in WORKLOADS], runs=1, timeout=300, log_dir=str(logs),
                     on_progress=lambda m: print(m, file=sys.stderr))


def test_every_workload_ran_on_every_implementation_it_names(smoke_cells):
    expected = {(w.name, i) for w in WORKLOADS for i in w.impls
                if i in ("sparklet", "pool", "plain")}
    assert set(smoke_cells) == expected


@pytest.mark.parametrize("workload", [w.name for w in WORKLOADS])
def test_results_equal_plain_python(smoke_cells, workload):
    failures = {impl: cell.errors for (name, impl), cell in smoke_cells.items()
                if name == workload and not cell.ok}
    assert not failures, failures


def test_report_renders_every_measured_workload(smoke_cells):
    text = report.render(smoke_cells, dict(SMOKE_SIZES), 1, ["sparklet", "pool", "plain"],
                         "smoke sizes", (0.0, 0.0, 0.0))
    for w in WORKLOADS:
        if w.name in report.MAIN_TABLE:
            assert w.title.format(**SMOKE_SIZES) in text
    assert "- word count calling the program's functions once per line, word and pair" in text
    assert "| Every result equals the plain-Python answer | yes | **met** |" in text
