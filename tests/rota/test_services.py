"""The roster's rules, through the services: the month's days and people, the even spread,
part-time weekdays, regeneration that keeps the past, swaps, and every refusal."""
import datetime as dt
from collections import Counter

import pytest

from huiying.core import workdays
from huiying.core.errors import Forbidden, NotFound
from huiying.network import services as net
from huiying.network.models import DutyShift, Employment, Level, Role
from huiying.network.selectors import on_duty
from huiying.records.models import RecordEntry
from huiying.rota import selectors as sel
from huiying.rota.models import DayKind, Swap
from huiying.rota.services import availability_set, roster_generate, roster_rule_set, roster_swap

from .conftest import refused

APRIL = dt.date(2026, 4, 1)


def shifts(unit, first=APRIL):
    days = sel.month_days(first)
    return list(DutyShift.objects.filter(unit=unit, day__gte=days[0], day__lte=days[-1]).order_by("day", "user_id").values_list("day", "user__username"))


@pytest.fixture
def village(network, now):
    """甲村 with a third, full-time clerk."""
    network.clerk3 = net.staff_create(username="clerk3", full_name="韦专职", unit=network.village, role=Role.CLERK, employment=Employment.FULL_TIME)
    network.users["clerk3"] = network.clerk3
    return network


def test_a_station_month_is_every_day_spread_evenly_and_recorded(village):
    n = village
    result = roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    rows = shifts(n.village)
    assert [d for d, _u in rows] == sel.month_days(APRIL)  # one a day, every day (a station is open daily)
    counts = Counter(u for _d, u in rows)
    assert set(counts) == {"village_clerk", "village_clerk2", "clerk3"} and max(counts.values()) - min(counts.values()) <= 1
    # Supervisors are not on a roster.
    assert "supervisor" not in counts
    assert result.shifts == 30 and result.short_days == []
    entry = RecordEntry.objects.get(action="rota.generate")
    assert entry.unit_id == n.village.id and entry.payload["month"] == "2026-04" and entry.payload["shifts"] == 30


def test_the_same_inputs_give_the_same_roster(village):
    n = village
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    first = shifts(n.village)
    roster_generate(actor=n.township_staff, unit=n.village, month="2026-04")
    assert shifts(n.village) == first
    # Nobody is on duty two days running while a colleague rests (three people, one a day).
    by_day = dict(first)
    assert all(by_day[d] != by_day[d + dt.timedelta(days=1)] for d in sel.month_days(APRIL)[:-1])


def test_a_center_follows_the_official_working_days(network, now):
    n = network
    net.staff_create(username="ts2", full_name="第二位", unit=n.township, role=Role.CENTER_STAFF)
    roster_generate(actor=n.township_staff, unit=n.township, month="2026-04")
    days = [d for d, _u in shifts(n.township)]
    assert days == [d for d in sel.month_days(APRIL) if workdays.is_workday(d)]
    # 清明 (4–6 April 2026) is a holiday: nobody is rostered.
    assert dt.date(2026, 4, 6) not in days and dt.date(2026, 4, 7) in days


def test_part_time_staff_serve_only_their_weekdays(village):
    n = village
    availability_set(actor=n.village_clerk, unit=n.village, user=n.village_clerk2, weekdays=[5, 6])
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    rows = shifts(n.village)
    assert {d.weekday() for d, u in rows if u == "village_clerk2"} <= {5, 6}
    assert any(u == "village_clerk2" for _d, u in rows)
    # The other two share the weekdays evenly.
    counts = Counter(u for _d, u in rows if u != "village_clerk2")
    assert abs(counts["village_clerk"] - counts["clerk3"]) <= 1


def test_a_rule_of_two_a_day(village):
    n = village
    roster_rule_set(actor=n.township_staff, unit=n.village, per_day=2, days=DayKind.EVERY_DAY)
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    per_day = Counter(d for d, _u in shifts(n.village))
    assert set(per_day.values()) == {2} and len(per_day) == 30
    counts = Counter(u for _d, u in shifts(n.village))
    assert max(counts.values()) - min(counts.values()) <= 1


def test_too_few_available_people_leaves_short_days(network, now):
    n = network
    roster_rule_set(actor=n.village_clerk, unit=n.village, per_day=2, days=DayKind.EVERY_DAY)
    availability_set(actor=n.village_clerk, unit=n.village, user=n.village_clerk2, weekdays=[0])
    result = roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    mondays = [d for d in sel.month_days(APRIL) if d.weekday() == 0]
    assert len(result.short_days) == 30 - len(mondays)


def test_regenerating_this_month_keeps_today_and_the_past(village, now):
    n = village
    march = dt.date(2026, 3, 1)
    for day in sel.month_days(march):
        net.duty_shift_add(unit=n.village, user=n.village_clerk, day=day)
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-03")
    rows = dict(shifts(n.village, march))
    today = now.date()
    assert all(rows[d] == "village_clerk" for d in sel.month_days(march) if d <= today)
    later = [rows[d] for d in sel.month_days(march) if d > today]
    # The kept days count: village_clerk had 11 already, so the others take the rest first.
    assert later.count("village_clerk") < later.count("village_clerk2")
    assert len(later) == 31 - today.day


