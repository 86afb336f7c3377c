"""Writes to the duty roster (轮值表): generate a month, hand a day over, set the rule and a
part-time member's weekdays. Each is one transaction with its record-book entry; every
refusal names the field and happens before anything is written.

How a month is generated (docs/rosters.md):
- the days: every day, or the working days of China's official calendar (调休 included);
- the people: the unit's staff (`selectors.duty_staff`), each on the weekdays they can serve;
- each day takes `per_day` people, chosen among those available as: fewest shifts this month
  so far, then the longest since their last shift, then the order they joined the unit —
  so shifts spread evenly and the same inputs give the same roster;
- only days after today are replaced: today and the past stay as they were (and count
  towards the month's spread).
"""
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huiying import access
from huiying.core import clock
from huiying.core.errors import NotFound, ServiceError
from huiying.network.models import DutyShift, Employment, Unit
from huiying.records import book

from . import selectors as sel
from .models import Availability, DayKind, RosterRule, Swap


@dataclass
class Generated:
    unit: Unit
    month: dt.date
    start: dt.date | None
    shifts: int
    short_days: list[dt.date] = field(default_factory=list)


def _check_manager(actor, unit: Unit) -> None:
    if not isinstance(unit, Unit) or not access.can_see_unit(actor, unit):
        raise NotFound("unit", _("No such unit."))
    access.check_unit_access(actor, unit, roles=sel.MANAGERS)
    # One roster write per unit at a time (PostgreSQL): two generations, or a generation and
    # a swap, would otherwise read the same shifts and collide on the (unit, user, day) key.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _as_day(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ServiceError(field, _("Give a date."))
    return value


def _pick(staff, day: dt.date, per_day: int, counts: dict, last: dict) -> list:
    available = [m for m in staff if sel.is_available(m, day)]
    available.sort(key=lambda m: (counts[m.user_id], last.get(m.user_id) or dt.date.min, staff.index(m)))
    return available[:per_day]


@transaction.atomic
def roster_generate(*, actor, unit: Unit, month, now=None) -> Generated:
    """Generate (or regenerate) `unit`'s roster for `month` ("YYYY-MM" or a date in it)."""
    now = now or clock.now()
    _check_manager(actor, unit)
    first = sel.parse_month(month)
    today = timezone.localdate(now)
    days = sel.month_days(first)
    start = max(first, today + dt.timedelta(days=1))
    if start > days[-1]:
        raise ServiceError("month", _("%(month)s has no days left to plan: choose this month or a later one."), params={"month": first.strftime("%Y-%m")})
    staff = sel.duty_staff(unit)
    if not staff:
        raise ServiceError("unit", _("%(unit)s has no staff to put on its roster."), params={"unit": unit.name})
    rule = sel.rule_for(unit)
    # Days kept (today and before) count, so the whole month stays even.
    counts = {m.user_id: 0 for m in staff}
    last: dict = {}
    for user_id, day in DutyShift.objects.filter(unit=unit, day__gte=first, day__lt=start).values_list("user_id", "day").order_by("day"):
        if user_id in counts:
            counts[user_id] += 1
            last[user_id] = day
    DutyShift.objects.filter(unit=unit, day__gte=start, day__lte=days[-1]).delete()
    rows, short = [], []
    for day in days:
        if day < start or not sel.is_duty_day(rule, day):
            continue
        chosen = _pick(staff, day, rule.per_day, counts, last)
        if len(chosen) < rule.per_day:
            short.append(day)
        for m in chosen:
            counts[m.user_id] += 1
            last[m.user_id] = day
            rows.append(DutyShift(unit=unit, user_id=m.user_id, day=day))
    DutyShift.objects.bulk_create(rows)
    book.append(
        county_id=unit.county_id, action="rota.generate", actor=actor, unit_id=unit.id, at=now,
        payload={"month": first.strftime("%Y-%m"), "from": start.isoformat(), "shifts": len(rows), "per_day": rule.per_day,
                 "days": rule.days, "short_days": [d.isoformat() for d in short], "note": first.strftime("%Y-%m")},
    )
    return Generated(unit, first, start, len(rows), short)


