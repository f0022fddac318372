"""Plain single-process Python: what a user writes without any engine, and the reference answer
every other implementation's result is checked against.

The per-partition kernels here (counting a byte range of words, the bounded-memory checksums) are
also what the process pair runs on each half, so pool-vs-plain measures only parallelism and the
records that cross processes.
"""

import os
import time
from collections import Counter, defaultdict
from functools import partial
from operator import add, itemgetter

from bench import datasets
from bench.workloads import CACHED_ACTIONS, bounded_records

_READ_BLOCK = 1 << 22


def start(params, workload):
    return None


def first_job(session):
    return sum(range(10))


def stop(session):
    pass


def _text_blocks(path, start, end):
    """The text of the lines starting in [start, end), read in large blocks of whole lines."""
    with open(path, "rb") as f:
        f.seek(start)
        remaining = end - start
        carry = b""
        while remaining > 0:
            chunk = f.read(min(_READ_BLOCK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            data = carry + chunk
            if remaining > 0:
                # Keep the unfinished last line for the next block so no word is cut in two.
                cut = data.rfind(b"\n") + 1
                carry = data[cut:]
                data = data[:cut]
            else:
                carry = b""
            yield data.decode("utf-8")


def count_words_in_range(path, start, end):
    """Word counts of the lines starting in [start, end), counted in C by Counter."""
    counts = Counter()
    for text in _text_blocks(path, start, end):
        counts.update(text.split())
    return counts


def count_words_calling(path, start, end):
    """The same counts the way the RDD program asks for them: flatMap's and map's functions
    called per line and per word, each pair merged with reduceByKey's `add` in a Python loop.
    No engine running that program can do less work per word than this."""
    counts = {}
    for text in _text_blocks(path, start, end):
        for line in text.splitlines():
            for word in datasets.words_of_line(line):
                k, v = datasets.word_pair(word)
                if k in counts:
                    counts[k] = add(counts[k], v)
                else:
                    counts[k] = v
    return counts


def cached_action(values, action):
    if action == "sum":
        return sum(values)
    if action == "count":
        return len(values)
    if action == "min":
        return min(values)
    if action == "max":
        return max(values)
    if action == "mean":
        return sum(values) / len(values)
    raise ValueError(f"unknown cached action {action!r}")


def run_startup(session, params):
    return first_job(session), {}


def run_tiny(session, params):
    latencies = []
    total = 0
    for _ in range(params["tiny_jobs"]):
        t0 = time.perf_counter()
        total += sum(1 for _ in range(100))
        latencies.append(time.perf_counter() - t0)
    return total, {"latencies": latencies}


def run_wordcount(session, params):
    path = datasets.word_text_path(params["wordcount_mb"])
    counts = count_words_in_range(path, 0, os.path.getsize(path))
    return list(counts.items()), {}


def run_wordcount_calls(session, params):
    path = datasets.word_text_path(params["wordcount_mb"])
    return list(count_words_calling(path, 0, os.path.getsize(path)).items()), {}


def run_sort(session, params):
    pairs = list(map(datasets.sort_pair, range(params["sort_n"])))
    pairs.sort(key=itemgetter(0))
    return pairs, {}


def run_join(session, params):
    n = params["join_n"]
    datasets.check_join_size(n)
    right = dict(map(partial(datasets.join_right_pair, n=n), range(n)))
    return [(k, (v, right[k])) for k, v in map(datasets.join_left_pair, range(n))
            if k in right], {}


def run_groupbykey(session, params):
    groups = defaultdict(list)
    for k, v in map(partial(datasets.group_pair, keys=params["group_keys"]),
                    range(params["group_n"])):
        groups[k].append(v)
    return [(k, (len(vs), sum(vs))) for k, vs in groups.items()], {}


def run_cached(session, params):
    results = []
    timings = []
    values = None
    for k in range(params["cached_actions"]):
        t0 = time.perf_counter()
        if values is None:
            values = list(map(datasets.cached_value, range(params["cached_n"])))
        results.append(cached_action(values, CACHED_ACTIONS[k % len(CACHED_ACTIONS)]))
        timings.append(time.perf_counter() - t0)
    return results, {"action_seconds": timings}


def run_cpu(session, params):
    return sum(map(datasets.cpu_work, range(params["cpu_calls"]))), {}


# Bounded-memory references: the checksums the engines' partition digests must add up to,
# computed by streaming over the records (no sort, no grouping, constant memory).

def run_bounded_sort(session, params):
    n = bounded_records(params)
    key_sum = sum(map(datasets.sort_key, range(n)))
    crc_sum = sum(datasets.payload_crc(datasets.payload(i)) for i in range(n))
    return ("sort", n, key_sum, crc_sum, True), {"records": n}


def run_bounded_group(session, params):
    n = bounded_records(params)
    keys = max(1, n // 4)
    weighted = sum(i % keys for i in range(n))
    crc_sum = sum(datasets.payload_crc(datasets.payload(i)) for i in range(n))
    return ("group", min(n, keys), n, weighted, crc_sum), {"records": n}


def run_bounded_reduce(session, params):
    n = bounded_records(params)
    keys = max(1, n // 2)
    present = min(n, keys)
    # reduceByKey(max) keeps, for key k = i % keys, the payload of the largest such i.
    crc_sum = sum(datasets.payload_crc(datasets.payload(k + keys * ((n - 1 - k) // keys)))
                  for k in range(present))
    return ("reduce", present, sum(range(present)), crc_sum), {"records": n}


def run_bounded_join(session, params):
    n = bounded_records(params)
    keys = max(1, n // 2)
    # Every key has one record on each side, each side's payloads are those of range(keys).
    crc_sum = 2 * sum(datasets.payload_crc(datasets.payload(i)) for i in range(keys))
    return ("join", keys, sum(range(keys)), crc_sum, 0), {"records": 2 * keys}


def run_scaling(session, params):
    return sum(map(datasets.cpu_work, range(params["scaling_calls"]))), {}


# DataFrame references (issue 17), in numpy/pandas: what a user of one process would write.

def run_df_filter(session, params):
    k, v = datasets.df_fact_numpy(params["df_n"], params["df_keys"])
    keep = k % datasets.DF_FILTER_MODULUS == datasets.DF_FILTER_REMAINDER
    t0 = time.perf_counter()
    result = list(zip(k[keep].tolist(), (v[keep] * 2 + 1).tolist()))
    return result, {"warm_seconds": time.perf_counter() - t0}


def run_df_groupby(session, params):
    import pandas as pd

    k, v = datasets.df_fact_numpy(params["df_n"], params["df_keys"])
    t0 = time.perf_counter()
    g = pd.DataFrame({"k": k, "v": v}).groupby("k")["v"].agg(
        ["count", "sum", "mean", "min", "max"])
    seconds = time.perf_counter() - t0
    return [(int(key), int(c), float(s), round(float(m), 9), float(lo), float(hi))
            for key, c, s, m, lo, hi in g.itertuples()], {"warm_seconds": seconds}


def run_df_broadcast_join(session, params):
    k, v = datasets.df_fact_numpy(params["df_n"], params["df_keys"])
    t0 = time.perf_counter()
    # Every fact key is in the dimension table, so the inner join keeps every fact row.
    vw = float((v * datasets.df_dim_weight_numpy(k)).sum())
    return [(len(k), vw)], {"warm_seconds": time.perf_counter() - t0}


def run_df_shuffle_join(session, params):
    import numpy as np

    n = params["df_join_n"]
    datasets.check_join_size(n)
    t0 = time.perf_counter()
    right_ids = np.arange(n, dtype=np.int64)
    # Right row j has key (j * stride) % n, a permutation: it meets left row of id == that key.
    k = datasets.df_shuffle_right_key_numpy(right_ids, n)
    v = ((k * 7) % datasets.DF_V_MODULUS) * 0.25
    vw = float((v * (right_ids % datasets.DF_W_MODULUS)).sum())
    return [(n, vw)], {"warm_seconds": time.perf_counter() - t0}


def run_df_first_show(session, params):
    t0 = time.perf_counter()
    rows = datasets.df_json_rows(params["df_json_rows"])
    return rows, {"warm_seconds": time.perf_counter() - t0}
