"""Persistence: storage levels, LRU eviction within the executor's storage memory, recomputation
from lineage, checkpoints, and the block events that say what happened."""

import contextlib
import os
import signal
import time

import pytest

from sparklet import SparkConf, SparkContext, StorageLevel
from sparklet.blockmanager import estimate_size
from sparklet.context import EXECUTOR_RESERVED_MEMORY
from sparklet.listener import SparkListener
from test_faults import own_contexts

ROWS = 4000


def row(tag, i):
    return tag, i, "%s-%06d-" % (tag, i) + "x" * 60


def rows(tag):
    """The records of one cached RDD: identical sizes for every tag, different contents."""
    return [row(tag, i) for i in range(ROWS)]


class BlockRecorder(SparkListener):
    def __init__(self):
        self.updates = []  # (blockId, storageLevel, memSize, diskSize)
        self.events = []  # (kind, blockId)

    def onBlockUpdated(self, event):
        info = event.blockUpdatedInfo
        self.updates.append((info.blockId, info.storageLevel, info.memSize, info.diskSize))

    def onOtherEvent(self, event):
        if type(event).__name__ == "SparkletBlockEvent":
            self.events.append((event.kind, event.blockId))

    def kinds(self, block):
        return [k for k, b in self.events if b == block]


@contextlib.contextmanager
def private_context(conf):
    """A context with its own configuration (memory budget, local dir) for one test, stopped after."""
    with own_contexts():
        context = SparkContext(conf=conf.set("spark.sparklet.console.taskOutput", "false"))
        try:
            yield context
        finally:
            context.stop()
        assert not os.path.exists(context._local_dir), "local dir outlived stop()"


