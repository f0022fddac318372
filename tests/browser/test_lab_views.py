"""The views a student is told to look at, in a real JupyterLab and browser (issue 18's frontend,
issue 22's panel action): the tutorials' own cells for the per-stage metrics of the cell display
(notebook 04's shuffle writes, notebook 06's lost executor and retried tasks), a display finalised
after a kernel restart (and saved so), the Spark panel at JupyterLab's default sidebar width with
nothing clipped, a Korean notebook's views in Korean, the dark theme, and the panel replaying an
event log written by real Apache Spark. Each test keeps a screenshot in artifacts/ (views-*.png).
"""

import json
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from test_lab import ARTIFACTS, open_panel, record, run_cell, wait_cell_done, wait_kernel_idle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
THEME_SETTINGS = "@jupyterlab/apputils-extension:themes"


def put_notebook(lab, source, name):
    """A tutorial notebook (and its data folder) in the server's root; returns its lab URL."""
    target = lab.root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    data = target.parent / "data"
    if not data.exists():
        shutil.copytree(NOTEBOOKS / "data", data)
    return "%s/lab/tree/%s?token=%s" % (lab.url, name, lab.token)


def run_all(page, timeout=240_000):
    """Run every cell (Run ▸ Run All Cells) and wait for the last execution to end."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    busy = page.locator(".jp-NotebookPanel:visible .jp-InputArea-prompt", has_text="[*]")
    expect(busy).not_to_have_count(0, timeout=30_000)
    expect(busy).to_have_count(0, timeout=timeout)


def code_cell(page, text):
    """The code cell whose source contains `text`."""
    cell = page.locator(".jp-NotebookPanel:visible .jp-CodeCell").filter(
        has=page.locator(".cm-content", has_text=text))
    expect(cell).to_have_count(1)
    return cell


UNITS = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3}


def shuffle_written(stage):
    """(bytes, records) a stage wrote to the shuffle, read from the cell display's text."""
    text = stage.locator(".sparklet-metric-shuffle-write").text_content()
    m = re.search(r"shuffle write ([\d.]+) (B|KiB|MiB|GiB) / ([\d,]+) record", text)
    assert m, text
    return float(m.group(1)) * UNITS[m.group(2)], int(m.group(3).replace(",", ""))


def lab_page(new_page, url, idle_text):
    """A page on `url` once its kernel (named in the status bar) is idle."""
    page = new_page(url, wait=False)
    expect(page.get_by_text(idle_text)).to_be_visible(timeout=90_000)
    return page


@pytest.fixture
def new_page(lab, browser):
    """Pages on a fresh JupyterLab layout (`reset`: the server keeps the last page's open tabs and
    panels otherwise); the kernels they started are shut down afterwards, executors and all."""
    contexts = []
    kernels_before = {k["id"] for k in lab.api("GET", "kernels")}

    def make(url, width=1600, height=1000, wait=True):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(url + "&reset")
        if wait:
            wait_kernel_idle(page)
        return page

    yield make
    for context in contexts:
        context.close()
    for kernel in lab.api("GET", "kernels"):
        if kernel["id"] not in kernels_before:
            lab.api("DELETE", "kernels/" + kernel["id"])


