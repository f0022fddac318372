"""Soak test: many consecutive small jobs while executors are killed at random.

    python -m bench.soak [--jobs 1000] [--kills 50] [--seed 0]

Runs ``--jobs`` small jobs of four kinds (a narrow map/sum, a word count through a shuffle, a job
on a cached RDD, a join) on a ``local[2]`` context, and SIGKILLs a random executor during
``--kills`` of them (chosen at random, each kill sent from a timer a few milliseconds after the
job is submitted). Every result is checked against the same computation in plain Python.

It prints the count of correct results, the jobs that failed, the executor removals the listener
bus reported, the driver's RSS growth (after the first 50 jobs, when imports and caches have
warmed up, to the end), and what leaked once the context stopped: file descriptors, child
processes and the application's temporary files. Not part of the benchmark table in ``python -m bench``: this
measures reliability, not speed.
"""

import argparse
import gc
import os
import random
import signal
import threading
import time
from collections import Counter
from operator import add

import psutil

from sparklet import SparkConf, SparkContext
from sparklet.listener import SparkListener

WORDS = ("spark", "rdd", "stage", "task", "shuffle", "executor", "block", "lineage")


class Removals(SparkListener):
    def __init__(self):
        self.reasons = []

    def onExecutorRemoved(self, event):
        self.reasons.append(event.reason)


def job(sc, cached, i):
    """(what the engine computed, what plain Python computes) for job ``i``."""
    kind = i % 4
    if kind == 0:
        n = 200 + i % 50
        return sc.parallelize(range(n), 4).map(lambda x: x * x).sum(), sum(x * x for x in range(n))
    if kind == 1:
        text = [WORDS[(i + j) % len(WORDS)] for j in range(300)]
        got = sorted(sc.parallelize(text, 4).map(lambda w: (w, 1)).reduceByKey(add, 3).collect())
        return got, sorted(Counter(text).items())
    if kind == 2:
        k = i % 7
        return cached.filter(lambda x: x % 7 == k).count(), sum(1 for x in range(2000) if x % 7 == k)
    left = [(x % 10, x) for x in range(40)]
    right = [(x, str(x + i)) for x in range(0, 10, 2)]
    got = sorted(sc.parallelize(left, 3).join(sc.parallelize(right, 2)).collect())
    return got, sorted((k, (v, w)) for k, v in left for k2, w in right if k == k2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    me = psutil.Process()

    gc.collect()
    fds_before = me.num_fds()
    children_before = {p.pid for p in me.children(recursive=True)}

    conf = (SparkConf().setMaster("local[2]").setAppName("soak")
            .set("spark.sparklet.console.taskOutput", "false"))
    sc = SparkContext(conf=conf)
    removals = Removals()
    sc.addSparkListener(removals)
    local_dir = sc._local_dir  # other programs may use the temp directory at the same time: look at ours
    cached = sc.parallelize(range(2000), 4).cache()
    kill_at = set(rng.sample(range(args.jobs), min(args.kills, args.jobs)))
    kills_sent = set()  # pids: a second kill of an executor not yet reaped is not a new loss

    def kill_random_executor(sc):
        live = [pid for _, pid, _ in sc.executors if pid]
        if live:
            pid = rng.choice(live)
            try:
                os.kill(pid, signal.SIGKILL)
                kills_sent.add(pid)
            except ProcessLookupError:
                pass

    correct, failures = 0, Counter()
    rss_warm = None
    started = time.monotonic()
    for i in range(args.jobs):
        if i == 50:
            gc.collect()
            rss_warm = me.memory_info().rss
        timer = None
        if i in kill_at:
            timer = threading.Timer(rng.uniform(0.0, 0.02), kill_random_executor, (sc,))
            timer.start()
        try:
            got, expected = job(sc, cached, i)
            if got == expected:
                correct += 1
            else:
                failures["wrong result"] += 1
        except Exception as e:
            failures["%s: %s" % (type(e).__name__, str(e).splitlines()[0][:120])] += 1
        if timer is not None:
            timer.join()
    elapsed = time.monotonic() - started
    gc.collect()
    rss_end = me.memory_info().rss
    sc.listenerBus.waitUntilEmpty()
    removed = len(removals.reasons)
    sc.stop()
    del sc, cached
    gc.collect()
    time.sleep(0.2)

    leaked_fds = me.num_fds() - fds_before
    leaked_children = [p.pid for p in me.children(recursive=True) if p.pid not in children_before]
    leaked_temp = sorted(os.path.join(d, f) for d, ds, fs in os.walk(local_dir) for f in ds + fs)
    if os.path.exists(local_dir):
        leaked_temp.insert(0, local_dir)
    print("jobs: %d in %.1f s; correct results: %d/%d" % (args.jobs, elapsed, correct, args.jobs))
    print("executor kills sent: %d; executor removals reported by the listener bus: %d" % (len(kills_sent), removed))
    for what, n in failures.most_common():
        print("  failed x%d: %s" % (n, what))
    if rss_warm is not None:
        print("driver RSS: %.1f MiB after 50 jobs, %.1f MiB at the end (growth %+.1f MiB)"
              % (rss_warm / 2 ** 20, rss_end / 2 ** 20, (rss_end - rss_warm) / 2 ** 20))
    print("leaked after sc.stop(): %d file descriptors, %d processes %s, %d temp files/dirs %s"
          % (leaked_fds, len(leaked_children), leaked_children or "", len(leaked_temp), leaked_temp or ""))
    ok = correct == args.jobs and leaked_fds <= 0 and not leaked_children and not leaked_temp
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
