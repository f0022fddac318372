"""What a task is given of a custom resource (a GPU's addresses, ...)."""


class ResourceInformation:
    """A resource's name and the addresses assigned to a task.

    >>> info = ResourceInformation("gpu", ["0", "1"])
    >>> info.name, info.addresses
    ('gpu', ['0', '1'])
    """

    def __init__(self, name, addresses):
        self._name = name
        self._addresses = addresses

    @property
    def name(self):
        return self._name

    @property
    def addresses(self):
        return self._addresses
