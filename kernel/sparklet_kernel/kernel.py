"""The Sparklet kernel: IPython's kernel plus a `SparkletSession` (everything else lives there)."""

from ipykernel.ipkernel import IPythonKernel

from .config import SessionDefaults
from .panel import SessionChannel
from .session import SparkletSession
from .version import __version__


class SparkletKernel(IPythonKernel, SessionDefaults):
    """``c.SparkletKernel.backend / .master / .conf`` in a Jupyter config file set the session's
    defaults (see config.py)."""

    implementation = "sparklet"
    implementation_version = __version__
    banner = "Sparklet %s: Apache Spark's RDD API in pure Python; `sc` is ready." % __version__

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sparklet = SparkletSession(shell=self.shell, kernel=self, parent=self)
        self.sparklet.start()
        self.sparklet_channel = SessionChannel(self.sparklet, self)
        self.sparklet_channel.register()
        self.control_handlers["sparklet_request"] = self.sparklet_channel.control_request

    def do_shutdown(self, restart):
        self.sparklet.stop()
        return super().do_shutdown(restart)
