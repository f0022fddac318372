"""SQL text → syntax trees and the unresolved expressions the DataFrame API builds.

sqlglot (Spark dialect, parser only) turns text into a syntax tree; this module converts its
expressions (``parse_expression``, ``convert``) into the same unresolved expressions as Column
operations, so ``expr("age + 1")`` and ``col("age") + 1`` are one expression. Statements
(``spark.sql``) are walked by ``statements.py``, above the DataFrame; this module never builds
DataFrames. The dialect is used with an empty function table: every function call stays a plain
call by name, resolved by Sparklet's function registry with Spark's semantics, never rewritten
into another engine's functions.
"""

import decimal
import re

from . import types as T
from .column import (
    Column, UnresolvedAlias, UnresolvedBinary, UnresolvedCast, UnresolvedExtract, UnresolvedFunction, UnresolvedSort,
    UnresolvedUnary, UnresolvedWhen, UnresolvedWindow, _UnresolvedIn,
)
from .expressions import (
    Add, And, Divide, EqualNullSafe, EqualTo, GreaterThan, GreaterThanOrEqual, IsNotNull, IsNull, LessThan,
    LessThanOrEqual, Literal, Multiply, Not, NotEqual, Or, Remainder, Subtract, UnaryMinus, UnresolvedAttribute,
    UnresolvedStar, WindowFrame, analysis_exception, quote_ident,
)

_dialect = None


def _called_substr(node):
    node.meta["name"] = "substr"
    return node


def dialect():
    global _dialect
    if _dialect is None:
        from sqlglot.dialects.spark import Spark

        class SparkletSpark(Spark):
            class Parser(Spark.Parser):
                FUNCTIONS = {}
                # these take plain arguments in Spark: left to the function registry, by the
                # name they were called with (ceiling(x) is not CEIL(x))
                FUNCTION_PARSERS = {k: v for k, v in Spark.Parser.FUNCTION_PARSERS.items()
                                    if k not in ("CEIL", "FLOOR", "CHAR", "CHR", "DECODE", "INITCAP")}
                # substr(s FROM p FOR n) parses as SUBSTRING does, but keeps its own name
                FUNCTION_PARSERS["SUBSTR"] = lambda self: _called_substr(self._parse_substring())

        _dialect = SparkletSpark
    return _dialect


def _parse(text, into=None, statement=False):
    import sqlglot
    from sqlglot.errors import ParseError, TokenError
    try:
        if into is None:
            trees = sqlglot.parse(text, dialect=dialect())
            trees = [t for t in trees if t is not None]
            if len(trees) != 1:
                raise _parse_exception(text, None)
            return _with_text(trees[0], text)
        return _with_text(sqlglot.parse_one(text, dialect=dialect(), into=into), text)
    except (ParseError, TokenError) as e:
        raise _parse_exception(text, e, statement) from None


def _with_text(tree, text):
    # every node knows the text it was parsed from, so the expressions converted from it carry
    # their origin (the span of text Spark's errors point at)
    for node in tree.walk():
        node.meta["sql"] = text
    return tree


def _span(node):
    """The [start, stop] character span of ``node`` in its SQL text: from its first token to its
    last, a cast from its CAST keyword, a call to its closing parenthesis."""
    import re
    text = node.meta.get("sql")
    starts, stops = [], []
    for n in node.walk():
        m = n.meta
        if "start" in m:
            starts.append(m["start"])
            stops.append(m["end"])
    if text is None or not starts:
        return None
    start, stop = min(starts), max(stops)
    from sqlglot import exp
    if isinstance(node, (exp.Cast, exp.TryCast)):
        m = re.search(r"(?i)(try_)?cast\s*\(\s*$", text[:start])
        if m:
            start = m.start()
    depth = text[start:stop + 1].count("(") - text[start:stop + 1].count(")")
    while depth > 0:
        nxt = text.find(")", stop + 1)
        if nxt < 0:
            break
        depth -= 1 + text[stop + 1:nxt].count(")") - text[stop + 1:nxt].count("(")
        stop = nxt
    return text, start, stop


# The words a statement can start with: SQL text starting otherwise fails at its first word.
_STATEMENT_WORDS = {
    "select", "with", "from", "values", "create", "drop", "insert", "show", "describe", "desc", "set", "cache",
    "uncache", "explain", "table", "use", "alter", "refresh", "clear", "reset", "analyze", "merge", "update",
    "delete", "truncate", "replace", "msck", "load", "add", "list", "declare", "execute", "call", "map", "reduce"}


