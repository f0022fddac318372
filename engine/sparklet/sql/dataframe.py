"""``DataFrame``: a logical plan plus the session that runs it (Spark's ``Dataset[Row]``).

Transformations build a new analysed logical plan at the call (so a wrong column name raises
``AnalysisException`` right there, as classic PySpark does). Actions hand the plan to
``QueryExecution``: optimize, plan physically, compile to an RDD lineage of Arrow partitions, and
run it as a job on the SparkContext's scheduler.
"""

from ..rdd import PipelinedRDD
from ..storagelevel import StorageLevel  # noqa: F401 - names pyspark.sql.dataframe offers too
from . import types as T
from .types import Row, StructType  # noqa: F401
from .column import Column, UnresolvedAlias, UnresolvedSort, col_of
from .expressions import (
    Alias, AggregateFunction, AttributeReference, Explode, Literal, SortOrder, UnresolvedStar, WindowExpression,
    analysis_exception, named, quote_ident, strip_alias, to_attribute,
)
from .plan import (
    Aggregate, Deduplicate, Filter, Generate, Join, LeafRelation, Limit, MapInBatches, Offset, Project,
    Repartition, RepartitionByRange, ResolvedHint, Sample, Scope, SetOperation, Sort, SubqueryAlias, Union,
    Window, check_aggregate, collect_aggregates, conjoin, expand_projection, failed_plan, optimize, plan_checked,
    unresolved_string,
)
from ..errors import AnalysisException


class QueryExecution:
    """The phases of one query: analysed plan → optimized plan → physical plan → RDD."""

    def __init__(self, session, analyzed):
        self.session = session
        self.analyzed = analyzed
        self._optimized = None
        self._physical = None

    @property
    def optimized(self):
        if self._optimized is None:
            self._optimized = optimize(self.analyzed)
        return self._optimized

    def physical(self, top=True):
        if self._physical is None:
            from .physical import plan_query
            self._physical = plan_query(self.optimized, self.session)
        return self._physical

    def collect_tables(self):
        from .physical import Compiler
        node = self.physical()
        return Compiler(self.session).collect_tables(node)

    def to_rdd(self):
        from .physical import Compiler
        return Compiler(self.session).rdd(self.physical())


class _RowsRDD(PipelinedRDD):
    """``df.rdd``: PySpark's is the JVM's RDD of the query's rows wrapped as class ``RDD``, so a
    ``map`` on it starts a Python pipeline of its own instead of fusing into it."""
    _kind = "MapPartitionsRDD"

    def _is_pipelinable(self):
        return False


def _unresolved_if_ambiguous(err, output):
    """A sort key ambiguous in the output and not found below it: Spark reports it unresolved,
    suggesting the output's names."""
    if err.getCondition() != "AMBIGUOUS_REFERENCE":
        return err
    from ..errors import unresolved_column
    name = err.getMessageParameters()["name"]
    parts = [part.replace("``", "`") for part in name[1:-1].split("`.`")]
    return unresolved_column(parts if len(parts) > 1 else parts[0], [a.name for a in output])


def _cols(cols):
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


