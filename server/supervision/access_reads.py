"""Who has read this person's records: the access log of one client, as the supervisor of
the client's team sees it (`rules.READ_ACCESS_LOG`): per person, how often they read,
wrote and were refused, and when last; then the entries, newest first, a page at a time,
with names for the ids (workers, devices) as they are now.
"""

import json

from server.security import access_log, rules
from server.security.access import require_client

# Entries per page: a busy client's month of syncs fits in a few pages.
PAGE = 100
MAX_PAGE = 500


def _names(db, table: str, ids) -> dict[str, str]:
    rows = db.execute(f"SELECT id, name FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                      [json.dumps(sorted(i for i in ids if i))]).fetchall()
    return dict(rows)


def client_access(db, data_dir, user: dict, client_id: str, now, *, limit: int | None = None,
                  before: int | None = None) -> dict:
    """{client, people, entries, has_more, next_before} for a client whose team the user
    leads; refused (403) otherwise, an unknown client alike."""
    require_client(db, user, client_id, rules.READ_ACCESS_LOG, now)
    limit = max(1, min(limit or PAGE, MAX_PAGE))
    row = db.execute("SELECT id, name, protected_identity FROM clients WHERE id = ?",
                     [client_id]).fetchone()
    page = access_log.entries(data_dir, client_id=client_id, before_seq=before, limit=limit + 1,
                              newest_first=True)
    has_more = len(page) > limit
    page = page[:limit]
    people = access_log.summary(data_dir, client_id)
    worker_ids = {p["user_id"] for p in people} | {e["user_id"] for e in page}
    worker_ids |= {v for e in page for k, v in e["detail"].items() if k.endswith("worker_id")}
    workers = _names(db, "workers", worker_ids)
    devices = _names(db, "devices", {e["device_id"] for e in page})
    return {
        "client": {"id": row[0], "name": row[1], "protected_identity": bool(row[2])},
        "people": [{**p, "name": workers.get(p["user_id"])} for p in people],
        "entries": [{**{k: e[k] for k in ("seq", "at", "action", "purpose", "user_id", "role",
                                            "device_id", "detail")},
                     "user_name": workers.get(e["user_id"]),
                     "device_name": devices.get(e["device_id"])} for e in page],
        "workers": workers,
        "has_more": has_more,
        "next_before": page[-1]["seq"] if has_more else None,
    }
