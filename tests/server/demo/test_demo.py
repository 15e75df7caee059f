"""Demo data (server/demo/): realistic, within the rules, deterministic, scalable."""

import json
from collections import Counter
from datetime import datetime, time, timedelta
from itertools import combinations

import pytest

from server.casework.assignments import caseload
from server.casework.orders import LIFE_AREAS
from server.casework.plans import SUPPORT_LEVELS
from server.casework.visit_args import CANCEL_REASONS
from server.db import database_path, migrate
from server.demo.catalogue import DISTRICTS, HOMELESSNESS_UNIT
from server.demo.seed import DEMO_PASSWORD, seed_demo
from server.security.passwords import check_password
from sync.store import connect, write_transaction
from sync.times import parse_stored, utc_text
from tests.conftest import STOCKHOLM

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)
DEMO_LOGINS = {"demo.lead": "supervisor", "demo.cm": "cm", "demo.bs": "support_worker",
               "demo.bs2": "support_worker"}
CAPS = {"cm": 10, "support_worker": 15}
# The domain tables a seed fills (the password hash is salted, so it is left out).
DOMAIN_QUERIES = {
    "teams": "SELECT * FROM teams ORDER BY id",
    "workers": "SELECT id, username, name, role, team_id, created_at FROM workers ORDER BY id",
    "clients": "SELECT * FROM clients ORDER BY id",
    "assignments": "SELECT * FROM assignments ORDER BY id",
    "orders": "SELECT * FROM orders ORDER BY id",
    "plans": "SELECT * FROM plans ORDER BY id",
    "visits": "SELECT * FROM visits ORDER BY id",
    "notes": "SELECT * FROM notes ORDER BY id",
    "personal_reminders": "SELECT * FROM personal_reminders ORDER BY id",
}


def seeded(directory, **kwargs):
    """A migrated database in `directory`, seeded with demo data; returns (db, counts)."""
    migrate(directory)
    db = connect(database_path(directory))
    with write_transaction(db):
        counts = seed_demo(db, now=NOW, **kwargs)
    return db, counts


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db, _ = seeded(tmp_path_factory.mktemp("demo"))
    yield db
    db.conn.close()


def worker_ids(db, role=None) -> dict[str, str]:
    query = "SELECT username, id FROM workers" + (" WHERE role = ?" if role else "")
    return dict(db.execute(query, [role] if role else []).fetchall())


def field_workers(db) -> dict[str, tuple[str, str]]:
    rows = db.execute("SELECT username, id, role FROM workers "
                      "WHERE role IN ('cm', 'support_worker')").fetchall()
    return {username: (worker_id, role) for username, worker_id, role in rows}


def dump(db) -> dict:
    return {name: db.execute(query).fetchall() for name, query in DOMAIN_QUERIES.items()}


def visit_time(row_starts_at, row_started_at) -> datetime:
    return parse_stored(row_started_at or row_starts_at)


def test_demo_creates_the_four_demo_logins_with_the_demo_password(demo):
    roles = dict(demo.execute("SELECT username, role FROM workers").fetchall())
    assert roles == DEMO_LOGINS
    for username in DEMO_LOGINS:
        assert check_password(demo, username, DEMO_PASSWORD) is not None
    assert check_password(demo, "demo.cm", "wrong-password") is None


def test_demo_logins_share_one_password_hash(demo):
    # Hashed once: argon2 is slow on purpose, and a 200-worker seed must stay fast.
    assert demo.execute("SELECT count(DISTINCT password_hash) FROM workers").fetchone()[0] == 1


def test_demo_team_is_a_sodermalm_team_of_all_four(demo):
    teams = demo.execute("SELECT id, name, district FROM teams").fetchall()
    assert [(name, district) for _, name, district in teams] == [("Team Söder", "Södermalm")]
    assert {row[0] for row in demo.execute("SELECT team_id FROM workers")} == {teams[0][0]}


def test_demo_field_workers_have_disjoint_caseloads_of_8_12_and_10(demo):
    loads = {username: set(caseload(demo, worker_id, NOW))
             for username, (worker_id, _) in field_workers(demo).items()}
    assert {username: len(ids) for username, ids in loads.items()} == {
        "demo.cm": 8, "demo.bs": 12, "demo.bs2": 10}
    for first, second in combinations(loads.values(), 2):
        assert not first & second
    every_client = {row[0] for row in demo.execute("SELECT id FROM clients")}
    assert set().union(*loads.values()) == every_client


def test_demo_clients_get_the_service_of_their_workers_role(demo):
    service_of_role = {"cm": "cm", "support_worker": "housing_support"}
    for worker_id, role in field_workers(demo).values():
        services = {row[0] for row in demo.execute(
            "SELECT c.service FROM assignments a JOIN clients c ON c.id = a.client_id "
            "WHERE a.worker_id = ?", [worker_id])}
        assert services == {service_of_role[role]}


