"""The server speaks exactly the catalogue (`contract/mutations.json`): the same mutations,
each with the same kind, record, written fields and arguments; and the catalogue agrees with
itself. A mutator changed on the server alone, or an entry changed in the catalogue alone,
fails here (the phone's side is `pwa/test/contract.test.js`)."""

import pytest

import contract
from server.engine import LOADERS, build_mutators
from sync import protocol
from sync.mutators import Kind, MutationError
from sync.parked import ResolveMutator
from tests.contract.schemas import normalized, schema_spec

CATALOGUE = contract.catalogue()
MUTATORS = {m.name: m for m in [*build_mutators(), ResolveMutator(engine=None)]}


def test_the_server_accepts_exactly_the_mutations_of_the_catalogue():
    assert sorted(MUTATORS) == sorted(CATALOGUE["mutations"])


@pytest.mark.parametrize("name", sorted(CATALOGUE["mutations"]))
def test_each_mutator_has_the_catalogues_kind_record_and_written_fields(name):
    entry, mutator = CATALOGUE["mutations"][name], MUTATORS[name]
    assert mutator.kind is Kind(entry["kind"])
    assert mutator.record_type == entry["record"]
    assert list(mutator.writes) == entry.get("writes", [])
    id_arg = entry.get("record_id", "id")
    assert mutator.record_id({id_arg: "the-record", "id": "the-record" if id_arg == "id" else "other"}) \
        == "the-record"


@pytest.mark.parametrize("name", sorted(CATALOGUE["mutations"]))
def test_each_mutators_arguments_are_the_catalogues(name):
    assert schema_spec(MUTATORS[name].schema) == normalized(CATALOGUE["mutations"][name]["args"])


def test_a_schema_that_differs_from_its_entry_is_noticed():
    """The comparison sees a changed length, a lost enum and a field made optional."""
    args = normalized(CATALOGUE["mutations"]["visit.cancel"]["args"])
    spec = schema_spec(MUTATORS["visit.cancel"].schema)
    for changed in ({**args, "note": {**args["note"], "max": 500}},
                    {**args, "reason": {"type": "text", "required": True}},
                    {**args, "id": {"type": "uuid"}}):
        assert spec != changed


def test_every_enum_and_object_the_catalogue_names_exists():
    named = []
    for entry in [*CATALOGUE["mutations"].values(), *({"args": o} for o in CATALOGUE["objects"].values())]:
        for spec in entry["args"].values():
            if "enum" in spec:
                named.append(spec["enum"] in CATALOGUE["enums"])
            if "items" in spec:
                named.append(spec["items"] in CATALOGUE["objects"])
            if "items_enum" in spec:
                named.append(spec["items_enum"] in CATALOGUE["enums"])
    assert named and all(named)


def test_a_visits_longest_minutes_are_the_catalogues_visit_limit():
    longest = CATALOGUE["limits"]["visit_minutes_max"]
    for name in ("visit.log", "visit.complete"):
        assert CATALOGUE["mutations"][name]["args"]["minutes"]["max"] == longest


def test_a_contacts_longest_minutes_are_the_catalogues_contact_limit():
    assert CATALOGUE["mutations"]["contact.log"]["args"]["minutes"]["max"] == \
        CATALOGUE["limits"]["contact_minutes_max"]


def test_every_argument_is_of_a_type_both_sides_know():
    known = {"uuid", "instant", "date", "text", "integer", "boolean", "object", "list"}
    specs = [spec for entry in CATALOGUE["mutations"].values() for spec in entry["args"].values()]
    specs += [spec for fields_ in CATALOGUE["objects"].values() for spec in fields_.values()]
    assert {spec["type"] for spec in specs} <= known


def test_the_record_types_of_the_catalogue_are_the_ones_the_server_syncs():
    assert sorted(CATALOGUE["records"]) == sorted([*LOADERS, "parked"])
    assert {m["record"] for m in CATALOGUE["mutations"].values()} <= set(CATALOGUE["records"])


def test_each_field_role_serves_a_service_of_the_catalogue():
    from server.security.roles import FIELD_ROLES

    assert sorted(CATALOGUE["role_services"]) == sorted(FIELD_ROLES)
    assert set(CATALOGUE["role_services"].values()) == set(CATALOGUE["enums"]["service"])


def test_the_push_limit_is_the_catalogues():
    assert protocol.MAX_MUTATIONS_PER_PUSH == CATALOGUE["limits"]["mutations_per_push"]
    assert (protocol.DEFAULT_PULL_LIMIT, protocol.MAX_PULL_LIMIT) == (
        CATALOGUE["limits"]["pull_limit_default"], CATALOGUE["limits"]["pull_limit_max"])


@pytest.mark.parametrize("name", sorted(CATALOGUE["mutations"]))
def test_arguments_the_catalogue_calls_wrong_are_refused_by_the_server(name):
    """Each required argument missing, and each enum given a value outside it: a validation
    error naming that field."""
    entry, mutator = CATALOGUE["mutations"][name], MUTATORS[name]
    for arg, spec in entry["args"].items():
        if spec.get("required"):
            with pytest.raises(MutationError) as missing:
                mutator.parse({})
            assert missing.value.code == protocol.VALIDATION and arg in missing.value.fields
        if "enum" in spec:
            with pytest.raises(MutationError) as outside:
                mutator.parse({arg: "not-in-the-enum"})
            assert arg in outside.value.fields
