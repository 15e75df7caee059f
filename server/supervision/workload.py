"""The workload dashboard (`supervision.md`, "Workload"): what a team leader looks at to
see who carries too much and which clients get too little.

- Per worker (the team's case managers and boendestödjare): the caseload now against the
  cap of their role (settings `CM_CASELOAD_CAP`, `SUPPORT_CASELOAD_CAP`).
- Per client (of the team, with an order in force in the month or assigned now): hours
  granted, hours delivered (visits and contacts) and band as in the monthly report
  (`figures.py`); visits planned, done and cancelled by reason in the month, and contacts;
  late cancellations and no-shows in the 90 days up to now (3 or more: the person in
  practice gets support once a month); days since the client was last met (a done visit or
  a contact in person); the casework flags that exist today.
- Team totals.

The casework flags of today:
- `consent_missing_or_stale` (domain.md: consents 4-5 years old, or missing while
  psychiatry was contacted): a party contacted in the last 90 days, or an appointment in
  them or to come (not cancelled), whose record carries `consent_warning`: no valid consent
  for the party on its day, or only a stale one (`casework/consents.py`, judged when the
  work was recorded). `consent_warnings` lists each party, the latest such work with it and
  whether the consent was stale.
- `plan_diverges_from_order` (domain.md: 46 % of plans differed from the order without a
  word to the orderer). The client's plan (the one last updated) is compared with the order
  of the month (`casework/divergence.py`): an activity of the order that no active plan
  activity names (dropped, or ended in the plan), ordered activities merged into one, an
  active plan activity naming none of that order's activities (an addition of the plan's
  own, none given, or one of an older order), and more minutes a month planned than the
  hours granted. `plan_divergence.dialogue` says what is documented of the plan's dialogue
  with the orderer (`casework/plan_dialogue.py`): the notices sent, the local day of the
  last notice and of the last reply, and the last reply's outcome.
- `plan_diverges_without_dialogue` (the same audit: the plans differed *with no documented
  dialogue*): the plan diverges and no notice to the orderer has been recorded since the
  plan last changed (none about the plan's activities as they stand). Raised beside
  `plan_diverges_from_order`, and cleared by a notice; a reply or note does not clear it.

- `followup_overdue` (domain.md: 16 % of cases had no documented follow-up). Each goal of
  the order of the month is due for follow-up `FOLLOWUP_MONTHS` after the order's start or
  its last follow-up, and overdue 30 days after that (`casework/followups.py`), judged on
  today's local day: `followups_due` counts the goals due now (the overdue ones included),
  `followups_overdue` those overdue, `followups` lists them ({goal_id, due_on, status});
  the flag is raised by one overdue goal.
"""

import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from server.casework.consents import party_key
from server.casework.divergence import divergence, ordered_ids
from server.casework.followups import DUE, OVERDUE, default_months, followups_due, followups_of_clients
from server.casework.plan_dialogue import dialogue_of_plans, plan_state
from server.casework.plan_dialogue import summary as dialogue_summary
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
PLAN_UNTOLD = "plan_diverges_without_dialogue"
CONSENT_MISSING = "consent_missing_or_stale"
# A party worked with this recently without a valid consent is flagged (supervision.md).
CONSENT_DAYS = 90
FOLLOWUP_OVERDUE = "followup_overdue"
FLAGS = (LATE_CANCELS, CONSENT_MISSING, PLAN_DIVERGES, PLAN_UNTOLD, FOLLOWUP_OVERDUE)


def workload_for(db, *, user: dict, team_id: str | None, month: str | None, now: datetime,
                 zone: ZoneInfo, caps: dict[str, int], followup_months: int | None = None) -> dict:
    """The dashboard of a team the supervisor leads (their own by default), read in one
    snapshot."""
    with read_transaction(db):
        team = team_for(db, user, roles.SEE_DASHBOARDS, team_id)
        return workload(db, team_id=team, month=month, now=now, zone=zone, caps=caps,
                        followup_months=followup_months)


