"""Which optional libraries of the SQL test suites are importable, under ``pyspark.testing.sqlutils``'s names.

>>> isinstance(have_pandas, bool) and isinstance(have_pyarrow, bool)
True
"""

from .utils import have_package

have_pandas = have_package("pandas")
pandas_requirement_message = None if have_pandas else "No module named 'pandas'"
have_pyarrow = have_package("pyarrow")
pyarrow_requirement_message = None if have_pyarrow else "No module named 'pyarrow'"
