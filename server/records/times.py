"""Times in storage: UTC text that sorts as time, with the writer's offset kept beside it."""

from datetime import UTC, datetime, timedelta, timezone

from sync.engine import utc_text


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
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    zone = timezone(timedelta(minutes=offset_minutes or 0))
    return moment.astimezone(zone).isoformat()


def parse_stored(text: str | None) -> datetime | None:
    if text is None:
        return None
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
