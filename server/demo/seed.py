"""Demo data: synthetic but realistic Stockholm teams, workers and clients, for `seed-demo`.

Every person here is invented; no personal identity numbers are generated, and phone numbers
come from the range PTS reserves for fiction (070-174 06 05 to 070-174 06 99). The same `seed`
and `now` give the same database, ids included (only the salted password hash differs).

Demo logins (password `demo-password`) exist only through `seed_demo`: `demo.lead`
(supervisor), `demo.cm` (case manager), `demo.bs` and `demo.bs2` (boendestödjare). With more
field workers, further teams get `demo.lead2`, `demo.cm2`, `demo.bs3`, ... With at least
UNIT_WORKERS field workers, `demo.unit` is a unit manager leading the first teams, enough of
them for UNIT_WORKERS workers (a unit, for the supervisors' dashboards at scale).
"""

import math
import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from server.casework.assignments import assign, default_caps
from server.casework.clients import create_client
from server.casework.districts import add_district, concern_phone, district_exists, set_concern_phone
from server.casework.orders import create_order
from server.casework.personal_reminders import add_personal_reminder
from server.casework.plans import SUPPORT_LEVELS, create_plan
from server.casework.workers import create_team, create_worker
from server.demo import catalogue as cat
from server.demo.visits import PAST_DAYS, seed_visits
from server.security.passwords import hash_password
from server.security.roles import ROLE_SERVICE
from server.security.teams import lead_team
from sync.changes import Change
from sync.engine import Engine
from sync.times import utc_text

DEMO_PASSWORD = "demo-password"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
# The default demo: demo.cm, demo.bs, demo.bs2, with these caseloads (within the caps).
DEFAULT_FIELD_WORKERS = 3
FIXED_CASELOADS = {"demo.cm": 8, "demo.bs": 12, "demo.bs2": 10}
# A team has about this many field workers and one supervisor (domain: geographic hubs).
TEAM_SIZE = 8
# A unit manager (enhetschef) leads several teams, about this many field workers in all: the
# size the dashboards must answer quickly for (issue 9: "a unit of 60 workers").
UNIT_WORKERS = 60


@dataclass
class _Seed:
    db: object
    rng: random.Random
    now: datetime
    password_hash: str
    caps: dict
    zone: ZoneInfo
    usernames: dict = field(default_factory=dict)
    booked: set = field(default_factory=set)
    changes: list = field(default_factory=list)  # of synced records, for the record index
    counts: dict = field(default_factory=lambda: dict.fromkeys(
        ("teams", "supervisors", "field_workers", "clients", "orders", "plans", "visits",
         "notes", "reminders"), 0))

    def made(self, change: Change, kind: str) -> str:
        """Keep a synced record's change for the index and count it; returns its id."""
        self.changes.append(change)
        self.counts[kind] += 1
        return change.id

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def username(self, kind: str) -> str:
        n = self.usernames[kind] = self.usernames.get(kind, 0) + 1
        return f"demo.{kind}" if n == 1 else f"demo.{kind}{n}"

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()


def seed_demo(db, *, now, workers=None, seed=0, caps=None, zone=STOCKHOLM) -> dict:
    """Fill an empty database with demo data (inside a write transaction), entered in the
    record index as an import is; returns counts.

    `workers`: field workers in all (default 3, the one demo team); `caps`: caseload caps per
    role (default: the declared setting defaults); `zone`: the users' (setting `TIMEZONE`),
    in which the visits fall in office hours.
    """
    workers = DEFAULT_FIELD_WORKERS if workers is None else workers
    if workers < DEFAULT_FIELD_WORKERS:
        raise ValueError(f"the demo needs at least {DEFAULT_FIELD_WORKERS} field workers")
    # One hash for every demo login: argon2 is slow on purpose.
    ctx = _Seed(db, random.Random(seed), now, hash_password(DEMO_PASSWORD),
                caps or default_caps(), zone)
    # Orders from these can be imported (`faltstod import orders`); an operator may have
    # added some before seeding.
    for district in cat.ORDERING_DISTRICTS:
        if not district_exists(db, district):
            add_district(db, district, cat.DISTRICT_PHONES[district])
        elif not concern_phone(db, district):
            set_concern_phone(db, district, cat.DISTRICT_PHONES[district])
    ctx.counts["districts"] = len(cat.ORDERING_DISTRICTS)
    team_ids = [_seed_team(ctx, index, size) for index, size in enumerate(_team_sizes(workers))]
    if workers >= UNIT_WORKERS:
        _unit_manager(ctx, team_ids, _team_sizes(workers))
    Engine.record(db, ctx.changes)
    return ctx.counts


