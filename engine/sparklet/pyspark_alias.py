"""``import pyspark`` resolves to Sparklet (in the Sparklet kernel and under ``sparklet-submit``).

A meta-path finder placed first on ``sys.meta_path`` answers for ``pyspark`` and ``pyspark.X`` with
the already-imported ``sparklet`` / ``sparklet.X`` module object itself (not a copy), so classes are
identical under both names and ``isinstance`` works across them (``pyspark.sql`` is ``sparklet.sql``).
Modules Sparklet does not have (``pyspark.ml``, ``pyspark.streaming`` ...) fail with an error that
says how to get real PySpark there.
"""

import importlib
import importlib.abc
import importlib.util
import os
import sys


def wanted():
    """Whether the environment asks for the alias (``SPARKLET_PYSPARK_ALIAS``, on unless 0/false/no/off)."""
    return os.environ.get("SPARKLET_PYSPARK_ALIAS", "1").strip().lower() not in ("0", "false", "no", "off")


class PySparkAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, how_to_get_pyspark, alias="pyspark", target="sparklet"):
        self.how_to_get_pyspark = how_to_get_pyspark
        self.alias = alias
        self.target = target

    def _target_name(self, fullname):
        if fullname == self.alias:
            return self.target
        if fullname.startswith(self.alias + "."):
            return self.target + fullname[len(self.alias):]
        return None

    def find_spec(self, fullname, path=None, target=None):
        name = self._target_name(fullname)
        if name is None:
            return None
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            raise ModuleNotFoundError(
                "No module named %r: Sparklet implements PySpark's RDD, DataFrame and SQL APIs (%s is not part of them). "
                "To use real PySpark, %s" % (fullname, fullname, self.how_to_get_pyspark),
                name=fullname) from None
        return importlib.util.spec_from_loader(fullname, self, is_package=hasattr(sys.modules[name], "__path__"))

    def create_module(self, spec):
        module = sys.modules[self._target_name(spec.name)]
        # importlib overwrites __spec__ of the module it gets back; keep the real one
        self._saved_spec = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = self._saved_spec

    def install(self):
        """Returns False (and changes nothing) if real PySpark is already imported."""
        if self.alias in sys.modules and sys.modules[self.alias] is not sys.modules.get(self.target):
            return False
        if self not in sys.meta_path:
            sys.meta_path.insert(0, self)
        return True

    def uninstall(self):
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for name in [n for n in sys.modules if n == self.alias or n.startswith(self.alias + ".")]:
            if self._target_name(name) in sys.modules and sys.modules[name] is sys.modules[self._target_name(name)]:
                del sys.modules[name]
