"""The teams a supervisor leads: their own, and for a unit manager more; what they see
follows (sync scopes), and a request about a team they do not lead is refused."""

import pytest

from server.security import roles
from server.security.access import Access
from server.security.teams import lead_team, led_team_ids, led_teams, team_for
from sync.errors import Problem
from sync.store import write_transaction
from tests.factories import LONG_AGO, a_client, a_team, a_worker, assign


def test_a_new_supervisor_leads_their_own_team(db, team):
    lead = a_worker(db, team, role="supervisor")
    assert led_team_ids(db, lead) == [team]


def test_a_unit_manager_leads_several_teams_their_own_first_and_sees_the_clients_of_each(db, clock):
    home, other, foreign = a_team(db, name="Team B"), a_team(db, name="Team A"), a_team(db, name="Team C")
    manager = a_worker(db, home, role="supervisor")
    with write_transaction(db):
        lead_team(db, manager["id"], other)
        lead_team(db, manager["id"], other)  # again: nothing new
    assert led_team_ids(db, manager) == [home, other]
    assert [t["name"] for t in led_teams(db, manager)] == ["Team B", "Team A"]
    worker = a_worker(db, other)
    theirs, not_theirs = a_client(db, other), a_client(db, foreign)
    assign(db, theirs["id"], worker["id"], LONG_AGO)
    scopes = Access().read_scopes(db, manager, clock.now())
    assert f"client:{theirs['id']}" in scopes and f"client:{not_theirs['id']}" not in scopes
    assert f"parked:{worker['id']}" in scopes


def test_a_request_names_a_team_the_supervisor_leads_or_is_refused(db, team):
    lead = a_worker(db, team, role="supervisor")
    other = a_team(db, name="Team Annan")
    assert team_for(db, lead, roles.SEE_DASHBOARDS) == team
    assert team_for(db, lead, roles.SEE_DASHBOARDS, team) == team
    with pytest.raises(Problem) as refused:
        team_for(db, lead, roles.SEE_DASHBOARDS, other)
    assert (refused.value.status, refused.value.reason) == (403, "forbidden")


@pytest.mark.parametrize("role", ["cm", "support_worker", "admin"])
def test_no_other_role_leads_a_team(db, team, role):
    user = a_worker(db, team if role != "admin" else None, role=role)
    assert led_team_ids(db, user) == []
    with pytest.raises(Problem):
        team_for(db, user, roles.SEE_DASHBOARDS)
