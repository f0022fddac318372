"""Sparklet: Apache Spark's Python RDD API, in pure Python, on a warm pool of executor processes.

>>> from operator import add
>>> words = sc.parallelize(["a b", "b c"]).flatMap(str.split)
>>> sorted(words.map(lambda w: (w, 1)).reduceByKey(add).collect())
[('a', 1), ('b', 2), ('c', 1)]

The modules, each with its Spark counterpart:

Driver
  context            the entry point: creates RDDs, shared variables and the scheduler (SparkContext)
  rdd                RDD, its operators, dependencies and RDD kinds (RDD, Dependency, ShuffledRDD...)
  lineage            walks over an RDD's lineage: stage RDDs, shuffle boundaries (DAGScheduler's traversals)
  dagscheduler       jobs cut into stages, skipped stages, resubmission after lost outputs (DAGScheduler,
                     Stage, ActiveJob)
  taskscheduler      task sets on executors: offers, locality, retries, kills, barriers (TaskSchedulerImpl,
                     TaskSetManager, BarrierCoordinator)
  events             typed scheduler events and task end reasons (DAGSchedulerEvent, TaskEndReason)
  mapoutputtracker   where each shuffle's map outputs are, the reduce segments (MapOutputTrackerMaster)
  blockmanagermaster which executor caches which block (BlockManagerMaster)
  backend            the scheduler backend and the executor pool, its memory limit (SchedulerBackend; the
                     cluster manager's part)
  listener           listener events and the bus delivering them (SparkListener, LiveListenerBus)
  appstatus          the one fold of listener events every observer reads (AppStatusListener, AppStatusStore)
  status             job and stage status for PySpark's API, read from it (StatusTracker)
  checkpoint         saving checkpointed RDDs and cutting their lineage (ReliableRDDCheckpointData)
Executor
  executor           the executor process: runs tasks, reports results (Executor, CoarseGrainedExecutorBackend)
  blockmanager       cached partitions within storage memory (BlockManager, MemoryStore, DiskStore)
  shuffle            map output files, reduce reads, spilling combiners and sorts (SortShuffleWriter,
                     ExternalAppendOnlyMap, ExternalSorter)
  sizeestimator      memory estimates of buffers and when to take them (SizeEstimator, SizeTracker)
  taskcontext        the running task's context (TaskContext, BarrierTaskContext)
Both
  input / output     input RDDs over files; writing RDDs to files (HadoopRDD, WholeTextFileRDD; Hadoop's
                     output commit)
  filesystem         local paths and remote URLs (Hadoop FileSystem)
  sequencefile       Hadoop SequenceFiles and Writables (SequenceFile.Reader/Writer)
  serializers        pickling records and closures (PySpark's serializers, cloudpickle)
  partitioner        hash and range partitioning (Partitioner, HashPartitioner, RangePartitioner)
  broadcast, accumulators, storagelevel, conf, files, statcounter, resultiterable: PySpark's classes of those names
  errors             the engine's exceptions and user tracebacks (SparkException, PythonException)
  submit, pyspark_alias, util: ``sparklet-submit``, ``import pyspark`` resolving to Sparklet, thread helpers
"""

from .accumulators import Accumulator, AccumulatorParam
from .broadcast import Broadcast
from .conf import SparkConf
from .context import SparkContext
from .files import SparkFiles
from .profiler import BasicProfiler, Profiler
from .rdd import RDD, RDDBarrier
from .serializers import CPickleSerializer, MarshalSerializer, PickleSerializer
from .status import SparkJobInfo, SparkStageInfo, StatusTracker
from .storagelevel import StorageLevel
from .taskcontext import BarrierTaskContext, BarrierTaskInfo, TaskContext
from .util import InheritableThread, inheritable_thread_target

__version__ = "0.1.0"

__all__ = [
    "SparkConf", "SparkContext", "SparkFiles", "RDD", "RDDBarrier", "StorageLevel", "Broadcast",
    "Accumulator", "AccumulatorParam", "MarshalSerializer", "CPickleSerializer", "PickleSerializer",
    "StatusTracker", "SparkJobInfo", "SparkStageInfo", "TaskContext", "BarrierTaskContext",
    "BarrierTaskInfo", "InheritableThread", "inheritable_thread_target", "Profiler", "BasicProfiler",
]
