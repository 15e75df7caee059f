"""The sync dashboard's alerts and order (`server/supervision/sync_dashboard.py`) as pure
functions of one device's facts and a fixed clock: each code at its threshold, who gets
alerts at all, and "newest problems first". How versions compare is pinned by
`contract/vectors/app-versions.json` (tests/contract/test_vectors.py)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.supervision.device_storage import Budget
from server.supervision.sync_dashboard import (
    ALERTS,
    DeviceFacts,
    alerts,
    order_key,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
MIN_APP = "1.2.0"
# A healthy active phone: synced a minute ago, nothing unsent, clock right, app current.
HEALTHY = DeviceFacts(status="active", outbox_size=0, last_contact_at=NOW - timedelta(minutes=1),
                      clock_skew_seconds=2, app_version="1.2.0")


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def alerts_of(**changes) -> list[str]:
    return alerts(replace(HEALTHY, **changes), NOW, MIN_APP)


def test_a_healthy_device_has_no_alerts():
    assert alerts_of() == []


# --- unsent_over_24h ---------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "oldest", "expected"), [
    (3, ago(hours=24, seconds=1), ["unsent_over_24h"]),
    (1, ago(days=9), ["unsent_over_24h"]),
    (3, ago(hours=24), []),  # exactly 24 hours: not yet "more than"
    (3, ago(hours=2), []),
    (0, ago(days=3), []),  # an empty outbox has nothing waiting, whatever the time says
    (None, ago(days=3), []),
    (3, None, []),  # an app that does not report the time (before outbox_oldest_at)
], ids=["just over", "days", "exactly 24 h", "recent", "empty", "no size", "no time"])
def test_unsent_changes_alert_when_the_oldest_was_queued_more_than_24_hours_ago(size, oldest, expected):
    assert alerts_of(outbox_size=size, outbox_oldest_at=oldest) == expected


# --- silent_24h --------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "visit", "contact", "expected"), [
    (2, False, ago(hours=24), ["silent_24h"]),
    (2, False, ago(hours=23, minutes=59), []),
    (0, True, ago(hours=30), ["silent_24h"]),
    (0, True, ago(hours=3), []),
    (0, False, ago(days=5), []),  # nothing unsent and nothing to record: silence is rest
    (2, False, None, ["silent_24h"]),
    (None, False, ago(days=5), []),
], ids=["unsent, 24 h", "unsent, just under", "visit, 30 h", "visit, recent", "idle", "never",
        "never reported"])
def test_a_device_with_work_to_send_that_has_not_synced_for_24_hours_is_silent(
        size, visit, contact, expected):
    assert alerts_of(outbox_size=size, visit_without_sync=visit, last_contact_at=contact) == expected


def test_a_retired_device_is_not_expected_to_sync_for_its_workers_visits():
    facts = replace(HEALTHY, status="retired", may_push=True, visit_without_sync=True,
                    last_contact_at=ago(days=2))
    assert alerts(facts, NOW, MIN_APP) == []


def test_a_retired_device_still_sending_its_work_is_watched_like_an_active_one():
    facts = replace(HEALTHY, status="retired", may_push=True, outbox_size=4,
                    outbox_oldest_at=ago(days=2), last_contact_at=ago(days=2))
    assert alerts(facts, NOW, MIN_APP) == ["unsent_over_24h", "silent_24h"]


# --- clock_skew, old_app, seq_gap --------------------------------------------------------------

@pytest.mark.parametrize(("skew", "expected"), [
    (301, ["clock_skew"]), (-301, ["clock_skew"]), (300, []), (-300, []), (-4, []), (None, []),
    (86_400, ["clock_skew"]),
])
def test_a_clock_more_than_five_minutes_off_alerts(skew, expected):
    assert alerts_of(clock_skew_seconds=skew) == expected


@pytest.mark.parametrize(("version", "expected"), [
    ("1.1.9", ["old_app"]), ("1.2", []), ("1.2.0", []), ("1.10.0", []), ("0.9.99", ["old_app"]),
    ("2.0.0", []), (None, []),
])
def test_an_app_below_the_servers_minimum_alerts(version, expected):
    assert alerts_of(app_version=version) == expected


@pytest.mark.parametrize(("gap_at", "expected"), [
    (ago(days=6, hours=23), ["seq_gap"]), (ago(minutes=1), ["seq_gap"]), (ago(days=7), []),
    (ago(days=30), []), (None, []),
])
def test_a_gap_in_device_seq_alerts_for_seven_days(gap_at, expected):
    assert alerts_of(last_gap_at=gap_at) == expected


# --- who gets alerts -----------------------------------------------------------------------------

EVERYTHING_WRONG = dict(outbox_size=5, outbox_oldest_at=ago(days=3), last_contact_at=ago(days=3),
                        visit_without_sync=True, clock_skew_seconds=-900, app_version="0.1.0",
                        last_gap_at=ago(hours=1), storage_records=10**6)


def test_every_alert_comes_in_the_documented_order():
    facts = replace(HEALTHY, **EVERYTHING_WRONG)
    assert alerts(facts, NOW, MIN_APP, Budget(records=100, megabytes=1)) == list(ALERTS)


@pytest.mark.parametrize(("status", "may_push"), [("revoked", False), ("logged_out", False),
                                                  ("retired", False)])
def test_a_device_that_can_no_longer_sync_gets_no_alerts(status, may_push):
    facts = replace(HEALTHY, status=status, may_push=may_push, **EVERYTHING_WRONG)
    assert alerts(facts, NOW, MIN_APP) == []


def test_an_alert_clears_by_itself_when_the_device_syncs():
    stuck = replace(HEALTHY, outbox_size=3, outbox_oldest_at=ago(hours=26),
                    last_contact_at=ago(hours=26))
    synced = replace(stuck, outbox_size=0, outbox_oldest_at=None, last_contact_at=NOW)
    assert alerts(stuck, NOW, MIN_APP) == ["unsent_over_24h", "silent_24h"]
    assert alerts(synced, NOW, MIN_APP) == []


instants = st.none() | st.integers(-3 * 24 * 60, 10 * 24 * 60).map(lambda m: ago(minutes=m))


@given(st.builds(DeviceFacts,
                 status=st.sampled_from(["active", "retired", "logged_out", "revoked"]),
                 may_push=st.booleans(), outbox_size=st.none() | st.integers(0, 600),
                 outbox_oldest_at=instants, last_contact_at=instants,
                 visit_without_sync=st.booleans(),
                 clock_skew_seconds=st.none() | st.floats(-1e6, 1e6),
                 app_version=st.none() | st.text(max_size=8), last_gap_at=instants))
def test_alerts_are_known_codes_in_order_and_only_for_devices_that_can_sync(facts):
    found = alerts(facts, NOW, MIN_APP)
    assert found == [code for code in ALERTS if code in found]
    if facts.status in ("revoked", "logged_out") or (facts.status == "retired" and not facts.may_push):
        assert found == []
    if not facts.outbox_size:
        assert "unsent_over_24h" not in found


# --- order ---------------------------------------------------------------------------------------

def row(name, alerts=(), status="active", oldest=None, push=None, pull=None, device="Telefon"):
    return {"device_id": f"{name}-{device}", "device_name": device, "worker_name": name,
            "status": status, "alerts": list(alerts), "outbox_oldest_at": oldest,
            "last_push_at": push, "last_pull_at": pull}


def test_devices_with_problems_come_first_the_longest_waiting_unsent_work_on_top():
    rows = [
        row("Anna"),
        row("Bo", ["clock_skew"], push="2026-11-23T07:00:00Z"),
        row("Cecilia", ["unsent_over_24h"], oldest="2026-11-22T06:00:00Z", push="2026-11-23T07:00:00Z"),
        row("David", ["unsent_over_24h", "silent_24h"], oldest="2026-11-20T06:00:00Z",
            push="2026-11-20T07:00:00Z"),
        row("Eva", ["silent_24h"], push="2026-11-21T07:00:00Z"),
        row("Filip", ["silent_24h"], push="2026-11-19T07:00:00Z", pull="2026-11-22T07:00:00Z"),
        row("Anna", device="Gammal", status="revoked"),
        row("Anna", device="Surfplatta", status="retired"),
    ]

    ordered = sorted(rows, key=order_key)

    assert [r["device_id"] for r in ordered] == [
        "David-Telefon", "Cecilia-Telefon", "Eva-Telefon", "Filip-Telefon", "Bo-Telefon",
        "Anna-Telefon", "Anna-Surfplatta", "Anna-Gammal"]
