"""A bad network between the device and the server (tests/chaos/proxy.py): answers lost after
the server did the work, requests doubled and running at once, old requests arriving after
newer ones, so pushes of overlapping batches reach the server concurrently and out of order."""

import random
from datetime import timedelta

import pytest

from tests.chaos.conftest import a_device, serving
from tests.chaos.device import Device, Unreachable, some_work
from tests.chaos.invariants import assert_device_equals_server, assert_exactly_once
from tests.chaos.proxy import HOLD, LATE, LOSE, PASS, TWICE, ChaosProxy

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("chaos")]

FAULTS = (PASS, LOSE, TWICE, LATE)


@pytest.fixture
def server(data_dir, tmp_path):
    """Two worker processes: doubled and late requests run in parallel, not one after another."""
    yield from serving(data_dir, tmp_path / "server.log", workers=2)


def test_lost_doubled_and_reordered_requests_apply_each_mutation_exactly_once(world, server, data_dir):
    chance = random.Random(13)  # the same faults in the same order on every run

    def plan(n, method, path):
        if path.startswith("/api/sync/") and n > 0:
            return FAULTS[n % len(FAULTS)] if n <= 8 else chance.choice(FAULTS)
        return PASS

    proxy = ChaosProxy(server.port, plan).start()
    try:
        phone = a_device(proxy.url, world)
        start = phone.now() - timedelta(hours=6)
        work = some_work(phone, world["client"], 150, start, timedelta(minutes=1))
        sizes = random.Random(7)
        while phone.outbox:  # batches of different sizes: a retry overlaps what was lost
            try:
                phone.push(limit=sizes.randint(10, 40))
            except Unreachable:
                pass
            if len(phone.outbox) < 100 and len(phone.queued) < 210:
                work += some_work(phone, world["client"], 30, phone.now() - timedelta(minutes=30),
                                  timedelta(seconds=30))  # the worker goes on working meanwhile
        phone.pull_all(limit=50)  # a lost page is asked again with the cursor held
        proxy.drain()  # every copy and every late request has reached the server now
        pushes = proxy.actions("/api/sync/push")
        for fault in FAULTS:
            assert pushes.count(fault) >= 2, f"too few {fault} pushes to have tested them: {pushes}"
        assert phone.failures >= 4

        phone.sync()  # the next sync: nothing left to send, the late copies' changes (none) pulled
        finals = assert_exactly_once(phone, data_dir)
        assert len(finals) == len(work) == 210
        assert_device_equals_server(phone)
        assert sum(v["data"]["status"] == "done" for v in phone.held("visit").values()) == 70
    finally:
        proxy.stop()


def test_an_old_push_arriving_after_the_phone_emptied_its_outbox_leaves_the_dashboard_empty(
        world, server, data_dir):
    plan = lambda n, method, path: HOLD if n == 1 else PASS  # noqa: E731 (the first push)
    proxy = ChaosProxy(server.port, plan).start()
    try:
        phone = a_device(proxy.url, world)
        some_work(phone, world["client"], 60, phone.now() - timedelta(hours=2), timedelta(minutes=1))
        with pytest.raises(Unreachable):
            phone.push(limit=20)  # held at the proxy: the phone gave up on it
        phone.push_all(limit=20)  # ... and sent everything again, then `outbox_size: 0`
        proxy.drain()  # the old copy reaches the server last
        assert proxy.actions("/api/sync/push")[0] == HOLD
        assert_exactly_once(phone, data_dir)

        supervisor = Device(server.url, world["supervisor"]["username"], name="Chefens dator").login()
        status, board = supervisor.request("GET", "/api/dashboard/sync")
        row = next(r for r in board["devices"] if r["device_id"] == phone.device_id)
        assert row["outbox_size"] == 0, row
    finally:
        proxy.stop()
