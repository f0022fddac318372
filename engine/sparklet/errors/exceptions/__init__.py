"""PySpark's error modules (``pyspark.errors.exceptions.base`` and ``.captured``), where
tracebacks find the SQL layer's exception classes; the classes themselves are defined in
``sparklet.errors``."""
