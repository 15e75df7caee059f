"""The sync dashboard (shared docs, `supervision.md`, "Sync dashboard"): one row per device of
the team's workers, what each last reported, and the alerts a supervisor acts on (call the
worker: "3 ändringar har inte skickats på 26 timmar").

The alerts are a pure function of one device's facts and the time (`alerts`), so an alert
clears by itself as soon as its condition stops holding: nothing is stored about it.

- `unsent_over_24h`: the device reported unsent changes, the oldest queued over 24 h ago;
- `silent_24h`: no push or pull for 24 h from a device that has unsent changes, or whose
  worker had a visit in the last 24 h while none of their active devices synced;
- `clock_skew`: the device's clock was more than 5 minutes off at its last push;
- `old_app`: its app is older than the server's `min_app_version` (`contract/vectors/
  app-versions.json` pins the comparison on both sides);
- `seq_gap`: a gap in its `device_seq` was seen in the last 7 days (a change was lost);
- `over_budget`: it last reported more records or storage than its data budget
  (`device_storage.py`).

Only devices that can still sync get alerts: active ones, and retired ones while they may
still send their unsent work. What a revoked or logged-out device last reported is history.

Order ("newest problems first"): devices with alerts first, the one whose unsent work has
waited longest on top, then the longest silent; then the others, active before retired,
logged-out and revoked; ties by worker name, then device name.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from server.security import roles
from server.security.devices import retired_may_push
from server.security.teams import team_for
from server.supervision.device_storage import Budget, over_budget
from sync.times import parse_stored, utc_text

UNSENT_OVER_24H, SILENT_24H, CLOCK_SKEW, OLD_APP, SEQ_GAP, OVER_BUDGET = (
    "unsent_over_24h", "silent_24h", "clock_skew", "old_app", "seq_gap", "over_budget")
ALERTS = (UNSENT_OVER_24H, SILENT_24H, CLOCK_SKEW, OLD_APP, SEQ_GAP, OVER_BUDGET)

# The thresholds supervision.md fixes. Lower ones would have supervisors calling workers who
# are simply off for the evening; higher ones let a lost change wait over a weekend.
UNSENT_LIMIT = timedelta(hours=24)
SILENT_LIMIT = timedelta(hours=24)
VISIT_LOOKBACK = timedelta(hours=24)
CLOCK_SKEW_LIMIT_SECONDS = 5 * 60
SEQ_GAP_SHOWN = timedelta(days=7)

_STATUS_ORDER = {"active": 0, "retired": 1, "logged_out": 2, "revoked": 3}


@dataclass(frozen=True)
class DeviceFacts:
    """What the alerts are computed from, for one device."""

    status: str
    may_push: bool = False  # a retired device still sending its unsent work
    outbox_size: int | None = None
    outbox_oldest_at: datetime | None = None
    last_contact_at: datetime | None = None  # its last push or pull (else its login)
    visit_without_sync: bool = False  # its worker had a visit in the last 24 h, no device synced
    clock_skew_seconds: float | None = None
    app_version: str | None = None
    last_gap_at: datetime | None = None
    storage_records: int | None = None  # as last reported (`device_storage.py`)
    storage_bytes: int | None = None


def alerts(facts: DeviceFacts, now: datetime, min_app_version: str,
           budget: Budget | None = None) -> list[str]:
    """The device's alerts, in `ALERTS` order. Pure."""
    can_sync = facts.status == "active" or (facts.status == "retired" and facts.may_push)
    if not can_sync:
        return []
    unsent = bool(facts.outbox_size)
    found = set()
    if unsent and facts.outbox_oldest_at is not None and now - facts.outbox_oldest_at > UNSENT_LIMIT:
        found.add(UNSENT_OVER_24H)
    # A retired phone is not expected to sync for visits: its worker has a new one.
    expected = unsent or (facts.status == "active" and facts.visit_without_sync)
    silent = facts.last_contact_at is None or now - facts.last_contact_at >= SILENT_LIMIT
    if expected and silent:
        found.add(SILENT_24H)
    if facts.clock_skew_seconds is not None and abs(facts.clock_skew_seconds) > CLOCK_SKEW_LIMIT_SECONDS:
        found.add(CLOCK_SKEW)
    if facts.app_version is not None and version_below(facts.app_version, min_app_version):
        found.add(OLD_APP)
    if facts.last_gap_at is not None and now - facts.last_gap_at < SEQ_GAP_SHOWN:
        found.add(SEQ_GAP)
    if budget is not None and over_budget(facts.storage_records, facts.storage_bytes, budget):
        found.add(OVER_BUDGET)
    return [code for code in ALERTS if code in found]


_LEADING_NUMBER = re.compile(r"\s*([+-]?\d+)")


