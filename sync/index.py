"""The record index (`sync_records`): one row per synced record, with its version, scope,
the server seq of its latest change, tombstone flag, history-window time and, per field, the
version that last changed it (for the conflict rule).

Only the engine writes it (`write`, called by `push`, `parked` and `Engine.record`); a host
reports its changes as `sync.changes.Change` values. `tests/test_architecture.py` fails when
a module outside `sync/` imports this module or writes `sync_records`.
"""

import json
from dataclasses import dataclass

from sqlite_utils import Database

from sync.changes import KEEP, Change
from sync.store import next_seq


@dataclass(frozen=True)
class IndexRow:
    type: str
    id: str
    scope: str
    version: int
    seq: int
    deleted: bool
    window_at: str | None
    field_versions: dict


def index_row(db: Database, record_type: str, record_id: str) -> IndexRow | None:
    row = db.execute(
        "SELECT type, id, scope, version, seq, deleted, window_at, field_versions "
        "FROM sync_records WHERE type = ? AND id = ?",
        [record_type, record_id],
    ).fetchone()
    if row is None:
        return None
    return IndexRow(*row[:5], bool(row[5]), row[6], json.loads(row[7]))


def write(db: Database, change: Change) -> tuple[int, int]:
    """Enter one change in the index; returns the record's new (version, seq).

    Call inside `write_transaction`. A record's scope never changes after it is created.
    """
    seq = next_seq(db)
    row = index_row(db, change.type, change.id)
    if row is None:
        version = 1
        field_versions = {field: 1 for field in change.fields}
        db.execute(
            "INSERT INTO sync_records (type, id, scope, version, seq, deleted, window_at, "
            "field_versions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [change.type, change.id, change.scope, version, seq, int(change.deleted),
             None if change.window_at is KEEP else change.window_at,
             json.dumps(field_versions, sort_keys=True)],
        )
        return version, seq
    if row.scope != change.scope:
        raise ValueError(f"{change.type} {change.id} cannot move from {row.scope} to {change.scope}")
    window_at = row.window_at if change.window_at is KEEP else change.window_at
    version = row.version + 1
    field_versions = dict(row.field_versions)
    for field in change.fields:
        field_versions[field] = version
    db.execute(
        "UPDATE sync_records SET version = ?, seq = ?, deleted = ?, window_at = ?, "
        "field_versions = ? WHERE type = ? AND id = ?",
        [version, seq, int(change.deleted), window_at, json.dumps(field_versions, sort_keys=True),
         change.type, change.id],
    )
    return version, seq
