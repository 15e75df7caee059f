"""A loopback TCP proxy in front of the server: the phone's network, which a test can cut.

`context.set_offline(True)` alone may not stop fetches made by a service worker (see
testing-notes.md), so an offline step that only set it could pass without testing anything.
The browser talks to the proxy's port instead of the server's; `cut()` closes the listener and
every open connection (the server is then unreachable: connection refused), and `restore()`
listens again on the SAME port, so the page's origin, and with it the service worker and
IndexedDB, stays the same across cuts and server restarts.

The proxy also reads the requests going to the server (HTTP/1.1, one after another on a
connection, bodies framed by Content-Length, which is all Chromium's fetch sends), so a test
can count what the phone sent (`requests`) and hold requests to a path until `release()`:
a push that is in flight, with its changes still in the outbox. `lose_answers()` lets
requests to a path reach the server but drops the connection before the answer gets back
(a flaky mobile link): the server did the work, the phone never heard.
"""

import socket
import threading
import time
from dataclasses import dataclass

from tests.server.serving import free_port

# How long a blocking socket call may wait before the pump looks again at whether the proxy
# was cut; shorter burns CPU, longer makes cut() slower to take effect.
POLL_SECONDS = 0.2
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes


class LoopbackProxy:
    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.requests: list[Request] = []
        self._lock = threading.Condition()
        self._listener = None
        self._sockets: set[socket.socket] = set()
        self._held_prefixes: tuple[str, ...] = ()
        self._lost_prefixes: tuple[str, ...] = ()
        self._holding = 0  # requests waiting at the proxy right now
        self._generation = 0  # bumped by cut(): pumps of an older generation stop

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- the network switch ------------------------------------------------------------

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        with self._lock:
            self._listener = listener
            generation = self._generation
        threading.Thread(target=self._accept, args=(listener, generation), daemon=True).start()
        return self

    restore = start

    def cut(self):
        """Nothing reaches the server any more; every open connection is dropped."""
        with self._lock:
            self._generation += 1
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
            self._lock.notify_all()
        if listener is not None:
            _close(listener)  # shutdown first: a plain close leaves a blocked accept() listening
        for sock in sockets:
            _close(sock)

    def is_reachable(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    # --- seeing and holding requests ---------------------------------------------------------

    def hold(self, *path_prefixes: str):
        """Keep requests to these paths at the proxy (unsent) until `release()`."""
        with self._lock:
            self._held_prefixes = path_prefixes

    def lose_answers(self, *path_prefixes: str):
        """Requests to these paths reach the server; their answers never reach the phone
        (`lose_answers()` with no paths: answers arrive again)."""
        with self._lock:
            self._lost_prefixes = path_prefixes

    def release(self):
        with self._lock:
            self._held_prefixes = ()
            self._lock.notify_all()

    def wait_until_holding(self, timeout=15.0) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not self._holding:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("no request reached the proxy to be held")
                self._lock.wait(left)

    def sent(self, method: str, path_prefix: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]

    # --- the pumps --------------------------------------------------------------------------

    def _accept(self, listener, generation):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed by cut()
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)  # the server is down (a deploy): the phone sees a failed request
                continue
            with self._lock:
                if generation != self._generation:
                    _close(client)
                    _close(upstream)
                    return
                self._sockets.update((client, upstream))
            threading.Thread(target=self._requests, args=(client, upstream, generation),
                             daemon=True).start()
            threading.Thread(target=self._responses, args=(upstream, client), daemon=True).start()

    def _responses(self, upstream, client):
        try:
            while data := upstream.recv(CHUNK):
                client.sendall(data)
        except OSError:
            pass
        finally:
            _close(client)
            _close(upstream)

    def _requests(self, client, upstream, generation):
        buffer = b""
        answer_lost = False
        try:
            while True:
                head_end = buffer.find(b"\r\n\r\n")
                if head_end < 0:
                    data = client.recv(CHUNK)
                    if not data:
                        return
                    buffer += data
                    continue
                head = buffer[:head_end].decode("latin-1")
                length = _content_length(head)
                while len(buffer) < head_end + 4 + length:
                    data = client.recv(CHUNK)
                    if not data:
                        return
                    buffer += data
                size = head_end + 4 + length
                message, buffer = buffer[:size], buffer[size:]
                method, path = (head.split(" ", 2) + ["", ""])[:2]
                if not self._wait_while_held(path, generation):
                    return
                with self._lock:
                    self.requests.append(Request(method, path, message[head_end + 4:]))
                    answer_lost = bool(self._lost_prefixes) and path.startswith(self._lost_prefixes)
                if answer_lost:
                    # The phone's side closes first, so no part of the answer can reach it;
                    # the server still gets the whole request and answers into the void.
                    _close(client)
                    upstream.sendall(message)
                    return
                upstream.sendall(message)
        except OSError:
            pass
        finally:
            _close(client)
            if not answer_lost:
                _close(upstream)  # else the answer pump closes it once the server has answered

    def _wait_while_held(self, path, generation) -> bool:
        """False when the proxy was cut while the request waited (it is dropped, never sent)."""
        with self._lock:
            counted = False
            while path.startswith(self._held_prefixes):
                if generation != self._generation:
                    break
                if not counted:
                    counted = True
                    self._holding += 1
                    self._lock.notify_all()
                self._lock.wait(POLL_SECONDS)
            if counted:
                self._holding -= 1
            return generation == self._generation


def _content_length(head: str) -> int:
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            return int(value.strip())
    return 0


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
