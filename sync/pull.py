"""GET /api/sync/pull, as the numbered steps of `docs/sync-protocol.md` ("Pull"; the contract is
the shared docs' page of the same name).

Scope follows access. The trap: with one global change counter, the records of a client
newly assigned to a worker are older than the worker's cursor, and "changed since the cursor"
misses them. So a cursor remembers *which* scope keys the phone holds, and each pull sorts
the scope keys it may see now into:
  - kept (held and still visible): only records changed since the cursor's seq;
  - new (visible, not held): every live record in the history window, however old;
  - gone (held, no longer visible): named in `purge`.

1. Read the cursor (none: a full snapshot). A cursor from another epoch, user or secret, or
   naming a scope set the server no longer has, is expired (410, replacement sync).
2. Work out the session: a cursor at rest starts a new one (scope now, up to the seq now);
   a cursor in a session resumes it right after the last page, narrowed to what the user
   may still see.
3. On a session's first page: `purge` names the gone scopes and the records of kept scopes
   that aged out of the history window; on a later page, the scopes that left the session
   since it began (purge applies before changes).
4. The page: records of new and kept scopes, ordered by seq, after the position, up to the
   session's end seq; each at its latest version, tombstones for deletes of held records.
5. Load the records' data, build the next cursor, estimate what remains.
6. Note the device's pull for the sync dashboard (`sync_devices.last_pull_at`), best-effort:
   a read never waits for the write lock.
"""

import json

from sync import protocol
from sync.cursor import Cursor, CursorExpired, decode, encode, load_scope_set, store_scope_set
from sync.store import best_effort, current_seq, epoch, read_transaction
from sync.times import utc_text

_PAGE_SQL = """
SELECT type, id, scope, version, seq, deleted FROM sync_records
WHERE scope IN (SELECT value FROM json_each(:kept)) AND seq > :kept_after AND seq <= :high
  AND (deleted = 1 OR window_at IS NULL OR window_at >= :window)
UNION ALL
SELECT type, id, scope, version, seq, deleted FROM sync_records
WHERE scope IN (SELECT value FROM json_each(:new)) AND seq > :position AND seq <= :high
  AND deleted = 0 AND (window_at IS NULL OR window_at >= :window)
ORDER BY seq
"""


def count_held(db, scopes, window: str) -> dict[str, int]:
    """Live records per scope inside the history window: what a full pull of these scopes
    leaves on a phone (a scope with none is absent)."""
    rows = db.execute(
        "SELECT scope, count(*) FROM sync_records WHERE scope IN (SELECT value FROM json_each(?)) "
        "AND deleted = 0 AND (window_at IS NULL OR window_at >= ?) GROUP BY scope",
        [json.dumps(sorted(scopes)), window]).fetchall()
    return dict(rows)


