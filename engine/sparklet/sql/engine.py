"""The per-partition engine: DuckDB over Arrow, one connection per executor process.

A stage's narrow operators are compiled (``physical.py``) into one SQL query over a table named
``__input``; an executor runs it on each partition's Arrow table with ``run_query``. The
connection is made once per process with ``threads=1`` (the executor pool already gives each core
one task) and insertion order preserved, so a query's output keeps its input's row order wherever
Spark's operators keep it.

Spark's ANSI errors are raised from inside queries with DuckDB's ``error('CONDITION|params')``;
``run_query`` turns that text back into the matching PySpark exception class, so a task fails with
``[DIVIDE_BY_ZERO]`` and the driver re-raises it as ``ArithmeticException``.

Exchange support also lives here: ``bucket_ids`` is ``pmod(murmur3(keys, 42), n)``, the partition
id Spark's ``HashPartitioning`` gives a row.
"""

import os
import threading

_local = threading.local()
_udfs = {}


def connection():
    con = getattr(_local, "con", None)
    if con is None or getattr(_local, "pid", None) != os.getpid():
        import duckdb
        con = duckdb.connect()
        con.execute("SET threads=1")
        con.execute("SET preserve_insertion_order=true")
        try:
            con.execute("SET TimeZone=%s" % _quote(_local_tz_name()))
            _local.tz = _local_tz_name()
        except Exception:
            _local.tz = None
        _register_builtins(con)
        _local.con = con
        _local.pid = os.getpid()
        _local.udfs = set()
    return con


def _quote(s):
    return "'" + s.replace("'", "''") + "'"


def _local_tz_name():
    tz = os.environ.get("TZ")
    if tz:
        return tz
    try:
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            return link.split("zoneinfo/", 1)[1]
    except OSError:
        pass
    return "UTC"


def _register_builtins(con):
    from .expressions import format_double
    import duckdb.sqltypes as st

    def spark_double_str(v):
        return None if v is None else format_double(v)

    con.create_function("spark_double_str", spark_double_str, [st.DOUBLE], st.VARCHAR,
                        null_handling="special", side_effects=False)
    # Spark's CentralMomentAgg buffers (aggregation.py): rounding as Spark's, digit for digit
    import duckdb
    from .aggregation import MOMENT_FIELDS, arrow_moments_result, arrow_moments_update
    buffer = duckdb.struct_type({name: st.DOUBLE for name in MOMENT_FIELDS})
    con.create_function("spark_moments_update", arrow_moments_update, [duckdb.list_type(st.DOUBLE)], buffer,
                        type="arrow", null_handling="special", side_effects=False)
    con.create_function("spark_moments_result", arrow_moments_result, [duckdb.list_type(buffer), st.VARCHAR],
                        st.DOUBLE, type="arrow", null_handling="special", side_effects=False)

    def spark_strptime(text, pattern):
        # a string parsed with a Java datetime pattern given per row (a format column); DuckDB's
        # strptime takes only a constant pattern
        import datetime
        from .datetimeformat import _java_datetime_format
        if text is None or pattern is None:
            return None
        try:
            return datetime.datetime.strptime(text, _java_datetime_format(pattern).replace("%-", "%"))
        except ValueError:
            return None

    con.create_function("spark_strptime", spark_strptime, [st.VARCHAR, st.VARCHAR], st.TIMESTAMP,
                        null_handling="special", side_effects=False)

    from .hyperloglog import register_functions
    register_functions(con)


def keep_function_error(error):
    """Called by a built-in evaluated in Python just before it fails its row with a Spark error."""
    _local.function_error = error


def register_udf(con, udf_id, func, arg_types, return_type):
    if udf_id in _local.udfs:
        return
    from .expressions import duck_type
    import duckdb

    def call(*args):
        return func(*args)

    # DuckDB counts the parameters of the Python function it is given (``*args`` counts one)
    import inspect
    call.__signature__ = inspect.Signature([inspect.Parameter("a%d" % i, inspect.Parameter.POSITIONAL_ONLY)
                                            for i in range(len(arg_types))])
    con.create_function("udf_%d" % udf_id, call, [duckdb.sqltype(duck_type(t)) for t in arg_types],
                        duckdb.sqltype(duck_type(return_type)), null_handling="special", side_effects=True)
    _local.udfs.add(udf_id)


# The partition a query runs over, for spark_partition_id() and monotonically_increasing_id():
# ``getvariable('sparklet_partition')`` in the query, set from the running task.
PARTITION_VARIABLE = "sparklet_partition"


def _partition_id():
    from ..taskcontext import TaskContext
    ctx = TaskContext.get()
    return ctx.partitionId() if ctx is not None else 0


def session_time_zone():
    """The time zone the running query computes in: the session's, which the SQL execution gives
    its tasks as a local property (``execution.TIME_ZONE_KEY``); on the driver outside a task, the
    active session's; else the process's own."""
    from ..taskcontext import TaskContext
    ctx = TaskContext.get()
    tz = ctx.getLocalProperty("spark.sql.session.timeZone") if ctx is not None else None
    if tz is None:
        from . import sqlconf
        tz = sqlconf.get("spark.sql.session.timeZone", None)
    return tz or _local_tz_name()


def _use_time_zone(con, tz):
    if getattr(_local, "tz", None) != tz:
        try:
            con.execute("SET TimeZone=%s" % _quote(tz))
        except Exception:
            # a zone the engine does not know (a POSIX TZ string): the previous one stays
            return
        _local.tz = tz


