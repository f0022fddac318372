"""Resilient Distributed Datasets: lazy lineage plus PySpark's public RDD API.

An RDD only describes data: its partitions, its dependencies on parent RDDs, and how to compute one
partition from its parents' iterators (``compute``). Transformations build new RDDs; actions call
``SparkContext.runJob``, whose DAG scheduler cuts the lineage into stages at shuffle dependencies.

What users see is PySpark's structure: every RDD is an ``RDD``, except the result of a Python
function applied to partitions (``map``, ``filter``, ``mapPartitions`` ...), a ``PipelinedRDD``. As
in PySpark, consecutive such functions fuse into one PipelinedRDD (``map().filter()`` is one RDD
over the map's parent) unless the first is cached, checkpointed or has a resource profile; a
PipelinedRDD takes its id only when something needs it (``id()``, ``repr``, an action, a child
that is not pipelined), and an operator that PySpark builds from several JVM RDDs (``textFile``,
``partitionBy``) uses up as many ids, so ids match PySpark's. Each node type (the kinds below:
ParallelCollectionRDD, ShuffledRDD, CoGroupedRDD, UnionRDD, CoalescedRDD, CartesianRDD,
ZippedPartitionsRDD2 ...) keeps its Spark class name in ``_kind``, which ``repr``,
``toDebugString``, the listener's RDDInfo and the DAG show, while ``type(rdd).__name__`` is
``RDD``. A PipelinedRDD remembers each operator fused into it (``operators``) for the DAG.

The key-value operators are composed exactly as PySpark composes them (combine locally,
``partitionBy``, merge), so that partition counts and the contents of each partition match
PySpark for the same input.
"""

import bisect
import copy
import functools
import heapq
import importlib
import itertools
import operator
import os
import pickle
import random
import shlex
import subprocess
import sys
import threading
import warnings
from collections import defaultdict
from functools import reduce
from math import ceil, exp, isinf, isnan, log, pow, sqrt
from typing import Generic, TypeVar

from . import hooks
from .callsite import user_call_site, user_stacklevel
from .errors import SparkException, rdd_only_on_driver, stopped_context_error
from .partitioner import Partitioner, portable_hash, round_robin_start
from .profiler import profiled_partition
from .resultiterable import ResultIterable
from .serializers import dumps_records, load_records_from
from .shuffle import (MappedPartition, append_value, cogroup_batches, combine_by_key, combine_side_values, extend_values,
                      sort_records)
from .statcounter import StatCounter
from .storagelevel import StorageLevel

__all__ = ["RDD", "RDDBarrier", "Partitioner", "portable_hash"]


# --- operation scopes and call sites ------------------------------------------------------------

_scope = threading.local()
_scope_ids = itertools.count(1)


def current_scope():
    """(operator name, scope id, call site) of the public operation running in this thread."""
    return getattr(_scope, "name", None), getattr(_scope, "id", 0), getattr(_scope, "site", None)


def operation(fn):
    """Marks a public operator: RDDs and jobs made while it runs are attributed to it (the
    outermost one wins: ``distinct`` made of ``map`` and ``reduceByKey`` shows as ``distinct``),
    and the driver hooks hear of the call (`sparklet.hooks`)."""
    name = fn.__name__

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if getattr(_scope, "name", None) is not None:
            return fn(*args, **kwargs)
        receiver = args[0] if args else None
        sc = getattr(receiver, "ctx", receiver)
        if getattr(sc, "_stopped", False) is True:
            raise stopped_context_error(sc)
        _scope.name, _scope.id, _scope.site = name, next(_scope_ids), user_call_site()
        try:
            if not hooks.active():
                return fn(*args, **kwargs)
            call = hooks.OperatorCall(name, _scope.id, _scope.site, args[0], args[1:], kwargs)
            hooks.emit("operator_called", call)
            result = fn(*args, **kwargs)
            hooks.emit("operator_returned", call, result)
            return result
        finally:
            _scope.name = _scope.site = None

    return wrapper


# --- dependencies --------------------------------------------------------------------------------


class Dependency:
    def __init__(self, rdd):
        self.rdd = rdd


class NarrowDependency(Dependency):
    """Each partition of the child depends on a few partitions of the parent: no shuffle."""

    def getParents(self, partitionId):
        raise NotImplementedError


class OneToOneDependency(NarrowDependency):
    def getParents(self, partitionId):
        return [partitionId]


class RangeDependency(NarrowDependency):
    def __init__(self, rdd, inStart, outStart, length):
        super().__init__(rdd)
        self.inStart, self.outStart, self.length = inStart, outStart, length

    def getParents(self, partitionId):
        if self.outStart <= partitionId < self.outStart + self.length:
            return [partitionId - self.outStart + self.inStart]
        return []


class _ExplicitDependency(NarrowDependency):
    """A narrow dependency given as a table child partition -> parent partitions."""

    def __init__(self, rdd, parents_of):
        super().__init__(rdd)
        self._parents_of = parents_of

    def getParents(self, partitionId):
        return self._parents_of[partitionId]


class ShuffleDependency(Dependency):
    """The child needs every partition of the parent, redistributed by key: a stage boundary."""

    def __init__(self, rdd, partitioner, shuffleId):
        super().__init__(rdd)
        self.partitioner = partitioner
        self.shuffleId = shuffleId

    def __getstate__(self):
        # A task reads shuffle output through the map output tracker; it never needs the map side.
        state = dict(self.__dict__)
        state["rdd"] = None
        return state


# --- samplers (the random streams match PySpark's, so seeded samples give the same elements) -----


class _Sampler:
    def __init__(self, withReplacement, seed=None):
        self._seed = seed if seed is not None else random.randint(0, sys.maxsize)
        self._withReplacement = withReplacement
        self._random = None

    def _init_random(self, split):
        self._random = random.Random(self._seed ^ split)
        # Seeds of neighbouring partitions differ in few bits: stir the generator first.
        for _ in range(10):
            self._random.randint(0, 1)

    def _poisson(self, mean):
        if mean < 20.0:  # Knuth: one exp and k+1 uniform draws
            limit = exp(-mean)
            p = self._random.random()
            k = 0
            while p > limit:
                k += 1
                p *= self._random.random()
        else:  # in the log domain: k+1 exponential draws
            p = self._random.expovariate(mean)
            k = 0
            while p < 1.0:
                k += 1
                p += self._random.expovariate(mean)
        return k


class _FractionSampler(_Sampler):
    def __init__(self, withReplacement, fraction, seed=None):
        super().__init__(withReplacement, seed)
        self._fraction = fraction

    def func(self, split, iterator):
        self._init_random(split)
        if self._withReplacement:
            for obj in iterator:
                for _ in range(self._poisson(self._fraction)):
                    yield obj
        else:
            for obj in iterator:
                if self._random.random() < self._fraction:
                    yield obj


class _RangeSampler(_Sampler):
    def __init__(self, lowerBound, upperBound, seed=None):
        super().__init__(False, seed)
        self._lowerBound, self._upperBound = lowerBound, upperBound

    def func(self, split, iterator):
        self._init_random(split)
        for obj in iterator:
            if self._lowerBound <= self._random.random() < self._upperBound:
                yield obj


class _StratifiedSampler(_Sampler):
    def __init__(self, withReplacement, fractions, seed=None):
        super().__init__(withReplacement, seed)
        self._fractions = fractions

    def func(self, split, iterator):
        self._init_random(split)
        if self._withReplacement:
            for key, val in iterator:
                for _ in range(self._poisson(self._fractions[key])):
                    yield key, val
        else:
            for key, val in iterator:
                if self._random.random() < self._fractions[key]:
                    yield key, val


# --- in-memory combining of values by key (the executor side of combineByKey / groupByKey) -------


class Aggregator:
    def __init__(self, createCombiner, mergeValue, mergeCombiners):
        self.createCombiner = createCombiner
        self.mergeValue = mergeValue
        self.mergeCombiners = mergeCombiners


def _combine_values(agg, iterator):
    return combine_by_key(iterator, agg.createCombiner, agg.mergeValue, agg.mergeCombiners)


def _merge_combiners(agg, iterator):
    return combine_by_key(iterator, _identity, agg.mergeCombiners, agg.mergeCombiners)


def _identity(x):
    return x


class BoundedFloat(float):
    """A float with the confidence interval of an approximate result."""

    def __new__(cls, mean, confidence, low, high):
        obj = float.__new__(cls, mean)
        obj.confidence, obj.low, obj.high = confidence, low, high
        return obj


# --- the RDD ---------------------------------------------------------------------------------------

# Stage serialization sets this to the ids of the RDDs a task may carry (see dagscheduler.py); any other
# RDD reached while pickling a closure is a user error (an RDD used inside a transformation).
_task_pickling = threading.local()


T_co = TypeVar("T_co", covariant=True)


# Node kinds by "module:qualified name", to unpickle them: their classes are all named RDD.
_KINDS = {}


def _new_rdd_of_kind(key):
    if key not in _KINDS:  # an executor that has not imported the kind's module yet
        importlib.import_module(key.split(":", 1)[0])
    cls = _KINDS[key]
    return cls.__new__(cls)


