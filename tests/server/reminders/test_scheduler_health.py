"""A scheduler that has stopped, or reminders stuck past their time, are seen at once: in
`/api/health` (for the operator's monitoring) and in the supervisors' push view."""

from datetime import timedelta

import pytest

from tests.factories import a_team, a_worker
from tests.server.reminding import field_worker, push_settings, run, subscribe
from tests.sync.pulling import Phone, visit_plan


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def reminders_state(client) -> str:
    response = client.get("/api/health")
    assert response.status_code == 200
    return response.get_json()["reminders"]


def test_health_says_stopped_until_a_scheduler_runs_and_again_when_it_stops(app, client, data_dir,
                                                                              clock):
    assert reminders_state(client) == "stopped"
    run(app, data_dir, clock)
    assert reminders_state(client) == "ok"
    clock.advance(minutes=1)
    assert reminders_state(client) == "ok"
    clock.advance(minutes=2)  # eight ticks missed
    assert reminders_state(client) == "stopped"


def test_health_says_late_when_reminders_wait_past_their_time(app, client, db, data_dir, clock,
                                                             push_service):
    phone, person = field_worker(db, client, a_team(db))
    subscribe(phone, push_service.subscription("busy"))  # the push service answers 503
    phone.push_applied(visit_plan(person["id"], clock.now() + timedelta(minutes=20), clock.now()))
    run(app, data_dir, clock)
    assert reminders_state(client) == "ok"  # due now, tried, to be retried: not late yet
    clock.advance(minutes=6)
    run(app, data_dir, clock)
    assert reminders_state(client) == "late"


def test_supervisors_see_whether_the_scheduler_runs(app, client, db, data_dir, clock):
    team = a_team(db)
    supervisor = Phone(client, a_worker(db, team, role="supervisor"))
    view = supervisor.client.get("/api/push/workers-without-push", headers=supervisor.headers).get_json()
    assert view["scheduler"] == {"state": "stopped", "last_run_at": None, "late": 0}
    run(app, data_dir, clock)
    view = supervisor.client.get("/api/push/workers-without-push", headers=supervisor.headers).get_json()
    assert view["scheduler"] == {"state": "ok", "last_run_at": "2026-11-23T08:00:00Z", "late": 0}


def test_health_says_off_on_an_instance_with_push_off(data_dir):
    from server import create_app
    from server.settings import load

    app = create_app(load(environ={}, DATA=str(data_dir), PUSH_ENABLED="false"))
    assert reminders_state(app.test_client()) == "off"
