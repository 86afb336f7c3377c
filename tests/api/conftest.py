"""API test fixtures: a client per named user of the fixture network, signed in with an API
token of their own (so every request goes through token authentication)."""
import pytest
from django.utils import translation
from rest_framework.test import APIClient

from huiying.api.tokens import api_token_create
from helpers import register


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its Accept-Language in the thread and nothing switches it back:
    leave the default (Chinese) for the tests that follow."""
    yield
    translation.deactivate()


@pytest.fixture
def api(network, now):
    """api("village_clerk") → an APIClient acting as that user; api(None) → anonymous."""
    clients = {}

    def make(username: str | None) -> APIClient:
        if username not in clients:
            client = APIClient()
            if username is not None:
                _token, raw = api_token_create(actor=None, user=network.users[username])
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
            else:
                client.credentials(HTTP_ACCEPT_LANGUAGE="en")
            clients[username] = client
        return clients[username]

    return make


@pytest.fixture
def concern(network, now):
    """A dispute registered at 甲村 by its clerk."""
    return register(network, actor=network.village_clerk, summary="宅基地纠纷")
