"""File data sources: json, csv, text, parquet and orc (pyarrow's ORC reader and writer), read
and written as Spark's file sources do.

The interface the DataFrameReader/Writer and the file-scan relation call:

Reading
  ``files = list_files(paths, options)``
      The data files under paths, directories and globs, as ``(path, size)`` in Spark's listing
      order (roots as given; in a directory, its files by name before its subdirectories');
      hidden files (``_SUCCESS``, ``.crc``, names starting ``_`` or ``.``) are skipped, and
      ``k=v`` directories become partition values (a directory without them contributes only its
      own files). The generic options ``recursiveFileLookup``, ``pathGlobFilter`` and
      ``modifiedBefore``/``modifiedAfter`` apply. A missing path raises AnalysisException
      ``[PATH_NOT_FOUND] Path does not exist: file:/abs/path.``
  ``schema = infer_schema(fmt, files, options)``
      The schema Spark infers (json: fields sorted by name, integers ``long``, ``_corrupt_record``
      when a line is malformed; csv: ``_c0``.. or the header, strings unless ``inferSchema``; text:
      ``value``; parquet/orc: the first file's own, or all files' merged under ``mergeSchema``),
      every field nullable, partition columns appended.
  ``splits = plan_splits(files, default_parallelism, splittable=fmt in LINE_FORMATS)``
      Spark's FilePartitions: files cut at ``maxSplitBytes`` and packed largest-first, so the
      number and content of partitions is Spark's.
  ``table = read_split(fmt, split, schema, options)``
      One partition (a list of ``FileSplit``) as a pyarrow Table with ``schema``'s columns; a file
      the format cannot decode is skipped under ``ignoreCorruptFiles``, else fails the task with
      ``[FAILED_READ_FILE.NO_HINT]``.
      Line formats read the lines that *start* inside the split (Hadoop's LineRecordReader).

Writing (a commit protocol, as Spark's FileOutputCommitter)
  ``job = WriteJob(path, fmt, mode, options, partition_by, schema)``; ``job.setup()`` returns
  False when mode ``ignore`` finds existing output (nothing to do) and raises
  ``[PATH_ALREADY_EXISTS]`` for ``error``/``errorifexists``; each task calls
  ``job.write_task(partition_id, table)`` (files go under ``_temporary``); the driver calls
  ``job.commit(task_results)`` (replaces old output for ``overwrite``, moves the files into
  place, writes ``_SUCCESS``) or ``job.abort()`` on failure, which leaves no partial output.
  Part files are named as Spark names them: ``part-00000-<job uuid>-c000.snappy.parquet``,
  ``.snappy.orc``, ``.json``, ``.csv``, ``.txt``; ``partitionBy`` writes ``k=v/`` directories.
"""

import csv
import datetime
import decimal
import glob
import io
import json
import math
import os
import re
import shutil
import urllib.parse
import uuid

from sparklet.filesystem import local_path, qualified as _qualified

from . import types as T

FORMATS = ("json", "csv", "text", "parquet", "orc")
COLUMNAR_FORMATS = ("parquet", "orc")
LINE_FORMATS = ("json", "csv", "text")
MAX_PARTITION_BYTES = 128 * 1024 * 1024
OPEN_COST_IN_BYTES = 4 * 1024 * 1024
CORRUPT_RECORD = "_corrupt_record"
DEFAULT_PARTITION_NAME = "__HIVE_DEFAULT_PARTITION__"


def _analysis_error(condition, **params):
    from sparklet.errors import AnalysisException

    return AnalysisException(errorClass=condition, messageParameters=params)


def qualified(path):
    """A local path as Spark names it in messages: ``file:/abs/path``."""
    return _qualified(local_path(path))


def _hidden(name):
    return (name.startswith("_") and "=" not in name) or name.startswith(".") or name.endswith(".crc")


class DataFile:
    """One data file and the partition values its ``k=v`` directories give it."""

    def __init__(self, path, size, partition_values=()):
        self.path = path
        self.size = size
        self.partition_values = tuple(partition_values)

    def __repr__(self):
        return "DataFile(%r, %d, %r)" % (self.path, self.size, self.partition_values)


def list_files(paths, options=None):
    """The data files of ``paths`` (files, directories, globs), Spark's way.

    A directory without ``k=v`` partition directories contributes only its own files, as
    Spark's file index reads a root's leaf files when there are no partition columns; the
    options ``recursiveFileLookup`` (every file below, no partition discovery),
    ``pathGlobFilter`` (a glob on file names) and ``modifiedBefore``/``modifiedAfter`` (local
    date-times) narrow the listing as Spark's generic file source options do.

    >>> list_files(["/no/such/dir"])
    Traceback (most recent call last):
        ...
    sparklet.errors.exceptions.captured.AnalysisException: [PATH_NOT_FOUND] Path does not exist: file:/no/such/dir. SQLSTATE: 42K03
    """
    if isinstance(paths, str):
        paths = [paths]
    recursive = _option_true(options or {}, "recursiveFileLookup")
    files = []
    for given in paths:
        path = local_path(given)
        matches = sorted(glob.glob(path)) if glob.has_magic(path) else (
            [path] if os.path.exists(path) else [])
        if not matches:
            raise _analysis_error("PATH_NOT_FOUND", path=qualified(path))
        for match in matches:
            if os.path.isdir(match):
                # a directory's own files before its subdirectories', as Spark's listing
                found = sorted(_walk(match, match), key=lambda f: _listing_order(match, f.path))
                if recursive:
                    found = [DataFile(f.path, f.size) for f in found]
                elif not any(f.partition_values for f in found):
                    root = os.path.abspath(match)
                    found = [f for f in found if os.path.dirname(f.path) == root]
                files.extend(found)
            elif not _hidden(os.path.basename(match)):
                files.append(DataFile(os.path.abspath(match), os.path.getsize(match)))
    return _filter_files(files, options)


def _listing_order(root, path):
    parts = os.path.relpath(path, root).split(os.sep)
    return [(1, p) for p in parts[:-1]] + [(0, parts[-1])]


