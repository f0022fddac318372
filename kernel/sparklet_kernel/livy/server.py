"""The HTTP side of ``sparklet livy``: Apache Livy's REST API for interactive sessions.

Routes, status codes and JSON bodies follow Livy as sparkmagic 0.23 uses it (201 for both
POSTs, 200 elsewhere, 404 for an unknown session or statement, Livy's ``{"msg": ...}`` error
bodies); the sessions themselves live in `sessions.SessionManager`.

Bad input never reaches a 500: a body that is not a JSON object, a field of the wrong type or a
query parameter that is not a number is a 400 saying which; a body larger than the limit is a
413, a known path with a method it does not take a 405 with ``Allow``, anything else a 404.

Security, in order: a server bound to anything but 127.0.0.1, ::1 or localhost refuses to start
without a token;
with a token, every request needs ``Authorization: Bearer TOKEN`` or HTTP Basic with the token as
password (what sparkmagic's ``Basic_Access`` sends), except a session's jobs page, which takes the
session's own view key from its ``sparkUiUrl`` (so the link shown in a notebook gives nothing
else away). Without a token the server only answers requests whose ``Host`` is a loopback name,
and bodies must be ``application/json``: a web page the user visits can then neither reach it
through DNS rebinding nor post a form to it. ``csrf=True`` adds Livy's own check (non-GET
requests need an ``X-Requested-By`` header).
"""

import base64
import binascii
import hmac
import ipaddress
import json
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from ..config import COUNT_KEYS, ConfigurationError, SESSION_KEYS, normalize
from .sessions import SessionError, SessionManager

#: default largest request body (code of a statement, a session's settings)
MAX_BODY_BYTES = 16 * 1024 * 1024
#: the only addresses the server binds without a token (any other, even another loopback address
#: such as 127.0.0.2, may be reachable from elsewhere through a proxy or a port forward)
OPEN_HOSTS = ("127.0.0.1", "::1", "localhost")
#: Livy's session fields this server uses; any other field of a session body is ignored
SESSION_FIELDS = set(SESSION_KEYS) | {"conf"}

_ROUTES = [
    (re.compile(r"^/sessions$"), ("GET", "POST"), "sessions"),
    (re.compile(r"^/sessions/([^/]+)$"), ("GET", "DELETE"), "session"),
    (re.compile(r"^/sessions/([^/]+)/state$"), ("GET",), "session_state"),
    (re.compile(r"^/sessions/([^/]+)/log$"), ("GET",), "session_log"),
    (re.compile(r"^/sessions/([^/]+)/statements$"), ("GET", "POST"), "statements"),
    (re.compile(r"^/sessions/([^/]+)/statements/([^/]+)$"), ("GET",), "statement"),
    (re.compile(r"^/sessions/([^/]+)/statements/([^/]+)/cancel$"), ("POST",), "cancel"),
    (re.compile(r"^/ui/sessions/([^/]+)$"), ("GET",), "ui_page"),
    (re.compile(r"^/ui/sessions/([^/]+)/log$"), ("GET",), "ui_log"),
]


