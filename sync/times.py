"""Times in storage and on the wire, shared by the engine and the server's domain code.

Storage keeps every instant as UTC text (`YYYY-MM-DDTHH:MM:SSZ`), which sorts as time; where
a device gave the time, the offset it used is kept beside it, so the time reads back as the
worker wrote it (`stored` / `shown`). On the wire every time is ISO 8601 with an offset.
"""

from datetime import UTC, datetime, timedelta, timezone

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
    """ISO 8601 with the offset the time was written with (UTC when unknown)."""
    if text is None:
        return None
    zone = timezone(timedelta(minutes=offset_minutes or 0))
    return parse_stored(text).astimezone(zone).isoformat()
