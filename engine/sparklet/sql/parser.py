"""SQL text → the same logical plan the DataFrame API builds.

sqlglot (Spark dialect, parser only) turns text into a syntax tree; this module walks that tree
and calls the DataFrame API's own analysis (``DataFrame._project``, ``filter``, ``groupBy().agg``,
``join``, ``orderBy``), so ``spark.sql("SELECT age + 1 FROM people")`` and
``df.select(df.age + 1)`` are one plan with one generated column name. The dialect is used with
an empty function table: every function call stays a plain call by name, resolved by Sparklet's
function registry with Spark's semantics, never rewritten into another engine's functions.
"""

import decimal

from . import types as T
from .column import (
    Column, UnresolvedAlias, UnresolvedBinary, UnresolvedCast, UnresolvedExtract, UnresolvedFunction, UnresolvedSort,
    UnresolvedUnary, UnresolvedWhen, UnresolvedWindow, _UnresolvedIn,
)
from .expressions import (
    Add, And, Divide, EqualNullSafe, EqualTo, GreaterThan, GreaterThanOrEqual, IsNotNull, IsNull, LessThan,
    LessThanOrEqual, Literal, Multiply, Not, NotEqual, Or, Remainder, Subtract, UnaryMinus, UnresolvedAttribute,
    UnresolvedStar, WindowFrame, analysis_exception, quote_ident, table_not_found,
)

_dialect = None


def dialect():
    global _dialect
    if _dialect is None:
        from sqlglot.dialects.spark import Spark

        class SparkletSpark(Spark):
            class Parser(Spark.Parser):
                FUNCTIONS = {}

        _dialect = SparkletSpark
    return _dialect


def _parse(text, into=None):
    import sqlglot
    from sqlglot.errors import ParseError, TokenError
    try:
        if into is None:
            trees = sqlglot.parse(text, dialect=dialect())
            trees = [t for t in trees if t is not None]
            if len(trees) != 1:
                raise _parse_exception(text, None)
            return trees[0]
        return sqlglot.parse_one(text, dialect=dialect(), into=into)
    except (ParseError, TokenError) as e:
        raise _parse_exception(text, e) from None


def _parse_exception(text, e):
    from ..errors import parse_error
    pos, token = len(text), "end of input"
    if e is not None and getattr(e, "errors", None):
        info = e.errors[0]
        hl = info.get("highlight")
        col = info.get("col")
        line = info.get("line") or 1
        if hl:
            token = "'%s'" % hl
            start = info.get("start_context", "")
            lines = text.split("\n")
            offset = sum(len(l) + 1 for l in lines[:line - 1])
            idx = text.find(hl, max(0, offset + (col or 0) - len(hl) - 1))
            if idx >= 0:
                pos = idx - offset
                return parse_error(text, pos, token, line=line)
    return parse_error(text, pos, token)


def parse_expression(text):
    """An unresolved expression from SQL text (``expr``, ``selectExpr``, string filters).

    >>> parse_expression("age + 1").sql()
    '(age + 1)'
    """
    tree = _parse(text)
    return convert(tree)


# --------------------------------------------------------------------------------------------
# expressions

_BINARY = {
    "Add": (Add, "+"), "Sub": (Subtract, "-"), "Mul": (Multiply, "*"), "Div": (Divide, "/"), "Mod": (Remainder, "%"),
    "EQ": (EqualTo, "="), "NEQ": (Not, "!="), "GT": (GreaterThan, ">"), "GTE": (GreaterThanOrEqual, ">="),
    "LT": (LessThan, "<"), "LTE": (LessThanOrEqual, "<="), "NullSafeEQ": (EqualNullSafe, "<=>"), "And": (And, "AND"),
    "Or": (Or, "OR"),
}


def _datatype(dt):
    text = dt.sql(dialect="spark")
    low = text.lower()
    if low in ("timestamp with time zone", "timestamptz"):
        return T.TimestampType()
    return T._parse_datatype_string(low)


def _literal(node):
    v = node.this
    if node.is_string:
        return Literal(v)
    text = str(v)
    if text.isdigit():
        n = int(text)
        return Literal(n)
    if "e" in text.lower():
        return Literal(float(text))
    return Literal(decimal.Decimal(text))


