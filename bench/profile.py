"""Where the time goes: `python -m bench.profile IMPL WORKLOAD [--smoke] [--rate HZ]`.

Runs one measurement (the same child process the suite runs) under py-spy, sampling the driver
and every executor while they hold the GIL, and prints each process kind's share per function:
self time (the function's own lines) and inclusive time (with what it calls). Needs `py-spy`
(pip install py-spy) and permission to trace child processes (root, or ptrace allowed).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.measure import REPO_ROOT, child_env
from bench.workloads import BY_NAME, FULL_SIZES, IMPLEMENTATIONS, SMOKE_SIZES

# Trim long paths in frame names down to the package-relative part.
_PATH_PREFIX = re.compile(r"\(/\S*?/(?:site-packages|lib/python3\.\d+|engine|kernel|main)/")


def process_kind(frame):
    """A short name for a descendant of the measured child (the driver)."""
    if "java" in frame:
        return "jvm"
    if "pyspark" in frame:
        return "pyspark worker"
    if "multiprocessing" in frame:
        return "pool worker"
    # py-spy can read a new process's command line before its exec, when it still shows the
    # driver's: every other descendant of a Sparklet driver is an executor.
    return "executor"


def summarize(raw_lines, top):
    totals = collections.Counter()
    own = collections.Counter()
    inclusive = collections.Counter()
    for line in raw_lines:
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        processes = [f for f in frames if f.startswith("process ")]
        kind = "driver" if len(processes) <= 1 else process_kind(processes[-1])
        frames = [_PATH_PREFIX.sub("(", f) for f in frames if not f.startswith("process ")]
        totals[kind] += n
        if frames:
            own[(kind, frames[-1])] += n
            for frame in set(frames):
                inclusive[(kind, frame)] += n
    out = []
    for kind, total in totals.most_common():
        out.append(f"\n== {kind}: {total} samples holding the GIL")
        for title, counter in (("self", own), ("inclusive", inclusive)):
            out.append(f"-- {title}")
            rows = [(n, f) for (k, f), n in counter.most_common() if k == kind][:top]
            out += [f"  {100 * n / total:5.1f}%  {f[:160]}" for n, f in rows]
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("impl", choices=IMPLEMENTATIONS)
    parser.add_argument("workload", choices=sorted(BY_NAME))
    parser.add_argument("--smoke", action="store_true", help="smoke sizes instead of full")
    parser.add_argument("--rate", type=int, default=100, help="samples per second")
    parser.add_argument("--top", type=int, default=20, help="functions listed per table")
    args = parser.parse_args(argv)
    if shutil.which("py-spy") is None:
        parser.error("py-spy is not installed (pip install py-spy)")
    with tempfile.TemporaryDirectory(prefix="sparklet-profile-") as tmp:
        params_path = os.path.join(tmp, "params.json")
        with open(params_path, "w") as f:
            json.dump(dict(SMOKE_SIZES if args.smoke else FULL_SIZES), f)
        raw_path = os.path.join(tmp, "stacks.txt")
        result_path = os.path.join(tmp, "result.json")
        command = ["py-spy", "record", "--subprocesses", "--gil", "--rate", str(args.rate),
                   "--format", "raw", "--output", raw_path, "--",
                   sys.executable, "-m", "bench.child", args.impl, args.workload, params_path,
                   result_path]
        spy = subprocess.run(command, cwd=REPO_ROOT, env=child_env(), capture_output=True,
                             text=True)
        if not os.path.exists(raw_path):
            print(spy.stdout, spy.stderr, file=sys.stderr)
            return 1
        with open(result_path) as f:
            result = json.load(f)
        with open(raw_path) as f:
            print(f"{args.impl} {args.workload}: ok={result['ok']} "
                  f"timed {result.get('seconds', float('nan')):.2f} s")
            print(summarize(f, args.top))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
