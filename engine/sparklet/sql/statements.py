"""SQL statements → DataFrames: what ``spark.sql(text)`` runs.

``parser.py`` turns SQL text into a syntax tree and its expressions into unresolved expressions;
this module walks a statement's tree and calls the DataFrame API's own analysis
(``DataFrame._project``, ``filter``, ``groupBy().agg``, ``join``, ``orderBy``), so
``spark.sql("SELECT age + 1 FROM people")`` and ``df.select(df.age + 1)`` are one plan with one
generated column name. It sits above ``dataframe.py``; the parser below it never builds DataFrames.
"""

import re

from . import types as T
from .column import Column, UnresolvedAlias, UnresolvedFunction, UnresolvedSort
from ..errors import AnalysisException
from .expressions import (
    Literal, UnresolvedAttribute, UnresolvedStar, _cast_to, analysis_exception, quote_ident, table_not_found,
)
from .parser import _parse, _parse_exception, _span, convert


def run_sql(session, text, args=None):
    from sqlglot import exp
    from .dataframe import DataFrame
    setting = _SET.fullmatch(text) if not args else None
    if setting:
        return _set(session, setting.group(1), setting.group(2))
    tree = _parse(text, statement=True)
    if args:
        bind_parameters(tree, args)
    if isinstance(tree, exp.Create):
        return _create(session, tree)
    if isinstance(tree, exp.Drop):
        target = tree.this if tree.this is not None else (tree.args.get("tables") or [None])[0]
        name = target.name
        if not session.catalog.dropTempView(name) and (tree.args.get("kind") or "").upper() == "TABLE":
            db = target.args.get("db")
            full = "%s.%s" % (db.name, name) if db is not None else name
            if not session.catalog._drop_table(full) and not tree.args.get("exists"):
                raise table_not_found(full.split("."))
        return _empty(session)
    if isinstance(tree, exp.Command) and tree.this.upper() == "SHOW":
        return _local(session.createDataFrame([("", n.name, True) for n in session.catalog.listTables()],
                                              "namespace string, tableName string, isTemporary boolean"))
    if isinstance(tree, (exp.Describe,)):
        df = _query(session, exp.select("*").from_(tree.this))
        return _local(session.createDataFrame([(a.name, a.dataType.simpleString(), None) for a in df._plan.output],
                                              "col_name string, data_type string, comment string"))
    if isinstance(tree, exp.Cache):
        return _empty(session)
    if not isinstance(tree, (exp.Query,)):
        raise _parse_exception(text, None)
    df = _query(session, tree)
    df._parsed = lambda: _parsed_query(tree)
    return df


_JOIN_NAMES = {"inner": "Inner", "left": "LeftOuter", "right": "RightOuter", "full": "FullOuter",
               "left_semi": "LeftSemi", "left_anti": "LeftAnti", "cross": "Cross"}


