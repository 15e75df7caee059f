"""Data for the end-to-end tests: a support worker with two clients and four visits today, or
a case manager with one client, written into the running server's database (synthetic people
only). Each test makes its own worker, so tests sharing one server never see each other's data.
"""

import os
import subprocess
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.casework.visits import create_visit
from sync.engine import Engine
from sync.store import write_transaction
from sync.times import utc_text
from tests import factories
from tests.server.serving import FALTSTOD

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Today's visits (Stockholm wall clock) per client; the app's Idag screen shows this day.
VISIT_TIMES = {"first": (time(9, 0), time(13, 0)), "second": (time(10, 30), time(15, 0))}
VISIT_MINUTES = 45
# Web push in the e2e world (server and scheduler alike): the tests' fake push service on
# loopback is allowed, a contact push services would accept, and working hours all day, so a
# reminder goes out whatever the hour at which the tests run.
PUSH_ENV = {"FALTSTOD_PUSH_HOSTS": "127.0.0.1", "FALTSTOD_PUSH_CONTACT": "mailto:test@example.org",
            "FALTSTOD_WORKDAY_START": "00:00", "FALTSTOD_WORKDAY_END": "23:59"}


@dataclass
class Client:
    id: str
    name: str
    activity_ids: list[str]
    visits: list[str] = field(default_factory=list)  # today's, in time order


@dataclass
class Caseload:
    worker: dict
    first: Client
    second: Client

    @property
    def username(self) -> str:
        return self.worker["username"]


def a_visit(db, client_id, worker_id, starts_at: datetime) -> str:
    """A planned visit, entered in the sync index as the server does for its own records."""
    with write_transaction(db):
        visit = create_visit(db, client_id=client_id, worker_id=worker_id, status="planned",
                             starts_at=starts_at, ends_at=starts_at + timedelta(minutes=VISIT_MINUTES),
                             place="Hemma", now_text=utc_text(datetime.now().astimezone()))
        Engine.record(db, [visit])
    return visit.id


def a_caseload(db) -> Caseload:
    team = factories.a_team(db, name=f"Team {uuid.uuid4().hex[:6]}")
    worker = factories.a_worker(db, team, username=f"e2e.{uuid.uuid4().hex[:8]}")
    today = datetime.now(STOCKHOLM).date()
    clients = {}
    for key, name in (("first", "Alva Berglund"), ("second", "Bo Ekström")):
        made = factories.a_client(db, team, name=name)
        factories.assign(db, made["id"], worker["id"], datetime.now(STOCKHOLM) - timedelta(days=30))
        client = Client(made["id"], name, made["activity_ids"])
        client.visits = [a_visit(db, client.id, worker["id"], datetime.combine(today, at, STOCKHOLM))
                         for at in VISIT_TIMES[key]]
        clients[key] = client
    return Caseload(worker, clients["first"], clients["second"])


@dataclass
class Outreach:
    """A case manager (role `cm`) and one CM client, with one planned visit today."""

    worker: dict
    client: Client

    @property
    def username(self) -> str:
        return self.worker["username"]


# The case manager's planned visit today (Stockholm wall clock).
OUTREACH_VISIT = time(13, 0)


def an_outreach_caseload(db) -> Outreach:
    team = factories.a_team(db, name=f"Team {uuid.uuid4().hex[:6]}")
    worker = factories.a_worker(db, team, role="cm", username=f"e2e.cm.{uuid.uuid4().hex[:8]}")
    made = factories.a_client(db, team, service="cm", name="Kim Nordin")
    factories.assign(db, made["id"], worker["id"], datetime.now(STOCKHOLM) - timedelta(days=30))
    client = Client(made["id"], "Kim Nordin", made["activity_ids"])
    today = datetime.now(STOCKHOLM).date()
    client.visits = [a_visit(db, client.id, worker["id"], datetime.combine(today, OUTREACH_VISIT, STOCKHOLM))]
    return Outreach(worker, client)


def faltstod(data_dir, *args: str) -> str:
    """Run the operator's command line against the server's data directory."""
    env = {**os.environ, **PUSH_ENV, "FALTSTOD_DATA": str(data_dir)}
    done = subprocess.run([str(FALTSTOD), *args], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout
