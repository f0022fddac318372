"""Serializers with PySpark's names.

Records that cross processes (task results, shuffle blocks, cached blocks) are always pickled in
batches by the engine; these classes exist so that code passing ``serializer=`` to SparkContext,
or using them directly, keeps working.
"""

import marshal
import pickle

import cloudpickle

__all__ = ["PickleSerializer", "CPickleSerializer", "MarshalSerializer", "CloudPickleSerializer"]


class Serializer:
    def dumps(self, obj):
        raise NotImplementedError

    def loads(self, data):
        raise NotImplementedError

    def __eq__(self, other):
        return isinstance(other, self.__class__) and other.__dict__ == self.__dict__

    def __hash__(self):
        return hash(str(self))

    def __repr__(self):
        return "%s()" % self.__class__.__name__


class PickleSerializer(Serializer):
    def dumps(self, obj):
        return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)

    def loads(self, data):
        return pickle.loads(data)


CPickleSerializer = PickleSerializer


class CloudPickleSerializer(PickleSerializer):
    def dumps(self, obj):
        return cloudpickle.dumps(obj, pickle.HIGHEST_PROTOCOL)


class MarshalSerializer(Serializer):
    def dumps(self, obj):
        return marshal.dumps(obj)

    def loads(self, data):
        return marshal.loads(data)


def dumps_records(records):
    """Pickle a batch of records; records holding functions or classes defined in __main__ fall
    back to cloudpickle."""
    try:
        return pickle.dumps(records, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return cloudpickle.dumps(records, pickle.HIGHEST_PROTOCOL)
