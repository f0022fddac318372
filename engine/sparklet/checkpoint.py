"""Reliable checkpoints: saving the RDDs a job marked with ``checkpoint()`` and cutting their
lineage (Spark's ``ReliableRDDCheckpointData`` and ``ReliableCheckpointRDD``).

After a job ends, the driver looks for RDDs in its lineage that asked for a checkpoint and were
not saved yet; each is saved by one more job (one file of pickled batches per partition, written
to a temporary name and renamed, under ``sc.setCheckpointDir``'s directory), then its
dependencies are replaced by the ``CheckpointRDD`` that reads the files back, and the attributes
holding its parents are dropped so their lineage can be garbage-collected. A local checkpoint
(``localCheckpoint()``) only marks the RDD saved: its persisted blocks are the copy.
Runs on the thread that ran the job, after it returned.
"""

import os

from .lineage import ancestors
from .rdd import CheckpointRDD, OneToOneDependency
from .serializers import dumps_records
from .taskcontext import TaskContext



def materialize_checkpoints(sc, final_rdd):
    """After a job, save the RDDs in its lineage that asked for checkpoint() and cut their lineage."""
    pending = [r for r in ancestors(final_rdd)
               if getattr(r, "_checkpoint_requested", None) and not getattr(r, "_checkpoint_saved", False)]
    for r in pending:
        if r._checkpoint_requested == "local":
            r._checkpoint_saved = True
            continue
        directory = os.path.join(sc._checkpoint_dir, "rdd-%d" % r._id)
        os.makedirs(directory, exist_ok=True)

        def write(iterator, directory=directory):
            path = os.path.join(directory, "part-%05d" % TaskContext.get().partitionId())
            with open(path + ".tmp", "wb") as f:
                batch = []
                for x in iterator:
                    batch.append(x)
                    if len(batch) >= 1024:
                        f.write(dumps_records(batch))
                        batch = []
                if batch:
                    f.write(dumps_records(batch))
            os.replace(path + ".tmp", path)
            return iter(())

        r._checkpoint_requested = None  # the saving job itself must not trigger this again
        # A job on the RDD itself, as Spark's checkpoint writer runs: no RDD (and id) of its own.
        sc._run_job(r, write)
        checkpoint = CheckpointRDD(sc, directory, r.getNumPartitions(), r.partitioner)
        for attr in type(r)._lineage_attrs:
            setattr(r, attr, None)
        r._deps = [OneToOneDependency(checkpoint)]
        r._checkpoint_rdd = checkpoint
        r._checkpoint_saved = True
        r._checkpoint_file = "file:" + directory
        r._checkpoint_requested = "reliable"