def test_notebook_04_cell_display_compares_shuffle_writes(lab, new_page):
    page = new_page(put_notebook(lab, NOTEBOOKS / "04-key-value-pairs-and-shuffles.ipynb", "en/04.ipynb"))
    run_all(page)
    cell = code_cell(page, "pairs.groupByKey().mapValues(sum).count()")
    jobs = cell.locator(".sparklet-cell-jobs .sparklet-job")
    expect(jobs).to_have_count(2)
    # the text tells the reader to compare the shuffle writes: both jobs' map stages ran and show them
    jobs.first.locator(".sparklet-toggle").click()  # the latest job is open, the first one on a click
    details = cell.locator(".sparklet-job-details")
    expect(details).to_have_count(2)
    by_reduce, by_group = (details.nth(i).locator(".sparklet-stage").first for i in range(2))
    for stage in (by_reduce, by_group):
        expect(stage).to_have_attribute("data-status", "complete")
        expect(stage.locator(".sparklet-metric-shuffle-write")).to_contain_text("shuffle write")
    # both combine map-side into one record per word and partition (PySpark's groupByKey keeps
    # lists of values), but groupByKey's records carry every value: more bytes cross the shuffle
    (reduce_bytes, reduce_records), (group_bytes, group_records) = shuffle_written(by_reduce), shuffle_written(by_group)
    assert 0 < reduce_bytes < group_bytes, (reduce_bytes, group_bytes)
    # the result stages read what the map stages wrote
    expect(details.nth(1).locator(".sparklet-stage").last.locator(".sparklet-metric-shuffle-read")).to_contain_text(
        "%d record" % group_records)
    assert small_text(cell.locator(".sparklet-cell-jobs")) == []
    record("nb04_shuffle_write", {"reduceByKey": [reduce_bytes, reduce_records], "groupByKey": [group_bytes, group_records]})
    cell.locator(".sparklet-cell-jobs").scroll_into_view_if_needed()
    cell.locator(".sparklet-cell-jobs").screenshot(path=str(ARTIFACTS / "views-nb04-shuffle-writes.png"))


def test_notebook_06_cell_display_shows_the_lost_executor_and_retried_tasks(lab, new_page):
    page = new_page(put_notebook(lab, NOTEBOOKS / "06-fault-tolerance.ipynb", "en/06.ipynb"))
    run_all(page)
    cell = code_cell(page, "kill_an_executor(after=0.5)")
    expect(cell.locator(".jp-OutputArea-output").last).to_contain_text("1240")
    job = cell.locator(".sparklet-cell-jobs .sparklet-job")
    expect(job).to_have_count(1)
    expect(job).to_have_attribute("data-status", "succeeded")
    expect(job.locator(".sparklet-job-lost")).to_have_text(re.compile(r"lost executor \d+"))
    expect(job.locator(".sparklet-job-tasks")).to_contain_text(re.compile(r"4/4 .*\d+ retried"))
    stage = cell.locator(".sparklet-job-details .sparklet-stage")
    expect(stage.locator(".sparklet-stage-tasks")).to_contain_text(re.compile(r"\d+ failed · \d+ retried"))
    cell.locator(".sparklet-cell-jobs").scroll_into_view_if_needed()
    cell.locator(".sparklet-cell-jobs").screenshot(path=str(ARTIFACTS / "views-nb06-lost-executor.png"))


def test_display_is_finalised_as_interrupted_after_a_kernel_restart(lab, new_page):
    page = new_page(lab.new_notebook("restart.ipynb"))
    cell = run_cell(page, "import time\nsc.parallelize(range(2), 2).map(lambda x: time.sleep(120)).count()")
    row = cell.locator(".sparklet-cell-jobs .sparklet-job")
    expect(row).to_have_attribute("data-status", "running", timeout=30_000)
    page.locator(".jp-NotebookPanel:visible .jp-Notebook").click()
    page.keyboard.press("Escape")
    page.keyboard.press("0")
    page.keyboard.press("0")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    expect(row).to_have_attribute("data-status", "interrupted", timeout=15_000)
    expect(row.locator(".sparklet-status")).to_have_text("interrupted")
    expect(cell.locator(".sparklet-interrupted-note")).to_have_text("The kernel stopped before this job ended.")
    wait_kernel_idle(page)
    cell.locator(".sparklet-cell-jobs").screenshot(path=str(ARTIFACTS / "views-restart-interrupted.png"))
    # the saved notebook says so in every form of the display
    page.keyboard.press("Control+s")
    expect(page.locator(".jp-mod-dirty")).to_have_count(0, timeout=15_000)
    deadline = time.monotonic() + 15
    while True:
        try:
            cells = lab.api("GET", "contents/restart.ipynb")["content"]["cells"]
        except urllib.error.HTTPError:  # read while the server was still writing it
            cells = []
        outputs = [o for c in cells for o in c.get("outputs", [])
                   if "application/vnd.sparklet.jobs+json" in o.get("data", {})]
        if outputs or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    assert len(outputs) == 1, "the notebook was not saved with the job display"
    data = outputs[0]["data"]
    assert [j["status"] for j in data["application/vnd.sparklet.jobs+json"]["jobs"]] == ["interrupted"]
    html = "".join(data["text/html"])
    assert "interrupted" in html and "running" not in html
    assert "running" not in "".join(data["text/plain"])


