"""File sources (json, csv, text, parquet, orc) against real PySpark 4 reading and writing the same files.

Inferred schemas, partition counts and the rows of every split must equal what `spark.read`
returns; files Sparklet writes must be read back by Spark as the same rows, and for json and csv
be the same bytes Spark writes; save modes, `_SUCCESS`, failed writes and missing paths behave
as Spark's.
"""

import datetime
import decimal
import json
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from sparklet.errors import AnalysisException
from sparklet.sql import datasources as D
from sparklet.sql import types as T

pytestmark = pytest.mark.pyspark
PARALLELISM = 2  # the spark_sc fixture runs local[2]


@pytest.fixture(scope="module")
def spark(spark_sc):
    from pyspark.sql import SparkSession

    return SparkSession(spark_sc)


def sparklet_read(fmt, path, options=None, schema=None):
    options = options or {}
    files = D.list_files(path, options)
    schema = schema or D.infer_schema(fmt, files, options)
    splits = D.plan_splits(files, PARALLELISM, splittable=fmt in D.LINE_FORMATS)
    rows = []
    for split in splits:
        rows.extend(T.arrow_to_rows(D.read_split(fmt, split, schema, options), schema))
    return schema, splits, rows


def assert_same_read(spark, fmt, path, options=None):
    real = spark.read.format(fmt).options(**(options or {})).load(path)
    schema, splits, rows = sparklet_read(fmt, path, options)
    assert schema.json() == real.schema.json()
    assert len(splits) == real.rdd.getNumPartitions()
    assert same(rows) == same(real.collect())
    assert [r.__fields__ for r in rows[:1]] == [list(r.__fields__) for r in real.collect()[:1]]
    return schema, rows


def same(rows):
    """Rows as comparable tuples (NaN equal to NaN)."""
    def fix(v):
        return "NaN" if isinstance(v, float) and v != v else v
    return [tuple(fix(v) for v in r) for r in rows]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


PEOPLE = '{"name":"Michael"}\n{"name":"Andy", "age":30}\n{"name":"Justin", "age":19}\n'


def test_people_json_and_its_schema(spark, tmp_path):
    path = str(tmp_path / "people.json")
    write(path, PEOPLE)
    schema, rows = assert_same_read(spark, "json", path)
    assert schema.treeString() == (
        "root\n |-- age: long (nullable = true)\n |-- name: string (nullable = true)\n")


def test_json_corrupt_records_nested_and_mixed_types(spark, tmp_path):
    path = str(tmp_path / "mixed")
    write(os.path.join(path, "part-1.json"),
          '{"a": 1, "b": [1, 2.5], "c": {"y": "x", "x": null}, "d": true}\n'
          'this is not json\n'
          '\n'
          '{"a": 12345678901234, "b": [], "c": {"x": 3}, "e": "한글"}\n'
          '[{"a": 2}, {"a": 3, "f": null}]\n'
          '{"a": "now a string", "d": false}\n')
    write(os.path.join(path, "part-2.json"), '{"a": 5, "g": 1.0e10}\n')
    write(os.path.join(path, "_SUCCESS"), "")
    write(os.path.join(path, ".hidden.json"), '{"zzz": 1}\n')
    assert_same_read(spark, "json", path)


def test_missing_path_names_it_as_spark_does(spark, tmp_path):
    from pyspark.errors import AnalysisException as RealAnalysisException

    missing = str(tmp_path / "nope" / "x.json")
    with pytest.raises(RealAnalysisException) as real:
        spark.read.json(missing)
    with pytest.raises(AnalysisException) as ours:
        D.list_files([missing])
    assert str(ours.value) == str(real.value)
    assert ours.value.getMessageParameters() == real.value.getMessageParameters()


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2 ** 63, 2 ** 63 - 1),
              st.floats(allow_nan=False, allow_infinity=False), st.text("ab한 \"\\", max_size=4)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.sampled_from("pqr"), children, max_size=2)),
    max_leaves=5)


@settings(max_examples=15, deadline=None, database=None, phases=[Phase.generate], derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.dictionaries(st.sampled_from(["a", "b", "B", "c_1"]), json_values,
                                        min_size=1, max_size=3), min_size=1, max_size=8))
