"""``SparkSession``: the entry point of the SQL layer, over Sparklet's ``SparkContext``.

``SparkSession.builder.getOrCreate()`` reuses the active SparkContext (or starts one with the
builder's master, app name and configuration), so ``spark.sparkContext is sc`` in a notebook that
already has ``sc``. The session holds what Spark's ``SessionState`` holds at this scale: its SQL
configuration (``spark.conf``), temporary views (``catalog``), registered UDFs, and cached
DataFrames.
"""

import threading

from . import sqlconf
from . import types as T
from .dataframe import DataFrame
from .expressions import AttributeReference, analysis_exception, quote_ident, table_not_found
from .function_registry import use_session_functions
from .plan import LeafRelation, SubqueryAlias

_SQL_DEFAULTS = {
    "spark.sql.shuffle.partitions": "200",
    "spark.sql.autoBroadcastJoinThreshold": "10485760",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.caseSensitive": "false",
    "spark.sql.repl.eagerEval.enabled": "false",
    "spark.sql.repl.eagerEval.maxNumRows": "20",
    "spark.sql.repl.eagerEval.truncate": "20",
    "spark.sql.execution.arrow.pyspark.enabled": "false",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.mapKeyDedupPolicy": "EXCEPTION",
}


class RuntimeConfig:
    """``spark.conf``: the session's SQL configuration, over the SparkContext's configuration.

    >>> spark.conf.get("spark.sql.shuffle.partitions")
    '200'
    """

    def __init__(self, session):
        self._session = session
        self._values = {}

    def set(self, key, value):
        self._values[key] = "true" if value is True else "false" if value is False else str(value)

    _NO_DEFAULT = object()

    def get(self, key, default=_NO_DEFAULT):
        if key in self._values:
            return self._values[key]
        sc_conf = self._session.sparkContext.getConf()
        v = sc_conf.get(key, None)
        if v is not None:
            return v
        if default is not RuntimeConfig._NO_DEFAULT:
            return default
        if key in _SQL_DEFAULTS:
            return _SQL_DEFAULTS[key]
        if key == "spark.sql.session.timeZone":
            from .engine import _local_tz_name
            return _local_tz_name()
        from ..errors import SparkNoSuchElementException
        raise SparkNoSuchElementException(errorClass="SQL_CONF_NOT_FOUND",
                                          messageParameters={"sqlConf": '"%s"' % key})

    def getAll(self):
        out = dict(_SQL_DEFAULTS)
        out.update(dict(self._session.sparkContext.getConf().getAll()))
        out.update(self._values)
        return out

    def unset(self, key):
        self._values.pop(key, None)

    def isModifiable(self, key):
        return key.startswith("spark.sql.")