def _option(options, name, default=None):
    """An option by its case-insensitive name, as Spark's CaseInsensitiveMap finds it."""
    for k, v in (options or {}).items():
        if k.lower() == name.lower() and v is not None:
            return v
    return default


def _modified_limit(options, name):
    value = _option(options, name)
    if value is None:
        return None
    try:
        return datetime.datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        from sparklet.errors import AnalysisException

        raise AnalysisException(
            message="The timestamp provided for the '%s' option is invalid. The expected format is "
                    "'YYYY-MM-DDTHH:mm:ss', but the provided timestamp: %s" % (name, value)) from None


def _filter_files(files, options):
    import fnmatch

    pattern = _option(options, "pathGlobFilter")
    before = _modified_limit(options, "modifiedBefore")
    after = _modified_limit(options, "modifiedAfter")
    kept = []
    for f in files:
        if pattern is not None and not fnmatch.fnmatchcase(os.path.basename(f.path), pattern):
            continue
        if before is not None or after is not None:
            mtime = os.path.getmtime(f.path)
            if (before is not None and mtime >= before) or (after is not None and mtime <= after):
                continue
        kept.append(f)
    return kept


def _walk(root, directory):
    found = []
    for name in sorted(os.listdir(directory)):
        if _hidden(name):
            continue
        full = os.path.join(directory, name)
        if os.path.isdir(full):
            found.extend(_walk(root, full))
        else:
            rel = os.path.relpath(os.path.dirname(full), root)
            values = []
            if rel != ".":
                for part in rel.split(os.sep):
                    if "=" in part:
                        key, _, value = part.partition("=")
                        values.append((urllib.parse.unquote(key), urllib.parse.unquote(value)))
            found.append(DataFile(os.path.abspath(full), os.path.getsize(full), values))
    return found


def partition_schema(files):
    """Partition columns found in ``k=v`` directories, typed as Spark infers them (int, bigint,
    double, date, else string)."""
    names = []
    values = {}
    for f in files:
        for key, value in f.partition_values:
            if key not in values:
                names.append(key)
                values[key] = []
            values[key].append(value)
    fields = []
    for name in names:
        kinds = [_partition_value_type(v) for v in values[name] if v != DEFAULT_PARTITION_NAME]
        data_type = T.NullType() if not kinds else kinds[0]
        for kind in kinds[1:]:
            data_type = _widen(data_type, kind)
        if isinstance(data_type, T.NullType):
            data_type = T.StringType()
        fields.append(T.StructField(name, data_type, True))
    return T.StructType(fields)


def _partition_value_type(text):
    if re.fullmatch(r"-?\d+", text):
        value = int(text)
        if -2 ** 31 <= value < 2 ** 31:
            return T.IntegerType()
        if -2 ** 63 <= value < 2 ** 63:
            return T.LongType()
        return T.DecimalType(min(38, len(text.lstrip("-"))), 0)
    try:
        float(text)
        return T.DoubleType()
    except ValueError:
        pass
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            datetime.date.fromisoformat(text)
            return T.DateType()
        except ValueError:
            pass
    return T.StringType()


def _convert_partition_value(text, data_type):
    if text == DEFAULT_PARTITION_NAME:
        return None
    if isinstance(data_type, (T.IntegerType, T.LongType)):
        return int(text)
    if isinstance(data_type, T.DoubleType):
        return float(text)
    if isinstance(data_type, T.DecimalType):
        return decimal.Decimal(text)
    if isinstance(data_type, T.DateType):
        return datetime.date.fromisoformat(text)
    return text


# --- splits ---------------------------------------------------------------------------------------

class FileSplit:
    """A byte range of one file: what one task of a file scan reads (Spark's PartitionedFile)."""

    def __init__(self, file, start, length):
        self.file = file
        self.start = start
        self.length = length

    def __repr__(self):
        return "FileSplit(%r, %d, %d)" % (self.file.path, self.start, self.length)


def plan_splits(files, default_parallelism, splittable=True,
                max_partition_bytes=MAX_PARTITION_BYTES, open_cost=OPEN_COST_IN_BYTES):
    """Spark's file partitions: each file cut into ``maxSplitBytes`` pieces (if splittable),
    pieces sorted largest first and packed into partitions up to ``maxSplitBytes``, each
    piece costing its length plus ``openCostInBytes``.

    >>> [[s.file.path for s in p] for p in plan_splits([DataFile("/a", 10), DataFile("/b", 20)], 2)]
    [['/b'], ['/a']]
    """
    total = sum(f.size + open_cost for f in files)
    bytes_per_core = total // max(default_parallelism, 1)
    max_split = min(max_partition_bytes, max(open_cost, bytes_per_core))
    pieces = []
    for f in files:
        if splittable and f.size > 0 and not _compressed(f.path):
            for start in range(0, f.size, max_split):
                pieces.append(FileSplit(f, start, min(max_split, f.size - start)))
        else:
            pieces.append(FileSplit(f, 0, f.size))
    pieces.sort(key=lambda p: -p.length)
    partitions, current, size = [], [], 0
    for piece in pieces:
        if current and size + piece.length > max_split:
            partitions.append(current)
            current, size = [], 0
        current.append(piece)
        size += piece.length + open_cost
    if current:
        partitions.append(current)
    return partitions


# Hadoop's codecs for line formats, by the extension they add; a compressed file is not split
_CODEC_EXTENSIONS = {"gzip": ".gz", "bzip2": ".bz2", "none": "", "uncompressed": ""}


def _compressed(path):
    return path.endswith((".gz", ".bz2"))


def _read_bytes(path):
    """A file's bytes, decompressed when its extension names a codec."""
    if path.endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as f:
            return f.read()
    if path.endswith(".bz2"):
        import bz2

        with bz2.open(path, "rb") as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def _split_lines(split, line_sep=None):
    """The lines (bytes, without their separator) that *start* inside ``split``, as Hadoop's
    LineRecordReader assigns them: a split other than the first skips through the first line
    end at or after its start (the previous split reads that line), and a split reads every
    line starting at or before its end."""
    data = _read_bytes(split.file.path)
    start, end = split.start, split.start + split.length
    if _compressed(split.file.path):
        start, end = 0, len(data)
    pattern = (re.compile(rb"\r\n|\n|\r") if line_sep is None
               else re.compile(re.escape(line_sep.encode("utf-8"))))
    pos = start
    if start != 0:
        m = pattern.search(data, start)
        if m is None:
            return []
        pos = m.end()
    lines = []
    while pos <= end and pos < len(data):
        m = pattern.search(data, pos)
        if m is None:
            lines.append(data[pos:])
            break
        lines.append(data[pos:m.start()])
        pos = m.end()
    return lines


