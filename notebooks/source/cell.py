"""The cell kinds a tutorial source is made of.

A source module lists its cells in ``CELLS``; ``build_notebooks.py`` turns that list into the
English notebook and, when the markdown carries a ``ko`` text, the Korean edition. Code is shared
between editions on purpose: both must print exactly the same thing.
"""

from dataclasses import dataclass, field
from textwrap import dedent
from typing import Optional, Tuple

SPARKLET_ONLY = "sparklet-only"
SPARKLET_ENGINE = "sparklet-engine"


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    ko: Optional[str] = None
    tags: Tuple[str, ...] = ()
    hidden: bool = False
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def _clean(text):
    return dedent(text).strip("\n")


def md(en, ko=None):
    """Explanations: the English text, and its Korean translation for notebooks 1-5."""
    return Cell("markdown", _clean(en), None if ko is None else _clean(ko))


def code(source):
    """A cell that runs on Sparklet and on real PySpark and must print the same on both."""
    return Cell("code", _clean(source))


def sparklet(source):
    """A cell that uses Sparklet's displays; skipped when the notebook runs on real PySpark."""
    return Cell("code", _clean(source), tags=(SPARKLET_ONLY,))


def sparklet_engine(source):
    """A cell that reaches into Sparklet's own engine (its executor processes): skipped on real
    PySpark, and also on the Sparklet kernel's pyspark backend, where `sc` is Apache Spark's."""
    return Cell("code", _clean(source), tags=(SPARKLET_ONLY, SPARKLET_ENGINE))


def exercise(source="# Your code here\n"):
    """An empty cell for the student's answer (a comment, so the notebook still runs)."""
    return Cell("code", _clean(source), tags=("exercise",))


def solution(source):
    """A solution cell, collapsed in JupyterLab until the student clicks it open."""
    return Cell("code", _clean(source), tags=("solution",), hidden=True)
