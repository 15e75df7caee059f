"""Bad input gets a clear answer and loses nothing: anything wrong inside one mutation is a
`rejected` result inside a 200 (and parked), only a broken envelope is refused as a whole,
and nothing a client can send is a 500 (`docs/sync-protocol.md`, "Push", "Errors")."""


import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.errors import assert_error_shape
from tests.factories import a_client
from tests.sync.pushing import (
    a_planned_visit,
    at,
    count,
    done,
    is_parked,
    log_args,
    mutation,
    new_id,
    plan_args,
)

# --- anything wrong inside one mutation: rejected inside a 200, and parked ------------------

def _without(args, name):
    return {k: v for k, v in args.items() if k != name}


# Each case: (the mutation's parts, given the client), the error code, the field it names.
BAD_MUTATIONS = {
    "unknown name": (lambda c: {"name": "visit.teleport", "args": plan_args(c["id"])},
                     "unknown_mutation", "name"),
    "id not a uuid": (lambda c: {"id": "42", "name": "visit.plan", "args": plan_args(c["id"])},
                      "validation", "id"),
    "occurred_at missing": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                       "occurred_at": None}, "validation", "occurred_at"),
    "occurred_at not a time": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                          "occurred_at": "igår"}, "validation", "occurred_at"),
    "occurred_at without offset": (lambda c: {"name": "visit.plan", "args": plan_args(c["id"]),
                                              "occurred_at": "2026-11-23T09:00:00"},
                                   "validation", "occurred_at"),
    "args not an object": (lambda c: {"name": "visit.plan", "args": ["x"]}, "validation", "args"),
    "client_id not a uuid": (lambda c: {"name": "visit.plan",
                                        "args": plan_args("anna")},
                             "validation", "client_id"),
    "starts_at not a time": (lambda c: {"name": "visit.plan",
                                        "args": plan_args(c["id"], starts_at="after lunch")},
                             "validation", "starts_at"),
    "starts_at without offset": (lambda c: {"name": "visit.plan",
                                            "args": plan_args(c["id"],
                                                              starts_at="2026-11-23T13:00:00")},
                                 "validation", "starts_at"),
    "started_at missing": (lambda c: {"name": "visit.log",
                                      "args": _without(log_args(c), "started_at")},
                           "validation", "started_at"),
    "activities not a list": (lambda c: {"name": "visit.log",
                                         "args": log_args(c, activities="tvätt")},
                              "validation", "activities"),
    "done as a string": (lambda c: {"name": "visit.log", "args": log_args(c, activities=[
        {"activity_id": c["activity_ids"][0], "done": "true", "support_level": "reminder"}])},
                         "validation", "activities"),
    "done as a number": (lambda c: {"name": "visit.log", "args": log_args(c, activities=[
        {"activity_id": c["activity_ids"][0], "done": 1, "support_level": "reminder"}])},
                         "validation", "activities"),
    "an activity not in the plan": (lambda c: {"name": "visit.log",
                                               "args": log_args(c, activities=done([new_id()]))},
                                    "validation", "activities"),
    "ended before it started": (lambda c: {"name": "visit.log", "args": log_args(
        c, started_at=at("09:00"), ended_at=at("08:00"))}, "validation", "ended_at"),
    "unknown cancel reason": (lambda c: {"name": "visit.cancel",
                                         "args": {"id": new_id(), "reason": "weather"},
                                         "base_version": 1}, "validation", "reason"),
}


@pytest.mark.parametrize("parts, code, field", BAD_MUTATIONS.values(), ids=BAD_MUTATIONS.keys())
def test_a_mutation_that_is_wrong_inside_is_rejected_in_a_200_naming_the_field(
        phone, the_client, db, parts, code, field):
    bad = {**phone.mutation("visit.plan", {}), **parts(the_client)}

    result = phone.push_one(bad)

    assert result["status"] == "rejected"
    assert result["error"]["code"] == code
    assert field in result["error"]["fields"], result["error"]
    assert is_parked(result)
    assert count(db, "visits") == 0


