"""A Sparklet application as a student reviewing it sees it: the real Spark History Server's own
pages (pyspark's jars on Java 17, drawn by chromium) reading a log Sparklet wrote."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from eventlog_harness import HistoryServer, run_job

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.pyspark]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    logs = tmp_path_factory.mktemp("history-pages") / "logs"
    logs.mkdir()
    app_id = run_job(logs)
    hs = HistoryServer(logs)
    try:
        hs.wait_for([app_id])
        yield hs, app_id
    finally:
        hs.stop()


def test_history_server_jobs_page_of_a_sparklet_application(history, browser):
    hs, app_id = history
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto("%s/history/%s/jobs/" % (hs.base, app_id), timeout=120_000)
        expect(page.locator("body")).to_contain_text("sparklet-eventlog", timeout=60_000)
        expect(page.locator("table").first).to_be_visible(timeout=60_000)
        body = page.locator("body").inner_text()
        # the jobs are named as Spark names them: the action and its call site
        assert "count at <string>:" in body and "collect at <string>:" in body
        assert "Failed Jobs" in body and "Completed Jobs" in body
        page.screenshot(path=str(ARTIFACTS / "history-server-jobs.png"), full_page=True)
    finally:
        page.close()
