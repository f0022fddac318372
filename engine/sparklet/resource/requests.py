"""Executor and task resource requests: what one stage asks of each executor and of each task.

Amounts of memory are kept in MiB, as Spark converts them (``"6g"`` is 6144).
"""

from ..conf import parse_bytes

_MEMORY = "memory"
_OVERHEAD_MEM = "memoryOverhead"
_PYSPARK_MEM = "pyspark.memory"
_OFFHEAP_MEM = "offHeap"
_CORES = "cores"
_CPUS = "cpus"


def _mib(amount):
    return parse_bytes(amount) // (1024 * 1024)  # a bare number is MiB, as in Spark


class _ResourceRequest:
    def __init__(self, resourceName, amount):
        self._name = resourceName
        self._amount = amount

    @property
    def resourceName(self):
        return self._name

    @property
    def amount(self):
        return self._amount


class ExecutorResourceRequest(_ResourceRequest):
    """An amount of one resource each executor of a stage must have.

    >>> r = ExecutorResourceRequest("gpu", 2, "getGpus.sh", "nvidia.com")
    >>> r.resourceName, r.amount, r.discoveryScript, r.vendor
    ('gpu', 2, 'getGpus.sh', 'nvidia.com')
    """

    def __init__(self, resourceName, amount, discoveryScript="", vendor=""):
        super().__init__(resourceName, amount)
        self._discovery_script = discoveryScript
        self._vendor = vendor

    @property
    def discoveryScript(self):
        return self._discovery_script

    @property
    def vendor(self):
        return self._vendor


class ExecutorResourceRequests:
    """A builder of executor resource requests.

    >>> reqs = ExecutorResourceRequests().cores(2).memory("6g").resource("gpu", 1)
    >>> sorted(reqs.requests), reqs.requests["memory"].amount
    (['cores', 'gpu', 'memory'], 6144)
    """

    def __init__(self, _jvm=None, _requests=None):
        self._executor_resources = dict(_requests or {})

    def _put(self, name, amount, discoveryScript="", vendor=""):
        self._executor_resources[name] = ExecutorResourceRequest(name, amount, discoveryScript, vendor)
        return self

    def memory(self, amount):
        """Heap memory per executor (converted to MiB)."""
        return self._put(_MEMORY, _mib(amount))

    def memoryOverhead(self, amount):
        """Overhead memory per executor (converted to MiB)."""
        return self._put(_OVERHEAD_MEM, _mib(amount))

    def pysparkMemory(self, amount):
        """Python worker memory per executor (converted to MiB)."""
        return self._put(_PYSPARK_MEM, _mib(amount))

    def offheapMemory(self, amount):
        """Off-heap memory per executor (converted to MiB)."""
        return self._put(_OFFHEAP_MEM, _mib(amount))

    def cores(self, amount):
        """Cores per executor."""
        return self._put(_CORES, amount)

    def resource(self, resourceName, amount, discoveryScript="", vendor=""):
        """An amount of a custom resource (``gpu``, ``fpga``...) per executor."""
        return self._put(resourceName, amount, discoveryScript, vendor)

    @property
    def requests(self):
        return self._executor_resources


class TaskResourceRequest(_ResourceRequest):
    """An amount of one resource each task of a stage needs (may be a fraction, to share one).

    >>> TaskResourceRequest("gpu", 0.5).amount
    0.5
    """

    def __init__(self, resourceName, amount):
        super().__init__(resourceName, float(amount))


class TaskResourceRequests:
    """A builder of task resource requests.

    >>> reqs = TaskResourceRequests().cpus(2).resource("gpu", 1)
    >>> {k: v.amount for k, v in reqs.requests.items()}
    {'cpus': 2.0, 'gpu': 1.0}
    """

    def __init__(self, _jvm=None, _requests=None):
        self._task_resources = dict(_requests or {})

    def cpus(self, amount):
        """CPUs each task needs."""
        self._task_resources[_CPUS] = TaskResourceRequest(_CPUS, amount)
        return self

    def resource(self, resourceName, amount):
        """An amount of a custom resource each task needs."""
        self._task_resources[resourceName] = TaskResourceRequest(resourceName, amount)
        return self

    @property
    def requests(self):
        return self._task_resources