def _parsed_query(q):
    """The plan Spark's parser makes of a query, before analysis (explain(True)'s parsed logical
    plan), or None for a shape this rendering does not cover (then the analysed plan is shown)."""
    from sqlglot import exp
    from .plan import failed_plan, unresolved_string

    def expr(e, top=False):
        return unresolved_string(convert(e), top=top)

    def relation(node):
        if isinstance(node, exp.Table) and isinstance(node.this, exp.Identifier):
            parts = [p.name for p in node.parts]
            text = "'UnresolvedRelation [%s], [], false\n" % ", ".join(parts)
        elif isinstance(node, exp.Subquery) and node.alias:
            text = select(node.this)
        else:
            return None
        if text is not None and node.alias:
            text = failed_plan("SubqueryAlias %s" % node.alias, text)
        return text

    def two_children(node, left, right):
        left_lines, right_lines = left.rstrip("\n").split("\n"), right.rstrip("\n").split("\n")
        return "\n".join(["'" + node] + [(":- " if i == 0 else ":  ") + l for i, l in enumerate(left_lines)]
                         + [("+- " if i == 0 else "   ") + l for i, l in enumerate(right_lines)]) + "\n"

    def select(q):
        if isinstance(q, exp.Union) and not q.args.get("order") and not q.args.get("limit"):
            left, right = select(q.left), select(q.right)
            if left is None or right is None:
                return None
            plan = two_children("Union false, false", left, right)
            return failed_plan("Distinct", plan) if q.args.get("distinct") else plan
        if not isinstance(q, exp.Select) or q.args.get("laterals") or q.args.get("having") \
                or q.args.get("with_") or q.args.get("with"):
            return None
        frm = q.args.get("from") or q.args.get("from_")
        if frm is None or getattr(frm, "expressions", None):
            return None
        plan = relation(frm.this)
        for j in q.args.get("joins") or []:
            right = relation(j.this)
            on = j.args.get("on")
            how = _JOIN_NAMES.get(_join_type(j))
            if plan is None or right is None or j.args.get("using") or how is None:
                return None
            plan = two_children("Join %s%s" % (how, ", %s" % expr(on) if on is not None else ""), plan, right)
        if plan is None:
            return None
        where = q.args.get("where")
        if where is not None:
            plan = failed_plan("Filter %s" % expr(where.this), plan)
        plan = failed_plan(_select_node_string(q, unresolved_string), plan)
        if q.args.get("distinct"):
            plan = failed_plan("Distinct", plan)
        order = q.args.get("order")
        if order is not None:
            plan = failed_plan("Sort [%s], true" % ", ".join(_order_item(o) for o in order.expressions), plan)
        limit = q.args.get("limit")
        if limit is not None:
            e = limit.expression if limit.args.get("expression") is not None else limit.this
            plan = failed_plan("GlobalLimit %s" % e.this, failed_plan("LocalLimit %s" % e.this, plan))
        return plan

    return select(q)


def _order_item(o):
    """An ORDER BY item as Spark's parser leaves it: ``'name DESC NULLS LAST``."""
    from sqlglot import exp
    from .plan import unresolved_string
    target = ("unresolvedordinal(%s)" % o.this.this if isinstance(o.this, exp.Literal) and not o.this.is_string
              else unresolved_string(convert(o.this)))
    desc = bool(o.args.get("desc"))
    nf = o.args.get("nulls_first")
    return "%s %s NULLS %s" % (target, "DESC" if desc else "ASC",
                               "FIRST" if ((not desc) if nf is None else nf) else "LAST")


_SET = re.compile(r"\s*SET\s+([^\s=]+)\s*=\s*(.*?)\s*;?\s*", re.I | re.S)


def _set(session, key, value):
    """``SET key=value``: a session configuration, answered as Spark answers it (key, value)."""
    session.conf.set(key, value)
    return _local(session.createDataFrame([(key, value)], "key string, value string"))


def _local(df):
    """A command's result: rows the driver holds (``DataFrame.isLocal``)."""
    df._plan.local_result = True
    return df


def bind_parameters(tree, args):
    """Bind the parameter markers of a parsed statement, as Spark binds ``spark.sql(text, args)``:
    ``:name`` markers from a dict, ``?`` markers in order from a list; a value is a literal, a
    Column (``create_map(...)``, ``array(...)``) is bound as its expression.

    >>> from .parser import _parse
    >>> tree = _parse("SELECT :a + 1, ':a'")
    >>> bind_parameters(tree, {"a": 2})
    >>> [type(p.meta["sparklet_value"]).__name__ for p in tree.find_all(__import__("sqlglot").exp.Placeholder)]
    ['Literal']
    """
    from sqlglot import exp
    from . import functions as F

    def expression(value):
        return value._expr if isinstance(value, Column) else F.lit(value)._expr
    markers = list(tree.find_all(exp.Placeholder, bfs=False))
    if isinstance(args, dict):
        for m in markers:
            if m.this is not None and m.this in args:
                m.meta["sparklet_value"] = expression(args[m.this])
        return
    for m, value in zip([m for m in markers if m.this is None], args):
        m.meta["sparklet_value"] = expression(value)