def _parse_exception(text, e, statement=False):
    """Spark's PARSE_SYNTAX_ERROR for text sqlglot could not parse: the token Spark's parser
    stops at (the first word of a statement that starts with none, ``end of input`` for text
    that ends mid-expression, an unterminated string's quote) and its hint (``: extra input
    't'`` for tokens after a complete statement, ``: missing ')'`` in a call's arguments)."""
    import re
    from ..errors import parse_error
    lines = text.split("\n")
    first = re.match(r"\s*([A-Za-z_]\w*)", text)
    if statement and first and first.group(1).lower() not in _STATEMENT_WORDS:
        return parse_error(text, first.start(1), "'%s'" % first.group(1))
    if e is not None and not getattr(e, "errors", None) and text.count("'") % 2 == 1:
        # an unterminated string literal: Spark stops at its opening quote
        at = text.rfind("'")
        return parse_error(text, at - (text.rfind("\n", 0, at) + 1), "'" * 3, line=text[:at].count("\n") + 1)
    if e is not None and getattr(e, "errors", None):
        info = e.errors[0]
        hl = info.get("highlight")
        col = info.get("col")
        line = info.get("line") or 1
        description = info.get("description") or ""
        if hl:
            offset = sum(len(l) + 1 for l in lines[:line - 1])
            idx = text.find(hl, max(0, offset + (col or 0) - len(hl) - 1))
            at_end = idx >= 0 and not text[idx + len(hl):].strip()
            if at_end and (description.startswith("Required keyword") or description.startswith("Expecting )")):
                return parse_error(text, len(lines[-1]), "end of input", line=len(lines))
            if idx >= 0:
                hint = ""
                if description.startswith("Invalid expression / Unexpected token"):
                    hint = ": extra input '%s'" % hl
                elif description.startswith("Expecting )"):
                    opened = text.rfind("(", 0, idx)
                    if opened > 0 and (text[opened - 1].isalnum() or text[opened - 1] == "_"):
                        hint = ": missing ')'"
                return parse_error(text, idx - offset, "'%s'" % hl, hint=hint, line=line)
    return parse_error(text, len(text), "end of input")


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


def _is_typed_literal(node):
    """sqlglot reads both ``CAST(1.5 AS DOUBLE)`` and Spark's suffixed literals (``1.5D``, ``2L``,
    ``3Y``, ``1.5BD``) as a TryCast without the ``safe`` flag of an explicit ``TRY_CAST``; a
    suffixed literal's token is longer than its digits (``1.5BD`` becomes the string '1.5' cast to
    the decimal type its digits need)."""
    from sqlglot import exp
    if not (isinstance(node, exp.TryCast) and not node.args.get("safe") and isinstance(node.this, exp.Literal)):
        return False
    literal, text = node.this, str(node.this.this)
    if literal.is_string:
        if not re.fullmatch(r"\d+\.?\d*|\.\d+", text):
            return False
        digits = decimal.Decimal(text).as_tuple()
        scale = max(0, -digits.exponent)
        to = node.to
        params = [int(p.this.this) for p in to.expressions] if to.expressions else []
        return to.this == exp.DataType.Type.DECIMAL and params == [max(len(digits.digits), scale), scale]
    meta = literal.meta
    return "start" in meta and "end" in meta and meta["end"] - meta["start"] + 1 > len(text)


def _typed_literal(literal, to):
    """A suffixed literal is a literal of its type, named by its digits as written (``1.5D`` is the
    double column ``1.5``), not a cast."""
    text = str(literal.this)
    if isinstance(to, (T.DoubleType, T.FloatType)):
        return Literal(float(text), to)
    if isinstance(to, T.DecimalType):
        return Literal(decimal.Decimal(text), to)
    return Literal(int(text), to)


def convert(node):
    """The unresolved expression of a syntax-tree node, carrying its span of SQL text as its
    origin (the position analysis errors report and the fragment runtime errors show)."""
    # one expression per syntax node: a second conversion (the parsed plan explain prints, an
    # error's plan) sees the expression the analysis resolved
    cached = node.meta.get("sparklet_expr")
    if cached is not None:
        return cached
    out = _convert(node)
    if out is not None:
        node.meta["sparklet_expr"] = out
    if out is not None and out.origin is None and not isinstance(out, Literal):
        span = _span(node)
        if span is not None:
            from ..errors import QueryOrigin
            out.origin = QueryOrigin(sql=span[0], start=span[1], stop=span[2])
    return out