def test_a_saved_running_display_opens_finalised(lab, new_page):
    """A notebook saved while its job ran (no page watched the restart) opens with the job
    interrupted once its new kernel answers: the job is older than the kernel's application."""
    jobs = {"version": 1, "executionCount": 1, "groupId": None, "hiddenJobs": 0, "jobs": [{
        "jobId": 0, "description": "count at <cell 1>:2", "callSite": "count at <cell 1>:2", "groupId": None,
        "status": "running", "submissionTime": int(time.time() * 1000) - 3_600_000, "completionTime": None,
        "durationMs": 1500, "numTasks": 2, "numCompletedTasks": 0, "numActiveTasks": 2, "numFailedTasks": 0,
        "numKilledTasks": 0, "numRetriedTasks": 0, "numSkippedStages": 0, "lostExecutors": [], "error": None,
        "stages": [{"stageId": 0, "attempt": 0, "name": "count at <cell 1>:2", "kind": "result", "status": "active",
                    "numTasks": 2, "completed": 0, "running": 2, "failed": 0, "killed": 0, "retries": 0,
                    "submissionTime": 1, "completionTime": None, "inputRecords": 0, "inputBytes": 0,
                    "shuffleReadRecords": 0, "shuffleReadBytes": 0, "shuffleWriteRecords": 0,
                    "shuffleWriteBytes": 0, "parentIds": [], "failureReason": None}]}]}
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "code", "id": "c0", "source": "sc.parallelize(range(2), 2).count()", "metadata": {},
         "execution_count": 1, "outputs": [{"output_type": "display_data", "metadata": {}, "data": {
             "application/vnd.sparklet.jobs+json": jobs, "text/html": "<b>Job 0 running</b>",
             "text/plain": "Job 0 running"}}]}],
          "metadata": {"kernelspec": {"name": "sparklet", "display_name": "Sparklet", "language": "python"}}}
    lab.api("PUT", "contents/stale.ipynb", {"type": "notebook", "format": "json", "content": nb})
    page = new_page("%s/lab/tree/stale.ipynb?token=%s" % (lab.url, lab.token))
    row = page.locator(".sparklet-cell-jobs .sparklet-job")
    expect(row).to_have_attribute("data-status", "interrupted", timeout=15_000)


def clipped(panel):
    """Elements of the panel drawn past its right edge, and text cut by its own box."""
    return panel.evaluate("""panel => {
        const edge = panel.getBoundingClientRect().right + 1;
        const out = [];
        for (const e of panel.querySelectorAll('*')) {
            if (e.closest('.sparklet-dag-scroll') || e.closest('[hidden]')) continue;  // the DAG scrolls on purpose
            const r = e.getBoundingClientRect();
            if (r.width === 0 && r.height === 0) continue;
            const style = getComputedStyle(e);
            const cut = (style.overflow === 'hidden' || style.textOverflow === 'ellipsis') && e.scrollWidth > e.clientWidth + 1;
            if (r.right > edge || cut) out.push(`${e.tagName}.${e.getAttribute('class')}: ${(e.textContent || '').slice(0, 40)}`);
        }
        return {out, horizontalScroll: panel.scrollWidth > panel.clientWidth + 1};
    }""")


def small_text(root):
    """Text of `root` drawn smaller than 11 px."""
    return root.evaluate("""root => {
        const out = [];
        for (const e of root.querySelectorAll('*')) {
            const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (own && parseFloat(getComputedStyle(e).fontSize) < 11) out.push(`${e.tagName}.${e.getAttribute('class')}`);
        }
        return out;
    }""")


