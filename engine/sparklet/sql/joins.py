"""Join and union analysis: how ``on``/``how`` arguments become a ``Join`` plan (Spark's rules).

``on`` as column names (``"k"`` or ``["k1", "k2"]``) is a USING join: the key appears once in the
output (the left side's, or for a full outer join ``coalesce`` of both), followed by the left and
right side's other columns. ``on`` as a Column expression keeps both sides' columns.
"""

from .column import Column, col_of
from .expressions import Alias, AttributeReference, EqualTo, analysis_exception, quote_ident, wider_type
from .plan import Join, Project, Scope, Union, conjoin

_HOW = {
    None: "inner", "inner": "inner", "cross": "cross", "outer": "fullouter", "full": "fullouter",
    "fullouter": "fullouter", "full_outer": "fullouter", "left": "leftouter", "leftouter": "leftouter",
    "left_outer": "leftouter", "right": "rightouter", "rightouter": "rightouter", "right_outer": "rightouter",
    "semi": "leftsemi", "leftsemi": "leftsemi", "left_semi": "leftsemi", "anti": "leftanti",
    "leftanti": "leftanti", "left_anti": "leftanti",
}


# Spark's JoinType names, as plans print them
_JOIN_TYPE_NAMES = {"inner": "Inner", "cross": "Cross", "fullouter": "FullOuter", "leftouter": "LeftOuter",
                    "rightouter": "RightOuter", "leftsemi": "LeftSemi", "leftanti": "LeftAnti"}


def _dedup_right(left, right_plan):
    """A self-join's right side gets fresh attribute ids (Spark's dedupRight)."""
    ids = {a.expr_id for a in left._plan.output}
    if not any(a.expr_id in ids for a in right_plan.output):
        return right_plan
    return Project([Alias(a, a.name) for a in right_plan.output], right_plan)


def join(df, other, on=None, how=None):
    how_key = how.lower().replace("_", "") if isinstance(how, str) else how
    if how_key not in _HOW and how not in _HOW:
        from ..errors import PySparkValueError
        raise analysis_exception("UNSUPPORTED_JOIN_TYPE", typ=how,
                                 supported="'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', "
                                           "'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', "
                                           "'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'")
    jt = _HOW.get(how, _HOW.get(how_key))
    left_plan = df._plan
    right_plan = other._plan
    left_ids = {a.expr_id for a in left_plan.output}
    if any(a.expr_id in left_ids for a in right_plan.output):
        # A self-join (df.alias("a").join(df.alias("b"), ...)): as Spark's DeduplicateRelations,
        # the right side's attributes get new ids so both sides stay distinguishable.
        from .plan import SubqueryAlias
        inner = right_plan.child if isinstance(right_plan, SubqueryAlias) else right_plan
        right_plan = Project([Alias(a, a.name) for a in inner.output], inner)
        if inner is not other._plan:
            right_plan = SubqueryAlias(other._plan.alias, right_plan)
        hint = other._broadcast_hint
        other = other._new(right_plan)
        other._broadcast_hint = hint
    if isinstance(on, str):
        on = [on]
    if on is None or (isinstance(on, list) and not on):
        if jt == "inner" and on is None and how is None:
            jt = "cross" if on is None else jt
        j = Join(left_plan, right_plan, jt if jt != "inner" else "cross" if on is None else jt)
        j.size_hint = other._broadcast_hint
        return df._new(j)
    if isinstance(on, list) and all(isinstance(x, str) for x in on):
        out = _using_join(df, other, on, jt)
        # the parser's form: a USING join over both sides as they were given
        def parsed(lp=df._plan, rp=other._plan):
            node = "'Join UsingJoin(%s, [%s])" % (_JOIN_TYPE_NAMES.get(jt, jt), ", ".join(on))
            left, right = lp.tree_string().split("\n"), rp.tree_string().split("\n")
            return "\n".join([node] + [(":- " if i == 0 else ":  ") + l for i, l in enumerate(left)]
                              + [("+- " if i == 0 else "   ") + l for i, l in enumerate(right)]) + "\n"
        out._parsed = parsed
        return out
    if isinstance(on, list):
        cond_cols = on
        cond = cond_cols[0]
        for c in cond_cols[1:]:
            cond = cond & c
        on = cond
    scope = Scope(left_plan.output + right_plan.output)
    cond = on._expr.resolve(scope)
    j = Join(left_plan, right_plan, jt, cond)
    return df._new(j)


