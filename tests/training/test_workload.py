"""Workload: per-staff counts and the busiest-30% share worked out by hand on a small
fixture, the least-loaded suggestion, and the pages per role."""
import datetime as dt
import math

import pytest

from huiying.concerns import services as cs
from huiying.core import clock
from huiying.network import services as net
from huiying.network.models import Level, Role
from huiying.stats import workload

from helpers import act, register

TODAY = dt.date(2026, 3, 11)
PERIOD = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}


@pytest.fixture
def steps(network, now):
    """甲村 has four staff (two more clerks than the named network) and these steps in March:

    张值班 village_clerk : registers A, B, C; assigns A          → 3 concerns (A, B, C)
    赵值班 village_clerk2: registers D, E; assigns C             → 3 concerns (C, D, E)
    c3                   : registers F                          → 1
    c4                   : nothing                              → 0
    county_commander     : assigns B (acting for the county HQ) → counts for the county, not 甲村
    a February registration by 张值班                           → outside the period
    a registration at 乙村 by its clerk                          → another unit
    the supervisor of 甲村 is not staff.
    """
    n = network
    n.c3 = net.staff_create(username="c3", full_name="甲丙", unit=n.village, role=Role.CLERK)
    n.c4 = net.staff_create(username="c4", full_name="甲丁", unit=n.village, role=Role.CLERK)
    with clock.frozen(clock.now() - dt.timedelta(days=30)):
        register(n, actor=n.village_clerk, summary="二月")
    a, b, c = (register(n, actor=n.village_clerk, summary=s) for s in "ABC")
    act(cs.concern_assign, actor=n.village_clerk, concern=a, handler=n.village_clerk2)
    d, e = (register(n, actor=n.village_clerk2, summary=s) for s in "DE")
    act(cs.concern_assign, actor=n.village_clerk2, concern=c, handler=n.village_clerk2)
    register(n, actor=n.c3, summary="F")
    act(cs.concern_assign, actor=n.county_commander, concern=b, handler=n.village_clerk)
    register(n, unit=n.other_village, actor=n.other_village_clerk, summary="乙")
    return n


def test_per_staff_counts_and_share_by_hand(steps):
    n = steps
    w = workload.unit_workload(n.village, start=PERIOD["start"], end=PERIOD["end"])
    counts = {s.user_id: s.handled for s in w.per_staff}
    assert counts == {n.village_clerk.id: 3, n.village_clerk2.id: 3, n.c3.id: 1, n.c4.id: 0}
    assert w.staff_count == 4 and w.handled_total == 7
    # ceil(0.3 × 4) = 2 busiest: 3 + 3 of 7.
    assert math.ceil(0.3 * 4) == w.top_count == 2
    assert w.top30_share == pytest.approx(6 / 7)
    assert [s.handled for s in w.per_staff] == [3, 3, 1, 0]
    assert w.per_staff[-1].name == "甲丁"