def pull(engine, db, user: dict, cursor_text: str | None, limit: int | None,
         device_id: str | None = None) -> dict:
    limit = protocol.DEFAULT_PULL_LIMIT if limit is None else limit
    limit = max(1, min(int(limit), protocol.MAX_PULL_LIMIT))
    now = engine.clock.now()
    window = engine.window_start(now)
    visible = engine.access.read_scopes(db, user, now)
    visible_key = store_scope_set(db, visible, utc_text(now))
    nothing_key = store_scope_set(db, frozenset(), utc_text(now))

    # 1. The cursor (signature, user; the epoch is checked in the transaction below).
    held = decode(cursor_text, engine.cursor_secret) if cursor_text else None
    if held is not None and held.user_id != user["id"]:
        raise CursorExpired("cursor of another user")

    # 2. The session. A session in progress serves only what the user may still see: scopes
    #    that left it since the session began are purged on this page and dropped from the
    #    session's target, so the final cursor names only the scopes served to the end (a
    #    client handed back later then arrives as new, with its whole history).
    dropped = frozenset()
    if held is None or held.target is None:
        target_key, target, first_page = visible_key, visible, True
    else:
        began_with = load_scope_set(db, held.target)
        target = began_with & visible
        dropped = began_with - target
        target_key = store_scope_set(db, target, utc_text(now)) if dropped else held.target
        first_page = False
    if held is None:
        held_scopes, held_seq, held_window = frozenset(), 0, window
    else:
        held_scopes, held_seq, held_window = load_scope_set(db, held.scopes), held.seq, held.window

    with read_transaction(db):
        server_epoch = epoch(db)
        if held is not None and held.epoch != server_epoch:
            raise CursorExpired("cursor from another epoch")
        high, position = (current_seq(db), 0) if first_page else (held.high, held.position)
        kept = target & held_scopes
        new = target - held_scopes

        # 3. Purge (before changes): on a session's first page what left the scope or the
        #    history window since the cursor; on a later page what left the scope since.
        if first_page:
            purge = _purge(engine, db, held_scopes - target, kept, held_seq, held_window, window,
                           high) if held is not None else []
        else:
            purge = _purge(engine, db, dropped, frozenset(), held_seq, held_window, window, high)

        # 4. One page of changes.
        rows = db.execute(
            _PAGE_SQL + " LIMIT :take",
            {"kept": json.dumps(sorted(kept)), "kept_after": max(position, held_seq),
             "new": json.dumps(sorted(new)), "position": position, "high": high,
             "window": window, "take": limit + 1},
        ).fetchall()
        has_more = len(rows) > limit
        rows = rows[:limit]

        # 5. Data, cursor, what remains.
        changes = _load(engine, db, rows)
        if has_more:
            next_cursor = Cursor(epoch=server_epoch, user_id=user["id"], seq=held_seq,
                                 scopes=held.scopes if held else nothing_key,
                                 window=held_window, target=target_key, high=high,
                                 position=rows[-1][4])
            remaining = _remaining(db, kept, new, max(rows[-1][4], held_seq), rows[-1][4], high, window)
        else:
            # After a session of several pages the phone may hold records placed from the
            # window its first page used; keep the older one so the next pull purges them.
            next_cursor = Cursor(epoch=server_epoch, user_id=user["id"], seq=high, scopes=target_key,
                                 window=window if first_page else min(held_window, window))
            remaining = 0

    # 6. The device was in contact: a silent phone is one that neither pushes nor pulls.
    if device_id is not None:
        _record_pull(db, user, device_id, now)
    return {
        "changes": changes,
        "purge": purge,
        "cursor": encode(next_cursor, engine.cursor_secret),
        "has_more": has_more,
        "remaining": remaining,
        "server_time": utc_text(now),
        "epoch": server_epoch,
        "min_app_version": engine.min_app_version,
    }


def _record_pull(db, user, device_id, now) -> None:
    # Best-effort: a pull is a read and never waits for another writer (the next pull notes it).
    best_effort(
        db, "INSERT INTO sync_devices (device_id, user_id, last_pull_at) VALUES (?, ?, ?) "
        "ON CONFLICT (device_id) DO UPDATE SET last_pull_at = excluded.last_pull_at",
        [device_id, user["id"], utc_text(now)])


def _purge(engine, db, gone, kept, held_seq, held_window, window, high) -> list[dict]:
    purge = []
    individual = []
    for scope in sorted(gone):
        owner_type, _, owner_id = scope.partition(":")
        if owner_type in engine.owner_types and owner_id:
            purge.append({"type": owner_type, "id": owner_id})
        else:
            individual.append(scope)
    if individual:
        purge += [
            {"type": t, "id": i}
            for t, i in db.execute(
                "SELECT type, id FROM sync_records WHERE scope IN (SELECT value FROM json_each(?)) "
                "AND deleted = 0 ORDER BY seq",
                [json.dumps(individual)],
            )
        ]
    # Records of kept scopes that left the history window since the cursor (or moved out of
    # it with a change the phone has not seen).
    purge += [
        {"type": t, "id": i}
        for t, i in db.execute(
            "SELECT type, id FROM sync_records WHERE scope IN (SELECT value FROM json_each(?)) "
            "AND window_at < ? AND (window_at >= ? OR seq > ?) AND seq <= ? AND deleted = 0 "
            "ORDER BY seq",
            [json.dumps(sorted(kept)), window, held_window, held_seq, high],
        )
    ]
    return purge


def _load(engine, db, rows) -> list[dict]:
    wanted: dict[str, list[str]] = {}
    for record_type, record_id, _scope, _version, _seq, deleted in rows:
        if not deleted:
            wanted.setdefault(record_type, []).append(record_id)
    data = {t: engine.loaders[t](db, ids) for t, ids in wanted.items()}
    changes = []
    for record_type, record_id, _scope, version, _seq, deleted in rows:
        record = None if deleted else data[record_type].get(record_id)
        changes.append({"type": record_type, "id": record_id, "version": version,
                        "deleted": bool(deleted) or record is None, "data": record})
    return changes


def _remaining(db, kept, new, kept_after, position, high, window) -> int:
    return db.execute(
        f"SELECT count(*) FROM ({_PAGE_SQL})",
        {"kept": json.dumps(sorted(kept)), "kept_after": kept_after, "new": json.dumps(sorted(new)),
         "position": position, "high": high, "window": window},
    ).fetchone()[0]

