"""Stage-level resource requests with PySpark's names (``pyspark.resource``).

Sparklet runs every stage on the same local executor processes, so a profile is only recorded on
the RDD (``withResources`` / ``getResourceProfile``) and never changes where or how tasks run, as
in Spark's local mode, which has no cluster manager to ask for other executors.

>>> from sparklet.resource import ResourceProfileBuilder, TaskResourceRequests
>>> profile = ResourceProfileBuilder().require(TaskResourceRequests().cpus(1)).build
>>> sc.parallelize(range(4)).withResources(profile).getResourceProfile() is profile
True
"""

from .information import ResourceInformation
from .profile import ResourceProfile, ResourceProfileBuilder
from .requests import ExecutorResourceRequest, ExecutorResourceRequests, TaskResourceRequest, TaskResourceRequests

__all__ = [
    "TaskResourceRequest", "TaskResourceRequests", "ExecutorResourceRequest", "ExecutorResourceRequests",
    "ResourceProfile", "ResourceInformation", "ResourceProfileBuilder",
]
