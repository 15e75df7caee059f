"""What the report and dashboard tests share: the hand-made world in an app, logins, and
the late work recorded about October after its approval."""

import uuid
from datetime import timedelta

from tests.factories import PASSWORD
from tests.server.supervision import fixture


def login(client, username) -> dict:
    response = client.post("/api/auth/login", json={
        "username": username, "password": PASSWORD, "device_name": "laptop"})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def push(client, headers, *mutations) -> list[dict]:
    body = {"mutations": [{"id": str(uuid.uuid4()), "device_seq": n + 1,
                           "occurred_at": fixture.NOW.isoformat(), **m}
                          for n, m in enumerate(mutations)]}
    results = client.post("/api/sync/push", headers=headers, json=body).get_json()["results"]
    assert [r["status"] for r in results] == ["applied"] * len(mutations), results
    return results


def late_work_about_october(client, world) -> str:
    """After October is approved, Lars's phone sends two changes about it: a visit to Åsa
    Lind on 28 October 10:00-10:45 with A1 done (logged afterwards), and the cancellation
    of her visit planned for 19 October (client_cancelled). Returns the new visit's id.

    Åsa Lind's row becomes: (44 + 47 + 45) / 60 = 2.2666… -> 2.27 h, 3 visits done,
    1 client_cancelled, 3 + 1 = 4 activities, 2 late corrections (two visits)."""
    c1 = world.clients["C1"]
    started = fixture.local(10, 28, 10)
    visit_id = str(uuid.uuid4())
    push(client, login(client, "fx.lars"),
         {"name": "visit.log", "args": {
             "id": visit_id, "client_id": c1["id"], "started_at": started.isoformat(),
             "ended_at": (started + timedelta(minutes=45)).isoformat(),
             "activities": [{"activity_id": c1["activities"]["A1"], "done": True,
                             "support_level": "reminder"}]}},
         {"name": "visit.cancel", "base_version": 1,
          "args": {"id": world.visits["v3"], "reason": "client_cancelled"}})
    return visit_id

