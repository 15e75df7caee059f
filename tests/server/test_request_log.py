"""Each request has an id, answered in `X-Request-Id`, on every log line it writes and in the
access log; each request leaves one access line with its route's pattern and nothing from
the query string; the lines are JSON or text as `FALTSTOD_LOG_FORMAT` says."""

import hashlib
import io
import json
import logging
import logging.config
from datetime import timedelta

import pytest

from server import request_log
from server.security import access_log
from server.settings import load
from tests import factories
from tests.sync.pulling import Phone

ACCESS = "server.request_log"


def access_lines(caplog) -> list[dict]:
    return [r.fields for r in caplog.records if r.name == ACCESS]


@pytest.fixture
def caplog_info(caplog):
    caplog.set_level(logging.INFO, logger=ACCESS)
    return caplog


@pytest.mark.parametrize("sent", ["0f8c1c3e-6a52-4a0e-9d1d-2b3c4d5e6f70", "caddy.req_0123456789"])
def test_a_sane_incoming_request_id_is_kept_and_answered(client, sent):
    assert client.get("/api/health/live", headers={"X-Request-Id": sent}).headers["X-Request-Id"] == sent


@pytest.mark.parametrize("sent", ["", "short", "x" * 65, "two words here", "id;level=ERROR",
                                  "klient-åäö-12345",
                                  '{"level":"ERROR"}', "../../etc/passwd"])
def test_any_other_request_id_is_replaced_by_a_new_one(client, sent):
    answered = client.get("/api/health/live", headers={"X-Request-Id": sent}).headers["X-Request-Id"]
    assert answered != sent
    assert request_log.SANE_ID.fullmatch(answered)


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/api/health/live").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3


def test_one_access_line_per_request_with_the_route_pattern_and_never_the_query(client, caplog_info):
    answer = client.post("/api/devices/0f8c1c3e-6a52-4a0e-9d1d-2b3c4d5e6f70/revoke?q=Hemliga")
    client.get("/api/klienter/Hemliga Klientsson?namn=Hemliga")

    revoke, unknown = access_lines(caplog_info)
    assert revoke == {"event": "request", "method": "POST", "route": "/api/devices/<device_id>/revoke",
                      "status": answer.status_code, "ms": revoke["ms"]}
    assert isinstance(revoke["ms"], float)
    assert unknown["route"] == "unmatched" and unknown["status"] == 404
    assert "Hemliga" not in caplog_info.text


def test_a_devices_requests_carry_a_hash_of_its_id_not_the_id(client, db, caplog_info):
    phone = Phone(client, factories.a_worker(db, factories.a_team(db)))
    caplog_info.clear()

    phone.pull_response()

    (line,) = access_lines(caplog_info)
    assert line["device"] == hashlib.sha256(phone.device_id.encode()).hexdigest()[:12]
    assert phone.device_id not in caplog_info.text


def test_the_access_log_names_the_same_request_id(client, db, data_dir, clock):
    team = factories.a_team(db)
    worker = factories.a_worker(db, team)
    person = factories.a_client(db, team)
    factories.assign(db, person["id"], worker["id"], clock.now() - timedelta(days=1))
    phone = Phone(client, worker)

    answer = client.get("/api/sync/pull", headers={**phone.headers, "X-Request-Id": "pull-from-caddy-1"})

    assert answer.headers["X-Request-Id"] == "pull-from-caddy-1"
    reads = [e for e in access_log.entries(data_dir) if e["action"] == access_log.READ]
    assert [e["request_id"] for e in reads] == ["pull-from-caddy-1"]


def test_the_access_line_has_the_final_status_after_the_apis_own_handlers(client, caplog_info):
    answer = client.post("/api/auth/login", data=b"x" * (65 * 1024), content_type="application/json")
    assert answer.status_code == 413
    (line,) = access_lines(caplog_info)
    assert line["status"] == 413 and line["route"] == "/api/auth/login"


def configured(fmt: str) -> io.StringIO:
    """The processes' logging, on a stream of the test's (put back by `restore_logging`)."""
    stream = io.StringIO()
    config = request_log.logging_config(fmt)
    config["handlers"]["stderr"]["stream"] = stream
    logging.config.dictConfig(config)
    return stream


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    gunicorn = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
                       logging.getLogger(name).propagate) for name in ("gunicorn.error", "gunicorn.access")}
    yield
    root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    for name, (handlers, level, propagate) in gunicorn.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def test_json_lines_carry_the_request_id_on_every_line_of_the_request(app, restore_logging):
    @app.get("/test/logs")
    def logs():
        logging.getLogger("server.some_module").warning("something went wrong")
        return "ok"

    stream = configured("json")
    answer = app.test_client().get("/test/logs", headers={"X-Request-Id": "request-0001"})
    logging.getLogger("server.scheduler").info("outside a request")

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    warning, access, outside = lines
    assert answer.headers["X-Request-Id"] == "request-0001"
    assert warning["request_id"] == access["request_id"] == "request-0001"
    assert warning["level"] == "WARNING" and warning["message"] == "something went wrong"
    assert access["route"] == "/test/logs" and access["status"] == 200 and access["message"].startswith("GET")
    assert "request_id" not in outside and outside["logger"] == "server.scheduler"
    assert {"time", "process"} <= set(access)


def test_text_lines_say_the_same_for_a_person(app, restore_logging):
    stream = configured("text")
    app.test_client().get("/api/health/live", headers={"X-Request-Id": "request-0002"})

    (line,) = stream.getvalue().splitlines()
    assert "INFO server.request_log [request-0002] GET /api/health/live 200 " in line


def test_gunicorns_own_access_log_with_the_raw_request_line_is_silenced(restore_logging):
    stream = configured("json")
    logging.getLogger("gunicorn.access").info('127.0.0.1 "GET /api/x?q=Hemliga HTTP/1.1" 200')
    logging.getLogger("gunicorn.error").info("Booting worker with pid: 1")

    (line,) = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["message"] == "Booting worker with pid: 1"


def test_the_log_format_is_json_or_text_and_nothing_else():
    assert load(environ={})["LOG_FORMAT"] == "text"
    assert load(environ={"FALTSTOD_LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ValueError, match="not a log format"):
        load(environ={"FALTSTOD_LOG_FORMAT": "xml"})
