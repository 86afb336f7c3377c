"""Fixtures for the villager's own channels: a clean abuse cache per test, no minimum fill-in
time (tests are faster than people), and a helper that answers a form's challenge."""
import re

import pytest
from django.core.cache import caches
from django.utils import translation

from huiying.selfservice import abuse


@pytest.fixture(autouse=True)
def _abuse(settings):
    settings.HUIYING_ABUSE_MIN_SECONDS = 0
    caches[abuse.CACHE].clear()
    yield
    caches[abuse.CACHE].clear()
    translation.deactivate()


def challenge_of(html: str) -> tuple[str, str]:
    """The challenge token a page's form carries, and the right answer to it."""
    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    a, b, _age = abuse._signed_numbers(token)
    return token, str(a + b)


def solved(client, url: str, data: dict) -> dict:
    """`data` plus a right answer to the challenge of the form at `url`."""
    token, answer = challenge_of(client.get(url).content.decode())
    return {**data, "challenge": token, "answer": answer}
