"""Paths of the files RDDs read and write: local paths and ``file:`` URIs, or remote URLs
(``s3://``, ``gs://`` ...) through fsspec (what Hadoop's ``FileSystem`` is to Spark).

Plain functions, safe on any thread, used by the input RDDs (``input.py``) and the writers
(``output.py``), on the driver and in tasks.

>>> local_path("file:///tmp/data.txt"), is_remote("s3://bucket/key"), is_remote("file:///tmp")
('/tmp/data.txt', True, False)
"""

import os


def local_path(path):
    if path.startswith("file://"):
        return path[len("file://"):]
    if path.startswith("file:"):
        return path[len("file:"):]
    return path


def is_remote(path):
    return "://" in path and not path.startswith("file://")


def qualified(path):
    return "file:" + os.path.abspath(path)


def remote_fs(url):
    """(fsspec filesystem, path inside it, protocol) of a remote URL."""
    try:
        import fsspec
    except ImportError:
        raise ImportError("Reading or writing %s needs the fsspec package (and the one for its filesystem, "
                          "e.g. s3fs or gcsfs): pip install fsspec" % url) from None
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path, url.split("://", 1)[0]


def open_remote(path, mode="rb"):
    fs, inner, _ = remote_fs(path)
    return fs.open(inner, mode)
