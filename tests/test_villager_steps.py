"""The villager acting themselves (no account): only transitions the table marks public,
under the same state, track and once-per-result rules as staff, recorded in the book."""
import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import ConcernRating, Rating, State
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import Forbidden
from huiying.records.models import RecordEntry

from helpers import act, drive, fresh, register


def test_only_rate_is_public():
    assert [a for a, t in TRANSITIONS.items() if t.public] == ["rate"]


def test_a_villager_rates_a_resolved_result_once(network, now):
    c = register(network, track="dispute", actor=network.village_clerk)
    c = drive(network, c, State.SUPERVISION)
    r = cs.concern_rate_by_villager(concern=c, version=fresh(c).version, rating=Rating.SATISFIED)
    assert r.recorded_by is None and r.rating == Rating.SATISFIED
    entry = RecordEntry.objects.filter(concern=c, action="concern.rate").get()
    assert entry.actor is None and entry.payload["by"] == "villager" and entry.unit_id == c.handling_unit_id
    with pytest.raises(Forbidden):
        cs.concern_rate_by_villager(concern=c, version=fresh(c).version, rating=Rating.SATISFIED)
    assert ConcernRating.objects.filter(concern=c).count() == 1


def test_a_dissatisfied_villager_reopens_it(network, now):
    c = drive(network, register(network, track="dispute", actor=network.village_clerk), State.SUPERVISION)
    cs.concern_rate_by_villager(concern=c, version=fresh(c).version, rating=Rating.DISSATISFIED, comment="没解决")
    c = fresh(c)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1


def test_a_villager_cannot_rate_an_open_concern_or_take_a_staff_step(network, now):
    c = register(network, track="dispute", actor=network.village_clerk)
    with pytest.raises(Forbidden):
        cs.concern_rate_by_villager(concern=c, version=fresh(c).version, rating=Rating.SATISFIED)
    from huiying.access import check_villager_action

    with pytest.raises(Forbidden):
        check_villager_action(fresh(c), "resolve")
    assert not ConcernRating.objects.exists()
