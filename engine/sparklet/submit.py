"""sparklet-submit: run a PySpark-style script on Sparklet, like spark-submit runs one on Spark.

    sparklet-submit [--master local[4]] [--name app] [--conf key=value ...] [--py-files a.py,b.zip]
                    script.py [script arguments]

Options become defaults of every SparkConf the script creates, as spark-submit's do, and
``import pyspark`` in the script resolves to Sparklet (``SPARKLET_PYSPARK_ALIAS=0`` turns that off).
"""

import argparse
import os
import runpy
import sys

from .conf import system_properties
from . import pyspark_alias


def main(argv=None):
    parser = argparse.ArgumentParser(prog="sparklet-submit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--master", help="master URL (default local[*])")
    parser.add_argument("--name", help="application name")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark property; repeatable")
    parser.add_argument("--py-files", default="", help="comma-separated .py/.zip files to put on the path")
    parser.add_argument("script", help="the Python script to run")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    opts = parser.parse_args(argv)
    for item in opts.conf:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error("--conf takes KEY=VALUE, got %r" % item)
        system_properties[key] = value
    system_properties.setdefault("spark.master", opts.master or "local[*]")
    if opts.master:
        system_properties["spark.master"] = opts.master
    system_properties.setdefault("spark.app.name", opts.name or os.path.basename(opts.script))
    if not os.path.isfile(opts.script):
        parser.error("no such script: %s" % opts.script)
    for path in [p for p in opts.py_files.split(",") if p]:
        sys.path.insert(0, os.path.abspath(path if path.endswith((".zip", ".egg")) else os.path.dirname(path)))
    sys.argv = [opts.script] + opts.args
    sys.path.insert(0, os.path.dirname(os.path.abspath(opts.script)))
    if pyspark_alias.wanted():
        pyspark_alias.PySparkAlias("run the script with spark-submit instead.").install()
    runpy.run_path(opts.script, run_name="__main__")


if __name__ == "__main__":
    main()
