"""The SQL layer's first query without pandas' import, and pandas still working when it is used.

Each case runs a fresh interpreter: whether pandas is imported is a property of the process, and
pytest's own process has usually imported it long ago.
"""

import os
import subprocess
import sys
import textwrap

ENGINE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "engine")


def run_fresh(code, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([ENGINE] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


def test_first_show_imports_no_pandas_in_driver_or_executors(tmp_path):
    (tmp_path / "people.json").write_text('{"name":"Michael"}\n{"name":"Andy", "age":30}\n')
    out = run_fresh("""
        import sys
        from sparklet import SparkContext
        from sparklet.sql import SparkSession
        sc = SparkContext("local[2]", "preload")
        spark = SparkSession.builder.getOrCreate()
        spark.read.json("people.json").show()
        spark.createDataFrame([(1, "a")], ["k", "v"]).groupBy("v").count().show()

        def modules(_):
            import sys
            yield sorted(m for m in ("pandas", "pyarrow") if m in sys.modules)
        print("driver", sorted(m for m in ("pandas", "pyarrow") if m in sys.modules))
        print("executors", sc.parallelize([0, 1], 2).mapPartitions(modules).collect())
        sc.stop()
    """, tmp_path)
    assert "|  30|   Andy|" in out
    assert "driver ['pyarrow']" in out
    assert "executors [['pyarrow'], ['pyarrow']]" in out


def test_pandas_imported_later_converts_as_pyarrow_converts_it(tmp_path):
    out = run_fresh("""
        import sys
        from sparklet import SparkContext
        from sparklet.sql import SparkSession
        import pyarrow as pa
        sc = SparkContext("local[2]", "preload")
        spark = SparkSession.builder.getOrCreate()
        print(spark.range(3).collect(), "pandas" in sys.modules)
        import pandas as pd
        pdf = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
        # pyarrow sees pandas again: a DataFrame keeps its pandas metadata, a categorical Series
        # becomes a dictionary array
        print(b"pandas" in pa.table(pdf).schema.metadata)
        print(pa.array(pd.Series(["u", "v", "u"], dtype="category")).type)
        df = spark.createDataFrame(pdf)
        df.show()
        print(df.toPandas().to_dict("list"))

        def in_executor(_):
            import pandas as pd
            import pyarrow as pa
            yield str(pa.array(pd.Series([1, 2], dtype="category")).type)
        print(sc.parallelize([0], 1).mapPartitions(in_executor).collect())
        sc.stop()
    """, tmp_path)
    lines = out.splitlines()
    assert lines[0] == "[Row(id=0), Row(id=1), Row(id=2)] False"
    assert lines[1] == "True"
    assert lines[2] == "dictionary<values=string, indices=int8, ordered=0>"
    assert "|  1|  x|" in out
    assert "{'a': [1, 2], 'b': ['x', 'y']}" in out
    assert lines[-1] == "['dictionary<values=int64, indices=int8, ordered=0>']"
