"""Working days on China's official calendar, track limits, and the overdue tick."""
import datetime as dt

import chinese_calendar
import pytest

from huiying.concerns import deadlines
from huiying.concerns import services as cs
from huiying.concerns.models import State
from huiying.core import checks, clock, workdays
from huiying.records.models import RecordEntry

from helpers import a_datetime, act, drive, fresh, register

D = dt.date


# --- working days -------------------------------------------------------------------------

def test_national_day_2026_is_not_working_days():
    # 国务院办公厅 2026 schedule: 10月1日至7日放假调休; 9月20日（周日）、10月10日（周六）上班.
    for day in range(1, 8):
        assert not workdays.is_workday(D(2026, 10, day)), D(2026, 10, day)
    assert workdays.is_workday(D(2026, 10, 8))  # Thursday after the holiday
    assert workdays.is_workday(D(2026, 9, 30))


def test_adjusted_working_weekends_count():
    adjusted = [d for d in chinese_calendar.get_workdays(D(2026, 1, 1), D(2026, 12, 31), include_weekends=True) if d.weekday() >= 5]
    assert D(2026, 9, 20) in adjusted and D(2026, 10, 10) in adjusted
    for day in adjusted:
        assert workdays.is_workday(day), day
    # 30 Sep (Wed) + 3 working days: 8 Oct (Thu), 9 Oct (Fri), 10 Oct (the working Saturday).
    assert workdays.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays.add_workdays(D(2026, 9, 18), 1) == D(2026, 9, 20)  # Fri → the working Sunday
    assert workdays.workdays_between(D(2026, 9, 30), D(2026, 10, 10)) == 3
    assert workdays.workdays_between(D(2026, 10, 10), D(2026, 9, 30)) == -3


def test_an_ordinary_weekend_is_not_a_working_day():
    assert not workdays.is_workday(D(2026, 3, 14)) and not workdays.is_workday(D(2026, 3, 15))
    assert workdays.add_workdays(D(2026, 3, 13), 1) == D(2026, 3, 16)


def test_zero_days_on_a_holiday_is_the_next_working_day():
    assert workdays.add_workdays(D(2026, 10, 1), 0) == D(2026, 10, 8)
    assert workdays.add_workdays(D(2026, 10, 3), 1) == D(2026, 10, 9)
    assert workdays.add_workdays(D(2026, 3, 14), 0) == D(2026, 3, 16)  # Saturday
    assert workdays.add_workdays(D(2026, 3, 11), 0) == D(2026, 3, 11)
    assert workdays.next_workday(D(2026, 10, 7)) == D(2026, 10, 8)
    with pytest.raises(ValueError):
        workdays.add_workdays(D(2026, 3, 11), -1)


def test_years_beyond_the_package_fall_back_to_monday_to_friday():
    year = workdays.covered_years().stop  # the first year the package does not know
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(year, 6, 1))
    days = [D(year, 6, 1) + dt.timedelta(days=i) for i in range(14)]
    assert [workdays.is_workday(d) for d in days] == [d.weekday() < 5 for d in days]
    # Even New Year's Day and National Day are plain weekdays there, until the package is upgraded.
    assert workdays.is_workday(D(year, 10, 1)) == (D(year, 10, 1).weekday() < 5)
    friday = next(d for d in days if d.weekday() == 4)
    assert workdays.add_workdays(friday, 1) == friday + dt.timedelta(days=3)


def test_the_calendar_check_warns_when_next_year_is_not_covered():
    last = workdays.covered_years()[-1]
    with clock.frozen(a_datetime(D(last - 1, 6, 1))):
        assert checks.calendar_coverage(None) == []
    with clock.frozen(a_datetime(D(last, 6, 1))):
        assert [w.id for w in checks.calendar_coverage(None)] == ["huiying.W001"]


# --- due dates per track ------------------------------------------------------------------

# Registered on Wednesday 11 March 2026 (tests/conftest.py NOW). Qingming (4–6 April) is a holiday.
DUE = {
    "policy": D(2026, 3, 11),  # the same day
    "dispute": D(2026, 3, 25),  # 10 working days
    "time_limited": D(2026, 4, 1),  # 15
    "agency": D(2026, 4, 9),  # 20, across Qingming
    "beyond_authority": D(2026, 3, 18),  # 5
    "confidential": D(2026, 4, 1),  # 15
}