def test_panel_at_its_default_width_clips_nothing(lab, new_page):
    page = new_page(lab.new_notebook("narrow.ipynb"))
    wait_cell_done(run_cell(page, "sc.setJobDescription('a long job description that names what this job computes "
                                  "and why, as a course would write it')\n"
                                  "sc.parallelize(range(1000), 4).map(lambda x: (x % 7, x)).reduceByKey(lambda a, b: a + b).count()"))
    panel = page.locator("#sparklet-spark-panel")
    page.locator(".sparklet-status-item").click()
    expect(panel).to_be_visible()
    expect(panel.locator(".sparklet-timeline-task")).not_to_have_count(0)
    width = panel.bounding_box()["width"]
    record("panel_default_width_px", round(width))
    panel.screenshot(path=str(ARTIFACTS / "views-panel-default-width.png"))
    found = clipped(panel)
    assert not found["out"] and not found["horizontalScroll"], found
    assert small_text(panel) == []
    # executor rows collapse into labelled blocks rather than columns cut at the edge
    executor = panel.locator(".sparklet-executors tr[data-executor-id]").first
    expect(executor.locator("td").nth(2)).to_be_visible()
    # the whole description on hover, and wrapped in the row
    desc = panel.locator(".sparklet-jobs .sparklet-job-desc").first
    expect(desc).to_have_attribute("title", re.compile("^a long job description .* as a course would write it"))
    assert desc.evaluate("d => d.getBoundingClientRect().height > parseFloat(getComputedStyle(d).fontSize) * 2.5")
    panel.screenshot(path=str(ARTIFACTS / "views-panel-default-width.png"))


