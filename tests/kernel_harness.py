"""Starting the real Sparklet kernel for tests and reading what it sends.

The kernelspec under test is the one in kernel/kernelspec, copied into a temporary kernels
directory (so the tests do not depend on what is installed in the machine's Jupyter paths).
"""

import os
import queue
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

KERNELSPEC_DIR = Path(__file__).resolve().parent.parent / "kernel" / "kernelspec"
JOBS_MIME = "application/vnd.sparklet.jobs+json"


def kernel_dirs(tmp_path):
    kernels = Path(tmp_path) / "kernels"
    shutil.copytree(KERNELSPEC_DIR, kernels / "sparklet")
    return kernels


@contextmanager
def running_kernel(tmp_path, kernel_name="sparklet", env=None):
    kernels = kernel_dirs(tmp_path)
    ksm = KernelSpecManager(kernel_dirs=[str(kernels)] + KernelSpecManager().kernel_dirs)
    km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=ksm)
    launch_env = dict(os.environ, SPARKLET_MASTER="local[2]")
    launch_env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + launch_env.get("PATH", "")
    launch_env.update(env or {})
    started = time.monotonic()
    km.start_kernel(env=launch_env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        kc.started = started
        kc.stray = []
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        km.cleanup_resources()


def execute(kc, code, timeout=60, on_message=None):
    """Run `code`; return (execute_reply content, [iopub messages of this request])."""
    msg_id = kc.execute(code)
    msgs = []
    if not hasattr(kc, "stray"):
        kc.stray = []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            kc.stray.append(msg)
            continue
        msg["received"] = time.monotonic()
        msgs.append(msg)
        if on_message is not None:
            on_message(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:  # earlier requests' replies (kernel_info from wait_for_ready) may still be queued
        reply = kc.get_shell_msg(timeout=max(1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], msgs


def comm_data(kc, comm_id, seconds, until=None):
    """The data of `comm_id`'s comm_msgs, those already set aside by `execute` first, collected
    until `until(data)` holds for one of them or `seconds` pass."""
    seen = [m["content"]["data"] for m in getattr(kc, "stray", [])
            if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id]
    if hasattr(kc, "stray"):
        kc.stray.clear()
    if until is not None and any(until(d) for d in seen):
        return seen
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            m = kc.get_iopub_msg(timeout=0.2)
        except queue.Empty:
            continue
        if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id:
            seen.append(m["content"]["data"])
            if until is not None and until(seen[-1]):
                break
    return seen


def job_displays(msgs):
    """The job-display messages, in order: [(msg_type, display_id, data)]."""
    out = []
    for m in msgs:
        if m["msg_type"] in ("display_data", "update_display_data") and JOBS_MIME in m["content"]["data"]:
            out.append((m["msg_type"], m["content"].get("transient", {}).get("display_id"), m["content"]["data"], m))
    return out


def stream_text(msgs, name="stdout"):
    return "".join(m["content"]["text"] for m in msgs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def result_text(msgs):
    for m in msgs:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"]["text/plain"]
    return None
