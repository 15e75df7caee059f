"""The server produces every golden vector of `contract/vectors/` (the phone runs the same
files in `pwa/test/contract.test.js`): reminder due times, lock-screen texts, initials, note
ids, digests, app versions and the consent rule as pure functions; the scope of each record
and what each edit writes through the real engine, over HTTP, on a real database."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import contract
from server.casework.consents import ConsentRule
from server.casework.divergence import divergence, notice
from server.casework.notes import note_id_of
from server.reminders.rules import Preferences, WorkingHours, reminder_times
from server.reminders.sources import (
    appointment_message,
    initials,
    reminder_message,
    visit_message,
    when_text,
)
from server.supervision.sync_dashboard import compare_versions
from sync.conflicts import conflicting_fields
from sync.digest import digest_lines
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign
from tests.sync.pushing import login

REMINDER_TIMES = contract.vectors("reminder-times")["cases"]
APPOINTMENT_TIMES = contract.vectors("reminder-times")["appointment_cases"]
LOCK_SCREEN = contract.vectors("lock-screen")
SCOPE = contract.vectors("scope")
EDITS = contract.vectors("edits")


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def names(cases):
    return [case["name"] for case in cases]


# --- pure rules -------------------------------------------------------------------------------

def due_times(case, **more):
    hours = case.get("working_hours", contract.reminders()["preferences"]["working_hours"])
    working = WorkingHours(time.fromisoformat(hours["start"]), time.fromisoformat(hours["end"]),
                           ZoneInfo(hours["timezone"]))
    prefs = Preferences(lead=timedelta(minutes=case["preferences"]["minutes_before"]),
                        day_before=case["preferences"]["day_before"])
    return reminder_times(instant(case["event_at"]), prefs, working, **more)


@pytest.mark.parametrize("case", REMINDER_TIMES, ids=names(REMINDER_TIMES))
def test_reminder_due_times_are_the_vectors(case):
    assert due_times(case) == {kind: instant(at) for kind, at in case["due"].items()}


@pytest.mark.parametrize("case", APPOINTMENT_TIMES, ids=names(APPOINTMENT_TIMES))
def test_the_due_times_of_a_clients_appointment_are_the_vectors(case):
    due = due_times(case, remind_client=not case["accompany"])
    assert due == {kind: instant(at) for kind, at in case["due"].items()}


@pytest.mark.parametrize("case", LOCK_SCREEN["when_text"], ids=names(LOCK_SCREEN["when_text"]))
def test_the_day_words_of_a_lock_screen_are_the_vectors(case):
    assert when_text(instant(case["event_at"]), ZoneInfo(case["zone"]), instant(case["now"])) == case["text"]


@pytest.mark.parametrize("case", LOCK_SCREEN["visit_messages"], ids=names(LOCK_SCREEN["visit_messages"]))
def test_what_a_visits_notification_says_is_the_vector(case):
    visit = {**case["visit"], "starts_at": instant(case["visit"]["starts_at"])}
    message = visit_message(visit, case["client"], ZoneInfo(case["zone"]), instant(case["now"]))
    assert {key: message[key] for key in case["message"]} == case["message"]


@pytest.mark.parametrize("case", LOCK_SCREEN["appointment_messages"],
                         ids=names(LOCK_SCREEN["appointment_messages"]))
def test_what_an_appointments_notification_says_is_the_vector_and_never_the_name(case):
    appointment = {**case["appointment"], "starts_at": instant(case["appointment"]["starts_at"])}
    message = appointment_message(appointment, case["client"], ZoneInfo(case["zone"]), instant(case["now"]))
    assert {key: message[key] for key in case["message"]} == case["message"]
    if case["client"]:
        assert not set(case["client"]["name"].split()) & set(str(message).split())


@pytest.mark.parametrize("case", LOCK_SCREEN["reminder_messages"],
                         ids=names(LOCK_SCREEN["reminder_messages"]))
def test_what_a_personal_reminders_notification_says_is_the_vector_and_never_its_text(case):
    reminder = {**case["reminder"], "remind_at": instant(case["reminder"]["remind_at"])}
    message = reminder_message(reminder, case["client"], ZoneInfo(case["zone"]))
    assert {key: message[key] for key in case["message"]} == case["message"]
    assert case["reminder"]["text"] not in str(message)


@pytest.mark.parametrize("case", contract.vectors("initials")["cases"], ids=lambda c: repr(c["name"]))
def test_initials_are_the_vectors(case):
    assert initials(case["name"]) == case["initials"]


@pytest.mark.parametrize("case", contract.vectors("note-ids")["cases"], ids=lambda c: c["mutation_id"])
def test_the_note_a_visit_mutation_appends_has_the_vectors_id(case):
    assert note_id_of(case["mutation_id"]) == case["note_id"]


@pytest.mark.parametrize("case", contract.vectors("digest")["cases"], ids=lambda c: c["name"])
def test_the_integrity_digest_is_the_vectors(case):
    assert digest_lines([tuple(r) for r in case["records"]]) == (case["digest"], case["count"])


@pytest.mark.parametrize("case", contract.vectors("app-versions")["cases"],
                         ids=lambda c: f"{c['version']!r} vs {c['minimum']!r}")
def test_app_versions_compare_with_the_minimum_as_the_vectors(case):
    assert compare_versions(case["version"], case["minimum"]) == case["compare"]


@pytest.mark.parametrize("case", contract.vectors("consents")["cases"],
                         ids=names(contract.vectors("consents")["cases"]))
def test_whether_consents_cover_work_with_a_party_is_the_vectors(case):
    rule = ConsentRule(ZoneInfo(case["zone"]), case["stale_months"])
    assert rule.check(case["consents"], case["party"], instant(case["at"])) == case["result"]


@pytest.mark.parametrize("case", EDITS["conflicts"], ids=names(EDITS["conflicts"]))
def test_the_conflict_rule_decides_as_the_vectors(case):
    assert conflicting_fields(case["writes"], case["current"], case["field_versions"],
                              case["base_version"]) == case["conflicts"]


# --- through the engine -------------------------------------------------------------------------

def worker_with_clients(db, http, clients: list[dict], activity_ids=None):
    """The vectors' worker (their id) with clients of the given ids (`id`, and optionally
    their `order_id` and `plan_id`), assigned; the worker's phone."""
    team = a_team(db)
    worker = a_worker(db, team, username="vector.worker", worker_id=SCOPE["worker_id"])
    for ids in clients:
        made = a_client(db, team, client_id=ids["id"], order_id=ids.get("order_id"),
                        plan_id=ids.get("plan_id"), activity_ids=activity_ids)
        assign(db, made["id"], worker["id"], LONG_AGO)
    return login(http, worker["username"])


