"""Nothing a client can send is a 500, however nested or encoded: a body the server cannot
read is a 400 in the error shape, and inside a push one bad mutation is rejected and parked
by itself while the rest of its batch is applied (`docs/sync-protocol.md`, "Push")."""

import json

import pytest

from tests.errors import assert_error_shape
from tests.factories import a_client, a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, count, login, plan_args

# Far deeper than any body the phone makes, and deeper than Python's JSON parser can recurse.
VERY_DEEP = "[" * 100_000 + "]" * 100_000
LONE_SURROGATE = "\ud800"


@pytest.fixture
def worker(db, team):
    return a_worker(db, team, username="anna.andersson")


@pytest.fixture
def the_client(db, team, worker):
    client_record = a_client(db, team)
    assign(db, client_record["id"], worker["id"], ASSIGNED_SINCE)
    return client_record


@pytest.fixture
def phone(client, worker):
    return login(client, worker["username"])


def raw_json(value) -> str:
    """JSON as a client may write it: a lone surrogate travels as the escape `\\ud800`."""
    return json.dumps(value)


# --- bodies nested too deeply ---------------------------------------------------------------

@pytest.mark.xfail(strict=True, reason="bug: deeply nested JSON is a 500 (RecursionError)")
def test_a_login_body_nested_too_deeply_is_a_400_not_a_500(client):
    response = client.post("/api/auth/login", data=VERY_DEEP, content_type="application/json")

    assert_error_shape(response, 400)


@pytest.mark.xfail(strict=True, reason="bug: deeply nested JSON is a 500 (RecursionError)")
def test_a_push_body_nested_too_deeply_is_a_400_not_a_500(phone):
    response = phone.post(data=VERY_DEEP, content_type="application/json")

    assert_error_shape(response, 400)


# --- lone surrogates -----------------------------------------------------------------------

@pytest.mark.xfail(strict=True, reason="bug: a lone surrogate in a login field is a 500")
@pytest.mark.parametrize("field", ["username", "password", "device_name"])
def test_a_lone_surrogate_in_a_login_field_is_refused_in_the_error_shape_not_a_500(
        client, worker, field):
    body = {"username": worker["username"], "password": "test-password",
            "device_name": "Testtelefon", field: f"a{LONE_SURROGATE}b"}

    response = client.post("/api/auth/login", data=raw_json(body), content_type="application/json")

    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


@pytest.mark.xfail(strict=True, reason="bug: a lone surrogate in app_version is a 500")
def test_a_lone_surrogate_in_app_version_is_ignored_and_the_push_applied(phone, the_client, db):
    planned = phone.mutation("visit.plan", plan_args(the_client["id"]))
    body = {"mutations": [planned], "app_version": f"1.0{LONE_SURROGATE}"}

    response = phone.post(data=raw_json(body), content_type="application/json")

    assert response.status_code == 200
    assert [r["status"] for r in response.get_json()["results"]] == ["applied"]
    assert db.execute("SELECT app_version FROM sync_devices").fetchone()[0] is None


@pytest.mark.xfail(strict=True, reason="bug: a lone surrogate in a mutation name fails the whole "
                                        "batch on every retry")
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
