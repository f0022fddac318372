"""The quick start's `./dev`: what it says when a prerequisite is missing, and the student's working
copy of the tutorials that `./dev lab` opens (notebooks/working_copy.py)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))

import working_copy  # noqa: E402


def _course(tmp_path):
    course = tmp_path / "course"
    (course / "data").mkdir(parents=True)
    (course / "source").mkdir()
    (course / "ko").mkdir()
    (course / "01-first-steps.ipynb").write_text("one v1")
    (course / "02-more.ipynb").write_text("two v1")
    (course / "data" / "people.csv").write_text("name,age\n")
    (course / "source" / "nb01.py").write_text("authoring")
    (course / "build_notebooks.py").write_text("authoring")
    os.symlink("../data", course / "ko" / "data")
    return course


def test_the_working_copy_gets_new_and_updated_tutorials_and_keeps_what_the_student_changed(tmp_path):
    course, copy = _course(tmp_path), tmp_path / "my-notebooks"
    report = working_copy.refresh(str(course), str(copy))
    assert sorted(report["new"]) == ["01-first-steps.ipynb", "02-more.ipynb", "data/people.csv", "ko/data"]
    assert not (copy / "source").exists() and not (copy / "build_notebooks.py").exists()
    assert os.readlink(copy / "ko" / "data") == "../data" and (copy / "ko" / "data" / "people.csv").exists()
    assert working_copy.refresh(str(course), str(copy)) == {"new": [], "updated": [], "kept": []}

    (copy / "01-first-steps.ipynb").write_text("one with the student's answers")
    (course / "01-first-steps.ipynb").write_text("one v2")
    (course / "02-more.ipynb").write_text("two v2")
    (course / "03-new.ipynb").write_text("three v1")
    report = working_copy.refresh(str(course), str(copy))
    assert report == {"new": ["03-new.ipynb"], "updated": ["02-more.ipynb"], "kept": ["01-first-steps.ipynb"]}
    assert (copy / "01-first-steps.ipynb").read_text() == "one with the student's answers"
    assert (copy / "02-more.ipynb").read_text() == "two v2" and (copy / "03-new.ipynb").read_text() == "three v1"

    # deleting a notebook from the copy is how a student gets a fresh one
    (copy / "01-first-steps.ipynb").unlink()
    assert working_copy.refresh(str(course), str(copy))["new"] == ["01-first-steps.ipynb"]
    assert (copy / "01-first-steps.ipynb").read_text() == "one v2"
    # a file of the student's own is never touched, even under a tutorial's name the copy never got
    (copy / "04-mine.ipynb").write_text("mine")
    (course / "04-mine.ipynb").write_text("the course's")
    assert working_copy.refresh(str(course), str(copy)) == {"new": [], "updated": [], "kept": []}
    assert (copy / "04-mine.ipynb").read_text() == "mine"
    assert set(json.loads((copy / working_copy.MANIFEST).read_text())) == {
        "01-first-steps.ipynb", "02-more.ipynb", "03-new.ipynb", "data/people.csv"}


def test_the_working_copy_of_this_course_is_git_ignored_and_starts_with_notebook_01(tmp_path):
    copy = tmp_path / "my-notebooks"
    out = subprocess.run([sys.executable, str(ROOT / "notebooks" / "working_copy.py"), str(ROOT / "notebooks"), str(copy)],
                         capture_output=True, text=True, check=True).stdout
    assert out.startswith("Tutorials: %s/ is your copy (" % copy) and " new)" in out
    assert (copy / "01-first-steps.ipynb").read_bytes() == (ROOT / "notebooks" / "01-first-steps.ipynb").read_bytes()
    assert (copy / "data" / "people.csv").exists() and not (copy / "source").exists()
    if shutil.which("git") and (ROOT / ".git").exists():
        paths = ["my-notebooks/01-first-steps.ipynb", ".venv/bin/python", "dist/sparklet-0.1.0.tar.gz"]
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", *paths], capture_output=True, text=True)
        assert ignored.stdout.split() == paths


def test_dev_says_what_is_missing_before_installing_anything(tmp_path):
    # a bare copy of the script: no .venv and no built lab extension next to it, so it needs node too
    shutil.copy(ROOT / "dev", tmp_path / "dev")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "old-python").write_text("#!/bin/sh\necho 3.9.18\n")
    (fake / "node").write_text("#!/bin/sh\necho v18.19.0\n")
    for f in fake.iterdir():
        f.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env.update(PYTHON=str(fake / "old-python"), PATH=str(fake) + os.pathsep + env["PATH"])
    for command in ("lab", "test"):
        proc = subprocess.run(["bash", str(tmp_path / "dev"), command], capture_output=True, text=True, env=env,
                              timeout=60)
        assert proc.returncode == 1
        lines = proc.stderr.splitlines()
        assert lines[0] == "./dev %s needs what this machine lacks:" % command
        assert "  - Python >= 3.10: '%s' is 3.9.18" % (fake / "old-python") in lines
        assert "  - node >= 20.19, to build the JupyterLab extension: node is v18.19.0" in lines
        assert sum(line.strip().startswith("get it: ") for line in lines) == 2 and len(lines) <= 8
        assert not (tmp_path / ".venv").exists()
    proc = subprocess.run(["bash", str(tmp_path / "dev"), "lab"], capture_output=True, text=True, timeout=60,
                          env=dict(env, PYTHON=str(tmp_path / "no-such-python")))
    assert "  - Python >= 3.10: '%s' not found" % (tmp_path / "no-such-python") in proc.stderr.splitlines()
