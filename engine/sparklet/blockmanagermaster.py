"""The block-manager master: which executor holds which cached block (Spark's BlockManagerMaster).

Executors own their blocks (``blockmanager.BlockStore``); each finished task reports the block
changes it caused, and this driver-side registry applies them: a block stored at any level is
*located* on that executor; a block dropped (level NONE) is no longer. The task scheduler asks for
locations to prefer the executor that caches a partition a task reads. An executor lost takes its
locations with it; an RDD unpersisted loses all of its own. Removing a shuffle's files (the
cleaner's work once no RDD reads the shuffle) also happens here, as Spark's master tells the
block managers to remove a shuffle.

Every applied update is published on the listener bus (``SparkListenerBlockUpdated``), with the
cache hits, computations and evictions the executor saw (``SparkletBlockEvent``).

State and threading: changed only on the DAG scheduler's event-loop thread; other threads read
locations through ``DAGScheduler.call``.
"""

import os

from . import listener as L
from .storagelevel import StorageLevel


class BlockManagerMaster:
    """Block locations by (rdd id, partition).

    >>> from sparklet.listener import LiveListenerBus
    >>> bus = LiveListenerBus()
    >>> master = BlockManagerMaster(bus)
    >>> master.update_blocks("1", [("rdd_4_0", StorageLevel.MEMORY_ONLY, 120, 0)], [])
    >>> master.locations(4, 0)
    {'1'}
    >>> master.remove_executor("1")
    >>> master.locations(4, 0)
    set()
    >>> bus.stop()
    """

    def __init__(self, bus):
        self.bus = bus
        self.blockLocations = {}  # (rddId, split) -> {executorId}

    def locations(self, rdd_id, split):
        return set(self.blockLocations.get((rdd_id, split), ()))

    def has_blocks(self):
        return bool(self.blockLocations)

    def update_blocks(self, executor_id, updates, events):
        """Apply a task's block updates ((blockId, level, memSize, diskSize)) and publish them."""
        for bid, level, mem, disk in updates:
            _, rdd_id, split = bid.split("_")
            key = (int(rdd_id), int(split))
            where = self.blockLocations.setdefault(key, set())
            if level == StorageLevel.NONE:
                where.discard(executor_id)
                if not where:
                    del self.blockLocations[key]
            else:
                where.add(executor_id)
            self.bus.post(L.SparkListenerBlockUpdated(L.BlockUpdatedInfo(executor_id, bid, level, mem, disk)))
        for kind, bid in events or ():
            self.bus.post(L.SparkletBlockEvent(executor_id, bid, kind))

    def remove_executor(self, executor_id):
        for key in list(self.blockLocations):
            self.blockLocations[key].discard(executor_id)
            if not self.blockLocations[key]:
                del self.blockLocations[key]

    def remove_rdd(self, rdd_id):
        for key in [k for k in self.blockLocations if k[0] == rdd_id]:
            del self.blockLocations[key]

    @staticmethod
    def remove_shuffle(statuses):
        """Delete a shuffle's map output files (its ``MapStatus`` list, as the tracker returns it)."""
        for status in statuses:
            if status is not None:
                try:
                    os.unlink(status.path)
                except FileNotFoundError:
                    pass
