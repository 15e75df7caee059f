"""A hand-made team for October 2026, every figure of the workload dashboard and of the
monthly report worked out by hand below (the tests compare with these numbers).

October 2026 in Stockholm: from 2026-10-01 00:00 CEST (2026-09-30T22:00Z) to 2026-11-01
00:00 CET (2026-10-31T23:00Z); the clocks go back on Sunday 25 October (03:00 CEST becomes
02:00 CET), so the month is 31 days and one hour long. A month cut in UTC would take the
visit at 00:15 on 1 November and lose the ones at 00:30 on 1 October and 23:30 on 31 October.

Team Test (Södermalm): Karin Ek (cm), Lars Berg and Mona Holm (boendestödjare), the
supervisor Sara Lund. Team Annan: Olof Strand and its supervisor, with one client.
Times are Stockholm local time; hours are minutes / 60 rounded half up to two decimals.

C1 Åsa Lind, housing support, Södermalm "SÖ-2026-101", 7 h granted (band 1-7), Lars
   v1  done 5 Oct 10:00, 44 min, activities A1 done, A2 done, A3 not done  -> 2 activities
   v2  done 12 Oct 10:00, 47 min, A1 done                                   -> 1
   v3  planned 19 Oct 10:00-11:00, never recorded                            (planned: 1)
   v4  done 1 Nov 00:15 (= 31 Oct 23:15 UTC), 60 min: November, not October
   hours_delivered (44 + 47) / 60 = 1.5166… -> 1.52; visits_done 2; activities_done 3;
   last met 1 Nov -> 1 day before Monday 2 Nov.
C2 Östen Ahl, housing support, Södermalm, no reference, 7.5 h (band 8-18), Lars
   v5  done 31 Oct 23:30 (= 22:30 UTC, the last day), 30 min, A1 done       -> 0.50 h, 1
   v6  client_late_cancel, booked 20 Oct 10:00:00-10:44:42 (2,682 s)
   v7  no_show, booked 27 Oct 14:00, no end: counts 60 min (3,600 s)
   v8  client_cancelled 8 Oct; v9 staff_cancelled 14 Oct (no booked time counted)
   v17 client_late_cancel 15 Sep; v18 no_show 20 Jul (more than 90 days before 2 Nov)
   booked_hours_cancelled (2,682 + 3,600) s / 3,600 = 1.745 -> 1.75 (half up; a float
   rounds 1.745 down); cancellations 1 / 1 / 1 / 1;
   late cancels and no-shows in the 90 days to 2 Nov: v17, v6, v7 = 3 -> flagged;
   last met 31 Oct -> 2 days; the plan drops the order's O3 "Veckoplanering" -> diverges.
C3 Älva Nord, housing support, Södermalm, 18 h (band 8-18); Lars until 15 Oct 09:00, then
   Mona (the worker at the end of the month: Mona Holm)
   v10 done by Lars 6 Oct 09:00, 50 min, A1 done                             -> 1
   v11 done by Mona 26 Oct 09:00 (the day after the clock change), 65 min, A1, A2 -> 2
   hours (50 + 65) / 60 = 1.9166… -> 1.92; visits 2; activities 3; last met 26 Oct -> 7
   days; the plan adds A3 "Promenad" with no order activity -> diverges.
C4 Émile Ek, housing support, two orders in October: Södermalm "SÖ-2025-900" (7 h, to 15
   Oct) and Farsta "FA-77" (19 h, from 16 Oct). The one in force on the last day gives the
   row: Farsta, FA-77, 19 h, band 19+. Lars.
   v19 done 30 Sep 23:30 (= 21:30 UTC), 45 min: September
   v13 done 1 Oct 00:30 (= 30 Sep 22:30 UTC), 45 min, no activity: October
   v12 done 25 Oct 10:00 (the day of the clock change), 60 min, A1 done       -> 1
   v14 no_show booked 22 Oct 10:00-11:00 -> 1.00 h booked
   hours (45 + 60) / 60 = 1.75; visits 2; activities 1; last met 25 Oct -> 8 days;
   late cancels and no-shows in 90 days: 1; the plan is still the old order's -> diverges
   (order activities OB1, OB2 not in the plan; plan activity A1 not in the order).
C5 Olle Zander, CM, "Socialförvaltningens område hemlöshet", no hours (band empty), Karin
   v15 done 9 Oct 13:00, 75 min, A1 done, A2 not done                        -> 1 activity
   k1  contact by phone with "Psykiatrin Södermalm" 20 Oct 14:00, 35 min (phoned care,
       booked a meeting); a phone call is not meeting the client
   consent for "psykiatrin södermalm" signed 1 Jun 2025: on 20 Oct 2026 it is valid but
   signed more than 12 months before (1 Jun 2026 < 20 Oct 2026): stale -> the contact
   carries consent_warning and consent_stale, and the client is flagged (20 Oct is within
   the 90 days up to 2 Nov)
   hours (75 + 35) / 60 = 110 / 60 = 1.8333… -> 1.83; visits_done 1 (contacts are not
   visits); 1 contact; last met 9 Oct (the visit) -> 24 days.
C6 åke Strand (written in lower case), CM, the same orderer, Karin
   v16 done 29 Oct 13:00, 40 min, no activity
   k2  contact in person on the street 31 Oct 22:45 (= 21:45 UTC, still October), 25 min
   k3  contact by phone 1 Nov 00:10 (= 31 Oct 23:10 UTC), 15 min: November, not October
   hours (40 + 25) / 60 = 65 / 60 = 1.0833… -> 1.08; visits_done 1; 1 contact in October;
   last met 31 Oct (k2 in person; k3 is a phone call) -> 2 days.
C7 Nils "Nisse" Öhman, housing support, Södermalm "SÖ;2026;7", 4 h (band 1-7), Lars: no
   visit in October (a row of zeros; its name and reference need quotes in the CSV).
Not in October's report:
C8 Bertil Ek, Team Test, order ended 30 Sep (a visit on 2 Oct does not bring it back).
C9 Anna Annan, Team Annan (another team), in force, a visit in October.
C10 Cecilia Ny, Team Test, CM, order from 5 Nov; assigned to Karin since 2 Nov 08:00, so
   the dashboard shows her (assigned now) with no hours.

October's hours delivered, all rows: 1.75 + 1.83 + 1.08 + 0 + 1.52 + 1.92 + 0.50 = 8.60.

Caseloads on Monday 2 Nov 10:00: Karin 3 (C5, C6, C10), Lars 4 (C1, C2, C4, C7), Mona 1
(C3). With the caps 3 and 3 (the dashboard test's settings): Karin at her cap, Lars over it.

Report order: by orderer, then client, Swedish order (å ä ö after z):
Farsta < Socialförvaltningens … < Södermalm; Olle < åke; Nils < Åsa < Älva < Östen.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from server.casework.clients import create_client
from server.casework.consents import ConsentRule, record_consent
from server.casework.contacts import log_contact
from server.casework.orders import create_order
from server.casework.plans import create_plan
from server.casework.visits import create_visit
from sync.engine import Engine
from sync.store import write_transaction
from sync.times import utc_text
from tests.conftest import STOCKHOLM
from tests.factories import LONG_AGO, a_team, a_worker, assign, end_assignment

# Monday 2 November 2026, 10:00 in Stockholm: October has ended, the report is due.
NOW = datetime(2026, 11, 2, 10, 0, tzinfo=STOCKHOLM)
ORDER_PERIOD = ("2026-01-01", "2026-12-31")
HEMLOSHET = "Socialförvaltningens område hemlöshet"


def local(month, day, hour, minute=0, second=0, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=STOCKHOLM)


@dataclass
class World:
    team: str
    other_team: str
    workers: dict = field(default_factory=dict)  # key -> {id, username, ...}
    clients: dict = field(default_factory=dict)  # key -> {id, activities: {A1: id}, ...}
    visits: dict = field(default_factory=dict)  # key -> id
    contacts: dict = field(default_factory=dict)  # key -> id


def _worker(db, team, key, name, role, world):
    worker = a_worker(db, team, role=role, username=f"fx.{key}")
    with write_transaction(db):
        db.execute("UPDATE workers SET name = ? WHERE id = ?", [name, worker["id"]])
    world.workers[key] = {**worker, "name": name}
    return worker


def _client(db, world, key, name, service, orders, plan, team=None, plan_order=-1):
    """`orders`: [(orderer, order_ref, (start, end), hours, [activity names])]; `plan`:
    [(plan activity key, name, index of its activity in the order or None)], the plan of
    the order at `plan_order` (default the last)."""
    now_text = "2026-01-01T00:00:00Z"
    with write_transaction(db):
        client = create_client(db, name=name, service=service, team_id=team or world.team,
                               now_text=now_text)
        changes = [client]
        made = []
        for orderer, ref, (start, end), hours, names in orders:
            activities = [{"id": str(uuid.uuid4()), "name": n} for n in names]
            order = create_order(db, client_id=client.id, orderer=orderer, service=service,
                                 period_start=start, period_end=end, hours_per_month=hours,
                                 goals=[], activities=activities, now_text=now_text)
            if ref is not None:
                db.execute("UPDATE orders SET order_ref = ? WHERE id = ?", [ref, order.id])
            changes.append(order)
            made.append((order.id, activities))
        order_id, ordered = made[plan_order]
        activities = [{"id": str(uuid.uuid4()), "name": n, "how": "Tillsammans",
                       "frequency": "varje vecka", "support_level": "start_together",
                       "order_activity_id": ordered[i]["id"] if i is not None else None}
                      for _, n, i in plan]
        changes.append(create_plan(db, client_id=client.id, order_id=order_id,
                                   activities=activities, now_text=now_text))
        Engine.record(db, changes)
    world.clients[key] = {"id": client.id, "name": name,
                          "activities": {k: a["id"] for (k, _, _), a in zip(plan, activities,
                                                                             strict=True)}}
    return world.clients[key]


def _visit(db, world, key, client, worker, status, **fields):
    checks = fields.pop("checks", ())
    activities = [{"activity_id": world.clients[client]["activities"][a], "done": done,
                   "support_level": "reminder" if done else None,
                   "not_done_reason": None if done else "Hann inte"} for a, done in checks]
    if status == "done":
        fields.setdefault("ended_at", None)
    with write_transaction(db):
        change = create_visit(db, client_id=world.clients[client]["id"],
                              worker_id=world.workers[worker]["id"], status=status,
                              now_text=utc_text(LONG_AGO), activities=activities, **fields)
        Engine.record(db, [change])
    world.visits[key] = change.id


def _done(db, world, key, client, worker, started_at, minutes, checks=()):
    _visit(db, world, key, client, worker, "done", started_at=started_at, minutes=minutes,
           checks=checks)


def _cancelled(db, world, key, client, worker, reason, starts_at, ends_at, cancelled_at):
    _visit(db, world, key, client, worker, "cancelled", starts_at=starts_at, ends_at=ends_at,
           cancel_reason=reason, cancelled_at=cancelled_at)


def _contact(db, world, key, client, worker, started_at, minutes, channel, party=None,
             actions=("other",)):
    with write_transaction(db):
        change = log_contact(db, contact_id=str(uuid.uuid4()), client_id=world.clients[client]["id"],
                             worker_id=world.workers[worker]["id"], started_at=started_at,
                             minutes=minutes, channel=channel, party=party, actions=list(actions),
                             place_type="street" if channel == "in_person" else None,
                             created_at=LONG_AGO, rule=ConsentRule.default())
        Engine.record(db, [change])
    world.contacts[key] = change.id


def build(db) -> World:
    world = World(team=a_team(db, name="Team Test", district="Södermalm"),
                  other_team=a_team(db, name="Team Annan", district="Farsta"))
    _worker(db, world.team, "karin", "Karin Ek", "cm", world)
    _worker(db, world.team, "lars", "Lars Berg", "support_worker", world)
    _worker(db, world.team, "mona", "Mona Holm", "support_worker", world)
    _worker(db, world.team, "lead", "Sara Lund", "supervisor", world)
    _worker(db, world.other_team, "olof", "Olof Strand", "support_worker", world)
    _worker(db, world.other_team, "other_lead", "Per Annan", "supervisor", world)
    w = {key: worker["id"] for key, worker in world.workers.items()}

    # C1 Åsa Lind
    c1 = _client(db, world, "C1", "Åsa Lind", "housing_support",
                 [("Södermalm", "SÖ-2026-101", ORDER_PERIOD, 7, ["Tvätt", "Städning", "Inköp"])],
                 [("A1", "Tvätt", 0), ("A2", "Städning", 1), ("A3", "Inköp", 2)])
    assign(db, c1["id"], w["lars"], LONG_AGO)
    _done(db, world, "v1", "C1", "lars", local(10, 5, 10), 44,
          [("A1", True), ("A2", True), ("A3", False)])
    _done(db, world, "v2", "C1", "lars", local(10, 12, 10), 47, [("A1", True)])
    _visit(db, world, "v3", "C1", "lars", "planned", starts_at=local(10, 19, 10),
           ends_at=local(10, 19, 11))
    _done(db, world, "v4", "C1", "lars", local(11, 1, 0, 15), 60, [("A1", True)])

    # C2 Östen Ahl
    c2 = _client(db, world, "C2", "Östen Ahl", "housing_support",
                 [("Södermalm", None, ORDER_PERIOD, 7.5, ["Tvätt", "Ekonomi", "Veckoplanering"])],
                 [("A1", "Tvätt", 0), ("A2", "Ekonomi", 1)])
    assign(db, c2["id"], w["lars"], LONG_AGO)
    _done(db, world, "v5", "C2", "lars", local(10, 31, 23, 30), 30, [("A1", True)])
    _cancelled(db, world, "v6", "C2", "lars", "client_late_cancel", local(10, 20, 10),
               local(10, 20, 10, 44, 42), local(10, 20, 8))
    _cancelled(db, world, "v7", "C2", "lars", "no_show", local(10, 27, 14), None,
               local(10, 27, 14, 20))
    _cancelled(db, world, "v8", "C2", "lars", "client_cancelled", local(10, 8, 10),
               local(10, 8, 11), local(10, 5, 9))
    _cancelled(db, world, "v9", "C2", "lars", "staff_cancelled", local(10, 14, 10),
               local(10, 14, 11), local(10, 13, 9))
    _cancelled(db, world, "v17", "C2", "lars", "client_late_cancel", local(9, 15, 10),
               local(9, 15, 11), local(9, 15, 8))
    _cancelled(db, world, "v18", "C2", "lars", "no_show", local(7, 20, 10), local(7, 20, 11),
               local(7, 20, 10, 20))

    # C3 Älva Nord: Lars hands over to Mona on 15 October
    c3 = _client(db, world, "C3", "Älva Nord", "housing_support",
                 [("Södermalm", "", ORDER_PERIOD, 18, ["Tvätt", "Inköp"])],
                 [("A1", "Tvätt", 0), ("A2", "Inköp", 1), ("A3", "Promenad", None)])
    assign(db, c3["id"], w["lars"], LONG_AGO)
    end_assignment(db, c3["id"], w["lars"], local(10, 15, 9))
    assign(db, c3["id"], w["mona"], local(10, 15, 9))
    _done(db, world, "v10", "C3", "lars", local(10, 6, 9), 50, [("A1", True)])
    _done(db, world, "v11", "C3", "mona", local(10, 26, 9), 65, [("A1", True), ("A2", True)])

    # C4 Émile Ek: two orders in October; the plan is still the first one's
    c4 = _client(db, world, "C4", "Émile Ek", "housing_support",
                 [("Södermalm", "SÖ-2025-900", ("2025-10-16", "2026-10-15"), 7, ["Städning"]),
                  ("Farsta", "FA-77", ("2026-10-16", "2027-10-15"), 19,
                   ["Städning", "Ekonomi: budget"])],
                 [("A1", "Städning", 0)], plan_order=0)
    assign(db, c4["id"], w["lars"], LONG_AGO)
    _done(db, world, "v19", "C4", "lars", local(9, 30, 23, 30), 45)
    _done(db, world, "v13", "C4", "lars", local(10, 1, 0, 30), 45)
    _done(db, world, "v12", "C4", "lars", local(10, 25, 10), 60, [("A1", True)])
    _cancelled(db, world, "v14", "C4", "lars", "no_show", local(10, 22, 10), local(10, 22, 11),
               local(10, 22, 10, 20))

    # C5 Olle Zander, C6 åke Strand: case management, no hours granted
    c5 = _client(db, world, "C5", "Olle Zander", "cm",
                 [(HEMLOSHET, None, ORDER_PERIOD, None, ["SIP-möte", "Söka boende"])],
                 [("A1", "SIP-möte", 0), ("A2", "Söka boende", 1)])
    assign(db, c5["id"], w["karin"], LONG_AGO)
    _done(db, world, "v15", "C5", "karin", local(10, 9, 13), 75, [("A1", True), ("A2", False)])
    with write_transaction(db):
        Engine.record(db, [record_consent(
            db, consent_id=str(uuid.uuid4()), client_id=c5["id"], worker_id=w["karin"],
            party="psykiatrin södermalm", signed_on=date(2025, 6, 1), valid_until=None,
            created_at=LONG_AGO)])
    _contact(db, world, "k1", "C5", "karin", local(10, 20, 14), 35, "phone",
             party="Psykiatrin Södermalm", actions=("phoned_care", "booked_meeting"))
    c6 = _client(db, world, "C6", "åke Strand", "cm",
                 [(HEMLOSHET, None, ORDER_PERIOD, None, ["Motiverande samtal (MI)"])],
                 [("A1", "Motiverande samtal (MI)", 0)])
    assign(db, c6["id"], w["karin"], LONG_AGO)
    _done(db, world, "v16", "C6", "karin", local(10, 29, 13), 40)
    _contact(db, world, "k2", "C6", "karin", local(10, 31, 22, 45), 25, "in_person",
             actions=("motivational_talk", "harm_reduction"))
    _contact(db, world, "k3", "C6", "karin", local(11, 1, 0, 10), 15, "phone")

    # C7 Nils "Nisse" Öhman: no visit in October
    c7 = _client(db, world, "C7", 'Nils "Nisse" Öhman', "housing_support",
                 [("Södermalm", "SÖ;2026;7", ORDER_PERIOD, 4, ["Tvätt"])], [("A1", "Tvätt", 0)])
    assign(db, c7["id"], w["lars"], LONG_AGO)

    # Not in October's report
    c8 = _client(db, world, "C8", "Bertil Ek", "housing_support",
                 [("Södermalm", None, ("2026-01-01", "2026-09-30"), 7, ["Tvätt"])],
                 [("A1", "Tvätt", 0)])
    assign(db, c8["id"], w["lars"], LONG_AGO, local(10, 1, 0))
    _done(db, world, "v20", "C8", "lars", local(10, 2, 10), 60)
    c9 = _client(db, world, "C9", "Anna Annan", "housing_support",
                 [("Södermalm", None, ORDER_PERIOD, 10, ["Tvätt"])], [("A1", "Tvätt", 0)],
                 team=world.other_team)
    assign(db, c9["id"], w["olof"], LONG_AGO)
    _done(db, world, "v21", "C9", "olof", local(10, 7, 10), 60)
    c10 = _client(db, world, "C10", "Cecilia Ny", "cm",
                  [(HEMLOSHET, None, ("2026-11-05", "2027-11-04"), None, ["SIP-möte"])],
                  [("A1", "SIP-möte", 0)])
    assign(db, c10["id"], w["karin"], local(11, 2, 8))
    return world

