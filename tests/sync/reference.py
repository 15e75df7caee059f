"""The reference model of the convergence test (tests/sync/test_convergence.py): what the
server must hold and answer, by the rules of the sync contract (`docs/sync-protocol.md`) alone.

`Reference` starts from the seeded world and is told every answer the server gives. For each
mutation it predicts the first answer from the contract's rules, independently of the engine:
applied, or which rejection, or which conflicting fields, judged on the author's access at the
time of the work, the mutation's base and the conflict rule, and the state of a parked item.
Where the contract leaves the order of two rules open, it allows either answer. An accepted
mutation changes the model's records once; a second delivery must get the first answer again.
`tables` is what the server's tables must then hold, and `server_tables` reads them from the
server's SQLite file, so the test compares the two.

The model shares nothing with `sync/` but the text form of a UTC time (`utc_text`).
"""

import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from server.db import database_path
from sync.times import utc_text
from tests.sync.devices import FINAL_STATUSES, record_of

if TYPE_CHECKING:
    from tests.sync.test_convergence import World

# --- the seeded world, as the model must know it (`test_convergence.the_world` seeds it) -------

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ASSIGNED_SINCE = datetime(2026, 1, 1, 8, 0, tzinfo=STOCKHOLM)
# Client label -> the workers assigned to that client since ASSIGNED_SINCE.
CLIENTS = {"shared": ("ada", "bo"), "adas_own": ("ada",), "bos_own": ("bo",)}
SEEDED_CONTACT = {"whereabouts": "Härbärget Test", "phone": None, "contact_notes": None}

# --- the records and mutations of the contract ------------------------------------------------

# The contact fields `client.update` may change, each with the values the test writes.
CONTACT_VALUES = {"whereabouts": ("Härbärget Test", "Stadsmissionen", None),
                  "phone": ("070-111 11 11", "070-222 22 22", None),
                  "contact_notes": ("Ring före besök", None)}
VISIT_FIELDS = ("client_id", "worker_id", "status", "starts_at", "ends_at", "started_at",
                "ended_at", "minutes", "activities", "place", "cancel_reason", "cancelled_at")
NOTE_FIELDS = ("client_id", "visit_id", "author_id", "text", "written_at")
CREATES = ("visit.plan", "visit.log", "note.add")
PLANNED_ONLY = ("visit.cancel", "visit.reschedule")
NOTE_CARRIERS = ("visit.log", "visit.complete", "visit.cancel")


def utc(text: str | None) -> str | None:
    return utc_text(datetime.fromisoformat(text)) if text is not None else None


