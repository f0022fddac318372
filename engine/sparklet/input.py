"""Input RDDs: text files (plain or compressed), whole files, binary records, SequenceFiles and
pickle files (Spark's HadoopRDD, WholeTextFileRDD, BinaryFileRDD and the SequenceFile readers).

``textFile`` splits large files into byte ranges exactly as Hadoop's ``TextInputFormat`` does
(32 MiB local block size, ``minPartitions`` as the goal, 10% slop), and reads a range the way its
``LineRecordReader`` does: a split that does not start at 0 skips its first, partial line, and
every split reads one line past its end. So a line is never split or read twice, and the partition
counts match PySpark's. Input paths are resolved when partitions are first needed (at the first
action), so a missing path fails there, with the path in the message, as in Spark.
"""

import bz2
import glob
import gzip
import io
import lzma
import os
import pickle
import zlib

from .filesystem import is_remote, local_path, open_remote, qualified, remote_fs
from .rdd import RDD
from .sequencefile import SYNC_INTERVAL, SequenceFileReader, java_deserialize_byte_arrays

_BLOCK_SIZE = 32 * 1024 * 1024  # Hadoop's fs.local.block.size
_SPLIT_SLOP = 1.1
_COMPRESSED = (".gz", ".bz2", ".xz", ".lzma", ".zst", ".deflate")


def list_input_files(spec):
    """Files named by ``spec``: a file, a directory (its visible files), a glob, or a comma list."""
    files = []
    for part in [p for p in spec.split(",") if p]:
        if is_remote(part):
            files.extend(_list_remote(part))
            continue
        local = os.path.expanduser(local_path(part))
        if glob.has_magic(local):
            matches = sorted(glob.glob(local))
            if not matches:
                raise FileNotFoundError("Input Pattern %s matches 0 files" % qualified(local))
            for m in matches:
                files.extend(_expand_dir(m))
        elif os.path.exists(local):
            files.extend(_expand_dir(local))
        else:
            raise FileNotFoundError("Input path does not exist: %s" % qualified(local))
    return files


def _expand_dir(path):
    if not os.path.isdir(path):
        return [os.path.abspath(path)]
    return [os.path.join(os.path.abspath(path), n) for n in sorted(os.listdir(path))
            if not n.startswith((".", "_")) and os.path.isfile(os.path.join(path, n))]


def _list_remote(url):
    fs, path, protocol = remote_fs(url)
    if glob.has_magic(path):
        matches = sorted(fs.glob(path))
        if not matches:
            raise FileNotFoundError("Input Pattern %s matches 0 files" % url)
    elif fs.exists(path):
        matches = [path]
    else:
        raise FileNotFoundError("Input path does not exist: %s" % url)
    files = []
    for m in matches:
        if fs.isdir(m):
            files.extend(f for f in sorted(fs.ls(m, detail=False))
                         if not f.rstrip("/").rsplit("/", 1)[-1].startswith((".", "_")) and fs.isfile(f))
        else:
            files.append(m)
    return ["%s://%s" % (protocol, f) for f in files]


def open_input(path):
    """A binary file object for ``path``, decompressing by extension."""
    raw = open_remote(path) if is_remote(path) else open(path, "rb")
    lower = path.lower()
    try:
        if lower.endswith(".gz"):
            return gzip.GzipFile(fileobj=raw)
        if lower.endswith(".bz2"):
            return bz2.BZ2File(raw)
        if lower.endswith((".xz", ".lzma")):
            return lzma.LZMAFile(raw)
        if lower.endswith(".deflate"):
            return io.BytesIO(zlib.decompress(raw.read()))
        if lower.endswith(".zst"):
            try:
                import zstandard
            except ImportError:
                raise ImportError("Reading %s needs the zstandard package: pip install zstandard" % path) from None
            return zstandard.ZstdDecompressor().stream_reader(raw)
    except Exception:
        raw.close()
        raise
    return raw


class FileInputRDD(RDD):
    """An RDD over input files, whose partitions are planned from the files on first need (the
    first action or partition count), so that a missing path fails then, as in Spark."""

    # Spark names the RDD of textFile, wholeTextFiles and binaryFiles after their path.
    _named_after_path = True

    def __init__(self, ctx, path, min_partitions, extra_ids=0):
        super().__init__(ctx, [], None, extra_ids)
        self.path = path
        self.minPartitions = min_partitions
        self._input_partitions = None
        self._name = path if self._named_after_path else None

    def _plan_partitions(self):
        raise NotImplementedError

    def input_partitions(self):
        if self._input_partitions is None:
            self._input_partitions = self._plan_partitions()
        return self._input_partitions

    def getNumPartitions(self):
        return len(self.input_partitions())

    def __reduce__(self):
        self.input_partitions()  # planned once on the driver, not again in every task
        return super().__reduce__()


