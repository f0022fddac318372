"""The active session's SQL configuration, for the layers below the session: the role of Spark's
``SQLConf.get``.

Function builders and the engine read the session's settings (time zone, map key policy, current
database) while a query is analysed or run on the driver, but they sit below ``session``, which
imports them: ``SparkSession._set_active`` records the active session here instead, and they read
it through ``active_session()`` and ``get(key, default)``.

>>> get("spark.sql.mapKeyDedupPolicy", "EXCEPTION")
'EXCEPTION'
"""

_active = None


def set_active(session):
    """Record ``session`` (or None) as the active one; ``SparkSession._set_active`` calls it."""
    global _active
    _active = session


def active_session():
    """The active SparkSession, or None when no session is active.

    >>> active_session() is spark
    True
    """
    return _active


def get(key, default=None):
    """The active session's value of ``key``; ``default`` when it has none or no session is active.

    >>> spark.conf.set("spark.sql.session.timeZone", "Asia/Seoul")
    >>> get("spark.sql.session.timeZone")
    'Asia/Seoul'
    >>> spark.conf.unset("spark.sql.session.timeZone")
    >>> get("spark.sql.session.timeZone", "UTC")
    'UTC'
    """
    s = _active
    return default if s is None else s.conf.get(key, default)