class Catalog:
    """``spark.catalog``: temporary and global temporary views (Sparklet has no metastore)."""

    def __init__(self, session):
        self._session = session
        self._temp_views = {}
        self._global_views = SparkSession._global_views
        # tables saved with saveAsTable: name -> (plan reading their files, location), shared by
        # the context's sessions as Spark's in-memory catalog is
        self._tables = SparkSession._tables

    def currentDatabase(self):
        return "default"

    def currentCatalog(self):
        return "spark_catalog"

    def setCurrentDatabase(self, dbName):
        if dbName != "default":
            raise analysis_exception("SCHEMA_NOT_FOUND", schemaName=quote_ident(dbName))

    def listDatabases(self, pattern=None):
        from collections import namedtuple
        Database = namedtuple("Database", "name catalog description locationUri")
        return [Database("default", "spark_catalog", "default database", "")]

    def listTables(self, dbName=None, pattern=None):
        from collections import namedtuple
        Table = namedtuple("Table", "name catalog namespace description tableType isTemporary")
        if dbName == "global_temp":
            return [Table(n, None, ["global_temp"], None, "TEMPORARY", True) for n in sorted(self._global_views)]
        return [Table(n, None, [], None, "TEMPORARY", True) for n in sorted(self._temp_views)]

    def tableExists(self, tableName, dbName=None):
        return self._lookup(tableName, dbName) is not None

    def listColumns(self, tableName, dbName=None):
        from collections import namedtuple
        Column = namedtuple("Column", "name description dataType nullable isPartition isBucket isCluster")
        plan = self._resolve(tableName)
        return [Column(a.name, None, a.dataType.simpleString(), a.nullable, False, False, False) for a in plan.output]

    def dropTempView(self, viewName):
        return self._temp_views.pop(viewName.lower(), None) is not None

    def dropGlobalTempView(self, viewName):
        return self._global_views.pop(viewName.lower(), None) is not None

    def isCached(self, tableName):
        return False

    def cacheTable(self, tableName, storageLevel=None):
        df = self._session.table(tableName).cache()
        self._temp_views[tableName.lower()] = df._plan

    def uncacheTable(self, tableName):
        pass

    def clearCache(self):
        for df in self._session._cache_registry:
            df.unpersist()

    def _lookup(self, name, db=None):
        parts = [p.strip("`") for p in name.split(".")]
        if db:
            parts = [db] + parts
        from .plan import View
        if len(parts) == 2 and parts[0].lower() == "global_temp":
            plan = self._global_views.get(parts[1].lower())
            return None if plan is None else View("`global_temp`.%s" % quote_ident(parts[1]), plan)
        if len(parts) == 1 and parts[0].lower() in self._temp_views:
            return View(quote_ident(parts[0]), self._temp_views[parts[0].lower()])
        table = self._tables.get(self._table_key(".".join(parts)))
        return table[0] if table is not None else None

    def _table_key(self, name):
        """A persistent table's name without its default catalog and database."""
        parts = [p.strip("`").lower() for p in name.split(".")]
        if parts[:1] == ["spark_catalog"]:
            parts = parts[1:]
        if len(parts) == 2 and parts[0] == "default":
            parts = parts[1:]
        return ".".join(parts)

    def _drop_table(self, name):
        """DROP TABLE of a managed table: forgets it and deletes its files."""
        import shutil
        table = self._tables.pop(self._table_key(name), None)
        if table is None:
            return False
        shutil.rmtree(table[1], ignore_errors=True)
        return True

    def _resolve(self, name):
        plan = self._lookup(name)
        if plan is None:
            parts = [p.strip("`") for p in name.split(".")]
            raise table_not_found(parts).with_plan("'UnresolvedRelation [%s], [], false\n" % ", ".join(parts))
        return plan


