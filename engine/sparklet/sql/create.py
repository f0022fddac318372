"""``createDataFrame``: local data, RDDs and pandas DataFrames into a logical relation.

Schemas are inferred as PySpark infers them (``types._infer_schema`` per record, merged across
records) or taken from a StructType, a DDL string (``"a int, b string"``, or one atomic type for a
list of scalars) or a list of column names. Records are verified against the schema
(``verifySchema``) with PySpark's error conditions. Local data is sliced into
``defaultParallelism`` partitions the way ``parallelize`` slices it, so rows sit in the same
partitions as under PySpark.
"""

import sys

from . import types as T
from .dataframe import DataFrame
from .expressions import AttributeReference
from .plan import LeafRelation


def _schema_from_arg(schema):
    if isinstance(schema, str):
        t = T._parse_datatype_string(schema)
        if not isinstance(t, T.StructType):
            return t, True
        return t, False
    if isinstance(schema, T.DataType) and not isinstance(schema, T.StructType):
        return schema, True
    return schema, False


def _infer(rows, names=None):
    from ..errors import PySparkValueError, PySparkTypeError
    if not rows:
        raise PySparkValueError(errorClass="CANNOT_INFER_EMPTY_SCHEMA", messageParameters={})
    schema = None
    for r in rows:
        s = T._infer_schema(r, names)
        schema = s if schema is None else T._merge_type(schema, s)
    if T._has_nulltype(schema):
        raise PySparkValueError(errorClass="CANNOT_DETERMINE_TYPE", messageParameters={})
    return schema


def _rename(schema, names):
    fields = list(schema.fields)
    out = []
    for i, f in enumerate(fields):
        n = names[i] if i < len(names) else f.name
        out.append(T.StructField(n, f.dataType, f.nullable))
    return T.StructType(out)


def _to_tuple(row, schema):
    if isinstance(row, dict):
        return tuple(row.get(n) for n in schema.names)
    if isinstance(row, T.Row) and hasattr(row, "__fields__") and getattr(row, "__fields__", None):
        fields = row.__fields__
        if set(fields) == set(schema.names) and list(fields) != schema.names:
            d = row.asDict()
            return tuple(d[n] for n in schema.names)
        return tuple(row)
    if isinstance(row, (tuple, list)):
        return tuple(row)
    if hasattr(row, "__dict__"):
        return tuple(row.__dict__.get(n) for n in schema.names)
    return (row,)


def _java_strings(value, dataType):
    """`value` with every non-string value at a string type as Java's toString writes it."""
    if value is None:
        return None
    if isinstance(dataType, T.StringType):
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            from .show import java_double_to_string
            return java_double_to_string(value)
        return str(value)
    if isinstance(dataType, T.ArrayType) and isinstance(value, (list, tuple)):
        return [_java_strings(v, dataType.elementType) for v in value]
    if isinstance(dataType, T.MapType) and isinstance(value, dict):
        return {_java_strings(k, dataType.keyType): _java_strings(v, dataType.valueType) for k, v in value.items()}
    if isinstance(dataType, T.StructType) and isinstance(value, (list, tuple)):
        return type(value)(_java_strings(v, f.dataType) for v, f in zip(value, dataType.fields)) \
            if not isinstance(value, T.Row) or not hasattr(value, "__fields__") else \
            T.Row(**{f.name: _java_strings(v, f.dataType) for v, f in zip(value, dataType.fields)})
    return value


