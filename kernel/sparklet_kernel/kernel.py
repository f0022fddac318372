"""The Sparklet kernel: IPython's kernel plus a `SparkletSession` (everything else lives there).

One thing the kernel itself changes: the execution state a frontend shows. JupyterLab takes the
kernel's status from the last IOPub ``status`` message, whatever request it answers. The lab panel
asks for snapshots on the control channel while a cell runs, and ipykernel brackets every control
request with busy/idle, so each answer would flip a busy kernel to "Idle" for the rest of the job.
While the shell is executing, a control request's ``idle`` is therefore held back and published
when the shell's own ``idle`` is (each request still gets its idle, and the state stays Busy).
"""

import threading

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
        self._status_lock = threading.Lock()
        self._shell_busy = False
        self._held_idle = []  # parents of control requests answered while the shell was busy
        super().__init__(**kwargs)
        self.sparklet = SparkletSession(shell=self.shell, kernel=self, parent=self)
        self.sparklet.start()
        self.sparklet_channel = SessionChannel(self.sparklet, self)
        self.sparklet_channel.register()
        self.control_handlers["sparklet_request"] = self.sparklet_channel.control_request

    def _publish_status(self, status, channel, parent=None):
        with self._status_lock:
            if channel == "shell":
                self._shell_busy = status == "busy"
                held = [] if self._shell_busy else self._held_idle
                if not self._shell_busy:
                    self._held_idle = []
            elif channel == "control" and status == "idle" and self._shell_busy:
                self._held_idle.append(parent or self.get_parent("control"))
                return
            else:
                held = []
        for control_parent in held:
            super()._publish_status("idle", "control", control_parent)
        super()._publish_status(status, channel, parent)

    def do_shutdown(self, restart):
        self.sparklet.stop()
        return super().do_shutdown(restart)
