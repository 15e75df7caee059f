"""Devices that come back after weeks offline, against the server's rules for late work
(`docs/sync-protocol.md`, judging step e: a mutation about a client is accepted within
FALTSTOD_WRITE_GRACE_DAYS, 30 by default, of its `occurred_at`; later it is parked `forbidden`
for a supervisor) and for old apps (`min_app_version` on every pull page: the app asks to be
updated once its outbox is empty; the server takes its pushes and the dashboard flags it)."""

from datetime import datetime, timedelta

import pytest

from server.supervision.sync_dashboard import version_below
from tests.chaos.conftest import a_device
from tests.chaos.device import Device, some_work
from tests.chaos.invariants import assert_device_equals_server, assert_exactly_once

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("chaos")]

GRACE = timedelta(days=30)
OLD_APP = "0.9.0"


def dashboard_row(url, world, device_id) -> dict:
    supervisor = Device(url, world["supervisor"]["username"], name="Chefens dator").login()
    status, board = supervisor.request("GET", "/api/dashboard/sync")
    assert status == 200, board
    return next(row for row in board["devices"] if row["device_id"] == device_id)


def test_a_device_offline_29_days_with_an_old_app_sends_2000_mutations_in_batches(world, server, data_dir):
    phone = a_device(server.url, world, app_version=OLD_APP)
    phone.sync()  # its last sync, 29 days ago
    office = a_device(server.url, world, name="Kontorets dator")
    start = phone.now() - timedelta(days=29)
    some_work(phone, world["client"], 2000, start, timedelta(days=29) / 2000)
    teammates = some_work(office, world["client"], 60, start, timedelta(hours=11))  # meanwhile
    office.sync()

    sizes = []
    while phone.outbox:
        sizes.append(len(phone.push(500)))
    assert sizes == [500, 500, 500, 500]
    phone.push()  # nothing left: `outbox_size: 0` for the dashboard
    phone.pull_all()

    finals = assert_exactly_once(phone, data_dir)
    assert len(finals) == 2000, "every one applied: none is older than the 30 days' grace"
    assert_device_equals_server(phone)
    for mutation in teammates[::3]:
        assert ("visit", mutation["args"]["id"]) in phone.records
    assert phone.min_app_version == "1.0.0" and version_below(OLD_APP, phone.min_app_version)
    row = dashboard_row(server.url, world, phone.device_id)
    assert row["app_version"] == OLD_APP and "old_app" in row["alerts"]
    assert row["outbox_size"] == 0 and row["seq_gaps"] == 0 and "seq_gap" not in row["alerts"]


def test_a_device_offline_45_days_has_its_late_work_parked_for_the_supervisor(world, server, data_dir):
    phone = a_device(server.url, world)
    phone.sync()
    now = phone.now()
    # Every 4 hours for 45 days, a visit planned, then completed, then a note; the grace's
    # edge falls between a plan (late) and its completion (not late, but built on it), and
    # nothing lies within an hour of it, where a slow push would tip it over.
    work = some_work(phone, world["client"], 270, now - timedelta(days=45, hours=2),
                     timedelta(hours=4))
    late = set()
    for mutation in work:
        age = now - datetime.fromisoformat(mutation["occurred_at"])
        assert abs(age - GRACE) > timedelta(hours=1)
        if age > GRACE or mutation.get("base_mutation_id") in late:
            late.add(mutation["id"])  # late, or an edit of a visit whose plan was parked
    assert len(late) == 92 and work[91]["id"] in late
    on_time_edit_of_late_plan = work[91]

    phone.sync()
    finals = assert_exactly_once(phone, data_dir, parked=late)
    for mutation_id in late:
        # A completion finds no visit, its plan parked: judged before its base (step d), late or not.
        expected = "not_found" if phone.queued[mutation_id]["name"] == "visit.complete" else "forbidden"
        assert finals[mutation_id]["error"]["code"] == expected, finals[mutation_id]
    assert_device_equals_server(phone)
    parked_on_phone = {r["data"]["mutation_id"] for r in phone.held("parked").values()
                       if r["data"]["status"] == "open"}
    assert parked_on_phone == late, "the author sees each parked mutation once"

    # The supervisor sees them all, and applies the last late plan for the worker, then its
    # completion, which now finds its visit.
    supervisor = Device(server.url, world["supervisor"]["username"], name="Chefens dator").login()
    supervisor.pull_all()
    open_items = {r["data"]["mutation_id"]: (i, r) for i, r in supervisor.held("parked").items()
                  if r["data"]["status"] == "open"}
    assert set(open_items) == late
    plan = work[90]
    resolutions = []
    for mutation in (plan, on_time_edit_of_late_plan):
        parked_id, item = open_items[mutation["id"]]
        resolutions.append(supervisor.queue("parked.resolve", {"parked_id": parked_id, "action": "apply"},
                                            base_version=item["version"]))
    supervisor.push_all()
    assert [supervisor.final_result(r["id"])["status"] for r in resolutions] == ["applied"] * 2

    phone.pull_all()
    assert phone.records[("visit", plan["args"]["id"])]["data"]["status"] == "done"
    for mutation in (plan, on_time_edit_of_late_plan):
        parked_id = open_items[mutation["id"]][0]
        assert phone.records[("parked", parked_id)]["data"]["status"] == "resolved"
    assert_device_equals_server(phone)
