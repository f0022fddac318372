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
            import time
            tz = os.environ.get("TZ") or time.tzname[0]
            con.execute("SET TimeZone=%s" % _quote(_local_tz_name()))
        except Exception:
            pass
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


def run_query(sql, tables, udfs=()):
    """Run ``sql`` with each name in ``tables`` bound to its Arrow table; an Arrow table back."""
    con = connection()
    for u in udfs:
        register_udf(con, *u)
    for name, table in tables.items():
        con.register(name, table)
    try:
        return con.sql(sql).to_arrow_table()
    except Exception as e:
        raise spark_error(e) from None
    finally:
        for name in tables:
            con.unregister(name)


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
        if cond in ("ARITHMETIC_OVERFLOW", "INVALID_ARRAY_INDEX"):
            return E.ArithmeticException(errorClass=cond, messageParameters={"message": rest})
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
