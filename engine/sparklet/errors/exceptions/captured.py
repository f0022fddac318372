"""The exception classes PySpark defines in ``pyspark.errors.exceptions.captured``: the errors of
the SQL engine (raised by the JVM in PySpark, by Sparklet's analyzer and executors here).

>>> import sparklet.errors
>>> from sparklet.errors.exceptions.captured import AnalysisException
>>> AnalysisException is sparklet.errors.AnalysisException
True
>>> try:
...     raise AnalysisException(errorClass="AMBIGUOUS_REFERENCE",
...                             messageParameters={"name": "`x`", "referenceNames": "[`x`, `x`]"})
... except sparklet.errors.AnalysisException as e:
...     print(type(e))
<class 'sparklet.errors.exceptions.captured.AnalysisException'>
"""

# Filled in by sparklet.errors, which Python imports first as this module's parent package.