def _team_sizes(workers: int) -> list[int]:
    teams = math.ceil(workers / TEAM_SIZE)
    return [workers // teams + (1 if i < workers % teams else 0) for i in range(teams)]


def _seed_team(ctx: _Seed, index: int, size: int) -> str:
    district = cat.DISTRICTS[index % len(cat.DISTRICTS)]
    name = cat.TEAM_NAMES.get(district, f"Team {district}")
    if index >= len(cat.DISTRICTS):
        name = f"{name} {index // len(cat.DISTRICTS) + 1}"
    team_id = create_team(ctx.db, name=name, district=district, team_id=ctx.new_id())
    ctx.counts["teams"] += 1
    _worker(ctx, team_id, "supervisor", ctx.username("lead"))
    ctx.counts["supervisors"] += 1
    for slot in range(size):
        # Slots 0, 4: case managers; the rest boendestödjare (the larger service).
        role = "cm" if slot % 4 == 0 else "support_worker"
        username = ctx.username("cm" if role == "cm" else "bs")
        worker_id = _worker(ctx, team_id, role, username)
        ctx.counts["field_workers"] += 1
        cap = ctx.caps[role]
        # Near the cap, never over it (an operator may have lowered the caps).
        wanted = FIXED_CASELOADS.get(username) or ctx.rng.randint(cap - 3, cap)
        size = max(1, min(wanted, cap))
        protected_index = ctx.rng.randrange(size) if slot % 2 == 0 else None
        for i in range(size):
            _seed_client(ctx, team_id, district, worker_id, ROLE_SERVICE[role],
                         protected=i == protected_index)
        _personal_reminders(ctx, worker_id)
    return team_id


def _unit_manager(ctx: _Seed, team_ids: list[str], sizes: list[int]) -> None:
    """`demo.unit` leads the first teams until they hold UNIT_WORKERS field workers. Made
    after everything else, so the teams' data is the same with or without a unit."""
    led, workers = [], 0
    for team_id, size in zip(team_ids, sizes, strict=True):
        if workers >= UNIT_WORKERS:
            break
        led.append(team_id)
        workers += size
    manager_id = _worker(ctx, led[0], "supervisor", "demo.unit")
    ctx.counts["supervisors"] += 1
    for team_id in led[1:]:
        lead_team(ctx.db, manager_id, team_id)
    ctx.counts["unit_teams"], ctx.counts["unit_workers"] = len(led), workers


def _worker(ctx: _Seed, team_id: str, role: str, username: str) -> str:
    name = f"{ctx.rng.choice(cat.FIRST_NAMES)} {ctx.rng.choice(cat.LAST_NAMES)}"
    return create_worker(ctx.db, username=username, name=name, role=role, team_id=team_id,
                         password_hash=ctx.password_hash, worker_id=ctx.new_id(),
                         now_text=utc_text(ctx.now - timedelta(days=400)))


def _personal_reminders(ctx: _Seed, worker_id: str) -> None:
    """The worker's own reminders ("ring psykiatrin"), some about one of their clients."""
    clients = [r[0] for r in ctx.db.execute(
        "SELECT client_id FROM assignments WHERE worker_id = ? AND ends_at IS NULL ORDER BY client_id",
        [worker_id])]
    for text, about_a_client, days, clock in cat.PERSONAL_REMINDERS:
        remind_at = datetime.combine(ctx.today + timedelta(days=days), time.fromisoformat(clock), ctx.zone)
        ctx.made(add_personal_reminder(
            ctx.db, reminder_id=ctx.new_id(), worker_id=worker_id,
            client_id=ctx.rng.choice(clients) if about_a_client else None, text=text,
            remind_at=remind_at, created_at=min(ctx.now, remind_at) - timedelta(days=1)), "reminders")


def _seed_client(ctx, team_id, district, worker_id, service, *, protected) -> None:
    rng = ctx.rng
    start_day = ctx.today - timedelta(days=rng.randint(PAST_DAYS + 10, 330))
    start = datetime.combine(start_day, time(9), tzinfo=ctx.zone)
    places = cat.CM_WHEREABOUTS if service == "cm" else cat.HOUSING_WHEREABOUTS
    # A protected identity: no whereabouts or phone recorded, only what the work needs.
    whereabouts = None if protected else rng.choice(places)
    client_id = ctx.made(create_client(
        ctx.db, client_id=ctx.new_id(), name=_person_name(rng), service=service,
        team_id=team_id, now_text=utc_text(start), whereabouts=whereabouts,
        phone=None if protected or rng.random() < 0.15 else _fictional_phone(rng),
        contact_notes=rng.choice(cat.CONTACT_NOTES) if rng.random() < 0.5 else None,
        protected_identity=protected), "clients")
    assign(ctx.db, client_id=client_id, worker_id=worker_id, now=start, caps=ctx.caps,
           assignment_id=ctx.new_id())
    hours, order_id, order_activities = _order(ctx, client_id, service, district, start)
    plan = _plan(ctx, client_id, service, order_id, order_activities, start)
    seed_visits(ctx, client_id, worker_id, service, hours, plan, whereabouts)


def _person_name(rng) -> str:
    return f"{rng.choice(cat.FIRST_NAMES)} {rng.choice(cat.LAST_NAMES)}"


def _fictional_phone(rng) -> str:
    return f"070-174 06 {rng.randint(5, 99):02d}"


def _order(ctx, client_id, service, district, start):
    rng = ctx.rng
    catalogue = cat.HOUSING_ACTIVITIES if service == "housing_support" else cat.CM_ACTIVITIES
    # Orders often list many activities for few hours (seed 003): up to six.
    picked = rng.sample(sorted(catalogue), rng.randint(3, 6 if service == "housing_support" else 5))
    activities = [{"id": ctx.new_id(), "name": name} for name in picked]
    areas = rng.sample(cat.GOAL_AREAS[service], rng.randint(1, 3))
    goals = [{"id": ctx.new_id(), "life_area": area, "text": cat.GOALS[area][0],
              "subgoals": [{"id": ctx.new_id(), "text": text} for text in cat.GOALS[area][1]]}
             for area in areas]
    hours = _granted_hours(rng) if service == "housing_support" else None
    orderer = district
    if service == "cm" and rng.random() < 0.3:
        orderer = cat.HOMELESSNESS_UNIT
    order_id = ctx.made(create_order(
        ctx.db, order_id=ctx.new_id(), client_id=client_id, orderer=orderer, service=service,
        district=district,
        period_start=start.date().isoformat(),
        period_end=(start.date() + timedelta(days=365)).isoformat(), hours_per_month=hours,
        goals=goals, activities=activities, now_text=utc_text(start)), "orders")
    return hours, order_id, activities


def _granted_hours(rng) -> int:
    """Hours per month in the orderers' bands 1-7, 8-18, 19+ (city average about 7)."""
    band = rng.choices(((2, 7), (8, 18), (19, 30)), weights=(55, 35, 10))[0]
    return rng.randint(*band)


def _plan(ctx, client_id, service, order_id, order_activities, start) -> list[dict]:
    rng = ctx.rng
    catalogue = cat.HOUSING_ACTIVITIES if service == "housing_support" else cat.CM_ACTIVITIES
    planned = list(order_activities)
    # Plans often drop or merge an ordered activity without telling the orderer (46 %).
    if len(planned) >= 4 and rng.random() < 0.3:
        planned.pop(rng.randrange(len(planned)))
    activities = [{"id": ctx.new_id(), "name": a["name"], "how": catalogue[a["name"]][0],
                   "frequency": catalogue[a["name"]][1], "order_activity_id": a["id"],
                   "support_level": rng.choices(SUPPORT_LEVELS, weights=(3, 4, 3, 1))[0]}
                  for a in planned]
    ctx.made(create_plan(ctx.db, plan_id=ctx.new_id(), client_id=client_id, order_id=order_id,
                         activities=activities, now_text=utc_text(start + timedelta(days=14))), "plans")
    return activities