class DataFrame:
    """A distributed collection of rows under named columns.

    >>> df = spark.createDataFrame([("Alice", 2), ("Bob", 5)], ["name", "age"])
    >>> df.filter(df.age > 3).collect()
    [Row(name='Bob', age=5)]
    """

    def __init__(self, plan, session):
        self._plan = plan
        self.sparkSession = session
        self._cached = None
        self._broadcast_hint = False

    # ------------------------------------------------------------------ analysis helpers
    def _new(self, plan):
        return DataFrame(plan, self.sparkSession)

    def _scope(self):
        return self._plan.scope()

    def _resolve(self, c):
        return col_of(c)._expr.resolve(self._scope())

    @property
    def sql_ctx(self):
        return self.sparkSession._wrapped_context()

    @property
    def _sc(self):
        return self.sparkSession.sparkContext

    # ------------------------------------------------------------------ schema
    @property
    def schema(self):
        """The schema as a StructType.

        >>> spark.createDataFrame([(1, "a")], ["id", "v"]).schema
        StructType([StructField('id', LongType(), True), StructField('v', StringType(), True)])
        """
        return self._plan.schema()

    @property
    def columns(self):
        """Example:

        >>> spark.createDataFrame([(1, "a")], ["id", "v"]).columns
        ['id', 'v']
        """
        return [a.name for a in self._plan.output]

    @property
    def dtypes(self):
        """Example:

        >>> spark.createDataFrame([(1, "a")], ["id", "v"]).dtypes
        [('id', 'bigint'), ('v', 'string')]
        """
        return [(a.name, a.dataType.simpleString()) for a in self._plan.output]

    def printSchema(self, level=None):
        """Example:

        >>> spark.createDataFrame([(1, "a")], ["id", "v"]).printSchema()
        root
         |-- id: long (nullable = true)
         |-- v: string (nullable = true)
        <BLANKLINE>
        """
        if level is None:
            print(self.schema.treeString())
        else:
            print(self.schema.treeString(level))

    def __repr__(self):
        from .show import dataframe_repr
        return dataframe_repr(self.schema)

    def _repr_html_(self):
        return None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        for a in self._plan.output:
            if a.name.lower() == name.lower():
                return Column(a, a.name)
        from ..errors import PySparkAttributeError
        raise PySparkAttributeError(errorClass="ATTRIBUTE_NOT_SUPPORTED", messageParameters={"attr_name": name})

    def __getitem__(self, item):
        if isinstance(item, str):
            if item == "*":
                return Column(UnresolvedStar(), "*")
            e = col_of(item)._expr.resolve(self._scope())
            return Column(e, item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            a = self._plan.output[item]
            return Column(a, a.name)
        raise TypeError("unexpected item type: %s" % type(item))

    def __dir__(self):
        return sorted(set(dir(type(self))) | {c for c in self.columns if c.isidentifier()})

    # ------------------------------------------------------------------ transformations
    def select(self, *cols):
        """Example:

        >>> spark.createDataFrame([(1, "a")], ["id", "v"]).select("v", (spark.range(1).id + 0).alias("x")) if False else spark.createDataFrame([(1, "a")], ["id", "v"]).selectExpr("v", "id + 1 AS x").collect()
        [Row(v='a', x=2)]
        """
        cols = [col_of(c) for c in _cols(cols)]
        exprs = [c._expr for c in cols]
        return self._project(exprs)._parsed_as(
            lambda: "Project [%s]" % ", ".join(unresolved_string(e, top=True) for e in exprs), self)

    def _project(self, exprs):
        try:
            return self._project_plan(exprs)
        except AnalysisException as err:
            if plan_checked(err):
                scope = self._scope()
                err.with_plan(failed_plan(
                    "Project [%s]" % ", ".join(unresolved_string(e, scope, top=True) for e in exprs), self._plan))
            raise

    def _project_plan(self, exprs):
        scope = self._scope()
        resolved = expand_projection(exprs, scope)
        resolved = _apply_multi_alias(resolved)
        plan = self._plan
        # generators (explode) become a Generate under the projection
        gens = [e for e in resolved if isinstance(strip_alias(e), Explode)]
        if gens:
            if len(gens) > 1:
                raise analysis_exception("UNSUPPORTED_GENERATOR.MULTI_GENERATOR", clause="SELECT", num=len(gens),
                                         generators=", ".join('"%s"' % strip_alias(g).sql() for g in gens))
            g = gens[0]
            gen = strip_alias(g)
            names = getattr(g, "_multi", None)
            fields = gen.output_fields()
            if isinstance(g, Alias) and not names and len(fields) == 1:
                names = [f[0] for f in fields[:-1]] + [g.alias]
            names = names or [f[0] for f in fields]
            gen_out = [AttributeReference(n, t, nl) for n, (_, t, nl) in zip(names, fields)]
            plan = Generate(gen, list(plan.output), gen_out, plan)
            out = []
            for e in resolved:
                if e is g:
                    out.extend(gen_out)
                else:
                    out.append(e)
            resolved = out
        # window expressions become a Window under the projection
        wins = []
        for e in resolved:
            _collect_windows(e, wins)
        if wins:
            plan, resolved = _plan_windows(plan, resolved, wins)
        aggs = []
        for e in resolved:
            collect_aggregates(e, aggs)
        if aggs:
            try:
                check_aggregate([], resolved)
            except AnalysisException as err:
                raise err.with_plan(Aggregate([], resolved, plan).tree_string() + "\n")
            return self._new(Aggregate([], resolved, plan))
        return self._new(Project(resolved, plan))

    def selectExpr(self, *expr):
        """Example:

        >>> spark.createDataFrame([(1,)], ["a"]).selectExpr("a + 1", "a AS b").collect()
        [Row((a + 1)=2, b=1)]
        """
        from .parser import parse_expression
        exprs = []
        for e in _cols(expr):
            exprs.append(parse_expression(e))
        return self._project(exprs)._parsed_as(
            lambda: "Project [%s]" % ", ".join(unresolved_string(e, top=True) for e in exprs), self)

    def filter(self, condition):
        """Example:

        >>> spark.createDataFrame([(1,), (5,)], ["a"]).filter("a > 2").collect()
        [Row(a=5)]
        """
        if isinstance(condition, str):
            from .parser import parse_expression
            e = parse_expression(condition)
        else:
            e = col_of(condition)._expr
        try:
            cond, plan, restore = self._resolve_with_missing(e)
        except AnalysisException as err:
            if plan_checked(err):
                err.with_plan(failed_plan("Filter %s" % unresolved_string(e, self._scope()), self._plan))
            raise
        if not isinstance(cond.dataType, (T.BooleanType, T.NullType)):
            raise analysis_exception("DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN", sqlExpr='"%s"' % cond.sql(),
                                     filter=quote_ident(cond.sql()), type='"%s"' % cond.dataType.simpleString().upper())
        parsed = lambda: "Filter %s" % unresolved_string(e)  # noqa: E731
        if restore is None:
            return self._new(Filter(cond, plan))._parsed_as(parsed, self)
        return self._new(Project(restore, Filter(cond, plan)))._parsed_as(parsed, self)

    where = filter

    def _resolve_with_missing(self, e):
        """Resolve ``e``; a column the projection below dropped is brought back for the operator
        and dropped again above it (Spark's ResolveMissingReferences, for Filter and Sort)."""
        from ..errors import AnalysisException
        try:
            return e.resolve(self._scope()), self._plan, None
        except AnalysisException as err:
            p = self._plan
            if not isinstance(p, Project) or not (err.getErrorClass() or "").startswith("UNRESOLVED_COLUMN"):
                raise
            inner = p.child.output
            try:
                r = e.resolve(Scope(p.output + [a for a in inner if a.expr_id not in {o.expr_id for o in p.output}]))
            except AnalysisException:
                raise err from None
            have = {a.expr_id for a in p.output}
            missing = []
            for ref in r.references():
                if ref.expr_id not in have and ref.expr_id not in {m.expr_id for m in missing}:
                    missing.append(ref)
            return r, Project(p.exprs + missing, p.child), list(p.output)

    def withColumn(self, colName, col):
        """Example:

        >>> df = spark.createDataFrame([(1,)], ["a"])
        >>> df.withColumn("b", df.a * 2).collect()
        [Row(a=1, b=2)]
        """
        if not isinstance(col, Column):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_COLUMN", messageParameters={"arg_name": "col",
                                                                               "arg_type": type(col).__name__})
        return self.withColumns({colName: col})

    def withColumns(self, *colsMap):
        mapping = colsMap[0] if colsMap else {}
        exprs = []
        replaced = set()
        for a in self._plan.output:
            hit = [k for k in mapping if k.lower() == a.name.lower()]
            if hit:
                exprs.append(UnresolvedAlias(mapping[hit[0]]._expr, hit[0]))
                replaced.add(hit[0])
            else:
                exprs.append(a)
        for k, v in mapping.items():
            if k not in replaced:
                exprs.append(UnresolvedAlias(v._expr, k))
        # Spark's parser form: the new columns over the star of the existing ones
        def parsed():
            return "Project [unresolvedstarwithcolumns(%s, %s, None)]" % (
                ", ".join(mapping), ", ".join(unresolved_string(v._expr) for v in mapping.values()))
        return self._project(exprs)._parsed_as(parsed, self, resolved=False)

    def withColumnRenamed(self, existing, new):
        """Example:

        >>> spark.createDataFrame([(1,)], ["a"]).withColumnRenamed("a", "b").columns
        ['b']
        """
        return self.withColumnsRenamed({existing: new})

    def withColumnsRenamed(self, colsMap):
        exprs = []
        changed = False
        for a in self._plan.output:
            hit = [k for k in colsMap if k.lower() == a.name.lower()]
            if hit:
                exprs.append(Alias(a, colsMap[hit[0]]))
                changed = True
            else:
                exprs.append(a)
        if not changed:
            return self
        return self._new(Project(exprs, self._plan))._parsed_as(
            lambda: "Project [unresolvedstarwithcolumnsrenames(%s, %s)]" % (", ".join(colsMap), ", ".join(colsMap.values())),
            self, resolved=False)

    def drop(self, *cols):
        """Example:

        >>> spark.createDataFrame([(1, 2)], ["a", "b"]).drop("a").columns
        ['b']
        """
        drop_ids = set()
        for c in cols:
            if isinstance(c, str):
                for a in self._plan.output:
                    if a.name.lower() == c.lower():
                        drop_ids.add(a.expr_id)
            else:
                e = c._expr
                try:
                    r = e.resolve(self._scope())
                except Exception as error:
                    # a column that is not there is no-op, as in Spark; an ambiguous one raises
                    if (getattr(error, "getCondition", lambda: None)() or "").startswith("AMBIGUOUS"):
                        raise
                    continue
                if isinstance(r, AttributeReference):
                    drop_ids.add(r.expr_id)
        keep = [a for a in self._plan.output if a.expr_id not in drop_ids]
        if len(keep) == len(self._plan.output):
            return self
        return self._new(Project(keep, self._plan))

    def toDF(self, *cols):
        """Example:

        >>> spark.createDataFrame([(1, 2)], ["a", "b"]).toDF("x", "y").columns
        ['x', 'y']
        """
        cols = _cols(cols)
        if len(cols) != len(self._plan.output):
            from ..errors import PySparkValueError
            raise analysis_exception("NUM_COLUMNS_MISMATCH", operator="toDF", firstNumColumns=len(self._plan.output),
                                     invalidOrdinalNum="second", invalidNumColumns=len(cols))
        return self._new(Project([Alias(a, n) if a.name != n else a for a, n in zip(self._plan.output, cols)],
                                 self._plan))

    def alias(self, alias):
        """Example:

        >>> df = spark.createDataFrame([(1,)], ["a"]).alias("t")
        >>> df.select("t.a").columns
        ['a']
        """
        return self._new(SubqueryAlias(alias, self._plan))

    def limit(self, num):
        """Example:

        >>> spark.range(10).limit(3).count()
        3
        """
        return self._new(Limit(num, self._plan))

    def offset(self, num):
        return self._new(Offset(-1, self._plan, num))

    def distinct(self):
        """Example:

        >>> spark.createDataFrame([(1,), (1,)], ["a"]).distinct().count()
        1
        """
        # analysed as Spark's Deduplicate of every column (the optimizer makes it an aggregate)
        return self._new(Deduplicate(list(self._plan.output), self._plan))._parsed_as(
            lambda: "UnresolvedDeduplicate DeduplicateAllColumnsAsKey, false, true", self, resolved=False)

    def dropDuplicates(self, subset=None):
        """Example:

        >>> spark.createDataFrame([(1, 2), (1, 3)], ["a", "b"]).dropDuplicates(["a"]).count()
        1
        """
        if subset is None:
            return self._new(Deduplicate(list(self._plan.output), self._plan))
        if isinstance(subset, str):
            subset = [subset]
        keys = []
        for s in subset:
            e = col_of(s)._expr.resolve(self._scope())
            keys.append(e)
        return self._new(Deduplicate(keys, self._plan))

    drop_duplicates = dropDuplicates

    def _sort_orders(self, cols, kwargs, scope=None):
        scope = scope or self._scope()
        cols = _cols(cols)
        ascending = kwargs.get("ascending", True)
        orders = []
        for i, c in enumerate(cols):
            descending_index = False
            if isinstance(c, int) and not isinstance(c, bool):
                descending_index = c < 0
                c = self._plan.output[abs(c) - 1].name
            cc = col_of(c)
            if descending_index:
                cc = cc.desc()
            e = cc._expr
            o = e.resolve(scope) if isinstance(e, UnresolvedSort) else SortOrder(e.resolve(scope))
            if not isinstance(e, UnresolvedSort):
                asc = ascending[i] if isinstance(ascending, (list, tuple)) else ascending
                o = SortOrder(o.child, bool(asc))
            orders.append(o)
        return orders

    def orderBy(self, *cols, **kwargs):
        """Example:

        >>> spark.createDataFrame([(2,), (1,)], ["a"]).orderBy("a").collect()
        [Row(a=1), Row(a=2)]
        """
        def parsed():
            return "Sort [%s], true" % ", ".join(
                _sort_string(c, kwargs.get("ascending", True) if not isinstance(kwargs.get("ascending"), list)
                             else kwargs["ascending"][i]) for i, c in enumerate(_cols(cols)))
        try:
            out = self._orderBy(cols, kwargs)
        except AnalysisException as err:
            if plan_checked(err):
                err.with_plan(failed_plan(parsed(), self._plan))
            raise
        return out._parsed_as(parsed, self)

    def _orderBy(self, cols, kwargs):
        try:
            return self._new(Sort(self._sort_orders(cols, kwargs), True, self._plan))
        except AnalysisException as err:
            # Spark's analyzer resolves a sort key the output lacks (or names ambiguously) in the
            # operator's input: a grouping key under an aggregate, any input column under a
            # projection (carried up to the sort, then projected away)
            p = self._plan
            if isinstance(p, Aggregate):
                try:
                    orders = self._sort_orders(cols, kwargs, Scope(p.child.output))
                except AnalysisException:
                    orders = None
                output = {a.expr_id for a in p.output}
                if orders is not None and all(r.expr_id in output for o in orders for r in o.references()):
                    return self._new(Sort(orders, True, p))
                raise _unresolved_if_ambiguous(err, p.output) from None
            if not isinstance(p, Project):
                raise _unresolved_if_ambiguous(err, p.output) from None
            missing = [a for a in p.child.output if a.expr_id not in {o.expr_id for o in p.output}]
            widened = self._new(Project(p.exprs + missing, p.child))
            try:
                orders = widened._sort_orders(cols, kwargs)
            except AnalysisException:
                raise _unresolved_if_ambiguous(err, p.output) from None
            # Spark's ResolveMissingReferences adds only the columns the ordering refers to
            used = {r.expr_id for o in orders for r in o.references()}
            widened = Project(p.exprs + [a for a in missing if a.expr_id in used], p.child)
            return self._new(Project(list(p.output), Sort(orders, True, widened)))

    def _parsed_as(self, node_string, parent, resolved=None):
        """Record the operator this DataFrame's last call added as Spark's parser leaves it (over
        the parent's analysed plan): what explain(True) prints as the parsed logical plan
        (unresolved, ``'``, when any of its expressions is, unless ``resolved`` says).
        ``node_string`` is a function, called only when a plan is explained."""
        parent_plan = parent._plan

        def parsed():
            text = node_string()
            return failed_plan(text, parent_plan, resolved=("'" not in text) if resolved is None else resolved)
        self._parsed = parsed
        return self

    def _parsed_string(self):
        parsed = getattr(self, "_parsed", None)
        if callable(parsed):
            try:
                parsed = parsed()
            except Exception:
                # an expression this rendering does not know: the analysed plan stands in
                parsed = None
        return parsed or self._plan.tree_string() + "\n"

    sort = orderBy

    def sortWithinPartitions(self, *cols, **kwargs):
        return self._new(Sort(self._sort_orders(cols, kwargs), False, self._plan))

    def groupBy(self, *cols):
        """Example:

        >>> spark.createDataFrame([(1,), (1,)], ["a"]).groupBy("a").count().collect()
        [Row(a=1, count=2)]
        """
        from .group import GroupedData
        cols = _cols(cols)
        keys, raw = [], []
        for c in cols:
            if isinstance(c, int) and not isinstance(c, bool):
                c = self._plan.output[c - 1].name
            raw.append(col_of(c)._expr)
            keys.append(named(raw[-1].resolve(self._scope())))
        grouped = GroupedData(self, keys)
        # the keys as given, for the parsed plan explain(True) prints
        grouped._raw_keys = raw
        return grouped

    groupby = groupBy

    def rollup(self, *cols):
        """Aggregates over the grouping sets of a hierarchy: all keys, then each prefix, then none
        (a key rolled up is NULL).

        >>> df = spark.createDataFrame([("Alice", 2), ("Bob", 5)], ["name", "age"])
        >>> df.rollup("name").count().orderBy("name").collect()
        [Row(name=None, count=2), Row(name='Alice', count=1), Row(name='Bob', count=1)]
        """
        grouped = self.groupBy(*cols)
        n = len(grouped._keys)
        grouped._sets = [list(range(k)) for k in range(n, -1, -1)]
        return grouped

    def cube(self, *cols):
        """Aggregates over every subset of the keys (a key left out is NULL).

        >>> df = spark.createDataFrame([("Alice", 2), ("Bob", 5)], ["name", "age"])
        >>> df.cube("name", "age").count().count()
        7
        """
        import itertools
        grouped = self.groupBy(*cols)
        n = len(grouped._keys)
        grouped._sets = [list(kept) for size in range(n, -1, -1)
                         for kept in itertools.combinations(range(n), size)]
        return grouped

    def agg(self, *exprs):
        """Example:

        >>> spark.createDataFrame([(1,), (3,)], ["a"]).agg({"a": "max"}).collect()
        [Row(max(a)=3)]
        """
        return self.groupBy().agg(*exprs)

    def join(self, other, on=None, how=None):
        """Example:

        >>> a = spark.createDataFrame([(1, "x")], ["k", "v"])
        >>> b = spark.createDataFrame([(1, "y")], ["k", "w"])
        >>> a.join(b, "k").collect()
        [Row(k=1, v='x', w='y')]
        """
        from .joins import join
        return join(self, other, on, how)

    def crossJoin(self, other):
        return self.join(other, how="cross")

    def union(self, other):
        """Example:

        >>> spark.range(2).union(spark.range(1)).count()
        3
        """
        from .joins import union
        return union(self, other)

    unionAll = union

    def unionByName(self, other, allowMissingColumns=False):
        from .joins import union_by_name
        return union_by_name(self, other, allowMissingColumns)

    def intersect(self, other):
        return self._new(SetOperation("intersect", False, self._plan, other._plan))

    def intersectAll(self, other):
        return self._new(SetOperation("intersect", True, self._plan, other._plan))

    def subtract(self, other):
        return self._new(SetOperation("except", False, self._plan, other._plan))

    def exceptAll(self, other):
        return self._new(SetOperation("except", True, self._plan, other._plan))

    def repartition(self, numPartitions, *cols):
        """Example:

        >>> spark.range(10).repartition(3).rdd.getNumPartitions()
        3
        """
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = None
        keys = [col_of(c)._expr.resolve(self._scope()) for c in cols]
        return self._new(Repartition(numPartitions, True, self._plan, keys))

    def coalesce(self, numPartitions):
        return self._new(Repartition(numPartitions, False, self._plan))

    def transform(self, func, *args, **kwargs):
        return func(self, *args, **kwargs)

    @property
    def na(self):
        return DataFrameNaFunctions(self)

    def fillna(self, value, subset=None):
        from .stat import fill
        return fill(self, value, subset)

    def dropna(self, how="any", thresh=None, subset=None):
        from .stat import drop_na
        return drop_na(self, how, thresh, subset)

    def replace(self, to_replace, value=None, subset=None):
        from .stat import replace
        return replace(self, to_replace, value, subset)

    def describe(self, *cols):
        from .stat import describe
        return describe(self, _cols(cols))

    def summary(self, *statistics):
        from .stat import summary
        return summary(self, _cols(statistics))

    # ------------------------------------------------------------------ views and caching
    def createOrReplaceTempView(self, name):
        """Example:

        >>> spark.range(1).createOrReplaceTempView("one")
        >>> spark.sql("SELECT * FROM one").collect()
        [Row(id=0)]
        """
        self.sparkSession.catalog._temp_views[name.lower()] = self._plan

    def createTempView(self, name):
        """Registers a temporary view; one with the same name must not exist.

        >>> spark.range(1).createTempView("t_once")
        >>> spark.range(1).createTempView("t_once")  # doctest: +IGNORE_EXCEPTION_DETAIL
        Traceback (most recent call last):
        ...
        AnalysisException: [TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] ...
        >>> spark.catalog.dropTempView("t_once")
        True
        """
        if name.lower() in self.sparkSession.catalog._temp_views:
            # Classic PySpark surfaces the JVM's TempTableAlreadyExistsException as AnalysisException.
            from ..errors import AnalysisException
            raise AnalysisException(errorClass="TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                                    messageParameters={"relationName": quote_ident(name)})
        self.createOrReplaceTempView(name)

    def createOrReplaceGlobalTempView(self, name):
        self.sparkSession.catalog._global_views[name.lower()] = self._plan

    def createGlobalTempView(self, name):
        if name.lower() in self.sparkSession.catalog._global_views:
            # Classic PySpark surfaces the JVM's TempTableAlreadyExistsException as AnalysisException.
            from ..errors import AnalysisException
            raise AnalysisException(errorClass="TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                                    messageParameters={"relationName": "`global_temp`.%s" % quote_ident(name)})
        self.createOrReplaceGlobalTempView(name)

    registerTempTable = createOrReplaceTempView

    def cache(self):
        """Example:

        >>> spark.range(3).cache().count()
        3
        """
        from ..storagelevel import StorageLevel
        return self.persist(StorageLevel.MEMORY_AND_DISK_DESER)

    def persist(self, storageLevel=None):
        from ..storagelevel import StorageLevel
        from .relations import CachedSource
        if self._cached is None:
            level = storageLevel or StorageLevel.MEMORY_AND_DISK_DESER
            rdd = QueryExecution(self.sparkSession, self._plan).to_rdd()
            rdd.persist(level)
            self._cached = (rdd, level)
            out = self._plan.output
            self._plan = LeafRelation(out, CachedSource(rdd, out, self._plan.tree_string()))
            self.sparkSession._cache_registry.append(self)
        return self

    @property
    def storageLevel(self):
        """The level the DataFrame is persisted at (all flags off when it is not).

        >>> df = spark.range(3)
        >>> df.storageLevel
        StorageLevel(False, False, False, False, 1)
        >>> df.cache().storageLevel
        StorageLevel(True, True, False, True, 1)
        """
        from ..storagelevel import StorageLevel
        return self._cached[1] if self._cached else StorageLevel(False, False, False, False, 1)

    @property
    def is_cached(self):
        return self._cached is not None

    def unpersist(self, blocking=False):
        if self._cached is not None:
            self._cached[0].unpersist(blocking)
        return self

    def checkpoint(self, eager=True):
        return self.localCheckpoint(eager)

    def localCheckpoint(self, eager=True):
        return self.persist()

    def hint(self, name, *parameters):
        """A hint for the planner: ``broadcast`` (also ``broadcastjoin``, ``mapjoin``) makes a
        join broadcast this side, ``merge``/``shuffle_hash`` keep it shuffled, ``coalesce`` and
        ``repartition`` repartition; other names are ignored, as Spark ignores them.

        >>> df = spark.createDataFrame([(2, "Alice"), (5, "Bob")], ["age", "name"])
        >>> df2 = spark.createDataFrame([(80, "Tom"), (85, "Bob")], ["height", "name"])
        >>> "BroadcastHashJoin" in df.join(df2.hint("broadcast"), "name")._explain_string()
        True
        """
        from ..errors import PySparkTypeError
        if len(parameters) == 1 and isinstance(parameters[0], list):
            parameters = parameters[0]
        if not isinstance(name, str):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "arg_name": "name", "expected_type": "str", "arg_type": type(name).__name__})
        for p in parameters:
            if not isinstance(p, (str, float, int, Column, list)):
                raise PySparkTypeError(errorClass="DISALLOWED_TYPE_FOR_CONTAINER", messageParameters={
                    "arg_name": "parameters", "arg_type": type(parameters).__name__,
                    "allowed_types": "str, float, int, Column, list[str], list[float], list[int]",
                    "item_type": type(p).__name__})
        strategy = name.lower()
        if strategy in ResolvedHint.BROADCAST + ResolvedHint.SHUFFLED:
            hinted = self._new(ResolvedHint(strategy, self._plan))
            hinted._broadcast_hint = strategy in ResolvedHint.BROADCAST
            return hinted
        if strategy == "coalesce" and parameters:
            return self.coalesce(int(parameters[0]))
        if strategy == "repartition" and parameters:
            return self.repartition(*parameters)
        return self

    # ------------------------------------------------------------------ actions
    def _execution(self):
        return QueryExecution(self.sparkSession, self._plan)

    def _collect_table(self, plan=None):
        from .engine import concat
        qe = QueryExecution(self.sparkSession, plan or self._plan)
        with self.sparkSession._action(self, qe):
            tables = qe.collect_tables()
        out = (plan or self._plan).output
        table = concat([t for t in tables if t is not None and t.num_columns]) if tables else None
        return table, out

    def _rows(self, plan=None):
        table, out = self._collect_table(plan)
        schema = T.StructType([T.StructField(a.name, a.dataType, a.nullable) for a in out])
        if table is None or table.num_columns == 0:
            if table is not None and table.num_rows and not out:
                return [T.Row() for _ in range(table.num_rows)]
            return []
        table = table.select([a.col for a in out])
        return T.arrow_to_rows(table, schema)

    def collect(self):
        """Example:

        >>> spark.range(2).collect()
        [Row(id=0), Row(id=1)]
        """
        return self._rows()

    def toLocalIterator(self, prefetchPartitions=False):
        return iter(self.collect())

    def count(self):
        """Example:

        >>> spark.range(5).count()
        5
        """
        from .function_registry import lookup
        agg = Aggregate([], [Alias(lookup("count")([]), "count")], self._plan)
        return self._rows(agg)[0][0]

    def take(self, num):
        """Example:

        >>> spark.range(5).take(2)
        [Row(id=0), Row(id=1)]
        """
        return self.limit(num).collect()

    def head(self, n=None):
        if n is None:
            rs = self.head(1)
            return rs[0] if rs else None
        return self.take(n)

    def first(self):
        """Example:

        >>> spark.range(5).first()
        Row(id=0)
        """
        return self.head()

    def tail(self, num):
        rows = self.collect()
        return rows[-num:] if num else []

    def isEmpty(self):
        return len(self.take(1)) == 0

    def show(self, n=20, truncate=True, vertical=False):
        """Example:

        >>> spark.createDataFrame([("Alice", 2)], ["name", "age"]).show()
        +-----+---+
        | name|age|
        +-----+---+
        |Alice|  2|
        +-----+---+
        <BLANKLINE>
        """
        print(self._show_string(n, truncate, vertical))

    def _show_string(self, n=20, truncate=True, vertical=False):
        from .show import show_string
        if isinstance(truncate, bool):
            truncate = 20 if truncate else 0
        rows = self.limit(max(n, 0) + 1)._rows() if n >= 0 else self._rows()
        return show_string(rows, self.schema, n, int(truncate), vertical,
                           time_zone=self.sparkSession.conf.get("spark.sql.session.timeZone"))

    def toPandas(self):
        """Example:

        >>> spark.range(2).toPandas()["id"].tolist()
        [0, 1]
        """
        import pandas as pd
        rows = self.collect()
        cols = self.columns
        data = {}
        import collections
        if len(set(cols)) != len(cols):
            return pd.DataFrame.from_records([tuple(r) for r in rows], columns=cols)
        pdf = pd.DataFrame.from_records([tuple(r) for r in rows], columns=cols)
        for f in self.schema.fields:
            t = f.dataType
            if isinstance(t, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)) and not pdf[f.name].isnull().any():
                pdf[f.name] = pdf[f.name].astype({"int": "int32", "bigint": "int64", "smallint": "int16",
                                                  "tinyint": "int8"}[t.simpleString()])
            elif isinstance(t, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
                pdf[f.name] = pdf[f.name].astype("float64")
            elif isinstance(t, T.FloatType):
                pdf[f.name] = pdf[f.name].astype("float32")
            elif isinstance(t, T.DoubleType):
                pdf[f.name] = pdf[f.name].astype("float64")
            elif isinstance(t, T.TimestampType):
                pdf[f.name] = pd.to_datetime(pdf[f.name])
        return pdf

    @property
    def rdd(self):
        """The rows as an RDD of Row.

        >>> spark.range(2).rdd.map(lambda r: r.id * 10).collect()
        [0, 10]
        >>> type(spark.range(2).rdd)
        <class 'sparklet.rdd.RDD'>
        """
        out = self._plan.output
        schema = T.StructType([T.StructField(a.name, a.dataType, a.nullable) for a in out])
        cols = [a.col for a in out]
        base = QueryExecution(self.sparkSession, self._plan).to_rdd()

        def to_rows(_, iterator):
            for table in iterator:
                if table is None:
                    continue
                yield from T.arrow_to_rows(table.select(cols), schema)
        rdd = _RowsRDD(base, to_rows)
        rdd.scope = "javaToPython"  # the operation Spark's UI and the RDD's repr name
        return rdd

    def foreach(self, f):
        self.rdd.foreach(f)

    def foreachPartition(self, f):
        self.rdd.foreachPartition(f)

    def toJSON(self, use_unicode=True):
        import json
        return self.rdd.map(lambda r: json.dumps(_jsonable(r.asDict(recursive=True)), separators=(",", ":"),
                                                 ensure_ascii=False))

    @property
    def write(self):
        # the writer sits above the DataFrame (it plans and runs it); the session hands it out
        return self.sparkSession._writer(self)

    def explain(self, extended=None, mode=None):
        """Prints the physical plan in Spark's format.

        >>> spark.range(3).explain()
        == Physical Plan ==
        *(1) Range (0, 3, step=1, splits=2)
        <BLANKLINE>
        <BLANKLINE>
        """
        print(self._explain_string(extended, mode))

    def _explain_string(self, extended=None, mode=None):
        from .physical import explain_string
        if isinstance(extended, str):
            mode, extended = extended, None
        qe = self._execution()
        if mode == "formatted":
            from .physical import explain_formatted
            return "== Physical Plan ==\n%s" % explain_formatted(qe.physical())
        phys = explain_string(qe.physical(), verbose=bool(extended) or mode in ("cost", "extended"))
        if mode == "cost":
            from .plan import cost_tree_string
            return "== Optimized Logical Plan ==\n%s\n\n== Physical Plan ==\n%s\n\n" % (
                cost_tree_string(qe.optimized), phys)
        if extended or mode == "extended":
            out = self._plan.output
            return ("== Parsed Logical Plan ==\n%s\n== Analyzed Logical Plan ==\n%s\n%s\n\n"
                    "== Optimized Logical Plan ==\n%s\n\n== Physical Plan ==\n%s\n" % (
                        self._parsed_string(), ", ".join("%s: %s" % (a.name, a.dataType.simpleString()) for a in out),
                        self._plan.tree_string(), qe.optimized.tree_string(), phys))
        return "== Physical Plan ==\n%s\n\n" % phys

    def getNumPartitions(self):
        return self.rdd.getNumPartitions()

    def sample(self, withReplacement=None, fraction=None, seed=None):
        """A random sample of the rows, drawn per partition by Spark's own samplers, so a seeded
        sample keeps the same rows as under Spark.

        >>> df = spark.range(0, 10, 1, 1)
        >>> df.sample(fraction=0.5, seed=3).collect()
        [Row(id=0), Row(id=4), Row(id=5), Row(id=8)]
        >>> df.sample(True, 0.5, 3).count()
        2
        """
        import random
        import sys
        if isinstance(withReplacement, bool) and isinstance(fraction, float):
            replace, fraction = withReplacement, fraction
        elif withReplacement is None and isinstance(fraction, float):
            replace = False
        elif isinstance(withReplacement, float):
            replace, fraction, seed = False, withReplacement, fraction
        else:
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "bool, float or int",
                "arg_name": "withReplacement (optional), fraction (required) and seed (optional)",
                "arg_type": ", ".join(type(a).__name__ for a in (withReplacement, fraction, seed))})
        seed = int(seed) if seed is not None else random.randint(0, sys.maxsize)
        _check_sample_bounds(0.0, fraction, replace)
        return self._new(Sample(0.0, fraction, replace, seed, self._plan))

    def sampleBy(self, col, fractions, seed=None):
        """A stratified sample without replacement: each row is kept with its stratum's fraction
        (0 for a stratum not listed), drawing as Spark's ``rand(seed)`` does.

        >>> from sparklet.sql import functions as sf
        >>> ds = spark.range(0, 100, 1, 5).select((sf.col("id") % 3).alias("key"))
        >>> ds.sampleBy("key", fractions={0: 0.1, 1: 0.2}, seed=0).groupBy("key").count().orderBy("key").collect()
        [Row(key=0, count=4), Row(key=1, count=9)]
        """
        import random
        import sys
        from ..errors import PySparkTypeError
        if not isinstance(col, (str, Column)):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "Column or str", "arg_name": "col", "arg_type": type(col).__name__})
        if not isinstance(fractions, dict):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "dict", "arg_name": "fractions", "arg_type": type(fractions).__name__})
        for k, v in fractions.items():
            if not isinstance(k, (float, int, str)):
                raise PySparkTypeError(errorClass="DISALLOWED_TYPE_FOR_CONTAINER", messageParameters={
                    "arg_name": "fractions", "arg_type": type(fractions).__name__,
                    "allowed_types": "float, int, str", "item_type": type(k).__name__})
            fractions[k] = float(v)
        if not all(0.0 <= v <= 1.0 for v in fractions.values()):
            from ..errors import IllegalArgumentException
            raise IllegalArgumentException(
                "requirement failed: Fractions must be in [0, 1], but got %s." % _scala_map(fractions))
        seed = int(seed) if seed is not None else random.randint(0, sys.maxsize)
        key = Alias(self._resolve(col), "__stratum")
        keyed = Project(list(self._plan.output) + [key], self._plan)
        sampled = Sample(0.0, 1.0, False, seed, keyed, strata=(key.to_attribute(), dict(fractions)))
        return self._new(Project(list(self._plan.output), sampled))

    def randomSplit(self, weights, seed=None):
        """Splits the rows by the given weights (normalised to sum to 1). As in Spark, each
        partition is first sorted by every orderable column, so each split is deterministic,
        and the splits sample one seeded draw per row over adjacent ranges of ``[0, 1)``.

        >>> splits = spark.range(0, 10, 1, 1).randomSplit([1.0, 2.0], 24)
        >>> [s.count() for s in splits]
        [3, 7]
        """
        import random
        import sys
        for w in weights:
            if w < 0.0:
                from ..errors import PySparkValueError
                raise PySparkValueError(errorClass="VALUE_NOT_POSITIVE",
                                        messageParameters={"arg_name": "weights", "arg_value": str(w)})
        seed = int(seed if seed is not None else random.randint(0, sys.maxsize))
        orders = [SortOrder(a, True, True) for a in self._plan.output if _orderable(a.dataType)]
        if orders:
            plan = Sort(orders, False, self._plan)
        else:
            # nothing to sort by (maps only): materialise the rows once so every split sees the same
            plan = self.persist()._plan
        total = float(sum(weights))
        if total <= 0:
            from ..errors import IllegalArgumentException
            from .show import java_double_to_string
            raise IllegalArgumentException(
                "requirement failed: Sum of weights must be positive, but got [%s]"
                % ",".join(java_double_to_string(float(w)) for w in weights))
        bounds, acc = [0.0], 0.0
        for w in weights:
            acc += w / total
            bounds.append(acc)
        return [self._new(Sample(lo, hi, False, seed, plan)) for lo, hi in zip(bounds, bounds[1:])]

    def unpivot(self, ids, values, variableColumnName, valueColumnName):
        """Turns value columns into rows: one row per input row and value column, holding the
        id columns, the value column's name and its value (values cast to a common type).

        >>> df = spark.createDataFrame([(1, 11, 1.1), (2, 12, 1.2)], ["id", "int", "double"])
        >>> df.unpivot("id", ["int", "double"], "var", "val").show()
        +---+------+----+
        | id|   var| val|
        +---+------+----+
        |  1|   int|11.0|
        |  1|double| 1.1|
        |  2|   int|12.0|
        |  2|double| 1.2|
        +---+------+----+
        <BLANKLINE>
        """
        from .reshape import unpivot
        return unpivot(self, ids, values, variableColumnName, valueColumnName)

    def melt(self, ids, values, variableColumnName, valueColumnName):
        """An alias of :meth:`unpivot`.

        >>> df = spark.createDataFrame([(1, 11, 12)], ["id", "a", "b"])
        >>> df.melt("id", None, "var", "val").collect()
        [Row(id=1, var='a', val=11), Row(id=1, var='b', val=12)]
        """
        return self.unpivot(ids, values, variableColumnName, valueColumnName)

    def transpose(self, indexColumn=None):
        """Swaps rows and columns: the index column's values (the first column by default) become
        the column names, the other columns' names the values of ``key``.

        >>> df = spark.createDataFrame([("A", 1, 2), ("B", 3, 4)], ["id", "val1", "val2"])
        >>> df.transpose().show()
        +----+---+---+
        | key|  A|  B|
        +----+---+---+
        |val1|  1|  3|
        |val2|  2|  4|
        +----+---+---+
        <BLANKLINE>
        """
        from .reshape import transpose
        return transpose(self, indexColumn)

    def approxQuantile(self, col, probabilities, relativeError):
        """Approximate quantiles of numeric columns by Spark's Greenwald-Khanna summaries
        (nulls and NaN skipped; ``relativeError`` 0 gives exact quantiles).

        >>> df = spark.createDataFrame([(1,), (2,), (3,), (4,), (5,)], ["values"])
        >>> df.approxQuantile("values", [0.0, 0.5, 1.0], 0.05)
        [1.0, 3.0, 5.0]
        """
        from .stat import approx_quantile
        return approx_quantile(self, col, probabilities, relativeError)

    def crosstab(self, col1, col2):
        """The contingency table of two columns: a row per value of ``col1``, a column per value
        of ``col2``, pair counts (0 where a pair never occurs).

        >>> df = spark.createDataFrame([(1, 11), (1, 11), (3, 10), (4, 8), (4, 8)], ["c1", "c2"])
        >>> df.crosstab("c1", "c2").sort("c1_c2").show()
        +-----+---+---+---+
        |c1_c2| 10| 11|  8|
        +-----+---+---+---+
        |    1|  0|  2|  0|
        |    3|  1|  0|  0|
        |    4|  0|  0|  2|
        +-----+---+---+---+
        <BLANKLINE>
        """
        from .stat import crosstab
        return crosstab(self, col1, col2)

    def freqItems(self, cols, support=None):
        """Items that may be frequent (above ``support``, default 1%) in each column; may hold
        false positives, as Spark's does.

        >>> df = spark.createDataFrame([(1, 11), (1, 11), (3, 10)], ["c1", "c2"])
        >>> df.freqItems(["c1", "c2"]).collect()
        [Row(c1_freqItems=[1, 3], c2_freqItems=[10, 11])]
        """
        from .stat import freq_items
        return freq_items(self, cols, support)

    def mapInPandas(self, func, schema, barrier=False, profile=None):
        """Maps each partition's rows, as an iterator of pandas DataFrames, through ``func``,
        which yields pandas DataFrames of ``schema``; runs as tasks on the executors.

        >>> df = spark.createDataFrame([(1, 21), (2, 30)], ("id", "age"))
        >>> def filter_func(iterator):
        ...     for pdf in iterator:
        ...         yield pdf[pdf.id == 1]
        >>> df.mapInPandas(filter_func, df.schema).collect()
        [Row(id=1, age=21)]
        """
        return self._map_in_batches(func, schema, "pandas", barrier)

    def mapInArrow(self, func, schema, barrier=False, profile=None):
        """Maps each partition's rows, as an iterator of ``pyarrow.RecordBatch``, through
        ``func``, which yields record batches of ``schema``.

        >>> import pyarrow as pa
        >>> df = spark.createDataFrame([(1, 21), (2, 30)], ("id", "age"))
        >>> def older(iterator):
        ...     for batch in iterator:
        ...         yield batch.filter(pa.compute.field("age") > 25)
        >>> df.mapInArrow(older, "id long, age long").collect()
        [Row(id=2, age=30)]
        """
        return self._map_in_batches(func, schema, "arrow", barrier)

    def _map_in_batches(self, func, schema, kind, barrier):
        from .expressions import AttributeReference
        if isinstance(schema, str):
            schema = T._parse_datatype_string(schema)
        if not isinstance(schema, T.StructType):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "StructType or str", "arg_name": "schema", "arg_type": type(schema).__name__})
        from .expressions import new_id
        udf_id = new_id()
        output = [AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields]
        return self._new(MapInBatches(func, kind, output, self._plan, bool(barrier), udf_id))

    def toArrow(self):
        """The rows as a ``pyarrow.Table`` (collected to the driver).

        >>> df = spark.createDataFrame([(2, "Alice"), (5, "Bob")], schema=["age", "name"])
        >>> df.coalesce(1).toArrow()
        pyarrow.Table
        age: int64
        name: string
        ----
        age: [[2,5]]
        name: [["Alice","Bob"]]
        """
        from .batches import DEFAULT_BATCH_ROWS, to_arrow
        qe = QueryExecution(self.sparkSession, self._plan)
        with self.sparkSession._action(self, qe):
            tables = qe.collect_tables()
        conf = self.sparkSession.conf
        return to_arrow(tables, self._plan.output, conf.get("spark.sql.session.timeZone"),
                        int(conf.get("spark.sql.execution.arrow.maxRecordsPerBatch", str(DEFAULT_BATCH_ROWS))))

    def withMetadata(self, columnName, metadata):
        """The DataFrame with ``metadata`` set on one column's field.

        >>> df = spark.createDataFrame([(2, "Alice"), (5, "Bob")], schema=["age", "name"])
        >>> df.withMetadata("age", {"foo": "bar"}).schema["age"].metadata
        {'foo': 'bar'}
        """
        if not isinstance(metadata, dict):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "dict", "arg_name": "metadata", "arg_type": type(metadata).__name__})
        return self.withColumn(columnName, col_of(quote_ident(columnName)).alias(columnName, metadata=metadata))

    def isLocal(self):
        """Whether ``collect``/``take`` can answer from the driver alone: the result of a
        command (``SHOW TABLES``, ``SET``) or of local ``VALUES``.

        >>> spark.sql("SHOW TABLES").isLocal()
        True
        >>> spark.range(3).isLocal()
        False
        """
        return bool(getattr(self._plan, "local_result", False))

    def inputFiles(self):
        """The files a scan of this DataFrame reads (as Spark names them, ``file:/...``).

        >>> import os, tempfile
        >>> d = tempfile.mkdtemp()
        >>> spark.range(2).coalesce(1).write.mode("overwrite").json(d)
        >>> [os.path.basename(f).split("-")[0] for f in spark.read.json(d).inputFiles()]
        ['part']
        """
        from .datasources import qualified
        files = set()

        def walk(node):
            source = getattr(node, "source", None)
            for f in getattr(source, "files", None) or ():
                files.add(qualified(f.path))
            for c in node.children:
                walk(c)
        walk(self._plan)
        return sorted(files)

    def colRegex(self, colName):
        """The columns whose names match a back-quoted regular expression (all of it), as one
        Column to select; a name without back-quotes is an ordinary column.

        >>> df = spark.createDataFrame([("a", 1), ("b", 2)], ["Col1", "Col2"])
        >>> df.select(df.colRegex("`(Col1)?+.+`")).columns
        ['Col2']
        """
        import re
        if not isinstance(colName, str):
            from ..errors import PySparkTypeError
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "arg_name": "colName", "expected_type": "str", "arg_type": type(colName).__name__})
        whole = re.fullmatch(r"`(.+)`", colName, re.S)
        qualified = re.fullmatch(r"(.+)\.`(.+)`", colName, re.S)
        if whole and not qualified:
            return Column(_UnresolvedRegex(whole.group(1), None), colName)
        if qualified:
            return Column(_UnresolvedRegex(qualified.group(2), qualified.group(1)), colName)
        return self[colName]

    def to(self, schema):
        """The rows under ``schema``: columns matched by name (case-insensitively), reordered,
        cast where the type differs; a column the schema lacks is dropped, one the DataFrame lacks
        is an error.

        >>> df = spark.createDataFrame([("a", 1)], ["i", "j"])
        >>> df.to(T.StructType([T.StructField("j", T.StringType()), T.StructField("i", T.StringType())])).collect()
        [Row(j='1', i='a')]
        """
        from ..errors import AnalysisException, PySparkTypeError
        if not isinstance(schema, T.StructType):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "arg_name": "schema", "expected_type": "StructType", "arg_type": type(schema).__name__})
        cols = []
        for f in schema.fields:
            found = [a for a in self._plan.output if a.name.lower() == f.name.lower()]
            if not found:
                raise AnalysisException(errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION", messageParameters={
                    "objectName": quote_ident(f.name),
                    "proposal": ", ".join(quote_ident(a.name) for a in self._plan.output)})
            a = found[0]
            if a.nullable and not f.nullable:
                raise AnalysisException(errorClass="NULLABLE_COLUMN_OR_FIELD", messageParameters={
                    "name": quote_ident(f.name)})
            c = Column(a, a.name)
            if a.dataType != f.dataType:
                c = c.cast(f.dataType)
            cols.append(c.alias(f.name, metadata=f.metadata or None))
        return self.select(*cols)

    def repartitionByRange(self, numPartitions, *cols):
        """Range partitioning: rows sorted by ``cols`` and cut into ``numPartitions`` ranges of
        (nearly) equal size, sampled as Spark's RangePartitioner samples them.

        >>> df = spark.createDataFrame([(14, "Tom"), (23, "Alice"), (16, "Bob")], ["age", "name"])
        >>> df.repartitionByRange(2, "age").rdd.glom().map(len).collect()
        [2, 1]
        """
        from ..errors import PySparkTypeError, PySparkValueError
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = None
        elif not isinstance(numPartitions, int):
            raise PySparkTypeError(errorClass="NOT_EXPECTED_TYPE", messageParameters={
                "expected_type": "Column, int or str", "arg_name": "numPartitions",
                "arg_type": type(numPartitions).__name__})
        if not cols:
            raise PySparkValueError(errorClass="CANNOT_BE_EMPTY", messageParameters={"item": "partition-by expression"})
        orders = self._sort_orders(_cols(cols), {})
        return self._new(RepartitionByRange(orders, numPartitions, self._plan))

    def groupingSets(self, groupingSets, *cols):
        """Aggregates over each listed set of the grouping columns (the columns a set leaves
        out are NULL in its rows).

        >>> from sparklet.sql import functions as sf
        >>> df = spark.createDataFrame([("a", "x", 1), ("a", "y", 2)], ["k", "m", "v"])
        >>> df.groupingSets([("k", "m"), ()], "k", "m").agg(sf.sum("v")).sort("k", "m").collect()
        [Row(k=None, m=None, sum(v)=3), Row(k='a', m='x', sum(v)=1), Row(k='a', m='y', sum(v)=2)]
        """
        grouped = self.groupBy(*cols)
        scope = self._scope()
        keys = [k.sql() for k in grouped._keys]
        sets = []
        for gs in groupingSets:
            positions = []
            for c in (gs if isinstance(gs, (list, tuple)) else [gs]):
                e = named(col_of(c)._expr.resolve(scope)).sql()
                if e not in keys:
                    from ..errors import AnalysisException
                    raise AnalysisException(errorClass="MISSING_GROUP_BY", messageParameters={})
                positions.append(keys.index(e))
            sets.append(sorted(set(positions)))
        grouped._sets = sets
        return grouped

    @property
    def stat(self):
        return DataFrameStatFunctions(self)

    def corr(self, col1, col2, method=None):
        from . import functions as F
        return self.agg(F.corr(col1, col2)).collect()[0][0]

    def cov(self, col1, col2):
        from . import functions as F
        return self.agg(F.covar_samp(col1, col2)).collect()[0][0]

    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)


