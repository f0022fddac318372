"""Sparklet: Apache Spark's Python RDD API, in pure Python, on a warm pool of executor processes.

>>> from sparklet import SparkContext
>>> with SparkContext("local[2]", "demo") as sc:
...     sc.parallelize(["a b", "b c"]).flatMap(str.split).countByValue()["b"]
2
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
