"""The map-output tracker: where each shuffle's map outputs are (Spark's MapOutputTrackerMaster).

Policy: a shuffle is registered when its map stage is created, with one slot per map partition.
A map task that succeeds fills its slot with its ``MapStatus`` (the data file and the byte offset
where each reduce partition's run starts, see ``shuffle.py``). A shuffle is *available* when every
slot is filled; the DAG scheduler skips a map stage whose shuffle is available. An output is
forgotten when its executor is lost (its file went with it) or a reduce task could not fetch it;
the map stage then runs again for the missing slots only. A reduce task is sent, for its
partition, the list of byte ranges to read (``reduce_segments``), in map order; a slot with no
output becomes a segment that cannot be read, so the task fails with a fetch failure and the
scheduler recomputes the lost output from lineage.

State and threading: plain dictionaries, read and changed only on the DAG scheduler's event-loop
thread (the tracker has no lock of its own).
"""


class MapOutputTracker:
    """Map outputs by shuffle id.

    >>> from sparklet.shuffle import MapStatus
    >>> tracker = MapOutputTracker()
    >>> tracker.register_shuffle(7, 2)
    >>> tracker.register_map_output(7, 0, MapStatus("0", "/tmp/m0", [0, 10, 10], 3))
    >>> tracker.is_available(7), tracker.missing_partitions(7)
    (False, [1])
    >>> tracker.register_map_output(7, 1, MapStatus("1", "/tmp/m1", [0, 4, 9], 2))
    >>> tracker.reduce_segments(7, 1)
    [(1, '/tmp/m1', 4, 9)]
    >>> tracker.remove_outputs_on_executor("1")
    {7}
    >>> tracker.reduce_segments(7, 1)
    [(1, '<lost map output 1 of shuffle 7>', 0, 0)]
    """

    def __init__(self):
        self._outputs = {}  # shuffleId -> [MapStatus or None] by map partition

    def register_shuffle(self, shuffle_id, num_maps):
        if shuffle_id not in self._outputs:
            self._outputs[shuffle_id] = [None] * num_maps

    def contains(self, shuffle_id):
        return shuffle_id in self._outputs

    def register_map_output(self, shuffle_id, map_index, status):
        self._outputs[shuffle_id][map_index] = status

    def unregister_map_output(self, shuffle_id, map_index):
        outputs = self._outputs.get(shuffle_id)
        if outputs is not None:
            outputs[map_index] = None

    def unregister_shuffle(self, shuffle_id):
        """Forget the shuffle; returns its statuses (for removing its files)."""
        return self._outputs.pop(shuffle_id, None) or []

    def is_available(self, shuffle_id):
        outputs = self._outputs.get(shuffle_id)
        return outputs is not None and all(o is not None for o in outputs)

    def missing_partitions(self, shuffle_id):
        return [i for i, o in enumerate(self._outputs[shuffle_id]) if o is None]

    def remove_outputs_on_executor(self, executor_id):
        """Forget every output the executor held; returns the ids of the shuffles that lost one."""
        lost = set()
        for shuffle_id, outputs in self._outputs.items():
            for i, status in enumerate(outputs):
                if status is not None and status.executorId == executor_id:
                    outputs[i] = None
                    lost.add(shuffle_id)
        return lost

    def reduce_segments(self, shuffle_id, reduce_id):
        """(mapIndex, path, start, end) of every non-empty run reduce partition ``reduce_id`` reads."""
        segments = []
        for map_index, status in enumerate(self._outputs[shuffle_id]):
            if status is None:
                segments.append((map_index, "<lost map output %d of shuffle %d>" % (map_index, shuffle_id), 0, 0))
                continue
            start, end = status.segment(reduce_id)
            if end > start:
                segments.append((map_index, status.path, start, end))
        return segments