class RDD(Generic[T_co]):
    """A Resilient Distributed Dataset: an immutable, partitioned collection computed lazily from
    its lineage.

    >>> sc.parallelize([1, 2, 3, 4], 2).map(lambda x: x * 2).collect()
    [2, 4, 6, 8]
    >>> type(sc.parallelize([1, 2])).__name__, type(sc.parallelize([1, 2]).map(str)).__name__
    ('RDD', 'PipelinedRDD')
    """

    _kind = "RDD"
    _kind_key = None
    # The PipelinedRDD kind takes its id when first needed; every other kind when made.
    _id_on_demand = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._kind_key = "%s:%s" % (cls.__module__, cls.__qualname__)
        _KINDS[cls._kind_key] = cls
        if "_kind" not in cls.__dict__:
            cls._kind = cls.__name__
        if not cls.__dict__.get("_public_class", False):
            # PySpark's Python RDD objects are all of class RDD (or PipelinedRDD): the Spark class
            # of the node is a JVM matter, shown by repr, never by type().
            cls.__name__ = cls.__qualname__ = "RDD"
            cls.__module__ = RDD.__module__

    def __init__(self, ctx, deps, numPartitions, extra_ids=0):
        self.ctx = ctx
        # PySpark asks the JVM for each parent before making the child, so parents' ids come first;
        # ``extra_ids`` are those of the JVM RDDs PySpark makes on the way to this one.
        for dep in deps:
            dep.rdd.id()
        if not self._id_on_demand:
            for _ in range(extra_ids):
                ctx._new_rdd_id()
            self._id = ctx._new_rdd_id()
        self._deps = deps
        self._numPartitions = numPartitions
        name, scope_id, site = current_scope()
        self.scope = name or self._kind
        self.scopeId = scope_id
        self.callSite = site or user_call_site()
        self.partitioner = None
        self.is_cached = False
        self.is_checkpointed = False
        self.has_resource_profile = False
        self.is_barrier = False
        self._storage_level = StorageLevel.NONE
        self._name = None
        self._checkpoint_rdd = None

    # Attributes holding parent RDDs, dropped when a checkpoint cuts the lineage.
    _lineage_attrs = ()

    # -- pickling: RDDs travel only as part of a stage's task binary --

    def __reduce__(self):
        allowed = getattr(_task_pickling, "rdd_ids", None)
        if allowed is None or self._id not in allowed:
            raise rdd_only_on_driver()
        state = dict(self.__dict__)
        state["ctx"] = None
        return (_new_rdd_of_kind, (self._kind_key,), state)

    # -- lineage --

    @property
    def context(self):
        """The SparkContext this RDD was created on.

        >>> sc.parallelize([1, 2]).context is sc
        True
        """
        return self.ctx

    @property
    def dependencies(self):
        """The dependencies on parent RDDs: narrow ones, or a shuffle (a stage boundary).

        >>> pairs = sc.parallelize([(1, "a"), (2, "b")])
        >>> [type(d).__name__ for d in pairs.map(lambda kv: kv).dependencies]
        ['OneToOneDependency']
        >>> [type(d).__name__ for d in pairs.partitionBy(2).dependencies]
        ['ShuffleDependency']
        """
        return list(self._deps)

    def id(self):
        """A unique id for this RDD within its SparkContext.

        >>> rdd = sc.parallelize([1, 2])
        >>> rdd.id() == rdd.id(), rdd.id() == rdd.map(str).id()
        (True, False)
        """
        return self._id

    def getNumPartitions(self):
        """The number of partitions.

        >>> sc.parallelize([2, 3, 4], 2).getNumPartitions()
        2
        """
        return self._numPartitions

    def compute(self, split, context):
        """The records of partition ``split``, computed from the parents (runs in a task, on an executor).

        >>> from sparklet import TaskContext
        >>> nums = sc.parallelize([0, 1, 2, 3, 4, 5], 3)
        >>> nums.map(str).mapPartitionsWithIndex(
        ...     lambda i, _: [list(nums.compute(i, TaskContext.get()))]).collect()
        [[0, 1], [2, 3], [4, 5]]
        """
        raise NotImplementedError

    def task_input(self, split, map_outputs):
        """What a task computing partition ``split`` must be sent beside the stage's binary, or None.

        Asked on the driver when the task launches, for each RDD the task computes; the task reads
        it back as ``context._env.task_inputs[(rdd id, split)]``. ``map_outputs`` is the driver's
        ``MapOutputTracker``. Most kinds compute from their parents alone and need nothing.

        >>> import pickle
        >>> pickle.loads(sc.parallelize([0, 1, 2, 3, 4, 5], 3).task_input(1, None))
        [2, 3]
        >>> sc.parallelize(range(6), 3).map(str).task_input(1, None) is None
        True
        """
        return None

    def iterator(self, split, context):
        """Partition ``split``: from the executor's block store when persisted, else computed.

        >>> from sparklet import TaskContext
        >>> nums = sc.parallelize([0, 1, 2, 3], 2)
        >>> nums.map(str).mapPartitionsWithIndex(
        ...     lambda i, _: [sum(nums.iterator(i, TaskContext.get()))]).collect()
        [1, 5]
        """
        if self._storage_level != StorageLevel.NONE:
            return context._env.blocks.get_or_compute(self, split, context)
        return self.computeOrReadCheckpoint(split, context)

    def computeOrReadCheckpoint(self, split, context):
        """Partition ``split``, read back from the checkpoint once one was saved, else computed.

        >>> from sparklet import TaskContext
        >>> nums = sc.parallelize([0, 1, 2, 3], 2)
        >>> nums.map(str).mapPartitionsWithIndex(
        ...     lambda i, _: [max(nums.computeOrReadCheckpoint(i, TaskContext.get()))]).collect()
        [1, 3]
        """
        if self._checkpoint_rdd is not None:
            return self._checkpoint_rdd.iterator(split, context)
        return self.compute(split, context)

    def name(self):
        """The name given with setName, or None.

        >>> rdd = sc.parallelize([1, 2])
        >>> rdd.name() is None
        True
        >>> rdd.setName("numbers").name()
        'numbers'
        """
        return self._name

    def setName(self, name):
        """Give this RDD a name (shown in the DAG and the storage view).

        >>> sc.parallelize([1, 2]).setName('RDD1').name()
        'RDD1'
        """
        self._name = name
        return self

    def __repr__(self):
        """PySpark's shape, ``[name ]SparkClass[id] at operator at call site``; the call site is
        the user's line (PySpark names a line of its JVM code).

        >>> rdd = sc.parallelize([1, 2])
        >>> repr(rdd.map(str)) == "PythonRDD[%d] at map at %s" % (rdd.id() + 1, rdd.map(str).callSite)
        True
        """
        return "%s%s[%d] at %s at %s" % (self._name + " " if self._name else "", self._kind, self._id, self.scope,
                                         self.callSite)

    def toDebugString(self):
        """The lineage as text, indented at each shuffle (returned as bytes, as in PySpark).

        >>> print(sc.parallelize([1, 2], 2).map(lambda x: (x, x)).groupByKey().toDebugString().decode())
        (2) PythonRDD[...] at groupByKey at ... []
         |  MapPartitionsRDD[...] at groupByKey at ... []
         |  ShuffledRDD[...] at groupByKey at ... []
         +-(2) PythonRDD[...] at groupByKey at ... []
            |  ParallelCollectionRDD[...] at parallelize at ... []
        """
        lines = []

        def describe(rdd):
            text = "%s []" % repr(rdd)
            if rdd._storage_level != StorageLevel.NONE:
                text = text[:-2] + "[%s]" % rdd._storage_level
            return text

        def shuffle_line(rdd):
            # The reduce side PySpark returns is a map over Spark's ShuffledRDD, shown under it.
            return "ShuffledRDD[%d] at %s at %s []" % (rdd._shuffled_id(), rdd.scope, rdd.callSite)

        def walk(rdd, indent, first):
            prefix = "(%d) " % rdd.getNumPartitions() if first else " |  "
            lines.append(indent + prefix + describe(rdd))
            for dep in rdd._deps:
                if isinstance(dep, ShuffleDependency):
                    lines.append(indent + " |  " + shuffle_line(rdd))
                    lines.append(indent + " +-(%d) " % dep.rdd.getNumPartitions() + describe(dep.rdd))
                    for sub in dep.rdd._deps:
                        walk_child(dep.rdd, sub, indent + "    ")
                else:
                    walk(dep.rdd, indent, False)

        def walk_child(owner, dep, indent):
            if isinstance(dep, ShuffleDependency):
                lines.append(indent + "|  " + shuffle_line(owner))
                lines.append(indent + "+-(%d) " % dep.rdd.getNumPartitions() + describe(dep.rdd))
                for sub in dep.rdd._deps:
                    walk_child(dep.rdd, sub, indent + "   ")
            else:
                lines.append(indent + "|  " + describe(dep.rdd))
                for sub in dep.rdd._deps:
                    walk_child(dep.rdd, sub, indent)

        walk(self, "", True)
        return "\n".join(lines).encode("utf-8")

    # -- persistence --

    def cache(self):
        """Keep this RDD's partitions in executor memory once computed (MEMORY_ONLY).

        >>> rdd = sc.parallelize([1, 2, 3]).cache()
        >>> rdd.is_cached, rdd.sum(), rdd.count()
        (True, 6, 3)
        >>> _ = rdd.unpersist()
        """
        return self.persist(StorageLevel.MEMORY_ONLY)

    def persist(self, storageLevel=StorageLevel.MEMORY_ONLY):
        """Keep this RDD's partitions at ``storageLevel`` once computed.

        >>> rdd = sc.parallelize(["b", "a", "c"])
        >>> rdd.persist().is_cached
        True
        >>> str(rdd.getStorageLevel())
        'Memory Serialized 1x Replicated'
        """
        if self._storage_level != StorageLevel.NONE and self._storage_level != storageLevel:
            raise SparkException(
                "Cannot change storage level of an RDD after it was already assigned a level "
                "(it is %s): call unpersist() first" % self._storage_level)
        self.is_cached = True
        self._storage_level = storageLevel
        self.ctx._persisted_rdds[self._id] = self
        return self

    def unpersist(self, blocking=False):
        """Drop this RDD's cached partitions from every executor.

        >>> rdd = sc.parallelize([1, 2]).cache()
        >>> rdd.sum()
        3
        >>> rdd.unpersist().is_cached
        False
        """
        self.is_cached = False
        self._storage_level = StorageLevel.NONE
        self.ctx._unpersist_rdd(self._id, blocking)
        return self

    def getStorageLevel(self):
        """The storage level set with persist (StorageLevel.NONE when not persisted).

        >>> from sparklet import StorageLevel
        >>> rdd = sc.parallelize([1, 2])
        >>> print(rdd.getStorageLevel())
        Serialized 1x Replicated
        >>> print(rdd.persist(StorageLevel.DISK_ONLY).getStorageLevel())
        Disk Serialized 1x Replicated
        >>> _ = rdd.unpersist()
        """
        return self._storage_level

    def checkpoint(self):
        """Mark this RDD for checkpointing: computed once, saved, and its lineage cut.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> sc.setCheckpointDir(tmp.name)
        >>> doubled = sc.parallelize(range(4), 2).map(lambda x: x * 2)
        >>> doubled.checkpoint()
        >>> doubled.isCheckpointed()
        False
        >>> doubled.sum()
        12
        >>> doubled.isCheckpointed(), doubled.collect()
        (True, [0, 2, 4, 6])
        >>> tmp.cleanup()
        """
        if self.ctx._checkpoint_dir is None:
            raise SparkException("Checkpoint directory has not been set in the SparkContext: "
                                 "call sc.setCheckpointDir(path) first")
        self._checkpoint_requested = "reliable"
        # As in PySpark, the attribute says "marked for checkpointing"; isCheckpointed() says saved.
        self.is_checkpointed = True

    def localCheckpoint(self):
        """Mark this RDD for checkpointing into the executors' storage (faster, not fault tolerant).

        >>> rdd = sc.parallelize(range(3)).map(lambda x: x + 1)
        >>> rdd.localCheckpoint()
        >>> rdd.isLocallyCheckpointed(), rdd.sum()
        (True, 6)
        >>> _ = rdd.unpersist()
        """
        self._checkpoint_requested = "local"
        if self._storage_level == StorageLevel.NONE:
            self._storage_level = StorageLevel.MEMORY_AND_DISK
            self.ctx._persisted_rdds[self._id] = self

    def isCheckpointed(self):
        """Whether checkpoint() saved this RDD (after the first job that computed it).

        >>> sc.parallelize([1, 2]).isCheckpointed()
        False
        """
        return getattr(self, "_checkpoint_saved", False)

    def isLocallyCheckpointed(self):
        """Marked with localCheckpoint() (true before any job, as in Spark).

        >>> rdd = sc.parallelize([1, 2])
        >>> rdd.isLocallyCheckpointed()
        False
        >>> rdd.localCheckpoint()
        >>> rdd.isLocallyCheckpointed()
        True
        >>> _ = rdd.unpersist()
        """
        return getattr(self, "_checkpoint_requested", None) == "local"

    def getCheckpointFile(self):
        """Where checkpoint() saved this RDD (a ``file:`` URI), or None before it is saved.

        >>> import tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> sc.setCheckpointDir(tmp.name)
        >>> rdd = sc.parallelize([1, 2])
        >>> rdd.checkpoint()
        >>> rdd.getCheckpointFile() is None
        True
        >>> rdd.count()
        2
        >>> rdd.getCheckpointFile().startswith("file:" + tmp.name)
        True
        >>> tmp.cleanup()
        """
        return getattr(self, "_checkpoint_file", None)

    def cleanShuffleDependencies(self, blocking=False):
        """Remove the shuffle files of this RDD's lineage (they are recomputed if needed again).

        >>> counts = sc.parallelize(["a", "b", "a"]).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)
        >>> sorted(counts.collect())
        [('a', 2), ('b', 1)]
        >>> counts.cleanShuffleDependencies()
        >>> sorted(counts.collect())
        [('a', 2), ('b', 1)]
        """
        self.ctx._clean_shuffles_of(self)

    def withResources(self, profile):
        """Run the stage computing this RDD with ``profile`` (recorded only: local executors are
        all alike). Like caching, it ends pipelining: later functions make an RDD of their own.

        >>> from sparklet.resource import ResourceProfileBuilder, TaskResourceRequests
        >>> profile = ResourceProfileBuilder().require(TaskResourceRequests().cpus(1)).build
        >>> rdd = sc.parallelize([1, 2]).map(str).withResources(profile)
        >>> rdd.map(len).id() == rdd.id() + 1
        True
        """
        self.id()  # PySpark hands the profile to the JVM-side RDD, which takes its id now
        self.has_resource_profile = True
        self._resource_profile = profile
        return self

    def getResourceProfile(self):
        """The resource profile attached with withResources, or None.

        >>> sc.parallelize([1]).getResourceProfile() is None
        True
        """
        return getattr(self, "_resource_profile", None)

    # -- transformations: narrow --

    @operation
    def map(self, f, preservesPartitioning=False):
        """Return a new RDD by applying a function to each element.

        >>> sorted(sc.parallelize(["b", "a", "c"]).map(lambda x: (x, 1)).collect())
        [('a', 1), ('b', 1), ('c', 1)]
        """
        return self.mapPartitionsWithIndex(lambda _, it: MappedPartition(f, it), preservesPartitioning)

    @operation
    def flatMap(self, f, preservesPartitioning=False):
        """Apply a function to each element and flatten the results.

        >>> sorted(sc.parallelize([2, 3, 4]).flatMap(lambda x: range(1, x)).collect())
        [1, 1, 1, 2, 2, 3]
        """
        # The generator calls f once per element (a StopIteration that f raises fails the task, as
        # in map); chain walks each result at C speed.
        return self.mapPartitionsWithIndex(
            lambda _, it: itertools.chain.from_iterable(f(x) for x in it), preservesPartitioning)

    @operation
    def mapPartitions(self, f, preservesPartitioning=False):
        """Apply a function to each partition's iterator.

        >>> sc.parallelize([1, 2, 3, 4], 2).mapPartitions(lambda it: [sum(it)]).collect()
        [3, 7]
        """
        return self.mapPartitionsWithIndex(lambda _, it: f(it), preservesPartitioning)

    @operation
    def mapPartitionsWithIndex(self, f, preservesPartitioning=False):
        """Apply ``f(partitionIndex, iterator)`` to each partition.

        >>> sc.parallelize([1, 2, 3, 4], 4).mapPartitionsWithIndex(lambda i, it: [i]).sum()
        6
        """
        return PipelinedRDD(self, f, preservesPartitioning)

    @operation
    def mapPartitionsWithSplit(self, f, preservesPartitioning=False):
        """Deprecated alias of mapPartitionsWithIndex (warns as PySpark does).

        >>> import warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", FutureWarning)
        ...     sc.parallelize([1, 2, 3, 4], 4).mapPartitionsWithSplit(lambda i, it: [i]).sum()
        6
        """
        warnings.warn("mapPartitionsWithSplit is deprecated; use mapPartitionsWithIndex instead",
                      FutureWarning, stacklevel=user_stacklevel())
        return self.mapPartitionsWithIndex(f, preservesPartitioning)

    @operation
    def filter(self, f):
        """Keep the elements that satisfy a predicate.

        >>> sc.parallelize([1, 2, 3, 4, 5]).filter(lambda x: x % 2 == 0).collect()
        [2, 4]
        """
        return self.mapPartitionsWithIndex(lambda _, it: (x for x in it if f(x)), True)

    @operation
    def glom(self):
        """Each partition's elements coalesced into a list.

        >>> sorted(sc.parallelize([1, 2, 3, 4], 2).glom().collect())
        [[1, 2], [3, 4]]
        """
        return self.mapPartitionsWithIndex(lambda _, it: [list(it)])

    @operation
    def keyBy(self, f):
        """Pair each element with a key computed by ``f``: (f(x), x).

        >>> sc.parallelize(["apple", "fig"]).keyBy(len).collect()
        [(5, 'apple'), (3, 'fig')]
        """
        return self.map(lambda x: (f(x), x))

    @operation
    def keys(self):
        """The key of each (key, value) pair.

        >>> sc.parallelize([("a", 1), ("b", 2)]).keys().collect()
        ['a', 'b']
        """
        return self.map(lambda x: x[0])

    @operation
    def values(self):
        """The value of each (key, value) pair.

        >>> sc.parallelize([("a", 1), ("b", 2)]).values().collect()
        [1, 2]
        """
        return self.map(lambda x: x[1])

    @operation
    def mapValues(self, f):
        """Apply ``f`` to each value of a pair RDD, keeping keys and partitioning.

        >>> sc.parallelize([("a", ["apple", "banana"]), ("b", ["grapes"])]).mapValues(len).collect()
        [('a', 2), ('b', 1)]
        """
        # One generator over the pairs rather than map() of a lambda: a call less per pair.
        return self.mapPartitionsWithIndex(lambda _, it: ((kv[0], f(kv[1])) for kv in it), True)

    @operation
    def flatMapValues(self, f):
        """Apply ``f`` returning an iterable to each value, one pair per item, keeping the key.

        >>> sc.parallelize([("a", ["x", "y"]), ("b", ["p"])]).flatMapValues(lambda x: x).collect()
        [('a', 'x'), ('a', 'y'), ('b', 'p')]
        """
        return self.flatMap(lambda kv: ((kv[0], x) for x in f(kv[1])), preservesPartitioning=True)

    @operation
    def sample(self, withReplacement, fraction, seed=None):
        """A random sample of about ``fraction`` of the elements.

        >>> rdd = sc.parallelize(range(100), 4)
        >>> 6 <= rdd.sample(False, 0.1, 81).count() <= 14
        True
        """
        if not fraction >= 0.0:
            raise ValueError("Fraction must be nonnegative.")
        return self.mapPartitionsWithIndex(_FractionSampler(withReplacement, fraction, seed).func, True)

    @operation
    def sampleByKey(self, withReplacement, fractions, seed=None):
        """A sample of each key's pairs with that key's fraction (stratified sampling).

        >>> pairs = sc.parallelize([(k, x) for k in "ab" for x in range(100)], 2)
        >>> sizes = pairs.sampleByKey(False, {"a": 0.1, "b": 0.6}, seed=7).countByKey()
        >>> sizes["a"] < sizes["b"]
        True
        """
        for fraction in fractions.values():
            if not fraction >= 0.0:
                # PySpark's own check is an assert: the same exception type and text.
                raise AssertionError("Negative fraction value: %s" % fraction)
        return self.mapPartitionsWithIndex(_StratifiedSampler(withReplacement, fractions, seed).func, True)

    @operation
    def randomSplit(self, weights, seed=None):
        """Split into RDDs of (normalized) ``weights`` at random; each element lands in exactly one.

        >>> rdd = sc.parallelize(range(500), 1)
        >>> rdd1, rdd2 = rdd.randomSplit([2, 3], 17)
        >>> len(rdd1.collect() + rdd2.collect())
        500
        """
        if not all(w >= 0 for w in weights):
            raise ValueError("Weights must be nonnegative")
        total = float(sum(weights))
        if not total > 0:
            raise ValueError("Sum of weights must be positive")
        cweights = [0.0]
        for w in weights:
            cweights.append(cweights[-1] + w / total)
        if seed is None:
            seed = random.randint(0, 2 ** 32 - 1)
        return [self.mapPartitionsWithIndex(_RangeSampler(lb, ub, seed).func, True)
                for lb, ub in zip(cweights, cweights[1:])]

    @operation
    def union(self, other):
        """All elements of both RDDs (duplicates kept).

        >>> rdd = sc.parallelize([1, 1, 2, 3])
        >>> rdd.union(rdd).collect()
        [1, 1, 2, 3, 1, 1, 2, 3]
        """
        if (self.partitioner is not None and self.partitioner == other.partitioner
                and self.getNumPartitions() == other.getNumPartitions()):
            rdd = PartitionerAwareUnionRDD(self.ctx, [self, other])
            rdd.partitioner = self.partitioner
            return rdd
        return UnionRDD(self.ctx, [self, other])

    def __add__(self, other):
        if not isinstance(other, RDD):
            raise TypeError("unsupported operand type(s) for +: 'RDD' and '%s'" % type(other).__name__)
        return self.union(other)

    @operation
    def cartesian(self, other):
        """All pairs (a, b) with a in this RDD and b in ``other``.

        >>> sorted(sc.parallelize([1, 2]).cartesian(sc.parallelize([1, 2])).collect())
        [(1, 1), (1, 2), (2, 1), (2, 2)]
        """
        return CartesianRDD(self, other)

    @operation
    def zip(self, other):
        """Pair the i-th element of each partition with the i-th of ``other``'s same partition.

        >>> x = sc.parallelize(range(0, 5))
        >>> y = sc.parallelize(range(1000, 1005))
        >>> x.zip(y).collect()
        [(0, 1000), (1, 1001), (2, 1002), (3, 1003), (4, 1004)]
        """
        if self.getNumPartitions() != other.getNumPartitions():
            raise ValueError("Can only zip with RDD which has the same number of partitions")
        return ZippedPartitionsRDD2(self, other)

    @operation
    def zipWithIndex(self):
        """Pair each element with its index (runs a job to count partitions when there are several).

        >>> sc.parallelize(["a", "b", "c", "d"], 3).zipWithIndex().collect()
        [('a', 0), ('b', 1), ('c', 2), ('d', 3)]
        """
        starts = [0]
        if self.getNumPartitions() > 1:
            nums = self.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
            for i in range(len(nums) - 1):
                starts.append(starts[-1] + nums[i])

        def func(k, it):
            for i, v in enumerate(it, starts[k]):
                yield v, i

        return self.mapPartitionsWithIndex(func)

    @operation
    def zipWithUniqueId(self):
        """Pair each element with a unique id: k, n+k, 2n+k... in partition k of n. No job runs.

        >>> sc.parallelize(["a", "b", "c", "d", "e"], 3).zipWithUniqueId().collect()
        [('a', 0), ('b', 1), ('c', 4), ('d', 2), ('e', 5)]
        """
        n = self.getNumPartitions()

        def func(k, it):
            for i, v in enumerate(it):
                yield v, i * n + k

        return self.mapPartitionsWithIndex(func)

    @operation
    def coalesce(self, numPartitions, shuffle=False):
        """Fewer partitions: without shuffle, neighbouring partitions are concatenated.

        >>> sc.parallelize([1, 2, 3, 4, 5], 3).glom().collect()
        [[1], [2, 3], [4, 5]]
        >>> sc.parallelize([1, 2, 3, 4, 5], 3).coalesce(1).glom().collect()
        [[1, 2, 3, 4, 5]]
        """
        if not numPartitions > 0:
            raise ValueError("Number of partitions must be positive.")
        if shuffle:
            return self._round_robin_shuffle(numPartitions)
        n = self.getNumPartitions()
        target = min(numPartitions, n)
        groups = [list(range(i * n // target, (i + 1) * n // target)) for i in range(target)]
        return CoalescedRDD(self, groups)

    @operation
    def repartition(self, numPartitions):
        """Exactly ``numPartitions`` partitions, by a shuffle that spreads elements evenly.

        >>> rdd = sc.parallelize([1, 2, 3, 4, 5, 6, 7], 4)
        >>> len(rdd.repartition(2).glom().collect())
        2
        """
        return self.coalesce(numPartitions, shuffle=True)

    def _round_robin_shuffle(self, numPartitions):
        # Each map partition deals batches of 10 elements round-robin from a start that depends
        # on the partition index, so small partitions do not all pile into the first reducer.
        # PySpark ships batches of 10 pickled elements to Spark's round-robin, so the same batches
        # from the same start keep every element in the partition it has under PySpark.
        def distribute(index, iterator):
            position = round_robin_start(index, numPartitions)
            iterator = iter(iterator)
            while True:
                batch = list(itertools.islice(iterator, 10))
                if not batch:
                    return
                position += 1
                for item in batch:
                    yield position, item

        keyed = self.mapPartitionsWithIndex(distribute)
        # Spark's coalesce(shuffle=True) is four JVM RDDs, the last one the values of the shuffle.
        return ShuffledRDD(keyed, Partitioner(numPartitions, _identity_index), extra_ids=3, values_only=True)

    @operation
    def pipe(self, command, env=None, checkCode=False):
        """Feed each partition through an external command, one element per line.

        >>> sc.parallelize(['1', '2', '', '3']).pipe('cat').collect()
        ['1', '2', '', '3']
        """
        if env is None:
            env = {}

        def func(iterator):
            proc = subprocess.Popen(shlex.split(command), env=dict(os.environ, **env) if env else None,
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE)

            def feed():
                try:
                    for obj in iterator:
                        proc.stdin.write(str(obj).rstrip("\n").encode("utf-8") + b"\n")
                finally:
                    proc.stdin.close()

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            for line in proc.stdout:
                yield line.rstrip(b"\n").decode("utf-8")
            proc.stdout.close()
            writer.join()
            code = proc.wait()
            if checkCode and code:
                raise RuntimeError("Pipe function `%s' exited with error code %d" % (command, code))

        return self.mapPartitions(func)

    # -- transformations: wide (key-value) --

    def _defaultReducePartitions(self):
        if self.ctx._conf.contains("spark.default.parallelism"):
            return self.ctx.defaultParallelism
        return self.getNumPartitions()

    @operation
    def partitionBy(self, numPartitions, partitionFunc=portable_hash):
        """Redistribute (key, value) pairs into ``numPartitions`` by ``partitionFunc(key)``.

        >>> pairs = sc.parallelize([1, 2, 3, 4, 2, 4, 1]).map(lambda x: (x, x))
        >>> sets = pairs.partitionBy(2).glom().collect()
        >>> len(set(sets[0]).intersection(set(sets[1])))
        0
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self
        # PySpark's map side is a PipelinedRDD of its own (it adds the partition keys), fused with
        # this one when it can be: the same ids, and this RDD keeps none if it has none yet.
        rdd = ShuffledRDD(PipelinedRDD(self, _pass_through), partitioner)
        rdd.partitioner = partitioner
        return rdd

    @operation
    def combineByKey(self, createCombiner, mergeValue, mergeCombiners, numPartitions=None,
                     partitionFunc=portable_hash):
        """Combine each key's values with a custom combiner, map-side first, then after a shuffle.

        >>> x = sc.parallelize([("a", 1), ("b", 1), ("a", 2)])
        >>> def to_list(a): return [a]
        >>> def append(a, b): a.append(b); return a
        >>> def extend(a, b): a.extend(b); return a
        >>> sorted(x.combineByKey(to_list, append, extend).collect())
        [('a', [1, 2]), ('b', [1])]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        agg = Aggregator(createCombiner, mergeValue, mergeCombiners)
        combined = self.mapPartitions(lambda it: _combine_values(agg, it), preservesPartitioning=True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        return shuffled.mapPartitions(lambda it: _merge_combiners(agg, it), preservesPartitioning=True)

    @operation
    def reduceByKey(self, func, numPartitions=None, partitionFunc=portable_hash):
        """Merge each key's values with an associative, commutative ``func``.

        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).reduceByKey(lambda a, b: a + b).collect())
        [('a', 2), ('b', 1)]
        """
        return self.combineByKey(lambda x: x, func, func, numPartitions, partitionFunc)

    @operation
    def foldByKey(self, zeroValue, func, numPartitions=None, partitionFunc=portable_hash):
        """Merge each key's values with ``func``, starting from a copy of ``zeroValue``.

        >>> from operator import add
        >>> sorted(sc.parallelize([("a", 1), ("b", 2), ("a", 3)]).foldByKey(0, add).collect())
        [('a', 4), ('b', 2)]
        """
        def create_zero():
            return copy.deepcopy(zeroValue)

        return self.combineByKey(lambda v: func(create_zero(), v), func, func, numPartitions, partitionFunc)

    @operation
    def aggregateByKey(self, zeroValue, seqFunc, combFunc, numPartitions=None, partitionFunc=portable_hash):
        """Aggregate each key's values: ``seqFunc`` within a partition, ``combFunc`` across.

        >>> pairs = sc.parallelize([("a", 1), ("b", 5), ("a", 3)], 2)
        >>> sums_counts = pairs.aggregateByKey((0, 0), lambda acc, v: (acc[0] + v, acc[1] + 1),
        ...                                    lambda a, b: (a[0] + b[0], a[1] + b[1]))
        >>> sorted(sums_counts.collect())
        [('a', (4, 2)), ('b', (5, 1))]
        """
        def create_zero():
            return copy.deepcopy(zeroValue)

        return self.combineByKey(lambda v: seqFunc(create_zero(), v), seqFunc, combFunc, numPartitions,
                                 partitionFunc)

    @operation
    def groupByKey(self, numPartitions=None, partitionFunc=portable_hash):
        """Group each key's values into one iterable (prefer reduceByKey for aggregations).

        >>> rdd = sc.parallelize([("a", 1), ("b", 1), ("a", 1)])
        >>> sorted(rdd.groupByKey().mapValues(list).collect())
        [('a', [1, 1]), ('b', [1])]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def create(x):
            return [x]

        agg = Aggregator(create, append_value, extend_values)
        combined = self.mapPartitions(lambda it: _combine_values(agg, it), preservesPartitioning=True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        grouped = shuffled.mapPartitions(lambda it: _merge_combiners(agg, it), preservesPartitioning=True)
        return grouped.mapValues(ResultIterable)

    @operation
    def groupBy(self, f, numPartitions=None, partitionFunc=portable_hash):
        """Group elements by the key ``f`` gives them.

        >>> result = sc.parallelize([1, 1, 2, 3, 5, 8]).groupBy(lambda x: x % 2).collect()
        >>> sorted([(x, sorted(y)) for (x, y) in result])
        [(0, [2, 8]), (1, [1, 1, 3, 5])]
        """
        return self.map(lambda x: (f(x), x)).groupByKey(numPartitions, partitionFunc)

    @operation
    def distinct(self, numPartitions=None):
        """The distinct elements.

        >>> sorted(sc.parallelize([1, 1, 2, 3]).distinct().collect())
        [1, 2, 3]
        """
        return self.map(lambda x: (x, None)).reduceByKey(lambda x, _: x, numPartitions).map(lambda x: x[0])

    @operation
    def cogroup(self, other, numPartitions=None):
        """For each key, a tuple of the iterables of its values in this RDD and in ``other``.

        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2)])
        >>> [(k, tuple(map(list, v))) for k, v in sorted(list(x.cogroup(y).collect()))]
        [('a', ([1], [2])), ('b', ([4], []))]
        """
        return _cogroup((self, other), numPartitions)

    @operation
    def groupWith(self, other, *others):
        """cogroup with any number of other RDDs.

        >>> w = sc.parallelize([("a", 5), ("b", 6)])
        >>> x = sc.parallelize([("a", 1)])
        >>> y = sc.parallelize([("b", 2)])
        >>> [(k, tuple(map(list, v))) for k, v in sorted(w.groupWith(x, y).collect())]
        [('a', ([5], [1], [])), ('b', ([6], [], [2]))]
        """
        return _cogroup((self, other) + others, None)

    @operation
    def join(self, other, numPartitions=None):
        """Inner join on keys: (k, (v, w)) for every matching pair.

        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2), ("a", 3)])
        >>> sorted(x.join(y).collect())
        [('a', (1, 2)), ('a', (1, 3))]
        """
        return _join(self, other, numPartitions, False, False)

    @operation
    def leftOuterJoin(self, other, numPartitions=None):
        """Left outer join: keys of this RDD missing from ``other`` pair with None.

        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2)])
        >>> sorted(x.leftOuterJoin(y).collect())
        [('a', (1, 2)), ('b', (4, None))]
        """
        return _join(self, other, numPartitions, True, False)

    @operation
    def rightOuterJoin(self, other, numPartitions=None):
        """Right outer join: keys of ``other`` missing from this RDD pair with None.

        >>> x = sc.parallelize([("a", 1)])
        >>> y = sc.parallelize([("a", 2), ("c", 8)])
        >>> sorted(x.rightOuterJoin(y).collect())
        [('a', (1, 2)), ('c', (None, 8))]
        """
        return _join(self, other, numPartitions, False, True)

    @operation
    def fullOuterJoin(self, other, numPartitions=None):
        """Full outer join: a key missing on either side pairs with None.

        >>> x = sc.parallelize([("a", 1), ("b", 4)])
        >>> y = sc.parallelize([("a", 2), ("c", 8)])
        >>> sorted(x.fullOuterJoin(y).collect())
        [('a', (1, 2)), ('b', (4, None)), ('c', (None, 8))]
        """
        return _join(self, other, numPartitions, True, True)

    @operation
    def subtractByKey(self, other, numPartitions=None):
        """Pairs whose key is not in ``other``.

        >>> x = sc.parallelize([("a", 1), ("b", 4), ("b", 5), ("a", 2)])
        >>> y = sc.parallelize([("a", 3), ("c", None)])
        >>> sorted(x.subtractByKey(y).collect())
        [('b', 4), ('b', 5)]
        """
        def keep(pair):
            _key, (val1, val2) = pair
            return val1 and not val2

        return self.cogroup(other, numPartitions).filter(keep).flatMapValues(lambda x: x[0])

    @operation
    def subtract(self, other, numPartitions=None):
        """Elements not in ``other``.

        >>> x = sc.parallelize([("a", 1), ("b", 4), ("b", 5), ("a", 3)])
        >>> y = sc.parallelize([("a", 3), ("c", None)])
        >>> sorted(x.subtract(y).collect())
        [('a', 1), ('b', 4), ('b', 5)]
        """
        rdd = other.map(lambda x: (x, True))
        return self.map(lambda x: (x, True)).subtractByKey(rdd, numPartitions).keys()

    @operation
    def intersection(self, other):
        """The distinct elements present in both RDDs.

        >>> rdd1 = sc.parallelize([1, 10, 2, 3, 4, 5])
        >>> rdd2 = sc.parallelize([1, 6, 2, 3, 7, 8])
        >>> sorted(rdd1.intersection(rdd2).collect())
        [1, 2, 3]
        """
        return (self.map(lambda v: (v, None)).cogroup(other.map(lambda v: (v, None)))
                .filter(lambda k_vs: all(k_vs[1])).keys())

    @operation
    def sortByKey(self, ascending=True, numPartitions=None, keyfunc=lambda x: x):
        """Sort (key, value) pairs by key; partitions hold key ranges (sampled to balance them).

        >>> tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]
        >>> sc.parallelize(tmp).sortByKey().first()
        ('1', 3)
        >>> sc.parallelize(tmp).sortByKey(True, 2).collect()
        [('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def sort_partition(iterator):
            return sort_records(iterator, key=lambda kv: keyfunc(kv[0]), reverse=not ascending)

        if numPartitions == 1:
            rdd = self.coalesce(1) if self.getNumPartitions() > 1 else self
            return rdd.mapPartitions(sort_partition, True)

        # Range bounds from a sample of the keys, chosen exactly as PySpark chooses them (count,
        # then sample(False, min(20 * numPartitions / count, 1), seed=1)), but in one pass: each
        # element's uniform draw does not depend on the fraction, so a partition keeps every key
        # whose draw is below the largest fraction still possible, and the driver finishes the cut.
        max_sample_size = numPartitions * 20.0
        counted = self.mapPartitionsWithIndex(
            lambda split, it: [_count_and_sample_keys(split, it, max_sample_size)]).collect()
        self.ctx._new_rdd_id()  # the RDD of PySpark's second job (the sample), for equal ids
        size = sum(n for n, _ in counted)
        if not size:
            return self
        fraction = min(max_sample_size / max(size, 1), 1.0)
        samples = sorted((k for _, kept in counted for u, k in kept if u < fraction), key=keyfunc)
        bounds = [samples[int(len(samples) * (i + 1) / numPartitions)] for i in range(numPartitions - 1)]

        def range_partitioner(k):
            p = bisect.bisect_left(bounds, keyfunc(k))
            return p if ascending else numPartitions - 1 - p

        return self.partitionBy(numPartitions, range_partitioner).mapPartitions(sort_partition, True)

    @operation
    def sortBy(self, keyfunc, ascending=True, numPartitions=None):
        """Sort by the key ``keyfunc`` gives each element.

        >>> tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]
        >>> sc.parallelize(tmp).sortBy(lambda x: x[1]).collect()
        [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]
        """
        return self.keyBy(keyfunc).sortByKey(ascending, numPartitions).values()

    @operation
    def repartitionAndSortWithinPartitions(self, numPartitions=None, partitionFunc=portable_hash,
                                           ascending=True, keyfunc=lambda x: x):
        """Repartition by ``partitionFunc`` and sort each resulting partition by key.

        >>> rdd = sc.parallelize([(0, 5), (3, 8), (2, 6), (0, 8), (3, 8), (1, 3)])
        >>> rdd.repartitionAndSortWithinPartitions(2, lambda x: x % 2, True).glom().collect()
        [[(0, 5), (0, 8), (2, 6)], [(1, 3), (3, 8), (3, 8)]]
        """
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def sort_partition(iterator):
            return sort_records(iterator, key=lambda kv: keyfunc(kv[0]), reverse=not ascending)

        return self.partitionBy(numPartitions, partitionFunc).mapPartitions(sort_partition, True)

    # -- barrier execution --

    def barrier(self):
        """Mark the current stage as a barrier stage: all its tasks run at once.

        >>> from sparklet import BarrierTaskContext
        >>> rdd = sc.parallelize(range(4), 2)
        >>> rdd.barrier().mapPartitions(lambda it: [BarrierTaskContext.get().partitionId()]).collect()
        [0, 1]
        """
        return RDDBarrier(self)

    def isBarrier(self):
        """Whether this RDD's stage runs as a barrier stage (made by ``barrier().mapPartitions``).

        >>> rdd = sc.parallelize([1, 2], 2)
        >>> rdd.isBarrier(), rdd.barrier().mapPartitions(lambda it: it).isBarrier()
        (False, True)
        """
        return self.is_barrier

    # PySpark's name for it, which its barrier tests call
    _is_barrier = isBarrier

    # -- actions --

    @operation
    def collect(self):
        """All elements, in partition order, as a list in the driver.

        >>> sc.parallelize([1, 2, 3], 2).collect()
        [1, 2, 3]
        """
        return self.ctx._run_job(self, _to_list)

    @operation
    def collectWithJobGroup(self, groupId, description, interruptOnCancel=False):
        """collect() inside a job group of its own.

        >>> sc.parallelize([1, 2, 3]).collectWithJobGroup("nightly", "the nightly numbers")
        [1, 2, 3]
        >>> sc.getLocalProperty("spark.jobGroup.id")
        'nightly'
        >>> sc.clearJobGroup()
        """
        self.ctx.setJobGroup(groupId, description, interruptOnCancel)
        return self.collect()

    @operation
    def toLocalIterator(self, prefetchPartitions=False):
        """Iterate over all elements, fetching one partition (one job) at a time.

        >>> [x for x in sc.parallelize(range(10), 3).toLocalIterator()]
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

        With ``prefetchPartitions=True`` the job of the next partition runs while the caller
        consumes the current one:

        >>> list(sc.parallelize(range(4), 2).toLocalIterator(prefetchPartitions=True))
        [0, 1, 2, 3]
        """
        num_partitions = self.getNumPartitions()
        if not prefetchPartitions:
            for p in range(num_partitions):
                yield from self.ctx._run_job(self, _to_list, [p])
            return
        from concurrent.futures import ThreadPoolExecutor

        ctx = self.ctx
        properties = ctx._local_properties_snapshot()

        def fetch(p):
            # the prefetch thread's jobs carry the caller's local properties (job group,
            # description), as an InheritableThread's would
            ctx._set_local_properties(properties)
            return ctx._run_job(self, _to_list, [p])

        # One job ahead at most; leaving the loop early waits for that one job to end.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="toLocalIterator-prefetch") as pool:
            ahead = pool.submit(fetch, 0) if num_partitions else None
            for p in range(num_partitions):
                records = ahead.result()
                ahead = pool.submit(fetch, p + 1) if p + 1 < num_partitions else None
                yield from records

    @operation
    def foreach(self, f):
        """Run ``f`` on each element, on the executors (for side effects).

        >>> def f(x): print(x)
        >>> sc.parallelize([1, 2, 3, 4, 5]).foreach(f)
        """

        def process(iterator):
            for x in iterator:
                f(x)
            return iter([])

        self.mapPartitions(process).count()

    @operation
    def foreachPartition(self, f):
        """Run ``f`` on each partition's iterator, on the executors.

        >>> partitions = sc.accumulator(0)
        >>> sc.parallelize(range(10), 3).foreachPartition(lambda it: partitions.add(1))
        >>> partitions.value
        3
        """
        def process(it):
            result = f(it)
            try:
                return iter(result)
            except TypeError:
                return iter([])

        self.mapPartitions(process).count()

    @operation
    def count(self):
        """The number of elements.

        >>> sc.parallelize([2, 3, 4]).count()
        3
        """
        return self.mapPartitions(_count_partition).sum()

    @operation
    def countApprox(self, timeout, confidence=0.95):
        """The count; Sparklet always finishes the job, so the answer is exact.

        >>> sc.parallelize(range(1000), 10).countApprox(1000, 1.0)
        1000
        """
        return self.count()

    @operation
    def sumApprox(self, timeout, confidence=0.95):
        """The sum with a confidence interval; exact here, as every job runs to completion.

        >>> int(sc.parallelize(range(1000), 10).sumApprox(1000))
        499500
        """
        total = float(self.map(float).sum())
        return BoundedFloat(total, confidence, total, total)

    @operation
    def meanApprox(self, timeout, confidence=0.95):
        """The mean with a confidence interval; exact here, as every job runs to completion.

        >>> float(sc.parallelize(range(1000), 10).meanApprox(1000))
        499.5
        """
        mean = self.map(float).mean()
        return BoundedFloat(mean, confidence, mean, mean)

    @operation
    def countApproxDistinct(self, relativeSD=0.05):
        """The number of distinct elements (Sparklet counts exactly, within any relativeSD).

        >>> n = sc.parallelize(range(1000)).map(str).countApproxDistinct()
        >>> 900 < n < 1100
        True
        """
        if relativeSD < 0.000017:
            raise ValueError("relativeSD should be greater than 0.000017")
        return self.distinct().count()

    @operation
    def countByValue(self):
        """How many times each distinct element occurs, as a dict.

        >>> sorted(sc.parallelize([1, 2, 1, 2, 2], 2).countByValue().items())
        [(1, 2), (2, 3)]
        """
        def count_partition(iterator):
            counts = defaultdict(int)
            for obj in iterator:
                counts[obj] += 1
            yield counts

        def merge_maps(m1, m2):
            for k, v in m2.items():
                m1[k] += v
            return m1

        return self.mapPartitions(count_partition).reduce(merge_maps)

    @operation
    def countByKey(self):
        """How many pairs each key has, as a dict.

        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).countByKey().items())
        [('a', 2), ('b', 1)]
        """
        return self.map(lambda x: x[0]).countByValue()

    @operation
    def collectAsMap(self):
        """The (key, value) pairs as a dict (a later pair wins for a repeated key).

        >>> m = sc.parallelize([(1, 2), (3, 4)]).collectAsMap()
        >>> m[1], m[3]
        (2, 4)
        """
        return dict(self.collect())

    @operation
    def reduce(self, f):
        """Reduce the elements with a commutative, associative binary operator.

        >>> sc.parallelize([1, 2, 3, 4, 5]).reduce(lambda a, b: a + b)
        15
        >>> sc.parallelize([]).reduce(lambda a, b: a + b)
        Traceback (most recent call last):
            ...
        ValueError: Can not reduce() empty RDD
        """

        def func(iterator):
            iterator = iter(iterator)
            try:
                initial = next(iterator)
            except StopIteration:
                return
            yield reduce(f, iterator, initial)

        vals = self.mapPartitions(func).collect()
        if vals:
            return reduce(_fail_on_stopiteration(f), vals)
        raise ValueError("Can not reduce() empty RDD")

    @operation
    def treeReduce(self, f, depth=2):
        """reduce() in a multi-level tree of partial results.

        >>> sc.parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10).treeReduce(lambda a, b: a + b, 2)
        -5
        """
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        zero = (None, True)  # (value, "is the dummy zero")

        def op(x, y):
            if x[1]:
                return y
            if y[1]:
                return x
            return f(x[0], y[0]), False

        reduced = self.map(lambda x: (x, False)).treeAggregate(zero, op, op, depth)
        if reduced[1]:
            raise ValueError("Cannot reduce empty RDD.")
        return reduced[0]

    @operation
    def fold(self, zeroValue, op):
        """Fold each partition, then the partition results, from ``zeroValue``.

        >>> from operator import add
        >>> sc.parallelize([1, 2, 3, 4, 5]).fold(0, add)
        15
        """

        def func(iterator):
            acc = copy.deepcopy(zeroValue)  # each task its own zero, as each PySpark task unpickles one
            for obj in iterator:
                acc = op(acc, obj)
            yield acc

        vals = self.mapPartitions(func).collect()
        return reduce(_fail_on_stopiteration(op), vals, zeroValue)

    @operation
    def aggregate(self, zeroValue, seqOp, combOp):
        """Aggregate each partition with ``seqOp`` and the partition results with ``combOp``.

        >>> seqOp = (lambda x, y: (x[0] + y, x[1] + 1))
        >>> combOp = (lambda x, y: (x[0] + y[0], x[1] + y[1]))
        >>> sc.parallelize([1, 2, 3, 4]).aggregate((0, 0), seqOp, combOp)
        (10, 4)
        """

        def func(iterator):
            acc = copy.deepcopy(zeroValue)  # each task its own zero, as each PySpark task unpickles one
            for obj in iterator:
                acc = seqOp(acc, obj)
            yield acc

        vals = self.mapPartitions(func).collect()
        return reduce(_fail_on_stopiteration(combOp), vals, zeroValue)

    @operation
    def treeAggregate(self, zeroValue, seqOp, combOp, depth=2):
        """aggregate() combining partial results in a multi-level tree of shuffles.

        >>> add = lambda x, y: x + y
        >>> sc.parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10).treeAggregate(0, add, add, 2)
        -5
        """
        if depth < 1:
            raise ValueError("Depth cannot be smaller than 1 but got %d." % depth)
        if self.getNumPartitions() == 0:
            return zeroValue

        def aggregate_partition(iterator):
            acc = copy.deepcopy(zeroValue)  # each task its own zero, as each PySpark task unpickles one
            for obj in iterator:
                acc = seqOp(acc, obj)
            yield acc

        partial = self.mapPartitions(aggregate_partition)
        num = partial.getNumPartitions()
        scale = max(int(ceil(pow(num, 1.0 / depth))), 2)
        # Another level only pays while it cuts the partitions more than it costs.
        while num > scale + num / scale:
            num /= scale
            cur = int(num)

            def map_partition(i, iterator, cur=cur):
                for obj in iterator:
                    yield i % cur, obj

            partial = partial.mapPartitionsWithIndex(map_partition).reduceByKey(combOp, cur).values()
        return partial.reduce(combOp)

    @operation
    def max(self, key=None):
        """The largest element (by ``key`` if given).

        >>> sc.parallelize([1.0, 5.0, 43.0, 10.0]).max()
        43.0
        """
        return self._extreme(max, key)

    @operation
    def min(self, key=None):
        """The smallest element (by ``key`` if given).

        >>> sc.parallelize([2.0, 5.0, 43.0, 10.0]).min()
        2.0
        """
        return self._extreme(min, key)

    def _extreme(self, pick, key):
        # What PySpark's reduce(max) gives, with the builtin taking a whole partition at a time.
        vals = self.mapPartitions(functools.partial(_extreme_of_partition, pick, key)).collect()
        if vals:
            return pick(vals, key=key)
        raise ValueError("Can not reduce() empty RDD")

    @operation
    def sum(self):
        """The sum of the elements.

        >>> sc.parallelize([1.0, 2.0, 3.0]).sum()
        6.0
        """
        return self.mapPartitions(lambda x: [sum(x)]).fold(0, operator.add)

    @operation
    def stats(self):
        """A StatCounter with count, mean, variance, max and min, in one pass.

        >>> sc.parallelize([1.0, 2.0, 3.0, 4.0], 2).stats()
        (count: 4, mean: 2.5, stdev: 1.118033988749895, max: 4.0, min: 1.0)
        """
        return self.mapPartitions(lambda i: [StatCounter(i)]).reduce(lambda a, b: a.mergeStats(b))

    @operation
    def mean(self):
        """The mean of the elements.

        >>> sc.parallelize([1, 2, 3]).mean()
        2.0
        """
        # stats().mean(), without the variance, max and min it would compute and not use.
        return self.mapPartitions(lambda i: [StatCounter._of_mean(i)]).reduce(lambda a, b: a.mergeStats(b)).mean()

    @operation
    def variance(self):
        """The population variance of the elements.

        >>> sc.parallelize([1, 2, 3]).variance()
        0.6666666666666666
        """
        return self.stats().variance()

    @operation
    def stdev(self):
        """The population standard deviation of the elements.

        >>> sc.parallelize([1, 2, 3]).stdev()
        0.816496580927726
        """
        return self.stats().stdev()

    @operation
    def sampleStdev(self):
        """The sample standard deviation (divided by N - 1) of the elements.

        >>> sc.parallelize([1, 2, 3]).sampleStdev()
        1.0
        """
        return self.stats().sampleStdev()

    @operation
    def sampleVariance(self):
        """The sample variance (divided by N - 1) of the elements.

        >>> sc.parallelize([1, 2, 3]).sampleVariance()
        1.0
        """
        return self.stats().sampleVariance()

    @operation
    def histogram(self, buckets):
        """Counts of elements per bucket: ``buckets`` is a count of even buckets or sorted bounds.

        >>> rdd = sc.parallelize(range(51))
        >>> rdd.histogram(2)
        ([0, 25, 50], [25, 26])
        >>> rdd.histogram([0, 5, 25, 50])
        ([0, 5, 25, 50], [5, 20, 26])
        """
        if isinstance(buckets, int):
            if buckets < 1:
                raise ValueError("number of buckets must be >= 1")

            def comparable(x):
                return x is not None and not (type(x) is float and isnan(x))

            filtered = self.filter(comparable)
            minv, maxv = filtered.map(lambda x: (x, x)).reduce(lambda a, b: (min(a[0], b[0]), max(a[1], b[1])))
            if minv == maxv or buckets == 1:
                return [minv, maxv], [filtered.count()]
            try:
                inc = (maxv - minv) / buckets
            except TypeError:
                raise TypeError("Can not generate buckets with non-number in RDD")
            if isinf(inc):
                raise ValueError("Can not generate buckets with infinite value")
            inc = int(inc)  # keep integer buckets when they divide the range exactly
            if inc * buckets != maxv - minv:
                inc = (maxv - minv) * 1.0 / buckets
            buckets = [i * inc + minv for i in range(buckets)]
            buckets.append(maxv)  # no accumulated rounding at the top
            even = True
        elif isinstance(buckets, (list, tuple)):
            if len(buckets) < 2:
                raise ValueError("buckets should have more than one value")
            if any(i is None or isinstance(i, float) and isnan(i) for i in buckets):
                raise ValueError("can not have None or NaN in buckets")
            if sorted(buckets) != list(buckets):
                raise ValueError("buckets should be sorted")
            if len(set(buckets)) != len(buckets):
                raise ValueError("buckets should not contain duplicated values")
            minv, maxv = buckets[0], buckets[-1]
            even = False
            inc = None
            try:
                steps = [buckets[i + 1] - buckets[i] for i in range(len(buckets) - 1)]
            except TypeError:
                pass  # bounds without '-': bisect works all the same
            else:
                if max(steps) - min(steps) < 1e-10:
                    even = True
                    inc = (maxv - minv) / (len(buckets) - 1)
        else:
            raise TypeError("buckets should be a list or tuple or number(int or long)")

        def count_partition(iterator):
            counters = [0] * len(buckets)
            for i in iterator:
                if i is None or (isinstance(i, float) and isnan(i)) or i > maxv or i < minv:
                    continue
                t = int((i - minv) / inc) if even else bisect.bisect_right(buckets, i) - 1
                counters[t] += 1
            last = counters.pop()  # the top bound is inclusive: it belongs to the last bucket
            counters[-1] += last
            return [counters]

        return buckets, self.mapPartitions(count_partition).reduce(lambda a, b: [i + j for i, j in zip(a, b)])

    @operation
    def top(self, num, key=None):
        """The ``num`` largest elements, largest first.

        >>> sc.parallelize([10, 4, 2, 12, 3]).top(1)
        [12]
        >>> sc.parallelize([2, 3, 4, 5, 6], 2).top(2)
        [6, 5]
        """
        def top_iterator(iterator):
            yield heapq.nlargest(num, iterator, key=key)

        return self.mapPartitions(top_iterator).reduce(lambda a, b: heapq.nlargest(num, a + b, key=key))

    @operation
    def takeOrdered(self, num, key=None):
        """The ``num`` smallest elements (by ``key``), in order.

        >>> sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6)
        [1, 2, 3, 4, 5, 6]
        """
        if num < 0:
            raise ValueError("top N cannot be negative.")
        if num == 0 or self.getNumPartitions() == 0:
            return []
        return (self.mapPartitions(lambda it: [heapq.nsmallest(num, it, key)])
                .reduce(lambda a, b: heapq.nsmallest(num, a + b, key)))

    @operation
    def take(self, num):
        """The first ``num`` elements: scans one partition, then more in growing jobs as needed.

        >>> sc.parallelize([2, 3, 4, 5, 6]).cache().take(2)
        [2, 3]
        >>> sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3)
        [91, 92, 93]
        """
        items = []
        total = self.getNumPartitions()
        scanned = 0
        while len(items) < num and scanned < total:
            to_try = 1
            if scanned > 0:
                # Nothing yet: quadruple. Else interpolate, overestimating by half, capped.
                if len(items) == 0:
                    to_try = scanned * 4
                else:
                    to_try = int(1.5 * num * scanned / len(items)) - scanned
                    to_try = min(max(to_try, 1), scanned * 4)
            left = num - len(items)

            def take_up_to(iterator, left=left):
                return list(itertools.islice(iterator, left))

            partitions = range(scanned, min(scanned + to_try, total))
            items += self.ctx.runJob(self, take_up_to, partitions)
            scanned += to_try
        return items[:num]

    @operation
    def first(self):
        """The first element.

        >>> sc.parallelize([2, 3, 4]).first()
        2
        >>> sc.parallelize([]).first()
        Traceback (most recent call last):
            ...
        ValueError: RDD is empty
        """
        rs = self.take(1)
        if rs:
            return rs[0]
        raise ValueError("RDD is empty")

    @operation
    def isEmpty(self):
        """True when the RDD has no element.

        >>> sc.parallelize([]).isEmpty()
        True
        """
        return self.getNumPartitions() == 0 or len(self.take(1)) == 0

    @operation
    def takeSample(self, withReplacement, num, seed=None):
        """A fixed-size random sample, as a list in the driver.

        >>> rdd = sc.parallelize(range(0, 10))
        >>> len(rdd.takeSample(True, 20, 1))
        20
        >>> len(rdd.takeSample(False, 5, 2))
        5
        """
        num_stdev = 10.0
        max_sample_size = sys.maxsize - int(num_stdev * sqrt(sys.maxsize))
        if num < 0:
            raise ValueError("Sample size cannot be negative.")
        elif num > max_sample_size:
            raise ValueError("Sample size cannot be greater than %d." % max_sample_size)
        if num == 0 or self.getNumPartitions() == 0:
            return []
        initial_count = self.count()
        if initial_count == 0:
            return []
        rand = random.Random(seed)
        if not withReplacement and num >= initial_count:
            samples = self.collect()
            rand.shuffle(samples)
            return samples
        fraction = RDD._computeFractionForSampleSize(num, initial_count, withReplacement)
        samples = self.sample(withReplacement, fraction, seed).collect()
        # The fraction is chosen so one round almost always suffices; otherwise sample again.
        while len(samples) < num:
            seed = rand.randint(0, sys.maxsize)
            samples = self.sample(withReplacement, fraction, seed).collect()
        rand.shuffle(samples)
        return samples[0:num]

    @staticmethod
    def _computeFractionForSampleSize(sampleSizeLowerBound, total, withReplacement):
        fraction = float(sampleSizeLowerBound) / total
        if withReplacement:
            num_stdev = 9 if sampleSizeLowerBound < 12 else 5
            return fraction + num_stdev * sqrt(fraction / total)
        delta = 0.00005
        gamma = -log(delta) / total
        return min(1, fraction + gamma + sqrt(gamma * gamma + 2 * gamma * fraction))

    @operation
    def lookup(self, key):
        """The values for ``key``; only the key's partition is scanned when the RDD is partitioned.

        >>> rdd = sc.parallelize(list(zip(range(1000), map(str, range(1000)))), 10)
        >>> rdd.lookup(42)
        ['42']
        >>> sorted_rdd = rdd.sortByKey()
        >>> sorted_rdd.lookup(42)
        ['42']
        """
        values = self.filter(lambda kv: kv[0] == key).values()
        if self.partitioner is not None:
            return self.ctx.runJob(values, _to_list, [self.partitioner(key)])
        return values.collect()

    @operation
    def reduceByKeyLocally(self, func):
        """Merge each key's values with ``func`` and return the result to the driver as a dict.

        >>> sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).reduceByKeyLocally(lambda a, b: a + b).items())
        [('a', 2), ('b', 1)]
        """

        def reduce_partition(iterator):
            m = {}
            for k, v in iterator:
                m[k] = func(m[k], v) if k in m else v
            yield m

        def merge_maps(m1, m2):
            for k, v in m2.items():
                m1[k] = func(m1[k], v) if k in m1 else v
            return m1

        return self.mapPartitions(reduce_partition).reduce(merge_maps)

    # -- output --

    @operation
    def saveAsTextFile(self, path, compressionCodecClass=None):
        """Write each element's ``str`` as a line, one part-NNNNN file per partition.

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> out = os.path.join(tmp.name, "lines")
        >>> sc.parallelize(["x", "y", "z"], 2).saveAsTextFile(out)
        >>> sorted(os.listdir(out))
        ['_SUCCESS', 'part-00000', 'part-00001']
        >>> sorted(sc.textFile(out).collect())
        ['x', 'y', 'z']
        >>> tmp.cleanup()
        """
        from .output import save_as_text_file

        save_as_text_file(self, path, compressionCodecClass)

    @operation
    def saveAsPickleFile(self, path, batchSize=10):
        """Write the elements as pickled batches, one part file per partition (read with pickleFile).

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> out = os.path.join(tmp.name, "objects")
        >>> sc.parallelize([{"a": 1}, (2, 3), None], 2).saveAsPickleFile(out)
        >>> sorted(sc.pickleFile(out).collect(), key=repr)
        [(2, 3), None, {'a': 1}]
        >>> tmp.cleanup()
        """
        from .output import save_as_pickle_file

        save_as_pickle_file(self, path, batchSize)

    @operation
    def saveAsSequenceFile(self, path, compressionCodecClass=None):
        """Write (key, value) pairs as a Hadoop SequenceFile of Writables, one part per partition
        (the classes come from the first record, as in Spark).

        >>> import os, tempfile
        >>> tmp = tempfile.TemporaryDirectory()
        >>> out = os.path.join(tmp.name, "pairs")
        >>> sc.parallelize([("a", 1), ("b", 2)]).saveAsSequenceFile(out)
        >>> sorted(sc.sequenceFile(out).collect())
        [('a', 1), ('b', 2)]
        >>> tmp.cleanup()
        """
        from .output import save_as_sequence_file

        save_as_sequence_file(self, path, compressionCodecClass)

    def __getnewargs__(self):
        raise rdd_only_on_driver()


def _count_and_sample_keys(split, iterator, max_sample_size):
    sampler = _Sampler(False, 1)
    sampler._init_random(split)
    draw = sampler._random.random
    kept = []
    n = 0
    for kv in iterator:
        n += 1
        u = draw()
        if u < max_sample_size / n:  # the fraction is max_sample_size / total, and total >= n
            kept.append((u, kv[0]))
    limit = max_sample_size / max(n, 1)
    return n, [(u, k) for u, k in kept if u < limit]


_SIZED_ITERATORS = (type(iter([])), type(iter(())), type(iter(range(0))))


def _extreme_of_partition(pick, key, iterator):
    """``[max(partition)]`` (or min), none when empty. The builtin over the iterable keeps exactly
    what reduce(max) keeps: the same comparisons in the same order, the first of equal elements."""
    empty = []
    found = pick(iterator, key=key, default=empty)
    return [] if found is empty else [found]


def _count_partition(iterator):
    if type(iterator) in _SIZED_ITERATORS:  # a cached block or a range: its length is known
        return [operator.length_hint(iterator)]
    n = 0
    for n, _ in enumerate(iterator, 1):
        pass
    return [n]


def _fail_on_stopiteration(f):
    """``f`` for the driver's side of an action: a StopIteration it raises becomes the RuntimeError
    PySpark raises there, instead of silently ending the loop that called ``f``."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except StopIteration as exc:
            raise RuntimeError("[STOP_ITERATION_OCCURRED] Caught StopIteration thrown from user's code; "
                               "failing the task: %s" % exc)

    return wrapper


def _to_list(iterator):
    return list(iterator)


def _identity_index(k):
    return k


def _tagged_join(rdd, other, numPartitions, keep_left, keep_right):
    def dispatch(tagged):
        vbuf, wbuf = [], []
        for n, v in tagged:
            (vbuf if n == 1 else wbuf).append(v)
        if keep_right and not vbuf:
            vbuf.append(None)
        if keep_left and not wbuf:
            wbuf.append(None)
        return ((v, w) for v in vbuf for w in wbuf)

    vs = rdd.mapValues(lambda v: (1, v))
    ws = other.mapValues(lambda v: (2, v))
    return vs.union(ws).groupByKey(numPartitions).flatMapValues(dispatch)


def _join(rdd, other, numPartitions, keep_left, keep_right):
    """``join`` and the outer joins, with PySpark's results and partitioning.

    PySpark tags each value with its side, unions, groups by key and dispatches. When the union
    is a plain concatenation of partitions, the side of a record is already known from the map
    partition it was shuffled from, so the tags, the grouped lists and their dispatch are skipped:
    same records, same order, same partitioner, a fraction of the per-record work."""
    grouped = _group_by_side(rdd, other, numPartitions)
    if grouped is None:
        return _tagged_join(rdd, other, numPartitions, keep_left, keep_right)
    grouped.output = _join_output(keep_left, keep_right)
    return PipelinedRDD(grouped, _pass_through, True)


def _join_output(keep_left, keep_right):
    def output(groups):
        single = groups.single_values()
        if single is not None:
            # One pass over the two sides' dicts: no per-key buffers or products to build.
            left, right = single
            for k, v in left.items():
                if k in right:
                    yield k, (v, right[k])
                elif keep_left:
                    yield k, (v, None)
            if keep_right:
                for k, w in right.items():
                    if k not in left:
                        yield k, (None, w)
            return
        for key, (vbuf, wbuf) in groups.items():
            if not vbuf:
                if not keep_right:
                    continue
                vbuf = [None]
            if not wbuf:
                if not keep_left:
                    continue
                wbuf = [None]
            for v in vbuf:
                for w in wbuf:
                    yield key, (v, w)

    return output


def _cogroup_output(groups):
    for key, bufs in groups.items():
        yield key, tuple(ResultIterable(vs) for vs in bufs)


def _group_by_side(first, other_or_others, numPartitions):
    rdds = [first] + (list(other_or_others) if isinstance(other_or_others, (list, tuple)) else [other_or_others])
    # PySpark tags each side's values in a PipelinedRDD of its own before the union; the sides
    # here pass records through untouched, and make the same RDDs.
    rdds = [PipelinedRDD(r, _pass_through, True) for r in rdds]
    union = reduce(lambda x, y: x.union(y), rdds)
    if not isinstance(union, UnionRDD) or any(isinstance(r, PartitionerAwareUnionRDD) for r in _union_inputs(union)):
        return None
    if numPartitions is None:
        numPartitions = union._defaultReducePartitions()
    bounds, total = [], 0
    for r in rdds:
        total += r.getNumPartitions()
        bounds.append(total)
    combined = union.mapPartitions(combine_side_values, preservesPartitioning=True)
    grouped = CoGroupedRDD(combined, Partitioner(numPartitions, portable_hash), bounds)
    grouped.partitioner = grouped.shuffle_partitioner
    return grouped


def _union_inputs(union):
    stack, out = [union], []
    while stack:
        r = stack.pop()
        out.append(r)
        if isinstance(r, UnionRDD):
            stack.extend(r.rdds)
    return out


def _cogroup(rdds, numPartitions):
    grouped = _group_by_side(rdds[0], list(rdds[1:]), numPartitions)
    if grouped is not None:
        grouped.output = _cogroup_output
        return PipelinedRDD(grouped, _pass_through, True)

    def make_mapper(i):
        return lambda v: (i, v)

    tagged = [rdd.mapValues(make_mapper(i)) for i, rdd in enumerate(rdds)]
    union = reduce(lambda x, y: x.union(y), tagged)
    count = len(tagged)

    def dispatch(seq):
        bufs = [[] for _ in range(count)]
        for n, v in seq:
            bufs[n].append(v)
        return tuple(ResultIterable(vs) for vs in bufs)

    return union.groupByKey(numPartitions).mapValues(dispatch)


class RDDBarrier:
    """An RDD whose next stage runs as a barrier stage (see ``RDD.barrier``)."""

    def __init__(self, rdd):
        self.rdd = rdd

    def mapPartitions(self, f, preservesPartitioning=False):
        return self.mapPartitionsWithIndex(lambda _, it: f(it), preservesPartitioning)

    @operation
    def mapPartitionsWithIndex(self, f, preservesPartitioning=False):
        return PipelinedRDD(self.rdd, f, preservesPartitioning, isFromBarrier=True)


# --- node types ----------------------------------------------------------------------------------


class ParallelCollectionRDD(RDD):
    """Data from the driver, cut into slices; each task receives only its own slice, pickled once
    per slice however many jobs read it (PySpark likewise serializes the data once, at parallelize)."""

    def __init__(self, ctx, slices):
        super().__init__(ctx, [], len(slices))
        self._slices = slices  # never pickled with the stage: see __reduce__
        self._pickled = {}

    def __reduce__(self):
        fn, args, state = super().__reduce__()
        state = dict(state)
        state["_slices"] = None
        state["_pickled"] = None
        return fn, args, state

    def task_input(self, split, map_outputs):
        data = self._pickled.get(split)
        if data is None:
            data = self._pickled[split] = dumps_records(self._slices[split])
        return data

    def compute(self, split, context):
        data = pickle.loads(context._env.task_inputs[(self._id, split)])
        context._metrics_input(len(data))
        return iter(data)


class EmptyRDD(ParallelCollectionRDD):
    """What sc.emptyRDD() returns: no partitions (named as Spark names it)."""

    def __init__(self, ctx):
        super().__init__(ctx, [])


def _pass_through(split, iterator):
    return iterator


class PipelinedRDD(RDD):
    """Applies ``func(partitionIndex, iterator)`` to each partition of its parent (narrow), where
    ``func`` may be several operators' functions fused, as PySpark pipelines them.

    >>> rdd = sc.parallelize([1, 2, 3, 4])
    >>> pipelined = rdd.map(lambda x: 2 * x).filter(lambda x: x > 2)
    >>> pipelined.id() == rdd.id() + 1, [op for op, _, _ in pipelined.operators]
    (True, ['map', 'filter'])
    >>> pipelined.collect()
    [4, 6, 8]
    """

    _public_class = True
    _kind = "PythonRDD"
    _id_on_demand = True
    _lineage_attrs = ("prev",)
    profiler = None  # set with spark.python.profile (see profiler.py)

    def __init__(self, prev, func, preservesPartitioning=False, isFromBarrier=False):
        name, scope_id, site = current_scope()
        operator = (name or "mapPartitionsWithIndex", site or user_call_site(), scope_id)
        if isinstance(prev, PipelinedRDD) and prev._is_pipelinable():
            prev_func = prev.func

            def pipeline_func(split, iterator):
                return func(split, prev_func(split, iterator))

            self.func = pipeline_func
            preservesPartitioning = prev.preservesPartitioning and preservesPartitioning
            # One call of an operator (reduceByKey's combine and key steps) is listed once.
            same_call = scope_id and prev._operator_scope == scope_id
            self.operators = prev.operators if same_call else prev.operators + [operator]
            source = prev.prev
        else:
            self.func = func
            self.operators = [operator]
            source = prev
        self._rdd_id = None
        # The parent is the pipeline's source, never an RDD fused into this one: only the RDDs of
        # the lineage travel in a stage's task binary.
        super().__init__(source.ctx, [OneToOneDependency(source)], None)
        self._operator_scope = scope_id
        self.prev = source
        self.preservesPartitioning = preservesPartitioning
        self.partitioner = prev.partitioner if preservesPartitioning else None
        self.is_barrier = isFromBarrier or prev.is_barrier

    @property
    def _id(self):
        if self._rdd_id is None:
            self._rdd_id = self.ctx._new_rdd_id()
            self.ctx._rdd_materialized(self)
        return self._rdd_id

    def _is_pipelinable(self):
        return not (self.is_cached or self.is_checkpointed or self.has_resource_profile)

    def getNumPartitions(self):
        # The dependency, not ``prev``: a checkpoint replaces it with the checkpoint's partitions.
        return self._deps[0].rdd.getNumPartitions()

    def compute(self, split, context):
        if self.profiler is not None:
            return profiled_partition(self.profiler, self.func, split, self.prev.iterator(split, context))
        return self.func(split, self.prev.iterator(split, context))


class ShuffledRDD(RDD):
    """The reduce side of a shuffle: partition ``i`` is every map output's piece ``i`` (only the
    values of its (key, value) records when ``values_only``).

    PySpark's ``partitionBy`` makes three JVM RDDs after the map side (pairs, the shuffle, its
    values) and wraps the last: ``extra_ids`` keeps the ids in step."""

    _kind = "MapPartitionsRDD"

    def __init__(self, prev, partitioner, extra_ids=2, values_only=False):
        dep = ShuffleDependency(prev, partitioner, prev.ctx._new_shuffle_id())
        super().__init__(prev.ctx, [dep], partitioner.numPartitions, extra_ids)
        self.shuffle_dep = dep
        self.values_only = values_only
        prev.ctx._register_shuffle(self)

    def _shuffled_id(self):
        """The id of Spark's ShuffledRDD under this one (before coalesce's CoalescedRDD, if any)."""
        return self._id - (2 if self.values_only else 1)

    def task_input(self, split, map_outputs):
        # The byte ranges of this reduce partition in every map output.
        return map_outputs.reduce_segments(self.shuffle_dep.shuffleId, split)

    def compute(self, split, context):
        records = context._env.read_shuffle(self, split)
        return (kv[1] for kv in records) if self.values_only else records


class CoGroupedRDD(ShuffledRDD):
    """Reduce side of join/cogroup (Spark's CoGroupedRDD): groups each key's values by the input
    RDD they came from (known from the map partition that shuffled them, so records carry no tag)
    and gives the operator's output records (``output``, from the CoGroups)."""

    def __init__(self, prev, partitioner, bounds):
        super().__init__(prev, partitioner, extra_ids=2)
        self.shuffle_partitioner = partitioner
        self.bounds = bounds
        self.output = None

    def compute(self, split, context):
        bounds = self.bounds
        batches = context._env.read_shuffle_batches(self, split)
        side_batches = ((bisect.bisect_right(bounds, map_index), batch) for map_index, batch in batches)
        yield from self.output(cogroup_batches(side_batches, len(bounds)))


class UnionRDD(RDD):
    """The partitions of several RDDs, one after another."""

    _lineage_attrs = ("rdds",)

    def __init__(self, ctx, rdds):
        deps, self._parts, pos = [], [], 0
        for i, rdd in enumerate(rdds):
            n = rdd.getNumPartitions()
            deps.append(RangeDependency(rdd, 0, pos, n))
            self._parts.extend((i, p) for p in range(n))
            pos += n
        super().__init__(ctx, deps, pos)
        self.rdds = rdds

    def compute(self, split, context):
        i, p = self._parts[split]
        return self.rdds[i].iterator(p, context)


class PartitionerAwareUnionRDD(RDD):
    """Union of RDDs partitioned alike: partition ``i`` joins every parent's partition ``i``."""

    _lineage_attrs = ("rdds",)

    def __init__(self, ctx, rdds):
        super().__init__(ctx, [OneToOneDependency(r) for r in rdds], rdds[0].getNumPartitions())
        self.rdds = rdds

    def compute(self, split, context):
        return itertools.chain.from_iterable(r.iterator(split, context) for r in self.rdds)


class CoalescedRDD(RDD):
    """Fewer partitions, each the concatenation of a group of neighbouring parent partitions."""

    _lineage_attrs = ("prev",)

    def __init__(self, prev, groups):
        super().__init__(prev.ctx, [_ExplicitDependency(prev, groups)], len(groups))
        self.prev = prev
        self.groups = groups

    def compute(self, split, context):
        return itertools.chain.from_iterable(self.prev.iterator(p, context) for p in self.groups[split])


class CartesianRDD(RDD):
    """Partition (i, j) pairs every element of partition i of the first RDD with partition j of the second."""

    _lineage_attrs = ("rdd1", "rdd2")

    def __init__(self, rdd1, rdd2):
        n2 = rdd2.getNumPartitions()
        n = rdd1.getNumPartitions() * n2
        deps = [_ExplicitDependency(rdd1, [[k // n2] for k in range(n)]),
                _ExplicitDependency(rdd2, [[k % n2] for k in range(n)])]
        super().__init__(rdd1.ctx, deps, n)
        self.rdd1, self.rdd2, self.n2 = rdd1, rdd2, n2

    def compute(self, split, context):
        left = self.rdd1.iterator(split // self.n2, context)
        right = list(self.rdd2.iterator(split % self.n2, context))
        return ((x, y) for x in left for y in right)


class ZippedPartitionsRDD2(RDD):
    """Partition i pairs the elements of partition i of two RDDs, which must be of equal length."""

    _lineage_attrs = ("rdd1", "rdd2")

    def __init__(self, rdd1, rdd2):
        super().__init__(rdd1.ctx, [OneToOneDependency(rdd1), OneToOneDependency(rdd2)], rdd1.getNumPartitions())
        self.rdd1, self.rdd2 = rdd1, rdd2

    def compute(self, split, context):
        a = self.rdd1.iterator(split, context)
        b = self.rdd2.iterator(split, context)
        sentinel = object()
        for x, y in itertools.zip_longest(a, b, fillvalue=sentinel):
            if x is sentinel or y is sentinel:
                raise ValueError("Can only zip RDDs with same number of elements in each partition")
            yield x, y


class CheckpointRDD(RDD):
    """Partitions read back from a reliable checkpoint: the lineage above it is cut."""

    def __init__(self, ctx, directory, numPartitions, partitioner):
        super().__init__(ctx, [], numPartitions)
        self.directory = directory
        self.partitioner = partitioner

    def compute(self, split, context):
        return load_records_from(os.path.join(self.directory, "part-%05d" % split))
