"""The workloads, their sizes and which implementations run them.

A workload is named once here; each implementation module (`plain_jobs`, `pool_jobs`,
`spark_jobs`) provides `run_<name>(session, params) -> (result, extras)`. `params` is the flat
dict of sizes below. The child process times the call; `extras` carries finer timings a workload
reports itself (per-job latency, first vs later actions).
"""

from dataclasses import dataclass

IMPLEMENTATIONS = ("sparklet", "pyspark", "pool", "plain")
ENGINES = ("sparklet", "pyspark")
DF_IMPLS = ("sparklet", "pyspark", "plain")

# The actions of the cached-iterative workload, cycled to reach `cached_actions`.
CACHED_ACTIONS = ("sum", "count", "min", "max", "mean")

FULL_SIZES = {
    "tiny_jobs": 50,
    "wordcount_mb": 100,
    "sort_n": 2_000_000,
    "join_n": 500_000,
    "group_n": 2_000_000,
    "group_keys": 10_000,
    "cached_n": 1_000_000,
    "cached_actions": 10,
    "cpu_calls": 200_000,
    "scaling_calls": 100_000,
    # Bounded-memory check (issue 4): data >= factor x the executors' total memory budget.
    "bounded_executor_memory_mb": 64,
    "bounded_factor": 4,
    "bounded_partitions": 2,
    "executors": 2,
    # DataFrame workloads (issue 17): (k, v) rows in 8 partitions, keys in [0, df_keys).
    "df_n": 10_000_000,
    "df_keys": 10_000,
    "df_join_n": 2_000_000,
    "df_partitions": 8,
    "df_json_rows": 100,
}

SMOKE_SIZES = dict(
    FULL_SIZES,
    tiny_jobs=10,
    wordcount_mb=2,
    sort_n=50_000,
    join_n=20_000,
    group_n=50_000,
    group_keys=1_000,
    cached_n=50_000,
    cpu_calls=4_000,
    scaling_calls=4_000,
    # Executors are held to spark.executor.memory including their interpreter (about 30 MB),
    # so the smoke budget cannot be tiny; at smoke size the data only equals the budget: the
    # run checks results, the full size checks the bound.
    bounded_executor_memory_mb=48,
    bounded_factor=1,
    df_n=200_000,
    df_keys=1_000,
    df_join_n=50_000,
)


@dataclass(frozen=True)
class Workload:
    name: str
    title: str
    impls: tuple
    # What the headline number is: "s" wall seconds of the timed call, "ms/job" per-job latency,
    # "ratio" a dimensionless ratio the workload computes itself.
    unit: str = "s"
    # Whether result check values are floats compared with a relative tolerance.
    float_result: bool = False
    # Whether a collected list's order is part of the answer (otherwise it is compared sorted).
    ordered: bool = False
    # Bounded-memory runs are slow and judged on memory, so they run once, not N times.
    single_run: bool = False


WORKLOADS = (
    Workload("startup", "start-up: import + context + first job", IMPLEMENTATIONS),
    Workload("tiny", "tiny-job latency: parallelize(range(100), 2).count()", IMPLEMENTATIONS,
             unit="ms/job"),
    # The same two with spark.eventLog.enabled (Spark 4's defaults otherwise: rolling, zstd), so the
    # cost of writing the event log shows beside them.
    Workload("startup_eventlog", "start-up, event log on", ENGINES),
    Workload("tiny_eventlog", "tiny-job latency, event log on", ENGINES, unit="ms/job"),
    Workload("wordcount", "word count {wordcount_mb} MB", IMPLEMENTATIONS),
    # The word count's least possible work per word under the RDD API, for what bounds an engine.
    Workload("wordcount_calls", "word count {wordcount_mb} MB, the program's functions called "
             "per word", ("pool", "plain")),
    Workload("sort", "sortByKey {sort_n:,} pairs", IMPLEMENTATIONS, ordered=True),
    Workload("join", "join 2 x {join_n:,} keys", IMPLEMENTATIONS),
    Workload("groupbykey", "groupByKey {group_n:,} pairs / {group_keys:,} keys",
             IMPLEMENTATIONS),
    Workload("cached", "cached iterative: {cached_actions} actions over {cached_n:,} floats",
             IMPLEMENTATIONS, float_result=True),
    Workload("cpu", "CPU-bound map: {cpu_calls:,} calls x ~50 us", IMPLEMENTATIONS),
    Workload("scaling", "CPU map, 2 partitions / 1 partition ({scaling_calls:,} calls)",
             ENGINES, unit="ratio"),
    # DataFrames (issue 17): the engines and a numpy/pandas reference; timed warm (see extras).
    Workload("df_filter", "DataFrame filter + project {df_n:,} rows", DF_IMPLS),
    Workload("df_groupby", "DataFrame groupBy {df_n:,} rows → {df_keys:,} keys, "
             "count/sum/avg/min/max", DF_IMPLS),
    Workload("df_broadcast_join", "DataFrame broadcast join {df_n:,} × {df_keys:,}", DF_IMPLS),
    Workload("df_shuffle_join", "DataFrame shuffle join {df_join_n:,} × {df_join_n:,}",
             DF_IMPLS),
    Workload("df_first_show", "first spark.read.json(...).show() in a warm session "
             "({df_json_rows} rows)", DF_IMPLS, ordered=True),
    Workload("bounded_sort", "bounded memory: sortByKey", ("sparklet", "plain"),
             single_run=True),
    Workload("bounded_group", "bounded memory: groupByKey", ("sparklet", "plain"),
             single_run=True),
    Workload("bounded_reduce", "bounded memory: reduceByKey(max)", ("sparklet", "plain"),
             single_run=True),
    Workload("bounded_join", "bounded memory: join", ("sparklet", "plain"), single_run=True),
)

BY_NAME = {w.name: w for w in WORKLOADS}
BOUNDED = tuple(w.name for w in WORKLOADS if w.name.startswith("bounded_"))


def bounded_records(params):
    """Record count of the bounded-memory data set: factor x the executors' total budget."""
    from bench.datasets import BOUNDED_RECORD_BYTES

    budget = bounded_budget_bytes(params)
    return -(-params["bounded_factor"] * budget // BOUNDED_RECORD_BYTES)


def bounded_budget_bytes(params):
    """All executors' configured memory together (each executor gets spark.executor.memory)."""
    return params["bounded_executor_memory_mb"] * params["executors"] * 1024 * 1024
