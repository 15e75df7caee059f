"""Time is injected: everything that asks "what time is it?" asks a clock.

Production uses `SystemClock`; tests use `FixedClock` and move it, so no test depends on the
hour or the date it runs at.
"""

from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("a clock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> None:
        self.at = self.at + timedelta(**delta)
