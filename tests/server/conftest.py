import pytest

from tests.server import fake_push


@pytest.fixture
def push_service():
    """The tests' own push service on 127.0.0.1 (decrypts every message, checks VAPID)."""
    service = fake_push.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
