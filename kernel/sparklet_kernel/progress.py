"""Rendering a cell's jobs as one display bundle: the JSON state, self-contained HTML, plain text.

Pure functions of the cell state (see protocol.md for the JSON schema); no kernel needed. The HTML
uses inline styles and inline SVG only, so a saved notebook, nbconvert's HTML, VS Code and Notebook 7
show the final state without the kernel, JavaScript or widget state. The text form is Spark's console
progress bar, for `jupyter console` and terminal IPython.
"""

from html import escape

from .dag import render_svg
from .i18n import _, ngettext

MIME_TYPE = "application/vnd.sparklet.jobs+json"
SCHEMA_VERSION = 1
#: Rows kept in one cell's display; a cell running a loop of jobs shows its latest ones.
MAX_JOBS_SHOWN = 30

_STATUS_COLOR = {"running": "#1f6feb", "succeeded": "#1a7f37", "failed": "#cf222e", "cancelled": "#9a6700"}
_BAR = {"done": "#2da44e", "running": "#54aeff", "failed": "#cf222e"}


def human_bytes(n):
    n = float(n or 0)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0


def human_ms(ms):
    if ms is None:
        return ""
    if ms < 1000:
        return "%d ms" % ms
    if ms < 60000:
        return "%.1f s" % (ms / 1000.0)
    return "%d min %d s" % (ms // 60000, (ms % 60000) // 1000)


def _count(n):
    return "{:,}".format(n)


def bundle(cell_state):
    """The display bundle {mime: data} for one cell's jobs."""
    return {
        MIME_TYPE: cell_state,
        "text/html": render_html(cell_state),
        "text/plain": render_text(cell_state),
    }


# -- text ---------------------------------------------------------------------------------------

def stage_bar(stage, width=40):
    """Spark's console bar: ``[Stage 1:=======>          (45 + 2) / 100]``."""
    if stage["status"] == "skipped":
        return "[Stage %d: skipped]" % stage["stageId"]
    total = max(stage["numTasks"], 1)
    filled = int(width * stage["completed"] / total)
    bar = "=" * filled
    if filled < width:
        bar += ">" if stage["running"] else " "
        bar += " " * (width - filled - 1)
    extra = ""
    if stage["failed"]:
        extra += ", %d failed" % stage["failed"]
    if stage.get("killed"):
        extra += ", %d killed" % stage["killed"]
    if stage["retries"]:
        extra += ", %d retried" % stage["retries"]
    return "[Stage %d:%s (%d + %d) / %d%s]" % (stage["stageId"], bar, stage["completed"], stage["running"],
                                             stage["numTasks"], extra)


def render_text(cell_state):
    lines = []
    if cell_state.get("hiddenJobs"):
        lines.append(_("(%d earlier jobs of this cell not shown)") % cell_state["hiddenJobs"])
    for job in cell_state["jobs"]:
        head = _("Job %d (%s) %s in %s") % (job["jobId"], job["description"], _(job["status"]), human_ms(job["durationMs"]))
        if job["status"] == "running":
            head = _("Job %d (%s) running for %s") % (job["jobId"], job["description"], human_ms(job["durationMs"]))
        lines.append(head)
        for stage in job["stages"]:
            lines.append("  " + stage_bar(stage))
        if job["lostExecutors"]:
            lines.append("  lost executor%s %s" % ("" if len(job["lostExecutors"]) == 1 else "s",
                                                  ", ".join(job["lostExecutors"])))
        if job["error"]:
            lines.append("  " + job["error"].splitlines()[0])
    return "\n".join(lines)


# -- HTML ---------------------------------------------------------------------------------------

_TD = "padding:2px 8px;text-align:left;vertical-align:middle;border:none;white-space:nowrap;"
#: Muted text: JupyterLab's theme colour where it is defined, GitHub's grey elsewhere.
_MUTED = "var(--jp-ui-font-color2,#57606a)"
_TH = _TD + "font-weight:600;color:%s;font-size:11px;" % _MUTED


def _bar_html(stage):
    total = max(stage["numTasks"], 1)
    if stage["status"] == "skipped":
        return ('<div style="width:220px;height:12px;border:1px dashed #8c959f;border-radius:3px;'
                'background:#f6f8fa"></div>')
    parts = []
    for key, n in (("done", stage["completed"]), ("running", stage["running"]), ("failed", stage["failed"])):
        if n:
            pct = min(100.0, 100.0 * n / total)
            parts.append('<div style="float:left;height:100%%;width:%.2f%%;background:%s"></div>' % (pct, _BAR[key]))
    return ('<div style="width:220px;height:12px;border:1px solid #8c959f;border-radius:3px;background:#eaeef2;'
            'overflow:hidden">%s</div>' % "".join(parts))


def _stage_row(stage):
    kind = _("shuffle map") if stage["kind"] == "shuffleMap" else _("result")
    muted = stage["status"] == "skipped"
    color = "#8c959f" if muted else "inherit"
    if muted:
        tasks = _("skipped (shuffle output reused)")
    else:
        tasks = "%s/%s" % (_count(stage["completed"]), _count(stage["numTasks"]))
        if stage["running"]:
            tasks += " (%s)" % (_("%d running") % stage["running"])
        if stage["failed"]:
            tasks += ' <span style="color:#cf222e">%s</span>' % (_("%d failed") % stage["failed"])
        if stage.get("retries"):
            tasks += ' <span style="color:#9a6700">%s</span>' % (_("%d retried") % stage["retries"])
        if stage.get("killed"):
            tasks += ' <span style="color:#9a6700">%s</span>' % (_("%d killed") % stage["killed"])
    elapsed = ""
    if stage["submissionTime"] and not muted:
        end = stage["completionTime"] or stage.get("_now") or stage["submissionTime"]
        elapsed = human_ms(max(0, end - stage["submissionTime"]))
    shuffle_read = human_bytes(stage["shuffleReadBytes"]) if stage["shuffleReadBytes"] and not muted else ""
    shuffle_write = human_bytes(stage["shuffleWriteBytes"]) if stage["shuffleWriteBytes"] and not muted else ""
    records = _count(stage["inputRecords"]) if stage["inputRecords"] and not muted else ""
    cells = [
        "&nbsp;&nbsp;%s <span style=\"color:%s\">(%s)</span>" % (_("Stage %d") % stage["stageId"], _MUTED, kind),
        _bar_html(stage), tasks, elapsed, records, shuffle_read, shuffle_write,
    ]
    return ('<tr class="sparklet-stage-row" data-stage-id="%d" data-status="%s" style="color:%s">%s</tr>'
            % (stage["stageId"], stage["status"], color, "".join('<td style="%s">%s</td>' % (_TD, c) for c in cells)))


def _job_rows(job):
    color = _STATUS_COLOR.get(job["status"], "#57606a")
    done = _("%s/%s tasks") % (_count(job["numCompletedTasks"]), _count(job["numTasks"]))
    badge = ('<span style="display:inline-block;padding:0 6px;border-radius:8px;color:#fff;background:%s;'
             'font-size:11px">%s</span>' % (color, escape(_(job["status"]))))
    extra = []
    if job["numSkippedStages"]:
        n = job["numSkippedStages"]
        extra.append(ngettext("%d skipped stage", "%d skipped stages", n) % n)
    if job["lostExecutors"]:
        lost = job["lostExecutors"]
        extra.append('<span style="color:#cf222e">%s</span>'
                     % escape(ngettext("lost executor %s", "lost executors %s", len(lost)) % ", ".join(lost)))
    head = ('<tr class="sparklet-job-row" data-job-id="%d" data-status="%s" style="border-top:1px solid #d0d7de">'
            '<td style="%s" colspan="2"><b>%s</b> %s &nbsp;%s</td><td style="%s">%s</td><td style="%s">%s</td>'
            '<td style="%s" colspan="3">%s</td></tr>'
            % (job["jobId"], job["status"], _TD, _("Job %d") % job["jobId"], escape(job["description"]), badge, _TD, done, _TD,
               human_ms(job["durationMs"]), _TD, " &middot; ".join(extra)))
    now = (job["submissionTime"] or 0) + job["durationMs"]
    rows = [head]
    for stage in job["stages"]:
        rows.append(_stage_row(dict(stage, _now=now)))
    if job["error"]:
        rows.append('<tr><td colspan="7" style="%scolor:#cf222e;white-space:pre-wrap">%s</td></tr>'
                    % (_TD, escape(job["error"].splitlines()[0][:300])))
    dag = job.get("dag")
    if dag and dag["stages"]:
        n = len(dag["stages"])
        rows.append('<tr><td colspan="7" style="%s"><details class="sparklet-dag-details"><summary style="cursor:pointer;'
                    'color:%s">%s</summary><div style="overflow-x:auto">%s</div></details></td></tr>'
                    % (_TD, _MUTED, ngettext("DAG: %d stage", "DAG: %d stages", n) % n, render_svg(dag)))
    return rows


def render_html(cell_state):
    head = "".join('<th style="%s">%s</th>' % (_TH, _(h)) for h in
                   ("Job / stage", "Progress", "Tasks", "Elapsed", "Input records", "Shuffle read", "Shuffle write"))
    rows = []
    if cell_state.get("hiddenJobs"):
        rows.append('<tr><td colspan="7" style="%scolor:%s">%s</td></tr>'
                    % (_TD, _MUTED, _("%d earlier jobs of this cell not shown (%d of %d shown)")
                       % (cell_state["hiddenJobs"], len(cell_state["jobs"]),
                          len(cell_state["jobs"]) + cell_state["hiddenJobs"])))
    for job in cell_state["jobs"]:
        rows.extend(_job_rows(job))
    return ('<div class="sparklet-jobs" style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;'
            'font-size:12px;margin:2px 0"><table style="border-collapse:collapse;border:none;margin:0">'
            '<thead><tr>%s</tr></thead><tbody>%s</tbody></table></div>' % (head, "".join(rows)))


def render_task_output(lines, hidden):
    """Task output of one cell: text and HTML set apart from the driver's own output."""
    tag = _("[stage %d, partition %d]")
    more = _("... %d more lines of task output not shown (%%spark output shows all)")
    text_lines = ["%s %s" % (tag % (s, p), line) for s, p, stream, line in lines]
    if hidden:
        text_lines.append(more % hidden)
    # colours are JupyterLab's theme variables where defined (a dark theme gets a dark box), with
    # light fallbacks for nbconvert, VS Code and other frontends
    html_lines = []
    for s, p, stream, line in lines:
        color = "var(--jp-error-color1,#cf222e)" if stream == "stderr" else "var(--jp-content-font-color1,#24292f)"
        html_lines.append('<div><span class="sparklet-task-tag" style="color:var(--jp-ui-font-color2,#6e7781)">%s</span> '
                          '<span data-stream="%s" style="color:%s">%s</span></div>'
                          % (tag % (s, p), stream, color, escape(line)))
    if hidden:
        html_lines.append('<div style="color:var(--jp-ui-font-color2,#6e7781);font-style:italic">%s</div>'
                          % escape(more.replace("...", "\u2026", 1) % hidden))
    html = ('<div class="sparklet-task-output" style="border-left:3px solid var(--jp-border-color1,#8c959f);'
            'padding:2px 8px;margin:2px 0;background:var(--jp-layout-color2,#f6f8fa);'
            'color:var(--jp-content-font-color1,#24292f);font-family:SFMono-Regular,Menlo,Consolas,monospace;font-size:12px">'
            '<div style="color:var(--jp-ui-font-color2,#57606a);font-family:Helvetica,Arial,sans-serif;font-size:11px">'
            '%s</div>%s</div>' % (escape(_("printed by tasks on executors")), "".join(html_lines)))
    return {"text/plain": "\n".join(text_lines), "text/html": html}

