"""Contacts (`contact.log`, `casework.md` "Contacts"): what the record holds, the consent
check of a contact with a party, and its note in the client's journal."""

from tests.server.casework.casework import a_consent, contact_args
from tests.sync.pushing import at, count, is_parked


def logged(phone, args) -> dict:
    result = phone.push_one(phone.mutation("contact.log", args))
    assert result["status"] == "applied", result
    return phone.record("contact", args["id"])


def test_a_contact_is_recorded_as_the_worker_logged_it(phone, olle, karin):
    args = contact_args(olle["id"], actions=["phoned_care", "booked_meeting", "phoned_care"])

    contact = logged(phone, args)

    assert {k: contact[k] for k in ("client_id", "worker_id", "started_at", "minutes", "channel",
                                    "place_type", "party", "actions", "consent_id")} == {
        "client_id": olle["id"], "worker_id": karin["id"], "started_at": "2026-11-23T08:00:00+01:00",
        "minutes": 25, "channel": "in_person", "place_type": "street", "party": None,
        # An action ticked twice counts once.
        "actions": ["phoned_care", "booked_meeting"], "consent_id": None}
    assert (contact["consent_warning"], contact["consent_stale"], contact["late"]) == (False, False, False)


def test_a_contact_without_a_party_needs_no_consent(phone, olle):
    assert logged(phone, contact_args(olle["id"]))["consent_warning"] is False


def test_a_contact_with_a_party_the_client_has_given_no_consent_for_is_applied_with_a_warning(
        phone, olle):
    contact = logged(phone, contact_args(olle["id"], channel="phone", place_type=None,
                                         party="Psykiatrin Södermalm", actions=["phoned_care"]))

    assert (contact["consent_warning"], contact["consent_stale"]) == (True, False)


def test_a_valid_consent_for_the_party_named_in_other_case_and_spaces_clears_the_warning(phone, olle):
    a_consent(phone, olle["id"], party="Psykiatrin Södermalm", signed_on="2026-03-01")

    contact = logged(phone, contact_args(olle["id"], party="  psykiatrin SÖDERMALM "))

    assert (contact["consent_warning"], contact["consent_stale"]) == (False, False)
    assert contact["party"] == "psykiatrin SÖDERMALM"


def test_a_consent_for_another_party_does_not_cover_the_contact(phone, olle):
    a_consent(phone, olle["id"], party="Kronofogden", signed_on="2026-03-01")

    assert logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm"))["consent_warning"] is True


def test_a_consent_signed_more_than_12_months_before_the_contact_is_stale(phone, olle):
    a_consent(phone, olle["id"], signed_on="2025-11-22")  # 12 months and a day before Monday

    contact = logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm"))

    assert (contact["consent_warning"], contact["consent_stale"]) == (True, True)


def test_a_consent_signed_exactly_12_months_before_is_not_stale_yet(phone, olle):
    a_consent(phone, olle["id"], signed_on="2025-11-23")

    assert logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm"))["consent_warning"] is False


def test_one_fresh_consent_beside_a_stale_one_is_enough(phone, olle):
    a_consent(phone, olle["id"], signed_on="2024-01-10")
    a_consent(phone, olle["id"], signed_on="2026-10-01")

    contact = logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm"))

    assert (contact["consent_warning"], contact["consent_stale"]) == (False, False)


def test_a_consent_past_its_end_or_withdrawn_before_the_contact_does_not_cover_it(phone, olle):
    a_consent(phone, olle["id"], signed_on="2026-01-10", valid_until="2026-11-22")
    withdrawn = a_consent(phone, olle["id"], signed_on="2026-02-10")
    assert phone.push_one(phone.mutation("consent.withdraw", {"id": withdrawn, "withdrawn_on": "2026-11-23"},
                                         base_version=1))["status"] == "applied"

    contact = logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm"))

    assert (contact["consent_warning"], contact["consent_stale"]) == (True, False)


def test_the_day_of_a_contact_is_its_day_in_stockholm_not_in_utc(phone, olle, clock):
    """Tuesday 00:30 in Stockholm is Monday 23:30 UTC: a consent signed on Tuesday covers it."""
    clock.advance(hours=16)
    a_consent(phone, olle["id"], signed_on="2026-11-24")

    contact = logged(phone, contact_args(olle["id"], started_at="2026-11-23T23:30:00+00:00",
                                         party="Psykiatrin Södermalm"))

    assert contact["consent_warning"] is False
    assert contact["started_at"] == "2026-11-23T23:30:00+00:00"


def test_a_contact_naming_the_consent_it_relies_on_keeps_it(phone, olle):
    consent_id = a_consent(phone, olle["id"], signed_on="2026-03-01")

    contact = logged(phone, contact_args(olle["id"], party="Psykiatrin Södermalm", consent_id=consent_id))

    assert contact["consent_id"] == consent_id


def test_a_contact_naming_another_clients_consent_is_rejected_and_parked(phone, bos_phone, olle, foreign, db):
    consent_id = a_consent(bos_phone, foreign["id"])

    result = phone.push_one(phone.mutation("contact.log", contact_args(olle["id"], consent_id=consent_id)))

    assert result["status"] == "rejected" and "consent_id" in result["error"]["fields"]
    assert is_parked(result) and count(db, "contacts") == 0


def test_the_note_of_a_contact_is_a_note_in_the_clients_journal_about_the_contact(phone, olle):
    args = contact_args(olle["id"], note="Sov på Härbärget i natt, vill ha hjälp med ID-kort.")

    logged(phone, args)

    [note] = phone.records("note")
    assert (note["client_id"], note["contact_id"], note["visit_id"]) == (olle["id"], args["id"], None)
    assert note["text"].startswith("Sov på Härbärget")
    assert note["written_at"] == at("09:00")


def test_a_contact_longer_than_a_working_day_or_with_an_unknown_action_is_rejected(phone, olle, db):
    too_long = phone.push_one(phone.mutation("contact.log", contact_args(olle["id"], minutes=961)))
    unknown = phone.push_one(phone.mutation("contact.log", contact_args(olle["id"], actions=["juggling"])))

    assert "minutes" in too_long["error"]["fields"] and "actions" in unknown["error"]["fields"]
    assert count(db, "contacts") == 0


def test_a_contact_about_a_client_that_does_not_exist_is_rejected_as_not_found(phone, olle):
    nobody = "3f0c8a5e-2b1d-4c3e-9f7a-1d2e3f4a5b6c"
    result = phone.push_one(phone.mutation("contact.log", contact_args(nobody)))

    assert result["status"] == "rejected" and result["error"]["code"] == "not_found"
