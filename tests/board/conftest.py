"""Fixtures of the board tests: the API clients of tests/api, and concerns under supervision."""
import datetime as dt

import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import State
from helpers import act, drive, fresh, register

from api.conftest import _default_language, api  # noqa: F401


def resolved(n, *, unit=None, summary="修路问题", result="已修好", villagers=(), hamlet=None, track="time_limited", details=""):
    """A concern of `unit` (default 甲村) under supervision with `result`."""
    unit = unit or n.village
    c = register(n, unit=unit, track=track, summary=summary, villagers=villagers, hamlet=hamlet, details=details)
    c = drive(n, c, State.ON_SITE)
    return act(cs.concern_resolve, actor=n.county_commander, concern=c, result=result)


@pytest.fixture
def today(now):
    return now.date()


@pytest.fixture
def posted(network, now, today):
    """A batch at 甲村 with two results, posted today for 7 days, objections for 5."""
    from huiying.board.services import board_batch_post

    a = resolved(network, summary="村道坑洼", result="已组织修补村道")
    b = resolved(network, summary="路灯不亮", result="已更换路灯")
    batch = board_batch_post(actor=network.village_clerk, unit=network.village, concerns=[fresh(a), fresh(b)],
                             period_start=today, period_end=today + dt.timedelta(days=7), objection_until=today + dt.timedelta(days=5))
    return batch


@pytest.fixture(autouse=True)
def _fresh_abuse_counts(settings):
    """Public forms count attempts per client in the "abuse" cache: start each test at zero,
    and let a test send a form back at once (people need HUIYING_ABUSE_MIN_SECONDS)."""
    from django.core.cache import caches

    settings.HUIYING_ABUSE_MIN_SECONDS = 0
    caches["abuse"].clear()
    yield
    caches["abuse"].clear()


def solve(html: str) -> dict:
    """The challenge fields of a public form page, answered."""
    import re

    from huiying.selfservice import abuse

    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    a, b, _age = abuse._signed_numbers(token)
    return {"challenge": token, "answer": str(a + b), "website": ""}
