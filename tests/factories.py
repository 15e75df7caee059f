"""Plain factory functions for test data: synthetic people only."""

import uuid
from datetime import datetime

from server.casework.clients import create_client
from server.casework.orders import create_order
from server.casework.plans import create_plan
from server.casework.workers import create_team, create_worker
from server.security.passwords import hash_password
from sync.engine import Engine
from sync.store import write_transaction
from sync.times import utc_text

PASSWORD = "test-password"
# Long before the tests' Monday 2026-11-23: assignments that are simply "in force".
LONG_AGO = datetime.fromisoformat("2026-01-01T08:00:00+01:00")
_HASH = hash_password(PASSWORD)


def a_team(db, name="Team Test", district="Södermalm") -> str:
    with write_transaction(db):
        return create_team(db, name=name, district=district)


def a_worker(db, team_id, role="support_worker", username=None, now=None, worker_id=None) -> dict:
    username = username or f"worker.{uuid.uuid4().hex[:8]}"
    with write_transaction(db):
        worker_id = create_worker(db, username=username, name=f"Testare {username}", role=role,
                                  team_id=team_id, password_hash=_HASH, worker_id=worker_id,
                                  now_text=utc_text(now or datetime.now().astimezone()))
    return {"id": worker_id, "username": username, "role": role, "team_id": team_id}


def a_client(db, team_id, service="housing_support", name="Testperson Ett", activities=3, *,
             client_id=None, order_id=None, plan_id=None, activity_ids=None,
             period=("2026-01-01", "2026-12-31")) -> dict:
    """A client with an order (over `period`, start and end days) and a plan of `activities`
    activities (or of `activity_ids`), entered in the record index as the office's records
    are. Ids are new unless given."""
    now_text = "2026-01-01T00:00:00Z"
    activity_ids = activity_ids or [str(uuid.uuid4()) for _ in range(activities)]
    with write_transaction(db):
        client = create_client(db, name=name, service=service, team_id=team_id, client_id=client_id,
                               now_text=now_text, whereabouts="Härbärget Test")
        client_id = client.id
        order_activities = [{"id": str(uuid.uuid4()), "name": f"Aktivitet {n}"}
                            for n in range(len(activity_ids))]
        order = create_order(
            db, client_id=client_id, order_id=order_id, orderer="Södermalm", service=service,
            period_start=period[0], period_end=period[1],
            hours_per_month=7 if service == "housing_support" else None,
            goals=[{"id": str(uuid.uuid4()), "life_area": "economy", "text": "Betala räkningar",
                    "subgoals": [{"id": str(uuid.uuid4()), "text": "Öppna posten varje vecka"}]}],
            activities=order_activities, now_text=now_text)
        order_id = order.id
        plan_activities = [{"id": activity_id, "name": a["name"], "how": "Tillsammans",
                            "frequency": "varje vecka", "support_level": "start_together",
                            "order_activity_id": a["id"]}
                           for activity_id, a in zip(activity_ids, order_activities, strict=True)]
        plan = create_plan(db, client_id=client_id, order_id=order_id, plan_id=plan_id,
                           activities=plan_activities, now_text=now_text)
        Engine.record(db, [client, order, plan])
        plan_id = plan.id
    return {"id": client_id, "order_id": order_id, "plan_id": plan_id,
            "activity_ids": [a["id"] for a in plan_activities]}


def assign(db, client_id, worker_id, starts_at: datetime, ends_at: datetime | None = None) -> str:
    """A raw assignment row (the caseload rules live in server.records.assignments)."""
    assignment_id = str(uuid.uuid4())
    with write_transaction(db):
        db.execute(
            "INSERT INTO assignments (id, client_id, worker_id, service, starts_at, ends_at) "
            "SELECT ?, ?, ?, service, ?, ? FROM clients WHERE id = ?",
            [assignment_id, client_id, worker_id, utc_text(starts_at),
             utc_text(ends_at) if ends_at else None, client_id],
        )
    return assignment_id


def end_assignment(db, client_id, worker_id, at: datetime) -> None:
    with write_transaction(db):
        db.execute("UPDATE assignments SET ends_at = ? WHERE client_id = ? AND worker_id = ? "
                   "AND ends_at IS NULL", [utc_text(at), client_id, worker_id])
