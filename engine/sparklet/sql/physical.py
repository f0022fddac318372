"""Physical plan: Spark's operators, ``explain()``, and compilation to an RDD lineage of Arrow tables.

Planning (``plan_query``) turns an optimized logical plan into operators named as Spark names them
(``Scan ExistingRDD``, ``Project``, ``Filter``, ``HashAggregate`` partial/final, ``Exchange``,
``Sort``, ``SortMergeJoin``, ``BroadcastHashJoin``, ``Window``, ``CollectLimit``, ``Union``...).
Exchanges are placed where Spark's ``EnsureRequirements`` places them: under a final aggregate
(hash of its keys, or a single partition), under a global sort (range), under both sides of a
shuffled join and under a window (hash of its partition keys).

Execution (``Compiler``): every partition of every RDD the SQL layer builds holds exactly one
Arrow table whose columns are named by attribute id (``c12``). Narrow operators do not make RDDs:
each adds a layer to the SQL query of the stage it belongs to, and the query runs once per
partition on the executor (``engine.run_query``), so a stage is one vectorized query. An
``Exchange`` is a real shuffle dependency (``RDD.partitionBy``): its map side computes each row's
bucket ``pmod(murmur3(keys), 200)``, orders rows by bucket (stably) and sends each contiguous run
of buckets to one reduce partition. The number of reduce partitions is what adaptive execution
would coalesce the 200 buckets to (one per 64 MB of estimated input); a reduce partition reads its
map outputs in map order, which is how PySpark orders results it leaves unordered (map partition,
bucket, position).
"""

import itertools
import math

from . import types as T
from .aggregation import can_partial, complete_sql, final_sql, needs_sort_aggregate, partial_sql
from .expressions import (
    Alias, AggregateFunction, AttributeReference, Expression, PythonUDF, SortOrder, duck_type, strip_alias,
    to_attribute,
)
from .plan import (
    Aggregate, Deduplicate, Filter, Generate, Join, LeafRelation, Limit, MapInBatches, Offset, Project, Repartition,
    RepartitionByRange, ResolvedHint, Sample, SetOperation, Sort, SubqueryAlias, Union, View, Window, equi_join_keys,
    split_conjuncts,
)

SHUFFLE_PARTITIONS = 200
ADVISORY_PARTITION_BYTES = 64 * 1024 * 1024
_plan_ids = itertools.count()


def _alist(attrs):
    return ", ".join(a.explain() for a in attrs)


class SparkPlan:
    children = ()
    codegen = False
    narrow = False

    def node_string(self):
        return type(self).__name__

    def output(self):
        raise NotImplementedError

    def sql(self, child_sql):
        raise NotImplementedError

    def udfs(self):
        return []


def _udfs_of(exprs):
    out = []

    def walk(e):
        if isinstance(e, PythonUDF):
            out.append((e.udf_id, e.func, [c.dataType for c in e.children], e.dataType))
        for c in e.children:
            walk(c)
    for e in exprs:
        walk(e)
    return out


class ScanExec(SparkPlan):
    """A relation's scan. A file scan reads only the columns the operators above it need
    (``pruned``) and names the filters above it that a file source can evaluate while reading
    (``filters``: Spark's DataFilters, and their PushedFilters), as FileSourceStrategy plans it."""

    def __init__(self, relation, pruned=None, filters=()):
        self.relation = relation
        self.codegen = relation.source.codegen
        self.pruned = pruned
        self.filters = list(filters)

    def output(self):
        return self.pruned if self.pruned is not None else self.relation.output

    def node_string(self):
        if self.pruned is None and not self.filters:
            return self.relation.source.physical_string(self.relation.output)
        return self.relation.source.physical_string(self.output(), self.filters)


class ProjectExec(SparkPlan):
    codegen = True
    narrow = True

    def __init__(self, exprs, child):
        self.exprs = list(exprs)
        self.children = (child,)

    def output(self):
        return [to_attribute(e) for e in self.exprs]

    def node_string(self):
        return "Project [%s]" % ", ".join(e.explain() for e in self.exprs) if self.exprs else "Project"

    def sql(self, child_sql):
        cols = ", ".join("%s AS %s" % (e.duck(), to_attribute(e).col) for e in self.exprs)
        return "SELECT %s FROM (%s) AS t" % (cols or "1 AS __dummy", child_sql)

    def udfs(self):
        return _udfs_of(self.exprs)


class FilterExec(SparkPlan):
    codegen = True
    narrow = True

    def __init__(self, condition, child):
        self.condition = condition
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return "Filter %s" % self.condition.explain()

    def sql(self, child_sql):
        return "SELECT * FROM (%s) AS t WHERE %s" % (child_sql, self.condition.duck())

    def udfs(self):
        return _udfs_of([self.condition])


class ColumnarToRowExec(SparkPlan):
    """Spark's transition from a columnar (Parquet) scan to rows; Arrow partitions need none."""
    codegen = True
    narrow = True

    def __init__(self, child):
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return "ColumnarToRow"

    def sql(self, child_sql):
        return child_sql


class HashAggregateExec(SparkPlan):
    """``mode`` partial: keys + buffers per map partition; final: merge buffers and evaluate the
    result expressions; complete: aggregate raw rows in one step."""
    codegen = True
    narrow = True

    def __init__(self, mode, keys, key_attrs, functions, buffers, results, child, name="HashAggregate"):
        self.mode = mode
        self.keys = keys  # expressions (partial/complete) evaluated over the child
        self.key_attrs = key_attrs
        self.functions = functions  # AggregateFunction list
        self.buffers = buffers  # per function: list of buffer column names
        self.results = results  # final/complete: named result expressions over key_attrs + fn attrs
        self.children = (child,)
        self.name = name
        self.by_bucket = False
        if mode == "partial":
            from .aggregation import buffer_fields
            # Spark's buffer attributes: what the formatted explain lists; the columns are b<i>_<j>
            self.buffer_attrs = [_ColRef(AttributeReference(n, t, True), b) for f, bs in zip(functions, buffers)
                                 for (n, t), b in zip(buffer_fields(f), bs)]
            self.result_attrs = [_ColRef(AttributeReference(a.name, a.dataType, True), a.col)
                                 for a in self.buffer_attrs]

    def output(self):
        if self.mode == "partial":
            return self.key_attrs + self.result_attrs
        return [to_attribute(e) for e in self.results]

    def formatted_details(self):
        """The Keys/Functions/Aggregate Attributes/Results lines of the formatted explain."""
        keys = self.key_attrs if self.mode == "final" else self.keys
        if self.mode == "partial":
            return [_fields("Keys", keys), _fields("Functions", [f.explain("partial") for f in self.functions]),
                    _fields("Aggregate Attributes", self.buffer_attrs),
                    _fields("Results", self.key_attrs + self.result_attrs)]
        if not hasattr(self, "function_attrs"):
            # Spark's resultExpressions refer to each aggregate by an attribute named after it
            self.function_attrs = [AttributeReference(f.explain(), f.dataType, f.nullable) for f in self.functions]
        by_col = {"f%d" % i: a for i, a in enumerate(self.function_attrs)}

        def shown(e):
            return e.transform(lambda x: by_col.get(x.col, x) if isinstance(x, _ColRef) else x)
        return [_fields("Keys", keys), _fields("Functions", [f.explain() for f in self.functions]),
                _fields("Aggregate Attributes", self.function_attrs),
                _fields("Results", [shown(e) for e in self.results])]

    def node_string(self):
        keys = ", ".join(k.explain() if self.mode != "final" else a.explain()
                         for k, a in zip(self.keys, self.key_attrs))
        if self.mode == "partial":
            fns = ", ".join(f.explain("partial") for f in self.functions)
        else:
            fns = ", ".join(f.explain() for f in self.functions)
        return "%s(%s=[%s], functions=[%s])" % (self.name, "key" if self.name == "SortAggregate" else "keys",
                                               keys, fns)

    def verbose_string(self):
        return "%s, output=[%s])" % (self.node_string()[:-1], ", ".join(a.explain() for a in self.output()))

    def _select(self):
        key_cols = []
        for k, a in zip(self.keys, self.key_attrs):
            key_cols.append(("%s" % (a.col if self.mode == "final" else k.duck()), a.col))
        sel = ["%s AS %s" % (k, name) for k, name in key_cols]
        if self.mode == "partial":
            for f, bs in zip(self.functions, self.buffers):
                for expr, b in zip(partial_sql(f), bs):
                    sel.append("%s AS %s" % (expr, b))
        else:
            for i, f in enumerate(self.functions):
                expr = final_sql(f, self.buffers[i]) if self.mode == "final" else complete_sql(f)
                sel.append("%s AS f%d" % (expr, i))
        return key_cols, sel

    def reads_input_order(self):
        """Whether the order of the input rows reaches the result: groups come out in the order
        first seen, and order-sensitive aggregates (first, collect_list, moments) read it."""
        key_cols, sel = self._select()
        return bool(key_cols) or any("__pos" in expr for expr in sel)

    def sql(self, child_sql):
        key_cols, sel = self._select()
        # the input position orders the groups as Spark emits them and feeds the order-sensitive
        # aggregates (first, last, collect_list); DuckDB computes the window even when nothing
        # reads it, so a global aggregate of order-free functions goes without
        src = ("(SELECT *, row_number() OVER () AS __pos FROM (%s) AS t0) AS t" % child_sql
               if key_cols or any("__pos" in expr for expr in sel) else "(%s) AS t" % child_sql)
        group = (" GROUP BY " + ", ".join(name for _, name in key_cols)) if key_cols else ""
        order = " ORDER BY min(__pos)" if key_cols else ""
        if key_cols and self.name == "SortAggregate":
            order = " ORDER BY " + ", ".join("%s ASC NULLS FIRST" % name for _, name in key_cols)
        elif key_cols and self.mode == "complete" and self.by_bucket:
            # a distinct aggregate's rows reach Spark's final aggregate in bucket order
            order = " ORDER BY min(__bucket), min(__pos)"
        inner = "SELECT %s FROM %s%s%s" % (", ".join(sel) or "count(*) AS __n", src, group, order)
        if self.mode == "partial":
            return inner
        cols = ", ".join("%s AS %s" % (e.duck(), to_attribute(e).col) for e in self.results)
        return "SELECT %s FROM (%s) AS t" % (cols, inner)

    def udfs(self):
        return _udfs_of(list(self.keys) + list(self.functions))