@pytest.mark.parametrize("not_an_object", [None, 42, "visit.plan", ["visit.plan"]])
def test_a_mutation_that_is_not_an_object_is_rejected_in_a_200_and_parked(
        phone, the_client, db, not_an_object):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [not_an_object, planned]})

    assert response.status_code == 200, response.get_json()
    results = response.get_json()["results"]
    assert results[0]["status"] == "rejected" and results[0]["parked_id"]
    assert results[1]["status"] == "applied"
    assert count(db, "sync_parked") == 1


def test_a_rejected_mutation_is_parked_whole_and_shown_to_its_author(phone, the_client):
    bad = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at="after lunch"),
                         outbox_note="a field from a newer app")

    result = phone.push_one(bad)

    parked = phone.record("parked", result["parked_id"])
    assert parked["mutation"] == bad
    assert parked["reason"] == "validation"
    assert "starts_at" in parked["fields"]
    assert parked["status"] == "open"
    assert parked["resolution"] is None


def test_a_rejected_mutation_does_not_block_the_ones_after_it(phone, the_client, db):
    good_before = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at=at("10:00")))
    bad = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at="after lunch"))
    good_after = phone.mutation("visit.plan", plan_args(the_client["id"], starts_at=at("15:00")))

    results = phone.push(good_before, bad, good_after)

    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert count(db, "visits") == 2


def test_a_mutation_about_a_client_not_assigned_to_the_user_is_forbidden_and_parked(
        phone, db, team):
    someone_elses = a_client(db, team, name="Testperson Två")

    result = phone.push_one(phone.mutation("visit.log", log_args(someone_elses)))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "forbidden"
    assert is_parked(result)
    assert count(db, "visits") == 0


def test_a_mutation_about_a_client_that_does_not_exist_is_not_found(phone, db):
    result = phone.push_one(phone.mutation("visit.plan", plan_args(new_id())))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "not_found"
    assert "client_id" in result["error"]["fields"]
    assert is_parked(result)


def test_an_edit_of_a_visit_that_does_not_exist_is_not_found(phone, the_client):
    result = phone.push_one(phone.mutation(
        "visit.cancel", {"id": new_id(), "reason": "no_show"}, base_version=1))

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "not_found"
    assert is_parked(result)


# --- a broken envelope is refused as a whole ------------------------------------------------

BROKEN_ENVELOPES = {
    "not JSON": {"data": "{mutations: [", "content_type": "application/json"},
    "a list, not an object": {"json": [{"mutations": []}]},
    "a string": {"json": "mutations"},
    "no mutations": {"json": {"outbox_size": 3}},
    "mutations not a list": {"json": {"mutations": {"0": {"name": "visit.plan"}}}},
    "mutations null": {"json": {"mutations": None}},
}


@pytest.mark.parametrize("request_kwargs", BROKEN_ENVELOPES.values(), ids=BROKEN_ENVELOPES.keys())
def test_a_broken_envelope_is_refused_whole_with_400(phone, request_kwargs):
    assert_error_shape(phone.post(**request_kwargs), 400)


def test_more_than_500_mutations_are_refused_whole_with_413_and_nothing_is_applied(
        phone, the_client, db):
    outbox = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in range(1, 502)]

    response = phone.post(json={"mutations": outbox})

    assert_error_shape(response, 413)
    assert count(db, "visits") == 0
    assert count(db, "sync_mutations") == 0


def test_500_mutations_are_accepted_in_one_push(phone, the_client, db):
    outbox = [mutation("visit.plan", plan_args(the_client["id"]), seq=n) for n in range(1, 501)]

    results = phone.push(*outbox)

    assert {r["status"] for r in results} == {"applied"}
    assert count(db, "visits") == 500


def test_unknown_fields_in_the_envelope_the_mutation_and_its_args_are_ignored(phone, the_client):
    planned = phone.mutation("visit.plan", {**plan_args(the_client["id"]), "mood": "glad"},
                             priority="high")

    [result] = phone.push(planned, battery=0.42, app_flavour="beta")

    assert result["status"] == "applied"


# --- never a 500 for anything a client can send ---------------------------------------------

