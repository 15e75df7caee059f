"""The invariant every chaos test ends with (issue 13): zero lost, zero duplicated, every
mutation with exactly one final result, none parked that would apply without the fault, and the
device's data equal to the server's after the next sync."""

import json
from collections import Counter

from server.db import database_path
from sync.store import connect
from tests.chaos.device import FINAL, Device

# The record each mutation the chaos devices make is about: (type, the arg naming its id).
RECORD_OF = {"visit.plan": ("visit", "id"), "visit.complete": ("visit", "id"),
             "visit.reschedule": ("visit", "id"), "visit.cancel": ("visit", "id"),
             "note.add": ("note", "id"), "reminder.add": ("reminder", "id"),
             "parked.resolve": ("parked", "parked_id")}


def record_of(mutation: dict) -> tuple[str, str]:
    record_type, arg = RECORD_OF[mutation["name"]]
    return record_type, mutation["args"][arg]


def answered(data_dir, ids) -> int:
    """How many of these mutation ids the server has answered (logged with their change)."""
    db = connect(database_path(data_dir))
    try:
        return db.execute("SELECT count(*) FROM sync_mutations WHERE id IN (SELECT value FROM "
                          "json_each(?))", [json.dumps(list(ids))]).fetchone()[0]
    finally:
        db.conn.close()


def assert_exactly_once(device: Device, data_dir, parked=frozenset(), also=()) -> dict[str, dict]:
    """Checks the invariant for every mutation `device` ever queued; `parked`: the ids the
    protocol parks whatever the fault (late work); `also`: the other devices that wrote the
    records this one wrote. Returns the final result of each id."""
    assert not device.outbox, f"{len(device.outbox)} mutations still in the outbox"
    finals = {}
    for mutation_id in device.queued:
        answers = [a for a in device.answers.get(mutation_id, []) if a["status"] != "deferred"]
        assert answers, f"mutation {mutation_id} never got a final result"
        assert all(a == answers[0] for a in answers), f"{mutation_id} was answered differently: {answers}"
        assert answers[0]["status"] in FINAL
        finals[mutation_id] = answers[0]

    not_applied = {i for i, r in finals.items() if r["status"] != "applied"}
    assert not_applied == set(parked), (
        "parked or refused although they would apply without the fault: "
        f"{[(finals[i]['status'], finals[i].get('error')) for i in not_applied - set(parked)]}; "
        f"applied although late: {sorted(set(parked) - not_applied)}")
    seqs = [r["server_seq"] for r in finals.values() if r["status"] == "applied"]
    assert len(seqs) == len(set(seqs)), "two mutations got the same server seq"

    db = connect(database_path(data_dir))
    try:
        ids = json.dumps(list(device.queued))
        logged = {row[0]: (row[1], json.loads(row[2])) for row in db.execute(
            "SELECT id, status, result FROM sync_mutations WHERE id IN (SELECT value FROM json_each(?))",
            [ids]).fetchall()}
        assert set(logged) == set(device.queued), (
            f"lost by the server: {len(set(device.queued) - set(logged))} mutations")
        for mutation_id, (status, result) in logged.items():
            assert result == finals[mutation_id], "the server remembers another answer than the device got"
            assert status == result["status"]

        # Zero duplicated: each record's version counts the applied mutations about it, once.
        touched = {record_of(m) for m in device.queued.values()}
        applied_per_record = Counter(
            record_of(d.queued[i]) for d in (device, *also) for i, answers in d.answers.items()
            if record_of(d.queued[i]) in touched and answers[0]["status"] == "applied")
        versions = dict(((row[0], row[1]), row[2]) for row in db.execute(
            "SELECT type, id, version FROM sync_records WHERE type || ':' || id IN "
            "(SELECT value FROM json_each(?))",
            [json.dumps([f"{t}:{i}" for t, i in applied_per_record])]).fetchall())
        assert versions == dict(applied_per_record), "a record's version is not its applied mutations"

        # Parked once each, and only what was expected.
        parked_rows = Counter(row[0] for row in db.execute(
            "SELECT mutation_id FROM sync_parked WHERE mutation_id IN (SELECT value FROM json_each(?))",
            [ids]).fetchall())
        assert set(parked_rows) == set(parked) and all(n == 1 for n in parked_rows.values())
    finally:
        db.conn.close()
    return finals


def assert_device_equals_server(device: Device) -> None:
    """After its last sync, the device holds exactly what a fresh full pull gives."""
    fresh = device.snapshot()
    assert set(device.records) == set(fresh.records), (
        f"missing on the device: {sorted(set(fresh.records) - set(device.records))[:5]}, "
        f"only on the device: {sorted(set(device.records) - set(fresh.records))[:5]}")
    for key, record in fresh.records.items():
        assert device.records[key] == record, f"{key} differs from the server's"