def create_dataframe(session, data, schema, samplingRatio, verifySchema):
    from ..rdd import RDD
    names = None
    atomic = False
    if isinstance(schema, (list, tuple)):
        names, schema = list(schema), None
    elif schema is not None:
        schema, atomic = _schema_from_arg(schema)
    # a pandas DataFrame exists only once pandas is imported: importing it to ask would cost more
    # than the rest of createDataFrame
    pd = sys.modules.get("pandas")
    is_pandas = pd is not None and isinstance(data, pd.DataFrame)
    if is_pandas:
        return _from_pandas(session, data, schema, names)
    if isinstance(data, DataFrame):
        from ..errors import PySparkTypeError
        raise PySparkTypeError(errorClass="INVALID_TYPE", messageParameters={"arg_name": "data", "arg_type": "DataFrame"})
    if isinstance(data, RDD):
        return _from_rdd(session, data, schema, names, atomic, samplingRatio, verifySchema)
    rows = list(data)
    if atomic:
        schema = T.StructType([T.StructField("value", schema, True)])
        rows = [(r,) for r in rows]
    inferred = schema is None
    if schema is None:
        if rows and not isinstance(rows[0], (tuple, list, dict, T.Row)) and not hasattr(rows[0], "__dict__"):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="CANNOT_INFER_SCHEMA_FOR_TYPE",
                                   messageParameters={"data_type": '"%s"' % type(rows[0]).__name__})
        schema = _infer(rows, names)
        if names:
            schema = _rename(schema, names)
    tuples = [_to_tuple(r, schema) for r in rows]
    if verifySchema:
        verify = T._make_type_verifier(schema)
        for i, t in enumerate(tuples):
            try:
                verify(t)
            except TypeError:
                if not inferred:
                    raise
                # PySpark does not verify an inferred schema: the JVM turns a value merged into a
                # string type (['a', 1] is array<string>) into its Java string
                tuples[i] = _java_strings(t, schema)
                verify(tuples[i])
    from .relations import LocalRows
    out = [AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields]
    source = LocalRows(tuples, schema, session.sparkContext.defaultParallelism)
    return DataFrame(LeafRelation(out, source), session)


def _from_rdd(session, rdd, schema, names, atomic, samplingRatio, verifySchema):
    from .relations import RDDRows
    if atomic:
        schema = T.StructType([T.StructField("value", schema, True)])
        rdd = rdd.map(lambda v: (v,))
    if schema is None:
        first = rdd.take(100) if samplingRatio is None else rdd.sample(False, samplingRatio).collect()
        head = first[:1]
        schema = _infer(head, names)
        if T._has_nulltype(schema):
            schema = _infer(first, names)
        if names:
            schema = _rename(schema, names)
    sch = schema

    def prepare(iterator):
        verify = T._make_type_verifier(sch) if verifySchema else None
        for r in iterator:
            t = _to_tuple(r, sch)
            if verify is not None:
                verify(t)
            yield t
    out = [AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields]
    return DataFrame(LeafRelation(out, RDDRows(rdd.mapPartitions(prepare), schema)), session)


def _from_pandas(session, pdf, schema, names):
    import pyarrow as pa
    from .relations import ArrowSource
    table = pa.Table.from_pandas(pdf, preserve_index=False)
    if schema is None:
        fields = []
        for f in table.schema:
            t = T.from_arrow_type(f.type)
            if isinstance(t, T.NullType):
                t = T.StringType()
            if isinstance(t, T.TimestampNTZType):
                t = T.TimestampType()
            fields.append(T.StructField(f.name, t, True))
        schema = T.StructType(fields)
        if names:
            schema = _rename(schema, names)
    else:
        schema = _rename(schema, schema.names)
    arrays = []
    for i, f in enumerate(schema.fields):
        col = table.column(i)
        at = T.to_arrow_type(f.dataType)
        if isinstance(f.dataType, T.TimestampType) and pa.types.is_timestamp(col.type) and col.type.tz is None:
            import datetime
            tz = datetime.datetime.now().astimezone().tzinfo
            col = pa.chunked_array([pa.array([None if v is None else v.replace(tzinfo=tz) for v in col.to_pylist()],
                                             at)])
        arrays.append(col.cast(at))
    full = pa.Table.from_arrays(arrays, names=schema.names)
    n = session.sparkContext.defaultParallelism
    rows = full.num_rows
    tables = [full.slice(i * rows // n, (i + 1) * rows // n - i * rows // n) for i in range(n)]
    out = [AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields]
    return DataFrame(LeafRelation(out, ArrowSource(tables)), session)
