"""GET /api/sync/digest (`docs/sync-protocol.md`, "Integrity").

The SHA-256 of the lines `type:id:version\\n` of every live record in the user's scope now,
sorted by byte order, with their count and the cursor at which it was computed. A phone that
holds exactly that cursor compares it with the same over its own records; on a mismatch it
does a replacement sync.
"""

import hashlib
import json

from sync.cursor import Cursor, encode, store_scope_set
from sync.store import current_seq, epoch, read_transaction
from sync.times import utc_text


def digest_lines(records) -> tuple[str, int]:
    """The digest over (type, id, version) triples: pure, shared by the tests' devices."""
    lines = sorted(f"{t}:{i}:{v}\n".encode() for t, i, v in records)
    sha = hashlib.sha256()
    for line in lines:
        sha.update(line)
    return sha.hexdigest(), len(lines)


def digest(engine, db, user: dict) -> dict:
    now = engine.clock.now()
    window = engine.window_start(now)
    visible = engine.access.read_scopes(db, user, now)
    key = store_scope_set(db, visible, utc_text(now))
    with read_transaction(db):
        records = db.execute(
            "SELECT type, id, version FROM sync_records "
            "WHERE scope IN (SELECT value FROM json_each(?)) AND deleted = 0 "
            "AND (window_at IS NULL OR window_at >= ?)",
            [json.dumps(sorted(visible)), window],
        ).fetchall()
        value, count = digest_lines(records)
        cursor = Cursor(epoch=epoch(db), user_id=user["id"], seq=current_seq(db), scopes=key,
                        window=window)
    return {"digest": value, "count": count, "cursor": encode(cursor, engine.cursor_secret)}