def workload(db, *, team_id: str, month: str | None, now: datetime, zone: ZoneInfo,
             caps: dict[str, int], followup_months: int | None = None) -> dict:
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
    dialogue = dialogue_of_plans(db, [plan["id"] for plan in plans.values()])
    consents = _consent_warnings(db, team_id, now, zone)
    due = _followups_due(db, clients, now.astimezone(zone).date(), zone,
                         followup_months or default_months())
    rows = []
    for client in clients.values():
        plan = plans.get(client.client_id)
        divergence = plan_divergence(plan and plan["activities"], client.order)
        told = None
        if divergence is not None:
            found = dialogue_summary(dialogue.get(plan["id"], []), plan["state"], zone)
            divergence["dialogue"], told = found.as_dict(), found.told
        rows.append(_client_row(client, current.get(client.client_id), names,
                                patterns.get(client.client_id, 0),
                                _days_since(last_met.get(client.client_id), now, zone),
                                divergence, told, consents.get(client.client_id, []),
                                due.get(client.client_id, [])))
    # By worker (clients without one last), then client, in Swedish order.
    rows.sort(key=lambda r: (not r["worker_name"], swedish_key(r["worker_name"]),
                             swedish_key(r["client_name"]), r["client_id"]))
    return {"generated_at": at, "month": month, "team_id": team_id, "caps": dict(caps),
            "workers": workers, "clients": rows, "totals": _totals(workers, rows)}


def plan_divergence(plan: list[dict] | None, order: dict | None) -> dict | None:
    """What differs between a plan's activities and its order's (None: nothing, or no plan
    or no order to compare), as `casework/divergence.py` judges it."""
    found = divergence(order, {"id": None, "activities": plan} if plan is not None else None)
    if found is None or not found.any:
        return None
    named = {a["id"]: ordered_ids(a) for a in plan}
    return {"order_id": order["id"], "order_activities_not_in_plan": found.dropped,
            "plan_activities_not_in_order": [
                {**a, "order_activity_id": (named.get(a["id"]) or [None])[0]}
                for a in found.not_in_order],
            "merged": found.merged, "planned_minutes": found.planned_minutes,
            "granted_minutes": found.granted_minutes, "hours_over": found.hours_over}


def _followups_due(db, clients: dict[str, ClientMonth], today, zone, months) -> dict[str, list[dict]]:
    """Per client, the goals of its order of the month due for follow-up today (overdue
    ones included), by due day."""
    orders = {c.order["id"]: c.client_id for c in clients.values() if c.order}
    goals = dict(db.execute("SELECT id, goals FROM orders WHERE id IN (SELECT value FROM json_each(?))",
                            [json.dumps(sorted(orders))]).fetchall())
    followups = followups_of_clients(db, orders.values())
    found = {}
    for order_id, client_id in orders.items():
        order = {**clients[client_id].order, "goals": json.loads(goals.get(order_id) or "[]")}
        due = [g.as_dict() for g in followups_due(order, followups.get(client_id, []), today, months, zone)
               if g.status in (DUE, OVERDUE)]
        found[client_id] = sorted(due, key=lambda g: (g["due_on"], g["goal_id"]))
    return found