# --- JSON ---------------------------------------------------------------------------------------

def _json_value_type(value):
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        if -2 ** 63 <= value < 2 ** 63:
            return T.LongType()
        digits = len(str(abs(value)))
        return T.DecimalType(digits, 0) if digits <= 38 else T.DoubleType()
    if isinstance(value, float):
        return T.DoubleType()
    if isinstance(value, str):
        return T.StringType()
    if isinstance(value, list):
        element = T.NullType()
        for item in value:
            element = _widen(element, _json_value_type(item))
        return T.ArrayType(element, True)
    if isinstance(value, dict):
        return T.StructType([T.StructField(k, _json_value_type(v), True)
                             for k, v in sorted(value.items())])
    return T.StringType()


def _widen(a, b):
    """Spark's compatible type of two inferred types (JsonInferSchema/CSVInferSchema)."""
    if a == b:
        return a
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    numeric_order = [T.IntegerType, T.LongType, T.DecimalType, T.DoubleType]
    ka = next((i for i, c in enumerate(numeric_order) if isinstance(a, c)), None)
    kb = next((i for i, c in enumerate(numeric_order) if isinstance(b, c)), None)
    if ka is not None and kb is not None:
        if isinstance(a, T.DecimalType) and isinstance(b, T.DecimalType):
            scale = max(a.scale, b.scale)
            whole = max(a.precision - a.scale, b.precision - b.scale)
            return T.DecimalType(min(38, whole + scale), scale) if whole + scale <= 38 else T.DoubleType()
        if isinstance(a, T.DecimalType) or isinstance(b, T.DecimalType):
            other = b if isinstance(a, T.DecimalType) else a
            dec = a if isinstance(a, T.DecimalType) else b
            if isinstance(other, T.DoubleType):
                return T.DoubleType()
            digits = 10 if isinstance(other, T.IntegerType) else 20
            return _widen(dec, T.DecimalType(digits, 0))
        return numeric_order[max(ka, kb)]()
    if isinstance(a, T.DateType) and isinstance(b, (T.TimestampType, T.TimestampNTZType)):
        return b
    if isinstance(b, T.DateType) and isinstance(a, (T.TimestampType, T.TimestampNTZType)):
        return a
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        theirs = {f.name: f.dataType for f in b.fields}
        mine = {f.name: f.dataType for f in a.fields}
        names = sorted(set(mine) | set(theirs))
        return T.StructType([T.StructField(n, _widen(mine.get(n, T.NullType()),
                                                      theirs.get(n, T.NullType())), True)
                             for n in names])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_widen(a.elementType, b.elementType), True)
    return T.StringType()


def _canonical(data_type):
    """JsonInferSchema.canonicalizeType: nulls become strings, empty structs (and fields or
    arrays holding only them) disappear, fields with empty names are dropped. None: nothing left."""
    if isinstance(data_type, T.NullType):
        return T.StringType()
    if isinstance(data_type, T.ArrayType):
        element = _canonical(data_type.elementType)
        return None if element is None else T.ArrayType(element, True)
    if isinstance(data_type, T.StructType):
        fields = []
        for f in data_type.fields:
            if f.name:
                inner = _canonical(f.dataType)
                if inner is not None:
                    fields.append(T.StructField(f.name, inner, True))
        return T.StructType(fields) if fields else None
    return data_type


def _json_records(lines, multiline_text=None):
    """(record dict or None, raw text) for each JSON record; None marks a malformed one."""
    if multiline_text is not None:
        chunks = [multiline_text]
    else:
        chunks = [None if line is None else line.decode("utf-8", "replace") for line in lines]
    for text in chunks:
        if text is None:
            # a NULL record (json() of a DataFrame's string column): Spark's parser fails it
            yield None, None
            continue
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError:
            yield None, text
            continue
        if isinstance(value, dict):
            yield value, text
        elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
            for item in value:
                yield item, text
        else:
            yield None, text


def _json_schema(record_groups, options):
    inferred = T.StructType()
    corrupt = False
    for records in record_groups:
        for record, _ in records:
            if record is None:
                corrupt = True
            else:
                inferred = _widen(inferred, _json_value_type(record))
    schema = _canonical(inferred) or T.StructType()
    if corrupt:
        column = _option(options, "columnNameOfCorruptRecord", CORRUPT_RECORD)
        schema = T.StructType(sorted(list(schema.fields) + [T.StructField(column, T.StringType())],
                                     key=lambda fl: fl.name))
    return schema


def infer_json_records(line_groups, options=None):
    """The schema Spark infers for JSON records given as lines (bytes), one list per partition:
    ``spark.read.json(rdd_of_strings)``.

    >>> infer_json_records([[b'{"a": 1}'], [b'{"b": "x"}']]).simpleString()
    'struct<a:bigint,b:string>'
    """
    return _json_schema((_json_records(lines) for lines in line_groups), options or {})


def json_rows(lines, fields, options=None):
    """The rows of JSON records given as lines (bytes), with ``fields``' types."""
    return _json_tuples(_json_records(lines), fields, options or {})


def _json_tuples(records, fields, options):
    corrupt = _option(options, "columnNameOfCorruptRecord", CORRUPT_RECORD)
    for record, raw in records:
        if record is None:
            yield tuple(raw if f.name == corrupt else None for f in fields)
        else:
            yield _json_row(record, raw, fields, corrupt)


def _json_records_of_split(split, options):
    if _option_true(options, "multiLine"):
        if split.start != 0:
            return
        yield from _json_records(None, _read_bytes(split.file.path).decode("utf-8"))
        return
    yield from _json_records(_split_lines(split, _option(options, "lineSep")))


# --- CSV ----------------------------------------------------------------------------------------