def _sort_string(c, ascending=True):
    """A sort key as Spark's parser leaves it: ``'age ASC NULLS FIRST``."""
    e = col_of(c)._expr
    if isinstance(e, UnresolvedSort):
        asc, nulls_first = e.ascending, e.nulls_first
        e = e.children[0]
    else:
        asc, nulls_first = bool(ascending), None
    if nulls_first is None:
        nulls_first = asc
    return "%s %s NULLS %s" % (unresolved_string(e), "ASC" if asc else "DESC", "FIRST" if nulls_first else "LAST")


class DataFrameNaFunctions:
    """``df.na``: the missing-value functions of a DataFrame (defined here, beside DataFrame, as
    PySpark defines it in ``pyspark.sql.dataframe``; the work is in ``stat.py``)."""

    def __init__(self, df):
        self.df = df

    def fill(self, value, subset=None):
        """Replace nulls, as :meth:`DataFrame.fillna`.

        >>> spark.sql("SELECT 1 AS c1, int(NULL) AS c2").na.fill(2).collect()
        [Row(c1=1, c2=2)]
        """
        from .stat import fill
        return fill(self.df, value, subset)

    def drop(self, how="any", thresh=None, subset=None):
        """Drop rows with nulls, as :meth:`DataFrame.dropna`.

        >>> spark.sql("SELECT 1 AS c1, int(NULL) AS c2").na.drop().count()
        0
        """
        from .stat import drop_na
        return drop_na(self.df, how, thresh, subset)

    def replace(self, to_replace, value=None, subset=None):
        """Replace values, as :meth:`DataFrame.replace`.

        >>> spark.sql("SELECT 1 AS c1").na.replace(1, 5).collect()
        [Row(c1=5)]
        """
        from .stat import replace
        return replace(self.df, to_replace, value, subset)