def test_json_inference_and_rows_match_spark(spark, tmp_path, records):
    path = str(tmp_path / ("gen%d.json" % abs(hash(json.dumps(records)))))
    write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    from pyspark.errors import AnalysisException as RealAnalysisException

    try:
        real = spark.read.json(path)
    except RealAnalysisException as e:
        with pytest.raises(AnalysisException) as ours:
            sparklet_read("json", path)
        assert str(ours.value) == str(e)
        return
    schema, _, rows = sparklet_read("json", path)
    assert schema.json() == real.schema.json()
    assert same(rows) == same(real.collect())


CSV_TEXT = ('name,age,height,born,seen,ok,note\n'
            'Alice,30,1.65,1994-01-02,2024-01-01 10:00:00,true,"hello, world"\n'
            'Bob,,1.8e0,1990-12-31,2024-01-01T10:00:00.5,False,"say \\"hi\\""\n'
            '한글,2147483648,NaN,,,true,\n')


@pytest.mark.parametrize("options", [
    {"header": "true", "inferSchema": "true"},
    {"header": "true"},
    {"inferSchema": "true"},
    {},
    {"header": "true", "inferSchema": "true", "nullValue": "Bob"},
])
def test_csv_header_inference_and_values(spark, tmp_path, options):
    path = str(tmp_path / "people.csv")
    write(path, CSV_TEXT)
    assert_same_read(spark, "csv", path, options)


def test_csv_separator_and_quotes(spark, tmp_path):
    path = str(tmp_path / "semi.csv")
    write(path, "a;b\n1;'x;y'\n2;z\n")
    assert_same_read(spark, "csv", path, {"sep": ";", "quote": "'", "header": "true",
                                          "inferSchema": "true"})


@settings(max_examples=12, deadline=None, database=None, phases=[Phase.generate], derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.lists(st.one_of(
    st.integers(-3 * 10 ** 9, 3 * 10 ** 9).map(str), st.floats(allow_nan=False).map(repr),
    st.sampled_from(["", "true", "FALSE", "2020-02-29", "2021-13-01", "2024-01-01 12:30:00", "x"]),
), min_size=3, max_size=3), min_size=1, max_size=6))
def test_csv_inference_matches_spark(spark, tmp_path, cells):
    path = str(tmp_path / ("gen%d.csv" % abs(hash(str(cells)))))
    write(path, "".join(",".join(row) + "\n" for row in cells))
    real = spark.read.csv(path, inferSchema=True)
    schema, _, rows = sparklet_read("csv", path, {"inferSchema": "true"})
    assert schema.json() == real.schema.json()
    assert same(rows) == same(real.collect())


@pytest.mark.parametrize("options", [{}, {"lineSep": ";"}, {"wholetext": "true"}])
def test_text_lines(spark, tmp_path, options):
    path = str(tmp_path / "t")
    write(os.path.join(path, "a.txt"), "first line\r\nsecond;third\n\nlast 한글")
    write(os.path.join(path, "b.txt"), "other file\n")
    assert_same_read(spark, "text", path, options)


def test_large_text_file_splits_as_spark_splits_it(spark, tmp_path):
    path = str(tmp_path / "big.txt")
    write(path, "".join("line %d %s\n" % (i, "x" * (i % 50)) for i in range(300000)))
    _, splits, rows = sparklet_read("text", path)
    real = spark.read.text(path)
    assert len(splits) == real.rdd.getNumPartitions() > 1
    assert real.rdd.glom().map(len).collect() == [
        sum(len(D._split_lines(piece)) for piece in split) for split in splits]
    assert len(rows) == 300000


ROWS_SCHEMA = T.StructType([
    T.StructField("id", T.LongType()), T.StructField("name", T.StringType()),
    T.StructField("score", T.DoubleType()), T.StructField("day", T.DateType()),
    T.StructField("at", T.TimestampType()), T.StructField("amount", T.DecimalType(10, 2)),
    T.StructField("tags", T.ArrayType(T.StringType())), T.StructField("ok", T.BooleanType()),
])
ROWS = [
    (1, "Alice", 1e7, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
     decimal.Decimal("12.50"), ["a", "b"], True),
    (2, "한글, \"quoted\"", -0.5, None, None, None, [], False),
    (3, None, None, datetime.date(1970, 1, 1), datetime.datetime(2000, 1, 1), decimal.Decimal("-1.00"),
     None, None),
]


