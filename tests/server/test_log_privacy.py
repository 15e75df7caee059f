"""What the server and the scheduler write to their logs names nobody (style: "never log
names, personal numbers or case text"). The real `faltstod serve` (gunicorn) and
`faltstod scheduler --once` run as the operator runs them, with their output captured, while
a phone sends everything personal the API takes: a client's name in a visit's place, a note,
a personal reminder's text, a contact's party and note, whom an appointment is with, a
consent's party, a push subscription's endpoint (a capability URL), wrong input carrying
personal text, a failed login, and a query string and a path that carry a name. None of it
may appear in either log. Both log JSON here (`FALTSTOD_LOG_FORMAT=json`): every line is
one object, and each request left one access line with its id."""

import json
import os
import subprocess
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest

from server.db import database_path, migrate
from sync.store import connect
from tests import factories
from tests.conftest import STOCKHOLM
from tests.server.reminding import CONTACT
from tests.server.serving import FALTSTOD, ServerProcess

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("subprocess_server")]

NAME = "Hemliga Klientsson"
NOTE = "Hemlig anteckning om missbruk"
REMINDER = "Ring Hemliga Klientsson om skulden"
WRONG_USERNAME = "hemlig.anvandare"
QUERY = "Hemliga%20Klientsson"
PULL_ID = "pull-0f8c1c3e6a52"


def call(url, method, path, body=None, token=None, raw=None, request_id=None) -> tuple[int, dict]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, method=method, data=data)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if request_id:
        request.add_header("X-Request-Id", request_id)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def mutation(name, seq, args, now) -> dict:
    return {"id": str(uuid.uuid4()), "device_seq": seq, "name": name, "occurred_at": now.isoformat(),
            "args": args}


def test_the_server_and_scheduler_logs_name_nobody(data_dir, tmp_path, push_service):
    migrate(data_dir)
    db = connect(database_path(data_dir))
    team = factories.a_team(db)
    worker = factories.a_worker(db, team)
    client = factories.a_client(db, team, name=NAME)
    factories.assign(db, client["id"], worker["id"], datetime(2026, 1, 1, tzinfo=STOCKHOLM))
    db.conn.close()
    subscription = push_service.subscription("refused")
    env = {"FALTSTOD_PUSH_CONTACT": CONTACT, "FALTSTOD_PUSH_HOSTS": "127.0.0.1",
           "FALTSTOD_WORKDAY_START": "00:00", "FALTSTOD_WORKDAY_END": "23:59",
           "FALTSTOD_LOG_FORMAT": "json"}
    server_log = tmp_path / "serve.log"
    server = ServerProcess(data_dir, env=env, log_path=server_log).start()
    try:
        url, now = server.url, datetime.now(STOCKHOLM)
        assert call(url, "POST", "/api/auth/login", {"username": WRONG_USERNAME, "password": "wrong-password",
                                                  "device_name": "Telefon"})[0] == 401
        status, login = call(url, "POST", "/api/auth/login", {
            "username": worker["username"], "password": factories.PASSWORD, "device_name": NAME})
        assert status == 200
        token = login["token"]
        visit_id = str(uuid.uuid4())
        status, pushed = call(url, "POST", "/api/sync/push", {"mutations": [
            mutation("visit.plan", 1, {"id": visit_id, "client_id": client["id"], "place": NAME,
                                       "starts_at": (now + timedelta(minutes=10)).isoformat()}, now),
            mutation("note.add", 2, {"id": str(uuid.uuid4()), "client_id": client["id"], "text": NOTE}, now),
            mutation("reminder.add", 3, {"id": str(uuid.uuid4()), "worker_id": worker["id"], "text": REMINDER,
                                         "remind_at": now.isoformat(), "client_id": client["id"]}, now),
            mutation("visit.plan", 4, {"id": str(uuid.uuid4()), "client_id": client["id"],
                                       "starts_at": NAME}, now),
            mutation("note.add", 5, {"id": str(uuid.uuid4()), "client_id": str(uuid.uuid4()),
                                     "text": NOTE}, now),
            mutation("consent.record", 6, {"id": str(uuid.uuid4()), "client_id": client["id"],
                                           "party": NAME, "signed_on": "2020-01-01", "note": NOTE}, now),
            mutation("contact.log", 7, {"id": str(uuid.uuid4()), "client_id": client["id"],
                                        "started_at": now.isoformat(), "minutes": 10, "channel": "phone",
                                        "party": NAME, "actions": ["phoned_care"], "note": NOTE}, now),
            mutation("appointment.add", 8, {"id": str(uuid.uuid4()), "client_id": client["id"],
                                            "starts_at": (now + timedelta(minutes=10)).isoformat(),
                                            "kind": "psychiatry", "with": NAME, "place": NAME,
                                            "accompany": False, "note": NOTE}, now),
            mutation("contact.log", 9, {"id": str(uuid.uuid4()), "client_id": client["id"],
                                        "started_at": NAME, "minutes": 10, "channel": "phone",
                                        "party": NAME, "actions": [NAME]}, now),
        ]}, token)
        assert status == 200
        assert [r["status"] for r in pushed["results"]] == ["applied"] * 3 + ["rejected"] * 2 + \
            ["applied"] * 3 + ["rejected"]
        malformed = f'{{"mutations": ["{NAME}"'.encode()
        assert call(url, "POST", "/api/sync/push", raw=malformed, token=token)[0] == 400
        assert call(url, "POST", "/api/push/subscriptions", subscription, token)[0] == 200
        assert call(url, "GET", "/api/sync/pull", token=token, request_id=PULL_ID)[0] == 200
        assert call(url, "GET", f"/api/sync/pull?cursor={QUERY}", token=token)[0] >= 400
        assert call(url, "GET", f"/api/klienter/{QUERY}")[0] == 404
    finally:
        server.stop()

    scheduler = subprocess.run([str(FALTSTOD), "scheduler", "--once"], capture_output=True, text=True,
                               timeout=60, env={**os.environ, **env, "FALTSTOD_DATA": str(data_dir)})
    assert scheduler.returncode == 0, scheduler.stderr
    assert [m.path for m in push_service.messages()], "the scheduler pushed nothing"

    logs = {"serve": server_log.read_text(), "scheduler": scheduler.stdout + scheduler.stderr}
    lines = {"serve": [json.loads(line) for line in logs["serve"].splitlines()],
             "scheduler": [json.loads(line) for line in scheduler.stderr.splitlines()]}
    assert any("Booting worker" in line["message"] for line in lines["serve"])  # the capture works
    requests = [line for line in lines["serve"]
                if line.get("event") == "request" and line["route"] != "/api/health"]  # start's polls
    assert len(requests) == 8  # 2 logins, 2 pushes, a subscription, 2 pulls, an unknown path
    assert {line["route"] for line in requests} >= {"/api/sync/pull", "/api/auth/login", "unmatched"}
    assert [line["status"] for line in requests if line.get("request_id") == PULL_ID] == [200]
    assert all(line["request_id"] and "ms" in line for line in requests)
    assert "HTTP 400" in logs["scheduler"]  # the refused push was logged, without the rest
    secrets = [NAME, "Hemliga", "Klientsson", NOTE, REMINDER, WRONG_USERNAME, worker["username"],
               token, subscription["endpoint"], subscription["keys"]["auth"], QUERY, "cursor="]
    for where, text in logs.items():
        for secret in secrets:
            assert secret not in text, (where, secret)