class HadoopRDD(FileInputRDD):
    """Lines of text files, one partition per input split (Spark's HadoopRDD over TextInputFormat,
    and the map to the lines' text: the RDD PySpark returns, named MapPartitionsRDD)."""

    _kind = "MapPartitionsRDD"

    def __init__(self, ctx, path, min_partitions, use_unicode):
        super().__init__(ctx, path, min_partitions, extra_ids=1)
        self.use_unicode = use_unicode

    def _plan_partitions(self):
        return file_splits(list_input_files(self.path), self.minPartitions,
                           lambda f: not (is_remote(f) or f.lower().endswith(_COMPRESSED)),
                           local_block_size(self.ctx))

    def compute(self, split, context):
        path, start, length, whole = self.input_partitions()[split]
        chunks = _read_whole(path) if whole else _read_range(path, start, start + length)
        decode = self.use_unicode
        newline, cr = ("\n", "\r") if decode else (b"\n", b"\r")
        count = 0
        try:
            for chunk in chunks:
                # A run of whole lines is decoded at once: a character never spans a line end, and
                # each undecodable sequence is replaced as it is in a line decoded alone.
                text = chunk.decode("utf-8", "replace") if decode else chunk
                lines = text.split(newline)
                ended = not lines[-1]  # the last line has its line end (it may not, at the end of a file)
                if ended:
                    lines.pop()
                if cr in text:
                    lines = _strip_cr(lines, cr, ended)
                count += len(lines)
                yield from lines
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as e:
            raise IOError("Cannot read %s: %s (is the file corrupt or truncated?)" % (qualified(path), e)) from e
        finally:
            context._metrics_input(count)


def file_splits(files, min_partitions, splittable, block_size, min_size=1):
    """Hadoop FileInputFormat's splits: (path, start, length, whole file) byte ranges of about
    ``total / min_partitions`` bytes (at least ``min_size``, at most a block), the last one of a
    file up to 10% longer."""
    sizes = {f: (0 if is_remote(f) else os.path.getsize(f)) for f in files}
    goal = sum(sizes.values()) // max(min_partitions, 1)
    split_size = max(min_size, min(goal, block_size))
    splits = []
    for f in files:
        length = sizes[f]
        if not splittable(f) or length == 0:
            splits.append((f, 0, length, True))
            continue
        remaining = length
        while remaining / split_size > _SPLIT_SLOP:
            splits.append((f, length - remaining, split_size, False))
            remaining -= split_size
        if remaining:
            splits.append((f, length - remaining, remaining, False))
    return splits


def local_block_size(sc):
    """Hadoop's ``fs.local.block.size``, the largest split of a local file (32 MiB unless the
    application sets ``spark.hadoop.fs.local.block.size``, as with Spark)."""
    return int(sc._conf.get("spark.hadoop.fs.local.block.size", _BLOCK_SIZE))


_READ_BLOCK = 1 << 16  # bytes read at a time by textFile: lines are cut and decoded a block at once


def _read_whole(path):
    with open_input(path) as f:
        yield from _line_chunks(f, None)


def _read_range(path, start, end):
    with open(path, "rb") as f:
        f.seek(start)
        pos = start
        if start != 0:
            pos += len(f.readline())  # the previous split reads the line that straddles the boundary
        yield from _line_chunks(f, end - pos + 1)


def _line_chunks(f, remaining):
    """Runs of whole lines (bytes, each line with its b"\n"; the file's last line may have none)
    of the lines of ``f`` that start within its next ``remaining`` bytes (all, when None)."""
    partial = []  # the start of a line not ended yet
    while remaining is None or remaining > 0:
        block = f.read(_READ_BLOCK if remaining is None else min(_READ_BLOCK, remaining))
        if not block:
            break
        if remaining is not None:
            remaining -= len(block)
        cut = block.rfind(b"\n") + 1
        if not cut:
            partial.append(block)
            continue
        partial.append(block[:cut])
        yield b"".join(partial)
        partial = [block[cut:]]
    # A line that starts within the range is read to its end, wherever that is.
    if any(partial):
        partial.append(f.readline())
        yield b"".join(partial)


def _strip_cr(lines, cr, ended):
    """Drop the carriage return of each line that ended with "\r\n" (all but an unended last line)."""
    last = len(lines) if ended else len(lines) - 1
    return [line[:-1] if i < last and line.endswith(cr) else line for i, line in enumerate(lines)]


def text_file(sc, name, min_partitions, use_unicode):
    if not isinstance(name, str):
        raise TypeError("textFile: path must be a string, got %s" % type(name).__name__)
    if min_partitions is None:
        min_partitions = sc.defaultMinPartitions
    return HadoopRDD(sc, name, min_partitions, use_unicode)


