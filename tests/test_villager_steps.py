"""The villager acting themselves (no account): only transitions the table marks public,
under the same state, track and once-per-result rules as staff, recorded in the book."""
import pytest

from huiying.concerns import services as cs
from huiying.concerns.models import ConcernRating, Rating, State
from huiying.concerns.workflow import TRANSITIONS
from huiying.core.errors import Forbidden, NotFound
from huiying.records.models import RecordEntry

from helpers import act, drive, fresh, register


def test_the_villager_may_rate_and_object_and_nothing_else():
    assert [a for a, t in TRANSITIONS.items() if t.public] == ["rate", "object"]


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


def test_a_villager_objects_to_a_posted_result_and_it_goes_back(network, now):
    c = drive(network, register(network, track="time_limited", actor=network.village_clerk), State.POSTED, actor=network.village_clerk)
    cs.concern_object_by_villager(concern=c, version=fresh(c).version, reason="结果不属实")
    c = fresh(c)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1
    entry = RecordEntry.objects.filter(concern=c, action="concern.object").get()
    assert entry.actor is None and entry.payload["by"] == "villager" and entry.payload["reason"] == "结果不属实"


def test_an_objection_needs_a_posted_result_and_a_reason(network, now):
    from huiying.core.errors import ServiceError

    c = drive(network, register(network, track="time_limited", actor=network.village_clerk), State.SUPERVISION, actor=network.village_clerk)
    with pytest.raises(Forbidden):
        cs.concern_object_by_villager(concern=c, version=fresh(c).version, reason="不属实")
    c = drive(network, c, State.POSTED, actor=network.village_clerk)
    with pytest.raises(ServiceError) as e:
        cs.concern_object_by_villager(concern=c, version=fresh(c).version, reason="  ")
    assert e.value.field == "reason" and fresh(c).state == State.POSTED


def test_the_township_sends_its_villages_result_back_and_nobody_else_does(network, now):
    n = network
    c = drive(n, register(n, track="dispute", actor=n.village_clerk), State.CLOSED, actor=n.village_clerk)
    for outsider in (n.village_clerk, n.other_township_staff, n.supervisor, n.hamlet_clerk):
        with pytest.raises((Forbidden, NotFound)):
            act(cs.concern_reopen, actor=outsider, concern=c, reason="复核")
    act(cs.concern_reopen, actor=n.township_staff, concern=c, reason="监督员不满意，复核退回")
    c = fresh(c)
    assert c.state == State.ON_SITE and c.outcome == "" and c.reopen_count == 1
    entry = RecordEntry.objects.filter(concern=c, action="concern.reopen").get()
    assert entry.actor == n.township_staff and entry.unit_id == n.township.id