class ExchangeExec(SparkPlan):
    """``kind`` hash (keys), single, range (orders) or roundrobin (n)."""

    def __init__(self, kind, child, keys=(), orders=(), n=SHUFFLE_PARTITIONS, reason="ENSURE_REQUIREMENTS"):
        self.kind = kind
        self.keys = list(keys)
        self.orders = list(orders)
        self.n = n
        self.children = (child,)
        self.reason = reason
        self.plan_id = next(_plan_ids)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        if self.kind == "hash":
            part = "hashpartitioning(%s, %d)" % (", ".join(k.explain() for k in self.keys), self.n)
        elif self.kind == "single":
            part = "SinglePartition"
        elif self.kind == "range":
            part = "rangepartitioning(%s, %d)" % (", ".join(o.explain() for o in self.orders), self.n)
        else:
            part = "RoundRobinPartitioning(%d)" % self.n
        return "Exchange %s, %s, [plan_id=%d]" % (part, self.reason, self.plan_id)


class SortExec(SparkPlan):
    codegen = True
    narrow = True

    def __init__(self, orders, is_global, child):
        self.orders = list(orders)
        self.is_global = is_global
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return "Sort [%s], %s, 0" % (", ".join(o.explain() for o in self.orders), "true" if self.is_global else "false")

    def sql(self, child_sql):
        return ("SELECT * EXCLUDE (__pos) FROM (SELECT *, row_number() OVER () AS __pos FROM (%s) AS t0) AS t "
                "ORDER BY %s" % (child_sql, ", ".join([o.duck() for o in self.orders] + ["__pos"])))


class LimitExec(SparkPlan):
    narrow = True

    def __init__(self, n, child, kind="CollectLimit", offset=0):
        self.n = n
        self.kind = kind
        self.offset = offset
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        if self.kind == "CollectLimit" and self.offset:
            return "CollectLimit %d, %d" % (self.n, self.offset)
        return "%s %d" % (self.kind, self.n)

    def sql(self, child_sql):
        lim = "" if self.n < 0 else " LIMIT %d" % self.n
        off = " OFFSET %d" % self.offset if self.offset and self.kind != "LocalLimit" else ""
        return "SELECT * FROM (%s) AS t%s%s" % (child_sql, lim, off)


class TakeOrderedAndProjectExec(SparkPlan):
    def __init__(self, n, orders, project, child, offset=0):
        self.n = n
        self.orders = list(orders)
        self.project = list(project)
        self.offset = offset
        self.children = (child,)

    def output(self):
        return [to_attribute(e) for e in self.project]

    def node_string(self):
        return "TakeOrderedAndProject(limit=%d, orderBy=[%s], output=[%s])" % (
            self.n, ", ".join(o.explain() for o in self.orders), ", ".join(e.explain() for e in self.project))


class JoinExec(SparkPlan):
    def __init__(self, kind, how, left_keys, right_keys, condition, left, right, build="right", join=None):
        self.kind = kind  # SortMergeJoin | BroadcastHashJoin | BroadcastNestedLoopJoin | CartesianProduct
        self.how = how
        self.left_keys = list(left_keys)
        self.right_keys = list(right_keys)
        self.condition = condition  # the residual (non-equi) condition, or the whole one without keys
        self.children = (left, right)
        self.build = build
        self.join = join
        self.codegen = kind in ("SortMergeJoin", "BroadcastHashJoin")

    def output(self):
        return self.join.output

    def node_string(self):
        names = {"inner": "Inner", "leftouter": "LeftOuter", "rightouter": "RightOuter", "fullouter": "FullOuter",
                 "leftsemi": "LeftSemi", "leftanti": "LeftAnti", "cross": "Cross"}
        how = names[self.how]
        if self.kind == "CartesianProduct":
            return "CartesianProduct" + (" %s" % self.condition.explain() if self.condition is not None else "")
        if self.kind == "BroadcastNestedLoopJoin":
            return "BroadcastNestedLoopJoin Build%s, %s%s" % (
                self.build.capitalize(), how, (", %s" % self.condition.explain()) if self.condition is not None else "")
        keys = "[%s], [%s], %s" % (", ".join(k.explain() for k in self.left_keys),
                                   ", ".join(k.explain() for k in self.right_keys), how)
        if self.kind == "BroadcastHashJoin":
            keys += ", Build%s" % self.build.capitalize()
        if self.condition is not None:
            keys += ", %s" % self.condition.explain()
        if self.kind == "BroadcastHashJoin":
            keys += ", false, false"
        return "%s %s" % (self.kind, keys)

    def join_sql(self, left_sql, right_sql, stream=None, ordered=True):
        """The join as one query. ``stream`` (left/right): the side a broadcast join streams,
        whose order the output keeps; each stream row meets its build rows in the order Spark's
        hashed relation returns them (the last inserted first) or, in a nested loop join, in
        build order. ``ordered=False``: nothing above reads the rows' order (a global aggregate
        of order-free functions), so the query skips the sort that reproduces it."""
        if stream is None and self.kind in ("BroadcastHashJoin", "BroadcastNestedLoopJoin"):
            stream = "left" if self.build == "right" else "right"
        l_out = self.children[0].output()
        r_out = self.children[1].output()
        conds = ["%s IS NOT DISTINCT FROM %s" % (a.duck(), b.duck()) if False else "%s = %s" % (a.duck(), b.duck())
                 for a, b in zip(self.left_keys, self.right_keys)]
        if self.condition is not None:
            conds.append(self.condition.duck())
        on = " AND ".join(conds) or "TRUE"
        kw = {"inner": "JOIN", "cross": "JOIN", "leftouter": "LEFT JOIN", "rightouter": "RIGHT JOIN",
              "fullouter": "FULL JOIN", "leftsemi": "SEMI JOIN", "leftanti": "ANTI JOIN"}[self.how]
        lsrc = "(SELECT *, row_number() OVER () AS __lpos FROM (%s) AS l0)" % left_sql
        rsrc = "(SELECT *, row_number() OVER () AS __rpos FROM (%s) AS r0)" % right_sql
        # the two sides' columns carry distinct ids; qualify nothing
        if stream is not None:
            cols = ", ".join(a.col for a in l_out) if self.how in ("leftsemi", "leftanti") else \
                ", ".join([a.col for a in l_out] + [a.col for a in r_out])
            spos, bpos = ("__lpos", "__rpos") if stream == "left" else ("__rpos", "__lpos")
            order = spos if self.how in ("leftsemi", "leftanti") else "%s, %s %s" % (
                spos, bpos, "ASC" if self.kind == "BroadcastNestedLoopJoin" else "DESC")
        elif self.how in ("leftsemi", "leftanti"):
            cols = ", ".join(a.col for a in l_out)
            # a sort merge join emits the left rows by key
            lk = ", ".join("%s NULLS FIRST" % k.duck() for k in self.left_keys)
            order = ("%s, " % lk if lk else "") + "__lpos"
        else:
            cols = ", ".join([a.col for a in l_out] + [a.col for a in r_out])
            if self.kind == "SortMergeJoin":
                lk = ", ".join("%s NULLS FIRST" % k.duck() for k in self.left_keys)
                rk = ", ".join("%s NULLS FIRST" % k.duck() for k in self.right_keys)
                order = ("%s, " % lk if lk else "") + "__lpos NULLS LAST, " + ("%s, " % rk if rk else "") + "__rpos"
                if self.how in ("rightouter", "fullouter"):
                    # key by key: the keys of one side may differ in type from each other
                    order = "".join("coalesce(%s, %s), " % (lk.duck(), rk.duck())
                                    for lk, rk in zip(self.left_keys, self.right_keys)) + "__lpos NULLS LAST, __rpos"
            else:
                order = None
        if order is None or not ordered:
            return "SELECT %s FROM (%s) AS l %s (%s) AS r ON %s" % (cols, left_sql, kw, right_sql, on)
        return "SELECT %s FROM %s AS l %s %s AS r ON %s ORDER BY %s" % (cols, lsrc, kw, rsrc, on, order)

    def udfs(self):
        return _udfs_of(([self.condition] if self.condition is not None else []) + self.left_keys + self.right_keys)


class UnionExec(SparkPlan):
    def __init__(self, children, output):
        self.children = tuple(children)
        self._output = output

    def output(self):
        return self._output

    def node_string(self):
        return "Union"