class WholeFileRDD(FileInputRDD):
    """(path, content) of whole files, several files per partition."""

    def __init__(self, ctx, path, min_partitions, mode):
        # wholeTextFiles is two JVM RDDs in PySpark, binaryFiles one
        super().__init__(ctx, path, min_partitions, extra_ids=0 if mode == "raw" else 1)
        self._kind = "BinaryFileRDD" if mode == "raw" else "WholeTextFileRDD"
        self.mode = mode  # "text", "bytes", "raw"

    def _plan_partitions(self):
        files = list_input_files(self.path)
        sizes = [0 if is_remote(f) else os.path.getsize(f) for f in files]
        target = max(1, -(-sum(sizes) // max(self.minPartitions, 1)))
        groups, current, current_size = [], [], 0
        for f, size in zip(files, sizes):
            if current and current_size + size > target:
                groups.append(current)
                current, current_size = [], 0
            current.append(f)
            current_size += size
        if current:
            groups.append(current)
        return groups

    def compute(self, split, context):
        for f in self.input_partitions()[split]:
            if self.mode == "raw":  # binaryFiles: the bytes as stored, compressed or not
                handle = open_remote(f) if is_remote(f) else open(f, "rb")
            else:
                handle = open_input(f)
            with handle:
                data = handle.read()
            context._metrics_input(1)
            if self.mode == "text":
                data = data.decode("utf-8", "replace")
            yield (f if is_remote(f) else qualified(f)), data


def whole_text_files(sc, path, min_partitions, use_unicode):
    return WholeFileRDD(sc, path, min_partitions or sc.defaultMinPartitions, "text" if use_unicode else "bytes")


def binary_files(sc, path, min_partitions):
    return WholeFileRDD(sc, path, min_partitions or sc.defaultMinPartitions, "raw")


def binary_records(sc, path, record_length):
    if record_length <= 0:
        raise ValueError("recordLength must be positive, got %d" % record_length)

    def split_records(kv):
        _, data = kv
        if len(data) % record_length:
            raise IOError("%s: size %d is not a multiple of the record length %d"
                          % (kv[0], len(data), record_length))
        return (data[i:i + record_length] for i in range(0, len(data), record_length))

    return WholeFileRDD(sc, path, sc.defaultMinPartitions, "raw").flatMap(split_records)


class SequenceFileRDD(FileInputRDD):
    """Records of SequenceFiles, one partition per Hadoop split: (key, value) Writables converted
    to Python values, or, for pickle files, the elements of the pickled batches they hold."""

    _kind = "MapPartitionsRDD"
    _named_after_path = False

    def __init__(self, ctx, path, min_partitions, pickled):
        # PySpark's objectFile is two JVM RDDs, sequenceFile three
        super().__init__(ctx, path, min_partitions, extra_ids=1 if pickled else 2)
        self.pickled = pickled

    def _plan_partitions(self):
        # SequenceFileInputFormat's minimum split: one sync interval. Remote files are read whole.
        return file_splits(list_input_files(self.path), self.minPartitions,
                           lambda f: not is_remote(f), local_block_size(self.ctx), SYNC_INTERVAL)

    def compute(self, split, context):
        path, start, length, whole = self.input_partitions()[split]
        remote = is_remote(path)
        if remote:
            fs, inner, _ = remote_fs(path)
            size = fs.size(inner)
        else:
            size = os.path.getsize(path)
        if whole:
            length = size
        name = path if remote else qualified(path)
        count = 0
        try:
            with (open_remote(path) if remote else open(path, "rb", 1 << 20)) as f:
                if size == 0:
                    return
                reader = SequenceFileReader(f, name)
                decode_key, decode_value = reader.decoders()
                for key, value in reader.split_records(start, start + length, size):
                    count += 1
                    if self.pickled:
                        for data in java_deserialize_byte_arrays(decode_value(value), name):
                            yield from pickle.loads(data)
                    else:
                        yield decode_key(key), decode_value(value)
        except EOFError:
            raise IOError("Cannot read %s: it ends in the middle of a record (is it truncated?)" % name) from None
        finally:
            context._metrics_input(count)


def sequence_file(sc, path, key_class, value_class, key_converter, value_converter, min_splits, batch_size):
    if key_converter or value_converter:
        raise NotImplementedError("keyConverter/valueConverter name JVM classes, which Sparklet does not have: "
                                  "convert the records with map() after reading")
    return SequenceFileRDD(sc, path, min_splits or sc.defaultMinPartitions, pickled=False)


def pickle_file(sc, name, min_partitions):
    return SequenceFileRDD(sc, name, min_partitions or sc.defaultMinPartitions, pickled=True)
