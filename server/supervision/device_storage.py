"""A phone's data budget, and what it last said of its storage (docs/phone-security.md,
"Data budget"): the records it holds and the bytes the browser counts for the app
(`navigator.storage.estimate`), reported after its syncs (`POST /api/device/report`).

The budget is the instance's (`FALTSTOD_DEVICE_MAX_RECORDS`, `FALTSTOD_DEVICE_MAX_MB`): a
phone is a small, losable copy of what its worker needs, and the more it holds, the more a
lost phone exposes. Over budget, the phone tells its worker and the sync dashboard shows
`over_budget`: the supervisor then looks at what the worker's caseload brings to the phone.

Before that, the budget is projected when clients are assigned (`projection`): the records a
phone of the worker would hold with the client (what a full sync now brings), and their
megabytes at the bytes a record takes on the worker's phones as they last reported (or
DEFAULT_RECORD_BYTES before any report). An assignment that takes the projection over the
budget is refused (`server/supervision/caseloads.py`).
"""

from dataclasses import dataclass

from sync.times import utc_text

MEGABYTE = 1024 * 1024
# What one record takes in a phone's storage before its phones have reported any: an
# estimate on the high side (a sealed row in IndexedDB with its indexes); the phones' own
# reports replace it.
DEFAULT_RECORD_BYTES = 2048


@dataclass(frozen=True)
class Budget:
    records: int
    megabytes: int


def budget_from(settings) -> Budget:
    return Budget(records=settings["DEVICE_MAX_RECORDS"], megabytes=settings["DEVICE_MAX_MB"])


def over_budget(records: int | None, bytes_used: int | None, budget: Budget) -> bool:
    """Whether a phone holding `records` records in `bytes_used` bytes is over `budget`
    (what it did not report is not counted). Pure."""
    return (records is not None and records > budget.records) or \
        (bytes_used is not None and bytes_used > budget.megabytes * MEGABYTE)


def record_bytes(db, worker_id: str) -> int:
    """Bytes a record takes on the worker's active phones, as they last reported."""
    row = db.execute(
        "SELECT sum(s.bytes_used), sum(s.records) FROM device_storage s "
        "JOIN devices d ON d.id = s.device_id WHERE d.worker_id = ? AND d.status = 'active' "
        "AND s.bytes_used IS NOT NULL AND s.records > 0", [worker_id]).fetchone()
    return max(1, round(row[0] / row[1])) if row[1] else DEFAULT_RECORD_BYTES


def projection(records: int, bytes_per_record: int, budget: Budget) -> dict:
    """What a phone holding `records` takes, against the budget. Pure."""
    megabytes = records * bytes_per_record / MEGABYTE
    return {"records": records, "megabytes": round(megabytes, 1),
            "over_budget": records > budget.records or megabytes > budget.megabytes}


def record_storage(db, device_id: str, *, records: int, bytes_used: int | None,
                   bytes_quota: int | None, now) -> None:
    """Keep what the device reported last (inside a write transaction)."""
    db.execute(
        "INSERT INTO device_storage (device_id, records, bytes_used, bytes_quota, reported_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET records = excluded.records, "
        "bytes_used = excluded.bytes_used, bytes_quota = excluded.bytes_quota, "
        "reported_at = excluded.reported_at",
        [device_id, records, bytes_used, bytes_quota, utc_text(now)])


def report(db, device_id: str, storage: dict, budget: Budget, *, now) -> dict:
    """Store a device's storage report; the answer tells it its budget and whether it is over."""
    record_storage(db, device_id, records=storage["records"], bytes_used=storage.get("bytes_used"),
                   bytes_quota=storage.get("bytes_quota"), now=now)
    return {"budget": {"records": budget.records, "megabytes": budget.megabytes},
            "over_budget": over_budget(storage["records"], storage.get("bytes_used"), budget)}
