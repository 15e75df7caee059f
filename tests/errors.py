"""The one error shape (`server/api/errors.py`), as tests check it."""

ERROR_KEYS = {"code", "status", "message"}
OPTIONAL_KEYS = {"errors", "reason", "wipe"}


def assert_error_shape(response, status) -> dict:
    """The response is `status` with the pinned JSON error body; returns the body."""
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert ERROR_KEYS <= set(body) <= ERROR_KEYS | OPTIONAL_KEYS, body
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    return body
