"""PySpark's Python worker daemon, with what tasks print sent to the kernel tagged by stage and
partition (the pyspark backend sets ``spark.python.daemon.module`` to this module for local masters).

Stock PySpark sends a task's prints to the worker's stdout, which the JVM copies to its own stderr,
so a notebook sees them untagged and in red. Here each forked worker replaces its ``sys.stdout`` and
``sys.stderr``: a line printed while a task runs goes, with the task's stage, partition and job
group, to the kernel's task-output channel (`task_output`: its address and secret are in the
environment); other output keeps its usual way.
"""

import os
import socket
import sys

import pyspark.daemon

from sparklet_kernel.task_output import ADDRESS_ENV, SECRET_ENV, encode_record

_ADDRESS = os.environ.get(ADDRESS_ENV, "")
_SECRET = os.environ.get(SECRET_ENV, "")


class TaskOutput:
    """A text stream that forwards complete lines printed inside a task to the kernel."""

    def __init__(self, name, original, channel):
        self.name = name
        self.original = original
        self.channel = channel
        self.pending = ""

    def write(self, text):
        from pyspark.taskcontext import TaskContext

        context = TaskContext.get()
        if context is None:
            return self.original.write(text)
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.channel.send(context, self.name, line)
        return len(text)

    def flush(self):
        self.original.flush()

    def __getattr__(self, name):
        return getattr(self.original, name)


class Channel:
    """This worker process's connection to the kernel, opened on its first task line."""

    def __init__(self, address, secret):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.secret = secret
        self.sock = None

    def send(self, context, stream, text):
        record = encode_record(context.stageId(), context.partitionId(), context.taskAttemptId(), stream, text,
                               context.getLocalProperty("spark.jobGroup.id"))
        try:
            if self.sock is None:
                self.sock = socket.create_connection(self.address, timeout=5)
                self.sock.sendall(self.secret.encode("ascii") + b"\n")
            self.sock.sendall(record)
        except OSError:  # the kernel went away: keep the task running, print as PySpark does
            self.sock = None
            sys.__stderr__.write(text + "\n")


def tagged_worker(original):
    def worker(sock, authenticated):
        if not isinstance(sys.stdout, TaskOutput):  # a reused worker runs this once per task
            channel = Channel(_ADDRESS, _SECRET)
            sys.stdout = TaskOutput("stdout", sys.stdout, channel)
            sys.stderr = TaskOutput("stderr", sys.stderr, channel)
        return original(sock, authenticated)

    return worker


if __name__ == "__main__":
    if _ADDRESS and _SECRET:
        pyspark.daemon.worker = tagged_worker(pyspark.daemon.worker)
    pyspark.daemon.manager()