def test_a_device_seq_too_big_for_sqlite_is_answered_not_a_500(phone, the_client):
    planned = mutation("visit.plan", plan_args(the_client["id"]), seq=2**70)

    response = phone.post(json={"mutations": [planned]})

    assert response.status_code == 200


def test_an_outbox_size_too_big_for_sqlite_is_answered_not_a_500(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))

    response = phone.post(json={"mutations": [planned], "outbox_size": 2**70})

    assert response.status_code == 200


def test_text_with_a_lone_surrogate_is_rejected_not_a_500(phone, the_client):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"], place="Caf\ud800"))

    response = phone.post(data=json.dumps({"mutations": [planned]}),
                          content_type="application/json")

    assert response.status_code == 200
    assert response.get_json()["results"][0]["status"] == "rejected"


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:00-01:00", "0001-01-01T00:00:00+01:00"])
@pytest.mark.parametrize("where", ["occurred_at", "starts_at"])
def test_a_time_that_cannot_be_told_in_utc_is_rejected_as_validation(
        phone, the_client, where, moment):
    visit_id = a_planned_visit(phone, the_client)
    moved = phone.mutation("visit.reschedule", {"id": visit_id, "starts_at": at("14:00")},
                           base_version=1)
    if where == "occurred_at":
        moved["occurred_at"] = moment
    else:
        moved["args"]["starts_at"] = moment

    response = phone.post(json={"mutations": [moved]})

    assert response.status_code == 200
    result = response.get_json()["results"][0]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "validation"
    assert where in result["error"]["fields"]


MUTATION_NAMES = ["visit.plan", "visit.log", "visit.complete", "visit.cancel",
                  "visit.reschedule", "note.add", "client.update", "plan.update",
                  "parked.resolve"]
ARG_NAMES = ["id", "client_id", "visit_id", "starts_at", "ends_at", "started_at", "ended_at",
             "activities", "minutes", "place", "note", "reason", "text", "phone", "whereabouts",
             "parked_id", "action", "data"]

# Text as a client may send it, broken text included: JSON may spell half a surrogate pair
# ("\\ud800"), which decodes to a string that neither SQLite nor argon2 can encode.
broken_texts = st.tuples(st.text(max_size=5), st.text(st.characters(categories=["Cs"]), min_size=1,
                                                      max_size=2), st.text(max_size=5)).map("".join)
texts = st.text(max_size=12) | broken_texts
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | texts
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8) | texts,
                                                                inner, max_size=3),
    max_leaves=8,
)
times = st.datetimes(timezones=st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23)))
).map(datetime.isoformat)


@hypothesis_settings(max_examples=50, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whatever_a_client_sends_is_answered_without_a_500(phone, the_client, data):
    known_ids = st.sampled_from([the_client["id"], *the_client["activity_ids"]])
    value = json_values | known_ids | times | st.uuids().map(str)
    activities = st.lists(st.fixed_dictionaries(
        {"activity_id": known_ids | value, "done": value, "support_level": value}), max_size=3)
    args = st.fixed_dictionaries({}, optional={name: activities if name == "activities" else value
                                               for name in ARG_NAMES}) | json_values
    one = st.fixed_dictionaries(
        {"id": st.uuids().map(str) | json_values,
         "name": st.sampled_from(MUTATION_NAMES) | broken_texts | value, "args": args},
        optional={"device_seq": st.integers(0, 10**6) | json_values, "occurred_at": times | value,
                  "base_version": st.integers(0, 5) | json_values, "base_mutation_id": value},
    ) | json_values
    body = data.draw(st.fixed_dictionaries(
        {"mutations": st.lists(one, max_size=4)},
        optional={"outbox_size": value, "outbox_oldest_at": times | value,
                  "app_version": broken_texts | value, "device_time": times | value},
    ) | json_values)

    response = phone.post(data=json.dumps(body), content_type="application/json")

    if isinstance(body, dict) and isinstance(body.get("mutations"), list):
        assert response.status_code == 200, response.get_json()
        results = response.get_json()["results"]
        assert len(results) == len(body["mutations"])
        assert {r["status"] for r in results} <= {"applied", "rejected", "conflict"}
    else:
        assert_error_shape(response, 400)
