"""The three rates computed by hand on a small fixture and compared exactly; the too-few
threshold; grouped results equal the per-unit ones.

The fixture (period: March 2026; the rates are read on 1 April 2026; disputes, limit 10
working days; weights villager 1, supervisor 3; points 2/1/0; minimum 2 concerns, 3 rated):

甲村 (village station, its point 甲一屯回应点 included):
  A  received 2 Mar at 甲村, due 16 Mar, resolved 5 Mar.      villager: satisfied; supervisor: basic
  B  received 2 Mar at 甲村, due 16 Mar, resolved 20 Mar (late). supervisor: dissatisfied
  C  received 3 Mar at the point, due 17 Mar, still pending (past due; flagged by the tick)
  D  received 10 Mar at 甲村, withdrawn 11 Mar (closed without resolution, in time)
  E  received 25 Mar at the point, due 9 Apr (Qingming on 6 Apr), still pending (within its limit)
  G  received 4 Mar at 甲村, resolved 6 Mar; villager dissatisfied → reopened, due 20 Mar;
     resolved again 12 Mar. villager (round 1): satisfied; supervisor (round 1): satisfied
  F  received 27 Feb (outside the period), resolved and rated: counts nowhere
乙村: H received 5 Mar, resolved 6 Mar, villager satisfied.
城中镇 itself: T received 5 Mar at the township, pending, due 19 Mar (past due).
丙村 (明江镇): K received 5 Mar, resolved 6 Mar.

By hand, 甲村:
  response:   decided = A, B, C, D, G (E is within its limit) = 5; in time = A, D, G = 3 → 3/5
  resolution: resolved = A, B, G of 6 received → 3/6
  satisfaction: villagers A 2 + G0 0 + G1 2 = 4 of 6; supervisors A 1 + B 0 + G1 2 = 3 of 6;
              weighted 1·4 + 3·3 = 13 of 1·6 + 3·6 = 24 → 13/24; rated concerns A, B, G = 3
"""
import datetime as dt

import pytest
from django.utils import timezone

from helpers import act, drive, fresh, register
from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import clock
from huiying.supervision import rates
from huiying.supervision.rates import Rate
from huiying.supervision.services import supervision_rate

MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour))


def received(n, unit, when, summary):
    with clock.frozen(when):
        return register(n, unit=unit, actor=n.county_commander, summary=summary)


def resolve(n, c, when):
    with clock.frozen(when):
        return drive(n, c, State.SUPERVISION)


def villager_rates(n, c, rating, when):
    with clock.frozen(when):
        return act(cs.concern_rate, actor=n.county_commander, concern=c, rating=rating)


def supervisor_rates(n, c, rating, when):
    with clock.frozen(when):
        return supervision_rate(actor=n.supervisor, concern=fresh(c), rating=rating, comment="监督员意见")


@pytest.fixture
def fixture(network, settings):
    settings.HUIYING_SATISFACTION_WEIGHT_VILLAGER = 1
    settings.HUIYING_SATISFACTION_WEIGHT_SUPERVISOR = 3
    settings.HUIYING_SATISFACTION_POINTS = {"satisfied": 2, "basic": 1, "dissatisfied": 0}
    settings.HUIYING_RATES_MIN_CONCERNS = 2
    settings.HUIYING_RATES_MIN_RATED = 3
    n = network
    f = {}
    f["A"] = received(n, n.village, at(3, 2), "A")
    f["B"] = received(n, n.village, at(3, 2), "B")
    f["C"] = received(n, n.point, at(3, 3), "C")
    f["G"] = received(n, n.village, at(3, 4), "G")
    f["D"] = received(n, n.village, at(3, 10), "D")
    f["E"] = received(n, n.point, at(3, 25), "E")
    f["F"] = received(n, n.village, at(2, 27), "F")
    f["H"] = received(n, n.other_village, at(3, 5), "H")
    f["T"] = received(n, n.township, at(3, 5), "T")
    f["K"] = received(n, n.far_village, at(3, 5), "K")
    assert [fresh(f[k]).due_date for k in "ABCE"] == [dt.date(2026, 3, 16), dt.date(2026, 3, 16), dt.date(2026, 3, 17), dt.date(2026, 4, 9)]

    resolve(n, f["A"], at(3, 5))
    villager_rates(n, f["A"], "satisfied", at(3, 6))
    supervisor_rates(n, f["A"], "basic", at(3, 6))
    resolve(n, f["B"], at(3, 20))
    supervisor_rates(n, f["B"], "dissatisfied", at(3, 21))
    with clock.frozen(at(3, 11)):
        act(cs.concern_close_unresolved, actor=n.county_commander, concern=f["D"], outcome="withdrawn", reason="村民撤回")
    resolve(n, f["G"], at(3, 6))
    villager_rates(n, f["G"], "dissatisfied", at(3, 6, 15))
    assert fresh(f["G"]).due_date == dt.date(2026, 3, 20) and fresh(f["G"]).reopen_count == 1
    resolve(n, f["G"], at(3, 12))
    villager_rates(n, f["G"], "satisfied", at(3, 13))
    supervisor_rates(n, f["G"], "satisfied", at(3, 13))
    resolve(n, f["F"], at(3, 2))
    villager_rates(n, f["F"], "dissatisfied", at(3, 3))
    resolve(n, f["H"], at(3, 6))
    villager_rates(n, f["H"], "satisfied", at(3, 7))
    resolve(n, f["K"], at(3, 6))
    # The deadline tick ran on 18 March: C is flagged overdue (B was resolved late, after it, unflagged).
    deadlines.tick(now=at(3, 18))
    assert fresh(f["C"]).overdue_since == dt.date(2026, 3, 18)
    with clock.frozen(at(4, 1)):
        yield f


