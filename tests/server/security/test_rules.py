"""The access rules in one place (`server/security/rules.py`): one pure decision, tested
for every role against every relation (whose client, which team, whose records), and its
properties over any facts (Hypothesis)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.security import roles, rules
from server.security.rules import Client, Cover, Subject, Team, Worker, allowed

T1, T2, T3 = "team-1", "team-2", "team-3"

# Team 1: Anna (cm) has c1 and covers for Bo, who has c2; Cia (boendestöd) has c3.
# Team 2: Dan has c4. c5 is registered to team 1 and served by team 2's Dan as well.
# c6 is registered to no team and served by nobody.
ANNA = Subject(id="anna", role=roles.CM, team_id=T1, assigned=frozenset({"c1"}),
               covered=frozenset({"c2"}))
CIA = Subject(id="cia", role=roles.SUPPORT_WORKER, team_id=T1, assigned=frozenset({"c3"}))
DAN = Subject(id="dan", role=roles.SUPPORT_WORKER, team_id=T2, assigned=frozenset({"c4", "c5"}))
SARA = Subject(id="sara", role=roles.SUPERVISOR, team_id=T1, led_teams=frozenset({T1}))
OLLE = Subject(id="olle", role=roles.SUPERVISOR, team_id=T2, led_teams=frozenset({T2}))
UNIT = Subject(id="unit", role=roles.SUPERVISOR, team_id=T1, led_teams=frozenset({T1, T2}))
ADMIN = Subject(id="admin", role=roles.ADMIN)
# A supervisor without a team leads nothing, whatever the rows say.
LOOSE = Subject(id="loose", role=roles.SUPERVISOR, team_id=None, led_teams=frozenset({T1}))

CLIENTS = {
    "c1": Client("c1", T1, frozenset({T1})),
    "c2": Client("c2", T1, frozenset({T1})),
    "c3": Client("c3", T1, frozenset({T1})),
    "c4": Client("c4", T2, frozenset({T2})),
    "c5": Client("c5", T1, frozenset({T2})),
    "c6": Client("c6", None, frozenset()),
}
EVERYONE = (ANNA, CIA, DAN, SARA, OLLE, UNIT, ADMIN, LOOSE)


def readable(subject, action=rules.READ_CLIENT) -> set[str]:
    return {cid for cid, client in CLIENTS.items() if allowed(subject, action, client)}


@pytest.mark.parametrize(("subject", "expected"), [
    (ANNA, {"c1", "c2"}),  # her own, and Bo's while she covers
    (CIA, {"c3"}),
    (DAN, {"c4", "c5"}),
    (SARA, {"c1", "c2", "c3", "c5"}),  # registered to her team or served by it
    (OLLE, {"c4", "c5"}),  # c5: served by his team's Dan
    (UNIT, {"c1", "c2", "c3", "c4", "c5"}),
    (ADMIN, set()),
    (LOOSE, set()),
], ids=lambda v: v.id if isinstance(v, Subject) else None)
def test_who_reads_and_writes_which_client(subject, expected):
    assert readable(subject) == expected
    assert readable(subject, rules.WRITE_CLIENT) == expected


@pytest.mark.parametrize(("subject", "expected"), [
    (ANNA, set()), (CIA, set()), (DAN, set()), (ADMIN, set()), (LOOSE, set()),
    (SARA, {"c1", "c2", "c3", "c5"}), (OLLE, {"c4", "c5"}), (UNIT, {"c1", "c2", "c3", "c4", "c5"}),
], ids=lambda v: v.id if isinstance(v, Subject) else None)
def test_only_the_supervisor_of_a_clients_team_reads_who_has_read_its_records(subject, expected):
    assert readable(subject, rules.READ_ACCESS_LOG) == expected


@pytest.mark.parametrize("subject", EVERYONE, ids=lambda s: s.id)
def test_private_records_are_their_authors_alone_even_for_their_supervisor(subject):
    for owner in ("anna", "sara", "admin"):
        expected = subject.id == owner
        assert allowed(subject, rules.READ_PRIVATE, Worker(owner, T1)) is expected
        assert allowed(subject, rules.WRITE_PRIVATE, Worker(owner, T1)) is expected


def test_parked_items_are_their_authors_and_the_supervisors_of_the_authors_team():
    annas = Worker("anna", T1)
    assert [s.id for s in EVERYONE if allowed(s, rules.READ_PARKED, annas)] == ["anna", "sara", "unit"]
    assert [s.id for s in EVERYONE if allowed(s, rules.RESOLVE_PARKED, annas)] == ["anna", "sara", "unit"]


def test_a_device_is_managed_by_the_supervisor_of_its_workers_team_or_an_admin():
    dans = Worker("dan", T2)
    assert [s.id for s in EVERYONE if allowed(s, rules.MANAGE_DEVICE, dans)] == ["olle", "unit", "admin"]
    teamless = Worker("nobody", None)
    assert [s.id for s in EVERYONE if allowed(s, rules.MANAGE_DEVICE, teamless)] == ["admin"]


@pytest.mark.parametrize("action", rules.TEAM_ACTIONS)
def test_a_teams_dashboards_reports_and_caseloads_are_its_supervisors_alone(action):
    assert [s.id for s in EVERYONE if allowed(s, action, Team(T1))] == ["sara", "unit"]
    assert [s.id for s in EVERYONE if allowed(s, action, Team(T3))] == []
    assert [s.id for s in EVERYONE if allowed(s, action, Team(None))] == []


def test_cover_is_granted_by_the_supervisor_of_both_workers_teams():
    within = Cover(absent=Worker("bo", T1), covering=Worker("anna", T1))
    across = Cover(absent=Worker("bo", T1), covering=Worker("dan", T2))
    assert [s.id for s in EVERYONE if allowed(s, rules.GRANT_COVER, within)] == ["sara", "unit"]
    assert [s.id for s in EVERYONE if allowed(s, rules.GRANT_COVER, across)] == ["unit"]


def test_every_action_has_a_rule_and_a_refusal_and_a_wrong_target_is_an_error():
    assert set(rules.RULES) == set(rules.REFUSALS)
    with pytest.raises(TypeError):
        allowed(SARA, rules.READ_CLIENT, Team(T1))
    with pytest.raises(KeyError):
        allowed(SARA, "read_everything", Team(T1))


# --- properties over any facts ------------------------------------------------------------

teams = st.sampled_from([None, T1, T2, T3])
client_ids = st.sampled_from(["c1", "c2", "c3", "c4"])
subjects = st.builds(
    Subject, id=st.sampled_from(["anna", "sara", "admin"]), role=st.sampled_from(roles.ROLES),
    team_id=teams, led_teams=st.frozensets(st.sampled_from([T1, T2, T3])),
    assigned=st.frozensets(client_ids), covered=st.frozensets(client_ids))
clients = st.builds(Client, id=client_ids, team_id=teams,
                    worker_teams=st.frozensets(st.sampled_from([T1, T2, T3])))


@given(subjects, clients)
def test_writing_a_client_follows_reading_it(subject, client):
    assert allowed(subject, rules.WRITE_CLIENT, client) == allowed(subject, rules.READ_CLIENT, client)


@given(subjects, clients)
def test_a_field_worker_reaches_exactly_their_caseload_and_cover_whatever_the_teams(subject, client):
    if roles.has_caseload(subject.as_user()):
        assert allowed(subject, rules.READ_CLIENT, client) == (
            client.id in subject.assigned | subject.covered)
        assert not allowed(subject, rules.READ_ACCESS_LOG, client)


@given(subjects, clients)
def test_an_admin_never_reads_client_data(subject, client):
    if subject.role == roles.ADMIN:
        assert not allowed(subject, rules.READ_CLIENT, client)
        assert not allowed(subject, rules.READ_ACCESS_LOG, client)


@given(subjects, clients)
def test_a_supervisor_reads_by_team_alone_and_reads_the_log_of_what_they_may_read(subject, client):
    if subject.role == roles.SUPERVISOR:
        by_team = subject.team_id is not None and bool(
            ({client.team_id} | client.worker_teams) & subject.led_teams)
        assert allowed(subject, rules.READ_CLIENT, client) == by_team
        assert allowed(subject, rules.READ_ACCESS_LOG, client) == by_team
