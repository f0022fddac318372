"""Sources and sinks of the programming guide: text files split as Hadoop splits them, whole files,
binary records, text/pickle/SequenceFile output, remote URLs through fsspec, and the errors bad
input gets."""

import bz2
import gzip
import hashlib
import lzma
import os

import pytest

from sparklet import SparkConf
from sparklet.sequencefile import SYNC_INTERVAL

from test_storage import private_context

GIB = 1 << 30


def make_big_text(path, size):
    """A text file of exactly ``size`` bytes: lines of varied lengths written in large blocks, each
    block ending in a line that numbers it, so no two splits have the same bytes."""
    lines = b"".join(b"%d:%s\n" % (i, b"abcdefghij" * (i % 23)) for i in range(9000))
    with open(path, "wb") as f:
        block = 0
        while f.tell() < size:
            f.write(lines + b"block %d\n" % block)
            block += 1
        f.truncate(size - 1)
        f.seek(size - 1)
        f.write(b"\n")


def split_digests(rdd):
    """(bytes, lines, md5) of each partition's lines, computed in its task."""
    def digest(lines):
        h, size, count = hashlib.md5(), 0, 0
        for line in lines:
            h.update(line + b"\n")
            size += len(line) + 1
            count += 1
        return [(size, count, h.hexdigest())]

    return rdd.mapPartitions(digest).collect()


def test_a_gib_of_text_splits_into_eight_ranges_that_concatenate_to_the_file(sc, tmp_path):
    path = str(tmp_path / "big.txt")
    make_big_text(path, GIB)
    # As in Spark, a split is at most a local block: 32 MiB unless the application says otherwise.
    assert sc.textFile(path, 8).getNumPartitions() == 32
    conf = (SparkConf().setMaster("local[2]").setAppName("gib")
            .set("spark.hadoop.fs.local.block.size", str(128 << 20)))
    with private_context(conf) as big_blocks:
        parts = split_digests(big_blocks.textFile(path, 8, use_unicode=False))
    assert len(parts) == 8

    sizes = [size for size, _, _ in parts]
    assert sum(sizes) == GIB
    assert max(sizes) - min(sizes) < GIB // 8 // 100  # equal but for the lines at the boundaries
    with open(path, "rb") as f:
        for size, count, hexdigest in parts:
            chunk = f.read(size)
            assert chunk.endswith(b"\n") and chunk.count(b"\n") == count
            assert hashlib.md5(chunk).hexdigest() == hexdigest
    os.unlink(path)