def _empty(session):
    return _local(session.createDataFrame([], T.StructType([])))


def _create(session, tree):
    from sqlglot import exp
    kind = (tree.args.get("kind") or "").upper()
    if kind not in ("VIEW", "TABLE"):
        raise analysis_exception("UNSUPPORTED_FEATURE.SQL_SYNTAX" if False else "NOT_SUPPORTED_COMMAND_WITHOUT_HIVE_SUPPORT",
                                 cmd="CREATE %s" % kind)
    target = tree.this
    name = target.name if not isinstance(target, exp.Schema) else target.this.name
    query = tree.expression
    df = _query(session, query)
    props = tree.args.get("properties")
    is_global = props is not None and "GLOBAL" in props.sql().upper()
    if is_global:
        df.createOrReplaceGlobalTempView(name)
    else:
        df.createOrReplaceTempView(name)
    return _empty(session)


def _query(session, q, outer_ctes=None):
    from sqlglot import exp
    ctes = dict(outer_ctes or {})
    with_ = q.args.get("with_") or q.args.get("with")
    if with_ is not None:
        for cte in with_.expressions:
            ctes[cte.alias.lower()] = _query(session, cte.this, ctes)
    if isinstance(q, exp.Union):
        left = _query(session, q.left, ctes)
        right = _query(session, q.right, ctes)
        out = left.union(right)
        if q.args.get("distinct"):
            from .plan import Distinct
            out = out._new(Distinct(out._plan))
        return _order_limit(session, out, q, ctes)
    if isinstance(q, exp.Intersect):
        l, r = _query(session, q.left, ctes), _query(session, q.right, ctes)
        return l.intersect(r) if q.args.get("distinct") else l.intersectAll(r)
    if isinstance(q, exp.Except):
        l, r = _query(session, q.left, ctes), _query(session, q.right, ctes)
        return l.subtract(r) if q.args.get("distinct") else l.exceptAll(r)
    if isinstance(q, exp.Subquery):
        df = _query(session, q.this, ctes)
        return df.alias(q.alias) if q.alias else df
    if isinstance(q, exp.Values):
        return _values(session, q)
    if not isinstance(q, exp.Select):
        raise analysis_exception("PARSE_SYNTAX_ERROR", error="'%s'" % q.sql(), hint="")
    return _select(session, q, ctes)


def _values(session, q):
    """An inline table (Spark's ResolveInlineTables): each column takes the wider type of its
    expressions, is nullable when one of them is, and every value is cast to that type."""
    from .expressions import _cast_to
    from .plan import Scope
    from .typeops import wider_type
    exprs = [[convert(e).resolve(Scope([])) for e in t.expressions] for t in q.expressions]
    n = len(exprs[0]) if exprs else 0
    types, nullable = [], []
    for i in range(n):
        w = T.NullType()
        for row in exprs:
            w = wider_type(w, row[i].dataType) or w
        types.append(w)
        nullable.append(any(row[i].nullable for row in exprs))
    rows = [tuple(_eval_literal(_cast_to(e, t)) for e, t in zip(row, types)) for row in exprs]
    alias = q.args.get("alias")
    names = ["col%d" % (i + 1) for i in range(n)]
    if alias is not None and alias.columns:
        names = [c.name for c in alias.columns]
    schema = T.StructType([T.StructField(c, t, nl) for c, t, nl in zip(names, types, nullable)])
    df = session.createDataFrame(rows, schema)
    if alias is not None and alias.name:
        df = df.alias(alias.name)
    return df


def _eval_literal(e):
    if isinstance(e, Literal):
        return e.value
    from .plan import Scope
    from .evaluation import evaluate_constant
    return evaluate_constant(e.resolve(Scope([])))


