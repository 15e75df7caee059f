"""A phone's data budget, and what it last said of its storage (docs/phone-security.md,
"Data budget"): the records it holds and the bytes the browser counts for the app
(`navigator.storage.estimate`), reported after its syncs (`POST /api/device/report`).

The budget is the instance's (`FALTSTOD_DEVICE_MAX_RECORDS`, `FALTSTOD_DEVICE_MAX_MB`): a
phone is a small, losable copy of what its worker needs, and the more it holds, the more a
lost phone exposes. Over budget, the phone tells its worker and the sync dashboard shows
`over_budget`: the supervisor then looks at what the worker's caseload brings to the phone.
"""

from dataclasses import dataclass

from sync.times import utc_text

MEGABYTE = 1024 * 1024


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
