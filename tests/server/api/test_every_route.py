"""Every route of the OpenAPI spec, driven with generated bodies, hostile ones included
(schemathesis: valid and invalid bodies, query strings and path parameters, as the spec
describes them), against the app over WSGI with a valid token of a team's supervisor: never
a server error, and every answer in the shape the spec gives for its status (the error
shape included: `reason`, `wipe`).

Bounded for `make test`: a few examples per route, no deadline. Each example gets a fresh
token (made without a password check), so a generated logout or token rotation does not
leave the following examples without one.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from server import create_app
from server.security.devices import start_session
from sync.store import write_transaction
from tests.factories import a_client, a_worker, assign
from tests.server.reminding import push_settings
from tests.sync.pushing import ASSIGNED_SINCE

EXAMPLES_PER_ROUTE = 12


@pytest.fixture
def world(data_dir, clock, db, team):
    """A team with its supervisor, a worker and the worker's client, on a server with push
    on (push off answers its routes `503 push_disabled` by design)."""
    lead = a_worker(db, team, role="supervisor", username="sara.lead")
    worker = a_worker(db, team, username="anna.andersson")
    person = a_client(db, team)
    assign(db, person["id"], worker["id"], ASSIGNED_SINCE)
    app = create_app(push_settings(data_dir), clock)
    return {"app": app, "lead": lead, "db": db, "clock": clock}


@pytest.fixture
def api_schema(world):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", world["app"])


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32's lazy schema renames the test node through `_nodeid`, which pytest
    9.2 no longer has: give it one (pytest reads `nodeid`, so reporting is unchanged)."""
    request.node._nodeid = request.node.nodeid


def a_token(world) -> str:
    with write_transaction(world["db"]):
        return start_session(world["db"], world["lead"]["id"], device_name="Schemathesis",
                             device_id=None, now=world["clock"].now())["token"]


def test_the_error_schema_of_the_spec_documents_reason_and_wipe(world):
    spec = world["app"].test_client().get("/api/openapi.json").get_json()

    error = spec["components"]["schemas"]["Error"]["properties"]

    assert {"code", "status", "message", "errors", "reason", "wipe"} <= set(error)


def test_every_route_documents_the_answer_it_gives_on_success(world):
    spec = world["app"].test_client().get("/api/openapi.json").get_json()

    # A 3xx is the success of a browser's navigation (the login through an identity provider).
    undocumented = [f"{method.upper()} {path}" for path, item in spec["paths"].items()
                    for method, operation in item.items() if isinstance(operation, dict)
                    if not any(code.startswith(("2", "3")) for code in operation["responses"])]

    assert undocumented == []


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES_PER_ROUTE, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_route_answers_a_server_error_or_outside_its_documented_shape(case, world):
    # Over WSGI nothing decodes a compressed answer, and schemathesis asks for gzip:
    # identity keeps the answer readable here (tests/server/test_compression.py covers it).
    case.call_and_validate(headers={"Authorization": f"Bearer {a_token(world)}",
                                    "Accept-Encoding": "identity"},
                           checks=[not_a_server_error, response_schema_conformance])
