"""The task timeline of a job, drawn with matplotlib: one lane per task slot of each executor, one
bar per task. (A Sparklet executor runs one task at a time; a Spark executor runs as many as it has
cores, and local mode's one executor, ``driver``, has all of them.)

A straggler is a task that took much longer than its stage's median (more than twice, and at least
100 ms more): the usual sign of skewed partitions, which is what this chart is for teaching.
"""

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


def timeline_figure(spans, title, cores=None):
    """A matplotlib Figure (Agg; no GUI) of the spans of one job (`cores` as for `task_slots`)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

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
    palette = ["#4c78a8", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#9d755d", "#bab0ac", "#ff9da6"]
    color = {sid: palette[i % len(palette)] for i, sid in enumerate(stage_ids)}
    fig = Figure(figsize=(9, 1.2 + 0.45 * len(lanes)))
    ax = fig.add_subplot(1, 1, 1)
    for stage_id, task_id, part, attempt, executor, launch, finish, status in spans:
        is_slow = task_id in slow
        ax.barh(lane[slot_of[task_id]], max(finish - launch, 1) / 1000.0, left=(launch - t0) / 1000.0, height=0.7,
                color="#e45756" if status != "SUCCESS" else color[stage_id],
                edgecolor="#d62728" if is_slow else "white", linewidth=2.0 if is_slow else 0.5)
    ax.set_yticks(range(len(lanes)))
    ax.set_yticklabels(["executor %s, slot %d" % (e, slot + 1) if e in several else "executor %s" % e
                        for e, slot in lanes])
    ax.invert_yaxis()
    ax.set_xlabel("seconds since the job's first task started")
    ax.set_title(title)
    handles = [Patch(color=color[s], label="stage %d" % s) for s in stage_ids]
    handles.append(Patch(facecolor="white", edgecolor="#d62728", linewidth=2, label="straggler"))
    if any(s.status != "SUCCESS" for s in spans):
        handles.append(Patch(color="#e45756", label="failed task"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def timeline_png(spans, title, cores=None):
    """`timeline_figure` as PNG bytes, the form the magics display."""
    import io

    buf = io.BytesIO()
    timeline_figure(spans, title, cores).savefig(buf, format="png", dpi=90)
    return buf.getvalue()