def run_query(sql, tables, udfs=()):
    """Run ``sql`` with each name in ``tables`` bound to its Arrow table; an Arrow table back."""
    con = connection()
    _use_time_zone(con, session_time_zone())
    for u in udfs:
        register_udf(con, *u)
    for name, table in tables.items():
        con.register(name, table)
    if PARTITION_VARIABLE in sql:
        con.execute("SET VARIABLE %s = %d" % (PARTITION_VARIABLE, _partition_id()))
    try:
        return con.sql(sql).to_arrow_table()
    except Exception as e:
        # a built-in evaluated in Python raised Spark's own error (scalar_functions.ansi): DuckDB
        # only carries its text, so the exception itself was kept aside
        pending = getattr(_local, "function_error", None)
        if pending is not None:
            _local.function_error = None
            raise pending from None
        raise spark_error(e) from None
    finally:
        for name in tables:
            con.unregister(name)


#: runtime error conditions raised with ``error('CONDITION|message')`` -> their exception class
_RUNTIME_ERRORS = {
    "INVALID_ARRAY_INDEX_IN_ELEMENT_AT": lambda E: E.ArrayIndexOutOfBoundsException,
    "DUPLICATED_MAP_KEY": lambda E: E.SparkRuntimeException,
    "NULL_MAP_KEY": lambda E: E.SparkRuntimeException,
    "INVALID_PARAMETER_VALUE.START": lambda E: E.SparkRuntimeException,
    "INVALID_PARAMETER_VALUE.LENGTH": lambda E: E.SparkRuntimeException,
    "MAP_FROM_ARRAYS": lambda E: E.SparkRuntimeException,
    "VECTOR_DIMENSION_MISMATCH": lambda E: E.SparkRuntimeException,
    "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION": lambda E: E.SparkRuntimeException,
}


def spark_error(e):
    """The PySpark exception a DuckDB error stands for (ANSI errors raised by ``error()``)."""
    from .. import errors as E
    text = str(e)
    if "|" in text and "Error: " in text:
        body = text.split("Error: ", 1)[1]
        cond, _, rest = body.partition("|")
        context = None
        head, sep, marker = rest.rpartition("|ctx:") if "|ctx:" in rest else rest.rpartition("ctx:")
        if sep:
            # the failing expression's origin (expressions.origin_marker): Spark's query context
            import base64
            rest, context = head, base64.b64decode(marker.strip().split()[0]).decode("utf-8")
        if cond in ("DIVIDE_BY_ZERO", "REMAINDER_BY_ZERO"):
            return E.ArithmeticException(errorClass=cond,
                                         messageParameters={"config": '"spark.sql.ansi.enabled"'}, context=context)
        if cond == "CAST_INVALID_INPUT":
            value, _, target = rest.rpartition("|")
            return E.NumberFormatException(
                errorClass="CAST_INVALID_INPUT",
                messageParameters={"expression": "'%s'" % value, "sourceType": '"STRING"',
                                   "targetType": '"%s"' % target, "ansiConfig": '"spark.sql.ansi.enabled"'},
                context=context)
        if cond == "INVALID_INDEX_OF_ZERO":
            return E.SparkRuntimeException(errorClass=cond, messageParameters={})
        if cond == "USER_RAISED_EXCEPTION":
            # assert_true / raise_error: the message is the rest of the error text, up to DuckDB's
            # own context lines
            return E.SparkRuntimeException(errorClass=cond, messageParameters={"errorMessage": rest.split("\n")[0]})
        if cond == "DATETIME_FIELD_OUT_OF_BOUNDS":
            return E.DateTimeException(errorClass="DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
                                       messageParameters={"rangeMessage": rest})
        if cond == "CANNOT_PARSE_TIMESTAMP":
            value = rest.rpartition("|")[0]
            return E.DateTimeException(errorClass=cond, messageParameters={
                "message": "Text '%s' could not be parsed at index 0" % value,
                "func": "`try_to_timestamp`"})
        if cond == "ILLEGAL_DAY_OF_WEEK":
            return E.IllegalArgumentException(errorClass=cond, messageParameters={"string": rest})
        if cond in ("ARITHMETIC_OVERFLOW", "INVALID_ARRAY_INDEX"):
            return E.ArithmeticException(errorClass=cond, messageParameters={"message": rest})
        if cond == "ILLEGAL_SEQUENCE_BOUNDARY":
            # Spark 4.3 still raises this one from a require(): no error condition
            return E.IllegalArgumentException(message="requirement failed: " + rest)
        if cond in _RUNTIME_ERRORS:
            # a runtime error whose full message the query wrote after the condition
            return _RUNTIME_ERRORS[cond](E)(message=rest, errorClass=cond)
    if "Overflow" in text or "out of range" in text:
        return E.ArithmeticException(
            errorClass="ARITHMETIC_OVERFLOW",
            messageParameters={"message": text.split("Error: ", 1)[-1], "alternative": "",
                               "config": '"spark.sql.ansi.enabled"'})
    if "Could not convert" in text or "Conversion Error" in text:
        return E.SparkRuntimeException(errorClass="CAST_INVALID_INPUT",
                                       messageParameters={"expression": text, "sourceType": "", "targetType": "",
                                                          "ansiConfig": '"spark.sql.ansi.enabled"'})
    return e


# --------------------------------------------------------------------------------------------
# exchange


def bucket_ids(table, key_columns, types, num_buckets):
    """Spark's partition id of each row: ``pmod(murmur3(keys, seed 42), num_buckets)``."""
    from .murmur3 import partition_ids
    return partition_ids([table.column(c) for c in key_columns], num_buckets, types)


def concat(tables, schema=None):
    import pyarrow as pa
    tables = [t for t in tables if t is not None]
    if not tables:
        return schema.empty_table() if schema is not None else pa.table({})
    if len(tables) == 1:
        return tables[0]
    return pa.concat_tables(tables, promote_options="permissive")
