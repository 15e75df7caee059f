"""The hand-made team of the report and workload tests (`fixture.py`), as fixtures."""

import pytest

from tests.server.supervision import fixture
from tests.server.supervision.reporting import login


@pytest.fixture
def world(db, clock):
    """The hand-made team (`fixture.py`) on Monday 2 November 2026, 10:00."""
    clock.at = fixture.NOW
    return fixture.build(db)


@pytest.fixture
def sara(client, world):
    """The headers of Team Test's supervisor, Sara Lund."""
    return login(client, "fx.lead")