def _version_parts(version: str) -> list[int]:
    # As the phone's `compareVersions` (pwa/src/sync/status.js): each dot-separated part's
    # leading integer, 0 when it has none.
    parts = []
    for part in str(version).split("."):
        match = _LEADING_NUMBER.match(part)
        parts.append(int(match.group(1)) if match else 0)
    return parts


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as app version `a` is below, equal to or above `b`. Pure."""
    pa, pb = _version_parts(a), _version_parts(b)
    width = max(len(pa), len(pb))
    pa, pb = pa + [0] * (width - len(pa)), pb + [0] * (width - len(pb))
    return (pa > pb) - (pa < pb)


def version_below(version: str, minimum: str) -> bool:
    return compare_versions(version, minimum) < 0


def order_key(row: dict):
    """"Newest problems first" (the module's header). Rows are dashboard rows."""
    if row["alerts"]:
        oldest = row["outbox_oldest_at"] if UNSENT_OVER_24H in row["alerts"] else None
        contact = max(filter(None, (row["last_push_at"], row["last_pull_at"])), default="")
        # Text instants sort as time; missing ones after (oldest) or before (contact) the rest.
        return (0, oldest is None, oldest or "", contact, _names(row))
    return (1, _STATUS_ORDER.get(row["status"], 9), "", "", _names(row))


def _names(row):
    return (row["worker_name"].casefold(), (row["device_name"] or "").casefold(), row["device_id"])


# --- reading the database ------------------------------------------------------------------------

_ROWS_SQL = """
SELECT d.id, d.name, d.worker_id, w.name, d.status, d.created_at, d.ended_at,
       s.last_push_at, s.last_pull_at, s.outbox_size, s.outbox_oldest_at, s.app_version,
       s.clock_skew_seconds, coalesce(s.seq_gaps, 0), s.last_gap_at,
       (SELECT count(*) FROM sync_parked p WHERE p.device_id = d.id AND p.status = 'open'),
       (SELECT max(ps.failures > 0) FROM push_subscriptions ps
        WHERE ps.device_id = d.id AND ps.disabled_at IS NULL),
       ds.records, ds.bytes_used, ds.reported_at
FROM devices d JOIN workers w ON w.id = d.worker_id
LEFT JOIN sync_devices s ON s.device_id = d.id
LEFT JOIN device_storage ds ON ds.device_id = d.id
WHERE w.team_id = ?
"""


def _push_state(status: str, failing, push_enabled: bool) -> str:
    if not push_enabled:
        return "off"
    if status != "active" or failing is None:
        return "none"  # reminders go to active devices only
    return "failing" if failing else "ok"


def _visited_workers(db, team_id: str, now: datetime) -> set[str]:
    """The team's workers with a visit (planned or done) starting in the last 24 hours."""
    return {row[0] for row in db.execute(
        "SELECT DISTINCT v.worker_id FROM visits v JOIN workers w ON w.id = v.worker_id "
        "WHERE w.team_id = ? AND v.status != 'cancelled' AND v.starts_at > ? AND v.starts_at <= ?",
        [team_id, utc_text(now - VISIT_LOOKBACK), utc_text(now)])}


def sync_dashboard(db, user: dict, team_id: str | None = None, *, now: datetime,
                   min_app_version: str, push_enabled: bool, budget: Budget | None = None) -> dict:
    """The dashboard of a team the user leads (`team_id`, else their own); refused (403)
    to anyone but its supervisors. `budget`: the phones' data budget (none: not judged)."""
    team_id = team_for(db, user, roles.SEE_DASHBOARDS, team_id)
    return team_sync_dashboard(db, team_id, now=now, min_app_version=min_app_version,
                               push_enabled=push_enabled, budget=budget)


def team_sync_dashboard(db, team_id: str, *, now: datetime, min_app_version: str,
                        push_enabled: bool, budget: Budget | None = None) -> dict:
    """The dashboard of one team (whoever asks has been checked)."""
    rows = db.execute(_ROWS_SQL, [team_id]).fetchall()
    visited = _visited_workers(db, team_id, now)
    contact = {}
    for r in rows:
        contact[r[0]] = max(filter(None, (r[7], r[8])), default=None) or r[5]
    # A worker counts as synced when any of their active devices was in contact in 24 h.
    synced_workers = {r[2] for r in rows if r[4] == "active"
                      and now - parse_stored(contact[r[0]]) < SILENT_LIMIT}
    devices = []
    for (device_id, name, worker_id, worker_name, status, _created, ended_at, last_push_at,
         last_pull_at, outbox_size, outbox_oldest_at, app_version, skew, seq_gaps, last_gap_at,
         parked_open, failing, storage_records, storage_bytes, storage_reported_at) in rows:
        facts = DeviceFacts(
            status=status,
            may_push=status == "retired" and retired_may_push(db, device_id, ended_at, now),
            outbox_size=outbox_size,
            outbox_oldest_at=parse_stored(outbox_oldest_at),
            last_contact_at=parse_stored(contact[device_id]),
            visit_without_sync=worker_id in visited and worker_id not in synced_workers,
            clock_skew_seconds=skew,
            app_version=app_version,
            last_gap_at=parse_stored(last_gap_at),
            storage_records=storage_records,
            storage_bytes=storage_bytes,
        )
        devices.append({
            "device_id": device_id, "device_name": name, "worker_id": worker_id,
            "worker_name": worker_name, "status": status,
            "last_push_at": last_push_at, "last_pull_at": last_pull_at,
            "outbox_size": outbox_size, "outbox_oldest_at": outbox_oldest_at,
            "app_version": app_version,
            "clock_skew_seconds": round(skew) if skew is not None else None,
            "seq_gaps": seq_gaps,
            "push": _push_state(status, failing, push_enabled),
            "parked_open": parked_open,
            "storage_records": storage_records, "storage_bytes": storage_bytes,
            "storage_reported_at": storage_reported_at,
            "alerts": alerts(facts, now, min_app_version, budget),
        })
    devices.sort(key=order_key)
    parked_total = db.execute(
        "SELECT count(*) FROM sync_parked p JOIN workers w ON w.id = p.user_id "
        "WHERE w.team_id = ? AND p.status = 'open'", [team_id]).fetchone()[0]
    return {"generated_at": utc_text(now), "team_id": team_id, "devices": devices,
            "parked_open": parked_total}
