"""Deterministic inputs shared by every implementation.

Each workload's records are a pure function of their index, so Sparklet, PySpark, the process
pair and plain Python all generate exactly the same data where they need it (inside tasks for the
engines, inside each worker for the pool) and no implementation pays for shipping input data from
the driver. The word-count text is the one input that lives in a file: it is generated once into a
cache directory and reused by later runs.
"""

import math
import os
import random
import tempfile
import zlib

# A full-period LCG step over 2**31 (odd multiplier, so i -> key is a bijection): sort keys are
# unique and look random, which keeps sortByKey's range partitions balanced.
_LCG_MULTIPLIER = 1103515245
_LCG_INCREMENT = 12345
SORT_KEY_SPACE = 1 << 31

# Iterations of the CPU-bound record function; about 50 us per call on the reference machine
# (2-core AMD EPYC, Python 3.11).
CPU_WORK_ITERATIONS = 420

_JOIN_STRIDE = 7919  # prime, so i -> (i * stride + 13) % n permutes range(n) unless n % stride == 0

PAYLOAD_CHARS = 100


def sort_key(i):
    return (i * _LCG_MULTIPLIER + _LCG_INCREMENT) & (SORT_KEY_SPACE - 1)


def sort_pair(i):
    return (sort_key(i), i)


def join_left_pair(i):
    return (i, i)


def join_right_key(i, n):
    """The key of right-hand record i: a permutation of range(n) (see check_join_size)."""
    return (i * _JOIN_STRIDE + 13) % n


def join_right_pair(i, n):
    return (join_right_key(i, n), -i)


def check_join_size(n):
    if n % _JOIN_STRIDE == 0:
        raise ValueError(f"join size {n} must not be a multiple of {_JOIN_STRIDE}")


def group_pair(i, keys):
    return (sort_key(i) % keys, i)


def words_of_line(line):
    """The word count's flatMap function."""
    return line.split()


def word_pair(word):
    """The word count's map function."""
    return (word, 1)


def cached_value(i):
    return math.sqrt(i) + (i % 1000) * 0.001


def cpu_work(i):
    """About 50 us of pure-Python arithmetic; returns a small int so sums stay exact."""
    x = i
    total = 0
    for _ in range(CPU_WORK_ITERATIONS):
        x = (x * _LCG_MULTIPLIER + _LCG_INCREMENT) & 0x7FFFFFFF
        total += x % 97
    return total


def payload(i):
    """A fixed-width string whose lexicographic order is the numeric order of i."""
    return "%0*d" % (PAYLOAD_CHARS, i)


def payload_crc(value):
    return zlib.crc32(value.encode("ascii"))


# In-memory size of one bounded-memory record (key int, payload str, 2-tuple) in CPython 3.11:
# 28 + (49 + PAYLOAD_CHARS) + 56 bytes; sizes the data set against the executor memory budget.
BOUNDED_RECORD_BYTES = 28 + 49 + PAYLOAD_CHARS + 56


def halves(n):
    """The two index ranges the process pair splits range(n) into."""
    mid = n // 2
    return range(0, mid), range(mid, n)


# ---------------------------------------------------------------------------------------------
# Word-count text


def data_dir():
    path = os.environ.get("SPARKLET_BENCH_DATA") or os.path.join(
        tempfile.gettempdir(), "sparklet-bench-data")
    os.makedirs(path, exist_ok=True)
    return path


_VOCABULARY_SIZE = 20000
_TEXT_SEED = 20240611


def _vocabulary(rng):
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = set()
    while len(words) < _VOCABULARY_SIZE:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 10))))
    return sorted(words)


def word_text_path(megabytes):
    """Path of a ~megabytes MB text file of Zipf-distributed words, generated on first use."""
    path = os.path.join(data_dir(), f"words-{megabytes}MB-v1.txt")
    if os.path.exists(path):
        return path
    rng = random.Random(_TEXT_SEED)
    vocabulary = _vocabulary(rng)
    rng.shuffle(vocabulary)
    cumulative = []
    running = 0.0
    for rank in range(1, len(vocabulary) + 1):
        running += 1.0 / rank ** 1.1
        cumulative.append(running)
    target = int(megabytes * 1_000_000)
    tmp = f"{path}.{os.getpid()}.tmp"
    written = 0
    with open(tmp, "w", encoding="ascii", newline="\n") as out:
        while written < target:
            # A block of lines at a time keeps generation at a few seconds per 100 MB.
            words = rng.choices(vocabulary, cum_weights=cumulative, k=50_000)
            lines = []
            start = 0
            while start < len(words):
                width = 6 + (start * 7 + len(lines)) % 9
                lines.append(" ".join(words[start:start + width]))
                start += width
            block = "\n".join(lines) + "\n"
            out.write(block)
            written += len(block)
    os.replace(tmp, path)
    return path


def line_aligned_ranges(path, parts):
    """Split a file into `parts` byte ranges whose boundaries fall just after a newline."""
    size = os.path.getsize(path)
    bounds = [0]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(max(bounds[-1], size * k // parts))
            f.readline()
            bounds.append(min(f.tell(), size))
    bounds.append(size)
    return [(bounds[k], bounds[k + 1]) for k in range(parts)]



# ---------------------------------------------------------------------------------------------
# DataFrame workloads (issue 17): `(k bigint in [0, keys), v double)` rows defined by their index,
# written once as column expressions (both engines, `spark.range` + the same API) and once in
# numpy (the plain reference). Every v and w is a multiple of 0.25 below 2**10, so every sum the
# workloads take is exact in doubles whatever order an engine adds in: results compare exactly.

DF_V_MODULUS = 1009
DF_W_MODULUS = 101
# Rows the filter keeps: k % DF_FILTER_MODULUS == DF_FILTER_REMAINDER (0.1 % of them).
DF_FILTER_MODULUS = 1000
DF_FILTER_REMAINDER = 7


def df_fact_numpy(n, keys):
    """The fact table's columns (k, v) for ids range(n), as numpy arrays."""
    import numpy as np

    ids = np.arange(n, dtype=np.int64)
    return ids % keys, ((ids * 7) % DF_V_MODULUS) * 0.25


def df_dim_weight_numpy(k):
    """The dimension table's w for key(s) k."""
    return ((k * 3) % DF_W_MODULUS) * 1.0


def df_shuffle_right_key_numpy(ids, n):
    """The shuffle join's right-side key of each id: a permutation of range(n)."""
    return (ids * _JOIN_STRIDE) % n


def df_json_path(rows):
    """A small JSON-lines file (name, age with some missing, score), generated on first use."""
    import json

    path = os.path.join(data_dir(), f"people-{rows}-v1.json")
    if not os.path.exists(path):
        tmp = path + f".{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            for i in range(rows):
                record = {"name": f"person{i:04d}", "score": (i * 37 % 1000) / 8}
                if i % 7:
                    record["age"] = 18 + i % 50
                f.write(json.dumps(record) + "\n")
        os.replace(tmp, path)
    return path


def df_json_rows(rows):
    """The JSON file's rows as PySpark collects them: fields sorted by name, missing as None."""
    import json

    with open(df_json_path(rows)) as f:
        records = [json.loads(line) for line in f]
    fields = sorted({key for r in records for key in r})
    return [tuple(r.get(key) for key in fields) for r in records]
