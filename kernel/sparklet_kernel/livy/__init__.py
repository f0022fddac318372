"""``sparklet livy``: a Livy-compatible server, so that sparkmagic drives Sparklet sessions unchanged.

    sparklet livy [--host 127.0.0.1] [--port 8998] [--token T] [--max-sessions N]

then, in a notebook, ``%load_ext sparkmagic.magics`` and ``%spark add -s s -l python -u
http://localhost:8998`` (or sparkmagic's PySpark kernel with its default URL).

Modules: ``server`` (the HTTP API: routes, status codes, access checks), ``sessions`` (a session's
driver process, statements, log, heartbeat and the reaper), ``driver`` (the process behind each
session: its SparkContext, its namespace and Livy's REPL rules), ``page`` (the session's jobs page
behind ``appInfo.sparkUiUrl``, drawn with the kernel's job displays).
"""

import os
import signal
import sys
import threading

#: the environment variable that may carry the token instead of --token (not shown by ps)
TOKEN_ENV = "SPARKLET_LIVY_TOKEN"


def serve(host="127.0.0.1", port=8998, token=None, max_sessions=None, csrf=False, master=None,
          ready=None):
    """Run the server until SIGTERM, SIGINT or the death of the process that started it; every
    session's driver and executors are stopped before this returns.

    ``ready(server)`` is called once it listens (``server.port`` is the port, useful with
    ``port=0``). From a shell: ``sparklet livy --port 8998``.
    """
    from .server import LivyServer
    from .sessions import protect_process

    protect_process()
    token = token or os.environ.get(TOKEN_ENV) or None
    driver_env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    master = master or os.environ.get("SPARKLET_MASTER") or "local[*]"
    server = LivyServer(host, port, token=token, max_sessions=max_sessions, csrf=csrf, master=master,
                        driver_env=driver_env)
    stop = threading.Event()
    parent = os.getppid()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda signum, frame: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="livy-http",
                              daemon=True)
    thread.start()
    shown = "[%s]" % host if ":" in host else host
    print("Sparklet's Livy server on http://%s:%d (%s); sparkmagic: %%spark add -s NAME -l python -u http://%s:%d%s"
          % (shown, server.port, "token required" if token else "no token: loopback only", shown, server.port,
             " -a USER -p TOKEN -t Basic_Access" if token else ""), file=sys.stderr, flush=True)
    if ready is not None:
        ready(server)
    try:
        # the process that started the server may die without signalling it: stop with it
        while not stop.wait(0.5):
            if os.getppid() != parent:
                break
    finally:
        server.shutdown()
        server.manager.close()
        server.server_close()