class WindowExec(SparkPlan):
    narrow = True

    def __init__(self, window_exprs, partition_by, order_by, child):
        self.window_exprs = window_exprs
        self.partition_by = partition_by
        self.order_by = order_by
        self.children = (child,)

    def output(self):
        return self.children[0].output() + [to_attribute(e) for e in self.window_exprs]

    def node_string(self):
        return "Window [%s], [%s], [%s]" % (", ".join(e.explain() for e in self.window_exprs),
                                           ", ".join(e.explain() for e in self.partition_by),
                                           ", ".join(o.explain() for o in self.order_by))

    def sql(self, child_sql):
        cols = ", ".join("%s AS %s" % (e.duck(), to_attribute(e).col) for e in self.window_exprs)
        order = [p.duck() + " ASC NULLS FIRST" for p in self.partition_by] + [o.duck() for o in self.order_by]
        return ("SELECT * EXCLUDE (__pos) FROM (SELECT *, %s FROM (SELECT *, row_number() OVER () AS __pos "
                "FROM (%s) AS t0) AS t) AS w ORDER BY %s" % (cols, child_sql, ", ".join(order + ["__pos"])))

    def udfs(self):
        return _udfs_of(self.window_exprs)


class GenerateExec(SparkPlan):
    codegen = True
    narrow = True

    def __init__(self, generator, keep, gen_output, child):
        self.generator = generator
        self.keep = keep
        self.gen_output = gen_output
        self.children = (child,)

    def output(self):
        return self.keep + self.gen_output

    def node_string(self):
        return "Generate %s, [%s], %s, [%s]" % (
            self.generator.explain(), _alist(self.keep), "true" if self.generator.outer else "false",
            _alist(self.gen_output))

    def sql(self, child_sql):
        g = self.generator
        if hasattr(g, "generate_sql"):
            # generators of several columns (inline, stack) write their own query
            return g.generate_sql([a.col for a in self.keep], [a.col for a in self.gen_output], child_sql)
        x = g.children[0].duck()
        keep = [a.col for a in self.keep]
        t = g.children[0].dataType
        if isinstance(t, T.ArrayType):
            arr = x
            if g.outer:
                arr = "CASE WHEN len(%s) > 0 THEN %s ELSE [NULL] END" % (x, x)
            cols = []
            if g.position:
                cols.append("CAST(generate_subscripts(%s, 1) - 1 AS INTEGER) AS %s" % (arr, self.gen_output[0].col))
            cols.append("unnest(%s) AS %s" % (arr, self.gen_output[-1].col))
            if g.outer and g.position:
                cols[0] = "CASE WHEN len(%s) > 0 THEN %s END AS %s" % (
                    x, cols[0].rsplit(" AS ", 1)[0], self.gen_output[0].col)
        else:
            ks, vs = "map_keys(%s)" % x, "map_values(%s)" % x
            if g.outer:
                ks = "CASE WHEN cardinality(%s) > 0 THEN map_keys(%s) ELSE [NULL] END" % (x, x)
                vs = "CASE WHEN cardinality(%s) > 0 THEN map_values(%s) ELSE [NULL] END" % (x, x)
            cols = []
            if g.position:
                pos = "CAST(generate_subscripts(%s, 1) - 1 AS INTEGER)" % ks
                if g.outer:
                    # the row an empty or NULL map keeps has no position either
                    pos = "CASE WHEN cardinality(%s) > 0 THEN %s END" % (x, pos)
                cols.append("%s AS %s" % (pos, self.gen_output[0].col))
            cols += ["unnest(%s) AS %s" % (ks, self.gen_output[-2].col),
                     "unnest(%s) AS %s" % (vs, self.gen_output[-1].col)]
        return "SELECT %s FROM (%s) AS t" % (", ".join(keep + cols), child_sql)

    def udfs(self):
        return _udfs_of([self.generator])


class CoalesceExec(SparkPlan):
    def __init__(self, n, child):
        self.n = n
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return "Coalesce %d" % self.n


class SetOpExec(SparkPlan):
    """INTERSECT / EXCEPT over co-partitioned sides (Spark rewrites them to semi/anti joins)."""

    def __init__(self, kind, is_all, left, right):
        self.kind = kind
        self.is_all = is_all
        self.children = (left, right)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return "SetOperation %s" % self.kind


class SampleExec(SparkPlan):
    """Spark's ``SampleExec``: a sampler per partition, seeded from the seed and the partition's
    index, draws once per row in the partition's order (see ``sampling``)."""
    codegen = True

    def __init__(self, logical, child):
        self.logical = logical
        self.children = (child,)

    def output(self):
        return self.children[0].output()

    def node_string(self):
        return self.logical.node_string()


class MapInBatchesExec(SparkPlan):
    """Spark's ``MapInPandasExec``/``MapInArrowExec``: the user's function once per partition."""

    def __init__(self, logical, child):
        self.logical = logical
        self.children = (child,)

    def output(self):
        return self.logical.output

    def node_string(self):
        return self.logical.node_string()


# --------------------------------------------------------------------------------------------
# planning


def plan_query(logical, session):
    """The physical plan of an optimized logical plan, with exchanges inserted."""
    root = _plan(logical, session, top=True)
    return root


def _plan(p, s, top=False):
    if isinstance(p, (SubqueryAlias, View, ResolvedHint)):
        return _plan(p.child, s, top)
    if isinstance(p, LeafRelation):
        return _scan(p, None, [])
    file_scan = _file_scan_operation(p)
    if file_scan is not None:
        projects, filters, relation = file_scan
        node = _scan(relation, projects, filters)
        if filters:
            from .plan import conjoin
            node = FilterExec(conjoin(filters), node)
        # a projection that only lists the scan's columns is the scan's own pruning
        if projects is not None and not (all(isinstance(e, AttributeReference) for e in projects)
                                         and [e.expr_id for e in projects] == [a.expr_id for a in node.output()]):
            node = ProjectExec(projects, node)
        elif projects == []:
            # a scan of no columns (count()) still yields its rows: the scan reads a column and this
            # projection, which Spark does not show, keeps the rows and drops the column
            node = ProjectExec([], node)
            node.hidden = True
        return node
    if isinstance(p, Project):
        if top and isinstance(p.child, Limit) and isinstance(p.child.child, Sort) and p.child.child.is_global \
                and not isinstance(p.child, Offset):
            lim, srt = p.child, p.child.child
            return TakeOrderedAndProjectExec(lim.n, srt.orders, p.exprs, _plan(srt.child, s))
        return ProjectExec(p.exprs, _plan(p.child, s))
    if isinstance(p, Filter):
        return FilterExec(p.condition, _plan(p.child, s))
    if isinstance(p, Aggregate):
        return _plan_aggregate(p.grouping, p.aggregates, _plan(p.child, s), s)
    if isinstance(p, Deduplicate):
        from .expressions import Alias as A
        keys = p.keys
        key_ids = {k.expr_id for k in keys}
        aggs = []
        for a in p.child.output:
            if a.expr_id in key_ids:
                aggs.append(a)
            else:
                f = AggregateFunction("first", [a], a.dataType, a.nullable)
                aggs.append(A(f, a.name, a.expr_id))
        return _plan_aggregate(keys, aggs, _plan(p.child, s), s, first_is_partial=True)
    if isinstance(p, Sort):
        child = _plan(p.child, s)
        if p.is_global:
            return SortExec(p.orders, True, ExchangeExec("range", child, orders=p.orders))
        return SortExec(p.orders, False, child)
    if isinstance(p, Limit):
        if top and isinstance(p.child, Sort) and p.child.is_global and not isinstance(p, Offset):
            return TakeOrderedAndProjectExec(p.n, p.child.orders, p.output, _plan(p.child.child, s))
        child = _plan(p.child, s)
        if isinstance(p, Offset):
            if top:
                return LimitExec(-1, child, "CollectLimit", p.offset)
            return LimitExec(-1, ExchangeExec("single", child), "GlobalLimit", p.offset)
        if top:
            return LimitExec(p.n, child, "CollectLimit", p.offset)
        return LimitExec(p.n, ExchangeExec("single", LimitExec(p.n, child, "LocalLimit")), "GlobalLimit", p.offset)
    if isinstance(p, Join):
        return _plan_join(p, s)
    if isinstance(p, Union):
        kids = [_plan(c, s) for c in p.children]
        out = p.output
        aligned = []
        for c, lc in zip(kids, p.children):
            cout = lc.output
            if [a.expr_id for a in cout] != [a.expr_id for a in out]:
                c = ProjectExec([Alias(src, dst.name, dst.expr_id) for src, dst in zip(cout, out)], c)
                c.hidden = True
            aligned.append(c)
        return UnionExec(aligned, out)
    if isinstance(p, Window):
        child = _plan(p.child, s)
        if p.partition_by:
            ex = ExchangeExec("hash", child, keys=p.partition_by)
        else:
            ex = ExchangeExec("single", child)
        orders = [SortOrder(k, True, True) for k in p.partition_by] + p.order_by
        return WindowExec(p.window_exprs, p.partition_by, p.order_by, SortExec(orders, False, ex))
    if isinstance(p, Generate):
        return GenerateExec(p.generator, p.keep, p.gen_output, _plan(p.child, s))
    if isinstance(p, Repartition):
        child = _plan(p.child, s)
        if not p.shuffle:
            return CoalesceExec(p.n, child)
        if p.keys:
            return ExchangeExec("hash", child, keys=p.keys, n=p.n or SHUFFLE_PARTITIONS, reason="REPARTITION_BY_NUM"
                                if p.n else "REPARTITION_BY_COL")
        return ExchangeExec("roundrobin", child, n=p.n, reason="REPARTITION_BY_NUM")
    if isinstance(p, SetOperation):
        left, right = _plan(p.children[0], s), _plan(p.children[1], s)
        keys_l, keys_r = p.children[0].output, p.children[1].output
        return SetOpExec(p.kind, p.is_all, ExchangeExec("hash", left, keys=keys_l),
                         ExchangeExec("hash", right, keys=keys_r))
    if isinstance(p, Sample):
        return SampleExec(p, _plan(p.child, s))
    if isinstance(p, MapInBatches):
        return MapInBatchesExec(p, _plan(p.child, s))
    if isinstance(p, RepartitionByRange):
        ex = ExchangeExec("range", _plan(p.child, s), orders=p.orders, n=p.n or SHUFFLE_PARTITIONS,
                          reason="REPARTITION_BY_NUM" if p.n else "REPARTITION_BY_COL")
        ex.by_range = True
        return ex
    raise NotImplementedError("no physical operator for %s" % type(p).__name__)


