"""Fixtures of the supervision tests: the API clients of tests/api, and a concern of 甲村
driven to a resolved result under supervision (接受监督)."""
import pytest

from helpers import drive, register
from huiying.concerns.models import State
from api.conftest import _default_language, api  # noqa: F401


@pytest.fixture
def finished(network, now):
    """A dispute received at 甲村, resolved: under supervision, ready to be rated."""
    c = register(network, actor=network.village_clerk, summary="灌溉水渠堵塞")
    return drive(network, c, State.SUPERVISION)
