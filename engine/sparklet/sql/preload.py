"""What the SQL layer's first query costs in imports, and how that cost is kept off it.

A DataFrame action needs pyarrow in the driver and pyarrow and DuckDB in the executor that runs
each task. Importing them is most of a warm session's first ``spark.read.json(...).show()``:

- **pandas.** pyarrow asks whether pandas is installed the first time it converts Python values
  (``pa.array``, ``pa.table``): its ``_PandasAPIShim`` imports pandas to find out, which costs more
  than pyarrow and DuckDB together, in every process that builds an Arrow table. Nothing in the
  SQL layer hands pyarrow a pandas object unless pandas is already imported, so when pyarrow is
  imported into a process without pandas, the shim is told "no pandas" (its check runs once with
  pandas' import refused, for this thread only). Whenever pandas is imported later, by anyone,
  the shim is asked again at once and from then on sees pandas: pandas objects keep converting
  as pyarrow converts them, and ``toPandas()`` works as before.
- **Imports in the background.** Creating a ``SparkSession`` asks every executor to import the
  SQL layer's modules on a thread of its own (``preload``), and the driver imports the reader,
  the planner and pyarrow the same way: the session is returned at once, and a task that arrives
  first finds its imports done or under way (Python's import lock makes it wait for, not repeat,
  one in progress). RDD-only programs never create a session and never pay for any of it.
"""

import importlib.abc
import importlib.machinery
import sys
import threading

#: What a task of the SQL layer imports, in the order its first task needs them (the file scan
#: and the shuffle need pyarrow before any stage query needs DuckDB).
EXECUTOR_MODULES = ("sparklet.sql", "pyarrow", "sparklet.sql.physical", "sparklet.sql.datasources", "sparklet.sql.engine",
                    "duckdb")
#: What the driver's first action imports: the reader and planner first (the action needs them
#: first), pyarrow for its result.
DRIVER_MODULES = ("sparklet.sql.readwriter", "sparklet.sql.datasources", "sparklet.sql.physical",
                  "sparklet.sql.show", "pyarrow")

_lock = threading.Lock()
_state = {"hook": None, "shim_told": False}


class _RefusePandas(importlib.abc.MetaPathFinder):
    """Refuses ``import pandas`` in one thread (the one asking pyarrow's shim)."""

    def __init__(self):
        self.thread = threading.get_ident()

    def find_spec(self, name, path=None, target=None):
        if (name == "pandas" or name.startswith("pandas.")) and threading.get_ident() == self.thread:
            raise ImportError("pandas is not imported yet")
        return None


def _tell_shim_no_pandas():
    if "pandas" in sys.modules or _state["shim_told"]:
        return
    shim = getattr(sys.modules.get("pyarrow.lib"), "_pandas_api", None)
    if shim is None:
        return
    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        shim.have_pandas  # the shim's one-time check, answered "no"
        _state["shim_told"] = True
    except Exception:
        pass
    finally:
        sys.meta_path.remove(refuse)


def _pandas_imported():
    if not _state["shim_told"]:
        return
    shim = getattr(sys.modules.get("pyarrow.lib"), "_pandas_api", None)
    try:
        shim.pd  # asks again, now that pandas is there
    except Exception:
        pass


class _ImportWatch(importlib.abc.MetaPathFinder):
    """Runs a function right after ``pyarrow`` or ``pandas`` finished importing, before the
    ``import`` statement that loaded it returns (the module's own loader does the loading)."""

    AFTER = {"pyarrow": _tell_shim_no_pandas, "pandas": _pandas_imported}

    def find_spec(self, name, path=None, target=None):
        after = self.AFTER.get(name)
        if after is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            after()
        spec.loader.exec_module = exec_module  # this spec's own loader instance only
        return spec


def keep_pandas_unloaded():
    """Install the import watch once per process (see the module docstring).

    >>> import sys
    >>> keep_pandas_unloaded()
    >>> sum(isinstance(f, _ImportWatch) for f in sys.meta_path)
    1
    """
    with _lock:
        if _state["hook"] is None:
            _state["hook"] = _ImportWatch()
            sys.meta_path.insert(0, _state["hook"])
    if "pyarrow.lib" in sys.modules:
        _tell_shim_no_pandas()


def preload(sc):
    """Start the SQL layer's imports in the driver and in every executor, without waiting.

    >>> preload(sc)
    """
    from ..util import import_in_background
    import_in_background(DRIVER_MODULES)
    sc._backend.send_all(("preload", EXECUTOR_MODULES))