def _file_scan_operation(p):
    """(projects or None, filter conjuncts, relation) of a Project over Filters over a file
    relation (Spark's ScanOperation), else None."""
    projects = None
    node = p
    if isinstance(node, Project):
        projects, node = node.exprs, node.child
    filters = []
    while isinstance(node, Filter):
        filters = split_conjuncts(node.condition) + filters
        node = node.child
    if node is p or not isinstance(node, LeafRelation) or not getattr(node.source, "file_scan", False):
        return None
    return projects, filters, node


def _scan(relation, projects, filters):
    if not getattr(relation.source, "file_scan", False):
        return ScanExec(relation)
    needed = set()
    for e in (projects if projects is not None else relation.output) + filters:
        needed.update(r.expr_id for r in e.references())
    pruned = [a for a in relation.output if a.expr_id in needed]
    if projects is None and not filters:
        pruned = list(relation.output)
    scan = ScanExec(relation, pruned, [f for f in filters if _deterministic_expr(f)])
    if relation.source.fmt == "parquet":
        return ColumnarToRowExec(scan)
    return scan


def _deterministic_expr(e):
    from .plan import _deterministic
    return _deterministic(e)


def source_filter(e):
    """The data source filter Spark pushes into a file scan for a predicate, as Spark prints it
    (``DataSourceStrategy.translateFilter``: ``GreaterThan(age,21)``), or None.

    >>> from .expressions import GreaterThan, Literal
    >>> source_filter(GreaterThan(AttributeReference("age", T.LongType()), Literal(21, T.LongType())))
    'GreaterThan(age,21)'
    """
    from . import expressions as X

    def attr(x):
        return x.name if isinstance(x, AttributeReference) else None

    def value(x):
        if isinstance(x, X.Literal) and x.value is not None:
            return x.explain()
        return None
    flipped = {"GreaterThan": "LessThan", "LessThan": "GreaterThan", "GreaterThanOrEqual": "LessThanOrEqual",
               "LessThanOrEqual": "GreaterThanOrEqual", "EqualTo": "EqualTo", "EqualNullSafe": "EqualNullSafe"}
    kind = type(e).__name__
    if kind in flipped:
        a, b = e.children
        if attr(a) is not None and value(b) is not None:
            return "%s(%s,%s)" % (kind, attr(a), value(b))
        if attr(b) is not None and value(a) is not None:
            return "%s(%s,%s)" % (flipped[kind], attr(b), value(a))
        return None
    if kind == "NotEqual":
        inner = source_filter(X.EqualTo(*e.children))
        return None if inner is None else "Not(%s)" % inner
    if kind in ("IsNull", "IsNotNull"):
        return "%s(%s)" % (kind, attr(e.children[0])) if attr(e.children[0]) is not None else None
    if kind == "In":
        values = [value(c) for c in e.children[1:]]
        if attr(e.children[0]) is None or any(v is None for v in values):
            return None
        return "In(%s, [%s])" % (attr(e.children[0]), ",".join(values))
    if kind in ("And", "Or"):
        parts = [source_filter(c) for c in e.children]
        return None if None in parts else "%s(%s,%s)" % (kind, parts[0], parts[1])
    if kind == "Not":
        inner = source_filter(e.children[0])
        return None if inner is None else "Not(%s)" % inner
    names = {"startswith": "StringStartsWith", "endswith": "StringEndsWith", "contains": "StringContains"}
    if kind == "Function" and e.fname in names and len(e.children) == 2:
        a, v = attr(e.children[0]), value(e.children[1])
        if a is not None and v is not None:
            return "%s(%s,%s)" % (names[e.fname], a, v)
    return None


def _plan_aggregate(grouping, aggregates, child, s, first_is_partial=False):
    key_attrs = [g.to_attribute() if isinstance(g, Alias) else g if isinstance(g, AttributeReference)
                 else AttributeReference(g.name, g.dataType, g.nullable) for g in grouping]
    key_attrs = [k.with_qualifier(()) if isinstance(k, AttributeReference) else k for k in key_attrs]
    keys = [strip_alias(g) for g in grouping]
    functions = []
    for a in aggregates:
        _collect(a, functions)
    fattrs = [AttributeReference("f%d" % i, f.dataType, f.nullable) for i, f in enumerate(functions)]
    key_sql = {k.explain(): ka for k, ka in zip(keys, key_attrs)}

    def rewrite(e):
        if isinstance(e, AggregateFunction):
            for f, fa in zip(functions, fattrs):
                if f is e:
                    return _ColRef(fa, "f%d" % functions.index(f))
        if not isinstance(e, (Alias,)) and e.explain() in key_sql and not isinstance(e, AggregateFunction):
            return key_sql[e.explain()]
        if e.children:
            return e.with_children([rewrite(c) for c in e.children])
        return e

    results = []
    for a in aggregates:
        if isinstance(a, Alias):
            results.append(Alias(rewrite(a.child), a.alias, a.expr_id))
        else:
            r = rewrite(a)
            results.append(r if isinstance(r, AttributeReference) else Alias(r, a.name, a.expr_id))
    partial_ok = all(can_partial(f) for f in functions)
    name = "SortAggregate" if keys and any(needs_sort_aggregate(f) for f in functions) else "HashAggregate"

    def sorted_input(node):
        if name != "SortAggregate":
            return node
        return SortExec([SortOrder(k) for k in (key_attrs if isinstance(node, ExchangeExec) else keys)], False, node)
    if partial_ok:
        buffers = [["b%d_%d" % (i, j) for j in range(len(partial_sql(f)))] for i, f in enumerate(functions)]
        partial = HashAggregateExec("partial", keys, key_attrs, functions, buffers, None, sorted_input(child), name)
        ex = ExchangeExec("hash", partial, keys=key_attrs) if keys else ExchangeExec("single", partial)
        return HashAggregateExec("final", keys, key_attrs, functions, buffers, results, sorted_input(ex), name)
    ex = ExchangeExec("hash", child, keys=keys) if keys else ExchangeExec("single", child)
    agg = HashAggregateExec("complete", keys, key_attrs, functions, [[] for _ in functions], results,
                            sorted_input(ex), name)
    agg.by_bucket = any(f.distinct for f in functions)
    ex.keep_bucket = agg.by_bucket
    return agg


class _ColRef(AttributeReference):
    """A reference to an aggregate's result column inside the aggregate operator."""

    def __init__(self, attr, col):
        super().__init__(attr.name, attr.dataType, attr.nullable, attr.expr_id)
        self._col = col
        self._fn_explain = None

    @property
    def col(self):
        return self._col


def _collect(e, out):
    if isinstance(e, AggregateFunction):
        if not any(e is x for x in out):
            out.append(e)
        return
    for c in e.children:
        _collect(c, out)


def _plan_join(p, s):
    left, right = _plan(p.left, s), _plan(p.right, s)
    keys = equi_join_keys(p)
    residual = None
    if p.condition is not None:
        key_conds = {id(c) for c in split_conjuncts(p.condition)
                     if any((c.left is a and c.right is b) or (c.left is b and c.right is a)
                            for a, b in keys if hasattr(c, "left"))}
        rest = [c for c in split_conjuncts(p.condition) if id(c) not in key_conds]
        from .plan import conjoin
        residual = conjoin(rest) if rest else None
    threshold = s._broadcast_threshold()
    lsize, rsize = p.left.estimated_size(), p.right.estimated_size()
    can_build_right = p.how in ("inner", "cross", "leftouter", "leftsemi", "leftanti")
    can_build_left = p.how in ("inner", "cross", "rightouter")
    if keys:
        lk = [a for a, _ in keys]
        rk = [b for _, b in keys]
        if can_build_right and rsize is not None and threshold >= 0 and rsize <= threshold and \
                (not can_build_left or lsize is None or rsize <= lsize):
            return JoinExec("BroadcastHashJoin", p.how, lk, rk, residual, left, BroadcastExchangeExec(right, rk), "right",
                            p)
        if can_build_left and lsize is not None and threshold >= 0 and lsize <= threshold:
            return JoinExec("BroadcastHashJoin", p.how, lk, rk, residual, BroadcastExchangeExec(left, lk), right, "left",
                            p)
        lsort = SortExec([SortOrder(k) for k in lk], False, ExchangeExec("hash", left, keys=lk))
        rsort = SortExec([SortOrder(k) for k in rk], False, ExchangeExec("hash", right, keys=rk))
        return JoinExec("SortMergeJoin", p.how, lk, rk, residual, lsort, rsort, join=p)
    build = "left" if p.how == "rightouter" else "right"
    if p.how in ("inner", "cross") and (rsize is None or rsize > max(threshold, 0)) and \
            (lsize is None or lsize > max(threshold, 0)):
        return JoinExec("CartesianProduct", p.how, [], [], p.condition, left, right, join=p)
    if build == "right":
        return JoinExec("BroadcastNestedLoopJoin", p.how, [], [], p.condition, left, BroadcastExchangeExec(right),
                        "right", p)
    return JoinExec("BroadcastNestedLoopJoin", p.how, [], [], p.condition, BroadcastExchangeExec(left), right,
                    "left", p)


