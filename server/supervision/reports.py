"""The monthly report to the orderer (`supervision.md`, "The monthly report"): one row per
client of the team with an order in force on any day of the month, the columns of the
table there, sorted by orderer, then client name in Swedish order, ties by client id.

The report is never frozen: it always shows the current data. Once the month is approved,
work recorded about it is counted in `late_corrections`, and the next month's report lists
each such change in `corrections` (client, visit or contact, what changed). Delivered hours
include the month's contacts (`figures.py`). `goals_followed_up` counts the client's
goals with a follow-up recorded in the month (in the users' zone; a goal followed up twice,
or through two of its subgoals, counts once: `casework/followups.py`). `report_format.py`
writes the same rows as CSV and as a printable page.
"""

import json
from decimal import Decimal
from zoneinfo import ZoneInfo

from server.security import roles
from server.security.teams import team_for
from server.supervision.figures import ClientMonth, orders_of_month, team_month
from server.supervision.months import approval, change_of, checked_month, month_bounds, previous_month
from server.supervision.swedish import swedish_key
from sync.store import read_transaction
from sync.times import parse_stored

# The columns, in the order of the CSV header (`supervision.md`, exactly).
COLUMNS = ("orderer", "order_ref", "client", "service", "worker", "hours_granted", "band",
           "hours_delivered", "visits_done", "client_cancelled", "client_late_cancel",
           "no_show", "staff_cancelled", "booked_hours_cancelled", "activities_done",
           "goals_followed_up", "late_corrections")
HOURS_COLUMNS = ("hours_granted", "hours_delivered", "booked_hours_cancelled")
COUNT_COLUMNS = ("visits_done", "client_cancelled", "client_late_cancel", "no_show",
                 "staff_cancelled", "activities_done", "goals_followed_up", "late_corrections")
FORMATS = ("json", "csv", "html")


def row_of(client: ClientMonth, goals_followed_up: int = 0) -> dict:
    """The report's row of one client's month. Hours are Decimals (None: no hours granted),
    counts integers, text columns empty rather than missing."""
    order = client.order or {}
    return {
        "orderer": order.get("orderer", ""),
        "order_ref": order.get("order_ref", ""),
        "client": client.name,
        "service": order.get("service", client.service),
        "worker": client.worker_name,
        "hours_granted": client.hours_granted,
        "band": client.band,
        "hours_delivered": client.hours_delivered,
        "visits_done": client.visits_done,
        "client_cancelled": client.cancelled["client_cancelled"],
        "client_late_cancel": client.cancelled["client_late_cancel"],
        "no_show": client.cancelled["no_show"],
        "staff_cancelled": client.cancelled["staff_cancelled"],
        "booked_hours_cancelled": client.booked_hours_cancelled,
        "activities_done": client.activities_done,
        "goals_followed_up": goals_followed_up,
        "late_corrections": client.late_corrections,
        # Beside the columns, in the JSON only: which client and order the row is.
        "client_id": client.client_id,
        "order_id": order.get("id"),
    }


def report_order(row: dict) -> tuple:
    """Orderer, then client name, in Swedish order; ties by client id."""
    return swedish_key(row["orderer"]), swedish_key(row["client"]), row["client_id"]


def totals_of(rows: list[dict]) -> dict:
    """The sum of each numeric column as the rows show it (rounded hours added up)."""
    totals = {name: sum((row[name] for row in rows if row[name] is not None), Decimal("0.00"))
              for name in HOURS_COLUMNS}
    totals.update({name: sum(row[name] for row in rows) for name in COUNT_COLUMNS})
    return totals


def report_for(db, *, user: dict, team_id: str | None, month: str, zone: ZoneInfo,
               orderer: str | None = None) -> dict:
    """The monthly report of a team the supervisor leads (their own by default), read in
    one snapshot."""
    with read_transaction(db):
        team = team_for(db, user, roles.SEE_DASHBOARDS, team_id)
        return monthly_report(db, team_id=team, month=month, zone=zone, orderer=orderer)


def monthly_report(db, *, team_id: str, month: str, zone: ZoneInfo,
                   orderer: str | None = None) -> dict:
    """The report of one team's month, for one orderer when `orderer` is given (each district
    receives only its own clients' figures)."""
    checked_month(month)
    followed_up = goals_followed_up(db, team_id, month, zone)
    rows = sorted((row_of(client, followed_up.get(client.client_id, 0))
                   for client in team_month(db, team_id, month, zone).values()),
                  key=report_order)
    if orderer is not None:
        rows = [row for row in rows if row["orderer"] == orderer]
    approved = approval(db, team_id, month) or {}
    return {
        "month": month,
        "team_id": team_id,
        "team_name": _team_name(db, team_id),
        "orderer": orderer,
        "approved_at": approved.get("approved_at"),
        "approved_by": approved.get("approved_by"),
        "approved_by_name": approved.get("approved_by_name"),
        "rows": rows,
        "totals": totals_of(rows),
        "corrections": corrections_of(db, team_id=team_id, month=previous_month(month),
                                      zone=zone, orderer=orderer),
    }


def goals_followed_up(db, team_id: str, month: str, zone: ZoneInfo) -> dict[str, int]:
    """Per client of the team, how many of its goals were followed up in the month."""
    start, end = month_bounds(month, zone)
    return dict(db.execute(
        "SELECT f.client_id, count(DISTINCT f.goal_id) FROM followups f "
        "WHERE f.client_id IN (SELECT id FROM clients WHERE team_id = ?) "
        "AND f.recorded_at >= ? AND f.recorded_at < ? GROUP BY f.client_id",
        [team_id, start, end]).fetchall())


def corrections_of(db, *, team_id: str, month: str, zone: ZoneInfo,
                   orderer: str | None = None) -> list[dict]:
    """The changes recorded about `month` after it was approved, oldest first: what the
    report of the month after lists. With `orderer`, only those about that orderer's
    clients (the orderer of the client's order of `month`)."""
    orders = orders_of_month(db, team_id, month, zone) if orderer is not None else {}
    found = []
    for row in db.execute(
            "SELECT r.id, r.record_type, r.record_id, r.client_id, c.name, r.mutation_id, "
            "r.mutation_name, r.fields, r.recorded_at, coalesce(v.started_at, v.starts_at), "
            "k.started_at FROM report_corrections r LEFT JOIN clients c ON c.id = r.client_id "
            "LEFT JOIN visits v ON r.record_type = 'visit' AND v.id = r.record_id "
            "LEFT JOIN contacts k ON r.record_type = 'contact' AND k.id = r.record_id "
            "WHERE r.team_id = ? AND r.month = ? ORDER BY r.recorded_at, r.rowid",
            [team_id, month]):
        if orderer is not None and (orders.get(row[3]) or {}).get("orderer") != orderer:
            continue
        visit_at, contact_at = parse_stored(row[9]), parse_stored(row[10])
        found.append({
            "month": month, "client_id": row[3], "client": row[4] or "",
            "record_type": row[1], "visit_id": row[2] if row[1] == "visit" else None,
            "visit_at": visit_at.astimezone(zone).isoformat() if visit_at else None,
            "contact_id": row[2] if row[1] == "contact" else None,
            "contact_at": contact_at.astimezone(zone).isoformat() if contact_at else None,
            "change": change_of(row[6]), "mutation_name": row[6], "mutation_id": row[5],
            "fields": json.loads(row[7]), "recorded_at": row[8],
        })
    return found


def _team_name(db, team_id: str) -> str:
    row = db.execute("SELECT name FROM teams WHERE id = ?", [team_id]).fetchone()
    return row[0] if row else ""
