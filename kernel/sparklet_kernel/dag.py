"""A job's DAG drawn as SVG by this package: the user's operators grouped into stages.

The input is the scheduler's own plan, a list of `StageInfo` (from a job-start event, or from
``sc.dagScheduler.previewStages(rdd)`` before anything runs). Each stage's `rddInfos` are the RDDs
its tasks pipeline; an RDD whose parent lives in another stage reads that stage's shuffle output.
So the drawing shows exactly what Spark's UI shows: stage boxes cut at shuffle boundaries, narrow
dependencies inside a stage (solid), shuffle dependencies between stages (dashed), cached RDDs and
skipped stages marked.

Layout is deliberately simple and deterministic: stages in columns by their depth in the stage
graph (sources on the left), operators inside a stage top to bottom in lineage order.
"""

from html import escape

from . import backend
from .local_backend import LocalBackend
from .source import short_site
from .state import is_cached

NODE_W, NODE_H = 150, 38
NODE_GAP_X, NODE_GAP_Y = 14, 22
BOX_PAD, BOX_TITLE = 12, 22
COL_GAP, ROW_GAP = 56, 18
LEGEND_H = 34
BOW_ROOM = 30  # right of the nodes, for narrow edges that skip a row

COLORS = {
    "node": "#e8f1fb", "node_stroke": "#4a7ab5", "cached": "#d6f5d6", "cached_stroke": "#2e8b2e",
    "box": "#fbfbfb", "box_stroke": "#9aa5b1", "skipped": "#f1f1f1", "narrow": "#4a4a4a",
    "shuffle": "#d9822b", "text": "#1f2328", "muted": "#6b7280",
}


