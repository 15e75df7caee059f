"""Nothing a client can send is a 500, however nested or encoded: a body the server cannot
read is a 400 in the error shape, and inside a push one bad mutation is rejected and parked
by itself while the rest of its batch is applied (`docs/sync-protocol.md`, "Push")."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from server.api.bodies import MAX_DEPTH
from tests.errors import assert_error_shape
from tests.sync.pushing import count, plan_args

# Far deeper than any body the phone makes, and deeper than Python's JSON parser can recurse.
# Far past Python's recursion limit, and still under the 64 KiB a route other than a push
# reads (`server/headers.py`: a larger body is a 413 before anything parses it).
VERY_DEEP = "[" * 30_000 + "]" * 30_000
LONE_SURROGATE = "\ud800"



def raw_json(value) -> str:
    """JSON as a client may write it: a lone surrogate travels as the escape `\\ud800`."""
    return json.dumps(value)


# --- bodies nested too deeply ---------------------------------------------------------------


def test_a_login_body_nested_too_deeply_is_a_400_not_a_500(client):
    response = client.post("/api/auth/login", data=VERY_DEEP, content_type="application/json")

    assert_error_shape(response, 400)


def test_a_push_body_nested_too_deeply_is_a_400_not_a_500(phone):
    response = phone.post(data=VERY_DEEP, content_type="application/json")

    assert_error_shape(response, 400)


def nested(levels: int, leaf=None):
    value = leaf
    for _ in range(levels):
        value = {"inner": value}
    return value


def test_a_push_nested_deeper_than_the_limit_is_refused_whole_with_400_and_nothing_applied(
        phone, the_client, db):
    """No mutation of the catalogue nests more than a few levels; a body nested deeper than
    MAX_DEPTH is refused before any code can recurse into it."""
    planned = phone.mutation("visit.plan", {**plan_args(the_client["id"]),
                                            "more": nested(MAX_DEPTH)})

    response = phone.post(data=raw_json({"mutations": [planned]}), content_type="application/json")

    assert assert_error_shape(response, 400)["reason"] == "invalid_body"
    assert count(db, "sync_mutations") == 0


def test_a_body_nested_up_to_the_limit_is_read_as_usual(phone, the_client):
    planned = phone.mutation("visit.plan", {**plan_args(the_client["id"]),
                                            "more": nested(MAX_DEPTH - 5)})

    [result] = phone.push(planned)

    assert result["status"] == "applied"


# --- lone surrogates -----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["username", "password", "device_name"])
def test_a_lone_surrogate_in_a_login_field_is_refused_in_the_error_shape_not_a_500(
        client, worker, field):
    body = {"username": worker["username"], "password": "test-password",
            "device_name": "Testtelefon", field: f"a{LONE_SURROGATE}b"}

    response = client.post("/api/auth/login", data=raw_json(body), content_type="application/json")

    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


def test_a_lone_surrogate_in_app_version_is_ignored_and_the_push_applied(phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    body = {"mutations": [planned], "app_version": f"1.0{LONE_SURROGATE}"}

    response = phone.post(data=raw_json(body), content_type="application/json")

    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["applied"]
    assert db.execute("SELECT app_version FROM sync_devices").fetchone()[0] is None


def test_a_lone_surrogate_in_a_mutation_name_is_parked_by_itself_and_never_blocks_the_batch(
        phone, the_client, db):
    broken = phone.mutation(f"visit.pl{LONE_SURROGATE}an", plan_args(the_client["id"]))
    good = phone.mutation("visit.plan", plan_args(the_client["id"]))
    body = raw_json({"mutations": [broken, good]})

    first = phone.post(data=body, content_type="application/json")
    # The phone sends the same batch again (it never saw the answer): the same answers.
    again = phone.post(data=body, content_type="application/json")

    assert first.status_code == again.status_code == 200
    results = first.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["parked_id"]
    assert again.get_json()["results"] == results
    assert count(db, "visits") == 1
    assert count(db, "sync_parked") == 1


def test_a_lone_surrogate_in_another_routes_body_is_refused_whole_with_400(client, phone):
    body = {"minutes_before": 30, "day_before": False, "morning_digest": f"x{LONE_SURROGATE}"}

    response = client.put("/api/reminders/preferences", data=raw_json(body),
                          content_type="application/json", headers=phone.auth)

    assert assert_error_shape(response, 400)["reason"] == "invalid_body"


def test_a_well_formed_surrogate_pair_is_ordinary_text(phone, the_client):
    """"\\ud83d\\ude00" is one emoji, spelled as two escapes: nothing broken about it."""
    planned = phone.mutation("visit.plan", plan_args(the_client["id"], place="Kafé \U0001F600"))

    response = phone.post(data=raw_json({"mutations": [planned]}), content_type="application/json")

    assert [r["status"] for r in response.get_json()["results"]] == ["applied"]


# --- one mutation never fails its batch ------------------------------------------------------

def test_a_mutation_that_meets_a_bug_is_parked_by_itself_and_answered_the_same_when_sent_again(
        phone, the_client, db, monkeypatch):
    import sync.push
    real_judge = sync.push.judge
    unlucky = phone.mutation("visit.plan", plan_args(the_client["id"]))

    def judge_with_a_bug(engine, db_, user, device_id, raw, *args, **kwargs):
        if raw.get("id") == unlucky["id"]:
            raise KeyError("a bug nobody foresaw")
        return real_judge(engine, db_, user, device_id, raw, *args, **kwargs)

    monkeypatch.setattr(sync.push, "judge", judge_with_a_bug)
    good = phone.mutation("visit.plan", plan_args(the_client["id"]))

    first = phone.push(unlucky, good)
    again = phone.push(unlucky, good)

    assert [r["status"] for r in first] == ["rejected", "applied"]
    assert first[0]["error"]["code"] == "internal_error" and first[0]["parked_id"]
    assert again == first
    assert count(db, "sync_parked") == 1
    assert count(db, "visits") == 1


# --- whatever a client sends to log in ------------------------------------------------------

broken_texts = st.tuples(st.text(max_size=5), st.text(st.characters(categories=["Cs"]), min_size=1,
                                                      max_size=2), st.text(max_size=5)).map("".join)
texts = st.text(max_size=20) | broken_texts
login_values = st.none() | st.booleans() | st.integers() | texts | st.lists(texts, max_size=2)


@hypothesis_settings(max_examples=40, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.fixed_dictionaries({}, optional={"username": login_values | st.just("anna.andersson"),
                                                "password": login_values,
                                                "device_name": login_values,
                                                "device_id": login_values | st.uuids().map(str)})
       | login_values)
def test_whatever_a_client_sends_to_log_in_is_answered_in_the_error_shape_never_a_500(
        client, worker, body):
    response = client.post("/api/auth/login", data=raw_json(body), content_type="application/json")

    assert response.status_code in (400, 401, 422, 429, 503), response.get_data(as_text=True)
    assert_error_shape(response, response.status_code)
