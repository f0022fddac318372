"""Logical plan nodes, the analyzer's name resolution, and the optimizer.

The DataFrame API and SQL text (``parser.py``, ``statements.py``) build the same nodes. Every node
is built *analysed*: its constructor receives resolved expressions and knows its ``output``
(attributes with ids, types and nullability), as classic PySpark analyses each transformation when
it is called.
``Scope`` is how unresolved names find attributes: case-insensitively, by qualifier
(``t.a`` after ``alias("t")`` or a SQL table alias), and then by struct field.

The optimizer is a few rules applied until nothing changes, in Spark's spirit and with its names:
``CollapseProject``, ``PushDownPredicates`` (through projects, into both sides of an inner join),
``ConstantFolding``, ``InferFiltersFromConstraints`` (``isnotnull`` on join keys), ``ColumnPruning``
(a ``Project`` under an aggregate that needs fewer columns) and ``LimitPushDown``.
"""

from . import types as T
from .expressions import (
    Alias, AggregateFunction, And, AttributeReference, Cast, EqualTo, Expression, IsNotNull, Literal,
    SortOrder, UnresolvedAttribute, UnresolvedStar, WindowExpression, analysis_exception, named,
    quote_ident, strip_alias, to_attribute,
)


class Scope:
    """The attributes a name can resolve to, with their qualifiers (SQL table aliases)."""

    def __init__(self, attrs, outer=None, plan=None):
        self.attrs = list(attrs)
        self.outer = outer
        self.plan = plan
        self.aggregate_ok = False

    def _candidates(self):
        return [quote_ident(a.name) if not a.qualifier else ".".join(quote_ident(p) for p in (a.qualifier[-1], a.name))
                for a in self.attrs]

    def resolve_name(self, parts):
        from .expressions import ExtractField
        lower = [p.lower() for p in parts]
        found, rest = [], None
        if len(parts) >= 2:
            for a in self.attrs:
                if a.qualifier and a.qualifier[-1].lower() == lower[0] and a.name.lower() == lower[1]:
                    found.append(a)
            if found:
                rest = parts[2:]
        if not found:
            found = [a for a in self.attrs if a.name.lower() == lower[0]]
            rest = parts[1:]
        if len(found) > 1:
            distinct = {a.expr_id for a in found}
            if len(distinct) > 1:
                raise analysis_exception(
                    "AMBIGUOUS_REFERENCE", name=quote_ident(".".join(parts)),
                    referenceNames="[%s]" % ", ".join(
                        "`%s`" % ".".join(list(a.qualifier[-1:]) + [a.name]) for a in found))
        if not found:
            if self.outer is not None:
                return self.outer.resolve_name(parts)
            from ..errors import unresolved_column
            raise unresolved_column(list(parts), [list(a.qualifier or ()) + [a.name] for a in self.attrs])
        e = found[0]
        for field in rest:
            t = e.dataType
            if not isinstance(t, T.StructType):
                raise analysis_exception("INVALID_EXTRACT_BASE_FIELD_TYPE", base=quote_ident(e.sql()),
                                         other='"%s"' % t.simpleString().upper())
            names = [f.name for f in t.fields if f.name.lower() == field.lower()]
            if not names:
                raise analysis_exception("FIELD_NOT_FOUND", fieldName=quote_ident(field),
                                         fields=", ".join(quote_ident(f.name) for f in t.fields))
            e = ExtractField(e, Literal(names[0]), names[0])
        return e

    def expand_star(self, target):
        if not target:
            return list(self.attrs)
        q = target[-1].lower()
        out = [a for a in self.attrs if a.qualifier and a.qualifier[-1].lower() == q]
        if not out:
            # a struct column's fields
            try:
                e = self.resolve_name(list(target))
            except Exception:
                raise analysis_exception("CANNOT_RESOLVE_STAR_EXPAND", targetString=quote_ident(".".join(target)),
                                         columns=", ".join(quote_ident(a.name) for a in self.attrs))
            from .expressions import ExtractField
            if isinstance(e.dataType, T.StructType):
                return [Alias(ExtractField(e, Literal(f.name), f.name), f.name) for f in e.dataType.fields]
        return out


def expand_projection(exprs, scope):
    """Resolve a select list: stars expand, everything else resolves and gets its name."""
    out = []
    for e in exprs:
        if isinstance(e, UnresolvedStar):
            out.extend(e.expand(scope))
        elif isinstance(e, Alias) and isinstance(e.child, UnresolvedStar):
            out.extend(e.child.expand(scope))
        else:
            out.append(named(e.resolve(scope)))
    return out


# --------------------------------------------------------------------------------------------
# nodes


