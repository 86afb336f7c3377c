"""Reads of concerns for a person: every one starts from `access.visible_concerns(user)`,
so what a person may not see never reaches a list, a count or a search."""
import datetime as dt

from django.db.models import Q, QuerySet

from huiying import access
from huiying.core import clock, workdays
from huiying.network.models import Unit

from .models import OPEN_STATES, Concern, Visit

DUE_SOON_WORKDAYS = 2


def _listing(qs: QuerySet[Concern]) -> QuerySet[Concern]:
    return qs.select_related("handling_unit", "handler", "received_unit").order_by("due_date", "id")


def my_concerns(user) -> QuerySet[Concern]:
    """Open concerns `user` is the handler of."""
    return _listing(access.visible_concerns(user).filter(handler=user, state__in=OPEN_STATES))


def unit_open_concerns(user, units: list[Unit]) -> QuerySet[Concern]:
    """Open concerns handled at `units` (the user's own units)."""
    return _listing(access.visible_concerns(user).filter(handling_unit__in=units, state__in=OPEN_STATES))


def due_soon(user, units: list[Unit], *, today: dt.date | None = None) -> QuerySet[Concern]:
    today = today or clock.today()
    horizon = workdays.add_workdays(today, DUE_SOON_WORKDAYS)
    return unit_open_concerns(user, units).filter(due_date__gte=today, due_date__lte=horizon)


def overdue(user, *, today: dt.date | None = None, within: list[Unit] | None = None) -> QuerySet[Concern]:
    """Open concerns past their due date that `user` sees (for a township: its subtree)."""
    today = today or clock.today()
    qs = access.visible_concerns(user).filter(state__in=OPEN_STATES, due_date__lt=today)
    if within:
        qs = qs.filter(Q(handling_unit__in=within) | Q(alert_unit__in=within) | Q(handling_unit__parent__in=within))
    return _listing(qs)


def incoming_escalations(user, units: list[Unit]) -> QuerySet[Concern]:
    """Concerns escalated to `units` and not yet taken up (预约下访 to be booked)."""
    return _listing(access.visible_concerns(user).filter(handling_unit__in=units, state="escalated"))


def visits_on(units: list[Unit], day: dt.date | None = None) -> QuerySet[Visit]:
    day = day or clock.today()
    return Visit.objects.filter(unit__in=units, visited_at__date=day).select_related("unit", "staff").order_by("-visited_at")
