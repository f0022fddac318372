"""``SQLContext``: the pre-2.0 entry point, kept as a thin view of a SparkSession.

This module is its public path (``pyspark.sql.context.SQLContext``); the class is defined in
``session.py``, beside the session that hands it to ``DataFrame.sql_ctx``.

>>> from sparklet.sql import SQLContext
>>> SQLContext(sc).range(2).count()
2
"""

from .session import SQLContext

__all__ = ["SQLContext"]
