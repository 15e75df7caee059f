"""A team's month, client by client: the figures the monthly report and the workload
dashboard share (`supervision.md`, "The monthly report", the column table).

- The order of the month: of a client's orders in force on any day of the month, the one in
  force on its last day, else the one that started last (`order_of_month`). It gives the
  orderer, the reference, the hours granted and the band.
- Hours are `Decimal`, rounded half up to two decimals (`hours`): 44 + 47 minutes are
  91 / 60 = 1.5166… h, shown 1.52; a float would round 1.745 down.
- "Falls in the month" is judged in the users' zone (`months.month_bounds`): a done visit by
  its `started_at`, a cancelled or planned one by its `starts_at`, a contact by its
  `started_at`.
- Delivered time is the minutes of the month's done visits plus those of its contacts (a
  case manager's outreach and coordination, `casework/contacts.py`); `visits_done` counts
  visits only.

Plain functions over the database, one query per kind of record for the whole team, so a
team's month costs the same few queries however many clients it has.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import contract
from server.supervision.months import month_bounds, month_start, next_month
from sync.times import parse_stored

CANCEL_REASONS = contract.enum("cancel_reason")
# The cancellations the orderer pays booked time for (domain.md: "the orderer pays for
# booked time today"), and the ones that make the once-a-month pattern.
BOOKED_REASONS = ("client_late_cancel", "no_show")
# A cancelled visit booked without an end counts this long.
MISSING_END_SECONDS = 60 * 60
_CENT = Decimal("0.01")


def hours(amount) -> Decimal:
    """Hours rounded half up to two decimals."""
    return Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)


def granted_hours(value) -> Decimal | None:
    """An order's `hours_per_month` (stored as REAL) as the report shows it; None for none."""
    return None if value is None else hours(Decimal(str(value)))


def band(hours_granted) -> str:
    """The orderers' band: `1-7` above 0 up to 7, `8-18` above 7 up to 18, `19+` above 18;
    empty when no hours are granted (CM) or none at all."""
    if hours_granted is None:
        return ""
    granted = Decimal(str(hours_granted))
    if granted <= 0:
        return ""
    if granted <= 7:
        return "1-7"
    if granted <= 18:
        return "8-18"
    return "19+"


def month_days(month: str, zone: ZoneInfo) -> tuple[date, date]:
    """The month's first and last day (orders run over days, not instants)."""
    return (month_start(month, zone).date(),
            month_start(next_month(month), zone).date() - timedelta(days=1))


def _in_force(order: dict, first: date, last: date) -> bool:
    end = order["period_end"]
    return order["period_start"] <= last.isoformat() and (end is None or end >= first.isoformat())


def order_of_month(orders: list[dict], first: date, last: date) -> dict | None:
    """The order that speaks for the month: of the orders in force on any day from `first`
    to `last`, the one in force on `last`, else the one that started last (ties: the one
    received last, then the id)."""
    in_month = [o for o in orders if _in_force(o, first, last)]
    at_end = [o for o in in_month if _in_force(o, last, last)]
    candidates = at_end or in_month
    if not candidates:
        return None
    return max(candidates, key=lambda o: (o["period_start"], o["received_at"], o["id"]))


@dataclass
class ClientMonth:
    """One client's month: what the report's row and the dashboard's client are made of."""

    client_id: str
    name: str
    service: str
    order: dict | None = None
    worker_id: str | None = None  # assigned at the end of the month
    worker_name: str = ""
    minutes_done: int = 0  # of done visits
    visits_done: int = 0
    contact_minutes: int = 0
    contacts: int = 0
    activities_done: int = 0
    planned: int = 0
    cancelled: dict = field(default_factory=lambda: dict.fromkeys(CANCEL_REASONS, 0))
    booked_seconds_cancelled: int = 0
    late_corrections: int = 0

    @property
    def hours_granted(self) -> Decimal | None:
        return granted_hours(self.order["hours_per_month"]) if self.order else None

    @property
    def band(self) -> str:
        return band(self.order["hours_per_month"]) if self.order else ""

    @property
    def hours_delivered(self) -> Decimal:
        return hours(Decimal(self.minutes_done + self.contact_minutes) / 60)

    @property
    def booked_hours_cancelled(self) -> Decimal:
        return hours(Decimal(self.booked_seconds_cancelled) / 3600)