def _relation(session, node, ctes):
    from sqlglot import exp
    from .dataframe import DataFrame
    from .plan import SubqueryAlias
    if isinstance(node, exp.Table):
        if isinstance(node.this, exp.Anonymous) and node.this.name.lower() == "range":
            # Spark's range table-valued function: range([start,] end[, step[, numPartitions]]).
            args = [_eval_literal(convert(e)) for e in node.this.expressions]
            if not 1 <= len(args) <= 4:
                raise analysis_exception("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`range`",
                                         expectedNum="[1, 2, 3, 4]", actualNum=str(len(args)),
                                         docroot="https://spark.apache.org/docs/latest")
            df = session.range(*args)
            return df.alias(node.alias) if node.alias else df
        if isinstance(node.this, exp.Anonymous) or node.this is None:
            raise analysis_exception("UNSUPPORTED_FEATURE.TABLE_VALUED_FUNCTION" if False else "UNRESOLVED_ROUTINE",
                                     routineName=quote_ident(node.sql()), searchPath="")
        name = node.name
        db = node.args.get("db")
        alias = node.alias or name
        if db is None and name.lower() in ctes:
            df = ctes[name.lower()]
            return DataFrame(SubqueryAlias(alias, df._plan), session)
        full = ("%s.%s" % (db.name, name)) if db is not None else name
        plan = session.catalog._lookup(full)
        if plan is None and db is not None and node.args.get("catalog") is None:
            # Spark's "SQL on files": parquet.`/path` reads the path with that data source
            from .datasources import FORMATS
            if db.name.lower() in FORMATS:
                plan = session.read.format(db.name.lower()).load(name)._plan
                alias = node.alias or full
        if plan is None:
            err = table_not_found(full.split("."))
            span = _span(node)
            if span is not None:
                from ..errors import QueryOrigin
                err.at_position(*QueryOrigin(*span).line_pos())
            raise err.with_plan("'UnresolvedRelation [%s], [], false\n" % ", ".join(full.split(".")))
        plan = SubqueryAlias(full if db is None else full, plan)
        if node.alias:
            plan = SubqueryAlias(node.alias, plan)
        return DataFrame(plan, session)
    if isinstance(node, exp.Subquery):
        df = _query(session, node.this, ctes)
        return df.alias(node.alias) if node.alias else df
    if isinstance(node, exp.Values):
        return _values(session, node)
    raise analysis_exception("PARSE_SYNTAX_ERROR", error="'%s'" % node.sql(), hint="")


def _join_type(j):
    side = (j.args.get("side") or "").lower()
    kind = (j.args.get("kind") or "").lower()
    if kind == "cross":
        return "cross"
    if kind in ("semi", "anti"):
        return "left_" + kind if not side or side == "left" else side + "_" + kind
    if side:
        return {"left": "left", "right": "right", "full": "full"}[side]
    if kind == "outer":
        return "full"
    return "inner"


def _select(session, q, ctes):
    """A SELECT as DataFrame operations; an analysis error inside it shows the operators above
    the failing one unresolved, as Spark's analyzer leaves them (``'Project [...]``)."""
    from .plan import failed_plan, unresolved_string
    try:
        return _select_plan(session, q, ctes)
    except AnalysisException as err:
        if err._plan is None or getattr(err, "_order_done", False):
            raise
        if not getattr(err, "_select_done", False):
            err._plan = failed_plan(_select_node_string(q, unresolved_string), err._plan)
        order = q.args.get("order")
        if order is not None:
            err._plan = failed_plan("Sort [%s], true" % ", ".join(_order_item(o) for o in order.expressions),
                                    err._plan)
        limit = q.args.get("limit")
        if limit is not None:
            e = limit.expression if limit.args.get("expression") is not None else limit.this
            err._plan = failed_plan("GlobalLimit %s" % e.this, failed_plan("LocalLimit %s" % e.this, err._plan))
        raise


def _select_node_string(q, render):
    """The unresolved operator a SELECT's list makes (``Project`` or ``Aggregate``), or None when
    the failure was in that operator itself (it printed its own line)."""
    items = ", ".join(render(convert(e), None, top=True) for e in q.expressions)
    group = q.args.get("group")
    if group is not None:
        return "Aggregate [%s], [%s]" % (", ".join(render(convert(g)) for g in group.expressions), items)
    return "Project [%s]" % items


