"""The kernel's message catalog: the strings it renders itself (the HTML and text forms of the job
display, the task-output box, the ``%spark`` magics' messages) in the notebook's language.

The language is, first, the one the JupyterLab extension reports from the notebook's metadata
(``"language": "ko"``, as the Korean tutorials carry), else the ``SPARKLET_LANG`` environment
variable, else English. Catalogs map the English message (the key, a %-format) to its
translation; a message missing from a catalog stays English. The extension's own strings have
their catalog in ``labextension/src/locale/``; the two are kept apart because the kernel also
renders for frontends without the extension (nbconvert, VS Code, a terminal).

>>> set_language("ko")
'ko'
>>> _("Shuffle write"), ngettext("%d skipped stage", "%d skipped stages", 2) % 2
('셔플 쓰기', '건너뛴 스테이지 2개')
>>> set_language("en-US")
'en'
>>> _("Shuffle write"), ngettext("%d skipped stage", "%d skipped stages", 2) % 2
('Shuffle write', '2 skipped stages')
>>> set_language(None) == language()
True
"""

import os
import threading

KO = {
    # the job display (progress.py)
    "Job / stage": "잡 / 스테이지",
    "Progress": "진행",
    "Tasks": "태스크",
    "Elapsed": "경과",
    "Input records": "입력 레코드",
    "Shuffle read": "셔플 읽기",
    "Shuffle write": "셔플 쓰기",
    "running": "실행 중",
    "succeeded": "성공",
    "failed": "실패",
    "cancelled": "취소됨",
    "interrupted": "중단됨",
    "shuffle map": "셔플 맵",
    "result": "결과",
    "Stage %d": "스테이지 %d",
    "Job %d": "잡 %d",
    "skipped (shuffle output reused)": "건너뜀 (셔플 출력 재사용)",
    "%d running": "%d개 실행 중",
    "%d failed": "%d개 실패",
    "%d retried": "%d개 재시도",
    "%d killed": "%d개 강제 종료",
    "%s/%s tasks": "태스크 %s/%s",
    "%d skipped stage": "건너뛴 스테이지 %d개",
    "lost executor %s": "잃어버린 익스큐터 %s",
    "DAG: %d stage": "DAG: 스테이지 %d개",
    "%d earlier jobs of this cell not shown (%d of %d shown)": "이 셀의 이전 잡 %d개는 표시하지 않음 (%d/%d개 표시)",
    "(%d earlier jobs of this cell not shown)": "(이 셀의 이전 잡 %d개는 표시하지 않음)",
    "Job %d (%s) %s in %s": "잡 %d (%s) %s, %s 걸림",
    "Job %d (%s) running for %s": "잡 %d (%s) %s째 실행 중",
    # task output (progress.render_task_output)
    "printed by tasks on executors": "익스큐터의 태스크가 출력한 내용",
    "[stage %d, partition %d]": "[스테이지 %d, 파티션 %d]",
    "... %d more lines of task output not shown (%%spark output shows all)":
        "... 태스크 출력 %d줄 더 있음 (%%spark output으로 모두 보기)",
    # magics
    "No jobs have run on this SparkContext yet.": "이 SparkContext에서 아직 실행된 잡이 없습니다.",
    "No task has failed in this session.": "이 세션에서 실패한 태스크가 없습니다.",
    "No task output in this session.": "이 세션에는 태스크 출력이 없습니다.",
    "(last %d of %d lines kept)": "(%d/%d줄만 보관)",
    "Sparklet job display: %s": "Sparklet 잡 표시: %s",
}

CATALOGS = {"ko": KO}

_lock = threading.Lock()
_notebook_language = None


def _primary(code):
    """``ko-KR``, ``ko_KR.UTF-8`` and ``ko`` are all ``ko``; empty is None."""
    code = (code or "").strip().lower()
    return code.replace("_", "-").split(".")[0].split("-")[0] or None


def language():
    """The language the kernel renders in now (a primary language subtag such as ``ko``)."""
    return _notebook_language or _primary(os.environ.get("SPARKLET_LANG")) or "en"


def set_language(code):
    """The notebook's language as the frontend reports it (None: back to ``SPARKLET_LANG``)."""
    global _notebook_language
    with _lock:
        _notebook_language = _primary(code)
    return language()


def _(message):
    """`message` (an English %-format) in the current language."""
    return CATALOGS.get(language(), {}).get(message, message)


def ngettext(singular, plural, n):
    """The singular or plural English form of a count; languages without plurals (Korean) have
    one translation, keyed by the singular."""
    translated = CATALOGS.get(language(), {}).get(singular)
    if translated is not None:
        return translated
    return singular if n == 1 else plural