def orders_of_month(db, team_id: str, month: str, zone: ZoneInfo) -> dict[str, dict]:
    """The order of the month (`order_of_month`) of each client of the team that has one."""
    first, last = month_days(month, zone)
    orders: dict[str, list[dict]] = {}
    for row in db.execute(
            "SELECT o.id, o.client_id, o.orderer, coalesce(o.order_ref, ''), o.service, "
            "o.period_start, o.period_end, o.hours_per_month, o.activities, o.received_at "
            "FROM orders o JOIN clients c ON c.id = o.client_id WHERE c.team_id = ? "
            "AND o.period_start <= ? AND (o.period_end IS NULL OR o.period_end >= ?)",
            [team_id, last.isoformat(), first.isoformat()]):
        orders.setdefault(row[1], []).append(
            {"id": row[0], "orderer": row[2], "order_ref": row[3], "service": row[4],
             "period_start": row[5], "period_end": row[6], "hours_per_month": row[7],
             "activities": json.loads(row[8]), "received_at": row[9]})
    return {client_id: order_of_month(found, first, last) for client_id, found in orders.items()}


def team_month(db, team_id: str, month: str, zone: ZoneInfo,
               also=frozenset()) -> dict[str, ClientMonth]:
    """The month of each client of the team (`clients.team_id`) with an order in force on
    any day of it (and of the clients in `also`, for the dashboard's current caseloads), by
    client id."""
    orders = orders_of_month(db, team_id, month, zone)
    clients = {row[0]: ClientMonth(row[0], row[1], row[2], order=orders.get(row[0]))
               for row in db.execute("SELECT id, name, service FROM clients WHERE team_id = ?",
                                     [team_id])
               if row[0] in orders or row[0] in also}
    _count_visits(db, team_id, month, zone, clients)
    _count_contacts(db, team_id, month, zone, clients)
    _workers_at_end(db, team_id, month, zone, clients)
    for client_id, count in db.execute(
            "SELECT client_id, count(DISTINCT record_id) FROM report_corrections "
            "WHERE team_id = ? AND month = ? GROUP BY client_id", [team_id, month]):
        if client_id in clients:
            clients[client_id].late_corrections = count
    return clients


def _count_visits(db, team_id, month, zone, clients: dict[str, ClientMonth]) -> None:
    start, end = month_bounds(month, zone)
    rows = db.execute(
        "SELECT v.client_id, v.status, v.starts_at, v.ends_at, v.started_at, v.minutes, "
        "v.activities, v.cancel_reason FROM visits v JOIN clients c ON c.id = v.client_id "
        "WHERE c.team_id = ? AND ((v.started_at >= ? AND v.started_at < ?) "
        "OR (v.starts_at >= ? AND v.starts_at < ?))", [team_id, start, end, start, end])
    for client_id, status, starts_at, ends_at, started_at, minutes, activities, reason in rows:
        client = clients.get(client_id)
        if client is None:
            continue
        if status == "done":
            if started_at is not None and start <= started_at < end:
                client.visits_done += 1
                client.minutes_done += minutes or 0
                # Each activity checked off as done counts once per visit.
                client.activities_done += len({a["activity_id"] for a in json.loads(activities)
                                               if a.get("done")})
        elif starts_at is not None and start <= starts_at < end:
            if status == "planned":
                client.planned += 1
            elif reason in client.cancelled:
                client.cancelled[reason] += 1
                if reason in BOOKED_REASONS:
                    client.booked_seconds_cancelled += _booked_seconds(starts_at, ends_at)


def _count_contacts(db, team_id, month, zone, clients: dict[str, ClientMonth]) -> None:
    start, end = month_bounds(month, zone)
    for client_id, count, minutes in db.execute(
            "SELECT k.client_id, count(*), sum(k.minutes) FROM contacts k "
            "WHERE k.client_id IN (SELECT id FROM clients WHERE team_id = ?) "
            "AND k.started_at >= ? AND k.started_at < ? GROUP BY k.client_id", [team_id, start, end]):
        if client_id in clients:
            clients[client_id].contacts, clients[client_id].contact_minutes = count, minutes or 0


def _booked_seconds(starts_at: str, ends_at: str | None) -> int:
    if ends_at is None:
        return MISSING_END_SECONDS
    return max(0, int((parse_stored(ends_at) - parse_stored(starts_at)).total_seconds()))


def _workers_at_end(db, team_id, month, zone, clients: dict[str, ClientMonth]) -> None:
    """The worker assigned at the month's last instant (of two, the one assigned last)."""
    _, end = month_bounds(month, zone)
    for client_id, worker_id, name in db.execute(
            "SELECT a.client_id, w.id, w.name FROM assignments a "
            "JOIN clients c ON c.id = a.client_id JOIN workers w ON w.id = a.worker_id "
            "WHERE c.team_id = ? AND a.starts_at < ? AND (a.ends_at IS NULL OR a.ends_at >= ?) "
            "ORDER BY a.starts_at, a.id", [team_id, end, end]):
        if client_id in clients:
            clients[client_id].worker_id, clients[client_id].worker_name = worker_id, name