def _select_plan(session, q, ctes):
    from sqlglot import exp
    from .dataframe import DataFrame
    frm = q.args.get("from") or q.args.get("from_")
    if frm is None:
        df = session.range(1).select()
        df = DataFrame(df._plan, session)
        from .plan import Project
        df = DataFrame(Project([], session.range(1)._plan), session)
    else:
        df = _relation(session, frm.this, ctes)
        for extra in frm.expressions if hasattr(frm, "expressions") else []:
            df = df.crossJoin(_relation(session, extra, ctes))
    for j in q.args.get("joins") or []:
        right = _relation(session, j.this, ctes)
        how = _join_type(j)
        on = j.args.get("on")
        using = j.args.get("using")
        if using:
            df = df.join(right, [u.name for u in using], how)
        elif on is not None:
            df = df.join(right, Column(convert(on)), how)
        else:
            df = df.join(right, how="cross" if how == "inner" else how)
    for lv in q.args.get("laterals") or []:
        df = _lateral_view(df, lv)
    where = q.args.get("where")
    if where is not None:
        df = df.filter(Column(convert(where.this)))
    try:
        return _select_list(session, q, ctes, df)
    except AnalysisException as err:
        err._select_done = True
        raise


def _sql_aggregate_error(err, q, df, keys, select_exprs):
    """MISSING_AGGREGATION / MISSING_GROUP_BY of a SQL aggregate show Spark's Aggregate: the GROUP
    BY keys and exactly the select list (MISSING_GROUP_BY at the SELECT's position)."""
    import re
    from .expressions import named
    from .plan import Aggregate
    cond = err.getCondition()
    if cond not in ("MISSING_AGGREGATION", "MISSING_GROUP_BY"):
        return
    scope = df._scope()
    items = [named(e.resolve(scope)) for e in select_exprs]
    err._plan = None
    err.with_plan(Aggregate(keys, items, df._plan).tree_string() + "\n")
    span = _span(q.expressions[0]) if q.expressions else None
    if cond == "MISSING_GROUP_BY" and span is not None:
        from ..errors import QueryOrigin
        text, start = span[0], span[1]
        m = None
        for m in re.finditer(r"(?i)\bselect\b", text[:start]):
            pass
        err.at_position(*QueryOrigin(text, m.start() if m else start).line_pos())


def _select_list(session, q, ctes, df):
    from sqlglot import exp
    from .dataframe import DataFrame
    select_exprs = [convert(e) for e in q.expressions]
    group = q.args.get("group")
    having = q.args.get("having")
    has_agg = _has_aggregate(q.expressions)
    if group is not None or has_agg or having is not None:
        keys = []
        for g in (group.expressions if group is not None else []):
            if isinstance(g, exp.Literal) and not g.is_string:
                idx = int(g.this)
                if not 1 <= idx <= len(select_exprs):
                    raise analysis_exception("GROUP_BY_POS_OUT_OF_RANGE", index=idx, size=len(select_exprs))
                keys.append(Column(_strip_alias(select_exprs[idx - 1])))
            else:
                keys.append(Column(_group_key(convert(g), select_exprs, df)))
        hidden = []
        if having is not None:
            hcond = _rewrite_having(having.this, hidden)
        aggs = [Column(e) for e in select_exprs]
        gd = df.groupBy(*keys)
        extra = [Column(UnresolvedAlias(h, "__having%d" % i)) for i, h in enumerate(hidden)]
        from .plan import Aggregate
        try:
            agg_df = gd.agg(*(aggs + extra)) if (aggs + extra) else df._new(Aggregate(gd._keys, gd._keys, df._plan))
        except AnalysisException as err:
            _sql_aggregate_error(err, q, df, gd._keys, select_exprs)
            raise
        # groupBy().agg puts the keys first; SQL output is exactly the select list
        nkeys = len(gd._keys)
        plan = agg_df._plan
        from .plan import Project, Aggregate as Agg
        agg_exprs = plan.aggregates[nkeys:]
        plan = Agg(plan.grouping, agg_exprs, plan.child)
        df = DataFrame(plan, session)
        if having is not None:
            df = df.filter(Column(hcond))
        if hidden:
            n = len(select_exprs)
            df = DataFrame(Project(df._plan.output[:n], df._plan), session)
    else:
        df = df._project(select_exprs)
    if q.args.get("distinct"):
        from .plan import Distinct
        df = DataFrame(Distinct(df._plan), session)
    return _order_limit(session, df, q, ctes)


