"""Spark SQL and DataFrames on Sparklet (``pyspark.sql``): Catalyst's structure at Sparklet's scale.

A DataFrame is an analysed logical plan (``plan.py``); an action optimizes it, plans Spark's
physical operators (``physical.py``) and compiles them to an RDD lineage of Arrow partitions run
by Sparklet's own scheduler, one vectorized DuckDB query per partition and stage (``engine.py``).
duckdb, pyarrow and sqlglot are imported when a query first needs them, never at
``import sparklet``.
"""

from .preload import keep_pandas_unloaded

keep_pandas_unloaded()

from .types import Row  # noqa: E402 (the import watch goes first)
from .column import Column
from .dataframe import DataFrame
from .group import GroupedData
from .session import SparkSession
from .window import Window, WindowSpec
# the collection functions register their builders in the function registry: loaded with the
# package, so every caller of function_registry.lookup (the analyzer, SQL text) finds them
from . import collection_functions  # noqa: E402,F401

__all__ = ["SparkSession", "DataFrame", "Column", "Row", "GroupedData", "Window", "WindowSpec",
           "SQLContext", "DataFrameReader", "DataFrameWriter", "DataFrameNaFunctions", "DataFrameStatFunctions",
           "UDFRegistration", "Catalog"]


def __getattr__(name):
    if name == "SQLContext":
        from .context import SQLContext
        return SQLContext
    if name in ("DataFrameReader", "DataFrameWriter"):
        from . import readwriter
        return getattr(readwriter, name)
    if name in ("DataFrameNaFunctions", "DataFrameStatFunctions"):
        from . import dataframe
        return getattr(dataframe, name)
    if name == "UDFRegistration":
        from .udf import UDFRegistration
        return UDFRegistration
    if name == "Catalog":
        from .session import Catalog
        return Catalog
    raise AttributeError(name)
