"""Where a session's SparkContext comes from: backend, master and conf, and how to change them.

Defaults come, strongest first, from the kernel's config file (``c.SparkletKernel.backend =
"pyspark"``, ``c.SparkletKernel.master``, ``c.SparkletKernel.conf`` in ``ipython_kernel_config.py``
of the IPython profile, or of ``/etc/ipython`` for every user of a machine or image;
``c.SessionDefaults.*`` for ``%load_ext`` in a stock IPython), then the
environment (``SPARKLET_BACKEND``, ``SPARKLET_MASTER``, ``SPARKLET_CONF`` as a JSON object), then
the built-ins (the local engine on ``local[*]``). A hub or container image sets them once for every
user. ``%%configure`` replaces them for one session with sparkmagic's session keys.

Settings are plain data, ``{"backend", "master", "conf", "name"}``, checked here once; putting a
session on them (stopping, switching, creating contexts) is the session's job (`session.py`).
"""

import json
import os
import re

from traitlets import Dict, Unicode
from traitlets.config import Configurable

BACKENDS = ("sparklet", "pyspark")

#: sparkmagic's (Livy's) session keys and the Spark property each one sets
SESSION_KEYS = {
    "name": "spark.app.name",
    "driverMemory": "spark.driver.memory",
    "driverCores": "spark.driver.cores",
    "executorMemory": "spark.executor.memory",
    "executorCores": "spark.executor.cores",
    "numExecutors": "spark.executor.instances",
    "jars": "spark.jars",
    "pyFiles": "spark.submit.pyFiles",
    "files": "spark.files",
    "archives": "spark.archives",
    "queue": "spark.yarn.queue",
}
MEMORY_KEYS = ("driverMemory", "executorMemory")
COUNT_KEYS = ("driverCores", "executorCores", "numExecutors")
LIST_KEYS = ("jars", "pyFiles", "files", "archives")
#: keys of our own on top of sparkmagic's
EXTRA_KEYS = ("conf", "master", "backend", "kind")
_MEMORY = re.compile(r"^\d+[kmgtp]?b?$", re.IGNORECASE)


class ConfigurationError(ValueError):
    """A session configuration that cannot be used; the message says which key and why."""


class SessionDefaults(Configurable):
    """The kernel's defaults; mixed into `SparkletKernel`, so ``c.SparkletKernel.master`` works."""

    backend = Unicode("", help="'sparklet' (the local engine) or 'pyspark' (Apache Spark through the "
                               "installed pyspark); env SPARKLET_BACKEND.").tag(config=True)
    master = Unicode("", help="Master URL of the session's context: local[*], spark://host:7077, yarn, "
                              "k8s://... ; env SPARKLET_MASTER.").tag(config=True)
    conf = Dict(help="Spark properties of the session's context, e.g. {'spark.executor.memory': '2g'}; "
                     "env SPARKLET_CONF (a JSON object).").tag(config=True)


def _environment_conf():
    text = os.environ.get("SPARKLET_CONF", "").strip()
    if not text:
        return {}
    try:
        conf = json.loads(text)
    except ValueError as e:
        raise ConfigurationError("SPARKLET_CONF is not valid JSON (%s): %r" % (e, text)) from None
    if not isinstance(conf, dict):
        raise ConfigurationError("SPARKLET_CONF must be a JSON object of Spark properties, got %r" % text)
    return conf


def default_settings(defaults, master, app_name):
    """{"backend", "master", "conf", "name"} for the context a session starts with: `defaults` (a
    `SessionDefaults`) over the environment, over `master` and `app_name`."""
    backend = defaults.backend or os.environ.get("SPARKLET_BACKEND", "").strip() or "sparklet"
    conf = dict(_environment_conf())
    conf.update(defaults.conf)
    settings = {"backend": backend, "master": defaults.master or master, "conf": conf, "name": app_name}
    return normalize(settings, "the kernel's configuration")


def parse_session_json(text):
    """The body of ``%%configure``: a JSON object of sparkmagic session keys."""
    text = text.strip()
    if not text:
        raise ConfigurationError('%%configure needs a JSON object in the cell, e.g. {"executorMemory": "2g"}')
    try:
        value = json.loads(text)
    except ValueError as e:
        raise ConfigurationError("%%%%configure: the cell is not valid JSON: %s" % e) from None
    if not isinstance(value, dict):
        raise ConfigurationError("%%%%configure: expected a JSON object ({...}), got %s" % type(value).__name__)
    return normalize(value, "%%configure")


def normalize(settings, where):
    """Check every key and value; return {"backend", "master", "conf", "name"} (master may be None)."""
    known = set(SESSION_KEYS) | set(EXTRA_KEYS)
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ConfigurationError("%s: unknown key%s %s; known keys: %s" % (
            where, "s" if len(unknown) > 1 else "", ", ".join(map(repr, unknown)), ", ".join(sorted(known))))
    backend = settings.get("backend", "sparklet")
    if backend not in BACKENDS:
        raise ConfigurationError("%s: backend must be one of %s, got %r" % (where, ", ".join(BACKENDS), backend))
    kind = settings.get("kind", "pyspark")
    if kind != "pyspark":
        raise ConfigurationError("%s: kind %r is not supported: this kernel runs Python (kind 'pyspark')"
                                 % (where, kind))
    master = settings.get("master")
    if master is not None and (not isinstance(master, str) or not master.strip()):
        raise ConfigurationError("%s: master must be a master URL such as 'local[2]', got %r" % (where, master))
    conf = settings.get("conf", {})
    if not isinstance(conf, dict):
        raise ConfigurationError("%s: conf must be an object of Spark properties, got %r" % (where, conf))
    out = {}
    for key, value in conf.items():
        if not isinstance(value, (str, int, float, bool)):
            raise ConfigurationError("%s: conf[%r] must be a string or a number, got %r" % (where, key, value))
        out[key] = str(value).lower() if isinstance(value, bool) else str(value)
    for key, prop in SESSION_KEYS.items():
        if key not in settings:
            continue
        value = settings[key]
        if key in MEMORY_KEYS and not (isinstance(value, str) and _MEMORY.match(value.strip())):
            raise ConfigurationError("%s: %s must be a memory size such as '2g' or '512m', got %r"
                                     % (where, key, value))
        if key in COUNT_KEYS and not (isinstance(value, int) and not isinstance(value, bool) and value > 0):
            raise ConfigurationError("%s: %s must be a positive integer, got %r" % (where, key, value))
        if key in LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ConfigurationError("%s: %s must be a list of paths, got %r" % (where, key, value))
            value = ",".join(value)
        if key == "name" and not (isinstance(value, str) and value.strip()):
            raise ConfigurationError("%s: name must be a non-empty string, got %r" % (where, value))
        out[prop] = str(value)
    name = out.pop("spark.app.name", None) or settings.get("name")
    return {"backend": backend, "master": master, "conf": out, "name": name}
