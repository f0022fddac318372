"""A notebook run on the Sparklet kernel and exported with nbconvert's HTML exporter keeps every
DAG drawable: each inline SVG defines the arrow markers it references, under ids no other SVG of
the page uses (a page with one id defined twice draws every later reference with the first
definition, and one inside a collapsed <details> draws nothing)."""

import os
import re
import sys
from html.parser import HTMLParser

import nbformat
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from kernel_harness import JOBS_MIME, kernel_dirs

CELLS = [
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


def test_nbconvert_html_export_draws_every_dag_with_its_own_markers(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    ksm = KernelSpecManager(kernel_dirs=[str(kernel_dirs(tmp_path))])
    km = KernelManager(kernel_name="sparklet", kernel_spec_manager=ksm)
    env = dict(os.environ, SPARKLET_MASTER="local[2]")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    NotebookClient(nb, km=km, timeout=120, startup_timeout=90,
                   resources={"metadata": {"path": str(tmp_path)}}).execute(env=env)
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
