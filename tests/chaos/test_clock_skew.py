"""Two phones of one worker whose clocks are off by two hours, one ahead and one behind: they
stamp their work (`occurred_at`) and set what falls due (a visit in an hour, a reminder in half
an hour) by their own clocks. The server orders by its own log, never by the phones' clocks;
it takes the times as the phones wrote them, tells the supervisor about the skew, and both
phones end up with the server's data."""

from datetime import datetime, timedelta

import pytest

from tests.chaos.conftest import a_device
from tests.chaos.device import Device, add_note, complete_visit, new_id, plan_visit
from tests.chaos.invariants import assert_device_equals_server, assert_exactly_once

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("chaos")]

SKEW = timedelta(hours=2)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_phones_two_hours_ahead_and_behind_lose_and_double_nothing(world, server, data_dir):
    ahead = a_device(server.url, world, name="Före", clock_offset=SKEW)
    behind = a_device(server.url, world, name="Efter", clock_offset=-SKEW)
    office = a_device(server.url, world, name="Kontoret")
    shared = plan_visit(office, world["client"]["id"], office.now() + timedelta(hours=3))
    office.sync()
    ahead.pull_all()
    behind.pull_all()
    version = ahead.records[("visit", shared["args"]["id"])]["version"]

    due = {}
    for phone in (ahead, behind):
        plan = plan_visit(phone, world["client"]["id"], phone.now() + timedelta(hours=1))
        complete_visit(phone, plan, world["client"]["activity_ids"][:1])
        add_note(phone, world["client"]["id"], f"Klockan visar {phone.now():%H:%M}")
        reminder = phone.queue("reminder.add", {
            "id": new_id(), "worker_id": phone.user["id"],
            "text": "Ring hyresvärden", "remind_at": (phone.now() + timedelta(minutes=30)).isoformat()})
        due[phone.name] = (plan, reminder)
    # Both edit the office's visit, on disjoint fields, each from the version it pulled: the
    # phone behind (whose work looks two hours older) sends last; its edit is not "older".
    ahead.queue("visit.reschedule", {"id": shared["args"]["id"],
                                     "starts_at": (ahead.now() + timedelta(hours=4)).isoformat(),
                                     "place": "Biblioteket"}, base_version=version)
    behind.queue("visit.cancel", {"id": shared["args"]["id"], "reason": "client_cancelled"},
                 base_version=version)

    ahead.sync()
    behind.sync()
    ahead.pull_all()
    for phone, other in ((ahead, behind), (behind, ahead)):
        assert_exactly_once(phone, data_dir, also=(other, office))
        assert_device_equals_server(phone)
        plan, reminder = due[phone.name]
        visit = phone.records[("visit", plan["args"]["id"])]["data"]
        assert instant(visit["starts_at"]) == instant(plan["args"]["starts_at"]), "taken as the phone said"
        held = phone.records[("reminder", reminder["args"]["id"])]["data"]
        assert instant(held["remind_at"]) == instant(reminder["args"]["remind_at"])
    assert ahead.records == behind.records, "both phones hold the same"
    visit = ahead.records[("visit", shared["args"]["id"])]
    assert visit["version"] == 3 and visit["data"]["status"] == "cancelled"
    assert visit["data"]["place"] == "Biblioteket"

    supervisor = Device(server.url, world["supervisor"]["username"], name="Chefens dator").login()
    status, board = supervisor.request("GET", "/api/dashboard/sync")
    assert status == 200, board
    rows = {row["device_id"]: row for row in board["devices"]}
    for phone, sign in ((ahead, 1), (behind, -1)):
        row = rows[phone.device_id]
        assert "clock_skew" in row["alerts"]
        assert abs(row["clock_skew_seconds"] - sign * SKEW.total_seconds()) < 120
    assert "clock_skew" not in rows[office.device_id]["alerts"]


def test_a_phone_behind_has_work_at_the_edge_of_the_grace_parked_by_its_own_stamp_never_lost(
        world, server, data_dir):
    """The shared protocol counts the 30 days from `occurred_at` as the phone wrote it. A
    phone two hours behind stamps work done 29 days 22.5 hours ago as 30 days 0.5 hours ago:
    it is parked for the supervisor (the one case where a skewed clock parks what a right
    clock would not, within the skew of the 30 days' edge), never lost, and the supervisor
    applies it for the worker. Correcting by the skew the push reports (`device_time`) would
    change the contract's rule, so it is left to the shared protocol."""
    behind = a_device(server.url, world, clock_offset=-SKEW)
    # Done 29 days 22.5 hours ago, by its clock 30 days 0.5 hours ago.
    done_at = behind.now() - timedelta(days=29, hours=22, minutes=30)
    note = add_note(behind, world["client"]["id"], "Gjort för nästan en månad sedan", done_at)
    behind.sync()
    finals = assert_exactly_once(behind, data_dir, parked={note["id"]})
    assert finals[note["id"]]["error"]["code"] == "forbidden"

    supervisor = Device(server.url, world["supervisor"]["username"], name="Chefens dator").login()
    supervisor.pull_all()
    [(parked_id, item)] = [(i, r) for i, r in supervisor.held("parked").items()
                           if r["data"]["mutation_id"] == note["id"]]
    resolution = supervisor.queue("parked.resolve", {"parked_id": parked_id, "action": "apply"},
                                  base_version=item["version"])
    supervisor.push_all()
    assert supervisor.final_result(resolution["id"])["status"] == "applied"
    behind.pull_all()
    assert behind.records[("note", note["args"]["id"])]["data"]["text"] == "Gjort för nästan en månad sedan"
    assert_device_equals_server(behind)
