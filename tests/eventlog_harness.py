"""What the event-log tests share: a Sparklet job with every case the History Server shows (a
cached RDD, a skipped stage, a failed-then-retried task, a failed job), the same job on real
PySpark, reading logs back, and the real Spark History Server from the pyspark package."""

import io
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request

import zstandard

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# the same program for Sparklet and for real PySpark ("{package}")
# the event-log settings every program takes: the log directory, then key=value pairs
CONF = """
    conf = SparkConf().set("spark.eventLog.enabled", "true").set("spark.eventLog.dir", "file:" + sys.argv[1])
    for kv in sys.argv[2:]:
        k, v = kv.split("=", 1)
        conf.set(k, v)
"""
JOB = textwrap.dedent("""
    import os, sys
    from {package} import SparkConf, SparkContext, TaskContext
""" + CONF + """
    sc = SparkContext("local[2,2]", "{package}-eventlog", conf=conf)
    pairs = sc.parallelize(range(100), 4).map(lambda x: (x % 5, x)).reduceByKey(lambda a, b: a + b).cache()
    pairs.count()
    pairs.collect()  # its shuffle stage is skipped
    def first_attempt_fails(it):
        tc = TaskContext.get()
        if tc.partitionId() == 0 and tc.attemptNumber() == 0:
            raise ValueError("first attempt fails")
        return it
    sc.parallelize(range(10), 2).mapPartitions(first_attempt_fails).count()
    try:
        sc.parallelize(range(4), 2).map(lambda x: 1 / 0).count()
    except Exception:
        pass
    other = sc.parallelize(range(8), 2).cache()
    other.count()
    other.unpersist()
    if os.environ.get("KILL_DRIVER"):
        sc.listenerBus.waitUntilEmpty()
        import time
        time.sleep(0.5)  # the writer thread's last batch
        os.kill(os.getpid(), 9)
    print(sc.applicationId)
    sc.stop()
""")


def run_job(log_dir, *settings, kill=False):
    """Run JOB in its own driver process; returns the application id (None if killed)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "engine"), os.environ.get("PYTHONPATH", "")]))
    if kill:
        env["KILL_DRIVER"] = "1"
    proc = subprocess.run([sys.executable, "-c", JOB.format(package="sparklet"), str(log_dir)] + list(settings), env=env,
                          capture_output=True, text=True, timeout=180)
    if kill:
        assert proc.returncode == -9, proc.stderr
        return None
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


# a DataFrame program: each action is a SQL execution the History Server's SQL tab lists
SQL_JOB = textwrap.dedent("""
    import sys
    from sparklet import SparkConf, SparkContext
    from sparklet.sql import SparkSession, functions as F
""" + CONF + """
    sc = SparkContext("local[2]", "sparklet-sql-eventlog", conf=conf)
    spark = SparkSession.builder.getOrCreate()
    df = spark.range(100).select((F.col("id") % 5).alias("k"), F.col("id").alias("v"))
    print(df.groupBy("k").count().count())
    try:
        spark.sql("SELECT 1 / (id - id) FROM range(3)").collect()
    except Exception as e:
        print(type(e).__name__)
    big = spark.range(200000).select(F.lit("x" * 20).alias("s"))
    print(len(big.collect()))  # results above spark.task.maxDirectResultSize
    print(sc.applicationId)
    sc.stop()
""")


def run_sql_job(log_dir, *settings):
    """SQL_JOB in its own driver process; returns the application id."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "engine"), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", SQL_JOB, str(log_dir)] + list(settings), env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def read_events(path):
    """The JSON events of a log file or rolling folder (plain, or compressed with any codec)."""
    files = [path] if os.path.isfile(path) else sorted(
        (os.path.join(path, f) for f in os.listdir(path) if f.startswith("events_")),
        key=lambda f: int(os.path.basename(f).split("_")[1]))
    events = []
    for f in files:
        raw = open(f, "rb").read()
        codec = os.path.basename(f).replace(".inprogress", "").rsplit(".", 1)[-1]
        if codec == "zstd":
            raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True).read()
        elif codec in ("lz4", "lzf", "snappy"):
            from sparklet import compression
            raw = compression.decompress(codec, raw)
        events += [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]
    return events


def run_real_job(log_dir, *settings):
    """JOB on real PySpark (a JVM); returns the application id."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    settings = ["spark.ui.enabled=false", "spark.ui.showConsoleProgress=false"] + list(settings)
    proc = subprocess.run([sys.executable, "-c", JOB.format(package="pyspark"), str(log_dir)] + settings, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HistoryServer:
    """The real Spark History Server (pyspark's jars, Java 17) on a loopback port, reading one
    log directory; `stop()` ends the JVM it started."""

    def __init__(self, log_dir):
        import pyspark

        home = os.path.dirname(pyspark.__file__)
        self.port = _free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        opts = " ".join("-D%s=%s" % kv for kv in [
            ("spark.history.fs.logDirectory", "file:" + str(log_dir)),
            ("spark.history.ui.port", self.port),
            ("spark.history.fs.update.interval", "1s"),
            ("spark.ui.host", "127.0.0.1")])
        env = dict(os.environ, SPARK_HOME=home, SPARK_HISTORY_OPTS=opts, SPARK_NO_DAEMONIZE="1",
                   SPARK_LOCAL_IP="127.0.0.1")
        self.log = open(os.path.join(str(log_dir), os.pardir, "history-server-%d.log" % self.port), "w")
        self.proc = subprocess.Popen([os.path.join(home, "bin", "spark-class"),
                                      "org.apache.spark.deploy.history.HistoryServer"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def get(self, path):
        with urllib.request.urlopen(self.base + "/api/v1/" + path, timeout=60) as r:
            return json.loads(r.read())

    def wait_for(self, app_ids, timeout=240):
        """Block until the server lists every application in ``app_ids``; returns the listing."""
        deadline = time.monotonic() + timeout
        listed = []
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the History Server exited: see %s" % self.log.name)
            try:
                listed = self.get("applications")
            except OSError:
                listed = []
            if set(app_ids) <= {a["id"] for a in listed}:
                return listed
            time.sleep(1)
        raise TimeoutError("History Server listed %s, not all of %s" % ([a["id"] for a in listed], app_ids))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