def test_period_bounds_are_days_included(steps):
    n = steps
    feb = workload.unit_workload(n.village, start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    assert {s.user_id: s.handled for s in feb.per_staff}[n.village_clerk.id] == 1
    assert feb.handled_total == 1 and feb.top30_share == pytest.approx(1.0)
    today_only = workload.unit_workload(n.village, start=TODAY, end=TODAY)
    assert today_only.handled_total == 7


def test_commander_step_counts_for_the_county(steps):
    n = steps
    county = workload.unit_workload(n.county, start=PERIOD["start"], end=PERIOD["end"])
    # The county HQ's staff: the commander only (the administrator is not staff).
    assert [(s.user_id, s.handled) for s in county.per_staff] == [(n.county_commander.id, 1)]
    assert county.top30_share is None  # one staff member: undefined


def test_undefined_when_nothing_handled(network, now):
    w = workload.unit_workload(network.far_village, start=PERIOD["start"], end=PERIOD["end"])
    assert w.staff_count == 1 and w.handled_total == 0 and w.top30_share is None
    empty = workload.unit_workload(network.village, start=PERIOD["start"], end=PERIOD["end"])
    assert empty.staff_count == 2 and empty.top30_share is None


def test_spread_over_villages_matches_unit_workload(steps, django_assert_max_num_queries):
    n = steps
    with django_assert_max_num_queries(3):
        spread = workload.workload_spread(n.township, **PERIOD)
    assert [r.unit.id for r in spread] == [n.village.id, n.other_village.id]
    for row in spread:
        single = workload.unit_workload(row.unit, **PERIOD)
        assert row.workload == single
    assert spread[1].workload.handled_total == 1
    county_default = workload.workload_spread(n.county, **PERIOD)
    assert [r.unit.id for r in county_default] == [n.township.id, n.other_township.id]
    villages = workload.workload_spread(n.county, level=Level.VILLAGE, **PERIOD)
    assert {r.unit.id for r in villages} == {n.village.id, n.other_village.id, n.far_village.id}
    depts = workload.workload_spread(n.county, level=Level.DEPARTMENT, **PERIOD)
    assert [r.unit.id for r in depts] == [n.department.id]


def test_least_loaded(steps):
    n = steps
    # Open concerns now: 赵值班 handles A and C (both in analysis), 张值班 handles B; c3, c4 none.
    loads = workload.open_loads([n.village_clerk.id, n.village_clerk2.id, n.c3.id, n.c4.id])
    assert loads == {n.village_clerk.id: 1, n.village_clerk2.id: 2, n.c3.id: 0, n.c4.id: 0}
    # c3 and c4 tie at 0: the lower id wins, always.
    assert workload.least_loaded(n.village) == n.c3
    assert workload.least_loaded(n.village, candidates=[n.village_clerk, n.village_clerk2]) == n.village_clerk
    assert workload.least_loaded(n.village, candidates=[]) is None


def test_assign_form_suggests_least_loaded(steps, login):
    n = steps
    concern = register(n, actor=n.village_clerk, summary="新的")
    c = login("village_clerk")
    r = c.get(f"/concerns/{concern.reference}/act/assign/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "甲丙（在办 0，建议）" in html
    assert "赵值班（在办 2）" in html and "张值班（在办 1）" in html
    assert f'value="{n.c3.id}" selected' in html


# --- pages ---------------------------------------------------------------------------

def _page(c, unit, **params):
    return c.get(f"/training/workload/{unit.pk}/", params)


def test_village_clerk_sees_own_unit_only(steps, login):
    n = steps
    c = login("village_clerk")
    r = _page(c, n.village, date_from="2026-03-01", date_to="2026-03-31")
    assert r.status_code == 200
    html = r.content.decode()
    assert "86%" in html  # 6/7
    assert f'data-staff="{n.c4.id}"' in html
    assert _page(c, n.township).status_code == 404
    assert _page(c, n.other_village).status_code == 404


def test_township_sees_its_villages(steps, login):
    n = steps
    c = login("township_staff")
    r = _page(c, n.township, date_from="2026-03-01", date_to="2026-03-31")
    assert r.status_code == 200
    html = r.content.decode()
    # Most concentrated first: 甲村 (86%) before 乙村 (one staff: undefined).
    assert html.index(f'data-unit="{n.village.id}"') < html.index(f'data-unit="{n.other_village.id}"')
    assert _page(c, n.village).status_code == 200
    assert _page(c, n.far_village).status_code == 404
    assert _page(c, n.county).status_code == 404


def test_county_sees_everything_and_sorts(steps, login):
    n = steps
    c = login("county_commander")
    r = _page(c, n.county, level="village", sort="handled", date_from="2026-03-01", date_to="2026-03-31")
    assert r.status_code == 200
    html = r.content.decode()
    for v in (n.village, n.other_village, n.far_village):
        assert f'data-unit="{v.id}"' in html
    assert html.index(f'data-unit="{n.village.id}"') < html.index(f'data-unit="{n.other_village.id}"') < html.index(f'data-unit="{n.far_village.id}"')
    assert _page(c, n.far_village).status_code == 200
    # The home page links the spread; the unit page links the workload.
    assert f"/training/workload/{n.county.pk}/" in c.get("/").content.decode()
    assert f"/training/workload/{n.county.pk}/" in c.get(f"/units/{n.county.pk}/").content.decode()


def test_supervisor_and_other_county_not_found(steps, login, client):
    n = steps
    c = login("supervisor")
    assert _page(c, n.village).status_code == 404
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    net.staff_create(username="neighbour", full_name="邻指挥", unit=other, role=Role.COMMANDER)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="neighbour"))
    assert client.get(f"/training/workload/{n.village.pk}/").status_code == 404
    assert client.get(f"/training/workload/{other.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/training/workload/{n.village.pk}/").status_code == 302
