"""A notebook executed headlessly on the Sparklet kernel keeps its job table and DAG when saved and
exported: nbconvert's HTML shows them with no kernel, no JavaScript and no widget state, every DAG
with its own arrowheads."""

import re
from html.parser import HTMLParser

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


EXPORT_CELLS = [
    "pairs = sc.parallelize(range(8), 4).map(lambda x: (x % 3, x))\n"
    "pairs.reduceByKey(lambda a, b: a + b).collect()",
    "words = sc.parallelize(['a b', 'b c'], 2).flatMap(str.split).cache()\n"
    "words.count(), words.map(len).sum()",
    "%spark dag words",
    "df = spark.createDataFrame([('a', 1), ('b', 2), ('a', 3)], ['k', 'v'])\n"
    "df.groupBy('k').count().show()",
]


class DagSvgs(HTMLParser):
    """Every <svg class="sparklet-dag"> of a page: the ids it defines and the ids it references."""

    def __init__(self):
        super().__init__()
        self.svgs = []
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "svg" and "sparklet-dag" in (attrs.get("class") or "").split():
            self.svgs.append({"defines": [], "references": set()})
            self._depth = 0
        if not self.svgs or self._depth < 0:
            return
        if tag == "svg":
            self._depth += 1
        svg = self.svgs[-1]
        if attrs.get("id"):
            svg["defines"].append(attrs["id"])
        for value in attrs.values():
            svg["references"].update(re.findall(r"url\(#([^)]+)\)", value or ""))
        for key in ("href", "xlink:href"):
            if (attrs.get(key) or "").startswith("#"):
                svg["references"].add(attrs[key][1:])

    def handle_endtag(self, tag):
        if tag == "svg" and self.svgs and self._depth > 0:
            self._depth -= 1
            if self._depth == 0:
                self._depth = -1  # outside every DAG until the next one starts


def test_nbconvert_html_export_draws_every_dag_with_its_own_markers(tmp_path, monkeypatch):
    # Each inline SVG must define the arrow markers it references, under ids no other SVG of the
    # page uses: a page with one id defined twice draws every later reference with the first
    # definition, and one inside a collapsed <details> draws nothing.
    monkeypatch.setenv("SPARKLET_MASTER", "local[2]")
    nb = new_notebook(cells=[new_code_cell(src) for src in EXPORT_CELLS])
    ksm = KernelSpecManager(kernel_dirs=[str(kernel_dirs(tmp_path))])
    km = KernelManager(kernel_name="sparklet", kernel_spec_manager=ksm)
    NotebookClient(nb, km=km, timeout=120).execute()
    jobs = [job for cell in nb.cells for o in cell.outputs
            if o.output_type == "display_data" and JOBS_MIME in o.data for job in o.data[JOBS_MIME]["jobs"]]
    assert len(jobs) >= 4, [j["description"] for j in jobs]

    html, _ = HTMLExporter().from_notebook_node(nb)
    (tmp_path / "export.html").write_text(html)
    parser = DagSvgs()
    parser.feed(html)
    # one DAG per job shown (inside the job's <details>) plus the %spark dag drawing
    assert len(parser.svgs) >= len(jobs) + 1
    seen = []
    for svg in parser.svgs:
        assert svg["references"], "a DAG without arrows"
        assert svg["references"] <= set(svg["defines"]), svg
        seen.extend(svg["defines"])
    assert len(seen) == len(set(seen)), "an id defined by two DAGs of the page"
