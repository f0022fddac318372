"""File-based shuffle: how map tasks write their output and reduce tasks read it.

A shuffle-map task writes ONE data file: the records for reduce partition 0, then those for 1, and
so on, each as a run of pickled batches. The byte offsets where each reduce partition's run starts
go back to the driver in the task's MapStatus (Spark's index file, kept in the map output tracker).
A reduce task reads, from every map output, just the byte range of its partition, in map order.

Files live in a directory per executor under the application's local dir, so an executor's shuffle
output is lost with the executor, as in Spark without an external shuffle service, and the
scheduler recomputes it from lineage.

Out of core: a task's in-memory buffers (the combiners of a map-side combine or of the reduce
side, the values a join or cogroup groups by key, the records of a partition being sorted)
are estimated every ``CHECK_EVERY`` records against the executor's execution memory. Past
it, the buffer is sorted and written to disk as a *spilled run*, and the task ends by merging
the runs (``heapq.merge``), holding one batch per run. Combiners and groups are sorted by key
hash, so that runs merge without the keys being orderable; the records
of a sort are sorted by the sort key, and the merge is stable, so a spilled sort gives exactly
the order of an in-memory one. Nothing spills while a buffer fits, and then results and their order
are those of a plain dict or sort. Spilled runs are unnamed temporary files in the executor's
shuffle directory: they vanish when closed, when the task ends or its process dies.
"""

import heapq
import itertools
import os
import pickle
import sys
import tempfile
import time

from .serializers import dumps_records, load_records
from .sizeestimator import CHECK_EVERY, dict_size, fill_within, records_until_next_check, size_of
from .taskcontext import TaskContext

# Records per pickled batch: large enough to amortise pickling overhead, small enough that a
# reduce task never holds more than a batch of undecoded records per map output.
BATCH_SIZE = 4096


class MapStatus:
    """Where one map task's output is, and where each reduce partition's bytes start in it."""

    __slots__ = ("executorId", "path", "offsets", "records")

    def __init__(self, executorId, path, offsets, records):
        self.executorId = executorId
        self.path = path
        self.offsets = offsets
        self.records = records

    def segment(self, reduceId):
        return self.offsets[reduceId], self.offsets[reduceId + 1]


class FetchFailedError(Exception):
    """A reduce task could not read a map output (its executor was lost): the map stage must rerun."""

    def __init__(self, shuffleId, mapIndex, path):
        super().__init__("shuffle %d: map output %d at %s is missing" % (shuffleId, mapIndex, path))
        self.shuffleId = shuffleId
        self.mapIndex = mapIndex


def write_map_output(records, partitioner, path, metrics):
    """Partition (key, value) pairs into ``partitioner.numPartitions`` runs of ``path``.

    Full batches go to a temporary file as they fill up (any reduce partition's, interleaved);
    the data file is then assembled run by run from it, so the map output is never all in memory.
    With many reduce partitions, the partly filled batches together may outgrow a quarter of the
    execution memory: then they all go to the temporary file, whatever their size.
    """
    started = time.perf_counter_ns()
    n = partitioner.numPartitions
    partition_func = partitioner.partitionFunc
    buckets = [[] for _ in range(n)]
    spilled = None
    pieces = [[] for _ in range(n)]  # (offset, length) in ``spilled`` of each full batch, per bucket
    count = buffered = 0
    budget = _TaskMemory().budget if n > 1 else None

    def spill(b):
        nonlocal spilled
        if spilled is None:
            spilled = tempfile.TemporaryFile(prefix="map-", dir=os.path.dirname(path))
        data = dumps_records(buckets[b])
        pieces[b].append((spilled.tell(), len(data)))
        spilled.write(data)
        buckets[b] = []

    for k, v in records:
        b = partition_func(k) % n
        bucket = buckets[b]
        bucket.append((k, v))
        count += 1
        buffered += 1
        if len(bucket) >= BATCH_SIZE:
            buffered -= len(bucket)
            spill(b)
        elif budget is not None and buffered >= BATCH_SIZE and not count % CHECK_EVERY:
            if buffered * (size_of((k, v)) + 8) > budget // 4:
                for full in range(n):
                    if buckets[full]:
                        spill(full)
                buffered = 0
    offsets = [0]
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb") as f:
            for b in range(n):
                for offset, length in pieces[b]:
                    spilled.seek(offset)
                    f.write(spilled.read(length))
                if buckets[b]:
                    f.write(dumps_records(buckets[b]))
                    buckets[b] = None
                offsets.append(f.tell())
    finally:
        if spilled is not None:
            spilled.close()
    os.replace(tmp, path)  # a reader never sees a half-written file
    metrics["shuffleWriteMetrics"]["bytesWritten"] += offsets[-1]
    metrics["shuffleWriteMetrics"]["recordsWritten"] += count
    metrics["shuffleWriteMetrics"]["writeTime"] += time.perf_counter_ns() - started
    return offsets, count