class DataFrameStatFunctions:
    """``df.stat``."""

    def __init__(self, df):
        self.df = df

    def corr(self, col1, col2, method=None):
        """The Pearson correlation of two columns, as :meth:`DataFrame.corr`.

        >>> spark.createDataFrame([(1, 2), (2, 4)], ["a", "b"]).stat.corr("a", "b")
        1.0
        """
        return self.df.corr(col1, col2, method)

    def cov(self, col1, col2):
        """The sample covariance of two columns, as :meth:`DataFrame.cov`.

        >>> spark.createDataFrame([(1, 2), (2, 4)], ["a", "b"]).stat.cov("a", "b")
        1.0
        """
        return self.df.cov(col1, col2)

    def approxQuantile(self, col, probabilities, relativeError):
        """Approximate quantiles of numeric columns, as :meth:`DataFrame.approxQuantile`.

        >>> spark.range(10).stat.approxQuantile("id", [0.5], 0.0)
        [4.0]
        """
        return self.df.approxQuantile(col, probabilities, relativeError)

    def crosstab(self, col1, col2):
        """The contingency table of two columns, as :meth:`DataFrame.crosstab`.

        >>> spark.createDataFrame([(1, "a")], ["k", "v"]).stat.crosstab("k", "v").collect()
        [Row(k_v='1', a=1)]
        """
        return self.df.crosstab(col1, col2)

    def freqItems(self, cols, support=None):
        """Frequent items of columns, as :meth:`DataFrame.freqItems`.

        >>> spark.createDataFrame([(1,), (1,)], ["k"]).stat.freqItems(["k"]).collect()
        [Row(k_freqItems=[1])]
        """
        return self.df.freqItems(cols, support)

    def sampleBy(self, col, fractions, seed=None):
        """A stratified sample, as :meth:`DataFrame.sampleBy`.

        >>> spark.range(0, 10, 1, 1).stat.sampleBy("id", {1: 1.0, 2: 1.0}, 0).collect()
        [Row(id=1), Row(id=2)]
        """
        return self.df.sampleBy(col, fractions, seed)


