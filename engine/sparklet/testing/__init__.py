"""Helpers for testing code written against PySpark's RDD API, under PySpark's names.

``pyspark.testing.utils`` resolves here through the ``pyspark`` alias, so test suites written for
PySpark (``ReusedPySparkTestCase``, ``PySparkTestCase``, ``QuietTest``, ``eventually``) run on
Sparklet unchanged. The DataFrame assertions of ``pyspark.testing`` belong to the SQL layer.
"""