class BroadcastExchangeExec(SparkPlan):
    """``keys``: the build keys of a hash join (HashedRelationBroadcastMode), else the rows as
    they are (IdentityBroadcastMode, for a nested loop join)."""

    def __init__(self, child, keys=None):
        self.children = (child,)
        self.keys = keys
        self.plan_id = next(_plan_ids)

    def output(self):
        return self.children[0].output()

    def mode_string(self):
        if self.keys is None:
            return "IdentityBroadcastMode"
        out = self.children[0].output()
        ordinals = {a.expr_id: i for i, a in enumerate(out)}

        def bound(e):
            # keys as Spark binds them to the build side's output (BoundReference)
            if isinstance(e, AttributeReference) and e.expr_id in ordinals:
                return "input[%d, %s, %s]" % (ordinals[e.expr_id], e.dataType.simpleString(),
                                              "true" if e.nullable else "false")
            return e.explain()
        return "HashedRelationBroadcastMode(List(%s),false)" % ",".join(bound(k) for k in self.keys)

    def node_string(self):
        return "BroadcastExchange %s, [plan_id=%d]" % (self.mode_string(), self.plan_id)


# --------------------------------------------------------------------------------------------
# explain


def has_exchange(node):
    return isinstance(node, (ExchangeExec, BroadcastExchangeExec)) or any(has_exchange(c) for c in node.children)


def explain_string(root, verbose=False):
    """The physical plan as explain() prints it; ``verbose`` (explain's extended and cost modes)
    writes each operator's verbose string (an aggregate's output)."""
    lines = []
    label = None
    if verbose:
        def label(node, stage):
            text = getattr(node, "verbose_string", node.node_string)()
            return text if stage is None else "*(%d) %s" % (stage, text)
    if has_exchange(root):
        lines.append("AdaptiveSparkPlan isFinalPlan=false")
        _tree(root, "+- ", "   ", lines, None, label=label)
    else:
        counter = itertools.count(1)
        _tree(root, "", "", lines, counter, label=label)
    return "\n".join(lines)


def _tree(node, prefix, child_prefix, lines, counter, stage=None, label=None, stages=None):
    """The plan's tree lines. ``counter`` numbers whole-stage-codegen stages (``*(1)``; None in an
    adaptive plan, which shows no codegen); ``label(node, stage)`` writes a node's line."""
    if getattr(node, "hidden", False):
        return _tree(node.children[0], prefix, child_prefix, lines, counter, stage, label, stages)
    if counter is not None and node.codegen:
        if stage is None:
            stage = next(counter)
        if stages is not None:
            stages[id(node)] = stage
    else:
        stage = None
    if label is None:
        text = node.node_string() if stage is None else "*(%d) %s" % (stage, node.node_string())
    else:
        text = label(node, stage)
    lines.append(prefix + text)
    kids = node.children
    for i, c in enumerate(kids):
        last = i == len(kids) - 1
        _tree(c, child_prefix + ("+- " if last else ":- "), child_prefix + ("   " if last else ":  "), lines,
              counter, stage if (counter is not None and c.codegen and stage is not None) else None, label, stages)


def explain_formatted(root):
    """Spark's ``explain("formatted")``: the tree with operator ids (children numbered first), then
    each operator's details (``verboseStringWithOperatorId``), codegen stage ids when the plan is
    not adaptive."""
    order = []

    def visit(node):
        if getattr(node, "hidden", False):
            return visit(node.children[0])
        for c in node.children:
            visit(c)
        order.append(node)
    visit(root)
    ids = {id(n): i + 1 for i, n in enumerate(order)}
    adaptive = has_exchange(root)
    stages = {}
    lines = []

    def label(node, stage):
        return "%s%s (%d)" % ("* " if stage is not None else "", _formatted_name(node), ids[id(node)])
    if adaptive:
        lines.append("AdaptiveSparkPlan (%d)" % (len(order) + 1))
        _tree(root, "+- ", "   ", lines, None, label=label)
    else:
        _tree(root, "", "", lines, itertools.count(1), label=label, stages=stages)
    sections = []
    for node in order:
        head = "(%d) %s" % (ids[id(node)], _formatted_name(node, header=True))
        if id(node) in stages:
            head += " [codegen id : %d]" % stages[id(node)]
        sections.append("\n".join([head] + _details(node)))
    if adaptive:
        sections.append("(%d) AdaptiveSparkPlan\n%s\nArguments: isFinalPlan=false" % (
            len(order) + 1, _fields("Output", root.output())))
    return "\n".join(lines) + "\n\n\n" + "\n\n".join(sections) + "\n\n"


_JOIN_TYPES = {"inner": "Inner", "leftouter": "LeftOuter", "rightouter": "RightOuter", "fullouter": "FullOuter",
               "leftsemi": "LeftSemi", "leftanti": "LeftAnti", "cross": "Cross"}


def _formatted_name(node, header=False):
    """The operator's name in the formatted tree (a join adds its type and build side there, not
    in its details' header)."""
    if isinstance(node, ScanExec):
        if getattr(node.relation.source, "file_scan", False):
            return "Scan %s " % node.relation.source.fmt
        text = node.node_string()
        return text.split("[", 1)[0].split(" (", 1)[0].strip()
    if isinstance(node, JoinExec):
        if header:
            return node.kind
        if node.kind in ("BroadcastHashJoin", "BroadcastNestedLoopJoin"):
            return "%s %s Build%s" % (node.kind, _JOIN_TYPES[node.how], node.build.capitalize())
        if node.kind == "SortMergeJoin":
            return "SortMergeJoin %s" % _JOIN_TYPES[node.how]
        return node.kind
    if isinstance(node, LimitExec):
        return node.kind
    text = node.node_string()
    for sep in ("(", " "):
        text = text.split(sep, 1)[0]
    return text


def _fields(name, values):
    """Spark's ``ExplainUtils.generateFieldString``."""
    values = [v if isinstance(v, str) else v.explain() for v in values]
    if not values:
        return "%s: []" % name
    return "%s [%d]: [%s]" % (name, len(values), ", ".join(values))


def _details(node):
    kids = node.children
    inputs = [_fields("Input", kids[0].output())] if kids else []
    if isinstance(node, ScanExec):
        source = node.relation.source
        if getattr(source, "file_scan", False):
            meta = source.scan_metadata(node.output(), node.filters)
            roots = meta["RootPaths"]
            out = [_fields("Output", node.output()), "Batched: %s" % meta["Batched"],
                   "Location: InMemoryFileIndex %s" % (
                       "[%s]" % ", ".join(roots) if len(roots) <= 1 else "[%s, ... %d entries]" % (roots[0], len(roots) - 1))]
            for key in ("PartitionFilters", "PushedFilters", "ReadSchema"):
                if meta[key] != "[]":
                    out.append("%s: %s" % (key, meta[key]))
            return out
        out = [_fields("Output", node.output())]
        args = getattr(source, "formatted_arguments", lambda output: None)(node.output())
        return out + (["Arguments: %s" % args] if args else [])
    if isinstance(node, FilterExec):
        return inputs + ["Condition : %s" % node.condition.explain()]
    if isinstance(node, ProjectExec):
        return [_fields("Output", node.exprs)] + inputs
    if isinstance(node, HashAggregateExec):
        return inputs + node.formatted_details()
    if isinstance(node, JoinExec):
        if node.kind in ("BroadcastHashJoin", "SortMergeJoin"):
            return [_fields("Left keys", node.left_keys), _fields("Right keys", node.right_keys),
                    "Join type: %s" % _JOIN_TYPES[node.how],
                    "Join condition: %s" % (node.condition.explain() if node.condition is not None else "None")]
        return ["Join condition: %s" % (node.condition.explain() if node.condition is not None else "None")]
    if isinstance(node, (ExchangeExec, BroadcastExchangeExec)):
        return inputs + ["Arguments: %s" % node.node_string().split(" ", 1)[1]]
    if isinstance(node, SortExec):
        return inputs + ["Arguments: [%s], %s, 0" % (", ".join(o.explain() for o in node.orders),
                                                      "true" if node.is_global else "false")]
    if isinstance(node, TakeOrderedAndProjectExec):
        return inputs + ["Arguments: %d, [%s], [%s]" % (node.n, ", ".join(o.explain() for o in node.orders),
                                                         ", ".join(e.explain() for e in node.project))]
    if isinstance(node, LimitExec):
        return inputs + ["Arguments: %s" % node.node_string().split(" ", 1)[1]]
    return inputs


