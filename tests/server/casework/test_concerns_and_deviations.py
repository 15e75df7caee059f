"""Concerns (`concern.add`) and deviations (`deviation.add`), `casework.md`, through the real
sync API: applied and pulled; sent again, the same answer and nothing more; about a client the
worker does not have, forbidden and parked; with arguments the catalogue refuses, rejected.

Who pulls them: a concern is the client's (its workers and the supervisors of its team, so it
reaches the supervisor's queue at the next sync); a deviation its author's and the author's
team's supervisors' only, not the client's other workers nor another team's supervisor."""

import pytest

from server.casework.retention import purge_client
from sync.engine import Engine
from sync.store import current_seq, write_transaction
from tests.factories import a_team, a_worker, assign
from tests.sync.pushing import ASSIGNED_SINCE, at, count, is_parked, login, new_id, version_of


def concern_args(client_id, **more) -> dict:
    return {"id": new_id(), "client_id": client_id, "category": "children",
            "text": "Barnen var ensamma hemma under besöket.", **more}


def deviation_args(client_id=None, **more) -> dict:
    return {"id": new_id(), "client_id": client_id, "category": "medication",
            "occurred_on": "2026-11-22", "text": "Dosetten var inte påfylld.", **more}


MUTATIONS = {"concern.add": ("concern", concern_args), "deviation.add": ("deviation", deviation_args)}
BAD = {"concern.add": [({"category": "gossip"}, "category"), ({"text": ""}, "text"),
                       ({"text": "   "}, "text")],
       "deviation.add": [({"category": "late_bus"}, "category"),
                         ({"occurred_on": "2026-11-22T10:00:00+01:00"}, "occurred_on"),
                         ({"occurred_on": "2026-11-24"}, "occurred_on"), ({"text": ""}, "text")]}


@pytest.fixture
def sara(db, team):
    return a_worker(db, team, role="supervisor", username="sara.sup")


@pytest.fixture
def saras_phone(client, sara):
    return login(client, sara["username"])


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_is_applied_and_its_record_pulled_with_its_author_and_time(phone, karin, olle, name):
    record_type, build = MUTATIONS[name]
    args = build(olle["id"])

    result = phone.push_one(phone.mutation(name, args, occurred_at=at("09:40")))

    assert result["status"] == "applied", result
    record = phone.record(record_type, args["id"])
    assert record["client_id"] == olle["id"] and record["category"] == args["category"]
    assert record["text"] == args["text"] and record["recorded_at"] == at("09:40")
    assert record[{"concern": "worker_id", "deviation": "author_id"}[record_type]] == karin["id"]


def test_a_deviation_may_name_no_client(phone):
    args = deviation_args(category="safety", text="Hissen i trapphuset stannade mellan våningar.")
    assert phone.push_one(phone.mutation("deviation.add", args))["status"] == "applied"
    assert phone.record("deviation", args["id"])["client_id"] is None


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_sent_again_gets_its_first_answer_and_changes_nothing(phone, olle, db, name):
    record_type, build = MUTATIONS[name]
    mutation = phone.mutation(name, build(olle["id"]))
    first = phone.push_one(mutation)
    seq = current_seq(db)

    assert phone.push_one(mutation) == first
    assert current_seq(db) == seq and count(db, f"{record_type}s") == 1


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_about_a_client_the_worker_does_not_have_is_forbidden_and_parked(phone, foreign, db, name):
    record_type, build = MUTATIONS[name]
    args = build(foreign["id"])

    result = phone.push_one(phone.mutation(name, args))

    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden", result
    assert is_parked(result) and version_of(db, record_type, args["id"]) is None


@pytest.mark.parametrize(("name", "wrong", "field"),
                         [(name, wrong, field) for name, cases in BAD.items() for wrong, field in cases])
def test_each_with_arguments_the_catalogue_refuses_is_rejected_and_parked(
        phone, olle, db, name, wrong, field):
    record_type, build = MUTATIONS[name]
    args = {**build(olle["id"]), **wrong}

    result = phone.push_one(phone.mutation(name, args, occurred_at=at("09:00", "2026-11-23")))

    assert result["status"] == "rejected" and result["error"]["code"] == "validation", result
    assert field in result["error"]["fields"] and is_parked(result)
    assert version_of(db, record_type, args["id"]) is None


@pytest.mark.parametrize("name", MUTATIONS)
def test_each_of_a_client_that_does_not_exist_is_not_found(phone, name):
    _, build = MUTATIONS[name]
    result = phone.push_one(phone.mutation(name, build(new_id())))
    assert result["status"] == "rejected" and result["error"]["code"] == "not_found", result


def test_a_concern_reaches_the_supervisor_of_the_clients_team_at_the_next_sync(phone, saras_phone, olle):
    args = concern_args(olle["id"], category="violence", text="Blåmärken på armarna.")
    assert saras_phone.records("concern") == []

    assert phone.push_one(phone.mutation("concern.add", args))["status"] == "applied"

    [seen] = saras_phone.records("concern")
    assert seen["id"] == args["id"] and seen["category"] == "violence"


def test_a_concern_is_not_seen_by_a_worker_of_another_client_nor_another_teams_supervisor(
        client, db, phone, bos_phone, olle):
    other_team = a_team(db, name="Team Annan")
    a_worker(db, other_team, role="supervisor", username="olof.sup")
    assert phone.push_one(phone.mutation("concern.add", concern_args(olle["id"])))["status"] == "applied"

    assert bos_phone.records("concern") == []
    assert login(client, "olof.sup").records("concern") == []


def test_a_deviation_is_seen_by_its_author_and_the_teams_supervisor_and_no_other_worker_of_the_client(
        client, db, team, phone, saras_phone, olle):
    lisa = a_worker(db, team, role="cm", username="lisa.cm")
    assign(db, olle["id"], lisa["id"], ASSIGNED_SINCE)
    other_team = a_team(db, name="Team Annan")
    a_worker(db, other_team, role="supervisor", username="olof.sup")
    args = deviation_args(olle["id"], category="lex_sarah", text="Lisa lämnade nyckeln i dörren.")

    assert phone.push_one(phone.mutation("deviation.add", args))["status"] == "applied"

    assert [d["id"] for d in phone.records("deviation")] == [args["id"]]
    assert [d["id"] for d in saras_phone.records("deviation")] == [args["id"]]
    lisas = login(client, "lisa.cm").pull()
    assert [c for c in lisas if c["type"] == "deviation"] == []
    assert "Lisa lämnade nyckeln" not in str(lisas)
    assert login(client, "olof.sup").records("deviation") == []


def test_a_deviation_refused_is_parked_where_only_its_author_and_the_supervisor_see_it(
        client, phone, saras_phone, bos_phone, foreign):
    args = deviation_args(foreign["id"], text="Hemlig avvikelse.")
    result = phone.push_one(phone.mutation("deviation.add", args))
    assert result["status"] == "rejected"

    assert [p["id"] for p in saras_phone.records("parked")] == [result["parked_id"]]
    assert "Hemlig avvikelse." not in str(bos_phone.pull())


def test_a_deviation_outlives_its_clients_retention_without_the_client(phone, olle, db):
    args = deviation_args(olle["id"])
    assert phone.push_one(phone.mutation("deviation.add", args))["status"] == "applied"
    assert phone.push_one(phone.mutation("concern.add", concern_args(olle["id"])))["status"] == "applied"

    with write_transaction(db):
        Engine.record(db, purge_client(db, olle["id"]))

    record = phone.record("deviation", args["id"])
    assert record["client_id"] is None and record["version"] == 2
    assert count(db, "concerns") == 0