def real_frame(spark):
    import pyspark.sql.types as P

    return spark.createDataFrame(ROWS, P._parse_datatype_json_string(ROWS_SCHEMA.json()))


def data_files(path):
    return sorted(os.path.relpath(os.path.join(d, f), path) for d, _, fs in os.walk(path)
                  for f in fs if not f.startswith(".") and not f.startswith("_"))


@pytest.mark.parametrize("fmt", ["parquet", "json", "csv"])
def test_written_files_read_back_by_spark(spark, tmp_path, fmt):
    ours = str(tmp_path / "ours")
    options = {"header": "true"} if fmt == "csv" else {}
    schema, rows = ROWS_SCHEMA, ROWS
    if fmt == "csv":
        from pyspark.errors import AnalysisException as RealAnalysisException

        with pytest.raises(RealAnalysisException) as real:
            real_frame(spark).write.csv(str(tmp_path / "arrays"))
        with pytest.raises(AnalysisException) as error:
            D.WriteJob(str(tmp_path / "arrays"), "csv", schema=ROWS_SCHEMA).setup()
        assert str(error.value) == str(real.value)
        # CSV holds no arrays: the same rows without `tags`
        schema = T.StructType([f for f in ROWS_SCHEMA.fields if f.name != "tags"])
        rows = [r[:6] + r[7:] for r in ROWS]
    D.WriteJob(ours, fmt, "errorifexists", options, schema=schema).run_locally(
        [T.rows_to_arrow(rows[:2], schema), T.rows_to_arrow(rows[2:], schema)])
    assert os.path.exists(os.path.join(ours, "_SUCCESS"))
    names = data_files(ours)
    assert len(names) == 2 and all(n.startswith("part-0000") for n in names)
    extension = {"parquet": ".snappy.parquet", "json": ".json", "csv": ".csv"}[fmt]
    assert all(n.endswith("-c000" + extension) for n in names)
    if fmt == "parquet":
        back = spark.read.parquet(ours)
        assert back.schema.json() == ROWS_SCHEMA.json()
        assert sorted(map(tuple, back.collect())) == sorted(ROWS)
        _, _, rows = sparklet_read("parquet", ours)
        assert sorted(map(tuple, rows)) == sorted(ROWS)
        return
    # one partition each side: the same bytes as Spark's single part file
    single, theirs = str(tmp_path / "single"), str(tmp_path / "theirs")
    D.WriteJob(single, fmt, "errorifexists", options, schema=schema).run_locally(
        [T.rows_to_arrow(rows, schema)])
    real_frame(spark).select(*schema.names).coalesce(1).write.format(fmt).options(**options).save(theirs)

    def text(path):
        return "".join(open(os.path.join(path, n), encoding="utf-8").read() for n in data_files(path))

    assert text(single) == text(theirs)


def test_save_modes_and_failed_writes(spark, tmp_path):
    from pyspark.errors import AnalysisException as RealAnalysisException

    table = T.rows_to_arrow(ROWS, ROWS_SCHEMA)
    path = str(tmp_path / "out")
    D.WriteJob(path, "json", "error", schema=ROWS_SCHEMA).run_locally([table])
    first = data_files(path)
    with pytest.raises(RealAnalysisException) as real:
        real_frame(spark).write.json(path)
    with pytest.raises(AnalysisException) as ours:
        D.WriteJob(path, "json", "errorifexists", schema=ROWS_SCHEMA).run_locally([table])
    assert str(ours.value) == str(real.value)
    D.WriteJob(path, "json", "ignore", schema=ROWS_SCHEMA).run_locally([table])
    assert data_files(path) == first
    D.WriteJob(path, "json", "append", schema=ROWS_SCHEMA).run_locally([table])
    assert len(data_files(path)) == 2
    assert spark.read.json(path).count() == 2 * len(ROWS)
    D.WriteJob(path, "json", "overwrite", schema=ROWS_SCHEMA).run_locally([table, table])
    assert len(data_files(path)) == 2 and not set(data_files(path)) & set(first)
    assert spark.read.json(path).count() == 2 * len(ROWS)

    class Broken:
        num_rows = 1

        def __getattr__(self, name):
            raise RuntimeError("task failed")

    failed = str(tmp_path / "failed")
    with pytest.raises(RuntimeError):
        D.WriteJob(failed, "json", "error", schema=ROWS_SCHEMA).run_locally([table, Broken()])
    assert not os.path.exists(failed)
    with pytest.raises(RuntimeError):
        D.WriteJob(path, "json", "overwrite", schema=ROWS_SCHEMA).run_locally([table, Broken()])
    assert spark.read.json(path).count() == 2 * len(ROWS)
    assert sorted(os.listdir(path)) == sorted(["_SUCCESS"] + data_files(path))