def scope_in_index(db, record_type, record_id) -> str:
    return db.execute("SELECT scope FROM sync_records WHERE type = ? AND id = ?",
                      [record_type, record_id]).fetchone()[0]


# How the phone makes each kind of record of the scope vector (the office makes the others).
PHONE_MADE = {
    "visit": lambda d: ("visit.plan", {"id": d["id"], "client_id": d["client_id"],
                                       "starts_at": "2026-11-24T10:00:00+01:00"}),
    "note": lambda d: ("note.add", {"id": d["id"], "client_id": d["client_id"], "text": "Träffades"}),
    "appointment": lambda d: ("appointment.add", {"id": d["id"], "client_id": d["client_id"],
                                                  "starts_at": "2026-11-25T10:00:00+01:00", "kind": "court",
                                                  "with": "Tingsrätten", "accompany": True}),
    "contact": lambda d: ("contact.log", {"id": d["id"], "client_id": d["client_id"],
                                          "started_at": "2026-11-23T08:00:00+01:00", "minutes": 20,
                                          "channel": "in_person", "actions": []}),
    "consent": lambda d: ("consent.record", {"id": d["id"], "client_id": d["client_id"],
                                             "party": "Tingsrätten", "signed_on": "2026-11-01"}),
    "plan_dialogue": lambda d: ("plan.dialogue", {"id": d["id"], "client_id": d["client_id"],
                                                  "plan_id": d["plan_id"], "kind": "notice",
                                                  "text": "Två aktiviteter görs som en."}),
    "reminder": lambda d: ("reminder.add", {"id": d["id"], "worker_id": d["worker_id"], "text": "Ring",
                                            "client_id": d["client_id"],
                                            "remind_at": "2026-11-24T09:00:00+01:00"}),
}


def test_each_record_lives_in_the_vectors_scope_so_a_client_purge_takes_exactly_its_records(db, client):
    """The records of the scope vector, made as the server makes them (the office's client,
    order and plan; the phone's visits, note, reminders, appointment, contact, consent and a
    notice about the plan; a parked change), are filed under
    the vector's scope: in the client's scope, so purged with it, exactly when the phone's
    purge removes them."""
    of_type = {t: [c for c in SCOPE["cases"] if c["type"] == t] for t in contract.catalogue()["records"]}
    the_client = {"id": SCOPE["client_id"], "order_id": of_type["order"][0]["data"]["id"],
                  "plan_id": of_type["plan"][0]["data"]["id"]}
    others = [{"id": c["data"]["client_id"]} for c in of_type["visit"]
              if c["data"]["client_id"] != SCOPE["client_id"]]
    phone = worker_with_clients(db, client, [the_client, *others])
    made = {}
    for case in SCOPE["cases"]:
        if case["type"] in PHONE_MADE:
            name, args = PHONE_MADE[case["type"]](case["data"])
            assert phone.push_one(phone.mutation(name, args))["status"] == "applied", case["name"]
        if case["type"] != "parked":
            made[case["name"]] = (case["type"], case["data"]["id"])
    # A change the server cannot apply is parked: a record of type `parked` of its own id.
    refused = phone.push_one(phone.mutation("visit.cancel", {"id": of_type["parked"][0]["data"]["record_id"],
                                                             "reason": "no_show"}, base_version=9))
    made[of_type["parked"][0]["name"]] = ("parked", refused["parked_id"])

    for case in SCOPE["cases"]:
        record_type, record_id = made[case["name"]]
        scope = scope_in_index(db, record_type, record_id)
        assert scope == case["scope"], case["name"]
        assert (scope == f"client:{SCOPE['client_id']}") is case["purged_with_client"], case["name"]
        assert scope.partition(":")[0] == contract.catalogue()["records"][record_type]["scope"]