def test_every_demo_client_has_an_order_with_goals_and_activities(demo):
    orders = demo.execute("SELECT c.service, o.service, o.orderer, o.hours_per_month, o.goals, "
                          "o.activities, o.period_start, o.period_end FROM clients c "
                          "JOIN orders o ON o.client_id = c.id").fetchall()
    assert len(orders) == demo.execute("SELECT count(*) FROM clients").fetchone()[0]
    for service, order_service, orderer, hours, goals, activities, start, end in orders:
        assert order_service == service
        assert orderer in (*DISTRICTS, HOMELESSNESS_UNIT)
        assert start <= NOW.date().isoformat() < end
        if service == "housing_support":
            assert 1 <= hours <= 40
        else:
            assert hours is None
        goals = json.loads(goals)
        assert goals and all(goal["life_area"] in LIFE_AREAS and goal["subgoals"]
                             for goal in goals)
        assert len(json.loads(activities)) >= 3


def test_demo_housing_support_hours_cover_all_three_bands(demo):
    hours = [row[0] for row in demo.execute(
        "SELECT hours_per_month FROM orders WHERE service = 'housing_support'")]
    assert any(h <= 7 for h in hours) and any(8 <= h <= 18 for h in hours)


def test_every_demo_client_has_a_plan_of_at_least_three_activities(demo):
    plans = demo.execute("SELECT p.activities, o.activities FROM clients c "
                         "JOIN plans p ON p.client_id = c.id "
                         "JOIN orders o ON o.id = p.order_id").fetchall()
    assert len(plans) == demo.execute("SELECT count(*) FROM clients").fetchone()[0]
    for plan_activities, order_activities in plans:
        ordered = {activity["id"] for activity in json.loads(order_activities)}
        activities = json.loads(plan_activities)
        assert len(activities) >= 3
        for activity in activities:
            assert activity["how"] and activity["frequency"]
            assert activity["support_level"] in SUPPORT_LEVELS
            assert activity["order_activity_id"] in ordered


def test_demo_visits_span_the_last_60_days_and_the_next_14(demo):
    rows = demo.execute("SELECT status, starts_at, started_at FROM visits").fetchall()
    moments = {status: [visit_time(s, started) for _, s, started in rows if _ == status]
               for status in ("planned", "done", "cancelled")}
    assert all(moments.values())
    every = [m for group in moments.values() for m in group]
    assert NOW - timedelta(days=60) <= min(every) < NOW - timedelta(days=50)
    assert NOW + timedelta(days=7) < max(every) <= NOW + timedelta(days=14)
    assert all(m > NOW - timedelta(hours=2) for m in moments["planned"])
    assert all(m < NOW for m in moments["done"] + moments["cancelled"])


def test_demo_cancellations_use_every_reason_before_now(demo):
    rows = demo.execute("SELECT cancel_reason, cancelled_at, starts_at FROM visits "
                        "WHERE status = 'cancelled'").fetchall()
    assert set(Counter(row[0] for row in rows)) == set(CANCEL_REASONS)
    for reason, cancelled_at, starts_at in rows:
        assert cancelled_at <= utc_text(NOW)
        if reason == "client_late_cancel":
            assert parse_stored(starts_at) - parse_stored(cancelled_at) < timedelta(hours=24)
    share = len(rows) / demo.execute(
        "SELECT count(*) FROM visits WHERE status != 'planned'").fetchone()[0]
    assert 0.05 < share < 0.4


def test_demo_done_visits_check_plan_activities_with_support_levels(demo):
    plan_ids = {}
    for client_id, activities in demo.execute("SELECT client_id, activities FROM plans"):
        plan_ids[client_id] = {activity["id"] for activity in json.loads(activities)}
    rows = demo.execute("SELECT client_id, activities, minutes FROM visits "
                        "WHERE status = 'done'").fetchall()
    for client_id, activities, minutes in rows:
        checks = json.loads(activities)
        assert checks and minutes > 0
        for check in checks:
            assert check["activity_id"] in plan_ids[client_id]
            if check["done"]:
                assert check["support_level"] in SUPPORT_LEVELS
            else:
                assert check["not_done_reason"]


def test_demo_visits_fall_between_7_and_22_stockholm_time_mostly_on_weekdays(demo):
    rows = demo.execute("SELECT coalesce(started_at, starts_at), coalesce(ended_at, ends_at) "
                        "FROM visits").fetchall()
    weekdays = 0
    for start, end in rows:
        start, end = (parse_stored(t).astimezone(STOCKHOLM) for t in (start, end))
        assert time(7) <= start.time() and end.time() <= time(22) and start.date() == end.date()
        weekdays += start.weekday() < 5
    assert weekdays / len(rows) > 0.8


def test_a_demo_worker_is_never_booked_twice_at_once(demo):
    doubles = demo.execute("SELECT worker_id, starts_at FROM visits WHERE starts_at IS NOT NULL "
                           "GROUP BY 1, 2 HAVING count(*) > 1").fetchall()
    assert doubles == []


