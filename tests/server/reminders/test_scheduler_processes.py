"""Two scheduler processes at once (`faltstod scheduler --once`, started together against one
data directory) send each due reminder exactly once. The thread test in test_scheduler.py
interleaves claims batch by batch; this one runs the real command line, with its own
sweep, connections, sender pool and write-lock waits, in two processes.

The processes run on the system clock, so the visits are planned relative to the real time:
every one is due whatever the hour (a reminder that working hours move out of the night
goes to the end of the previous working day, which has passed)."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import a_team
from tests.server.reminding import CONTACT, field_worker, push_settings, subscribe
from tests.sync.pulling import visit_plan

pytestmark = pytest.mark.slow

FALTSTOD = Path(sys.executable).with_name("faltstod")
VISITS = 24


@pytest.fixture
def settings(data_dir):
    return push_settings(data_dir)


def test_two_scheduler_processes_started_together_send_each_reminder_once(
        app, client, db, data_dir, clock, push_service):
    clock.at = datetime.now(UTC).replace(microsecond=0)
    phone, person = field_worker(db, client, a_team(db))
    subscribe(phone, push_service.subscription())
    visits = [visit_plan(person["id"], clock.now() + timedelta(minutes=5 + n), clock.now())
              for n in range(VISITS)]
    phone.push_applied(*visits)

    env = {**os.environ, "FALTSTOD_DATA": str(data_dir), "FALTSTOD_PUSH_CONTACT": CONTACT,
           "FALTSTOD_PUSH_HOSTS": "127.0.0.1"}
    schedulers = [subprocess.Popen([str(FALTSTOD), "scheduler", "--once"], env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [s.communicate(timeout=60) for s in schedulers]
    assert [s.returncode for s in schedulers] == [0, 0], [err for _, err in outputs]

    pushed = [m.payload["visit_id"] for m in push_service.messages()]
    assert sorted(pushed) == sorted(v["args"]["id"] for v in visits)
    sent = sum(int(out.split("Sent ")[1].split(",")[0]) for out, _ in outputs)
    assert sent == VISITS
    statuses = db.execute("SELECT status, count(*) FROM reminders GROUP BY status").fetchall()
    assert statuses == [("sent", VISITS)]
    assert client.get("/api/health").get_json()["reminders"] == "ok"  # their heartbeats
