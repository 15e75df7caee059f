"""Token rotation by the phone, in real Chromium against the real server
(`pwa/src/data/session.js` `rotateTokenWhenDue`, `server/security/devices.py` `rotate`): after
a sync, a phone whose token is a day old asks for a new one and from then on sends only that;
the server then refuses the old one. The page's clock is set a day back for the login and put
right before the sync that rotates."""

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from tests import factories

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]

BEARER = "Bearer "


def status_with(server, token: str) -> int:
    """The status of a digest read with this token, asked of the server directly."""
    request = urllib.request.Request(f"{server.url}/api/sync/digest",
                                     headers={"Authorization": BEARER + token})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        assert json.loads(error.read())["reason"] == "invalid_token"
        return error.code


def test_a_phone_with_a_day_old_token_rotates_it_after_a_sync_and_uses_only_the_new_one(
        phone, caseload, server):
    page = phone.page
    sent = []  # (path, the token it carried), in order
    page.on("request", lambda r: sent.append((r.url.split("?")[0].split("/api/", 1)[-1],
                                              r.headers.get("authorization", "")))
            if "/api/" in r.url else None)
    page.clock.install(time=datetime.now(UTC) - timedelta(days=1, hours=1))
    phone.open("/")
    phone.log_in(caseload.username, factories.PASSWORD)
    (old,) = {token for _, token in sent if token}
    assert "auth/rotate" not in [path for path, _ in sent]  # a token of a minute is kept

    page.clock.set_system_time(datetime.now(UTC))
    with page.expect_response(lambda r: r.url.endswith("/api/auth/rotate")) as rotation:
        phone.sync_now()
    assert rotation.value.status == 200
    new = rotation.value.json()["token"]
    assert BEARER + new != old

    before = len(sent)
    # The button may join a sync still finishing the rotation; wait for this sync's requests.
    with page.expect_request(lambda r: "/api/sync/" in r.url):
        phone.sync_now()
    phone.expect_synced()
    after = [token for _, token in sent[before:] if token]
    assert after and set(after) == {BEARER + new}
    assert status_with(server, new) == 200
    assert status_with(server, old.removeprefix(BEARER)) == 401