def _csv_options(options):
    # Spark's data source options are case-insensitive; the reader and writer store them lowered.
    options = {k.lower(): v for k, v in options.items()}
    sep = options.get("sep", options.get("delimiter", ","))
    if sep == "\\t":
        sep = "\t"
    return {
        "sep": sep,
        "quote": options.get("quote", '"'),
        "escape": options.get("escape", "\\"),
        "header": _option_true(options, "header"),
        "infer": _option_true(options, "inferschema"),
        "null": options.get("nullvalue", ""),
        "comment": options.get("comment"),
    }


def _csv_rows(lines, opts):
    for raw in lines:
        text = raw.decode("utf-8", "replace")
        if opts["comment"] and text.startswith(opts["comment"]):
            continue
        if all(c <= " " for c in text):
            # Spark drops lines that Java's String.trim empties: every char up to U+0020
            continue
        reader = csv.reader([text], delimiter=opts["sep"], quotechar=opts["quote"] or None,
                            escapechar=opts["escape"] or None, doublequote=True, strict=False)
        for row in reader:
            yield row


_CSV_TS = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?")
_CSV_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# Spark's default timestamp parser (stringToTimestamp) also takes a bare year, year-month and
# year-month-day: "1314" is 1314-01-01 00:00:00 once a column is past integer (after a date).
_SPARK_TS_DATE_ONLY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_JAVA_DOUBLE = re.compile(r"[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)")


def _csv_field_type(text, so_far):
    """CSVInferSchema.inferField: try integer, long, double, date/timestamp, boolean, string,
    starting from the type the column has so far."""
    order = ["int", "long", "decimal", "double", "date", "timestamp", "boolean", "string"]
    start = {T.NullType: 0, T.IntegerType: 0, T.LongType: 1, T.DecimalType: 2, T.DoubleType: 3,
             T.DateType: 4, T.TimestampType: 5, T.BooleanType: 6, T.StringType: 7}
    first = next((v for k, v in start.items() if isinstance(so_far, k)), 7)
    for kind in order[first:]:
        found = None
        if kind == "int" and re.fullmatch(r"[+-]?\d+", text) and -2 ** 31 <= int(text) < 2 ** 31:
            found = T.IntegerType()
        elif kind == "long" and re.fullmatch(r"[+-]?\d+", text) and -2 ** 63 <= int(text) < 2 ** 63:
            found = T.LongType()
        elif kind == "decimal":
            found = _csv_decimal_type(text)
        elif kind == "double" and _JAVA_DOUBLE.fullmatch(text):
            found = T.DoubleType()
        elif kind == "date" and _CSV_DATE.fullmatch(text) and _is_date(text):
            found = T.DateType()
        elif kind == "timestamp" and (_CSV_TS.fullmatch(text) or _date_only_timestamp(text) is not None):
            found = T.TimestampType()
        elif kind == "boolean" and text.lower() in ("true", "false"):
            found = T.BooleanType()
        elif kind == "string":
            found = T.StringType()
        if found is not None:
            return _widen(so_far, found) if not isinstance(so_far, T.NullType) else found
    return T.StringType()


def _csv_decimal_type(text):
    """A decimal type for a number without fraction digits that a long cannot hold (Spark reads
    numbers with a scale as doubles, and keeps decimals only for scale 0)."""
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return None
    try:
        parsed = decimal.Decimal(text).as_tuple()
    except decimal.InvalidOperation:
        return None
    scale = -parsed.exponent
    precision = len(parsed.digits)
    if scale != 0 or precision > 38:
        return None
    return T.DecimalType(precision, 0)


def _is_date(text):
    try:
        y, m, d = (int(p) for p in text.split("-"))
        datetime.date(y, m, d)
        return True
    except ValueError:
        return False


# --- schema inference ---------------------------------------------------------------------------

def _option_true(options, name):
    value = options.get(name)
    if value is None:
        value = next((v for k, v in options.items() if k.lower() == name.lower()), False)
    return str(value).lower() == "true"


def infer_schema(fmt, files, options=None):
    """The schema Spark infers for ``files`` of format ``fmt`` (partition columns appended).

    Raises ``[UNABLE_TO_INFER_SCHEMA]`` when there is nothing to infer from.
    """
    options = options or {}
    data_schema = _infer_data_schema(fmt, files, options)
    seen = set()
    for name in data_schema.names:
        # spark.sql.caseSensitive is false: `b` and `B` are one column name
        if name.lower() in seen:
            raise _analysis_error("COLUMN_ALREADY_EXISTS", columnName="`%s`" % name.lower())
        seen.add(name.lower())
    parts = partition_schema(files)
    names = {f.name for f in data_schema.fields}
    return T.StructType(list(data_schema.fields) + [f for f in parts.fields if f.name not in names])


def _footers(read_schema, files, options):
    """The files' own schemas; under ignoreCorruptFiles a file that is not of the format is
    skipped (Spark infers from the first file only, unless merging, so a corrupt first file
    leaves nothing to infer from)."""
    import pyarrow as pa

    schemas = []
    for f in files:
        try:
            schemas.append(read_schema(f.path))
        except (pa.ArrowException, OSError, EOFError):
            if not _option_true(options, "ignoreCorruptFiles"):
                raise
    return schemas


def _merged_schema(arrow_schemas):
    """The union of the files' fields in first-seen order, as ``mergeSchema`` merges footers."""
    fields = {}
    for schema in arrow_schemas:
        for f in T.from_arrow_schema(schema, nullable=True).fields:
            if f.name in fields and fields[f.name].dataType != f.dataType:
                raise _analysis_error("CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE",
                                      left='"%s"' % fields[f.name].dataType.sql(),
                                      right='"%s"' % f.dataType.sql())
            fields.setdefault(f.name, f)
    return T.StructType(list(fields.values()))


