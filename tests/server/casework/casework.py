"""Arguments of the casework mutations (`casework.md`) as a phone sends them, and the records
a test needs made first. Times are the tests' Monday week in Stockholm (`tests.sync.pushing`)."""

from tests.sync.pushing import at, new_id


def contact_args(client_id: str, **more) -> dict:
    """Met on the street on Monday 08:00, 25 minutes, a talk and housing."""
    return {"id": new_id(), "client_id": client_id, "started_at": at("08:00"), "minutes": 25,
            "channel": "in_person", "place_type": "street",
            "actions": ["motivational_talk", "housing_matter"], **more}


def appointment_args(client_id: str, **more) -> dict:
    """Psychiatry on Wednesday 10:00, the worker goes along."""
    return {"id": new_id(), "client_id": client_id, "starts_at": at("10:00", "2026-11-25"),
            "ends_at": at("11:00", "2026-11-25"), "kind": "psychiatry",
            "with": "Psykiatrin Södermalm", "accompany": True, **more}


def consent_args(client_id: str, party="Psykiatrin Södermalm", signed_on="2026-06-01", **more) -> dict:
    return {"id": new_id(), "client_id": client_id, "party": party, "signed_on": signed_on, **more}


def made(phone, name: str, args: dict) -> str:
    """The id of a record `phone` made with a create (applied)."""
    result = phone.push_one(phone.mutation(name, args))
    assert result["status"] == "applied", result
    return args["id"]


def an_appointment(phone, client_id: str, **more) -> str:
    return made(phone, "appointment.add", appointment_args(client_id, **more))


def a_consent(phone, client_id: str, **more) -> str:
    return made(phone, "consent.record", consent_args(client_id, **more))


def a_planned_visit(phone, client_id: str) -> str:
    """A visit the phone planned for Tuesday 10:00."""
    return made(phone, "visit.plan", {"id": new_id(), "client_id": client_id,
                                      "starts_at": at("10:00", "2026-11-24")})