def _find(attrs, name, side):
    hits = [a for a in attrs if a.name.lower() == name.lower()]
    if not hits:
        raise analysis_exception("UNRESOLVED_USING_COLUMN_FOR_JOIN", colName=quote_ident(name), side=side,
                                 suggestion=", ".join(quote_ident(a.name) for a in attrs))
    return hits[0]


def _using_join(df, other, names, jt):
    lp, rp = df._plan, other._plan
    lk = [_find(lp.output, n, "left") for n in names]
    rk = [_find(rp.output, n, "right") for n in names]
    conds = []
    for a, b in zip(lk, rk):
        conds.append(EqualTo.make(a, b))
    j = Join(lp, rp, jt, conjoin(conds), using=list(zip(lk, rk)))
    lids = {a.expr_id for a in lk}
    rids = {b.expr_id for b in rk}
    out = []
    from .function_registry import lookup
    jout = {a.expr_id: a for a in j.output}
    for a, b in zip(lk, rk):
        if jt == "fullouter":
            out.append(Alias(lookup("coalesce")([jout[a.expr_id], jout[b.expr_id]]), a.name))
        elif jt == "rightouter":
            out.append(jout[b.expr_id])
        else:
            out.append(jout.get(a.expr_id, a))
    out += [jout.get(a.expr_id, a) for a in lp.output if a.expr_id not in lids]
    if jt not in ("leftsemi", "leftanti"):
        out += [jout[a.expr_id] for a in rp.output if a.expr_id not in rids]
    return df._new(Project(out, j))


def union(df, other):
    l, r = df._plan.output, other._plan.output
    if len(l) != len(r):
        raise analysis_exception("NUM_COLUMNS_MISMATCH", operator="UNION", firstNumColumns=len(l),
                                 invalidOrdinalNum="second", invalidNumColumns=len(r))
    return df._new(_widened_union(df._plan, other._plan))


def _widened_union(lp, rp):
    from .expressions import _cast_to
    l, r = lp.output, rp.output
    types = []
    for i, (a, b) in enumerate(zip(l, r)):
        w = wider_type(a.dataType, b.dataType)
        if w is None:
            raise analysis_exception(
                "INCOMPATIBLE_COLUMN_TYPE", operator="UNION", columnOrdinalNumber=_ordinal(i),
                tableOrdinalNumber="second", dataType1='"%s"' % b.dataType.simpleString().upper(),
                dataType2='"%s"' % a.dataType.simpleString().upper(), hint="")
        types.append(w)
    if any(a.dataType != t for a, t in zip(l, types)):
        lp = Project([a if a.dataType == t else Alias(_cast_to(a, t), a.name) for a, t in zip(l, types)], lp)
    if any(b.dataType != t for b, t in zip(r, types)):
        rp = Project([b if b.dataType == t else Alias(_cast_to(b, t), b.name) for b, t in zip(r, types)], rp)
    return Union([lp, rp])


def _ordinal(i):
    return ["first", "second", "third", "fourth", "fifth"][i] if i < 5 else "%dth" % (i + 1)


def union_by_name(df, other, allow_missing=False):
    from .expressions import Literal, _cast_to
    from .types import NullType
    l, r = df._plan.output, other._plan.output
    exprs = []
    for a in l:
        hit = [b for b in r if b.name.lower() == a.name.lower()]
        if hit:
            exprs.append(hit[0])
        elif allow_missing:
            exprs.append(Alias(Literal(None, a.dataType), a.name))
        else:
            raise analysis_exception("NUM_COLUMNS_MISMATCH", operator="UNION", firstNumColumns=len(l),
                                     invalidOrdinalNum="second", invalidNumColumns=len(r))
    lp = df._plan
    if allow_missing:
        extra = [b for b in r if not any(a.name.lower() == b.name.lower() for a in l)]
        if extra:
            lp = Project(list(l) + [Alias(Literal(None, b.dataType), b.name) for b in extra], lp)
            exprs += extra
    elif len(r) != len(l):
        raise analysis_exception("NUM_COLUMNS_MISMATCH", operator="UNION", firstNumColumns=len(l),
                                 invalidOrdinalNum="second", invalidNumColumns=len(r))
    rp = Project(exprs, other._plan)
    return df._new(_widened_union(lp, rp))