class _UnresolvedRegex(UnresolvedStar):
    """``colRegex``: the attributes (of the table alias, when qualified) whose whole name matches
    a Java regular expression, case-insensitively as Spark's analysis is."""

    def __init__(self, pattern, table):
        super().__init__(None)
        self.pattern = pattern
        self.table = table

    def sql(self):
        return self.pattern

    def expand(self, scope):
        import re
        regex = re.compile(self.pattern, re.I)
        return [a for a in scope.attrs if regex.fullmatch(a.name)
                and (self.table is None or (a.qualifier and a.qualifier[-1].lower() == self.table.lower()))]


def _check_sample_bounds(lower, upper, with_replacement):
    """Spark's checks on a sample's fraction (raised when the DataFrame is built)."""
    from ..errors import IllegalArgumentException
    from .show import java_double_to_string
    fraction = upper - lower
    if with_replacement and fraction < 0.0:
        raise IllegalArgumentException(
            "requirement failed: Sampling fraction (%s) must be nonnegative with replacement"
            % java_double_to_string(float(fraction)))
    if not with_replacement and not -1e-6 <= fraction <= 1.0 + 1e-6:
        raise IllegalArgumentException(
            "requirement failed: Sampling fraction (%s) must be on interval [0, 1] without replacement"
            % java_double_to_string(float(fraction)))