# --------------------------------------------------------------------------------------------
# execution


BASE = "SELECT * FROM __input"


class Pipe:
    """An RDD of Arrow partitions plus the SQL of the narrow operators still to apply to each,
    and the broadcast build sides that SQL joins with (table name -> Broadcast of an IpcTable)."""

    def __init__(self, rdd, sql=None, udfs=(), names=(), broadcasts=None):
        self.rdd = rdd
        self.sql = sql
        self.udfs = list(udfs)
        self.names = list(names)
        self.broadcasts = dict(broadcasts or {})


def _run_stage(sql, udfs, broadcasts=None):
    broadcasts = dict(broadcasts or {})

    def run(iterator):
        from .engine import concat, run_query
        tables = {name: bc.value.table for name, bc in broadcasts.items()}
        tables["__input"] = concat(list(iterator))
        if tables["__input"].num_columns == 0:
            # a reduce partition no map output reached (an exchange after a repartition that
            # left it empty): no rows, and no schema to run the stage's query over
            return
        yield run_query(sql, tables, udfs)
    return run


class IpcTable:
    """An Arrow table that pickles as an Arrow IPC stream: a broadcast's build side is written
    once into the broadcast file in Arrow's own format and read back on each executor without a
    per-column copy.

    >>> import pickle, pyarrow as pa
    >>> pickle.loads(pickle.dumps(IpcTable(pa.table({"k": [1, 2]})))).table.to_pydict()
    {'k': [1, 2]}
    """

    def __init__(self, table):
        self.table = table

    def __reduce__(self):
        import pyarrow as pa
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self.table.schema) as writer:
            writer.write_table(self.table)
        return _ipc_table, (sink.getvalue().to_pybytes(),)


def _ipc_table(data):
    import pyarrow as pa
    return IpcTable(pa.ipc.open_stream(pa.py_buffer(data)).read_all())


def _short_name(node):
    text = node.node_string()
    for sep in ("(", " [", " "):
        if sep in text and not text.startswith("Scan ") and not text.startswith("FileScan "):
            text = text.split(sep, 1)[0]
    if text.startswith("FileScan "):
        text = " ".join(text.split(" ", 2)[:2])
    if isinstance(node, HashAggregateExec):
        text += " (%s)" % node.mode
    return text


def _sql_action():
    """(the DataFrame method the user called, where they called it): ``("count", "x.py:3")``."""
    import os
    import sys
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, action = sys._getframe(1), "collect"
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        action = frame.f_code.co_name
        frame = frame.f_back
    return action, "<unknown>:0" if frame is None else "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


def _sql_call_site():
    """Where the user's code called the DataFrame action (first frame outside the sparklet package)."""
    import os
    import sys
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame = frame.f_back
    return "<unknown>:0" if frame is None else "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


