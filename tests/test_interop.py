"""Files cross between Sparklet and real PySpark: text (plain and gzip), pickle files and Hadoop
SequenceFiles written by one are read back identically, partition by partition, by the other."""

import gzip
import os

import pytest

pytestmark = pytest.mark.pyspark

LINES = ["line %d %s" % (i, "é" * (i % 5)) for i in range(2000)]
GZIP = "org.apache.hadoop.io.compress.GzipCodec"
PICKLED = [1, 2.5, "three", (4, "four"), None, {"five": [5]}, b"six", True] * 40

# One RDD per Writable pairing PySpark converts; each file's classes come from its first record.
PAIRS = {
    "int_text": [(i, "v%d" % i) for i in range(50)],
    "long_double": [(2 ** 40 + i, i / 3) for i in range(50)],
    "text_bool": [("k%d" % i, i % 3 == 0) for i in range(50)],
    "null_bytes": [(None, bytes([i % 256]) * (i % 7)) for i in range(50)],
    "text_null": [("k%d" % i, None) for i in range(50)],
}


def read_both(sc, spark_sc, read):
    """The partitions each engine reads with ``read(context)``: Sparklet's in file-name order, and
    the same partitions from PySpark, whose local file system lists a directory's files in the
    order the OS gives (not sorted), which puts its partitions in that order."""
    ours, theirs = read(sc).glom().collect(), read(spark_sc).glom().collect()
    assert sorted(theirs, key=repr) == sorted(ours, key=repr)
    return ours


def test_text_written_by_sparklet_is_read_by_pyspark(sc, spark_sc, tmp_path):
    sc.parallelize(LINES, 3).saveAsTextFile(str(tmp_path / "plain"))
    sc.parallelize(LINES, 3).saveAsTextFile(str(tmp_path / "gz"), GZIP)
    assert sorted(os.listdir(tmp_path / "gz")) == ["_SUCCESS", "part-00000.gz", "part-00001.gz", "part-00002.gz"]
    for name in ("plain", "gz"):
        ours = read_both(sc, spark_sc, lambda c: c.textFile(str(tmp_path / name)))
        assert [x for p in ours for x in p] == LINES


def test_text_written_by_pyspark_is_read_by_sparklet(sc, spark_sc, tmp_path):
    spark_sc.parallelize(LINES, 3).saveAsTextFile(str(tmp_path / "plain"))
    spark_sc.parallelize(LINES, 2).saveAsTextFile(str(tmp_path / "gz"), GZIP)
    with gzip.open(tmp_path / "gz" / "part-00000.gz", "rt", encoding="utf-8") as f:
        assert f.readline() == LINES[0] + "\n"
    # Plain text splits into byte ranges (3 files of 3 ranges for 7); a gzip file is one partition.
    for name, minimum, partitions in (("plain", 2, 3), ("plain", 7, 9), ("gz", 5, 2)):
        ours = read_both(sc, spark_sc, lambda c: c.textFile(str(tmp_path / name), minimum))
        assert len(ours) == partitions
        assert [x for p in ours for x in p] == LINES


def test_pickle_files_cross_both_ways(sc, spark_sc, tmp_path):
    sc.parallelize(PICKLED, 3).saveAsPickleFile(str(tmp_path / "ours"), 7)
    spark_sc.parallelize(PICKLED, 3).saveAsPickleFile(str(tmp_path / "theirs"), 7)
    for name in ("ours", "theirs"):
        ours = read_both(sc, spark_sc, lambda c: c.pickleFile(str(tmp_path / name)))
        assert [x for p in ours for x in p] == PICKLED


@pytest.mark.parametrize("kind", sorted(PAIRS))
def test_sequence_files_cross_both_ways(sc, spark_sc, tmp_path, kind):
    data = PAIRS[kind]
    sc.parallelize(data, 2).saveAsSequenceFile(str(tmp_path / "ours"))
    spark_sc.parallelize(data, 2).saveAsSequenceFile(str(tmp_path / "theirs"))
    expected = [(k, bytearray(v) if isinstance(v, bytes) else v) for k, v in data]
    for name in ("ours", "theirs"):
        ours = read_both(sc, spark_sc, lambda c: c.sequenceFile(str(tmp_path / name)))
        assert [x for p in ours for x in p] == expected


def test_large_sequence_file_splits_at_the_same_sync_markers(sc, spark_sc, tmp_path):
    # Several sync intervals per file: a split starting mid-file begins at the next sync marker.
    data = [(i, "value %d %s" % (i, "z" * (i % 40))) for i in range(60_000)]
    sc.parallelize(data, 2).saveAsSequenceFile(str(tmp_path / "ours"))
    spark_sc.parallelize(data, 2).saveAsSequenceFile(str(tmp_path / "theirs"))
    for name in ("ours", "theirs"):
        ours = read_both(sc, spark_sc, lambda c: c.sequenceFile(str(tmp_path / name), minSplits=8))
        assert len(ours) > 2
        assert [x for p in ours for x in p] == data
