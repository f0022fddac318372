"""StatusTracker: PySpark's API for watching job and stage progress, read from the context's
status store (`sparklet.appstatus`), the fold every other observer reads too."""

import threading
from collections import namedtuple

__all__ = ["StatusTracker", "SparkJobInfo", "SparkStageInfo"]


class SparkJobInfo(namedtuple("SparkJobInfo", "jobId stageIds status")):
    """Exposes information about Spark Jobs."""


class SparkStageInfo(namedtuple("SparkStageInfo", "stageId currentAttemptId name numTasks numActiveTasks "
                                                  "numCompletedTasks numFailedTasks")):
    """Exposes information about Spark Stages."""


class StatusTracker:
    """Low-level status reporting for jobs and stages. Answers reflect every event posted before
    the call (the listener bus is drained first). Tasks killed by a cancel or by a failing
    sibling are not failed tasks: `SparkStageInfo` has no killed count, as in PySpark.

    >>> tracker = sc.statusTracker()
    >>> sc.setJobGroup("tracked", "a tracked job")
    >>> sc.parallelize(range(4), 2).count()
    4
    >>> job = tracker.getJobInfo(tracker.getJobIdsForGroup("tracked")[0])
    >>> job.status, tracker.getStageInfo(job.stageIds[0]).numCompletedTasks
    ('SUCCEEDED', 2)
    >>> sc.clearJobGroup()
    """

    def __init__(self, sc):
        self._sc = sc
        self._store = sc.statusStore

    def _sync(self):
        if threading.current_thread() is not self._sc.listenerBus._thread:
            self._sc.listenerBus.waitUntilEmpty(2.0)

    def getJobIdsForGroup(self, jobGroup=None):
        """Ids of the jobs of ``jobGroup`` (None: jobs started outside any group)."""
        self._sync()
        return self._store.job_ids(jobGroup)

    def getActiveStageIds(self):
        """Ids of the stages running now."""
        self._sync()
        return self._store.active_stage_ids()

    def getActiveJobsIds(self):
        """Ids of the jobs running now."""
        self._sync()
        return sorted(self._store.active_job_ids())

    def getJobInfo(self, jobId):
        """A `SparkJobInfo`, or None if the job is unknown (or forgotten)."""
        self._sync()
        info = self._store.job_status(jobId)
        if info is None:
            return None
        stage_ids, status = info
        return SparkJobInfo(jobId, stage_ids, status)

    def getStageInfo(self, stageId):
        """A `SparkStageInfo` of the stage's current attempt, or None if the stage is unknown."""
        self._sync()
        info = self._store.stage_attempt(stageId)
        if info is None:
            return None
        attempt, name, num_tasks, counts = info
        return SparkStageInfo(stageId, attempt, name, num_tasks, counts["active"], counts["completed"],
                              counts["failed"])
