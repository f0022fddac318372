"""The pyspark backend's task-output channel on a shared host: a local peer without the kernel's
secret, or with a line too long to hold, is dropped; nothing it sends reaches a cell, the kernel's
memory stays bounded, and the session (and the real workers' output) carry on."""

import json
import socket
import sys
import threading
import time

import psutil
import pytest

from sparklet_kernel import task_output
from sparklet_kernel.task_output import TaskOutputServer

from kernel_harness import execute, result_text, running_kernel, stream_text

pytestmark = pytest.mark.timeout(600)

HUNDRED_MB = 100 * 1024 * 1024


class Recorder:
    def __init__(self):
        self.events = []
        self.arrived = threading.Event()

    def onOtherEvent(self, event):
        self.events.append(event)
        self.arrived.set()


def forged(text="forged line", group=None):
    return (json.dumps({"stageId": 0, "partitionId": 0, "taskId": 0, "stream": "stdout", "text": text,
                        "group": group}) + "\n").encode()


def connect(address):
    host, _, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=10)


def send_all_until_dropped(sock, prefix, size, chunk=1 << 20):
    """Send `prefix` then `size` bytes of one unterminated line; True if the peer closed on us."""
    block = b"x" * chunk
    try:
        sock.sendall(prefix)
        sent = 0
        while sent < size:
            sock.sendall(block)
            sent += len(block)
    except OSError:
        return True
    sock.settimeout(10)
    try:
        return sock.recv(1) == b""
    except OSError:
        return True


def wait_dropped(server, count, timeout=10):
    deadline = time.monotonic() + timeout
    while server.dropped < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return server.dropped >= count


def test_a_peer_needs_the_secret_and_a_bounded_line_and_others_carry_on(monkeypatch):
    monkeypatch.setattr(task_output, "HELLO_TIMEOUT", 0.5)
    server = TaskOutputServer()
    server.store = store = Recorder()
    try:
        # no secret: the record is never read
        with connect(server.address) as peer:
            peer.sendall(forged())
            assert wait_dropped(server, 1)
        # a wrong secret of the right length
        with connect(server.address) as peer:
            peer.sendall(b"0" * len(server.secret) + b"\n" + forged())
            assert wait_dropped(server, 2)
        # silence: dropped once the greeting's time is up
        with connect(server.address) as peer:
            assert wait_dropped(server, 3)
        # 100 MB on one line, without and with the secret: dropped after at most MAX_LINE_BYTES
        process = psutil.Process()
        rss = process.memory_info().rss
        with connect(server.address) as peer:
            assert send_all_until_dropped(peer, b"", HUNDRED_MB)
        with connect(server.address) as peer:
            assert send_all_until_dropped(peer, server.secret.encode() + b"\n", HUNDRED_MB)
        assert wait_dropped(server, 5)
        assert process.memory_info().rss - rss < 20 * 1024 * 1024
        # an authenticated peer sending something that is not a record
        with connect(server.address) as peer:
            peer.sendall(server.secret.encode() + b"\n" + b'{"stageId": "0"}\n' + forged())
            assert wait_dropped(server, 6)
        assert store.events == []
        # a worker with the secret still gets through, on a connection it keeps
        with connect(server.address) as peer:
            peer.sendall(server.secret.encode() + b"\n" + forged("from a task", "sparklet-cell-3-ab"))
            assert store.arrived.wait(5)
            store.arrived.clear()
            peer.sendall(task_output.encode_record(1, 2, 3, "stderr", "é" * (task_output.MAX_TEXT_CHARS + 1), None))
            assert store.arrived.wait(5)
        first, second = store.events
        assert (first.text, first.properties) == ("from a task", {"spark.jobGroup.id": "sparklet-cell-3-ab"})
        assert (second.stageId, second.partitionId, second.stream) == (1, 2, "stderr")
        assert second.text.endswith("... (1 more characters not sent to the notebook)")
        assert server.dropped == 6
    finally:
        server.close()


def test_a_forged_peer_reaches_no_cell_and_the_kernel_stays_responsive(tmp_path):
    env = {"SPARKLET_BACKEND": "pyspark", "PYSPARK_PYTHON": sys.executable}
    with running_kernel(tmp_path, env=env) as (km, kc):
        reply, msgs = execute(kc, "import os\nos.environ['SPARKLET_TASK_OUTPUT'], "
                                  "os.environ['SPARKLET_TASK_OUTPUT_SECRET']", timeout=240)
        assert reply["status"] == "ok", reply
        address, secret = eval(result_text(msgs))
        kernel_process = psutil.Process(km.provisioner.process.pid)
        rss = kernel_process.memory_info().rss

        # while a cell runs, a local peer without the secret writes records meant for it, and
        # two more send 100 MB lines (one with the secret, as if it had stolen it)
        results = {}
        done = tmp_path / "attack-done"

        def attack():
            try:
                with connect(address) as peer:
                    peer.sendall(forged("forged without the secret"))
                    results["no secret"] = peer.recv(1) == b""
                with connect(address) as peer:
                    results["100 MB"] = send_all_until_dropped(peer, b"", HUNDRED_MB)
                with connect(address) as peer:
                    results["100 MB with secret"] = send_all_until_dropped(peer, secret.encode() + b"\n", HUNDRED_MB)
            finally:
                done.touch()

        attacker = threading.Thread(target=attack)

        def start_attack(msg):
            if msg["msg_type"] == "stream" and "cell running" in msg["content"]["text"] and not attacker.is_alive() \
                    and not done.exists():
                attacker.start()

        reply, msgs = execute(kc, "import time\nprint('cell running', flush=True)\ndeadline = time.time() + 60\n"
                                  "while not os.path.exists(%r) and time.time() < deadline:\n"
                                  "    time.sleep(0.05)" % str(done), timeout=90, on_message=start_attack)
        assert reply["status"] == "ok", reply
        attacker.join(60)
        assert results == {"no secret": True, "100 MB": True, "100 MB with secret": True}
        shown = json.dumps([m["content"] for m in msgs])
        assert "forged without the secret" not in shown and "task-output channel" not in shown
        assert stream_text(msgs) == "cell running\n" and not stream_text(msgs, "stderr")
        # the kernel answers at once and did not keep what it was sent
        started = time.monotonic()
        reply, msgs = execute(kc, "1 + 1")
        assert result_text(msgs) == "2" and time.monotonic() - started < 5
        assert kernel_process.memory_info().rss - rss < 50 * 1024 * 1024
        assert "No task output in this session." in stream_text(execute(kc, "%spark output")[1])
        # the real workers' output still arrives, tagged, under its cell
        reply, msgs = execute(kc, "sc.parallelize(range(4), 2).foreach(lambda x: print('task line', x))")
        outputs = [m["content"]["data"]["text/plain"] for m in msgs
                   if m["msg_type"] in ("display_data", "update_display_data")
                   and "sparklet-output-" in m["content"].get("transient", {}).get("display_id", "")]
        assert outputs and sorted(outputs[-1].splitlines())[-1].endswith("task line 3")
