"""The HTTP plumbing every provider simulator shares.

A simulator is a plain object with a ``handle(request) -> Answer`` function; a
:class:`LocalServer` serves it on 127.0.0.1 in daemon threads (keep-alive HTTP/1.1, no Nagle
stalls, no per-request log lines) and stops cleanly: ``stop()`` wakes replies that hang on
purpose, closes every open connection and joins every thread, so tests never leak a socket.
An :class:`Answer` is a JSON (or raw) reply, or a fault: close the connection with no reply,
optionally after hanging. :func:`serve_in_foreground` runs one as its own process
(``python -m sync.simulators.<provider> --port N`` prints its base URL as the first line).
"""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # without the query string
    query: str
    body: bytes
    headers: Mapping[str, str]  # names lower-cased: HTTP header names are case-insensitive


@dataclass(slots=True)
class Answer:
    """What to do with a request: reply, or (fault) close the connection without a reply."""

    status: int = 200
    body: Mapping[str, Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    text: bytes | None = None  # a non-JSON body (an HTML error page)
    content_type: str = "text/html; charset=utf-8"  # of ``text``
    drop: bool = False
    hang: float = 0.0  # seconds to wait before dropping


Handle = Callable[[Request], Answer]


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive threads must never keep a process alive
    block_on_close = False  # stop() joins handler threads itself, after waking them
    owner: LocalServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a thousand charges must not cost 1000 handshakes
    disable_nagle_algorithm = True  # headers and body are separate writes; no 40 ms stalls
    timeout = 60  # an abandoned connection frees its thread eventually even without stop()
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.owner._register(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass  # the client went away first: not the simulator's problem
        finally:
            self.server.owner._unregister(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # stderr per request is noise in tests and slows the 1,000-charge runs

    def do_GET(self) -> None:
        self.server.owner._serve(self, "GET")

    def do_POST(self) -> None:
        self.server.owner._serve(self, "POST")

    def do_PUT(self) -> None:
        self.server.owner._serve(self, "PUT")

    def do_DELETE(self) -> None:
        self.server.owner._serve(self, "DELETE")

    def do_PATCH(self) -> None:
        self.server.owner._serve(self, "PATCH")


class LocalServer:
    """Serves one simulator's ``handle`` on 127.0.0.1. Thread-safe."""

    def __init__(self, handle: Handle, *, name: str) -> None:
        self._handle = handle
        self._name = name
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._conns: dict[socket.socket, threading.Thread] = {}
        self.stopping = threading.Event()  # set by stop(): slow and hanging replies end now
        self.base_url = ""

    def start(self, port: int = 0) -> str:
        """Bind 127.0.0.1 (port 0: any free port) and serve in a daemon thread."""
        if self._server is not None:
            return self.base_url
        self.stopping.clear()
        server = _Server(("127.0.0.1", port), _Handler)
        server.owner = self
        self._server = server
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05},
            name=self._name, daemon=True,
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving, wake hanging replies, close every connection, join every thread."""
        server, self._server = self._server, None
        if server is None:
            return
        self.stopping.set()
        server.shutdown()
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            with self._lock:
                conns = list(self._conns.items())
            if not conns:
                break
            for conn, _ in conns:
                try:
                    # Wakes a handler blocked reading the next keep-alive request.
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            for _, thread in conns:
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds`` (a slow reply), cut short by stop()."""
        if seconds > 0:
            self.stopping.wait(seconds)

    def _register(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns[conn] = threading.current_thread()
        if self.stopping.is_set():  # accepted in the instant stop() began
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _unregister(self, conn: socket.socket) -> None:
        with self._lock:
            self._conns.pop(conn, None)

    def _serve(self, handler: _Handler, method: str) -> None:
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        raw = handler.rfile.read(length) if length > 0 else b""
        parts = urlsplit(handler.path)
        headers = {name.lower(): value for name, value in handler.headers.items()}
        self._send(handler, self._handle(Request(method, parts.path, parts.query, raw,
                                                 headers)))

    def _send(self, handler: _Handler, answer: Answer) -> None:
        if answer.drop:
            self.wait(answer.hang)  # stop() cuts the hang short
            handler.close_connection = True  # closed with no reply at all
            return
        if answer.text is not None:
            payload, ctype = answer.text, answer.content_type
        else:
            payload = json.dumps(answer.body if answer.body is not None else {}).encode()
            ctype = "application/json"
        try:
            handler.send_response(answer.status)
            handler.send_header("Content-Type", ctype)
            handler.send_header("Content-Length", str(len(payload)))
            for name, value in answer.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            handler.close_connection = True  # the client gave up (timed out) first


def serve_in_foreground(start: Callable[[int], str], stop: Callable[[], None],
                        port: int) -> int:
    """Start, print the base URL as the first line (scripts read it), serve until Ctrl-C
    (SIGINT) or SIGTERM."""
    # A process started in the background by a non-interactive shell inherits SIGINT as
    # *ignored*, and Python then installs no KeyboardInterrupt handler: Ctrl-C sent by a
    # script (or a test) would never stop the simulator. Install both handlers explicitly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    url = start(port)
    try:
        # Inside the try: a Ctrl-C may arrive the moment the line is out (a script read it
        # and is done), before this thread even returns from print.
        print(url, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    return 0


__all__ = ["Answer", "Handle", "LocalServer", "Request", "serve_in_foreground"]