def _client_row(client: ClientMonth, worker_id, names, pattern, days, divergence, told,
                consent_warnings, followups) -> dict:
    overdue = sum(g["status"] == OVERDUE for g in followups)
    flags = []
    if pattern >= PATTERN_FLAG_AT:
        flags.append(LATE_CANCELS)
    if consent_warnings:
        flags.append(CONSENT_MISSING)
    if divergence is not None:
        flags.append(PLAN_DIVERGES)
        if not told:
            flags.append(PLAN_UNTOLD)
    if overdue:
        flags.append(FOLLOWUP_OVERDUE)
    order = client.order or {}
    return {
        "client_id": client.client_id, "client_name": client.name, "service": client.service,
        "worker_id": worker_id, "worker_name": names.get(worker_id, "") if worker_id else "",
        "orderer": order.get("orderer", ""), "hours_granted": client.hours_granted,
        "hours_delivered": client.hours_delivered, "band": client.band,
        "visits": {"planned": client.planned, "done": client.visits_done,
                   "cancelled": dict(client.cancelled)},
        "contacts": client.contacts,
        "late_cancels_and_no_shows_90d": pattern, "days_since_last_met": days,
        "flags": flags, "plan_divergence": divergence, "consent_warnings": consent_warnings,
        "followups_due": len(followups), "followups_overdue": overdue, "followups": followups,
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
    """When each client was last met, up to now: the latest start of a done visit or of a
    contact in person (a phone call is not meeting)."""
    return dict(db.execute(
        "SELECT client_id, max(met) FROM (SELECT v.client_id, v.started_at AS met FROM visits v "
        "WHERE v.client_id IN (SELECT id FROM clients WHERE team_id = :team) "
        "AND v.status = 'done' AND v.started_at <= :at "
        "UNION ALL SELECT k.client_id, k.started_at FROM contacts k "
        "WHERE k.client_id IN (SELECT id FROM clients WHERE team_id = :team) "
        "AND k.channel = 'in_person' AND k.started_at <= :at) GROUP BY client_id",
        {"team": team_id, "at": at}).fetchall())


def _consent_warnings(db, team_id, now, zone) -> dict[str, list[dict]]:
    """Per client, each party worked with in the last 90 days (contacts up to now,
    appointments from then on, to come included, not cancelled) whose record carries a
    consent warning: {party, stale, last_at (local ISO time), record_type}, by party."""
    since, until = utc_text(now - timedelta(days=CONSENT_DAYS)), utc_text(now)
    rows = db.execute(
        "SELECT k.client_id, k.party, k.consent_stale, k.started_at, 'contact' FROM contacts k "
        "WHERE k.client_id IN (SELECT id FROM clients WHERE team_id = :team) "
        "AND k.consent_warning = 1 AND k.started_at > :since AND k.started_at <= :until "
        "UNION ALL SELECT a.client_id, a.with_party, a.consent_stale, a.starts_at, 'appointment' "
        "FROM appointments a WHERE a.client_id IN (SELECT id FROM clients WHERE team_id = :team) "
        "AND a.consent_warning = 1 AND a.status != 'cancelled' AND a.starts_at > :since "
        "ORDER BY 4", {"team": team_id, "since": since, "until": until}).fetchall()
    found: dict[str, dict[str, dict]] = {}
    for client_id, party, stale, at_text, record_type in rows:
        # The latest work with the party speaks for it (rows come oldest first).
        found.setdefault(client_id, {})[party_key(party)] = {
            "party": party, "stale": bool(stale), "record_type": record_type,
            "last_at": parse_stored(at_text).astimezone(zone).isoformat()}
    return {client_id: sorted(parties.values(), key=lambda p: swedish_key(p["party"]))
            for client_id, parties in found.items()}


def _days_since(stored: str | None, now: datetime, zone: ZoneInfo) -> int | None:
    """Calendar days in the users' zone from the day last met to today (0: met today)."""
    if stored is None:
        return None
    return (now.astimezone(zone).date() - parse_stored(stored).astimezone(zone).date()).days


def _latest_plans(db, team_id) -> dict[str, dict]:
    """Each client's plan last updated: {id, activities, state (`plan_state`)}."""
    plans = {}
    for plan_id, client_id, activities in db.execute(
            "SELECT p.id, p.client_id, p.activities FROM plans p "
            "WHERE p.client_id IN (SELECT id FROM clients WHERE team_id = ?) "
            "ORDER BY p.updated_at, p.id", [team_id]):
        plans[client_id] = {"id": plan_id, "activities": json.loads(activities),
                            "state": plan_state(activities)}
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
        "contacts": sum(c["contacts"] for c in clients),
        "followups_due": sum(c["followups_due"] for c in clients),
        "followups_overdue": sum(c["followups_overdue"] for c in clients),
        "clients_flagged": {flag: sum(flag in c["flags"] for c in clients) for flag in FLAGS},
    }