def _infer_data_schema(fmt, files, options):
    if fmt == "text":
        return T.StructType([T.StructField("value", T.StringType(), True)])
    if fmt == "parquet":
        import pyarrow.parquet as pq

        if not files:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="Parquet")
        footers = _footers(pq.read_schema, files if _option_true(options, "mergeSchema") else files[:1], options)
        if not footers:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="Parquet")
        if _option_true(options, "mergeSchema"):
            return _merged_schema(footers)
        return T.from_arrow_schema(footers[0], nullable=True)
    if fmt == "orc":
        import pyarrow.orc as orc

        if not files:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="ORC")
        schemas = _footers(lambda path: orc.ORCFile(path).schema,
                           files if _option_true(options, "mergeSchema") else files[:1], options)
        if not schemas:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="ORC")
        if _option_true(options, "mergeSchema"):
            return _merged_schema(schemas)
        return T.from_arrow_schema(schemas[0], nullable=True)
    if fmt == "json":
        if not files:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="JSON")
        return _json_schema((_json_records_of_split(FileSplit(f, 0, f.size), options) for f in files), options)
    if fmt == "csv":
        opts = _csv_options(options)
        rows = []
        # Spark takes the header (or the column count) from the first line its scan reads, and
        # the scan reads the largest file first (plan_splits)
        for f in sorted(files, key=lambda f: -f.size):
            rows.extend(_csv_rows(_split_lines(FileSplit(f, 0, f.size), _option(options, "lineSep")), opts))
        if not rows:
            raise _analysis_error("UNABLE_TO_INFER_SCHEMA", format="CSV")
        first = rows[0]
        if opts["header"]:
            names = _dedupe_header(first)
            data = [r for r in rows[1:] if r != first] if len(files) > 1 else rows[1:]
        else:
            names = ["_c%d" % i for i in range(len(first))]
            data = rows
        types = [T.NullType()] * len(names)
        if opts["infer"]:
            for row in data:
                for i, text in enumerate(row[:len(names)]):
                    if text == opts["null"] or text == "":
                        continue
                    types[i] = _csv_field_type(text, types[i])
        types = [T.StringType() if isinstance(t, T.NullType) or not opts["infer"] else t
                 for t in types]
        return T.StructType([T.StructField(n, t, True) for n, t in zip(names, types)])
    raise ValueError("unknown data source %r: Sparklet reads %s" % (fmt, ", ".join(FORMATS)))


def _dedupe_header(names):
    """Spark renames duplicate or empty header names: ``_c3`` for empty, ``a0``/``a1`` for
    duplicates (case-insensitively), by position."""
    lowered = [n.lower() for n in names]
    out = []
    for i, name in enumerate(names):
        if name == "":
            out.append("_c%d" % i)
        elif lowered.count(name.lower()) > 1:
            out.append("%s%d" % (name, i))
        else:
            out.append(name)
    return out


# --- reading a split ----------------------------------------------------------------------------

class _NeedRawText(Exception):
    """A string column holds a non-string JSON value: Spark keeps that value's source text."""


class _RawNode:
    """A JSON value with its source text and, for objects and arrays, its members' nodes."""

    __slots__ = ("value", "text", "members")

    def __init__(self, value, text, members):
        self.value = value
        self.text = text
        self.members = members


_JSON_WS = re.compile(r"[ \t\n\r]*")
_JSON_DECODER = json.JSONDecoder()


def _raw_tree(text, idx=0):
    """(node, end) for the JSON value at ``idx``, keeping every member's source text."""
    idx = _JSON_WS.match(text, idx).end()
    start = idx
    opener = text[idx:idx + 1]
    if opener not in ("{", "["):
        value, end = _JSON_DECODER.raw_decode(text, idx)
        return _RawNode(value, text[start:end], None), end
    closer = "}" if opener == "{" else "]"
    members = {} if opener == "{" else []
    idx = _JSON_WS.match(text, idx + 1).end()
    if text[idx:idx + 1] == closer:
        idx += 1
    else:
        while True:
            if opener == "{":
                key, idx = json.decoder.scanstring(text, idx + 1)
                idx = _JSON_WS.match(text, idx).end() + 1  # the ':'
                node, idx = _raw_tree(text, idx)
                members[key] = node
            else:
                node, idx = _raw_tree(text, idx)
                members.append(node)
            idx = _JSON_WS.match(text, idx).end()
            sep = text[idx:idx + 1]
            idx = _JSON_WS.match(text, idx + 1).end()
            if sep == closer:
                break
    if opener == "{":
        value = {k: n.value for k, n in members.items()}
    else:
        value = [n.value for n in members]
    return _RawNode(value, text[start:idx], members), idx


def _coerce(value, data_type, raw=None):
    """A parsed JSON value as a value of ``data_type`` (None if it does not fit). ``raw`` is its
    _RawNode when source text is at hand; without it a string column meeting a non-string
    value raises _NeedRawText."""
    if value is None:
        return None
    try:
        if isinstance(data_type, T.StringType):
            if isinstance(value, str):
                return value
            if raw is None:
                raise _NeedRawText()
            return raw.text
        if isinstance(data_type, (T.LongType, T.IntegerType, T.ShortType, T.ByteType)):
            if isinstance(value, bool) or not isinstance(value, int):
                return None
            return value
        if isinstance(data_type, (T.DoubleType, T.FloatType)):
            if isinstance(value, bool):
                return None
            if isinstance(value, str):
                return float(value) if value in ("NaN", "Infinity", "-Infinity") else None
            return float(value)
        if isinstance(data_type, T.DecimalType):
            return decimal.Decimal(str(value))
        if isinstance(data_type, T.BooleanType):
            return value if isinstance(value, bool) else None
        if isinstance(data_type, T.DateType):
            return datetime.date.fromisoformat(value) if isinstance(value, str) else None
        if isinstance(data_type, (T.TimestampType, T.TimestampNTZType)):
            return _parse_timestamp(value) if isinstance(value, str) else None
        if isinstance(data_type, T.ArrayType):
            if not isinstance(value, list):
                return None
            nodes = raw.members if raw is not None else [None] * len(value)
            return [_coerce(v, data_type.elementType, n) for v, n in zip(value, nodes)]
        if isinstance(data_type, T.MapType):
            if not isinstance(value, dict):
                return None
            nodes = raw.members if raw is not None else {}
            return {k: _coerce(v, data_type.valueType, nodes.get(k)) for k, v in value.items()}
        if isinstance(data_type, T.StructType):
            if not isinstance(value, dict):
                return None
            nodes = raw.members if raw is not None else {}
            return {f.name: _coerce(value.get(f.name), f.dataType, nodes.get(f.name))
                    for f in data_type.fields}
    except (ValueError, TypeError, decimal.InvalidOperation):
        return None
    return value