@pytest.mark.parametrize("track", sorted(DUE))
def test_due_date_on_registration(network, now, track):
    c = register(network, actor=network.village_clerk, track=track)
    assert c.due_date == DUE[track]
    assert not c.overdue


def test_a_concern_received_on_a_holiday(network):
    with clock.frozen(a_datetime(D(2026, 10, 2))):
        policy = register(network, actor=network.village_clerk, track="policy")
        dispute = register(network, actor=network.village_clerk, track="dispute")
    # Received on a holiday counts as received on the next working day (8 October): a
    # same-day limit is due then, and ten days run from then: 9, 10 (the working
    # Saturday), 12, 13, 14, 15, 16, 19, 20, 21 October.
    assert policy.due_date == D(2026, 10, 8)
    assert dispute.due_date == D(2026, 10, 21)


def test_limits_come_from_settings(network, now, settings):
    settings.HUIYING_TRACK_LIMITS = {**settings.HUIYING_TRACK_LIMITS, "dispute": 3, "policy": 1}
    assert register(network, actor=network.village_clerk, track="dispute").due_date == D(2026, 3, 16)
    assert register(network, actor=network.village_clerk, track="policy").due_date == D(2026, 3, 12)


def test_assigning_another_track_recomputes_the_due_date(network, now):
    c = register(network, actor=network.village_clerk, track="dispute")
    c = act(cs.concern_assign, actor=network.village_clerk, concern=c, handler=network.village_clerk, track="agency")
    assert c.due_date == DUE["agency"]


def test_escalation_and_appointment_set_their_own_limits(network, now, settings):
    n = network
    c = register(n, actor=n.village_clerk, track="dispute")
    c = act(cs.concern_escalate, actor=n.village_clerk, concern=c, to_unit=n.township, reason="超出权限")
    assert c.due_date == DUE["beyond_authority"]
    act(cs.concern_book_appointment, actor=n.township_staff, concern=c, date=D(2026, 3, 13), place="村部", cadre="王")
    assert settings.HUIYING_RESOLVE_AFTER_APPOINTMENT_DAYS == 10
    assert fresh(c).due_date == D(2026, 3, 27)  # 10 working days after the visit on Friday the 13th


# --- the tick -----------------------------------------------------------------------------

def overdue_entries():
    return RecordEntry.objects.filter(action="concern.overdue")


def test_tick_flags_an_overdue_concern_once(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="dispute")
    assert deadlines.tick(now=a_datetime(DUE["dispute"], 23)) == {"flagged": 0}  # due today is not late
    day_after = a_datetime(DUE["dispute"] + dt.timedelta(days=1))
    assert deadlines.tick(now=day_after) == {"flagged": 1}
    c2 = fresh(c)
    assert c2.overdue and c2.overdue_since == D(2026, 3, 26)
    assert c2.alert_unit == n.township  # the handling village's parent
    assert c2.version == c.version  # not a workflow step: an open form stays valid
    e = overdue_entries().get()
    assert (e.concern_id, e.from_state, e.to_state, e.unit_id) == (c.pk, State.REGISTERED, State.REGISTERED, n.village.pk)
    assert e.payload == {"due_date": "2026-03-25", "alert_unit": n.township.pk}
    records = RecordEntry.objects.count()
    # A second tick, a day later, changes nothing.
    assert deadlines.tick(now=day_after + dt.timedelta(days=1)) == {"flagged": 0}
    assert RecordEntry.objects.count() == records
    c3 = fresh(c)
    assert (c3.overdue, c3.overdue_since, c3.alert_unit_id, c3.version) == (True, D(2026, 3, 26), n.township.pk, c.version)


def test_the_alert_goes_to_the_handling_units_parent(network, now):
    n = network
    at_point = register(n, actor=n.hamlet_clerk, unit=n.point, track="policy")
    at_township = register(n, actor=n.township_staff, unit=n.township, track="policy")
    at_county = register(n, actor=n.county_commander, unit=n.county, track="policy")
    at_department = act(cs.concern_transfer, actor=n.county_commander, concern=register(n, actor=n.county_commander, unit=n.county, track="policy"), to_unit=n.department, reason="民政")
    assert deadlines.tick(now=a_datetime(D(2026, 3, 12))) == {"flagged": 4}
    assert fresh(at_point).alert_unit == n.village
    assert fresh(at_township).alert_unit == n.county
    assert fresh(at_county).alert_unit == n.county  # the top has no parent: it alerts itself
    assert fresh(at_department).alert_unit == n.county


