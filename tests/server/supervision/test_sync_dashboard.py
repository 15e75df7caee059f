"""GET /api/dashboard/sync (shared docs, `supervision.md`, "Sync dashboard"), through the HTTP
API on a real SQLite file: every device of the team's workers with what it last reported,
push and parked counts, alerts that clear by themselves, and who may look."""

import uuid
from datetime import timedelta

import pytest

from server import create_app
from server.security.devices import end_device
from server.security.teams import lead_team
from sync.store import write_transaction
from tests.errors import assert_error_shape
from tests.factories import a_team, a_worker
from tests.server.reminding import push_settings
from tests.sync.pulling import bearer, log_in, visit_plan

MIN_APP = "1.0.0"  # contract/mutations.json


@pytest.fixture
def lead(db, team):
    return a_worker(db, team, role="supervisor", username="lead")


@pytest.fixture
def lead_session(client, lead):
    return log_in(client, lead, device_name="Ledarens dator")


def dashboard(client, session, **query):
    response = client.get("/api/dashboard/sync", headers=bearer(session["token"]), query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def row_of(body, device_id) -> dict:
    return next(r for r in body["devices"] if r["device_id"] == device_id)


def push(client, session, mutations=(), **report):
    response = client.post("/api/sync/push", headers=bearer(session["token"]),
                           json={"mutations": list(mutations), **report})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def planned(client_id, clock, seq=1, **extra):
    now = clock.now()
    return {"id": str(uuid.uuid4()), "device_seq": seq, **visit_plan(client_id, now + timedelta(days=1), now),
            **extra}


def end(db, device_id, how, clock):
    with write_transaction(db):
        end_device(db, device_id, how=how, now=clock.now())


# --- the rows ------------------------------------------------------------------------------------

def test_a_row_shows_what_the_device_last_reported(client, clock, anna, lead_session):
    phone = log_in(client, anna, device_name="Annas telefon")
    push(client, phone, outbox_size=3, outbox_oldest_at="2026-11-23T08:30:00+01:00",
         app_version="1.0.0", device_time=(clock.now() - timedelta(seconds=4.4)).isoformat())
    clock.advance(minutes=2)
    client.get("/api/sync/pull", headers=bearer(phone["token"]))

    body = dashboard(client, lead_session)

    assert body["team_id"] == anna["team_id"]
    assert body["generated_at"] == "2026-11-23T08:02:00Z"
    assert row_of(body, phone["device_id"]) == {
        "device_id": phone["device_id"], "device_name": "Annas telefon", "worker_id": anna["id"],
        "worker_name": "Testare anna", "status": "active",
        "last_push_at": "2026-11-23T08:00:00Z", "last_pull_at": "2026-11-23T08:02:00Z",
        "outbox_size": 3, "outbox_oldest_at": "2026-11-23T07:30:00Z", "app_version": "1.0.0",
        "clock_skew_seconds": -4, "seq_gaps": 0, "push": "off", "parked_open": 0,
        "storage_records": None, "storage_bytes": None, "storage_reported_at": None, "alerts": []}


def test_a_device_that_never_synced_has_an_empty_report(client, anna, lead_session):
    phone = log_in(client, anna)

    found = row_of(dashboard(client, lead_session), phone["device_id"])

    assert (found["last_push_at"], found["last_pull_at"], found["outbox_size"],
            found["outbox_oldest_at"], found["app_version"], found["clock_skew_seconds"],
            found["seq_gaps"], found["alerts"]) == (None, None, None, None, None, None, 0, [])


def test_every_device_of_the_teams_workers_is_listed_whatever_its_status_and_no_other(
        db, client, clock, anna, bo, lead, lead_session):
    lost, old, out, now_used = (log_in(client, anna) for _ in range(4))
    end(db, lost["device_id"], "revoked", clock)
    end(db, old["device_id"], "retired", clock)
    client.post("/api/auth/logout", headers=bearer(out["token"]))
    bos = log_in(client, bo)
    elsewhere = log_in(client, a_worker(db, a_team(db, name="Team Annan")))

    body = dashboard(client, lead_session)

    statuses = {r["device_id"]: r["status"] for r in body["devices"]}
    assert statuses == {lost["device_id"]: "revoked", old["device_id"]: "retired",
                        out["device_id"]: "logged_out", now_used["device_id"]: "active",
                        bos["device_id"]: "active", lead_session["device_id"]: "active"}
    assert elsewhere["device_id"] not in statuses


def test_open_parked_items_are_counted_per_device_and_for_the_team(
        db, client, clock, anna, bo, lead_session, annas_client, bos_client):
    phone, laptop, bos = log_in(client, anna), log_in(client, anna), log_in(client, bo)
    # Two mutations about someone else's client: parked (forbidden), one from each device.
    push(client, phone, [planned(bos_client["id"], clock, seq=1), planned(annas_client["id"], clock, seq=2)])
    push(client, laptop, [planned(bos_client["id"], clock)])
    push(client, bos, [planned(annas_client["id"], clock)])

    body = dashboard(client, lead_session)

    counts = {r["device_id"]: r["parked_open"] for r in body["devices"]}
    assert (counts[phone["device_id"]], counts[laptop["device_id"]], counts[bos["device_id"]]) == (1, 1, 1)
    assert body["parked_open"] == 3


def test_a_supervisor_who_leads_several_teams_names_the_one_to_show(db, client, lead, lead_session):
    other = a_team(db, name="Team Norr")
    with write_transaction(db):
        lead_team(db, lead["id"], other)
    there = log_in(client, a_worker(db, other))

    body = dashboard(client, lead_session, team_id=other)

    assert body["team_id"] == other
    assert [r["device_id"] for r in body["devices"]] == [there["device_id"]]


# --- alerts -------------------------------------------------------------------------------------

def test_unsent_changes_waiting_over_24_hours_alert_until_the_device_reports_an_empty_outbox(
        client, clock, anna, annas_client, lead_session):
    phone = log_in(client, anna)
    push(client, phone, [planned(annas_client["id"], clock)], outbox_size=3,
         outbox_oldest_at=(clock.now() - timedelta(hours=26)).isoformat())
    assert row_of(dashboard(client, lead_session), phone["device_id"])["alerts"] == ["unsent_over_24h"]

    push(client, phone, outbox_size=0)

    assert row_of(dashboard(client, lead_session), phone["device_id"])["alerts"] == []


def test_a_device_holding_unsent_changes_that_stays_away_for_a_day_is_silent_until_it_syncs(
        client, clock, anna, lead_session):
    phone = log_in(client, anna)
    push(client, phone, outbox_size=2, outbox_oldest_at=clock.now().isoformat())
    clock.advance(hours=25)
    assert row_of(dashboard(client, lead_session), phone["device_id"])["alerts"] == [
        "unsent_over_24h", "silent_24h"]

    client.get("/api/sync/pull", headers=bearer(phone["token"]))
    assert row_of(dashboard(client, lead_session), phone["device_id"])["alerts"] == ["unsent_over_24h"]


def test_a_worker_with_a_visit_today_whose_phones_have_not_synced_for_a_day_is_silent(
        db, client, clock, anna, annas_client, lead_session):
    phone, spare = log_in(client, anna), log_in(client, anna)
    push(client, phone, [planned(annas_client["id"], clock)])  # the visit: tomorrow at 09:00
    clock.advance(hours=25)

    body = dashboard(client, lead_session)
    assert row_of(body, phone["device_id"])["alerts"] == ["silent_24h"]
    assert row_of(body, spare["device_id"])["alerts"] == ["silent_24h"]

    # One of her devices synced: she is working, the spare one is not needed.
    push(client, phone, outbox_size=0)
    body = dashboard(client, lead_session)
    assert row_of(body, phone["device_id"])["alerts"] == []
    assert row_of(body, spare["device_id"])["alerts"] == []


def test_a_skewed_clock_an_old_app_and_a_lost_change_alert(client, clock, anna, annas_client,
                                                           lead_session):
    phone = log_in(client, anna)
    push(client, phone, [planned(annas_client["id"], clock, seq=n) for n in (1, 3)],
         app_version="0.9.0", device_time=(clock.now() + timedelta(minutes=7)).isoformat())

    found = row_of(dashboard(client, lead_session), phone["device_id"])

    assert found["alerts"] == ["clock_skew", "old_app", "seq_gap"]
    assert (found["clock_skew_seconds"], found["seq_gaps"]) == (420, 1)


def test_a_gap_in_device_seq_stops_alerting_after_seven_days(client, clock, anna, annas_client,
                                                             lead_session):
    phone = log_in(client, anna)
    push(client, phone, [planned(annas_client["id"], clock, seq=2)], app_version=MIN_APP)
    push(client, phone, [planned(annas_client["id"], clock, seq=4)], app_version=MIN_APP)
    clock.advance(days=7)
    push(client, phone, [planned(annas_client["id"], clock, seq=5)])

    found = row_of(dashboard(client, lead_session), phone["device_id"])

    assert (found["seq_gaps"], found["alerts"]) == (1, [])


def test_devices_with_alerts_come_first(client, clock, anna, bo, annas_client, lead_session):
    fine = log_in(client, bo)
    push(client, fine, outbox_size=0)
    waiting = log_in(client, anna)
    push(client, waiting, outbox_size=1, outbox_oldest_at=(clock.now() - timedelta(days=2)).isoformat())

    body = dashboard(client, lead_session)

    assert body["devices"][0]["device_id"] == waiting["device_id"]


# --- push ------------------------------------------------------------------------------------------

@pytest.fixture
def push_client(data_dir, clock):
    app = create_app(push_settings(data_dir), clock)
    app.config["TESTING"] = True
    return app.test_client()


def subscription(db, device_id, worker_id, clock, *, failures=0, disabled=False):
    with write_transaction(db):
        db.execute(
            "INSERT INTO push_subscriptions (id, device_id, worker_id, endpoint, p256dh, auth, "
            "created_at, last_seen_at, failures, disabled_at) VALUES (?, ?, ?, ?, 'k', 'a', ?, ?, ?, ?)",
            [str(uuid.uuid4()), device_id, worker_id, f"https://push.example/{uuid.uuid4()}",
             "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z", failures,
             "2026-11-20T00:00:00Z" if disabled else None])


def test_push_says_whether_reminders_reach_the_device(db, push_client, clock, anna, lead):
    lead_session = log_in(push_client, lead)
    ok, failing, gone, never, old = (log_in(push_client, anna) for _ in range(5))
    subscription(db, ok["device_id"], anna["id"], clock)
    subscription(db, failing["device_id"], anna["id"], clock, failures=2)
    subscription(db, gone["device_id"], anna["id"], clock, disabled=True)
    subscription(db, old["device_id"], anna["id"], clock)
    end(db, old["device_id"], "retired", clock)

    body = dashboard(push_client, lead_session)

    assert {d: row_of(body, s["device_id"])["push"] for d, s in
            [("ok", ok), ("failing", failing), ("gone", gone), ("never", never), ("old", old)]} == {
        "ok": "ok", "failing": "failing", "gone": "none", "never": "none", "old": "none"}


def test_push_is_off_on_every_row_when_the_instance_has_push_off(db, client, clock, anna, lead_session):
    phone = log_in(client, anna)
    subscription(db, phone["device_id"], anna["id"], clock)

    assert row_of(dashboard(client, lead_session), phone["device_id"])["push"] == "off"


# --- who may look -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["cm", "support_worker", "admin"])
def test_only_a_supervisor_sees_the_sync_dashboard(db, client, team, role):
    user = a_worker(db, team if role != "admin" else None, role=role)
    session = log_in(client, user)

    response = client.get("/api/dashboard/sync", headers=bearer(session["token"]))

    assert assert_error_shape(response, 403)["reason"] == "forbidden"


def test_a_supervisor_is_refused_the_dashboard_of_a_team_they_do_not_lead(db, client, lead_session):
    other = a_team(db, name="Team Annan")

    response = client.get("/api/dashboard/sync", headers=bearer(lead_session["token"]),
                          query_string={"team_id": other})

    assert assert_error_shape(response, 403)["reason"] == "forbidden"


def test_the_dashboard_needs_a_device_token(client):
    assert assert_error_shape(client.get("/api/dashboard/sync"), 401)["reason"] == "invalid_token"
