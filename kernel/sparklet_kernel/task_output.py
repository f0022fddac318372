"""The task-output channel: what tasks print on Apache Spark's Python workers, back to the kernel.

With the pyspark backend on a local master, the workers `pyspark_daemon` starts send each line a
task prints to the kernel, tagged with the task's stage, partition and job group, and the kernel
posts it to the session store as a `SparkletTaskOutput` event (the live display routes it to the
cell whose job group the task ran in).

The channel is a loopback TCP socket, so on a shared host (JupyterHub, Kubeflow) any local user
can connect to it. It is guarded the way PySpark guards its own worker sockets:

- **a per-kernel secret**: 32 random bytes, handed to the workers in the environment
  (``SPARKLET_TASK_OUTPUT_SECRET``; a process's environment is readable only by its user). A peer
  must send it as its first line within `HELLO_TIMEOUT` seconds, else it is dropped unread;
- **bounded reads**: the greeting and every record line are read with a length limit
  (`MAX_LINE_BYTES`); a longer line, a record that is not the expected JSON object, or too many
  peers at once (`MAX_PEERS`) drop that peer. The writer cuts a task's long line to
  `MAX_TEXT_CHARS` characters, so a legitimate worker never hits the limit;
- a dropped peer costs one closed socket: nothing reaches a cell, and other workers and the
  session carry on.

Wire format (one connection per worker process): ``<secret hex>\\n`` then one JSON object per line,
``{"stageId", "partitionId", "taskId", "stream", "text", "group"}``.
"""

import hmac
import json
import logging
import os
import secrets
import socket
import threading

from sparklet.listener import SparkletTaskOutput

log = logging.getLogger("sparklet_kernel.task_output")

ADDRESS_ENV = "SPARKLET_TASK_OUTPUT"
SECRET_ENV = "SPARKLET_TASK_OUTPUT_SECRET"
#: seconds a new peer has to send the secret
HELLO_TIMEOUT = 5.0
#: the longest line read from a peer (its greeting or one record), newline included
MAX_LINE_BYTES = 256 * 1024
#: the longest text of one printed line a worker sends; the rest is replaced by a note of its size.
#: JSON escapes a character in at most 12 bytes (a surrogate pair), so a record always fits a line.
MAX_TEXT_CHARS = 16 * 1024
#: peers connected at once (each worker process of a local master holds one connection)
MAX_PEERS = 256

_FIELDS = {"stageId": int, "partitionId": int, "taskId": int, "stream": str, "text": str}


class BadPeer(Exception):
    """A peer that broke the protocol; the message says how (for the kernel's log)."""


def encode_record(stage_id, partition_id, task_id, stream, text, group):
    """One record line as a worker sends it, `text` cut to `MAX_TEXT_CHARS`.

    >>> line = encode_record(1, 0, 7, "stdout", "x" * (MAX_TEXT_CHARS + 5), None)
    >>> decode_record(line).text[-52:]
    'xxx... (5 more characters not sent to the notebook)'
    """
    if len(text) > MAX_TEXT_CHARS:
        text = "%s... (%d more characters not sent to the notebook)" % (
            text[:MAX_TEXT_CHARS], len(text) - MAX_TEXT_CHARS)
    record = {"stageId": stage_id, "partitionId": partition_id, "taskId": task_id, "stream": stream,
              "text": text, "group": group}
    return (json.dumps(record) + "\n").encode("utf-8")


def decode_record(line):
    """The `SparkletTaskOutput` event of one record line; `BadPeer` if it is not a record."""
    try:
        record = json.loads(line)
    except ValueError as e:
        raise BadPeer("a record that is not JSON (%s)" % e) from None
    if not isinstance(record, dict):
        raise BadPeer("a record that is not a JSON object")
    for name, kind in _FIELDS.items():
        if not isinstance(record.get(name), kind) or isinstance(record.get(name), bool):
            raise BadPeer("a record whose %r is not a %s" % (name, kind.__name__))
    group = record.get("group")
    if group is not None and not isinstance(group, str):
        raise BadPeer("a record whose 'group' is not a string")
    if record["stream"] not in ("stdout", "stderr"):
        raise BadPeer("a record of stream %r" % record["stream"][:20])
    return SparkletTaskOutput(record["stageId"], record["partitionId"], record["taskId"], "driver",
                              record["stream"], record["text"], {"spark.jobGroup.id": group} if group else {})


def _read_line(lines):
    line = lines.readline(MAX_LINE_BYTES)
    if line and not line.endswith(b"\n") and len(line) >= MAX_LINE_BYTES:
        raise BadPeer("a line longer than %d bytes" % MAX_LINE_BYTES)
    return line


class TaskOutputServer:
    """Accepts the workers' connections and posts what they send to `store` (a
    `state.SessionStore`, set by the backend whenever the session adopts a context)."""

    def __init__(self):
        self.store = None
        self.secret = secrets.token_hex(32)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.address = "127.0.0.1:%d" % self.sock.getsockname()[1]
        self.dropped = 0  # peers dropped for breaking the protocol (for tests and the kernel's log)
        self._peers = threading.BoundedSemaphore(MAX_PEERS)
        threading.Thread(target=self._accept, name="sparklet-task-output", daemon=True).start()

    def environment(self):
        """What a worker needs to connect: {ADDRESS_ENV: host:port, SECRET_ENV: secret}."""
        return {ADDRESS_ENV: self.address, SECRET_ENV: self.secret}

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # the socket was closed
                return
            if not self._peers.acquire(blocking=False):
                self.dropped += 1
                conn.close()
                continue
            threading.Thread(target=self._serve, args=(conn,), name="sparklet-task-output-peer",
                             daemon=True).start()

    def _serve(self, conn):
        try:
            with conn, conn.makefile("rb") as lines:
                conn.settimeout(HELLO_TIMEOUT)
                hello = _read_line(lines).rstrip(b"\n")
                if not hmac.compare_digest(hello, self.secret.encode("ascii")):
                    raise BadPeer("no secret or a wrong one")
                conn.settimeout(None)  # a worker process keeps its connection while it lives
                while True:
                    line = _read_line(lines)
                    if not line:
                        return
                    event = decode_record(line)
                    store = self.store
                    if store is not None:
                        store.onOtherEvent(event)
        except (BadPeer, OSError) as e:  # OSError: the hello timed out, or the peer reset
            self.dropped += 1
            # debug only: the kernel's log lands in the running cell, which a bad peer must not reach
            log.debug("task-output channel: dropped a peer (%s)", e)
        finally:
            self._peers.release()

    def close(self):
        self.sock.close()


_SERVER = []  # the kernel's one TaskOutputServer, started with the first activation


def task_output_server():
    """The kernel's task-output server, started on first use; its address and secret are put in
    this process's environment, which the JVM started afterwards gives its Python workers."""
    if not _SERVER:
        _SERVER.append(TaskOutputServer())
        os.environ.update(_SERVER[0].environment())
    return _SERVER[0]
