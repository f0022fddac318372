"""The exception classes PySpark defines in ``pyspark.errors.exceptions.base``: every error with
a condition, as ``pyspark.errors`` exports them.

>>> from sparklet.errors.exceptions.base import PySparkValueError
>>> PySparkValueError
<class 'sparklet.errors.exceptions.base.PySparkValueError'>
"""

# Filled in by sparklet.errors, which Python imports first as this module's parent package.
