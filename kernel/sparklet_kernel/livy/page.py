"""The page behind a Livy session's ``appInfo.sparkUiUrl``: its jobs, stages and DAGs per statement.

Each statement's jobs are drawn with the same self-contained HTML the kernel saves under a
notebook cell (``progress.render_html`` over job records from the session's ``SessionStore``,
with ``dag.dag_model`` for the DAG), so sparkmagic's "Spark UI" link shows what Sparklet's own
notebooks show. The page reloads itself every two seconds while a statement runs.
"""

from html import escape

from .. import progress
from ..dag import dag_model

#: statements shown, most recent first
MAX_STATEMENTS = 50


def job_with_dag(store, job_id):
    """A job record of `store` (protocol.md's schema) with its DAG, or None if forgotten."""
    job = store.job_json(job_id)
    if job is None:
        return None
    skipped = [s["stageId"] for s in job["stages"] if s["status"] == "skipped"]
    job["dag"] = dag_model(store.job_stage_infos(job_id), skipped)
    return job


def jobs_by_statement(statements):
    """{sid: [job ids]} plus the jobs no statement claims, per store. A job belongs to the
    statement whose job group it carries, else to the statement running when it started."""
    claimed, other = {}, []
    for store in {id(r["store"]): r["store"] for r in statements if r["store"] is not None}.values():
        mine = [r for r in statements if r["store"] is store]
        for job_id in store.job_ids():
            origin = store.job_origin(job_id)
            if origin is None:
                continue
            group, started = origin
            owner = None
            if group:
                owner = next((r for r in mine if r["group"] == group), None)
            if owner is None:
                owner = next((r for r in mine if r["started"] <= started and (r["ended"] is None or started <= r["ended"])),
                             None)
            if owner is None:
                other.append((store, job_id))
            else:
                claimed.setdefault(owner["sid"], []).append((store, job_id))
    return claimed, other


def _jobs_html(pairs, label):
    shown = pairs[-progress.MAX_JOBS_SHOWN:]
    jobs = [j for j in (job_with_dag(store, job_id) for store, job_id in shown) if j is not None]
    state = {"version": progress.SCHEMA_VERSION, "executionCount": None, "groupId": label,
             "hiddenJobs": len(pairs) - len(shown), "jobs": jobs}
    return progress.render_html(state)


def render_session_page(title, sc, statements, running_sid):
    """The whole HTML page for one session."""
    claimed, other = jobs_by_statement(statements)
    sections = []
    for record in reversed(statements):
        pairs = claimed.get(record["sid"])
        if not pairs:
            continue
        code = record["code"] if len(record["code"]) <= 2000 else record["code"][:2000] + "\n..."
        status = " (running)" if record["sid"] == running_sid else ""
        sections.append('<section><h3>Statement %d%s</h3><pre style="background:#f6f8fa;padding:6px;'
                        'max-height:8em;overflow:auto">%s</pre>%s</section>'
                        % (record["sid"], status, escape(code), _jobs_html(pairs, record["group"])))
        if len(sections) >= MAX_STATEMENTS:
            break
    if other:
        sections.append("<section><h3>Jobs started outside a statement</h3>%s</section>" % _jobs_html(other, "other"))
    if not sections:
        sections.append('<p style="color:#57606a">No jobs yet: the statements of this session have run none.</p>')
    if sc is not None:
        executors = len(sc.executors)
        info = ("application <code>%s</code> &middot; master <code>%s</code> &middot; %d executor%s"
                % (escape(sc.applicationId), escape(sc.master), executors, "" if executors == 1 else "s"))
    else:
        info = "no active SparkContext"
    refresh = '<meta http-equiv="refresh" content="2">' if running_sid is not None else ""
    return ('<!DOCTYPE html><html><head><meta charset="utf-8">%s<title>%s</title></head>'
            '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:16px">'
            '<h2 style="margin:0 0 4px 0">%s</h2><p style="color:#57606a;margin:0 0 12px 0">%s</p>%s</body></html>'
            % (refresh, escape(title), escape(title), info, "".join(sections)))
