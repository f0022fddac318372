"""``unpivot``/``melt`` and ``transpose``: reshaping built from ordinary DataFrame operations, so
they plan and run as any other query.

``unpivot`` is Spark's ``Expand`` written as a generator: each input row becomes one row per value
column, in the order the columns were given (``explode`` of an array of (name, value) structs),
so the rows come out in the order Spark's ``Expand`` emits them.

>>> df = spark.createDataFrame([(1, 11, 1.1)], ["id", "int", "double"])
>>> unpivot(df, "id", None, "var", "val").collect()
[Row(id=1, var='int', val=11.0), Row(id=1, var='double', val=1.1)]
"""

from . import functions as F
from . import types as T
from .column import Column, col_of
from .expressions import named, to_attribute
from .typeops import wider_type


def _column_list(cols):
    if isinstance(cols, (list, tuple)):
        return list(cols)
    return [cols]


def _attr_column(a):
    return Column(a, a.name)


def unpivot(df, ids, values, variable_name, value_name):
    """Rows of ``ids`` + (value column name, value) for each value column (all non-id columns
    when ``values`` is None), values cast to their least common type."""
    from ..errors import AnalysisException
    assert ids is not None, "ids must not be None"
    scope = df._scope()
    id_exprs = [named(col_of(c)._expr.resolve(scope)) for c in _column_list(ids)]
    if values is None:
        used = set()
        for e in id_exprs:
            used |= {r.expr_id for r in _references(e)}
        value_exprs = [a for a in df._plan.output if a.expr_id not in used]
    else:
        value_exprs = [named(col_of(c)._expr.resolve(scope)) for c in _column_list(values)]
    if not value_exprs:
        raise AnalysisException(errorClass="UNPIVOT_REQUIRES_VALUE_COLUMNS", messageParameters={
            "ids": "[%s]" % ", ".join(_sql_name(e) for e in id_exprs)})
    common = value_exprs[0].dataType
    for e in value_exprs[1:]:
        common = wider_type(common, e.dataType) if common is not None else None
    if common is None:
        by_type = {}
        for e in value_exprs:
            by_type.setdefault('"%s"' % e.dataType.simpleString().upper(), []).append(_sql_name(e))
        raise AnalysisException(errorClass="UNPIVOT_VALUE_DATA_TYPE_MISMATCH", messageParameters={
            "types": ", ".join("%s (%s)" % (t, ", ".join(names)) for t, names in sorted(by_type.items()))})
    pairs = F.array(*[F.struct(F.lit(to_attribute(e).name).alias(variable_name),
                               Column(e, to_attribute(e).name).cast(common).alias(value_name))
                      for e in value_exprs])
    mid = df.select(*[Column(e, to_attribute(e).name) for e in id_exprs], F.explode(pairs).alias("__unpivot"))
    out = mid._plan.output
    pair = _attr_column(out[-1])
    return mid.select(*[_attr_column(a) for a in out[:-1]],
                      pair.getField(variable_name).alias(variable_name),
                      pair.getField(value_name).alias(value_name))


def _references(e):
    from .expressions import AttributeReference
    if isinstance(e, AttributeReference):
        return [e]
    out = []
    for c in e.children:
        out.extend(_references(c))
    return out


def _sql_name(e):
    return "`%s`" % to_attribute(e).name.replace("`", "``")


def transpose(df, index_column=None):
    """Columns become rows: the index column's values (the first column by default) name the new
    columns, the other columns' names fill ``key``, and their values (cast to a common type) the
    rows. Index values are ordered ascending, as Spark orders them."""
    from ..errors import AnalysisException
    out = df._plan.output
    if not out:
        return df
    if index_column is None:
        index = out[0]
    else:
        index = named(col_of(index_column)._expr.resolve(df._scope()))
    index_attr = to_attribute(index)
    rest = [a for a in out if a.expr_id != index_attr.expr_id]
    if not isinstance(index_attr.dataType, (T.AtomicType,)):
        raise AnalysisException(errorClass="TRANSPOSE_INVALID_INDEX_COLUMN", messageParameters={
            "reason": "Index column must be of atomic type, but found: %s" % index_attr.dataType.simpleString()})
    common = rest[0].dataType if rest else T.StringType()
    for a in rest[1:]:
        wider = wider_type(common, a.dataType)
        if wider is None:
            raise AnalysisException(errorClass="TRANSPOSE_NO_LEAST_COMMON_TYPE", messageParameters={
                "dt1": '"%s"' % a.dataType.simpleString().upper(), "dt2": '"%s"' % common.simpleString().upper()})
        common = wider
    rows = df.select(Column(index, index_attr.name), *[_attr_column(a).cast(common) for a in rest]).collect()
    limit = int(df.sparkSession.conf.get("spark.sql.transposeMaxValues", "500"))
    if len(rows) > limit:
        raise AnalysisException(errorClass="TRANSPOSE_EXCEED_ROW_LIMIT", messageParameters={
            "maxValues": str(limit), "config": "spark.sql.transposeMaxValues"})
    rows = sorted((r for r in rows if r[0] is not None), key=lambda r: r[0])
    names = [str(r[0]) for r in rows]
    schema = T.StructType([T.StructField("key", T.StringType(), False)] +
                          [T.StructField(n, common, True) for n in names])
    data = [tuple([a.name] + [r[i + 1] for r in rows]) for i, a in enumerate(rest)]
    return df.sparkSession.createDataFrame(data, schema)
