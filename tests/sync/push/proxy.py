"""A TCP proxy on 127.0.0.1 that a test controls: forward, cut, delay, lose COMMIT replies.

``drop_commit_reply`` is the nasty case of a push: the client's COMMIT reaches the server
and is answered (so central committed), but the answer never reaches the client, which
closes with an error and cannot know the batch landed. The proxy recognises a COMMIT by
its simple-query message (``Q``, length, ``COMMIT\\0``), forwards it, waits for the
server's answer, and closes the client's socket instead of relaying it.
"""

from __future__ import annotations

import random
import socket
import threading
import time

COMMIT_MSG = b"Q\x00\x00\x00\x0bCOMMIT\x00"


class Proxy:
    def __init__(self, target_host: str, target_port: int, *, seed: int = 7) -> None:
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.delay_s = 0.0
        self.refuse = False
        self.drop_commit_reply = 0.0  # fraction of COMMITs whose reply is lost
        self.commits = 0
        self.replies_dropped = 0
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # --- control ---------------------------------------------------------------------------
    def cut(self) -> None:
        """Break every open connection now (and keep accepting new ones)."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

    def heal(self) -> None:
        self.delay_s = 0.0
        self.refuse = False
        self.drop_commit_reply = 0.0

    def close(self) -> None:
        self._closed = True
        self.cut()
        self.listener.close()

    # --- plumbing --------------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.refuse:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            # Without TCP_NODELAY every small libpq message waits on a delayed ACK (~40 ms).
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._pairs.append((client, server))
            drop = threading.Event()
            threading.Thread(target=self._up, args=(client, server, drop), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, drop),
                             daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, drop: threading.Event) -> None:
        try:
            while data := client.recv(65536):
                if self.delay_s:
                    time.sleep(self.delay_s)
                if COMMIT_MSG in data:
                    with self._lock:
                        self.commits += 1
                        if self._rng.random() < self.drop_commit_reply:
                            drop.set()  # before forwarding: the reply comes after
                server.sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _down(self, server: socket.socket, client: socket.socket,
              drop: threading.Event) -> None:
        try:
            while data := server.recv(65536):
                if drop.is_set():
                    # The server answered the COMMIT: it is durable. The client never hears.
                    with self._lock:
                        self.replies_dropped += 1
                    break
                if self.delay_s:
                    time.sleep(self.delay_s)
                client.sendall(data)
        except OSError:
            pass
        finally:
            for s in (client, server):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()
