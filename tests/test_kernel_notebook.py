"""A notebook executed headlessly on the Sparklet kernel keeps its job table and DAG when saved and
exported: nbconvert's HTML shows them with no kernel, no JavaScript and no widget state."""

import nbformat
import pytest
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbformat.v4 import new_code_cell, new_notebook

from kernel_harness import JOBS_MIME, kernel_dirs

pytestmark = pytest.mark.timeout(300)


def test_saved_and_exported_notebook_shows_final_jobs_and_dag(tmp_path, monkeypatch):
    monkeypatch.setenv("SPARKLET_MASTER", "local[2]")
    nb = new_notebook(cells=[
        new_code_cell("lines = sc.parallelize(['to be or', 'not to be'], 2)\n"
                      "counts = lines.flatMap(lambda l: l.split()).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)"),
        new_code_cell("sorted(counts.collect())"),
    ], metadata={"kernelspec": {"name": "sparklet", "display_name": "Sparklet", "language": "python"}})
    ksm = KernelSpecManager(kernel_dirs=[str(kernel_dirs(tmp_path))])
    km = KernelManager(kernel_name="sparklet", kernel_spec_manager=ksm)
    NotebookClient(nb, km=km, timeout=120).execute()
    path = tmp_path / "word-count.ipynb"
    nbformat.write(nb, path)

    saved = nbformat.read(path, as_version=4)
    outputs = saved.cells[1].outputs
    jobs = [o for o in outputs if o.output_type == "display_data" and JOBS_MIME in o.data]
    assert len(jobs) == 1  # one display, updated in place, saved in its final state
    state = jobs[0].data[JOBS_MIME]
    assert state["jobs"][0]["status"] == "succeeded"
    assert len(state["jobs"][0]["dag"]["stages"]) == 2
    assert any(o.output_type == "execute_result" for o in outputs)
    assert not saved.cells[0].outputs  # a cell without jobs gets no display

    html, _ = HTMLExporter().from_notebook_node(saved)
    assert 'class="sparklet-job-row" data-job-id="0" data-status="succeeded"' in html
    assert html.count('class="sparklet-stage-row"') == 2
    assert "<svg" in html and "reduceByKey" in html and "shuffle dependency" in html
    assert "[('be', 2), ('not', 1), ('or', 1), ('to', 2)]" in html
