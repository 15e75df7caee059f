"""The client's appointments (`appointment.*`, `casework.md` "Appointments"): the record,
moving and changing one, ending one planned (cancelled, attended, missed) and only a planned
one, SIP meetings with their participants, and the consent check of whom it is with."""

import pytest

from tests.server.casework.casework import a_consent, an_appointment, appointment_args
from tests.sync.pushing import at, is_parked

WEDNESDAY = "2026-11-25"
SIP = [{"role": "Handläggare", "org": "Socialtjänsten Södermalm"},
       {"role": "Sjuksköterska", "org": "Beroendemottagningen"}, {"role": "Brukarens syster"}]


def edit(phone, name, args, base_version=1) -> dict:
    return phone.push_one(phone.mutation(name, args, base_version=base_version))


def test_an_appointment_is_recorded_planned_with_who_recorded_it(phone, olle, karin):
    args = appointment_args(olle["id"], place="Rosenlunds sjukhus", note="Ta med ID-kort.")

    an_appointment_id = args["id"]
    assert phone.push_one(phone.mutation("appointment.add", args))["status"] == "applied"

    record = phone.record("appointment", an_appointment_id)
    assert {k: record[k] for k in ("client_id", "worker_id", "status", "starts_at", "ends_at", "kind",
                                   "with", "place", "accompany", "participants")} == {
        "client_id": olle["id"], "worker_id": karin["id"], "status": "planned",
        "starts_at": "2026-11-25T10:00:00+01:00", "ends_at": "2026-11-25T11:00:00+01:00",
        "kind": "psychiatry", "with": "Psykiatrin Södermalm", "place": "Rosenlunds sjukhus",
        "accompany": True, "participants": None}
    [note] = phone.records("note")
    assert (note["appointment_id"], note["text"]) == (an_appointment_id, "Ta med ID-kort.")


def test_a_sip_meeting_keeps_its_participants_by_role_and_organisation(phone, olle):
    appointment_id = an_appointment(phone, olle["id"], kind="sip", participants=SIP,
                                    **{"with": "Samordnad individuell plan"})

    participants = phone.record("appointment", appointment_id)["participants"]

    assert participants == [*SIP[:2], {"role": "Brukarens syster", "org": None}]


def test_moving_an_appointment_changes_only_what_the_update_names(phone, olle):
    appointment_id = an_appointment(phone, olle["id"], kind="sip", participants=SIP)

    result = edit(phone, "appointment.update", {
        "id": appointment_id, "starts_at": at("14:00", WEDNESDAY), "ends_at": at("15:30", WEDNESDAY),
        "participants": SIP[:1]})

    assert result["status"] == "applied"
    record = phone.record("appointment", appointment_id)
    assert (record["starts_at"], record["ends_at"]) == (
        "2026-11-25T14:00:00+01:00", "2026-11-25T15:30:00+01:00")
    assert (record["kind"], record["with"], record["accompany"]) == ("sip", "Psykiatrin Södermalm", True)
    assert record["participants"] == SIP[:1]


def test_an_update_that_would_end_the_appointment_before_it_starts_is_rejected(phone, olle):
    appointment_id = an_appointment(phone, olle["id"])

    result = edit(phone, "appointment.update", {"id": appointment_id, "starts_at": at("12:00", WEDNESDAY)})

    assert result["status"] == "rejected" and "ends_at" in result["error"]["fields"]
    assert phone.record("appointment", appointment_id)["starts_at"] == "2026-11-25T10:00:00+01:00"


@pytest.mark.parametrize(("name", "args", "status"), [
    ("appointment.cancel", {}, "cancelled"),
    ("appointment.outcome", {"outcome": "attended"}, "attended"),
    ("appointment.outcome", {"outcome": "missed"}, "missed"),
])
def test_a_planned_appointment_ends_cancelled_attended_or_missed(phone, olle, name, args, status):
    appointment_id = an_appointment(phone, olle["id"])

    assert edit(phone, name, {"id": appointment_id, **args})["status"] == "applied"

    assert phone.record("appointment", appointment_id)["status"] == status


@pytest.mark.parametrize(("name", "args"), [
    ("appointment.cancel", {}),
    ("appointment.outcome", {"outcome": "missed"}),
    ("appointment.update", {"starts_at": at("09:00", WEDNESDAY)}),
])
def test_an_appointment_that_is_no_longer_planned_cannot_be_ended_or_moved(phone, olle, name, args):
    appointment_id = an_appointment(phone, olle["id"])
    attended = edit(phone, "appointment.outcome", {"id": appointment_id, "outcome": "attended"})
    assert attended["status"] == "applied"

    result = edit(phone, name, {"id": appointment_id, **args}, base_version=2)

    assert result["status"] == "rejected" and result["error"]["code"] == "invalid_state"
    assert is_parked(result)
    assert phone.record("appointment", appointment_id)["status"] == "attended"


def test_what_was_decided_at_the_meeting_is_a_note_about_the_appointment(phone, olle):
    appointment_id = an_appointment(phone, olle["id"], kind="sip")

    edit(phone, "appointment.outcome", {"id": appointment_id, "outcome": "attended",
                                        "note": "Beslut: ansökan om boende skickas i veckan."})

    [note] = phone.records("note")
    assert (note["appointment_id"], note["client_id"]) == (appointment_id, olle["id"])
    assert note["text"].startswith("Beslut:")


def test_an_appointment_with_a_party_without_consent_is_applied_with_a_warning(phone, olle):
    record = phone.record("appointment", an_appointment(phone, olle["id"]))

    assert (record["consent_warning"], record["consent_stale"]) == (True, False)


def test_an_appointment_with_the_party_of_a_valid_consent_has_no_warning(phone, olle):
    a_consent(phone, olle["id"], party="psykiatrin södermalm", signed_on="2026-05-01")

    record = phone.record("appointment", an_appointment(phone, olle["id"]))

    assert (record["consent_warning"], record["consent_stale"]) == (False, False)


def test_moving_an_appointment_past_the_end_of_its_consent_raises_the_warning(phone, olle):
    a_consent(phone, olle["id"], signed_on="2026-05-01", valid_until="2026-11-30")
    appointment_id = an_appointment(phone, olle["id"])

    edit(phone, "appointment.update", {"id": appointment_id, "starts_at": at("10:00", "2026-12-02"),
                                       "ends_at": at("11:00", "2026-12-02")})

    assert phone.record("appointment", appointment_id)["consent_warning"] is True


def test_changing_whom_an_appointment_is_with_checks_the_new_party(phone, olle):
    a_consent(phone, olle["id"], party="Kronofogden", signed_on="2024-06-01")
    appointment_id = an_appointment(phone, olle["id"])

    edit(phone, "appointment.update", {"id": appointment_id, "kind": "enforcement", "with": " Kronofogden "})

    record = phone.record("appointment", appointment_id)
    assert record["with"] == "Kronofogden"
    assert (record["consent_warning"], record["consent_stale"]) == (True, True)