class LogicalPlan:
    children = ()
    # sizeInBytes for the broadcast decision; None = unknown (Spark's default: too big)
    size_estimate = None

    @property
    def output(self):
        raise NotImplementedError

    def scope(self):
        return Scope(self.output, plan=self)

    def with_children(self, children):
        raise NotImplementedError(type(self).__name__)

    def schema(self):
        return T.StructType([T.StructField(a.name, a.dataType, a.nullable, getattr(a, "metadata", None))
                             for a in self.output])

    def node_string(self):
        return type(self).__name__

    def tree_string(self, annotate=None):
        """The plan as Spark prints it, one operator a line; ``annotate(node)`` (explain("cost")'s
        statistics) is appended to each line."""
        lines = []
        note = annotate or (lambda node: "")

        def walk(node, prefix, child_prefix):
            lines.append(prefix + node.node_string() + note(node))
            if type(node) is Limit:
                # Spark's limit is two operators: the global limit over each partition's local one
                # (which passes its child's statistics on)
                prefix, child_prefix = child_prefix + "+- ", child_prefix + "   "
                lines.append(prefix + "LocalLimit %d" % node.n + note(node.child))
            kids = node.children
            for i, c in enumerate(kids):
                last = i == len(kids) - 1
                walk(c, child_prefix + ("+- " if last else ":- "), child_prefix + ("   " if last else ":  "))

        walk(self, "", "")
        return "\n".join(lines)

    def transform_up(self, fn):
        new = self.with_children([c.transform_up(fn) for c in self.children]) if self.children else self
        return fn(new)

    def estimated_size(self):
        if self.size_estimate is not None:
            return self.size_estimate
        sizes = [c.estimated_size() for c in self.children]
        if not sizes or any(s is None for s in sizes):
            return None
        return sum(sizes)


# --------------------------------------------------------------------------------------------
# statistics: Spark's size-only estimation (SizeInBytesOnlyStatsPlanVisitor), for explain("cost")

# spark.sql.defaultSizeInBytes: the size of a relation Spark knows nothing about (Long.MaxValue)
_DEFAULT_SIZE = (1 << 63) - 1


def default_size(t):
    """``DataType.defaultSize``: the bytes Spark assumes one value of a type takes."""
    if isinstance(t, (T.LongType, T.DoubleType, T.TimestampType)) or type(t).__name__ == "TimestampNTZType":
        return 8
    if isinstance(t, (T.IntegerType, T.FloatType, T.DateType)):
        return 4
    if isinstance(t, T.ShortType):
        return 2
    if isinstance(t, (T.ByteType, T.BooleanType, T.NullType)):
        return 1
    if isinstance(t, T.StringType):
        return 20
    if isinstance(t, T.BinaryType):
        return 100
    if isinstance(t, T.DecimalType):
        return 8 if t.precision <= 18 else 16
    if isinstance(t, T.ArrayType):
        return default_size(t.elementType)
    if isinstance(t, T.MapType):
        return default_size(t.keyType) + default_size(t.valueType)
    if isinstance(t, T.StructType):
        return sum(default_size(f.dataType) for f in t.fields)
    return 8


def _row_size(attrs):
    # EstimationUtils.getSizePerRow: the row's header plus each column's default size
    return 8 + sum(default_size(a.dataType) for a in attrs)


def plan_stats(p):
    """(sizeInBytes, rowCount or None) of a logical plan by Spark's size-only rules: a range
    knows its rows, other leaves are the default size, a unary operator scales its child's
    size by the ratio of row widths, a join multiplies its sides, a limit bounds the rows."""
    from .relations import RangeSource
    if isinstance(p, LeafRelation):
        if isinstance(p.source, RangeSource):
            n = p.source.count()
            return n * 8, n
        est = p.size_estimate
        return (est if est is not None else _DEFAULT_SIZE), None
    if isinstance(p, Limit) and not isinstance(p, Offset) and getattr(p, "offset", 0) == 0:
        size, rows = plan_stats(p.child)
        n = p.n if rows is None else min(p.n, rows)
        return max(n * _row_size(p.output), 1), n
    if isinstance(p, Aggregate) and not p.grouping:
        return _row_size(p.output), 1
    if isinstance(p, Join):
        (ls, lr), (rs, rr) = plan_stats(p.left), plan_stats(p.right)
        if p.how in ("leftsemi", "leftanti", "semi", "anti", "left_semi", "left_anti"):
            return ls, None
        return ls * rs, None
    if isinstance(p, (Union, SetOperation)) or len(p.children) != 1:
        return sum(plan_stats(c)[0] for c in p.children), None
    size, rows = plan_stats(p.children[0])
    if isinstance(p, (SubqueryAlias, View)):
        return size, rows
    size = size * _row_size(p.output) // _row_size(p.children[0].output)
    return max(size, 1), None


