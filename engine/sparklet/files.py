"""SparkFiles: where files added with ``sc.addFile`` are found, in the driver and in tasks."""

import os

__all__ = ["SparkFiles"]


class SparkFiles:
    """Resolves paths to files added through ``SparkContext.addFile``.

    All executors of a Sparklet application run on this machine, so the driver and the executors
    share one root directory.
    """

    _root_directory = None
    _is_running_on_worker = False
    _sc = None

    def __init__(self):
        raise NotImplementedError("Do not construct SparkFiles objects")

    @classmethod
    def get(cls, filename):
        return os.path.abspath(os.path.join(cls.getRootDirectory(), filename))

    @classmethod
    def getRootDirectory(cls):
        if cls._root_directory is None:
            raise RuntimeError("SparkFiles needs an active SparkContext: create one first")
        return cls._root_directory
