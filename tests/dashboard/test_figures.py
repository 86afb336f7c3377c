"""Every figure of the dashboard against the test's own ledger (conftest.History), at every
level, whole months (the tally) and odd days (the concerns) alike."""
import datetime as dt
from collections import Counter

import pytest

from huiying.concerns.models import Channel, Function, Track
from huiying.dashboard import selectors
from huiying.dashboard.periods import Period, split

from .conftest import TODAY

KEYS = ("concerns", "resolved", "pending", "other", "overdue")


def as_dict(counts):
    return {k: getattr(counts, k) for k in KEYS}


def units(n):
    return [n.county, n.township, n.other_township, n.village, n.other_village, n.far_village, n.point]


def test_totals_at_every_level(history, network):
    for unit in units(network):
        d = selectors.dashboard(network.county_commander, unit, today=TODAY)
        assert as_dict(d["totals"]) == history.counts(unit), unit.name
        assert d["visitors"] == history.visitors_in(unit)


def test_known_figures_of_the_fixture(history, network):
    # Written out once, so a wrong ledger cannot agree with a wrong dashboard by accident.
    d = selectors.dashboard(network.county_commander, network.county, today=TODAY)
    assert as_dict(d["totals"]) == {"concerns": 13, "resolved": 4, "pending": 7, "other": 2, "overdue": 1}
    assert d["visitors"] == 3 and d["visits"] == 1


def test_identity_and_children_at_every_drill_down_level(history, network):
    for unit in units(network):
        d = selectors.dashboard(network.county_commander, unit, today=TODAY)
        t = d["totals"]
        assert t.concerns == t.resolved + t.pending + t.other
        summed = {k: 0 for k in KEYS}
        for row in d["children"]:
            c = row["counts"]
            assert c.concerns == c.resolved + c.pending + c.other, row["unit"].name
            expected = history.counts(unit, here=True) if row["own"] else history.counts(row["unit"])
            assert as_dict(c) == expected, row["unit"].name
            for k in KEYS:
                summed[k] += getattr(c, k)
        if d["children"]:
            assert summed == as_dict(t), unit.name


def test_children_are_the_next_level_down(history, network):
    n = network
    names = lambda unit: [r["unit"].name for r in selectors.dashboard(n.county_commander, unit, today=TODAY)["children"] if not r["own"]]
    assert names(n.county) == ["城中镇", "明江镇"]  # the department is not a tier
    assert names(n.township) == ["甲村", "乙村"]
    assert names(n.village) == ["甲一屯回应点"]
    assert names(n.point) == []


@pytest.mark.parametrize("attr,choices", [("function", Function), ("track", Track), ("channel", Channel)])
def test_breakdowns(history, network, attr, choices):
    for unit in (network.county, network.township, network.village):
        d = selectors.dashboard(network.county_commander, unit, today=TODAY)
        expected = Counter(getattr(e.concern, attr) for e in history.entries(unit))
        got = {r["key"]: r["counts"].concerns for r in d["by_" + attr]}
        assert got == {c.value: expected.get(c.value, 0) for c in choices}
        for r in d["by_" + attr]:
            c = r["counts"]
            assert c.concerns == c.resolved + c.pending + c.other


def test_monthly_trend(history, network):
    d = selectors.dashboard(network.county_commander, network.county, today=TODAY)
    assert [r["month"] for r in d["by_month"]] == [dt.date(2026, m, 1) for m in range(1, 13)]
    expected = Counter(e.concern.received_at.astimezone(dt.timezone(dt.timedelta(hours=8))).month for e in history.entries(network.county))
    assert {r["month"].month: r["counts"].concerns for r in d["by_month"]} == {m: expected.get(m, 0) for m in range(1, 13)}


def test_staff_by_level(history, network):
    d = selectors.dashboard(network.county_commander, network.county, today=TODAY)
    # commander; 2 center staff; 4 village clerks; 1 hamlet clerk; 1 liaison (supervisor and admin are not staff)
    assert d["staff"] == {"county": 1, "township": 2, "village": 4, "hamlet": 1, "department": 1}


@pytest.mark.parametrize("start,end", [
    (dt.date(2026, 1, 3), dt.date(2026, 3, 11)),   # odd days at the start, whole February, odd days at the end
    (dt.date(2026, 1, 5), dt.date(2026, 1, 5)),    # one day
    (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),   # one whole month
    (dt.date(2025, 12, 1), dt.date(2026, 3, 31)),  # across the year
])
def test_custom_periods_mix_tally_and_direct_counts(history, network, start, end):
    tz = dt.timezone(dt.timedelta(hours=8))
    for unit in (network.county, network.township, network.point):
        d = selectors.dashboard(network.county_commander, unit, start=start, end=end, today=TODAY)
        es = [e for y in (2025, 2026) for e in history.entries(unit, year=y) if start <= e.concern.received_at.astimezone(tz).date() <= end]
        assert d["totals"].concerns == len(es)
        assert d["totals"].pending == sum(e.cls == "pending" for e in es)
        assert d["totals"].overdue == sum(e.overdue for e in es)


def test_period_split():
    assert split(Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == ((dt.date(2026, 1, 1), dt.date(2026, 12, 1)), [])
    assert split(Period(dt.date(2026, 1, 3), dt.date(2026, 3, 11))) == (
        (dt.date(2026, 2, 1), dt.date(2026, 2, 1)), [(dt.date(2026, 1, 3), dt.date(2026, 1, 31)), (dt.date(2026, 3, 1), dt.date(2026, 3, 11))])
    assert split(Period(dt.date(2026, 1, 3), dt.date(2026, 1, 20))) == (None, [(dt.date(2026, 1, 3), dt.date(2026, 1, 20))])


def test_the_past_12_months_are_whole_calendar_months():
    from huiying.dashboard.periods import PAST_YEAR, period_of

    assert period_of(PAST_YEAR, dt.date(2026, 3, 11)) == Period(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    assert period_of(PAST_YEAR, dt.date(2024, 2, 29)) == Period(dt.date(2023, 3, 1), dt.date(2024, 2, 29))
    assert split(period_of(PAST_YEAR, dt.date(2026, 12, 2)))[1] == []  # all from the tally


def test_tables_contract(history, network):
    tables = selectors.dashboard_tables(network.county_commander, network.county, start=None, end=None, today=TODAY)
    assert all(isinstance(t, selectors.Table) and t.title and t.columns for t in tables)
    first = tables[0]
    assert first.rows == [[3, 13, 4, 7, 2, 1]]
    by_unit = tables[1]
    assert [r[0] for r in by_unit.rows] == ["城中镇", "明江镇", "测试县（本级受理）"]
    assert all(len(r) == len(t.columns) for t in tables for r in t.rows)
