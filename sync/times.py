"""Times in storage and on the wire, shared by the engine and the server's domain code.

Storage keeps every instant as UTC text (`YYYY-MM-DDTHH:MM:SSZ`), which sorts as time; where
a device gave the time, the offset it used is kept beside it, so the time reads back as the
worker wrote it (`stored` / `shown`). On the wire every time is ISO 8601 with an offset.
"""

import json
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from types import MappingProxyType

# Times outside these years are typing mistakes (or attacks), not work: they are refused.
MIN_YEAR, MAX_YEAR = 2000, 2199
_STORED = "%Y-%m-%dT%H:%M:%SZ"


def utc_text(moment: datetime) -> str:
    """The one text form of an instant in storage: UTC, seconds, `Z`. Sorts as time."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime(_STORED)


def parse_instant(text) -> datetime | None:
    """An ISO 8601 time with an offset, or None when it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None or not MIN_YEAR <= moment.astimezone(UTC).year <= MAX_YEAR:
            return None
    except (ValueError, OverflowError):
        return None
    return moment


def parse_stored(text: str | None) -> datetime | None:
    """An instant read back from storage (`utc_text`'s form)."""
    if text is None:
        return None
    return datetime.strptime(text, _STORED).replace(tzinfo=UTC)


def stored(moment: datetime | None) -> tuple[str | None, int | None]:
    """(UTC text, offset in minutes) of an aware datetime."""
    if moment is None:
        return None, None
    offset = moment.utcoffset()
    return utc_text(moment), int(offset.total_seconds() // 60) if offset is not None else 0


def shown(text: str | None, offset_minutes: int | None = None) -> str | None:
    """ISO 8601 with the offset the time was written with (UTC when unknown).

    Every synced record's times pass through here (three for a visit), so a first sync of
    10,000 records calls it some 30,000 times: `strptime` (16 µs a call) was the largest cost
    of a first sync. Text of `utc_text`'s exact form is shifted by the offset as a naive time
    and given the offset's suffix (2 µs; the same text as the strict parse gives, pinned by
    tests/sync/test_times.py); anything else takes the strict parse, which refuses it.
    """
    if text is None:
        return None
    minutes = offset_minutes or 0
    if len(text) == 20 and text[19] == "Z":
        shift, suffix = _offset(minutes)
        try:
            if not minutes:
                datetime.fromisoformat(text[:19])  # the same refusal of a broken text
                return text[:19] + suffix
            return (datetime.fromisoformat(text[:19]) + shift).isoformat() + suffix
        except ValueError:
            pass
    zone = timezone(timedelta(minutes=minutes))
    return parse_stored(text).astimezone(zone).isoformat()


@lru_cache(maxsize=64)
def _offset(minutes: int) -> tuple[timedelta, str]:
    """The shift and the ISO suffix (`+01:00`) of an offset in minutes."""
    zone = timezone(timedelta(minutes=minutes))
    return timedelta(minutes=minutes), datetime(2000, 1, 1, tzinfo=zone).isoformat()[19:]


@lru_cache(maxsize=1024)
def written_offsets(text: str | None):
    """The writer's offsets of a record's times (its `offsets` column, JSON `{field:
    minutes}`), read-only. Records share a handful of such texts (`{"starts_at": 60}` in
    winter), so each is parsed once rather than once a record."""
    return MappingProxyType(json.loads(text) if text else {})
