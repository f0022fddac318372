"""The Korean catalogs are complete: every string the lab extension passes to its translator
(`trans.__` / `trans._n` in labextension/src) and every message the kernel renders through its
catalog (`_` / `ngettext` in sparklet_kernel) has a Korean translation, with the same
placeholders, so a Korean notebook never shows a stray English string of ours."""

import json
import re
from pathlib import Path

from sparklet_kernel import i18n

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "labextension" / "src"
KERNEL = ROOT / "kernel" / "sparklet_kernel"


def _literals(pattern, files):
    found = set()
    for f in files:
        for m in re.finditer(pattern, f.read_text(), re.S):
            found.add(m.group(2).replace("\\'", "'").replace('\\"', '"'))
    return found


def test_extension_strings_all_have_korean():
    # `trans.__(...)`, `trans._n(...)`, and dag.ts's translation function `__(...)`
    used = _literals(r"""(?:(?<![\w.])__|\.__|\._n)\(\s*(['"`])((?:\\.|(?!\1).)*)\1""", sorted(SRC.glob("*.ts")))
    assert len(used) > 80  # the views' strings were found at all
    catalog = json.loads((SRC / "locale" / "ko.json").read_text())
    assert catalog[""]["language"] == "ko" and catalog[""]["domain"] == "sparklet"
    missing = sorted(s for s in used if not (catalog.get(s) or [""])[0])
    assert missing == []
    for msgid in used:
        assert set(re.findall(r"%\d", catalog[msgid][0])) <= set(re.findall(r"%\d", msgid)) | {"%1"}, msgid
    stale = sorted(set(catalog) - used - {""})
    assert stale == []


def test_kernel_messages_all_have_korean():
    used = _literals(r"""\b(?:_|ngettext)\(\s*(['"])((?:\\.|(?!\1).)*)\1""",
                     [KERNEL / "progress.py", KERNEL / "magics.py"])
    assert len(used) > 20
    missing = sorted(s for s in used if s not in i18n.KO)
    assert missing == []
    for msgid in used:
        assert sorted(re.findall(r"%[ds]", i18n.KO[msgid])) == sorted(re.findall(r"%[ds]", msgid)), msgid


def test_kernel_renders_the_job_display_in_the_notebook_language(monkeypatch):
    from sparklet_kernel import progress

    state = {"version": 1, "executionCount": 1, "groupId": None, "hiddenJobs": 0, "jobs": [{
        "jobId": 0, "description": "count at <cell 1>:1", "callSite": "count at <cell 1>:1", "groupId": None,
        "status": "succeeded", "submissionTime": 1000, "completionTime": 1200, "durationMs": 200, "numTasks": 2,
        "numCompletedTasks": 2, "numActiveTasks": 0, "numFailedTasks": 0, "numKilledTasks": 0,
        "numRetriedTasks": 0, "numSkippedStages": 1, "lostExecutors": ["1"], "error": None, "stages": []}]}
    monkeypatch.setenv("SPARKLET_LANG", "ko_KR.UTF-8")
    i18n.set_language(None)
    html = progress.render_html(state)
    assert "셔플 쓰기" in html and "잡 0" in html and "건너뛴 스테이지 1개" in html and "잃어버린 익스큐터 1" in html
    i18n.set_language("en")
    html = progress.render_html(state)
    assert "Shuffle write" in html and "1 skipped stage" in html and "lost executor 1" in html
    i18n.set_language(None)