def note_id_of(mutation_id: str) -> str:
    """The server names a note given with a visit mutation after the mutation, so that a
    redelivery or a resolution cannot add a second one."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"faltstod:mutation:{mutation_id}:note"))


def scope_of_client(client_id: str) -> str:
    return f"client:{client_id}"


# --- the reference model ----------------------------------------------------------------------

@dataclass
class Record:
    scope: str
    fields: dict = field(default_factory=dict)
    version: int = 1
    field_versions: dict = field(default_factory=dict)  # field -> version that last changed it


@dataclass
class Outcome:
    """One first answer the contract allows, and how it changes what the server holds."""

    status: str
    commit: Callable[[dict], None]
    code: str | None = None
    fields: tuple = ()

    def matches(self, result: dict) -> bool:
        if result["status"] != self.status:
            return False
        if self.status == "conflict":
            return sorted(result["fields"]) == sorted(self.fields) and "parked_id" in result
        if self.status == "rejected":
            return result["error"]["code"] == self.code and "parked_id" in result
        return isinstance(result.get("server_seq"), int)

    def __repr__(self):
        return f"{self.status}({self.code or ''}{', '.join(self.fields)})"


class Reference:
    """What the server must hold: the seeded world plus every accepted mutation applied once,
    in the order the server answered them, by the contract's rules alone."""

    def __init__(self, world: "World"):
        self.records: dict[tuple[str, str], Record] = {}
        self.assignments = [[world.clients[label]["id"], world.workers[name], ASSIGNED_SINCE, None]
                            for label, names in CLIENTS.items() for name in names]
        self.results: dict[str, dict] = {}  # mutation id -> its first answer
        self.produced: dict[str, tuple] = {}  # mutation id -> (status, record, version made)
        self.last_seq = 0
        self._seed(world)
        for mutation, author_id, result in world.history:
            self.answer(mutation, author_id, result)

    def _seed(self, world: "World") -> None:
        for client in world.clients.values():
            scope = scope_of_client(client["id"])
            self.records[("client", client["id"])] = Record(
                scope, dict(SEEDED_CONTACT), field_versions=dict.fromkeys(SEEDED_CONTACT, 1))
            self.records[("plan", client["plan_id"])] = Record(scope)
            self.records[("order", client["order_id"])] = Record(scope)

    # access ---------------------------------------------------------------------------------

    def assigned(self, client_id, worker_id, at: datetime) -> bool:
        return any(c == client_id and w == worker_id and start <= at and (end is None or at < end)
                   for c, w, start, end in self.assignments)

    def hand_over(self, client_id, worker_id, now) -> None:
        """Assign the client to the worker from now, or end the worker's assignment now."""
        open_ = [a for a in self.assignments if a[:2] == [client_id, worker_id] and a[3] is None]
        for assignment in open_:
            assignment[3] = now
        if not open_:
            self.assignments.append([client_id, worker_id, now, None])

    def may_write(self, user_id, scope, at) -> bool:
        kind, _, owner = scope.partition(":")
        return owner == user_id if kind == "parked" else self.assigned(owner, user_id, at)

    def visible(self, user_id, now) -> dict[tuple[str, str], int]:
        """What the worker may see now: (type, id) -> version."""
        scopes = {f"parked:{user_id}"} | {scope_of_client(c) for c, w, *_ in self.assignments
                                           if w == user_id and self.assigned(c, w, now)}
        return {key: r.version for key, r in self.records.items() if r.scope in scopes}

    # answers --------------------------------------------------------------------------------

    def answer(self, mutation: dict, author_id: str, result: dict) -> None:
        """Check the server's answer to a mutation; apply the mutation if it is the first."""
        first = self.results.get(mutation["id"])
        if first is not None:
            assert result == first, f"a second delivery was answered differently: {mutation}"
            return
        assert result["status"] in FINAL_STATUSES, result
        outcomes = self.judge(mutation, author_id)
        matching = [o for o in outcomes if o.matches(result)]
        assert matching, f"{mutation} was answered {result}; the contract says {outcomes}"
        if result["status"] == "applied":
            assert result["server_seq"] > self.last_seq, "server_seq must grow with each change"
            self.last_seq = result["server_seq"]
        matching[0].commit(result)
        self.results[mutation["id"]] = result
        key = record_of(mutation)
        applied = result["status"] == "applied"
        self.produced[mutation["id"]] = (applied, key, self.records[key].version if applied else None)

    def judge(self, raw: dict, author_id: str, *, forced=False) -> list[Outcome]:
        """The answers the contract allows, in the order of its rules. `forced`: a person
        applies a parked mutation (no base, no conflict rule)."""
        name, args = raw["name"], raw["args"]
        key = record_of(raw)
        occurred = datetime.fromisoformat(raw["occurred_at"])
        row = self.records.get(key)

        def parked(code, conflicting=()):
            return Outcome("conflict" if conflicting else "rejected",
                           lambda result: self._park(raw, author_id, code, result), code,
                           tuple(conflicting))

        if name in CREATES:
            scope = scope_of_client(args["client_id"])
            if row is not None:
                return [parked("already_exists")]
            visit = self.records.get(("visit", args.get("visit_id")))
            if args.get("visit_id") and (visit is None or visit.scope != scope):
                return [parked("validation")]
        elif row is None:
            return [parked("not_found")]
        else:
            scope = row.scope
        if not self.may_write(author_id, scope, occurred):
            return [parked("forbidden")]
        if name in CREATES:
            return [Outcome("applied", lambda result: self._create(raw, author_id, occurred))]

        base = row.version if forced else self._base(raw, key, row)
        if isinstance(base, str):
            return [parked(base)]
        writes = self._writes(raw, row, occurred)
        if isinstance(writes, str):
            return [parked(writes)]
        conflicting = [] if forced else [
            f for f, value in writes.items()
            if row.field_versions.get(f, 0) > base and row.fields.get(f) != value]
        refusals = [parked("conflict", conflicting)] if conflicting else []
        if name in PLANNED_ONLY and row.fields["status"] != "planned":
            # The contract does not order the conflict rule and this domain rule: either.
            refusals.append(parked("invalid_state"))
        if refusals:
            return refusals

        def edit(result):
            self._edit(raw, author_id, occurred, key, writes)

        if name == "parked.resolve" and args["action"] == "apply":
            (again,) = self.judge(row.fields["mutation"], row.fields["author_id"], forced=True)
            if again.status != "applied":
                return [parked(again.code)]
            return [Outcome("applied", lambda result: (again.commit(result), edit(result)))]
        return [Outcome("applied", edit)]

    def _base(self, raw, key, row) -> int | str:
        if raw.get("base_version") is not None:
            return raw["base_version"] if raw["base_version"] <= row.version else "validation"
        applied, base_key, version = self.produced.get(raw.get("base_mutation_id"), (None,) * 3)
        if base_key != key:
            return "validation"
        return version if applied else "depends_on_parked"

    def _writes(self, raw, row, occurred) -> dict | str:
        name, args = raw["name"], raw["args"]
        if name == "visit.complete":
            return {"status": "done", "started_at": utc(args["started_at"]),
                    "ended_at": utc(args["ended_at"]), "minutes": minutes_of(args),
                    "activities": checked(args["activities"])}
        if name == "visit.cancel":
            return {"status": "cancelled", "cancel_reason": args["reason"],
                    "cancelled_at": utc_text(occurred)}
        if name == "visit.reschedule":
            return {"starts_at": utc(args["starts_at"]), "ends_at": utc(args.get("ends_at")),
                    "place": args.get("place")}
        if name == "client.update":
            return {f: args[f] for f in CONTACT_VALUES if f in args}
        assert name == "parked.resolve", name
        if row.fields["status"] == "resolved":
            return "already_resolved"
        if args["action"] != "discard" and row.fields["reason"] == "forbidden":
            return "forbidden"  # only a supervisor applies what its author was not allowed to
        return {"status": "resolved", "resolution": [args["action"], raw["id"]]}

    def _create(self, raw, author_id, occurred) -> None:
        name, args = raw["name"], raw["args"]
        if name == "note.add":
            self._note(args["id"], args["client_id"], args.get("visit_id"), author_id,
                       args["text"], occurred)
            return
        visit = dict.fromkeys(VISIT_FIELDS) | {
            "client_id": args["client_id"], "worker_id": author_id, "activities": [],
            "place": args.get("place")}
        if name == "visit.plan":
            visit |= {"status": "planned", "starts_at": utc(args["starts_at"]),
                      "ends_at": utc(args.get("ends_at"))}
        else:
            visit |= {"status": "done", "started_at": utc(args["started_at"]),
                      "ended_at": utc(args["ended_at"]), "minutes": minutes_of(args),
                      "activities": checked(args["activities"])}
        self.records[("visit", args["id"])] = Record(scope_of_client(args["client_id"]), visit)
        if args.get("note"):
            self._note(note_id_of(raw["id"]), args["client_id"], args["id"], author_id,
                       args["note"], occurred)

    def _edit(self, raw, author_id, occurred, key, writes) -> None:
        row = self.records[key]
        row.version += 1
        for f, value in writes.items():
            if row.fields.get(f) != value:
                row.fields[f] = value
                row.field_versions[f] = row.version
        if raw["name"] in NOTE_CARRIERS and raw["args"].get("note"):
            self._note(note_id_of(raw["id"]), row.fields["client_id"], key[1], author_id,
                       raw["args"]["note"], occurred)

    def _note(self, note_id, client_id, visit_id, author_id, text, occurred) -> None:
        self.records[("note", note_id)] = Record(scope_of_client(client_id), {
            "client_id": client_id, "visit_id": visit_id, "author_id": author_id, "text": text,
            "written_at": utc_text(occurred)})

    def _park(self, raw, author_id, code, result) -> None:
        self.records[("parked", result["parked_id"])] = Record(
            f"parked:{author_id}",
            {"status": "open", "reason": code, "mutation": raw, "author_id": author_id,
             "mutation_id": raw["id"], "resolution": None},
            field_versions={"status": 1, "resolution": 1})

    # what the server's tables must hold -------------------------------------------------------

    def tables(self) -> dict:
        def of(record_type, names):
            return {i: {n: r.fields[n] for n in names}
                    for (t, i), r in self.records.items() if t == record_type}

        return {
            "sync_records": {key: (r.scope, r.version, 0) for key, r in self.records.items()},
            "visits": of("visit", VISIT_FIELDS),
            "notes": of("note", NOTE_FIELDS),
            "clients": of("client", CONTACT_VALUES),
            "sync_parked": of("parked", ("author_id", "mutation_id", "status", "reason")),
            "sync_mutations": dict(self.results),
        }


