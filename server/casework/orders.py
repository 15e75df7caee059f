"""Orders (beställning / uppdrag): what the orderer asked for. Entered at the office, read on
the phone: goals and subgoals each tied to a DUR life area, the ordered activities, and for
housing support the hours granted per month.
"""

import json
import uuid

from server.security.access import scope_of_client
from sync.changes import Change

# The nine DUR life areas that structure needs and goals.
LIFE_AREAS = (
    "housing",
    "family_and_relations",
    "work_studies_occupation",
    "economy",
    "interests",
    "mental_health",
    "physical_health",
    "alcohol_drugs_medicines",
    "everyday_activities",
)

# Hours-per-month bands the orderers use for housing support.
HOURS_BANDS = ((1, 7), (8, 18), (19, None))


def hours_band(hours: float | None) -> str | None:
    if hours is None:
        return None
    for low, high in HOURS_BANDS:
        if high is None or hours <= high:
            return f"{low}-{high}" if high else f"{low}+"
    return None


def create_order(db, *, client_id, orderer, service, period_start, period_end, hours_per_month,
                 goals, activities, now_text, order_id=None, order_ref=None, district=None,
                 content_hash=None) -> Change:
    """Inside a write transaction. `goals`: [{id, life_area, text, subgoals: [{id, text}]}];
    `activities`: [{id, name}]. An imported order has its `order_ref`, `district` and the
    `content_hash` of what was imported (`server/casework/order_landing.py`)."""
    for goal in goals:
        if goal["life_area"] not in LIFE_AREAS:
            raise ValueError(f"unknown life area {goal['life_area']!r}")
    order_id = order_id or str(uuid.uuid4())
    db.execute(
        "INSERT INTO orders (id, client_id, orderer, service, period_start, period_end, "
        "hours_per_month, goals, activities, received_at, order_ref, district, content_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [order_id, client_id, orderer, service, str(period_start),
         str(period_end) if period_end else None, hours_per_month, json.dumps(goals),
         json.dumps(activities), now_text, order_ref, district, content_hash],
    )
    return Change("order", order_id, scope_of_client(client_id))


# What an import may change of an order it already holds (the client never: an order stays
# in its client's scope).
IMPORTED_FIELDS = ("service", "period_start", "period_end", "hours_per_month", "goals",
                   "activities", "district")


def find_order(db, orderer: str, order_ref: str) -> dict | None:
    """The order the orderer knows by `order_ref`: {id, client_id, content_hash}."""
    row = db.execute("SELECT id, client_id, content_hash FROM orders WHERE orderer = ? AND "
                     "order_ref = ?", [orderer, order_ref]).fetchone()
    return {"id": row[0], "client_id": row[1], "content_hash": row[2]} if row else None


def update_order(db, order_id: str, *, values: dict, content_hash: str, now_text) -> Change:
    """Inside a write transaction: the imported fields in `values` (IMPORTED_FIELDS; goals and
    activities as lists) replace the order's, received now; a new version phones pull."""
    current = load_orders(db, [order_id])[order_id]
    changed = tuple(name for name in IMPORTED_FIELDS if current[name] != values[name])
    stored = {name: json.dumps(values[name]) if name in ("goals", "activities") else values[name]
              for name in IMPORTED_FIELDS}
    assignments = ", ".join(f"{name} = ?" for name in IMPORTED_FIELDS)
    db.execute(f"UPDATE orders SET {assignments}, content_hash = ?, received_at = ? WHERE id = ?",
               [*stored.values(), content_hash, now_text, order_id])
    return Change("order", order_id, scope_of_client(current["client_id"]),
                  fields=(*changed, "received_at"))


def load_orders(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, client_id, orderer, service, period_start, period_end, hours_per_month, goals, "
        "activities, received_at, order_ref, district FROM orders "
        "WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        row[0]: {"id": row[0], "client_id": row[1], "orderer": row[2], "service": row[3],
                 "period_start": row[4], "period_end": row[5], "hours_per_month": row[6],
                 "hours_band": hours_band(row[6]), "goals": json.loads(row[7]),
                 "activities": json.loads(row[8]), "received_at": row[9], "order_ref": row[10],
                 "district": row[11]}
        for row in rows
    }