def _json_row(record, raw_text, fields, corrupt):
    def build(raw):
        members = raw.members if raw is not None else {}
        return tuple(None if f.name == corrupt else
                     _coerce(record.get(f.name), f.dataType, members.get(f.name))
                     for f in fields)
    try:
        return build(None)
    except _NeedRawText:
        node, _ = _raw_tree(raw_text)
        if isinstance(node.members, list):
            # a top-level array of records: find this record's node
            node = next(n for n in node.members if n.value is record or n.value == record)
        return build(node)


def _date_only_timestamp(text):
    """A timestamp written as ``yyyy``, ``yyyy-[m]m`` or ``yyyy-[m]m-[d]d``, or None."""
    m = _SPARK_TS_DATE_ONLY.fullmatch(text.strip())
    if m is None:
        return None
    try:
        return datetime.datetime(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _parse_timestamp(text):
    short = _date_only_timestamp(text)
    if short is not None:
        return short
    text = text.strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value


def _csv_value(text, data_type, null_value):
    # an empty field is null whatever nullValue says (the CSV parser gives no value for it)
    if text is None or text == null_value or text == "":
        return None
    try:
        if isinstance(data_type, T.StringType):
            return text
        if isinstance(data_type, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
            return int(text)
        if isinstance(data_type, (T.DoubleType, T.FloatType)):
            return float(text.rstrip("dDfF"))
        if isinstance(data_type, T.DecimalType):
            return decimal.Decimal(text)
        if isinstance(data_type, T.BooleanType):
            lowered = text.lower()
            return True if lowered == "true" else False if lowered == "false" else None
        if isinstance(data_type, T.DateType):
            y, m, d = (int(p) for p in text.split("-"))
            return datetime.date(y, m, d)
        if isinstance(data_type, (T.TimestampType, T.TimestampNTZType)):
            return _parse_timestamp(text)
    except (ValueError, decimal.InvalidOperation):
        return None
    return text


def read_split(fmt, split, schema, options=None):
    """One partition of a file scan as a pyarrow Table with ``schema``'s columns.

    ``split`` is a list of FileSplit (one FilePartition of ``plan_splits``); ``schema`` the
    relation's full schema (data columns, then partition columns).
    """
    import pyarrow as pa

    options = options or {}
    tables = []
    for piece in split:
        try:
            tables.append(_read_piece(fmt, piece, schema, options))
        except (pa.ArrowException, OSError, EOFError) as e:
            # a file the format cannot decode: skipped under ignoreCorruptFiles, else the task
            # fails naming the file, as Spark's FileScanRDD does
            if _option_true(options, "ignoreCorruptFiles"):
                continue
            from sparklet.errors import SparkRuntimeException

            raise SparkRuntimeException(errorClass="FAILED_READ_FILE.NO_HINT",
                                        messageParameters={"path": "file://" + piece.file.path}) from e
    if not tables:
        return T.rows_to_arrow([], schema)
    return pa.concat_tables(tables) if len(tables) > 1 else tables[0]


def _read_piece(fmt, piece, schema, options):
    part_names = {k for k, _ in piece.file.partition_values}
    data_fields = [f for f in schema.fields if f.name not in part_names]
    if fmt in COLUMNAR_FORMATS:
        table = _read_parquet_piece(piece, T.StructType(data_fields), fmt)
        rows = None
    elif fmt == "text":
        if _option_true(options, "wholetext"):
            if piece.start != 0:
                rows = []
            else:
                rows = [(_read_bytes(piece.file.path).decode("utf-8", "replace"),)]
        else:
            rows = [(line.decode("utf-8", "replace"),)
                    for line in _split_lines(piece, _option(options, "lineSep"))]
        table = None
    elif fmt == "json":
        rows = list(_json_tuples(_json_records_of_split(piece, options), data_fields, options))
        table = None
    elif fmt == "csv":
        opts = _csv_options(options)
        lines = _split_lines(piece, _option(options, "lineSep"))
        parsed = list(_csv_rows(lines, opts))
        if opts["header"] and piece.start == 0 and parsed:
            parsed = parsed[1:]
        rows = [tuple(_csv_value(row[i] if i < len(row) else None, f.dataType, opts["null"])
                      for i, f in enumerate(data_fields)) for row in parsed]
        table = None
    else:
        raise ValueError("unknown data source %r" % fmt)
    if table is None:
        table = T.rows_to_arrow(rows, T.StructType(data_fields))
    if part_names:
        import pyarrow as pa

        values = dict(piece.file.partition_values)
        for f in schema.fields:
            if f.name in part_names:
                value = _convert_partition_value(values[f.name], f.dataType)
                table = table.append_column(
                    f.name, pa.array([value] * table.num_rows, type=T.to_arrow_type(f.dataType)))
        table = table.select([f.name for f in schema.fields])
    return table


def _read_parquet_piece(piece, schema, fmt="parquet"):
    import pyarrow as pa

    if piece.start != 0:
        return T.rows_to_arrow([], schema)
    wanted = [f.name for f in schema.fields]
    if fmt == "orc":
        import pyarrow.orc as orc

        reader = orc.ORCFile(piece.file.path)
        table = reader.read(columns=[n for n in wanted if n in reader.schema.names])
    else:
        import pyarrow.parquet as pq

        present = set(pq.read_schema(piece.file.path).names)
        table = pq.read_table(piece.file.path, columns=[n for n in wanted if n in present])
    columns = []
    for f in schema.fields:
        if f.name not in table.column_names:
            # a merged schema's field this file lacks
            columns.append(pa.nulls(table.num_rows, type=T.to_arrow_type(f.dataType)))
            continue
        column = table.column(f.name)
        if pa.types.is_timestamp(column.type) and column.type.tz is not None:
            # partitions hold TimestampType as wall-clock time in the session time zone
            python = T.arrow_column_to_python(column, f.dataType)
            column = pa.array(python, type=T.to_arrow_type(f.dataType))
        else:
            column = column.cast(T.to_arrow_type(f.dataType))
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=T.to_arrow_schema(schema))


# --- writing ------------------------------------------------------------------------------------

_EXTENSIONS = {"parquet": ".snappy.parquet", "json": ".json", "csv": ".csv", "text": ".txt",
               "orc": ".snappy.orc"}


def _escape_partition_value(value):
    text = DEFAULT_PARTITION_NAME if value is None else str(value)
    return "".join(c if c.isalnum() or c in "-_. " or ord(c) > 127 else "%%%02X" % ord(c)
                   for c in text) if value is not None else text


class WriteJob:
    """One DataFrame write, committed the way Spark's FileOutputCommitter commits: tasks write
    under ``<path>/_temporary/0/<task>/``, the driver moves their files into place and writes
    ``_SUCCESS`` only once every task succeeded. Picklable, so tasks get a copy."""

    def __init__(self, path, fmt, mode="errorifexists", options=None, partition_by=(), schema=None):
        self.path = os.path.abspath(local_path(path))
        self.fmt = fmt
        self.mode = (mode or "errorifexists").lower().replace("default", "errorifexists")
        if self.mode == "error":
            self.mode = "errorifexists"
        if self.mode not in ("errorifexists", "ignore", "overwrite", "append"):
            from sparklet.errors import IllegalArgumentException

            raise IllegalArgumentException(
                message="Unknown save mode: %s. Accepted save modes are 'overwrite', 'append', "
                        "'ignore', 'error', 'errorifexists', 'default'." % mode)
        if fmt not in FORMATS:
            raise ValueError("unknown data source %r: Sparklet writes %s" % (fmt, ", ".join(FORMATS)))
        self.options = dict(options or {})
        if fmt in LINE_FORMATS and self._codec() not in _CODEC_EXTENSIONS:
            from sparklet.errors import IllegalArgumentException

            raise IllegalArgumentException(
                message="Codec [%s] is not available in Sparklet. Known codecs are bzip2, gzip, "
                        "uncompressed, none." % _option(self.options, "compression"))
        self.partition_by = list(partition_by or [])
        self.schema = schema
        self.job_id = str(uuid.uuid4())
        self.temporary = os.path.join(self.path, "_temporary", "0")
        self._created = False

    def setup(self):
        """Checks the save mode against existing output; False means there is nothing to do."""
        exists = os.path.exists(self.path)
        if exists and self.mode == "errorifexists":
            raise _analysis_error("PATH_ALREADY_EXISTS", outputPath=qualified(self.path))
        if exists and self.mode == "ignore":
            return False
        if self.fmt == "csv" and self.schema is not None:
            for f in self.schema.fields:
                if isinstance(f.dataType, (T.ArrayType, T.MapType, T.StructType, T.BinaryType)):
                    raise _analysis_error("UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE", format="CSV",
                                          columnName="`%s`" % f.name,
                                          columnType='"%s"' % f.dataType.sql())
        if self.fmt == "text" and self.schema is not None:
            data = [f for f in self.schema.fields if f.name not in self.partition_by]
            if len(data) != 1 or not isinstance(data[0].dataType, T.StringType):
                raise _analysis_error(
                    "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE" if len(data) == 1 else "_LEGACY_ERROR_TEMP_1290",
                    format="Text", columnName="`%s`" % data[0].name if data else "",
                    columnType='"%s"' % data[0].dataType.sql() if data else "")
        self._created = not exists
        os.makedirs(self.temporary, exist_ok=True)
        return True

    def write_task(self, partition_id, table):
        """Writes one partition's Arrow table; returns the relative paths of its files."""
        task_dir = os.path.join(self.temporary, "task_%05d" % partition_id)
        if os.path.exists(task_dir):
            # a retried task starts from nothing
            shutil.rmtree(task_dir)
        os.makedirs(task_dir)
        name = "part-%05d-%s-c000%s" % (partition_id, self.job_id, _EXTENSIONS[self.fmt] + (
            _CODEC_EXTENSIONS[self._codec()] if self.fmt in LINE_FORMATS else ""))
        written = []
        if not self.partition_by:
            # empty partitions write nothing; an empty result gets one schema-only parquet file
            # at commit
            if table.num_rows:
                self._write_file(os.path.join(task_dir, name), table)
                written.append(name)
            return written
        import pyarrow as pa
        import pyarrow.compute as pc

        data_columns = [n for n in table.column_names if n not in self.partition_by]
        keys = [table.column(k).to_pylist() for k in self.partition_by]
        groups = {}
        for i, key in enumerate(zip(*keys)):
            groups.setdefault(key, []).append(i)
        for key, indices in groups.items():
            directory = os.path.join(*["%s=%s" % (k, _escape_partition_value(v))
                                       for k, v in zip(self.partition_by, key)])
            os.makedirs(os.path.join(task_dir, directory), exist_ok=True)
            part = table.take(pa.array(indices)).select(data_columns)
            rel = os.path.join(directory, name)
            self._write_file(os.path.join(task_dir, rel), part)
            written.append(rel)
        return written

    def _write_file(self, target, table):
        tmp = target + ".inprogress"
        if self.fmt == "parquet":
            _write_parquet(tmp, table, self.schema_of(table))
        elif self.fmt == "orc":
            import pyarrow.orc as orc

            orc.write_table(table, tmp, compression="snappy")
        else:
            text = _format_text(self.fmt, table, self.schema_of(table), self.options).encode("utf-8")
            codec = self._codec()
            if codec == "gzip":
                import gzip

                text = gzip.compress(text)
            elif codec == "bzip2":
                import bz2

                text = bz2.compress(text)
            with open(tmp, "wb") as out:
                out.write(text)
        os.replace(tmp, target)

    def _codec(self):
        """The line formats' ``compression`` option (gzip, bzip2, none); other Hadoop codecs
        (deflate, lz4, snappy) are refused when the job is made."""
        codec = str(_option(self.options, "compression", "none")).lower()
        return "gzip" if codec == "gz" else codec

    def schema_of(self, table):
        if self.schema is None:
            return T.from_arrow_schema(table.schema, nullable=True)
        by_name = {f.name: f for f in self.schema.fields}
        return T.StructType([by_name.get(n) or T.StructField(n, T.from_arrow_type(table.schema.field(n).type))
                             for n in table.column_names])

    def commit(self, task_results):
        """Moves every task's files into place and writes ``_SUCCESS``. ``task_results`` is
        ``[(partition_id, [relative paths]), ...]``."""
        if self.mode == "overwrite":
            for name in os.listdir(self.path):
                if name == "_temporary":
                    continue
                full = os.path.join(self.path, name)
                shutil.rmtree(full) if os.path.isdir(full) else os.remove(full)
        for partition_id, files in task_results:
            task_dir = os.path.join(self.temporary, "task_%05d" % partition_id)
            for rel in files:
                target = os.path.join(self.path, rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(task_dir, rel), target)
        if (self.fmt == "parquet" and self.schema is not None and not self.partition_by
                and not any(files for _, files in task_results)):
            name = "part-00000-%s-c000%s" % (self.job_id, _EXTENSIONS[self.fmt])
            self._write_file(os.path.join(self.path, name), T.rows_to_arrow([], self.schema))
        shutil.rmtree(os.path.join(self.path, "_temporary"), ignore_errors=True)
        with open(os.path.join(self.path, "_SUCCESS"), "w"):
            pass

    def abort(self):
        """Removes what the job wrote: the temporary files, and the output directory if the
        job created it."""
        shutil.rmtree(os.path.join(self.path, "_temporary"), ignore_errors=True)
        if self._created and os.path.isdir(self.path) and not os.listdir(self.path):
            os.rmdir(self.path)

    def run_locally(self, tables):
        """Setup, write each table as a task, commit (or abort on error), in this process."""
        if not self.setup():
            return
        try:
            results = [(i, self.write_task(i, t)) for i, t in enumerate(tables)]
        except BaseException:
            self.abort()
            raise
        self.commit(results)


def _write_parquet(target, table, schema):
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = []
    for f, column in zip(schema.fields, table.columns):
        if isinstance(f.dataType, T.TimestampType):
            # Parquet keeps instants: wall-clock session time back to UTC
            python = column.to_pylist()
            column = pa.array([None if v is None else v.astimezone(datetime.timezone.utc)
                               for v in python], type=pa.timestamp("us", tz="UTC"))
        columns.append(column)
    arrow = pa.Table.from_arrays(columns, names=table.column_names)
    metadata = {b"org.apache.spark.sql.parquet.row.metadata": schema.json().encode()}
    arrow = arrow.replace_schema_metadata(metadata)
    pq.write_table(arrow, target, compression="snappy")


def _format_text(fmt, table, schema, options):
    from .show import date_to_string, decimal_to_string, java_double_to_string, java_float_to_string

    rows = T.arrow_to_rows(table, schema)
    if fmt == "text":
        sep = options.get("lineSep", "\n")
        return "".join(("" if r[0] is None else r[0]) + sep for r in rows)

    def timestamp_text(v):
        local = v.astimezone()
        offset = local.strftime("%z")
        zone = "Z" if offset in ("+0000", "") else offset[:3] + ":" + offset[3:]
        return local.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (v.microsecond // 1000) + zone

    def json_value(v, dt):
        if v is None:
            return None
        if isinstance(dt, T.DoubleType):
            return _RawJson(java_double_to_string(v)) if math.isfinite(v) else java_double_to_string(v)
        if isinstance(dt, T.FloatType):
            return _RawJson(java_float_to_string(v)) if math.isfinite(v) else java_float_to_string(v)
        if isinstance(dt, T.DecimalType):
            return _RawJson(decimal_to_string(v, dt.scale))
        if isinstance(dt, T.DateType):
            return date_to_string(v)
        if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
            return timestamp_text(v)
        if isinstance(dt, T.BinaryType):
            import base64
            return base64.b64encode(bytes(v)).decode()
        if isinstance(dt, T.ArrayType):
            return [json_value(x, dt.elementType) for x in v]
        if isinstance(dt, T.MapType):
            return {str(k): json_value(x, dt.valueType) for k, x in v.items()}
        if isinstance(dt, T.StructType):
            return {f.name: json_value(x, f.dataType) for x, f in zip(v, dt.fields) if x is not None}
        return v

    if fmt == "json":
        lines = []
        for r in rows:
            record = {f.name: json_value(v, f.dataType) for v, f in zip(r, schema.fields)
                      if v is not None}
            lines.append(_dump_json(record) + "\n")
        return "".join(lines)
    if fmt == "csv":
        opts = _csv_options(options)

        def csv_text(v, dt):
            if v is None:
                return None
            if isinstance(dt, T.DoubleType):
                return java_double_to_string(v)
            if isinstance(dt, T.FloatType):
                return java_float_to_string(v)
            if isinstance(dt, T.DecimalType):
                return decimal_to_string(v, dt.scale)
            if isinstance(dt, T.BooleanType):
                return "true" if v else "false"
            if isinstance(dt, T.DateType):
                return date_to_string(v)
            if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
                return timestamp_text(v)
            return str(v)

        def quote(text):
            if text is None:
                return opts["null"]
            if text == "":
                return opts["quote"] * 2
            if (opts["sep"] in text or opts["quote"] in text or "\n" in text or "\r" in text
                    or text[0].isspace() or text[-1].isspace()):
                return opts["quote"] + text.replace(opts["quote"], opts["escape"] + opts["quote"]) + opts["quote"]
            return text

        out = io.StringIO()
        if opts["header"]:
            out.write(opts["sep"].join(quote(f.name) for f in schema.fields) + "\n")
        for r in rows:
            out.write(opts["sep"].join(quote(csv_text(v, f.dataType))
                                       for v, f in zip(r, schema.fields)) + "\n")
        return out.getvalue()
    raise ValueError("unknown data source %r" % fmt)


class _RawJson(str):
    """A number already in Spark's text form, written into JSON without quotes."""


def _dump_json(value):
    if value is None:
        return "null"
    if isinstance(value, _RawJson):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ",".join("%s:%s" % (json.dumps(k, ensure_ascii=False), _dump_json(v))
                              for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_dump_json(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