class SparkSession:
    """The entry point to DataFrames and SQL.

    >>> spark = SparkSession.builder.getOrCreate()
    >>> spark.range(3).count()
    3
    """

    _instantiatedSession = None
    _activeSession = None
    _global_views = {}
    _tables = {}
    _lock = threading.RLock()

    class Builder:
        """Builds or finds the session: ``SparkSession.builder.appName("x").getOrCreate()``."""

        def __init__(self):
            self._options = {}

        def config(self, key=None, value=None, conf=None, map=None):
            if conf is not None:
                for k, v in conf.getAll():
                    self._options[k] = v
            if map is not None:
                for k, v in map.items():
                    self._options[k] = str(v)
            if key is not None:
                self._options[key] = "true" if value is True else "false" if value is False else str(value)
            return self

        def master(self, master):
            return self.config("spark.master", master)

        def appName(self, name):
            return self.config("spark.app.name", name)

        def remote(self, url):
            raise NotImplementedError("Spark Connect is not part of Sparklet")

        def enableHiveSupport(self):
            return self

        def getOrCreate(self):
            from ..context import SparkContext
            from ..conf import SparkConf
            with SparkSession._lock:
                session = SparkSession._instantiatedSession
                if session is None or SparkContext._active_spark_context is not session.sparkContext:
                    conf = SparkConf()
                    for k, v in self._options.items():
                        conf.set(k, v)
                    if SparkContext._active_spark_context is None:
                        if not conf.contains("spark.master"):
                            conf.setMaster("local[*]")
                        if not conf.contains("spark.app.name"):
                            conf.setAppName("pyspark-shell")
                    sc = SparkContext.getOrCreate(conf)
                    session = SparkSession(sc)
                for k, v in self._options.items():
                    if k not in ("spark.master", "spark.app.name"):
                        session.conf.set(k, v)
                # PySpark hands out a new Builder on every `SparkSession.builder`; this one is
                # shared, so a chain's options end with its getOrCreate and a later chain does not
                # set them again over what conf.set changed since.
                self._options = {}
                SparkSession._set_active(session)
                return session

        def create(self):
            SparkSession._instantiatedSession = None
            return self.getOrCreate()

    builder = Builder()

    def __init__(self, sparkContext, jsparkSession=None, options=None):
        from .udf import UDFRegistration
        self._sc = sparkContext
        self.conf = RuntimeConfig(self)
        self.catalog = Catalog(self)
        self._udfs = {}
        self.udf = UDFRegistration(self)
        self._cache_registry = []
        for k, v in (options or {}).items():
            self.conf.set(k, v)
        if SparkSession._instantiatedSession is None or \
                SparkSession._instantiatedSession._sc is not sparkContext:
            SparkSession._instantiatedSession = self
        if not getattr(sparkContext, "_sql_preloaded", False):
            # the first query's imports start now, in the background (see preload.py)
            sparkContext._sql_preloaded = True
            from .preload import preload
            preload(sparkContext)
        SparkSession._set_active(self)

    @classmethod
    def _set_active(cls, session):
        cls._activeSession = session
        # the function builders and the engine read the session's conf through sqlconf
        sqlconf.set_active(session)
        # the analyzer finds the functions registered with spark.udf.register through the registry
        use_session_functions(session._udfs if session is not None else {})

    @classmethod
    def getActiveSession(cls):
        return cls._activeSession

    @classmethod
    def active(cls):
        if cls._activeSession is None:
            return cls.builder.getOrCreate()
        return cls._activeSession

    def newSession(self):
        s = SparkSession.__new__(SparkSession)
        SparkSession.__init__(s, self._sc)
        return s

    @property
    def sparkContext(self):
        return self._sc

    @property
    def version(self):
        """Example:

        >>> isinstance(spark.version, str)
        True
        """
        return self._sc.version

    @property
    def read(self):
        from .readwriter import DataFrameReader
        return DataFrameReader(self)

    def _writer(self, df):
        from .readwriter import DataFrameWriter
        return DataFrameWriter(df)

    def _broadcast_threshold(self):
        v = str(self.conf.get("spark.sql.autoBroadcastJoinThreshold")).strip().lower()
        mult = 1
        for suffix, m in (("kb", 1024), ("mb", 1024 ** 2), ("gb", 1024 ** 3), ("b", 1)):
            if v.endswith(suffix):
                v, mult = v[:-len(suffix)], m
                break
        return int(float(v) * mult)

    def _wrapped_context(self):
        return SQLContext(self._sc, self)

    def _action(self, df, query_execution):
        """The SQL execution an action of ``df`` runs its jobs in (``execution.py``)."""
        from .execution import new_execution
        from .physical import _sql_action
        action, site = _sql_action()
        return new_execution(self, query_execution, action, site)

    # ------------------------------------------------------------------ DataFrame sources
    def range(self, start, end=None, step=1, numPartitions=None):
        """A DataFrame of one ``id`` column (bigint) from ``start`` to ``end`` (exclusive).

        >>> spark.range(1, 7, 2).collect()
        [Row(id=1), Row(id=3), Row(id=5)]
        """
        from .relations import RangeSource
        if end is None:
            start, end = 0, start
        if numPartitions is None:
            numPartitions = self._sc.defaultParallelism
        if step == 0:
            from ..errors import IllegalArgumentException
            raise IllegalArgumentException(errorClass="FAILED_FUNCTION_CALL",
                                           messageParameters={"funcName": "range", "reason": "step must not be 0"})
        out = [AttributeReference("id", T.LongType(), False)]
        return DataFrame(LeafRelation(out, RangeSource(int(start), int(end), int(step), int(numPartitions))), self)

    def emptyDataFrame(self, schema):
        """A DataFrame of no rows under ``schema`` (a StructType or a DDL string).

        >>> spark.emptyDataFrame("name STRING, age INT").count()
        0
        """
        return self.createDataFrame([], schema)

    def createDataFrame(self, data, schema=None, samplingRatio=None, verifySchema=True):
        """A DataFrame from a list of tuples/dicts/Rows, an RDD or a pandas DataFrame.

        >>> spark.createDataFrame([("Alice", 1)], "name string, age int").collect()
        [Row(name='Alice', age=1)]
        """
        from .create import create_dataframe
        return create_dataframe(self, data, schema, samplingRatio, verifySchema)

    def sql(self, sqlQuery, args=None, **kwargs):
        """Run SQL text; queries return a DataFrame.

        >>> spark.sql("SELECT 1 AS x").collect()
        [Row(x=1)]
        """
        import string
        import uuid
        from .column import Column
        from .dataframe import DataFrame
        from .statements import run_sql
        views = []

        class Formatter(string.Formatter):
            # PySpark's SQLStringFormatter: {df} becomes a temporary view of the DataFrame, {col}
            # the column's name, anything else its str().
            def format_field(self, value, format_spec):
                if isinstance(value, DataFrame):
                    name = "__sparklet_sql_%s" % uuid.uuid4().hex
                    value.createOrReplaceTempView(name)
                    views.append(name)
                    return name
                if isinstance(value, Column):
                    return value._repr
                return super().format_field(value, format_spec)

        if kwargs:
            sqlQuery = Formatter().format(sqlQuery, **kwargs)
        # As Spark's withActive: the query is analysed with this session active, so functions
        # registered on it through spark.udf resolve even when another session is the active one.
        previous = SparkSession._activeSession
        SparkSession._set_active(self)
        try:
            return run_sql(self, sqlQuery, args or None)
        finally:
            SparkSession._set_active(previous)
            for name in views:
                self.catalog.dropTempView(name)

    def table(self, tableName):
        """Example:

        >>> spark.range(2).createOrReplaceTempView("t2")
        >>> spark.table("t2").count()
        2
        """
        plan = self.catalog._resolve(tableName)
        return DataFrame(SubqueryAlias(tableName.split(".")[-1], plan), self)

    def stop(self):
        """Stops the underlying SparkContext."""
        self._sc.stop()
        with SparkSession._lock:
            SparkSession._instantiatedSession = None
            SparkSession._set_active(None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def getTags(self):
        return set(self._sc.getJobTags())

    def addTag(self, tag):
        self._sc.addJobTag(tag)


class SQLContext:
    """The legacy entry point: every method forwards to the SparkSession over ``sparkContext``."""

    # defined here, beside the session it wraps (``DataFrame.sql_ctx`` reaches it through the
    # session); PySpark's path for it is pyspark.sql.context
    __module__ = "sparklet.sql.context"

    def __init__(self, sparkContext, sparkSession=None):
        self._sc = sparkContext
        self.sparkSession = sparkSession or SparkSession.builder.getOrCreate()

    @classmethod
    def getOrCreate(cls, sc):
        return cls(sc)

    def __getattr__(self, name):
        return getattr(self.sparkSession, name)

    def registerDataFrameAsTable(self, df, tableName):
        df.createOrReplaceTempView(tableName)

    def tables(self, dbName=None):
        names = [t.name for t in self.sparkSession.catalog.listTables(dbName)]
        return self.sparkSession.createDataFrame([("", n, True) for n in names],
                                                 "namespace string, tableName string, isTemporary boolean")

    def tableNames(self, dbName=None):
        return [t.name for t in self.sparkSession.catalog.listTables(dbName)]

    def setConf(self, key, value):
        self.sparkSession.conf.set(key, value)

    def getConf(self, key, defaultValue=None):
        return self.sparkSession.conf.get(key, defaultValue)