def test_partition_by_layout_and_discovery(spark, tmp_path):
    schema = T.StructType([T.StructField("k", T.StringType()), T.StructField("n", T.LongType()),
                           T.StructField("v", T.DoubleType())])
    rows = [("a", 1, 1.5), ("b", 2, 2.5), ("a", 2, None), (None, 1, 0.0), ("x/y", 3, 1.0)]
    ours, theirs = str(tmp_path / "ours"), str(tmp_path / "theirs")
    D.WriteJob(ours, "parquet", "error", partition_by=["k", "n"], schema=schema).run_locally(
        [T.rows_to_arrow(rows, schema)])
    import pyspark.sql.types as P

    spark.createDataFrame(rows, P._parse_datatype_json_string(schema.json())).coalesce(1) \
        .write.partitionBy("k", "n").parquet(theirs)

    def directories(path):
        return sorted(os.path.dirname(n) for n in data_files(path))

    assert directories(ours) == directories(theirs)
    real = spark.read.parquet(ours)
    schema_read, _, read_rows = sparklet_read("parquet", ours)
    assert schema_read.json() == real.schema.json()
    assert sorted(map(tuple, read_rows), key=str) == sorted(map(tuple, real.collect()), key=str)


def test_empty_partitions_write_no_files_and_an_empty_result_keeps_its_schema(spark, tmp_path):
    table = T.rows_to_arrow(ROWS, ROWS_SCHEMA)
    empty = T.rows_to_arrow([], ROWS_SCHEMA)
    some = str(tmp_path / "some")
    D.WriteJob(some, "parquet", schema=ROWS_SCHEMA).run_locally([empty, table, empty])
    assert len(data_files(some)) == 1
    none = str(tmp_path / "none")
    D.WriteJob(none, "parquet", schema=ROWS_SCHEMA).run_locally([empty, empty])
    theirs = str(tmp_path / "theirs")
    real_frame(spark).limit(0).write.parquet(theirs)
    assert len(data_files(none)) == len(data_files(theirs)) == 1
    assert spark.read.parquet(none).schema.json() == spark.read.parquet(theirs).schema.json()
    assert spark.read.parquet(none).count() == 0


@pytest.mark.parametrize("options", [
    {}, {"recursiveFileLookup": "true"}, {"pathGlobFilter": "b*"}, {"recursiveFileLookup": "true", "pathGlobFilter": "c*"},
    {"modifiedBefore": "2040-01-01T00:00:00"}, {"modifiedAfter": "2040-01-01T00:00:00"}])
def test_generic_file_source_options_select_spark_files(spark, tmp_path, options):
    # a directory without k=v subdirectories is read without its subdirectories' files
    path = str(tmp_path / "d")
    write(os.path.join(path, "b.json"), '{"f": "b", "n": 2}\n')
    write(os.path.join(path, "a.json"), '{"f": "a", "n": 1}\n')
    write(os.path.join(path, "sub", "c.json"), '{"f": "c", "n": 3}\n')
    late = datetime.datetime(2050, 1, 1).timestamp()
    os.utime(os.path.join(path, "b.json"), (late, late))
    assert_same_read(spark, "json", path, options)


