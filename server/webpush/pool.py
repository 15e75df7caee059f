"""Pushes in flight at once: at most `size` in all and `per_host` to one push service.

A reminder run posts thousands of messages to a handful of push services (Google's, Mozilla's,
Apple's, Microsoft's), each taking a fraction of a second to answer. Threads only wait on
HTTP there, so many in flight make the run short; but a push service that is slow or down
(10 s timeouts, retries) would otherwise take every thread and hold up the phones of all the
others: a push to a host at its limit waits in that host's queue, not in the pool's.

Every push carries a deadline (`start_by`, monotonic seconds): one not started by then is
not posted at all and comes back `NOT_SENT`. The scheduler sets it so that a push never
leaves after its reminder's lease has run out, when a second scheduler may hold it.

The caller submits and collects from one thread (the scheduler's, which alone uses the
database); the pool's threads only send.
"""

import logging
import queue
import threading
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from server.webpush.sender import RETRY, Outcome, origin_of

log = logging.getLogger(__name__)

NOT_SENT = "not_sent"  # its deadline passed before a thread was free: never posted


@dataclass(frozen=True)
class Push:
    key: object  # the caller's: what the answer is for
    subscription: dict
    payload: dict
    ttl_s: float
    topic: str
    start_by: float  # time.monotonic() after which it is not posted


class PushPool:
    def __init__(self, sender, *, size: int, per_host: int, monotonic=time.monotonic):
        self.sender = sender
        self.per_host = max(1, min(per_host, size))
        self.monotonic = monotonic
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="push")
        self._lock = threading.Lock()
        self._running = defaultdict(int)  # origin -> pushes in flight
        self._waiting = defaultdict(deque)  # origin -> pushes held back by per_host
        self._answers = queue.SimpleQueue()  # (push, outcome)
        self.unanswered = 0  # submitted, not yet collected (the caller's thread only)

    def submit(self, push: Push) -> None:
        origin = origin_of(push.subscription["endpoint"])
        self.unanswered += 1
        with self._lock:
            if self._running[origin] >= self.per_host:
                self._waiting[origin].append(push)
                return
            self._running[origin] += 1
        self._executor.submit(self._run, push, origin)

    def started(self) -> int:
        """Pushes in flight or waiting for a thread (not those held back by a host's limit)."""
        with self._lock:
            return sum(self._running.values())

    def answers(self, timeout: float, gather: float = 0.0) -> list[tuple[Push, Outcome]]:
        """What came back: waits up to `timeout` for the first, then takes what else comes
        within `gather` (answers recorded together, in one transaction)."""
        got = []
        try:
            if self.unanswered:
                got.append(self._answers.get(timeout=timeout) if timeout > 0 else self._answers.get_nowait())
            until = self.monotonic() + gather
            while len(got) < self.unanswered:
                wait = until - self.monotonic()
                got.append(self._answers.get(timeout=wait) if wait > 0 else self._answers.get_nowait())
        except queue.Empty:
            pass
        self.unanswered -= len(got)
        return got

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self.sender.close()  # its connections: the threads that held them are gone

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _run(self, push: Push, origin: str) -> None:
        while push is not None:
            self._answers.put((push, self._send(push)))
            with self._lock:  # this thread takes the host's next waiting push, if any
                waiting = self._waiting[origin]
                push = waiting.popleft() if waiting else None
                if push is None:
                    self._running[origin] -= 1

    def _send(self, push: Push) -> Outcome:
        if self.monotonic() > push.start_by:
            return Outcome(NOT_SENT)
        try:
            return self.sender.send(push.subscription, push.payload, ttl_s=push.ttl_s, topic=push.topic)
        except Exception:  # a bug in sending must not stop the other sends
            log.exception("sending a push failed")
            return Outcome(RETRY)
