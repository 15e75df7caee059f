"""Deviation reports (avvikelser) are their author's and the supervisors' of the author's
team (`rules.READ_DEVIATIONS`, `WRITE_DEVIATIONS`), as parked items are: never the client's
other workers, another team's supervisor, or an admin. The pure rule here; the scopes a pull
gets from it in `test_access_matrix.py`."""

import pytest

from server.security import rules
from server.security.rules import Worker, allowed
from tests.server.security.test_rules import EVERYONE, T1, T2


@pytest.mark.parametrize("action", [rules.READ_DEVIATIONS, rules.WRITE_DEVIATIONS])
def test_a_workers_deviations_are_theirs_and_their_teams_supervisors(action):
    assert [s.id for s in EVERYONE if allowed(s, action, Worker("anna", T1))] == ["anna", "sara", "unit"]
    assert [s.id for s in EVERYONE if allowed(s, action, Worker("dan", T2))] == ["dan", "olle", "unit"]


def test_a_supervisors_own_deviations_are_theirs_and_not_another_teams_supervisors():
    assert [s.id for s in EVERYONE if allowed(s, rules.READ_DEVIATIONS, Worker("sara", T1))] == [
        "sara", "unit"]
