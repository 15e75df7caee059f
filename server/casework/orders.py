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
                 goals, activities, now_text, order_id=None) -> Change:
    """Inside a write transaction. `goals`: [{id, life_area, text, subgoals: [{id, text}]}];
    `activities`: [{id, name}]."""
    for goal in goals:
        if goal["life_area"] not in LIFE_AREAS:
            raise ValueError(f"unknown life area {goal['life_area']!r}")
    order_id = order_id or str(uuid.uuid4())
    db.execute(
        "INSERT INTO orders (id, client_id, orderer, service, period_start, period_end, "
        "hours_per_month, goals, activities, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [order_id, client_id, orderer, service, str(period_start),
         str(period_end) if period_end else None, hours_per_month, json.dumps(goals),
         json.dumps(activities), now_text],
    )
    return Change("order", order_id, scope_of_client(client_id))


def load_orders(db, ids: list[str]) -> dict[str, dict]:
    rows = db.execute(
        "SELECT id, client_id, orderer, service, period_start, period_end, hours_per_month, goals, "
        "activities, received_at FROM orders WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(ids)],
    ).fetchall()
    return {
        row[0]: {"id": row[0], "client_id": row[1], "orderer": row[2], "service": row[3],
                 "period_start": row[4], "period_end": row[5], "hours_per_month": row[6],
                 "hours_band": hours_band(row[6]), "goals": json.loads(row[7]),
                 "activities": json.loads(row[8]), "received_at": row[9]}
        for row in rows
    }