def _field(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _cached(rdd):
    if isinstance(rdd, dict) and "cached" in rdd:
        return bool(rdd["cached"])
    return is_cached(_field(rdd, "storageLevel"))


def dag_model(stage_infos, skipped=()):
    """The DAG as plain data (the ``dag`` field of the jobs MIME bundle, see protocol.md).

    `stage_infos`: StageInfo objects or their JSON form; `skipped`: ids of stages that will not run
    (the session store decides which: `job_dag`).
    """
    skipped = set(skipped)
    stages = sorted(stage_infos, key=lambda s: _field(s, "stageId"))
    by_id = {_field(s, "stageId"): s for s in stages}
    model_stages, nodes, edges = [], [], []
    home = {}  # (stageId, rddId) -> node key, to find a shuffle parent in a parent stage
    for s in stages:
        sid = _field(s, "stageId")
        is_skipped = sid in skipped
        kind = _field(s, "kind") or ("shuffleMap" if _field(s, "isShuffleMap") else "result")
        rdds = sorted(_field(s, "rddInfos") or [], key=lambda r: _field(r, "id"))
        keys = []
        for r in rdds:
            rid = _field(r, "id")
            key = "s%d_r%d" % (sid, rid)
            home[(sid, rid)] = key
            # A PipelinedRDD made of several operators (map().filter(), fused as PySpark fuses
            # them) is one RDD: one node per operator, all with its id, the last one standing for
            # the RDD (its children's edges and its cache mark start there).
            operators = [tuple(op) for op in _field(r, "operators") or []] or [(None, None)]
            for i, (op, site) in enumerate(operators):
                last = i == len(operators) - 1
                node_key = key if last else "%s_op%d" % (key, i)
                keys.append(node_key)
                nodes.append({
                    "key": node_key, "rddId": rid, "stageId": sid,
                    "scope": op or _field(r, "scope") or _field(r, "name") or "rdd",
                    "name": _field(r, "name") or "",
                    "callSite": short_site((site if op else None) or _field(r, "callSite") or ""),
                    "cached": _cached(r) if last else False, "numPartitions": _field(r, "numPartitions"),
                    "parentIds": list(_field(r, "parentIds") or []) if i == 0 else [rid],
                    "parentKeys": [] if i == 0 else [keys[-2]],
                })
        model_stages.append({"stageId": sid, "kind": kind, "skipped": is_skipped,
                             "numTasks": _field(s, "numTasks"), "parentIds": list(_field(s, "parentIds") or []),
                             "nodes": keys})
    for node in nodes:
        sid = node["stageId"]
        if node["parentKeys"]:  # an operator fused after another one of the same RDD
            edges.append({"from": node["parentKeys"][0], "to": node["key"], "kind": "narrow"})
            continue
        for pid in node["parentIds"]:
            if (sid, pid) in home:
                node["parentKeys"].append(home[(sid, pid)])
                edges.append({"from": home[(sid, pid)], "to": node["key"], "kind": "narrow"})
                continue
            for parent_stage in _field(by_id[sid], "parentIds") or []:
                if (parent_stage, pid) in home:
                    edges.append({"from": home[(parent_stage, pid)], "to": node["key"], "kind": "shuffle"})
                    break
    return {"stages": model_stages, "nodes": nodes, "edges": edges}


def job_dag(store, job):
    """The DAG model of a job the store knows (`job` is its ``store.job_json``), its skipped
    stages as the store decided them."""
    skipped = [s["stageId"] for s in job["stages"] if s["status"] == "skipped"]
    return dag_model(store.job_stage_infos(job["jobId"]), skipped)


def _layout(model):
    stages = {s["stageId"]: s for s in model["stages"]}
    nodes = {n["key"]: n for n in model["nodes"]}
    depth = {}

    def stage_depth(sid, seen=()):
        if sid not in depth:
            parents = [p for p in stages[sid]["parentIds"] if p in stages and p not in seen]
            depth[sid] = 1 + max((stage_depth(p, seen + (sid,)) for p in parents), default=-1)
        return depth[sid]

    columns = {}
    for sid in stages:
        columns.setdefault(stage_depth(sid), []).append(sid)

    boxes, positions = {}, {}
    x = 8
    for col in sorted(columns):
        y = 8
        col_w = 0
        for sid in sorted(columns[col]):
            keys = stages[sid]["nodes"]
            in_stage = {nodes[k]["rddId"]: k for k in keys}
            rank = {}

            def parent_keys(k):
                if "parentKeys" in nodes[k]:
                    return [p for p in nodes[k]["parentKeys"] if p in nodes]
                return [in_stage[p] for p in nodes[k]["parentIds"] if p in in_stage]

            def node_rank(k, seen=()):
                if k not in rank:
                    ps = [p for p in parent_keys(k) if p not in seen]
                    rank[k] = 1 + max((node_rank(p, seen + (k,)) for p in ps), default=-1)
                return rank[k]

            rows = {}
            for k in keys:
                rows.setdefault(node_rank(k), []).append(k)
            widest = max((len(r) for r in rows.values()), default=1)
            inner_w = widest * NODE_W + (widest - 1) * NODE_GAP_X
            w = max(inner_w + 2 * BOX_PAD + BOW_ROOM, 170)
            h = BOX_TITLE + BOX_PAD + max(len(rows), 1) * (NODE_H + NODE_GAP_Y) - NODE_GAP_Y + BOX_PAD
            boxes[sid] = (x, y, w, h)
            for r, ks in rows.items():
                row_w = len(ks) * NODE_W + (len(ks) - 1) * NODE_GAP_X
                nx = x + (w - BOW_ROOM - row_w) / 2
                for i, k in enumerate(sorted(ks, key=lambda k: nodes[k]["rddId"])):
                    positions[k] = (nx + i * (NODE_W + NODE_GAP_X), y + BOX_TITLE + BOX_PAD + r * (NODE_H + NODE_GAP_Y))
            y += h + ROW_GAP
            col_w = max(col_w, w)
        x += col_w + COL_GAP
    width = max([b[0] + b[2] for b in boxes.values()] + [300]) + 8
    height = max([b[1] + b[3] for b in boxes.values()] + [40]) + 8
    return boxes, positions, width, height


def _text(x, y, s, size=11, weight="normal", color=COLORS["text"], anchor="middle", italic=False):
    style = ' font-style="italic"' if italic else ""
    return ('<text x="%.1f" y="%.1f" font-size="%d" font-weight="%s" fill="%s" text-anchor="%s"%s>%s</text>'
            % (x, y, size, weight, color, anchor, style, escape(s)))


def _clip(s, n):
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def render_svg(model, title=None):
    """The model as a standalone SVG string (inline styles only, white background, legend)."""
    boxes, positions, width, height = _layout(model)
    top = 22 if title else 0
    total_h = top + height + LEGEND_H
    width = max(width, 520)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" class="sparklet-dag" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif">' % (width, total_h, width, total_h),
           '<defs>'
           '<marker id="sparklet-arrow-n" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>'
           '<marker id="sparklet-arrow-s" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>'
           '</defs>' % (COLORS["narrow"], COLORS["shuffle"]),
           '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, total_h)]
    if title:
        out.append(_text(8, 16, title, size=12, weight="bold", anchor="start"))
    out.append('<g transform="translate(0,%d)">' % top)
    nodes = {n["key"]: n for n in model["nodes"]}
    for s in model["stages"]:
        x, y, w, h = boxes[s["stageId"]]
        fill = COLORS["skipped"] if s["skipped"] else COLORS["box"]
        dash = ' stroke-dasharray="5,4"' if s["skipped"] else ""
        out.append('<g class="sparklet-stage" data-stage-id="%d"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                   'rx="6" fill="%s" stroke="%s"%s/>' % (s["stageId"], x, y, w, h, fill, COLORS["box_stroke"], dash))
        label = "Stage %d%s" % (s["stageId"], " (skipped)" if s["skipped"] else "")
        if s.get("numTasks") is not None:
            label += " \u00b7 %s tasks" % s["numTasks"]
        out.append(_text(x + 8, y + 15, label, size=11, weight="bold",
                         color=COLORS["muted"] if s["skipped"] else COLORS["text"], anchor="start"))
        out.append("</g>")
    for e in model["edges"]:
        (x1, y1), (x2, y2) = positions[e["from"]], positions[e["to"]]
        if e["kind"] == "narrow" and y2 - y1 > NODE_H + NODE_GAP_Y + 1:
            # skips a row: bow out to the right instead of crossing the nodes in between
            sx, sy, tx, ty = x1 + NODE_W, y1 + NODE_H / 2, x2 + NODE_W + 1, y2 + NODE_H / 2
            bow = max(sx, tx) + BOW_ROOM - 4
            out.append('<path class="sparklet-edge-narrow" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" '
                       'stroke="%s" stroke-width="1.4" marker-end="url(#sparklet-arrow-n)"/>'
                       % (sx, sy, bow, sy, bow, ty, tx, ty, COLORS["narrow"]))
        elif e["kind"] == "narrow":
            out.append('<line class="sparklet-edge-narrow" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                       'stroke-width="1.4" marker-end="url(#sparklet-arrow-n)"/>'
                       % (x1 + NODE_W / 2, y1 + NODE_H, x2 + NODE_W / 2, y2 - 1, COLORS["narrow"]))
        else:
            sx, sy = x1 + NODE_W, y1 + NODE_H / 2
            tx, ty = x2 - 1, y2 + NODE_H / 2
            mid = (sx + tx) / 2
            out.append('<path class="sparklet-edge-shuffle" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" fill="none" '
                       'stroke="%s" stroke-width="1.6" stroke-dasharray="6,4" marker-end="url(#sparklet-arrow-s)"/>'
                       % (sx, sy, mid, sy, mid, ty, tx, ty, COLORS["shuffle"]))
    for key, (x, y) in positions.items():
        n = nodes[key]
        fill, stroke = (COLORS["cached"], COLORS["cached_stroke"]) if n["cached"] else (COLORS["node"], COLORS["node_stroke"])
        tip = "%s [%d]%s%s" % (n["scope"], n["rddId"], " at " + n["callSite"] if n["callSite"] else "",
                                " (cached)" if n["cached"] else "")
        out.append('<g class="sparklet-rdd" data-rdd-id="%d"><title>%s</title>'
                   '<rect x="%.1f" y="%.1f" width="%d" height="%d" rx="4" fill="%s" stroke="%s"/>'
                   % (n["rddId"], escape(tip), x, y, NODE_W, NODE_H, fill, stroke))
        out.append(_text(x + NODE_W / 2, y + 15, _clip("%s [%d]" % (n["scope"], n["rddId"]), 24), size=12, weight="bold"))
        if n["callSite"]:
            out.append(_text(x + NODE_W / 2, y + 30, _clip(n["callSite"], 28), size=10, color=COLORS["muted"]))
        if n["cached"]:
            out.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>' % (x + NODE_W - 8, y + 8, COLORS["cached_stroke"]))
        out.append("</g>")
    out.append("</g>")
    ly = top + height + 12
    out.append('<g class="sparklet-legend">')
    out.append('<line x1="10" y1="%d" x2="40" y2="%d" stroke="%s" stroke-width="1.4" marker-end="url(#sparklet-arrow-n)"/>'
               % (ly, ly, COLORS["narrow"]))
    out.append(_text(46, ly + 4, "narrow dependency", size=10, anchor="start"))
    out.append('<line x1="150" y1="%d" x2="180" y2="%d" stroke="%s" stroke-width="1.6" stroke-dasharray="6,4" '
               'marker-end="url(#sparklet-arrow-s)"/>' % (ly, ly, COLORS["shuffle"]))
    out.append(_text(186, ly + 4, "shuffle dependency", size=10, anchor="start"))
    out.append('<rect x="296" y="%d" width="16" height="11" rx="2" fill="%s" stroke="%s"/>'
               % (ly - 6, COLORS["cached"], COLORS["cached_stroke"]))
    out.append(_text(318, ly + 4, "cached RDD", size=10, anchor="start"))
    out.append('<rect x="392" y="%d" width="16" height="11" rx="2" fill="%s" stroke="%s" stroke-dasharray="3,2"/>'
               % (ly - 6, COLORS["skipped"], COLORS["box_stroke"]))
    out.append(_text(414, ly + 4, "skipped stage", size=10, anchor="start"))
    out.append("</g></svg>")
    return "".join(out)


class DagView:
    """What `show` returns: displays as SVG in a notebook, as a stage summary in a terminal."""

    def __init__(self, model, title):
        self.model = model
        self.title = title

    def _repr_svg_(self):
        return render_svg(self.model, self.title)

    def __repr__(self):
        lines = [self.title] if self.title else []
        nodes = {n["key"]: n for n in self.model["nodes"]}
        for s in self.model["stages"]:
            ops = " -> ".join("%s[%d]" % (nodes[k]["scope"], nodes[k]["rddId"]) for k in s["nodes"])
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
