"""`python -m bench`: run every workload on every implementation, each run in a fresh process,
check every result against plain Python's, and write the Markdown report.

Runs are interleaved (run 1 of every implementation, then run 2, ...) so that a change in the
machine's load during the suite affects all columns alike.
"""

import argparse
import importlib.util
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time

from bench import datasets, report
from bench.measure import run_child
from bench.workloads import BY_NAME, FULL_SIZES, IMPLEMENTATIONS, SMOKE_SIZES, WORKLOADS

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
README_START = "<!-- results:start -->"
README_END = "<!-- results:end -->"


def pyspark_available():
    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true",
                        help="small sizes and 1 run: the whole suite in about a minute")
    parser.add_argument("--runs", type=int, help="fresh-process runs per cell (default 5; "
                                                 "1 with --smoke)")
    parser.add_argument("--impls", default=",".join(IMPLEMENTATIONS),
                        help="comma-separated subset of " + ",".join(IMPLEMENTATIONS))
    parser.add_argument("--workloads", default=",".join(w.name for w in WORKLOADS),
                        help="comma-separated subset of " + ",".join(w.name for w in WORKLOADS))
    parser.add_argument("--timeout", type=float,
                        help="seconds before one run is killed (default 1800; 300 with --smoke)")
    parser.add_argument("--out", default=os.path.join(BENCH_DIR, "results.md"),
                        help="where to write the Markdown report (default bench/results.md)")
    parser.add_argument("--readme", action="store_true",
                        help="also replace the results section of bench/README.md")
    parser.add_argument("--from-json", metavar="PATH",
                        help="render the report from a previous run's reports.json, without "
                             "measuring")
    parser.add_argument("--log-dir", help="where children's output goes (default: a new "
                                          "temporary directory)")
    for key, default in FULL_SIZES.items():
        parser.add_argument("--" + key.replace("_", "-"), type=int, dest=key,
                            help=f"default {default:,} (smoke {SMOKE_SIZES[key]:,})")
    args = parser.parse_args(argv)
    args.argv = argv
    impls = [i for i in args.impls.split(",") if i]
    names = [w for w in args.workloads.split(",") if w]
    unknown = [i for i in impls if i not in IMPLEMENTATIONS]
    unknown += [w for w in names if w not in {x.name for x in WORKLOADS}]
    if unknown:
        parser.error(f"unknown implementation or workload: {', '.join(unknown)}")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args, impls, names


def sizes_from(args):
    params = dict(SMOKE_SIZES if args.smoke else FULL_SIZES)
    for key in FULL_SIZES:
        if getattr(args, key) is not None:
            params[key] = getattr(args, key)
    datasets.check_join_size(params["join_n"])
    return params


def checked(rep, reference, workload):
    """Mark a run correct when its check value equals the plain-Python reference's."""
    if not rep["ok"] or reference is None:
        rep["correct"] = False
        return rep
    if workload.float_result:
        a, b = rep["check"], reference
        rep["correct"] = len(a) == len(b) and all(
            math.isclose(x, y, rel_tol=1e-9) for x, y in zip(a, b))
    else:
        rep["correct"] = rep["check"] == reference
    return rep


