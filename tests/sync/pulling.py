"""A phone, as far as pulling goes: it logs in, pushes mutations, pulls page by page and holds
what it pulled the way the contract says (`purge` before `changes`, tombstones delete), so a
test can compare what a phone ends up with against a fresh snapshot or a digest.

Shared by the pull tests (tests/sync/pull/) and tests/sync/test_digest.py.
"""

import hashlib
import uuid
from datetime import datetime

from server.casework import visits
from sync.engine import Engine
from sync.store import write_transaction

PASSWORD = "test-password"


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def log_in(client, worker: dict, device_id: str | None = None, device_name="Testtelefon") -> dict:
    body = {"username": worker["username"], "password": PASSWORD, "device_name": device_name}
    if device_id is not None:
        body["device_id"] = device_id
    response = client.post("/api/auth/login", json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def when(moment: datetime) -> str:
    """ISO 8601 with the offset, as a phone sends it."""
    return moment.isoformat()


class Phone:
    """One logged-in device of one worker, with the records it holds."""

    def __init__(self, client, worker: dict):
        self.client = client
        self.worker = worker
        session = log_in(client, worker)
        self.token = session["token"]
        self.device_id = session["device_id"]
        self.headers = bearer(self.token)
        self.records: dict[tuple[str, str], dict] = {}  # (type, id) -> change as pulled
        self.cursor: str | None = None
        self.device_seq = 0

    # --- pulling -------------------------------------------------------------------------

    def pull_response(self, cursor: str | None = None, limit=None):
        query = {}
        if cursor is not None:
            query["cursor"] = cursor
        if limit is not None:
            query["limit"] = limit
        return self.client.get("/api/sync/pull", query_string=query, headers=self.headers)

    def pull_page(self, cursor: str | None = None, limit=None) -> dict:
        response = self.pull_response(cursor, limit)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def sync(self, limit=None) -> list[dict]:
        """Pull from the stored cursor until `has_more` is false; hold every page. Returns the
        pages."""
        pages = []
        while True:
            page = self.pull_page(self.cursor, limit)
            self.hold(page)
            pages.append(page)
            if not page["has_more"]:
                return pages
            assert len(pages) < 1000, "a pull session that never ends"

    def hold(self, page: dict) -> None:
        """Store a page as the phone does: purge first, then changes; then the cursor."""
        for entry in page["purge"]:
            self.forget(entry["type"], entry["id"])
        for change in page["changes"]:
            key = (change["type"], change["id"])
            if change["deleted"]:
                self.records.pop(key, None)
            else:
                self.records[key] = change
        self.cursor = page["cursor"]

    def forget(self, record_type: str, record_id: str) -> None:
        self.records.pop((record_type, record_id), None)
        if record_type == "client":
            # The client and everything about them.
            for key, change in list(self.records.items()):
                if (change["data"] or {}).get("client_id") == record_id:
                    del self.records[key]

    def held(self) -> dict[tuple[str, str], int]:
        """What the phone holds: (type, id) -> version."""
        return {key: change["version"] for key, change in self.records.items()}

    def digest(self) -> tuple[str, int]:
        """The contract's digest over what the phone holds, computed here from its text."""
        lines = sorted(f"{t}:{i}:{v}\n".encode() for (t, i), v in self.held().items())
        return hashlib.sha256(b"".join(lines)).hexdigest(), len(lines)

    # --- pushing -------------------------------------------------------------------------

    def push(self, *mutations: dict) -> list[dict]:
        numbered = []
        for mutation in mutations:
            self.device_seq += 1
            numbered.append({"id": str(uuid.uuid4()), "device_seq": self.device_seq, **mutation})
        response = self.client.post("/api/sync/push", json={"mutations": numbered},
                                    headers=self.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def push_applied(self, *mutations: dict) -> list[dict]:
        results = self.push(*mutations)
        for result in results:
            assert result["status"] == "applied", result
        return results


def snapshot(phone: Phone) -> dict[tuple[str, str], int]:
    """What a fresh phone of the same worker would hold after a full pull: (type, id) ->
    version."""
    fresh = Phone(phone.client, phone.worker)
    fresh.sync(limit=2000)
    return fresh.held()


# --- what a page holds -----------------------------------------------------------------------

def keys(changes) -> list[tuple[str, str]]:
    return [(change["type"], change["id"]) for change in changes]


def client_records(client: dict) -> set[tuple[str, str]]:
    """What comes with a client in any pull: the client, their order and their plan."""
    return {("client", client["id"]), ("order", client["order_id"]), ("plan", client["plan_id"])}


def assert_each_record_once(page):
    assert len(keys(page["changes"])) == len(set(keys(page["changes"]))), page["changes"]


# --- mutations, as a phone queues them -------------------------------------------------------

def visit_plan(client_id: str, starts_at: datetime, occurred_at: datetime, visit_id=None) -> dict:
    return {"name": "visit.plan", "occurred_at": when(occurred_at),
            "args": {"id": visit_id or str(uuid.uuid4()), "client_id": client_id,
                     "starts_at": when(starts_at)}}


def visit_log(client_id: str, activity_id: str, started_at: datetime, ended_at: datetime,
              occurred_at: datetime, note: str | None = None, visit_id=None) -> dict:
    args = {"id": visit_id or str(uuid.uuid4()), "client_id": client_id,
            "started_at": when(started_at), "ended_at": when(ended_at),
            "activities": [{"activity_id": activity_id, "done": True,
                            "support_level": "start_together"}]}
    if note is not None:
        args["note"] = note
    return {"name": "visit.log", "occurred_at": when(occurred_at), "args": args}


def visit_reschedule(visit_id: str, starts_at: datetime, occurred_at: datetime,
                     base_version: int) -> dict:
    return {"name": "visit.reschedule", "occurred_at": when(occurred_at),
            "base_version": base_version, "args": {"id": visit_id, "starts_at": when(starts_at)}}


def visit_cancel(visit_id: str, occurred_at: datetime, base_version: int) -> dict:
    return {"name": "visit.cancel", "occurred_at": when(occurred_at), "base_version": base_version,
            "args": {"id": visit_id, "reason": "client_cancelled"}}


def note_add(client_id: str, text: str, occurred_at: datetime) -> dict:
    return {"name": "note.add", "occurred_at": when(occurred_at),
            "args": {"id": str(uuid.uuid4()), "client_id": client_id, "text": text}}


# --- records made on the server side (office work, bulk data) --------------------------------

def many_visits(db, client_id: str, worker_id: str, starts_at: datetime, count: int) -> list[str]:
    """`count` planned visits entered straight into the database and the record index."""
    ids = []
    with write_transaction(db):
        for _ in range(count):
            change = visits.create_visit(db, client_id=client_id, worker_id=worker_id,
                                         status="planned", starts_at=starts_at,
                                         now_text="2026-11-01T00:00:00Z")
            Engine.record(db, [change])
            ids.append(change.id)
    return ids


def delete_visit(db, visit_id: str) -> None:
    """Delete a visit as the office would: gone from its table, a tombstone in the index."""
    with write_transaction(db):
        Engine.record(db, [visits.delete_visit(db, visit_id)])