def _convert(node):
    from sqlglot import exp
    name = type(node).__name__
    if isinstance(node, exp.Paren):
        return convert(node.this)
    if isinstance(node, exp.Placeholder):
        # a parameter marker of spark.sql(text, args), bound by statements.bind_parameters
        if "sparklet_value" not in node.meta:
            from ..errors import AnalysisException
            raise AnalysisException(errorClass="UNBOUND_SQL_PARAMETER",
                                    messageParameters={"name": node.this or "?"})
        return node.meta["sparklet_value"]
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
    if isinstance(node, exp.HexString):
        # X'..' is a binary literal in Spark SQL
        digits = node.this
        return Literal(bytes.fromhex(("0" + digits) if len(digits) % 2 else digits), T.BinaryType())
    if isinstance(node, exp.Boolean):
        return Literal(bool(node.this))
    if isinstance(node, exp.Null):
        return Literal(None)
    if name in _BINARY:
        cls, sym = _BINARY[name]
        if name == "NEQ":
            return UnresolvedBinary(Not, convert(node.this), convert(node.expression), "!=")
        return UnresolvedBinary(cls, convert(node.this), convert(node.expression), sym)
    if isinstance(node, (exp.BitwiseAnd, exp.BitwiseOr, exp.BitwiseXor)):
        from .column import _BITWISE
        sym = {"BitwiseAnd": "&", "BitwiseOr": "|", "BitwiseXor": "^"}[name]
        return UnresolvedBinary(_BITWISE[sym], convert(node.this), convert(node.expression), sym)
    if isinstance(node, exp.BitwiseNot):
        return UnresolvedFunction("bitwise_not", [convert(node.this)])
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
        if (isinstance(child, exp.Literal) and not child.is_string) or _is_typed_literal(child):
            lit = convert(child)
            return Literal(-lit.value, lit.dataType)
        return UnresolvedUnary(UnaryMinus, convert(child), "")
    if isinstance(node, exp.Alias):
        return UnresolvedAlias(convert(node.this), node.alias)
    if _is_typed_literal(node):
        return _typed_literal(node.this, _datatype(node.to))
    if isinstance(node, (exp.Cast, exp.TryCast)):
        to = _datatype(node.to)
        child = node.this
        if isinstance(child, exp.Literal) and child.is_string and isinstance(to, (T.DateType, T.TimestampType)) \
                and isinstance(node, exp.Cast):
            import datetime
            if isinstance(to, T.DateType):
                return Literal(datetime.date.fromisoformat(child.this), to)
            return Literal(datetime.datetime.fromisoformat(child.this), to)
        return UnresolvedCast(convert(child), to, ansi=not node.args.get("safe"))
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
        return UnresolvedFunction(node.meta.get("name", "substring"), args)
    if isinstance(node, exp.Trim):
        side = str(node.args.get("position") or "").upper()
        chars = node.args.get("expression")
        fname = {"LEADING": "ltrim", "TRAILING": "rtrim"}.get(side, "trim")
        return UnresolvedFunction(fname, [convert(node.this)] + ([convert(chars)] if chars is not None else []))
    if isinstance(node, exp.StrPosition):
        args = [convert(node.args["substr"]), convert(node.this)]
        if node.args.get("position") is not None:
            args.append(convert(node.args["position"]))
        return UnresolvedFunction("position", args)
    if isinstance(node, exp.Overlay):
        args = [convert(node.this), convert(node.expression), convert(node.args["from_"])]
        if node.args.get("for_") is not None:
            args.append(convert(node.args["for_"]))
        return UnresolvedFunction("overlay", args)
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
    if isinstance(node, exp.Tuple):
        # `(a, b)` in an expression is a struct of its values (fields col1, col2, ...)
        return UnresolvedFunction("struct", [convert(e) for e in node.expressions])
    if isinstance(node, exp.Lambda):
        # `x -> x * 2`, `(acc, x) -> acc + x`: the higher-order function binds the parameters
        from .collection_functions import UnresolvedLambda
        return UnresolvedLambda(convert(node.this), [e.name for e in node.expressions])
    if isinstance(node, exp.IgnoreNulls):
        f = convert(node.this)
        f.ignore_nulls = True
        return f
    if isinstance(node, exp.Extract):
        # EXTRACT(field FROM source): Spark's extract(field, source)
        return UnresolvedFunction("extract", [Literal(node.this.name), convert(node.expression)])
    if isinstance(node, (exp.ArgMax, exp.ArgMin)):
        args = [node.this, node.expression] + ([node.args["count"]] if node.args.get("count") is not None else [])
        return UnresolvedFunction("max_by" if isinstance(node, exp.ArgMax) else "min_by", [convert(a) for a in args])
    if isinstance(node, (exp.Quantile, exp.ApproxQuantile, exp.GroupConcat)):
        # the date/time and aggregate functions sqlglot parses into classes of its own
        fname, keys = {exp.Quantile: ("percentile", ("this", "quantile", "frequency")),
                       exp.ApproxQuantile: ("percentile_approx", ("this", "quantile", "accuracy")),
                       exp.GroupConcat: ("listagg", ("this", "separator"))}[type(node)]
        args = [node.args.get(k) for k in keys]
        while args and args[-1] is None:
            args.pop()
        this = args[0]
        distinct = isinstance(this, exp.Distinct)
        if distinct:
            this = this.expressions[0]
        return UnresolvedFunction(fname, [convert(this)] + [convert(a) for a in args[1:]], distinct=distinct)
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