def bytes_to_string(size):
    """Spark's ``Utils.bytesToString``: ``800.0 B``, ``62.5 KiB``, ``8.0 EiB``.

    >>> bytes_to_string(800), bytes_to_string(64000), bytes_to_string((1 << 63) - 1)
    ('800.0 B', '62.5 KiB', '8.0 EiB')
    """
    for shift, unit in ((60, "EiB"), (50, "PiB"), (40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")):
        if size >= 2 * (1 << shift):
            return "%.1f %s" % (size / float(1 << shift), unit)
    return "%.1f B" % size


def cost_tree_string(plan):
    """The optimized plan with each operator's ``Statistics(...)``, as explain("cost") prints it."""
    def stats(node):
        size, rows = plan_stats(node)
        return ", Statistics(sizeInBytes=%s%s)" % (bytes_to_string(size), "" if rows is None else ", rowCount=%d" % rows)
    return plan.tree_string(stats)


def _attr_list(attrs):
    return ", ".join(a.explain() for a in attrs)


class UnaryNode(LogicalPlan):
    """A plan node with one child (Spark's ``UnaryNode``); its output is the child's unless it
    says otherwise."""

    @property
    def child(self):
        return self.children[0]

    @property
    def output(self):
        return self.child.output


class LeafRelation(LogicalPlan):
    """A source of Arrow partitions: local data, a range, an RDD, a file scan, a cached result."""

    def __init__(self, output, source):
        self._output = list(output)
        self.source = source

    @property
    def output(self):
        return self._output

    @property
    def size_estimate(self):
        return self.source.size_estimate()

    def with_children(self, children):
        return self

    def node_string(self):
        return self.source.logical_string(self._output)


class Project(UnaryNode):
    def __init__(self, exprs, child):
        self.exprs = list(exprs)
        self.children = (child,)

    @property
    def output(self):
        return [to_attribute(e) for e in self.exprs]

    def with_children(self, children):
        return Project(self.exprs, children[0])

    def node_string(self):
        if not self.exprs:
            return "Project"
        return "Project [%s]" % ", ".join(e.explain() for e in self.exprs)


class Filter(UnaryNode):
    def __init__(self, condition, child):
        self.condition = condition
        self.children = (child,)

    def with_children(self, children):
        return Filter(self.condition, children[0])

    def node_string(self):
        return "Filter %s" % self.condition.explain()


class Aggregate(UnaryNode):
    """``grouping`` keys and ``aggregates`` (named expressions over keys and aggregate functions)."""

    def __init__(self, grouping, aggregates, child):
        self.grouping = list(grouping)
        self.aggregates = list(aggregates)
        self.children = (child,)

    @property
    def output(self):
        return [to_attribute(e) for e in self.aggregates]

    def with_children(self, children):
        return Aggregate(self.grouping, self.aggregates, children[0])

    def node_string(self):
        if not self.grouping:
            return "Aggregate [%s]" % ", ".join(e.explain() for e in self.aggregates)
        return "Aggregate [%s], [%s]" % (", ".join(e.explain() for e in self.grouping),
                                        ", ".join(e.explain() for e in self.aggregates))


class Sort(UnaryNode):
    def __init__(self, orders, is_global, child):
        self.orders = list(orders)
        self.is_global = is_global
        self.children = (child,)

    def with_children(self, children):
        return Sort(self.orders, self.is_global, children[0])

    def node_string(self):
        return "Sort [%s], %s" % (", ".join(o.explain() for o in self.orders), "true" if self.is_global else "false")


class Limit(UnaryNode):
    def __init__(self, n, child, offset=0):
        self.n = n
        self.offset = offset
        self.children = (child,)

    def with_children(self, children):
        return Limit(self.n, children[0], self.offset)

    def node_string(self):
        return "GlobalLimit %d" % self.n


class Offset(Limit):
    def with_children(self, children):
        return Offset(self.n, children[0], self.offset)

    def node_string(self):
        return "Offset %d" % self.offset


class Join(LogicalPlan):
    """``how`` is Spark's join type: inner, leftouter, rightouter, fullouter, leftsemi, leftanti, cross."""

    def __init__(self, left, right, how, condition=None, using=None):
        self.children = (left, right)
        self.how = how
        self.condition = condition
        self.using = using  # list of (left attr, right attr) for USING / on=["col"]

    @property
    def left(self):
        return self.children[0]

    @property
    def right(self):
        return self.children[1]

    @property
    def output(self):
        left = self.left.output
        right = self.right.output
        if self.how in ("leftsemi", "leftanti"):
            return left
        if self.how in ("rightouter", "fullouter"):
            left = [a.with_nullability(True) for a in left]
        if self.how in ("leftouter", "fullouter"):
            right = [a.with_nullability(True) for a in right]
        return left + right

    def with_children(self, children):
        return Join(children[0], children[1], self.how, self.condition, self.using)

    def node_string(self):
        names = {"inner": "Inner", "leftouter": "LeftOuter", "rightouter": "RightOuter", "fullouter": "FullOuter",
                 "leftsemi": "LeftSemi", "leftanti": "LeftAnti", "cross": "Cross"}
        s = "Join %s" % names[self.how]
        if self.condition is not None:
            s += ", %s" % self.condition.explain()
        return s


class Union(LogicalPlan):
    def __init__(self, children):
        self.children = tuple(children)

    @property
    def output(self):
        first = self.children[0].output
        out = []
        for i, a in enumerate(first):
            nullable = any(c.output[i].nullable for c in self.children)
            out.append(a.with_nullability(nullable))
        return out

    def with_children(self, children):
        return Union(children)

    def node_string(self):
        return "Union false, false"


class SubqueryAlias(UnaryNode):
    def __init__(self, alias, child):
        self.alias = alias
        self.children = (child,)

    @property
    def output(self):
        return [a.with_qualifier((self.alias,)) for a in self.child.output]

    def with_children(self, children):
        return SubqueryAlias(self.alias, children[0])

    def node_string(self):
        return "SubqueryAlias %s" % self.alias


class View(UnaryNode):
    """A temporary view's plan under its name, as the analyzer shows a view it expanded
    (``View (`people`, [name#0, age#1L])``); the optimizer removes it."""

    def __init__(self, name, child):
        self.name = name
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def with_children(self, children):
        return View(self.name, children[0])

    def node_string(self):
        return "View (%s, [%s])" % (self.name, _attr_list(self.output))


# The conditions Spark raises from its plan check (CheckAnalysis): their message ends with the plan.
_PLAN_CHECKED = ("UNRESOLVED_COLUMN", "DATATYPE_MISMATCH", "MISSING_AGGREGATION", "MISSING_GROUP_BY",
                 "TABLE_OR_VIEW_NOT_FOUND")


def plan_checked(err):
    """Whether ``err`` is an AnalysisException Spark reports with the plan it failed on."""
    from ..errors import AnalysisException
    return isinstance(err, AnalysisException) and err._plan is None and \
        (err.getCondition() or "").startswith(_PLAN_CHECKED)


def failed_plan(node_string, child=None, resolved=False):
    """The plan text of an operator the analyzer left unresolved (``'Project ['nme]``) over its
    child (a resolved plan, or the text of a plan that failed below it).

    >>> print(failed_plan("Project ['x]", "'UnresolvedRelation [t], [], false\\n"), end="")
    'Project ['x]
    +- 'UnresolvedRelation [t], [], false
    """
    lines = [("" if resolved else "'") + node_string]
    if child is not None:
        text = child if isinstance(child, str) else child.tree_string()
        for i, line in enumerate(text.rstrip("\n").split("\n")):
            lines.append(("+- " if i == 0 else "   ") + line)
    return "\n".join(lines) + "\n"


def unresolved_string(e, scope=None, top=False):
    """An expression as Spark prints it in a plan the analyzer could not resolve: resolved where
    it could be (``name#0``), unresolved names quoted with ``'`` (``'nme``), an unnamed
    expression of a projection as ``unresolvedalias(...)``."""
    from ..errors import AnalysisException
    from .column import UnresolvedAlias, UnresolvedBinary, UnresolvedFunction
    if scope is not None:
        try:
            r = e.resolve(scope)
            return (named(r) if top else strip_alias(r) if not isinstance(e, UnresolvedAlias) else r).explain()
        except AnalysisException:
            pass
        except Exception:
            pass
    if isinstance(e, (AttributeReference, Literal)):
        return e.explain()
    if isinstance(e, UnresolvedAttribute):
        return "'" + e.sql()
    if isinstance(e, UnresolvedStar):
        return "*" if not e.target else "%s.*" % ".".join(e.target)
    if isinstance(e, UnresolvedAlias):
        from .expressions import new_id
        expr_id = getattr(e, "last_expr_id", None)
        return "%s AS %s#%d" % (unresolved_string(e.children[0], scope), e.alias,
                                new_id() if expr_id is None else expr_id)
    text = None
    if isinstance(e, UnresolvedBinary):
        l, r = (unresolved_string(c, scope) for c in e.children)
        sql_made = e.origin is not None and e.origin.sql is not None
        resolvable = scope is not None and not l.startswith("'") and "'" not in l + r
        if sql_made or resolvable:
            text = "(%s %s %s)" % (l, e.symbol, r)
        else:
            text = "'`%s`(%s, %s)" % (e.symbol, l, r)
    elif isinstance(e, UnresolvedFunction):
        # the SQL parser reads count(*) as count(1); the DataFrame API keeps the star
        sql_made = e.origin is not None and e.origin.sql is not None
        args = ["1" if isinstance(c, UnresolvedStar) and e.fname.lower() == "count" and sql_made
                else unresolved_string(c, scope) for c in e.children]
        text = "'%s(%s%s)" % (e.fname, "distinct " if e.distinct else "", ", ".join(args))
    if text is None:
        text = "'" + e.sql()
    if top:
        # a projection names what it outputs: anything but a column or an alias waits for a name
        return "unresolvedalias(%s)" % text
    return text


class Window(UnaryNode):
    """Window expressions sharing one partitioning and ordering, appended to the child's output."""

    def __init__(self, window_exprs, partition_by, order_by, child):
        self.window_exprs = list(window_exprs)  # Alias(WindowExpression)
        self.partition_by = list(partition_by)
        self.order_by = list(order_by)
        self.children = (child,)

    @property
    def output(self):
        return self.child.output + [to_attribute(e) for e in self.window_exprs]

    def with_children(self, children):
        return Window(self.window_exprs, self.partition_by, self.order_by, children[0])

    def node_string(self):
        return "Window [%s], [%s], [%s]" % (", ".join(e.explain() for e in self.window_exprs),
                                           ", ".join(e.explain() for e in self.partition_by),
                                           ", ".join(e.explain() for e in self.order_by))


class Generate(UnaryNode):
    """``explode`` and friends: the child's columns (``keep``) plus the generator's output."""

    def __init__(self, generator, keep, gen_output, child):
        self.generator = generator
        self.keep = list(keep)
        self.gen_output = list(gen_output)
        self.children = (child,)

    @property
    def output(self):
        return self.keep + self.gen_output

    def with_children(self, children):
        return Generate(self.generator, self.keep, self.gen_output, children[0])

    def node_string(self):
        return "Generate %s, %s" % (self.generator.explain(), _attr_list(self.gen_output))


class Repartition(UnaryNode):
    def __init__(self, n, shuffle, child, keys=None):
        self.n = n
        self.shuffle = shuffle
        self.keys = list(keys or [])
        self.children = (child,)

    def with_children(self, children):
        return Repartition(self.n, self.shuffle, children[0], self.keys)

    def node_string(self):
        return "Repartition %d, %s" % (self.n, "true" if self.shuffle else "false")


class Deduplicate(UnaryNode):
    def __init__(self, keys, child):
        self.keys = list(keys)
        self.children = (child,)

    def with_children(self, children):
        return Deduplicate(self.keys, children[0])

    def node_string(self):
        return "Deduplicate [%s]" % _attr_list(self.keys)


class Distinct(Deduplicate):
    """SQL's SELECT DISTINCT (Spark's Distinct): a deduplication on every column."""

    def __init__(self, child):
        super().__init__(list(child.output), child)

    def with_children(self, children):
        return Distinct(children[0])

    def node_string(self):
        return "Distinct"


class SetOperation(LogicalPlan):
    """INTERSECT / EXCEPT (``subtract``), with or without ALL."""

    def __init__(self, kind, is_all, left, right):
        self.kind = kind
        self.is_all = is_all
        self.children = (left, right)

    @property
    def output(self):
        return self.children[0].output

    def with_children(self, children):
        return SetOperation(self.kind, self.is_all, children[0], children[1])

    def node_string(self):
        return "%s %s" % (self.kind.capitalize(), "true" if self.is_all else "false")



class Sample(UnaryNode):
    """Rows kept by Spark's per-partition random sampler (``sample``, ``randomSplit``): those whose
    draw falls in ``[lower, upper)``, or, with replacement, each row as many times as a Poisson
    draw says. ``strata`` = (key attribute, {key: fraction}) is ``sampleBy``: one draw per row,
    kept below its stratum's fraction."""

    def __init__(self, lower, upper, with_replacement, seed, child, strata=None):
        self.lower = lower
        self.upper = upper
        self.with_replacement = with_replacement
        self.seed = seed
        self.strata = strata
        self.children = (child,)

    def with_children(self, children):
        return Sample(self.lower, self.upper, self.with_replacement, self.seed, children[0], self.strata)

    def node_string(self):
        from .show import java_double_to_string
        return "Sample %s, %s, %s, %d" % (java_double_to_string(float(self.lower)),
                                         java_double_to_string(float(self.upper)),
                                         "true" if self.with_replacement else "false", self.seed)



class MapInBatches(UnaryNode):
    """``mapInPandas``/``mapInArrow``: a Python function over each partition's rows in batches,
    producing new attributes of the given schema."""

    def __init__(self, func, kind, output, child, barrier=False, udf_id=None):
        from .expressions import new_id
        self.func = func
        self.kind = kind
        self._output = list(output)
        self.barrier = barrier
        # the Python UDF expression Spark wraps the function in has an expression id of its own
        self.udf_id = new_id() if udf_id is None else udf_id
        self.children = (child,)

    @property
    def output(self):
        return self._output

    def with_children(self, children):
        return MapInBatches(self.func, self.kind, self._output, children[0], self.barrier, self.udf_id)

    def node_string(self):
        name = getattr(self.func, "__name__", "func")
        return "%s %s(%s)#%d, [%s], %s" % ("MapInPandas" if self.kind == "pandas" else "MapInArrow", name,
                                         _attr_list(self.child.output), self.udf_id, _attr_list(self._output),
                                         "true" if self.barrier else "false")



class ResolvedHint(UnaryNode):
    """A join strategy hint on a relation (``hint("broadcast")``): the planner broadcasts a side
    hinted ``broadcast`` whatever its size, and never broadcasts one hinted for a shuffled join."""

    BROADCAST = ("broadcast", "broadcastjoin", "mapjoin")
    SHUFFLED = ("merge", "shuffle_merge", "mergejoin", "shuffle_hash", "shuffle_replicate_nl")

    def __init__(self, strategy, child):
        self.strategy = strategy
        self.children = (child,)

    def with_children(self, children):
        return ResolvedHint(self.strategy, children[0])

    def estimated_size(self):
        if self.strategy in self.BROADCAST:
            return 0
        if self.strategy in self.SHUFFLED:
            return None
        return self.child.estimated_size()

    def node_string(self):
        return "ResolvedHint (strategy=%s)" % self.strategy



class RepartitionByRange(UnaryNode):
    """``repartitionByRange``: rows shuffled into ranges of their sort keys."""

    def __init__(self, orders, n, child):
        self.orders = list(orders)
        self.n = n
        self.children = (child,)

    def with_children(self, children):
        return RepartitionByRange(self.orders, self.n, children[0])

    def node_string(self):
        return "RepartitionByExpression [%s]%s" % (", ".join(o.explain() for o in self.orders),
                                                   ", %d" % self.n if self.n else "")


# --------------------------------------------------------------------------------------------
# analysis helpers used by the API and the SQL front end


def collect_aggregates(e, out):
    if isinstance(e, AggregateFunction):
        if not any(e is x for x in out):
            out.append(e)
        return
    if isinstance(e, WindowExpression):
        return
    for c in e.children:
        collect_aggregates(c, out)


def check_aggregate(grouping, aggregates):
    """Spark's MISSING_AGGREGATION check: outside aggregate functions only grouping expressions
    (MISSING_GROUP_BY when there is no grouping at all)."""
    group_ids = {g.expr_id for g in grouping if isinstance(g, AttributeReference)}
    group_sql = {strip_alias(g).explain() for g in grouping}

    def check(e):
        if isinstance(e, AggregateFunction) or isinstance(e, WindowExpression):
            return
        if strip_alias(e).explain() in group_sql and not isinstance(e, Alias):
            return
        if isinstance(e, AttributeReference):
            if e.expr_id not in group_ids:
                if not grouping:
                    raise analysis_exception("MISSING_GROUP_BY")
                raise analysis_exception("MISSING_AGGREGATION", expression='"%s"' % e.name,
                                         expressionAnyValue='"any_value(%s)"' % e.name)
            return
        for c in e.children:
            check(c)

    for a in aggregates:
        check(a)


def split_conjuncts(cond):
    # Or shares And's make/type rules by subclassing it, but it is no conjunction.
    if isinstance(cond, And) and cond.symbol == "AND":
        return split_conjuncts(cond.left) + split_conjuncts(cond.right)
    return [cond]


def conjoin(conds):
    out = None
    for c in conds:
        out = c if out is None else And(out, c)
    return out


def refs_subset(e, attrs):
    ids = {a.expr_id for a in attrs}
    return all(r.expr_id in ids for r in e.references())


# --------------------------------------------------------------------------------------------
# optimizer


# Integral literals the analyzer widens (`col("id") % 7` casts 7 to bigint, `* 2` on a double to
# double) fold in Python: each would otherwise cost a DuckDB query in the driver at every action.
_INTEGRAL_TYPES = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)


def _widened_integral_literal(x):
    if not (isinstance(x, Cast) and isinstance(x.child, Literal)):
        return None
    value = x.child.value
    if type(value) is not int or not isinstance(x.child.dataType, _INTEGRAL_TYPES):
        return None
    if isinstance(x.to, T.LongType) and -2 ** 63 <= value < 2 ** 63:
        return Literal(value, x.dataType)
    if isinstance(x.to, T.DoubleType) and abs(value) <= 2 ** 53:
        return Literal(float(value), x.dataType)
    return None


def fold_constants(e):
    def fold(x):
        widened = _widened_integral_literal(x)
        if widened is not None:
            return widened
        if x.foldable and not isinstance(x, Literal) and x.resolved and not isinstance(x, (Alias, SortOrder)):
            try:
                from .evaluation import evaluate_constant
                return Literal(evaluate_constant(x), x.dataType)
            except Exception:
                return x
        return x
    return e.transform(fold)


def substitute(e, mapping):
    """Replace attributes by the expressions a Project defined them as (for pushdown/collapse)."""
    def sub(x):
        if isinstance(x, AttributeReference) and x.expr_id in mapping:
            return strip_alias(mapping[x.expr_id])
        return x
    return e.transform(sub)


def _deterministic(e):
    from .expressions import Function, PythonUDF
    if isinstance(e, Function) and not e.deterministic:
        return False
    if isinstance(e, (PythonUDF, AggregateFunction, WindowExpression)):
        return False
    return all(_deterministic(c) for c in e.children)


def optimize(plan):
    """Apply the rules bottom-up until the plan stops changing (bounded)."""
    for _ in range(10):
        new = plan.transform_up(_rules)
        if new.tree_string() == plan.tree_string():
            return new
        plan = new
    return plan


def _rules(p):
    # EliminateView, EliminateSubqueryAliases: names only the analyzer needs
    if isinstance(p, (View, SubqueryAlias)):
        return p.child
    # ReplaceDistinctWithAggregate, ReplaceDeduplicateWithAggregate (a deduplication on every column)
    if isinstance(p, Deduplicate) and [k.expr_id for k in p.keys] == [a.expr_id for a in p.child.output]:
        return Aggregate(list(p.child.output), list(p.child.output), p.child)
    if isinstance(p, Project):
        exprs = [_fold_named(e) for e in p.exprs]
        child = p.child
        # CollapseProject: a project of a project becomes one when the inner one is deterministic
        if isinstance(child, Project) and all(_deterministic(e) for e in child.exprs):
            mapping = {to_attribute(e).expr_id: e for e in child.exprs}
            merged = []
            for e in exprs:
                if isinstance(e, AttributeReference) and e.expr_id in mapping:
                    inner = mapping[e.expr_id]
                    merged.append(inner if inner.name == e.name else Alias(strip_alias(inner), e.name, e.expr_id))
                elif isinstance(e, Alias):
                    merged.append(Alias(substitute(e.child, mapping), e.alias, e.expr_id))
                else:
                    merged.append(e)
            return Project(merged, child.child)
        # RemoveNoopProject
        if [a.expr_id for a in exprs if isinstance(a, AttributeReference)] == [a.expr_id for a in child.output] \
                and len(exprs) == len(child.output) and all(isinstance(a, AttributeReference) for a in exprs) \
                and [a.name for a in exprs] == [a.name for a in child.output]:
            return child
        return Project(exprs, child)
    if isinstance(p, Filter):
        cond = fold_constants(p.condition)
        child = p.child
        if isinstance(cond, Literal) and cond.value is True:
            return child
        if isinstance(child, Filter):
            return Filter(And(child.condition, cond), child.child)
        # PushPredicateThroughProject
        if isinstance(child, Project) and all(_deterministic(e) for e in child.exprs) and _deterministic(cond):
            mapping = {to_attribute(e).expr_id: e for e in child.exprs}
            return Project(child.exprs, Filter(substitute(cond, mapping), child.child))
        # push into the sides of an inner join
        if isinstance(child, Join) and child.how in ("inner", "cross") and _deterministic(cond):
            left_c, right_c, keep = [], [], []
            for c in split_conjuncts(cond):
                if refs_subset(c, child.left.output):
                    left_c.append(c)
                elif refs_subset(c, child.right.output):
                    right_c.append(c)
                else:
                    keep.append(c)
            if left_c or right_c:
                left = Filter(conjoin(left_c), child.left) if left_c else child.left
                right = Filter(conjoin(right_c), child.right) if right_c else child.right
                j = Join(left, right, child.how, conjoin(([child.condition] if child.condition is not None else []) + keep)
                         if keep else child.condition, child.using)
                return j
        # InferFiltersFromConstraints: comparisons imply non-null operands
        cs = split_conjuncts(cond)
        have = {c.children[0].explain() for c in cs if isinstance(c, IsNotNull)}
        extra = []
        for c in cs:
            if type(c).__name__ in ("EqualTo", "LessThan", "LessThanOrEqual", "GreaterThan", "GreaterThanOrEqual",
                                    "NotEqual") or getattr(c, "fname", None) in ("startswith", "endswith", "contains"):
                for side in c.children:
                    for attr in _null_intolerant_refs(side):
                        if attr.nullable and attr.explain() not in have:
                            have.add(attr.explain())
                            extra.append(IsNotNull(attr))
        if extra:
            return Filter(conjoin(extra + cs), child)
        return Filter(cond, child)
    if isinstance(p, Limit) and not isinstance(p, Offset):
        child = p.child
        if isinstance(child, Limit) and not isinstance(child, Offset):
            return Limit(min(p.n, child.n), child.child)
        return p
    if isinstance(p, Aggregate):
        child = p.child
        # ColumnPruning: the aggregate reads only the columns it refers to
        needed = []
        for e in list(p.grouping) + list(p.aggregates):
            for r in e.references():
                if r.expr_id not in {n.expr_id for n in needed}:
                    needed.append(r)
        ids = {n.expr_id for n in needed}
        if not isinstance(child, Project) and len(ids) < len(child.output):
            child = Project([a for a in child.output if a.expr_id in ids], child)
        grouping = [_fold_named(g) if isinstance(g, Alias) else fold_constants(g) for g in p.grouping]
        return Aggregate(grouping, [_fold_named(e) for e in p.aggregates], child)
    if isinstance(p, Join) and p.how in ("inner", "leftsemi", "leftouter", "leftanti", "rightouter") \
            and p.condition is not None and not getattr(p, "_nulls_inferred", False):
        # InferFiltersFromConstraints on equi-join keys: both sides of an inner or semi join, the
        # side an outer (anti) join only matches against
        keys = equi_join_keys(p)
        if keys:
            lk = [k for k, _ in keys if isinstance(k, AttributeReference) and k.nullable
                  and p.how in ("inner", "leftsemi", "rightouter")]
            rk = [k for _, k in keys if isinstance(k, AttributeReference) and k.nullable
                  and p.how in ("inner", "leftsemi", "leftouter", "leftanti")]
            left, right = p.left, p.right
            if lk and not _has_notnull(left, lk):
                left = Filter(conjoin([IsNotNull(k) for k in lk]), left)
            if rk and not _has_notnull(right, rk):
                right = Filter(conjoin([IsNotNull(k) for k in rk]), right)
            j = Join(left, right, p.how, p.condition, p.using)
            j._nulls_inferred = True
            return j
    return p


def _null_intolerant_refs(e):
    """The attributes whose null makes ``e`` null: reached through arithmetic, casts and
    negation (Spark's NullIntolerant expressions)."""
    if isinstance(e, AttributeReference):
        return [e]
    if type(e).__name__ in ("Add", "Subtract", "Multiply", "Divide", "Remainder", "Cast", "UnaryMinus"):
        return [a for c in e.children for a in _null_intolerant_refs(c)]
    return []


def _has_notnull(plan, keys):
    return all(_implies_notnull(plan, k) for k in keys)


def _implies_notnull(plan, e):
    """Whether ``plan`` already drops the rows where ``e`` is null: an ``isnotnull`` conjunct of a
    Filter at or below it, followed through Projects. This is the part of Spark's constraint
    propagation that keeps InferFiltersFromConstraints from adding a filter the plan already has
    (the first one is pushed below the join side's Project, where a look at the top alone misses it)."""
    while True:
        if isinstance(plan, Filter):
            if any(isinstance(c, IsNotNull) and c.children[0].explain() == e.explain()
                   for c in split_conjuncts(plan.condition)):
                return True
            plan = plan.child
        elif isinstance(plan, Project):
            e = substitute(e, {to_attribute(x).expr_id: x for x in plan.exprs})
            plan = plan.child
        else:
            return False


def _fold_named(e):
    if isinstance(e, Alias):
        return Alias(fold_constants(e.child), e.alias, e.expr_id)
    return e


def equi_join_keys(join):
    """(left key, right key) pairs of the equality conjuncts that compare one side with the other."""
    if join.condition is None:
        return []
    keys = []
    for c in split_conjuncts(join.condition):
        if isinstance(c, EqualTo):
            a, b = c.left, c.right
            if refs_subset(a, join.left.output) and refs_subset(b, join.right.output) and a.references() and b.references():
                keys.append((a, b))
            elif refs_subset(b, join.left.output) and refs_subset(a, join.right.output) and a.references() and b.references():
                keys.append((b, a))
    return keys
