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

The size a block update reports is what the block holds in Spark, where PySpark's records are
pickled: for a serialized level (every level PySpark names: ``MEMORY_ONLY`` is "Memory
Serialized") the bytes of its pickled batches, measured when the block is stored; for a disk block
its file's bytes. Only a deserialized memory level (``StorageLevel(False, True, False, True)``)
reports an estimate of its Python objects (`sizeestimator.list_size`), and the status store marks
it as one (``sizeKind: "estimated"``). A memory block keeps its records as Python objects all the
same, so that reading it back costs no unpickling, and storage memory is accounted by their
estimated size, which is what the executor really holds.
"""

import itertools
import os
from collections import OrderedDict

from .serializers import dumps_records, load_records_from
from .sizeestimator import fill_within, list_size
from .storagelevel import StorageLevel

_DISK_BATCH = 1024  # records per pickled batch of a block on disk


def serialized_size(records):
    """The bytes `records` take pickled in batches, as a serialized level's block holds them.

    >>> serialized_size(["spark"] * 1000) < 10 * 1000
    True
    """
    return sum(len(dumps_records(records[i:i + _DISK_BATCH])) for i in range(0, len(records), _DISK_BATCH))


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
            return iter(self.memory[bid][0])
        if bid in self.disk:
            self.events.append(("hit", bid))
            return load_records_from(self.disk[bid][0])
        level = rdd._storage_level
        records = rdd.computeOrReadCheckpoint(split, context)
        self.events.append(("computed", bid))
        if level.useMemory:
            unrolled, size, rest = self._unroll(records)
            if rest is None:
                self._make_room(size)
                self.memory[bid] = (unrolled, size, level)
                self.memory_used += size
                reported = size if level.deserialized else serialized_size(unrolled)
                self.updates.append((bid, level, reported, 0))
                return iter(unrolled)
            records = itertools.chain(unrolled, rest)
            del unrolled
            if not level.useDisk:
                return records  # larger than storage memory and no disk: not cached, as in Spark
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

    def _write_to_disk(self, bid, records, level):
        """Write a block as a run of pickled batches, never holding more than a batch of it."""
        os.makedirs(self.block_dir, exist_ok=True)
        path = os.path.join(self.block_dir, bid)
        it = iter(records)
        with open(path, "wb") as f:
            while True:
                batch = list(itertools.islice(it, _DISK_BATCH))
                if not batch:
                    break
                f.write(dumps_records(batch))
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
                self._write_to_disk(victim, records, level)
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
