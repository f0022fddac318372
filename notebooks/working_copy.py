"""The student's working copy of the tutorials (what ``./dev lab`` opens), kept outside the tracked files.

Students run and edit their notebooks in a git-ignored folder, so saving a notebook leaves the
clone clean and the next ``git pull`` of the course never conflicts with their work. Each run
brings the copy up to date without touching anything the student changed:

- a tutorial (or data file) the copy lacks is copied in: new tutorials appear, and deleting a
  notebook from the copy is how a student gets a fresh one;
- a file the student has not changed since it was copied follows the course's newer version;
- a file the student changed is kept as it is (the course's version stays in ``notebooks/``).

What was copied is remembered in ``.tutorials.json`` in the copy (file -> sha256 of the course's
version that was copied), which is how an unchanged file is told from an edited one.

    $ python notebooks/working_copy.py notebooks my-notebooks
    Tutorials: my-notebooks/ is your copy (14 new).
"""

import hashlib
import json
import os
import shutil
import sys

MANIFEST = ".tutorials.json"
#: the course's authoring tools, not course material
SKIPPED = {"source", "build_notebooks.py", "working_copy.py", "__pycache__", ".ipynb_checkpoints"}


def _digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def course_files(course):
    """Relative paths of the course's files (symlinks kept as links), authoring tools left out."""
    out = []
    for top, dirs, files in os.walk(course):
        rel_top = os.path.relpath(top, course)
        kept = []
        for d in sorted(dirs):
            if d in SKIPPED:
                continue
            if os.path.islink(os.path.join(top, d)):
                out.append(os.path.normpath(os.path.join(rel_top, d)))
            else:
                kept.append(d)
        dirs[:] = kept
        out.extend(os.path.normpath(os.path.join(rel_top, f)) for f in sorted(files) if f not in SKIPPED)
    return out


def refresh(course, copy):
    """Bring `copy` up to date with `course`; returns {"new": [...], "updated": [...], "kept": [...]}
    where "kept" lists the student's edited files whose course version changed since."""
    os.makedirs(copy, exist_ok=True)
    manifest_path = os.path.join(copy, MANIFEST)
    try:
        with open(manifest_path) as f:
            copied = json.load(f)
    except (OSError, ValueError):
        copied = {}
    report = {"new": [], "updated": [], "kept": []}
    for rel in course_files(course):
        src, dst = os.path.join(course, rel), os.path.join(copy, rel)
        if os.path.islink(src):
            if not os.path.lexists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                os.symlink(os.readlink(src), dst)
                report["new"].append(rel)
            continue
        theirs = _digest(src)
        if not os.path.lexists(dst):
            kind = "new"
        elif copied.get(rel) == theirs:
            continue
        elif rel in copied and _digest(dst) == copied[rel]:
            kind = "updated"
        else:
            if rel in copied:  # edited by the student: theirs stays, the course's is in `course`
                report["kept"].append(rel)
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        copied[rel] = theirs
        report[kind].append(rel)
    tmp = manifest_path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(copied, f, indent=1, sort_keys=True)
    os.replace(tmp, manifest_path)
    return report


def main(argv):
    if len(argv) != 2:
        print("usage: working_copy.py COURSE_DIR COPY_DIR", file=sys.stderr)
        return 2
    course, copy = argv
    report = refresh(course, copy)
    counts = ", ".join("%d %s" % (len(report[k]), k) for k in ("new", "updated") if report[k])
    print("Tutorials: %s/ is your copy%s." % (copy.rstrip("/"), " (%s)" % counts if counts else ""))
    for rel in report["kept"]:
        print("  kept your edited %s; the course's newer version is %s" % (rel, os.path.join(course, rel)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