def convert(node):
    from sqlglot import exp
    name = type(node).__name__
    if isinstance(node, exp.Paren):
        return convert(node.this)
    if isinstance(node, exp.Column):
        parts = [p.name for p in reversed(node.parts)] if False else [p.name for p in node.parts]
        if isinstance(node.this, exp.Star):
            return UnresolvedStar(parts[:-1] if len(parts) > 1 else None)
        return UnresolvedAttribute(parts)
    if isinstance(node, exp.Star):
        return UnresolvedStar()
    if isinstance(node, exp.Dot):
        base = convert(node.this)
        return UnresolvedExtract(base, Literal(node.expression.name))
    if isinstance(node, exp.Identifier):
        return UnresolvedAttribute([node.name])
    if isinstance(node, exp.Literal):
        return _literal(node)
    if isinstance(node, exp.Boolean):
        return Literal(bool(node.this))
    if isinstance(node, exp.Null):
        return Literal(None)
    if name in _BINARY:
        cls, sym = _BINARY[name]
        if name == "NEQ":
            return UnresolvedBinary(Not, convert(node.this), convert(node.expression), "!=")
        return UnresolvedBinary(cls, convert(node.this), convert(node.expression), sym)
    if isinstance(node, exp.IntDiv):
        return UnresolvedFunction("div", [convert(node.this), convert(node.expression)])
    if isinstance(node, exp.Not):
        inner = node.this
        if isinstance(inner, exp.Is):
            return UnresolvedUnary(IsNotNull, convert(inner.this), "")
        return UnresolvedUnary(Not, convert(inner), "")
    if isinstance(node, exp.Is):
        return UnresolvedUnary(IsNull, convert(node.this), "")
    if isinstance(node, exp.Neg):
        child = node.this
        if isinstance(child, exp.Literal) and not child.is_string:
            lit = _literal(child)
            return Literal(-lit.value, lit.dataType)
        return UnresolvedUnary(UnaryMinus, convert(child), "")
    if isinstance(node, exp.Alias):
        return UnresolvedAlias(convert(node.this), node.alias)
    if isinstance(node, (exp.Cast, exp.TryCast)):
        to = _datatype(node.to)
        child = node.this
        if isinstance(child, exp.Literal) and child.is_string and isinstance(to, (T.DateType, T.TimestampType)) \
                and isinstance(node, exp.Cast):
            import datetime
            if isinstance(to, T.DateType):
                return Literal(datetime.date.fromisoformat(child.this), to)
            return Literal(datetime.datetime.fromisoformat(child.this), to)
        return UnresolvedCast(convert(child), to)
    if isinstance(node, exp.In):
        if node.args.get("query") is not None:
            raise analysis_exception("UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY", treeNode="IN subquery")
        return _UnresolvedIn(convert(node.this), [convert(e) for e in node.expressions])
    if isinstance(node, exp.Between):
        x = convert(node.this)
        lo = UnresolvedBinary(GreaterThanOrEqual, x, convert(node.args["low"]), ">=")
        hi = UnresolvedBinary(LessThanOrEqual, x, convert(node.args["high"]), "<=")
        return UnresolvedBinary(And, lo, hi, "AND")
    if isinstance(node, exp.Like):
        return UnresolvedFunction("like", [convert(node.this), convert(node.expression)])
    if isinstance(node, exp.ILike):
        return UnresolvedFunction("ilike", [convert(node.this), convert(node.expression)])
    if isinstance(node, exp.RegexpLike):
        return UnresolvedFunction("rlike", [convert(node.this), convert(node.expression)])
    if isinstance(node, exp.Case):
        base = node.this
        branches = []
        for i in node.args.get("ifs") or []:
            cond = convert(i.this)
            if base is not None:
                cond = UnresolvedBinary(EqualTo, convert(base), cond, "=")
            branches.append((cond, convert(i.args["true"])))
        default = node.args.get("default")
        return UnresolvedWhen(branches, convert(default) if default is not None else None)
    if isinstance(node, exp.If):
        f = node.args.get("false")
        return UnresolvedFunction("if", [convert(node.this), convert(node.args["true"]),
                                         convert(f) if f is not None else Literal(None)])
    if isinstance(node, exp.Bracket):
        return UnresolvedExtract(convert(node.this), convert(node.expressions[0]))
    if isinstance(node, exp.Substring):
        args = [convert(node.this), convert(node.args["start"])]
        if node.args.get("length") is not None:
            args.append(convert(node.args["length"]))
        return UnresolvedFunction("substring", args)
    if isinstance(node, exp.Trim):
        return UnresolvedFunction("trim", [convert(node.this)])
    if isinstance(node, exp.CurrentDate):
        return UnresolvedFunction("current_date", [])
    if isinstance(node, exp.CurrentTimestamp):
        return UnresolvedFunction("current_timestamp", [])
    if isinstance(node, exp.Window):
        return _window(node)
    if isinstance(node, exp.Anonymous):
        fname = node.name
        args = node.expressions
        distinct = False
        if len(args) == 1 and isinstance(args[0], exp.Distinct):
            distinct = True
            args = args[0].expressions
        conv = [convert(a) for a in args]
        ignore_nulls = False
        if fname.lower() in ("first", "last", "first_value", "last_value") and len(conv) == 2 and \
                isinstance(conv[1], Literal):
            ignore_nulls = bool(conv[1].value)
            conv = conv[:1]
        if fname.lower() in ("lag", "lead") and len(conv) >= 1:
            pass
        return UnresolvedFunction(fname, conv, distinct=distinct, ignore_nulls=ignore_nulls)
    if isinstance(node, exp.IgnoreNulls):
        f = convert(node.this)
        f.ignore_nulls = True
        return f
    if isinstance(node, exp.Func):
        # a function sqlglot still parses into its own class: call it by its SQL name
        fname = node.sql_name().lower() if hasattr(node, "sql_name") else name.lower()
        args = [v for k, v in node.args.items() if v is not None and k in ("this", "expression", "expressions")]
        flat = []
        for a in args:
            flat.extend(a if isinstance(a, list) else [a])
        return UnresolvedFunction(fname, [convert(a) for a in flat])
    raise analysis_exception("UNSUPPORTED_FEATURE.SQL_SYNTAX" if False else "PARSE_SYNTAX_ERROR",
                             error="'%s'" % node.sql(dialect="spark"), hint="")