def run_suite(params, impls, names, runs, timeout, log_dir, on_progress=None,
              on_workload_done=None):
    """Measure; returns {(workload, impl): report.Cell}. `on_workload_done(cells)` is called
    after each workload, so a long run that is stopped keeps what it measured."""
    say = on_progress or (lambda message: None)
    if "wordcount" in names:
        say(f"word-count text: {datasets.word_text_path(params['wordcount_mb'])}")
    cells = {}
    for workload in WORKLOADS:
        if workload.name not in names:
            continue
        measured = [i for i in impls if i in workload.impls]
        if not measured:
            continue
        reference = None
        if "plain" not in measured:
            rep = run_child("plain", workload.name, params, timeout, log_dir)
            reference = rep["check"] if rep["ok"] else None
            if reference is None:
                say(f"{workload.name}: plain reference failed: {rep.get('error')}")
        reports = {i: [] for i in measured}
        # Plain goes first in each round: it is the reference the others are checked against.
        order = sorted(measured, key=lambda i: i != "plain")
        for k in range(1 if workload.single_run else runs):
            for impl in order:
                rep = run_child(impl, workload.name, params, timeout, log_dir)
                if impl == "plain" and reference is None and rep["ok"]:
                    reference = rep["check"]
                reports[impl].append(checked(rep, reference, workload))
                value = report.metric(workload, rep) if rep["ok"] else None
                say(f"{workload.name:15s} {impl:9s} run {k + 1}: "
                    + (f"{value:.4g} {workload.unit}" if value is not None else "FAILED")
                    + f", peak {rep['peak_rss'] / report.MB:.0f} MB"
                    + ("" if rep["correct"] else f"  WRONG/FAILED {rep.get('error', '')[-400:]}"))
        for impl in measured:
            cells[(workload.name, impl)] = report.Cell(workload, impl, reports[impl])
        if on_workload_done:
            on_workload_done(cells)
    return cells


def update_readme(text):
    path = os.path.join(BENCH_DIR, "README.md")
    with open(path) as f:
        readme = f.read()
    block = f"{README_START}\n{text}{README_END}"
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"{path} has no {README_START} ... {README_END} section")
    with open(path, "w") as f:
        f.write(pattern.sub(lambda _: block, readme))


def main(argv=None):
    args, impls, names = parse_args(sys.argv[1:] if argv is None else argv)
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        cells = {(name, impl): report.Cell(BY_NAME[name], impl, reports)
                 for name, impl, reports in saved["cells"]}
    else:
        saved = measure_all(args, impls, names)
        cells = saved.pop("cell_objects")
    text = report.render(cells, saved["params"], saved["runs"], saved["impls"], saved["label"],
                         saved["load_before"])
    text += f"\nSuite wall time {saved['wall_seconds']:.0f} s. Command: `{saved['command']}`.\n"
    print(text)
    with open(args.out, "w") as f:
        f.write(text)
    if args.readme:
        update_readme(text)
    return 0 if all(c.ok for c in cells.values()) else 1


def measure_all(args, impls, names):
    """Run the suite; returns what the report needs, also saved as JSON in the log directory."""
    params = sizes_from(args)
    runs = args.runs or (1 if args.smoke else 5)
    timeout = args.timeout or (300 if args.smoke else 1800)
    if "pyspark" in impls and not pyspark_available():
        print("pyspark or java not found: skipping the PySpark column", file=sys.stderr)
        impls.remove("pyspark")
    log_dir = args.log_dir or tempfile.mkdtemp(prefix="sparklet-bench-logs-")
    os.makedirs(log_dir, exist_ok=True)
    print(f"children's logs: {log_dir}", file=sys.stderr)
    load_before = os.getloadavg()
    started = time.perf_counter()
    raw_path = os.path.join(log_dir, "reports.json")

    def save(cells):
        saved = {
            "params": params, "runs": runs, "impls": impls,
            "label": "smoke sizes" if args.smoke else "full sizes",
            "load_before": load_before, "wall_seconds": time.perf_counter() - started,
            "command": "python -m bench " + " ".join(args.argv),
            "cells": [[name, impl, cell.reports] for (name, impl), cell in cells.items()],
        }
        with open(raw_path, "w") as f:
            json.dump(saved, f)
        return saved

    cells = run_suite(params, impls, names, runs, timeout, log_dir,
                      on_progress=lambda m: print(m, file=sys.stderr, flush=True),
                      on_workload_done=save)
    saved = save(cells)
    print(f"raw reports: {raw_path} (re-render with --from-json)", file=sys.stderr)
    return dict(saved, cell_objects=cells)
