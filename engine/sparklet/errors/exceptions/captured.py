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

from ... import errors as _errors

globals().update({name: value for name, value in vars(_errors).items()
                  if isinstance(value, type) and issubclass(value, _errors.PySparkException)
                  and value._engine_side})
