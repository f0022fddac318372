"""Live job displays under the cell that started each job.

Every cell execution is a `CellRun` with a job group of its own. A job belongs to the cell whose
group it carries; a job without one of our groups (started from a thread the cell made, or under
the user's own group) belongs to the cell that was executing when the job started, else to the
most recent cell. Each cell gets one display (created with a display id, then updated in place)
holding all its jobs, and a second one for what its tasks printed.

Listener events only mark a cell dirty; one publisher thread turns dirty cells into messages, at
most one update per cell every `interval` seconds, so a 100,000-task job costs the same handful of
messages per second as a 10-task job, and the first update of a new job goes out on the
publisher's next wake-up (well under 300 ms). A running job whose tasks are long sends no events
for a while: its cell is republished every `ELAPSED_TICK` seconds so that its elapsed time moves.
"""

import collections
import logging
import threading
import time
import uuid

from . import progress
from .dag import job_dag

log = logging.getLogger("sparklet_kernel.live")

GROUP_PREFIX = "sparklet-cell-"
#: cells remembered for routing late events and task output
RETAINED_CELLS = 50
#: seconds between republishing a cell whose running jobs sent no events meanwhile
ELAPSED_TICK = 1.0


#: one line a task printed
TaskOutputLine = collections.namedtuple("TaskOutputLine", "stageId partitionId stream text")


class CellRun:
    def __init__(self, execution_count, parent):
        self.execution_count = execution_count
        self.parent = parent
        self.group_id = "%s%s-%s" % (GROUP_PREFIX, execution_count, uuid.uuid4().hex[:8])
        self.started = time.time() * 1000
        self.ended = None
        self.jobs = []  # (store, jobId) in start order
        self.dags = {}  # (store.storeId, jobId, status) -> dag model
        self.display_id = "sparklet-jobs-" + uuid.uuid4().hex
        self.output_display_id = "sparklet-output-" + uuid.uuid4().hex
        self.jobs_shown = False
        self.output_shown = False
        self.dirty = False
        self.output_dirty = False
        self.last_publish = 0.0
        self.output_lines = []  # TaskOutputLine
        self.output_hidden = 0


class KernelPublisher:
    """Sends display messages on IOPub with an explicit parent header, from any thread (the
    display hook's parent is per-thread in ipykernel, so a background thread cannot use it)."""

    def __init__(self, kernel):
        self.kernel = kernel

    def display(self, parent, data, display_id, update, final):
        content = {"data": data, "metadata": {}, "transient": {"display_id": display_id}}
        msg_type = "update_display_data" if update else "display_data"
        self.kernel.session.send(self.kernel.iopub_socket, msg_type, content, parent=parent,
                                 ident=b"display_data")


class TerminalPublisher:
    """Terminal IPython: no display ids, so print Spark's console bars once a cell's jobs end."""

    def display(self, parent, data, display_id, update, final):
        if final:
            print(data["text/plain"])


