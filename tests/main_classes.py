"""A program whose record class lives in ``__main__``, and a way to run it on real PySpark.

The Spark programming guide's custom ``AccumulatorParam`` sums vectors of a ``Vector`` class the
user defines; in a notebook or a script that class is defined in ``__main__``. PySpark pickles
records with cloudpickle, so such a class travels with its instances in every direction: into
tasks (parallelized data, broadcasts, closures), between tasks (shuffle records, cached blocks)
and back to the driver (task results, accumulator updates). PySpark pickles broadcasts with plain
pickle, so a broadcast ``Vector`` fails there; Sparklet sends it as it sends records (a test of its
own, as PySpark gives no output to compare with).
"""

import os
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    from pyspark import AccumulatorParam


    class Vector(list):
        @staticmethod
        def zeros(size):
            return Vector([0.0] * size)

        @property
        def size(self):
            return len(self)

        def __iadd__(self, other):
            for i, x in enumerate(other):
                self[i] += x
            return self

        def __add__(self, other):
            return Vector(a + b for a, b in zip(self, other))


    class VectorAccumulatorParam(AccumulatorParam):
        def zero(self, initialValue):
            return Vector.zeros(initialValue.size)

        def addInPlace(self, v1, v2):
            v1 += v2
            return v1


    vecAccum = sc.accumulator(Vector([1.0, 2.0, 3.0]), VectorAccumulatorParam())
    rdd = sc.parallelize([Vector([1.0, 1.0, 1.0]), Vector([2.0, 0.5, 0.0]), Vector([0.0, 0.0, 4.0])], 2)
    rdd.foreach(lambda v: vecAccum.add(v))
    print("accumulated", vecAccum.value, type(vecAccum.value).__name__)
    doubled = rdd.map(lambda v: v + v).collect()
    print("collected", doubled, isinstance(doubled[0], Vector))
    print("shuffled", sorted(rdd.map(lambda v: (v.size, v)).groupByKey().mapValues(sorted).collect()))
    cached = rdd.map(lambda v: Vector(reversed(v))).cache()
    print("cached", cached.collect(), cached.map(lambda v: v[0]).sum())
""")


def script(master="local[2]"):
    """PROGRAM as a script that makes its own context, as one run with spark-submit does."""
    return ("from pyspark import SparkContext\nsc = SparkContext(%r, 'main-classes')\n" % master
            + PROGRAM + "sc.stop()\n")


def run_on_pyspark(path, cwd):
    """Run the script at `path` with real PySpark (no Sparklet alias) and return its stdout."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARKLET_PYSPARK_ALIAS="0")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=240, cwd=cwd,
                            env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout
