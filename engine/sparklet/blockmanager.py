"""The executor's block store: cached RDD partitions, kept within a memory budget.

Blocks are named like Spark's (``rdd_<rddId>_<partition>``). Memory levels keep the partition's
records as a list; when the store is over its budget the least recently used blocks go first:
dropped for memory-only levels (recomputed from lineage when needed again), written to disk for
``*_AND_DISK`` levels. ``DISK_ONLY`` blocks are pickled to the executor's block directory. A
partition is unrolled into memory a chunk at a time, its size estimated after each chunk (chunks grow
while it is far from the storage memory, as a shuffle's buffers are checked): one that outgrows
the storage memory goes to disk (``*_AND_DISK``) or is not cached (memory only), without ever
being held whole.
Every change is reported to the driver as a block update (its ``BlockManagerMaster``).

Sizes are what the block holds. Serialized levels (every level PySpark names: ``MEMORY_ONLY`` is
"Memory Serialized" because PySpark caches pickled records) keep the partition as pickled batches,
and their size is those bytes, exactly; a disk block's size is its file's. Only a deserialized
memory level (``StorageLevel(False, True, False, True)``) keeps live Python objects, whose size
is an estimate (`sizeestimator.list_size`: the list and a sample of its records, scaled), and the
status store marks it as such (``sizeKind: "estimated"``).
"""

import itertools
import os
import pickle
from collections import OrderedDict

from .serializers import dumps_records, load_records_from
from .sizeestimator import fill_within, list_size
from .storagelevel import StorageLevel

_DISK_BATCH = 1024  # records per pickled batch of a block on disk


def _batches(records):
    """The records pickled a batch at a time (a block's serialized form, on disk or in memory)."""
    it = iter(records)
    while True:
        batch = list(itertools.islice(it, _DISK_BATCH))
        if not batch:
            return
        yield dumps_records(batch)


def serialized_size(records):
    """The bytes a partition of `records` takes cached at a serialized level (its pickled batches).

    >>> serialized_size(["spark"] * 1000) < 10 * 1000
    True
    """
    return sum(len(batch) for batch in _batches(records))


def _load_batches(batches):
    for batch in batches:
        yield from pickle.loads(batch)


def estimate_size(records):
    """The bytes a partition's records are accounted at in storage memory (64 records sampled)."""
    return list_size(records, 64)


class BlockStore:
    def __init__(self, executor_id, block_dir, memory_budget):
        self.executor_id = executor_id
        self.block_dir = block_dir
        self.memory_budget = memory_budget
        self.memory = OrderedDict()  # block id -> (records, size, level), least recently used first
        self.memory_used = 0
        self.disk = {}  # block id -> (path, size, level)
        self.updates = []  # (blockId, level, memSize, diskSize) since the last task's report
        self.events = []  # ("hit" | "computed" | "evicted", blockId)

    @staticmethod
    def block_id(rdd_id, split):
        return "rdd_%d_%d" % (rdd_id, split)

    def get_or_compute(self, rdd, split, context):
        bid = self.block_id(rdd._id, split)
        if bid in self.memory:
            self.memory.move_to_end(bid)
            self.events.append(("hit", bid))
            payload, _size, level = self.memory[bid]
            return iter(payload) if level.deserialized else _load_batches(payload)
        if bid in self.disk:
            self.events.append(("hit", bid))
            return load_records_from(self.disk[bid][0])
        level = rdd._storage_level
        records = rdd.computeOrReadCheckpoint(split, context)
        self.events.append(("computed", bid))
        if level.useMemory:
            if level.deserialized:
                unrolled, size, rest = self._unroll(records)
                payload, batches = unrolled, None
            else:
                unrolled, payload, size, rest = self._unroll_serialized(records)
                batches = payload
            if rest is None:
                self._make_room(size)
                self.memory[bid] = (payload, size, level)
                self.memory_used += size
                self.updates.append((bid, level, size, 0))
                return iter(unrolled)
            records = itertools.chain(unrolled, rest)
            del unrolled, payload
            if not level.useDisk:
                return records  # larger than storage memory and no disk: not cached, as in Spark
            if batches is not None:  # what was pickled while unrolling is written as it is
                return load_records_from(self._write_to_disk(bid, None, level,
                                                             batches=itertools.chain(batches, _batches(rest))))
        return load_records_from(self._write_to_disk(bid, records, level))

    def _unroll(self, records):
        """(records, estimated size, None) when the partition fits in storage memory; else what was
        unrolled before it outgrew it, and the iterator of the rest (Spark's MemoryStore unrolling)."""
        unrolled = []
        it = iter(records)
        size, ended = fill_within(unrolled, it, self.memory_budget, estimate_size)
        if not ended:
            return unrolled, size, it
        return (unrolled, size, None) if size <= self.memory_budget else (unrolled, size, iter(()))

    def _unroll_serialized(self, records):
        """(records, their pickled batches, bytes, None) when the pickled partition fits in storage
        memory; else what was unrolled, its batches, their bytes and the iterator of the rest
        (Spark's MemoryStore.putIteratorAsBytes). A serialized block is measured, not estimated."""
        unrolled, batches, size = [], [], 0
        it = iter(records)
        while True:
            batch = list(itertools.islice(it, _DISK_BATCH))
            if not batch:
                return unrolled, batches, size, None
            data = dumps_records(batch)
            batches.append(data)
            unrolled.extend(batch)
            size += len(data)
            if size > self.memory_budget:
                return unrolled, batches, size, it

    def _write_to_disk(self, bid, records, level, batches=None):
        """Write a block as a run of pickled batches, never holding more than a batch of it
        (`batches`: a serialized block's batches, written as they are)."""
        os.makedirs(self.block_dir, exist_ok=True)
        path = os.path.join(self.block_dir, bid)
        with open(path, "wb") as f:
            for batch in batches if batches is not None else _batches(records):
                f.write(batch)
            size = f.tell()
        self.disk[bid] = (path, size, level)
        self.updates.append((bid, level, 0, size))
        return path

    def _make_room(self, size):
        while self.memory and self.memory_used + size > self.memory_budget:
            victim, (records, vsize, level) = self.memory.popitem(last=False)
            self.memory_used -= vsize
            self.events.append(("evicted", victim))
            if level.useDisk:
                if level.deserialized:
                    self._write_to_disk(victim, records, level)
                else:
                    self._write_to_disk(victim, None, level, batches=records)
            else:
                self.updates.append((victim, StorageLevel.NONE, 0, 0))

    def remove_rdd(self, rdd_id):
        prefix = "rdd_%d_" % rdd_id
        for bid in [b for b in self.memory if b.startswith(prefix)]:
            self.memory_used -= self.memory.pop(bid)[1]
        for bid in [b for b in self.disk if b.startswith(prefix)]:
            try:
                os.unlink(self.disk.pop(bid)[0])
            except FileNotFoundError:
                pass

    def take_updates(self):
        updates, events = self.updates, self.events
        self.updates, self.events = [], []
        return updates, events