class Compiler:
    """Builds the RDD lineage of a physical plan. Each RDD is attributed to the physical operators
    it computes (the operation scope the job and DAG displays show), with the user's call site."""

    def __init__(self, session):
        self.session = session
        self.sc = session.sparkContext
        self.site = _sql_call_site()

    def _scoped(self, name, build):
        from .. import rdd as rdd_module
        scope = rdd_module._scope
        saved = (getattr(scope, "name", None), getattr(scope, "id", 0), getattr(scope, "site", None))
        scope.name, scope.id, scope.site = name, next(rdd_module._scope_ids), self.site
        try:
            return build()
        finally:
            scope.name, scope.id, scope.site = saved

    def pipe(self, node, ordered=True):
        """The stage's narrow operators from ``node`` down as one query. ``ordered=False``:
        nothing above reads the order of ``node``'s rows."""
        if node.narrow:
            if isinstance(node, HashAggregateExec):
                ordered = node.reads_input_order()
            elif not isinstance(node, (ProjectExec, FilterExec, ColumnarToRowExec)):
                ordered = True
            p = self.pipe(node.children[0], ordered)
            return Pipe(p.rdd, node.sql(p.sql or BASE), p.udfs + node.udfs(), p.names + [_short_name(node)],
                        p.broadcasts)
        if _streams_broadcast(node):
            return self._broadcast_pipe(node, ordered)
        return Pipe(self._scoped(_short_name(node), lambda: self.execute(node)))

    def rdd(self, node):
        """An RDD whose partitions each hold one Arrow table with ``node``'s output columns."""
        p = self.pipe(node)
        if p.sql is None:
            return p.rdd
        # the stage's top operator counts its output rows for the SQL tab's plan graph
        return self._scoped(" | ".join(reversed(p.names)),
                            lambda: count_output_rows(self.sc, node, p.rdd.mapPartitions(
                                _run_stage(p.sql, p.udfs, p.broadcasts), preservesPartitioning=True)))

    def _broadcast_pipe(self, node, ordered=True):
        """A broadcast join that streams one side is a narrow operator of that side's stage, as
        in Spark's whole-stage code: the join and whatever sits above it up to the next exchange
        (a partial aggregate, say) run as one query per stream partition, so the joined rows are
        never materialised. The build side is collected by a job of its own and broadcast once."""
        left, right = node.children
        stream, build = (left, right) if node.build == "right" else (right, left)
        bc = self._broadcast(build)
        name = "__build%d" % build.plan_id
        sp = self.pipe(stream)
        stream_sql, build_sql = sp.sql or BASE, "SELECT * FROM %s" % name
        sql = node.join_sql(stream_sql, build_sql, ordered=ordered) if node.build == "right" else \
            node.join_sql(build_sql, stream_sql, ordered=ordered)
        return Pipe(sp.rdd, sql, sp.udfs + node.udfs(), sp.names + [_short_name(node)], dict(sp.broadcasts, **{name: bc}))

    def _broadcast(self, build):
        """BroadcastExchange: the build side's rows collected by a job, shipped to each executor
        once as Arrow IPC; the executors' copies go when the driver no longer holds the RDDs
        that read it (as Spark's ContextCleaner drops a broadcast)."""
        import weakref
        table = self._collect_table(build.children[0])
        bc = self.sc.broadcast(IpcTable(table))
        weakref.finalize(bc, _drop_broadcast, weakref.ref(self.sc), bc._bid, bc._path)
        return bc

    def execute(self, node):
        method = getattr(self, "exec_" + type(node).__name__)
        return method(node)

    def exec_ScanExec(self, node):
        from .relations import ArrowSource, LocalRows
        rdd = node.relation.source.rdd(self.session, node.relation.output)
        if node.pruned and len(node.pruned) < len(node.relation.output):
            cols = [a.col for a in node.pruned]
            rdd = rdd.map(lambda table: table.select(cols))
        scanned = node.pruned or node.relation.output
        instants = [a.col for a in scanned if isinstance(a.dataType, T.TimestampType)]
        if instants and isinstance(node.relation.source, (LocalRows, ArrowSource)):
            rdd = rdd.map(_local_instants(instants))
        return count_output_rows(self.sc, node, rdd)

    def _reducers(self, nodes):
        est = 0
        for n in nodes:
            e = _bytes_estimate(n)
            if e is None:
                return max(1, min(SHUFFLE_PARTITIONS, self.sc.defaultParallelism))
            est += e
        return max(1, min(SHUFFLE_PARTITIONS, int(math.ceil(est / ADVISORY_PARTITION_BYTES))))

    def exec_ExchangeExec(self, node, reducers=None):
        child = node.children[0]
        rdd = self.rdd(child)
        out_cols = [a.col for a in child.output()]
        fields = [(a.col, a.dataType) for a in child.output()]
        if getattr(node, "by_range", False):
            from .rangepart import range_partition
            n = node.n if node.reason == "REPARTITION_BY_NUM" else self._reducers([child])
            keys = ["__rk%d" % i for i in range(len(node.orders))]
            keyed = rdd.mapPartitions(_run_stage("SELECT *, %s FROM __input" % ", ".join(
                "%s AS %s" % (o.child.duck(), k) for o, k in zip(node.orders, keys)), []), preservesPartitioning=True)
            return range_partition(keyed, keys, node.orders, n,
                                   lambda assigned, m: _shuffle(assigned, m, "given", None, m, out_cols, fields))
        if node.kind == "single" or node.kind == "range":
            return _shuffle(rdd, 1, None, None, node.n, out_cols, fields)
        if node.kind == "roundrobin":
            return _shuffle(rdd, node.n, "roundrobin", None, node.n, out_cols, fields)
        n = reducers or (self._reducers([child]) if node.reason == "ENSURE_REQUIREMENTS" else node.n)
        # keys that are expressions are evaluated before hashing
        key_cols, pre = [], []
        for i, k in enumerate(node.keys):
            if isinstance(k, AttributeReference):
                key_cols.append(k.col)
            else:
                pre.append("%s AS __k%d" % (k.duck(), i))
                key_cols.append("__k%d" % i)
        if pre:
            rdd = rdd.mapPartitions(_run_stage("SELECT *, %s FROM __input" % ", ".join(pre), []),
                                    preservesPartitioning=True)
        types = [k.dataType for k in node.keys]
        if getattr(node, "keep_bucket", False):
            out_cols = out_cols + ["__bucket"]
            fields.append(("__bucket", T.LongType()))
        return _shuffle(rdd, n, "hash", (key_cols, types), node.n, out_cols, fields)

    def exec_UnionExec(self, node):
        rdds = [self.rdd(c) for c in node.children]
        return self.sc.union(rdds)

    def exec_CoalesceExec(self, node):
        return self.rdd(node.children[0]).coalesce(node.n).mapPartitions(_concat_partition)

    def exec_SampleExec(self, node):
        from .sampling import sample_partition
        p = node.logical
        key = p.strata[0].col if p.strata else None
        fractions = p.strata[1] if p.strata else None
        lower, upper, replace, seed = p.lower, p.upper, p.with_replacement, p.seed

        def run(index, iterator):
            from .engine import concat
            yield sample_partition(concat(list(iterator)), index, lower, upper, replace, seed, key, fractions)
        return self.rdd(node.children[0]).mapPartitionsWithIndex(run, preservesPartitioning=True)

    def exec_MapInBatchesExec(self, node):
        import pyarrow as pa
        from .batches import DEFAULT_BATCH_ROWS, map_partition
        p, child = node.logical, node.children[0]
        batch_rows = int(self.session.conf.get("spark.sql.execution.arrow.maxRecordsPerBatch",
                                               str(DEFAULT_BATCH_ROWS)))
        if batch_rows <= 0:
            batch_rows = 1 << 62
        fields = [pa.field(a.col, T.to_arrow_type(a.dataType)) for a in p.output]
        run = map_partition(p.func, p.kind, [a.col for a in child.output()], [a.name for a in child.output()],
                            [a.name for a in p.output], [a.col for a in p.output], fields, batch_rows)
        return self.rdd(child).mapPartitions(run, preservesPartitioning=False)

    def exec_BroadcastExchangeExec(self, node):
        return self.rdd(node.children[0])

    def _collect_table(self, node):
        from .engine import concat
        tables = self.rdd(node).collect()
        return concat(tables)

    def exec_JoinExec(self, node):
        left, right = node.children
        if node.kind == "SortMergeJoin" and self._adaptive_build_side(node) is not None:
            return self._adaptive_broadcast_join(node, self._adaptive_build_side(node))
        if node.kind == "SortMergeJoin":
            n = self._reducers([left.children[0].children[0], right.children[0].children[0]])
            lrdd = self._sorted_side(left, n)
            rrdd = self._sorted_side(right, n)
            sql = node.join_sql("SELECT * FROM __left", "SELECT * FROM __right")
            udfs = node.udfs()

            def run(pair_iter):
                from .engine import concat, run_query
                pairs = list(pair_iter)
                lt = concat([p[0] for p in pairs])
                rt = concat([p[1] for p in pairs])
                yield run_query(sql, {"__left": lt, "__right": rt}, udfs)
            return lrdd.zip(rrdd).mapPartitions(run)
        if node.kind == "CartesianProduct":
            sql = node.join_sql("SELECT * FROM __left", "SELECT * FROM __right")
            udfs = node.udfs()

            def run_pairs(pair_iter):
                from .engine import concat, run_query
                for lt, rt in pair_iter:
                    yield run_query(sql, {"__left": lt, "__right": rt}, udfs)
            return self.rdd(left).cartesian(self.rdd(right)).mapPartitions(run_pairs)
        # a broadcast join whose build side's unmatched rows are kept must see all stream rows at
        # once (streaming joins are narrow operators: see _broadcast_pipe)
        stream, build = (left, right) if node.build == "right" else (right, left)
        bc = self._broadcast(build)
        name = "__build%d" % build.plan_id
        stream_rdd = self.rdd(stream).coalesce(1).mapPartitions(_concat_partition)
        sql = node.join_sql(BASE, "SELECT * FROM %s" % name) if node.build == "right" else \
            node.join_sql("SELECT * FROM %s" % name, BASE)
        return stream_rdd.mapPartitions(_run_stage(sql, node.udfs(), {name: bc}))

    def _adaptive_build_side(self, node):
        """The side adaptive execution would broadcast instead of the planned sort merge join,
        or None. Spark re-plans a join once its shuffles have run: an outer join (or anti join)
        whose only buildable side turned out under the broadcast threshold becomes a broadcast
        hash join (DynamicJoinSelection never demotes those; inner and semi joins over mostly
        empty shuffle partitions it does demote, so small ones stay sort merge joins). Here the
        estimate stands in for the shuffle's size, and only where the exchange would coalesce to
        one partition, as small data does."""
        build = {"leftouter": "right", "rightouter": "left", "leftanti": "right"}.get(node.how)
        if build is None:
            return None
        left_in, right_in = (side.children[0].children[0] for side in node.children)
        threshold = self.session._broadcast_threshold()
        size = _bytes_estimate(left_in if build == "left" else right_in)
        if threshold < 0 or size is None or size > threshold or self._reducers([left_in, right_in]) != 1:
            return None
        return build

    def _adaptive_broadcast_join(self, node, build):
        """The broadcast hash join adaptive execution turns a sort merge join into: the stream
        side's shuffle read locally (each map output in map order, its rows in bucket order, one
        partition), the build side collected and broadcast."""
        left_ex, right_ex = (side.children[0] for side in node.children)
        stream_ex, build_ex = (left_ex, right_ex) if build == "right" else (right_ex, left_ex)
        stream_rdd = self.exec_ExchangeExec(stream_ex, reducers=1)
        bc = self._broadcast(build_ex)
        name = "__build%d" % build_ex.plan_id
        stream = "left" if build == "right" else "right"
        build_sql = "SELECT * FROM %s" % name
        sql = node.join_sql(BASE, build_sql, stream) if stream == "left" else node.join_sql(build_sql, BASE, stream)
        return stream_rdd.mapPartitions(_run_stage(sql, node.udfs(), {name: bc}))

    def _sorted_side(self, sort_node, n):
        ex = sort_node.children[0]
        return self.exec_ExchangeExec(ex, reducers=n)

    def exec_TakeOrderedAndProjectExec(self, node):
        child = self.rdd(node.children[0])
        orders = ", ".join(o.duck() for o in node.orders)
        local = ("SELECT * EXCLUDE (__pos) FROM (SELECT *, row_number() OVER () AS __pos FROM __input) AS t "
                 "ORDER BY %s, __pos LIMIT %d" % (orders, node.n))
        tops = child.mapPartitions(_run_stage(local, []))
        gathered = _shuffle(tops, 1, None, None, 1, [a.col for a in node.children[0].output()])
        cols = ", ".join("%s AS %s" % (e.duck(), to_attribute(e).col) for e in node.project)
        final = ("SELECT %s FROM (SELECT * FROM (SELECT *, row_number() OVER () AS __pos FROM __input) AS t "
                 "ORDER BY %s, __pos LIMIT %d) AS t" % (cols, orders, node.n))
        return gathered.mapPartitions(_run_stage(final, _udfs_of(node.project)))

    def exec_SetOpExec(self, node):
        n = self._reducers([node.children[0].children[0], node.children[1].children[0]])
        l = self.exec_ExchangeExec(node.children[0], reducers=n)
        r = self.exec_ExchangeExec(node.children[1], reducers=n)
        lcols = [a.col for a in node.children[0].output()]
        rcols = [a.col for a in node.children[1].output()]
        op = "INTERSECT" if node.kind == "intersect" else "EXCEPT"
        if node.is_all:
            op += " ALL"
        sql = "SELECT %s FROM __left %s SELECT %s FROM __right" % (
            ", ".join(lcols), op, ", ".join("%s AS %s" % (r_, l_) for r_, l_ in zip(rcols, lcols)))

        def run(pair_iter):
            from .engine import concat, run_query
            pairs = list(pair_iter)
            yield run_query(sql, {"__left": concat([p[0] for p in pairs]), "__right": concat([p[1] for p in pairs])})
        return l.zip(r).mapPartitions(run)

    def collect_tables(self, node):
        """Run the plan as one job; the result partitions' tables in partition order."""
        if isinstance(node, LimitExec) and node.kind == "CollectLimit":
            return self._take(node)
        return self.rdd(node).collect()

    def _take(self, node):
        """CollectLimit: scan a growing number of partitions until ``n`` rows are found (executeTake)."""
        from .engine import concat
        rdd = self.rdd(node.children[0])
        n, offset = node.n, node.offset
        want = None if n < 0 else n + offset
        total = rdd.getNumPartitions()
        got, rows, scanned, parts = [], 0, 0, 1
        # one RDD of its own, under CollectLimit's name, and the jobs run on it without another
        # (the DAG shows the operator, not runJob's mapPartitions)
        limited = self._scoped("CollectLimit", lambda: rdd.mapPartitions(_first_rows(want),
                                                                         preservesPartitioning=True))
        while scanned < total and (want is None or rows < want):
            if want is None:
                parts = total - scanned
            ids = list(range(scanned, min(total, scanned + parts)))
            res = self.sc._run_job(limited, list, ids)
            for t in res:
                got.append(t)
                rows += t.num_rows
            scanned += len(ids)
            parts *= 4
        table = concat(got) if got else None
        if table is None:
            return []
        end = table.num_rows if want is None else want
        return [table.slice(offset, max(0, end - offset))]