def read_reduce_input(shuffleId, segments, metrics):
    """Yield the records of one reduce partition from ``segments``: (mapIndex, path, start, end)."""
    for _map_index, batch in read_reduce_batches(shuffleId, segments, metrics):
        yield from batch


def read_reduce_batches(shuffleId, segments, metrics):
    """Yield (mapIndex, batch of records) for one reduce partition, in map order."""
    read = metrics["shuffleReadMetrics"]
    for map_index, path, start, end in segments:
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise FetchFailedError(shuffleId, map_index, path) from None
        with f:
            read["localBlocksFetched"] += 1
            read["localBytesRead"] += end - start
            f.seek(start)
            while f.tell() < end:  # one batch at a time: a segment may be larger than memory
                batch = pickle.load(f)
                read["recordsRead"] += len(batch)
                yield map_index, batch


# ---- spilling to disk past the execution memory ----

_SPILL_BATCH = 1024  # records per pickled batch of a spilled run: what a merge holds per run
_MAX_RUNS = 64  # more runs than this are merged into one first (bounded open files and batches)


def _hash_of_key(kv):
    return hash(kv[0])


class _TaskMemory:
    """The running task's share of execution memory, and where it spills.

    Spark's unified memory: execution and storage share ``spark.executor.memory`` ×
    ``spark.memory.fraction``; execution may take back what storage holds beyond half of it.
    Outside a task (no executor), nothing is limited.
    """

    def __init__(self):
        context = TaskContext.get()
        env = getattr(context, "_env", None)
        self.budget = None
        if env is not None:
            blocks = env.blocks
            self.budget = blocks.memory_budget - min(blocks.memory_used, blocks.memory_budget // 2)
            self.directory = env.shuffle_dir
            self.metrics = env.metrics
        self.runs = []

    def observe(self, size):
        if size > self.metrics.get("peakExecutionMemory", 0):
            self.metrics["peakExecutionMemory"] = size

    def spill(self, records, in_memory_size):
        """Write ``records`` (already in run order) as a new run."""
        self.runs.append(self._write(records))
        self.metrics["memoryBytesSpilled"] = self.metrics.get("memoryBytesSpilled", 0) + in_memory_size

    def _write(self, records):
        f = tempfile.TemporaryFile(prefix="spill-", dir=self.directory)
        it = iter(records)
        while True:
            batch = list(itertools.islice(it, _SPILL_BATCH))
            if not batch:
                break
            f.write(dumps_records(batch))
        f.flush()
        self.metrics["diskBytesSpilled"] = self.metrics.get("diskBytesSpilled", 0) + f.tell()
        f.seek(0)
        return f

    def compact(self, merge):
        """Merge the runs into one when there are too many; ``merge(streams)`` gives run order."""
        if len(self.runs) >= _MAX_RUNS:
            runs, self.runs = self.runs, []
            self.runs.append(self._write(merge([_read_run(f) for f in runs])))

    def streams(self):
        runs, self.runs = self.runs, []
        return [_read_run(f) for f in runs]


def _read_run(f):
    try:
        yield from load_records(f)
    finally:
        f.close()


_NO_RECORD = object()


class MappedPartition:
    """A partition of ``rdd.map(f)``: iterating it yields ``f(record)`` for each record of
    ``source``, from a generator, so that a StopIteration raised by f fails the task instead of
    ending the partition early (PEP 479).

    A map-side combine, the loop where a ``map(...).reduceByKey(...)`` spends its time, calls f
    itself instead of resuming that generator once per record (word count: 12 % less time); a
    StopIteration from f leaves that loop as an error too.
    """

    __slots__ = ("f", "source", "_records")

    def __init__(self, f, source):
        self.f = f
        self.source = source
        self._records = None

    def __iter__(self):
        f = self.f
        return (f(x) for x in self.source)

    def __next__(self):
        if self._records is None:
            self._records = iter(self)
        return next(self._records)


def combine_by_key(iterator, create, merge_value, merge_combiners):
    """Combine (key, value) pairs into (key, combiner) pairs, spilling past the execution memory.

    Without a spill the result is the dict's items, in first-seen order; with spills, the same
    pairs in key-hash order.
    """
    memory = _TaskMemory()
    combiners = {}
    f = iterator.f if type(iterator) is MappedPartition else None
    it = iter(iterator) if f is None else iter(iterator.source)
    step, since_spill = (CHECK_EVERY if memory.budget is not None else sys.maxsize), 0
    while True:
        # A chunk's first record is taken to see whether any are left, so that this loop, where a
        # map-side combine spends most of its time, need not count records one by one.
        first = next(it, _NO_RECORD)
        if first is _NO_RECORD:
            break
        chunk = itertools.chain((first,), itertools.islice(it, step - 1))
        if f is None:
            for k, v in chunk:
                try:
                    combiner = combiners[k]
                except KeyError:
                    combiners[k] = create(v)
                else:
                    combiners[k] = merge_value(combiner, v)
        else:  # the same loop with map's f called in it: one call per record is what it saves
            for record in chunk:
                k, v = f(record)
                try:
                    combiner = combiners[k]
                except KeyError:
                    combiners[k] = create(v)
                else:
                    combiners[k] = merge_value(combiner, v)
        if memory.budget is None:
            continue
        since_spill += step  # the last chunk may hold fewer: the count only sets the next chunk's length
        size = dict_size(combiners)
        memory.observe(size)
        if size > memory.budget:
            items = sorted(combiners.items(), key=_hash_of_key)
            combiners = {}
            memory.spill(items, size)
            del items
            memory.compact(lambda streams: _merge_by_key_hash(streams, merge_combiners))
            step, since_spill = CHECK_EVERY, 0
        else:
            step = records_until_next_check(size, since_spill, memory.budget)
    if not memory.runs:
        return iter(combiners.items())
    last = sorted(combiners.items(), key=_hash_of_key)
    del combiners
    return _merge_by_key_hash(memory.streams() + [last], merge_combiners)


def _merge_by_key_hash(streams, merge_combiners):
    """Merge runs of (key, combiner) sorted by key hash; keys sharing a hash are told apart."""
    group, group_hash = {}, None
    for k, c in heapq.merge(*streams, key=_hash_of_key):
        h = hash(k)
        if h != group_hash:
            yield from group.items()
            group, group_hash = {}, h
        if k in group:
            group[k] = merge_combiners(group[k], c)
        else:
            group[k] = c
    yield from group.items()


def sort_records(iterator, key, reverse=False):
    """``sorted(iterator, key=key, reverse=reverse)`` as an iterator, spilling sorted runs past the
    execution memory; the merge is stable, so the order is the same either way."""
    memory = _TaskMemory()
    if memory.budget is None:
        return iter(sorted(iterator, key=key, reverse=reverse))
    buffer = []
    it = iter(iterator)
    while True:
        size, ended = fill_within(buffer, it, memory.budget)
        memory.observe(size)
        if size > memory.budget:
            buffer.sort(key=key, reverse=reverse)
            memory.spill(buffer, size)
            buffer = []
            memory.compact(lambda streams: heapq.merge(*streams, key=key, reverse=reverse))
        if ended:
            break
    buffer.sort(key=key, reverse=reverse)
    if not memory.runs:
        return iter(buffer)
    return heapq.merge(*memory.streams(), buffer, key=key, reverse=reverse)


# ---- join and cogroup ----


class CombinedValues(list):
    """One key's values, combined by a join/cogroup map task: told apart from a value that
    happens to be a list by its type."""


def combine_side_values(iterator):
    """What a join/cogroup map task shuffles: its records as they are, or, when keys repeat in
    its first records, each key's values combined into one record (spilling like any map-side
    combine). Combining pays only where it saves records; either way the reduce side reads the
    same values in the same order."""
    it = iter(iterator)
    head = list(itertools.islice(it, BATCH_SIZE))
    records = itertools.chain(head, it)
    if len({k for k, _ in head}) > len(head) // 2:
        return records
    return combine_by_key(records, _combined_value, append_value, extend_values)


def _combined_value(v):
    return CombinedValues((v,))


def append_value(values, v):
    values.append(v)
    return values


def extend_values(values, more):
    values.extend(more)
    return values


class CoGroups:
    """A join/cogroup reduce partition's values grouped by key and, within a key, by side (the
    input RDD they were shuffled from), each side's values in the order they were read.

    Most keys of a join have one value per side, so a side is a dict of each key's first value
    plus a dict of the further values of the keys that repeat: no list is made per key, which
    keeps both the grouping and the garbage collector's walks over it cheap.
    """

    def __init__(self, sides):
        self.first = [{} for _ in range(sides)]
        self.more = [{} for _ in range(sides)]
        self.merged = None  # the merge of the spilled runs, when there are any

    def add(self, side, batch):
        first = self.first[side]
        more = self.more[side]
        if type(batch[0][1]) is CombinedValues:  # a map output's batches are all alike
            for k, values in batch:
                known = more.get(k)
                if known is not None:
                    known.extend(values)
                elif k in first:
                    more[k] = values
                else:
                    first[k] = values[0]
                    if len(values) > 1:
                        more[k] = values[1:]
            return
        unique = dict(batch)
        if len(unique) == len(batch) and first.keys().isdisjoint(unique):
            first.update(unique)
            return
        for k, v in batch:
            values = more.get(k)
            if values is not None:
                values.append(v)
            elif k in first:
                more[k] = [v]
            else:
                first[k] = v

    def single_values(self):
        """Each side's dict of key -> value when no key has two values on one side and nothing
        was spilled; else None."""
        if self.merged is None and not any(self.more):
            return self.first
        return None

    def items(self):
        """(key, [values of side 0, values of side 1, ...]) for every key: in the order the keys
        were first read or, after a spill, in key-hash order."""
        if self.merged is not None:
            return self.merged
        return ((k, self._values_by_side(k)) for k in self._keys())

    def _keys(self):
        seen, *others = self.first
        yield from seen
        for i, first in enumerate(others, 2):
            yield from (k for k in first if k not in seen)
            if i < len(self.first):
                seen = seen | first

    def _values_by_side(self, k):
        return [([first[k], *more[k]] if k in more else [first[k]]) if k in first else []
                for first, more in zip(self.first, self.more)]

    def by_key_hash(self):
        """``items()`` in key-hash order: a spilled run."""
        keys = sorted(self._keys(), key=hash)
        return ((k, self._values_by_side(k)) for k in keys)

    def size(self):
        """Approximate bytes held, from a sample of each side's keys and values."""
        size = 0
        for first, more in zip(self.first, self.more):
            for d in (first, more):
                size += dict_size(d)
        return size


def cogroup_batches(side_batches, sides):
    """Group the (side, batch of (key, value)) of a join/cogroup reduce partition into CoGroups,
    spilling them in key-hash order past the execution memory, like ``combine_by_key``."""
    memory = _TaskMemory()
    groups = CoGroups(sides)
    if memory.budget is None:
        for side, batch in side_batches:
            groups.add(side, batch)
        return groups
    step, since_check, since_spill = CHECK_EVERY, 0, 0
    for side, batch in side_batches:
        groups.add(side, batch)
        since_check += len(batch)
        if since_check < step:
            continue
        since_spill += since_check
        since_check = 0
        size = groups.size()
        memory.observe(size)
        if size > memory.budget:
            memory.spill(groups.by_key_hash(), size)
            groups = CoGroups(sides)
            memory.compact(lambda streams: _merge_by_key_hash(streams, _extend_sides))
            step, since_spill = CHECK_EVERY, 0
        else:
            step = records_until_next_check(size, since_spill, memory.budget)
    if memory.runs:
        last = groups.by_key_hash()
        groups = CoGroups(sides)
        groups.merged = _merge_by_key_hash(memory.streams() + [last], _extend_sides)
    return groups


def _extend_sides(a, b):
    for values, more in zip(a, b):
        values.extend(more)
    return a
