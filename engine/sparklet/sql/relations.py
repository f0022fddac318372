"""Leaf relations: where a query's partitions come from.

Each source makes an RDD whose partitions each hold one Arrow table with the relation's columns
named by attribute id, and tells the planner what Spark would know of its size:
``size_estimate`` is Spark's ``sizeInBytes`` for the broadcast decision (None where Spark has no
statistics, as for a DataFrame made from local data or an RDD, which Spark never broadcasts),
``bytes_estimate`` is what the exchange uses to choose its number of reduce partitions.
"""

from . import types as T


def _arrow_schema(output):
    import pyarrow as pa
    return pa.schema([pa.field(a.col, T.to_arrow_type(a.dataType)) for a in output])


def _rename(table, output):
    return table.rename_columns([a.col for a in output])


class Source:
    codegen = True

    def size_estimate(self):
        return None

    def bytes_estimate(self):
        return None

    def logical_string(self, output):
        return "LogicalRDD [%s], false" % ", ".join(a.explain() for a in output)

    def physical_string(self, output):
        return "Scan ExistingRDD[%s]" % ",".join(a.explain() for a in output)

    def formatted_arguments(self, output):
        # PySpark's rows reach the JVM through applySchemaToPythonRDD; the RDD id is the JVM's
        return ("[%s], MapPartitionsRDD[0] at applySchemaToPythonRDD at NativeMethodAccessorImpl.java:0, "
                "ExistingRDD, UnknownPartitioning(0)" % ", ".join(a.explain() for a in output))


class LocalRows(Source):
    """Rows given to ``createDataFrame``: parallelized as PySpark does (``defaultParallelism``
    slices), so each row lands in the partition it lands in under PySpark."""

    def __init__(self, rows, schema, num_slices):
        self.rows = rows
        self.schema = schema
        self.num_slices = num_slices
        self._bytes = None

    def bytes_estimate(self):
        return 64 * len(self.rows) * max(1, len(self.schema.fields))

    def rdd(self, session, output):
        sc = session.sparkContext
        n = max(1, self.num_slices)
        rows = self.rows
        slices = [rows[i * len(rows) // n:(i + 1) * len(rows) // n] for i in range(n)]
        tables = [_rename(T.rows_to_arrow(s, self.schema), output) for s in slices]
        return sc.parallelize(tables, len(tables))


class ArrowSource(Source):
    """Arrow tables already in the driver (``createDataFrame`` of pandas, a cached result)."""

    def __init__(self, tables, label="LogicalRDD"):
        self.tables = tables
        self.label = label

    def bytes_estimate(self):
        return sum(t.nbytes for t in self.tables)

    def rdd(self, session, output):
        tables = [_rename(t, output) for t in self.tables] or [_arrow_schema(output).empty_table()]
        return session.sparkContext.parallelize(tables, len(tables))


class RangeSource(Source):
    def __init__(self, start, end, step, splits):
        self.start, self.end, self.step, self.splits = start, end, step, splits

    def count(self):
        if self.step > 0:
            return max(0, (self.end - self.start + self.step - 1) // self.step)
        return max(0, (self.start - self.end - self.step - 1) // -self.step)

    def size_estimate(self):
        return 8 * self.count()

    def bytes_estimate(self):
        return 8 * self.count()

    def logical_string(self, output):
        return "Range (%d, %d, step=%d, splits=Some(%d))" % (self.start, self.end, self.step, self.splits)

    def physical_string(self, output):
        return "Range (%d, %d, step=%d, splits=%d)" % (self.start, self.end, self.step, self.splits)

    def formatted_arguments(self, output):
        return self.logical_string(output)

    def rdd(self, session, output):
        n, start, step, splits = self.count(), self.start, self.step, self.splits
        col = output[0].col

        def make(index, _):
            import numpy as np
            import pyarrow as pa
            lo = index * n // splits
            hi = (index + 1) * n // splits
            # one pass: arange(lo, hi) * step + start would write the partition three times
            values = np.arange(start + lo * step, start + hi * step, step, dtype=np.int64)
            yield pa.table({col: pa.array(values, pa.int64())})
        return session.sparkContext.parallelize(range(splits), splits).mapPartitionsWithIndex(make)


class RDDRows(Source):
    """An RDD of rows (tuples, Rows, dicts) with a schema: ``createDataFrame(rdd)``."""

    def __init__(self, rdd, schema, verify=True):
        self.source_rdd = rdd
        self.schema = schema

    def rdd(self, session, output):
        schema = self.schema
        cols = [a.col for a in output]

        def convert(iterator):
            import pyarrow as pa
            rows = list(iterator)
            table = T.rows_to_arrow(rows, schema)
            yield table.rename_columns(cols)
        return self.source_rdd.mapPartitions(convert)


class CachedSource(Source):
    """A persisted query result: ``df.cache()`` keeps the RDD of its Arrow partitions."""
    codegen = False

    def __init__(self, rdd, output, inner_string):
        self.cached_rdd = rdd
        self.cached_output = output
        self.inner_string = inner_string

    def logical_string(self, output):
        return "InMemoryRelation [%s], StorageLevel(disk, memory, deserialized, 1 replicas)" % ", ".join(
            a.explain() for a in output)

    def physical_string(self, output):
        return "InMemoryTableScan [%s]" % ", ".join(a.explain() for a in output)

    def rdd(self, session, output):
        src = [a.col for a in self.cached_output]
        dst = [a.col for a in output]
        if src == dst:
            return self.cached_rdd
        return self.cached_rdd.map(lambda t: t.rename_columns(dst))