def test_tick_ignores_finished_and_not_yet_due_concerns(network, now):
    n = network
    finished = drive(n, register(n, actor=n.village_clerk, track="policy"), State.SUPERVISION, actor=n.village_clerk)
    closed = register(n, actor=n.village_clerk, track="policy", function="suggestion", answer="按政策答复")
    later = register(n, actor=n.village_clerk, track="agency")
    assert closed.state == State.CLOSED
    assert deadlines.tick(now=a_datetime(D(2026, 3, 20))) == {"flagged": 0}
    assert not any(fresh(c).overdue for c in (finished, closed, later))
    assert not overdue_entries().exists()


def test_extension_clears_the_flag_when_the_new_date_is_ahead(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="policy")  # due 11 March
    late = a_datetime(D(2026, 3, 16))  # Monday
    deadlines.tick(now=late)
    assert fresh(c).overdue
    # Two working days after the 11th is the 13th: still behind the 16th, still overdue.
    c = act(cs.concern_extend, actor=n.village_clerk, concern=c, days=2, reason="补材料", now=late)
    assert c.due_date == D(2026, 3, 13) and c.overdue and c.alert_unit == n.township
    # Three more: the 18th, ahead of today; the flag and the alert are cleared.
    c = act(cs.concern_extend, actor=n.village_clerk, concern=c, days=3, reason="补材料", now=late)
    assert c.due_date == D(2026, 3, 18) and not c.overdue and c.alert_unit is None
    # When the new date passes too, it is flagged again, once.
    assert deadlines.tick(now=a_datetime(D(2026, 3, 19))) == {"flagged": 1}
    assert deadlines.tick(now=a_datetime(D(2026, 3, 20))) == {"flagged": 0}
    assert fresh(c).overdue_since == D(2026, 3, 19)
    assert overdue_entries().count() == 2


def test_extending_to_today_is_not_overdue(network, now):
    n = network
    c = register(n, actor=n.village_clerk, track="policy")
    deadlines.tick(now=a_datetime(D(2026, 3, 13)))
    c = act(cs.concern_extend, actor=n.village_clerk, concern=c, days=2, reason="补材料", now=a_datetime(D(2026, 3, 13)))
    assert c.due_date == D(2026, 3, 13) and not c.overdue


@pytest.mark.parametrize("finish", ["resolve", "close_unresolved", "escalate"])
def test_finishing_or_escalating_clears_the_flag(network, now, finish):
    n = network
    c = register(n, actor=n.village_clerk, track="policy")
    c = act(cs.concern_assign, actor=n.village_clerk, concern=c, handler=n.village_clerk)
    late = a_datetime(D(2026, 3, 16))
    deadlines.tick(now=late)
    assert fresh(c).overdue
    if finish == "resolve":
        c = act(cs.concern_resolve, actor=n.village_clerk, concern=c, result="已解决", now=late)
    elif finish == "close_unresolved":
        c = act(cs.concern_close_unresolved, actor=n.village_clerk, concern=c, outcome="withdrawn", reason="撤回", now=late)
    else:
        c = act(cs.concern_escalate, actor=n.village_clerk, concern=c, to_unit=n.township, reason="超出权限", now=late)
        assert c.due_date == D(2026, 3, 23)  # a fresh beyond-authority limit from today
    assert not c.overdue and c.alert_unit is None
    assert deadlines.tick(now=late) == {"flagged": 0}


def test_a_dissatisfied_rating_restarts_the_clock(network, now):
    n = network
    c = drive(n, register(n, actor=n.village_clerk, track="dispute"), State.SUPERVISION, actor=n.village_clerk)
    later = a_datetime(D(2026, 4, 20))
    act(cs.concern_rate, actor=n.village_clerk, concern=c, rating="dissatisfied", now=later)
    c = fresh(c)
    assert c.state == State.ON_SITE and c.due_date == D(2026, 5, 7)  # 10 working days across May Day (1–5 May)
    assert deadlines.tick(now=later) == {"flagged": 0}


def test_the_tick_command(network, now, capsys):
    from django.core.management import call_command

    register(network, actor=network.village_clerk, track="policy")
    with clock.frozen(a_datetime(D(2026, 3, 12))):
        call_command("tick")
        call_command("tick")
    out = capsys.readouterr().out
    assert "flagged 1 " in out and "flagged 0 " in out
