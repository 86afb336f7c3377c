import pytest
from django.apps import apps
from django.utils import translation
from rest_framework.test import APIClient

from huiying.api.tokens import api_token_create
from huiying.network.models import DutyShift

from helpers import snapshot


def snap() -> dict:
    """helpers.snapshot, plus the rows of rota and cadres and every shift as it is (a swap
    changes no count)."""
    s = snapshot()
    for label in ("rota", "cadres"):
        for model in apps.get_app_config(label).get_models():
            s[model._meta.label] = model._base_manager.count()
    s["shifts"] = sorted(DutyShift.objects.values_list("unit_id", "user_id", "day"))
    from huiying.cadres.models import CadreVisit, VisitConcern

    s["visits"] = sorted(CadreVisit.objects.values_list("pk", "status", "summary"))
    s["served"] = sorted(VisitConcern.objects.values_list("pk", "outcome"))
    return s


@pytest.fixture(autouse=True)
def _default_language():
    yield
    translation.deactivate()


@pytest.fixture
def api(network, now):
    """As tests/api/conftest.py: api("village_clerk") → a client with that user's token; api(None) → anonymous."""
    clients = {}

    def make(username):
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