def test_merged_parquet_schema_and_orc_files(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.orc as orc
    import pyarrow.parquet as pq

    path = str(tmp_path / "t")
    os.makedirs(os.path.join(path, "key=1"))
    os.makedirs(os.path.join(path, "key=2"))
    pq.write_table(pa.table({"single": [1, 2], "double": [1, 4]}), os.path.join(path, "key=1", "p.parquet"))
    pq.write_table(pa.table({"single": [3], "triple": [27]}), os.path.join(path, "key=2", "p.parquet"))
    schema, _ = assert_same_read(spark, "parquet", path, {"mergeSchema": "true"})
    assert schema.names == ["single", "double", "triple", "key"]
    users = pa.table({"name": ["Ada", "Lin"], "colour": [None, "green"],
                      "numbers": pa.array([[3, 7], []], pa.list_(pa.int32()))})
    orc.write_table(users, str(tmp_path / "users.orc"))
    assert_same_read(spark, "orc", str(tmp_path / "users.orc"))


def test_csv_columns_come_from_the_largest_file(spark, tmp_path):
    # Spark's inference reads the scan's first line, and the scan reads the largest file first
    path = str(tmp_path / "c")
    write(os.path.join(path, "a.csv"), "x\n")
    write(os.path.join(path, "b.csv"), "p,q,r\n1,2,3\n\x01\x02\n")
    assert_same_read(spark, "csv", path)


def test_ignore_corrupt_files_skips_what_spark_skips(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from sparklet.errors import SparkRuntimeException

    path = str(tmp_path / "d")
    os.makedirs(path)
    pq.write_table(pa.table({"f": ["a"]}), os.path.join(path, "a.parquet"))
    write(os.path.join(path, "b.json"), '{"f": "not parquet"}\n')
    assert_same_read(spark, "parquet", path, {"ignoreCorruptFiles": "true"})
    with pytest.raises(Exception) as theirs:
        spark.read.parquet(path).collect()
    with pytest.raises(SparkRuntimeException) as ours:
        sparklet_read("parquet", path)
    assert str(ours.value).startswith("[FAILED_READ_FILE.NO_HINT] Encountered error while reading file file:///")
    assert str(ours.value) in str(theirs.value)
    # Spark infers a Parquet schema from the first file alone: when that one is skipped, none is left
    os.rename(os.path.join(path, "a.parquet"), os.path.join(path, "c.parquet"))
    with pytest.raises(Exception) as theirs:
        spark.read.option("ignoreCorruptFiles", "true").parquet(path)
    with pytest.raises(AnalysisException) as ours:
        sparklet_read("parquet", path, {"ignoreCorruptFiles": "true"})
    assert str(ours.value) == str(theirs.value) == (
        "[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for Parquet. It must be specified manually. SQLSTATE: 42KD9")


@pytest.mark.parametrize("fmt,codec", [("text", "gzip"), ("csv", "bzip2"), ("json", "gzip")])
def test_compressed_line_files_written_and_read_as_spark_does(spark, tmp_path, fmt, codec):
    lines = ["first", "second, with comma", "다음 줄"]
    schema = T.StructType([T.StructField("value", T.StringType())])
    ours, theirs = str(tmp_path / "ours"), str(tmp_path / "theirs")
    D.WriteJob(ours, fmt, options={"compression": codec}, schema=schema).run_locally(
        [T.rows_to_arrow([(v,) for v in lines], schema)])
    spark.createDataFrame([(v,) for v in lines], "value string").coalesce(1).write.format(fmt) \
        .option("compression", codec).save(theirs)

    def suffix(path):
        return [n.split("-c000", 1)[1] for n in data_files(path)]

    assert suffix(ours) == suffix(theirs)
    options = {} if fmt == "json" else {"lineSep": "\n"}
    assert sorted(spark.read.format(fmt).load(ours).collect()) == sorted(
        spark.read.format(fmt).load(theirs).collect())
    assert_same_read(spark, fmt, theirs, options)
    with pytest.raises(Exception, match=r"Codec \[lzo\] is not available"):
        D.WriteJob(str(tmp_path / "bad"), fmt, options={"compression": "lzo"}, schema=schema)
