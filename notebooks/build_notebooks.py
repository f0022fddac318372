"""Write the tutorial notebooks from their sources in ``notebooks/source/``.

Run ``python notebooks/build_notebooks.py`` after editing a source. The .ipynb files are saved
without outputs; ``tests/test_notebooks.py`` checks that they are current with their sources, then
runs them on Sparklet and on real PySpark.
"""

import hashlib
import importlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "source"))

# Source module for each notebook, in teaching order; the notebook has the same name.
SOURCES = [
    "01-first-steps",
    "02-transformations-and-actions",
    "03-closures-and-shared-variables",
    "04-key-value-pairs-and-shuffles",
    "05-persistence",
    "06-fault-tolerance",
    "07-performance",
    "08-labs",
    "09-dataframes",
    "10-spark-sql-and-temp-views",
]

KERNELSPEC = {"name": "sparklet", "display_name": "Sparklet", "language": "python"}


def _cell_id(stem, index, source):
    # Stable across rebuilds so that regenerating an unchanged source changes nothing in git.
    digest = hashlib.sha1(f"{stem}/{index}/{source}".encode()).hexdigest()
    return digest[:12]


def build(stem, cells, language):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
    }
    if language != "en":
        # the natural language of the text: Sparklet's views (lab extension and kernel) follow it
        nb.metadata["language"] = language
    for index, cell in enumerate(cells):
        if cell.kind == "markdown":
            text = cell.ko if language == "ko" and cell.ko is not None else cell.source
            out = nbformat.v4.new_markdown_cell(text)
        else:
            out = nbformat.v4.new_code_cell(cell.source)
            if cell.tags:
                out.metadata["tags"] = list(cell.tags)
            if cell.hidden:
                out.metadata["jupyter"] = {"source_hidden": True}
        out.id = _cell_id(stem, index, out.source)
        nb.cells.append(out)
    nbformat.validate(nb)
    return nb


def module_for(stem):
    return importlib.import_module("nb" + stem.split("-", 1)[0])


def notebooks():
    """Yield (path, notebook) for every notebook the sources describe."""
    for stem in SOURCES:
        cells = module_for(stem).CELLS
        yield HERE / f"{stem}.ipynb", build(stem, cells, "en")
        if any(c.kind == "markdown" and c.ko for c in cells):
            untranslated = [c.source[:60] for c in cells if c.kind == "markdown" and not c.ko]
            if untranslated:
                raise ValueError(f"{stem}: markdown cells without a Korean text: {untranslated}")
            yield HERE / "ko" / f"{stem}.ipynb", build(stem, cells, "ko")


def main():
    for path, nb in notebooks():
        path.parent.mkdir(exist_ok=True)
        nbformat.write(nb, str(path))
        print(path.relative_to(HERE))


if __name__ == "__main__":
    main()
