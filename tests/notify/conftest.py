import pytest

from huiying.notify import backends

from api.conftest import _default_language, api  # noqa: F401  (API clients per named user; language reset)


@pytest.fixture
def outbox(settings):
    """Messages go to memory; the list of what was sent."""
    settings.HUIYING_NOTIFY_BACKEND = "memory"
    backends.outbox.clear()
    yield backends.outbox
    backends.outbox.clear()