def minutes_of(args) -> int:
    if args.get("minutes") is not None:
        return args["minutes"]
    ended, started = (datetime.fromisoformat(args[k]) for k in ("ended_at", "started_at"))
    return round((ended - started).total_seconds() / 60)


def checked(activities) -> list[dict]:
    return [{"activity_id": a["activity_id"], "done": a["done"],
             "support_level": a.get("support_level"), "not_done_reason": a.get("not_done_reason")}
            for a in activities]


def server_tables(data_dir) -> dict:
    """The same, read from the server's SQLite file."""
    db = sqlite3.connect(f"file:{database_path(data_dir)}?mode=ro", uri=True)
    try:
        def rows(sql):
            return db.execute(sql).fetchall()

        visits = {row[0]: dict(zip(VISIT_FIELDS, row[1:], strict=True)) for row in rows(
            f"SELECT id, {', '.join(VISIT_FIELDS)} FROM visits")}
        for visit in visits.values():
            visit["activities"] = json.loads(visit["activities"])
        return {
            "sync_records": {(t, i): (scope, version, deleted) for t, i, scope, version, deleted
                             in rows("SELECT type, id, scope, version, deleted FROM sync_records")},
            "visits": visits,
            "notes": {row[0]: dict(zip(NOTE_FIELDS, row[1:], strict=True)) for row in rows(
                f"SELECT id, {', '.join(NOTE_FIELDS)} FROM notes")},
            "clients": {row[0]: dict(zip(CONTACT_VALUES, row[1:], strict=True)) for row in rows(
                "SELECT id, whereabouts, phone, contact_notes FROM clients")},
            "sync_parked": {i: {"author_id": u, "mutation_id": m, "status": s, "reason": r}
                            for i, u, m, s, r in rows(
                                "SELECT id, user_id, mutation_id, status, reason FROM sync_parked")},
            "sync_mutations": {i: json.loads(result)
                               for i, result in rows("SELECT id, result FROM sync_mutations")},
        }
    finally:
        db.close()
