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

_FORMAT_NAMES = {"json": "JSON", "csv": "CSV", "text": "Text", "parquet": "Parquet", "orc": "ORC"}


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
            _unsupported_source(self._format)
        if path is None:
            path = self._options.get("path")
        paths = [path] if isinstance(path, str) else list(path)
        if "ignorecorruptfiles" not in self._options:
            # the session's default for the generic file source option
            self.option("ignoreCorruptFiles",
                        self._spark.conf.get("spark.sql.files.ignoreCorruptFiles", "false"))
        files = list_files(paths, self._options)
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
        >>> spark.read.json(spark.createDataFrame([('{"a": 1}',)], "value string")).collect()
        [Row(a=1)]
        """
        if multiLine is not None:
            options["multiLine"] = multiLine
        from ..rdd import RDD
        if isinstance(path, DataFrame):
            path = _json_strings(path)
        if isinstance(path, RDD):
            return self.format("json").options(**options)._json_rdd(path, schema)
        return self.format("json").load(path, schema=schema, **options)

    def _json_rdd(self, rdd, schema):
        """JSON records held as strings in an RDD: a schema-inference job over the RDD (unless a
        schema is given), then a scan of the RDD itself."""
        from .datasources import infer_json_records, json_rows
        from .relations import RDDRows
        if schema is not None:
            self.schema(schema)
        options = dict(self._options)
        lines = rdd.map(lambda s: s.encode("utf-8") if isinstance(s, str) else s)
        if self._schema is None:
            schema = infer_json_records(lines.mapPartitions(lambda it: [list(it)]).collect(), options)
        else:
            schema = self._schema
        schema = T.StructType([T.StructField(f.name, f.dataType, True) for f in schema.fields])
        fields = list(schema.fields)
        rows = lines.mapPartitions(lambda it: json_rows(list(it), fields, options))
        out = [AttributeReference(f.name, f.dataType, True) for f in schema.fields]
        return DataFrame(LeafRelation(out, RDDRows(rows, schema)), self._spark)

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

    def orc(self, path, mergeSchema=None, pathGlobFilter=None, recursiveFileLookup=None,
            modifiedBefore=None, modifiedAfter=None):
        """ORC files (read with pyarrow's ORC reader).

        >>> import tempfile, os
        >>> d = os.path.join(tempfile.mkdtemp(), "o")
        >>> spark.range(2).write.orc(d)
        >>> spark.read.orc(d).orderBy("id").collect()
        [Row(id=0), Row(id=1)]
        """
        return self.format("orc").load(path, mergeSchema=mergeSchema, pathGlobFilter=pathGlobFilter,
                                       recursiveFileLookup=recursiveFileLookup,
                                       modifiedBefore=modifiedBefore, modifiedAfter=modifiedAfter)

    def jdbc(self, url, table, column=None, lowerBound=None, upperBound=None, numPartitions=None,
             predicates=None, properties=None):
        """Not available without a JVM:

        >>> spark.read.jdbc("jdbc:postgresql:db", "t")
        Traceback (most recent call last):
            ...
        sparklet.errors.exceptions.captured.AnalysisException: Data source 'jdbc' is not available in Sparklet: ...
        """
        _unsupported_source("jdbc")

    def xml(self, path, rowTag=None, schema=None, **options):
        """Not available without a JVM:

        >>> spark.read.xml("people.xml", rowTag="person")
        Traceback (most recent call last):
            ...
        sparklet.errors.exceptions.captured.AnalysisException: Data source 'xml' is not available in Sparklet: ...
        """
        _unsupported_source("xml")

    def table(self, tableName):
        return self._spark.table(tableName)


def _unsupported_source(fmt):
    """The error for a data source Sparklet has no reader for. JDBC drivers, Avro, XML and Hive
    tables live in the JVM: say so, rather than Spark's generic "not found"."""
    from .expressions import analysis_exception
    from sparklet.errors import AnalysisException
    jvm_only = {"jdbc": "JDBC (its drivers are Java classes)", "avro": "Avro (spark-avro is a JVM module)",
                "xml": "XML (Spark's XML reader is a JVM module)", "hive": "Hive tables (a Hive metastore)"}
    if fmt in jvm_only:
        raise AnalysisException(
            message="Data source '%s' is not available in Sparklet: %s needs a JVM. Read the data "
                    "with another client and pass it to spark.createDataFrame, or run this on "
                    "Apache Spark." % (fmt, jvm_only[fmt]))
    raise analysis_exception("DATA_SOURCE_NOT_FOUND", provider=fmt)


class DataFrameWriter:
    """``df.write``: mode, format, options and partitionBy, then ``save`` (or ``json``/...)."""

    def __init__(self, df):
        self._df = df
        self._mode = "errorifexists"
        self._format = "parquet"
        self._options = {}
        self._partition_by = []
        self._bucket_by = None
        self._sort_by = []

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

    def bucketBy(self, numBuckets, col, *cols):
        """Buckets for ``saveAsTable``. Sparklet keeps the bucket spec but writes the rows
        unbucketed: nothing reads buckets back (no bucketed joins without a shuffle).

        >>> spark.range(3).write.bucketBy(4, "id").sortBy("id")  # doctest: +ELLIPSIS
        <...DataFrameWriter object at ...>
        """
        if not isinstance(numBuckets, int):
            raise TypeError("numBuckets should be an int, got %s." % type(numBuckets))
        if isinstance(col, (list, tuple)):
            col, cols = col[0], tuple(col[1:]) + cols
        self._bucket_by = (numBuckets, [col, *cols])
        return self

    def sortBy(self, col, *cols):
        """The sort order of each bucket, for ``saveAsTable`` after ``bucketBy``.

        >>> spark.range(3).write.sortBy("id").save("never_written")
        Traceback (most recent call last):
            ...
        sparklet.errors.exceptions.captured.AnalysisException: 'save' does not support bucketBy and sortBy right now.
        """
        if isinstance(col, (list, tuple)):
            col, cols = col[0], tuple(col[1:]) + cols
        self._sort_by = [col, *cols]
        return self

    def save(self, path=None, format=None, mode=None, partitionBy=None, **options):
        """Write the DataFrame's partitions as files, committed once every task succeeded."""
        if self._bucket_by is not None or self._sort_by:
            from sparklet.errors import AnalysisException
            raise AnalysisException(message="'save' does not support %s right now." % (
                "bucketBy and sortBy" if self._sort_by else "bucketBy"))
        self._save(path, format, mode, partitionBy, **options)

    def _save(self, path=None, format=None, mode=None, partitionBy=None, **options):
        from .datasources import FORMATS, WriteJob
        from .dataframe import QueryExecution
        if format is not None:
            self.format(format)
        if self._format not in FORMATS:
            _unsupported_source(self._format)
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

    def orc(self, path, mode=None, partitionBy=None, compression=None):
        """ORC files, written with pyarrow's ORC writer (snappy-compressed).

        >>> import tempfile, os
        >>> d = os.path.join(tempfile.mkdtemp(), "o")
        >>> spark.createDataFrame([("a", 1)], "k string, v int").write.orc(d)
        >>> spark.read.orc(d).collect()
        [Row(k='a', v=1)]
        """
        self.format("orc").save(path, mode=mode, partitionBy=partitionBy, compression=compression)

    def jdbc(self, url, table, mode=None, properties=None):
        """Not available without a JVM:

        >>> spark.range(1).write.jdbc("jdbc:postgresql:db", "t")
        Traceback (most recent call last):
            ...
        sparklet.errors.exceptions.captured.AnalysisException: Data source 'jdbc' is not available in Sparklet: ...
        """
        _unsupported_source("jdbc")

    def saveAsTable(self, name, format=None, mode=None, partitionBy=None, **options):
        """A managed table: the files go to ``<spark.sql.warehouse.dir>/<name>`` and the session
        catalog keeps the table until ``DROP TABLE`` (Sparklet's catalog is in memory, as Spark's
        without Hive support).

        >>> import os, tempfile
        >>> here = os.getcwd(); os.chdir(tempfile.mkdtemp())  # the warehouse is ./spark-warehouse
        >>> spark.range(2).write.saveAsTable("two_ids")
        >>> spark.table("two_ids").count()
        2
        >>> os.listdir("spark-warehouse")
        ['two_ids']
        >>> _ = spark.sql("DROP TABLE two_ids")
        >>> os.listdir("spark-warehouse"), os.chdir(here)
        ([], None)
        """
        import os
        from .datasources import local_path
        catalog = self._df.sparkSession.catalog
        key = catalog._table_key(name)
        if format is not None:
            self.format(format)
        self.mode(mode)
        mode = self._mode.lower()
        exists = key in catalog._tables
        if exists and mode in ("error", "errorifexists", "default"):
            from .expressions import analysis_exception, quote_ident
            raise analysis_exception("TABLE_OR_VIEW_ALREADY_EXISTS",
                                     relationName="`spark_catalog`.`default`.%s" % quote_ident(key))
        if exists and mode == "ignore":
            return
        warehouse = self._df.sparkSession.conf.get("spark.sql.warehouse.dir", "spark-warehouse")
        location = os.path.join(os.path.abspath(local_path(warehouse)), key)
        if exists and mode == "append":
            location = catalog._tables[key][1]
        self._save(location, None, "overwrite" if exists and mode == "overwrite" else (
            "append" if exists else "errorifexists"), partitionBy, **options)
        table = self._df.sparkSession.read.format(self._format).load(location)
        catalog._tables[key] = (table._plan, location)


def _json_strings(df):
    """The JSON records of a DataFrame of one string column (Spark's ``json(Dataset[String])``),
    as an RDD of strings."""
    from ..errors import PySparkTypeError
    fields = df.schema.fields
    if len(fields) != 1 or not isinstance(fields[0].dataType, T.StringType):
        raise PySparkTypeError(
            "spark.read.json() of a DataFrame needs exactly one string column of JSON records; "
            "this one has %s. Select the column first: df.select('col')." % df.schema.simpleString())
    return df.rdd.map(_record_text)


def _record_text(row):
    return row[0]

