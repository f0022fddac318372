"""The task timeline of a job, drawn with matplotlib: one lane per task slot of each executor, one
bar per task. (A Sparklet executor runs one task at a time; a Spark executor runs as many as it has
cores, and local mode's one executor, ``driver``, has all of them.)

A straggler is a task that took much longer than its stage's median (more than twice, and at least
100 ms more): the usual sign of skewed partitions, which is what this chart is for teaching.
"""

import re
import statistics

from .state import TaskSpan

STRAGGLER_FACTOR = 2.0
STRAGGLER_MIN_EXTRA_MS = 100


def stragglers(spans):
    """Task ids whose duration stands out in their stage (spans: `state.TaskSpan` or its tuple)."""
    by_stage = {}
    for span in map(TaskSpan._make, spans):
        by_stage.setdefault(span.stageId, []).append(span)
    out = set()
    for stage_spans in by_stage.values():
        durations = [s.duration for s in stage_spans]
        if len(durations) < 3:
            continue
        median = statistics.median(durations)
        for s, d in zip(stage_spans, durations):
            if d > STRAGGLER_FACTOR * median and d - median >= STRAGGLER_MIN_EXTRA_MS:
                out.add(s.taskId)
    return out


def task_slots(spans, cores=None):
    """{taskId: (executorId, slot)}: each executor's tasks in launch order, each on a slot that is
    free by then. An executor with a known core count (`cores`: {executorId: cores}) has that many
    slots, and a task finding none free takes the one that frees first: Spark records a task's end
    when the driver has its result, a little after the executor started the next task on that core.
    """
    slots = {}
    ends = {}  # executorId -> [end of the latest task on each slot]
    for span in sorted(map(TaskSpan._make, spans), key=lambda s: (s.launchTime, s.taskId)):
        executor, launch, finish = span.executorId, span.launchTime, span.finishTime
        finishes = ends.setdefault(executor, [])
        free = [i for i, end in enumerate(finishes) if end <= launch]
        if free:
            slot = free[0]
        elif len(finishes) < ((cores or {}).get(executor) or float("inf")):
            slot = len(finishes)
        else:
            slot = min(range(len(finishes)), key=finishes.__getitem__)
        if slot == len(finishes):
            finishes.append(finish)
        else:
            finishes[slot] = finish
        slots[span.taskId] = (executor, slot)
    return slots


#: the colours of the lab panel's timeline (labextension/src/timeline.ts), one per stage
PALETTE = ["#4c78a8", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#9d755d", "#bab0ac", "#ff9da6"]
FAILED = "#cf222e"
STRAGGLER = "#d9822b"
#: Text, axes and grid are drawn in this colour, then, in the inline SVG, turned into the page's
#: text colour (``currentColor``): JupyterLab's light or dark theme. A PNG cannot follow the page,
#: so it gets a mid grey that reads on white and on black; both have transparent backgrounds.
_INK_MARK = "#010203"
PNG_INK = "#808080"


def _tick_label(ms, _pos=None):
    from .progress import human_ms
    return "0" if ms <= 0 else human_ms(ms)


def timeline_figure(spans, title, cores=None, ink=PNG_INK):
    """A matplotlib Figure (Agg; no GUI) of the spans of one job (`cores` as for `task_slots`):
    time in the job displays' units (``250 ms``, ``1.5 s``), stage colours as in the lab panel,
    `ink` the colour of text and axes, a transparent background."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    spans = [TaskSpan._make(s) for s in spans]
    if not spans:
        raise ValueError("the job has no finished tasks to draw")
    slot_of = task_slots(spans, cores)
    lanes = sorted(set(slot_of.values()), key=lambda es: (len(es[0]), es))
    lane = {es: i for i, es in enumerate(lanes)}
    several = {e for e, slot in lanes if slot > 0}
    t0 = min(s.launchTime for s in spans)
    slow = stragglers(spans)
    stage_ids = sorted({s.stageId for s in spans})
    color = {sid: PALETTE[i % len(PALETTE)] for i, sid in enumerate(stage_ids)}
    fig = Figure(figsize=(9, 1.2 + 0.45 * len(lanes)))
    fig.patch.set_alpha(0)
    ax = fig.add_subplot(1, 1, 1)
    ax.patch.set_alpha(0)
    for stage_id, task_id, part, attempt, executor, launch, finish, status in spans:
        is_slow = task_id in slow
        ax.barh(lane[slot_of[task_id]], max(finish - launch, 1), left=launch - t0, height=0.7,
                color=FAILED if status != "SUCCESS" else color[stage_id],
                edgecolor=STRAGGLER if is_slow else "none", linewidth=2.0 if is_slow else 0)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(["executor %s, slot %d" % (e, slot + 1) if e in several else "executor %s" % e
                        for e, slot in lanes], fontsize=11)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=[1, 2, 2.5, 5, 10], min_n_ticks=2))
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_label))
    ax.set_xlim(left=0)
    ax.set_xlabel("time since the job's first task started", fontsize=11, color=ink)
    ax.set_title(title, fontsize=12, color=ink, loc="left")
    ax.tick_params(colors=ink, labelsize=11)
    for spine in ax.spines.values():
        spine.set_color(ink)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    handles = [Patch(color=color[s], label="stage %d" % s) for s in stage_ids]
    handles.append(Patch(facecolor="none", edgecolor=STRAGGLER, linewidth=2, label="straggler"))
    if any(s.status != "SUCCESS" for s in spans):
        handles.append(Patch(color=FAILED, label="failed task"))
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=11, frameon=False)
    for text in legend.get_texts():
        text.set_color(ink)
    fig.tight_layout()
    return fig


def timeline_png(spans, title, cores=None):
    """`timeline_figure` as PNG bytes (transparent, mid-grey text)."""
    import io

    buf = io.BytesIO()
    timeline_figure(spans, title, cores).savefig(buf, format="png", dpi=90, transparent=True)
    return buf.getvalue()


def timeline_svg(spans, title, cores=None):
    """`timeline_figure` as an inline SVG string whose text and axes take the page's text colour,
    with ids of its own (a page may hold several) and a width that fits its container."""
    import io
    import uuid

    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        timeline_figure(spans, title, cores, ink=_INK_MARK).savefig(buf, format="svg", transparent=True)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = text.replace(_INK_MARK, "currentColor")
    # matplotlib numbers its ids from 1 in every figure (figure_1, the clip paths' ...): prefix them
    prefix = "sparklet-tl-%s-" % uuid.uuid4().hex[:12]
    text = re.sub(r'( id="|url\(#|href="#)', lambda m: m.group(1) + prefix, text)
    return text.replace("<svg ", '<svg class="sparklet-timeline-figure" style="max-width:100%;height:auto" ', 1)


def timeline_bundle(spans, title, cores=None):
    """What ``%spark timeline`` displays: the inline SVG (HTML, themed) and the PNG for viewers
    that show no HTML."""
    return {"text/html": '<div class="sparklet-timeline-view">%s</div>' % timeline_svg(spans, title, cores),
            "image/png": timeline_png(spans, title, cores), "text/plain": title}
