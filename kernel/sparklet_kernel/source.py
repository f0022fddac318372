"""Naming code locations the way a notebook user knows them.

IPython compiles every cell under a synthetic file name (``/tmp/ipykernel_<pid>/<hash>.py``) and
remembers which execution count it belongs to; call sites, DAG nodes and error frames are shown
as ``<cell 3>:2`` instead of that file name.
"""

import linecache
import re

_SITE = re.compile(r"^(?P<file>.*):(?P<line>\d+)$")


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def cell_number(filename):
    """The execution count of the cell compiled as `filename`, or None for ordinary files."""
    shell = _shell()
    if shell is None:
        return None
    return getattr(shell.compile, "_filename_map", {}).get(filename)


def file_label(filename):
    number = cell_number(filename)
    if number is not None:
        return "<cell %s>" % number
    return filename


def short_site(site):
    """``"/tmp/ipykernel_7/1234.py:2"`` -> ``"<cell 3>:2"``; anything else is returned unchanged
    except that long paths are cut to their file name."""
    if not site:
        return ""
    m = _SITE.match(site)
    if not m:
        return site
    filename, line = m.group("file"), m.group("line")
    label = file_label(filename)
    if label == filename and "/" in filename:
        label = filename.rsplit("/", 1)[1]
    return "%s:%s" % (label, line)


def rewrite_sites(text):
    """Replace every cell file name inside `text` (e.g. an engine-made description) by its label."""
    shell = _shell()
    if shell is None or not text:
        return text
    for filename, number in getattr(shell.compile, "_filename_map", {}).items():
        if filename in text:
            text = text.replace(filename, "<cell %s>" % number)
    return text


def source_line(filename, lineno):
    """The source text of one line of a cell or file, stripped, or ""."""
    return linecache.getline(filename, lineno).strip()
