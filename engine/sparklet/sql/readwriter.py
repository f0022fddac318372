"""``spark.read`` and ``df.write``: the DataFrameReader/Writer API over the file data sources.

The reader lists files and infers the schema in the driver (``datasources.list_files`` /
``infer_schema``), then a ``FileScan`` relation reads one Spark file partition per task
(``plan_splits`` / ``read_split``). The writer runs one job whose tasks each write their
partition under the output's ``_temporary`` directory, then commits in the driver; a failed job
is aborted, leaving no partial output.

>>> df = spark.range(3)
>>> import tempfile, os
>>> d = os.path.join(tempfile.mkdtemp(), "out")
>>> df.write.json(d)
>>> spark.read.json(d).count()
3
"""

from . import types as T
from .dataframe import DataFrame
from .expressions import AttributeReference
from .plan import LeafRelation
from .relations import Source

_FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "text": "Text", "parquet": "Parquet"}


class FileSource(Source):
    """A file scan: the files, their schema and Spark's file partitions."""
    codegen = False

    def __init__(self, fmt, files, schema, options, paths):
        self.fmt = fmt
        self.files = files
        self.schema = schema
        self.options = options
        self.paths = paths

    def size_estimate(self):
        return sum(f.size for f in self.files)

    def bytes_estimate(self):
        return sum(f.size for f in self.files)

    def logical_string(self, output):
        return "Relation [%s] %s" % (",".join(a.explain() for a in output), self.fmt)

    file_scan = True

    def scan_metadata(self, output, filters=()):
        """Spark's FileSourceScanExec metadata for a scan reading ``output`` under ``filters``
        (conjuncts above the scan): {key: text}, as the simple and formatted explains print it."""
        from .datasources import qualified
        from .physical import source_filter
        names = {a.name for a in output}
        partition_names = {k for f in self.files for k, _ in f.partition_values}
        data = [f for f in filters if not all(r.name in partition_names for r in f.references())]
        partition = [f for f in filters if f.references() and all(r.name in partition_names for r in f.references())]
        pushed = [t for t in (source_filter(f) for f in data) if t is not None]
        fields = [f for f in self.schema.fields if f.name in names and f.name not in partition_names]
        return {
            "Batched": "true" if self.fmt == "parquet" else "false",
            "DataFilters": "[%s]" % ", ".join(f.explain() for f in data),
            "Format": _FORMAT_NAMES[self.fmt],
            "Location": "InMemoryFileIndex(%d paths)[%s]" % (len(self.paths), ", ".join(qualified(p) for p in self.paths)),
            "RootPaths": [qualified(p) for p in self.paths],
            "PartitionFilters": "[%s]" % ", ".join(f.explain() for f in partition),
            "PushedFilters": "[%s]" % ", ".join(pushed),
            "ReadSchema": "struct<%s>" % ",".join("%s:%s" % (f.name, f.dataType.simpleString()) for f in fields),
        }

    def physical_string(self, output, filters=()):
        meta = self.scan_metadata(output, filters)
        return "FileScan %s [%s] %s" % (self.fmt, ",".join(a.explain() for a in output), ", ".join(
            "%s: %s" % (k, meta[k]) for k in ("Batched", "DataFilters", "Format", "Location", "PartitionFilters",
                                              "PushedFilters", "ReadSchema")))

    def rdd(self, session, output):
        from .datasources import LINE_FORMATS, plan_splits, read_split
        fmt, schema, options = self.fmt, self.schema, self.options
        splittable = fmt in LINE_FORMATS and not _true(options.get("multiline")) and not _true(options.get("wholetext"))
        splits = plan_splits(self.files, session.sparkContext.defaultParallelism, splittable=splittable)
        if not splits:
            splits = [[]]
        cols = [a.col for a in output]

        def read(iterator):
            for split in iterator:
                table = read_split(fmt, split, schema, options)
                yield table.rename_columns(cols)
        return session.sparkContext.parallelize(splits, len(splits)).mapPartitions(read)


def _true(v):
    return str(v).lower() == "true" if v is not None else False