def _window(node):
    from .window import Window, WindowSpec
    func = convert(node.this)
    parts = [Column(convert(p)) for p in node.args.get("partition_by") or []]
    orders = []
    order = node.args.get("order")
    if order is not None:
        for o in order.expressions:
            desc = bool(o.args.get("desc"))
            nf = o.args.get("nulls_first")
            nulls_first = (not desc) if nf is None else bool(nf)
            orders.append(Column(UnresolvedSort(convert(o.this), not desc, nulls_first)))
    spec = WindowSpec(parts, orders)
    frame = node.args.get("spec")
    if frame is not None:
        kind = (frame.args.get("kind") or "ROWS").lower()

        def bound(value, side):
            if value is None:
                return None
            v = value if isinstance(value, str) else value.sql()
            if v.upper() == "UNBOUNDED":
                return Window.unboundedPreceding if side == "PRECEDING" else Window.unboundedFollowing
            if v.upper() == "CURRENT ROW":
                return 0
            n = int(v)
            return -n if side == "PRECEDING" else n
        lo = bound(frame.args.get("start"), (frame.args.get("start_side") or "").upper())
        hi = bound(frame.args.get("end"), (frame.args.get("end_side") or "").upper())
        spec = spec.rowsBetween(lo, hi) if kind == "rows" else spec.rangeBetween(lo, hi)
    return UnresolvedWindow(func, spec)


# --------------------------------------------------------------------------------------------
# statements


def run_sql(session, text, args=None):
    from sqlglot import exp
    from .dataframe import DataFrame
    if args:
        text = _bind_args(text, args)
    tree = _parse(text)
    if isinstance(tree, exp.Create):
        return _create(session, tree)
    if isinstance(tree, exp.Drop):
        name = tree.this.name
        session.catalog.dropTempView(name)
        return _empty(session)
    if isinstance(tree, exp.Command) and tree.this.upper() == "SHOW":
        return session.createDataFrame([("", n.name, True) for n in session.catalog.listTables()],
                                       "namespace string, tableName string, isTemporary boolean")
    if isinstance(tree, (exp.Describe,)):
        df = _query(session, exp.select("*").from_(tree.this))
        return session.createDataFrame([(a.name, a.dataType.simpleString(), None) for a in df._plan.output],
                                       "col_name string, data_type string, comment string")
    if isinstance(tree, exp.Cache):
        return _empty(session)
    if not isinstance(tree, (exp.Query,)):
        raise _parse_exception(text, None)
    return _query(session, tree)


def _bind_args(text, args):
    if isinstance(args, dict):
        for k, v in args.items():
            text = text.replace(":" + k, _sql_literal(v))
        return text
    parts = text.split("?")
    out = parts[0]
    for p, v in zip(parts[1:], args):
        out += _sql_literal(v) + p
    return out


def _sql_literal(v):
    if isinstance(v, str):
        return "'%s'" % v.replace("'", "\\'")
    if v is None:
        return "NULL"
    return str(v)


def _empty(session):
    return session.createDataFrame([], T.StructType([]))


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
            out = out.distinct()
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
    from sqlglot import exp
    rows = []
    for t in q.expressions:
        rows.append(tuple(_eval_literal(convert(e)) for e in t.expressions))
    n = len(rows[0]) if rows else 0
    alias = q.args.get("alias")
    names = ["col%d" % (i + 1) for i in range(n)]
    if alias is not None and alias.columns:
        names = [c.name for c in alias.columns]
    df = session.createDataFrame(rows, names)
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
        if plan is None:
            raise table_not_found(full.split("."))
        return DataFrame(SubqueryAlias(alias, plan), session)
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
        agg_df = gd.agg(*(aggs + extra)) if (aggs + extra) else df._new(Aggregate(gd._keys, gd._keys, df._plan))
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
        df = df.distinct()
    return _order_limit(session, df, q, ctes)


def _order_limit(session, df, q, ctes):
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
