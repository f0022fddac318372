"""PySpark's Python worker daemon, with what tasks print sent to the kernel tagged by stage and
partition (the pyspark backend sets ``spark.python.daemon.module`` to this module for local masters).

Stock PySpark sends a task's prints to the worker's stdout, which the JVM copies to its own stderr,
so a notebook sees them untagged and in red. Here each forked worker replaces its ``sys.stdout`` and
``sys.stderr``: a line printed while a task runs goes, with the task's stage, partition and job
group, to the kernel's socket named by ``SPARKLET_TASK_OUTPUT`` (one JSON object per line); other
output keeps its usual way.
"""

import json
import os
import socket
import sys

import pyspark.daemon

_ADDRESS = os.environ.get("SPARKLET_TASK_OUTPUT", "")


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

    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.sock = None

    def send(self, context, stream, text):
        record = {"stageId": context.stageId(), "partitionId": context.partitionId(),
                  "taskId": context.taskAttemptId(), "stream": stream, "text": text,
                  "group": context.getLocalProperty("spark.jobGroup.id")}
        try:
            if self.sock is None:
                self.sock = socket.create_connection(self.address, timeout=5)
            self.sock.sendall((json.dumps(record) + "\n").encode("utf-8"))
        except OSError:  # the kernel went away: keep the task running, print as PySpark does
            self.sock = None
            sys.__stderr__.write(text + "\n")


def tagged_worker(original):
    def worker(sock, authenticated):
        if not isinstance(sys.stdout, TaskOutput):  # a reused worker runs this once per task
            channel = Channel(_ADDRESS)
            sys.stdout = TaskOutput("stdout", sys.stdout, channel)
            sys.stderr = TaskOutput("stderr", sys.stderr, channel)
        return original(sock, authenticated)

    return worker


if __name__ == "__main__":
    if _ADDRESS:
        pyspark.daemon.worker = tagged_worker(pyspark.daemon.worker)
    pyspark.daemon.manager()
