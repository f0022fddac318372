"""The yardstick: a hand-written two-process version of each workload.

Two long-lived worker processes (spawned, like Sparklet's executors) each own half of the input,
generate it themselves, and talk to the driver and to each other over pipes. Only records that
must change process are pickled: a worker's share of a shuffle goes straight to its peer in one
batch, and the final result comes back to the driver once. Combining happens before anything is
sent (word counts, groups), the way a careful programmer would write it by hand. Whatever an
engine adds on top of this (scheduling, lineage, shuffle files, events) is its overhead.
"""

import multiprocessing
import pickle
import threading
import time
import traceback
from collections import Counter, defaultdict
from functools import partial
from operator import itemgetter

from bench import datasets
from bench.plain_jobs import cached_action, count_words_calling, count_words_in_range
from bench.workloads import CACHED_ACTIONS


class Worker:
    """What a task function sees inside a worker: its rank, its peer link and its own store."""

    def __init__(self, rank, peer):
        self.rank = rank
        self.peer = peer
        self.store = {}

    def exchange(self, outgoing):
        """Send `outgoing` to the peer while receiving the peer's batch (no pipe deadlock)."""
        data = pickle.dumps(outgoing, protocol=pickle.HIGHEST_PROTOCOL)
        sender = threading.Thread(target=self.peer.send_bytes, args=(data,))
        sender.start()
        incoming = pickle.loads(self.peer.recv_bytes())
        sender.join()
        return incoming


def _serve(rank, driver, peer):
    worker = Worker(rank, peer)
    while True:
        message = driver.recv()
        if message is None:
            return
        func, args = message
        try:
            driver.send((True, func(worker, *args)))
        except Exception:
            driver.send((False, traceback.format_exc()))


class ProcessPair:
    def __init__(self):
        ctx = multiprocessing.get_context("spawn")
        peer_ends = ctx.Pipe()
        self._links = []
        self._procs = []
        for rank, peer in enumerate(peer_ends):
            driver_end, worker_end = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(rank, worker_end, peer), daemon=True)
            proc.start()
            worker_end.close()
            self._links.append(driver_end)
            self._procs.append(proc)
        for end in peer_ends:
            end.close()

    def run(self, func, args0, args1):
        """Run func(worker, *args_rank) on both workers; return both results in rank order."""
        for link, args in zip(self._links, (args0, args1)):
            link.send((func, args))
        replies = [link.recv() for link in self._links]
        for ok, value in replies:
            if not ok:
                raise RuntimeError(f"pool worker failed:\n{value}")
        return [value for _, value in replies]

    def close(self):
        for link in self._links:
            link.send(None)
        for proc in self._procs:
            proc.join(10)
        for link in self._links:
            link.close()


def start(params, workload):
    return ProcessPair()


def _sum_range(worker, indices):
    return sum(indices)


def first_job(pair):
    return sum(pair.run(_sum_range, (range(0, 5),), (range(5, 10),)))


def stop(pair):
    pair.close()


def run_startup(pair, params):
    return first_job(pair), {}


def _count_range(worker, indices):
    return sum(1 for _ in indices)


def run_tiny(pair, params):
    latencies = []
    total = 0
    for _ in range(params["tiny_jobs"]):
        t0 = time.perf_counter()
        total += sum(pair.run(_count_range, (range(0, 50),), (range(50, 100),)))
        latencies.append(time.perf_counter() - t0)
    return total, {"latencies": latencies}


def _count_words(worker, path, start, end):
    return dict(count_words_in_range(path, start, end))


def _count_words_calling(worker, path, start, end):
    return count_words_calling(path, start, end)


def run_wordcount(pair, params, count=_count_words):
    path = datasets.word_text_path(params["wordcount_mb"])
    first, second = datasets.line_aligned_ranges(path, 2)
    counts0, counts1 = pair.run(count, (path, *first), (path, *second))
    totals = Counter(counts0)
    totals.update(counts1)
    return list(totals.items()), {}


def run_wordcount_calls(pair, params):
    return run_wordcount(pair, params, count=_count_words_calling)


def _sort_share(worker, indices):
    pairs = list(map(datasets.sort_pair, indices))
    # Range-partition on the known key space: rank 0 owns the lower half of the keys.
    boundary = datasets.SORT_KEY_SPACE // 2
    low = [kv for kv in pairs if kv[0] < boundary]
    high = [kv for kv in pairs if kv[0] >= boundary]
    mine, theirs = (low, high) if worker.rank == 0 else (high, low)
    del pairs, low, high
    mine.extend(worker.exchange(theirs))
    mine.sort(key=itemgetter(0))
    return mine


def run_sort(pair, params):
    first, second = datasets.halves(params["sort_n"])
    low, high = pair.run(_sort_share, (first,), (second,))
    low.extend(high)
    return low, {}


def _join_share(worker, indices, n):
    lefts = ([], [])
    rights = ([], [])
    for i in indices:
        k, v = datasets.join_left_pair(i)
        lefts[k & 1].append((k, v))
        k, v = datasets.join_right_pair(i, n)
        rights[k & 1].append((k, v))
    other = 1 - worker.rank
    incoming_left, incoming_right = worker.exchange((lefts[other], rights[other]))
    right = dict(rights[worker.rank])
    right.update(incoming_right)
    out = [(k, (v, right[k])) for k, v in lefts[worker.rank] if k in right]
    out.extend((k, (v, right[k])) for k, v in incoming_left if k in right)
    return out


def run_join(pair, params):
    n = params["join_n"]
    datasets.check_join_size(n)
    first, second = datasets.halves(n)
    out0, out1 = pair.run(_join_share, (first, n), (second, n))
    out0.extend(out1)
    return out0, {}


def _group_share(worker, indices, keys):
    groups = (defaultdict(list), defaultdict(list))
    for k, v in map(partial(datasets.group_pair, keys=keys), indices):
        groups[k & 1][k].append(v)
    mine = groups[worker.rank]
    for k, vs in worker.exchange(groups[1 - worker.rank]).items():
        mine[k].extend(vs)
    return [(k, (len(vs), sum(vs))) for k, vs in mine.items()]


def run_groupbykey(pair, params):
    first, second = datasets.halves(params["group_n"])
    out0, out1 = pair.run(_group_share, (first, params["group_keys"]),
                          (second, params["group_keys"]))
    out0.extend(out1)
    return out0, {}


def _cached_partial(worker, indices, action):
    values = worker.store.get("values")
    if values is None:
        values = worker.store["values"] = list(map(datasets.cached_value, indices))
    if action == "mean":
        return (sum(values), len(values))
    return cached_action(values, action)


def run_cached(pair, params):
    first, second = datasets.halves(params["cached_n"])
    combine = {"sum": sum, "count": sum, "min": min, "max": max}
    results = []
    timings = []
    for k in range(params["cached_actions"]):
        action = CACHED_ACTIONS[k % len(CACHED_ACTIONS)]
        t0 = time.perf_counter()
        parts = pair.run(_cached_partial, (first, action), (second, action))
        if action == "mean":
            results.append(sum(p[0] for p in parts) / sum(p[1] for p in parts))
        else:
            results.append(combine[action](parts))
        timings.append(time.perf_counter() - t0)
    return results, {"action_seconds": timings}


def _cpu_share(worker, indices):
    return sum(map(datasets.cpu_work, indices))


def run_cpu(pair, params):
    first, second = datasets.halves(params["cpu_calls"])
    return sum(pair.run(_cpu_share, (first,), (second,))), {}