def edit_world(db, http):
    visit = EDITS["visit"]
    phone = worker_with_clients(db, http, [{"id": SCOPE["client_id"]}], activity_ids=EDITS["plan_activities"])
    planned = phone.push_one(phone.mutation("visit.plan", {
        "id": visit["id"], "client_id": SCOPE["client_id"], "starts_at": visit["starts_at"],
        "ends_at": visit["ends_at"], "place": visit["place"]}))
    assert planned["status"] == "applied"
    return phone


def assert_written(record: dict, after: dict):
    for field, value in after.items():
        if field.endswith("_at"):
            assert instant(record[field]) == instant(value), field
        else:
            assert record[field] == value, field


@pytest.mark.parametrize("case", EDITS["writes"], ids=names(EDITS["writes"]))
def test_a_visit_edit_writes_what_the_vector_says(db, client, case):
    phone = edit_world(db, client)
    mutation = case["mutation"]
    result = phone.push_one(phone.mutation(mutation["name"], mutation["args"], base_version=1,
                                           occurred_at=mutation["occurred_at"]))
    assert result["status"] == "applied", result
    assert_written(phone.record("visit", EDITS["visit"]["id"]), case["after"])


@pytest.mark.parametrize("case", EDITS["reminder_writes"], ids=names(EDITS["reminder_writes"]))
def test_a_personal_reminder_edit_writes_what_the_vector_says(db, client, case):
    phone = worker_with_clients(db, client, [])
    reminder = EDITS["reminder"]
    added = phone.push_one(phone.mutation("reminder.add", {
        "id": reminder["id"], "worker_id": SCOPE["worker_id"], "text": reminder["text"],
        "remind_at": reminder["remind_at"]}))
    assert added["status"] == "applied"
    mutation = case["mutation"]
    result = phone.push_one(phone.mutation(mutation["name"], mutation["args"], base_version=1,
                                           occurred_at=mutation["occurred_at"]))
    assert result["status"] == "applied", result
    assert_written(phone.record("reminder", reminder["id"]), case["after"])


@pytest.mark.parametrize("case", EDITS["appointment_writes"], ids=names(EDITS["appointment_writes"]))
def test_an_appointment_edit_writes_what_the_vector_says(db, client, case):
    phone = worker_with_clients(db, client, [{"id": SCOPE["client_id"]}])
    appointment = EDITS["appointment"]
    added = phone.push_one(phone.mutation("appointment.add", {
        "client_id": SCOPE["client_id"],
        **{k: v for k, v in appointment.items() if k not in ("status", "participants")}}))
    assert added["status"] == "applied", added
    mutation = case["mutation"]
    result = phone.push_one(phone.mutation(mutation["name"], mutation["args"], base_version=1,
                                           occurred_at=mutation["occurred_at"]))
    assert result["status"] == "applied", result
    assert_written(phone.record("appointment", appointment["id"]), case["after"])


@pytest.mark.parametrize("case", EDITS["consent_writes"], ids=names(EDITS["consent_writes"]))
def test_a_consent_edit_writes_what_the_vector_says(db, client, case):
    phone = worker_with_clients(db, client, [{"id": SCOPE["client_id"]}])
    consent = EDITS["consent"]
    added = phone.push_one(phone.mutation("consent.record", {
        "client_id": SCOPE["client_id"], **{k: v for k, v in consent.items() if k != "withdrawn_on"}}))
    assert added["status"] == "applied", added
    mutation = case["mutation"]
    result = phone.push_one(phone.mutation(mutation["name"], mutation["args"], base_version=1,
                                           occurred_at=mutation["occurred_at"]))
    assert result["status"] == "applied", result
    assert_written(phone.record("consent", consent["id"]), case["after"])


@pytest.mark.parametrize("case", contract.vectors("divergence")["cases"],
                         ids=names(contract.vectors("divergence")["cases"]))
def test_how_a_plan_departs_from_its_order_and_the_notice_are_the_vectors(case):
    found = divergence(case["order"], case["plan"])
    assert found.as_record() == case["divergence"]
    assert found.any == case["any"]
    assert notice(case["order"], found) == case["notice"]
