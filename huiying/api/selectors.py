"""Reads of the API that are querysets over the core's rules: the units a person may see
(`access.can_see_unit`, as a queryset), the villagers and visits they serve (the web app's
`concerns.selectors`). Concerns are never read here: they come from `huiying.access`,
`huiying.concerns.selectors` and `huiying.concerns.queues` only.
"""
import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from huiying import access
from huiying.concerns import selectors as cq
from huiying.concerns.models import Villager, Visit
from huiying.network.models import Hamlet, Unit


def user_counties(user) -> set[int]:
    return {m.unit.county_id for m in access.memberships(user)}


def visible_units(user) -> QuerySet[Unit]:
    """The network of the counties `user` serves in (everything, for a superuser): the units
    `access.can_see_unit` lets them see, as one query."""
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(county__in=user_counties(user))


def visible_hamlets(user) -> QuerySet[Hamlet]:
    if user.is_superuser:
        return Hamlet.objects.all()
    return Hamlet.objects.filter(village__county__in=user_counties(user))


def visible_villagers(user) -> QuerySet[Villager]:
    """The villagers the web app lets `user` find and pick: those of the hamlets they serve."""
    if user.is_superuser:
        return Villager.objects.all()
    return cq.villagers_served(user)


def visible_visits(user) -> QuerySet[Visit]:
    """Visits received at the units where `user` receives people, or below them."""
    if user.is_superuser:
        return Visit.objects.all()
    return Visit.objects.filter(unit__in=cq.receiving_units(user))


def in_period(qs, field: str, date_from: dt.date | None, date_to: dt.date | None):
    """Rows whose `field` falls on the days from `date_from` to `date_to` (both included,
    local time), as the statistics count them."""
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(**{f"{field}__gte": dt.datetime.combine(date_from, dt.time.min, tz)})
    if date_to:
        qs = qs.filter(**{f"{field}__lt": dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tz)})
    return qs


def user_by_username(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()
