"""A phone, as the push tests see it: it logs in, builds mutations, pushes and pulls through the
real HTTP API (`docs/sync-protocol.md`). Shared by `test_push.py` and `test_parked.py`."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from flask.testing import FlaskClient

from tests.factories import PASSWORD

# Long before the tests' Monday: an assignment simply "in force".
ASSIGNED_SINCE = datetime(2026, 1, 1, tzinfo=UTC)

# The fixed clock's Monday, as a phone writes it (Stockholm, winter time).
MONDAY = "2026-11-23"
OFFSET = "+01:00"


def at(clock_time: str, day: str = MONDAY) -> str:
    """`at("08:00")` is Monday 08:00 in Stockholm, as ISO 8601 with offset."""
    return f"{day}T{clock_time}:00{OFFSET}"


def new_id() -> str:
    return str(uuid.uuid4())


def mutation(name: str, args, seq: int, *, occurred_at: str | None = None, **extra) -> dict:
    """One mutation as a phone queues it; `extra` adds `base_version`, `base_mutation_id`, ..."""
    return {"id": new_id(), "device_seq": seq, "name": name,
            "occurred_at": occurred_at or at("09:00"), "args": args, **extra}


@dataclass
class Phone:
    """One logged-in device of one worker, with its own `device_seq` counter."""

    http: FlaskClient
    token: str
    device_id: str
    user: dict
    seq: int = 0

    @property
    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def mutation(self, name: str, args, **extra) -> dict:
        """The device's next mutation (`device_seq` one above the last)."""
        self.seq += 1
        return mutation(name, args, self.seq, **extra)

    def post(self, **kwargs):
        return self.http.post("/api/sync/push", headers=self.auth, **kwargs)

    def push_body(self, body: dict) -> list[dict]:
        response = self.post(json=body)
        assert response.status_code == 200, response.get_json()
        results = response.get_json()["results"]
        assert len(results) == len(body["mutations"])
        return results

    def push(self, *mutations, **envelope) -> list[dict]:
        """Push and return the results (one per mutation, asserted)."""
        return self.push_body({"mutations": list(mutations), **envelope})

    def push_one(self, one: dict) -> dict:
        return self.push(one)[0]

    def pull(self) -> list[dict]:
        """A full snapshot of what this user may see now, every page."""
        changes, cursor = [], None
        while True:
            query = {"limit": 2000, **({"cursor": cursor} if cursor else {})}
            response = self.http.get("/api/sync/pull", headers=self.auth, query_string=query)
            assert response.status_code == 200, response.get_json()
            page = response.get_json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes

    def record(self, record_type: str, record_id: str) -> dict | None:
        """The record as the next pull brings it (its `data`, with `version`), or None."""
        for change in self.pull():
            if (change["type"], change["id"]) == (record_type, record_id) and not change["deleted"]:
                return {**change["data"], "version": change["version"]}
        return None

    def records(self, record_type: str) -> list[dict]:
        return [{**c["data"], "version": c["version"]} for c in self.pull()
                if c["type"] == record_type and not c["deleted"]]


def login(http: FlaskClient, username: str, device_id: str | None = None) -> Phone:
    body = {"username": username, "password": PASSWORD, "device_name": "Testtelefon"}
    if device_id:
        body["device_id"] = device_id
    response = http.post("/api/auth/login", json=body)
    assert response.status_code == 200, response.get_json()
    session = response.get_json()
    return Phone(http=http, token=session["token"], device_id=session["device_id"],
                 user=session["user"])


# --- args of the mutations in the contract's table ------------------------------------------

def done(activity_ids, support_level="start_together") -> list[dict]:
    return [{"activity_id": a, "done": True, "support_level": support_level} for a in activity_ids]


def plan_args(client_id: str, starts_at: str = at("13:00"), **more) -> dict:
    return {"id": new_id(), "client_id": client_id, "starts_at": starts_at, **more}


def log_args(client: dict, started_at: str = at("08:00"), ended_at: str = at("08:45"),
             **more) -> dict:
    return {"id": new_id(), "client_id": client["id"], "started_at": started_at,
            "ended_at": ended_at, "activities": done(client["activity_ids"][:1]), **more}


def complete_args(visit_id: str, client: dict, started_at: str = at("13:00"),
                  ended_at: str = at("13:50"), **more) -> dict:
    return {"id": visit_id, "started_at": started_at, "ended_at": ended_at,
            "activities": done(client["activity_ids"]), **more}


# --- what the database holds ----------------------------------------------------------------

def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def version_of(db, record_type: str, record_id: str) -> int | None:
    row = db.execute("SELECT version FROM sync_records WHERE type = ? AND id = ?",
                     [record_type, record_id]).fetchone()
    return row[0] if row else None


def a_planned_visit(phone, the_client) -> str:
    """The id of a visit `phone` planned (applied) for `the_client`."""
    args = plan_args(the_client["id"])
    assert phone.push_one(phone.mutation("visit.plan", args))["status"] == "applied"
    return args["id"]


def is_parked(result) -> bool:
    return result["status"] in ("rejected", "conflict") and bool(result.get("parked_id"))