class DataFrameReader:
    """``spark.read``: format, options and schema, then ``load`` (or ``json``/``csv``/...)."""

    def __init__(self, spark):
        self._spark = spark
        self._format = "parquet"
        self._schema = None
        self._options = {}

    def format(self, source):
        self._format = source.lower()
        return self

    def schema(self, schema):
        if isinstance(schema, str):
            schema = T._parse_datatype_string(schema)
        self._schema = schema
        return self

    def option(self, key, value):
        self._options[key.lower()] = value if isinstance(value, str) else (
            str(value).lower() if isinstance(value, bool) else str(value))
        return self

    def options(self, **options):
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def load(self, path=None, format=None, schema=None, **options):
        """Read files of the chosen format into a DataFrame."""
        from .datasources import FORMATS, infer_schema, list_files
        if format is not None:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self.options(**options)
        if self._format not in FORMATS:
            from .expressions import analysis_exception
            raise analysis_exception("DATA_SOURCE_NOT_FOUND", provider=self._format)
        if path is None:
            path = self._options.get("path")
        paths = [path] if isinstance(path, str) else list(path)
        files = list_files(paths)
        if self._schema is not None:
            schema = self._schema
            if self._format == "text" and not schema.fields:
                schema = T.StructType([T.StructField("value", T.StringType(), True)])
        else:
            schema = infer_schema(self._format, files, self._options)
        out = [AttributeReference(f.name, f.dataType, True) for f in schema.fields]
        schema = T.StructType([T.StructField(f.name, f.dataType, True) for f in schema.fields])
        source = FileSource(self._format, files, schema, dict(self._options), paths)
        return DataFrame(LeafRelation(out, source), self._spark)

    def json(self, path, schema=None, multiLine=None, **options):
        """Example:

        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "people.json")
        >>> _ = open(p, "w").write('{"name": "Andy", "age": 30}\\n')
        >>> spark.read.json(p).collect()
        [Row(age=30, name='Andy')]
        """
        if multiLine is not None:
            options["multiLine"] = multiLine
        return self.format("json").load(path, schema=schema, **options)

    def csv(self, path, schema=None, sep=None, header=None, inferSchema=None, **options):
        for k, v in (("sep", sep), ("header", header), ("inferSchema", inferSchema)):
            if v is not None:
                options[k] = v
        return self.format("csv").load(path, schema=schema, **options)

    def text(self, paths, wholetext=False, lineSep=None, **options):
        if wholetext:
            options["wholetext"] = True
        if lineSep is not None:
            options["lineSep"] = lineSep
        return self.format("text").load(paths, **options)

    def parquet(self, *paths, **options):
        return self.format("parquet").load(list(paths), **options)

    def table(self, tableName):
        return self._spark.table(tableName)


class DataFrameWriter:
    """``df.write``: mode, format, options and partitionBy, then ``save`` (or ``json``/...)."""

    def __init__(self, df):
        self._df = df
        self._mode = "errorifexists"
        self._format = "parquet"
        self._options = {}
        self._partition_by = []

    def mode(self, saveMode):
        if saveMode is not None:
            self._mode = saveMode
        return self

    def format(self, source):
        self._format = source.lower()
        return self

    def option(self, key, value):
        self._options[key.lower()] = value if isinstance(value, str) else (
            str(value).lower() if isinstance(value, bool) else str(value))
        return self

    def options(self, **options):
        for k, v in options.items():
            if v is not None:
                self.option(k, v)
        return self

    def partitionBy(self, *cols):
        if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
            cols = cols[0]
        self._partition_by = list(cols)
        return self

    def save(self, path=None, format=None, mode=None, partitionBy=None, **options):
        """Write the DataFrame's partitions as files, committed once every task succeeded."""
        from .datasources import WriteJob
        from .physical import Compiler
        from .dataframe import QueryExecution
        if format is not None:
            self.format(format)
        self.mode(mode)
        if partitionBy is not None:
            self.partitionBy(partitionBy)
        self.options(**options)
        df = self._df
        out = df._plan.output
        schema = df.schema
        job = WriteJob(path, self._format, self._mode, self._options, self._partition_by, schema)
        if not job.setup():
            return
        cols = [a.col for a in out]
        names = [a.name for a in out]
        qe = QueryExecution(df.sparkSession, df._plan)
        rdd = qe.to_rdd()

        def write(index, iterator):
            from .engine import concat
            tables = [t for t in iterator if t is not None]
            if tables:
                table = concat(tables).select(cols).rename_columns(names)
            else:
                table = T.rows_to_arrow([], schema)
            yield index, job.write_task(index, table)
        try:
            # a write is a SQL execution of its own, as in Spark
            with df.sparkSession._action(df, qe):
                results = rdd.mapPartitionsWithIndex(write).collect()
        except BaseException:
            job.abort()
            raise
        job.commit(results)

    def json(self, path, mode=None, **options):
        self.format("json").save(path, mode=mode, **options)

    def csv(self, path, mode=None, sep=None, header=None, **options):
        for k, v in (("sep", sep), ("header", header)):
            if v is not None:
                options[k] = v
        self.format("csv").save(path, mode=mode, **options)

    def text(self, path, **options):
        self.format("text").save(path, **options)

    def parquet(self, path, mode=None, partitionBy=None, **options):
        self.format("parquet").save(path, mode=mode, partitionBy=partitionBy, **options)

    def saveAsTable(self, name, format=None, mode=None, partitionBy=None, **options):
        self._df.createOrReplaceTempView(name)
