"""Walks over an RDD's lineage, written once for the scheduler, the checkpointer and the cleaner.

A lineage is a DAG of RDDs linked by dependencies: narrow ones (a partition needs a few parent
partitions, computed in the same task) and shuffle ones (a stage boundary). Every walk here visits
each RDD once, depth first from the given RDD, parents in dependency order, so that whoever numbers
what it meets (the DAG scheduler numbers stages in this order) numbers it the same way every time.
These are plain functions of the RDDs' ``_deps``: no state, safe on any thread.
"""

from .rdd import ShuffleDependency


def ancestors(rdd, across_shuffles=True):
    """``rdd`` and every RDD it depends on, each once; with ``across_shuffles=False``, only those
    computed in ``rdd``'s own stage (the walk stops at shuffle dependencies).

    >>> pairs = sc.parallelize([(1, 1), (2, 2)])
    >>> grouped = pairs.groupByKey()
    >>> pairs.id() in [r.id() for r in ancestors(grouped)]
    True
    >>> pairs.id() in [r.id() for r in ancestors(grouped, across_shuffles=False)]
    False
    """
    seen, stack = set(), [rdd]
    while stack:
        r = stack.pop()
        if r._id in seen:
            continue
        seen.add(r._id)
        for dep in r._deps:
            if across_shuffles or not isinstance(dep, ShuffleDependency):
                stack.append(dep.rdd)
        yield r


def stage_rdds(rdd):
    """The RDDs one stage computes: ``rdd`` and its ancestors up to (not past) shuffle boundaries,
    by id (creation order).

    >>> words = sc.parallelize(["a b"]).flatMap(str.split).cache()  # cached: map(len) is an RDD of its own
    >>> [r.id() for r in stage_rdds(words.map(len))] == [words.id() - 1, words.id(), words.id() + 1]
    True
    """
    return sorted(ancestors(rdd, across_shuffles=False), key=lambda r: r._id)


def boundary_shuffles(rdd):
    """The shuffle dependencies where ``rdd``'s stage begins: the stage's parents, in walk order.

    >>> a = sc.parallelize([(1, 2)]).partitionBy(2)
    >>> b = sc.parallelize([(1, 3)]).partitionBy(2)
    >>> len(list(boundary_shuffles(a.union(b).map(lambda kv: kv)))), len(list(boundary_shuffles(a)))
    (2, 1)
    """
    for r in ancestors(rdd, across_shuffles=False):
        for dep in r._deps:
            if isinstance(dep, ShuffleDependency):
                yield dep


def shuffle_dependencies(rdd):
    """Every shuffle dependency in ``rdd``'s whole lineage.

    >>> twice = sc.parallelize([(1, 2)]).partitionBy(2).map(lambda kv: kv).partitionBy(3)
    >>> len(list(shuffle_dependencies(twice))), len(list(boundary_shuffles(twice)))
    (2, 1)
    """
    for r in ancestors(rdd):
        for dep in r._deps:
            if isinstance(dep, ShuffleDependency):
                yield dep


def narrow_ancestry(rdd, split):
    """(rdd, partition) pairs a task computing ``split`` of ``rdd`` may touch within its stage.

    >>> nums = sc.parallelize(list(range(8)), 4)
    >>> fewer = nums.coalesce(2)
    >>> sorted((r.id() - nums.id(), s) for r, s in narrow_ancestry(fewer, 1))
    [(0, 2), (0, 3), (1, 1)]
    """
    seen, stack = set(), [(rdd, split)]
    while stack:
        r, s = stack.pop()
        if (r._id, s) in seen:
            continue
        seen.add((r._id, s))
        yield r, s
        for dep in r._deps:
            if not isinstance(dep, ShuffleDependency):
                for ps in dep.getParents(s):
                    stack.append((dep.rdd, ps))