class LiveDisplay:
    def __init__(self, publisher, interval=0.1, max_output_lines=200, task_log_lines=10000):
        self.publisher = publisher
        self.interval = interval
        self.max_output_lines = max_output_lines
        self.mode = "on"  # "on" | "off" | "text"
        self.task_log = collections.deque(maxlen=task_log_lines)
        self.messages_sent = 0
        self._lock = threading.RLock()
        self._publish_lock = threading.Lock()
        self._cells = collections.OrderedDict()  # group id -> CellRun
        self._current = None
        self._job_cell = {}  # (store.storeId, jobId) -> CellRun
        self._wake = threading.Event()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sparklet-live-display", daemon=True)
        self._thread.start()

    # -- cells ---------------------------------------------------------------------------------
    def begin_cell(self, execution_count, parent):
        run = CellRun(execution_count, parent)
        with self._lock:
            self._cells[run.group_id] = run
            while len(self._cells) > RETAINED_CELLS:
                self._cells.popitem(last=False)
            self._current = run
        return run

    def end_cell(self, run):
        """The cell finished: publish its final state now, ignoring the throttle, so the finished
        table is part of the cell's output before the kernel reports idle."""
        with self._lock:
            run.ended = time.time() * 1000
            if self._current is run:
                self._current = None
        self.flush(run)

    def flush(self, run):
        """Publish what is pending for `run` now, whatever the throttle says."""
        self._publish(run, final=True)

    @property
    def current(self):
        return self._current

    def cell_of_group(self, group_id):
        with self._lock:
            return self._cells.get(group_id)

    # -- events --------------------------------------------------------------------------------
    def watch(self, store):
        """Subscribe to a context's store (each SparkContext gets its own store: job ids restart)."""
        store.subscribe(lambda kind, key: self._on_change(store, kind, key))

    def _on_change(self, store, kind, key):
        if kind == "job":
            run = self._job_cell.get((store.storeId, key))
            if run is None:
                run = self._attribute(store, key)
                if run is None:
                    return
            run.dirty = True
            self._wake.set()
        elif kind == "output":
            self._on_output(key)

    def _attribute(self, store, job_id):
        origin = store.job_origin(job_id)
        if origin is None:
            return None
        group_id, started = origin
        with self._lock:
            run = self._cells.get(group_id) if group_id else None
            if run is None:
                run = self._cell_at(started)
            if run is None:
                return None
            self._job_cell[(store.storeId, job_id)] = run
            run.jobs.append((store, job_id))
        return run

    def _cell_at(self, when_ms):
        runs = list(self._cells.values())
        for run in reversed(runs):
            if run.started <= when_ms and (run.ended is None or when_ms <= run.ended):
                return run
        return self._current or (runs[-1] if runs else None)

    def _on_output(self, event):
        text = event.text
        lines = text.splitlines() or [""]
        group = (event.properties or {}).get("spark.jobGroup.id")
        with self._lock:
            run = self._cells.get(group) if group else None
            if run is None:
                run = self._cell_at(time.time() * 1000)
            for text in lines:
                line = TaskOutputLine(event.stageId, event.partitionId, event.stream, text)
                self.task_log.append(line)
                if run is None:
                    continue
                if len(run.output_lines) < self.max_output_lines:
                    run.output_lines.append(line)
                else:
                    run.output_hidden += 1
            if run is not None:
                run.output_dirty = True
        self._wake.set()

    # -- publishing ----------------------------------------------------------------------------
    def cell_state(self, run):
        jobs = []
        with self._lock:
            pairs = list(run.jobs)
        shown = pairs[-progress.MAX_JOBS_SHOWN:]
        for store, job_id in shown:
            job = store.job_json(job_id)
            if job is None:
                continue
            key = (store.storeId, job_id, job["status"])
            dag = run.dags.get(key)
            if dag is None:
                dag = run.dags[key] = job_dag(store, job)
            job["dag"] = dag
            jobs.append(job)
        return {"version": progress.SCHEMA_VERSION, "executionCount": run.execution_count,
                "groupId": run.group_id, "hiddenJobs": len(pairs) - len(shown), "jobs": jobs}

    def _publish(self, run, final=False):
        if self.mode == "off":
            run.dirty = run.output_dirty = False
            return
        with self._publish_lock:
            try:
                if run.dirty and run.jobs:
                    run.dirty = False
                    state = self.cell_state(run)
                    data = progress.bundle(state)
                    if self.mode == "text":
                        data = {"text/plain": data["text/plain"]}
                    self._send(run, data, run.display_id, run.jobs_shown, final)
                    run.jobs_shown = True
                if run.output_dirty:
                    run.output_dirty = False
                    with self._lock:
                        lines, hidden = list(run.output_lines), run.output_hidden
                    data = progress.render_task_output(lines, hidden)
                    self._send(run, data, run.output_display_id, run.output_shown, final)
                    run.output_shown = True
            except Exception:
                log.exception("publishing the job display failed")
            run.last_publish = time.monotonic()

    def _send(self, run, data, display_id, update, final):
        self.publisher.display(run.parent, data, display_id, update, final)
        self.messages_sent += 1

    def _mark_running_cells_dirty(self):
        now = time.monotonic()
        with self._lock:
            quiet = [(run, run.jobs[-progress.MAX_JOBS_SHOWN:]) for run in self._cells.values()
                     if run.jobs and not run.dirty and now - run.last_publish >= ELAPSED_TICK]
        active = {}  # store.storeId -> ids of its running jobs
        for run, shown in quiet:
            for store, job_id in shown:
                if store.storeId not in active:
                    active[store.storeId] = set(store.active_job_ids())
                if job_id in active[store.storeId]:
                    run.dirty = True
                    break

    def _run(self):
        while not self._stopped:
            self._wake.wait(ELAPSED_TICK)
            self._wake.clear()
            self._mark_running_cells_dirty()
            while not self._stopped:
                with self._lock:
                    runs = [r for r in self._cells.values() if r.dirty or r.output_dirty]
                if not runs:
                    break
                now = time.monotonic()
                due = [r for r in runs if now - r.last_publish >= self.interval]
                for run in due:
                    self._publish(run)
                if len(due) < len(runs):
                    wait = min(self.interval - (now - r.last_publish) for r in runs if r not in due)
                    time.sleep(max(wait, 0.005))

    def stop(self):
        self._stopped = True
        self._wake.set()

