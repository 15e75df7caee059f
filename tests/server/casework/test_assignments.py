"""Assignments: caseloads, handovers and the caps (server/casework/assignments.py)."""

from datetime import timedelta

import pytest

from server.casework.assignments import AssignmentError, assign, caseload, unassign
from sync.store import write_transaction
from sync.times import utc_text
from tests.factories import a_client, a_team, a_worker


@pytest.fixture
def team(db):
    return a_team(db)


def _assign(db, client, worker, now, **kwargs):
    with write_transaction(db):
        return assign(db, client_id=client["id"], worker_id=worker["id"], now=now, **kwargs)


def _unassign(db, client, worker, now):
    with write_transaction(db):
        unassign(db, client_id=client["id"], worker_id=worker["id"], now=now)


def _assignment(db, assignment_id) -> dict:
    row = db.execute("SELECT client_id, worker_id, service, starts_at, ends_at FROM assignments "
                     "WHERE id = ?", [assignment_id]).fetchone()
    return dict(zip(("client_id", "worker_id", "service", "starts_at", "ends_at"), row,
                    strict=True))


def test_an_assigned_client_is_in_the_workers_caseload(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    assignment_id = _assign(db, client, worker, clock.now())
    assert caseload(db, worker["id"], clock.now()) == [client["id"]]
    assert _assignment(db, assignment_id) == {
        "client_id": client["id"], "worker_id": worker["id"], "service": "housing_support",
        "starts_at": utc_text(clock.now()), "ends_at": None}


def test_an_assignment_is_current_from_its_start_until_its_end(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    start = clock.now()
    _assign(db, client, worker, start)
    _unassign(db, client, worker, start + timedelta(days=7))
    assert caseload(db, worker["id"], start - timedelta(seconds=1)) == []
    assert caseload(db, worker["id"], start) == [client["id"]]
    assert caseload(db, worker["id"], start + timedelta(days=7, seconds=-1)) == [client["id"]]
    assert caseload(db, worker["id"], start + timedelta(days=7)) == []


def test_handover_ends_the_previous_assignment(db, team, clock):
    first, second = (a_worker(db, team, now=clock.now()) for _ in range(2))
    client = a_client(db, team)
    earlier = clock.now()
    previous = _assign(db, client, first, earlier)
    handover = earlier + timedelta(days=30)
    _assign(db, client, second, handover)
    assert _assignment(db, previous)["ends_at"] == utc_text(handover)
    assert caseload(db, first["id"], handover) == []
    assert caseload(db, second["id"], handover) == [client["id"]]
    # The period before the handover is kept: the first worker served the client then.
    assert caseload(db, first["id"], earlier + timedelta(days=1)) == [client["id"]]


def test_a_handover_leaves_the_other_services_assignment_alone(db, team, clock):
    support_worker = a_worker(db, team, now=clock.now())
    case_manager = a_worker(db, team, role="cm", now=clock.now())
    client = a_client(db, team, service="housing_support")
    support = _assign(db, client, support_worker, clock.now())
    _assign(db, client, case_manager, clock.now() + timedelta(days=1), service="cm")
    assert _assignment(db, support)["ends_at"] is None


def test_assigning_over_the_cap_is_refused(db, team, clock):
    case_manager = a_worker(db, team, role="cm", now=clock.now())
    for _ in range(10):
        _assign(db, a_client(db, team, service="cm"), case_manager, clock.now())
    with pytest.raises(AssignmentError, match="already has 10 clients"):
        _assign(db, a_client(db, team, service="cm"), case_manager, clock.now())
    assert len(caseload(db, case_manager["id"], clock.now())) == 10


def test_the_cap_is_the_one_given_for_the_role(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    caps = {"cm": 10, "support_worker": 1}
    _assign(db, a_client(db, team), worker, clock.now(), caps=caps)
    with pytest.raises(AssignmentError, match="already has 1 clients"):
        _assign(db, a_client(db, team), worker, clock.now(), caps=caps)


def test_ended_assignments_do_not_count_against_the_cap(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    caps = {"cm": 10, "support_worker": 1}
    old = a_client(db, team)
    _assign(db, old, worker, clock.now(), caps=caps)
    _unassign(db, old, worker, clock.now() + timedelta(hours=1))
    _assign(db, a_client(db, team), worker, clock.now() + timedelta(hours=2), caps=caps)


def test_a_role_and_service_mismatch_is_refused(db, team, clock):
    case_manager = a_worker(db, team, role="cm", now=clock.now())
    support_worker = a_worker(db, team, now=clock.now())
    with pytest.raises(AssignmentError, match="not in housing_support"):
        _assign(db, a_client(db, team, service="housing_support"), case_manager, clock.now())
    with pytest.raises(AssignmentError, match="not in cm"):
        _assign(db, a_client(db, team, service="cm"), support_worker, clock.now())


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisors_and_admins_cannot_be_assigned_clients(db, team, clock, role):
    worker = a_worker(db, team, role=role, now=clock.now())
    with pytest.raises(AssignmentError, match=f"a {role} cannot be assigned clients"):
        _assign(db, a_client(db, team), worker, clock.now())


def test_assigning_a_client_twice_to_the_same_worker_is_refused(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    _assign(db, client, worker, clock.now())
    with pytest.raises(AssignmentError, match="already assigned"):
        _assign(db, client, worker, clock.now() + timedelta(days=1))


def test_an_unknown_client_or_worker_is_refused_as_not_found(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    with pytest.raises(AssignmentError, match="no client") as error:
        _assign(db, {"id": "no-such-client"}, worker, clock.now())
    assert error.value.status == 404
    with pytest.raises(AssignmentError, match="no worker"):
        _assign(db, client, {"id": "no-such-worker"}, clock.now())


def test_unassigning_without_a_current_assignment_is_refused(db, team, clock):
    worker = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    with pytest.raises(AssignmentError, match="not assigned"):
        _unassign(db, client, worker, clock.now())
    _assign(db, client, worker, clock.now())
    _unassign(db, client, worker, clock.now() + timedelta(days=1))
    with pytest.raises(AssignmentError, match="not assigned"):
        _unassign(db, client, worker, clock.now() + timedelta(days=2))


def test_a_refused_assignment_changes_nothing(db, team, clock):
    first = a_worker(db, team, now=clock.now())
    second = a_worker(db, team, now=clock.now())
    client = a_client(db, team)
    _assign(db, client, first, clock.now())
    _assign(db, a_client(db, team), second, clock.now())
    # The cap refuses the handover: the first worker keeps the client.
    with pytest.raises(AssignmentError):
        _assign(db, client, second, clock.now() + timedelta(days=1),
                caps={"cm": 10, "support_worker": 1})
    assert caseload(db, first["id"], clock.now() + timedelta(days=1)) == [client["id"]]