@transaction.atomic
def roster_swap(*, actor, unit: Unit, day: dt.date, from_user, to_user, reason: str = "", now=None) -> Swap:
    """`from_user` hands their duty `day` at `unit` to `to_user` (换班)."""
    now = now or clock.now()
    _check_manager(actor, unit)
    day = _as_day(day, "day")
    if day < timezone.localdate(now):
        raise ServiceError("day", _("A past day's roster stays as it was."))
    staff = {m.user_id: m for m in sel.duty_staff(unit)}
    if from_user is None or from_user.pk not in staff:
        raise ServiceError("from_user", _("%(user)s is not staff of %(unit)s."), params={"user": from_user, "unit": unit.name})
    if not DutyShift.objects.filter(unit=unit, user=from_user, day=day).exists():
        raise ServiceError("from_user", _("%(user)s is not on duty on %(day)s."), params={"user": _name(from_user), "day": day})
    if to_user is None or to_user.pk not in staff:
        raise ServiceError("to_user", _("%(user)s is not staff of %(unit)s."), params={"user": to_user, "unit": unit.name})
    if DutyShift.objects.filter(unit=unit, user=to_user, day=day).exists():
        raise ServiceError("to_user", _("%(user)s is already on duty on %(day)s."), params={"user": _name(to_user), "day": day})
    if not sel.is_available(staff[to_user.pk], day):
        raise ServiceError("to_user", _("%(user)s does not serve on that weekday."), params={"user": _name(to_user)})
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ServiceError("reason", _("At most %(n)s characters."), params={"n": 200})
    DutyShift.objects.filter(unit=unit, user=from_user, day=day).update(user=to_user)
    swap = Swap.objects.create(unit=unit, day=day, from_user=from_user, to_user=to_user, reason=reason, by=actor, at=now)
    book.append(
        county_id=unit.county_id, action="rota.swap", actor=actor, unit_id=unit.id, at=now,
        payload={"swap": swap.id, "day": day.isoformat(), "from_user": from_user.pk, "to_user": to_user.pk, "reason": reason,
                 "note": f"{day.isoformat()} {_name(from_user)} → {_name(to_user)}"},
    )
    return swap


@transaction.atomic
def roster_rule_set(*, actor, unit: Unit, per_day: int, days: str, now=None) -> RosterRule:
    """How many are on duty per day at `unit`, and on which days. Takes effect at the next generation."""
    _check_manager(actor, unit)
    if isinstance(per_day, bool) or not isinstance(per_day, int) or not 1 <= per_day <= sel.MAX_PER_DAY:
        raise ServiceError("per_day", _("Between 1 and %(n)s people a day."), params={"n": sel.MAX_PER_DAY})
    if days not in DayKind.values:
        raise ServiceError("days", _("“%(value)s” is not a valid choice."), params={"value": days})
    rule, _created = RosterRule.objects.update_or_create(unit=unit, defaults={"per_day": per_day, "days": days})
    book.append(county_id=unit.county_id, action="rota.rule", actor=actor, unit_id=unit.id, at=now or clock.now(),
                payload={"per_day": per_day, "days": days})
    return rule


@transaction.atomic
def availability_set(*, actor, unit: Unit, user, weekdays: list[int], now=None) -> Availability:
    """The weekdays (Monday = 0) a part-time member of `unit` can serve. Takes effect at the next generation."""
    _check_manager(actor, unit)
    staff = {m.user_id: m for m in sel.duty_staff(unit)}
    if user is None or user.pk not in staff:
        raise ServiceError("user", _("%(user)s is not staff of %(unit)s."), params={"user": user, "unit": unit.name})
    if staff[user.pk].employment == Employment.FULL_TIME:
        raise ServiceError("user", _("Full-time staff serve any day; weekdays are kept for part-time staff."))
    if not isinstance(weekdays, (list, tuple, set)) or not weekdays or any(isinstance(d, bool) or d not in range(7) for d in weekdays):
        raise ServiceError("weekdays", _("Choose at least one weekday."))
    weekdays = sorted(set(weekdays))
    availability, _created = Availability.objects.update_or_create(membership=staff[user.pk], defaults={"weekdays": weekdays})
    book.append(county_id=unit.county_id, action="rota.availability", actor=actor, unit_id=unit.id, at=now or clock.now(),
                payload={"user": user.pk, "weekdays": weekdays, "note": _name(user)})
    return availability
