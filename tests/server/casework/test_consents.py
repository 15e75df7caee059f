"""Consents (`consent.record`, `consent.withdraw`, `casework.md` "Consents"): the record, the
dates it must make sense with, and that a phone holds a consent however old. The rule of
valid and stale is pinned by `contract/vectors/consents.json` (tests/contract/)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.casework.consents import add_months
from tests.server.casework.casework import a_consent, consent_args
from tests.sync.pushing import count


def test_a_consent_is_recorded_with_its_party_days_and_who_recorded_it(phone, olle, karin):
    consent_id = a_consent(phone, olle["id"], party=" Psykiatrin Södermalm ", signed_on="2026-06-01",
                           valid_until="2027-05-31", note="Gäller läkare och kurator.")

    record = phone.record("consent", consent_id)

    assert {k: record[k] for k in ("client_id", "worker_id", "party", "signed_on", "valid_until",
                                   "withdrawn_on")} == {
        "client_id": olle["id"], "worker_id": karin["id"], "party": "Psykiatrin Södermalm",
        "signed_on": "2026-06-01", "valid_until": "2027-05-31", "withdrawn_on": None}
    [note] = phone.records("note")
    assert (note["consent_id"], note["text"]) == (consent_id, "Gäller läkare och kurator.")


def test_withdrawing_a_consent_records_the_day(phone, olle):
    consent_id = a_consent(phone, olle["id"])

    result = phone.push_one(phone.mutation(
        "consent.withdraw", {"id": consent_id, "withdrawn_on": "2026-11-23"}, base_version=1))

    assert result["status"] == "applied"
    assert phone.record("consent", consent_id)["withdrawn_on"] == "2026-11-23"


def test_a_consent_cannot_be_withdrawn_before_it_was_signed(phone, olle):
    consent_id = a_consent(phone, olle["id"], signed_on="2026-06-01")

    result = phone.push_one(phone.mutation(
        "consent.withdraw", {"id": consent_id, "withdrawn_on": "2026-05-31"}, base_version=1))

    assert result["status"] == "rejected" and "withdrawn_on" in result["error"]["fields"]
    assert phone.record("consent", consent_id)["withdrawn_on"] is None


@pytest.mark.parametrize(("more", "field"), [
    ({"valid_until": "2026-05-31"}, "valid_until"),  # before it was signed
    ({"signed_on": "2026-02-30"}, "signed_on"),
    ({"signed_on": "1999-12-31"}, "signed_on"),
    ({"signed_on": "2026-W22-1"}, "signed_on"),
    ({"party": "   "}, "party"),
])
def test_a_consent_whose_days_or_party_make_no_sense_is_rejected(phone, olle, db, more, field):
    result = phone.push_one(phone.mutation("consent.record", {**consent_args(olle["id"]), **more}))

    assert result["status"] == "rejected" and field in result["error"]["fields"]
    assert count(db, "consents") == 0


def test_a_phone_holds_a_consent_however_long_ago_it_was_signed(phone, olle):
    consent_id = a_consent(phone, olle["id"], signed_on="2021-03-01")

    assert phone.record("consent", consent_id)["signed_on"] == "2021-03-01"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2150, 12, 31)), st.integers(0, 600))
def test_months_added_land_in_the_right_month_on_the_same_day_or_the_months_last(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    # The same day of the month, or, where the month is shorter, its last day.
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)