class HttpError(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def is_loopback(host):
    """Whether a Host header's name is this machine for certain: a loopback address or
    ``localhost``. Other names are not resolved: under DNS rebinding an attacker's name resolves
    to 127.0.0.1 too.

    >>> is_loopback("127.0.0.1"), is_loopback("[::1]"), is_loopback("localhost")
    (True, True, True)
    >>> is_loopback("attacker.example"), is_loopback("10.0.0.5")
    (False, False)
    """
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def session_settings(body, default_master, defaults_conf=None):
    """Livy's session body -> (settings for the driver, heartbeat timeout); raises HttpError(400).

    Unknown fields are ignored, as Livy ignores what a deployment does not use; the known ones
    are checked by the kernel's own ``%%configure`` rules (``config.normalize``).

    >>> settings, timeout = session_settings({"kind": "pyspark", "name": "demo", "numExecutors": 2,
    ...     "executorCores": 2, "conf": {"spark.task.maxFailures": 2}, "queue": "q",
    ...     "heartbeatTimeoutInSecond": 60}, "local[*]")
    >>> settings["master"], settings["name"], settings["conf"]["spark.task.maxFailures"], timeout
    ('local[4]', 'demo', '2', 60)
    >>> session_settings({"kind": "spark"}, "local[*]")
    Traceback (most recent call last):
    ...
    sparklet_kernel.livy.server.HttpError: kind 'spark' is not supported: Sparklet's Livy sessions run Python (kind 'pyspark')
    """
    kind = body.get("kind", "pyspark")
    if kind not in ("pyspark", "python"):
        raise HttpError(400, "kind %r is not supported: Sparklet's Livy sessions run Python (kind 'pyspark')" % (kind,))
    timeout = body.get("heartbeatTimeoutInSecond", 0)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 0:
        raise HttpError(400, "heartbeatTimeoutInSecond must be a non-negative integer, got %r" % (timeout,))
    for key in ("proxyUser", "name"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise HttpError(400, "%s must be a string, got %r" % (key, body[key]))
    known = {k: v for k, v in body.items() if k in SESSION_FIELDS and v is not None}
    for key in COUNT_KEYS:  # Livy's JSON reader takes "2" for 2
        if isinstance(known.get(key), str) and known[key].strip().isdigit():
            known[key] = int(known[key])
    try:
        settings = normalize(known, "the session's settings")
    except ConfigurationError as e:
        raise HttpError(400, str(e)) from None
    conf = dict(defaults_conf or {})
    conf.update(settings["conf"])
    return {"master": settings["master"] or default_master, "conf": conf,
            "name": settings["name"]}, timeout


class LivyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host="127.0.0.1", port=8998, token=None, max_sessions=None, csrf=False,
                 master="local[*]", max_body_bytes=MAX_BODY_BYTES, driver_env=None):
        if not token and host not in OPEN_HOSTS:
            raise ValueError("binding %s needs a token: without one the server only binds 127.0.0.1, ::1 or "
                             "localhost. Pass --token (clients send it as 'Authorization: Bearer TOKEN' or as "
                             "the HTTP Basic password)" % host)
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), LivyHandler)
        self.host = host
        self.token = token or None
        self.csrf = csrf
        self.master = master
        self.max_body_bytes = max_body_bytes
        self.manager = SessionManager(max_sessions, driver_env)

    @property
    def port(self):
        return self.server_address[1]


class LivyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SparkletLivy/0.1"
    timeout = 60  # a client that stops sending mid-request does not hold a thread forever

    def log_message(self, format, *args):  # requests are not the sessions' business: stay quiet
        pass

    # every method goes through one dispatcher, so that a known path answers 405, never 501
    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    def send_error(self, code, message=None, explain=None):
        """Errors http.server raises itself (bad request line, header too long) as Livy's JSON."""
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # an unparsable request line still gets a status line
        self._reply(code, {"msg": message or HTTPStatus(code).phrase}, close=True)

    # -- plumbing ------------------------------------------------------------------------------
    def _reply(self, status, body, content_type="application/json", headers=None, close=False):
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode("utf-8")
        else:
            data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type + ("; charset=utf-8" if "charset" not in content_type else ""))
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _dispatch(self, method):
        self.user = None
        self._body_read = False
        try:
            self._route(method)
        except HttpError as e:
            # a body left unread would be taken for the next request on this connection
            unread = not self._body_read and (self.headers.get("Content-Length") or "0").strip() != "0"
            self._reply(e.status, {"msg": e.message}, headers=e.headers,
                        close=unread or e.status in (400, 411, 413, 415))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a bug of ours: say so, keep serving
            self._reply(500, {"msg": "internal error: %s: %s" % (type(e).__name__, e)}, close=True)

    def _route(self, method):
        url = urlsplit(self.path)
        self.query = parse_qs(url.query, keep_blank_values=True)
        path = url.path.rstrip("/") or "/"
        for pattern, methods, name in _ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            if method not in methods:
                self._discard_body()
                raise HttpError(405, "%s is not supported on %s; use %s" % (method, path, ", ".join(methods)),
                                {"Allow": ", ".join(methods)})
            ui = name.startswith("ui_")
            self._check_access(method, ui, match)
            return getattr(self, "route_" + name)(method, *match.groups())
        self._discard_body()
        raise HttpError(404, "no such resource: %s" % path)

    def _check_access(self, method, ui, match):
        server = self.server
        if server.token is None:
            host = (self.headers.get("Host") or "").strip()
            hostname = urlsplit("//" + host).hostname if host else None
            if hostname is None or not is_loopback(hostname):
                raise HttpError(403, "this server runs without a token and only answers requests addressed to "
                                     "a loopback host (localhost, 127.0.0.1), not %r" % host)
        elif ui:
            key = (self.query.get("key") or [""])[0]
            session = self._session_or_none(match.group(1))
            if session is None or not hmac.compare_digest(key.encode(), session.ui_key.encode()):
                if not self._authorized():
                    raise HttpError(401, "this page needs the key of its session's sparkUiUrl",
                                    {"WWW-Authenticate": 'Basic realm="sparklet-livy"'})
        elif not self._authorized():
            self._discard_body()
            raise HttpError(401, "this server needs its token: send 'Authorization: Bearer TOKEN' or HTTP Basic "
                                 "with the token as the password", {"WWW-Authenticate": 'Basic realm="sparklet-livy"'})
        if server.csrf and method not in ("GET", "HEAD", "OPTIONS", "TRACE") and "X-Requested-By" not in self.headers:
            self._discard_body()
            raise HttpError(400, "Missing Required Header for CSRF protection.")

    def _authorized(self):
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        token = self.server.token.encode("utf-8")
        if scheme.lower() == "bearer":
            given = value.strip().encode("utf-8")
        elif scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value.strip(), validate=True)
            except (binascii.Error, ValueError):
                return False
            self.user = decoded.partition(b":")[0].decode("utf-8", "replace") or None
            given = decoded.partition(b":")[2]
        else:
            return False
        return hmac.compare_digest(given, token)

    def _content_length(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise HttpError(411, "send the body with a Content-Length (chunked bodies are not accepted)")
        text = self.headers.get("Content-Length")
        if text is None:
            return 0
        try:
            length = int(text)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            raise HttpError(400, "Content-Length must be a non-negative integer, got %r" % text)
        return length

    def _discard_body(self):
        try:
            length = self._content_length()
        except HttpError:
            return
        if length > self.server.max_body_bytes:
            self.close_connection = True
            return
        if length:
            self.rfile.read(length)
        self._body_read = True

    def _json_body(self, required=True):
        length = self._content_length()
        if length > self.server.max_body_bytes:
            self.close_connection = True
            raise HttpError(413, "the request body has %d bytes; this server takes at most %d"
                            % (length, self.server.max_body_bytes))
        raw = self.rfile.read(length) if length else b""
        self._body_read = True
        if len(raw) < length:
            self.close_connection = True
            raise HttpError(400, "the request body ended after %d of its %d bytes" % (len(raw), length))
        if not raw.strip():
            if required:
                raise HttpError(400, "this request needs a JSON object as its body")
            return {}
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if self.server.token is None and ctype != "application/json":
            raise HttpError(415, "send the body as Content-Type: application/json (got %r)" % (ctype or None))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise HttpError(400, "the request body is not valid JSON: %s" % e) from None
        if not isinstance(body, dict):
            raise HttpError(400, "the request body must be a JSON object, got %s" % type(body).__name__)
        return body

    def _int_param(self, name):
        values = self.query.get(name)
        if not values:
            return None
        try:
            return int(values[0])
        except ValueError:
            raise HttpError(400, "query parameter %s must be an integer, got %r" % (name, values[0])) from None

    def _session_or_none(self, text):
        if not re.fullmatch(r"\d{1,18}", text):
            return None
        return self.server.manager.get(int(text))

    def _find_statement(self, session, text):
        st = session.statement(int(text)) if re.fullmatch(r"\d{1,18}", text) else None
        if st is None:
            raise HttpError(404, "Statement '%s' not found in session %d." % (text, session.id))
        return st

    def _base_url(self):
        host = self.headers.get("Host") or "%s:%d" % (self.server.host, self.server.port)
        return "http://" + host

    def _session_json(self, session):
        return session.to_json(self._base_url())

    def _find_session(self, text):
        session = self._session_or_none(text)
        if session is None:
            raise HttpError(404, "Session '%s' not found." % text)
        return session

    # -- sessions ------------------------------------------------------------------------------
    def route_sessions(self, method):
        manager = self.server.manager
        if method == "GET":
            start = self._int_param("from") or 0
            size = self._int_param("size")
            sessions = manager.all()
            window = sessions[start:] if size is None else sessions[start:start + max(size, 0)]
            return self._reply(200, {"from": start, "total": len(sessions),
                                     "sessions": [self._session_json(s) for s in window]})
        body = self._json_body(required=False)
        settings, timeout = session_settings(body, self.server.master)
        try:
            session = manager.create(settings, body, timeout, owner=getattr(self, "user", None))
        except SessionError as e:
            raise HttpError(400, str(e)) from None
        return self._reply(201, self._session_json(session), headers={"Location": "/sessions/%d" % session.id})

    def route_session(self, method, sid):
        session = self._find_session(sid)
        if method == "DELETE":
            self.server.manager.delete(session.id)
            return self._reply(200, {"msg": "deleted"})
        session.heartbeat()
        return self._reply(200, self._session_json(session))

    def route_session_state(self, method, sid):
        session = self._find_session(sid)
        session.heartbeat()
        return self._reply(200, {"id": session.id, "state": session.state})

    def route_session_log(self, method, sid):
        session = self._find_session(sid)
        start, total, lines = session.log_slice(self._int_param("from"), self._int_param("size"))
        return self._reply(200, {"id": session.id, "from": start, "total": total, "log": lines})

    # -- statements ----------------------------------------------------------------------------
    def route_statements(self, method, sid):
        session = self._find_session(sid)
        if method == "GET":
            statements = session.statements()
            return self._reply(200, {"total_statements": len(statements),
                                     "statements": [st.to_json() for st in statements]})
        body = self._json_body()
        code = body.get("code")
        if not isinstance(code, str):
            raise HttpError(400, "the statement needs its code as a string: {\"code\": \"...\"}")
        kind = body.get("kind")
        if kind is not None and kind not in ("pyspark", "python"):
            raise HttpError(400, "statement kind %r is not supported: Sparklet runs Python (kind 'pyspark')" % (kind,))
        session.heartbeat()
        try:
            st = session.submit(code)
        except SessionError as e:
            raise HttpError(400, str(e)) from None
        return self._reply(201, st.to_json(),
                           headers={"Location": "/sessions/%d/statements/%d" % (session.id, st.id)})

    def route_statement(self, method, sid, stid):
        session = self._find_session(sid)
        st = self._find_statement(session, stid)
        session.heartbeat()  # a client polling its statement is alive
        return self._reply(200, st.to_json())

    def route_cancel(self, method, sid, stid):
        session = self._find_session(sid)
        self._json_body(required=False)
        self._find_statement(session, stid)
        session.cancel(int(stid))
        return self._reply(200, {"msg": "canceled"})

    # -- pages for people ----------------------------------------------------------------------
    def route_ui_page(self, method, sid):
        session = self._find_session(sid)
        title = "Sparklet session %d%s" % (session.id, " (%s)" % session.name if session.name else "")
        html = session.page(title)
        if html is None:
            from html import escape

            html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
                    "<h2>%s</h2><p>The session is %s: its jobs cannot be shown.</p><pre>%s</pre></body></html>"
                    % (escape(title), escape(title), session.state, escape("\n".join(session.log_slice()[2]))))
        return self._reply(200, html, content_type="text/html")

    def route_ui_log(self, method, sid):
        session = self._find_session(sid)
        return self._reply(200, "\n".join(session.log_slice(0, -1)[2]) + "\n", content_type="text/plain")