def test_korean_notebook_views_speak_korean(lab, new_page):
    page = new_page(put_notebook(lab, NOTEBOOKS / "ko" / "04-key-value-pairs-and-shuffles.ipynb", "ko/04.ipynb"))
    run_all(page)
    cell = code_cell(page, "pairs.groupByKey().mapValues(sum).count()")
    jobs = cell.locator(".sparklet-cell-jobs .sparklet-job")
    expect(jobs.first.locator(".sparklet-job-id")).to_have_text(re.compile(r"^잡 \d+$"))
    expect(jobs.first.locator(".sparklet-status")).to_have_text("성공")
    expect(cell.locator(".sparklet-metric-shuffle-write").first).to_contain_text("셔플 쓰기")
    expect(cell.locator(".sparklet-legend-shuffle").first).to_have_text("셔플 의존성")
    expect(cell.locator(".sparklet-dag-stage-label").first).to_have_text(re.compile(r"^스테이지 \d+ · 태스크 \d+개$"))
    # the kernel renders its own strings (the task-output box) in the notebook's language too
    # (in a new cell at the end: the notebook's last cell stopped its context)
    page.locator(".jp-NotebookPanel:visible .jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    out = run_cell(page, "sc = SparkContext.getOrCreate()\nsc.parallelize(['안녕'], 1).foreach(print)")
    wait_cell_done(out)
    expect(out.locator(".sparklet-task-output")).to_contain_text("익스큐터의 태스크가 출력한 내용")
    expect(out.locator(".sparklet-task-output")).to_contain_text("[스테이지")
    panel = open_panel(page)
    expect(panel.locator(".sparklet-jobs h3")).to_contain_text("잡")
    expect(panel.locator(".sparklet-session h3")).to_have_text("세션")
    expect(page.locator(".sparklet-status-item")).to_contain_text("익스큐터")
    english = panel.evaluate("p => (p.innerText.match(/\\b(Jobs|Stages|Storage|Session|executor|running|succeeded)\\b/g) || [])")
    assert english == [], english
    cell.locator(".sparklet-cell-jobs").scroll_into_view_if_needed()
    cell.locator(".sparklet-cell-jobs").screenshot(path=str(ARTIFACTS / "views-korean-cell.png"))
    panel.screenshot(path=str(ARTIFACTS / "views-korean-panel.png"))


def set_theme(lab, theme):
    """JupyterLab's theme setting, as Settings ▸ Theme writes it (the lab's own settings API)."""
    req = urllib.request.Request(
        "%s/lab/api/settings/%s" % (lab.url, THEME_SETTINGS), method="PUT",
        data=json.dumps({"raw": json.dumps({"theme": theme})}).encode(),
        headers={"Authorization": "token " + lab.token, "Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=30).close()


def test_load_ext_in_an_ipython_kernel_gets_the_panel_and_status_item(lab, new_page):
    nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [
        {"cell_type": "code", "id": "c0", "source": "", "metadata": {}, "outputs": [], "execution_count": None}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}}
    lab.api("PUT", "contents/ipython.ipynb", {"type": "notebook", "format": "json", "content": nb})
    page = lab_page(new_page, "%s/lab/tree/ipython.ipynb?token=%s" % (lab.url, lab.token), "Python 3 (ipykernel) | Idle")
    panel = page.locator("#sparklet-spark-panel")
    wait_cell_done(run_cell(page, "1 + 1"))
    # a stock kernel does not answer Sparklet's session request: no status item, the panel says why
    expect(page.locator(".sparklet-status-item")).to_be_hidden()
    page.locator('.jp-SideBar [title^="Spark: jobs"]').click()
    expect(panel.locator(".sparklet-connection")).to_contain_text("no Sparklet session", timeout=15_000)
    cell = run_cell(page, "%load_ext sparklet_kernel\nsc.parallelize(range(10), 2).count()")
    wait_cell_done(cell, timeout=90_000)
    expect(cell.locator(".jp-OutputArea-output").last).to_contain_text("10")
    expect(page.locator(".sparklet-status-item")).to_be_visible(timeout=15_000)
    expect(panel.locator(".sparklet-connection")).to_have_text("live")
    expect(panel.locator(".sparklet-jobs .sparklet-job")).to_have_count(1)
    expect(panel.locator(".sparklet-job-detail .sparklet-timeline-task")).to_have_count(2)
    panel.screenshot(path=str(ARTIFACTS / "views-load-ext-panel.png"))


def test_status_bar_and_panel_after_sc_stop(lab, new_page):
    page = new_page(lab.new_notebook("stopped.ipynb"))
    wait_cell_done(run_cell(page, "sc.parallelize(range(4), 2).count()"))
    wait_cell_done(run_cell(page, "sc.stop()"))
    expect(page.locator(".sparklet-status-item")).to_have_text("Spark · stopped · 0 executors", timeout=15_000)
    panel = open_panel(page)
    expect(panel.locator(".sparklet-connection")).to_have_text("stopped: the SparkContext was stopped (sc.stop())")
    executors = panel.locator(".sparklet-executors tr[data-executor-id]")
    expect(executors).to_have_count(2)
    for i in range(2):
        expect(executors.nth(i)).to_have_class(re.compile("sparklet-mod-removed"))
        expect(executors.nth(i)).to_contain_text("removed: SparkContext stopped")
    expect(panel.locator(".sparklet-jobs .sparklet-job")).to_have_attribute("data-status", "succeeded")
    panel.screenshot(path=str(ARTIFACTS / "views-panel-after-stop.png"))


def luminance(css_color):
    r, g, b = [int(x) for x in re.findall(r"\d+", css_color)[:3]]
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_dark_theme(lab, new_page):
    set_theme(lab, "JupyterLab Dark")
    try:
        page = new_page(lab.new_notebook("dark.ipynb"))
        expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
        cell = run_cell(page, "sc.parallelize(range(4), 2).map(lambda x: (x % 2, x)).reduceByKey(lambda a, b: a + b)"
                              ".foreach(print)")
        wait_cell_done(cell)
        box = cell.locator(".sparklet-task-output")
        expect(box).to_be_visible()
        assert luminance(box.evaluate("b => getComputedStyle(b).backgroundColor")) < 0.3
        assert luminance(box.locator("span[data-stream]").first.evaluate("s => getComputedStyle(s).color")) > 0.6
        jobs = cell.locator(".sparklet-cell-jobs")
        assert luminance(jobs.evaluate("j => getComputedStyle(j).color")) > 0.6
        operator = cell.locator(".sparklet-dag-node .sparklet-dag-op").first
        assert luminance(operator.evaluate("t => getComputedStyle(t).fill")) > 0.6
        panel = open_panel(page)
        expect(panel.locator(".sparklet-timeline-task")).not_to_have_count(0)
        assert luminance(panel.evaluate("p => getComputedStyle(p).backgroundColor")) < 0.3
        page.screenshot(path=str(ARTIFACTS / "views-dark-theme.png"))
    finally:
        set_theme(lab, "JupyterLab Light")


def test_panel_replays_an_event_log_of_real_spark(lab, new_page, tmp_path):
    from eventlog_harness import run_real_job

    app_id = run_real_job(tmp_path)
    (log,) = [p for p in tmp_path.iterdir() if app_id in p.name]
    page = new_page(lab.new_notebook("replay.ipynb"))
    panel = open_panel(page)
    panel.locator(".sparklet-open-log").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(str(log))
    dialog.locator(".jp-mod-accept").click()
    expect(panel.locator(".sparklet-connection")).to_have_text("replay of %s" % log, timeout=60_000)
    expect(panel.locator(".sparklet-facts")).to_contain_text(app_id)
    jobs = panel.locator(".sparklet-jobs .sparklet-job")
    expect(jobs).to_have_count(5)
    assert jobs.evaluate_all("rs => rs.map(r => r.dataset.status)").count("failed") == 1
    # the job with a skipped stage (collect of the cached, already shuffled RDD)
    skipped = jobs.filter(has_text="(1 skipped)")
    expect(skipped).to_have_count(1)
    # the job whose first attempt failed: its stage shows the retry, its task table both attempts
    retried = panel.locator('.sparklet-jobs .sparklet-job[data-status="succeeded"]').filter(has_text="retried")
    expect(retried).to_have_count(1)
    retried.click()
    detail = panel.locator(".sparklet-job-detail")
    expect(detail.locator(".sparklet-stage-tasks").first).to_contain_text("1 retried")
    expect(detail.locator(".sparklet-dag-node")).not_to_have_count(0)
    expect(detail.locator(".sparklet-timeline-task")).to_have_count(3)
    tasks = detail.locator(".sparklet-tasks tbody tr")
    expect(tasks).to_have_count(3)
    states = tasks.evaluate_all("rs => rs.map(r => r.dataset.state)")
    assert sorted(states) == ["FAILED", "SUCCESS", "SUCCESS"], states
    expect(detail.locator(".sparklet-tasks tr[data-state='FAILED'] td").nth(2)).to_have_text("0")
    panel.screenshot(path=str(ARTIFACTS / "views-panel-replay-real-spark.png"))
    # and back to the notebook's own session
    panel.locator(".sparklet-show-live").click()
    expect(panel.locator(".sparklet-connection")).to_have_text("live")
    expect(panel.locator(".sparklet-jobs")).to_contain_text("No jobs yet")


def test_kernel_reads_busy_through_a_job_with_the_panel_open(lab, new_page):
    page = new_page(lab.new_notebook("busy.ipynb"))
    panel = open_panel(page)
    cell = run_cell(page, "import time\n"
                          "sc.parallelize(range(2), 2).map(lambda x: time.sleep(4) or x).count()")
    status = page.get_by_role("contentinfo").get_by_role("button", name=re.compile(r"^Sparklet \| "))
    expect(status).to_have_text("Sparklet | Busy", timeout=15_000)
    # the panel asks for snapshots and the job's details all through the job: its running tasks
    # grow in the timeline, and the kernel's status never reads Idle until the cell is done
    expect(panel.locator(".sparklet-job-detail .sparklet-timeline-running")).to_have_count(2, timeout=15_000)
    panel.screenshot(path=str(ARTIFACTS / "views-panel-running-tasks.png"))
    seen = []
    prompt = cell.locator(".jp-InputArea-prompt")
    while prompt.text_content() == "[*]:":
        seen.append(" ".join(status.text_content().split()))
        time.sleep(0.1)
    # the kernel's idle (iopub) can reach the page a moment before the cell's reply (shell) sets
    # its prompt: Idle may end the sequence, but never come before a Busy
    while seen and seen[-1] == "Sparklet | Idle":
        seen.pop()
    assert seen and set(seen) == {"Sparklet | Busy"}, seen
    wait_cell_done(cell)
    expect(status).to_have_text("Sparklet | Idle")
