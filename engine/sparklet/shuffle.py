"""File-based shuffle: how map tasks write their output and reduce tasks read it.

A shuffle-map task writes ONE data file: the records for reduce partition 0, then those for 1, and
so on, each as a run of pickled batches. The byte offsets where each reduce partition's run starts
go back to the driver in the task's MapStatus (Spark's index file, kept in the map output tracker).
A reduce task reads, from every map output, just the byte range of its partition, in map order.

Files live in a directory per executor under the application's local dir, so an executor's shuffle
output is lost with the executor, as in Spark without an external shuffle service, and the
scheduler recomputes it from lineage.
"""

import io
import os
import pickle
import time

from .serializers import dumps_records

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
    """Partition (key, value) pairs into ``partitioner.numPartitions`` runs of ``path``."""
    started = time.perf_counter_ns()
    n = partitioner.numPartitions
    partition_func = partitioner.partitionFunc
    buckets = [[] for _ in range(n)]
    runs = [None] * n
    count = 0
    for k, v in records:
        b = partition_func(k) % n
        bucket = buckets[b]
        bucket.append((k, v))
        count += 1
        if len(bucket) >= BATCH_SIZE:
            if runs[b] is None:
                runs[b] = io.BytesIO()
            runs[b].write(dumps_records(bucket))
            buckets[b] = []
    offsets = [0]
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        for b in range(n):
            if buckets[b]:
                if runs[b] is None:
                    runs[b] = io.BytesIO()
                runs[b].write(dumps_records(buckets[b]))
            if runs[b] is not None:
                f.write(runs[b].getbuffer())
            offsets.append(f.tell())
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
            with open(path, "rb") as f:
                f.seek(start)
                data = f.read(end - start)
        except FileNotFoundError:
            raise FetchFailedError(shuffleId, map_index, path) from None
        read["localBlocksFetched"] += 1
        read["localBytesRead"] += len(data)
        buf = io.BytesIO(data)
        while buf.tell() < len(data):
            batch = pickle.load(buf)
            read["recordsRead"] += len(batch)
            yield map_index, batch
