"""The session channel the JupyterLab side panel reads: a comm and a control-channel request.

The frontend opens a comm with target ``sparklet.session``; the kernel answers with a full snapshot
and then pushes a fresh snapshot whenever the session changes, coalesced to at most one message
every `interval` seconds, from a background thread (so updates flow while a cell is running), and
every `ELAPSED_TICK` seconds while a job runs, so that a job whose long tasks send no events
still shows its duration growing.

A busy kernel's shell does not read comm messages until the running cell ends, so requests that
must work during a long job (a fresh snapshot, cancelling a job) also exist as the control-channel
request ``sparklet_request``, answered on the control thread. See protocol.md for both.
"""

import logging
import threading
import time

from . import frontend_actions
from .jobdetail import job_detail
from .live import ELAPSED_TICK

log = logging.getLogger("sparklet_kernel.panel")

COMM_TARGET = "sparklet.session"
class SessionChannel:
    def __init__(self, session, kernel, interval=0.25):
        self.session = session
        self.kernel = kernel
        self.interval = interval
        self._comms = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._watched = None  # the store whose changes wake the push loop
        session.context_listeners.append(self._on_context)
        if session.store is not None:
            self._watch(session.store)

    def register(self):
        from comm import get_comm_manager

        get_comm_manager().register_target(COMM_TARGET, self._on_open)

    # -- comm ----------------------------------------------------------------------------------
    def _on_open(self, comm, open_msg):
        with self._lock:
            self._comms.append(comm)
        comm.on_msg(lambda msg: self._on_msg(comm, msg))
        comm.on_close(lambda msg: self._on_close(comm))
        comm.send({"type": "snapshot", "snapshot": self.session.snapshot()})
        if self._thread is None:
            self._thread = threading.Thread(target=self._push_loop, name="sparklet-session-comm", daemon=True)
            self._thread.start()

    def _on_close(self, comm):
        with self._lock:
            self._comms = [c for c in self._comms if c is not comm]

    def _on_msg(self, comm, msg):
        data = msg["content"]["data"] or {}
        comm.send(dict(self.handle(data), type="reply", request=data.get("action")))

    def _on_context(self, sc):
        self._watch(self.session.store)
        self._wake.set()

    def _watch(self, store):
        # by the store itself, never by id(): a store replaced by `%%configure -f` may be freed
        # and its id() given to the next one, which would then go unwatched and the panel freeze
        with self._lock:
            if store is None or store is self._watched:
                return
            previous, self._watched = self._watched, store
        if previous is not None:
            previous.unsubscribe(self._on_store_change)
        store.subscribe(self._on_store_change)

    def _on_store_change(self, kind, key):
        if kind != "output":
            self._wake.set()

    def _push_loop(self):
        while True:
            store = self.session.store
            self._wake.wait(ELAPSED_TICK if store is not None and store.active_job_ids() else None)
            self._wake.clear()
            with self._lock:
                comms = list(self._comms)
            if comms:
                try:
                    snapshot = self.session.snapshot()
                    for comm in comms:
                        comm.send({"type": "update", "snapshot": snapshot})
                except Exception:
                    log.exception("pushing the session snapshot failed")
            time.sleep(self.interval)

    # -- requests (comm and control channel) ---------------------------------------------------
    def handle(self, request):
        action = request.get("action")
        if action in frontend_actions.ACTIONS:
            return frontend_actions.handle(request)
        sc = self.session.active_context()
        if action == "snapshot":
            return {"status": "ok", "snapshot": self.session.snapshot()}
        if action == "job":
            job_id = request.get("jobId")
            if not isinstance(job_id, int) or isinstance(job_id, bool):
                return {"status": "error", "ename": "ValueError",
                        "evalue": "job needs an integer jobId, got %r" % (job_id,)}
            detail = job_detail(self.session.store, job_id)
            if detail is None:
                return {"status": "error", "ename": "KeyError", "evalue": "no job %d in this session" % job_id}
            return dict(detail, status="ok")
        if action in ("cancel_job", "cancel_all"):
            if sc is None:
                return {"status": "error", "ename": "RuntimeError", "evalue": "there is no active SparkContext"}
            if action == "cancel_all":
                sc.cancelAllJobs()
                return {"status": "ok"}
            job_id = request.get("jobId")
            if not isinstance(job_id, int) or isinstance(job_id, bool):
                return {"status": "error", "ename": "ValueError",
                        "evalue": "cancel_job needs an integer jobId, got %r" % (job_id,)}
            sc.cancelJob(job_id)
            return {"status": "ok", "jobId": job_id}
        return {"status": "error", "ename": "ValueError",
                "evalue": "unknown action %r (expected snapshot, job, cancel_job or cancel_all)" % (action,)}

    def control_request(self, stream, ident, parent):
        """Handler for the control channel's ``sparklet_request`` (kernel.control_handlers)."""
        try:
            reply = self.handle(parent["content"] or {})
        except Exception as e:
            reply = {"status": "error", "ename": type(e).__name__, "evalue": str(e)}
        self.kernel.session.send(stream, "sparklet_reply", reply, parent, ident)
