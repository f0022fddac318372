"""A job's DAG: one node per operator the user called, grouped into stages, laid out here once.

The input is the scheduler's own plan, a list of `StageInfo` (from a job-start event, or from
``sc.dagScheduler.previewStages(rdd)`` before anything runs). Each stage's `rddInfos` are the RDDs
its tasks pipeline; an RDD whose parent lives in another stage reads that stage's shuffle output.

Spark's UI groups a stage's RDDs by *operation scope* (``RDDOperationScope``: the public call that
made them), and so does this drawing, one node per scope: ``reduceByKey`` makes three RDDs, a
``count()`` two, a ``foreach`` one fused into its parent's PipelinedRDD, and each is one node. An
operator whose RDDs straddle a shuffle (the map-side combine of ``reduceByKey``, the map side of
``groupByKey``, an SQL ``Exchange``) is one node in the stage that reads the shuffle; the shuffle
edge leads into it. A DataFrame's physical operators each have their own scope (``physical.py``
names them as Spark's ``explain()`` does; narrow ones fused into one RDD are joined by " | "), so
an SQL stage shows ``Scan -> Project -> HashAggregate (partial)`` and the next ``Exchange ->
HashAggregate (final)``.

The layout (stage boxes in columns by depth, sources on the left; operators inside a stage top to
bottom in lineage order; edge paths) is computed here and shipped in the model, so the inline SVG
of a cell output, ``%spark dag``, the history views and the JupyterLab extension draw the same
picture. Every SVG gets its own ids (`render_svg`): exported HTML holds many of them in one page.
Colours follow the page: text and narrow edges are drawn in the surrounding text colour
(``currentColor``: JupyterLab's light or dark theme, or an exported page's), fills are translucent
and the background transparent, so one drawing reads on light and dark themes.
"""

import linecache
import re
import uuid
from html import escape

from . import backend
from .local_backend import LocalBackend
from .source import short_site
from .state import is_cached

NODE_W, NODE_H = 150, 40
NODE_GAP_X, NODE_GAP_Y = 12, 20
BOX_PAD, BOX_TITLE = 10, 24
COL_GAP, ROW_GAP = 36, 16
MARGIN = 8
BOW_ROOM = 26  # right of the nodes, for narrow edges that skip a row
LEGEND_H = 30
#: font sizes (px at 100%): nothing under 11
FONT_OP, FONT_SITE, FONT_STAGE, FONT_LEGEND, FONT_TITLE = 12, 11, 12, 11, 13
OP_CHARS, SITE_CHARS = 20, 24

#: Presentation attributes, inline: a saved notebook's HTML is sanitized (no <style>) and an SVG
#: shown as an image sees no page CSS. ``currentColor`` is the surrounding text colour, so text and
#: narrow edges follow a light or dark theme; fills are translucent over a transparent background.
_ATTR = {
    "stage": 'fill="#7f7f7f" fill-opacity="0.06" stroke="#8c959f"',
    "skipped": 'fill="#7f7f7f" fill-opacity="0.16" stroke="#8c959f" stroke-dasharray="5,4"',
    "node": 'fill="#4a7ab5" fill-opacity="0.16" stroke="#4a7ab5"',
    "cached": 'fill="#2ea043" fill-opacity="0.22" stroke="#2e8b2e"',
    "cached_mark": 'fill="#2e8b2e"',
    "narrow": 'fill="none" stroke="currentColor" stroke-width="1.4"',
    "shuffle": 'fill="none" stroke="#d9822b" stroke-width="1.6" stroke-dasharray="6,4"',
    "arrow_narrow": 'fill="currentColor"',
    "arrow_shuffle": 'fill="#d9822b"',
    "legend_skipped": 'fill="#7f7f7f" fill-opacity="0.16" stroke="#8c959f" stroke-dasharray="3,2"',
}


