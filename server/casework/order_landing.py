"""The order import, its writing half: one checked order (`order_import.ImportedOrder`) lands
in the database, inside the write transaction its caller opened for that order alone, so it
lands whole or not at all (a `Rejected` raised here leaves the caller to roll back).

1. The district must be one the instance knows (`unknown_district`).
2. The order is matched by (orderer, order_ref); the same content (its `content_hash`)
   changes nothing at all: no write, no new version.
3. The worker, when given, must be an active field worker (`unknown_worker`) whose role
   serves the order's service (`bad_value`); the client then joins the worker's team.
   Without a worker, `team` names the client's team (`bad_value` when no team has the name).
4. The client is matched by `client.ref`: created when new, otherwise its name and team are
   brought up to date (a new version phones pull). An existing order stays with its client.
5. The order is created or updated (a new version phones pull), its goals, subgoals and
   activities with ids derived from their refs.
6. A worker not yet assigned the client is assigned from `now`, within the caseload cap of
   their role (`over_caseload_cap`): orders landed earlier in the same file count, as they
   are assigned by then.

Returns what happened (`Landed`), with the changes for the caller to hand to
`Engine.record` in the same transaction.
"""

from dataclasses import dataclass, field

from server.casework.assignments import AssignmentError, assign, caseload
from server.casework.clients import client_by_ref, create_client, update_client
from server.casework.districts import district_exists
from server.casework.order_import import ImportedOrder, Rejected
from server.casework.orders import create_order, find_order, update_order
from server.security.roles import ROLE_SERVICE
from sync.changes import Change
from sync.times import utc_text


@dataclass(frozen=True)
class Landed:
    outcome: str  # "imported", "updated" or "unchanged"
    order_id: str
    client_id: str
    changes: list[Change] = field(default_factory=list)


def land(db, order: ImportedOrder, *, now, caps: dict) -> Landed:
    if not district_exists(db, order.district):
        raise Rejected("unknown_district", f"the district {order.district} is not known to "
                                           "this instance (faltstod district list)")
    existing = find_order(db, order.orderer, order.order_ref)
    if existing is not None and existing["content_hash"] == order.content_hash:
        return Landed("unchanged", existing["id"], existing["client_id"])
    worker = _worker(db, order) if order.worker else None
    team_id = worker["team_id"] if worker else _team_id(db, order.team)
    client = client_by_ref(db, order.client_ref)
    if client is not None and client["service"] != order.service:
        raise Rejected("bad_value", f"the client {order.client_ref} receives {client['service']}, "
                                    f"the order is for {order.service}")
    if existing is not None and (client is None or client["id"] != existing["client_id"]):
        raise Rejected("bad_value", f"the order {order.order_ref} belongs to another client "
                                    f"than {order.client_ref}")
    assigning = worker is not None and (
        client is None or client["id"] not in caseload(db, worker["id"], now))
    if assigning and len(caseload(db, worker["id"], now)) >= caps[worker["role"]]:
        raise Rejected("over_caseload_cap", f"the worker {order.worker} already has "
                                            f"{caps[worker['role']]} clients, the cap for the "
                                            f"role {worker['role']}")
    now_text = utc_text(now)
    changes = []
    if client is None:
        changes.append(create_client(db, name=order.client_name, service=order.service,
                                     team_id=team_id, now_text=now_text, ref=order.client_ref))
        client_id = changes[-1].id
    else:
        client_id = client["id"]
        renamed = update_client(db, client_id, name=order.client_name, team_id=team_id)
        changes += [renamed] if renamed else []
    saved = _save_order(db, order, existing, client_id, now_text)
    changes.append(saved)
    if assigning:
        try:
            assign(db, client_id=client_id, worker_id=worker["id"], now=now, caps=caps)
        except AssignmentError as error:
            raise Rejected("bad_value", error.message) from None
    return Landed("updated" if existing else "imported", saved.id, client_id, changes)


def _save_order(db, order: ImportedOrder, existing: dict | None, client_id: str,
                now_text: str) -> Change:
    values = {"service": order.service, "period_start": order.period_start,
              "period_end": order.period_end, "hours_per_month": order.hours_per_month,
              "goals": order.stored_goals(), "activities": order.stored_activities(),
              "district": order.district}
    if existing is not None:
        return update_order(db, existing["id"], values=values, content_hash=order.content_hash,
                            now_text=now_text)
    return create_order(db, client_id=client_id, orderer=order.orderer, now_text=now_text,
                        order_ref=order.order_ref, content_hash=order.content_hash, **values)


def _worker(db, order: ImportedOrder) -> dict:
    row = db.execute(
        "SELECT w.id, w.role, w.team_id, t.name FROM workers w LEFT JOIN teams t "
        "ON t.id = w.team_id WHERE w.username = ? AND w.active = 1", [order.worker]).fetchone()
    if row is None:
        raise Rejected("unknown_worker", f"no active worker has the username {order.worker}")
    worker = {"id": row[0], "role": row[1], "team_id": row[2], "team": row[3]}
    if ROLE_SERVICE.get(worker["role"]) != order.service:
        raise Rejected("bad_value", f"the worker {order.worker} is a {worker['role']}, who does "
                                    f"not work in {order.service}")
    if order.team is not None and order.team != worker["team"]:
        raise Rejected("bad_value", f"the worker {order.worker} is not in the team {order.team}")
    return worker


def _team_id(db, name: str) -> str:
    rows = db.execute("SELECT id FROM teams WHERE name = ?", [name]).fetchall()
    if len(rows) != 1:
        raise Rejected("bad_value", f"no team is named {name}" if not rows
                       else f"several teams are named {name}")
    return rows[0][0]
