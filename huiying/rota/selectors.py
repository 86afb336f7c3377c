"""Reads of the duty roster (轮值表): a unit's rule, its on-duty staff and their days, a
month of the roster. "Who is on duty today" stays `network.selectors.on_duty`, which reads
the same `DutyShift` rows these write (swaps included)."""
import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import workdays
from huiying.core.errors import ServiceError
from huiying.network.models import STAFF_ROLES, DutyShift, Employment, Level, Membership, Role, Unit

from .models import DayKind, RosterRule

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# Stations and points are open every day (每日轮流值班); a center, the HQ and a department
# keep office hours, so their roster follows the working days of the official calendar.
DEFAULT_DAYS = {Level.VILLAGE: DayKind.EVERY_DAY, Level.HAMLET: DayKind.EVERY_DAY}
MAX_PER_DAY = 10
# Who may generate a unit's roster and record swaps: staff of the unit or of a unit above
# it, and the county's administrators. Supervisors watch the work; they do not rota it.
MANAGERS = STAFF_ROLES | {Role.ADMIN}


def rule_for(unit: Unit) -> RosterRule:
    """The unit's rule, or (unsaved) the default for its level."""
    rule = RosterRule.objects.filter(unit=unit).first()
    return rule or RosterRule(unit=unit, per_day=1, days=DEFAULT_DAYS.get(unit.level, DayKind.WORKDAYS))


def parse_month(value, field: str = "month") -> dt.date:
    """A month as its first day, from "YYYY-MM" or a date."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    m = MONTH_RE.match(str(value or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2099:
        raise ServiceError(field, _("Give the month as YYYY-MM, such as 2026-04."))
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def month_days(first: dt.date) -> list[dt.date]:
    n = calendar.monthrange(first.year, first.month)[1]
    return [first + dt.timedelta(days=i) for i in range(n)]


def is_duty_day(rule: RosterRule, day: dt.date) -> bool:
    return rule.days == DayKind.EVERY_DAY or workdays.is_workday(day)


def duty_staff(unit: Unit) -> list[Membership]:
    """The people who take turns at `unit`: its staff (clerks at stations and points, center
    staff at a center, …), one membership each, in a stable order. Supervisors and
    administrators are not on a roster."""
    seen, out = set(), []
    for m in Membership.objects.filter(unit=unit, role__in=STAFF_ROLES).select_related("user", "availability").order_by("id"):
        if m.user_id not in seen and m.user.is_active:
            seen.add(m.user_id)
            out.append(m)
    return out


def available_weekdays(m: Membership) -> set[int]:
    """Monday = 0. Full-time staff serve any day; part-time staff the weekdays recorded for
    them, any day when none are recorded."""
    if m.employment == Employment.FULL_TIME:
        return set(range(7))
    availability = getattr(m, "availability", None)
    return set(availability.weekdays) if availability is not None and availability.weekdays else set(range(7))


def is_available(m: Membership, day: dt.date) -> bool:
    return day.weekday() in available_weekdays(m)


def can_see_roster(user, unit: Unit) -> bool:
    """A roster is read wherever the unit's profile is (everyone in the county's network)."""
    return access.can_see_unit(user, unit)


def can_manage(user, unit: Unit) -> bool:
    try:
        access.check_unit_access(user, unit, roles=MANAGERS)
    except ServiceError:
        return False
    return True


@dataclass
class RosterDay:
    day: dt.date
    duty_day: bool
    people: list = field(default_factory=list)
    swaps: list = field(default_factory=list)

    @property
    def weekday(self) -> int:
        return self.day.weekday()


def month_roster(unit: Unit, first: dt.date) -> list[RosterDay]:
    """Every day of the month with who is on duty and the swaps recorded for it."""
    days = month_days(first)
    rule = rule_for(unit)
    by_day = {d: RosterDay(d, is_duty_day(rule, d)) for d in days}
    shifts = DutyShift.objects.filter(unit=unit, day__gte=days[0], day__lte=days[-1]).select_related("user").order_by("day", "user__first_name", "user__username")
    for s in shifts:
        by_day[s.day].people.append(s.user)
    for swap in unit.roster_swaps.filter(day__gte=days[0], day__lte=days[-1]).select_related("from_user", "to_user"):
        by_day[swap.day].swaps.append(swap)
    return list(by_day.values())


def shift_counts(unit: Unit, first: dt.date) -> list[tuple]:
    """(user, shifts this month) for the unit's duty staff, most first: the spread at a glance."""
    days = month_days(first)
    counts = {}
    for user_id in DutyShift.objects.filter(unit=unit, day__gte=days[0], day__lte=days[-1]).values_list("user_id", flat=True):
        counts[user_id] = counts.get(user_id, 0) + 1
    return sorted(((m, counts.get(m.user_id, 0)) for m in duty_staff(unit)), key=lambda x: (-x[1], x[0].id))
