"""One job as the lab panel's job view shows it (its DAG, task spans, running task attempts and
per-stage task durations): the same reply for a live session's store and a replayed event log's."""

import statistics

from .dag import job_dag

#: Task spans sent for one job's timeline; a bigger job's spans are sampled evenly (a lane a few
#: hundred pixels wide cannot show more, and the reply must stay small while the job runs).
MAX_TIMELINE_SPANS = 2000


def job_detail(store, job_id):
    """One job with its DAG, its task spans (sampled past MAX_TIMELINE_SPANS), its running task
    attempts and per-stage task duration quartiles, for the panel's job view; None if the store
    does not know the job.

    >>> from sparklet_kernel.history import HistoryStore
    >>> job_detail(HistoryStore(), 0) is None
    True
    """
    job = store.job_json(job_id) if store is not None else None
    if job is None:
        return None
    job["dag"] = job_dag(store, job)
    spans = store.task_spans(job_id)
    by_stage = {}
    for span in spans:
        by_stage.setdefault(span.stageId, []).append(span.duration)
    durations = []
    for stage_id, ds in sorted(by_stage.items()):
        q = statistics.quantiles(ds, n=4, method="inclusive") if len(ds) > 1 else [ds[0]] * 3
        durations.append({"stageId": stage_id, "count": len(ds), "min": min(ds), "p25": q[0],
                          "median": q[1], "p75": q[2], "max": max(ds)})
    step = max(1, -(-len(spans) // MAX_TIMELINE_SPANS))
    shown = sorted(spans, key=lambda s: s.launchTime)[::step]
    return {
        "job": job,
        "spans": [[s.stageId, s.partition, s.attempt, s.executorId, s.launchTime, s.finishTime, s.status, s.error]
                  for s in shown],
        "running": [list(task) for task in store.running_tasks(job_id)],
        "totalTasks": len(spans),
        "durations": durations,
    }
