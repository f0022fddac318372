"""The exception classes PySpark defines in ``pyspark.errors.exceptions.base``: every error with
a condition, as ``pyspark.errors`` exports them.

>>> from sparklet.errors.exceptions.base import PySparkValueError
>>> PySparkValueError
<class 'sparklet.errors.exceptions.base.PySparkValueError'>
"""

from ... import errors as _errors

globals().update({name: value for name, value in vars(_errors).items()
                  if isinstance(value, type) and issubclass(value, _errors.PySparkException)})
