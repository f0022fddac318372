"""PySpark's Python profiler API: ``spark.python.profile``, ``BasicProfiler``, ``profiler_cls``.

With ``spark.python.profile=true``, every PipelinedRDD gets a profiler when it is given its id
(PySpark makes one when it creates the JVM-side PythonRDD, the same moment). Each task that
computes the RDD's partition runs its Python functions under the profiler on the executor; a
``BasicProfiler`` sends the task's ``cProfile`` statistics back in an accumulator, so the driver
holds the sum over all the tasks of all the jobs that computed the RDD. ``sc.show_profiles()``
prints them (each RDD once), ``sc.dump_profiles(path)`` writes ``rdd_<id>.pstats`` files that
``pstats.Stats`` reads, and, as in PySpark, whatever was not shown is printed when the driver
exits (or dumped to ``spark.python.profile.dump`` if set).

A task profiles the functions of its stage's last profiled PipelinedRDD only once: a profiled
RDD computed inside another one's profile (a cached RDD read by its child in the same task) adds
to the outer profile, since Python runs one profiler per thread at a time.

>>> from sparklet import BasicProfiler
>>> issubclass(BasicProfiler, Profiler)
True
"""

import atexit
import cProfile
import os
import pstats
import threading

from .accumulators import AccumulatorParam
from .taskcontext import TaskContext

__all__ = ["Profiler", "BasicProfiler", "UDFBasicProfiler", "ProfilerCollector", "PStatsParam"]

_active = threading.local()


class ProfilerCollector:
    """Makes the profilers (of class ``profiler_cls``) and keeps them by RDD id."""

    def __init__(self, profiler_cls, udf_profiler_cls=None, memory_profiler_cls=None, dump_path=None):
        self.profiler_cls = profiler_cls
        self.udf_profiler_cls = udf_profiler_cls or UDFBasicProfiler
        self.memory_profiler_cls = memory_profiler_cls
        self.profile_dump_path = dump_path
        self.profilers = []  # [rdd id, profiler, shown?]

    def new_profiler(self, ctx):
        """A new profiler of class ``profiler_cls``."""
        return self.profiler_cls(ctx)

    def new_udf_profiler(self, ctx):
        """A new profiler of class ``udf_profiler_cls``."""
        return self.udf_profiler_cls(ctx)

    def add_profiler(self, id, profiler):
        """Keep ``profiler`` for RDD ``id``; the first one arranges the output at driver exit."""
        if not self.profilers:
            if self.profile_dump_path:
                atexit.register(self.dump_profiles, self.profile_dump_path)
            else:
                atexit.register(self.show_profiles)
        self.profilers.append([id, profiler, False])

    def dump_profiles(self, path):
        """Write every profile into directory ``path``, then forget them."""
        for id, profiler, _ in self.profilers:
            profiler.dump(id, path)
        self.profilers = []

    def show_profiles(self):
        """Print the profiles not printed yet."""
        for entry in self.profilers:
            id, profiler, shown = entry
            if not shown and profiler:
                profiler.show(id)
                entry[2] = True


class Profiler:
    """What a custom ``profiler_cls`` implements: ``profile`` (run a function under it),
    ``stats``, ``show`` and ``dump``.

    >>> Profiler(sc).stats()
    Traceback (most recent call last):
        ...
    NotImplementedError
    """

    def __init__(self, ctx):
        pass

    def profile(self, func, *args, **kwargs):
        """Run ``func(*args, **kwargs)`` under the profiler and return its result."""
        raise NotImplementedError

    def stats(self):
        """The statistics collected so far."""
        raise NotImplementedError

    def show(self, id):
        """Print the statistics of RDD ``id`` to stdout."""
        raise NotImplementedError

    def dump(self, id, path):
        """Write the statistics of RDD ``id`` into directory ``path``."""
        raise NotImplementedError


#: stage attempts whose own statistics a profile keeps (``by_stage``), the latest ones
KEEP_STAGE_ATTEMPTS = 100


class PStatsParam(AccumulatorParam):
    """Adds ``pstats.Stats`` of tasks together (None is the zero). Sparklet's statistics also keep,
    in ``by_stage``, each stage attempt's own share ({(stage id, attempt): pstats' dict}), which is
    what a job's profile view adds up.

    >>> PStatsParam.addInPlace(None, None) is None
    True
    """

    @staticmethod
    def zero(value):
        return None

    @staticmethod
    def addInPlace(value1, value2):
        if value1 is None:
            return value2
        if value2 is None:
            return value1
        value1.add(value2)
        mine, theirs = getattr(value1, "by_stage", None), getattr(value2, "by_stage", None)
        if mine is not None and theirs:
            for key, table in theirs.items():
                if key in mine:
                    for func, entry in table.items():
                        mine[key][func] = pstats.add_func_stats(mine[key].get(func, (0, 0, 0, 0, {})), entry)
                else:
                    mine[key] = table
            for old in list(mine)[:-KEEP_STAGE_ATTEMPTS]:
                del mine[old]
        return value1


class BasicProfiler(Profiler):
    """The default profiler: ``cProfile`` in each task, summed in the driver by an accumulator.

    The statistics keep the full path of every function (the kernel's profile view tells the
    user's functions from the engine's by it); ``stats()``, ``show`` and ``dump`` give them with
    directories stripped, as PySpark's do.
    """

    def __init__(self, ctx):
        super().__init__(ctx)
        self._accumulator = ctx.accumulator(None, PStatsParam)

    def profile(self, func, *args, **kwargs):
        profile = cProfile.Profile()
        result = profile.runcall(func, *args, **kwargs)
        stats = pstats.Stats(profile) if profile.getstats() else pstats.Stats()
        stats.stream = None  # picklable
        context = TaskContext.get()
        if context is not None:
            stats.by_stage = {(context.stageId(), context._stageAttemptNumber): dict(stats.stats)}
        self._accumulator.add(stats)
        return result

    def full_stats(self):
        """The summed statistics with full file paths (None before any task ran)."""
        return self._accumulator.value

    def stats(self):
        full = self.full_stats()
        if full is None:
            return None
        stripped = pstats.Stats()
        stripped.add(full)
        return stripped.strip_dirs()

    _profiled = "RDD"  # what the id names, in show's header and dump's file name

    def show(self, id):
        """Print the profile of RDD ``id``: a header, then the functions by own time."""
        stats = self.stats()
        if stats:
            print("=" * 60)
            print("Profile of %s<id=%d>" % (self._profiled, id))
            print("=" * 60)
            stats.sort_stats("time", "cumulative").print_stats()

    def dump(self, id, path):
        """Write ``rdd_<id>.pstats`` (the ``pstats``/``cProfile`` binary format) into ``path``."""
        os.makedirs(path, exist_ok=True)
        stats = self.stats()
        if stats:
            stats.dump_stats(os.path.join(path, "%s_%d.pstats" % (self._profiled.lower(), id)))


class UDFBasicProfiler(BasicProfiler):
    """BasicProfiler named for Python UDFs (``Profile of UDF<id=N>``, ``udf_<id>.pstats``)."""

    _profiled = "UDF"


def profiled_partition(profiler, func, split, iterator):
    """``func(split, iterator)`` computed under ``profiler`` (the executor side of a profiled
    PipelinedRDD): the partition is produced whole inside the profile, as a PySpark worker
    processes it, unless another profile is already running in this thread."""
    if getattr(_active, "running", False):
        return func(split, iterator)

    def run():
        _active.running = True
        try:
            return list(func(split, iterator))
        finally:
            _active.running = False

    return iter(profiler.profile(run))
