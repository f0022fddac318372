"""Writing RDDs to files: text (optionally compressed), SequenceFiles and pickle files (Spark's
``saveAsTextFile``, ``saveAsSequenceFile``, ``saveAsObjectFile`` through Hadoop's output commit).

One task per partition writes one part file; the job's output appears only if every task
succeeded: locally, parts go to ``_temporary`` and are moved into place at the end (nothing
half-written is left when a task fails), then ``_SUCCESS`` is written. An output directory that
already exists is refused before any task runs, as Spark's output-spec check does.
"""

import bz2
import gzip
import itertools
import os
import shutil
import zlib

from .filesystem import is_remote, local_path, open_remote, qualified, remote_fs
from .sequencefile import BYTES, NULL, SequenceFileWriter, check_classes, encode_writable, java_serialize_byte_arrays, writable_class
from .serializers import dumps_records

_CODECS = {
    "org.apache.hadoop.io.compress.GzipCodec": (".gz", lambda f: gzip.GzipFile(fileobj=f, mode="wb")),
    "org.apache.hadoop.io.compress.BZip2Codec": (".bz2", lambda f: bz2.BZ2File(f, mode="wb")),
    "org.apache.hadoop.io.compress.DefaultCodec": (".deflate", None),
}



def _refuse_existing_output(path):
    """Where the output goes (a local directory or a remote URL), if it does not exist yet."""
    if is_remote(path):
        fs, inner, _ = remote_fs(path)
        if fs.exists(inner):
            raise FileExistsError("Output directory %s already exists: remove it or choose another path" % path)
        return path.rstrip("/")
    local = os.path.abspath(os.path.expanduser(local_path(path)))
    if os.path.exists(local):
        raise FileExistsError("Output directory %s already exists: remove it or choose another path"
                              % qualified(local))
    return local


def _save_parts(rdd, path, name_of, write_part):
    """One task per partition writes part ``name_of(index)`` with ``write_part(file, iterator)``;
    then ``_SUCCESS``. Locally, parts are written under ``_temporary`` and moved into place when
    every task succeeded (nothing half-written is left if one fails); remote stores, through
    fsspec, receive each part directly."""
    target = _refuse_existing_output(path)
    if is_remote(path):
        fs, inner, _ = remote_fs(path)
        fs.makedirs(inner, exist_ok=True)

        def write(index, iterator):
            with open_remote(target + "/" + name_of(index), "wb") as f:
                write_part(f, iterator)
            return iter(())

        try:
            rdd.mapPartitionsWithIndex(write).count()
        except BaseException:
            fs.rm(inner, recursive=True)
            raise
        with open_remote(target + "/_SUCCESS", "wb"):
            pass
        return
    staging = os.path.join(target, "_temporary")
    os.makedirs(staging)

    def write(index, iterator):
        name = name_of(index)
        with open(os.path.join(staging, name + ".inprogress"), "wb") as f:
            write_part(f, iterator)
        os.replace(os.path.join(staging, name + ".inprogress"), os.path.join(staging, name))
        return iter(())

    try:
        rdd.mapPartitionsWithIndex(write).count()
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    for name in sorted(os.listdir(staging)):
        os.replace(os.path.join(staging, name), os.path.join(target, name))
    shutil.rmtree(staging, ignore_errors=True)
    open(os.path.join(target, "_SUCCESS"), "wb").close()


def save_as_text_file(rdd, path, codec_class):
    if codec_class is not None and codec_class not in _CODECS:
        raise ValueError("Unknown compressionCodecClass %r: use one of %s" % (codec_class, ", ".join(_CODECS)))
    suffix, opener = _CODECS[codec_class] if codec_class is not None else ("", None)

    def write_part(raw, iterator):
        if codec_class == "org.apache.hadoop.io.compress.DefaultCodec":
            compressor = zlib.compressobj()
            for x in iterator:
                raw.write(compressor.compress(_text_line(x)))
            raw.write(compressor.flush())
        else:
            out = opener(raw) if opener else raw
            for x in iterator:
                out.write(_text_line(x))
            if out is not raw:
                out.close()

    _save_parts(rdd, path, lambda index: "part-%05d%s" % (index, suffix), write_part)


def _text_line(x):
    if not isinstance(x, (str, bytes)):
        x = str(x)
    if isinstance(x, str):
        x = x.encode("utf-8")
    return x + b"\n"


def _save_as_sequence_file(rdd, path, key_class, value_class, records_of):
    """Write each partition as a SequenceFile part of (key, value) Writables; ``records_of``
    turns a partition's iterator into the encoded (key bytes, value bytes) records."""
    def write_part(f, iterator):
        writer = SequenceFileWriter(f, key_class, value_class)
        for key, value in records_of(writer, iterator):
            writer.append_raw(key, value)

    _save_parts(rdd, path, lambda index: "part-%05d" % index, write_part)


def save_as_sequence_file(rdd, path, codec_class):
    if codec_class is not None:
        raise ValueError("saveAsSequenceFile: compressed SequenceFiles (%s) are not supported; "
                         "save without compressionCodecClass" % codec_class)
    _refuse_existing_output(path)  # before the job that takes the first record
    try:
        first = rdd.first()
    except ValueError:
        raise ValueError("saveAsSequenceFile: the RDD is empty, so there is no first record to take the "
                         "key and value classes from") from None
    if not isinstance(first, tuple) or len(first) != 2:
        raise TypeError("saveAsSequenceFile needs an RDD of (key, value) pairs, got %r" % (first,))
    key_class, value_class = writable_class(first[0]), writable_class(first[1])

    def records_of(writer, iterator):
        for record in iterator:
            if not isinstance(record, tuple) or len(record) != 2:
                raise TypeError("saveAsSequenceFile needs (key, value) pairs, got %r" % (record,))
            check_classes(record, key_class, value_class)
            yield writer.encode_key(record[0]), writer.encode_value(record[1])

    _save_as_sequence_file(rdd, path, key_class, value_class, records_of)


def save_as_pickle_file(rdd, path, batch_size):
    """Spark's object file of pickled batches, readable by PySpark's pickleFile (see sequencefile)."""
    if batch_size < 0:
        raise ValueError("batchSize must be positive or 0 (automatic), got %d" % batch_size)
    batch_size = batch_size or 10

    def records_of(writer, iterator):
        it = iter(iterator)
        pickled = []
        while True:
            batch = list(itertools.islice(it, batch_size))
            if batch:
                pickled.append(dumps_records(batch))
            if len(pickled) == 10 or (pickled and not batch):
                yield b"", encode_writable(BYTES, java_serialize_byte_arrays(pickled))
                pickled = []
            if not batch:
                return

    _save_as_sequence_file(rdd, path, NULL, BYTES, records_of)
