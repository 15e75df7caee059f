"""One error shape for every HTTP error, pinned (style.md, principle 9)."""

import pytest

from tests.errors import assert_error_shape


def test_an_unknown_route_answers_404_in_the_error_shape(client):
    assert_error_shape(client.get("/api/no-such-thing"), 404)


def test_a_wrong_method_answers_405_in_the_error_shape(client):
    assert_error_shape(client.get("/api/sync/push"), 405)


def test_a_missing_token_answers_401_with_a_reason(client):
    body = assert_error_shape(client.get("/api/sync/pull"), 401)
    assert body["reason"] == "invalid_token"


def test_malformed_login_json_answers_400_in_the_error_shape(client):
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    assert_error_shape(response, 400)


def test_missing_login_fields_name_each_field(client):
    body = assert_error_shape(client.post("/api/auth/login", json={"username": "x"}), 422)
    assert set(body["errors"]["json"]) == {"password", "device_name"}


@pytest.mark.parametrize("body", [[], "text", 12, None])
def test_a_login_body_that_is_not_an_object_is_refused_in_the_error_shape(client, body):
    response = client.post("/api/auth/login", json=body)
    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


def test_an_oversized_body_answers_413_in_the_error_shape(client):
    response = client.post("/api/auth/login", data=b"x" * (9 * 1024 * 1024),
                           content_type="application/json")
    assert_error_shape(response, 413)


def test_every_route_that_needs_a_token_asks_for_it_before_reading_the_body(client):
    """Without a token, a caller learns nothing about a route's fields: 401 comes first."""
    spec = client.get("/api/openapi.json").get_json()
    guarded = [(path, method) for path, item in spec["paths"].items() for method, op in item.items()
               if isinstance(op, dict) and op.get("security")]
    assert len(guarded) >= 8
    for path, method in guarded:
        concrete = path.replace("{month}", "2026-10")
        response = client.open(concrete, method=method.upper(), json={"junk": True},
                               query_string={"junk": "x"})
        body = assert_error_shape(response, 401)
        assert body["reason"] in {"missing_token", "invalid_token"}, (path, method)
