"""One measurement in a fresh interpreter: `python -m bench.child IMPL WORKLOAD PARAMS RESULT`.

Start-up is timed from before the implementation is imported to the first job's result. Every
other workload first starts its context (or pool) and runs one tiny warm-up job, untimed, so the
timed call measures the workload on a ready engine. The result is reduced to a check value (a
digest, or floats for float results) and written as JSON to RESULT with the timings.
"""

import hashlib
import importlib
import json
import sys
import time
import traceback

import psutil

from bench.workloads import BY_NAME

MODULES = {
    "sparklet": "bench.spark_jobs",
    "pyspark": "bench.spark_jobs",
    "pool": "bench.pool_jobs",
    "plain": "bench.plain_jobs",
}


def tree_rss():
    """Resident memory of this process and all its descendants, in bytes."""
    me = psutil.Process()
    total = 0
    for proc in [me, *me.children(recursive=True)]:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total


def check_value(result, workload):
    if workload.float_result:
        return [float(x) for x in result]
    if isinstance(result, list) and not workload.ordered:
        result = sorted(result)
    return hashlib.sha256(repr(result).encode()).hexdigest()


def measure(impl, workload, params):
    out = {"impl": impl, "workload": workload.name}
    if impl in ("sparklet", "pyspark"):
        params = dict(params, engine=impl)
    # "<workload>_eventlog" is the workload run with the event log on (set up by `start`)
    base = workload.name.removesuffix("_eventlog")
    t0 = time.perf_counter()
    module = importlib.import_module(MODULES[impl])
    session = module.start(params, workload.name)
    try:
        if base == "startup":
            result, extras = module.run_startup(session, params)
            out["seconds"] = time.perf_counter() - t0
            out["baseline_rss"] = tree_rss()
        else:
            module.first_job(session)
            out["baseline_rss"] = tree_rss()
            t0 = time.perf_counter()
            result, extras = getattr(module, f"run_{base}")(session, params)
            out["seconds"] = time.perf_counter() - t0
    finally:
        t_stop = time.perf_counter()
        module.stop(session)
        out["stop_seconds"] = time.perf_counter() - t_stop
    out["extras"] = extras
    out["check"] = check_value(result, workload)
    return out


def main(argv):
    impl, name, params_path, result_path = argv
    with open(params_path) as f:
        params = json.load(f)
    try:
        out = measure(impl, BY_NAME[name], params)
        out["ok"] = True
    except BaseException:
        out = {"impl": impl, "workload": name, "ok": False, "error": traceback.format_exc()}
    with open(result_path, "w") as f:
        json.dump(out, f)
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
