"""`shown` reads every stored time of a pull: its fast path must give the text the strict
parse gives, for every instant and offset, and refuse what the strict parse refuses."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.times import MAX_YEAR, MIN_YEAR, shown, stored, utc_text, written_offsets

instants = st.datetimes(min_value=datetime(MIN_YEAR, 1, 1), max_value=datetime(MAX_YEAR, 12, 31),
                        timezones=st.just(UTC))
offset_minutes = st.one_of(st.none(), st.integers(min_value=-14 * 60, max_value=14 * 60))


def strict(text, minutes):
    zone = timezone(timedelta(minutes=minutes or 0))
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone(zone).isoformat()


@given(instants, offset_minutes)
def test_a_stored_time_is_shown_as_the_strict_parse_shows_it(moment, minutes):
    text = utc_text(moment)
    assert shown(text, minutes) == strict(text, minutes)


@given(instants, st.integers(min_value=-14 * 60, max_value=14 * 60))
def test_a_time_shown_with_its_offset_reads_back_as_the_instant_written(moment, minutes):
    written = moment.replace(microsecond=0).astimezone(timezone(timedelta(minutes=minutes)))
    text, offset = stored(written)
    assert shown(text, offset) == written.isoformat()


@pytest.mark.parametrize("text", ["2026-13-01T10:00:00Z", "2026-11-23T25:00:00Z", "2026-11-23 10:00:0Z",
                                  "not a time at all Z!"])
def test_a_broken_stored_time_is_refused_as_the_strict_parse_refuses_it(text):
    with pytest.raises(ValueError):
        shown(text, 60)
    with pytest.raises(ValueError):
        shown(text)


def test_offsets_are_read_once_and_cannot_be_changed_by_a_reader():
    first = written_offsets('{"starts_at": 60}')
    assert first == {"starts_at": 60} and written_offsets('{"starts_at": 60}') is first
    with pytest.raises(TypeError):
        first["starts_at"] = 0
    assert written_offsets("{}") == {}
