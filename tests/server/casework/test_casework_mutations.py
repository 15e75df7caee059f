"""Every mutation of a contact, an appointment and a consent (`casework.md`), and the edits a
case manager makes from the phone beside them (a client's whereabouts and contact details, a
visit moved), through the real sync API: applied; sent again (the same id), the same answer
and nothing more; about a client the worker does not have, forbidden and parked; with
arguments the catalogue refuses, rejected and parked; and, for an edit, a conflict by the
field rule when another device changed the same field since its base."""

import pytest

from sync.store import current_seq
from tests.server.casework.casework import (
    a_consent,
    a_planned_visit,
    an_appointment,
    appointment_args,
    consent_args,
    contact_args,
)
from tests.sync.pushing import at, count, is_parked, login, version_of

# name -> (record type, a builder: (phone that makes what the mutation needs, client id) ->
# (args, base_version or None)).
MUTATIONS = {
    "contact.log": ("contact", lambda p, c: (contact_args(c), None)),
    "appointment.add": ("appointment", lambda p, c: (appointment_args(c), None)),
    "appointment.update": ("appointment", lambda p, c: (
        {"id": an_appointment(p, c), "starts_at": at("13:00", "2026-11-25"),
         "ends_at": at("14:00", "2026-11-25"), "accompany": False}, 1)),
    "appointment.cancel": ("appointment", lambda p, c: ({"id": an_appointment(p, c)}, 1)),
    "appointment.outcome": ("appointment", lambda p, c: (
        {"id": an_appointment(p, c), "outcome": "attended", "note": "Ny tid om en månad."}, 1)),
    "consent.record": ("consent", lambda p, c: (consent_args(c), None)),
    "consent.withdraw": ("consent", lambda p, c: (
        {"id": a_consent(p, c), "withdrawn_on": "2026-11-23"}, 1)),
    "client.update": ("client", lambda p, c: ({"id": c, "whereabouts": "Stadsmissionen, Fristad"}, 1)),
    "visit.reschedule": ("visit", lambda p, c: (
        {"id": a_planned_visit(p, c), "starts_at": at("13:00", "2026-11-26")}, 1)),
}
# name -> arguments the catalogue refuses, laid over good ones, and the field named.
BAD = {
    "contact.log": ({"channel": "carrier_pigeon"}, "channel"),
    "appointment.add": ({"kind": "horoscope"}, "kind"),
    "appointment.update": ({"accompany": "yes"}, "accompany"),
    "appointment.cancel": ({"note": 7}, "note"),
    "appointment.outcome": ({"outcome": "cancelled"}, "outcome"),
    "consent.record": ({"signed_on": "2026-06-01T10:00:00+02:00"}, "signed_on"),
    "consent.withdraw": ({"withdrawn_on": "23/11/2026"}, "withdrawn_on"),
    "client.update": ({"phone": 46701740650}, "phone"),
    "visit.reschedule": ({"starts_at": "i morgon"}, "starts_at"),
}
# edit -> (the other device's edit, this device's edit), both built on version 1 and writing
# the same field differently.
CONFLICTS = {
    "appointment.update": ({"kind": "health_care"}, {"kind": "dental"}),
    "appointment.cancel": (("appointment.outcome", {"outcome": "missed"}), {}),
    "appointment.outcome": (("appointment.cancel", {}), {"outcome": "attended"}),
    "consent.withdraw": ({"withdrawn_on": "2026-11-20"}, {"withdrawn_on": "2026-11-21"}),
    "client.update": ({"whereabouts": "Ute vid Slussen"}, {"whereabouts": "Härbärget Klara"}),
    "visit.reschedule": ({"starts_at": at("14:00", "2026-11-26")}, {"starts_at": at("15:00", "2026-11-26")}),
}
CREATES = {"contact.log": "contact", "appointment.add": "appointment", "consent.record": "consent"}


def send(phone, name, args, base_version):
    extra = {"base_version": base_version} if base_version is not None else {}
    return phone.mutation(name, args, **extra)


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_casework_mutation_is_applied_and_its_record_pulled(phone, olle, name):
    record_type, build = MUTATIONS[name]
    args, base = build(phone, olle["id"])

    result = phone.push_one(send(phone, name, args, base))

    assert result["status"] == "applied", result
    record = phone.record(record_type, args["id"])
    assert record.get("client_id", record["id"]) == olle["id"]
    assert record["version"] == (1 if base is None else 2)


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_casework_mutation_sent_again_gets_its_first_answer_and_changes_nothing(
        phone, olle, db, name):
    record_type, build = MUTATIONS[name]
    args, base = build(phone, olle["id"])
    mutation = send(phone, name, args, base)
    first = phone.push_one(mutation)
    seq = current_seq(db)

    assert phone.push_one(mutation) == first
    assert current_seq(db) == seq
    assert version_of(db, record_type, args["id"]) == (1 if base is None else 2)


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_casework_mutation_about_a_client_the_worker_does_not_have_is_forbidden_and_parked(
        phone, bos_phone, foreign, db, name):
    record_type, build = MUTATIONS[name]
    # What an edit needs is Bo's, about his client; Karin sends the mutation.
    args, base = build(bos_phone, foreign["id"])
    before = version_of(db, record_type, args["id"])

    result = phone.push_one(send(phone, name, args, base))

    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden", result
    assert is_parked(result)
    assert version_of(db, record_type, args["id"]) == before


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_casework_mutation_with_arguments_the_catalogue_refuses_is_rejected_and_parked(
        phone, olle, db, name):
    record_type, build = MUTATIONS[name]
    args, base = build(phone, olle["id"])
    wrong, field = BAD[name]
    before = version_of(db, record_type, args["id"])

    result = phone.push_one(send(phone, name, {**args, **wrong}, base))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert field in result["error"]["fields"]
    assert is_parked(result)
    assert version_of(db, record_type, args["id"]) == before


@pytest.mark.parametrize("name", CONFLICTS)
def test_each_casework_edit_of_a_field_another_device_changed_since_its_base_is_a_conflict(
        client, phone, karin, olle, db, name):
    record_type, build = MUTATIONS[name]
    args, _ = build(phone, olle["id"])
    other, mine = CONFLICTS[name]
    other_name, other_args = other if isinstance(other, tuple) else (name, other)
    second_phone = login(client, karin["username"])
    first = second_phone.push_one(second_phone.mutation(
        other_name, {"id": args["id"], **other_args}, base_version=1))
    assert first["status"] == "applied", first

    result = phone.push_one(phone.mutation(name, {**args, **mine}, base_version=1))

    assert result["status"] == "conflict", result
    assert is_parked(result)
    assert version_of(db, record_type, args["id"]) == 2


@pytest.mark.parametrize("name", CREATES)
def test_a_casework_create_of_an_id_that_exists_is_rejected(phone, olle, db, name):
    _, build = MUTATIONS[name]
    args, _ = build(phone, olle["id"])
    assert phone.push_one(phone.mutation(name, args))["status"] == "applied"

    result = phone.push_one(phone.mutation(name, args))

    assert result["status"] == "rejected" and result["error"]["code"] == "already_exists"
    assert count(db, f"{CREATES[name]}s") == 1
