"""SparkConf: key-value configuration of an application, with PySpark's API."""

__all__ = ["SparkConf"]

# spark.* defaults of this process, as Spark keeps them in JVM system properties.
system_properties = {}


class SparkConf:
    """Configuration for a Spark application, set as key-value pairs.

    >>> conf = SparkConf().setMaster("local[2]").setAppName("demo")
    >>> conf.get("spark.master"), conf.get("spark.app.name")
    ('local[2]', 'demo')
    >>> conf.setIfMissing("spark.master", "local[4]").get("spark.master")
    'local[2]'
    >>> conf.setExecutorEnv("VAR1", "value1").get("spark.executorEnv.VAR1")
    'value1'
    """

    def __init__(self, loadDefaults=True, _jvm=None, _jconf=None):
        self._conf = {}
        if loadDefaults:
            # What Spark reads from JVM system properties: values given to sparklet-submit
            # (--master, --conf ...) and SparkContext.setSystemProperty.
            self._conf.update(system_properties)

    def set(self, key, value):
        self._conf[str(key)] = str(value)
        return self

    def setIfMissing(self, key, value):
        if self.get(key) is None:
            self.set(key, value)
        return self

    def setMaster(self, value):
        return self.set("spark.master", value)

    def setAppName(self, value):
        return self.set("spark.app.name", value)

    def setSparkHome(self, value):
        return self.set("spark.home", value)

    def setExecutorEnv(self, key=None, value=None, pairs=None):
        if (key is not None and pairs is not None) or (key is None and pairs is None):
            raise ValueError("Either pass one key-value pair or a list of pairs")
        if key is not None:
            self.set("spark.executorEnv." + key, value)
        else:
            for k, v in pairs:
                self.set("spark.executorEnv." + k, v)
        return self

    def setAll(self, pairs):
        for k, v in pairs:
            self.set(k, v)
        return self

    def get(self, key, defaultValue=None):
        return self._conf.get(key, defaultValue)

    def getAll(self):
        return list(self._conf.items())

    def contains(self, key):
        return key in self._conf

    def toDebugString(self):
        # Spark lists the entries sorted by key.
        return "\n".join("%s=%s" % kv for kv in sorted(self._conf.items()))

    def __contains__(self, key):
        return self.contains(key)


def parse_bytes(text, default_unit="m"):
    """'512m' / '2g' / '1024k' / '1048576b' (Spark's JVM-style sizes) to bytes."""
    text = str(text).strip().lower()
    units = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    if text.endswith("b") and len(text) > 1 and text[-2] in units and text[-2] != "b":
        text = text[:-1]
    unit = text[-1] if text and text[-1] in units else default_unit
    number = text[:-1] if text and text[-1] in units else text
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise ValueError("Cannot parse size %r: use a number with a unit, like 512m or 2g" % text) from None


def parse_duration_seconds(text, default_unit="s"):
    """'3s' / '100ms' / '2min' (Spark's time strings) to seconds."""
    text = str(text).strip().lower()
    for suffix, scale in (("ms", 0.001), ("min", 60.0), ("s", 1.0), ("m", 60.0), ("h", 3600.0)):
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * scale
    return float(text) * {"s": 1.0, "ms": 0.001}[default_unit]
