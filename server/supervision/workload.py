"""The workload dashboard (`supervision.md`, "Workload"): what a team leader looks at to
see who carries too much and which clients get too little.

- Per worker (the team's case managers and boendestödjare): the caseload now against the
  cap of their role (settings `CM_CASELOAD_CAP`, `SUPPORT_CASELOAD_CAP`).
- Per client (of the team, with an order in force in the month or assigned now): hours
  granted, hours delivered and band as in the monthly report (`figures.py`); visits planned,
  done and cancelled by reason in the month; late cancellations and no-shows in the 90 days
  up to now (3 or more: the person in practice gets support once a month); days since the
  client was last met (a done visit; contacts do not exist yet); the casework flags that
  exist today.
- Team totals.

The casework flag of today is `plan_diverges_from_order` (domain.md: 46 % of plans differed
from the order without a word to the orderer). The client's plan (the one last updated) is
compared with the order of the month: an activity of the order that no active plan
activity refers to by `order_activity_id` (dropped, merged, or ended in the plan), and an
active plan activity whose `order_activity_id` is not an activity of that order (an
addition of the plan's own, none given, or one of an older order). Follow-ups and consents
join the flags when the issues that bring them land.
"""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from server.security import roles
from server.security.roles import FIELD_ROLES
from server.security.teams import team_for
from server.supervision.figures import CANCEL_REASONS, ClientMonth, team_month
from server.supervision.months import checked_month, month_of
from server.supervision.swedish import swedish_key
from sync.store import read_transaction
from sync.times import parse_stored, utc_text

# The window of the once-a-month pattern, and when it is flagged (domain.md, seed 003).
PATTERN_DAYS = 90
PATTERN_REASONS = ("client_late_cancel", "no_show")
PATTERN_FLAG_AT = 3

LATE_CANCELS = "late_cancels_and_no_shows"
# Visits of the team's clients, found client by client through `visits_client` (a join
# grouped by client would walk the index of every visit in the database instead).
_OF_TEAM = "v.client_id IN (SELECT id FROM clients WHERE team_id = ?)"
PLAN_DIVERGES = "plan_diverges_from_order"


def workload_for(db, *, user: dict, team_id: str | None, month: str | None, now: datetime,
                 zone: ZoneInfo, caps: dict[str, int]) -> dict:
    """The dashboard of a team the supervisor leads (their own by default), read in one
    snapshot."""
    with read_transaction(db):
        team = team_for(db, user, roles.SEE_DASHBOARDS, team_id)
        return workload(db, team_id=team, month=month, now=now, zone=zone, caps=caps)


def workload(db, *, team_id: str, month: str | None, now: datetime, zone: ZoneInfo,
             caps: dict[str, int]) -> dict:
    """The dashboard of one team for `month` (default: the current one)."""
    month = checked_month(month) if month is not None else month_of(now, zone)
    at = utc_text(now)
    assigned = _current_assignments(db, team_id, at)
    clients = team_month(db, team_id, month, zone, also=frozenset(c for c, _ in assigned))
    workers = _workers(db, team_id, at, caps)
    current = {client_id: worker_id for client_id, worker_id in assigned}
    names = {w["worker_id"]: w["worker_name"] for w in workers}
    patterns = _pattern_counts(db, team_id, now)
    last_met = _last_met(db, team_id, at)
    plans = _latest_plans(db, team_id)
    rows = []
    for client in clients.values():
        divergence = plan_divergence(plans.get(client.client_id), client.order)
        rows.append(_client_row(client, current.get(client.client_id), names,
                                patterns.get(client.client_id, 0),
                                _days_since(last_met.get(client.client_id), now, zone),
                                divergence))
    # By worker (clients without one last), then client, in Swedish order.
    rows.sort(key=lambda r: (not r["worker_name"], swedish_key(r["worker_name"]),
                             swedish_key(r["client_name"]), r["client_id"]))
    return {"generated_at": at, "month": month, "team_id": team_id, "caps": dict(caps),
            "workers": workers, "clients": rows, "totals": _totals(workers, rows)}


def plan_divergence(plan: list[dict] | None, order: dict | None) -> dict | None:
    """What differs between a plan's activities and its order's (None: nothing, or no plan
    or no order to compare)."""
    if plan is None or order is None:
        return None
    active = [a for a in plan if a.get("active", True)]
    ordered = {a["id"]: a for a in order["activities"]}
    referred = {a.get("order_activity_id") for a in active}
    missing = [{"id": a["id"], "name": a["name"]} for a in order["activities"]
               if a["id"] not in referred]
    extra = [{"id": a["id"], "name": a["name"], "order_activity_id": a.get("order_activity_id")}
             for a in active if a.get("order_activity_id") not in ordered]
    if not missing and not extra:
        return None
    return {"order_id": order["id"], "order_activities_not_in_plan": missing,
            "plan_activities_not_in_order": extra}