def test_village_rates_by_hand(network, fixture):
    r = rates.unit_rates(network.village, **MARCH)
    assert r.response == Rate(3, 5, 3 / 5, False)
    assert r.resolution == Rate(3, 6, 3 / 6, False)
    assert r.satisfaction == Rate(13, 24, 13 / 24, False)
    assert r.rated_concerns == 3


def test_township_and_county_by_hand(network, fixture):
    # 城中镇 = 甲村 + 乙村 (H: in time, resolved, villager satisfied 2 of 2) + T (past due).
    r = rates.unit_rates(network.township, **MARCH)
    assert r.response == Rate(4, 7, 4 / 7, False)
    assert r.resolution == Rate(4, 8, 4 / 8, False)
    assert r.satisfaction == Rate(15, 26, 15 / 26, False)
    # The county adds 丙村's K: in time, resolved, not rated.
    r = rates.unit_rates(network.county, **MARCH)
    assert (r.response.numerator, r.response.denominator) == (5, 8)
    assert (r.resolution.numerator, r.resolution.denominator) == (5, 9)
    assert (r.satisfaction.numerator, r.satisfaction.denominator, r.rated_concerns) == (15, 26, 4)


def test_too_few(network, fixture, settings):
    # 乙村 has one concern, one rated: below both minimums — no percentage, counts kept.
    r = rates.unit_rates(network.other_village, **MARCH)
    assert r.resolution == Rate(1, 1, None, True)
    assert r.satisfaction == Rate(2, 2, None, True)
    settings.HUIYING_RATES_MIN_RATED = 4
    assert rates.unit_rates(network.village, **MARCH).satisfaction == Rate(13, 24, None, True)
    settings.HUIYING_RATES_MIN_RATED = 0
    empty = rates.unit_rates(network.village, start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    assert empty.satisfaction == Rate(0, 0, None, True) and empty.response == Rate(0, 0, None, True)


def test_grouped_equals_per_unit(network, fixture, django_assert_max_num_queries):
    n = network
    for root, level, expected in [
        (n.county, None, {n.township, n.other_township}),
        (n.township, None, {n.village, n.other_village}),
        (n.county, "village", {n.village, n.other_village, n.far_village}),
        (n.county, "hamlet", {n.point}),
        (n.village, None, {n.point}),
    ]:
        with django_assert_max_num_queries(4):
            grouped = rates.rates_by_unit(root, level=level, **MARCH)
        assert set(grouped) == {u.id for u in expected}
        for unit in expected:
            assert grouped[unit.id] == rates.unit_rates(unit, **MARCH), unit.name
    # The point alone: C (past due, not in time) and E (within its limit).
    point = rates.rates_by_unit(n.village, **MARCH)[n.point.id]
    assert (point.response.numerator, point.response.denominator, point.resolution.denominator) == (0, 1, 2)
    assert rates.rates_by_unit(n.point, **MARCH) == {}
    with pytest.raises(ValueError):
        rates.rates_by_unit(n.village, level="township", **MARCH)
