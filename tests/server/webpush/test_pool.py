"""The push pool: bounded in all and per push service, so a stuck push service holds only
its share of the threads, and a push not started before its deadline is never posted."""

import threading
import time

from server.webpush.pool import NOT_SENT, Push, PushPool
from server.webpush.sender import SENT, Outcome


class Sender:
    """Pushes to `stuck.example` wait until released; the others answer at once."""

    def __init__(self):
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.in_flight = {}
        self.most = {}
        self.posted = []

    def send(self, subscription, payload, *, ttl_s, topic):
        host = subscription["endpoint"].split("/")[2]
        with self.lock:
            self.in_flight[host] = self.in_flight.get(host, 0) + 1
            self.most[host] = max(self.most.get(host, 0), self.in_flight[host])
            self.posted.append(topic)
        if host == "stuck.example":
            self.release.wait(10)
        with self.lock:
            self.in_flight[host] -= 1
        return Outcome(SENT, 201)

    def close(self):
        pass


def a_push(host, n, start_by=None):
    return Push(n, {"endpoint": f"https://{host}/push/{n}"}, {}, 600, f"t{n}",
                time.monotonic() + 60 if start_by is None else start_by)


def collect(pool, count, timeout=10):
    got, until = [], time.monotonic() + timeout
    while len(got) < count and time.monotonic() < until:
        got += pool.answers(timeout=0.1)
    return got


def test_a_stuck_push_service_holds_only_its_share_and_the_others_go_on():
    sender = Sender()
    with PushPool(sender, size=8, per_host=3) as pool:
        for n in range(20):
            pool.submit(a_push("stuck.example", n))
        for n in range(20, 60):
            pool.submit(a_push("ok.example", n))
        answered = collect(pool, 40)
        assert sorted(push.key for push, _ in answered) == list(range(20, 60))
        assert sender.most["stuck.example"] == 3
        assert pool.started() == 3 and pool.unanswered == 20
        sender.release.set()
        assert len(collect(pool, 20)) == 20
    assert sender.most == {"stuck.example": 3, "ok.example": sender.most["ok.example"]}
    assert sender.most["ok.example"] <= 3


def test_a_push_whose_deadline_passed_while_it_waited_is_not_posted():
    sender = Sender()
    with PushPool(sender, size=1, per_host=1) as pool:
        pool.submit(a_push("stuck.example", 1))
        pool.submit(a_push("stuck.example", 2, start_by=time.monotonic() + 0.2))
        time.sleep(0.4)
        sender.release.set()
        answered = dict((push.key, outcome.status) for push, outcome in collect(pool, 2))
    assert answered == {1: SENT, 2: NOT_SENT}
    assert sender.posted == ["t1"]
