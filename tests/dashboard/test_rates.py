"""The dashboard's three rates, counted from the tally, equal `huiying.supervision.rates`'
direct count over the concerns and ratings — for every level, the units below it, periods
with odd days at either end, and several "today"s (a pending concern's response is decided
when its due date passes) — after ratings of both kinds, a reopening and the overdue tick.
On SQLite and on PostgreSQL."""
import datetime as dt

import pytest

from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.core import clock
from huiying.dashboard import figures as fig
from huiying.dashboard import selectors
from huiying.dashboard.periods import Period
from huiying.supervision import rates as sr
from huiying.supervision import services as sv

from helpers import a_datetime, act, drive, register

from .conftest import TODAY


def rated_history(n, now):
    """More results to rate than the fixture's: villagers' and supervisors' ratings, one
    dissatisfied (reopened), and finished concerns late and on time."""
    for i, rating in enumerate(("satisfied", "basic", "satisfied", "dissatisfied")):
        c = drive(n, register(n, unit=n.village, received_at=a_datetime(dt.date(2026, 2, 3 + i))), "supervision")
        sv.supervision_rate(actor=n.supervisor, concern=c, rating=rating, comment="督导意见")
        if i % 2:
            act(cs.concern_rate, actor=n.county_commander, concern=c, rating="satisfied" if i == 1 else "dissatisfied")
    drive(n, register(n, unit=n.point, received_at=a_datetime(dt.date(2026, 1, 2))), "closed")
    # Flag what is overdue by a day in April: flagged pending concerns, later resolved late.
    with clock.frozen(now + dt.timedelta(days=40)):
        deadlines.tick()
        late = drive(n, register(n, unit=n.point, received_at=a_datetime(dt.date(2026, 1, 20))), "analysis")
    with clock.frozen(now + dt.timedelta(days=80)):
        deadlines.tick()
        drive(n, late, "supervision")


PERIODS = [
    (dt.date(2026, 1, 1), dt.date(2026, 3, 11)),   # the year so far (whole months and a part)
    (dt.date(2026, 1, 3), dt.date(2026, 2, 20)),   # odd days at both ends
    (dt.date(2025, 12, 1), dt.date(2026, 6, 30)),  # whole months only
]


def check_rates(n):
    units = (n.county, n.township, n.village, n.point, n.department)
    for today in (TODAY, TODAY + dt.timedelta(days=30), TODAY + dt.timedelta(days=120)):
        with clock.frozen(a_datetime(today)):
            for start, end in PERIODS:
                period = Period(start, end)
                for unit in units:
                    f = fig.unit_figures(unit, period, today=today)
                    assert f.rates() == sr.unit_rates(unit, start=start, end=end), (unit.name, today, start, end)
                    if unit.level in ("hamlet", "department"):
                        continue
                    below = sr.rates_by_unit(unit, start=start, end=end)
                    assert {uid: f.rates(uid) for uid in below} == below, (unit.name, today, start, end)


def test_rates_from_the_tally_equal_the_direct_count(history, network, now):
    n = network
    check_rates(n)
    rated_history(n, now)
    check_rates(n)
    # Something to rate and something late in every class, or the comparison proves little.
    r = fig.unit_figures(n.county, Period(*PERIODS[0]), today=TODAY + dt.timedelta(days=120)).rates()
    assert r.rated_concerns >= 5 and 0 < r.response.numerator < r.response.denominator
    assert 0 < r.satisfaction.numerator < r.satisfaction.denominator


def test_the_page_the_api_and_the_export_show_the_same_rates(history, network, now):
    rated_history(network, now)
    d = selectors.dashboard(network.county_commander, network.county, start=dt.date(2026, 1, 1), end=TODAY, today=TODAY)
    direct = sr.unit_rates(network.county, start=dt.date(2026, 1, 1), end=TODAY)
    shown = {r["key"]: (r["numerator"], r["denominator"]) for r in d["rates"]}
    assert shown == {k: (getattr(direct, k).numerator, getattr(direct, k).denominator) for k in ("response", "resolution", "satisfaction")}
    table = next(t for t in selectors.tables_of(d) if t.title == "三率")
    assert [(row[2], row[3]) for row in table.rows] == list(shown.values())


@pytest.mark.postgres
def test_rates_from_the_tally_on_postgres_too(history, network, now):
    test_rates_from_the_tally_equal_the_direct_count(history, network, now)


def test_folded_due_dates_keep_the_overdue_figures(history, network, now):
    # After the tick folds past due dates, the figures equal a direct count on later days;
    # a reader before the horizon (a clock set back) is counted directly, and right too.
    from huiying.concerns.models import Concern
    from huiying.dashboard.models import FOLDED, ConcernTally, TallyHorizon

    n = network
    rated_history(n, now)
    horizon = TallyHorizon.current()
    assert horizon == (now + dt.timedelta(days=80)).date() and ConcernTally.objects.filter(due=FOLDED).exists()
    assert not ConcernTally.objects.filter(due__lt=horizon, due__gt=FOLDED).exists()
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    for today in (TODAY, horizon, horizon + dt.timedelta(days=3)):
        for unit in (n.county, n.township, n.village, n.point):
            field = {"county": "received_county", "township": "received_township", "village": "received_village", "hamlet": "received_point"}[unit.level]
            qs = Concern.objects.filter(**{field: unit}, received_at__gte=a_datetime(period.start), received_at__lt=a_datetime(dt.date(2026, 7, 1)))
            t = fig.unit_figures(unit, period, today=today).counts()
            assert (t.concerns, t.pending, t.overdue) == (qs.count(), qs.filter(outcome="").count(), qs.filter(outcome="", due_date__lt=today).count())


def test_a_missing_horizon_row_reads_as_nothing_folded_and_the_fold_restores_it(history, network, now):
    # A flushed table (a restore, a test database) loses the row the migration made: the
    # triggers then write due dates as they are, and the next fold creates the row again.
    from huiying.concerns.models import Concern
    from huiying.dashboard.models import FOLDED, ConcernTally, TallyHorizon

    TallyHorizon.objects.all().delete()
    assert TallyHorizon.current() == FOLDED
    rated_history(network, now)
    assert TallyHorizon.current() == (now + dt.timedelta(days=80)).date()
    assert not ConcernTally.objects.filter(due__lt=TallyHorizon.current(), due__gt=FOLDED).exists()
    today = TallyHorizon.current() + dt.timedelta(days=1)
    t = fig.unit_figures(network.county, Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30)), today=today).counts()
    qs = Concern.objects.filter(received_at__gte=a_datetime(dt.date(2026, 1, 1)), received_at__lt=a_datetime(dt.date(2026, 7, 1)))
    assert (t.concerns, t.overdue) == (qs.count(), qs.filter(outcome="", due_date__lt=today).count())