def _local_instants(cols):
    """Python datetimes reach a partition as naive local wall times (as PySpark reads them); where
    the session time zone is another, the engine would read them in that zone, so the scan marks
    them as the local instants they are."""
    def mark(table):
        from .engine import _local_tz_name, session_time_zone
        local = _local_tz_name()
        if session_time_zone() == local:
            return table
        import pyarrow as pa
        import pyarrow.compute as pc
        for name in cols:
            i = table.schema.get_field_index(name)
            column = table.column(i)
            if pa.types.is_timestamp(column.type) and column.type.tz is None:
                table = table.set_column(i, name, pc.assume_timezone(column, local, ambiguous="earliest",
                                                                     nonexistent="earliest"))
        return table
    return mark


def _bytes_estimate(node):
    if isinstance(node, ScanExec):
        return node.relation.source.bytes_estimate()
    if not node.children:
        return None
    total = 0
    for c in node.children:
        e = _bytes_estimate(c)
        if e is None:
            return None
        total += e
    return total


def _first_rows(n):
    """A partition's first ``n`` rows (all when ``n`` is None): a slice of its Arrow table, which
    needs no query (so a first ``show()`` of a file needs no DuckDB in the executor)."""
    def run(iterator):
        from .engine import concat
        table = concat(list(iterator))
        yield table if n is None else table.slice(0, n)
    return run


def _concat_partition(iterator):
    from .engine import concat
    yield concat(list(iterator))


def _streams_broadcast(node):
    """Whether a join is a broadcast join that runs once per stream partition (all but those
    that must emit the build side's unmatched rows, which need every stream row at once)."""
    if not isinstance(node, JoinExec) or node.kind not in ("BroadcastHashJoin", "BroadcastNestedLoopJoin"):
        return False
    keeps_build_rows = {"right": ("rightouter", "fullouter"),
                        "left": ("leftouter", "leftsemi", "leftanti", "fullouter")}[node.build]
    return node.how not in keeps_build_rows


def _drop_broadcast(sc_ref, bid, path):
    import os
    from ..events import RunOnLoop
    try:
        os.unlink(path)
    except OSError:
        pass
    sc = sc_ref()
    if sc is None or getattr(sc, "_stopped", False):
        return
    import threading

    def drop():
        sc._unpersist_broadcast(bid)
    # posted to the scheduler's loop: a finalizer runs wherever garbage is collected, which may
    # be inside a send to the executors
    sc.dagScheduler.post(RunOnLoop(drop, {}, threading.Event()))


def _shuffle(rdd, n_reducers, kind, keys, n_buckets, out_cols, fields=None):
    """A shuffle dependency moving Arrow rows: map side buckets and orders rows, reduce side
    concatenates its pieces in map order. A reducer that no map task sent rows to holds an
    empty table of ``fields`` ((column, DataType) pairs), so the operators after the exchange
    run over zero rows (and a global aggregate still emits its row)."""

    def map_side(index, iterator):
        import numpy as np
        from .engine import bucket_ids, concat
        table = concat(list(iterator))
        if table.num_rows == 0 and table.num_columns == 0:
            return
        if kind == "hash":
            cols, types = keys
            buckets = bucket_ids(table, cols, types, n_buckets)
            order = np.argsort(buckets, kind="stable")
            if "__bucket" in out_cols:
                import pyarrow as pa
                table = table.append_column("__bucket", pa.array(buckets, pa.int64()))
            table = table.take(order).select(out_cols)
            buckets = buckets[order]
            reducers = (buckets * n_reducers) // n_buckets
        elif kind == "given":
            # the map side computed each row's reduce partition (range partitioning)
            reducers = table.column("__reducer").to_numpy()
            order = np.argsort(reducers, kind="stable")
            table = table.take(order).select(out_cols)
            reducers = reducers[order]
        elif kind == "roundrobin":
            # Spark starts each map partition's round robin at a position derived from its index
            start = index % n_reducers if n_reducers else 0
            reducers = (np.arange(table.num_rows) + start) % n_reducers
            order = np.argsort(reducers, kind="stable")
            table = table.take(order)
            reducers = reducers[order]
        else:
            yield 0, (index, table)
            return
        if table.num_rows == 0:
            yield 0, (index, table)
            return
        bounds = np.flatnonzero(np.diff(reducers)) + 1
        starts = np.concatenate([[0], bounds])
        ends = np.concatenate([bounds, [len(reducers)]])
        for s, e in zip(starts, ends):
            yield int(reducers[s]), (index, table.slice(s, e - s))

    def reduce_side(iterator):
        from .engine import concat
        pieces = sorted(iterator, key=lambda kv: kv[1][0])
        tables = [t for _, (_, t) in pieces]
        if not tables:
            if fields is None:
                yield None
                return
            import pyarrow as pa
            yield pa.schema([pa.field(c, T.to_arrow_type(t)) for c, t in fields]).empty_table()
            return
        yield concat(tables)

    keyed = rdd.mapPartitionsWithIndex(map_side)
    shuffled = keyed.partitionBy(n_reducers, _reducer_id)
    return shuffled.mapPartitions(reduce_side)


def _reducer_id(k):
    return k


# ---------------------------------------------------------------------------------------------
# SQL metrics: what each operator declares (Spark's SparkPlan.metrics), counted by its tasks; the
# SQL execution reports them to listeners (execution.spark_plan_info, measured_metrics)

_ROWS = [("number of output rows", "sum")]
_SHUFFLE_READ = [
    ("remote merged reqs duration", "timing"), ("remote merged blocks fetched", "sum"), ("records read", "sum"),
    ("local bytes read", "size"), ("merged fetch fallback count", "sum"), ("local blocks read", "sum"),
    ("remote merged chunks fetched", "sum"), ("remote blocks read", "sum")]
# The SQL metrics each operator declares (name, metricType), in the order Spark lists them in a
# plan's SparkPlanInfo; an operator not listed declares none.
OPERATOR_METRICS = {
    "WholeStageCodegen": [("duration", "timing")],
    "Range": _ROWS, "Filter": _ROWS, "Scan ExistingRDD": _ROWS, "LocalTableScan": _ROWS,
    "BroadcastHashJoin": _ROWS, "SortMergeJoin": _ROWS, "ShuffledHashJoin": _ROWS, "BroadcastNestedLoopJoin": _ROWS,
    "CartesianProduct": _ROWS, "Generate": _ROWS, "Expand": _ROWS,
    "HashAggregate": [("spill size", "size"), ("time in aggregation build", "timing"), ("peak memory", "size"),
                      ("number of output rows", "sum"), ("number of sort fallback tasks", "sum"),
                      ("avg hash probes per key", "average")],
    "Sort": [("sort time", "timing"), ("peak memory", "size"), ("spill size", "size")],
    "BroadcastExchange": [("time to broadcast", "timing"), ("time to build", "timing"),
                          ("time to collect", "timing"), ("number of output rows", "sum"), ("data size", "size")],
    "Exchange": [("shuffle records written", "sum")] + _SHUFFLE_READ + [
        ("data size", "size"), ("local merged bytes read", "size"), ("local merged chunks fetched", "sum"),
        ("shuffle write time", "nsTiming"), ("remote merged bytes read", "size"),
        ("local merged blocks fetched", "sum"), ("corrupt merged block chunks", "sum"), ("fetch wait time", "timing"),
        ("remote bytes read", "size"), ("number of partitions", "sum"), ("remote reqs duration", "timing"),
        ("remote bytes read to disk", "size"), ("shuffle bytes written", "size")],
    "CollectLimit": [("shuffle records written", "sum")] + _SHUFFLE_READ + [
        ("local merged bytes read", "size"), ("remote reqs duration", "timing"), ("local merged chunks fetched", "sum"),
        ("shuffle write time", "nsTiming"), ("remote merged bytes read", "size"),
        ("local merged blocks fetched", "sum"), ("corrupt merged block chunks", "sum"), ("fetch wait time", "timing"),
        ("remote bytes read", "size"), ("remote bytes read to disk", "size"), ("shuffle bytes written", "size")],
}
# SQL metrics are accumulators on Spark's side: their ids share one space per application
_metric_ids = itertools.count(1)


def operator_metrics(node, name=None):
    """The node's SQL metrics as ``SQLMetricInfo`` dicts (name, accumulatorId, metricType), each
    with an id of its own that stays the node's for every execution of its plan."""
    key = name or _operator_name(node)
    declared = OPERATOR_METRICS.get(key) or (_ROWS if key.startswith("Scan ") else [])
    ids = node.__dict__.setdefault("_metric_ids", {})
    return [{"name": n, "accumulatorId": ids.setdefault((key, n), next(_metric_ids)), "metricType": t}
            for n, t in declared]


def output_rows_metric(node):
    """The accumulator id of the node's "number of output rows" metric, or None."""
    for m in operator_metrics(node):
        if m["name"] == "number of output rows":
            return m["accumulatorId"]
    return None


def _operator_name(node):
    return _formatted_name(node, header=True)


def count_output_rows(sc, node, rdd):
    """``rdd`` (of Arrow tables, ``node``'s output) with its rows counted into the node's
    "number of output rows" metric; the RDD unchanged when the node declares no such metric."""
    metric_id = output_rows_metric(node)
    if metric_id is None:
        return rdd
    acc = sc.accumulator(0)
    node.__dict__.setdefault("_metric_values", {})[metric_id] = acc

    def counted(iterator):
        for table in iterator:
            acc.add(table.num_rows)
            yield table
    return rdd.mapPartitions(counted, preservesPartitioning=True)