def test_text_file_sources_and_decoding(sc, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("a1\na2\r\n")
    with gzip.open(tmp_path / "d" / "b.txt.gz", "wt") as f:
        f.write("b1\nb2")
    (tmp_path / "d" / "c.txt.bz2").write_bytes(bz2.compress("c1\n".encode()))
    (tmp_path / "d" / "e.txt.xz").write_bytes(lzma.compress("é1\n".encode()))
    (tmp_path / "d" / "_hidden").write_text("no\n")
    (tmp_path / "d" / ".crc").write_text("no\n")
    d = str(tmp_path / "d")
    assert sc.textFile(d).collect() == ["a1", "a2", "b1", "b2", "c1", "é1"]
    assert sc.textFile(d + "/*.txt," + d + "/c.txt.bz2").collect() == ["a1", "a2", "c1"]
    assert sc.textFile("file://" + d + "/a.txt", use_unicode=False).collect() == [b"a1", b"a2"]


def test_text_lines_are_the_same_however_the_file_is_split(sc, tmp_path):
    # Lines longer than a read block, "\r\n" and lone "\r", bytes that are not UTF-8 (one
    # replacement character per bad sequence), empty lines and no line end at the end of the file.
    lines = [b"a" * 2500000, b"b\r", b"", b"\xe2\x82", b"caf\xc3\xa9 \xff x\rx", b"\r", b"d" * 1500000, b"last\r"]
    data = b"\n".join(lines)
    path = tmp_path / "mixed.txt"
    path.write_bytes(data)
    expected = [line[:-1] if line.endswith(b"\r") and i < len(lines) - 1 else line
                for i, line in enumerate(lines)]
    decoded = [line.decode("utf-8", "replace") for line in expected]
    assert decoded[3] == "\ufffd" and decoded[4] == "caf\xe9 \ufffd x\rx"
    conf = (SparkConf().setMaster("local[2]").setAppName("small splits")
            .set("spark.hadoop.fs.local.block.size", str(300000)))
    with private_context(conf) as small_splits:
        for use_unicode, want in ((True, decoded), (False, expected)):
            rdd = small_splits.textFile(str(path), use_unicode=use_unicode)
            assert rdd.getNumPartitions() == 14  # most of them inside the two long lines
            assert rdd.collect() == want


def test_whole_text_files_binary_files_and_records(sc, tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "1.txt").write_text("one\nline")
    (tmp_path / "w" / "2.txt").write_text("two")
    got = sc.wholeTextFiles(str(tmp_path / "w")).collect()
    assert got == [("file:" + str(tmp_path / "w" / "1.txt"), "one\nline"), ("file:" + str(tmp_path / "w" / "2.txt"), "two")]
    assert sc.binaryFiles(str(tmp_path / "w")).values().collect() == [b"one\nline", b"two"]
    (tmp_path / "r.bin").write_bytes(bytes(range(12)))
    assert sc.binaryRecords(str(tmp_path / "r.bin"), 4).collect() == [bytes(range(i, i + 4)) for i in (0, 4, 8)]
    with pytest.raises(Exception, match="not a multiple of the record length 5"):
        sc.binaryRecords(str(tmp_path / "r.bin"), 5).collect()


@pytest.mark.parametrize("codec, suffix, opener", [
    (None, "", open),
    ("org.apache.hadoop.io.compress.GzipCodec", ".gz", gzip.open),
    ("org.apache.hadoop.io.compress.BZip2Codec", ".bz2", bz2.open),
])
def test_save_as_text_file_writes_parts_and_success(sc, tmp_path, codec, suffix, opener):
    out = str(tmp_path / "out")
    sc.parallelize([1, "two", (3, 4), None], 3).saveAsTextFile(out, codec)
    assert sorted(os.listdir(out)) == ["_SUCCESS"] + ["part-%05d%s" % (i, suffix) for i in range(3)]
    with opener(os.path.join(out, "part-00002" + suffix), "rb") as f:
        assert f.read() == b"(3, 4)\nNone\n"
    assert sc.textFile(out).collect() == ["1", "two", "(3, 4)", "None"]


def test_saving_into_an_existing_directory_raises_before_writing(sc, tmp_path):
    out = tmp_path / "exists"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    ran = sc.accumulator(0)
    rdd = sc.parallelize([(1, 2)], 1).map(lambda x: (ran.add(1), x)[1])
    for save in (rdd.saveAsTextFile, rdd.saveAsPickleFile, rdd.saveAsSequenceFile):
        with pytest.raises(FileExistsError, match="Output directory file:%s already exists" % out):
            save(str(out))
    assert ran.value == 0
    assert os.listdir(out) == ["keep.txt"] and (out / "keep.txt").read_text() == "mine"


def test_a_failing_save_leaves_no_output(sc, tmp_path):
    out = str(tmp_path / "failed")
    with pytest.raises(ZeroDivisionError):
        sc.parallelize(range(4), 2).map(lambda x: 1 / (x - 3)).saveAsTextFile(out)
    assert not os.path.exists(out)


def test_missing_input_fails_at_the_first_action_with_the_path(sc, tmp_path):
    missing = str(tmp_path / "nowhere")
    for read in (sc.textFile, sc.wholeTextFiles, sc.binaryFiles, sc.pickleFile, sc.sequenceFile):
        rdd = read(missing)  # lazy, as in Spark: nothing is read yet
        with pytest.raises(FileNotFoundError, match="Input path does not exist: file:%s" % missing):
            rdd.count()
    with pytest.raises(FileNotFoundError, match=r"Input Pattern file:%s/\*\.txt matches 0 files" % tmp_path):
        sc.textFile(str(tmp_path / "*.txt")).collect()


def test_a_corrupt_gzip_file_names_the_file(sc, tmp_path):
    good = gzip.compress(b"".join(b"line %d\n" % i for i in range(10000)))
    (tmp_path / "truncated.gz").write_bytes(good[: len(good) // 2])
    (tmp_path / "garbage.gz").write_bytes(b"\x1f\x8b\x08\x00" + os.urandom(200))
    for name in ("truncated.gz", "garbage.gz"):
        with pytest.raises(OSError, match="Cannot read file:%s" % (tmp_path / name)):
            sc.textFile(str(tmp_path / name)).count()


def test_pickle_file_round_trip(sc, tmp_path):
    data = [{"a": [1, 2]}, (3, "x"), None, 4.5, b"bytes"] * 7
    for batch in (1, 10, 0):
        out = str(tmp_path / ("p%d" % batch))
        sc.parallelize(data, 3).saveAsPickleFile(out, batch)
        assert sorted(os.listdir(out)) == ["_SUCCESS", "part-00000", "part-00001", "part-00002"]
        with open(os.path.join(out, "part-00000"), "rb") as f:
            assert f.read(4) == b"SEQ\x06"
        back = sc.pickleFile(out)
        assert back.getNumPartitions() == 3 and back.collect() == data


def test_sequence_file_round_trip_and_splits(sc, tmp_path):
    rows = [(i, "v%d" % i * (i % 9)) for i in range(40000)]
    out = str(tmp_path / "seq")
    sc.parallelize(rows, 2).saveAsSequenceFile(out)
    assert os.path.getsize(os.path.join(out, "part-00000")) > 3 * SYNC_INTERVAL
    back = sc.sequenceFile(out, "org.apache.hadoop.io.IntWritable", "org.apache.hadoop.io.Text", minSplits=6)
    assert back.getNumPartitions() > 2
    assert back.collect() == rows
    mixed = [(1.5, True), (2.5, False)]
    sc.parallelize(mixed, 1).saveAsSequenceFile(str(tmp_path / "mixed"))
    assert sc.sequenceFile(str(tmp_path / "mixed")).collect() == mixed


def test_sequence_file_bad_records(sc, tmp_path):
    with pytest.raises(Exception, match="wrong key class: org.apache.hadoop.io.LongWritable is not "
                                        "org.apache.hadoop.io.IntWritable"):
        sc.parallelize([(1, "a"), (2 ** 40, "b")], 1).saveAsSequenceFile(str(tmp_path / "a"))
    with pytest.raises(TypeError, match="cannot convert list"):
        sc.parallelize([([1], "a")]).saveAsSequenceFile(str(tmp_path / "b"))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "part-00000").write_bytes(b"not a sequence file")
    with pytest.raises(Exception, match="is not a SequenceFile"):
        sc.sequenceFile(str(tmp_path / "c")).collect()


def test_remote_urls_go_through_fsspec(sc, tmp_path):
    # fsspec's "local" protocol: the same code path as s3:// or gs://, on a store every executor sees.
    url = "local://" + str(tmp_path / "remote")
    sc.parallelize(["x", "y", "z"], 2).saveAsTextFile(url)
    assert sorted(os.listdir(tmp_path / "remote")) == ["_SUCCESS", "part-00000", "part-00001"]
    assert sc.textFile(url).collect() == ["x", "y", "z"]
    assert sc.textFile(url + "/part-*").count() == 3
    assert [v for _, v in sc.wholeTextFiles(url).collect()] == ["x\n", "y\nz\n"]
    sc.parallelize([(1, "a"), (2, "b")], 2).saveAsSequenceFile(url + "-seq")
    assert sc.sequenceFile(url + "-seq").collect() == [(1, "a"), (2, "b")]
    with pytest.raises(FileExistsError, match="already exists"):
        sc.parallelize([1]).saveAsTextFile(url)
    with pytest.raises(FileNotFoundError, match="Input path does not exist: local://"):
        sc.textFile(url + "-missing").count()
