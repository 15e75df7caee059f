"""Keep-alive connections to push services, one per (sender thread, origin), over the
standard library's `http.client`.

Why not `requests`: a post through a `requests.Session` costs about 0.6 ms of CPU here
(adapters, hooks, cookies, urllib3's pool), as much as encrypting the message, and all of it
holds the GIL the other sender threads need; `http.client` costs about 0.1 ms. What
`requests` gave for free is kept: TLS verified with the system's CA store, a connection
reused while the push service keeps it open (checked before each reuse), and the
`HTTPS_PROXY` / `NO_PROXY` environment of an instance whose egress goes through a proxy
(a CONNECT tunnel).

A connection belongs to one thread (`threading.local`), so no lock is held while waiting;
`close` ends them all once the threads are done (the pool's, at the end of a run).
"""

import http.client
import select
import ssl
import threading
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None


class Connections:
    def __init__(self, timeout: float):
        self.timeout = timeout
        self._tls = ssl.create_default_context()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[http.client.HTTPConnection] = []

    def post(self, url: str, body: bytes, headers: dict) -> Answer:
        """One POST; raises OSError or http.client.HTTPException when it may not have
        arrived (the caller retries, the same `Topic` replacing a repeat)."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        reused, connection = self._connection(parts)
        try:
            try:
                return _exchange(connection, path, body, headers)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if not reused:
                    raise
                # The push service closed a kept-alive connection as we reused it (before
                # answering): once more on a new connection, as urllib3 does.
                connection.close()
                return _exchange(connection, path, body, headers)
        except BaseException:
            connection.close()
            self._pool().pop(parts.netloc, None)
            raise

    def close(self) -> None:
        """Every thread's connections; call when no thread uses them any more."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
        for connection in opened:
            connection.close()

    def _pool(self) -> dict:
        local = self._local
        if not hasattr(local, "connections"):
            local.connections = {}
        return local.connections

    def _connection(self, parts) -> tuple[bool, http.client.HTTPConnection]:
        pool = self._pool()
        connection = pool.get(parts.netloc)
        if connection is not None and _dropped(connection):
            connection.close()  # http.client reconnects on the next request
            return False, connection
        if connection is not None:
            return True, connection
        connection = self._new(parts)
        pool[parts.netloc] = connection
        with self._lock:
            self._opened.append(connection)
        return False, connection

    def _new(self, parts) -> http.client.HTTPConnection:
        port = parts.port
        proxy = None if urllib.request.proxy_bypass(parts.hostname) else \
            urllib.request.getproxies().get(parts.scheme)
        if parts.scheme == "https":
            if proxy:
                via = urlsplit(proxy if "://" in proxy else "http://" + proxy)
                connection = http.client.HTTPSConnection(via.hostname, via.port or 8080,
                                                         timeout=self.timeout, context=self._tls)
                connection.set_tunnel(parts.hostname, port or 443)
                return connection
            return http.client.HTTPSConnection(parts.hostname, port, timeout=self.timeout,
                                               context=self._tls)
        return http.client.HTTPConnection(parts.hostname, port, timeout=self.timeout)


def _exchange(connection, path, body, headers) -> Answer:
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()  # the body (an error text at most) must be read before the next request
    if response.will_close:
        connection.close()
    return Answer(response.status, response.getheader("Retry-After"))


def _dropped(connection) -> bool:
    """Whether the push service closed this idle connection (readable means EOF here)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
