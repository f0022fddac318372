"""``SQLContext``: the pre-2.0 entry point, kept as a thin view of a SparkSession.

>>> from sparklet.sql import SQLContext
>>> SQLContext(sc).range(2).count()
2
"""


class SQLContext:
    """The legacy entry point: every method forwards to the SparkSession over ``sparkContext``."""

    def __init__(self, sparkContext, sparkSession=None):
        from .session import SparkSession
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