def test_a_swap_moves_the_day_and_on_duty_shows_the_new_person(village, now):
    n = village
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    day = dt.date(2026, 4, 10)
    giver = DutyShift.objects.get(unit=n.village, day=day).user
    taker = n.clerk3 if giver != n.clerk3 else n.village_clerk
    swap = roster_swap(actor=giver, unit=n.village, day=day, from_user=giver, to_user=taker, reason="家中有事")
    assert list(on_duty(unit=n.village, day=day)) == [taker]
    assert Swap.objects.get() == swap and swap.by == giver
    entry = RecordEntry.objects.get(action="rota.swap")
    assert entry.payload["from_user"] == giver.pk and entry.payload["to_user"] == taker.pk and entry.payload["day"] == "2026-04-10"


def test_a_swap_today_changes_who_is_on_duty_now(village, now):
    n = village
    net.duty_shift_add(unit=n.village, user=n.village_clerk, day=now.date())
    roster_swap(actor=n.township_staff, unit=n.village, day=now.date(), from_user=n.village_clerk, to_user=n.village_clerk2)
    assert list(on_duty(unit=n.village)) == [n.village_clerk2]


# --- refusals: the field is named, nothing is written -------------------------------------

def test_a_past_month_is_refused(village):
    n = village
    refused("month", lambda: roster_generate(actor=n.village_clerk, unit=n.village, month="2026-02"))
    refused("month", lambda: roster_generate(actor=n.village_clerk, unit=n.village, month="2026-13"))
    refused("month", lambda: roster_generate(actor=n.village_clerk, unit=n.village, month="april"))


def test_a_unit_without_staff_is_refused(network, now):
    n = network
    empty = net.unit_create(level=Level.VILLAGE, parent=n.township, name="空村")
    refused("unit", lambda: roster_generate(actor=n.township_staff, unit=empty, month="2026-04"))


@pytest.mark.parametrize("who", ["supervisor", "far_clerk", "other_village_clerk", "hamlet_clerk", "other_township_staff", "dept_liaison"])
def test_who_may_not_generate_or_swap(village, who):
    n = village
    refused("unit", lambda: roster_generate(actor=n.users[who], unit=n.village, month="2026-04"), kind=Forbidden)


@pytest.mark.parametrize("who", ["village_clerk", "township_staff", "county_commander", "county_admin"])
def test_who_may_generate(village, who):
    roster_generate(actor=village.users[who], unit=village.village, month="2026-04")


def test_another_countys_unit_is_not_found(village):
    n = village
    other = net.unit_create(level=Level.COUNTY, parent=None, name="邻县", ref_prefix="LX")
    refused("unit", lambda: roster_generate(actor=n.county_commander, unit=other, month="2026-04"), kind=NotFound)


def test_bad_swaps_are_refused(village, now):
    n = village
    roster_rule_set(actor=n.village_clerk, unit=n.village, per_day=2, days=DayKind.EVERY_DAY)
    availability_set(actor=n.village_clerk, unit=n.village, user=n.village_clerk2, weekdays=[5, 6])
    roster_generate(actor=n.village_clerk, unit=n.village, month="2026-04")
    friday = dt.date(2026, 4, 10)
    on = list(on_duty(unit=n.village, day=friday))
    assert set(on) == {n.village_clerk, n.clerk3}

    def swap(**kw):
        args = {"actor": n.village_clerk, "unit": n.village, "day": friday, "from_user": n.village_clerk, "to_user": n.village_clerk2, **kw}
        return lambda: roster_swap(**args)

    refused("to_user", swap())  # village_clerk2 serves at weekends only
    refused("to_user", swap(to_user=n.clerk3))  # already on duty that day
    refused("to_user", swap(to_user=n.far_clerk))  # not staff of the unit
    refused("to_user", swap(to_user=n.supervisor))  # a supervisor is not on the roster
    refused("from_user", swap(from_user=n.village_clerk2, to_user=n.village_clerk))  # not on duty that day
    refused("from_user", swap(from_user=n.far_clerk))
    refused("day", swap(day=dt.date(2026, 3, 10)))  # yesterday
    refused("day", swap(day="2026-04-10"))
    saturday = dt.date(2026, 4, 11)
    giver = next(u for u in on_duty(unit=n.village, day=saturday))
    taker = ({n.village_clerk, n.village_clerk2, n.clerk3} - set(on_duty(unit=n.village, day=saturday))).pop()
    refused("reason", swap(day=saturday, from_user=giver, to_user=taker, reason="长" * 201))
    roster_swap(actor=n.village_clerk, unit=n.village, day=saturday, from_user=giver, to_user=taker, reason="换休")


def test_bad_rules_and_weekdays_are_refused(village):
    n = village
    refused("per_day", lambda: roster_rule_set(actor=n.village_clerk, unit=n.village, per_day=0, days=DayKind.EVERY_DAY))
    refused("per_day", lambda: roster_rule_set(actor=n.village_clerk, unit=n.village, per_day=11, days=DayKind.EVERY_DAY))
    refused("days", lambda: roster_rule_set(actor=n.village_clerk, unit=n.village, per_day=1, days="weekends"))
    refused("weekdays", lambda: availability_set(actor=n.village_clerk, unit=n.village, user=n.village_clerk2, weekdays=[]))
    refused("weekdays", lambda: availability_set(actor=n.village_clerk, unit=n.village, user=n.village_clerk2, weekdays=[7]))
    refused("user", lambda: availability_set(actor=n.village_clerk, unit=n.village, user=n.clerk3, weekdays=[1]))  # full-time
    refused("user", lambda: availability_set(actor=n.village_clerk, unit=n.village, user=n.far_clerk, weekdays=[1]))
