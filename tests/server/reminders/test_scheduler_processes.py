"""Two scheduler processes at once (`faltstod scheduler --once`, started together against one
data directory) send each due reminder exactly once. The thread test in test_scheduler.py
interleaves claims batch by batch; this one runs the real command line, with its own
sweep, connections, sender pool and write-lock waits, in two processes.

The processes run on the system clock, so the visits are planned relative to the real time,
and the working hours are the whole day (00:00-23:59): every reminder is due whatever the
hour. With the default 07:00-22:00, at 06:40 a reminder of a visit at 07:05 is moved to 07:00,
still ahead, and a fresh-clone run at that hour failed on the four not yet due."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from server.settings import load
from tests.factories import a_team
from tests.server.reminding import CONTACT, field_worker, subscribe
from tests.sync.pulling import visit_plan

pytestmark = pytest.mark.slow

FALTSTOD = Path(sys.executable).with_name("faltstod")
VISITS = 24
# No night: the reminders of visits 5 to 28 minutes ahead are due now at any hour.
ALL_DAY = {"WORKDAY_START": "00:00", "WORKDAY_END": "23:59"}


@pytest.fixture
def settings(data_dir):
    return load(environ={}, DATA=str(data_dir), PUSH_CONTACT=CONTACT, PUSH_HOSTS="127.0.0.1", **ALL_DAY)


def test_two_scheduler_processes_started_together_send_each_reminder_once(
        app, client, db, data_dir, clock, push_service):
    clock.at = datetime.now(UTC).replace(microsecond=0)
    phone, person = field_worker(db, client, a_team(db))
    subscribe(phone, push_service.subscription())
    visits = [visit_plan(person["id"], clock.now() + timedelta(minutes=5 + n), clock.now())
              for n in range(VISITS)]
    phone.push_applied(*visits)

    env = {**os.environ, "FALTSTOD_DATA": str(data_dir), "FALTSTOD_PUSH_CONTACT": CONTACT,
           "FALTSTOD_PUSH_HOSTS": "127.0.0.1", **{f"FALTSTOD_{k}": v for k, v in ALL_DAY.items()}}
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
