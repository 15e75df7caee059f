"""SIGKILL of the server in the middle of a push and in the middle of a paged pull; it starts
again on the same data and port, and the device goes on as a phone does: the same batch with
the same mutation ids, the page it lost asked again with the cursor it held."""

import threading
import time
from datetime import timedelta

import pytest

from tests.chaos.conftest import a_device
from tests.chaos.device import Unreachable, some_work
from tests.chaos.invariants import answered, assert_device_equals_server, assert_exactly_once
from tests.chaos.proxy import KILL, PASS, ChaosProxy

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("chaos")]


def test_sigkill_in_the_middle_of_a_push_and_the_device_resends_the_batch(world, server, data_dir):
    phone = a_device(server.url, world)
    start = phone.now() - timedelta(days=2)
    work = some_work(phone, world["client"], 1200, start, timedelta(minutes=1))

    killed_mid_batch = None
    for _ in range(3):  # a batch of 500 takes about a second here: the kill lands inside it
        ids = [m["id"] for m in phone.outbox[:500]]
        failed = []
        sender = threading.Thread(target=_push_or_fail, args=(phone, failed))
        sender.start()
        deadline = time.monotonic() + 30
        while answered(data_dir, ids) == 0 and time.monotonic() < deadline:
            time.sleep(0.002)
        server.kill()
        sender.join(30)
        done = answered(data_dir, ids)
        server.start()
        if 0 < done < len(ids):
            killed_mid_batch = done
            assert failed, "the device heard nothing from the killed server"
            break
    assert killed_mid_batch, "the kill never landed inside a batch"

    phone.sync()
    finals = assert_exactly_once(phone, data_dir)
    assert len(finals) == len(work)
    assert_device_equals_server(phone)
    visits = phone.held("visit")
    assert sum(v["data"]["status"] == "done" for v in visits.values()) == 400


def _push_or_fail(phone, failed):
    try:
        phone.push(500)
    except Unreachable as err:
        failed.append(err)


def test_sigkill_in_the_middle_of_a_paged_pull_and_the_device_resumes_at_the_lost_page(
        world, server, data_dir):
    office = a_device(server.url, world, name="Kontorets dator")
    start = office.now() - timedelta(days=3)
    some_work(office, world["client"], 600, start, timedelta(minutes=2))  # 200 visits, 200 notes
    office.sync()

    proxy = ChaosProxy(server.port, plan=lambda n, method, path: KILL if n == 5 else PASS,
                       on_kill=server.kill).start()
    try:
        phone = a_device(proxy.url, world, name="Ny telefon")  # request 0: its login
        pages_before = [phone.pull_page(limit=50) for _ in range(4)]  # requests 1-4
        assert all(page["has_more"] for page in pages_before)
        held_before = dict(phone.records)
        cursor_before = phone.cursor

        with pytest.raises(Unreachable):
            phone.pull_page(limit=50)  # request 5: the server dies while it makes the page
        assert phone.cursor == cursor_before, "a lost page leaves the cursor where it was"
        assert proxy.actions("/api/sync/pull") == [PASS] * 4 + [KILL]

        server.start()  # same data directory, same port, same instance secret
        later = some_work(office, world["client"], 30, office.now() - timedelta(hours=1),
                          timedelta(minutes=1))  # the session goes on while the office works
        office.sync()

        resumed = []
        while True:
            page = phone.pull_page(limit=50)
            resumed += page["changes"]
            if not page["has_more"]:
                break
        again = {(c["type"], c["id"]) for c in resumed}
        assert not again & set(held_before), "the resumed session sent pages already stored"
        phone.pull_all()  # the next sync brings what the office did meanwhile
        for mutation in later:
            assert ("visit" if mutation["name"] != "note.add" else "note",
                    mutation["args"]["id"]) in phone.records
        assert_device_equals_server(phone)
        assert_exactly_once(office, data_dir)
        assert len(phone.held("visit")) == 210 and len(phone.held("note")) == 210
    finally:
        proxy.stop()