def _order_limit(session, df, q, ctes):
    try:
        return _order_limit_plan(session, df, q, ctes)
    except AnalysisException as err:
        err._order_done = True
        raise


def _order_limit_plan(session, df, q, ctes):
    order = q.args.get("order")
    if order is not None:
        cols = []
        for o in order.expressions:
            desc = bool(o.args.get("desc"))
            nf = o.args.get("nulls_first")
            nulls_first = (not desc) if nf is None else bool(nf)
            from sqlglot import exp
            if isinstance(o.this, exp.Literal) and not o.this.is_string:
                target = UnresolvedAttribute([df.columns[int(o.this.this) - 1]])
            else:
                target = convert(o.this)
            cols.append(Column(UnresolvedSort(target, not desc, nulls_first)))
        df = df.orderBy(*cols)
    limit = q.args.get("limit")
    offset = q.args.get("offset")
    if offset is not None:
        df = df.offset(int(offset.expression.this))
    if limit is not None:
        e = limit.expression if limit.args.get("expression") is not None else limit.this
        df = df.limit(int(e.this))
    return df


def _strip_alias(e):
    return e.children[0] if isinstance(e, UnresolvedAlias) else e


def _group_key(key, select_exprs, df):
    """GROUP BY may name a select-list alias (Spark resolves those after the input's columns)."""
    if isinstance(key, UnresolvedAttribute) and len(key.parts) == 1:
        name = key.parts[0].lower()
        if not any(a.name.lower() == name for a in df._plan.output):
            for e in select_exprs:
                if isinstance(e, UnresolvedAlias) and e.alias.lower() == name:
                    return e.children[0]
    return key


def _has_aggregate(nodes):
    from sqlglot import exp
    from .function_registry import is_aggregate
    for n in nodes:
        for sub in n.walk():
            node = sub[0] if isinstance(sub, tuple) else sub
            if isinstance(node, exp.Window):
                continue
            if isinstance(node, exp.Anonymous) and is_aggregate(node.name):
                # an aggregate inside a window is not a grouping aggregate
                parent = node.parent
                while parent is not None and not isinstance(parent, exp.Window):
                    parent = parent.parent
                if parent is None:
                    return True
    return False


def _rewrite_having(node, hidden):
    from sqlglot import exp
    from .function_registry import is_aggregate
    node = node.copy()
    for sub in list(node.find_all(exp.Anonymous)):
        if is_aggregate(sub.name):
            hidden.append(convert(sub))
            sub.replace(exp.column("__having%d" % (len(hidden) - 1)))
    if isinstance(node, exp.Anonymous) and is_aggregate(node.name):
        hidden.append(convert(node))
        return UnresolvedAttribute(["__having%d" % (len(hidden) - 1)])
    return convert(node)


def _lateral_view(df, lv):
    from sqlglot import exp
    from .column import _MultiAlias
    func = convert(lv.this)
    alias = lv.args.get("alias")
    names = [c.name for c in alias.columns] if alias is not None and alias.columns else None
    outer = bool(lv.args.get("outer"))
    if outer and isinstance(func, UnresolvedFunction):
        func = UnresolvedFunction(func.fname + "_outer", func.children)
    e = _MultiAlias(func, names) if names else func
    out = df._project([UnresolvedStar(), e])
    if alias is not None and alias.name:
        from .plan import SubqueryAlias
        return out
    return out
