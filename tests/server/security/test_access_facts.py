"""The database side of the access rules (`server/security/access.py`): the facts it gathers
for an instant, decided by the one rule, give the same answer as asking the rule about
every client there is, for every user, before, during and after assignments and a cover;
and the engine's scopes and write check are that answer."""

from datetime import datetime, timedelta

import pytest

from server.security import access, rules
from server.security.cover import grant
from sync.store import write_transaction
from sync.times import utc_text
from tests.conftest import STOCKHOLM
from tests.factories import a_client, a_team, a_worker, assign, end_assignment

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def world(db):
    """Two teams; clients registered to one and served across; a handover on Wednesday;
    Anna covers for Bo from Monday to the end of Thursday; a unit manager leads both."""
    north, south = a_team(db, name="Team Norr"), a_team(db, name="Team Söder")
    anna, bo = a_worker(db, north, username="anna"), a_worker(db, north, username="bo")
    dan = a_worker(db, south, username="dan")
    sara = a_worker(db, north, role="supervisor", username="sara")
    olle = a_worker(db, south, role="supervisor", username="olle")
    unit = a_worker(db, north, role="supervisor", username="unit")
    with write_transaction(db):
        db.execute("INSERT INTO team_leads (team_id, worker_id) VALUES (?, ?)", [south, unit["id"]])
    admin = a_worker(db, None, role="admin", username="admin")
    clients = {name: a_client(db, team, name=name) for name, team in (
        ("Ett", north), ("Två", north), ("Tre", south), ("Fyra", north), ("Fem", None))}
    long_ago = MONDAY - timedelta(days=200)
    assign(db, clients["Ett"]["id"], anna["id"], long_ago)
    assign(db, clients["Två"]["id"], bo["id"], long_ago, MONDAY + timedelta(days=2))  # to Wednesday
    assign(db, clients["Två"]["id"], dan["id"], MONDAY + timedelta(days=2))
    assign(db, clients["Tre"]["id"], dan["id"], long_ago)
    assign(db, clients["Fem"]["id"], bo["id"], long_ago)  # no team: served by Bo
    end_assignment(db, clients["Ett"]["id"], anna["id"], MONDAY + timedelta(days=10))
    with write_transaction(db):
        grant(db, user=None, absent_worker_id=bo["id"], covering_worker_id=anna["id"],
              until=(MONDAY + timedelta(days=3)).date(), now=MONDAY, zone=STOCKHOLM)
    users = [access.load_user(db, w["id"]) for w in (anna, bo, dan, sara, olle, unit, admin)]
    return {"users": users, "clients": clients}


INSTANTS = [MONDAY - timedelta(days=1), MONDAY + timedelta(hours=1), MONDAY + timedelta(days=2, hours=1),
            MONDAY + timedelta(days=4), MONDAY + timedelta(days=11)]


@pytest.mark.parametrize("at", INSTANTS, ids=lambda at: at.strftime("%a %d"))
def test_the_gathered_facts_allow_what_the_rule_allows_of_every_client(db, world, at):
    at_text = utc_text(at)
    every_client = access.client_facts(db, [c["id"] for c in world["clients"].values()], at_text)
    for user in world["users"]:
        subject = access.subject_of(db, user, at_text)
        for action in (rules.READ_CLIENT, rules.WRITE_CLIENT, rules.READ_ACCESS_LOG):
            brute = {cid for cid, c in every_client.items() if rules.allowed(subject, action, c)}
            assert access.visible_client_ids(db, user, at_text, action) == brute, (user["username"], action)


def test_the_engines_scopes_and_write_check_are_the_rules_answer(db, world):
    engine_access = access.Access()
    names = {c["id"]: name for name, c in world["clients"].items()}
    seen = {}
    for user in world["users"]:
        scopes = engine_access.read_scopes(db, user, MONDAY + timedelta(hours=1))
        seen[user["username"]] = sorted(names[s.split(":")[1]] for s in scopes if s.startswith("client:"))
        for client_id in names:
            assert engine_access.may_write(db, user, f"client:{client_id}", MONDAY + timedelta(hours=1)) == (
                f"client:{client_id}" in scopes)
    assert seen == {
        "anna": ["Ett", "Fem", "Två"],  # her own, and Bo's while she covers
        "bo": ["Fem", "Två"],
        "dan": ["Tre"],
        "sara": ["Ett", "Fem", "Fyra", "Två"],  # Fem: served by her team's Bo
        "olle": ["Tre"],
        "unit": ["Ett", "Fem", "Fyra", "Tre", "Två"],
        "admin": [],
    }


def test_a_supervisor_sees_the_parked_items_of_the_teams_workers_and_no_one_the_private_ones(db, world):
    by_name = {u["username"]: u for u in world["users"]}
    scopes = access.Access().read_scopes(db, by_name["sara"], MONDAY)
    parked = {s.split(":")[1] for s in scopes if s.startswith("parked:")}
    north = {u["id"] for u in world["users"] if u["team_id"] == by_name["sara"]["team_id"]}
    assert parked == north
    assert {s for s in scopes if s.startswith("worker:")} == {f"worker:{by_name['sara']['id']}"}
    assert not access.Access().may_write(db, by_name["sara"], f"worker:{by_name['anna']['id']}", MONDAY)
