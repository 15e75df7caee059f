"""A loopback HTTP proxy between a chaos device and the server that does to each request what a
plan says: the mobile network's faults, on purpose, in a reproducible order.

- `PASS`: forwarded, answered.
- `LOSE`: forwarded; the server does the work, the answer never reaches the device (its
  connection is dropped once the server has answered).
- `TWICE`: forwarded twice at once on two connections (a retransmission, a double tap); the
  device gets the first answer while the copy may still be running, so the next request can
  overlap it.
- `LATE`: held back; the device's connection is dropped at once (a timeout), and the request
  reaches the server only after the device's next request to the same path has been
  answered: an old batch arriving after a newer, overlapping one (reordered).
- `HOLD`: like `LATE`, but it reaches the server only at `drain()`, after everything else.
- `KILL`: forwarded, then `on_kill()` (the test SIGKILLs the server) before any answer.

Requests are read as the chaos device sends them: HTTP/1.1, one per connection
(`Connection: close`), a body framed by Content-Length.
"""

import socket
import socketserver
import threading

PASS, LOSE, TWICE, LATE, HOLD, KILL = "pass", "lose", "twice", "late", "hold", "kill"


class ChaosProxy:
    def __init__(self, upstream_port: int, plan=None, on_kill=None):
        """`plan(n, method, path)` says what to do with the n-th request (from 0); PASS
        when there is none. `on_kill()` is called for a KILL."""
        self.upstream_port, self.plan, self.on_kill = upstream_port, plan, on_kill
        self.log: list[tuple[int, str, str, str]] = []  # (n, method, path, action)
        self._lock = threading.Lock()
        self._late: dict[str, list[bytes]] = {}  # path -> requests held back
        self._held: list[bytes] = []  # requests held back until drain()
        self._copies: list[threading.Thread] = []  # forwards still running on their own
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                proxy._handle(self.request)

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.drain()
        self._server.shutdown()
        self._server.server_close()

    def actions(self, path_prefix: str) -> list[str]:
        with self._lock:
            return [action for _, _, path, action in self.log if path.startswith(path_prefix)]

    def drain(self, timeout=60.0) -> None:
        """Deliver what is still held back and wait for every copy in flight."""
        with self._lock:
            late = {**self._late, "": self._held}
            self._late, self._held = {}, []
        for messages in late.values():
            for message in messages:
                self._forward_apart(message)
        while True:
            with self._lock:
                copies, self._copies = self._copies, []
            if not copies:
                return
            for copy in copies:
                copy.join(timeout)

    # --- one request ------------------------------------------------------------------------

    def _handle(self, client: socket.socket) -> None:
        try:
            message = _read_request(client)
        except OSError:
            return
        if message is None:
            return
        method, path = message.split(b" ", 2)[:2]
        method, path = method.decode(), path.decode()
        with self._lock:
            n = len(self.log)
            action = self.plan(n, method, path) if self.plan else PASS
            self.log.append((n, method, path, action))
            route = path.split("?")[0]
            late = self._late.pop(route, []) if action != LATE else []
            if action == LATE:
                self._late.setdefault(route, []).append(message)
            if action == HOLD:
                self._held.append(message)
        try:
            if action in (LATE, HOLD):
                return  # dropped at once; it goes on with the next request to this route
            if action == TWICE:
                self._forward_apart(message)
            if action == KILL:
                _forward(self.upstream_port, message, wait=False)
                self.on_kill()
                return
            answer = _forward(self.upstream_port, message)
            if action != LOSE and answer:
                client.sendall(answer)
        except OSError:
            pass
        finally:
            _close(client)
            for held in late:  # after the newer request was answered: reordered
                self._forward_apart(held)

    def _forward_apart(self, message: bytes) -> None:
        copy = threading.Thread(target=_forward_quietly, args=(self.upstream_port, message), daemon=True)
        with self._lock:
            self._copies.append(copy)
        copy.start()


def _forward(port: int, message: bytes, wait=True) -> bytes:
    """Send one request to the server; its whole answer (it closes after answering)."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as upstream:
        upstream.sendall(message)
        if not wait:
            return b""
        chunks = []
        while chunk := upstream.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def _forward_quietly(port, message):
    try:
        _forward(port, message)
    except OSError:
        pass  # the server was down: a copy that never arrived


def _read_request(sock: socket.socket) -> bytes | None:
    buffer = b""
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    length = 0
    for line in buffer[:end].decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    while len(buffer) < end + 4 + length:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    return buffer[:end + 4 + length]


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
