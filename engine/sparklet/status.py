"""StatusTracker: PySpark's API for watching job and stage progress, fed by the listener bus."""

import threading
from collections import namedtuple

from .listener import SparkListener

__all__ = ["StatusTracker", "SparkJobInfo", "SparkStageInfo"]


class SparkJobInfo(namedtuple("SparkJobInfo", "jobId stageIds status")):
    """Exposes information about Spark Jobs."""


class SparkStageInfo(namedtuple("SparkStageInfo", "stageId currentAttemptId name numTasks numActiveTasks "
                                                  "numCompletedTasks numFailedTasks")):
    """Exposes information about Spark Stages."""


class _StatusStore(SparkListener):
    """Jobs and stages as the listener events describe them (kept for the whole application)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.jobs = {}  # jobId -> {"stageIds", "status", "group"}
        self.stages = {}  # stageId -> dict

    def onJobStart(self, event):
        with self.lock:
            self.jobs[event.jobId] = {"stageIds": list(event.stageIds), "status": "RUNNING",
                                      "group": event.properties.get("spark.jobGroup.id")}
            for info in event.stageInfos:
                self.stages.setdefault(info.stageId, {
                    "attempt": info.attemptNumber, "name": info.name, "numTasks": info.numTasks,
                    "active": 0, "completed": 0, "failed": 0, "running": False})

    def onJobEnd(self, event):
        with self.lock:
            job = self.jobs.get(event.jobId)
            if job is not None:
                job["status"] = "SUCCEEDED" if event.jobResult.succeeded else "FAILED"

    def onStageSubmitted(self, event):
        info = event.stageInfo
        with self.lock:
            self.stages[info.stageId] = {"attempt": info.attemptNumber, "name": info.name, "numTasks": info.numTasks,
                                         "active": 0, "completed": 0, "failed": 0, "running": True}

    def onStageCompleted(self, event):
        with self.lock:
            stage = self.stages.get(event.stageInfo.stageId)
            if stage is not None:
                stage["running"] = False

    def onTaskStart(self, event):
        with self.lock:
            stage = self.stages.get(event.stageId)
            if stage is not None and stage["attempt"] == event.stageAttemptId:
                stage["active"] += 1

    def onTaskEnd(self, event):
        with self.lock:
            stage = self.stages.get(event.stageId)
            if stage is not None and stage["attempt"] == event.stageAttemptId:
                stage["active"] -= 1
                if event.reason == "Success":
                    stage["completed"] += 1
                else:
                    stage["failed"] += 1


class StatusTracker:
    """Low-level status reporting for jobs and stages. Answers reflect every event posted before
    the call (the listener bus is drained first)."""

    def __init__(self, sc):
        self._sc = sc
        self._store = _StatusStore()

    def _sync(self):
        if threading.current_thread() is not self._sc.listenerBus._thread:
            self._sc.listenerBus.waitUntilEmpty(2.0)

    def getJobIdsForGroup(self, jobGroup=None):
        """Ids of the jobs of ``jobGroup`` (None: jobs started outside any group)."""
        self._sync()
        with self._store.lock:
            return [j for j, info in self._store.jobs.items() if info["group"] == jobGroup]

    def getActiveStageIds(self):
        self._sync()
        with self._store.lock:
            return sorted(s for s, info in self._store.stages.items() if info["running"])

    def getActiveJobsIds(self):
        self._sync()
        with self._store.lock:
            return sorted(j for j, info in self._store.jobs.items() if info["status"] == "RUNNING")

    def getJobInfo(self, jobId):
        self._sync()
        with self._store.lock:
            info = self._store.jobs.get(jobId)
            if info is None:
                return None
            return SparkJobInfo(jobId, list(info["stageIds"]), info["status"])

    def getStageInfo(self, stageId):
        self._sync()
        with self._store.lock:
            info = self._store.stages.get(stageId)
            if info is None:
                return None
            return SparkStageInfo(stageId, info["attempt"], info["name"], info["numTasks"], info["active"],
                                  info["completed"], info["failed"])
