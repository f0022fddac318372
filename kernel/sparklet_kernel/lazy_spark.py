"""``spark`` beside ``sc`` in a notebook, created on first use.

An RDD-only notebook never touches ``spark``, so the SQL layer (and its DuckDB/Arrow imports) is
not loaded at kernel start. The first attribute access builds the session with
``SparkSession.builder.getOrCreate()`` over the active context (through ``pyspark.sql``, so on
the real-PySpark backend it is PySpark's own session) and puts it in the namespace in place of
this placeholder.
"""


class LazySparkSession:
    """Stands in for the notebook's ``spark`` until it is first used.

    >>> ns = {}
    >>> ns["spark"] = LazySparkSession(ns)
    >>> repr(ns["spark"])
    '<spark: a SparkSession, created when first used>'
    """

    def __init__(self, namespace, name="spark"):
        self._namespace = namespace
        self._name = name

    def _session(self):
        from pyspark.sql import SparkSession
        session = SparkSession.builder.getOrCreate()
        if self._namespace.get(self._name) is self:
            self._namespace[self._name] = session
        return session

    def __getattr__(self, attr):
        if attr.startswith("__") and attr.endswith("__"):
            raise AttributeError(attr)
        return getattr(self._session(), attr)

    def __repr__(self):
        return "<spark: a SparkSession, created when first used>"