def _client_row(client: ClientMonth, worker_id, names, pattern, days, divergence) -> dict:
    flags = []
    if pattern >= PATTERN_FLAG_AT:
        flags.append(LATE_CANCELS)
    if divergence is not None:
        flags.append(PLAN_DIVERGES)
    order = client.order or {}
    return {
        "client_id": client.client_id, "client_name": client.name, "service": client.service,
        "worker_id": worker_id, "worker_name": names.get(worker_id, "") if worker_id else "",
        "orderer": order.get("orderer", ""), "hours_granted": client.hours_granted,
        "hours_delivered": client.hours_delivered, "band": client.band,
        "visits": {"planned": client.planned, "done": client.visits_done,
                   "cancelled": dict(client.cancelled)},
        "late_cancels_and_no_shows_90d": pattern, "days_since_last_met": days,
        "flags": flags, "plan_divergence": divergence,
    }


def _workers(db, team_id, at, caps) -> list[dict]:
    """The team's active field workers with their caseload now (every client assigned to
    them, of any team) and their cap."""
    roles = json.dumps(list(FIELD_ROLES))
    rows = db.execute(
        "SELECT w.id, w.name, w.role, (SELECT count(DISTINCT a.client_id) FROM assignments a "
        "WHERE a.worker_id = w.id AND a.starts_at <= ? AND (a.ends_at IS NULL OR a.ends_at > ?)) "
        "FROM workers w WHERE w.team_id = ? AND w.active = 1 "
        "AND w.role IN (SELECT value FROM json_each(?))",
        [at, at, team_id, roles]).fetchall()
    workers = [{"worker_id": worker_id, "worker_name": name, "role": role, "caseload": caseload,
                "cap": caps[role], "over_cap": caseload > caps[role],
                "at_cap": caseload >= caps[role]}
               for worker_id, name, role, caseload in rows]
    return sorted(workers, key=lambda w: (swedish_key(w["worker_name"]), w["worker_id"]))


def _current_assignments(db, team_id, at) -> list[tuple[str, str]]:
    """(client_id, worker_id) of every current assignment of a client of the team."""
    return db.execute(
        "SELECT a.client_id, a.worker_id FROM assignments a JOIN clients c ON c.id = a.client_id "
        "WHERE c.team_id = ? AND a.starts_at <= ? AND (a.ends_at IS NULL OR a.ends_at > ?) "
        "ORDER BY a.starts_at, a.id", [team_id, at, at]).fetchall()


def _pattern_counts(db, team_id, now) -> dict[str, int]:
    """Late cancellations and no-shows booked in the 90 days up to now, per client."""
    since, until = utc_text(now - timedelta(days=PATTERN_DAYS)), utc_text(now)
    return dict(db.execute(
        f"SELECT v.client_id, count(*) FROM visits v WHERE {_OF_TEAM} AND v.status = 'cancelled' "
        "AND v.cancel_reason IN (SELECT value FROM json_each(?)) "
        "AND v.starts_at > ? AND v.starts_at <= ? GROUP BY v.client_id",
        [team_id, json.dumps(PATTERN_REASONS), since, until]).fetchall())


def _last_met(db, team_id, at) -> dict[str, str]:
    """When each client was last met, up to now: the latest start of a done visit."""
    return dict(db.execute(
        f"SELECT v.client_id, max(v.started_at) FROM visits v WHERE {_OF_TEAM} "
        "AND v.status = 'done' AND v.started_at <= ? GROUP BY v.client_id",
        [team_id, at]).fetchall())


def _days_since(stored: str | None, now: datetime, zone: ZoneInfo) -> int | None:
    """Calendar days in the users' zone from the day last met to today (0: met today)."""
    if stored is None:
        return None
    return (now.astimezone(zone).date() - parse_stored(stored).astimezone(zone).date()).days


def _latest_plans(db, team_id) -> dict[str, list[dict]]:
    """Each client's plan last updated (its activities)."""
    plans = {}
    for client_id, activities in db.execute(
            "SELECT p.client_id, p.activities FROM plans p "
            "WHERE p.client_id IN (SELECT id FROM clients WHERE team_id = ?) "
            "ORDER BY p.updated_at, p.id", [team_id]):
        plans[client_id] = json.loads(activities)
    return plans


def _totals(workers: list[dict], clients: list[dict]) -> dict:
    def total(name):
        return sum((c[name] for c in clients if c[name] is not None), Decimal("0.00"))

    return {
        "workers": len(workers),
        "caseload": sum(w["caseload"] for w in workers),
        "cap": sum(w["cap"] for w in workers),
        "workers_over_cap": sum(w["over_cap"] for w in workers),
        "clients": len(clients),
        "hours_granted": total("hours_granted"),
        "hours_delivered": total("hours_delivered"),
        "visits": {"planned": sum(c["visits"]["planned"] for c in clients),
                   "done": sum(c["visits"]["done"] for c in clients),
                   "cancelled": {reason: sum(c["visits"]["cancelled"][reason] for c in clients)
                                 for reason in CANCEL_REASONS}},
        "clients_flagged": {flag: sum(flag in c["flags"] for c in clients)
                            for flag in (LATE_CANCELS, PLAN_DIVERGES)},
    }
