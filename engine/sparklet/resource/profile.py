"""Resource profiles: the executor and task requests one RDD's stage runs with."""

import itertools
import threading

from .requests import ExecutorResourceRequests, TaskResourceRequests

# Spark's default profile (the application's own settings) has id 0; built ones count from 1.
_profile_ids = itertools.count(1)


class _Requirements:
    """The executor and task requests held by a profile or a builder."""

    @property
    def taskResources(self):
        return self._task_resource_requests

    @property
    def executorResources(self):
        return self._executor_resource_requests


class ResourceProfile(_Requirements):
    """Executor and task requirements for the stage computing an RDD (immutable once built).

    >>> profile = ResourceProfileBuilder().require(TaskResourceRequests().cpus(1)).build
    >>> rdd = sc.parallelize(range(10)).withResources(profile)
    >>> list(rdd.getResourceProfile().taskResources)
    ['cpus']
    """

    def __init__(self, _java_resource_profile=None, _exec_req=None, _task_req=None):
        self._id = None
        self._lock = threading.RLock()
        self._executor_resource_requests = _exec_req or {}
        self._task_resource_requests = _task_req or {}

    def __getstate__(self):
        # Travels with the RDD in a stage's task binary; the lock only guards the id's creation.
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.RLock()

    @property
    def id(self):
        """A unique id, given the first time it is asked for while a SparkContext is running."""
        with self._lock:
            if self._id is None:
                from ..context import SparkContext

                if SparkContext._active_spark_context is None:
                    raise RuntimeError("SparkContext must be created to get the profile id.")
                self._id = next(_profile_ids)
            return self._id


class ResourceProfileBuilder(_Requirements):
    """Collects executor and task requests; ``build`` (a property, as in PySpark) makes the profile.

    >>> builder = ResourceProfileBuilder().require(ExecutorResourceRequests().cores(2))
    >>> builder.require(TaskResourceRequests().cpus(2)).build.executorResources["cores"].amount
    2
    """

    def __init__(self):
        self._executor_resource_requests = {}
        self._task_resource_requests = {}

    def require(self, resourceRequest):
        """Add the requests of an ExecutorResourceRequests or a TaskResourceRequests."""
        if isinstance(resourceRequest, TaskResourceRequests):
            self._task_resource_requests.update(resourceRequest.requests)
        elif isinstance(resourceRequest, ExecutorResourceRequests):
            self._executor_resource_requests.update(resourceRequest.requests)
        else:
            raise TypeError("require() takes ExecutorResourceRequests or TaskResourceRequests, got %s"
                            % type(resourceRequest).__name__)
        return self

    def clearExecutorResourceRequests(self):
        self._executor_resource_requests = {}

    def clearTaskResourceRequests(self):
        self._task_resource_requests = {}

    @property
    def build(self):
        return ResourceProfile(_exec_req=dict(self._executor_resource_requests),
                               _task_req=dict(self._task_resource_requests))
