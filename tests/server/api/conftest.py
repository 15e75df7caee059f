"""The API tests' world is the push tests' (tests/sync/conftest.py): a support worker with
one client, and her phone."""

from tests.sync.conftest import phone, the_client, worker  # noqa: F401
