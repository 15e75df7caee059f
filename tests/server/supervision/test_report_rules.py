"""The report's rules as pure functions (`server/supervision/figures.py`,
`report_format.py`, `months.py`): rounding, bands, the two-orders rule, month bounds in the
users' zone, CSV fields."""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from server.supervision.figures import band, granted_hours, hours, order_of_month
from server.supervision.months import month_bounds, next_month, previous_month
from server.supervision.report_format import csv_field, number

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(("amount", "shown"), [
    (Decimal(91) / 60, "1.52"),  # 44 + 47 minutes: 1.5166…
    (Decimal(40) / 60, "0.67"),
    (Decimal(6282) / 3600, "1.75"),  # 1.745: half up (half even would give 1.74)
    (Decimal(2682) / 3600, "0.75"),  # 0.745
    (Decimal(0), "0.00"),
])
def test_hours_round_half_up_to_two_decimals(amount, shown):
    assert str(hours(amount)) == shown


def test_hours_are_decimals_because_a_float_rounds_a_booked_44_minutes_42_seconds_down():
    assert round(2682 / 3600, 2) == 0.74  # 0.745 is 0.74499… as a float
    assert hours(Decimal(2682) / 3600) == Decimal("0.75")


@pytest.mark.parametrize(("granted", "expected"), [
    (None, ""), (0, ""), (0.5, "1-7"), (1, "1-7"), (7, "1-7"), (7.01, "8-18"), (7.5, "8-18"),
    (8, "8-18"), (18, "8-18"), (18.5, "19+"), (19, "19+"), (40, "19+"),
])
def test_the_band_is_1_7_above_0_up_to_7_then_8_18_up_to_18_then_19_plus(granted, expected):
    assert band(granted) == expected


def test_granted_hours_read_from_a_real_column_keep_two_decimals():
    assert granted_hours(7.5) == Decimal("7.50") and granted_hours(None) is None
    assert granted_hours(0.1 + 0.2) == Decimal("0.30")


def order(order_id, start, end, received="2026-01-01T00:00:00Z"):
    return {"id": order_id, "period_start": start, "period_end": end, "received_at": received}


OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


def test_of_two_orders_in_a_month_the_one_in_force_on_its_last_day_speaks_for_it():
    early = order("early", "2026-01-01", "2026-10-15")
    late = order("late", "2026-10-16", None)
    assert order_of_month([early, late], *OCTOBER)["id"] == "late"
    # Even when it started before the other.
    long = order("long", "2025-01-01", None)
    short = order("short", "2026-10-05", "2026-10-20")
    assert order_of_month([short, long], *OCTOBER)["id"] == "long"


def test_when_no_order_is_in_force_on_the_last_day_the_one_that_started_last_speaks():
    first = order("first", "2026-01-01", "2026-10-10")
    second = order("second", "2026-10-11", "2026-10-20")
    assert order_of_month([second, first], *OCTOBER)["id"] == "second"


def test_an_order_outside_the_month_does_not_count():
    assert order_of_month([order("before", "2026-01-01", "2026-09-30"),
                           order("after", "2026-11-01", None)], *OCTOBER) is None
    assert order_of_month([order("one_day", "2026-10-31", "2026-10-31")], *OCTOBER)["id"] == "one_day"
    assert order_of_month([order("first_day", "2026-01-01", "2026-10-01")], *OCTOBER)["id"] == "first_day"


def test_a_month_is_cut_at_local_midnight_with_its_clock_change():
    # October: from CEST (+02) to CET (+01), 31 days and one hour.
    assert month_bounds("2026-10", STOCKHOLM) == ("2026-09-30T22:00:00Z", "2026-10-31T23:00:00Z")
    # March: the clocks go forward on the 29th; 31 days less one hour.
    assert month_bounds("2026-03", STOCKHOLM) == ("2026-02-28T23:00:00Z", "2026-03-31T22:00:00Z")
    assert month_bounds("2026-12", STOCKHOLM) == ("2026-11-30T23:00:00Z", "2026-12-31T23:00:00Z")


def test_the_months_before_and_after_cross_the_year():
    assert (previous_month("2027-01"), next_month("2026-12")) == ("2026-12", "2027-01")
    assert (previous_month("2026-11"), next_month("2026-10")) == ("2026-10", "2026-11")


@pytest.mark.parametrize(("value", "field"), [
    ("Åsa Lind", "Åsa Lind"), ("", ""), (None, ""), (Decimal("1.50"), "1,50"),
    (Decimal("4.00"), "4,00"), (7, "7"), (0, "0"),
    ("SÖ;2026;7", '"SÖ;2026;7"'), ('Nils "Nisse" Öhman', '"Nils ""Nisse"" Öhman"'),
    ("rad ett\nrad två", '"rad ett\nrad två"'), ("a\rb", '"a\rb"'),
    ("Hägersten, Älvsjö", "Hägersten, Älvsjö"),
])
def test_a_csv_field_is_quoted_only_when_it_holds_a_semicolon_a_quote_or_a_line_break(value, field):
    assert csv_field(value) == field


def test_numbers_are_shown_with_a_decimal_comma_and_counts_as_integers():
    assert (number(Decimal("19.00")), number(12), number(None)) == ("19,00", "12", "")
