"""``mapInPandas``/``mapInArrow`` and ``toArrow``: a partition's rows as Arrow record batches.

``mapInPandas(func, schema)`` runs ``func`` once per partition, as a task of the query's job on
the executors: it receives an iterator over the partition's rows in batches of at most
``spark.sql.execution.arrow.maxRecordsPerBatch`` rows (pandas DataFrames, or Arrow record batches
for ``mapInArrow``) and yields batches of the output schema. Columns of a result are matched to
the schema by name when they are labelled with strings, else by position, and cast to the
schema's types, as PySpark's Arrow serializer does.

>>> import pyarrow as pa
>>> conform(pa.table({"b": [1.5], "a": [1]}), ["a", "b"], ["c1", "c2"],
...         [pa.field("c1", pa.int64()), pa.field("c2", pa.float64())]).to_pydict()
{'c1': [1], 'c2': [1.5]}
"""

DEFAULT_BATCH_ROWS = 10000


def conform(table, names, cols, fields):
    """A result table with the schema's columns (named by ``cols``): by name where the result
    labels its columns with strings, else by position; each cast to the schema's type."""
    import pyarrow as pa
    from ..errors import PySparkRuntimeError
    labels = table.column_names
    if all(isinstance(n, str) for n in labels) and set(names) <= set(labels):
        columns = [table.column(n) for n in names]
    elif len(labels) == len(names):
        columns = list(table.columns)
    else:
        missing = [n for n in names if n not in labels]
        raise PySparkRuntimeError(errorClass="RESULT_COLUMNS_MISMATCH_FOR_PANDAS_UDF", messageParameters={
            "missing": ", ".join(missing), "extra": ", ".join(n for n in labels if n not in names)},
            message="Column names of the returned pandas.DataFrame do not match specified schema. "
                    "Missing: %s." % ", ".join(missing))
    arrays = [c.cast(f.type, safe=False) for c, f in zip(columns, fields)]
    return pa.table(arrays, names=cols)


def map_partition(func, kind, in_cols, in_names, out_names, out_cols, out_fields, batch_rows):
    """The per-partition task: Arrow table in, ``func``'s batches out as one Arrow table."""

    def run(iterator):
        import pyarrow as pa
        from .engine import concat
        table = concat(list(iterator))
        if table.num_columns:
            table = table.select(in_cols).rename_columns(in_names)
        else:
            table = pa.table({n: [] for n in in_names})
        batches = table.to_batches(max_chunksize=batch_rows) if table.num_rows else []
        if kind == "pandas":
            inputs = (b.to_pandas() for b in batches)
        else:
            inputs = iter(batches)
        out = []
        for result in func(inputs):
            if kind == "pandas":
                import pandas as pd
                if not isinstance(result, pd.DataFrame):
                    from ..errors import PySparkTypeError
                    raise PySparkTypeError(errorClass="UDF_RETURN_TYPE", messageParameters={
                        "expected": "iterator of pandas.DataFrame",
                        "actual": "iterator of %s" % type(result).__name__})
                result = pa.Table.from_pandas(result, preserve_index=False)
            elif isinstance(result, pa.RecordBatch):
                result = pa.Table.from_batches([result])
            else:
                from ..errors import PySparkTypeError
                raise PySparkTypeError(errorClass="UDF_RETURN_TYPE", messageParameters={
                    "expected": "iterator of pyarrow.RecordBatch",
                    "actual": "iterator of %s" % type(result).__name__})
            out.append(conform(result, out_names, out_cols, out_fields))
        if not out:
            yield pa.schema(out_fields).empty_table()
            return
        yield concat(out)
    return run


def to_arrow(tables, out, time_zone, batch_rows):
    """A query's result partitions (Arrow tables with columns named by attribute) as one
    ``pyarrow.Table`` under the query's schema (field names and nullability; timestamps as UTC
    instants, as PySpark gives them), one record batch per non-empty partition (split at
    ``batch_rows`` rows), as PySpark collects them."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from . import types as T
    schema = pa.schema([pa.field(a.name, _arrow_type(a.dataType), a.nullable) for a in out])
    tz = time_zone
    batches = []
    for table in tables:
        if table is None or table.num_rows == 0 or table.num_columns == 0:
            continue
        arrays = []
        for a, f in zip(out, schema):
            column = table.column(a.col)
            if isinstance(a.dataType, T.TimestampType):
                # partitions hold wall-clock times of the session zone
                column = pc.assume_timezone(column, tz)
            arrays.append(_null_struct_children(column.cast(f.type)))
        part = pa.Table.from_arrays(arrays, schema=schema).combine_chunks()
        batches.extend(part.to_batches(max_chunksize=batch_rows if batch_rows > 0 else None))
    if not batches:
        # PySpark's empty result still holds one (empty) batch
        batches = [pa.RecordBatch.from_arrays([pa.array([], f.type) for f in schema], schema=schema)]
    return pa.Table.from_batches(batches, schema=schema)


def _null_struct_children(column):
    """A struct column whose null rows have null fields too, as PySpark's Arrow writer leaves
    them (the engine may hold any value under a null struct)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    if not pa.types.is_struct(column.type):
        return column
    chunks = []
    for chunk in (column.chunks if isinstance(column, pa.ChunkedArray) else [column]):
        valid = pc.is_valid(chunk)
        children = [_null_struct_children(pc.if_else(valid, chunk.field(i), pa.scalar(None, chunk.type.field(i).type)))
                    for i in range(chunk.type.num_fields)]
        chunks.append(pa.StructArray.from_arrays(children, fields=list(chunk.type), mask=pc.invert(valid)))
    return pa.chunked_array(chunks, column.type)


def _arrow_type(dt):
    import pyarrow as pa
    from . import types as T
    if isinstance(dt, T.TimestampType):
        return pa.timestamp("us", tz="UTC")
    if isinstance(dt, T.ArrayType):
        return pa.list_(pa.field("element", _arrow_type(dt.elementType), dt.containsNull))
    if isinstance(dt, T.StructType):
        return pa.struct([pa.field(f.name, _arrow_type(f.dataType), f.nullable) for f in dt.fields])
    if isinstance(dt, T.MapType):
        return pa.map_(_arrow_type(dt.keyType), _arrow_type(dt.valueType))
    return T.to_arrow_type(dt)