def _field(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _cached(rdd):
    if isinstance(rdd, dict) and "cached" in rdd:
        return bool(rdd["cached"])
    return is_cached(_field(rdd, "storageLevel"))


_ATTRS = re.compile(r"\[[^\]]*#\d+[^\]]*\]")
_SITE = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")


def origin(site):
    """The user's line of code at call site ``file:line`` (a cell's line too: IPython keeps cells
    in `linecache`), stripped; "" when unknown. It is the DataFrame call chain or SQL text a
    query's operators came from.

    >>> import sparklet_kernel.dag as dag
    >>> dag.origin(dag.__file__ + ":1")[:3] == '"' * 3
    True
    """
    m = _SITE.match(site or "")
    if not m:
        return ""
    return linecache.getline(m.group("file"), int(m.group("line"))).strip()


def _fragments(r):
    """The operators that made RDD `r`, in call order: [(scope key, name, call site)].

    An RDD made by one call is one fragment; a PipelinedRDD fusing several calls (``map().filter()``)
    has one per call; a scope naming several fused physical operators (``HashAggregate (partial) |
    Project``, top operator first as in ``explain()``) one per operator, bottom first. RDDs from
    logs or plans without scope ids are one node per RDD fragment."""
    rid = _field(r, "id")
    ops = _field(r, "operators") or []
    if ops:
        calls = [(op[0], op[1], op[2] if len(op) > 2 else 0) for op in ops]
    else:
        calls = [(_field(r, "scope") or _field(r, "name") or "rdd", _field(r, "callSite") or "",
                  _field(r, "scopeId") or 0)]
    out = []
    for i, (name, site, scope_id) in enumerate(calls):
        # an SQL scan's attribute list (``Scan ExistingRDD[k#0L,v#1L]``) is plan detail, not a name
        parts = list(reversed(_ATTRS.sub("", name or "rdd").split(" | ")))
        for j, part in enumerate(parts):
            key = ("scope", scope_id, j) if scope_id else ("rdd", rid, i, j)
            out.append((key, part, site or ""))
    return out


def _longest_paths(keys, parents):
    """{key: length of the longest path to it from a key without parents}, over `keys` and
    their `parents(key)` (only those among `keys` count). Iterative, so a lineage of thousands
    of operators (a loop of ``map`` calls) does not exhaust the stack, and cycle-safe: the input
    may come from another process.

    >>> _longest_paths(["a", "b", "c"], {"a": [], "b": ["a"], "c": ["a", "b"]}.get)
    {'a': 0, 'b': 1, 'c': 2}
    """
    keys = list(keys)
    known = set(keys)
    depth = {}
    for start in keys:
        if start in depth:
            continue
        stack, on_path = [(start, iter([p for p in parents(start) if p in known]))], {start}
        while stack:
            key, todo = stack[-1]
            p = next(todo, None)
            if p is None:
                stack.pop()
                on_path.discard(key)
                depth[key] = 1 + max((depth[q] for q in parents(key) if q in depth and q in known), default=-1)
            elif p not in depth and p not in on_path:
                on_path.add(p)
                stack.append((p, iter([q for q in parents(p) if q in known])))
    return {k: depth[k] for k in keys}


def _stage_depths(stages):
    return _longest_paths(stages, lambda sid: stages[sid]["parentIds"])


def dag_model(stage_infos, skipped=()):
    """The DAG as plain data with its layout (the ``dag`` field of the jobs MIME bundle, see
    protocol.md): one node per operator call per stage.

    `stage_infos`: StageInfo objects or their JSON form; `skipped`: ids of stages that will not run
    (the session store decides which: `job_dag`).

    >>> m = dag_model(sc.dagScheduler.previewStages(sc.parallelize([1, 2], 2).map(str)))  # doctest: +SKIP
    >>> [n["scope"] for n in m["nodes"]]                                                  # doctest: +SKIP
    ['parallelize', 'map']
    """
    skipped = set(skipped)
    infos = sorted(stage_infos, key=lambda s: _field(s, "stageId"))
    model_stages = {}
    frag_stage = {}    # fragment id -> stage id
    frag_info = {}     # fragment id -> (scope key, name, site, rdd info, is the RDD's last fragment)
    frag_edges = []    # (fragment id, fragment id)
    home = {}          # (stageId, rddId) -> last fragment of that RDD in that stage
    firsts = []        # (stageId, first fragment id, parent rdd ids)
    for s in infos:
        sid = _field(s, "stageId")
        kind = _field(s, "kind") or ("shuffleMap" if _field(s, "isShuffleMap") else "result")
        model_stages[sid] = {"stageId": sid, "kind": kind, "skipped": sid in skipped,
                             "numTasks": _field(s, "numTasks"), "parentIds": list(_field(s, "parentIds") or []),
                             "nodes": []}
        for r in sorted(_field(s, "rddInfos") or [], key=lambda r: _field(r, "id")):
            frags = _fragments(r)
            prev = None
            for n, (key, name, site) in enumerate(frags):
                fid = len(frag_info)
                frag_info[fid] = (key, name, site, r, n == len(frags) - 1)
                frag_stage[fid] = sid
                if prev is None:
                    firsts.append((sid, fid, list(_field(r, "parentIds") or [])))
                else:
                    frag_edges.append((prev, fid))
                prev = fid
            home[(sid, _field(r, "id"))] = prev
    for sid, fid, parent_ids in firsts:
        for pid in parent_ids:
            if (sid, pid) in home:
                frag_edges.append((home[(sid, pid)], fid))
                continue
            for parent_stage in model_stages[sid]["parentIds"]:
                if (parent_stage, pid) in home:
                    frag_edges.append((home[(parent_stage, pid)], fid))
                    break

    # one group per (stage, scope); an operator's map side joins its part in the stage reading
    # its shuffle, unless that would leave the map stage with nothing to draw
    groups = {}
    for fid, (key, *_rest) in frag_info.items():
        groups.setdefault((frag_stage[fid], key), []).append(fid)
    scope_stages = {}
    for sid, key in groups:
        scope_stages.setdefault(key, set()).add(sid)
    target = {}
    for (sid, key) in sorted(groups):
        readers = sorted(t for t in scope_stages[key] if sid in model_stages[t]["parentIds"])
        if readers:
            target[(sid, key)] = (readers[-1], key)

    def owner(g):
        seen = set()
        while g in target and g not in seen:
            seen.add(g)
            g = target[g]
        return g

    left = {}
    for g in groups:
        if owner(g) == g:
            left[g[0]] = left.get(g[0], 0) + 1
    for g in list(target):
        if not left.get(g[0]):
            del target[g]  # the stage would be empty: keep its part of the operator there
            left[g[0]] = 1
    node_of = {}
    members = {}
    for g, fids in groups.items():
        o = owner(g)
        members.setdefault(o, []).extend(fids)
        for fid in fids:
            node_of[fid] = o

    nodes, keys = [], {}
    for g in sorted(members, key=lambda g: (g[0], min(members[g]))):
        fids = sorted(members[g])
        out_fid = max((f for f in fids if frag_stage[f] == g[0]), default=fids[-1])
        _, name, site, r, last = frag_info[out_fid]
        key = "s%d_n%d" % (g[0], len(nodes))
        keys[g] = key
        rdd_ids = sorted({_field(frag_info[f][3], "id") for f in fids})
        nodes.append({
            "key": key, "stageId": g[0], "scope": name, "rddId": _field(r, "id"), "rddIds": rdd_ids,
            "name": _field(r, "name") or "", "callSite": short_site(site or _field(r, "callSite") or ""),
            "cached": bool(last and _cached(r)), "numPartitions": _field(r, "numPartitions"),
            "parentKeys": [],
        })
        model_stages[g[0]]["nodes"].append(key)
    by_key = {n["key"]: n for n in nodes}
    edges, seen = [], set()
    for a, b in frag_edges:
        ka, kb = keys[node_of[a]], keys[node_of[b]]
        if ka == kb or (ka, kb) in seen:
            continue
        seen.add((ka, kb))
        narrow = by_key[ka]["stageId"] == by_key[kb]["stageId"]
        if narrow:
            by_key[kb]["parentKeys"].append(ka)
        edges.append({"from": ka, "to": kb, "kind": "narrow" if narrow else "shuffle"})
    model = {"stages": [model_stages[s] for s in sorted(model_stages)], "nodes": nodes, "edges": edges}
    if frag_info:
        # the line the job came from: the action's (Spark names the result stage "collect at
        # file:line"), for a query its call chain or SQL text; else the last operator's
        last = infos[-1]
        site = (_field(last, "name") or "").rpartition(" at ")[2]
        if not _SITE.match(site) or not origin(site):
            site = frag_info[max(frag_info)][2]
        code = origin(site)
        if code:
            model["origin"] = {"callSite": short_site(site), "code": code}
    model["layout"] = layout(model)
    return model


def job_dag(store, job):
    """The DAG model of a job the store knows (`job` is its ``store.job_json``), its skipped
    stages as the store decided them."""
    skipped = [s["stageId"] for s in job["stages"] if s["status"] == "skipped"]
    return dag_model(store.job_stage_infos(job["jobId"]), skipped)


def _clip(s, n):
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def layout(model):
    """Where everything goes, in SVG user units (px at 100%): ``{"width", "height", "nodeW",
    "nodeH", "stages": {stageId: [x, y, w, h]}, "nodes": {key: [x, y]}, "edges": [path d, ...]
    (in the order of ``model["edges"]``), "labels": {key: [operator text, call-site text]}}``.

    >>> layout({"stages": [], "nodes": [], "edges": []})["width"]
    308
    """
    stages = {s["stageId"]: s for s in model["stages"]}
    nodes = {n["key"]: n for n in model["nodes"]}
    depth = _stage_depths(stages)
    columns = {}
    for sid in sorted(stages):
        columns.setdefault(depth[sid], []).append(sid)
    boxes, positions = {}, {}
    x = MARGIN
    for col in sorted(columns):
        y, col_w = MARGIN, 0
        for sid in columns[col]:
            keys = [k for k in stages[sid]["nodes"] if k in nodes]
            rank = _longest_paths(keys, lambda k: nodes[k]["parentKeys"])
            rows = {}
            for k in keys:
                rows.setdefault(rank[k], []).append(k)
            widest = max((len(r) for r in rows.values()), default=1)
            inner_w = widest * NODE_W + (widest - 1) * NODE_GAP_X
            # room for a narrow edge bowing past a row only where one does
            bows = any(rank.get(p, -1) < rank[k] - 1 for k in keys for p in nodes[k]["parentKeys"]
                       if p in rank)
            bow_room = BOW_ROOM if bows else 0
            w = max(inner_w + 2 * BOX_PAD + bow_room, 170)
            h = BOX_TITLE + BOX_PAD + max(len(rows), 1) * (NODE_H + NODE_GAP_Y) - NODE_GAP_Y + BOX_PAD
            boxes[sid] = [x, y, w, h]
            for r, ks in rows.items():
                row_w = len(ks) * NODE_W + (len(ks) - 1) * NODE_GAP_X
                nx = x + (w - bow_room - row_w) / 2
                for i, k in enumerate(ks):
                    positions[k] = [nx + i * (NODE_W + NODE_GAP_X), y + BOX_TITLE + r * (NODE_H + NODE_GAP_Y)]
            y += h + ROW_GAP
            col_w = max(col_w, w)
        x += col_w + COL_GAP
    width = max([b[0] + b[2] for b in boxes.values()] + [300]) + MARGIN
    height = max([b[1] + b[3] for b in boxes.values()] + [40]) + MARGIN
    paths = []
    for e in model["edges"]:
        (x1, y1), (x2, y2) = positions[e["from"]], positions[e["to"]]
        if e["kind"] == "narrow" and y2 - y1 > NODE_H + NODE_GAP_Y + 1:
            # skips a row: bow out to the right instead of crossing the nodes in between
            sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H / 2, x2 + NODE_W + 1, y2 + NODE_H / 2
            bow = max(sx, tx) + BOW_ROOM - 4
            paths.append("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (sx, sy, bow, sy, bow, ty, tx, ty))
        elif e["kind"] == "narrow" and abs(y2 - y1) < 1:
            paths.append("M%.1f,%.1f L%.1f,%.1f" % (x1 + NODE_W, y1 + NODE_H / 2, x2 - 1, y2 + NODE_H / 2))
        elif e["kind"] == "narrow":
            paths.append("M%.1f,%.1f L%.1f,%.1f" % (x1 + NODE_W / 2, y1 + NODE_H, x2 + NODE_W / 2, y2 - 1))
        else:
            sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H / 2, x2 - 1, y2 + NODE_H / 2
            mid = (sx + tx) / 2
            paths.append("M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" % (sx, sy, mid, sy, mid, ty, tx, ty))
    labels = {}
    for k, n in nodes.items():
        op, site = n["scope"], n["callSite"] or ""
        if len(op) > OP_CHARS and op.endswith(")") and " (" in op:
            # a physical operator's mode goes to the second line: HashAggregate / partial · <cell 4>:2
            op, mode = op[:-1].split(" (", 1)
            site = "%s \u00b7 %s" % (mode, site) if site else mode
        labels[k] = [_clip(op, OP_CHARS), _clip(site, SITE_CHARS)]
    return {"width": int(width), "height": int(height), "nodeW": NODE_W, "nodeH": NODE_H,
            "stages": {str(sid): [round(v, 1) for v in b] for sid, b in boxes.items()},
            "nodes": {k: [round(v, 1) for v in p] for k, p in positions.items()},
            "edges": paths, "labels": labels}


def stage_label(stage):
    """The title of a stage box: ``Stage 1 (skipped) · 4 tasks``."""
    label = "Stage %d%s" % (stage["stageId"], " (skipped)" if stage["skipped"] else "")
    if stage.get("numTasks") is not None:
        label += " \u00b7 %s task%s" % (stage["numTasks"], "" if stage["numTasks"] == 1 else "s")
    return label


def describe_node(n):
    """The hover text of a node: operator, its RDDs, where it was called, partitions, cached."""
    ids = n.get("rddIds") or [n["rddId"]]
    out = "%s [RDD %s]" % (n["scope"], ", ".join(map(str, ids)))
    if n.get("callSite"):
        out += " at " + n["callSite"]
    if n.get("numPartitions") is not None:
        out += " \u00b7 %s partition%s" % (n["numPartitions"], "" if n["numPartitions"] == 1 else "s")
    if n.get("cached"):
        out += " \u00b7 cached"
    return out


def origin_label(origin, chars=100):
    """The line above a DAG naming the code its job came from: ``from <cell 3>:2: df.groupBy("k")...``."""
    return _clip("from %s: %s" % (origin["callSite"], origin["code"]), max(chars, 20))


def _text(x, y, s, size, cls="", weight="normal", anchor="middle"):
    muted = ' fill-opacity="0.72"' if "sparklet-muted" in cls else ""
    mono = ' font-family="monospace"' if "sparklet-origin" in cls else ""
    return ('<text x="%.1f" y="%.1f" font-size="%d" font-weight="%s" text-anchor="%s" fill="currentColor"%s%s%s>%s</text>'
            % (x, y, size, weight, anchor, muted, mono, ' class="%s"' % cls if cls else "", escape(s)))


def render_svg(model, title=None, uid=None):
    """The model as a standalone SVG string: its own ids (``uid``, random unless given) for the
    arrow markers and the scoped style, a transparent background, a legend. It fits the width it
    is given (``max-width: 100%``) and is drawn at 100% where there is room."""
    lay = model.get("layout") or layout(model)
    uid = uid or uuid.uuid4().hex[:12]
    svg_id, arrow_n, arrow_s = "sparklet-dag-" + uid, "sparklet-arrow-n-" + uid, "sparklet-arrow-s-" + uid
    width = max(lay["width"], 520)
    lines = []
    if title:
        lines.append(_text(MARGIN, 16, title, FONT_TITLE, weight="bold", anchor="start"))
    if model.get("origin"):
        lines.append(_text(MARGIN, 16 + 20 * len(lines), origin_label(model["origin"], width // 7), FONT_SITE,
                           "sparklet-origin", anchor="start"))
    top = 22 * len(lines)
    total_h = top + lay["height"] + LEGEND_H
    nw, nh = lay["nodeW"], lay["nodeH"]
    marker = ('<marker id="%s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
              'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" %s/></marker>')
    out = ['<svg xmlns="http://www.w3.org/2000/svg" id="%s" class="sparklet-dag" width="%d" height="%d" '
           'viewBox="0 0 %d %d" style="max-width:100%%;height:auto" font-family="Helvetica, Arial, sans-serif">'
           % (svg_id, width, total_h, width, total_h),
           '<defs>%s%s</defs>' % (marker % (arrow_n, _ATTR["arrow_narrow"]), marker % (arrow_s, _ATTR["arrow_shuffle"]))]
    out.extend(lines)
    out.append('<g transform="translate(0,%d)">' % top)
    for s in model["stages"]:
        x, y, w, h = lay["stages"][str(s["stageId"])]
        out.append('<g class="sparklet-stage%s" data-stage-id="%d"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                   'rx="6" %s/>' % (" sparklet-skipped" if s["skipped"] else "", s["stageId"], x, y, w, h,
                                    _ATTR["skipped" if s["skipped"] else "stage"]))
        out.append(_text(x + 8, y + 16, stage_label(s), FONT_STAGE, "sparklet-muted" if s["skipped"] else "",
                         weight="bold", anchor="start"))
        out.append("</g>")
    for e, d in zip(model["edges"], lay["edges"]):
        narrow = e["kind"] == "narrow"
        out.append('<path class="sparklet-edge-%s" d="%s" %s marker-end="url(#%s)"/>'
                   % (e["kind"], d, _ATTR[e["kind"]], arrow_n if narrow else arrow_s))
    for n in model["nodes"]:
        x, y = lay["nodes"][n["key"]]
        op, site = lay["labels"][n["key"]]
        out.append('<g class="sparklet-rdd%s" data-rdd-id="%d" data-scope="%s"><title>%s</title>'
                   '<rect x="%.1f" y="%.1f" width="%d" height="%d" rx="4" %s/>'
                   % (" sparklet-cached" if n["cached"] else "", n["rddId"], escape(n["scope"]),
                      escape(describe_node(n)), x, y, nw, nh, _ATTR["cached" if n["cached"] else "node"]))
        out.append(_text(x + nw / 2, y + (17 if site else 25), op, FONT_OP, weight="bold"))
        if site:
            out.append(_text(x + nw / 2, y + 32, site, FONT_SITE, "sparklet-muted"))
        if n["cached"]:
            out.append('<circle class="sparklet-cached-mark" cx="%.1f" cy="%.1f" r="4" %s/>'
                       % (x + nw - 8, y + 8, _ATTR["cached_mark"]))
        out.append("</g>")
    out.append("</g>")
    ly = top + lay["height"] + 12
    out.append('<g class="sparklet-legend">')
    out.append('<path class="sparklet-edge-narrow" d="M10,%d L40,%d" %s marker-end="url(#%s)"/>'
               % (ly, ly, _ATTR["narrow"], arrow_n))
    out.append(_text(46, ly + 4, "narrow dependency", FONT_LEGEND, anchor="start"))
    out.append('<path class="sparklet-edge-shuffle" d="M158,%d L188,%d" %s marker-end="url(#%s)"/>'
               % (ly, ly, _ATTR["shuffle"], arrow_s))
    out.append(_text(194, ly + 4, "shuffle dependency", FONT_LEGEND, anchor="start"))
    out.append('<rect class="sparklet-legend-cached" x="310" y="%d" width="16" height="11" rx="2" %s/>'
               % (ly - 6, _ATTR["cached"]))
    out.append(_text(332, ly + 4, "cached RDD", FONT_LEGEND, anchor="start"))
    out.append('<rect class="sparklet-legend-skipped" x="406" y="%d" width="16" height="11" rx="2" %s/>'
               % (ly - 6, _ATTR["legend_skipped"]))
    out.append(_text(428, ly + 4, "skipped stage", FONT_LEGEND, anchor="start"))
    out.append("</g></svg>")
    return "".join(out)


class DagView:
    """What `show` returns: displays as SVG in a notebook, as a stage summary in a terminal."""

    def __init__(self, model, title):
        self.model = model
        self.title = title

    def _repr_html_(self):
        # inline, so that the drawing takes the page's theme (an <img> of the SVG could not)
        return '<div class="sparklet-dag-view">%s</div>' % render_svg(self.model, self.title)

    def _repr_svg_(self):
        return render_svg(self.model, self.title)

    def __repr__(self):
        lines = [self.title] if self.title else []
        nodes = {n["key"]: n for n in self.model["nodes"]}
        for s in self.model["stages"]:
            ops = " -> ".join(nodes[k]["scope"] for k in s["nodes"])
            lines.append("Stage %d%s: %s" % (s["stageId"], " (skipped)" if s["skipped"] else "", ops))
        return "\n".join(lines)


def show(rdd):
    """The DAG a job on `rdd` would run, drawn before running it.

    >>> sparklet_kernel.dag.show(words.map(lambda w: (w, 1)).reduceByKey(add))   # doctest: +SKIP
    """
    if not hasattr(rdd, "context") or not hasattr(rdd, "id"):
        raise TypeError("dag.show() needs an RDD, got %s" % type(rdd).__name__)
    model = dag_model(*(backend.active() or LocalBackend()).preview_stages(rdd))
    site = short_site(getattr(rdd, "callSite", "") or "")
    title = "DAG of RDD %d (%s%s): %d stage%s" % (
        rdd.id(), getattr(rdd, "scope", "") or "rdd", " at " + site if site else "",
        len(model["stages"]), "" if len(model["stages"]) == 1 else "s")
    return DagView(model, title)