def one_partition_size():
    return estimate_size(rows("a")[:ROWS // 2])


@pytest.fixture
def small_sc(tmp_path):
    """One executor whose storage memory holds two of the three test RDDs (2 partitions each)."""
    per_rdd = 2 * one_partition_size()
    storage = int(per_rdd * 2.5)
    memory = EXECUTOR_RESERVED_MEMORY + int(storage / 0.6)
    conf = (SparkConf().setMaster("local[1]").setAppName("storage-tests")
            .set("spark.executor.memory", "%db" % memory)
            .set("spark.local.dir", str(tmp_path / "local")))
    with private_context(conf) as context:
        recorder = BlockRecorder()
        context.addSparkListener(recorder)
        context.recorder = recorder
        yield context


def test_lru_eviction_and_recomputation(small_sc):
    sc, rec = small_sc, small_sc.recorder
    computed = sc.accumulator(0)

    def make(tag):
        def build(i):
            computed.add(1)
            return row(tag, i)
        return sc.parallelize(range(ROWS), 2).map(build).cache()

    a, b, c = make("a"), make("b"), make("c")
    assert a.count() == b.count() == ROWS
    assert computed.value == 2 * ROWS
    assert c.count() == ROWS  # needs room: a, least recently used, goes
    sc.listenerBus.waitUntilEmpty()
    a_blocks = ["rdd_%d_%d" % (a.id(), p) for p in range(2)]
    evicted = [blk for kind, blk in rec.events if kind == "evicted"]
    assert evicted == a_blocks
    for blk in a_blocks:
        assert (blk, StorageLevel.NONE, 0, 0) in rec.updates

    # b and c are still cached: reading them computes nothing.
    assert b.collect() == rows("b") and c.collect() == rows("c")
    assert computed.value == 3 * ROWS
    # a was evicted: it is recomputed from its lineage, with the right result.
    assert a.collect() == rows("a")
    assert computed.value == 4 * ROWS
    sc.listenerBus.waitUntilEmpty()
    for blk in a_blocks:
        assert rec.kinds(blk)[:3] == ["computed", "evicted", "computed"]
    for r in (b, c):
        for p in range(2):
            assert "hit" in rec.kinds("rdd_%d_%d" % (r.id(), p))
    # Caching a again evicted b, now the least recently used of the three.
    assert [blk for kind, blk in rec.events if kind == "evicted"][2:] == ["rdd_%d_%d" % (b.id(), p) for p in range(2)]


def test_memory_and_disk_spills_evicted_blocks_instead_of_dropping(small_sc):
    sc, rec = small_sc, small_sc.recorder
    computed = sc.accumulator(0)

    def make(tag):
        def build(i):
            computed.add(1)
            return row(tag, i)
        return sc.parallelize(range(ROWS), 2).map(build).persist(StorageLevel.MEMORY_AND_DISK)

    rdds = [make(t) for t in "abc"]
    for r in rdds:
        r.count()
    for r, tag in zip(rdds, "abc"):
        assert r.collect() == rows(tag)
    assert computed.value == 3 * ROWS  # nothing was recomputed: evicted blocks went to disk
    sc.listenerBus.waitUntilEmpty()
    first = rdds[0].id()
    on_disk = [u for u in rec.updates if u[0].startswith("rdd_%d_" % first) and u[3] > 0]
    assert len(on_disk) == 2 and all(u[2] == 0 for u in on_disk)


def test_disk_only_writes_blocks_to_disk(small_sc):
    sc, rec = small_sc, small_sc.recorder
    computed = sc.accumulator(0)

    def build(i):
        computed.add(1)
        return row("d", i)

    rdd = sc.parallelize(range(ROWS), 2).map(build).persist(StorageLevel.DISK_ONLY)
    assert rdd.getStorageLevel() == StorageLevel.DISK_ONLY
    assert rdd.collect() == rows("d")
    assert rdd.map(lambda r: r[1]).sum() == sum(range(ROWS))
    assert computed.value == ROWS
    sc.listenerBus.waitUntilEmpty()
    mine = [u for u in rec.updates if u[0].startswith("rdd_%d_" % rdd.id())]
    assert len(mine) == 2 and all(u[1] == StorageLevel.DISK_ONLY and u[2] == 0 and u[3] > 0 for u in mine)
    block_dir = os.path.join(sc._local_dir, "blocks")
    assert sorted(n for _, _, names in os.walk(block_dir) for n in names) == sorted(u[0] for u in mine)


def test_unpersist_storage_level_and_is_cached(sc):
    computed = sc.accumulator(0)

    def build(x):
        computed.add(1)
        return x * 2

    rdd = sc.parallelize(range(100), 4).map(build)
    assert rdd.getStorageLevel() == StorageLevel.NONE and not rdd.is_cached
    rdd.persist(StorageLevel.MEMORY_ONLY_2)  # replicated levels are accepted
    assert rdd.is_cached and rdd.getStorageLevel() == StorageLevel.MEMORY_ONLY_2
    assert rdd.id() in sc.getPersistentRDDs()
    assert rdd.sum() == 9900 and rdd.sum() == 9900
    assert computed.value == 100
    assert rdd.unpersist() is rdd
    assert not rdd.is_cached and rdd.getStorageLevel() == StorageLevel.NONE
    assert rdd.id() not in sc.getPersistentRDDs()
    assert rdd.sum() == 9900
    assert computed.value == 200
    rdd.persist(StorageLevel.DISK_ONLY)  # a new level is allowed after unpersist
    assert rdd.count() == 100


def test_checkpoint_cuts_lineage_and_survives_losing_the_executors(tmp_path):
    conf = SparkConf().setMaster("local[2]").setAppName("checkpoint").set("spark.local.dir", str(tmp_path / "l"))
    with private_context(conf) as sc:
        sc.setCheckpointDir(str(tmp_path / "ckpt"))
        computed = sc.accumulator(0)

        def build(kv):
            computed.add(1)
            return kv[0], kv[1] * 10

        rdd = sc.parallelize([(i % 7, i) for i in range(200)], 4).reduceByKey(lambda a, b: a + b).map(build).cache()
        rdd.checkpoint()
        assert not rdd.isCheckpointed()
        expected = sorted((k, 10 * sum(i for i in range(200) if i % 7 == k)) for k in range(7))
        assert sorted(rdd.collect()) == expected
        assert rdd.isCheckpointed() and not rdd.isLocallyCheckpointed()
        assert rdd.getCheckpointFile().startswith("file:" + str(tmp_path / "ckpt"))
        assert "CheckpointRDD" in rdd.toDebugString().decode()
        assert "ShuffledRDD" not in rdd.toDebugString().decode()
        before = computed.value

        # Every executor holding the cached blocks dies; the checkpoint files remain.
        for _id, pid, _cores in sc.executors:
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(sc.executors) < 2:
            time.sleep(0.05)
        assert sorted(rdd.collect()) == expected
        assert computed.value == before  # read back from the checkpoint, not recomputed


def test_local_checkpoint(sc):
    rdd = sc.parallelize(range(50), 5).map(lambda x: x + 1)
    rdd.localCheckpoint()
    assert rdd.getStorageLevel() == StorageLevel.MEMORY_AND_DISK
    assert rdd.sum() == 1275
    # As in PySpark, sum() runs a PipelinedRDD fused with rdd's map, which never reads rdd's
    # blocks: only a job on rdd itself checkpoints it.
    assert not rdd.isCheckpointed() and rdd.isLocallyCheckpointed()
    assert rdd.collect() == list(range(1, 51))
    assert rdd.isCheckpointed()


def test_checkpoint_needs_a_directory():
    with private_context(SparkConf().setMaster("local[1]").setAppName("no-checkpoint-dir")) as sc:
        with pytest.raises(Exception, match="setCheckpointDir"):
            sc.parallelize([1]).checkpoint()


def test_a_partition_larger_than_storage_memory(small_sc):
    sc, rec = small_sc, small_sc.recorder
    computed = sc.accumulator(0)

    def build(i):
        computed.add(1)
        return row("big", i)

    n = 4 * ROWS  # one partition of about twice the storage memory
    expected = [row("big", i) for i in range(n)]
    spilled = sc.parallelize(range(n), 1).map(build).persist(StorageLevel.MEMORY_AND_DISK)
    assert spilled.collect() == expected and spilled.collect() == expected
    assert computed.value == n  # unrolling stopped at the budget and the block went to disk
    dropped = sc.parallelize(range(n), 1).map(build).cache()
    assert dropped.collect() == expected and dropped.collect() == expected
    assert computed.value == 3 * n  # too large for memory and no disk: computed on each use
    sc.listenerBus.waitUntilEmpty()
    [(_, level, mem, disk)] = [u for u in rec.updates if u[0] == "rdd_%d_0" % spilled.id()]
    assert level == StorageLevel.MEMORY_AND_DISK and mem == 0 and disk > 0
    assert [u for u in rec.updates if u[0] == "rdd_%d_0" % dropped.id()] == []