def _scala_map(d):
    from .show import java_double_to_string
    return "Map(%s)" % ", ".join("%s -> %s" % (k, java_double_to_string(v)) for k, v in d.items())


def _orderable(t):
    """Whether rows can be sorted by a column of this type (Spark's RowOrdering.isOrderable)."""
    if isinstance(t, T.MapType):
        return False
    if isinstance(t, T.ArrayType):
        return _orderable(t.elementType)
    if isinstance(t, T.StructType):
        return all(_orderable(f.dataType) for f in t.fields)
    return True


def _jsonable(v):
    import datetime
    import decimal
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    return v


def _apply_multi_alias(exprs):
    out = []
    for e in exprs:
        names = getattr(strip_alias(e), "_multi_alias", None)
        if names is not None and isinstance(strip_alias(e), Explode):
            g = Alias(strip_alias(e), names[-1])
            g._multi = names
            out.append(g)
        else:
            out.append(e)
    return out


def _collect_windows(e, out):
    if isinstance(e, WindowExpression):
        out.append(e)
        return
    for c in e.children:
        _collect_windows(c, out)


def _plan_windows(plan, resolved, wins):
    """Window expressions are computed by Window operators (one per distinct partitioning and
    ordering) under a Project that refers to their results."""
    # non-attribute partition/order expressions are computed by a Project below the Window
    # (Spark's ExtractWindowExpressions)
    extra = {}

    def attr_of(e):
        if isinstance(e, AttributeReference):
            return e
        k = e.explain()
        if k not in extra:
            extra[k] = Alias(e, e.sql())
        return extra[k].to_attribute()
    new_wins = []
    for w in wins:
        parts = [attr_of(p) for p in w.partition_by]
        orders = [SortOrder(attr_of(o.child), o.ascending, o.nulls_first) for o in w.order_by]
        nw = WindowExpression(w.func, parts, orders, w.frame)
        nw._orig = w
        new_wins.append(nw)
    if extra:
        plan = Project(list(plan.output) + list(extra.values()), plan)
    groups = []
    for w in new_wins:
        key = ([p.explain() for p in w.partition_by], [o.explain() for o in w.order_by])
        for g in groups:
            if g[0] == key:
                g[1].append(w)
                break
        else:
            groups.append((key, [w]))
    mapping = {}
    for key, ws in groups:
        aliased = []
        for w in ws:
            a = Alias(w, w._orig.sql())
            aliased.append(a)
            mapping[id(w._orig)] = a.to_attribute()
        plan = Window(aliased, ws[0].partition_by, ws[0].order_by, plan)

    def replace(e):
        if isinstance(e, WindowExpression) and id(e) in mapping:
            return mapping[id(e)]
        if e.children:
            return e.with_children([replace(c) for c in e.children])
        return e
    out = []
    for e in resolved:
        if isinstance(e, Alias):
            out.append(Alias(replace(e.child), e.alias, e.expr_id))
        else:
            out.append(replace(e))
    return plan, out