def test_demo_visits_are_made_by_the_worker_assigned_at_the_time(demo):
    unassigned = demo.execute(
        "SELECT count(*) FROM visits v WHERE NOT EXISTS (SELECT 1 FROM assignments a "
        "WHERE a.client_id = v.client_id AND a.worker_id = v.worker_id "
        "AND a.starts_at <= coalesce(v.started_at, v.starts_at))").fetchone()[0]
    assert unassigned == 0


def test_demo_records_are_in_the_sync_index(demo):
    for table, record_type in (("clients", "client"), ("orders", "order"), ("plans", "plan"),
                               ("visits", "visit"), ("notes", "note"), ("personal_reminders", "reminder")):
        count = demo.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        indexed = demo.execute("SELECT count(*) FROM sync_records WHERE type = ?",
                               [record_type]).fetchone()[0]
        assert indexed == count > 0, table
    unplaced = demo.execute("SELECT count(*) FROM sync_records WHERE type = 'visit' "
                            "AND window_at IS NULL").fetchone()[0]
    assert unplaced == 0


def test_demo_field_workers_have_own_reminders_overdue_today_and_coming_about_their_clients(demo):
    for username, (worker_id, _) in field_workers(demo).items():
        rows = demo.execute("SELECT remind_at, client_id, status FROM personal_reminders WHERE worker_id = ? "
                            "ORDER BY remind_at", [worker_id]).fetchall()
        days = [(parse_stored(r[0]).astimezone(STOCKHOLM).date() - NOW.date()).days for r in rows]
        assert days == [-1, 0, 1, 3], username
        assert {r[2] for r in rows} == {"open"}
        mine = set(caseload(demo, worker_id, NOW))
        assert {r[1] for r in rows if r[1]} <= mine and any(r[1] for r in rows)
        scopes = demo.execute(
            "SELECT DISTINCT scope FROM sync_records WHERE type = 'reminder' AND id IN "
            "(SELECT id FROM personal_reminders WHERE worker_id = ?)", [worker_id]).fetchall()
        assert scopes == [(f"worker:{worker_id}",)]


def test_demo_has_protected_identities_and_outreach_whereabouts(demo):
    protected = demo.execute("SELECT whereabouts, phone FROM clients "
                             "WHERE protected_identity = 1").fetchall()
    assert protected and all(row == (None, None) for row in protected)
    whereabouts = {row[0] for row in demo.execute("SELECT whereabouts FROM clients")}
    assert whereabouts & {"Härbärget Lilla Sköndal", "Stadsmissionens dagverksamhet"}


def test_demo_phone_numbers_are_from_the_range_reserved_for_fiction(demo):
    phones = [row[0] for row in demo.execute("SELECT phone FROM clients WHERE phone IS NOT NULL")]
    assert phones
    for phone in phones:
        assert phone.startswith("070-174 06 ") and 5 <= int(phone[-2:]) <= 99


def test_demo_is_deterministic_for_a_seed(tmp_path):
    first, _ = seeded(tmp_path / "first", seed=7)
    again, _ = seeded(tmp_path / "again", seed=7)
    other, _ = seeded(tmp_path / "other", seed=8)
    try:
        assert dump(first) == dump(again)
        assert dump(first)["clients"] != dump(other)["clients"]
    finally:
        for db in (first, again, other):
            db.conn.close()


def test_demo_scales_up_to_teams_of_about_eight_with_one_supervisor(tmp_path):
    db, counts = seeded(tmp_path / "scaled", workers=20)
    try:
        assert counts["field_workers"] == 20 and counts["teams"] == 3
        teams = db.execute("SELECT t.district, sum(w.role = 'supervisor'), "
                           "sum(w.role IN ('cm', 'support_worker')) FROM teams t "
                           "JOIN workers w ON w.team_id = t.id GROUP BY t.id").fetchall()
        assert len({district for district, _, _ in teams}) == 3
        assert all(leads == 1 and 6 <= size <= 8 for _, leads, size in teams)
        assert set(DEMO_LOGINS) <= set(worker_ids(db))
        for username, (worker_id, role) in field_workers(db).items():
            if username not in DEMO_LOGINS:  # the demo team's own caseloads are fixed
                assert CAPS[role] - 3 <= len(caseload(db, worker_id, NOW)) <= CAPS[role]
        assert counts["clients"] == db.execute("SELECT count(*) FROM clients").fetchone()[0]
    finally:
        db.conn.close()


def test_demo_caseloads_stay_within_the_caps(tmp_path):
    caps = {"cm": 5, "support_worker": 6}
    db, _ = seeded(tmp_path / "capped", workers=10, caps=caps)
    try:
        for worker_id, role in field_workers(db).values():
            assert 1 <= len(caseload(db, worker_id, NOW)) <= caps[role]
    finally:
        db.conn.close()


def test_demo_needs_at_least_three_field_workers(tmp_path):
    migrate(tmp_path)
    db = connect(database_path(tmp_path))
    try:
        with pytest.raises(ValueError, match="at least 3"), write_transaction(db):
            seed_demo(db, now=NOW, workers=2)
    finally:
        db.conn.close()
