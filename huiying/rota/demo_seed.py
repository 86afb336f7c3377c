"""Demo rosters: next month generated for the demo logins' units, a part-time clerk's
weekdays, and a swap recorded (tomorrow, so the roster page shows one straight away, and one
next month). Through the services; deterministic for a given `today`."""
import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from huiying.network.models import DutyShift, Employment, Level, Membership, Unit
from huiying.records.selectors import last_entry_at

from . import selectors as sel
from .services import availability_set, roster_generate, roster_swap


def _user(username):
    return get_user_model().objects.get(username=username)


def _swap(actor, unit, day, at):
    """Hand `day` from whoever is on duty to the first colleague free and available that day."""
    shift = DutyShift.objects.filter(unit=unit, day=day).order_by("user_id").first()
    if shift is None:
        return None
    busy = set(DutyShift.objects.filter(unit=unit, day=day).values_list("user_id", flat=True))
    taker = next((m for m in sel.duty_staff(unit) if m.user_id not in busy and sel.is_available(m, day)), None)
    if taker is None:
        return None
    return roster_swap(actor=actor, unit=unit, day=day, from_user=shift.user, to_user=taker.user, reason="家中有事，换班", now=at)


def seed(*, county: Unit, today: dt.date) -> None:
    # After everything already in the book, so that it stays in time order.
    at = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 30)))
    last = last_entry_at(county.id)
    if last is not None and last >= at:
        at = last + dt.timedelta(minutes=1)
    today = timezone.localdate(at)
    clerk, center, commander = _user("village_clerk"), _user("township_staff"), _user("county_commander")
    village = Membership.objects.get(user=clerk, unit__level=Level.VILLAGE).unit
    township = Membership.objects.get(user=center).unit
    point = Membership.objects.get(user=_user("hamlet_clerk")).unit
    # One part-time clerk of the showcase station serves at weekends only (a farmer on weekdays).
    part_time = next((m for m in sel.duty_staff(village) if m.employment == Employment.PART_TIME), None)
    if part_time is not None:
        availability_set(actor=clerk, unit=village, user=part_time.user, weekdays=[5, 6], now=at)
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    for actor, unit in [(clerk, village), (center, point), (center, township), (commander, county)]:
        roster_generate(actor=actor, unit=unit, month=next_month, now=at)
    _swap(clerk, village, today + dt.timedelta(days=1), at)
    _swap(clerk, village, next_month + dt.timedelta(days=9), at)
